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
    if !is_rtl_lang(lang) && !text.chars().any(needs_bidi) {
        // Nothing right to left and no explicit embedding: every level is 0.
        return Levels { by_byte: vec![0; text.len()], rtl: false };
    }
    let base = is_rtl_lang(lang).then(Level::rtl);
    let info = BidiInfo::new(text, base);
    let rtl = info.paragraphs.first().is_some_and(|p| p.level.is_rtl());
    let mut by_byte: Vec<u8> = info.levels.iter().map(|l| l.number()).collect();
    for span in grouped_numbers(text) {
        // As if wrapped in LRI…PDI: one left-to-right run, at the digits' level.
        let top = by_byte[span.clone()].iter().copied().max().unwrap_or(0);
        let level = if top % 2 == 1 { top + 1 } else { top };
        by_byte[span].fill(level);
    }
    Levels { by_byte, rtl }
}

/// Returns true if and only if `c` can give text a level other than 0 in a left-to-right
/// paragraph: a right-to-left letter, an Arabic digit, or an explicit embedding.
fn needs_bidi(c: char) -> bool {
    use unicode_bidi::BidiClass::*;
    matches!(unicode_bidi::bidi_class(c), R | AL | AN | RLE | RLO | RLI | FSI | LRE | LRO | LRI | PDF | PDI)
}

/// Numbers written in groups ("+1 (555) 010-0199", "2026-10-01"): UAX #9 alone would
/// show their groups right to left inside Arabic or Hebrew text (the spaces, brackets
/// and hyphens between them take the paragraph's direction), so they are kept left to
/// right as a whole, as if isolated with LRI…PDI.
fn grouped_numbers(text: &str) -> Vec<std::ops::Range<usize>> {
    let is_digit = |c: char| c.is_ascii_digit();
    let inner = |c: char| is_digit(c) || matches!(c, ' ' | '(' | ')' | '-' | '.' | '/');
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        let next_digit = chars.get(i + 1).is_some_and(|&(_, n)| is_digit(n));
        if !(is_digit(c) || (matches!(c, '+' | '(') && next_digit)) {
            i += 1;
            continue;
        }
        let mut j = i + 1;
        while j < chars.len() && inner(chars[j].1) {
            j += 1;
        }
        // End on a digit, or on a closing bracket right after one.
        let mut end = j;
        while end > i && !is_digit(chars[end - 1].1) {
            end -= 1;
        }
        if end < chars.len() && chars[end].1 == ')' && chars[i..end].iter().any(|&(_, c)| c == '(') {
            end += 1;
        }
        let span = &chars[i..end];
        let groups = span.windows(2).filter(|w| is_digit(w[0].1) && !is_digit(w[1].1)).count();
        if groups >= 1 && span.iter().any(|&(_, c)| !is_digit(c) && c != '+') {
            let stop = chars.get(end).map_or(text.len(), |&(b, _)| b);
            out.push(at..stop);
        }
        i = end.max(i + 1);
    }
    out
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
    fn phone_numbers_in_arabic_stay_one_left_to_right_run() {
        let text = "اتصل بالرقم +1 (555) 010-0199 أو راجع";
        let l = levels(text, "ar");
        let start = text.find('+').unwrap();
        let end = text.find("0199").unwrap() + 4;
        assert!(l.by_byte[start..end].iter().all(|&v| v == 2), "{:?}", &l.by_byte[start..end]);
        assert_eq!(l.by_byte[end], 1);
        assert_eq!(grouped_numbers("tel 2026-10-01, 12 and (555) 1"), [4..14, 23..30]);
    }

    #[test]
    fn left_to_right_text_has_level_zero_without_running_the_algorithm() {
        assert_eq!(levels("Plain text, 12 (3)", "en").by_byte, vec![0; 18]);
        // An explicit embedding still counts.
        assert_eq!(levels("a\u{202E}b", "en").by_byte.last(), Some(&1));
    }

    #[test]
    fn runs_reorder_by_level() {
        assert_eq!(visual_order(&[1, 2, 1]), [2, 1, 0]);
        assert_eq!(visual_order(&[0, 1, 1, 0]), [0, 2, 1, 3]);
    }
}
