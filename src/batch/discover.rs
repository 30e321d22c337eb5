//! Discovery: command-line paths → the handout files to build, loaded.
//!
//! A directory means every `NAME.yaml` and `NAME.LANG.yaml` in it (not the contact
//! profile); a file means that handout and, for a base file, its language variants.
//! Files are listed in sorted order so the work list never depends on the file system.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Handout;

/// A handout file found, loaded or not.
#[derive(Clone, Debug)]
pub enum Source {
    /// Loaded and valid.
    Loaded(Box<Handout>),
    /// Could not be loaded; the document fails, the others go on.
    Failed {
        /// The file.
        path: PathBuf,
        /// Its id as far as the name tells.
        id: String,
        /// Its language as far as the name tells.
        lang: Option<String>,
        /// What is wrong.
        errors: Diagnostics,
    },
}

fn is_yaml(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// True for the contact profile in use and for any file named `contact.yaml`: neither is
/// ever a handout, however it was named on the command line.
fn is_contact_profile(p: &Path, contact: &Path) -> bool {
    same_file(p, contact) || p.file_name().is_some_and(|n| n == "contact.yaml")
}

/// Lists and loads the handouts named by `paths`. A path that does not exist is a
/// configuration error (nothing is built).
pub fn discover(
    paths: &[PathBuf],
    contact: &Path,
    langs: &super::LangFilter,
) -> Result<Vec<Source>, Diagnostics> {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                vec![Diagnostic::error(format!("cannot read folder `{}`: {e}", path.display()))]
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_yaml(p))
                .filter(|p| !is_contact_profile(p, contact))
                .collect();
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            if is_contact_profile(path, contact) {
                // `handout build handouts/*.yaml`: the shell's glob names the profile too.
                continue;
            }
            files.push(path.clone());
            // A base file brings its variants: NAME.LANG.yaml beside it.
            if let Ok((id, None)) = crate::model::parse_file_name(path) {
                let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
                let dir = if dir.as_os_str().is_empty() { PathBuf::from(".") } else { dir };
                if let Ok(entries) = std::fs::read_dir(&dir) {
                    let mut variants: Vec<PathBuf> = entries
                        .filter_map(|e| e.ok().map(|e| e.path()))
                        .filter(|p| is_yaml(p))
                        .filter(
                            |p| matches!(crate::model::parse_file_name(p), Ok((vid, Some(_))) if vid == id),
                        )
                        .map(|p| {
                            if path.parent().is_some_and(|d| d.as_os_str().is_empty()) {
                                PathBuf::from(p.file_name().unwrap_or_default())
                            } else {
                                p
                            }
                        })
                        .collect();
                    variants.sort();
                    files.extend(variants);
                }
            }
        } else {
            return Err(vec![Diagnostic::error(format!("`{}` does not exist", path.display()))
                .hint("pass a handout file (NAME.yaml) or a folder of them")]);
        }
    }
    // The same file named twice is built once.
    let mut seen = BTreeSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    let sources: Vec<Source> = files
        .into_iter()
        .filter_map(|path| {
            let (id, lang) = match crate::model::parse_file_name(&path) {
                Ok(x) => x,
                Err(d) => {
                    let id = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                    return Some(Source::Failed { path, id, lang: None, errors: vec![d] });
                }
            };
            // A variant whose file name names a language `--lang` leaves out is neither
            // built nor checked, so it is not read (`--lang en` beside six translations
            // read and parsed all seven). A base file is read: its `lang:` says its language.
            if lang.as_deref().is_some_and(|l| !langs.wants(l)) {
                return None;
            }
            Some(match crate::model::load_handout(&path) {
                Ok(h) => Source::Loaded(Box::new(h)),
                Err(d) => {
                    Source::Failed { path, id, lang: Some(lang.unwrap_or_else(|| "en".into())), errors: d }
                }
            })
        })
        .collect();
    Ok(sources)
}
