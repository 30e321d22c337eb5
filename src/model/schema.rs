//! The JSON Schema of the handout format, for editors (`handout schema`).
//!
//! Written by hand to say exactly what the loader accepts; a unit test checks that it
//! names every block type.

use serde_json::{json, Value};

/// The JSON Schema (draft 2020-12) of a handout file.
pub fn handout_schema() -> Value {
    let inline = json!({
        "type": "string",
        "minLength": 1,
        "pattern": "\\S",
        "description": "Text (not empty, not only spaces) with CommonMark inline markup: **strong**, *emphasis*, [label](https://…), <https://…>, mailto: and tel: links, \\ escapes. {{name}} placeholders are filled from --set, --data and {{contact.FIELD}}."
    });
    let nested_list = json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/text" } });
    let item = json!({
        "oneOf": [
            { "$ref": "#/$defs/text" },
            {
                "type": "object",
                "additionalProperties": false,
                "required": ["text"],
                "properties": {
                    "text": { "$ref": "#/$defs/text" },
                    "bullets": { "$ref": "#/$defs/nestedList", "description": "A nested bulleted list (one level deep)." },
                    "steps": { "$ref": "#/$defs/nestedList", "description": "A nested numbered list (one level deep)." }
                },
                "not": { "required": ["bullets", "steps"] }
            }
        ]
    });
    let list = json!({ "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/item" } });
    let one = |key: &str, schema: Value, description: &str| {
        json!({
            "type": "object",
            "additionalProperties": false,
            "required": [key],
            "properties": { key: schema },
            "description": description
        })
    };
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://github.com/handout/handout/handout.schema.json",
        "title": "handout",
        "description": "A patient handout for the `handout` tool: one document in one language.",
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "body"],
        "properties": {
            "title": { "$ref": "#/$defs/text", "description": "Document title (level-1 heading, PDF Title)." },
            "subtitle": { "$ref": "#/$defs/text", "description": "A line under the title." },
            "lang": { "type": "string", "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$", "description": "BCP 47 language tag; must agree with a NAME.LANG.yaml file name. Default: the file name's tag, else en." },
            "summary": { "$ref": "#/$defs/text", "description": "One sentence; the PDF Subject." },
            "keywords": { "type": "array", "items": { "$ref": "#/$defs/text" }, "description": "PDF Keywords." },
            "reviewed": { "type": "string", "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", "description": "Date last reviewed (YYYY-MM-DD, a real date from 1900 on), printed under the title." },
            "body": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/block" }, "description": "The content, in reading order." }
        },
        "$defs": {
            "text": inline,
            "nestedList": nested_list,
            "item": item,
            "list": list,
            "block": {
                "oneOf": [
                    { "$ref": "#/$defs/text", "description": "A paragraph." },
                    one("heading", json!({ "$ref": "#/$defs/text" }), "A section heading (level 2)."),
                    one("subheading", json!({ "$ref": "#/$defs/text" }), "A smaller heading (level 3)."),
                    one("paragraph", json!({ "$ref": "#/$defs/text" }), "A paragraph."),
                    one("bullets", json!({ "$ref": "#/$defs/list" }), "A bulleted list."),
                    one("steps", json!({ "$ref": "#/$defs/list" }), "A numbered list."),
                    one("callout", json!({
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "kind": { "enum": ["note", "warning", "urgent"], "default": "note", "description": "note (blue), warning (amber) or urgent (red)." },
                            "title": { "$ref": "#/$defs/text", "description": "Bold first line." },
                            "text": { "$ref": "#/$defs/text", "description": "A paragraph." },
                            "bullets": { "$ref": "#/$defs/list", "description": "A bulleted list." },
                            "steps": { "$ref": "#/$defs/list", "description": "A numbered list." }
                        },
                        "anyOf": [
                            { "required": ["title"] },
                            { "required": ["text"] },
                            { "required": ["bullets"] },
                            { "required": ["steps"] }
                        ],
                        "not": { "required": ["bullets", "steps"] }
                    }), "A boxed notice, never split across pages."),
                    one("page_break", json!({ "const": true }), "Start a new page."),
                    one("qr", json!({
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "url": { "type": "string", "minLength": 1, "description": "What the code encodes: a web address (also a live link in the PDF) or any text." },
                            "caption": { "$ref": "#/$defs/text", "description": "What scanning it gives, printed beside the code (required)." }
                        },
                        "required": ["url", "caption"]
                    }), "A QR code with its caption, drawn at least 2 cm wide."),
                    one("image", json!({
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "file": { "type": "string", "minLength": 1, "description": "A PNG or JPEG file, relative to the handout's file and inside its folder (no `..` out of it)." },
                            "alt": { "type": "string", "pattern": "\\S", "description": "Required: what the picture shows, read by screen readers instead of it." },
                            "caption": { "$ref": "#/$defs/text", "description": "A caption printed under the picture." },
                            "width": { "type": "string", "pattern": "^ *[0-9]+(\\.[0-9]+)? *%$", "description": "A percentage (1% to 100%) of the text width. Default: the natural size at 150 dpi (100 dpi in large print), at most the text width." }
                        },
                        "required": ["file", "alt"]
                    }), "A picture with its alternate text, never split across pages."),
                    one("table", json!({
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "caption": { "$ref": "#/$defs/text", "description": "Printed above the table." },
                            "columns": { "type": "array", "minItems": 1, "items": { "$ref": "#/$defs/text" }, "description": "The header row, repeated on every page the table spans." },
                            "widths": { "type": "array", "minItems": 1, "items": { "type": "number", "exclusiveMinimum": 0 }, "description": "Relative column widths, one positive number per column (default: equal)." },
                            "rows": {
                                "type": "array",
                                "minItems": 1,
                                "items": { "type": "array", "minItems": 1, "items": { "type": "string", "description": "A cell: inline text (markup and placeholders allowed), \"\" when empty." } },
                                "description": "The rows, each with one cell per column; a row is never split across pages unless taller than a page."
                            }
                        },
                        "required": ["columns", "rows"]
                    }), "A table with a header row; cells wrap inside their column.")
                ]
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::raw::BLOCK_KEYS;
    use super::*;

    #[test]
    fn schema_names_every_block_type() {
        let s = handout_schema();
        let blocks = s["$defs"]["block"]["oneOf"].as_array().unwrap();
        let keys: Vec<&str> =
            blocks.iter().filter_map(|b| b["required"].as_array()).map(|r| r[0].as_str().unwrap()).collect();
        assert_eq!(keys, BLOCK_KEYS);
        assert_eq!(s["required"], json!(["title", "body"]));
    }

    #[test]
    fn schema_keys_match_the_loader() {
        let s = handout_schema();
        let keys = |v: &Value| {
            let mut k: Vec<String> = v["properties"].as_object().unwrap().keys().cloned().collect();
            k.sort();
            k
        };
        let sorted = |k: &[&str]| {
            let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        assert_eq!(keys(&s), sorted(super::super::load::HANDOUT_KEYS));
        let callout = &s["$defs"]["block"]["oneOf"][6]["properties"]["callout"];
        assert_eq!(keys(callout), sorted(super::super::load::CALLOUT_KEYS));
        assert_eq!(callout["additionalProperties"], json!(false));
        assert_eq!(s["additionalProperties"], json!(false));
        // Every object in the schema is closed.
        fn closed(v: &Value) {
            if let Some(o) = v.as_object() {
                if o.get("type") == Some(&json!("object")) {
                    assert_eq!(o.get("additionalProperties"), Some(&json!(false)), "{v}");
                }
                o.values().for_each(closed);
            } else if let Some(a) = v.as_array() {
                a.iter().for_each(closed);
            }
        }
        closed(&s);
    }
}
