//! Shaping: styled spans → pieces of glyph runs, with fallback fonts, bidi levels and
//! break opportunities.
//!
//! 1. Fonts per grapheme cluster ([`FontBook::face_for_cluster`]): a combining mark stays
//!    in its base's font, and ZWJ, ZWNJ, variation selectors and bidi controls never pick
//!    a font of their own.
//! 2. Bidi levels per character ([`super::bidi`]).
//! 3. Each maximal stretch in one span, one font and one level is shaped once with
//!    rustybuzz in that level's direction, with the text around it as context, so Arabic
//!    letters keep their joined forms across a style change inside a word.
//! 4. The glyphs are handed to the pieces between break opportunities
//!    ([`super::breaks`]) by their clusters, in logical order, so right-to-left glyphs
//!    (which come back in visual order, clusters descending) land in the right piece.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::breaks::{break_opportunities, Break};
use super::fonts::{FontBook, FontId};
use super::markup::Inline;
use super::{bidi, is_default_ignorable, BreakAfter, Glyph, GlyphRun, Paragraph, Piece};

/// A character no font can show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// The character.
    pub ch: char,
    /// Byte offset of the character in the source string (see [`Inline::source_offset`]).
    pub source_offset: usize,
}

/// A stretch of the paragraph text in one inline span, one font and one bidi level:
/// the unit of shaping.
struct Stretch {
    range: Range<usize>,
    inline: usize,
    font: FontId,
    level: u8,
}

/// Returns true if and only if a cluster needs no font of its own: white space,
/// controls and default-ignorable characters take the font of what precedes them.
fn takes_neighbour_font(cluster: &str) -> bool {
    cluster.chars().all(|c| c.is_whitespace() || c.is_control() || is_default_ignorable(c))
}

