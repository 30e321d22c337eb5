//! The raw serde shapes of the YAML formats, and serde_yaml's errors in our words.
//!
//! These mirror the files exactly (`deny_unknown_fields` everywhere) and carry no
//! positions; `build` turns them into the model types, adding spans from the position
//! index and checking values. Text is strict: a number, `true`/`false` or an empty value
//! where text belongs is an error, not silently turned into a string.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::positions::Positions;
use crate::diag::{did_you_mean, Diagnostic, Span};

/// Block keys, in the order the format lists them.
pub const BLOCK_KEYS: &[&str] =
    &["heading", "subheading", "paragraph", "bullets", "steps", "callout", "page_break"];

/// The message of an empty (null) value; [`serde_error`] names the key.
const EMPTY: &str = "the value is empty";

/// Text: a string scalar, plain or quoted. Numbers, booleans and empty values are
/// refused (they are nearly always a missing pair of quotes or a missing value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str(pub String);

impl<'de> Deserialize<'de> for Str {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Str;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Str, E> {
                Ok(Str(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Str, E> {
                Ok(Str(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Str, E> {
                Err(E::custom(EMPTY))
            }
            fn visit_none<E: de::Error>(self) -> Result<Str, E> {
                Err(E::custom(EMPTY))
            }
        }
        d.deserialize_any(V)
    }
}

/// For `Option<Str>` fields: a key that is present must have a value (`subtitle:` with
/// nothing after it is an error, not "no subtitle").
fn given<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Str>, D::Error> {
    Str::deserialize(d).map(Some)
}

fn given_items<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<RawItem>>, D::Error> {
    Vec::deserialize(d).map(Some)
}

fn given_values<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<serde_yaml::Value>>, D::Error> {
    Vec::deserialize(d).map(Some)
}

/// One body block.
pub enum RawBlock {
    Heading(Str),
    Subheading(Str),
    Paragraph(Str),
    Bullets(Vec<RawItem>),
    Steps(Vec<RawItem>),
    Callout(RawCallout),
    PageBreak(bool),
}

/// A list item: text, or `text:` with one nested list.
pub enum RawItem {
    Text(Str),
    Nested(RawNested),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a list item with `text:` and `bullets:` or `steps:`")]
/// A list item with a nested list. The nested items stay YAML values so that a list
/// nested one level too deep gets its own message at its own place.
pub struct RawNested {
    pub text: Str,
    #[serde(default, deserialize_with = "given_values")]
    pub bullets: Option<Vec<serde_yaml::Value>>,
    #[serde(default, deserialize_with = "given_values")]
    pub steps: Option<Vec<serde_yaml::Value>>,
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("text")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawItem, E> {
                Ok(RawItem::Text(Str(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawItem, E> {
                Err(E::custom(EMPTY))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawItem, A::Error> {
                RawNested::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawItem::Nested)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a callout: `kind`, `title`, `text`, and `bullets` or `steps`")]
/// A callout.
pub struct RawCallout {
    #[serde(default, deserialize_with = "given")]
    pub kind: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub title: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub text: Option<Str>,
    #[serde(default, deserialize_with = "given_items")]
    pub bullets: Option<Vec<RawItem>>,
    #[serde(default, deserialize_with = "given_items")]
    pub steps: Option<Vec<RawItem>>,
}

/// Footer labels for all languages (`labels:`), keyed by language tag.
pub type RawLabelMap = BTreeMap<String, RawLabels>;

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "footer labels: `phone`, `after_hours`, `email`, `website`, `page`, `of`"
)]
/// Footer label overrides for one language.
pub struct RawLabels {
    #[serde(default, deserialize_with = "given")]
    pub phone: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub after_hours: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub email: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub website: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub page: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub of: Option<Str>,
}

impl<'de> Deserialize<'de> for RawBlock {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawBlock;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a paragraph (text) or a block such as `heading: …`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawBlock, E> {
                Ok(RawBlock::Paragraph(Str(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawBlock, E> {
                Err(E::custom("the block is empty"))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBlock, A::Error> {
                let key: String = map.next_key()?.ok_or_else(|| de::Error::custom("the block is empty"))?;
                let block = match key.as_str() {
                    "heading" => RawBlock::Heading(map.next_value()?),
                    "subheading" => RawBlock::Subheading(map.next_value()?),
                    "paragraph" => RawBlock::Paragraph(map.next_value()?),
                    "bullets" => RawBlock::Bullets(map.next_value()?),
                    "steps" => RawBlock::Steps(map.next_value()?),
                    "callout" => RawBlock::Callout(map.next_value()?),
                    "page_break" => RawBlock::PageBreak(map.next_value()?),
                    other => {
                        return Err(de::Error::custom(format!(
                            "unknown field `{other}`, expected one of {}",
                            quote_list(BLOCK_KEYS)
                        )))
                    }
                };
                if let Some(extra) = map.next_key::<String>()? {
                    return Err(de::Error::custom(format!("{ONE_KEY}`{extra}`")));
                }
                Ok(block)
            }
        }
        d.deserialize_any(V)
    }
}

const ONE_KEY: &str = "a block has one key, but this one also has ";

/// `a`, `b`, `c` for messages.
pub fn quote_list(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

// ---------------------------------------------------------------------------------
// Finding where a value's error is.

/// One step of a path into a document: a map key or a list index.
#[derive(Clone, Copy, Debug)]
pub enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Deserializes `T` from the value at `steps` of `src` and returns its error, which
/// serde_yaml gives with a line, a column and a path. Everything else in the document
/// is skipped. Used after deserializing from a [`serde_yaml::Value`] failed, because
/// values have no positions.
pub fn locate<T: for<'de> Deserialize<'de>>(src: &str, steps: &[Step]) -> Option<serde_yaml::Error> {
    Seek::<T> { steps, t: PhantomData }.deserialize(serde_yaml::Deserializer::from_str(src)).err()
}

struct Seek<'a, T> {
    steps: &'a [Step<'a>],
    t: PhantomData<T>,
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for Seek<'_, T> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        match self.steps.first() {
            None => T::deserialize(d).map(drop),
            Some(Step::Key(_)) => d.deserialize_map(self),
            Some(Step::Index(_)) => d.deserialize_seq(self),
        }
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for Seek<'_, T> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the document")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (Some(Step::Key(want)), rest) = (self.steps.first(), &self.steps[1..]) else {
            return Err(de::Error::custom("path mismatch"));
        };
        while let Some(key) = map.next_key::<serde_yaml::Value>()? {
            if key_text(&key).as_deref() == Some(*want) {
                map.next_value_seed(Seek::<T> { steps: rest, t: PhantomData })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let (Some(Step::Index(want)), rest) = (self.steps.first(), &self.steps[1..]) else {
            return Err(de::Error::custom("path mismatch"));
        };
        let mut i = 0;
        loop {
            let found = if i == *want {
                seq.next_element_seed(Seek::<T> { steps: rest, t: PhantomData })?.is_some()
            } else {
                seq.next_element::<IgnoredAny>()?.is_some()
            };
            if !found {
                return Ok(());
            }
            i += 1;
        }
    }
}

/// The text of a scalar map key, as the position index names it.
pub fn key_text(key: &serde_yaml::Value) -> Option<String> {
    match key {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        serde_yaml::Value::Null => Some(String::new()),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------
// serde_yaml's errors in our words.

/// Turns a serde_yaml error into a diagnostic: unknown keys get did-you-mean hints, type
/// errors say what was expected in words, empty values name their key. `context` is the
/// list of valid keys where serde does not say; `positions` moves key errors onto the key.
pub fn serde_error(
    name: &Arc<str>,
    e: &serde_yaml::Error,
    context: &[&str],
    positions: &Positions,
) -> Diagnostic {
    let at = |p: super::positions::Pos| Span::new(name.clone(), p.line, p.col);
    let span = e.location().map(|l| Span::new(name.clone(), l.line(), l.column()));
    let msg = e.to_string();
    // serde_yaml appends " at line X column Y"; we print the place ourselves.
    let msg = match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    // …and prefixes the path of the value ("body[2].heading: invalid type…").
    let (path, msg) = match msg.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') && !head.contains('`') => {
            (head.to_string(), rest.to_string())
        }
        _ => (String::new(), msg),
    };
    let child = |k: &str| if path.is_empty() || path == "." { k.to_string() } else { format!("{path}.{k}") };
    if msg == EMPTY || msg == "the block is empty" {
        let (what, hint) = match path.rsplit_once('.').map_or(path.as_str(), |(_, k)| k) {
            k if k.ends_with(']') && msg == EMPTY => {
                ("the list item is empty".to_string(), "write the item's text after `- `, or remove the line")
            }
            _ if msg != EMPTY => {
                (msg.clone(), "write e.g. `- heading: Title` or a paragraph after `- `, or remove the line")
            }
            k => (format!("`{k}` is empty"), "give it a value, or remove the key"),
        };
        let span = if path.ends_with(']') {
            span
        } else {
            positions.key(&path).or_else(|| positions.get(&path)).map(at).or(span)
        };
        return Diagnostic::error(what).at_opt(span).hint(hint);
    }
    if let Some(extra) = msg.strip_prefix(ONE_KEY) {
        // The place stays at the block (the `- `), where the fix goes.
        let key = extra.trim_matches('`');
        return Diagnostic::error(format!("a block has one key, but this one also has `{key}`"))
            .at_opt(span)
            .hint(format!(
                "start a new block with `- ` before `{key}:`, or indent it under the block above"
            ));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let candidates: Vec<&str> =
            rest.split('`').skip(1).enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s).collect();
        let candidates = if candidates.is_empty() { context.to_vec() } else { candidates };
        let span = positions.key(&child(key)).map(at).or(span);
        let mut d = Diagnostic::error(format!("unknown key `{key}`")).at_opt(span);
        if let Some(s) = did_you_mean(key, &candidates) {
            d = d.hint(format!("did you mean `{s}`?"));
        }
        return d.hint(format!("valid keys here: {}", quote_list(&candidates)));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        // "integer `2026`", "floating point `3.5`", "boolean `true`", "string \"x\"".
        let literal = found.find(['`', '"']).map(|i| found[i..].trim_matches(|c| c == '`' || c == '"'));
        let found_words = match found.split(' ').next().unwrap_or(found) {
            "sequence" => "a list".to_string(),
            "map" => "keys and values".to_string(),
            "string" => "text".to_string(),
            "integer" | "floating" => format!("the number `{}`", literal.unwrap_or("")),
            "boolean" => format!("`{}`", literal.unwrap_or("true")),
            "unit" => "nothing".to_string(),
            other => other.to_string(),
        };
        let expected = if expected.contains("sequence") {
            "a list".to_string()
        } else if expected.contains("a map") {
            "keys and values".to_string()
        } else if expected == "text" || expected.contains("paragraph") {
            "text".to_string()
        } else if expected.contains("boolean") {
            "true or false".to_string()
        } else {
            expected.to_string()
        };
        let mut d = Diagnostic::error(format!("expected {expected} here, found {found_words}")).at_opt(span);
        d = match (expected.as_str(), found.split(' ').next().unwrap_or("")) {
            ("text", "integer" | "floating" | "boolean") => {
                d.hint(format!("put the value in quotes to use it as text: \"{}\"", literal.unwrap_or("")))
            }
            ("text", "sequence") => {
                d.hint("a list goes under `bullets:` or `steps:`; for one text, remove the `- ` items")
            }
            ("a list", "string") => d.hint("start each item on its own line with `- `"),
            ("true or false", _) => d.hint("write `page_break: true`"),
            _ => d,
        };
        return d;
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        return Diagnostic::error(format!("missing `{key}`"))
            .at_opt(span)
            .hint("a list item with a nested list is `- text: …` followed by `bullets:` or `steps:`");
    }
    if msg.contains("recursion limit exceeded") {
        return Diagnostic::error("the document nests too deeply").at_opt(span);
    }
    Diagnostic::error(msg).at_opt(span)
}
