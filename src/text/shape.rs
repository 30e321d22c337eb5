//! Shaping: styled spans → pieces of glyph runs, with fallback fonts and UAX #14 break
//! opportunities.
//!
//! Each maximal stretch of text in one style and one font is shaped once with rustybuzz
//! (kerning on), then cut into pieces at the break opportunities that
//! `unicode-linebreak` finds. Cutting at a space is safe for the scripts this stage
//! handles now (kerning does not cross a space).

use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::fonts::{FontBook, FontId};
use super::markup::Inline;
use super::{BreakAfter, Glyph, GlyphRun, Paragraph, Piece};

/// A character no font can show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    /// The character.
    pub ch: char,
    /// Byte offset of the character in the source string (see [`Inline::source_offset`]).
    pub source_offset: usize,
}

/// A stretch of the paragraph text in one inline span and one font.
struct Stretch {
    range: Range<usize>,
    inline: usize,
    font: FontId,
}

/// Shapes styled spans at `size` points into pieces ready for line breaking.
///
/// Every character must be covered by some font of `book`; the first one that is not
/// becomes an error (all of them are reported by [`missing_chars`]).
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
    // 1. Fonts per character, grouped into stretches.
    let mut stretches: Vec<Stretch> = Vec::new();
    let mut errors = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let mut current: Option<Stretch> = None;
        for (off, c) in span.text.char_indices() {
            let at = bounds[i].start + off;
            let font = if c.is_whitespace() || c.is_control() {
                // Spaces take the font of what surrounds them.
                current.as_ref().map_or_else(|| book.primary(span.style), |s| s.font)
            } else {
                match book.face_for_cluster(c.encode_utf8(&mut [0; 4]), span.style, lang) {
                    Some(f) => f,
                    None => {
                        errors.push(ShapeError { ch: c, source_offset: span.source_offset + off });
                        book.primary(span.style)
                    }
                }
            };
            match &mut current {
                Some(s) if s.font == font => s.range.end = at + c.len_utf8(),
                _ => {
                    if let Some(s) = current.take() {
                        stretches.push(s);
                    }
                    current = Some(Stretch { range: at..at + c.len_utf8(), inline: i, font });
                }
            }
        }
        stretches.extend(current);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // 2. Break opportunities: segment ends, minus those inside phone numbers.
    let breaks: Vec<(usize, BreakOpportunity)> = linebreaks(&text)
        .filter(|&(at, op)| op == BreakOpportunity::Mandatory || !inside_number(&text, at))
        .collect();
    // 3. Shape each stretch and hand its glyphs to the segments they fall in.
    let mut pieces: Vec<Piece> = breaks
        .iter()
        .enumerate()
        .map(|(i, (_, op))| Piece {
            runs: Vec::new(),
            break_after: if i + 1 == breaks.len() {
                BreakAfter::End
            } else if *op == BreakOpportunity::Mandatory {
                BreakAfter::Mandatory
            } else {
                BreakAfter::Allowed
            },
        })
        .collect();
    let language = lang.parse::<rustybuzz::Language>().ok();
    for stretch in &stretches {
        let span = &spans[stretch.inline];
        let face = book.get(stretch.font);
        let scale = size / face.units_per_em();
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(&text[stretch.range.clone()]);
        buffer.guess_segment_properties();
        if let Some(l) = &language {
            buffer.set_language(l.clone());
        }
        let shaped = rustybuzz::shape(&face.shaper, &[], buffer);
        let mut segment = breaks.partition_point(|(end, _)| *end <= stretch.range.start);
        let mut run: Option<GlyphRun> = None;
        let mut seg_start = stretch.range.start;
        for (info, pos) in shaped.glyph_infos().iter().zip(shaped.glyph_positions()) {
            let cluster = stretch.range.start + info.cluster as usize;
            if info.glyph_id == 0 {
                let c = text[cluster..].chars().next().unwrap_or(' ');
                let offset = span.source_offset + (cluster - bounds[stretch.inline].start);
                errors.push(ShapeError { ch: c, source_offset: offset });
                continue;
            }
            while segment + 1 < breaks.len() && cluster >= breaks[segment].0 {
                if let Some(r) = run.take() {
                    pieces[segment].runs.push(r);
                }
                segment += 1;
            }
            let r = run.get_or_insert_with(|| {
                seg_start = cluster;
                GlyphRun {
                    font: stretch.font,
                    size,
                    text: String::new(),
                    glyphs: Vec::new(),
                    style: span.style,
                    link: span.link.clone(),
                    lang: lang.to_string(),
                }
            });
            let gid = info.glyph_id as u16;
            let font_advance = face
                .shaper
                .glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid))
                .map_or(0.0, |a| f32::from(a) * scale);
            r.glyphs.push(Glyph {
                id: gid,
                cluster: cluster - seg_start,
                advance: pos.x_advance as f32 * scale,
                font_advance,
                dx: pos.x_offset as f32 * scale,
                dy: pos.y_offset as f32 * scale,
            });
        }
        if let Some(mut r) = run.take() {
            let end = breaks[segment].0.min(stretch.range.end);
            r.text = text[seg_start..end].to_string();
            pieces[segment].runs.push(r);
        }
        // Fill in the text of runs closed at segment boundaries.
        fill_run_texts(&mut pieces, &breaks, &text, stretch);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    pieces.retain(|p| !p.runs.is_empty() || p.break_after != BreakAfter::Allowed);
    Ok(Paragraph { pieces })
}

/// Sets the text of every run that belongs to `stretch` and has none yet: the part of
/// the stretch inside its piece's segment.
fn fill_run_texts(pieces: &mut [Piece], breaks: &[(usize, BreakOpportunity)], text: &str, stretch: &Stretch) {
    for (i, piece) in pieces.iter_mut().enumerate() {
        let seg = if i == 0 { 0 } else { breaks[i - 1].0 }..breaks[i].0;
        let start = seg.start.max(stretch.range.start);
        let end = seg.end.min(stretch.range.end);
        if start >= end {
            continue;
        }
        for run in &mut piece.runs {
            if run.text.is_empty() && !run.glyphs.is_empty() {
                run.text = text[start..end].to_string();
            }
        }
    }
}

/// Returns true if and only if a break at byte `at` would split a number written in
/// groups, like the space in "+1 (555) 010-0199": a patient must be able to read a phone
/// number on one line.
fn inside_number(text: &str, at: usize) -> bool {
    let before = text[..at].strip_suffix(' ');
    let prev = before.and_then(|b| b.chars().next_back());
    let next = text[at..].chars().next();
    matches!(prev, Some(c) if c.is_ascii_digit() || c == ')')
        && matches!(next, Some(c) if c.is_ascii_digit() || c == '(')
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn uncovered_character_is_reported_with_offset() {
        let b = book();
        let err = shape_paragraph(&parse_inline("ok \u{E000} x"), "en", 12.0, &b).unwrap_err();
        assert_eq!(err[0].ch, '\u{E000}');
        assert_eq!(err[0].source_offset, 3);
    }
}
