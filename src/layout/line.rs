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
    let mut pending: std::collections::VecDeque<Piece> = paragraph.pieces.iter().cloned().collect();
    let finish = |runs: Vec<GlyphRun>| finish(runs, paragraph.rtl);
    while let Some(piece) = pending.pop_front() {
        let ink = piece.trimmed_width();
        if !current.is_empty() && current_width + ink > width + EPS {
            lines.push(finish(std::mem::take(&mut current)));
            current_width = 0.0;
        }
        if current.is_empty() && ink > width + EPS {
            let (head, tail) = split_piece(piece, width);
            lines.push(finish(head.runs));
            if let Some(tail) = tail {
                pending.push_front(tail);
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

/// Cuts a piece that is wider than `width` after the last cluster that still fits
/// (at least one cluster, so the loop always advances).
fn split_piece(piece: Piece, width: f32) -> (Piece, Option<Piece>) {
    let mut used = 0.0;
    let mut head: Vec<GlyphRun> = Vec::new();
    let mut runs = piece.runs.into_iter();
    while let Some(run) = runs.next() {
        // Find the first cluster boundary (logical order) where the run no longer fits.
        let mut cut = None;
        let mut w = used;
        let order = run.logical_order();
        let mut i = 0;
        while i < order.len() {
            let cluster = run.glyphs[order[i]].cluster;
            let mut cw = 0.0;
            let mut j = i;
            while j < order.len() && run.glyphs[order[j]].cluster == cluster {
                cw += run.glyphs[order[j]].advance;
                j += 1;
            }
            let nothing_yet = head.is_empty() && i == 0;
            if w + cw > width + EPS && !nothing_yet {
                cut = Some(cluster);
                break;
            }
            w += cw;
            i = j;
        }
        match cut {
            None => {
                used = w;
                head.push(run);
            }
            Some(0) => {
                let mut rest = vec![run];
                rest.extend(runs);
                return (
                    Piece { runs: head, break_after: BreakAfter::Allowed },
                    Some(Piece { runs: rest, break_after: piece.break_after }),
                );
            }
            Some(at) => {
                let (l, r) = run.split_at_cluster(at);
                head.push(l);
                let mut rest = vec![r];
                rest.extend(runs);
                return (
                    Piece { runs: head, break_after: BreakAfter::Allowed },
                    Some(Piece { runs: rest, break_after: piece.break_after }),
                );
            }
        }
    }
    (Piece { runs: head, break_after: piece.break_after }, None)
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
