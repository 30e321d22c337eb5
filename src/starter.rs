//! `handout new`: a starter handout that already builds, showing every block type; a
//! starter contact profile beside it when there is none (so the next `build` works);
//! and, for a language variant of an existing handout, a copy of the base's structure
//! for a translator to fill in.

use std::fmt::Write as _;
use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::{Block, CalloutKind, Handout, List, ListKind, Text};

/// The starter text; `{title}`, `{lang}`, `{path}` and `{today}` are filled in.
const STARTER: &str = r#"# A patient handout. Every string may use **bold**, *italics* and [links](https://example.org).
# Build it with: handout build {path}
title: {title}
subtitle: One line that says what this handout is for
lang: {lang}
summary: One sentence that sums up the handout.
keywords: [example]
reviewed: {today}
body:
  - heading: What is it?
  - Write short sentences. Use words your patients use.
  - heading: What to do
  - steps:
      - Do this first.
      - Then do this.
  - bullets:
      - One thing to know.
      - "**Bold lead-in:** another thing to know."
  - table:
      caption: Your medicines
      columns: [Medicine, How much, When]
      rows:
        - [Your medicine, 1 tablet, Every morning]
  - callout:
      kind: urgent
      title: Call 911 if you have
      bullets:
        - Trouble breathing
  - "Questions? Call us at {{contact.phone}}."
"#;

/// The starter contact profile, written when the folder has none.
const CONTACT: &str = r#"# The clinic's contact details: printed in the footer of every handout, and filled
# into {{contact.phone}}, {{contact.website}}, … placeholders. Replace the examples
# with your clinic's details. See the README, "Contact profile", for every key.
organization: Your Clinic Name               # required
phone: "+1 (555) 010-0100"                   # at least one of phone, email, website
# after_hours: "+1 (555) 010-0199"
# email: clinic@example.org
website: https://example.org
# address: 1 Main Street, Springfield
# hours: Mon–Fri 8 am – 5 pm
"#;

/// Today's date as `YYYY-MM-DD` (UTC): from `SOURCE_DATE_EPOCH` when it is set, so a
/// scripted run is reproducible, else from the clock.
fn today() -> Result<String, Diagnostic> {
    let secs = match crate::pdf::creation_date() {
        Ok(Some(s)) => s,
        // The one clock read in the tool: the date an author starts a handout is what
        // `reviewed` should say; it goes into the YAML they edit, never into a PDF.
        #[allow(clippy::disallowed_methods)]
        Ok(None) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0)),
        Err(e) => {
            return Err(Diagnostic::error(e.to_string()).hint("unset it, or set it to a number of seconds"))
        }
    };
    let (y, m, d, ..) = crate::pdf::civil(secs);
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// Returns true if and only if `name` is a valid handout id.
fn valid_id(name: &str) -> bool {
    !name.is_empty()
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
}

/// Writes `dir/NAME.yaml` (or `NAME.LANG.yaml`); never overwrites a file.
pub fn write_starter(dir: &Path, name: &str, lang: Option<&str>) -> Result<String, Diagnostic> {
    if !valid_id(name) {
        return Err(Diagnostic::error(format!("`{name}` is not a valid handout name"))
            .hint("use lowercase letters, digits and `-`, e.g. `knee-surgery`"));
    }
    if let Some(l) = lang.filter(|l| !crate::model::valid_lang(l)) {
        // Checked before any path is made: `zz/../../x` must never name a file elsewhere.
        return Err(Diagnostic::error(format!("`{l}` is not a language tag"))
            .hint("use a BCP 47 tag such as `es`, `zh-Hans` or `pt-BR`"));
    }
    let file = match lang {
        Some(l) => format!("{name}.{l}.yaml"),
        None => format!("{name}.yaml"),
    };
    let path = dir.join(&file);
    // The file name must round-trip through the loader's own rules (language tag too).
    crate::model::parse_file_name(&path)?;
    if path.exists() {
        return Err(Diagnostic::error(format!("`{}` already exists", path.display()))
            .hint("pick another name, or edit the existing file"));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| Diagnostic::error(format!("cannot create folder `{}`: {e}", dir.display())))?;
    let today = today()?;
    let base = dir.join(format!("{name}.yaml"));
    let text = match lang {
        Some(l) if base.is_file() => {
            let h = crate::model::load_handout(&base).map_err(|errors| {
                let first = errors.first().map(|d| format!(": {d}")).unwrap_or_default();
                Diagnostic::error(format!(
                    "`{}` has errors, so its structure cannot be copied{first}",
                    base.display()
                ))
                .hint(format!("fix them first (`handout check {}`)", base.display()))
            })?;
            translation(&h, l, &file, &today)
        }
        _ => {
            let title: String = name
                .split('-')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    let mut c = w.chars();
                    c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(" ");
            STARTER
                .replace("{title}", &title)
                .replace("{lang}", lang.unwrap_or("en"))
                .replace("{path}", &path.display().to_string())
                .replace("{today}", &today)
        }
    };
    write_new(&path, &text)?;
    let mut said = format!("wrote {}", path.display());
    let contact = dir.join("contact.yaml");
    if !contact.exists() {
        write_new(&contact, CONTACT)?;
        let _ = write!(
            said,
            "\nwrote {} (a starter contact profile: put your clinic's details in it)",
            contact.display()
        );
    }
    Ok(said)
}

