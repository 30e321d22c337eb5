//! Loading: file bytes → [`Handout`] or [`Contact`], with every problem at
//! `file:line:col`.
//!
//! Order of checks: size and emptiness, UTF-8, then the YAML event pass of
//! [`positions`](super::positions) (syntax, aliases, anchors, depth, and the position
//! index), then serde_yaml into private raw structs (unknown keys, wrong types), then
//! validation of values (empty text, language tags, dates, callouts, contact details).

use std::path::Path;
use std::sync::Arc;

use super::positions::{self, Positions};
use super::raw::{describe, serde_error, RawBlock, RawContact, RawHandout, RawItem, BLOCK_KEYS};
use super::*;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Span};

/// Largest input file accepted: handouts are a few KB; anything this big is a mistake
/// or an attack.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

const HANDOUT_KEYS: &[&str] = &["title", "subtitle", "lang", "summary", "keywords", "reviewed", "body"];
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

// ---------------------------------------------------------------------------------
// Reading and guarding.

/// Reads a file, refusing huge ones before reading them.
fn read(path: &Path) -> Result<Vec<u8>, Diagnostics> {
    let file = Span::file(path.display().to_string());
    let meta = std::fs::metadata(path).map_err(|e| {
        vec![Diagnostic::error(format!("cannot read `{}`: {e}", path.display())).at(file.clone())]
    })?;
    if meta.len() > MAX_INPUT_BYTES as u64 {
        return Err(vec![too_big(path, meta.len() as usize)]);
    }
    std::fs::read(path)
        .map_err(|e| vec![Diagnostic::error(format!("cannot read `{}`: {e}", path.display())).at(file)])
}

fn too_big(path: &Path, len: usize) -> Diagnostic {
    Diagnostic::error(format!("file is {} KiB; inputs over 1 MiB are refused", len / 1024))
        .at(Span::file(path.display().to_string()))
        .hint("a handout is a few KB of text; check that this is the right file")
}

/// Size, emptiness, UTF-8 and the YAML event pass. Returns the text and its positions.
fn guard<'a>(path: &Path, bytes: &'a [u8]) -> Result<(&'a str, Positions), Diagnostics> {
    let name: Arc<str> = path.display().to_string().into();
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(vec![too_big(path, bytes.len())]);
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = good.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = good.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let col = String::from_utf8_lossy(&good[line_start..]).chars().count() + 1;
        vec![Diagnostic::error("the file is not valid UTF-8 text")
            .at(Span::new(name.clone(), line, col))
            .hint("save the file as UTF-8 in your editor")]
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let blank = text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    });
    if blank {
        return Err(vec![Diagnostic::error("the file is empty")
            .at(Span::file(name))
            .hint("a handout needs at least `title:` and `body:`; `handout new NAME` writes a starter")]);
    }
    let positions = positions::index(text).map_err(|e| {
        let mut d = Diagnostic::error(e.message).at(Span::new(name.clone(), e.pos.line, e.pos.col));
        if let Some(h) = e.hint {
            d = d.hint(h);
        }
        vec![d]
    })?;
    Ok((text, positions))
}

/// Builds [`Text`] values from raw strings, with positions from the index, and collects
/// value errors.
struct Builder<'a> {
    name: Arc<str>,
    positions: &'a Positions,
    errors: Diagnostics,
}

