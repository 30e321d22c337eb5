//! The raw serde shapes of the YAML formats, and serde_yaml's errors in our words.
//!
//! These mirror the files exactly (`deny_unknown_fields` everywhere) and carry no
//! positions; `build` turns them into the model types, adding spans from the position
//! index and checking values. Text is strict: a number, `true`/`false` or an empty value
//! where text belongs is an error, not silently turned into a string.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::positions::Positions;
use crate::diag::{did_you_mean, Diagnostic, Span};

/// Block keys, in the order the format lists them.
pub const BLOCK_KEYS: &[&str] = &[
    "heading",
    "subheading",
    "paragraph",
    "bullets",
    "steps",
    "callout",
    "page_break",
    "qr",
    "image",
    "table",
];

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
    Qr(RawQr),
    Image(RawImage),
    Table(RawTable),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table: `caption`, `columns`, `widths` and `rows`")]
/// A table. Widths and rows stay YAML values so that each number, row and cell gets its
/// own message at its own place (a row with one cell too many is an error at that row).
pub struct RawTable {
    #[serde(default, deserialize_with = "given")]
    pub caption: Option<Str>,
    pub columns: Vec<Str>,
    #[serde(default, deserialize_with = "given_values")]
    pub widths: Option<Vec<serde_yaml::Value>>,
    pub rows: Vec<serde_yaml::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a QR code: `url` and `caption`")]
/// A QR code: both keys are required.
pub struct RawQr {
    pub url: Str,
    pub caption: Str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, expecting = "a picture: `file`, `alt`, `caption` and `width`")]
/// A picture. `alt` and `width` stay YAML values so that a missing or empty `alt` and a
/// width written as a bare number get messages of their own (see `model::image`).
pub struct RawImage {
    pub file: Str,
    #[serde(default)]
    pub alt: Option<serde_yaml::Value>,
    #[serde(default, deserialize_with = "given")]
    pub caption: Option<Str>,
    #[serde(default)]
    pub width: Option<serde_yaml::Value>,
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
    expecting = "footer labels: `phone`, `after_hours`, `email`, `website`, `page`, `of`, `page_of`, `reviewed`, `continued`"
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
    #[serde(default, deserialize_with = "given")]
    pub page_of: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub reviewed: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub continued: Option<Str>,
}

/// The profile's own fields in other languages (`translations:`), keyed by language tag.
pub type RawTranslationMap = BTreeMap<String, RawTranslation>;

#[derive(Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "translated contact fields: `organization`, `department`, `address`, `hours`"
)]
/// The contact fields that read differently in another language.
pub struct RawTranslation {
    #[serde(default, deserialize_with = "given")]
    pub organization: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub department: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub address: Option<Str>,
    #[serde(default, deserialize_with = "given")]
    pub hours: Option<Str>,
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
                    "qr" => RawBlock::Qr(map.next_value()?),
                    "image" => RawBlock::Image(map.next_value()?),
                    "table" => RawBlock::Table(map.next_value()?),
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

/// Turns a serde_yaml error (from reading the text, so with a line, a column and a path
/// prefix) into a diagnostic; see [`describe`].
pub fn serde_error(
    name: &Arc<str>,
    e: &serde_yaml::Error,
    context: &[&str],
    positions: &Positions,
) -> Diagnostic {
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
    describe(name, &path, &msg, span, context, positions)
}

/// A serde message about the value at `path` in our words, placed from the position
/// index: unknown keys at the key (with did-you-mean hints), empty values at their key,
/// type errors at the value, in words. `span` is the place to use when the index has
/// none; `context` lists the valid keys where serde does not say.
pub fn describe(
    name: &Arc<str>,
    path: &str,
    msg: &str,
    span: Option<Span>,
    context: &[&str],
    positions: &Positions,
) -> Diagnostic {
    let at = |p: super::positions::Pos| Span::new(name.clone(), p.line, p.col).with_len(p.len);
    let (path, msg) = (path.to_string(), msg.to_string());
    let child = |k: &str| if path.is_empty() || path == "." { k.to_string() } else { format!("{path}.{k}") };
    // The value's place, else the nearest enclosing value's.
    let mut value_span = None;
    let mut p = path.as_str();
    while value_span.is_none() && !p.is_empty() {
        value_span = positions.get(p).map(at);
        p = &p[..p.rfind(['.', '[']).unwrap_or(0)];
    }
    let span = value_span.or(span);
    if msg == EMPTY || msg == "the block is empty" {
        let d = match path.strip_suffix(']').and_then(|p| p.rsplit_once('[')) {
            // An empty list item has no place of its own in the index: point at the list.
            Some((list, i)) if msg == EMPTY => {
                let n = i.parse::<usize>().map_or(0, |i| i + 1);
                let span = positions.key(list).or_else(|| positions.get(list)).map(at).or(span);
                Diagnostic::error(format!("item {n} of this list is empty")).at_opt(span)
            }
            _ if msg != EMPTY => Diagnostic::error(msg.clone()).at_opt(span),
            _ => {
                let key = path.rsplit_once('.').map_or(path.as_str(), |(_, k)| k);
                let span = positions.key(&path).map(at).or(span);
                return Diagnostic::error(format!("`{key}` is empty"))
                    .at_opt(span)
                    .hint("give it a value, or remove the key");
            }
        };
        return d.hint("write the text after `- `, or remove the line");
    }
    // Key errors go at the key. serde_path_to_error's path may already end at the key.
    let key_span = |key: &str| {
        let full = if path == key || path.ends_with(&format!(".{key}")) { path.clone() } else { child(key) };
        positions.key(&full).map(at).or(span.clone())
    };
    if let Some(extra) = msg.strip_prefix(ONE_KEY) {
        let key = extra.trim_matches('`');
        return Diagnostic::error(format!("a block has one key, but this one also has `{key}`"))
            .at_opt(key_span(key))
            .hint(format!(
                "start a new block with `- ` before `{key}:`, or indent it under the block above"
            ));
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let candidates: Vec<&str> =
            rest.split('`').skip(1).enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s).collect();
        let candidates = if candidates.is_empty() { context.to_vec() } else { candidates };
        let mut d = Diagnostic::error(format!("unknown key `{key}`")).at_opt(key_span(key));
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
            (e, _) if e.starts_with("a picture") => d.hint(
                "write `file:` and `alt:` on their own lines, indented below `image:`, e.g. `file: images/leg.png`",
            ),
            _ => d,
        };
        return d;
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or("");
        let hint = if path.ends_with(".qr") {
            "a QR code needs `url:` (what it encodes) and `caption:` (what scanning it gives, printed beside it)"
        } else if path.ends_with(".image") {
            "a picture needs `file:` (a PNG or JPEG, relative to the handout's folder) and `alt:` (what it shows)"
        } else if path.ends_with(".table") {
            "a table needs `columns:` (the header row, e.g. `[Medicine, How much]`) and `rows:` (one `- [..., ...]` per row)"
        } else {
            "a list item with a nested list is `- text: …` followed by `bullets:` or `steps:`"
        };
        let block = path.ends_with(".qr") || path.ends_with(".image") || path.ends_with(".table");
        let span = if block { positions.key(&path).map(at).or(span) } else { span };
        return Diagnostic::error(format!("missing `{key}`")).at_opt(span).hint(hint);
    }
    if msg.contains("recursion limit exceeded") {
        return Diagnostic::error("the document nests too deeply").at_opt(span);
    }
    Diagnostic::error(msg).at_opt(span)
}
