//! The font book: every font the tool may use, in search order, and per-character
//! fallback.
//!
//! Search order (SPEC §5): the shipped `fonts/` directory (`HANDOUT_FONTS`, else the
//! crate's own `fonts/`, else a copy of the shipped Noto Sans compiled into the binary so
//! an installed executable never depends on the checkout), then each `--font-dir`, then
//! the system font directories. System fonts are only opened when a character is missing
//! from the others, so a Latin handout never pays for scanning them.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::diag::{Diagnostic, Diagnostics};

use super::markup::InlineStyle;
use super::VMetrics;

/// Index of a face in its [`FontBook`]; stable for the life of the book.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FontId(pub usize);

/// Where a face was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FontSource {
    /// The shipped `fonts/` (or its compiled-in copy).
    Shipped,
    /// A `--font-dir`.
    User,
    /// A system font directory.
    System,
}

/// One loaded font face.
pub struct Face {
    /// Where the face was found (`<built-in>/NotoSans-Regular.ttf` for the compiled-in copy).
    pub path: PathBuf,
    /// Family name from the `name` table.
    pub family: String,
    /// PostScript name (used as the PDF BaseFont).
    pub postscript_name: String,
    /// True if and only if the face is bold (weight ≥ 600).
    pub bold: bool,
    /// True if and only if the face is italic or oblique.
    pub italic: bool,
    /// The font file. Faces live as long as the process (one book serves a whole batch),
    /// so the bytes are leaked into a `'static` slice: that lets the parsed shaping face
    /// be kept beside them instead of being re-parsed for every run.
    pub data: &'static [u8],
    /// The face for shaping and metrics.
    pub shaper: rustybuzz::Face<'static>,
    /// Where the face came from.
    pub source: FontSource,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("path", &self.path)
            .field("postscript_name", &self.postscript_name)
            .finish()
    }
}

impl Face {
    /// Parses a font file; `None` if it is not a usable TrueType/OpenType font.
    fn parse(path: PathBuf, data: &'static [u8], source: FontSource) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, 0)?;
        let name = |id: u16| {
            shaper
                .names()
                .into_iter()
                .filter(|n| n.name_id == id && n.is_unicode())
                .find_map(|n| n.to_string())
        };
        let family = name(rustybuzz::ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
            .or_else(|| name(rustybuzz::ttf_parser::name_id::FAMILY))?;
        let postscript_name =
            name(rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME).unwrap_or_else(|| family.replace(' ', ""));
        let bold = shaper.weight().to_number() >= 600;
        let italic = shaper.is_italic() || shaper.is_oblique();
        Some(Face { path, family, postscript_name, bold, italic, data, shaper, source })
    }

    /// Returns true if and only if the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }

    /// Units per em of the face.
    pub fn units_per_em(&self) -> f32 {
        self.shaper.units_per_em() as f32
    }

    /// Ascent and descent at `size` points (typographic metrics).
    pub fn vmetrics(&self, size: f32) -> VMetrics {
        let scale = size / self.units_per_em();
        VMetrics {
            ascent: f32::from(self.shaper.ascender()) * scale,
            descent: -f32::from(self.shaper.descender()) * scale,
        }
    }

    /// The style label used in listings ("Regular", "Bold Italic", …).
    pub fn style_name(&self) -> &'static str {
        match (self.bold, self.italic) {
            (false, false) => "Regular",
            (true, false) => "Bold",
            (false, true) => "Italic",
            (true, true) => "Bold Italic",
        }
    }
}

/// A face that is opened only when first needed (system fonts).
struct Slot {
    path: PathBuf,
    source: FontSource,
    face: OnceLock<Option<Face>>,
}

/// Every font the tool may use, in search order.
pub struct FontBook {
    slots: Vec<Slot>,
    /// The faces used for text unless a character needs a fallback, by style:
    /// regular, bold, italic, bold italic.
    primary: [FontId; 4],
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontBook").field("fonts", &self.slots.len()).finish()
    }
}

/// The shipped fonts compiled into the binary, used when no `fonts/` directory is found.
const BUILTIN_FONTS: [(&str, &[u8]); 4] = [
    ("NotoSans-Regular.ttf", include_bytes!("../../fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../../fonts/NotoSans-BoldItalic.ttf")),
];

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

/// The system font directories that exist, in a fixed order.
fn system_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![PathBuf::from("/usr/share/fonts"), PathBuf::from("/usr/local/share/fonts")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".local/share/fonts"));
        dirs.push(Path::new(&home).join(".fonts"));
    }
    dirs.retain(|d| d.is_dir());
    dirs
}

