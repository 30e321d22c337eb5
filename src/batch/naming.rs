//! `--name` templates: output file names from `{id}`, `{lang}`, `{row}` and data columns.

use std::collections::BTreeMap;

use super::write::sanitize_file_name;
use crate::diag::Diagnostic;

/// A parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    Text(String),
    Field(String),
}

impl Template {
    /// The default: `{id}.{lang}.pdf`, or `{id}.{lang}.{row}.pdf` with `--data`.
    pub fn default_for(data: bool) -> Template {
        let t = if data { "{id}.{lang}.{row}.pdf" } else { "{id}.{lang}.pdf" };
        Template::parse(t, &[], data).unwrap_or(Template { parts: vec![Part::Text(t.into())] })
    }

    /// Parses a template; every `{field}` must be `id`, `lang`, `row` (with data) or a
    /// data column. A usage error otherwise.
    pub fn parse(t: &str, columns: &[String], data: bool) -> Result<Template, Diagnostic> {
        let mut parts = Vec::new();
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_string()));
            }
            let close = rest[open..].find('}').map(|c| open + c).ok_or_else(|| {
                Diagnostic::error(format!("--name `{t}` has a `{{` without `}}`"))
                    .hint("write fields as {id}, {lang}, {row} or {column}")
            })?;
            let field = rest[open + 1..close].trim().to_string();
            let known = matches!(field.as_str(), "id" | "lang")
                || (data && field == "row")
                || columns.contains(&field);
            if !known {
                let mut fields = vec!["id".to_string(), "lang".to_string()];
                if data {
                    fields.push("row".into());
                }
                fields.extend(columns.iter().cloned());
                let d = Diagnostic::error(format!("--name `{t}` uses `{{{field}}}`, which is not a field"));
                return Err(if field == "row" {
                    d.hint("`{row}` needs --data")
                } else {
                    d.hint(format!(
                        "fields: {}",
                        fields.iter().map(|f| format!("{{{f}}}")).collect::<Vec<_>>().join(", ")
                    ))
                });
            }
            parts.push(Part::Field(field));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Template { parts })
    }

    /// Returns true if and only if the template uses the field `name`.
    pub fn uses(&self, name: &str) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Field(f) if f == name))
    }

    /// The file name for one document, sanitized (no separators, no `..`), ending in
    /// `.pdf`.
    pub fn render(
        &self,
        id: &str,
        lang: &str,
        row: Option<usize>,
        values: &BTreeMap<String, String>,
    ) -> String {
        let mut out = String::new();
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Field(f) => match f.as_str() {
                    "id" => out.push_str(id),
                    "lang" => out.push_str(lang),
                    "row" => out.push_str(&row.map(|r| r.to_string()).unwrap_or_default()),
                    other => out.push_str(values.get(other).map_or("", String::as_str)),
                },
            }
        }
        if !out.to_ascii_lowercase().ends_with(".pdf") {
            out.push_str(".pdf");
        }
        sanitize_file_name(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_fields_and_refuses_unknown_ones() {
        let cols = vec!["mrn".to_string()];
        let t = Template::parse("{id}-{mrn}-{row}", &cols, true).unwrap();
        let mut v = BTreeMap::new();
        v.insert("mrn".to_string(), "../../x".to_string());
        assert_eq!(t.render("lp", "en", Some(3), &v), "lp-._._x-3.pdf");
        assert!(Template::parse("{nope}", &cols, true).is_err());
        assert!(Template::parse("{row}", &[], false).unwrap_err().hints[0].contains("--data"));
        assert_eq!(Template::default_for(false).render("lp", "es", None, &BTreeMap::new()), "lp.es.pdf");
    }
}
