//! The font book: every font the tool may use, and which face shows a cluster.
//!
//! Search order (SPEC §5, README "Fonts"): the shipped `fonts/` directory
//! (`HANDOUT_FONTS`, else the crate's own `fonts/`, else a copy of the shipped Noto Sans
//! compiled into the binary so an installed executable never depends on the checkout),
//! then each `--font-dir`, then the system font directories (unless `--no-system-fonts`).
//!
//! Loading is lazy: the shipped folder is listed once and a face is read and parsed only
//! when a document needs it; which shipped file serves a script is known from its name
//! ([`select`]). The system folders are walked only when the shipped fonts and the
//! `--font-dir`s cannot show a cluster. Walks and reads are bounded ([`discover`]).

mod discover;
mod face;
mod select;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diag::{Diagnostic, Diagnostics, Severity};

use super::markup::InlineStyle;

pub use discover::{MAX_DEPTH, MAX_FILES, MAX_FONT_BYTES};
pub use face::{DescriptorMetrics, Face};
pub use select::{cjk_family, LANGUAGE_SAMPLES, SCRIPT_SAMPLES};

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

/// A font file: read once, when the first of its faces is needed.
struct FontFile {
    path: PathBuf,
    source: FontSource,
    /// The bytes of a compiled-in font.
    builtin: Option<&'static [u8]>,
    data: OnceLock<Result<&'static [u8], String>>,
    sha256: OnceLock<String>,
}

impl FontFile {
    fn new(path: PathBuf, source: FontSource, builtin: Option<&'static [u8]>) -> FontFile {
        FontFile { path, source, builtin, data: OnceLock::new(), sha256: OnceLock::new() }
    }

    /// The file's bytes. Faces live as long as the process (one book serves a whole
    /// batch), so the bytes are leaked into a `'static` slice: the parsed shaping face is
    /// kept beside them instead of being re-parsed for every run.
    fn bytes(&self) -> Result<&'static [u8], String> {
        self.data
            .get_or_init(|| match self.builtin {
                Some(b) => Ok(b),
                None => discover::map(&self.path),
            })
            .clone()
    }

    /// The name shown in listings and messages.
    fn name(&self) -> String {
        self.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    }
}

/// One face of a file, parsed when first needed.
struct Slot {
    file: usize,
    index: u32,
    face: OnceLock<Option<Face>>,
}

/// Files and their faces, in search order.
#[derive(Default)]
struct Catalog {
    files: Vec<FontFile>,
    slots: Vec<Slot>,
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

    fn face(&self, slot: usize) -> Option<&Face> {
        let slot = self.slots.get(slot)?;
        slot.face
            .get_or_init(|| {
                let file = &self.files[slot.file];
                Face::parse(file.path.clone(), slot.index, file.bytes().ok()?, file.source)
            })
            .as_ref()
    }
}

/// What a ranked candidate list was made for: script, bold, italic, CJK family.
type RankKey = (&'static str, bool, bool, &'static str);

/// Ranked candidate lists, per key and tier (false: shipped and `--font-dir`; true: system).
type RankCache = Mutex<BTreeMap<(RankKey, bool), Arc<Vec<FontId>>>>;

/// Every font the tool may use, in search order.
pub struct FontBook {
    /// The shipped fonts, then the `--font-dir`s.
    local: Catalog,
    /// The system fonts, listed on first need.
    system: OnceLock<Catalog>,
    /// Whether system fonts may be used at all.
    system_fonts: bool,
    /// The faces used for text unless a cluster needs a fallback, by style:
    /// regular, bold, italic, bold italic.
    primary: [FontId; 4],
    /// Fallback candidates in rank order, per script and style (computed once).
    ranked: RankCache,
}

