//! The font files the book may use, in search order, and opening the book.
//!
//! [`FontBook::load`] lists the shipped folder (or takes the compiled-in copy) without
//! reading a file, then lists and opens every `--font-dir` file so a bad one is reported
//! before any work; the system folders are walked only when the book first needs them.
//! A [`Catalog`] keeps each file's path and source; its bytes are mapped and each face
//! parsed only when first asked for, and a file that fails is named in
//! [`FontBook::searched`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::diag::{Diagnostic, Diagnostics, Severity};

use super::{discover, Face, FontBook, FontId, FontSource};

/// A font file: read once, when the first of its faces is needed.
pub(super) struct FontFile {
    pub(super) path: PathBuf,
    pub(super) source: FontSource,
    /// The bytes of a compiled-in font.
    builtin: Option<&'static [u8]>,
    pub(super) data: OnceLock<Result<&'static [u8], String>>,
    pub(super) sha256: OnceLock<String>,
}

impl FontFile {
    fn new(path: PathBuf, source: FontSource, builtin: Option<&'static [u8]>) -> FontFile {
        FontFile { path, source, builtin, data: OnceLock::new(), sha256: OnceLock::new() }
    }

    /// The file's bytes. Faces live as long as the process (one book serves a whole
    /// batch), so the bytes are leaked into a `'static` slice: the parsed shaping face is
    /// kept beside them instead of being re-parsed for every run.
    pub(super) fn bytes(&self) -> Result<&'static [u8], String> {
        self.data
            .get_or_init(|| match self.builtin {
                Some(b) => Ok(b),
                None => discover::map(&self.path),
            })
            .clone()
    }

    /// The name shown in listings and messages.
    pub(super) fn name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// One face of a file, parsed when first needed.
pub(super) struct Slot {
    pub(super) file: usize,
    pub(super) index: u32,
    pub(super) face: OnceLock<Option<Face>>,
}

/// Files and their faces, in search order.
#[derive(Default)]
pub(super) struct Catalog {
    pub(super) files: Vec<FontFile>,
    pub(super) slots: Vec<Slot>,
}

impl Catalog {
    fn add(&mut self, file: FontFile, faces: u32) {
        let n = self.files.len();
        self.files.push(file);
        self.slots.extend((0..faces).map(|index| Slot { file: n, index, face: OnceLock::new() }));
    }

    /// The error for a slot whose face cannot be used.
    fn unusable(&self, slot: usize) -> Diagnostic {
        let file = &self.files[self.slots[slot].file];
        let why = match file.bytes() {
            Err(e) => format!("cannot read font `{}`: {e}", file.path.display()),
            Ok(_) if self.slots[slot].index > 0 => format!(
                "`{}` (face {}) is not a usable TrueType/OpenType font",
                file.path.display(),
                self.slots[slot].index
            ),
            Ok(_) => format!("`{}` is not a usable TrueType/OpenType font", file.path.display()),
        };
        Diagnostic::error(why).hint("replace the file with a good copy, or remove it from the font folder")
    }

    pub(super) fn face(&self, slot: usize) -> Option<&Face> {
        let slot = self.slots.get(slot)?;
        slot.face
            .get_or_init(|| {
                let file = &self.files[slot.file];
                Face::parse(file.path.clone(), slot.index, file.bytes().ok()?, file.source)
            })
            .as_ref()
    }
}

/// The shipped fonts compiled into the binary, used when no `fonts/` directory is found.
const BUILTIN_FONTS: [(&str, &[u8]); 4] = [
    ("NotoSans-Regular.ttf", include_bytes!("../../../fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../../../fonts/NotoSans-BoldItalic.ttf")),
];

/// The file names of the primary family, by style (regular, bold, italic, bold italic).
const PRIMARY_FILES: [&str; 4] =
    ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSans-Italic.ttf", "NotoSans-BoldItalic.ttf"];

/// Where to look for fonts.
#[derive(Clone, Debug, Default)]
pub struct FontOptions {
    /// Extra directories (`--font-dir`), searched after the shipped fonts.
    pub font_dirs: Vec<PathBuf>,
    /// Whether to fall back to the system font directories.
    pub system_fonts: bool,
}

