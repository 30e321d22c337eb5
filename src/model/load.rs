//! TEMPORARY loader stub so the pipeline can be exercised; replaced by the model branch.
use super::*;
use crate::diag::{Diagnostic, Diagnostics, Span};
use serde_yaml::Value;
use std::path::Path;

pub const MAX_INPUT_BYTES: usize = 1 << 20;

pub fn parse_file_name(path: &Path) -> Result<(String, Option<String>), Diagnostic> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let stem = name.strip_suffix(".yaml").ok_or_else(|| Diagnostic::error("not a .yaml file"))?;
    Ok(match stem.split_once('.') {
        Some((a, b)) => (a.to_string(), Some(b.to_string())),
        None => (stem.to_string(), None),
    })
}

fn t(v: &Value, file: &str) -> Text {
    Text { value: v.as_str().unwrap_or("").to_string(), span: Span::file(file.to_string()), exact: false }
}

fn list(v: &Value, kind: ListKind, file: &str) -> List {
    let items = v
        .as_sequence()
        .map(|s| {
            s.iter()
                .map(|i| match i {
                    Value::String(_) => ListItem { text: t(i, file), nested: None },
                    _ => ListItem {
                        text: t(&i["text"], file),
                        nested: if !i["bullets"].is_null() {
                            Some(list(&i["bullets"], ListKind::Bullets, file))
                        } else if !i["steps"].is_null() {
                            Some(list(&i["steps"], ListKind::Steps, file))
                        } else {
                            None
                        },
                    },
                })
                .collect()
        })
        .unwrap_or_default();
    List { kind, items }
}

pub fn load_handout(path: &Path) -> Result<Handout, Diagnostics> {
    let src = std::fs::read_to_string(path).map_err(|e| vec![Diagnostic::error(e.to_string())])?;
    parse_handout(path, src.as_bytes())
}

pub fn parse_handout(path: &Path, bytes: &[u8]) -> Result<Handout, Diagnostics> {
    let file = path.display().to_string();
    let v: Value = serde_yaml::from_slice(bytes).map_err(|e| vec![Diagnostic::error(e.to_string())])?;
    let (id, lang) = parse_file_name(path).map_err(|d| vec![d])?;
    let opt = |k: &str| v.get(k).map(|x| t(x, &file));
    let body = v["body"]
        .as_sequence()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|b| match b {
            Value::String(_) => Block::Paragraph(t(b, &file)),
            Value::Mapping(m) => {
                let (k, val) = m.iter().next().unwrap();
                match k.as_str().unwrap_or("") {
                    "heading" => Block::Heading(t(val, &file)),
                    "subheading" => Block::Subheading(t(val, &file)),
                    "paragraph" => Block::Paragraph(t(val, &file)),
                    "bullets" => Block::List(list(val, ListKind::Bullets, &file)),
                    "steps" => Block::List(list(val, ListKind::Steps, &file)),
                    "callout" => Block::Callout(Callout {
                        kind: match val["kind"].as_str() {
                            Some("urgent") => CalloutKind::Urgent,
                            Some("warning") => CalloutKind::Warning,
                            _ => CalloutKind::Note,
                        },
                        title: val.get("title").map(|x| t(x, &file)),
                        text: val.get("text").map(|x| t(x, &file)),
                        list: if !val["bullets"].is_null() {
                            Some(list(&val["bullets"], ListKind::Bullets, &file))
                        } else if !val["steps"].is_null() {
                            Some(list(&val["steps"], ListKind::Steps, &file))
                        } else {
                            None
                        },
                        span: Span::file(file.clone()),
                    }),
                    _ => Block::PageBreak(Span::file(file.clone())),
                }
            }
            _ => Block::PageBreak(Span::file(file.clone())),
        })
        .collect();
    let reviewed = v["reviewed"].as_str().map(|s| {
        let p: Vec<u16> = s.split('-').map(|x| x.parse().unwrap_or(1)).collect();
        (Date { year: p[0], month: p[1] as u8, day: p[2] as u8 }, Span::file(file.clone()))
    });
    Ok(Handout {
        id,
        path: path.to_path_buf(),
        lang: v["lang"].as_str().map(String::from).or(lang).unwrap_or("en".into()),
        title: t(&v["title"], &file),
        subtitle: opt("subtitle"),
        summary: opt("summary"),
        keywords: v["keywords"]
            .as_sequence()
            .map(|s| s.iter().map(|x| t(x, &file)).collect())
            .unwrap_or_default(),
        reviewed,
        body,
    })
}

pub fn load_contact(path: &Path) -> Result<Contact, Diagnostics> {
    let src = std::fs::read(path).map_err(|e| vec![Diagnostic::error(e.to_string())])?;
    parse_contact(path, &src)
}

pub fn parse_contact(path: &Path, bytes: &[u8]) -> Result<Contact, Diagnostics> {
    let file = path.display().to_string();
    let v: Value = serde_yaml::from_slice(bytes).map_err(|e| vec![Diagnostic::error(e.to_string())])?;
    let opt = |k: &str| v.get(k).map(|x| t(x, &file));
    Ok(Contact {
        path: path.to_path_buf(),
        organization: t(&v["organization"], &file),
        department: opt("department"),
        phone: opt("phone"),
        after_hours: opt("after_hours"),
        email: opt("email"),
        website: opt("website"),
        address: opt("address"),
        hours: opt("hours"),
        logo: v["logo"].as_str().map(|l| (path.parent().unwrap().join(l), Span::file(file.clone()))),
        labels: Default::default(),
    })
}
