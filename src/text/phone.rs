//! Phone numbers as links: the printed number → a `tel:` target a phone dials right.
//!
//! Keeping only the digits of "+1 (555) 010-0199 ext. 4455" dials 15550100199 4455 as
//! one number, and "1-800-DOCTORS" becomes `tel:1800`. The `phonenumber` crate (Google's
//! libphonenumber rules and metadata) reads the number as a person would: the country
//! code, the national number, an extension (`ext.`, `x`, `#`), and letters on a keypad.

use phonenumber::{country, Mode};

/// A printed phone number, read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    /// The link: `tel:` + E.164 (`tel:+15550100199`), then `;ext=4455` for an
    /// extension (RFC 3966); `None` if the text is not a phone number at all.
    pub link: Option<String>,
    /// Something the author should check, for `handout check`: letters that were mapped
    /// to keypad digits, or letters that spell no number (then there is no link).
    pub warning: Option<String>,
}

/// How a number without a leading `+` is read: as in the North American Numbering Plan
/// (the US and Canada, `+1`), so "(555) 010-0199" and "1-800-…" link as they dial
/// there. Clinics elsewhere write their numbers with `+` and the country code.
const DEFAULT_REGION: country::Id = country::Id::US;

/// Reads a printed phone number.
pub fn read(printed: &str) -> Phone {
    let text = printed.trim();
    if let Some(link) = plain_north_american(text) {
        return Phone { link: Some(link), warning: None };
    }
    read_with_libphonenumber(text)
}

/// The link of a North American number written with digits and separators only
/// ("+1 (555) 010-0199", "(555) 010-0199", "1-555-010-0199"): `+1` and its ten digits,
/// which is what libphonenumber makes of it. Read without libphonenumber, whose
/// metadata and patterns take 70 ms to load: most of a one-document run, for the
/// numbers almost every US clinic prints. Anything else (another country, an
/// extension, letters) goes to libphonenumber.
fn plain_north_american(text: &str) -> Option<String> {
    if !text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '(' | ')' | '-' | '.' | '+' | '\u{a0}'))
    {
        return None;
    }
    let (international, rest) = match text.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if rest.contains('+') {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let national = match (international, digits.len()) {
        (true, 11) | (false, 11) => digits.strip_prefix('1')?,
        (false, 10) => digits.as_str(),
        _ => return None,
    };
    // libphonenumber reads a national number starting with 0 or 1 differently (a trunk
    // or national prefix); those go to it.
    if national.starts_with(['0', '1']) {
        return None;
    }
    Some(format!("tel:+1{national}"))
}

/// [`read`] through libphonenumber's rules and metadata.
fn read_with_libphonenumber(text: &str) -> Phone {
    let has_letters = text.chars().any(|c| c.is_ascii_alphabetic()) && !only_extension_words(text);
    let international = text.starts_with('+');
    let parsed = if international {
        phonenumber::parse(None, text)
    } else {
        phonenumber::parse(Some(DEFAULT_REGION), text)
    };
    let Ok(number) = parsed else {
        if has_letters {
            return Phone {
                link: None,
                warning: Some(format!(
                    "`{text}` has letters that do not spell a phone number, so it is printed without a link"
                )),
            };
        }
        // Not a number libphonenumber can read (a short local number, a typo): its digits
        // are the best guess at what a phone should dial.
        let digits: String = text
            .chars()
            .enumerate()
            .filter(|&(i, c)| c.is_ascii_digit() || (c == '+' && i == 0))
            .map(|(_, c)| c)
            .collect();
        let link = (digits.trim_start_matches('+').len() >= 3).then(|| format!("tel:{digits}"));
        return Phone { link, warning: None };
    };
    let mut link = format!("tel:{}", number.format().mode(Mode::E164));
    if let Some(ext) = number.extension() {
        link.push_str(";ext=");
        link.push_str(ext);
    }
    let warning = has_letters.then(|| {
        let shown = number.format().mode(Mode::International).to_string();
        format!("`{text}` has letters: its link dials {shown}; check that this is the number")
    });
    Phone { link: Some(link), warning }
}

/// True if the only letters of `text` are an extension's word (`ext.`, `x`, `ext`).
fn only_extension_words(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let rest = lower.replace("extension", "").replace("ext", "").replace('x', "");
    !rest.chars().any(|c| c.is_ascii_alphabetic())
}

/// The `tel:` link of a printed number, if it is one.
pub fn tel_link(printed: &str) -> Option<String> {
    read(printed).link
}

/// A `tel:` link target as written in a handout (`tel:+1-555-010-0199`), normalized
/// the same way; targets that cannot be read stay as written.
pub fn normalize_tel(target: &str) -> String {
    thread_local! {
        /// Targets already read: a handout repeats its clinic's number, and each text is
        /// parsed for markup more than once.
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, String>> = Default::default();
    }
    if let Some(done) = SEEN.with(|m| m.borrow().get(target).cloned()) {
        return done;
    }
    let Some(number) = target.strip_prefix("tel:").or_else(|| target.strip_prefix("TEL:")) else {
        return target.to_string();
    };
    // `tel:` targets may already carry `;ext=`; read it as the extension it is.
    let number = number.replace("%20", " ").replace(";ext=", " ext. ");
    let link = tel_link(&number).unwrap_or_else(|| target.to_string());
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() < 1024 {
            m.insert(target.to_string(), link.clone());
        }
    });
    link
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_with_extensions() {
        assert_eq!(tel_link("+1 (555) 010-0199").as_deref(), Some("tel:+15550100199"));
        assert_eq!(tel_link("+1 (555) 010-0199 ext. 4455").as_deref(), Some("tel:+15550100199;ext=4455"));
        assert_eq!(tel_link("+1 555 010 0199 x12").as_deref(), Some("tel:+15550100199;ext=12"));
        assert_eq!(tel_link("+44 20 7946 0018").as_deref(), Some("tel:+442079460018"));
        assert_eq!(read("+44 20 7946 0018").warning, None);
        assert_eq!(normalize_tel("tel:+1-555-010-0199;ext=7"), "tel:+15550100199;ext=7");
    }

    #[test]
    fn letters_are_mapped_with_a_warning() {
        let p = read("1-800-DOCTORS");
        assert_eq!(p.link.as_deref(), Some("tel:+18003628677"));
        assert!(p.warning.unwrap().contains("has letters"));
        // An extension's word is not a letter to map.
        assert!(!read("+1 (555) 010-0199 ext. 4455").warning.is_some_and(|w| w.contains("letters")));
    }

    #[test]
    fn plain_north_american_numbers_read_as_libphonenumber_reads_them() {
        for n in [
            "+1 (555) 010-0199",
            "+1 555.010.0199",
            "(555) 010-0199",
            "555-010-0199",
            "1-555-010-0199",
            "1 (212) 555\u{a0}0100",
            "+1-800-555-0100",
        ] {
            let fast = plain_north_american(n);
            assert!(fast.is_some(), "{n} takes the fast path");
            assert_eq!(fast, read_with_libphonenumber(n).link, "{n}");
        }
        // Everything else is libphonenumber's.
        for n in [
            "+44 20 7946 0018",
            "+1 (555) 010-0199 ext. 4455",
            "1-800-DOCTORS",
            "555-0100",
            "+1 055 010 0199",
            "911",
        ] {
            assert_eq!(plain_north_american(n), None, "{n}");
        }
    }

    #[test]
    fn not_a_number_has_no_link() {
        assert_eq!(tel_link("call us"), None);
        assert!(read("call us").warning.is_some());
    }
}
