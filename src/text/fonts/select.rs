//! Choosing a face for a cluster: its script, the shipped file made for that script, and
//! a deterministic ranking of other faces (README "Fonts": fallback order).
//!
//! Nothing here reads a file: the shipped families are known by file name, so deciding
//! which shipped file can show Armenian costs no parsing; only the chosen candidate is
//! opened.

use unicode_script::{Script, UnicodeScript};

use super::Face;
use crate::text::markup::InlineStyle;

/// Returns true if and only if `c` is drawn by the face of what it joins, never by its
/// own choice of font: joiners, variation selectors and other default-ignorables.
pub fn is_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{E0000}'..='\u{E0FFF}')
        || c.is_control()
}

/// The primary language subtag, lowercased (`zh` for `zh-Hant-TW`).
fn primary(lang: &str) -> String {
    lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// The script a language is written in, for characters shared by several scripts (the
/// danda, digits): `hi` → Devanagari. `None` for Latin-script and unknown languages.
pub fn lang_script(lang: &str) -> Option<Script> {
    Some(match primary(lang).as_str() {
        "ar" | "fa" | "ur" | "ps" | "sd" | "ug" => Script::Arabic,
        "he" | "yi" => Script::Hebrew,
        "hi" | "mr" | "ne" | "sa" => Script::Devanagari,
        "bn" | "as" => Script::Bengali,
        "pa" => Script::Gurmukhi,
        "th" => Script::Thai,
        "km" => Script::Khmer,
        "hy" => Script::Armenian,
        "am" | "ti" => Script::Ethiopic,
        "ru" | "uk" | "bg" | "sr" | "be" | "mk" => Script::Cyrillic,
        "el" => Script::Greek,
        "zh" => Script::Han,
        "ja" => Script::Hiragana,
        "ko" => Script::Hangul,
        _ => return None,
    })
}

/// The Noto Sans CJK family made for a language's glyph forms: zh-Hans → SC,
/// zh-Hant → TC, zh-HK → HK, ja → JP, ko → KR.
pub fn cjk_family(lang: &str) -> Option<&'static str> {
    let lower = lang.to_ascii_lowercase();
    let subtags: Vec<&str> = lower.split(['-', '_']).collect();
    Some(match subtags[0] {
        "ja" => "Noto Sans CJK JP",
        "ko" => "Noto Sans CJK KR",
        "zh" if subtags.contains(&"hk") || subtags.contains(&"mo") => "Noto Sans CJK HK",
        "zh" if subtags.contains(&"hant") || subtags.contains(&"tw") => "Noto Sans CJK TC",
        "zh" => "Noto Sans CJK SC",
        _ => return None,
    })
}

fn is_cjk(script: Script) -> bool {
    matches!(script, Script::Han | Script::Hiragana | Script::Katakana | Script::Hangul | Script::Bopomofo)
}

/// The script a cluster is written in: that of its first character with a script of its
/// own; for a cluster of shared characters (digits, punctuation, the danda), the
/// language's script if the characters are used in it; else `None`.
pub fn cluster_script(cluster: &str, lang: &str) -> Option<Script> {
    if let Some(s) = cluster
        .chars()
        .map(|c| c.script())
        .find(|s| !matches!(s, Script::Common | Script::Inherited | Script::Unknown))
    {
        return Some(s);
    }
    let want = lang_script(lang)?;
    let used_in =
        |s: Script| cluster.chars().all(|c| is_ignorable(c) || c.script_extension().contains_script(s));
    if used_in(want) {
        return Some(want);
    }
    // Japanese text also uses Katakana-only and Han-only punctuation.
    if want == Script::Hiragana && (used_in(Script::Katakana) || used_in(Script::Han)) {
        return Some(want);
    }
    None
}

/// The stem of the shipped file names made for a script (`NotoSansArmenian` for
/// `NotoSansArmenian-Regular.ttf`). Latin, Greek and Cyrillic are the primary family.
pub fn shipped_stem(script: Script) -> Option<&'static str> {
    Some(match script {
        Script::Latin | Script::Greek | Script::Cyrillic => "NotoSans",
        Script::Arabic => "NotoSansArabic",
        Script::Hebrew => "NotoSansHebrew",
        Script::Devanagari => "NotoSansDevanagari",
        Script::Bengali => "NotoSansBengali",
        Script::Gurmukhi => "NotoSansGurmukhi",
        Script::Thai => "NotoSansThai",
        Script::Khmer => "NotoSansKhmer",
        Script::Armenian => "NotoSansArmenian",
        Script::Ethiopic => "NotoSansEthiopic",
        s if is_cjk(s) => "NotoSansCJK",
        _ => return None,
    })
}

