//! `{{name}}` placeholders: filled from `--set`, the data row, then the contact profile.
//!
//! A placeholder that cannot be filled is an error at its own line and column: a PDF
//! never shows `{{` `}}` to a patient.

use std::collections::BTreeMap;

use crate::diag::{did_you_mean, Diagnostic};
use crate::model::{Contact, Text};

/// Where placeholder values come from, in the order they are tried.
#[derive(Clone, Debug, Default)]
pub struct Values {
    /// `--set name=value` (not `contact.*`; those change the profile itself).
    pub set: BTreeMap<String, String>,
    /// The current `--data` row, column → value.
    pub row: BTreeMap<String, String>,
    /// Where the row comes from ("row 3 of `patients.csv`"), for messages.
    pub row_label: Option<String>,
}

/// Where a value came from, for messages about it.
enum Origin {
    Set,
    Row,
    Contact,
}

impl Values {
    /// The value for a placeholder name, trying `--set`, the data row, then the contact
    /// profile (`contact.FIELD`).
    fn lookup<'a>(&'a self, name: &str, contact: &'a Contact) -> Option<(&'a str, Origin)> {
        if let Some(v) = self.set.get(name) {
            return Some((v, Origin::Set));
        }
        if let Some(v) = self.row.get(name) {
            return Some((v, Origin::Row));
        }
        let field = name.strip_prefix("contact.")?;
        contact.field(field).map(|t| (t.value.as_str(), Origin::Contact))
    }

    fn describe(&self, name: &str, origin: &Origin) -> String {
        match origin {
            Origin::Set => format!("--set {name}"),
            Origin::Row => match &self.row_label {
                Some(r) => format!("column `{name}` of {r}"),
                None => format!("column `{name}` of the data row"),
            },
            Origin::Contact => format!("the contact profile's `{}`", name.trim_start_matches("contact.")),
        }
    }
}

/// Escapes every ASCII punctuation character with a backslash (CommonMark backslash
/// escapes), so a value is shown as the literal text it is: never emphasis, a link, an
/// autolink or raw HTML, whatever it contains.
pub fn escape_markup(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    for c in value.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The placeholder names a text uses (`{{name}}` and `{{name|date}}` both give `name`).
pub fn names_in(src: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = 0;
    while let Some(open) = src[rest..].find("{{").map(|i| rest + i) {
        let Some(close) = src[open + 2..].find("}}").map(|i| open + 2 + i) else { break };
        let inner = &src[open + 2..close];
        names.push(inner.split('|').next().unwrap_or("").trim().to_string());
        rest = close + 2;
    }
    names
}

/// Parses an ISO date `YYYY-MM-DD` (a time after it, as spreadsheets export, is ignored).
fn iso_date(s: &str) -> Option<(u16, u8, u8)> {
    let s = s.trim();
    let date = s.get(..10)?;
    if s.len() > 10 && !s[10..].starts_with(['T', ' ']) {
        return None;
    }
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year: u16 = date[..4].parse().ok()?;
    let month: u8 = date[5..7].parse().ok()?;
    let day: u8 = date[8..10].parse().ok()?;
    let days = crate::model::Date::days_in_month(year, month)?;
    (1..=days).contains(&day).then_some((year, month, day))
}

/// A string after placeholders were filled, with the text it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filled {
    /// The text with every placeholder replaced.
    pub value: String,
    /// The original text (for diagnostics).
    pub origin: Text,
    /// True if and only if no placeholder was replaced, so offsets into `value` are
    /// offsets into `origin.value`.
    pub verbatim: bool,
}

impl Filled {
    /// The place of byte `offset` of `value` in the source file.
    pub fn span_at(&self, offset: usize) -> crate::diag::Span {
        if self.verbatim {
            self.origin.span_at(offset)
        } else {
            self.origin.span.clone()
        }
    }

