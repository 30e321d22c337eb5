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
}

impl Values {
    /// The value for a placeholder name, trying `--set`, the data row, then the contact
    /// profile (`contact.FIELD`).
    fn lookup<'a>(&'a self, name: &str, contact: &'a Contact) -> Option<&'a str> {
        if let Some(v) = self.set.get(name).or_else(|| self.row.get(name)) {
            return Some(v);
        }
        let field = name.strip_prefix("contact.")?;
        contact.field(field).map(|t| t.value.as_str())
    }

    /// Every name a placeholder could use, for did-you-mean hints.
    fn known(&self, contact: &Contact) -> Vec<String> {
        let mut names: Vec<String> = self.set.keys().chain(self.row.keys()).cloned().collect();
        names.extend(
            Contact::FIELDS.iter().filter(|f| contact.field(f).is_some()).map(|f| format!("contact.{f}")),
        );
        names
    }
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
}

/// Fills every `{{name}}` of `text`; collects an error for each one that cannot be filled.
pub fn fill(text: &Text, values: &Values, contact: &Contact, errors: &mut Vec<Diagnostic>) -> Filled {
    let src = &text.value;
    if !src.contains("{{") && !src.contains("}}") {
        return Filled { value: src.clone(), origin: text.clone(), verbatim: true };
    }
    let mut out = String::with_capacity(src.len());
    let mut rest = 0;
    // Copies literal text, flagging a `}}` that closes nothing.
    let copy = |out: &mut String, from: usize, to: usize, errors: &mut Vec<Diagnostic>| {
        if let Some(stray) = src[from..to].find("}}") {
            errors.push(
                Diagnostic::error("`}}` without an opening `{{`")
                    .at(text.span_at(from + stray))
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
                    .at(text.span_at(open))
                    .hint("write a placeholder as {{name}}, or remove the braces"),
            );
            rest = src.len();
            break;
        };
        let name = src[open + 2..close].trim();
        match values.lookup(name, contact) {
            Some(v) => out.push_str(v),
            None => {
                let known = values.known(contact);
                let refs: Vec<&str> = known.iter().map(String::as_str).collect();
                let mut d = Diagnostic::error(format!("placeholder `{{{{{name}}}}}` has no value"))
                    .at(text.span_at(open));
                if let Some(s) = did_you_mean(name, &refs) {
                    d = d.hint(format!("did you mean `{{{{{s}}}}}`?"));
                }
                d = if let Some(field) = name.strip_prefix("contact.") {
                    if Contact::FIELDS.contains(&field) {
                        d.hint(format!(
                            "add `{field}:` to the contact profile, or pass --set contact.{field}=VALUE"
                        ))
                    } else {
                        d.hint(format!("contact fields are: {}", Contact::FIELDS.join(", ")))
                    }
                } else {
                    d.hint(format!("pass --set {name}=VALUE, or add a `{name}` column to the --data file"))
                };
                errors.push(d);
            }
        }
        rest = close + 2;
    }
    copy(&mut out, rest.min(src.len()), src.len(), errors);
    Filled { value: out, origin: text.clone(), verbatim: false }
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
        let f = fill(&text("Hi {{ name }}, call {{contact.phone}}."), &v, &contact(), &mut errs);
        assert!(errs.is_empty());
        assert_eq!(f.value, "Hi Ana, call ignored: contact.* is not a --set value here.");
        v.set.insert("name".into(), "Bo".into());
        let f = fill(&text("Hi {{name}}"), &v, &contact(), &mut errs);
        assert_eq!(f.value, "Hi Bo");
    }

    #[test]
    fn unfilled_placeholder_points_at_its_column() {
        let mut errs = vec![];
        fill(&text("Call {{contact.phne}} now"), &Values::default(), &contact(), &mut errs);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].span, Some(Span::new("h.yaml", 3, 15)));
        assert!(errs[0].hints[0].contains("contact.phone"), "{:?}", errs[0].hints);
    }

    #[test]
    fn unclosed_braces_are_errors() {
        let mut errs = vec![];
        fill(&text("Call {{phone now"), &Values::default(), &contact(), &mut errs);
        assert_eq!(errs.len(), 1);
    }
}