/// Font files under `dir` (recursively), sorted by path so the order never depends on
/// the file system.
fn font_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf"))
            {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

fn leak(bytes: Vec<u8>) -> &'static [u8] {
    Box::leak(bytes.into_boxed_slice())
}

impl FontBook {
    /// Loads the shipped fonts and `--font-dir`s eagerly (a missing or corrupt file there
    /// is an error) and notes the system fonts for lazy loading.
    pub fn load(options: &FontOptions) -> Result<FontBook, Diagnostics> {
        let mut errors = Diagnostics::new();
        let mut slots = Vec::new();
        let eager =
            |path: PathBuf, source, errors: &mut Diagnostics, slots: &mut Vec<Slot>| match std::fs::read(
                &path,
            ) {
                Ok(bytes) => {
                    let face = Face::parse(path.clone(), leak(bytes), source);
                    if face.is_none() {
                        errors.push(
                            Diagnostic::error(format!(
                                "`{}` is not a usable TrueType/OpenType font",
                                path.display()
                            ))
                            .hint("replace the file with a good copy, or remove it from the font folder"),
                        );
                    }
                    let cell = OnceLock::new();
                    let _ = cell.set(face);
                    slots.push(Slot { path, source, face: cell });
                }
                Err(e) => {
                    errors.push(Diagnostic::error(format!("cannot read font `{}`: {e}", path.display())))
                }
            };
        match shipped_dir() {
            Err(d) => errors.push(d),
            Ok(Some(dir)) => match font_files(&dir) {
                Ok(files) if !files.is_empty() => {
                    for f in files {
                        eager(f, FontSource::Shipped, &mut errors, &mut slots);
                    }
                }
                Ok(_) => errors.push(
                    Diagnostic::error(format!(
                        "the font folder `{}` has no .ttf or .otf files",
                        dir.display()
                    ))
                    .hint("copy the shipped fonts/ folder back, or unset HANDOUT_FONTS"),
                ),
                Err(e) => errors
                    .push(Diagnostic::error(format!("cannot read font folder `{}`: {e}", dir.display()))),
            },
            Ok(None) => {
                for (name, bytes) in BUILTIN_FONTS {
                    let face =
                        Face::parse(PathBuf::from("<built-in>").join(name), bytes, FontSource::Shipped);
                    let cell = OnceLock::new();
                    let _ = cell.set(face);
                    slots.push(Slot { path: PathBuf::from(name), source: FontSource::Shipped, face: cell });
                }
            }
        }
        for dir in &options.font_dirs {
            match font_files(dir) {
                Ok(files) => {
                    for f in files {
                        eager(f, FontSource::User, &mut errors, &mut slots);
                    }
                }
                Err(e) => errors.push(
                    Diagnostic::error(format!("cannot read --font-dir `{}`: {e}", dir.display()))
                        .hint("check the path; --font-dir takes a folder of .ttf/.otf files"),
                ),
            }
        }
        if options.system_fonts {
            for dir in system_dirs() {
                for path in font_files(&dir).unwrap_or_default() {
                    slots.push(Slot { path, source: FontSource::System, face: OnceLock::new() });
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut book = FontBook { slots, primary: [FontId(0); 4] };
        book.primary = book.pick_primary().ok_or_else(|| {
            vec![Diagnostic::error("no usable shipped font found")
                .hint("the fonts/ folder needs at least one regular face")]
        })?;
        Ok(book)
    }

    /// Chooses the regular/bold/italic/bold-italic faces of the first shipped family.
    fn pick_primary(&self) -> Option<[FontId; 4]> {
        let shipped: Vec<(FontId, &Face)> = (0..self.slots.len())
            .filter(|&i| self.slots[i].source == FontSource::Shipped)
            .filter_map(|i| self.face(FontId(i)).map(|f| (FontId(i), f)))
            .collect();
        let regular = shipped.iter().find(|(_, f)| !f.bold && !f.italic).or(shipped.first())?;
        let family = &regular.1.family;
        let find = |bold: bool, italic: bool| {
            shipped
                .iter()
                .find(|(_, f)| &f.family == family && f.bold == bold && f.italic == italic)
                .map_or(regular.0, |(id, _)| *id)
        };
        Some([regular.0, find(true, false), find(false, true), find(true, true)])
    }

    /// The face with this id, opening it if it is a system font not yet opened; `None`
    /// if the file cannot be used.
    pub fn face(&self, id: FontId) -> Option<&Face> {
        let slot = self.slots.get(id.0)?;
        slot.face
            .get_or_init(|| {
                let bytes = std::fs::read(&slot.path).ok()?;
                Face::parse(slot.path.clone(), leak(bytes), slot.source)
            })
            .as_ref()
    }

    /// The face for `id`; panics are impossible for ids this book handed out.
    pub fn get(&self, id: FontId) -> &Face {
        self.face(id).unwrap_or_else(|| self.face(self.primary[0]).expect("primary face is loaded"))
    }

    /// The primary face for a style.
    pub fn primary(&self, style: InlineStyle) -> FontId {
        self.primary[usize::from(style.bold) + 2 * usize::from(style.italic)]
    }

    /// The face that shows `c` in `style`: the primary face if it can, else the first
    /// face in search order that has the glyph, preferring one of the same style.
    pub fn face_for(&self, c: char, style: InlineStyle) -> Option<FontId> {
        let primary = self.primary(style);
        if self.get(primary).covers(c) {
            return Some(primary);
        }
        let mut any = None;
        for i in 0..self.slots.len() {
            let Some(face) = self.face(FontId(i)) else { continue };
            if face.covers(c) {
                if face.bold == style.bold && face.italic == style.italic {
                    return Some(FontId(i));
                }
                any.get_or_insert(FontId(i));
            }
        }
        any
    }

    /// Short names of the fonts searched, for "no font can show U+XXXX" messages.
    pub fn searched(&self) -> String {
        let mut names: Vec<String> = Vec::new();
        for s in &self.slots {
            if s.source == FontSource::System {
                continue;
            }
            let n = s.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            names.push(n);
        }
        let system = self.slots.iter().filter(|s| s.source == FontSource::System).count();
        let mut out = names.join(", ");
        if system > 0 {
            out.push_str(&format!(" and {system} system fonts"));
        }
        out
    }

    /// Every face id in search order (system fonts are opened by [`FontBook::face`]).
    pub fn ids(&self) -> impl Iterator<Item = FontId> {
        (0..self.slots.len()).map(FontId)
    }

    /// Where a face was found, without opening it.
    pub fn source(&self, id: FontId) -> FontSource {
        self.slots[id.0].source
    }

    /// The file of a face, without opening it.
    pub fn path(&self, id: FontId) -> &Path {
        &self.slots[id.0].path
    }

    /// The face that shows a whole grapheme cluster in `style`, so a combining mark stays
    /// in its base's font: the primary face if it has every character, else the first
    /// face in search order that has them all, preferring one of the same style; `None`
    /// if no face has them all (the caller then falls back per character).
    /// Default-ignorable characters (ZWJ, variation selectors, bidi controls) are not
    /// asked for. `_lang` is for ranking faces by language.
    pub fn face_for_cluster(&self, cluster: &str, style: InlineStyle, _lang: &str) -> Option<FontId> {
        let primary = self.primary(style);
        let covers_all =
            |face: &Face| cluster.chars().all(|c| super::is_default_ignorable(c) || face.covers(c));
        if covers_all(self.get(primary)) {
            return Some(primary);
        }
        let mut any = None;
        for i in 0..self.slots.len() {
            let Some(face) = self.face(FontId(i)) else { continue };
            if covers_all(face) {
                if face.bold == style.bold && face.italic == style.italic {
                    return Some(FontId(i));
                }
                any.get_or_insert(FontId(i));
            }
        }
        any
    }
}

/// Scripts listed by `handout fonts`, each with characters that a face must have to count
/// as covering it.
pub const SCRIPT_SAMPLES: [(&str, &str); 12] = [
    ("Latin", "AaÉéñ"),
    ("Vietnamese", "ăơưệ"),
    ("Greek", "ΑΩαω"),
    ("Cyrillic", "ДЖдж"),
    ("Arabic", "ابتث"),
    ("Hebrew", "אבג"),
    ("Devanagari", "कखग"),
    ("Thai", "กขค"),
    ("Han", "中文字"),
    ("Kana", "あア"),
    ("Hangul", "한글"),
    ("Haitian Creole", "èòà"),
];

/// The scripts of [`SCRIPT_SAMPLES`] that `face` covers.
pub fn scripts_covered(face: &Face) -> Vec<&'static str> {
    SCRIPT_SAMPLES.iter().filter(|(_, s)| s.chars().all(|c| face.covers(c))).map(|(n, _)| *n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
