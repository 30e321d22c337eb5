//! Text objects: glyph runs → the operators that draw them and give their text back.
//!
//! A PDF maps each glyph of a font to one Unicode string for the whole document (the
//! font's ToUnicode CMap). That is enough where glyphs and characters correspond one to
//! one (most Latin text), and wrong everywhere else: a Devanagari conjunct, a matra drawn
//! before its consonant, a Thai tone mark over an upper vowel, a Khmer subscript, a
//! ligature or a right-to-left run in visual order. So each glyph cluster is checked
//! against the mapping its glyph got for the document; the clusters that do not read back
//! as their source text are wrapped, a word at a time, in a `/Span` marked-content
//! sequence whose `/ActualText` is that text. Readers (poppler, MuPDF) and the structure
//! tree then give back exactly the source, while plain text keeps its small ToUnicode
//! form.
//!
//! The white space a line break swallowed (layout keeps it at the end of the line's last
//! run's text, with no glyph) is drawn as the font's space glyph after the line's ink,
//! inside the same marked content: invisible, but a screen reader reading the tags hears
//! "breathe it", not "breatheit".

use std::ops::Range;

use crate::layout::Color;
use crate::text::GlyphRun;

use super::content::Content;
use super::encoding::Encoding;
use super::fonts::Program;

/// A glyph cluster: the glyphs (indices into the run, in visual order) that show one
/// stretch of the run's text.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Cluster {
    pub glyphs: Range<usize>,
    pub text: Range<usize>,
}

/// The text a reader should get for a stretch of source text: soft hyphens are only
/// break hints (they are not drawn where the line does not break), so they are left out.
pub(super) fn readable(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains('\u{AD}') {
        s.replace('\u{AD}', "").into()
    } else {
        s.into()
    }
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Where the run's ink text ends: the white space after it (kept by layout where a line
/// broke) has no glyph of its own.
pub(super) fn ink_end(run: &GlyphRun) -> usize {
    let trimmed = run.text.trim_end().len();
    let last_start = run.glyphs.iter().map(|g| floor_boundary(&run.text, g.cluster)).max().unwrap_or(0);
    // A glyph drawn for the white space itself (a run that is only spaces) keeps it.
    if last_start >= trimmed {
        run.text.len()
    } else {
        trimmed
    }
}

/// True if and only if the run goes right to left: an odd bidi level, or glyphs whose
/// clusters descend in visual order (as shaping returns them for Arabic and Hebrew).
pub(super) fn is_rtl(run: &GlyphRun) -> bool {
    run.is_rtl() || run.glyphs.windows(2).any(|w| w[1].cluster < w[0].cluster)
}

/// The text a cluster's glyphs must read as, in the order a reader meets them: the
/// source text, soft hyphens left out, and for a right-to-left run reversed. Readers
/// (poppler, MuPDF) take right-to-left glyphs as drawn, in visual order, and reverse
/// them into reading order themselves; the structure tree gets the logical text from the
/// element's `/ActualText` (see `tags`).
/// `rtl` is [`is_rtl`] of the run, computed once by the caller: it looks at every glyph.
pub(super) fn cluster_text<'a>(run: &'a GlyphRun, c: &Cluster, rtl: bool) -> std::borrow::Cow<'a, str> {
    let text = readable(&run.text[c.text.clone()]);
    if rtl {
        text.chars().rev().collect::<String>().into()
    } else {
        text
    }
}

/// The run's clusters in visual order. Each cluster's text reaches to the next cluster's
/// start in logical order; the text before the first cluster goes to the first one, so
/// every character of `run.text[..ink]` belongs to exactly one cluster.
pub(super) fn clusters(run: &GlyphRun, ink: usize) -> Vec<Cluster> {
    let text = &run.text[..ink];
    // Left to right with ascending clusters (most text): each cluster reaches to the next.
    if run.glyphs.windows(2).all(|w| w[0].cluster <= w[1].cluster)
        && run.glyphs.iter().all(|g| text.is_char_boundary(g.cluster.min(text.len())))
    {
        return same_cluster(run)
            .map(|glyphs| {
                let begin =
                    if glyphs.start == 0 { 0 } else { run.glyphs[glyphs.start].cluster.min(text.len()) };
                let end = run.glyphs.get(glyphs.end).map_or(text.len(), |g| g.cluster.min(text.len()));
                Cluster { glyphs, text: begin..end }
            })
            .collect();
    }
    clusters_any_order(run, ink)
}

/// The runs of neighbouring glyphs that share a cluster value, as index ranges in visual
/// order.
fn same_cluster(run: &GlyphRun) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        let c = run.glyphs.get(i)?.cluster;
        let start = i;
        i += run.glyphs[i..].iter().take_while(|g| g.cluster == c).count();
        Some(start..i)
    })
}