/// Returns true if and only if the file `name` belongs to the shipped family `stem`
/// (`NotoSans-Bold.ttf` to `NotoSans`, not `NotoSansThai-Bold.ttf`).
pub fn file_in_family<'a>(name: &'a str, stem: &str) -> Option<&'a str> {
    let rest = name.strip_prefix(stem)?;
    rest.starts_with('-').then_some(rest)
}

/// How well a file name promises to fit, before it is opened (lower is better): a plain
/// Regular or Bold first; Thin/Light, Looped, UI, Mono, condensed and display cuts last.
pub fn name_penalty(name: &str, style: InlineStyle) -> u32 {
    let n = name.to_ascii_lowercase();
    let mut p = 0;
    for (word, cost) in VARIANT_PENALTIES {
        if n.contains(word) {
            p += cost;
        }
    }
    if ["thin", "extralight", "light"].iter().any(|w| n.contains(w)) {
        p += 200;
    }
    if n.contains("bold") != style.bold {
        p += 20;
    }
    if n.contains("italic") != style.italic {
        p += if style.italic { 5 } else { 40 };
    }
    p
}

/// Family-name words of cuts that are never the plain choice for body text, with their cost.
const VARIANT_PENALTIES: [(&str, u32); 9] = [
    ("looped", 60),
    ("ui", 60),
    ("mono", 40),
    ("kufi", 40),
    ("display", 30),
    ("condensed", 30),
    ("narrow", 30),
    ("nastaliq", 20),
    ("serif", 10),
];

/// The rank of a face for a cluster of `script` in `style` (lower is better); `cjk` is
/// the CJK family of the text's language, if any ([`cjk_family`]).
///
/// In order of weight: made for the script (family names the script, or for CJK the
/// family of the language), a Noto Sans family, then the weight nearest to the wanted
/// one (and never Thin/ExtraLight/Light when something else covers), the slant, and no
/// Looped/UI/Mono/display cut.
pub fn rank(face: &Face, script: Option<Script>, style: InlineStyle, cjk: &str) -> u32 {
    let family = face.family.to_ascii_lowercase();
    let compact: String = family.chars().filter(|c| c.is_alphanumeric()).collect();
    let mut r = 0u32;
    let made_for = match script {
        Some(s) if is_cjk(s) => {
            if cjk.eq_ignore_ascii_case(&face.family) {
                true
            } else {
                r += 40;
                compact.contains("cjk")
            }
        }
        Some(Script::Latin | Script::Greek | Script::Cyrillic) => compact == "notosans",
        Some(s) => compact.contains(&s.full_name().to_ascii_lowercase().replace('_', "")),
        None => false,
    };
    if !made_for {
        r += 1000;
    }
    if !family.starts_with("noto sans") {
        r += 100;
    }
    let wanted: u16 = if style.bold { 700 } else { 400 };
    r += u32::from(face.weight.abs_diff(wanted) / 10);
    if face.weight < 350 {
        r += 200;
    }
    if face.italic != style.italic {
        r += if style.italic { 5 } else { 40 };
    }
    for (word, cost) in VARIANT_PENALTIES {
        if family.split(' ').any(|w| w == word) || (word != "ui" && compact.contains(word)) {
            r += cost;
        }
    }
    if !face.normal_width {
        r += 30;
    }
    r
}

/// Scripts listed by `handout fonts`, each with characters that a face must have to count
/// as covering it.
pub const SCRIPT_SAMPLES: [(&str, &str); 20] = [
    ("Latin", "AaÉéñ"),
    ("Vietnamese", "ăơưệ"),
    ("Greek", "ΑΩαω"),
    ("Cyrillic", "ДЖджєї"),
    ("Arabic", "ابتثپچژگ"),
    ("Urdu", "ٹڈڑںے"),
    ("Hebrew", "אבג"),
    ("Devanagari", "कखग"),
    ("Bengali", "কখগ"),
    ("Gurmukhi", "ਕਖਗ"),
    ("Thai", "กขค"),
    ("Khmer", "កខគ"),
    ("Armenian", "ԱաԲբ"),
    ("Ethiopic", "ሀለሐ"),
    ("Han (Simplified)", "中文护"),
    ("Han (Traditional)", "中文護"),
    ("Kana", "あア"),
    ("Hangul", "한글"),
    ("Haitian Creole", "èòà"),
    ("Polish", "ąęłż"),
];