impl Builder<'_> {
    fn span(&self, path: &str) -> Span {
        match self.positions.get(path) {
            Some(p) => Span::new(self.name.clone(), p.line, p.col),
            None => Span::file(self.name.clone()),
        }
    }

    fn key_span(&self, path: &str) -> Span {
        match self.positions.key(path).or_else(|| self.positions.get(path)) {
            Some(p) => Span::new(self.name.clone(), p.line, p.col),
            None => Span::file(self.name.clone()),
        }
    }

    /// A text value; empty (or only white space) is an error.
    fn text(&mut self, path: &str, value: String) -> Text {
        let p = self.positions.get(path);
        let span = self.span(path);
        if value.trim().is_empty() {
            let key = path.rsplit('.').next().unwrap_or(path);
            self.errors.push(
                Diagnostic::error(format!("`{key}` is empty"))
                    .at(span.clone())
                    .hint("give it a value, or remove it"),
            );
        }
        Text { value, span, exact: p.is_some_and(|p| p.exact) }
    }

    fn opt(&mut self, path: &str, value: Option<String>) -> Option<Text> {
        value.map(|v| self.text(path, v))
    }

    fn list(&mut self, path: &str, kind: ListKind, items: Vec<RawItem>, nested_allowed: bool) -> List {
        if items.is_empty() {
            self.errors.push(
                Diagnostic::error("the list is empty")
                    .at(self.span(path))
                    .hint("add items starting with `- `, or remove the list"),
            );
        }
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.into_iter().enumerate() {
            let ipath = format!("{path}[{i}]");
            match item {
                RawItem::Text(t) => out.push(ListItem { text: self.text(&ipath, t), nested: None }),
                RawItem::Nested(n) => {
                    let text = self.text(&format!("{ipath}.text"), n.text);
                    let nested = match (n.bullets, n.steps) {
                        (Some(_), Some(_)) => {
                            self.errors.push(
                                Diagnostic::error(
                                    "an item has one nested list: `bullets` or `steps`, not both",
                                )
                                .at(self.key_span(&format!("{ipath}.steps"))),
                            );
                            None
                        }
                        (Some(v), None) => {
                            self.nested(&format!("{ipath}.bullets"), ListKind::Bullets, v, nested_allowed)
                        }
                        (None, Some(v)) => {
                            self.nested(&format!("{ipath}.steps"), ListKind::Steps, v, nested_allowed)
                        }
                        (None, None) => None,
                    };
                    out.push(ListItem { text, nested });
                }
            }
        }
        List { kind, items: out }
    }

    fn nested(
        &mut self,
        path: &str,
        kind: ListKind,
        values: Vec<serde_yaml::Value>,
        allowed: bool,
    ) -> Option<List> {
        if !allowed {
            self.errors.push(
                Diagnostic::error("lists nest one level deep")
                    .at(self.key_span(path))
                    .hint("make these items part of the list above, or a new list after it"),
            );
            return None;
        }
        let mut items = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            let ipath = format!("{path}[{i}]");
            match v {
                serde_yaml::Value::String(s) => items.push(RawItem::Text(s)),
                serde_yaml::Value::Mapping(_) | serde_yaml::Value::Sequence(_) => {
                    let at = if self.positions.key(&format!("{ipath}.text")).is_some() {
                        self.key_span(&format!("{ipath}.text"))
                    } else {
                        self.span(&ipath)
                    };
                    self.errors.push(
                        Diagnostic::error("lists nest one level deep")
                            .at(at)
                            .hint("items of a nested list are plain text"),
                    );
                }
                serde_yaml::Value::Number(n) => items.push(RawItem::Text(n.to_string())),
                serde_yaml::Value::Bool(b) => items.push(RawItem::Text(b.to_string())),
                _ => self.errors.push(Diagnostic::error("the list item is empty").at(self.span(&ipath))),
            }
        }
        if items.is_empty() && !self.errors.is_empty() {
            return None;
        }
        Some(self.list(path, kind, items, false))
    }
}

/// Returns true if and only if `tag` looks like a BCP 47 language tag.
pub fn valid_lang(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=8).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn parse_date(s: &str) -> Option<Date> {
    let b = s.trim().as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| std::str::from_utf8(&b[r]).ok()?.parse::<u16>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (year >= 1900 && (1..=days).contains(&day)).then_some(Date { year, month: month as u8, day: day as u8 })
}

/// Splits `NAME.yaml` / `NAME.LANG.yaml` into the id and the language tag.
pub fn parse_file_name(path: &Path) -> Result<(String, Option<String>), Diagnostic> {
    let file = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let bad = |why: &str| {
        Diagnostic::error(format!("`{file}` is not a handout file name: {why}"))
            .at(Span::file(path.display().to_string()))
            .hint("name handouts NAME.yaml or NAME.LANG.yaml, e.g. knee-care.yaml, knee-care.es.yaml, knee-care.zh-Hans.yaml")
    };
    let stem = file
        .strip_suffix(".yaml")
        .or_else(|| file.strip_suffix(".yml"))
        .ok_or_else(|| bad("it does not end in .yaml"))?;
    let (id, lang) = match stem.split_once('.') {
        Some((id, lang)) => (id, Some(lang)),
        None => (stem, None),
    };
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(bad("the name may only have lowercase letters, digits and `-`"));
    }
    if let Some(l) = lang {
        if !valid_lang(l) {
            return Err(bad(&format!("`{l}` is not a language tag")));
        }
    }
    Ok((id.to_string(), lang.map(str::to_string)))
}