/// [`clusters`] for glyphs in any order (right to left, reordered marks).
fn clusters_any_order(run: &GlyphRun, ink: usize) -> Vec<Cluster> {
    let text = &run.text[..ink];
    let mut starts: Vec<usize> = run.glyphs.iter().map(|g| floor_boundary(text, g.cluster)).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut seen = std::collections::BTreeSet::new();
    same_cluster(run)
        .map(|glyphs| {
            let start = floor_boundary(text, run.glyphs[glyphs.start].cluster);
            let range = if seen.insert(start) {
                let end = starts.get(starts.partition_point(|&s| s <= start)).copied().unwrap_or(text.len());
                let begin = if starts.first() == Some(&start) { 0 } else { start };
                begin..end
            } else {
                // The same cluster split around other glyphs: its text went with its first part.
                start..start
            };
            Cluster { glyphs, text: range }
        })
        .collect()
}

/// A stretch of glyphs drawn together: each glyph from its font variant, and, where the
/// glyphs cannot read back as their text, the text they stand for.
#[derive(Debug, PartialEq)]
struct Segment {
    glyphs: Range<usize>,
    actual: Option<String>,
}

/// Splits a run into segments and picks each glyph's font variant. Adjacent clusters
/// that need ActualText share one span, so files stay small.
fn segments(run: &GlyphRun, ink: usize, enc: &Encoding) -> (Vec<Segment>, Vec<usize>) {
    let mut variants = vec![0; run.glyphs.len()];
    if run.glyphs.is_empty() {
        return (Vec::new(), variants);
    }
    let cs = clusters(run, ink);
    let rtl = is_rtl(run);
    let mut plain = Vec::with_capacity(cs.len());
    let mut texts = Vec::with_capacity(cs.len());
    let mut gids: Vec<u16> = Vec::new();
    for c in &cs {
        let text = cluster_text(run, c, rtl);
        let g = &run.glyphs[c.glyphs.start];
        // Most clusters are one glyph read as its usual text (variant 0, already set),
        // found without allocating; the rest are planned by the encoding.
        let usual = c.glyphs.len() == 1 && enc.text(run.font, 0, g.id) == Some(text.as_ref());
        let planned = usual || {
            gids.clear();
            gids.extend(run.glyphs[c.glyphs.clone()].iter().map(|g| g.id));
            let plan = enc.cluster(run.font, &gids, &text);
            if let Some(ks) = &plan {
                variants[c.glyphs.clone()].copy_from_slice(ks);
            }
            plan.is_some()
        };
        // Poppler reads marks and multi-glyph clusters by their position (a mark that
        // overhangs the next letter ends up after it), so only a lone glyph at the pen is
        // left to ToUnicode alone; everything else gets ActualText too (which MuPDF before
        // 1.22 ignores: it reads the variants).
        let lone = c.glyphs.len() == 1 && g.dx == 0.0 && g.dy == 0.0;
        plain.push(planned && lone);
        texts.push(text);
    }
    // A span covers whole words: poppler spreads a span's text over the span's glyphs, and a
    // span ending in a mark that sits left of the pen would leave a gap it reads as a space.
    let mut w = 0;
    while w < cs.len() {
        let blank = |i: usize| !texts[i].is_empty() && texts[i].chars().all(char::is_whitespace);
        if blank(w) {
            w += 1;
            continue;
        }
        let end = (w..cs.len()).find(|&i| blank(i)).unwrap_or(cs.len());
        if plain[w..end].iter().any(|p| !p) {
            plain[w..end].iter_mut().for_each(|p| *p = false);
        }
        w = end;
    }
    let mut out: Vec<Segment> = Vec::new();
    for ((c, text), plain) in cs.into_iter().zip(texts).zip(plain) {
        match out.last_mut() {
            Some(last) if last.actual.is_some() != plain => {
                last.glyphs.end = c.glyphs.end;
                if let Some(a) = &mut last.actual {
                    a.push_str(&text);
                }
            }
            _ => out.push(Segment { glyphs: c.glyphs, actual: (!plain).then(|| text.into_owned()) }),
        }
    }
    (out, variants)
}

/// What [`text_ops`] needs besides the run.
pub struct RunContext<'a> {
    /// The resource name and subset of each variant of the run's font (index = variant).
    pub fonts: &'a [(String, std::sync::Arc<Program>)],
    /// The readings of every glyph.
    pub encoding: &'a Encoding,
    /// The font's space glyph, for the white space at a line end.
    pub space: Option<u16>,
}

/// One glyph as drawn: id, font variant, position relative to the run's origin.
#[derive(Clone, Copy)]
struct Drawn {
    gid: u16,
    variant: usize,
    pen: f32,
    dx: f32,
    dy: f32,
    /// TJ adjustment after the glyph, in thousandths of an em.
    kern: f32,
}

