//! Fallback: which face shows a cluster. The primary face when it can; else the first
//! face, in a ranked list of candidates made once per script, style and CJK family,
//! that has every character of the cluster: shipped files and `--font-dir`s first, the
//! system fonts last. The ranking rules themselves are in `select`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::catalog::Catalog;
use super::{cjk_family, select, FontBook, FontId, FontSource};
use crate::text::markup::InlineStyle;

/// What a ranked candidate list was made for: script, bold, italic, CJK family.
type RankKey = (&'static str, bool, bool, &'static str);

/// Ranked candidate lists, per key and tier (false: shipped and `--font-dir`; true: system).
pub(super) type RankCache = Mutex<BTreeMap<(RankKey, bool), Arc<Vec<FontId>>>>;

impl FontBook {
    /// The face that shows `c` in `style` (see [`FontBook::face_for_cluster`]).
    pub fn face_for(&self, c: char, style: InlineStyle) -> Option<FontId> {
        self.face_for_cluster(c.encode_utf8(&mut [0; 4]), style, "")
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
    /// ranked candidates (see `FontBook::candidates`) that has every character of the
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

#[cfg(test)]
mod tests {
    use super::super::catalog::FontFile;
    use super::super::FontOptions;
    use super::*;

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
}