impl std::fmt::Debug for FontBook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontBook").field("files", &self.local.files.len()).finish()
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
    fn system(&self) -> &Catalog {
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

    /// The catalog and slot number of an id.
    fn locate(&self, id: FontId) -> Option<(&Catalog, usize)> {
        let n = self.local.slots.len();
        if id.0 < n {
            Some((&self.local, id.0))
        } else {
            let sys = self.system.get()?;
            (id.0 - n < sys.slots.len()).then_some((sys, id.0 - n))
        }
    }

    /// The face with this id, read and parsed on first use; `None` if the file cannot
    /// be used.
    pub fn face(&self, id: FontId) -> Option<&Face> {
        let (cat, slot) = self.locate(id)?;
        cat.face(slot)
    }

    /// The face for `id`; panics are impossible for ids this book handed out.
    pub fn get(&self, id: FontId) -> &Face {
        self.face(id).unwrap_or_else(|| self.face(self.primary[0]).expect("primary face is loaded"))
    }

    /// The primary face for a style.
    pub fn primary(&self, style: InlineStyle) -> FontId {
        self.primary[usize::from(style.bold) + 2 * usize::from(style.italic)]
    }

    /// The face that shows `c` in `style` (see [`FontBook::face_for_cluster`]).
    pub fn face_for(&self, c: char, style: InlineStyle) -> Option<FontId> {
        self.face_for_cluster(c.encode_utf8(&mut [0; 4]), style, "")
    }

    /// Every face id: the shipped and `--font-dir` faces, then (walking the system
    /// folders if that was not done yet) the system faces.
    pub fn ids(&self) -> impl Iterator<Item = FontId> {
        let n = self.local.slots.len();
        let sys = if self.system_fonts { self.system().slots.len() } else { 0 };
        (0..n + sys).map(FontId)
    }

    /// Where a face was found, without opening it.
    pub fn source(&self, id: FontId) -> FontSource {
        self.locate(id).map_or(FontSource::System, |(cat, s)| cat.files[cat.slots[s].file].source)
    }

    /// The file of a face, without opening it.
    pub fn path(&self, id: FontId) -> &Path {
        self.locate(id).map_or(Path::new(""), |(cat, s)| &cat.files[cat.slots[s].file].path)
    }

    /// The face's index in its file, without opening it.
    pub fn index(&self, id: FontId) -> u32 {
        self.locate(id).map_or(0, |(cat, s)| cat.slots[s].index)
    }

    /// The lowercase hex SHA-256 of the file a face comes from, computed once per file
    /// per book (a batch hashes each file once).
    pub fn sha256(&self, id: FontId) -> Option<&str> {
        use sha2::Digest;
        let (cat, s) = self.locate(id)?;
        let file = &cat.files[cat.slots[s].file];
        let bytes = file.bytes().ok()?;
        Some(
            file.sha256
                .get_or_init(|| sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()),
        )
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

    /// Fallback candidates for a script and style, best first (README "Fonts"):
    ///
    /// - local (`system == false`): the shipped files made for the script, plain cuts and
    ///   the wanted style first (decided by file name, so nothing is opened to rank
    ///   them); then the other shipped files by file name; then the `--font-dir` faces
    ///   by [`select::rank`].
    /// - system: the files named for the script (`*Armenian*`, `*CJK*`), opened and
    ///   ordered by [`select::rank`]; then every other file by file name.
    fn candidates(&self, key: RankKey, system: bool) -> Arc<Vec<FontId>> {
        let mut cache = self.ranked.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(list) = cache.get(&(key, system)) {
            return list.clone();
        }
        let (script_name, bold, italic, cjk) = key;
        let style = InlineStyle { bold, italic };
        let script = unicode_script::Script::from_short_name(script_name);
        let by_name = |cat: &Catalog, ids: &mut Vec<(u32, usize)>| {
            ids.sort_by_key(|&(p, s)| (p, cat.files[cat.slots[s].file].path.clone(), s));
        };
        let list: Vec<FontId> = if system {
            let cat = self.system();
            let base = self.local.slots.len();
            let keyword = match script {
                Some(s) if select::shipped_stem(s) == Some("NotoSansCJK") => Some("cjk".to_string()),
                Some(s) => Some(s.full_name().to_ascii_lowercase().replace('_', "")),
                None => None,
            };
            let named = |s: usize| {
                let name = cat.files[cat.slots[s].file].name().to_ascii_lowercase();
                keyword.as_deref().is_some_and(|k| name.contains(k))
            };
            let mut first: Vec<(u32, usize)> = (0..cat.slots.len())
                .filter(|&s| named(s))
                .filter_map(|s| cat.face(s).map(|f| (select::rank(f, script, style, cjk), s)))
                .collect();
            first.sort();
            let mut rest: Vec<(u32, usize)> = (0..cat.slots.len())
                .filter(|&s| !named(s))
                .map(|s| (select::name_penalty(&cat.files[cat.slots[s].file].name(), style), s))
                .collect();
            by_name(cat, &mut rest);
            first.into_iter().chain(rest).map(|(_, s)| FontId(base + s)).collect()
        } else {
            let cat = &self.local;
            let stem = script.and_then(select::shipped_stem);
            let shipped = |s: usize| cat.files[cat.slots[s].file].source == FontSource::Shipped;
            let made_for = |s: usize| {
                let name = cat.files[cat.slots[s].file].name();
                stem.is_some_and(|st| select::file_in_family(&name, st).is_some())
            };
            let penalty = |s: usize| select::name_penalty(&cat.files[cat.slots[s].file].name(), style);
            let mut first: Vec<(u32, usize)> = (0..cat.slots.len())
                .filter(|&s| shipped(s) && made_for(s))
                .map(|s| (penalty(s), s))
                .collect();
            by_name(cat, &mut first);
            let mut other: Vec<(u32, usize)> = (0..cat.slots.len())
                .filter(|&s| shipped(s) && !made_for(s))
                .map(|s| (penalty(s), s))
                .collect();
            by_name(cat, &mut other);
            let mut user: Vec<(u32, usize)> = (0..cat.slots.len())
                .filter(|&s| !shipped(s))
                .filter_map(|s| cat.face(s).map(|f| (select::rank(f, script, style, cjk), s)))
                .collect();
            user.sort();
            first.into_iter().chain(other).chain(user).map(|(_, s)| FontId(s)).collect()
        };
        let list = Arc::new(list);
        cache.insert((key, system), list.clone());
        list
    }

    /// The face that shows a whole cluster (a base and its marks, or one character) in
    /// `style` for text in `lang`: the primary face if it can; else the first of the
    /// ranked candidates (see [`FontBook::candidates`]) that has every character of the
    /// cluster; `None` if no face can. Joiners, variation selectors and other
    /// default-ignorable characters never decide the face.
    pub fn face_for_cluster(&self, cluster: &str, style: InlineStyle, lang: &str) -> Option<FontId> {
        let needed: Vec<char> =
            cluster.chars().filter(|&c| !select::is_ignorable(c) && !c.is_whitespace()).collect();
        let primary = self.primary(style);
        let covers = |id: FontId| self.face(id).is_some_and(|f| needed.iter().all(|&c| f.covers(c)));
        if needed.is_empty() || covers(primary) {
            return Some(primary);
        }
        let script = select::cluster_script(cluster, lang);
        let key: RankKey = (
            script.map_or("Zyyy", |s| s.short_name()),
            style.bold,
            style.italic,
            cjk_family(lang).unwrap_or(""),
        );
        let local = self.candidates(key, false);
        if let Some(id) = local.iter().copied().find(|&id| covers(id)) {
            return Some(id);
        }
        if !self.system_fonts {
            return None;
        }
        let system = self.candidates(key, true);
        system.iter().copied().find(|&id| covers(id))
    }
}

/// What text in one language would be drawn with (`handout fonts`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LanguageChoice {
    /// The language tag.
    pub lang: &'static str,
    /// The face for the language's own script in regular text.
    pub regular: Option<FontId>,
    /// The face for the language's own script in bold text.
    pub bold: Option<FontId>,
    /// Characters of the sample no face can show, in either style.
    pub missing: Vec<char>,
}