/// Appends one text object (BT … ET) drawing `glyphs`, switching font variants as needed.
fn text_object(out: &mut Content, glyphs: &[Drawn], run: &GlyphRun, x: f32, y: f32, cx: &RunContext) {
    let Some(first) = glyphs.first() else { return };
    let variant = |k: usize| cx.fonts.get(k).or(cx.fonts.first());
    // A glyph the subset does not hold (never expected: the subsets are made from the same
    // pages) is drawn as .notdef rather than as some other glyph.
    let code = |g: &Drawn| variant(g.variant).and_then(|(_, p)| p.code(g.gid)).unwrap_or(0);
    let font = |out: &mut Content, k: usize| {
        out.font(variant(k).map_or("", |(name, _)| name.as_str()), run.size);
    };
    out.begin_text();
    font(out, first.variant);
    let mut current = first.variant;
    if glyphs.iter().all(|g| g.dx == 0.0 && g.dy == 0.0) {
        out.move_to(x + first.pen, y);
        // One string per stretch of one variant; the pen carries on across them.
        let mut codes = Vec::with_capacity(glyphs.len());
        for chunk in glyphs.chunk_by(|a, b| a.variant == b.variant) {
            if chunk[0].variant != current {
                current = chunk[0].variant;
                font(out, current);
            }
            codes.clear();
            codes.extend(chunk.iter().map(|g| (code(g), g.kern)));
            out.show(&codes);
        }
    } else {
        // Marks and other positioned glyphs: one position per glyph (Td moves are relative).
        let mut last = (0.0, 0.0);
        for g in glyphs {
            if g.variant != current {
                current = g.variant;
                font(out, current);
            }
            let pos = (x + g.pen + g.dx, y + g.dy);
            out.move_to(pos.0 - last.0, pos.1 - last.1);
            last = pos;
            out.show(&[(code(g), 0.0)]);
        }
    }
    out.end_text();
}

