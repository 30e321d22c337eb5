//! `handout fonts`: per language, the face its text would get (regular and bold) and
//! whether the fonts cover it; then every font file found, where, and its scripts.

use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{json, Value};

use super::report::{config_error, print_stdout};
use crate::text::fonts::{cjk_family, language_choices, scripts_covered, FontOptions, FontSource};
use crate::text::{FontBook, FontId};

fn source_name(s: FontSource) -> &'static str {
    match s {
        FontSource::Shipped => "shipped",
        FontSource::User => "font-dir",
        FontSource::System => "system",
    }
}

fn face_json(book: &FontBook, id: Option<FontId>) -> Value {
    let Some(id) = id else { return Value::Null };
    let face = book.get(id);
    json!({
        "file": book.path(id).display().to_string(),
        "index": book.index(id),
        "family": face.family,
        "style": face.style_name(),
        "source": source_name(book.source(id)),
    })
}

/// One face for the per-language table; a CJK face of another region says that the
/// shaper gives it the language's glyph forms (`locl`).
fn face_text(book: &FontBook, id: Option<FontId>, lang: &str) -> String {
    let Some(id) = id else { return "(none)".to_string() };
    let face = book.get(id);
    let forms = match cjk_family(lang) {
        Some(f) if face.family.starts_with("Noto Sans CJK") && face.family != f => {
            format!(", {lang} forms by locl")
        }
        _ => String::new(),
    };
    let file = book.path(id).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let index = if book.index(id) > 0 { format!("#{}", book.index(id)) } else { String::new() };
    format!("{} {} ({file}{index}{forms})", face.family, face.style_name())
}

/// Runs `handout fonts`. Exit status 0, or 2 when the fonts cannot be loaded.
pub fn fonts(font_dirs: &[PathBuf], system_fonts: bool, json: bool) -> ExitCode {
    let book = match FontBook::load(&FontOptions { font_dirs: font_dirs.to_vec(), system_fonts }) {
        Ok(b) => b,
        Err(d) => return config_error("fonts", &d, json),
    };
    let choices = language_choices(&book);
    let ids: Vec<FontId> = book.ids().collect();
    if json {
        let languages: Vec<Value> = choices
            .iter()
            .map(|c| {
                json!({
                    "lang": c.lang,
                    "regular": face_json(&book, c.regular),
                    "bold": face_json(&book, c.bold),
                    "covered": c.missing.is_empty(),
                    "missing": c.missing.iter().map(|ch| format!("U+{:04X}", u32::from(*ch))).collect::<Vec<_>>(),
                })
            })
            .collect();
        let fonts: Vec<Value> = ids
            .iter()
            .map(|&id| match book.face(id) {
                Some(face) => json!({
                    "file": book.path(id).display().to_string(),
                    "index": book.index(id),
                    "source": source_name(book.source(id)),
                    "family": face.family,
                    "style": face.style_name(),
                    "scripts": scripts_covered(face),
                }),
                None => json!({
                    "file": book.path(id).display().to_string(),
                    "index": book.index(id),
                    "source": source_name(book.source(id)),
                    "usable": false,
                }),
            })
            .collect();
        let v = json!({ "system_fonts": system_fonts, "languages": languages, "fonts": fonts });
        print_stdout(&format!("{v}\n"));
        return ExitCode::SUCCESS;
    }
    let mut out = String::from("Per language (regular / bold):\n");
    for c in &choices {
        let covered = if c.missing.is_empty() {
            "covered".to_string()
        } else {
            let list: Vec<String> = c.missing.iter().map(|ch| format!("U+{:04X}", u32::from(*ch))).collect();
            format!("MISSING {}", list.join(" "))
        };
        out.push_str(&format!(
            "  {:8} {}  /  {}  {covered}\n",
            c.lang,
            face_text(&book, c.regular, c.lang),
            face_text(&book, c.bold, c.lang)
        ));
    }
    out.push_str(if system_fonts {
        "\nFonts (shipped, then --font-dir, then system):\n"
    } else {
        "\nFonts (shipped, then --font-dir; system fonts off):\n"
    });
    for id in ids {
        let source = source_name(book.source(id));
        let index = if book.index(id) > 0 { format!(" #{}", book.index(id)) } else { String::new() };
        match book.face(id) {
            Some(face) => out.push_str(&format!(
                "  {source:8}  {} {}  {}{index}  [{}]\n",
                face.family,
                face.style_name(),
                book.path(id).display(),
                scripts_covered(face).join(", ")
            )),
            None => out.push_str(&format!("  {source:8}  (unusable)  {}{index}\n", book.path(id).display())),
        }
    }
    print_stdout(&out);
    ExitCode::SUCCESS
}