    /// The place of the `len` characters from byte `offset` of `value` (see
    /// [`Text::span_of`]); the whole original text when placeholders were replaced.
    pub fn span_of(&self, offset: usize, len: usize) -> crate::diag::Span {
        if self.verbatim {
            self.origin.span_of(offset, len)
        } else {
            self.origin.span.clone()
        }
    }
}

/// Fills every `{{name}}` of `text`; collects an error for each one that cannot be filled.
///
/// Values are plain text: they are escaped so markup parsing shows them literally, and a
/// value holding `{{` or `}}` is an error (a PDF never shows braces to a patient).
/// `{{name|date}}` prints an ISO date value (`2026-12-03`) the way `lang` writes dates.
pub fn fill(
    text: &Text,
    values: &Values,
    contact: &Contact,
    lang: &str,
    errors: &mut Vec<Diagnostic>,
) -> Filled {
    fill_with(text, values, contact, lang, errors, escape_markup)
}

/// [`fill`] for a text that is not markup (what a QR code encodes): values go in as
/// they are, unescaped.
pub fn fill_plain(
    text: &Text,
    values: &Values,
    contact: &Contact,
    lang: &str,
    errors: &mut Vec<Diagnostic>,
) -> Filled {
    fill_with(text, values, contact, lang, errors, str::to_string)
}

