//! Content streams: the drawing operators of a page, written straight to bytes.
//!
//! A page of a handout uses a dozen operators (text objects, glyph strings, fills,
//! marked content, one image). Writing them as bytes, instead of building operator
//! values for a library to translate and serialise, is most of what makes a document
//! cheap enough to print thousands of per patient (see README "Performance").
//! Numbers are written with at most three decimals (a thousandth of a point), so the
//! same page always gives the same bytes.

use std::fmt::Write as _;

use crate::layout::Color;

/// A number as PDF writes it here: at most three decimals, no trailing zeros, never `-0`;
/// a NaN is 0.
pub struct Num(pub f32);

impl std::fmt::Display for Num {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let milli = (f64::from(self.0) * 1000.0).round();
        // Page coordinates and font sizes are far inside i64; a NaN becomes 0.
        let milli = if milli.is_finite() { milli as i64 } else { 0 };
        let a = milli.unsigned_abs();
        let sign = if milli < 0 { "-" } else { "" };
        let frac = a % 1000;
        if frac == 0 {
            write!(f, "{sign}{}", a / 1000)
        } else {
            let digits = format!("{frac:03}");
            write!(f, "{sign}{}.{}", a / 1000, digits.trim_end_matches('0'))
        }
    }
}

/// The operators of one page's content stream.
#[derive(Default)]
pub struct Content {
    buf: String,
}

impl Content {
    /// The stream's bytes.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf.into_bytes()
    }

    /// Appends a number (see [`Num`]).
    fn num(&mut self, v: f32) {
        let _ = write!(self.buf, "{}", Num(v));
    }

    /// Numbers separated by spaces, then the operator.
    fn op(&mut self, nums: &[f32], operator: &str) {
        for n in nums {
            self.num(*n);
            self.buf.push(' ');
        }
        self.buf.push_str(operator);
        self.buf.push('\n');
    }

    /// `/Tag <</MCID n>> BDC`: tagged content the structure tree points at.
    pub fn begin_tagged(&mut self, tag: &str, mcid: usize) {
        let _ = writeln!(self.buf, "/{tag} <</MCID {mcid}>> BDC");
    }

    /// `/Artifact BMC`: drawn, but not part of the text (rules, boxes, footers).
    pub fn begin_artifact(&mut self) {
        self.buf.push_str("/Artifact BMC\n");
    }

    /// `/Span <</ActualText …>> BDC`: glyphs whose text is given whole.
    pub fn begin_actual_text(&mut self, text: &str) {
        self.buf.push_str("/Span <</ActualText <FEFF");
        for u in text.encode_utf16() {
            self.hex4(u);
        }
        self.buf.push_str(">>> BDC\n");
    }

    /// `EMC`: ends the innermost marked content.
    pub fn end_marked(&mut self) {
        self.buf.push_str("EMC\n");
    }

    /// `r g b rg`: the fill colour (text and rectangles).
    pub fn fill_color(&mut self, c: Color) {
        self.op(&[c.0, c.1, c.2], "rg");
    }

    /// A filled rectangle, lower-left corner at (x, y).
    pub fn fill_rect(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.op(&[x, y, w, h], "re");
        self.buf.push_str("f\n");
    }

    /// Filled rectangles `[x, y, w, h]` (lower-left corners), painted as one path (a QR
    /// code's modules).
    pub fn fill_rects(&mut self, rects: &[[f32; 4]]) {
        if rects.is_empty() {
            return;
        }
        for r in rects {
            self.op(r, "re");
        }
        self.buf.push_str("f\n");
    }

    /// Draws the image XObject `name` into the box with lower-left corner (x, y).
    pub fn image(&mut self, name: &str, x: f32, y: f32, w: f32, h: f32) {
        self.buf.push_str("q\n");
        self.op(&[w, 0.0, 0.0, h, x, y], "cm");
        let _ = writeln!(self.buf, "/{name} Do");
        self.buf.push_str("Q\n");
    }

    /// `BT`.
    pub fn begin_text(&mut self) {
        self.buf.push_str("BT\n");
    }

    /// `ET`.
    pub fn end_text(&mut self) {
        self.buf.push_str("ET\n");
    }

    /// `/Name size Tf`.
    pub fn font(&mut self, name: &str, size: f32) {
        let _ = write!(self.buf, "/{name} ");
        self.op(&[size], "Tf");
    }

    /// `x y Td`: moves to the start of the next line, relative to the current one.
    pub fn move_to(&mut self, x: f32, y: f32) {
        self.op(&[x, y], "Td");
    }

    /// Four upper-case hex digits: a two-byte code. (Written by hand: the formatter took
    /// a twentieth of a data run, as every glyph drawn goes through here.)
    fn hex4(&mut self, v: u16) {
        const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
        for shift in [12, 8, 4, 0] {
            self.buf.push(char::from(DIGITS[usize::from((v >> shift) & 0xF)]));
        }
    }

    /// Shows two-byte glyph codes, each followed by its adjustment in thousandths of an
    /// em (`TJ`), or as one string (`Tj`) when there is none.
    pub fn show(&mut self, glyphs: &[(u16, f32)]) {
        let adjusted = glyphs.iter().any(|(_, k)| (k * 1000.0).round() != 0.0);
        if !adjusted {
            self.buf.push('<');
            for (code, _) in glyphs {
                self.hex4(*code);
            }
            self.buf.push_str("> Tj\n");
            return;
        }
        self.buf.push_str("[<");
        for (code, kern) in glyphs {
            self.hex4(*code);
            if (kern * 1000.0).round() != 0.0 {
                self.buf.push_str("> ");
                self.num(*kern);
                self.buf.push_str(" <");
            }
        }
        self.buf.push_str(">] TJ\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Content)) -> String {
        let mut c = Content::default();
        f(&mut c);
        String::from_utf8(c.into_bytes()).unwrap()
    }

    #[test]
    fn numbers_have_three_decimals_at_most_and_no_negative_zero() {
        assert_eq!(text(|c| c.move_to(72.0, 719.5)), "72 719.5 Td\n");
        assert_eq!(text(|c| c.move_to(-0.0001, 1.23456)), "0 1.235 Td\n");
        assert_eq!(text(|c| c.move_to(-3.25, f32::NAN)), "-3.25 0 Td\n");
    }

    #[test]
    fn glyph_strings_use_tj_only_when_adjusted() {
        assert_eq!(
            text(|c| c.show(&[(1, 0.0), (0x2a, 0.0), (0xBEEF, 0.0), (0xF00D, 0.0)])),
            "<0001002ABEEFF00D> Tj\n"
        );
        assert_eq!(text(|c| c.show(&[(1, 12.5), (2, 0.0)])), "[<0001> 12.5 <0002>] TJ\n");
        // An adjustment after the last glyph still ends the array with a (empty) string.
        assert_eq!(text(|c| c.show(&[(1, -3.0)])), "[<0001> -3 <>] TJ\n");
    }

    #[test]
    fn actual_text_is_utf16_with_a_byte_order_mark() {
        assert_eq!(text(|c| c.begin_actual_text("é😀")), "/Span <</ActualText <FEFF00E9D83DDE00>>> BDC\n");
    }
}
