//! `handout new`: a starter handout that already builds, showing every block type.

use std::path::Path;

use crate::diag::Diagnostic;

/// The starter text; `{title}` and `{lang}` are filled in.
const STARTER: &str = r#"# A patient handout. Every string may use **bold**, *italics* and [links](https://example.org).
# Build it with: handout build {path}
title: {title}
subtitle: One line that says what this handout is for
lang: {lang}
summary: One sentence that sums up the handout.
keywords: [example]
reviewed: 2026-01-01
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
  - callout:
      kind: urgent
      title: Call 911 if you have
      bullets:
        - Trouble breathing
  - "Questions? Call us at {{contact.phone}}."
"#;

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
    let title: String = name
        .split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ");
    let text = STARTER
        .replace("{title}", &title)
        .replace("{lang}", lang.unwrap_or("en"))
        .replace("{path}", &path.display().to_string());
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write `{}`: {e}", path.display())))?;
    Ok(format!("wrote {}", path.display()))
}