/// Shapes styled spans at `size` points into pieces ready for line breaking.
///
/// Every character must be covered by some font of `book`; the ones that are not are
/// all returned as errors.
pub fn shape_paragraph(
    spans: &[Inline],
    lang: &str,
    size: f32,
    book: &FontBook,
) -> Result<Paragraph, Vec<ShapeError>> {
    let mut text = String::new();
    let mut bounds = Vec::with_capacity(spans.len());
    for s in spans {
        let start = text.len();
        text.push_str(&s.text);
        bounds.push(start..text.len());
    }
    let levels = bidi::levels(&text, lang);
    // 1. Fonts per grapheme cluster, then stretches of one span, font and level.
    let mut fonts: Vec<(Range<usize>, usize, FontId)> = Vec::new();
    let mut errors = Vec::new();
    // Characters no font has in a style, found once: each search tries every font of the
    // machine, so a paragraph repeating one missing character searched it again each time.
    let mut missing: std::collections::HashSet<(char, super::InlineStyle)> = std::collections::HashSet::new();
    for (i, span) in spans.iter().enumerate() {
        let mut current: Option<FontId> = None;
        for (off, cluster) in span.text.grapheme_indices(true) {
            let at = bounds[i].start + off;
            if takes_neighbour_font(cluster) {
                let font = *current.get_or_insert_with(|| book.primary(span.style));
                fonts.push((at..at + cluster.len(), i, font));
                continue;
            }
            // Punctuation, digits and symbols stay in the font of the text they follow
            // when it has them (the Devanagari danda after Hindi words), instead of the
            // first font in search order that does.
            let follows = current.filter(|&f| {
                !cluster.chars().next().is_some_and(char::is_alphabetic)
                    && cluster.chars().filter(|&c| !is_default_ignorable(c)).all(|c| book.get(f).covers(c))
            });
            let known_missing = cluster.chars().any(|c| missing.contains(&(c, span.style)));
            let found = follows.or_else(|| {
                if known_missing {
                    None
                } else {
                    book.face_for_cluster(cluster, span.style, lang)
                }
            });
            if let Some(font) = found {
                current = Some(font);
                fonts.push((at..at + cluster.len(), i, font));
                continue;
            }
            let single = cluster.chars().nth(1).is_none();
            // No face has the whole cluster: one character at a time.
            for (coff, c) in cluster.char_indices() {
                let cat = at + coff;
                let font = if c.is_whitespace() || c.is_control() || is_default_ignorable(c) {
                    current.unwrap_or_else(|| book.primary(span.style))
                } else {
                    // A cluster of one character was just searched for.
                    let searched = (single && !known_missing) || missing.contains(&(c, span.style));
                    let face = if searched {
                        None
                    } else {
                        book.face_for_cluster(c.encode_utf8(&mut [0; 4]), span.style, lang)
                    };
                    match face {
                        Some(f) => f,
                        None => {
                            missing.insert((c, span.style));
                            errors.push(ShapeError { ch: c, source_offset: span.source_offset + off + coff });
                            book.primary(span.style)
                        }
                    }
                };
                current = Some(font);
                fonts.push((cat..cat + c.len_utf8(), i, font));
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut stretches: Vec<Stretch> = Vec::new();
    for (range, inline, font) in fonts {
        for (off, c) in text[range.clone()].char_indices() {
            let at = range.start + off;
            let level = levels.by_byte.get(at).copied().unwrap_or(0);
            match stretches.last_mut() {
                Some(s) if s.inline == inline && s.font == font && s.level == level && s.range.end == at => {
                    s.range.end = at + c.len_utf8();
                }
                _ => stretches.push(Stretch { range: at..at + c.len_utf8(), inline, font, level }),
            }
        }
    }
    // 2. Break opportunities: the pieces.
    let breaks = break_opportunities(&text);
    let mut pieces: Vec<Piece> = breaks
        .iter()
        .enumerate()
        .map(|(i, b)| Piece {
            runs: Vec::new(),
            break_after: if i + 1 == breaks.len() {
                BreakAfter::End
            } else if b.mandatory {
                BreakAfter::Mandatory
            } else if b.in_address {
                BreakAfter::InAddress
            } else {
                BreakAfter::Allowed
            },
        })
        .collect();
    // 3. Shape each stretch and hand its glyphs to the pieces they fall in.
    let language = lang.parse::<rustybuzz::Language>().ok();
    for stretch in &stretches {
        let span = &spans[stretch.inline];
        let shaped = shape_stretch(&text, stretch, language.as_ref(), size, book);
        let mut glyphs = Vec::with_capacity(shaped.len());
        for (abs, glyph) in shaped {
            if glyph.id == 0 {
                let cluster_text = text.get(abs..).unwrap_or("");
                // A hard line break (`\n`, from the markup's line break) needs no glyph:
                // it only ends the line.
                let missing = cluster_text.chars().next().filter(|&c| !is_default_ignorable(c) && c != '\n');
                if let Some(c) = missing {
                    let offset = span.source_offset + abs.saturating_sub(bounds[stretch.inline].start);
                    errors.push(ShapeError { ch: c, source_offset: offset });
                }
                continue;
            }
            glyphs.push((abs, glyph));
        }
        distribute(&text, stretch, glyphs, &breaks, span, lang, size, &mut pieces);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    pieces.retain(|p| !p.runs.is_empty() || matches!(p.break_after, BreakAfter::Mandatory | BreakAfter::End));
    Ok(Paragraph { pieces, rtl: levels.rtl })
}

/// Most characters shaped in one buffer without white space between them. rustybuzz's
/// Indic shaper numbers the glyphs of a syllable in a byte and panics past 255 (HarfBuzz
/// wraps silently), and a syllable can be as long as a word of consonants joined by
/// viramas and joiners: the fuzzer found one. A longer word is shaped in pieces of at most
/// this many characters (three glyphs each at most), cut between grapheme clusters where
/// there are any; real words are far shorter, so only hostile text is cut.
const MAX_UNBROKEN: usize = 80;

/// The ranges of `text[range]` to shape one at a time: the whole range, unless a word in
/// it runs past [`MAX_UNBROKEN`] characters.
fn shaping_units(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    // Most text: no word has that many bytes, so none has that many characters.
    if !text[range.clone()].split_whitespace().any(|w| w.len() > MAX_UNBROKEN) {
        return vec![range];
    }
    let mut units = Vec::new();
    let mut start = range.start;
    let mut word = 0;
    for (off, g) in text[range.clone()].grapheme_indices(true) {
        let at = range.start + off;
        if g.chars().all(char::is_whitespace) {
            word = 0;
            continue;
        }
        let len = g.chars().count();
        if word > 0 && word + len > MAX_UNBROKEN {
            units.push(start..at);
            start = at;
            word = 0;
        }
        if len > MAX_UNBROKEN {
            // One cluster of hundreds of marks: cut between its characters.
            for (i, (c_off, _)) in g.char_indices().enumerate() {
                if i > 0 && i % MAX_UNBROKEN == 0 {
                    units.push(start..at + c_off);
                    start = at + c_off;
                }
            }
            word = len % MAX_UNBROKEN;
            continue;
        }
        word += len;
    }
    units.push(start..range.end);
    units
}

/// Shapes one stretch in its level's direction; returns the glyphs in logical order,
/// each with its cluster as a byte offset into the paragraph text.
fn shape_stretch(
    text: &str,
    stretch: &Stretch,
    language: Option<&rustybuzz::Language>,
    size: f32,
    book: &FontBook,
) -> Vec<(usize, Glyph)> {
    let mut out = Vec::new();
    for unit in shaping_units(text, stretch.range.clone()) {
        out.extend(shape_unit(text, unit, stretch, language, size, book));
    }
    out
}

/// Shapes `text[range]` (part of `stretch`) in one buffer, with the text around it as
/// context; the glyphs in logical order.
fn shape_unit(
    text: &str,
    range: Range<usize>,
    stretch: &Stretch,
    language: Option<&rustybuzz::Language>,
    size: f32,
    book: &FontBook,
) -> Vec<(usize, Glyph)> {
    let face = book.get(stretch.font);
    let scale = size / face.units_per_em();
    let rtl = stretch.level % 2 == 1;
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(&text[range.clone()]);
    buffer.set_pre_context(&text[..range.start]);
    buffer.set_post_context(&text[range.end..]);
    buffer.set_direction(if rtl {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    buffer.guess_segment_properties();
    if let Some(l) = language {
        buffer.set_language(l.clone());
    }
    let plan = shape_plan(face, buffer.direction(), buffer.script(), language);
    let shaped = rustybuzz::shape_with_plan(&face.shaper, &plan, buffer);
    let mut out: Vec<(usize, Glyph)> = shaped
        .glyph_infos()
        .iter()
        .zip(shaped.glyph_positions())
        .map(|(info, pos)| {
            let gid = info.glyph_id as u16;
            let font_advance = face
                .shaper
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
                .map_or(0.0, |a| f32::from(a) * scale);
            let glyph = Glyph {
                id: gid,
                cluster: 0,
                advance: pos.x_advance as f32 * scale,
                font_advance,
                dx: pos.x_offset as f32 * scale,
                dy: pos.y_offset as f32 * scale,
            };
            (range.start + info.cluster as usize, glyph)
        })
        .collect();
    if rtl {
        out.reverse();
    }
    out
}

/// What a shape plan depends on: the face (its bytes live as long as the process, so
/// their address names it), direction, script and language.
type PlanKey = (usize, u32, rustybuzz::Direction, rustybuzz::Script, Option<String>);

/// Most shape plans kept per thread; a document uses a handful.
const MAX_PLANS: usize = 64;

thread_local! {
    /// Shape plans already made on this thread: making one reads the font's layout
    /// tables, which costs more than shaping a short stretch (rustybuzz's docs say to
    /// reuse them), and a document shapes hundreds of stretches with the same few.
    static PLANS: std::cell::RefCell<Vec<(PlanKey, std::rc::Rc<rustybuzz::ShapePlan>)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// The shape plan for `face` and the buffer's properties, made once per thread.
fn shape_plan(
    face: &super::Face,
    direction: rustybuzz::Direction,
    script: rustybuzz::Script,
    language: Option<&rustybuzz::Language>,
) -> std::rc::Rc<rustybuzz::ShapePlan> {
    let key: PlanKey = (
        face.data.as_ptr() as usize,
        face.index,
        direction,
        script,
        language.map(|l| l.as_str().to_string()),
    );
    PLANS.with(|plans| {
        let mut plans = plans.borrow_mut();
        if let Some((_, plan)) = plans.iter().find(|(k, _)| *k == key) {
            return plan.clone();
        }
        let plan =
            std::rc::Rc::new(rustybuzz::ShapePlan::new(&face.shaper, direction, Some(script), language, &[]));
        if plans.len() >= MAX_PLANS {
            plans.clear();
        }
        plans.push((key, plan.clone()));
        plan
    })
}

/// Glyphs with their clusters as byte offsets into the paragraph text.
type PlacedGlyphs = Vec<(usize, Glyph)>;

/// Hands the glyphs of a stretch (logical order) to the pieces their clusters fall in,
/// as glyph runs in visual order. Each run's text runs from its first cluster to the
/// next run's first cluster, so it covers exactly its glyphs' clusters even where a
/// cluster straddles a break opportunity.
#[allow(clippy::too_many_arguments)]
fn distribute(
    text: &str,
    stretch: &Stretch,
    glyphs: PlacedGlyphs,
    breaks: &[Break],
    span: &Inline,
    lang: &str,
    size: f32,
    pieces: &mut [Piece],
) {
    let last = breaks.len() - 1;
    let piece_of = |at: usize| breaks.partition_point(|b| b.at <= at).min(last);
    // (piece, start of its text, glyphs with absolute clusters)
    let mut parts: Vec<(usize, usize, PlacedGlyphs)> = Vec::new();
    for (abs, g) in glyphs {
        let piece = piece_of(abs);
        match parts.last_mut() {
            Some(p) if piece <= p.0 => p.2.push((abs, g)),
            Some(_) => parts.push((piece, abs, vec![(abs, g)])),
            None => parts.push((piece, stretch.range.start, vec![(abs, g)])),
        }
    }
    let ends: Vec<usize> =
        parts.iter().skip(1).map(|p| p.1).chain(std::iter::once(stretch.range.end)).collect();
    for ((piece, start, glyphs), end) in parts.into_iter().zip(ends) {
        let mut glyphs: Vec<Glyph> = glyphs
            .into_iter()
            .map(|(abs, mut g)| {
                g.cluster = abs.saturating_sub(start);
                g
            })
            .collect();
        if stretch.level % 2 == 1 {
            glyphs.reverse();
        }
        pieces[piece].runs.push(GlyphRun {
            font: stretch.font,
            size,
            text: text[start..end].to_string(),
            glyphs,
            style: span.style,
            link: span.link.clone(),
            lang: lang.to_string(),
            level: stretch.level,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_of_hundreds_of_joined_consonants_shapes_in_pieces_without_panicking() {
        // Found by the fuzzer: a Devanagari syllable of over 255 glyphs panicked in
        // rustybuzz's Indic shaper (its sort index is a byte).
        let word = "क्\u{200D}".repeat(400);
        let text = format!("नमस्ते {word} अंत");
        let units = shaping_units(&text, 0..text.len());
        assert!(units.len() > 10, "{units:?}");
        for u in &units {
            let unbroken = text[u.clone()].split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
            assert!(unbroken <= MAX_UNBROKEN, "{unbroken}");
        }
        assert_eq!(units.first().map(|u| u.start), Some(0));
        assert_eq!(units.last().map(|u| u.end), Some(text.len()));
        assert!(units.windows(2).all(|w| w[0].end == w[1].start));
        // Normal text is one unit, shaped as before.
        let plain = "नमस्ते दुनिया";
        assert_eq!(shaping_units(plain, 0..plain.len()), vec![0..plain.len()]);
        let p = shape_paragraph(&parse_inline(&text), "hi", 12.0, &book()).expect("shapes");
        let glyphs: usize = p.pieces.iter().flat_map(|p| &p.runs).map(|r| r.glyphs.len()).sum();
        assert!(glyphs >= 800, "{glyphs}");
    }
    use crate::text::fonts::FontOptions;
    use crate::text::markup::parse_inline;

    fn book() -> FontBook {
        FontBook::load(&FontOptions::default()).unwrap()
    }

    #[test]
    fn pieces_follow_uax14_and_keep_text() {
        let b = book();
        let p = shape_paragraph(&parse_inline("Lie **flat** for one-hour."), "en", 12.0, &b).unwrap();
        let texts: Vec<String> =
            p.pieces.iter().map(|p| p.runs.iter().map(|r| r.text.as_str()).collect()).collect();
        assert_eq!(texts, ["Lie ", "flat ", "for ", "one-", "hour."]);
        assert!(p.pieces[1].runs[0].style.bold);
        assert_eq!(p.pieces.last().unwrap().break_after, BreakAfter::End);
    }

    #[test]
    fn phone_numbers_do_not_break() {
        let b = book();
        let p = shape_paragraph(&parse_inline("Call +1 (555) 010-0199 now"), "en", 12.0, &b).unwrap();
        let texts: Vec<String> =
            p.pieces.iter().map(|p| p.runs.iter().map(|r| r.text.as_str()).collect()).collect();
        assert_eq!(texts, ["Call ", "+1 (555) 010-0199 ", "now"]);
    }

    #[test]
    fn kerning_changes_advances() {
        let b = book();
        let p = shape_paragraph(&parse_inline("AV"), "en", 100.0, &b).unwrap();
        let g = &p.pieces[0].runs[0].glyphs;
        assert!(g[0].advance < g[0].font_advance, "AV is kerned: {g:?}");
    }

    /// The file name of the font of every run of `text`.
    fn fonts_of(text: &str, lang: &str) -> Vec<(String, String)> {
        let b = book();
        let p = shape_paragraph(&parse_inline(text), lang, 12.0, &b).unwrap();
        p.pieces
            .iter()
            .flat_map(|p| &p.runs)
            .map(|r| (r.text.clone(), b.path(r.font).file_name().unwrap().to_string_lossy().into_owned()))
            .collect()
    }

    #[test]
    fn a_mark_stays_in_its_base_font() {
        // A Khmer vowel sign with its consonant, a Thai tone mark with its consonant.
        for (text, font) in
            [("ក\u{17B6}", "NotoSansKhmer"), ("ก\u{0E48}", "NotoSansThai"), ("e\u{0301}", "NotoSans-")]
        {
            for (t, f) in fonts_of(text, "en") {
                assert!(f.starts_with(font), "{t:?} in {f}");
            }
        }
    }

    #[test]
    fn danda_stays_in_the_devanagari_font() {
        let fonts = fonts_of("घाव।", "hi");
        assert!(fonts.iter().all(|(_, f)| f.starts_with("NotoSansDevanagari")), "{fonts:?}");
    }

    #[test]
    fn emoji_presentation_selector_needs_no_font() {
        // U+FE0F after a character the fonts have is neither missing nor a font switch.
        let fonts = fonts_of("#\u{FE0F} ok", "en");
        assert!(fonts.iter().all(|(_, f)| f.starts_with("NotoSans-")), "{fonts:?}");
    }

    #[test]
    fn right_to_left_runs_keep_descending_clusters_and_the_level() {
        let b = book();
        let p = shape_paragraph(&parse_inline("مرحبا بكم"), "ar", 12.0, &b).unwrap();
        assert!(p.rtl);
        let run = &p.pieces[0].runs[0];
        assert_eq!(run.level, 1);
        assert_eq!(run.text, "مرحبا ");
        let clusters: Vec<usize> = run.glyphs.iter().map(|g| g.cluster).collect();
        assert!(clusters.windows(2).all(|w| w[0] >= w[1]), "{clusters:?}");
    }

    #[test]
    fn joining_survives_a_style_change_inside_a_word() {
        // The same word shaped whole and with its middle in bold: the glyphs of the
        // joined forms are the same (bold has its own ids, so compare the regular parts).
        let b = book();
        let whole = shape_paragraph(&parse_inline("مرحبا"), "ar", 12.0, &b).unwrap();
        let split = shape_paragraph(&parse_inline("مر**حب**ا"), "ar", 12.0, &b).unwrap();
        let bold = shape_paragraph(&parse_inline("**مرحبا**"), "ar", 12.0, &b).unwrap();
        let ids = |p: &Paragraph, cluster_text: &str| -> Vec<u16> {
            p.pieces[0]
                .runs
                .iter()
                .flat_map(|r| {
                    (0..r.glyphs.len())
                        .filter(|&i| &r.text[r.cluster_range(i)] == cluster_text)
                        .map(|i| r.glyphs[i].id)
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        // "ر" before a bold letter and "ا" after one keep the forms they have in the whole word.
        assert_eq!(ids(&whole, "ر"), ids(&split, "ر"));
        assert_eq!(ids(&whole, "ا"), ids(&split, "ا"));
        // The bold "ب" between a bold "ح" and a regular "ا" keeps its medial form.
        assert_eq!(ids(&bold, "ب"), ids(&split, "ب"));
    }

    #[test]
    fn uncovered_character_is_reported_with_offset() {
        let b = book();
        let err = shape_paragraph(&parse_inline("ok \u{E000} x"), "en", 12.0, &b).unwrap_err();
        assert_eq!(err[0].ch, '\u{E000}');
        assert_eq!(err[0].source_offset, 3);
    }
}
