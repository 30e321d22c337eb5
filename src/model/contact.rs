//! Loading the contact profile (`contact.yaml`, SPEC §3).

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use super::build::Builder;
use super::build::Step;
use super::load::{guard, read, valid_lang};
use super::raw::{RawLabelMap, Str};
use super::{Contact, LabelOverrides, Text};
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
];
const LABEL_KEYS: &[&str] = &["phone", "after_hours", "email", "website", "page", "of"];

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
    let Some(entries) = b.top_level(doc, CONTACT_KEYS, "a contact profile") else {
        return Err(b.errors);
    };
    for (key, value) in entries {
        let steps = [Step::Key(&key)];
        if key == "labels" {
            raw_labels = b.typed::<RawLabelMap>(&steps, value, LABEL_KEYS).unwrap_or_default();
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
    check_values(&mut b, [&phone, &after_hours], &email, &website);
    let logo = logo.and_then(|l| check_logo(&mut b, path, &l));
    let mut labels = BTreeMap::new();
    for (lang, l) in raw_labels {
        let lp = format!("labels.{lang}");
        if !valid_lang(&lang) {
            b.errors.push(
                Diagnostic::error(format!("`{lang}` is not a language tag"))
                    .at(b.key_span(&lp))
                    .hint("use a BCP 47 tag such as es, vi, zh-Hans"),
            );
        }
        let mut f = |key: &str, v: Option<Str>| v.map(|v| b.text(&format!("{lp}.{key}"), v).value);
        let o = LabelOverrides {
            phone: f("phone", l.phone),
            after_hours: f("after_hours", l.after_hours),
            email: f("email", l.email),
            website: f("website", l.website),
            page: f("page", l.page),
            of: f("of", l.of),
        };
        labels.insert(lang, o);
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
    })
}

/// Phone numbers have digits, emails look like emails, websites start with http(s)://.
fn check_values(b: &mut Builder, phones: [&Option<Text>; 2], email: &Option<Text>, website: &Option<Text>) {
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