// ---------------------------------------------------------------------------------
// Handouts.

/// A deserialization error inside body block `i`, placed by its path: unknown keys at
/// the key, other errors at the value.
fn block_error(b: &Builder<'_>, i: usize, e: &serde_path_to_error::Error<serde_yaml::Error>) -> Diagnostic {
    let inner = e.inner().to_string();
    let mut path = format!("body[{i}]");
    for segment in e.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            serde_path_to_error::Segment::Map { key }
            | serde_path_to_error::Segment::Enum { variant: key } => {
                path.push('.');
                path.push_str(key);
            }
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    // Errors that name a key are placed at that key.
    let unknown = inner
        .strip_prefix("unknown field `")
        .or_else(|| inner.split_once("also has `").map(|(_, r)| r))
        .and_then(|r| r.split('`').next());
    let span = match unknown {
        // The path may already end at the key (serde_path_to_error records the key it
        // was reading), or stop at the map that holds it.
        Some(key) if path.ends_with(&format!(".{key}")) => b.key_span(&path),
        Some(key) => b.key_span(&format!("{path}.{key}")),
        None => b.span(&path),
    };
    describe(&inner, Some(span), BLOCK_KEYS)
}

/// Reads and parses a handout file.
pub fn load_handout(path: &Path) -> Result<Handout, Diagnostics> {
    let bytes = read(path)?;
    parse_handout(path, &bytes)
}

