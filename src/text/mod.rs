//! Text: inline markup, fonts, fallback, bidi levels, shaping and break opportunities.
//!
//! Takes resolved strings and produces [`Paragraph`]s: sequences of unbreakable
//! [`Piece`]s (a word and its trailing space) in logical order, each made of shaped
//! [`GlyphRun`]s with real advances from the font and a bidi level. Layout only has to
//! choose where lines end and put each line's runs in visual order ([`bidi`]).
//! Files: `markup` (inline CommonMark), `fonts` (the font book, fallback), `bidi`
//! (UAX #9 levels), `breaks` (line-break opportunities), `shape` (all of it together).
//!
//! Knows nothing of pages or PDF.

pub mod bidi;
pub mod breaks;
pub mod fonts;
pub mod markup;
pub mod phone;
mod shape;

pub use fonts::{Face, FontBook, FontId};
pub use markup::{parse_inline, Inline, InlineStyle};
pub use shape::{shape_paragraph, ShapeError};

/// Returns true if and only if `c` is a default-ignorable character that never needs a
/// glyph of its own: joiners (ZWJ, ZWNJ, word joiner), variation selectors (U+FE00–FE0F
/// and the supplement), bidi controls (LRM, RLM, ALM, LRE…PDF, LRI…PDI), the soft
/// hyphen, the byte order mark and tag characters. Such a character never picks its own
/// font and is never reported as missing.
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{034F}'
            | '\u{061C}'
            | '\u{115F}'..='\u{1160}'
            | '\u{17B4}'..='\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

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

/// A run of glyphs in one font, size, style and bidi level, with the text it shows.
///
/// What extraction needs is all here: `text` is the run's text in logical (reading)
/// order, every glyph's `cluster` is a byte offset into it, and `level` says which way
/// the glyphs go. Glyphs are stored in visual (left-to-right drawing) order, so the
/// clusters of a right-to-left run descend.
#[derive(Clone, Debug, PartialEq)]
pub struct GlyphRun {
    /// The font every glyph comes from.
    pub font: FontId,
    /// Font size in points.
    pub size: f32,
    /// The text the glyphs show, in logical order (used for extraction and diagnostics).
    /// The last run of a laid-out line also keeps the white space its line break dropped
    /// (no glyph shows it); the PDF writer keeps it in the tagged text.
    pub text: String,
    /// The glyphs, in visual order (left to right as drawn).
    pub glyphs: Vec<Glyph>,
    /// Bold/italic, as asked for by the markup (the font may be a fallback).
    pub style: InlineStyle,
    /// Link target, if this run is part of a link.
    pub link: Option<String>,
    /// BCP 47 language of the text.
    pub lang: String,
    /// Bidi embedding level (UAX #9) of the run: even is left to right, odd is right to
    /// left. Layout reorders the runs of a line by it.
    pub level: u8,
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

    /// Returns true if and only if the run goes right to left (odd bidi level).
    pub fn is_rtl(&self) -> bool {
        self.level % 2 == 1
    }

    /// Indices of the glyphs in logical (reading) order.
    pub fn logical_order(&self) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..self.glyphs.len()).collect();
        if self.is_rtl() {
            idx.reverse();
        }
        idx
    }

    /// The byte range of `text` that glyph `i`'s cluster covers: from its cluster to the
    /// next larger cluster of the run, whatever the glyph order. Always on character
    /// boundaries, so slicing `text` with it never panics.
    pub fn cluster_range(&self, i: usize) -> std::ops::Range<usize> {
        let start = self.glyphs[i].cluster.min(self.text.len());
        let end = self
            .glyphs
            .iter()
            .map(|g| g.cluster)
            .filter(|&c| c > start)
            .min()
            .unwrap_or(self.text.len())
            .min(self.text.len());
        let fix = |mut at: usize| {
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        fix(start)..fix(end)
    }

    /// Byte offset in `text` where the trailing white space starts (`text.len()` if
    /// there is none).
    fn trailing_space_start(&self) -> usize {
        self.text.trim_end().len()
    }

    /// Width of the glyphs that show trailing white space.
    fn trailing_space_width(&self) -> f32 {
        let at = self.trailing_space_start();
        self.glyphs.iter().filter(|g| g.cluster >= at).map(|g| g.advance).sum()
    }

    /// Drops trailing white space (text and glyphs), as at the end of a line.
    pub fn trim_end(&mut self) {
        let at = self.trailing_space_start();
        self.glyphs.retain(|g| g.cluster < at);
        self.text.truncate(at);
    }

    /// Splits the run before each cluster that starts at one of the byte offsets `cuts`
    /// (ascending) of `text`: `cuts.len() + 1` runs, each glyph kept in its drawing order.
    /// One pass over the glyphs, so a word of 100,000 letters is cut into lines in linear
    /// time (cutting one line at a time copied the rest of the word for every line).
    pub fn split_at_clusters(&self, cuts: &[usize]) -> Vec<GlyphRun> {
        let mut bounds: Vec<usize> = Vec::with_capacity(cuts.len() + 2);
        bounds.push(0);
        for &c in cuts {
            let mut at = c.min(self.text.len());
            while !self.text.is_char_boundary(at) {
                at -= 1;
            }
            bounds.push(at.max(*bounds.last().unwrap_or(&0)));
        }
        bounds.push(self.text.len());
        let mut parts: Vec<GlyphRun> = bounds
            .windows(2)
            .map(|w| GlyphRun {
                font: self.font,
                size: self.size,
                text: self.text[w[0]..w[1]].to_string(),
                glyphs: Vec::new(),
                style: self.style,
                link: self.link.clone(),
                lang: self.lang.clone(),
                level: self.level,
            })
            .collect();
        let inner = &bounds[1..bounds.len() - 1];
        for g in &self.glyphs {
            let k = inner.partition_point(|&b| b <= g.cluster);
            let mut g = g.clone();
            g.cluster -= bounds[k];
            parts[k].glyphs.push(g);
        }
        parts
    }
}

/// What may happen after a piece.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BreakAfter {
    /// A line may end here (UAX #14 opportunity).
    Allowed,
    /// A line must end here (a newline in the text).
    Mandatory,
    /// A line may end here, inside a web or email address, when the address does not
    /// fit on a line of its own (else it moves to the next line whole).
    InAddress,
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
        for run in self.runs.iter().rev() {
            w -= run.trailing_space_width();
            if !run.is_blank() {
                break;
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
    /// True if and only if the paragraph's base direction is right to left: its lines
    /// are right-aligned and reordered from the right.
    pub rtl: bool,
}

/// Vertical metrics of a font at a size, in points (ascender up, descender down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct VMetrics {
    /// Height above the baseline.
    pub ascent: f32,
    /// Depth below the baseline (positive number).
    pub descent: f32,
}
