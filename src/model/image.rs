//! The `image:` block: checks what can be checked without reading the picture. The
//! path must be relative and stay inside the handout's folder, `alt` must say what the
//! picture shows, and `width` is a percentage of the text width.
//!
//! The file itself (does it exist, is it a PNG or JPEG, how big) is read by
//! `resolve::picture`, once per run, so that `check` and `build` report it at the
//! `file:` value for each document that uses it.

use std::path::{Component, Path};

use serde_yaml::Value;

use super::build::Builder;
use super::raw::{RawImage, Str};
use super::{Image, Text};
use crate::diag::Diagnostic;

/// An example of good alternate text, for hints.
const ALT_EXAMPLE: &str = "alt: A person lying on their back lifting one straight leg";

/// Builds an image block at `ip` (`body[3].image`) of the handout file `handout`.
pub(super) fn image(b: &mut Builder, ip: &str, raw: RawImage, handout: &Path) -> Image {
    let span = b.key_span(ip);
    let file = b.text(&format!("{ip}.file"), raw.file);
    let folder = handout.parent().unwrap_or(Path::new(""));
    if !file.value.trim().is_empty() {
        if let Some(d) = path_error(file.value.trim()) {
            b.errors.push(d.at(file.span.clone()));
        }
    }
    let path = folder.join(file.value.trim());
    let alt = alt(b, ip, raw.alt);
    let caption = b.opt(&format!("{ip}.caption"), raw.caption);
    let width = raw.width.and_then(|w| width(b, &format!("{ip}.width"), &w));
    Image { file, path, alt, caption, width, span }
}

/// Why a `file:` value cannot be used, or `None`. Pictures are files in the handout's
/// folder (or below it), so the folder can be copied, versioned and deployed as one;
/// `images/../leg.png` is fine, `../shared/leg.png` is not.
fn path_error(file: &str) -> Option<Diagnostic> {
    let beside =
        "put the picture in the handout's folder (for example in `images/`) and give its path from there";
    if file.contains("://") {
        return Some(
            Diagnostic::error(format!("`{file}` is a web address; pictures are read from files"))
                .hint("download the picture, then give its path from the handout's folder, e.g. `file: images/leg-raise.png`"),
        );
    }
    if file.contains("{{") || file.contains("}}") {
        return Some(
            Diagnostic::error(format!("the image path `{file}` has a placeholder"))
                .hint("a picture's file is always the same file; write its path without `{{…}}`"),
        );
    }
    let p = Path::new(file);
    // `C:\…` and `\\server\…` are absolute on Windows; `/…` everywhere.
    let windows_absolute = file.starts_with('\\') || file.as_bytes().get(1) == Some(&b':');
    if p.is_absolute() || p.has_root() || windows_absolute {
        return Some(
            Diagnostic::error(format!("the image path `{file}` is absolute"))
                .hint("write the path relative to the handout's file, e.g. `file: images/leg-raise.png`")
                .hint(beside),
        );
    }
    let mut depth: usize = 0;
    for c in p.components() {
        match c {
            Component::ParentDir if depth == 0 => {
                return Some(
                    Diagnostic::error(format!("the image path `{file}` leaves the handout's folder"))
                        .hint(beside),
                )
            }
            Component::ParentDir => depth -= 1,
            Component::Normal(_) => depth += 1,
            _ => {}
        }
    }
    (depth == 0).then(|| {
        Diagnostic::error(format!("the image path `{file}` names no file"))
            .hint("give the picture's file, e.g. `file: images/leg-raise.png`")
    })
}

/// The required alternate text: missing, empty or not text is an error, since a
/// picture without it is invisible to a screen reader (PDF/UA).
fn alt(b: &mut Builder, ip: &str, value: Option<Value>) -> Text {
    let path = format!("{ip}.alt");
    let why = "a screen reader reads `alt` instead of the picture: the PDF must stay accessible";
    match value {
        Some(Value::String(s)) if !s.trim().is_empty() => b.text(&path, Str(s)),
        Some(Value::String(_)) | Some(Value::Null) | None => {
            let present = b.positions.key(&path).is_some();
            let (msg, at) = if present {
                ("the picture's `alt` is empty", b.key_span(&path))
            } else {
                ("the picture has no `alt` text", b.key_span(ip))
            };
            b.errors.push(
                Diagnostic::error(msg)
                    .at(at)
                    .hint(format!("say in a sentence what the picture shows, e.g. `{ALT_EXAMPLE}`"))
                    .hint(why),
            );
            Text::synthetic("", b.key_span(ip))
        }
        Some(other) => {
            let found = match other {
                Value::Sequence(_) => "a list",
                Value::Mapping(_) => "keys and values",
                _ => "a number or true/false",
            };
            b.errors.push(
                Diagnostic::error(format!("expected text here, found {found}"))
                    .at(b.span(&path))
                    .hint(format!("say in a sentence what the picture shows, e.g. `{ALT_EXAMPLE}`")),
            );
            Text::synthetic("", b.key_span(ip))
        }
    }
}

/// `width: 50%`: a percentage from 1 to 100 of the text width.
fn width(b: &mut Builder, path: &str, value: &Value) -> Option<f32> {
    let span = b.span(path);
    let written = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(v) => v.to_string(),
        _ => String::new(),
    };
    let percent = written.strip_suffix('%').map(str::trim).and_then(|n| n.parse::<f32>().ok());
    match percent {
        Some(p) if (1.0..=100.0).contains(&p) => Some(p),
        _ => {
            let d = match value {
                Value::Number(_) => Diagnostic::error(format!("`width: {written}` has no `%`"))
                    .hint(format!("write the width as a percentage of the text width: `width: {written}%`")),
                _ if percent.is_some() => {
                    Diagnostic::error(format!("`width: {written}` is not between 1% and 100%"))
                        .hint("100% is the full text width; leave `width` out for the picture's natural size")
                }
                _ => Diagnostic::error("`width` is not a percentage")
                    .hint("write a percentage of the text width, e.g. `width: 50%`, or leave it out for the picture's natural size"),
            };
            b.errors.push(d.at(span));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_error;

    #[test]
    fn paths_stay_inside_the_handout_folder() {
        for ok in ["images/leg.png", "leg.jpg", "images/../leg.png", "./images/a b.png"] {
            assert!(path_error(ok).is_none(), "{ok}");
        }
        for bad in [
            "../leg.png",
            "images/../../leg.png",
            "/etc/x.png",
            "C:\\x.png",
            "https://a.example/x.png",
            "images/..",
        ] {
            assert!(path_error(bad).is_some(), "{bad}");
        }
    }
}
