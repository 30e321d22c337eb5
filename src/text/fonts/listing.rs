//! What `handout fonts` lists: the face each language's sample would be drawn with, the
//! characters of it nothing can show, and the scripts a face covers.

use super::{Face, FontBook, FontId, LANGUAGE_SAMPLES, SCRIPT_SAMPLES};
use crate::text::markup::InlineStyle;

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
