//! Line breaking: a shaped paragraph → lines no wider than the measure.
//!
//! First fit over the pieces in logical order (break opportunities come from the text
//! stage). A piece wider than a whole line (a long word or URL) is cut between glyph
//! clusters, so nothing is ever drawn past the margin. Then each line's runs are placed
//! in visual order by their bidi levels (UAX #9 rule L2). Ragged: lines are not
//! justified; right-to-left paragraphs are set flush right by the caller.

use crate::text::bidi::visual_order;
use crate::text::{BreakAfter, GlyphRun, Paragraph, Piece};

/// Tolerance for float comparisons of widths, in points.
const EPS: f32 = 0.01;

/// One line: runs with their x offsets from the line's left edge.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Line {
    /// Runs in logical (reading) order, each with its x offset in the visual order.
    pub runs: Vec<(f32, GlyphRun)>,
    /// Width of the inked part (trailing spaces removed).
    pub width: f32,
    /// True if and only if the paragraph goes right to left: the line is set flush right.
    pub rtl: bool,
}

impl Line {
    /// The line's text, as a reader would copy it (without the white space at its end).
    pub fn text(&self) -> String {
        let s: String = self.runs.iter().map(|(_, r)| r.text.as_str()).collect();
        s.trim_end().to_string()
    }
}

/// Breaks `paragraph` into lines of at most `width` points.
pub fn break_lines(paragraph: &Paragraph, width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut current: Vec<GlyphRun> = Vec::new();
    let mut current_width = 0.0;
    let mut pending: std::collections::VecDeque<Piece> = join_addresses(&paragraph.pieces, width).into();
    let finish = |runs: Vec<GlyphRun>| finish(runs, paragraph.rtl);
    while let Some(piece) = pending.pop_front() {
        let ink = piece.trimmed_width();
        if !current.is_empty() && current_width + ink > width + EPS {
            lines.push(finish(std::mem::take(&mut current)));
            current_width = 0.0;
        }
        if current.is_empty() && ink > width + EPS {
            // Full lines of the word now; its last part may share a line with what follows.
            let mut parts = split_piece(piece, width);
            let tail = parts.pop();
            let whole = parts.is_empty();
            for p in parts {
                lines.push(finish(p.runs));
            }
            match tail {
                // A single cluster wider than the line: it gets a line of its own.
                Some(t) if whole => lines.push(finish(t.runs)),
                Some(t) => pending.push_front(t),
                None => {}
            }
            continue;
        }
        current_width += piece.width();
        current.extend(piece.runs);
        if piece.break_after == BreakAfter::Mandatory {
            lines.push(finish(std::mem::take(&mut current)));
            current_width = 0.0;
        }
    }
    if !current.is_empty() {
        lines.push(finish(current));
    }
    lines
}

/// Joins the pieces of each web or email address into one when the address fits on a
/// line of its own, so it moves to the next line whole instead of being broken after a
/// `/` or `.` just because the current line has room for its start; a longer address
/// keeps its breaks.
fn join_addresses(pieces: &[Piece], width: f32) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let mut j = i;
        while j + 1 < pieces.len() && pieces[j].break_after == BreakAfter::InAddress {
            j += 1;
        }
        let chain = &pieces[i..=j];
        let whole: f32 = chain[..chain.len() - 1].iter().map(Piece::width).sum::<f32>()
            + chain[chain.len() - 1].trimmed_width();
        if chain.len() > 1 && whole <= width + EPS {
            out.push(Piece {
                runs: chain.iter().flat_map(|p| p.runs.iter().cloned()).collect(),
                break_after: chain[chain.len() - 1].break_after,
            });
        } else {
            out.extend(chain.iter().cloned());
        }
        i = j + 1;
    }
    out
}