impl FontBook {
    /// Which faces would draw `sample` in `lang`: the face of its first character with a
    /// script of its own (the language's script), and every character nothing shows.
    pub fn language_choice(&self, lang: &'static str, sample: &str) -> LanguageChoice {
        use unicode_script::{Script, UnicodeScript};
        let own = sample
            .chars()
            .find(|c| !matches!(c.script(), Script::Common | Script::Inherited | Script::Unknown))
            .unwrap_or('a');
        let mut buf = [0; 4];
        let regular_style = InlineStyle::default();
        let bold_style = InlineStyle { bold: true, italic: false };
        let regular = self.face_for_cluster(own.encode_utf8(&mut buf), regular_style, lang);
        let bold = self.face_for_cluster(own.encode_utf8(&mut buf), bold_style, lang);
        let mut missing: Vec<char> = sample
            .chars()
            .filter(|&c| {
                let s = c.encode_utf8(&mut buf);
                self.face_for_cluster(s, regular_style, lang).is_none()
                    || self.face_for_cluster(s, bold_style, lang).is_none()
            })
            .collect();
        missing.dedup();
        LanguageChoice { lang, regular, bold, missing }
    }
}

/// The face and file each language of [`LANGUAGE_SAMPLES`] would use.
pub fn language_choices(book: &FontBook) -> Vec<LanguageChoice> {
    LANGUAGE_SAMPLES.iter().map(|(lang, sample)| book.language_choice(lang, sample)).collect()
}

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

    fn local_book() -> FontBook {
        FontBook::load(&FontOptions { font_dirs: vec![], system_fonts: false }).unwrap()
    }

    fn file_of(book: &FontBook, id: Option<FontId>) -> String {
        book.path(id.expect("a face")).file_name().unwrap().to_string_lossy().into_owned()
    }

    #[test]
    fn latin_text_opens_no_other_shipped_file() {
        let book = local_book();
        let regular = InlineStyle::default();
        assert_eq!(book.face_for_cluster("é", regular, "fr"), Some(book.primary(regular)));
        let opened: Vec<String> =
            book.local.files.iter().filter(|f| f.data.get().is_some()).map(FontFile::name).collect();
        assert_eq!(opened, ["NotoSans-Regular.ttf"]);
    }

    #[test]
    fn each_script_gets_the_shipped_face_made_for_it_in_the_wanted_weight() {
        let book = local_book();
        let regular = InlineStyle::default();
        let bold = InlineStyle { bold: true, italic: false };
        let cases = [
            ("ա", "hy", regular, "NotoSansArmenian-Regular.ttf"),
            ("ա", "hy", bold, "NotoSansArmenian-Bold.ttf"),
            ("ก", "th", regular, "NotoSansThai-Regular.ttf"),
            ("ب", "ur", regular, "NotoSansArabic-Regular.ttf"),
            ("ب", "fa", bold, "NotoSansArabic-Bold.ttf"),
            ("।", "hi", regular, "NotoSansDevanagari-Regular.ttf"),
            ("।", "bn", regular, "NotoSansBengali-Regular.ttf"),
            ("ក", "km", regular, "NotoSansKhmer-Regular.ttf"),
            ("한", "ko", regular, "NotoSansCJK-Regular.subset.otf"),
            ("中", "zh-Hans", bold, "NotoSansCJK-Bold.subset.otf"),
            ("、", "ja", regular, "NotoSansCJK-Regular.subset.otf"),
        ];
        for (cluster, lang, style, want) in cases {
            assert_eq!(file_of(&book, book.face_for_cluster(cluster, style, lang)), want, "{cluster} {lang}");
        }
        // A mark stays with its base: the cluster is taken whole.
        assert_eq!(
            file_of(&book, book.face_for_cluster("ក\u{17CB}", regular, "km")),
            "NotoSansKhmer-Regular.ttf"
        );
        // Joiners and variation selectors never ask for a font of their own.
        assert_eq!(book.face_for_cluster("\u{200D}", regular, "en"), Some(book.primary(regular)));
    }

    #[test]
    fn missing_glyph_without_system_fonts_is_none_and_names_the_fonts() {
        let book = local_book();
        assert_eq!(book.face_for_cluster("\u{1F9A0}", InlineStyle::default(), "en"), None);
        let searched = book.searched();
        assert!(searched.contains("NotoSansCJK-Regular.subset.otf"), "{searched}");
        assert!(searched.contains("--no-system-fonts"), "{searched}");
    }

    /// One subset serves four languages: the shaper picks the glyph forms with `locl`.
    #[test]
    fn cjk_subset_keeps_language_glyph_forms() {
        let book = local_book();
        let id = book.face_for_cluster("直", InlineStyle::default(), "zh-Hans").unwrap();
        let face = book.get(id);
        let glyph = |text: &str, lang: &str| {
            let mut buffer = rustybuzz::UnicodeBuffer::new();
            buffer.push_str(text);
            buffer.guess_segment_properties();
            buffer.set_language(lang.parse().unwrap());
            rustybuzz::shape(&face.shaper, &[], buffer).glyph_infos()[0].glyph_id
        };
        // 直 differs between Chinese and Japanese/Korean, 今 between Simplified and
        // Traditional Chinese.
        assert_ne!(glyph("直", "zh-Hans"), glyph("直", "ja"));
        assert_ne!(glyph("直", "zh-Hans"), glyph("直", "ko"));
        assert_ne!(glyph("今", "zh-Hans"), glyph("今", "zh-Hant"));
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