/// Writes a file that must not exist yet.
fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))
}

/// A YAML double-quoted scalar of `s` (a JSON string is one), so any text survives.
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The `lang` variant of `base` for a translator: the base's keys, blocks and list items
/// in the same order, each text still the base's, to be replaced by its translation.
/// It builds as it is, and `check` finds the same structure as the base's.
fn translation(base: &Handout, lang: &str, file: &str, today: &str) -> String {
    let from = base.path.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut out = format!(
        "# {file}: the `{lang}` translation of {from}, with the same structure.\n\
         # Replace each text in quotes with its translation. Keep the keys, the `- ` of each\n\
         # block and list item, {{{{placeholders}}}} and link targets (in parentheses) as they are.\n"
    );
    let _ = writeln!(out, "title: {}", quoted(&base.title.value));
    if let Some(t) = &base.subtitle {
        let _ = writeln!(out, "subtitle: {}", quoted(&t.value));
    }
    let _ = writeln!(out, "lang: {lang}");
    if let Some(t) = &base.summary {
        let _ = writeln!(out, "summary: {}", quoted(&t.value));
    }
    if !base.keywords.is_empty() {
        let k: Vec<String> = base.keywords.iter().map(|k| quoted(&k.value)).collect();
        let _ = writeln!(out, "keywords: [{}]", k.join(", "));
    }
    if base.reviewed.is_some() {
        let _ = writeln!(out, "reviewed: {today}");
    }
    out.push_str("body:\n");
    for b in &base.body {
        match b {
            Block::Heading(t) => line(&mut out, 2, "- heading: ", t),
            Block::Subheading(t) => line(&mut out, 2, "- subheading: ", t),
            Block::Paragraph(t) => line(&mut out, 2, "- ", t),
            Block::List(l) => list(&mut out, 2, "- ", l),
            Block::Callout(c) => {
                out.push_str("  - callout:\n");
                let kind = match c.kind {
                    CalloutKind::Note => "note",
                    CalloutKind::Warning => "warning",
                    CalloutKind::Urgent => "urgent",
                };
                let _ = writeln!(out, "      kind: {kind}");
                if let Some(t) = &c.title {
                    line(&mut out, 6, "title: ", t);
                }
                if let Some(t) = &c.text {
                    line(&mut out, 6, "text: ", t);
                }
                if let Some(l) = &c.list {
                    list(&mut out, 6, "", l);
                }
            }
            Block::PageBreak(_) => out.push_str("  - page_break: true\n"),
            Block::Qr(q) => {
                out.push_str("  - qr:\n");
                line(&mut out, 6, "url: ", &q.url);
                line(&mut out, 6, "caption: ", &q.caption);
            }
            Block::Image(img) => {
                out.push_str("  - image:\n");
                line(&mut out, 6, "file: ", &img.file);
                line(&mut out, 6, "alt: ", &img.alt);
                if let Some(c) = &img.caption {
                    line(&mut out, 6, "caption: ", c);
                }
                if let Some(w) = img.width {
                    let _ = writeln!(out, "      width: {w}%");
                }
            }
            Block::Table(t) => {
                out.push_str("  - table:\n");
                if let Some(c) = &t.caption {
                    line(&mut out, 6, "caption: ", c);
                }
                let _ = writeln!(out, "      columns: {}", row(&t.columns));
                if let Some(w) = &t.widths {
                    let w: Vec<String> = w.iter().map(|w| w.to_string()).collect();
                    let _ = writeln!(out, "      widths: [{}]", w.join(", "));
                }
                out.push_str("      rows:\n");
                for r in &t.rows {
                    let _ = writeln!(out, "        - {}", row(r));
                }
            }
        }
    }
    out
}

