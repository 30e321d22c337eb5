//! Localized furniture: the footer's words ("Phone", "Page 1 of 2"), the "Reviewed" date
//! line, list numbers and page numbers, for the 29 languages in [`LANGUAGES`]. A contact
//! profile's `labels:` overrides any label for any language.
//!
//! Words are a hand-written table (`table`); dates and digits come from CLDR (`dates`).
//! A language without built-in labels gets English words; [`Furniture::fallbacks`] names
//! what fell back so that `check` can warn.

mod dates;
mod table;

use std::borrow::Cow;
use std::collections::BTreeMap;

pub use dates::{english_date, format_date, number};

use crate::model::{Contact, ContactTranslation, LabelOverrides};

/// Footer and title-block labels for one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// Before the main phone number.
    pub phone: String,
    /// Before the after-hours number.
    pub after_hours: String,
    /// Before the email address (empty: the address speaks for itself).
    pub email: String,
    /// Before the website (empty: the address speaks for itself).
    pub website: String,
    /// "Page" in "Page N of M".
    pub page: String,
    /// "of" in "Page N of M".
    pub of: String,
    /// The order of "Page N of M": `{page}`, `{n}`, `{of}` and `{m}` stand for the words
    /// and numbers (`第 {n} {page}，{of} {m} {page}` in Chinese).
    pub page_of: String,
    /// Before the review date.
    pub reviewed: String,
    /// After a callout's title repeated on the next page ("(continued)").
    pub continued: String,
}

/// The languages with built-in labels, English first: primary subtags, and `zh-Hans` /
/// `zh-Hant` for the two Chinese scripts.
pub const LANGUAGES: [&str; 29] = {
    let mut out = [""; 29];
    let mut i = 0;
    while i < table::ROWS.len() {
        out[i] = table::ROWS[i].key;
        i += 1;
    }
    out
};

/// The language a tag is matched on: its primary subtag lowercased (`pt-BR` → `pt`,
/// `iw` → `he`, `fil` → `tl`), and for Chinese the script: `zh-Hant`, `zh-TW`, `zh-HK`
/// and `zh-MO` → `zh-Hant`; any other `zh` → `zh-Hans`.
pub fn canonical(lang: &str) -> String {
    let mut parts = lang.split(['-', '_']).map(str::to_ascii_lowercase);
    let primary = parts.next().unwrap_or_default();
    match primary.as_str() {
        "zh" => {
            let rest: Vec<String> = parts.collect();
            let traditional = rest.iter().any(|p| p == "hant")
                || (!rest.iter().any(|p| p == "hans")
                    && rest.iter().any(|p| matches!(p.as_str(), "tw" | "hk" | "mo")));
            if traditional { "zh-Hant" } else { "zh-Hans" }.to_string()
        }
        "iw" => "he".to_string(),
        "fil" => "tl".to_string(),
        _ => primary,
    }
}

/// The built-in table's key for a language tag, if it has built-in labels.
pub fn key(lang: &str) -> Option<&'static str> {
    let c = canonical(lang);
    LANGUAGES.into_iter().find(|k| *k == c)
}

/// Returns true if and only if the language has built-in labels (not the English fallback).
pub fn is_builtin(lang: &str) -> bool {
    key(lang).is_some()
}

/// The built-in labels for a language tag, if it has them.
pub fn builtin(lang: &str) -> Option<Labels> {
    let k = key(lang)?;
    table::ROWS.iter().find(|r| r.key == k).map(labels_of)
}

/// The English labels, the fallback.
pub fn english() -> Labels {
    labels_of(&table::ROWS[0])
}

fn labels_of(r: &table::Row) -> Labels {
    Labels {
        phone: r.phone.to_string(),
        after_hours: r.after_hours.to_string(),
        email: String::new(),
        website: String::new(),
        page: r.page.to_string(),
        of: r.of.to_string(),
        page_of: r.page_of.to_string(),
        reviewed: r.reviewed.to_string(),
        continued: r.continued.to_string(),
    }
}

/// The entry of a per-language map (a profile's `labels:` or `translations:`) that
/// serves `lang`: the same tag (any case) first, else one that matches on
/// [`canonical`] (`pt` serves `pt-BR`; `zh-TW` serves `zh-Hant`; `zh` does not serve
/// `zh-Hant`).
pub fn pick<'a, T>(map: &'a BTreeMap<String, T>, lang: &str) -> Option<&'a T> {
    let norm = |s: &str| s.replace('_', "-").to_ascii_lowercase();
    let want = norm(lang);
    map.iter()
        .find(|(k, _)| norm(k) == want)
        .or_else(|| {
            let c = canonical(lang);
            map.iter().find(|(k, _)| canonical(k) == c)
        })
        .map(|(_, v)| v)
}