/// Appends the operators that draw `run` with its baseline starting at (x, y) (PDF
/// coordinates).
///
/// An ActualText span holds whole text objects (`BDC BT … ET EMC`), never the other way
/// round: a reader may hand a text object's glyphs to its extraction only at `ET`.
pub fn text_ops(out: &mut Content, run: &GlyphRun, x: f32, y: f32, color: Color, cx: &RunContext) {
    let em = 1000.0 / run.size;
    let ink = ink_end(run);
    let rtl = is_rtl(run);
    let (mut segs, variants) = segments(run, ink, cx.encoding);
    // The white space a line break dropped: drawn as a space glyph after the ink, or, in
    // a right-to-left run or a font without a space, given as ActualText.
    let trailing = ink < run.text.len();
    let space = if trailing && !rtl {
        cx.space.and_then(|sp| Some((sp, cx.encoding.variant(run.font, sp, " ")?)))
    } else {
        None
    };
    // (A right-to-left run's element carries its logical text, line-end space included.)
    if trailing && space.is_none() && !rtl {
        let k = segs.len().saturating_sub(1);
        if let Some(seg) = segs.get_mut(k) {
            let glyphs = seg.glyphs.clone();
            let actual = seg.actual.get_or_insert_with(|| {
                glyphs.filter_map(|i| cx.encoding.text(run.font, variants[i], run.glyphs[i].id)).collect()
            });
            actual.push(' ');
        }
    }
    let mut pen = 0.0;
    let drawn: Vec<Drawn> = run
        .glyphs
        .iter()
        .zip(&variants)
        .map(|(g, &variant)| {
            let d = Drawn {
                gid: g.id,
                variant,
                pen,
                dx: g.dx,
                dy: g.dy,
                kern: (g.font_advance - g.advance) * em,
            };
            pen += g.advance;
            d
        })
        .collect();
    let space_drawn = space.map(|(gid, variant)| Drawn { gid, variant, pen, dx: 0.0, dy: 0.0, kern: 0.0 });
    out.fill_color(color);
    let last = segs.len().saturating_sub(1);
    for (k, seg) in segs.iter().enumerate() {
        let mut glyphs = drawn[seg.glyphs.clone()].to_vec();
        match &seg.actual {
            Some(a) => {
                out.begin_actual_text(a);
                text_object(out, &glyphs, run, x, y, cx);
                out.end_marked();
                if k == last {
                    text_object(out, space_drawn.as_slice(), run, x, y, cx);
                }
            }
            None => {
                if k == last {
                    glyphs.extend(space_drawn);
                }
                text_object(out, &glyphs, run, x, y, cx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Item, Page, Pages, Tag};
    use crate::text::{FontId, Glyph, InlineStyle};

    fn run(text: &str, glyphs: &[(u16, usize)]) -> GlyphRun {
        GlyphRun {
            font: FontId(0),
            size: 10.0,
            text: text.to_string(),
            glyphs: glyphs
                .iter()
                .map(|&(id, cluster)| Glyph {
                    id,
                    cluster,
                    advance: 5.0,
                    font_advance: 5.0,
                    dx: 0.0,
                    dy: 0.0,
                })
                .collect(),
            style: InlineStyle::default(),
            link: None,
            lang: "en".to_string(),
            level: 0,
        }
    }

    fn texts(r: &GlyphRun) -> Vec<(Range<usize>, String)> {
        clusters(r, ink_end(r)).into_iter().map(|c| (c.glyphs, r.text[c.text].to_string())).collect()
    }

    fn pages(runs: Vec<GlyphRun>) -> Pages {
        let items = runs
            .into_iter()
            .map(|run| Item::Text { x: 0.0, y: 0.0, run, color: Color::TEXT, tag: Tag::Artifact })
            .collect();
        Pages {
            width: 100.0,
            height: 100.0,
            pages: vec![Page { items }],
            nodes: Vec::new(),
            outline: Vec::new(),
        }
    }

    #[test]
    fn clusters_cover_the_text_once_in_either_direction() {
        // "घाव": घ and the matra ा are one cluster here, व another.
        let r = run("घाव", &[(1, 0), (2, 0), (3, 6)]);
        assert_eq!(texts(&r), vec![(0..2, "घा".to_string()), (2..3, "व".to_string())]);
        // Right to left: clusters descend.
        let r = run("שלום", &[(4, 6), (3, 4), (2, 2), (1, 0)]);
        let got: String = texts(&r).iter().rev().map(|(_, t)| t.as_str()).collect();
        assert_eq!(got, "שלום");
        assert!(is_rtl(&r));
    }

    #[test]
    fn ascending_clusters_take_the_fast_path_to_the_same_answer() {
        for (text, glyphs) in [
            ("abc", vec![(1, 0), (2, 1), (3, 2)]),
            ("xffiy", vec![(1, 0), (2, 1), (3, 4)]),
            ("घाव", vec![(1, 0), (2, 0), (3, 6)]),
            ("ab", vec![(1, 1), (2, 1)]),
            ("a b ", vec![(1, 0), (2, 1), (3, 2), (4, 9)]),
        ] {
            let r = run(text, &glyphs);
            let ink = ink_end(&r);
            assert_eq!(clusters(&r, ink), clusters_any_order(&r, ink), "{text}");
        }
    }

    #[test]
    fn a_cluster_inside_a_character_is_moved_to_its_start() {
        // A shaper offset in the middle of "é" (2 bytes) must not cut the character.
        let r = run("xé", &[(1, 0), (2, 2)]);
        assert_eq!(texts(&r), vec![(0..1, "x".to_string()), (1..2, "é".to_string())]);
    }

    #[test]
    fn a_line_end_space_has_no_glyph_and_is_not_ink() {
        let r = run("ab ", &[(1, 0), (2, 1)]);
        assert_eq!(ink_end(&r), 2);
        let only_space = run(" ", &[(9, 0)]);
        assert_eq!(ink_end(&only_space), 1);
    }

    #[test]
    fn a_reordered_matra_is_drawn_from_a_variant_and_given_actual_text() {
        let cmap = |_: FontId, c: char| match c {
            'क' => Some(1),
            'ि' => Some(2),
            ' ' => Some(5),
            _ => None,
        };
        // "कि क": ि drawn before क (one cluster of two glyphs), then " क".
        let r = run("कि क", &[(2, 0), (1, 0), (5, 6), (1, 7)]);
        let p = pages(vec![r.clone()]);
        let enc = Encoding::new(&p, cmap, |_| Some(5));
        let (segs, variants) = segments(&r, ink_end(&r), &enc);
        // Both readings: variants for readers that only know ToUnicode, ActualText for the
        // cluster, which poppler prefers.
        assert_eq!(
            segs,
            vec![
                Segment { glyphs: 0..2, actual: Some("कि".to_string()) },
                Segment { glyphs: 2..4, actual: None }
            ]
        );
        assert_eq!(variants, vec![1, 1, 0, 0]);
        assert_eq!(enc.text(FontId(0), 1, 2), Some("क"));
        assert_eq!(enc.text(FontId(0), 1, 1), Some("ि"));
        assert_eq!(enc.text(FontId(0), 0, 1), Some("क"));
    }

    #[test]
    fn more_glyphs_than_characters_get_actual_text() {
        // A two-part vowel: three glyphs for "को" (two characters).
        let r = run("को", &[(3, 0), (1, 0), (4, 0)]);
        let p = pages(vec![r.clone()]);
        let enc = Encoding::new(&p, |_, _| None, |_| None);
        let (segs, _) = segments(&r, ink_end(&r), &enc);
        assert_eq!(segs, vec![Segment { glyphs: 0..3, actual: Some("को".to_string()) }]);
    }
}