fn fill_with(
    text: &Text,
    values: &Values,
    contact: &Contact,
    lang: &str,
    errors: &mut Vec<Diagnostic>,
    escape: impl Fn(&str) -> String,
) -> Filled {
    let src = &text.value;
    if !src.contains("{{") && !src.contains("}}") {
        return Filled { value: src.clone(), origin: text.clone(), verbatim: true };
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = 0;
    // The place of byte `at`: counting characters up to it is linear in the line, so
    // past the errors a document shows (`diag::cap`) the string's start will do; a
    // paragraph of 60,000 unfilled placeholders stays linear.
    let place = |errors: &Vec<Diagnostic>, at: usize| {
        if errors.len() < crate::diag::MAX_DIAGNOSTICS {
            // The carets cover the placeholder (or the stray braces) whole.
            let len = match src[at..].strip_prefix("{{") {
                Some(rest) => rest.find("}}").map_or(2, |i| src[at..at + i + 4].chars().count()),
                None => 2,
            };
            text.span_of(at, len)
        } else {
            text.span.clone()
        }
    };
    // Copies literal text, flagging a `}}` that closes nothing.
    let copy = |out: &mut String, from: usize, to: usize, errors: &mut Vec<Diagnostic>| {
        if let Some(stray) = src[from..to].find("}}") {
            errors.push(
                Diagnostic::error("`}}` without an opening `{{`")
                    .at(place(errors, from + stray))
                    .hint("write a placeholder as {{name}}, or remove the braces"),
            );
        }
        out.push_str(&src[from..to]);
    };
    while let Some(open) = src[rest..].find("{{").map(|i| rest + i) {
        copy(&mut out, rest, open, errors);
        let Some(close) = src[open + 2..].find("}}").map(|i| open + 2 + i) else {
            errors.push(
                Diagnostic::error("`{{` without a closing `}}`")
                    .at(place(errors, open))
                    .hint("write a placeholder as {{name}}, or remove the braces"),
            );
            rest = src.len();
            break;
        };
        let inner = &src[open + 2..close];
        let (name, format) = match inner.split_once('|') {
            Some((n, f)) => (n.trim(), Some(f.trim())),
            None => (inner.trim(), None),
        };
        match (values.lookup(name, contact), format) {
            (_, Some(f)) if f != "date" => errors.push(
                Diagnostic::error(format!("unknown format `{f}` in `{{{{{inner}}}}}`"))
                    .at(place(errors, open))
                    .hint(format!(
                        "the only format is `date`: {{{{{name}|date}}}} prints a YYYY-MM-DD value as a date"
                    )),
            ),
            (Some((v, origin)), _) if v.contains("{{") || v.contains("}}") => errors.push(
                Diagnostic::error(format!(
                    "the value of {} contains `{{{{` or `}}}}`; values are plain text, never placeholders",
                    values.describe(name, &origin)
                ))
                .at(place(errors, open))
                .hint("remove the braces from the value"),
            ),
            (Some((v, origin)), Some(_)) => match iso_date(v) {
                Some((y, m, d)) => {
                    // A language CLDR has no date format for gets the English date, as the
                    // reviewed line does (`check` warns about that language).
                    let date = super::labels::format_date(lang, y, m, d)
                        .unwrap_or_else(|| super::labels::english_date(y, m, d));
                    out.push_str(&escape(&date))
                }
                None => errors.push(
                    Diagnostic::error(format!(
                        "`{{{{{inner}}}}}`: the value of {} is `{v}`, not a date",
                        values.describe(name, &origin)
                    ))
                    .at(place(errors, open))
                    .hint("write dates as YYYY-MM-DD, e.g. 2026-12-03"),
                ),
            },
            (Some((v, _)), None) => out.push_str(&escape(v)),
            (None, _) => errors.push(unfilled(name, place(errors, open), values, contact)),
        }
        rest = close + 2;
    }
    copy(&mut out, rest.min(src.len()), src.len(), errors);
    Filled { value: out, origin: text.clone(), verbatim: false }
}

/// The error for a placeholder without a value. A did-you-mean only ever points at the
/// template's side when the name is a contact field (a fixed list); for other names a
/// similar `--set` key or column is named as the likely typo, never the reverse.
///
/// A contact field the profile lacks is named as missing from the profile's file (not
/// matched against the other fields: `after_hours` is not a typo for `hours`).
fn unfilled(name: &str, at: crate::diag::Span, values: &Values, contact: &Contact) -> Diagnostic {
    let mut d = Diagnostic::error(format!("placeholder `{{{{{name}}}}}` has no value")).at(at);
    if let Some(field) = name.strip_prefix("contact.") {
        if Contact::FIELDS.contains(&field) {
            return Diagnostic::error(format!(
                "placeholder `{{{{{name}}}}}` has no value: the contact profile has no `{field}`"
            ))
            .at_opt(d.span)
            .hint(format!(
                "add `{field}: …` to {}, or pass --set contact.{field}=VALUE",
                contact.path.display()
            ));
        }
        let fields: Vec<String> = Contact::FIELDS.iter().map(|f| format!("contact.{f}")).collect();
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        if let Some(s) = did_you_mean(name, &refs) {
            d = d.hint(format!("did you mean `{{{{{s}}}}}`?"));
        }
        return d.hint(format!("contact fields are: {}", Contact::FIELDS.join(", ")));
    }
    if let Some(k) = did_you_mean(name, &values.set.keys().map(String::as_str).collect::<Vec<_>>()) {
        d = d.hint(format!("--set {k}=… was given: is `{k}` a typo for `{name}`? (pass --set {name}=VALUE)"));
    } else if let Some(k) = did_you_mean(name, &values.row.keys().map(String::as_str).collect::<Vec<_>>()) {
        d = d.hint(format!(
            "the data has a column `{k}`: is it a typo for `{name}`? (rename the column to `{name}`)"
        ));
    }
    d.hint(format!("pass --set {name}=VALUE, or add a `{name}` column to the --data file"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;

    fn contact() -> Contact {
        Contact {
            path: "contact.yaml".into(),
            organization: Text::synthetic("Riverside", Span::file("c")),
            department: None,
            phone: Some(Text::synthetic("555", Span::file("c"))),
            after_hours: None,
            email: None,
            website: None,
            address: None,
            hours: None,
            logo: None,
            labels: Default::default(),
            translations: Default::default(),
        }
    }

    fn text(s: &str) -> Text {
        Text { value: s.into(), span: Span::new("h.yaml", 3, 10), exact: true }
    }

    #[test]
    fn fills_in_order_set_row_contact() {
        let mut v = Values::default();
        v.row.insert("name".into(), "Ana".into());
        v.set.insert("contact.phone".into(), "ignored: contact.* is not a --set value here".into());
        let mut errs = vec![];
        let f = fill(&text("Hi {{ name }}, call {{contact.phone}}."), &v, &contact(), "en", &mut errs);
        assert!(errs.is_empty());
        assert_eq!(
            f.value,
            format!("Hi Ana, call {}.", escape_markup("ignored: contact.* is not a --set value here"))
        );
        v.set.insert("name".into(), "Bo".into());
        let f = fill(&text("Hi {{name}}"), &v, &contact(), "en", &mut errs);
        assert_eq!(f.value, "Hi Bo");
    }

    #[test]
    fn unfilled_placeholder_points_at_its_column() {
        let mut errs = vec![];
        fill(&text("Call {{contact.phne}} now"), &Values::default(), &contact(), "en", &mut errs);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].span, Some(Span::new("h.yaml", 3, 15)));
        assert!(errs[0].hints[0].contains("contact.phone"), "{:?}", errs[0].hints);
    }

    #[test]
    fn a_contact_field_the_profile_lacks_names_the_profile() {
        let mut errs = vec![];
        fill(&text("Nights: {{contact.after_hours}}"), &Values::default(), &contact(), "en", &mut errs);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("the contact profile has no `after_hours`"), "{}", errs[0].message);
        let hints = errs[0].hints.join("\n");
        assert!(hints.contains("add `after_hours: …` to contact.yaml"), "{hints}");
        assert!(!hints.contains("did you mean"), "{hints}");
    }

    #[test]
    fn unclosed_braces_are_errors() {
        let mut errs = vec![];
        fill(&text("Call {{phone now"), &Values::default(), &contact(), "en", &mut errs);
        assert_eq!(errs.len(), 1);
    }

    #[test]
    fn values_are_plain_text_never_markup_or_placeholders() {
        let mut v = Values::default();
        v.set.insert("name".into(), "**Bold** [click](https://evil.example)".into());
        let mut errs = vec![];
        let f = fill(&text("Hi {{name}}"), &v, &contact(), "en", &mut errs);
        assert!(errs.is_empty());
        let spans = crate::text::parse_inline(&f.value);
        assert_eq!(spans.len(), 1, "{spans:?}");
        assert_eq!(spans[0].text, "Hi **Bold** [click](https://evil.example)");
        assert!(spans[0].link.is_none() && !spans[0].style.bold);
        v.row.insert("other".into(), "{{contact.phone}}".into());
        v.row_label = Some("row 4 of `d.csv`".into());
        fill(&text("Hi {{other}}"), &v, &contact(), "en", &mut errs);
        assert_eq!(errs.len(), 1);
        assert!(errs[0].message.contains("column `other` of row 4 of `d.csv`"), "{}", errs[0].message);
    }

    #[test]
    fn date_format_follows_the_language() {
        let mut v = Values::default();
        v.row.insert("visit".into(), "2026-12-03".into());
        v.row.insert("bad".into(), "2026-02-30".into());
        let mut errs = vec![];
        let f = fill(&text("On {{visit|date}}"), &v, &contact(), "es", &mut errs);
        assert_eq!(
            crate::text::markup::plain_text(&crate::text::parse_inline(&f.value)),
            "On 3 de diciembre de 2026"
        );
        fill(&text("On {{bad|date}} {{visit|upper}}"), &v, &contact(), "en", &mut errs);
        assert_eq!(errs.len(), 2, "{errs:?}");
        assert_eq!(names_in("a {{ x|date }} {{y}}"), ["x", "y"]);
    }

    #[test]
    fn a_typo_in_a_set_key_is_named_as_the_typo() {
        let mut v = Values::default();
        v.set.insert("patient_nmae".into(), "Ana".into());
        let mut errs = vec![];
        fill(&text("Hi {{patient_name}}"), &v, &contact(), "en", &mut errs);
        let hints = errs[0].hints.join("\n");
        assert!(hints.contains("is `patient_nmae` a typo for `patient_name`"), "{hints}");
        assert!(!hints.contains("did you mean `{{patient_nmae}}`"), "{hints}");
    }
}