/// Makes a line from runs in logical order: drops trailing white space, merges runs
/// that can be one, sets x offsets in visual order.
fn finish(mut runs: Vec<GlyphRun>, rtl: bool) -> Line {
    // Trailing spaces are invisible and would count against the margin check: their
    // glyphs go. Their text stays, at the end of the line's last run, so the PDF writer
    // can keep the space a line break stands for in the tagged text.
    let mut dropped = String::new();
    while let Some(last) = runs.last_mut() {
        let tail = last.text[last.text.trim_end().len()..].to_string();
        last.trim_end();
        dropped.insert_str(0, &tail);
        if last.glyphs.is_empty() {
            if let Some(blank) = runs.pop() {
                // Anything left is text without glyphs (default ignorables).
                dropped.insert_str(0, &blank.text);
            }
        } else {
            last.text.push_str(&dropped);
            break;
        }
    }
    // Neighbouring runs in the same font, style, link and level become one run: one text
    // object per line and style instead of one per word.
    let mut merged: Vec<GlyphRun> = Vec::with_capacity(runs.len());
    for r in runs {
        match merged.last_mut() {
            Some(prev)
                if prev.font == r.font
                    && prev.size == r.size
                    && prev.style == r.style
                    && prev.link == r.link
                    && prev.lang == r.lang
                    && prev.level == r.level =>
            {
                let shift = prev.text.len();
                prev.text.push_str(&r.text);
                let next = r.glyphs.into_iter().map(|mut g| {
                    g.cluster += shift;
                    g
                });
                if prev.is_rtl() {
                    // The later text goes to the left.
                    let mut glyphs: Vec<_> = next.collect();
                    glyphs.append(&mut prev.glyphs);
                    prev.glyphs = glyphs;
                } else {
                    prev.glyphs.extend(next);
                }
            }
            _ => merged.push(r),
        }
    }
    // Place the runs left to right in visual order; keep them in logical order.
    let levels: Vec<u8> = merged.iter().map(|r| r.level).collect();
    let mut xs = vec![0.0; merged.len()];
    let mut x = 0.0;
    for i in visual_order(&levels) {
        xs[i] = x;
        x += merged[i].width();
    }
    Line { runs: xs.into_iter().zip(merged).collect(), width: x, rtl }
}

