//! The font book: every font the tool may use, and which face shows a cluster.
//!
//! Search order (SPEC §5, README "Fonts"): the shipped `fonts/` directory
//! (`HANDOUT_FONTS`, else the crate's own `fonts/`, else a copy of the shipped Noto Sans
//! compiled into the binary so an installed executable never depends on the checkout),
//! then each `--font-dir`, then the system font directories (unless `--no-system-fonts`).
//!
//! Loading is lazy: the shipped folder is listed once and a face is read and parsed only
//! when a document needs it; which shipped file serves a script is known from its name
//! (`select`). The system folders are walked only when the shipped fonts and the
//! `--font-dir`s cannot show a cluster. Walks and reads are bounded (`discover`).
//!
//! Files: `catalog` (the font files in search order, each read and parsed on first need,
//! and [`FontBook::load`]), `fallback` (which face shows a cluster: ranked candidate
//! lists, made once per script and style), `listing` (what `handout fonts` shows), and
//! beneath them `discover` (walking folders, reading files), `face` (one parsed face)
//! and `select` (scripts and ranking rules, decided without reading files). This file
//! holds the book itself and what it answers about a face by its id.

mod catalog;
mod discover;
mod face;
mod fallback;
mod listing;
mod select;

use std::path::Path;
use std::sync::OnceLock;

use super::markup::InlineStyle;
use catalog::Catalog;
use fallback::RankCache;

pub use catalog::{shipped_dir, FontOptions};
pub use discover::{MAX_DEPTH, MAX_FILES, MAX_FONT_BYTES};
pub use face::{DescriptorMetrics, Face};
pub use listing::{language_choices, scripts_covered, LanguageChoice};
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

impl FontBook {
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
}
