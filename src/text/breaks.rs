//! Line-break opportunities of a paragraph's text.
//!
//! UAX #14 through `unicode-linebreak` (which keeps the CJK punctuation rules: no line
//! starts with a closing mark or ends with an opening one), then the project's own
//! rules on top:
//! - a number written in groups ("+1 (555) 010-0199") never breaks: a patient must be
//!   able to read a phone number on one line;
//! - Thai, Lao, Khmer and Burmese, written without spaces between words, break between
//!   words found in ICU4X's dictionaries (`icu_segmenter`, compiled data); UAX #14
//!   alone gives no break inside such a run, so a long line would be cut mid-word;
//! - Korean breaks at spaces only, never between the Hangul syllables of a word (the
//!   usual Korean typesetting; UAX #14 alone would allow a break after every syllable);
//! - a web address (`https://…`, `http://…`, `www.…`) or an email address breaks only
//!   after `/`, `?`, `&`, `=` or `.`, never at a hyphen: a hyphen at a line's end reads
//!   as a word split in two, and `pdftotext` drops it when it joins the lines, so the
//!   address copied out of the PDF would be wrong.

use unicode_linebreak::{linebreaks, BreakOpportunity};
use unicode_segmentation::GraphemeCursor;

/// A place where a line may or must end: after byte `at` of the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Break {
    /// Byte offset of the break (a character boundary); the last one is the text's end.
    pub at: usize,
    /// True for a hard break (a newline in the text) and for the end of the text.
    pub mandatory: bool,
    /// True for a break inside a web or email address: layout takes it only when the
    /// whole address does not fit on a line of its own.
    pub in_address: bool,
}

/// The break opportunities of `text`, in order; the last is always at `text.len()`.
pub fn break_opportunities(text: &str) -> Vec<Break> {
    let mut found: Vec<Break> = linebreaks(text)
        .map(|(at, op)| Break { at, mandatory: op == BreakOpportunity::Mandatory, in_address: false })
        .collect();
    if text.chars().any(is_dictionary_script) {
        found.extend(dictionary_breaks(text).into_iter().map(|at| Break {
            at,
            mandatory: false,
            in_address: false,
        }));
        found.sort_by_key(|b| (b.at, !b.mandatory));
        found.dedup_by_key(|b| b.at);
    }
    let mut out: Vec<Break> = found
        .into_iter()
        .filter(|b| b.at == text.len() || is_grapheme_boundary(text, b.at))
        .filter(|b| b.mandatory || (!inside_number(text, b.at) && !inside_hangul_word(text, b.at)))
        .collect();
    if out.last().is_none_or(|b| b.at != text.len()) {
        out.push(Break { at: text.len(), mandatory: true, in_address: false });
    }
    let addresses = addresses(text);
    if !addresses.is_empty() {
        out = address_breaks(text, out, &addresses);
    }
    out
}

/// Characters a web or email address may break after.
const ADDRESS_BREAK_AFTER: [char; 5] = ['/', '?', '&', '=', '.'];

/// The byte ranges of the web and email addresses in `text`: a run of non-blank
/// characters that starts with `http://`, `https://` or `www.`, or that holds an `@`
/// between two address characters, without the punctuation that ends a sentence.
fn addresses(text: &str) -> Vec<(usize, usize)> {
    if !text.contains("://") && !text.contains("www.") && !text.contains('@') {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        if !c.is_whitespace() {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        let Some(s) = start.take() else { continue };
        let token = &text[s..i];
        // Opening punctuation before the address (`(`, `<`, a quote) is not part of it.
        let lead = token.len() - token.trim_start_matches(['(', '<', '"', '\'', '[', '“', '‘']).len();
        let body = &token[lead..];
        let lower = body.get(..8).unwrap_or(body).to_ascii_lowercase();
        let web = lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.");
        let email = body.split_once('@').is_some_and(|(a, b)| {
            !a.is_empty()
                && b.contains('.')
                && a.chars().chain(b.chars()).all(|c| c.is_alphanumeric() || "._%+-@>)".contains(c))
        });
        if web || email {
            let trimmed =
                body.trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '>', '"', '\'', ']', '”', '’']);
            out.push((s + lead, s + lead + trimmed.len()));
        }
    }
    out
}