/// Cuts a piece that is wider than `width` into pieces that fit, each after the last
/// cluster that still fits (at least one cluster per piece, so layout always advances),
/// in one pass over the glyphs. All but the last end in `BreakAfter::Allowed`; the last
/// keeps the piece's own.
fn split_piece(piece: Piece, width: f32) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut line: Vec<GlyphRun> = Vec::new();
    let mut used = 0.0;
    for run in piece.runs {
        // Cut points inside this run (byte offsets of the cluster that starts a line).
        let mut cuts: Vec<usize> = Vec::new();
        let order = run.logical_order();
        // The cluster after the last space of this run's current line, and the width up
        // to it: a phone number kept whole (`+1 (555) 010-0199`) that is wider than a
        // narrow table column is cut at a space, not between two digits.
        let mut after_space: Option<(usize, f32)> = None;
        let mut i = 0;
        while i < order.len() {
            let cluster = run.glyphs[order[i]].cluster;
            let mut cw = 0.0;
            let mut j = i;
            while j < order.len() && run.glyphs[order[j]].cluster == cluster {
                cw += run.glyphs[order[j]].advance;
                j += 1;
            }
            let filled = !line.is_empty() || i > 0;
            if used + cw > width + EPS && filled {
                if let Some((at, before)) = after_space.take() {
                    cuts.push(at);
                    used -= before;
                } else {
                    if i == 0 {
                        // The line ends before this run.
                        out.push(Piece { runs: std::mem::take(&mut line), break_after: BreakAfter::Allowed });
                    } else {
                        cuts.push(cluster);
                    }
                    used = 0.0;
                }
            }
            used += cw;
            if j < order.len() && run.text[cluster..].starts_with([' ', '\u{a0}', '\u{202f}']) {
                after_space = Some((run.glyphs[order[j]].cluster, used));
            }
            i = j;
        }
        if cuts.is_empty() {
            line.push(run);
            continue;
        }
        let mut parts = run.split_at_clusters(&cuts).into_iter();
        line.extend(parts.next());
        out.push(Piece { runs: std::mem::take(&mut line), break_after: BreakAfter::Allowed });
        let rest: Vec<GlyphRun> = parts.collect();
        let n = rest.len();
        for (k, part) in rest.into_iter().enumerate() {
            if k + 1 < n {
                out.push(Piece { runs: vec![part], break_after: BreakAfter::Allowed });
            } else {
                line.push(part);
            }
        }
    }
    if !line.is_empty() {
        out.push(Piece { runs: line, break_after: piece.break_after });
    } else if let Some(last) = out.last_mut() {
        last.break_after = piece.break_after;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fonts::FontOptions;
    use crate::text::{parse_inline, shape_paragraph, FontBook};

    fn lines(src: &str, width: f32) -> Vec<Line> {
        let book = FontBook::load(&FontOptions::default()).unwrap();
        let p = shape_paragraph(&parse_inline(src), "en", 12.0, &book).unwrap();
        break_lines(&p, width)
    }

    #[test]
    fn lines_fit_and_keep_all_words() {
        let src = "A lumbar puncture, also called a spinal tap, is a test that takes a small amount of fluid from your lower back.";
        let ls = lines(src, 200.0);
        assert!(ls.len() >= 3);
        for l in &ls {
            assert!(l.width <= 200.0 + EPS, "{} is {} wide", l.text(), l.width);
        }
        let joined: Vec<String> = ls.iter().map(Line::text).collect();
        assert_eq!(joined.join(" "), src);
    }

    #[test]
    fn a_phone_number_wider_than_the_line_is_cut_at_a_space() {
        // About 100 pt wide at 12 pt; a 60 pt column (a narrow table cell) takes part of it.
        let ls = lines("+1 (555) 010-0199", 60.0);
        let texts: Vec<String> = ls.iter().map(Line::text).collect();
        assert!(texts.len() >= 2, "{texts:?}");
        // Every cut is at a space: no group of digits is split.
        assert_eq!(texts.join(" "), "+1 (555) 010-0199");
        for t in &texts {
            for group in t.split(' ') {
                assert!(["+1", "(555)", "010-0199"].contains(&group), "{group} in {texts:?}");
            }
        }
        for l in &ls {
            assert!(l.width <= 60.0 + EPS, "{} is {} wide", l.text(), l.width);
        }
    }

    #[test]
    fn overlong_url_is_cut_inside_the_measure() {
        let url =
            "https://example.org/a/very/long/path/that/never/ends/and/has/no/spaces/at/all/anywhere/in/it";
        let ls = lines(url, 120.0);
        assert!(ls.len() > 2);
        for l in &ls {
            assert!(l.width <= 120.0 + EPS, "{} is {} wide", l.text(), l.width);
        }
        assert_eq!(ls.iter().map(Line::text).collect::<String>(), url);
    }

    #[test]
    fn a_long_word_with_styles_inside_is_cut_into_full_lines_and_the_rest_shares_a_line() {
        let word = format!("{}**{}**{}", "a".repeat(3000), "b".repeat(3000), "c".repeat(3000));
        let ls = lines(&format!("{word} end"), 200.0);
        let want = format!("{}{}{} end", "a".repeat(3000), "b".repeat(3000), "c".repeat(3000));
        assert_eq!(ls.iter().map(Line::text).collect::<String>(), want);
        for l in &ls[..ls.len() - 1] {
            // Every line but the last is full: another letter would not fit.
            assert!(l.width <= 200.0 + EPS && l.width > 200.0 - 10.0, "{} wide", l.width);
        }
        // The word's last part and the next word share the last line.
        assert!(ls.last().unwrap().text().ends_with("c end"), "{}", ls.last().unwrap().text());
        // A cut between styles keeps both styles' glyphs.
        assert!(ls.iter().any(|l| l.runs.iter().any(|(_, r)| r.style.bold)));
    }

    #[test]
    fn a_single_wide_glyph_still_makes_progress() {
        let ls = lines("WWW", 1.0);
        assert_eq!(ls.len(), 3);
    }

    fn lines_in(src: &str, lang: &str, width: f32) -> Vec<Line> {
        let book = FontBook::load(&FontOptions::default()).unwrap();
        let p = shape_paragraph(&parse_inline(src), lang, 12.0, &book).unwrap();
        break_lines(&p, width)
    }

    #[test]
    fn right_to_left_runs_are_placed_right_to_left_with_latin_inside_left_to_right() {
        let ls = lines_in("مرحبا riverside.example بكم", "ar", 1000.0);
        assert_eq!(ls.len(), 1);
        assert!(ls[0].rtl);
        assert_eq!(ls[0].text(), "مرحبا riverside.example بكم");
        let x_of = |needle: &str| ls[0].runs.iter().find(|(_, r)| r.text.contains(needle)).unwrap().0;
        assert!(x_of("بكم") < x_of("riverside"));
        assert!(x_of("riverside") < x_of("مرحبا"));
    }

    #[test]
    fn an_overlong_arabic_word_is_cut_between_clusters_in_reading_order() {
        let word = "الاستشاريين".repeat(6);
        let ls = lines_in(&word, "ar", 80.0);
        assert!(ls.len() > 2);
        for l in &ls {
            assert!(l.width <= 80.0 + EPS, "{} is {} wide", l.text(), l.width);
        }
        assert_eq!(ls.iter().map(Line::text).collect::<String>(), word);
    }

    #[test]
    fn styles_inside_a_word_do_not_break_it() {
        let ls = lines("un**bold**ed word", 1000.0);
        assert_eq!(ls.len(), 1);
        assert_eq!(ls[0].text(), "unbolded word");
    }
}
