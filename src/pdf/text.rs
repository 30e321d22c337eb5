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

use std::collections::BTreeMap;
use std::ops::Range;

use printpdf::{Codepoint, DictItem, Op, PdfFontHandle, Pt, TextItem};

use crate::layout::{Color, Item, Pages};
use crate::text::{FontId, GlyphRun};

/// A glyph cluster: the glyphs (indices into the run, in visual order) that show one
/// stretch of the run's text.
#[derive(Clone, Debug, PartialEq)]
struct Cluster {
    glyphs: Range<usize>,
    text: Range<usize>,
}

/// The text a reader should get for a stretch of source text: soft hyphens are only
/// break hints (they are not drawn where the line does not break), so they are left out.
fn readable(s: &str) -> std::borrow::Cow<'_, str> {
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
fn ink_end(run: &GlyphRun) -> usize {
    let trimmed = run.text.trim_end().len();
    let last_start = run.glyphs.iter().map(|g| floor_boundary(&run.text, g.cluster)).max().unwrap_or(0);
    // A glyph drawn for the white space itself (a run that is only spaces) keeps it.
    if last_start >= trimmed {
        run.text.len()
    } else {
        trimmed
    }
}

/// True if and only if the run ends with white space that a line break swallowed, which
/// the writer draws as a space glyph.
pub fn ends_with_line_break_space(run: &GlyphRun) -> bool {
    ink_end(run) < run.text.len() && !is_rtl(run)
}

/// True if and only if the run's glyphs run right to left (clusters descend in visual
/// order), as shaping returns them for Arabic and Hebrew.
fn is_rtl(run: &GlyphRun) -> bool {
    run.glyphs.windows(2).any(|w| w[1].cluster < w[0].cluster)
}

/// The run's clusters in visual order. Each cluster's text reaches to the next cluster's
/// start in logical order; the text before the first cluster goes to the first one, so
/// every character of `run.text[..ink]` belongs to exactly one cluster.
fn clusters(run: &GlyphRun, ink: usize) -> Vec<Cluster> {
    let text = &run.text[..ink];
    let mut starts: Vec<usize> = run.glyphs.iter().map(|g| floor_boundary(text, g.cluster)).collect();
    starts.sort_unstable();
    starts.dedup();
    let mut out: Vec<Cluster> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut i = 0;
    while i < run.glyphs.len() {
        let c = run.glyphs[i].cluster;
        let mut j = i + 1;
        while j < run.glyphs.len() && run.glyphs[j].cluster == c {
            j += 1;
        }
        let start = floor_boundary(text, c);
        let range = if seen.insert(start) {
            let end = starts.iter().copied().find(|&s| s > start).unwrap_or(text.len());
            let begin = if starts.first() == Some(&start) { 0 } else { start };
            begin..end
        } else {
            // The same cluster split around other glyphs: its text went with its first part.
            start..start
        };
        out.push(Cluster { glyphs: i..j, text: range });
        i = j;
    }
    out
}

/// The Unicode text each glyph of each font maps to in the ToUnicode CMap, chosen once per
/// document: the text the glyph most often shows on its own (ties: the smaller string),
/// else the text of a cluster it starts, else of a cluster it is part of.
#[derive(Debug, Default)]
pub struct Unicode {
    map: BTreeMap<(FontId, u16), String>,
}

impl Unicode {
    /// Chooses the mapping of every glyph on the pages. `space` gives a font's space
    /// glyph, which line ends draw.
    pub fn new(pages: &Pages, mut space: impl FnMut(FontId) -> Option<u16>) -> Unicode {
        // (font, glyph) → text → (weight class, count)
        let mut seen: BTreeMap<(FontId, u16), BTreeMap<String, (u8, usize)>> = BTreeMap::new();
        let mut note = |key: (FontId, u16), text: &str, class: u8| {
            let e = seen.entry(key).or_default().entry(text.to_string()).or_insert((class, 0));
            if class > e.0 {
                *e = (class, 0);
            }
            if class == e.0 {
                e.1 += 1;
            }
        };
        for page in &pages.pages {
            for item in &page.items {
                let Item::Text { run, .. } = item else { continue };
                let ink = ink_end(run);
                for c in clusters(run, ink) {
                    let text = readable(&run.text[c.text.clone()]);
                    let text = text.as_ref();
                    let solo = c.glyphs.len() == 1;
                    for (k, g) in run.glyphs[c.glyphs.clone()].iter().enumerate() {
                        let class = if solo {
                            2
                        } else if k == 0 {
                            1
                        } else {
                            0
                        };
                        if !text.is_empty() {
                            note((run.font, g.id), text, class);
                        }
                    }
                }
                if ink < run.text.len() {
                    if let Some(sp) = space(run.font) {
                        note((run.font, sp), " ", 2);
                    }
                }
            }
        }
        let map = seen
            .into_iter()
            .filter_map(|(key, texts)| {
                let best = texts
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(t, _)| t)?;
                Some((key, best))
            })
            .collect();
        Unicode { map }
    }

    fn get(&self, font: FontId, gid: u16) -> Option<&str> {
        self.map.get(&(font, gid)).map(String::as_str)
    }
}