/// The shipped fonts directory: `HANDOUT_FONTS`, else the crate's `fonts/` if it still
/// exists; `None` means the compiled-in copy is used.
pub fn shipped_dir() -> Result<Option<PathBuf>, Diagnostic> {
    if let Some(dir) = std::env::var_os("HANDOUT_FONTS") {
        let dir = PathBuf::from(dir);
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "HANDOUT_FONTS is `{}`, which is not a directory",
                dir.display()
            ))
            .hint("point HANDOUT_FONTS at the folder that holds the shipped .ttf files, or unset it"));
        }
        return Ok(Some(dir));
    }
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    Ok(crate_dir.is_dir().then_some(crate_dir))
}

/// A walk problem as an error: in folders the user named, nothing is skipped silently.
fn as_error(mut d: Diagnostic, hint: &str) -> Diagnostic {
    d.severity = Severity::Error;
    d.hint(hint)
}

impl FontBook {
    /// Lists the shipped fonts (reading none of them), lists and opens the `--font-dir`s
    /// (a bad file there is an error naming it), and notes whether the system folders
    /// may be searched later.
    pub fn load(options: &FontOptions) -> Result<FontBook, Diagnostics> {
        let mut errors = Diagnostics::new();
        let mut local = Catalog::default();
        match shipped_dir() {
            Err(d) => errors.push(d),
            Ok(Some(dir)) => {
                let mut problems = Vec::new();
                match discover::list(&dir, &mut problems) {
                    Ok(files) if !files.is_empty() => {
                        for f in files {
                            local.add(FontFile::new(f.path, FontSource::Shipped, None), f.faces);
                        }
                    }
                    Ok(_) => errors.push(
                        Diagnostic::error(format!(
                            "the font folder `{}` has no .ttf, .otf, .ttc or .otc files",
                            dir.display()
                        ))
                        .hint("copy the shipped fonts/ folder back, or unset HANDOUT_FONTS"),
                    ),
                    Err(e) => errors
                        .push(Diagnostic::error(format!("cannot read font folder `{}`: {e}", dir.display()))),
                }
                let hint = "remove it from the shipped fonts/ folder";
                errors.extend(problems.into_iter().map(|d| as_error(d, hint)));
            }
            Ok(None) => {
                for (name, bytes) in BUILTIN_FONTS {
                    let path = PathBuf::from("<built-in>").join(name);
                    local.add(FontFile::new(path, FontSource::Shipped, Some(bytes)), 1);
                }
            }
        }
        let first_user = local.slots.len();
        for dir in &options.font_dirs {
            let mut problems = Vec::new();
            match discover::list(dir, &mut problems) {
                Ok(files) => {
                    for f in files {
                        local.add(FontFile::new(f.path, FontSource::User, None), f.faces);
                    }
                }
                Err(e) => errors.push(
                    Diagnostic::error(format!("cannot read --font-dir `{}`: {e}", dir.display()))
                        .hint("check the path; --font-dir takes a folder of .ttf/.otf/.ttc/.otc files"),
                ),
            }
            let hint = "remove it from the folder, or point --font-dir at a folder of font files only";
            errors.extend(problems.into_iter().map(|d| as_error(d, hint)));
        }
        // Fonts the user named are checked now, so a bad one is reported before any work.
        for i in first_user..local.slots.len() {
            if local.face(i).is_none() {
                errors.push(local.unusable(i));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut book = FontBook {
            local,
            system: OnceLock::new(),
            system_fonts: options.system_fonts,
            primary: [FontId(0); 4],
            ranked: Mutex::new(BTreeMap::new()),
        };
        match book.pick_primary() {
            Some(primary) => book.primary = primary,
            None => {
                // Name every shipped file that could not be used.
                let mut errors: Diagnostics = (0..book.local.slots.len())
                    .filter(|&i| {
                        book.source(FontId(i)) == FontSource::Shipped && book.local.face(i).is_none()
                    })
                    .map(|i| book.local.unusable(i))
                    .collect();
                errors
                    .push(Diagnostic::error("no usable shipped font found").hint(
                        "the fonts/ folder needs at least one regular face, e.g. NotoSans-Regular.ttf",
                    ));
                return Err(errors);
            }
        }
        Ok(book)
    }

    /// The shipped Noto Sans files by name; else the regular/bold/italic/bold-italic faces
    /// of the first shipped family with a regular face (this opens the shipped files).
    fn pick_primary(&self) -> Option<[FontId; 4]> {
        let shipped: Vec<usize> =
            (0..self.local.slots.len()).filter(|&i| self.source(FontId(i)) == FontSource::Shipped).collect();
        let by_name = |name: &str| {
            shipped.iter().copied().find(|&i| self.local.files[self.local.slots[i].file].name() == name)
        };
        if let Some(regular) = by_name(PRIMARY_FILES[0]).filter(|&i| self.local.face(i).is_some()) {
            let mut out = [FontId(regular); 4];
            for (slot, name) in out.iter_mut().zip(PRIMARY_FILES).skip(1) {
                if let Some(i) = by_name(name) {
                    *slot = FontId(i);
                }
            }
            return Some(out);
        }
        let faces: Vec<(usize, &Face)> =
            shipped.iter().filter_map(|&i| self.local.face(i).map(|f| (i, f))).collect();
        let (regular, face) = faces.iter().find(|(_, f)| !f.bold && !f.italic).or(faces.first())?;
        let find = |bold: bool, italic: bool| {
            faces
                .iter()
                .find(|(_, f)| f.family == face.family && f.bold == bold && f.italic == italic)
                .map_or(FontId(*regular), |(i, _)| FontId(*i))
        };
        Some([FontId(*regular), find(true, false), find(false, true), find(true, true)])
    }

    /// The system catalog, walked on first call (empty with `--no-system-fonts`).
    pub(super) fn system(&self) -> &Catalog {
        self.system.get_or_init(|| {
            let mut cat = Catalog::default();
            if self.system_fonts {
                for dir in discover::system_dirs() {
                    // Problems in the machine's folders are not the user's: skipped.
                    let mut ignored = Vec::new();
                    for f in discover::list(&dir, &mut ignored).unwrap_or_default() {
                        cat.add(FontFile::new(f.path, FontSource::System, None), f.faces);
                    }
                }
            }
            cat
        })
    }

    /// The fonts searched, for "no font can show U+XXXX" messages.
    pub fn searched(&self) -> String {
        let names: Vec<String> = self.local.files.iter().map(FontFile::name).collect();
        let mut out = names.join(", ");
        // Shipped or --font-dir files that were tried and turned out unreadable or broken.
        let broken: Vec<String> = self
            .local
            .slots
            .iter()
            .filter(|slot| matches!(slot.face.get(), Some(None)))
            .map(|slot| {
                let file = &self.local.files[slot.file];
                match file.data.get() {
                    Some(Err(e)) => format!("{} ({e})", file.name()),
                    _ => format!("{} (not a usable font)", file.name()),
                }
            })
            .collect();
        if !broken.is_empty() {
            out.push_str(&format!("; could not use {}", broken.join(", ")));
        }
        if !self.system_fonts {
            out.push_str(" (system fonts off: --no-system-fonts)");
        } else if let Some(sys) = self.system.get() {
            out.push_str(&format!(" and {} system font files", sys.files.len()));
        } else {
            out.push_str(" and the system font folders");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::markup::InlineStyle;

    #[test]
    fn shipped_fonts_give_four_styles() {
        let book = FontBook::load(&FontOptions::default()).unwrap();
        let r = book.get(book.primary(InlineStyle::default()));
        assert_eq!(r.family, "Noto Sans");
        assert!(!r.bold && !r.italic);
        let bi = book.get(book.primary(InlineStyle { bold: true, italic: true }));
        assert!(bi.bold && bi.italic);
        assert_eq!(book.face_for('é', InlineStyle::default()), Some(book.primary(InlineStyle::default())));
    }

    #[test]
    fn a_broken_shipped_file_is_named_when_it_was_needed() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["NotoSans-Regular.ttf", "NotoSans-Bold.ttf"] {
            std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(f), dir.path().join(f))
                .unwrap();
        }
        std::fs::write(dir.path().join("NotoSansThai-Regular.ttf"), b"not a font").unwrap();
        let mut local = Catalog::default();
        for f in discover::list(dir.path(), &mut Vec::new()).unwrap() {
            local.add(FontFile::new(f.path, FontSource::Shipped, None), f.faces);
        }
        let mut book = FontBook {
            local,
            system: OnceLock::new(),
            system_fonts: false,
            primary: [FontId(0); 4],
            ranked: Mutex::new(BTreeMap::new()),
        };
        book.primary = book.pick_primary().unwrap();
        assert_eq!(book.face_for_cluster("ก", InlineStyle::default(), "th"), None);
        assert!(book.searched().contains("could not use NotoSansThai-Regular.ttf (not a usable font)"));
    }
}