/// The languages `handout fonts` reports on, each with a sample a face must show.
pub const LANGUAGE_SAMPLES: [(&str, &str); 29] = [
    ("en", "Call your doctor"),
    ("es", "Llame a su médico"),
    ("zh-Hans", "请打电话给医生"),
    ("zh-Hant", "請打電話給醫生"),
    ("vi", "Gọi cho bác sĩ của bạn"),
    ("ko", "의사에게 전화하세요"),
    ("tl", "Tawagan ang iyong doktor"),
    ("ru", "Позвоните своему врачу"),
    ("ar", "اتصل بطبيبك"),
    ("ht", "Rele doktè ou"),
    ("fr", "Appelez votre médecin"),
    ("pl", "Zadzwoń do lekarza"),
    ("pt", "Ligue para o seu médico"),
    ("it", "Chiami il suo medico"),
    ("de", "Rufen Sie Ihren Arzt an"),
    ("ja", "医師に電話してください"),
    ("fa", "با پزشک خود تماس بگیرید"),
    ("hi", "अपने डॉक्टर को फ़ोन करें।"),
    ("bn", "আপনার ডাক্তারকে ফোন করুন।"),
    ("pa", "ਆਪਣੇ ਡਾਕਟਰ ਨੂੰ ਫ਼ੋਨ ਕਰੋ।"),
    ("ur", "اپنے ڈاکٹر کو فون کریں۔"),
    ("he", "התקשרו לרופא שלכם"),
    ("uk", "Зателефонуйте своєму лікарю"),
    ("el", "Καλέστε τον γιατρό σας"),
    ("hy", "Զանգահարեք ձեր բժշկին"),
    ("th", "โทรหาแพทย์ของคุณ"),
    ("so", "Wac dhakhtarkaaga"),
    ("am", "ለሐኪምዎ ይደውሉ።"),
    ("km", "ទូរស័ព្ទទៅគ្រូពេទ្យរបស់អ្នក"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_characters_take_the_language_script() {
        assert_eq!(cluster_script("।", "hi"), Some(Script::Devanagari));
        assert_eq!(cluster_script("।", "bn"), Some(Script::Bengali));
        assert_eq!(cluster_script("ա", "en"), Some(Script::Armenian));
        assert_eq!(cluster_script("1", "en"), None);
        assert_eq!(cluster_script("、", "ja"), Some(Script::Hiragana));
    }

    #[test]
    fn cjk_families_follow_the_language() {
        assert_eq!(cjk_family("zh-Hans"), Some("Noto Sans CJK SC"));
        assert_eq!(cjk_family("zh-Hant"), Some("Noto Sans CJK TC"));
        assert_eq!(cjk_family("zh-TW"), Some("Noto Sans CJK TC"));
        assert_eq!(cjk_family("ja"), Some("Noto Sans CJK JP"));
        assert_eq!(cjk_family("ko-KR"), Some("Noto Sans CJK KR"));
        assert_eq!(cjk_family("en"), None);
    }

    #[test]
    fn shipped_family_is_matched_by_stem() {
        assert_eq!(file_in_family("NotoSans-Bold.ttf", "NotoSans"), Some("-Bold.ttf"));
        assert_eq!(file_in_family("NotoSansThai-Bold.ttf", "NotoSans"), None);
    }

    #[test]
    fn file_names_put_plain_cuts_first() {
        let body = InlineStyle::default();
        let plain = name_penalty("NotoSansThai-Regular.ttf", body);
        assert!(plain < name_penalty("NotoLoopedThai-Regular.ttf", body));
        assert!(plain < name_penalty("NotoSansThaiUI-Regular.ttf", body));
        assert!(name_penalty("DejaVuSans.ttf", body) < name_penalty("DejaVuSans-ExtraLight.ttf", body));
        let bold = InlineStyle { bold: true, italic: false };
        assert!(name_penalty("X-Bold.ttf", bold) < name_penalty("X-Regular.ttf", bold));
    }
}