/// A stretch of glyphs drawn together: plain (ToUnicode reads it right) or with the text
/// it stands for.
#[derive(Debug, PartialEq)]
struct Segment {
    glyphs: Range<usize>,
    actual: Option<String>,
}

/// Splits a run into plain segments and `/ActualText` segments. Adjacent clusters that
/// need ActualText share one span (a word, usually), so files stay small.
fn segments(run: &GlyphRun, ink: usize, unicode: &Unicode) -> Vec<Segment> {
    if run.glyphs.is_empty() {
        return Vec::new();
    }
    if is_rtl(run) {
        // Visual order is not reading order: the whole run reads as its logical text.
        return vec![Segment {
            glyphs: 0..run.glyphs.len(),
            actual: Some(readable(&run.text[..ink]).into_owned()),
        }];
    }
    let mut out: Vec<Segment> = Vec::new();
    for c in clusters(run, ink) {
        let text = readable(&run.text[c.text.clone()]);
        let text = text.as_ref();
        let plain = c.glyphs.len() == 1
            && !text.is_empty()
            && unicode.get(run.font, run.glyphs[c.glyphs.start].id) == Some(text);
        match out.last_mut() {
            Some(last) if last.actual.is_some() != plain => {
                last.glyphs.end = c.glyphs.end;
                if let Some(a) = &mut last.actual {
                    a.push_str(text);
                }
            }
            _ => out.push(Segment { glyphs: c.glyphs, actual: (!plain).then(|| text.to_string()) }),
        }
    }
    out
}

/// A text string for a content stream dictionary: UTF-16BE with its byte order mark,
/// written in hex (PDF 32000-1 §7.9.2.2), so any character survives.
fn text_string(s: &str) -> DictItem {
    let mut data = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        data.extend_from_slice(&u.to_be_bytes());
    }
    DictItem::String { data, literal: false }
}

fn begin_actual_text(ops: &mut Vec<Op>, text: &str) {
    let mut props = BTreeMap::new();
    props.insert("ActualText".to_string(), text_string(text));
    ops.push(Op::BeginMarkedContentWithProperties {
        tag: "Span".to_string(),
        properties: DictItem::Dict { map: props },
    });
}

/// What [`text_ops`] needs besides the run.
pub struct RunContext<'a> {
    /// The font's resource name.
    pub font: &'a printpdf::FontId,
    /// The chosen Unicode mapping of every glyph.
    pub unicode: &'a Unicode,
    /// The font's space glyph, for the white space at a line end.
    pub space: Option<u16>,
}

/// One glyph as drawn: id, position relative to the run's origin, and its pen advance.
struct Drawn {
    gid: u16,
    pen: f32,
    dx: f32,
    dy: f32,
    /// TJ adjustment after the glyph, in thousandths of an em.
    kern: f32,
}

/// Appends one text object (BT … ET) drawing `glyphs`.
fn text_object(ops: &mut Vec<Op>, glyphs: &[Drawn], run: &GlyphRun, x: f32, y: f32, cx: &RunContext) {
    let Some(first) = glyphs.first() else { return };
    let cid = |gid: u16| cx.unicode.get(run.font, gid).map(str::to_string);
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFont { font: PdfFontHandle::External(cx.font.clone()), size: Pt(run.size) });
    if glyphs.iter().all(|g| g.dx == 0.0 && g.dy == 0.0) {
        ops.push(Op::SetTextCursor { pos: printpdf::Point { x: Pt(x + first.pen), y: Pt(y) } });
        let codepoints =
            glyphs.iter().map(|g| Codepoint { gid: g.gid, offset: g.kern, cid: cid(g.gid) }).collect();
        ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(codepoints)] });
    } else {
        // Marks and other positioned glyphs: one position per glyph (Td moves are relative).
        let mut last = (0.0, 0.0);
        for g in glyphs {
            let pos = (x + g.pen + g.dx, y + g.dy);
            ops.push(Op::SetTextCursor {
                pos: printpdf::Point { x: Pt(pos.0 - last.0), y: Pt(pos.1 - last.1) },
            });
            last = pos;
            ops.push(Op::ShowText {
                items: vec![TextItem::GlyphIds(vec![Codepoint { gid: g.gid, offset: 0.0, cid: cid(g.gid) }])],
            });
        }
    }
    ops.push(Op::EndTextSection);
}