/// A table row as a YAML flow list of quoted texts.
fn row(cells: &[Text]) -> String {
    let cells: Vec<String> = cells.iter().map(|c| quoted(&c.value)).collect();
    format!("[{}]", cells.join(", "))
}

fn line(out: &mut String, indent: usize, key: &str, t: &Text) {
    let _ = writeln!(out, "{:indent$}{key}{}", "", quoted(&t.value));
}

/// A list at `indent`; `dash` is `- ` for a block of the body, empty inside a callout.
fn list(out: &mut String, indent: usize, dash: &str, l: &List) {
    let key = match l.kind {
        ListKind::Bullets => "bullets",
        ListKind::Steps => "steps",
    };
    let _ = writeln!(out, "{:indent$}{dash}{key}:", "");
    let inner = indent + dash.len() + 4;
    for item in &l.items {
        match &item.nested {
            None => line(out, inner, "- ", &item.text),
            Some(n) => {
                line(out, inner, "- text: ", &item.text);
                list(out, inner + 2, "", n);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translation_copies_the_base_structure() {
        let dir = tempfile::tempdir().unwrap();
        let src = "title: Knee Care\nsubtitle: \"After: surgery\"\nreviewed: 2026-01-02\nbody:\n  - heading: Rest\n  - \"Call {{contact.phone}}.\"\n  - bullets:\n      - Take one pill daily\n      - text: Two\n        steps: [a, b]\n  - callout:\n      kind: warning\n      title: Watch for\n      bullets: [Fever]\n  - page_break: true\n  - steps: [Go]\n  - qr:\n      url: https://a.example/v\n      caption: Scan me\n  - image:\n      file: images/leg.png\n      alt: A raised leg\n      caption: Leg raise\n      width: 40%\n  - table:\n      caption: Pills\n      columns: [Medicine, \"How much\"]\n      widths: [2, 1.5]\n      rows:\n        - [Ibuprofen, \"\"]\n        - [\"Acetaminophen, generic\", 500 mg]\n";
        std::fs::write(dir.path().join("knee.yaml"), src).unwrap();
        write_starter(dir.path(), "knee", Some("es")).unwrap();
        let base = crate::model::load_handout(&dir.path().join("knee.yaml")).unwrap();
        let es = crate::model::load_handout(&dir.path().join("knee.es.yaml")).unwrap();
        assert_eq!(es.lang, "es");
        // The same structure; only the reminder that the texts are not translated yet.
        let w = crate::lint::variant_structure(&[&base, &es]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].1.message.contains("not translated yet"), "{w:?}");
        // The same blocks in the same order, each text still the base's.
        fn texts(h: &Handout) -> Vec<String> {
            fn list(l: &List, out: &mut Vec<String>) {
                out.push(format!("{:?}", l.kind));
                for i in &l.items {
                    out.push(i.text.value.clone());
                    if let Some(n) = &i.nested {
                        list(n, out);
                    }
                }
            }
            let mut out = vec![h.title.value.clone()];
            for b in &h.body {
                match b {
                    Block::Heading(t) => out.push(format!("H {}", t.value)),
                    Block::Subheading(t) => out.push(format!("S {}", t.value)),
                    Block::Paragraph(t) => out.push(format!("P {}", t.value)),
                    Block::List(l) => list(l, &mut out),
                    Block::Callout(c) => {
                        out.push(format!(
                            "C {:?} {:?} {:?}",
                            c.kind,
                            c.title.as_ref().map(|t| &t.value),
                            c.text.as_ref().map(|t| &t.value)
                        ));
                        if let Some(l) = &c.list {
                            list(l, &mut out);
                        }
                    }
                    Block::PageBreak(_) => out.push("page break".into()),
                    Block::Qr(q) => out.push(format!("Q {} {}", q.url.value, q.caption.value)),
                    Block::Image(i) => out.push(format!(
                        "I {} {} {:?} {:?}",
                        i.file.value,
                        i.alt.value,
                        i.caption.as_ref().map(|t| &t.value),
                        i.width
                    )),
                    Block::Table(t) => {
                        let cells =
                            |r: &[Text]| r.iter().map(|c| c.value.clone()).collect::<Vec<_>>().join("|");
                        out.push(format!(
                            "T {:?} {:?} {}",
                            t.caption.as_ref().map(|c| &c.value),
                            t.widths,
                            cells(&t.columns)
                        ));
                        out.extend(t.rows.iter().map(|r| cells(r)));
                    }
                }
            }
            out
        }
        assert_eq!(texts(&es), texts(&base));
        assert_eq!(es.subtitle.unwrap().value, "After: surgery");
        assert!(es.reviewed.is_some());
    }
}