/// Parses a handout from bytes; `path` gives its id, language and the file name in
/// messages. Collects every problem it can find.
pub fn parse_handout(path: &Path, bytes: &[u8]) -> Result<Handout, Diagnostics> {
    let name: Arc<str> = path.display().to_string().into();
    let (id, file_lang) = parse_file_name(path).map_err(|d| vec![d])?;
    let (text, positions) = guard(path, bytes)?;
    let raw: RawHandout =
        serde_yaml::from_str(text).map_err(|e| vec![serde_error(&name, &e, HANDOUT_KEYS)])?;
    let mut b = Builder { name: name.clone(), positions: &positions, errors: Vec::new() };
    let title = match raw.title {
        Some(t) => b.text("title", t),
        None => {
            b.errors.push(
                Diagnostic::error("missing `title`")
                    .at(Span::new(name.clone(), 1, 1))
                    .hint("add `title: …` at the top"),
            );
            Text::synthetic("", Span::file(name.clone()))
        }
    };
    let subtitle = b.opt("subtitle", raw.subtitle);
    let summary = b.opt("summary", raw.summary);
    let keywords = raw
        .keywords
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, k)| b.text(&format!("keywords[{i}]"), k))
        .collect();
    let lang = match raw.lang {
        Some(l) => {
            let span = b.span("lang");
            let l = l.trim().to_string();
            if !valid_lang(&l) {
                b.errors.push(
                    Diagnostic::error(format!("`{l}` is not a language tag"))
                        .at(span)
                        .hint("use a BCP 47 tag such as en, es, vi, zh-Hans, pt-BR"),
                );
            } else if let Some(f) = &file_lang {
                if !f.eq_ignore_ascii_case(&l) {
                    b.errors.push(
                        Diagnostic::error(format!(
                            "`lang: {l}` disagrees with the file name, which says `{f}`"
                        ))
                        .at(span)
                        .hint(format!("rename the file to {id}.{l}.yaml or change `lang` to {f}")),
                    );
                }
            }
            l
        }
        None => file_lang.clone().unwrap_or_else(|| "en".into()),
    };
    let reviewed = raw.reviewed.and_then(|r| {
        let span = b.span("reviewed");
        match parse_date(&r) {
            Some(d) => Some((d, span)),
            None => {
                b.errors.push(
                    Diagnostic::error(format!("`{r}` is not a date"))
                        .at(span)
                        .hint("write the date as YYYY-MM-DD, e.g. 2026-10-01"),
                );
                None
            }
        }
    });
    let raw_body = raw.body.unwrap_or_default();
    if raw_body.is_empty() {
        let span = b
            .positions
            .key("body")
            .map_or(Span::new(name.clone(), 1, 1), |p| Span::new(name.clone(), p.line, p.col));
        b.errors.push(
            Diagnostic::error("the handout has no body")
                .at(span)
                .hint("add `body:` with at least one paragraph, e.g. `body:\\n  - Some text.`"),
        );
    }
    // Each block on its own, so a mistake in one block does not hide the next one.
    let mut blocks = Vec::with_capacity(raw_body.len());
    for (i, value) in raw_body.into_iter().enumerate() {
        match serde_path_to_error::deserialize::<_, RawBlock>(value) {
            Ok(block) => blocks.push((i, block)),
            Err(e) => b.errors.push(block_error(&b, i, &e)),
        }
    }
    let mut body = Vec::with_capacity(blocks.len());
    for (i, block) in blocks {
        let p = format!("body[{i}]");
        body.push(match block {
            RawBlock::Heading(t) => Block::Heading(b.text(&format!("{p}.heading"), t)),
            RawBlock::Subheading(t) => Block::Subheading(b.text(&format!("{p}.subheading"), t)),
            RawBlock::Paragraph(t) => {
                let path = if b
                    .positions
                    .get(&p)
                    .is_some_and(|_| b.positions.get(&format!("{p}.paragraph")).is_none())
                {
                    p.clone()
                } else {
                    format!("{p}.paragraph")
                };
                Block::Paragraph(b.text(&path, t))
            }
            RawBlock::Bullets(items) => {
                Block::List(b.list(&format!("{p}.bullets"), ListKind::Bullets, items, true))
            }
            RawBlock::Steps(items) => {
                Block::List(b.list(&format!("{p}.steps"), ListKind::Steps, items, true))
            }
            RawBlock::Callout(c) => {
                let cp = format!("{p}.callout");
                let span = b.key_span(&cp);
                let kind = match c.kind.as_deref().map(str::trim) {
                    None | Some("note") => CalloutKind::Note,
                    Some("warning") => CalloutKind::Warning,
                    Some("urgent") => CalloutKind::Urgent,
                    Some(other) => {
                        let mut d = Diagnostic::error(format!("unknown callout kind `{other}`"))
                            .at(b.span(&format!("{cp}.kind")));
                        if let Some(s) = did_you_mean(other, &["note", "warning", "urgent"]) {
                            d = d.hint(format!("did you mean `{s}`?"));
                        }
                        b.errors.push(d.hint("kinds are note, warning and urgent"));
                        CalloutKind::Note
                    }
                };
                let title = b.opt(&format!("{cp}.title"), c.title);
                let text = b.opt(&format!("{cp}.text"), c.text);
                let list = match (c.bullets, c.steps) {
                    (Some(_), Some(_)) => {
                        b.errors.push(
                            Diagnostic::error("a callout has one list: `bullets` or `steps`, not both")
                                .at(b.key_span(&format!("{cp}.steps"))),
                        );
                        None
                    }
                    (Some(v), None) => Some(b.list(&format!("{cp}.bullets"), ListKind::Bullets, v, true)),
                    (None, Some(v)) => Some(b.list(&format!("{cp}.steps"), ListKind::Steps, v, true)),
                    (None, None) => None,
                };
                if title.is_none() && text.is_none() && list.is_none() {
                    b.errors.push(
                        Diagnostic::error("the callout is empty")
                            .at(span.clone())
                            .hint("give it a `title`, a `text` or a list (`bullets` or `steps`)"),
                    );
                }
                Block::Callout(Callout { kind, title, text, list, span })
            }
            RawBlock::PageBreak(yes) => {
                let span = b.span(&format!("{p}.page_break"));
                if !yes {
                    b.errors.push(
                        Diagnostic::error("`page_break: false` does nothing")
                            .at(span.clone())
                            .hint("remove the line, or write `page_break: true`"),
                    );
                }
                Block::PageBreak(span)
            }
        });
    }
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    Ok(Handout { id, path: path.to_path_buf(), lang, title, subtitle, summary, keywords, reviewed, body })
}

