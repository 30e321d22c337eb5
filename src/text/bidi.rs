//! Bidirectional text (UAX #9) with `unicode-bidi`: the base direction of a paragraph,
//! the embedding level of every character, and the visual order of a line's runs.
//!
//! Levels are computed once per paragraph, in logical order, before line breaking;
//! layout reorders each line after breaking (rule L2), because which runs share a line
//! is only known then.

use unicode_bidi::{BidiInfo, Level};

/// Languages written right to left: their documents are mirrored (list markers, callout
/// rules and the footer on the other side) and every paragraph in them starts right to
/// left, even one that begins with a Latin word or a number.
const RTL_LANGUAGES: [&str; 6] = ["ar", "fa", "ur", "he", "yi", "ps"];

/// Returns true if and only if `lang` (a BCP 47 tag) is written right to left.
pub fn is_rtl_lang(lang: &str) -> bool {
    let primary = lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
    RTL_LANGUAGES.contains(&primary.as_str()) || primary == "iw"
}

/// Embedding levels of a paragraph's text.
pub struct Levels {
    /// Level of every byte of the text (bytes of one character share it).
    pub by_byte: Vec<u8>,
    /// True if and only if the paragraph's base direction is right to left.
    pub rtl: bool,
}

/// Computes the levels of `text`: the base direction is right to left for the languages
/// of [`is_rtl_lang`], else that of the first strong character (left to right if none).
pub fn levels(text: &str, lang: &str) -> Levels {
    if text.is_empty() {
        return Levels { by_byte: Vec::new(), rtl: is_rtl_lang(lang) };
    }
    let base = is_rtl_lang(lang).then(Level::rtl);
    let info = BidiInfo::new(text, base);
    let rtl = info.paragraphs.first().is_some_and(|p| p.level.is_rtl());
    Levels { by_byte: info.levels.iter().map(|l| l.number()).collect(), rtl }
}

/// The visual order of runs with these levels (UAX #9 rule L2): `result[i]` is the
/// logical index of the run drawn `i`-th from the left.
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let levels: Vec<Level> = levels.iter().map(|&l| Level::new(l).unwrap_or_else(|_| Level::ltr())).collect();
    BidiInfo::reorder_visual(&levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_direction_from_language_then_text() {
        assert!(levels("Hello", "ar").rtl);
        assert!(levels("مرحبا", "en").rtl);
        assert!(!levels("Hello مرحبا", "en").rtl);
        assert!(!levels("123", "en").rtl);
        assert!(is_rtl_lang("he-IL") && is_rtl_lang("FA") && !is_rtl_lang("en"));
    }

    #[test]
    fn numbers_in_arabic_are_left_to_right() {
        let text = "رقم 123";
        let l = levels(text, "ar");
        assert_eq!(l.by_byte[0], 1);
        assert_eq!(l.by_byte[text.len() - 1], 2);
    }

    #[test]
    fn runs_reorder_by_level() {
        assert_eq!(visual_order(&[1, 2, 1]), [2, 1, 0]);
        assert_eq!(visual_order(&[0, 1, 1, 0]), [0, 2, 1, 3]);
    }
}
