//! From raw serde values to model values: positions for every [`Text`], and every error
//! collected rather than only the first.
//!
//! serde_yaml stops at its first error, so the loader does not deserialize a whole file
//! in one go. It reads the file as a [`serde_yaml::Value`], checks the top-level keys
//! itself, and deserializes each top-level value and each body block on its own, so one
//! bad block does not hide the next one. Values carry no positions: serde_path_to_error
//! says where inside the value the error is, and the position index says where that is
//! in the file.

use std::sync::Arc;

use serde::Deserialize;
use serde_path_to_error::Segment;
use serde_yaml::{Mapping, Value};

use super::positions::{Pos, Positions};
use super::raw::{self, key_text, quote_list, RawItem, Str};
use super::{List, ListItem, ListKind, Text};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Span};

/// Builds [`Text`] values from raw strings, with positions from the index, and collects
/// errors.
pub struct Builder<'a> {
    pub name: Arc<str>,
    pub positions: &'a Positions,
    pub errors: Diagnostics,
}

impl<'a> Builder<'a> {
    pub fn new(name: Arc<str>, positions: &'a Positions) -> Self {
        Builder { name, positions, errors: Vec::new() }
    }

    fn at(&self, p: Pos) -> Span {
        Span::new(self.name.clone(), p.line, p.col).with_len(p.len)
    }

    /// Where the value at `path` starts (the file's start if unknown).
    pub fn span(&self, path: &str) -> Span {
        self.positions.get(path).map_or_else(|| Span::file(self.name.clone()), |p| self.at(p))
    }

    /// Where the key holding the value at `path` starts (else the value).
    pub fn key_span(&self, path: &str) -> Span {
        match self.positions.key(path).or_else(|| self.positions.get(path)) {
            Some(p) => self.at(p),
            None => Span::file(self.name.clone()),
        }
    }

    /// Splits the document's top-level map into its known keys' values, reporting unknown
    /// keys and empty values. `what` names the file kind in messages ("a handout").
    /// Returns None if the document is not a map.
    pub fn top_level(&mut self, doc: Value, keys: &[&str], what: &str) -> Option<Vec<(String, Value)>> {
        let map = match doc {
            Value::Mapping(m) => m,
            other => {
                let found = match other {
                    Value::Sequence(_) => "a list",
                    Value::Null => "nothing",
                    _ => "a single value",
                };
                self.errors.push(
                    Diagnostic::error(format!(
                        "{what} is a set of `key: value` lines, but this file holds {found}"
                    ))
                    .at(Span::file(self.name.clone()))
                    .hint(format!("start with `{}: …`", keys[0])),
                );
                return None;
            }
        };
        let mut out = Vec::new();
        for (k, v) in map_entries(map) {
            let Some(k) = k else {
                continue; // the position index refuses keys that are not scalars
            };
            if !keys.contains(&k.as_str()) {
                let mut d = Diagnostic::error(format!("unknown key `{k}`")).at(self.key_span(&k));
                if let Some(s) = did_you_mean(&k, keys) {
                    d = d.hint(format!("did you mean `{s}`?"));
                }
                self.errors.push(d.hint(format!("valid keys here: {}", quote_list(keys))));
            } else if v.is_null() {
                self.errors.push(
                    Diagnostic::error(format!("`{k}` is empty"))
                        .at(self.key_span(&k))
                        .hint("give it a value, or remove the key"),
                );
            } else {
                out.push((k, v));
            }
        }
        Some(out)
    }

    /// Deserializes `value`, found at `steps`, as `T`; on failure records the error at its
    /// place in the file (with `context` as the valid keys, for unknown-key hints).
    /// serde_path_to_error gives the path inside the value; the index gives its place.
    pub fn typed<T>(&mut self, steps: &[Step], value: Value, context: &[&str]) -> Option<T>
    where
        T: for<'de> Deserialize<'de>,
    {
        match serde_path_to_error::deserialize::<_, T>(&value) {
            Ok(t) => Some(t),
            Err(e) => {
                let mut path = path_of(steps);
                // The value the error is about, for hints that quote it.
                let mut inner = Some(&value);
                let mut parent = None;
                for segment in e.path().iter() {
                    parent = inner;
                    match segment {
                        Segment::Seq { index } => {
                            path.push_str(&format!("[{index}]"));
                            inner = inner.and_then(|v| v.as_sequence()).and_then(|s| s.get(*index));
                        }
                        Segment::Map { key } | Segment::Enum { variant: key } => {
                            path.push('.');
                            path.push_str(key);
                            inner = inner.and_then(|v| v.get(key.as_str()));
                        }
                        Segment::Unknown => inner = None,
                    }
                }
                let fallback = self.span(&path_of(steps));
                let msg = e.inner().to_string();
                let mut d = raw::describe(&self.name, &path, &msg, Some(fallback), context, self.positions);
                if let Some(hint) = msg
                    .starts_with("unknown field `")
                    .then(|| inner.and_then(text_with_colon).or_else(|| parent.and_then(text_with_colon)))
                    .flatten()
                {
                    d = d.hint(hint);
                }
                self.errors.push(d);
                None
            }
        }
    }