/// Replaces the break opportunities strictly inside each address by breaks after
/// [`ADDRESS_BREAK_AFTER`] characters (never right after `://` or inside `//`).
fn address_breaks(text: &str, breaks: Vec<Break>, addresses: &[(usize, usize)]) -> Vec<Break> {
    // Addresses come in text order and never overlap: the one that could hold `at` is the
    // last that starts before it (a search, not a scan: a paragraph of 95,000 addresses
    // took 6 s when every break looked at every address).
    let inside = |at: usize| {
        let k = addresses.partition_point(|&(s, _)| s < at);
        k > 0 && at < addresses[k - 1].1
    };
    let mut out: Vec<Break> = breaks.into_iter().filter(|b| b.mandatory || !inside(b.at)).collect();
    for &(s, e) in addresses {
        for (i, c) in text[s..e].char_indices() {
            let at = s + i + c.len_utf8();
            let next = text[at..].chars().next();
            if at < e && ADDRESS_BREAK_AFTER.contains(&c) && next != Some('/') && !text[..at].ends_with("://")
            {
                out.push(Break { at, mandatory: false, in_address: true });
            }
        }
    }
    out.sort_by_key(|b| (b.at, !b.mandatory));
    out.dedup_by_key(|b| b.at);
    out
}

/// Thai, Lao, Myanmar and Khmer: scripts written without spaces between words.
fn is_dictionary_script(c: char) -> bool {
    matches!(c, '\u{0E00}'..='\u{0EFF}' | '\u{1000}'..='\u{109F}' | '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}' | '\u{AA60}'..='\u{AA7F}' | '\u{A9E0}'..='\u{A9FF}')
}

/// Word boundaries inside runs of [`is_dictionary_script`] text, from ICU4X's line
/// segmenter with its dictionaries; boundaries elsewhere are left to UAX #14.
fn dictionary_breaks(text: &str) -> Vec<usize> {
    let segmenter = icu_segmenter::LineSegmenter::new_dictionary(Default::default());
    segmenter
        .segment_str(text)
        .filter(|&at| {
            let prev = text[..at].chars().next_back();
            let next = text[at..].chars().next();
            prev.is_some_and(is_dictionary_script) && next.is_some_and(is_dictionary_script)
        })
        .collect()
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

/// Returns true if and only if byte `at` lies inside a Korean word: not after white
/// space, with Hangul on either side. Korean words are written with spaces between them,
/// so `010-0199(으)로` and `허리가` stay whole (UAX #14 allows a break before each
/// syllable and after the closing parenthesis).
fn inside_hangul_word(text: &str, at: usize) -> bool {
    let prev = text[..at].chars().next_back();
    let next = text[at..].chars().next();
    prev.is_some_and(|p| !p.is_whitespace()) && (prev.is_some_and(is_hangul) || next.is_some_and(is_hangul))
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
    fn addresses_break_only_after_slash_query_and_dot() {
        let url = "https://riverside.example/patient-education/lp?lang=en&size=large-print";
        let text = format!("See <{url}>. Then rest.");
        let s = segments(&text);
        assert_eq!(
            s,
            [
                "See ",
                "<https://riverside.",
                "example/",
                "patient-education/",
                "lp?",
                "lang=",
                "en&",
                "size=",
                "large-print>. ",
                "Then ",
                "rest."
            ]
        );
        // Never at a hyphen inside an address; words outside it keep theirs.
        assert!(segments("mail nurse-line@riverside-clinic.example now")
            .contains(&"nurse-line@riverside-clinic."));
        assert_eq!(segments("one-hour www.a-b.example"), ["one-", "hour ", "www.", "a-b.", "example"]);
    }

    #[test]
    fn phone_numbers_stay_whole() {
        assert_eq!(segments("Call +1 (555) 010-0199 now"), ["Call ", "+1 (555) 010-0199 ", "now"]);
    }

    #[test]
    fn korean_breaks_at_spaces_only() {
        assert_eq!(segments("허리 천자 검사를 받습니다."), ["허리 ", "천자 ", "검사를 ", "받습니다."]);
        // A number or a parenthesis inside a Korean word keeps it whole.
        assert_eq!(segments("+1 (555) 010-0199(으)로 전화"), ["+1 (555) 010-0199(으)로 ", "전화"]);
        assert_eq!(segments("아세트아미노펜(타이레놀, Tylenol)"), ["아세트아미노펜(타이레놀, ", "Tylenol)"]);
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
    fn thai_breaks_between_words() {
        // "Drink a lot of water before the test" without spaces, as Thai is written.
        let s = segments("ดื่มน้ำมากๆก่อนการตรวจ");
        assert!(s.len() >= 3, "{s:?}");
        assert!(s.contains(&"น้ำ") || s.iter().any(|w| w.starts_with("น้ำ")), "{s:?}");
        for w in &s {
            assert!(!w.starts_with(['\u{0E49}', '\u{0E48}', '\u{0E31}', '\u{0E34}', '\u{0E33}']), "{s:?}");
        }
    }

    #[test]
    fn khmer_breaks_between_words() {
        assert!(segments("សូមផឹកទឹកឱ្យបានច្រើន").len() >= 3);
    }

    #[test]
    fn empty_text_has_one_end() {
        assert_eq!(break_opportunities(""), [Break { at: 0, mandatory: true, in_address: false }]);
    }
}
