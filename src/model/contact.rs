//! Loading the contact profile (`contact.yaml`, SPEC §3).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::build::Builder;
use super::build::Step;
use super::load::{guard, read, valid_lang};
use super::raw::{RawLabelMap, RawTranslationMap, Str};
use super::{Contact, ContactTranslation, LabelOverrides, Text};
use crate::diag::{Diagnostic, Diagnostics, Span};

const CONTACT_KEYS: &[&str] = &[
    "organization",
    "department",
    "phone",
    "after_hours",
    "email",
    "website",
    "address",
    "hours",
    "logo",
    "labels",
    "translations",
];
const LABEL_KEYS: &[&str] =
    &["phone", "after_hours", "email", "website", "page", "of", "page_of", "reviewed", "continued"];
const TRANSLATION_KEYS: &[&str] = &ContactTranslation::FIELDS;

/// Reads and parses a contact profile.
pub fn load_contact(path: &Path) -> Result<Contact, Diagnostics> {
    let bytes = read(path)?;
    parse_contact(path, &bytes)
}

/// Parses a contact profile from bytes; the logo path is resolved against `path`'s folder
/// (the logo must exist and be named .png, .jpg or .jpeg; it is not read here).
pub fn parse_contact(path: &Path, bytes: &[u8]) -> Result<Contact, Diagnostics> {
    let name: Arc<str> = path.display().to_string().into();
    let (positions, doc) = guard(path, bytes)?;
    let mut b = Builder::new(name.clone(), &positions);
    let mut fields: BTreeMap<String, Text> = BTreeMap::new();
    let mut logo = None;
    let mut raw_labels = RawLabelMap::new();
    let mut raw_translations = RawTranslationMap::new();
    let Some(entries) = b.top_level(doc, CONTACT_KEYS, "a contact profile") else {
        return Err(b.errors);
    };
    for (key, value) in entries {
        let steps = [Step::Key(&key)];
        if key == "labels" {
            raw_labels = b.typed::<RawLabelMap>(&steps, value, LABEL_KEYS).unwrap_or_default();
        } else if key == "translations" {
            raw_translations =
                b.typed::<RawTranslationMap>(&steps, value, TRANSLATION_KEYS).unwrap_or_default();
        } else if let Some(s) = b.typed::<Str>(&steps, value, &[]) {
            if key == "logo" {
                logo = Some(s.0);
            } else {
                let t = b.text(&key, s);
                fields.insert(key, t);
            }
        }
    }
    let organization = match fields.remove("organization") {
        Some(o) => o,
        None => {
            if positions.key("organization").is_none() {
                b.errors.push(
                    Diagnostic::error("missing `organization`")
                        .at(Span::new(name.clone(), 1, 1))
                        .hint("add `organization: Your Clinic Name`; it is printed in every footer"),
                );
            }
            Text::synthetic("", Span::file(name.clone()))
        }
    };
    let mut take = |k: &str| fields.remove(k);
    let (department, phone, after_hours) = (take("department"), take("phone"), take("after_hours"));
    let (email, website, address, hours) = (take("email"), take("website"), take("address"), take("hours"));
    let reach = ["phone", "email", "website"];
    if phone.is_none()
        && email.is_none()
        && website.is_none()
        && reach.iter().all(|k| positions.key(k).is_none())
    {
        b.errors.push(
            Diagnostic::error("the contact profile needs a way to reach the clinic")
                .at(Span::new(name.clone(), 1, 1))
                .hint("add at least one of `phone:`, `email:` or `website:`"),
        );
    }
    b.errors.extend(value_errors([&phone, &after_hours], &email, &website));
    let logo = logo.and_then(|l| check_logo(&mut b, path, &l));
    let mut labels = BTreeMap::new();
    for (lang, l) in raw_labels {
        let lp = format!("labels.{lang}");
        check_lang(&mut b, &lang, &lp);
        let mut f = |key: &str, v: Option<Str>| v.map(|v| b.text(&format!("{lp}.{key}"), v));
        let page_of = f("page_of", l.page_of);
        let o = LabelOverrides {
            phone: f("phone", l.phone).map(|t| t.value),
            after_hours: f("after_hours", l.after_hours).map(|t| t.value),
            email: f("email", l.email).map(|t| t.value),
            website: f("website", l.website).map(|t| t.value),
            page: f("page", l.page).map(|t| t.value),
            of: f("of", l.of).map(|t| t.value),
            reviewed: f("reviewed", l.reviewed).map(|t| t.value),
            continued: f("continued", l.continued).map(|t| t.value),
            page_of: page_of.map(|t| check_page_of(&mut b, t)),
        };
        labels.insert(lang, o);
    }
    let mut translations = BTreeMap::new();
    for (lang, t) in raw_translations {
        let tp = format!("translations.{lang}");
        check_lang(&mut b, &lang, &tp);
        let span = b.key_span(&tp);
        let mut f = |key: &str, v: Option<Str>| v.map(|v| b.text(&format!("{tp}.{key}"), v));
        let t = ContactTranslation {
            span,
            organization: f("organization", t.organization),
            department: f("department", t.department),
            address: f("address", t.address),
            hours: f("hours", t.hours),
        };
        translations.insert(lang, t);
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    Ok(Contact {
        path: path.to_path_buf(),
        organization,
        department,
        phone,
        after_hours,
        email,
        website,
        address,
        hours,
        logo,
        labels,
        translations,
    })
}

/// A `labels:` or `translations:` key must be a language tag.
fn check_lang(b: &mut Builder, lang: &str, path: &str) {
    if !valid_lang(lang) {
        b.errors.push(
            Diagnostic::error(format!("`{lang}` is not a language tag"))
                .at(b.key_span(path))
                .hint("use a BCP 47 tag such as es, vi, zh-Hans"),
        );
    }
}

/// A `page_of` label must place both numbers, `{n}` and `{m}`, and name no other
/// placeholder than `{page}` and `{of}`.
fn check_page_of(b: &mut Builder, t: Text) -> String {
    let known = ["{page}", "{of}", "{n}", "{m}"];
    let mut unknown = Vec::new();
    let mut rest = t.value.as_str();
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        match known.iter().find(|k| after.starts_with(**k)) {
            Some(k) => rest = &after[k.len()..],
            None => {
                let end = after.find('}').map_or(after.len(), |e| e + 1);
                unknown.push(after[..end].to_string());
                rest = &after[end..];
            }
        }
    }
    let missing: Vec<&str> = ["{n}", "{m}"].into_iter().filter(|k| !t.value.contains(k)).collect();
    if !unknown.is_empty() {
        b.errors.push(
            Diagnostic::error(format!("`page_of` has an unknown placeholder `{}`", unknown[0]))
                .at(t.span.clone())
                .hint("use {n} (this page), {m} (the page count), {page} and {of} (the labels)"),
        );
    } else if !missing.is_empty() {
        b.errors.push(
            Diagnostic::error(format!("`page_of` has no `{}`", missing.join("` or `")))
                .at(t.span.clone())
                .hint("write both numbers, e.g. \"{page} {n} {of} {m}\""),
        );
    }
    t.value
}

