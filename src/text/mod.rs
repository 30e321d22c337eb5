//! Text: inline markup, fonts, fallback, shaping and break opportunities.
//!
//! Takes resolved strings and produces [`Paragraph`]s: sequences of unbreakable
//! [`Piece`]s (a word and its trailing space), each made of shaped [`GlyphRun`]s with real
//! advances from the font. Layout only has to choose where lines end.
//!
//! Knows nothing of pages or PDF.

pub mod fonts;
pub mod markup;
mod shape;

pub use fonts::{Face, FontBook, FontId};
pub use markup::{parse_inline, Inline, InlineStyle};
pub use shape::{shape_paragraph, ShapeError};

/// One glyph of a shaped run, in points, relative to the run's pen position.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    /// Glyph id in the run's font.
    pub id: u16,
    /// Byte offset of the glyph's cluster in [`GlyphRun::text`]; glyphs of one cluster
    /// share it. The first glyph of a cluster carries the cluster's text for extraction.
    pub cluster: usize,
    /// How far the pen moves after this glyph (shaped: kerning included), in points.
    pub advance: f32,
    /// The font's own (unkerned) advance of this glyph in points; the PDF writer
    /// corrects the difference to `advance`.
    pub font_advance: f32,
    /// Horizontal offset from the pen, in points.
    pub dx: f32,
    /// Vertical offset from the baseline (up is positive), in points.
    pub dy: f32,
}

/// A run of glyphs in one font, size and style, with the text it shows.
#[derive(Clone, Debug, PartialEq)]
pub struct GlyphRun {
    /// The font every glyph comes from.
    pub font: FontId,
    /// Font size in points.
    pub size: f32,
    /// The text the glyphs show (used for extraction and diagnostics).
    pub text: String,
    /// The glyphs, in visual order.
    pub glyphs: Vec<Glyph>,
    /// Bold/italic, as asked for by the markup (the font may be a fallback).
    pub style: InlineStyle,
    /// Link target, if this run is part of a link.
    pub link: Option<String>,
    /// BCP 47 language of the text.
    pub lang: String,
}

impl GlyphRun {
    /// Total advance of the run in points.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }

    /// Returns true if and only if the run shows only white space.
    pub fn is_blank(&self) -> bool {
        self.text.chars().all(char::is_whitespace)
    }

    /// Splits the run before the glyph whose cluster starts at byte `at` of `text`;
    /// used to break words longer than a line. `at` must be a cluster boundary.
    pub fn split_at_cluster(&self, at: usize) -> (GlyphRun, GlyphRun) {
        let idx = self.glyphs.iter().position(|g| g.cluster >= at).unwrap_or(self.glyphs.len());
        let mut left = self.clone();
        let mut right = self.clone();
        left.glyphs.truncate(idx);
        left.text.truncate(at);
        right.glyphs.drain(..idx);
        right.text.drain(..at);
        for g in &mut right.glyphs {
            g.cluster -= at;
        }
        (left, right)
    }
}

/// What may happen after a piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakAfter {
    /// A line may end here (UAX #14 opportunity).
    Allowed,
    /// A line must end here (a newline in the text).
    Mandatory,
    /// The end of the paragraph.
    End,
}

/// An unbreakable unit of a paragraph: a word plus the space after it.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    /// The runs of the piece, in order (one per style/font change inside the word).
    pub runs: Vec<GlyphRun>,
    /// What may happen after this piece.
    pub break_after: BreakAfter,
}

impl Piece {
    /// Width of the piece including trailing white space.
    pub fn width(&self) -> f32 {
        self.runs.iter().map(GlyphRun::width).sum()
    }

    /// Width of the piece without its trailing white space, as it is measured at the
    /// end of a line.
    pub fn trimmed_width(&self) -> f32 {
        let mut w = self.width();
        'outer: for run in self.runs.iter().rev() {
            for g in run.glyphs.iter().rev() {
                let ch = run.text[g.cluster..].chars().next();
                if ch.is_some_and(char::is_whitespace) {
                    w -= g.advance;
                } else {
                    break 'outer;
                }
            }
        }
        w
    }
}

/// A shaped paragraph: pieces to be broken into lines by layout.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Paragraph {
    /// The pieces in logical order.
    pub pieces: Vec<Piece>,
}

/// Vertical metrics of a font at a size, in points (ascender up, descender down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VMetrics {
    /// Height above the baseline.
    pub ascent: f32,
    /// Depth below the baseline (positive number).
    pub descent: f32,
}