// ---------------------------------------------------------------------------------
// Contact profiles.

/// Reads and parses a contact profile.
pub fn load_contact(path: &Path) -> Result<Contact, Diagnostics> {
    let bytes = read(path)?;
    parse_contact(path, &bytes)
}

/// Parses a contact profile from bytes; the logo path is resolved against `path`'s folder.
pub fn parse_contact(path: &Path, bytes: &[u8]) -> Result<Contact, Diagnostics> {
    let name: Arc<str> = path.display().to_string().into();
    let (text, positions) = guard(path, bytes)?;
    let raw: RawContact =
        serde_yaml::from_str(text).map_err(|e| vec![serde_error(&name, &e, CONTACT_KEYS)])?;
    let mut b = Builder { name: name.clone(), positions: &positions, errors: Vec::new() };
    let organization = match raw.organization {
        Some(o) => b.text("organization", o),
        None => {
            b.errors.push(
                Diagnostic::error("missing `organization`")
                    .at(Span::new(name.clone(), 1, 1))
                    .hint("add `organization: Your Clinic Name`; it is printed in every footer"),
            );
            Text::synthetic("", Span::file(name.clone()))
        }
    };
    let department = b.opt("department", raw.department);
    let phone = b.opt("phone", raw.phone);
    let after_hours = b.opt("after_hours", raw.after_hours);
    let email = b.opt("email", raw.email);
    let website = b.opt("website", raw.website);
    let address = b.opt("address", raw.address);
    let hours = b.opt("hours", raw.hours);
    if phone.is_none() && email.is_none() && website.is_none() {
        b.errors.push(
            Diagnostic::error("the contact profile needs a way to reach the clinic")
                .at(Span::new(name.clone(), 1, 1))
                .hint("add at least one of `phone:`, `email:` or `website:`"),
        );
    }
    for p in [&phone, &after_hours].into_iter().flatten() {
        if !p.value.chars().any(|c| c.is_ascii_digit()) {
            b.errors.push(
                Diagnostic::error(format!("`{}` is not a phone number", p.value))
                    .at(p.span.clone())
                    .hint("write the number with its digits, e.g. \"+1 (555) 010-0199\""),
            );
        }
    }
    if let Some(e) = &email {
        let v = e.value.trim();
        let ok = v.split_once('@').is_some_and(|(u, d)| {
            !u.is_empty() && d.contains('.') && !d.starts_with('.') && !d.ends_with('.')
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
    if let Some(w) = &website {
        if !(w.value.starts_with("https://") || w.value.starts_with("http://"))
            || w.value.contains(char::is_whitespace)
        {
            b.errors.push(
                Diagnostic::error(format!("`{}` is not a web address", w.value)).at(w.span.clone()).hint(
                    format!("start it with https://, e.g. https://{}", w.value.trim_start_matches("www.")),
                ),
            );
        }
    }
    let logo = raw.logo.and_then(|l| {
        let span = b.span("logo");
        let dir = path.parent().unwrap_or(Path::new(""));
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
            b.errors.push(
                Diagnostic::error(format!("logo `{}` does not exist", file.display()))
                    .at(span)
                    .hint("the path is relative to the contact profile's folder; fix it or remove `logo:`"),
            );
            None
        } else {
            Some((file, span))
        }
    });
    let mut labels = std::collections::BTreeMap::new();
    for (lang, l) in raw.labels.unwrap_or_default() {
        let lp = format!("labels.{lang}");
        if !valid_lang(&lang) {
            b.errors.push(
                Diagnostic::error(format!("`{lang}` is not a language tag"))
                    .at(b.key_span(&lp))
                    .hint("use a BCP 47 tag such as es, vi, zh-Hans"),
            );
        }
        let mut f = |key: &str, v: Option<String>| v.map(|v| b.text(&format!("{lp}.{key}"), v).value);
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
