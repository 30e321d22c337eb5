//! The raw serde shapes of the YAML formats, and serde_yaml's errors in our words.
//!
//! These mirror the files exactly (`deny_unknown_fields` everywhere) and carry no
//! positions; `load` turns them into the model types, adding spans from the position
//! index and checking values.

use std::sync::Arc;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::diag::{did_you_mean, Diagnostic, Span};

/// Block keys, in the order the format lists them.
pub const BLOCK_KEYS: &[&str] =
    &["heading", "subheading", "paragraph", "bullets", "steps", "callout", "page_break"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// A handout file.
pub struct RawHandout {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub lang: Option<String>,
    pub summary: Option<String>,
    pub keywords: Option<Vec<String>>,
    pub reviewed: Option<String>,
    /// Blocks are deserialized one by one (see `load`), so every bad block is reported.
    pub body: Option<Vec<serde_yaml::Value>>,
}

/// One body block.
pub enum RawBlock {
    Heading(String),
    Subheading(String),
    Paragraph(String),
    Bullets(Vec<RawItem>),
    Steps(Vec<RawItem>),
    Callout(RawCallout),
    PageBreak(bool),
}

/// A list item: text, or `text:` with one nested list.
pub enum RawItem {
    Text(String),
    Nested(RawNested),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// A list item with a nested list.
pub struct RawNested {
    pub text: String,
    pub bullets: Option<Vec<serde_yaml::Value>>,
    pub steps: Option<Vec<serde_yaml::Value>>,
}

impl<'de> Deserialize<'de> for RawItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawItem;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list item (text, or `text:` with `bullets:` or `steps:`)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawItem, E> {
                Ok(RawItem::Text(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawItem, A::Error> {
                RawNested::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawItem::Nested)
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// A callout.
pub struct RawCallout {
    pub kind: Option<String>,
    pub title: Option<String>,
    pub text: Option<String>,
    pub bullets: Option<Vec<RawItem>>,
    pub steps: Option<Vec<RawItem>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// A contact profile.
pub struct RawContact {
    pub organization: Option<String>,
    pub department: Option<String>,
    pub phone: Option<String>,
    pub after_hours: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub address: Option<String>,
    pub hours: Option<String>,
    pub logo: Option<String>,
    pub labels: Option<std::collections::BTreeMap<String, RawLabels>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// Footer label overrides for one language.
pub struct RawLabels {
    pub phone: Option<String>,
    pub after_hours: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub page: Option<String>,
    pub of: Option<String>,
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
                Ok(RawBlock::Paragraph(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawBlock, A::Error> {
                let key: String = map
                    .next_key()?
                    .ok_or_else(|| de::Error::custom("empty block: write e.g. `- heading: Title`"))?;
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
                    return Err(de::Error::custom(format!(
                        "a block has one key, but this one also has `{extra}`; start a new list item with `- ` for it"
                    )));
                }
                Ok(block)
            }
        }
        d.deserialize_any(V)
    }
}

pub fn quote_list(keys: &[&str]) -> String {
    keys.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// Turns a serde_yaml error into a diagnostic: unknown keys get did-you-mean hints, type
/// errors say what was expected in words.
pub fn serde_error(name: &Arc<str>, e: &serde_yaml::Error, context: &[&str]) -> Diagnostic {
    let span = e.location().map(|l| Span::new(name.clone(), l.line(), l.column()));
    describe(&e.to_string(), span, context)
}

/// A serde_yaml message in our words, at `span`: unknown keys get did-you-mean hints,
/// type errors say what was expected in words.
pub fn describe(msg: &str, span: Option<Span>, context: &[&str]) -> Diagnostic {
    let msg = msg.to_string();
    // serde_yaml appends " at line X column Y"; we print the place ourselves.
    let msg = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    // …and prefixes the path of the value ("body[2].heading: invalid type…").
    let msg = match msg.split_once(": ") {
        Some((head, rest)) if !head.contains(' ') && !head.contains('`') => rest.to_string(),
        _ => msg,
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        let candidates: Vec<&str> =
            rest.split('`').skip(1).enumerate().filter(|(i, _)| i % 2 == 1).map(|(_, s)| s).collect();
        let candidates = if candidates.is_empty() { context.to_vec() } else { candidates };
        let mut d = Diagnostic::error(format!("unknown key `{key}`")).at_opt(span);
        if let Some(s) = did_you_mean(key, &candidates) {
            d = d.hint(format!("did you mean `{s}`?"));
        }
        return d.hint(format!("valid keys here: {}", quote_list(&candidates)));
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "something else"));
        let found = found.split(' ').next().unwrap_or(found);
        let words = |s: &str| {
            match s {
                "sequence" => "a list",
                "map" => "a map of keys",
                "string" | "a string" => "text",
                "integer" | "floating" => "a number",
                "boolean" => "true/false",
                "unit" => "nothing",
                other => other,
            }
            .to_string()
        };
        let expected = if expected.contains("sequence") {
            "a list".to_string()
        } else if expected.contains("string") || expected.contains("paragraph") {
            "text".to_string()
        } else if expected.contains("boolean") {
            "true or false".to_string()
        } else {
            expected.to_string()
        };
        let mut d =
            Diagnostic::error(format!("expected {expected} here, found {}", words(found))).at_opt(span);
        d = match (expected.as_str(), found) {
            ("text", "sequence") => {
                d.hint("a list goes under `bullets:` or `steps:`; for one text, remove the `- ` items")
            }
            ("a list", "string") => d.hint("start each item on its own line with `- `"),
            ("text", "unit") => d.hint("give it a value, or remove the key"),
            ("true or false", _) => d.hint("write `page_break: true`"),
            _ => d,
        };
        return d;
    }
    if msg.contains("did not match any variant of untagged enum RawItem") {
        return Diagnostic::error("a list item is text, or `text:` with one `bullets:` or `steps:` list")
            .at_opt(span)
            .hint("write `- An item` or `- text: An item` followed by `  bullets: [...]`");
    }
    if msg.starts_with("missing field `text`") {
        return Diagnostic::error("a list item with a nested list needs `text:`").at_opt(span);
    }
    Diagnostic::error(msg).at_opt(span)
}
