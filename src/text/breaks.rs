//! Line-break opportunities of a paragraph's text.
//!
//! UAX #14 through `unicode-linebreak` (which keeps the CJK punctuation rules: no line
//! starts with a closing mark or ends with an opening one), then the project's own
//! rules on top:
//! - a number written in groups ("+1 (555) 010-0199") never breaks: a patient must be
//!   able to read a phone number on one line;
//! - Korean breaks at spaces only, never between the Hangul syllables of a word (the
//!   usual Korean typesetting; UAX #14 alone would allow a break after every syllable).

use unicode_linebreak::{linebreaks, BreakOpportunity};
use unicode_segmentation::GraphemeCursor;

/// A place where a line may or must end: after byte `at` of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Break {
    /// Byte offset of the break (a character boundary); the last one is the text's end.
    pub at: usize,
    /// True for a hard break (a newline in the text) and for the end of the text.
    pub mandatory: bool,
}

/// The break opportunities of `text`, in order; the last is always at `text.len()`.
pub fn break_opportunities(text: &str) -> Vec<Break> {
    let mut out: Vec<Break> = linebreaks(text)
        .map(|(at, op)| Break { at, mandatory: op == BreakOpportunity::Mandatory })
        .filter(|b| b.at == text.len() || is_grapheme_boundary(text, b.at))
        .filter(|b| b.mandatory || (!inside_number(text, b.at) && !inside_hangul_word(text, b.at)))
        .collect();
    if out.last().is_none_or(|b| b.at != text.len()) {
        out.push(Break { at: text.len(), mandatory: true });
    }
    out
}

/// Returns true if and only if byte `at` is between two grapheme clusters: a line never
/// separates a mark from its base (UAX #14 alone allows a break between a space and a
/// combining mark after it).
fn is_grapheme_boundary(text: &str, at: usize) -> bool {
    GraphemeCursor::new(at, text.len(), true).is_boundary(text, 0).unwrap_or(true)
}

/// Returns true if and only if a break at byte `at` would split a number written in
/// groups, like the space in "+1 (555) 010-0199".
fn inside_number(text: &str, at: usize) -> bool {
    let before = text[..at].strip_suffix(' ');
    let prev = before.and_then(|b| b.chars().next_back());
    let next = text[at..].chars().next();
    matches!(prev, Some(c) if c.is_ascii_digit() || c == ')')
        && matches!(next, Some(c) if c.is_ascii_digit() || c == '(')
}

/// Hangul syllables and jamo.
fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{A960}'..='\u{A97F}' | '\u{D7B0}'..='\u{D7FF}')
}

/// Returns true if and only if byte `at` lies between two Hangul characters (inside a
/// Korean word).
fn inside_hangul_word(text: &str, at: usize) -> bool {
    let prev = text[..at].chars().next_back();
    let next = text[at..].chars().next();
    prev.is_some_and(is_hangul) && next.is_some_and(is_hangul)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segments(text: &str) -> Vec<&str> {
        let mut start = 0;
        break_opportunities(text)
            .into_iter()
            .map(|b| {
                let s = &text[start..b.at];
                start = b.at;
                s
            })
            .collect()
    }

    #[test]
    fn words_and_hyphens() {
        assert_eq!(segments("Lie flat for one-hour."), ["Lie ", "flat ", "for ", "one-", "hour."]);
    }

    #[test]
    fn phone_numbers_stay_whole() {
        assert_eq!(segments("Call +1 (555) 010-0199 now"), ["Call ", "+1 (555) 010-0199 ", "now"]);
    }

    #[test]
    fn korean_breaks_at_spaces_only() {
        assert_eq!(segments("허리 천자 검사를 받습니다."), ["허리 ", "천자 ", "검사를 ", "받습니다."]);
    }

    #[test]
    fn chinese_breaks_between_characters_but_not_before_closing_punctuation() {
        let s = segments("请躺平。然后");
        assert!(s.len() >= 4, "{s:?}");
        assert!(s.iter().all(|seg| !seg.starts_with('。')), "{s:?}");
    }

    #[test]
    fn a_mark_after_a_space_stays_with_it() {
        assert_eq!(segments("a \u{301}b c"), ["a \u{301}b ", "c"]);
    }

    #[test]
    fn empty_text_has_one_end() {
        assert_eq!(break_opportunities(""), [Break { at: 0, mandatory: true }]);
    }
}
