//! Loading: file bytes → [`Handout`] or [`Contact`], with every problem at
//! `file:line:col`.
//!
//! Order of checks: size and emptiness, UTF-8, then the YAML event pass of
//! [`positions`](super::positions) (syntax, aliases, anchors, depth, and the position
//! index), then serde_yaml into private raw structs (unknown keys, wrong types), then
//! validation of values (empty text, language tags, dates, callouts, contact details).

use std::path::Path;
use std::sync::Arc;

use serde_yaml::Value;

use super::build::Builder;
use super::build::Step;
use super::positions::{self, Positions};
use super::raw::{serde_error, RawBlock, Str, BLOCK_KEYS};
use super::*;
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Span};

pub use super::contact::{load_contact, parse_contact};

/// Largest input file accepted: handouts are a few KB; anything this big is a mistake
/// or an attack.
pub const MAX_INPUT_BYTES: usize = 1 << 20;

pub(super) const HANDOUT_KEYS: &[&str] =
    &["title", "subtitle", "lang", "summary", "keywords", "reviewed", "body"];

// ---------------------------------------------------------------------------------
// Reading and guarding.

/// Reads a file, refusing huge ones before reading them.
pub(super) fn read(path: &Path) -> Result<Vec<u8>, Diagnostics> {
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

/// Size, emptiness, UTF-8, the YAML event pass and the YAML value. Returns the
/// positions and the value.
pub(super) fn guard(path: &Path, bytes: &[u8]) -> Result<(Positions, Value), Diagnostics> {
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
    control_characters(&name, text)?;
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
    // The event pass accepted the syntax, so this rarely fails (the two parsers differ
    // on a few corner cases).
    let value = serde_yaml::from_str(text).map_err(|e| vec![serde_error(&name, &e, &[], &positions)])?;
    Ok((positions, value))
}

/// Most raw control characters reported, so a binary file gives a short answer.
const MAX_CONTROL_ERRORS: usize = 20;

/// Refuses raw control characters (other than tab and line breaks), raw line and
/// paragraph separators (U+2028, U+2029) and a second byte-order mark, each at its own
/// line and column: serde_yaml would report the first one at 1:1 with a byte position,
/// which staff cannot find.
fn control_characters(name: &Arc<str>, text: &str) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    let mut line = 1;
    let mut col = 1;
    for c in text.chars() {
        let bad = (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
            || (c == '\u{feff}' && line == 1 && col == 1)
            || matches!(c, '\u{2028}' | '\u{2029}');
        if bad && errors.len() < MAX_CONTROL_ERRORS {
            let d = if c == '\u{feff}' {
                Diagnostic::error("the file starts with a second byte-order mark (U+FEFF)")
                    .hint("save the file again as UTF-8 in your editor (with or without one BOM)")
            } else if !c.is_control() {
                // The two YAML readers disagree on these (one ends a line there, the
                // other does not), so lines and documents would differ between them.
                Diagnostic::error(format!("a raw line or paragraph separator (U+{:04X})", u32::from(c))).hint(
                    "use a line break instead; inside a double-quoted string, `\\L` and `\\P` write one",
                )
            } else {
                Diagnostic::error(format!("control character U+{:04X} is not text", u32::from(c)))
                    .hint("remove it; it may have come from copying text out of another program")
            };
            errors.push(d.at(Span::new(name.clone(), line, col)));
        }
        if c == '\n' {
            line += 1;
            col = 1;
        } else {
            col += 1;
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Returns true if and only if `tag` looks like a BCP 47 language tag.
/// The primary subtag is a 2- or 3-letter language code (`es`, `haw`); then subtags of
/// 1–8 letters and digits (`zh-Hans`, `pt-BR`, `es-419`).
pub fn valid_lang(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Parses a `YYYY-MM-DD` date and checks that the day exists.
fn parse_date(s: &str) -> Option<Date> {
    let b = s.trim().as_bytes();
    let digits = [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&i| b.get(i).is_some_and(u8::is_ascii_digit));
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits {
        return None;
    }
    let num = |r: std::ops::Range<usize>| std::str::from_utf8(&b[r]).ok()?.parse::<u16>().ok();
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let month = u8::try_from(month).ok()?;
    let days = u16::from(Date::days_in_month(year, month)?);
    (year >= 1900 && (1..=days).contains(&day)).then_some(Date { year, month, day: day as u8 })
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

pub(super) const CALLOUT_KEYS: &[&str] = &["kind", "title", "text", "bullets", "steps"];

/// Reads and parses a handout file.
pub fn load_handout(path: &Path) -> Result<Handout, Diagnostics> {
    let bytes = read(path)?;
    parse_handout(path, &bytes)
}

/// Parses a handout from bytes; `path` gives its id, language and the file name in
/// messages. Collects every problem it can find.
pub fn parse_handout(path: &Path, bytes: &[u8]) -> Result<Handout, Diagnostics> {
    parse_handout_uncapped(path, bytes).map_err(crate::diag::cap)
}

fn parse_handout_uncapped(path: &Path, bytes: &[u8]) -> Result<Handout, Diagnostics> {
    let name: Arc<str> = path.display().to_string().into();
    let (id, file_lang) = parse_file_name(path).map_err(|d| vec![d])?;
    let (positions, doc) = guard(path, bytes)?;
    let mut b = Builder::new(name.clone(), &positions);
    let (mut title, mut subtitle, mut summary, mut lang, mut reviewed) = (None, None, None, None, None);
    let mut keywords = Vec::new();
    let mut raw_body = None;
    let Some(fields) = b.top_level(doc, HANDOUT_KEYS, "a handout") else {
        return Err(b.errors);
    };
    for (key, value) in fields {
        let k = key.as_str();
        let steps = [Step::Key(k)];
        match k {
            "title" | "subtitle" | "summary" | "lang" | "reviewed" => {
                let Some(s) = b.typed::<Str>(&steps, value, &[]) else { continue };
                match k {
                    "title" => title = Some(b.text(k, s)),
                    "subtitle" => subtitle = Some(b.text(k, s)),
                    "summary" => summary = Some(b.text(k, s)),
                    "lang" => lang = Some(s.0),
                    _ => reviewed = Some(s.0),
                }
            }
            "keywords" => {
                if let Some(ks) = b.typed::<Vec<Str>>(&steps, value, &[]) {
                    keywords = ks
                        .into_iter()
                        .enumerate()
                        .map(|(i, k)| b.text(&format!("keywords[{i}]"), k))
                        .collect();
                }
            }
            _ => raw_body = Some(b.typed::<Vec<Value>>(&steps, value, &[])),
        }
    }
    if title.is_none() && positions.key("title").is_none() {
        b.errors.push(
            Diagnostic::error("missing `title`")
                .at(Span::new(name.clone(), 1, 1))
                .hint("add `title: …` at the top"),
        );
    }
    let title = title.unwrap_or_else(|| Text::synthetic("", Span::file(name.clone())));
    let lang = match lang {
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
    let reviewed = reviewed.and_then(|r| {
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
    let body = match raw_body {
        Some(Some(blocks)) if !blocks.is_empty() => body(&mut b, blocks, path),
        // Not a list, or `body:` with nothing after it: already reported.
        Some(None) => Vec::new(),
        None if positions.key("body").is_some() => Vec::new(),
        _ => {
            b.errors.push(
                Diagnostic::error("the handout has no body")
                    .at(b.key_span("body"))
                    .hint("add `body:` with at least one paragraph, e.g. `body:\\n  - Some text.`"),
            );
            Vec::new()
        }
    };
    if !b.errors.is_empty() {
        return Err(b.errors);
    }
    Ok(Handout { id, path: path.to_path_buf(), lang, title, subtitle, summary, keywords, reviewed, body })
}

/// The body's blocks; each block that cannot be read is reported and left out.
fn body(b: &mut Builder, blocks: Vec<Value>, file: &Path) -> Vec<Block> {
    let mut body = Vec::with_capacity(blocks.len());
    for (i, value) in blocks.into_iter().enumerate() {
        let p = format!("body[{i}]");
        let Some(block) = b.typed::<RawBlock>(&[Step::Key("body"), Step::Index(i)], value, BLOCK_KEYS) else {
            continue;
        };
        body.push(match block {
            RawBlock::Heading(t) => Block::Heading(b.text(&format!("{p}.heading"), t)),
            RawBlock::Subheading(t) => Block::Subheading(b.text(&format!("{p}.subheading"), t)),
            RawBlock::Paragraph(t) => {
                // A bare string has no key; `paragraph: …` has one.
                let path = if b.positions.key(&format!("{p}.paragraph")).is_some() {
                    format!("{p}.paragraph")
                } else {
                    if let Some(d) = bare_keyword(&t.0) {
                        b.errors.push(d.at(b.span(&p)));
                        continue;
                    }
                    p.clone()
                };
                Block::Paragraph(b.text(&path, t))
            }
            RawBlock::Bullets(items) => {
                Block::List(b.list(&format!("{p}.bullets"), ListKind::Bullets, items, true))
            }
            RawBlock::Steps(items) => {
                Block::List(b.list(&format!("{p}.steps"), ListKind::Steps, items, true))
            }
            RawBlock::Callout(c) => callout(b, &format!("{p}.callout"), c),
            RawBlock::Qr(q) => {
                let qp = format!("{p}.qr");
                let url = b.text(&format!("{qp}.url"), q.url);
                let caption = b.text(&format!("{qp}.caption"), q.caption);
                Block::Qr(Qr { url, caption, span: b.key_span(&qp) })
            }
            RawBlock::Image(raw) => Block::Image(super::image::image(b, &format!("{p}.image"), raw, file)),
            RawBlock::Table(t) => super::table::table(b, &format!("{p}.table"), t),
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
    body
}

/// The error for a bare string that is a block keyword (`- page_break`): YAML reads it
/// as a paragraph, which would print the word itself on the page.
fn bare_keyword(text: &str) -> Option<Diagnostic> {
    let word = text.trim().trim_end_matches(':');
    let key = BLOCK_KEYS.iter().find(|k| **k == word)?;
    let (fix, what) = match *key {
        "page_break" => ("`- page_break: true`".to_string(), "a page break"),
        "bullets" | "steps" => {
            (format!("`- {key}:` with its items on the lines below, each after `- `"), "a list")
        }
        "callout" => {
            ("`- callout:` with its `title`, `text` or list indented below".to_string(), "a callout")
        }
        "paragraph" => ("`- paragraph: Your text.`".to_string(), "a paragraph"),
        "qr" => ("`- qr:` with `url:` and `caption:` indented below".to_string(), "a QR code"),
        "image" => ("`- image:` with `file:` and `alt:` indented below".to_string(), "a picture"),
        "table" => ("`- table:` with `columns:` and `rows:` indented below".to_string(), "a table"),
        "heading" | "subheading" => (format!("`- {key}: Your text.`"), "a heading"),
        other => (format!("`- {other}:` with what it holds (see the README)"), "a block"),
    };
    Some(
        Diagnostic::error(format!("`{key}` alone would print the word \"{key}\", not make {what}"))
            .hint(format!("write {fix}"))
            .hint(format!("to print the word itself, write `- paragraph: {key}`")),
    )
}

fn callout(b: &mut Builder, cp: &str, c: super::raw::RawCallout) -> Block {
    let span = b.key_span(cp);
    let kind = match c.kind.as_ref().map(|k| k.0.trim()) {
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
                    .at(b.key_span(&format!("{cp}.steps")))
                    .hint("put the second list in a callout of its own, or after this one"),
            );
            None
        }
        (Some(v), None) => Some(b.list(&format!("{cp}.bullets"), ListKind::Bullets, v, true)),
        (None, Some(v)) => Some(b.list(&format!("{cp}.steps"), ListKind::Steps, v, true)),
        (None, None) => None,
    };
    if title.is_none() && text.is_none() && list.is_none() {
        b.errors.push(Diagnostic::error("the callout is empty").at(span.clone()).hint(format!(
            "give it a `title`, a `text` or a list (`bullets` or `steps`); its keys are {}",
            super::raw::quote_list(CALLOUT_KEYS)
        )));
    }
    Block::Callout(Callout { kind, title, text, list, span })
}

#[cfg(test)]
#[path = "load_tests.rs"]
mod tests;