/// The labels a document uses, and which of them are English stand-ins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Furniture {
    /// Built-in labels with the profile's overrides applied.
    pub labels: Labels,
    /// The label keys (`phone`, `page`, …) shown in English because the language has
    /// no built-in labels and the profile does not set them. Never `email` or `website`,
    /// which are empty in every language.
    pub fallbacks: Vec<&'static str>,
}

/// The labels for a document in `lang`: its built-in labels (English when it has none),
/// with `overrides` (the profile's `labels:` entry for the language) applied.
pub fn furniture(lang: &str, overrides: Option<&LabelOverrides>) -> Furniture {
    let builtin = builtin(lang);
    let own = builtin.is_some();
    let mut labels = builtin.unwrap_or_else(english);
    let mut fallbacks = Vec::new();
    let empty = LabelOverrides::default();
    let o = overrides.unwrap_or(&empty);
    let slots: [(&'static str, &mut String, &Option<String>); 9] = [
        ("phone", &mut labels.phone, &o.phone),
        ("after_hours", &mut labels.after_hours, &o.after_hours),
        ("email", &mut labels.email, &o.email),
        ("website", &mut labels.website, &o.website),
        ("page", &mut labels.page, &o.page),
        ("of", &mut labels.of, &o.of),
        ("page_of", &mut labels.page_of, &o.page_of),
        ("reviewed", &mut labels.reviewed, &o.reviewed),
        ("continued", &mut labels.continued, &o.continued),
    ];
    for (name, slot, over) in slots {
        match over {
            Some(v) => *slot = v.clone(),
            None if !own && !matches!(name, "email" | "website" | "page_of") => fallbacks.push(name),
            None => {}
        }
    }
    Furniture { labels, fallbacks }
}

/// "Page N of M": the template's `{page}`, `{of}`, `{n}` and `{m}` replaced in one pass
/// (a label that itself contains `{n}` is printed as written), the numbers in the
/// language's digits.
pub fn page_of(labels: &Labels, lang: &str, n: usize, m: usize) -> String {
    let mut out = String::new();
    let mut rest = labels.page_of.as_str();
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let (text, len) = if after.starts_with("{page}") {
            (labels.page.clone(), 6)
        } else if after.starts_with("{of}") {
            (labels.of.clone(), 4)
        } else if after.starts_with("{n}") {
            (number(lang, n), 3)
        } else if after.starts_with("{m}") {
            (number(lang, m), 3)
        } else {
            ("{".to_string(), 1)
        };
        out.push_str(&text);
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// The placeholders a `page_of` template may use; a template must have `{n}` and `{m}`.
pub const PAGE_OF_PLACEHOLDERS: [&str; 4] = ["{page}", "{of}", "{n}", "{m}"];

/// A numbered list's marker ("1.", "۱.", "১.") in the language's digits.
pub fn number_marker(lang: &str, n: usize) -> String {
    format!("{}.", number(lang, n))
}

/// The review line ("Reviewed October 1, 2026"), and whether the date is in the
/// document's language (false: it fell back to English).
pub fn reviewed_line(labels: &Labels, lang: &str, year: u16, month: u8, day: u8) -> (String, bool) {
    let (date, localized) = match format_date(lang, year, month, day) {
        Some(d) => (d, true),
        None => (english_date(year, month, day), false),
    };
    // A full-width colon already separates (审核日期：2026年…).
    let sep = if labels.reviewed.ends_with('：') || labels.reviewed.is_empty() { "" } else { " " };
    (format!("{}{sep}{date}", labels.reviewed), localized)
}

/// The contact profile as a document in `lang` shows it: the fields the profile
/// translates for the language (`translations:`) replace its own.
pub fn localized_contact<'a>(contact: &'a Contact, lang: &str) -> Cow<'a, Contact> {
    let Some(t) = pick(&contact.translations, lang) else {
        return Cow::Borrowed(contact);
    };
    let mut c = contact.clone();
    for name in ContactTranslation::FIELDS {
        if let Some(v) = t.field(name) {
            c.set_field(name, v.clone());
        }
    }
    Cow::Owned(c)
}

#[cfg(test)]
mod tests;