    /// A text value; empty (or only white space) is an error.
    pub fn text(&mut self, path: &str, value: Str) -> Text {
        self.checked_text(path, value, false)
    }

    /// A text value that may be empty (a table cell with nothing in it).
    pub fn text_or_empty(&mut self, path: &str, value: Str) -> Text {
        self.checked_text(path, value, true)
    }

    fn checked_text(&mut self, path: &str, value: Str, empty_allowed: bool) -> Text {
        let value = value.0;
        let p = self.positions.get(path);
        let span = self.span(path);
        if value.trim().is_empty() && !empty_allowed {
            let d = if path.ends_with(']') {
                Diagnostic::error("the list item is empty")
                    .hint("write the item's text after `- `, or remove the line")
            } else {
                let key = path.rsplit('.').next().unwrap_or(path);
                Diagnostic::error(format!("`{key}` is empty")).hint("give it a value, or remove the key")
            };
            self.errors.push(d.at(span.clone()));
        } else if let Some(c) = value.chars().find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
            // Raw ones were refused before parsing; this one was written as an escape.
            self.errors.push(
                Diagnostic::error(format!("control character U+{:04X} is not text", u32::from(c)))
                    .at(span.clone())
                    .hint("remove it: delete the escape (such as `\\0`, `\\a` or `\\u0007`) from this quoted string"),
            );
        }
        Text { value, span, exact: p.is_some_and(|p| p.exact) }
    }

    pub fn opt(&mut self, path: &str, value: Option<Str>) -> Option<Text> {
        value.map(|v| self.text(path, v))
    }

    /// A list (`bullets:` or `steps:`) at `path`, whose items may have one nested list
    /// when `nested_allowed`.
    pub fn list(&mut self, path: &str, kind: ListKind, items: Vec<RawItem>, nested_allowed: bool) -> List {
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
                                .at(self.key_span(&format!("{ipath}.steps")))
                                .hint("make the second list an item of its own"),
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

    fn nested(&mut self, path: &str, kind: ListKind, values: Vec<Value>, allowed: bool) -> Option<List> {
        if !allowed {
            self.errors.push(
                Diagnostic::error("lists nest one level deep")
                    .at(self.key_span(path))
                    .hint("make these items part of the list above, or a new list after it"),
            );
            return None;
        }
        let before = self.errors.len();
        let mut items = Vec::with_capacity(values.len());
        for (i, v) in values.into_iter().enumerate() {
            let ipath = format!("{path}[{i}]");
            match v {
                Value::String(s) => items.push(RawItem::Text(Str(s))),
                Value::Mapping(_) | Value::Sequence(_) => {
                    let at = match self.positions.key(&format!("{ipath}.text")) {
                        Some(p) => self.at(p),
                        None => self.span(&ipath),
                    };
                    self.errors.push(
                        Diagnostic::error("lists nest one level deep")
                            .at(at)
                            .hint("items of a nested list are plain text"),
                    );
                }
                Value::Null => self.errors.push(
                    Diagnostic::error(format!("item {} of this list is empty", i + 1))
                        .at(self.key_span(path))
                        .hint("write the item's text after `- `, or remove the line"),
                ),
                other => {
                    let literal = match &other {
                        Value::Number(n) => format!("the number `{n}`"),
                        Value::Bool(b) => format!("`{b}`"),
                        _ => "a tagged value".into(),
                    };
                    let quoted = literal.split('`').nth(1).unwrap_or("").to_string();
                    self.errors.push(
                        Diagnostic::error(format!("expected text here, found {literal}"))
                            .at(self.span(&ipath))
                            .hint(format!("put the value in quotes to use it as text: \"{quoted}\"")),
                    );
                }
            }
        }
        if self.errors.len() > before && items.is_empty() {
            return None;
        }
        Some(self.list(path, kind, items, false))
    }
}

/// The quoting hint for a line like `- Note: take with food`: YAML reads an unquoted
/// `Word: text` as a key and a value, so a one-key map whose value is text (not a list
/// or a map) was most likely meant as one string.
pub(super) fn text_with_colon(value: &Value) -> Option<String> {
    let map = value.as_mapping().filter(|m| m.len() == 1)?;
    let (k, v) = map.iter().next()?;
    let k = key_text(k)?;
    let v = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    let line = format!("{k}: {v}").replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!("if `{k}: …` is text, not a key, put the whole line in quotes: - \"{line}\""))
}

/// A map's entries with their keys as text (None for keys that are not scalars).
fn map_entries(map: Mapping) -> impl Iterator<Item = (Option<String>, Value)> {
    map.into_iter().map(|(k, v)| (key_text(&k), v))
}

/// One step of a path into a document: a map key or a list index.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The index path of `steps`: `body[3].callout`.
pub fn path_of(steps: &[Step]) -> String {
    let mut s = String::new();
    for step in steps {
        match step {
            Step::Key(k) if s.is_empty() => s.push_str(k),
            Step::Key(k) => {
                s.push('.');
                s.push_str(k);
            }
            Step::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}