/// The errors of a value given for contact field `field` outside the profile (`--set
/// contact.FIELD=VALUE`): the checks the profile's own values get, an empty
/// organization, and control characters. Each message names the `--set`.
pub fn override_errors(field: &str, value: &Text) -> Diagnostics {
    let none = None;
    let some = Some(value.clone());
    let mut out = match field {
        "phone" | "after_hours" => value_errors([&some, &none], &none, &none),
        "email" => value_errors([&none, &none], &some, &none),
        "website" => value_errors([&none, &none], &none, &some),
        _ => Vec::new(),
    };
    if field == "organization" && value.value.trim().is_empty() {
        out.push(Diagnostic::error("the organization cannot be empty").hint("give the clinic's name"));
    }
    if let Some(c) = value.value.chars().find(|&c| c.is_control()) {
        out.push(Diagnostic::error(format!("control character U+{:04X} is not text", u32::from(c))));
    }
    for d in &mut out {
        d.message = format!("--set contact.{field}: {}", d.message);
        d.span = None;
    }
    out
}

/// Phone numbers have digits, emails look like emails, websites start with http(s)://.
fn value_errors(phones: [&Option<Text>; 2], email: &Option<Text>, website: &Option<Text>) -> Diagnostics {
    let mut b = ValueErrors { errors: Vec::new() };
    let b = &mut b;
    for p in phones.into_iter().flatten() {
        if !p.value.trim().is_empty() && !p.value.chars().any(|c| c.is_ascii_digit()) {
            b.errors.push(
                Diagnostic::error(format!("`{}` is not a phone number", p.value))
                    .at(p.span.clone())
                    .hint("write the number with its digits, e.g. \"+1 (555) 010-0199\""),
            );
        }
    }
    if let Some(e) = email.as_ref().filter(|e| !e.value.trim().is_empty()) {
        let v = e.value.trim();
        let ok = v.split_once('@').is_some_and(|(u, d)| {
            !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.') && !d.contains("..")
        }) && !v.contains(char::is_whitespace)
            && v.matches('@').count() == 1;
        if !ok {
            b.errors.push(
                Diagnostic::error(format!("`{v}` is not an email address"))
                    .at(e.span.clone())
                    .hint("write it as name@example.org"),
            );
        }
    }
    if let Some(w) = website.as_ref().filter(|w| !w.value.trim().is_empty()) {
        let v = w.value.trim();
        let lower = v.to_ascii_lowercase();
        let host = lower.strip_prefix("https://").or_else(|| lower.strip_prefix("http://"));
        if host.is_none_or(|h| h.is_empty()) || v.contains(char::is_whitespace) {
            let bare = v.split_once("://").map_or(v, |(_, rest)| rest).trim_start_matches("www.");
            b.errors.push(
                Diagnostic::error(format!("`{v}` is not a web address"))
                    .at(w.span.clone())
                    .hint(format!("start it with https://, e.g. https://{bare}")),
            );
        }
    }
    std::mem::take(&mut b.errors)
}

/// Where [`value_errors`] collects.
struct ValueErrors {
    errors: Diagnostics,
}

/// The logo's path, relative to the profile's folder: it must be a .png, .jpg or .jpeg
/// file that exists (its content is checked when it is decoded).
fn check_logo(b: &mut Builder, profile: &Path, l: &str) -> Option<(std::path::PathBuf, Span)> {
    let span = b.span("logo");
    if l.trim().is_empty() {
        b.errors
            .push(Diagnostic::error("`logo` is empty").at(span).hint("give it a value, or remove the key"));
        return None;
    }
    let dir = profile.parent().unwrap_or(Path::new(""));
    let file = dir.join(l.trim());
    let ext = file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    if !matches!(ext.as_deref(), Some("png" | "jpg" | "jpeg")) {
        b.errors.push(
            Diagnostic::error(format!("logo `{l}` is not a PNG or JPEG file"))
                .at(span)
                .hint("use a .png, .jpg or .jpeg file"),
        );
        None
    } else if !file.is_file() {
        let what = if file.exists() { "is not a regular file" } else { "does not exist" };
        b.errors.push(
            Diagnostic::error(format!("logo `{}` {what}", file.display()))
                .at(span)
                .hint("the path is relative to the contact profile's folder; fix it or remove `logo:`"),
        );
        None
    } else {
        Some((file, span))
    }
}