/// Appends the operators that draw `run` with its baseline starting at (x, y) (PDF
/// coordinates), wrapping glyphs that need it in `/ActualText` spans.
///
/// Each span holds whole text objects (`BDC BT … ET EMC`), never the other way round:
/// MuPDF hands a text object's glyphs to its text extraction only at `ET`, so a span
/// opened and closed inside one text object would be matched to no glyphs at all.
pub fn text_ops(ops: &mut Vec<Op>, run: &GlyphRun, x: f32, y: f32, color: Color, cx: &RunContext) {
    let em = 1000.0 / run.size;
    let ink = ink_end(run);
    let rtl = is_rtl(run);
    let mut segs = segments(run, ink, cx.unicode);
    // The white space a line break dropped: drawn as a space glyph after the ink, or, in
    // a right-to-left run or a font without a space, given as ActualText.
    let trailing = ink < run.text.len();
    let space = if trailing && !rtl { cx.space } else { None };
    if trailing && space.is_none() {
        let k = if rtl { 0 } else { segs.len().saturating_sub(1) };
        if let Some(seg) = segs.get_mut(k) {
            let glyphs = seg.glyphs.clone();
            let actual = seg.actual.get_or_insert_with(|| {
                glyphs.filter_map(|i| cx.unicode.get(run.font, run.glyphs[i].id)).collect()
            });
            actual.push(' ');
        }
    }
    let mut pen = 0.0;
    let drawn: Vec<Drawn> = run
        .glyphs
        .iter()
        .map(|g| {
            let d = Drawn { gid: g.id, pen, dx: g.dx, dy: g.dy, kern: (g.font_advance - g.advance) * em };
            pen += g.advance;
            d
        })
        .collect();
    ops.push(Op::SetFillColor { col: super::rgb(color) });
    let last = segs.len().saturating_sub(1);
    for (k, seg) in segs.iter().enumerate() {
        let mut glyphs: Vec<&Drawn> = drawn[seg.glyphs.clone()].iter().collect();
        let space_drawn = space.map(|gid| Drawn { gid, pen, dx: 0.0, dy: 0.0, kern: 0.0 });
        if k == last && seg.actual.is_none() {
            glyphs.extend(space_drawn.as_ref());
        }
        let glyphs: Vec<Drawn> = glyphs
            .into_iter()
            .map(|g| Drawn { gid: g.gid, pen: g.pen, dx: g.dx, dy: g.dy, kern: g.kern })
            .collect();
        match &seg.actual {
            Some(a) => {
                begin_actual_text(ops, a);
                text_object(ops, &glyphs, run, x, y, cx);
                ops.push(Op::EndMarkedContent);
                if k == last {
                    if let Some(sp) = space_drawn {
                        text_object(ops, &[sp], run, x, y, cx);
                    }
                }
            }
            None => text_object(ops, &glyphs, run, x, y, cx),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{Glyph, InlineStyle};

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
        }
    }

    fn texts(r: &GlyphRun) -> Vec<(Range<usize>, String)> {
        clusters(r, ink_end(r)).into_iter().map(|c| (c.glyphs, r.text[c.text].to_string())).collect()
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
    fn only_clusters_that_do_not_read_back_get_actual_text() {
        let pages = Pages {
            width: 100.0,
            height: 100.0,
            pages: vec![crate::layout::Page {
                items: vec![
                    // "fi" ligature (one glyph for two letters), then " x".
                    Item::Text {
                        x: 0.0,
                        y: 0.0,
                        run: run("fi x", &[(7, 0), (8, 2), (9, 3)]),
                        color: Color::TEXT,
                        tag: crate::layout::Tag::Artifact,
                    },
                ],
            }],
            nodes: Vec::new(),
            outline: Vec::new(),
        };
        let u = Unicode::new(&pages, |_| Some(8));
        let Item::Text { run: r, .. } = &pages.pages[0].items[0] else { unreachable!() };
        // The ligature glyph maps to "fi" (its only text), so it reads back without help.
        assert_eq!(u.get(FontId(0), 7), Some("fi"));
        let segs = segments(r, ink_end(r), &u);
        assert_eq!(segs, vec![Segment { glyphs: 0..3, actual: None }]);
    }

    #[test]
    fn a_glyph_showing_different_text_in_two_places_gets_actual_text_where_it_differs() {
        let u = Unicode {
            map: [((FontId(0), 1), "क".to_string()), ((FontId(0), 2), "ि".to_string())].into_iter().collect(),
        };
        // ि drawn before क (a reordered matra): one cluster "कि" of two glyphs.
        let r = run("कि क", &[(2, 0), (1, 0), (5, 6), (1, 7)]);
        let u2 =
            Unicode { map: u.map.clone().into_iter().chain([((FontId(0), 5), " ".to_string())]).collect() };
        let segs = segments(&r, ink_end(&r), &u2);
        assert_eq!(
            segs,
            vec![
                Segment { glyphs: 0..2, actual: Some("कि".to_string()) },
                Segment { glyphs: 2..4, actual: None }
            ]
        );
    }
}
