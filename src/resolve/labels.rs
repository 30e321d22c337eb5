//! Built-in localized labels: the footer's words ("Phone", "Page 1 of 2") and the
//! "Reviewed" date line, for the languages clinics ask for most. A contact profile's
//! `labels:` overrides any of them.

/// Footer and title-block labels for one language.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Labels {
    /// Before the main phone number.
    pub phone: String,
    /// Before the after-hours number.
    pub after_hours: String,
    /// Before the email address (empty: the address speaks for itself).
    pub email: String,
    /// Before the website (empty: the address speaks for itself).
    pub website: String,
    /// "Page" in "Page N of M".
    pub page: String,
    /// "of" in "Page N of M".
    pub of: String,
    /// Before the review date.
    pub reviewed: String,
}

/// (language, phone, after hours, page, of, reviewed).
const TABLE: [(&str, &str, &str, &str, &str, &str); 11] = [
    ("en", "Phone", "After hours", "Page", "of", "Reviewed"),
    ("es", "Teléfono", "Fuera de horario", "Página", "de", "Revisado el"),
    ("fr", "Téléphone", "Hors heures d’ouverture", "Page", "sur", "Révisé le"),
    ("pt", "Telefone", "Fora do horário", "Página", "de", "Revisado em"),
    ("vi", "Điện thoại", "Ngoài giờ", "Trang", "/", "Cập nhật"),
    ("zh", "电话", "非工作时间", "第", "页，共", "审核日期："),
    ("ko", "전화", "업무 시간 외", "페이지", "/", "검토일:"),
    ("tl", "Telepono", "Pagkatapos ng oras", "Pahina", "ng", "Sinuri noong"),
    ("ar", "الهاتف", "خارج أوقات العمل", "صفحة", "من", "تمت المراجعة في"),
    ("ru", "Телефон", "В нерабочее время", "Страница", "из", "Проверено"),
    ("ht", "Telefòn", "Apre lè travay", "Paj", "sou", "Revize"),
];

/// The primary language subtag, lowercased (`pt-BR` → `pt`, `zh-Hans` → `zh`).
fn primary(lang: &str) -> String {
    lang.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase()
}

/// Returns true if and only if the language has built-in labels (not the English fallback).
pub fn is_builtin(lang: &str) -> bool {
    let p = primary(lang);
    TABLE.iter().any(|row| row.0 == p)
}

/// The built-in labels for a BCP 47 tag, matched on its primary subtag; English when
/// the language has none.
pub fn builtin(lang: &str) -> Labels {
    let p = primary(lang);
    let row = TABLE.iter().find(|row| row.0 == p).unwrap_or(&TABLE[0]);
    Labels {
        phone: row.1.to_string(),
        after_hours: row.2.to_string(),
        email: String::new(),
        website: String::new(),
        page: row.3.to_string(),
        of: row.4.to_string(),
        reviewed: row.5.to_string(),
    }
}

/// "Page N of M" in the word order of the language: "{page} {n} {of} {m}" for the
/// Latin, Cyrillic and Arabic scripts, "第 1 页，共 2 页" for Chinese, "1 / 2 페이지"
/// for Korean. The Chinese and Korean orders apply only with their built-in labels;
/// labels a contact profile overrides are used in the plain order.
pub fn page_of(lang: &str, page: &str, of: &str, n: usize, m: usize) -> String {
    let own = |l: &str| {
        let b = builtin(l);
        page == b.page && of == b.of
    };
    match primary(lang).as_str() {
        "zh" if own("zh") => format!("{page} {n} {of} {m} 页"),
        "ko" if own("ko") => format!("{n} {of} {m} {page}"),
        // Trang 1 / 2 reads naturally with a slash, so Vietnamese needs no order of its own.
        _ => format!("{page} {n} {of} {m}"),
    }
}

const MONTHS: [(&str, [&str; 12]); 7] = [
    (
        "en",
        [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    ),
    (
        "es",
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
    ),
    (
        "fr",
        [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
    ),
    (
        "pt",
        [
            "janeiro",
            "fevereiro",
            "março",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
    ),
    (
        "tl",
        [
            "Enero",
            "Pebrero",
            "Marso",
            "Abril",
            "Mayo",
            "Hunyo",
            "Hulyo",
            "Agosto",
            "Setyembre",
            "Oktubre",
            "Nobyembre",
            "Disyembre",
        ],
    ),
    (
        "ru",
        [
            "января",
            "февраля",
            "марта",
            "апреля",
            "мая",
            "июня",
            "июля",
            "августа",
            "сентября",
            "октября",
            "ноября",
            "декабря",
        ],
    ),
    (
        "ht",
        [
            "janvye", "fevriye", "mas", "avril", "me", "jen", "jiyè", "out", "septanm", "oktòb", "novanm",
            "desanm",
        ],
    ),
];

const ARABIC_MONTHS: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

/// A date written the way the language writes it.
pub fn format_date(lang: &str, year: u16, month: u8, day: u8) -> String {
    let m = usize::from(month.clamp(1, 12)) - 1;
    let p = primary(lang);
    let name = |l: &str| MONTHS.iter().find(|r| r.0 == l).map_or(MONTHS[0].1[m], |r| r.1[m]);
    match p.as_str() {
        "es" | "pt" => format!("{day} de {} de {year}", name(&p)),
        "fr" | "ht" => format!("{day} {} {year}", name(&p)),
        "ru" => format!("{day} {} {year} г.", name("ru")),
        "tl" => format!("{} {day}, {year}", name("tl")),
        "vi" => format!("ngày {day} tháng {month} năm {year}"),
        "zh" => format!("{year}年{month}月{day}日"),
        "ko" => format!("{year}년 {month}월 {day}일"),
        "ar" => format!("{day} {} {year}", ARABIC_MONTHS[m]),
        _ => format!("{} {day}, {year}", name("en")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LANGS: [&str; 11] = ["en", "es", "fr", "pt", "vi", "zh", "ko", "tl", "ar", "ru", "ht"];

    #[test]
    fn matches_primary_subtag_and_falls_back_to_english() {
        assert_eq!(builtin("pt-BR").phone, "Telefone");
        assert_eq!(builtin("zh-Hans").page, "第");
        assert_eq!(builtin("zh_Hant_TW").page, "第");
        assert_eq!(builtin("ES-mx").phone, "Teléfono");
        assert_eq!(builtin("de"), builtin("en"));
        assert_eq!(builtin(""), builtin("en"));
        assert_eq!(builtin("english"), builtin("en"), "a primary subtag matches whole, not as a prefix");
        assert!(is_builtin("es-MX") && is_builtin("ar") && is_builtin("en-US"));
        assert!(!is_builtin("de") && !is_builtin("") && !is_builtin("e") && !is_builtin("zho"));
    }

    #[test]
    fn every_language_has_every_label() {
        assert_eq!(TABLE.len(), LANGS.len());
        for lang in LANGS {
            assert!(is_builtin(lang), "{lang}");
            let l = builtin(lang);
            for s in [&l.phone, &l.after_hours, &l.page, &l.of, &l.reviewed] {
                assert!(!s.trim().is_empty(), "{lang}");
            }
            // Email and website are printed bare: the address speaks for itself.
            assert!(l.email.is_empty() && l.website.is_empty(), "{lang}");
            if lang != "en" {
                assert_ne!(l, builtin("en"), "{lang} is not the English fallback");
            }
        }
    }

    #[test]
    fn dates_read_naturally() {
        let cases = [
            ("en", "October 1, 2026"),
            ("es", "1 de octubre de 2026"),
            ("fr", "1 octobre 2026"),
            ("pt-BR", "1 de outubro de 2026"),
            ("vi", "ngày 1 tháng 10 năm 2026"),
            ("zh-Hans", "2026年10月1日"),
            ("ko", "2026년 10월 1일"),
            ("tl", "Oktubre 1, 2026"),
            ("ar", "1 أكتوبر 2026"),
            ("ru", "1 октября 2026 г."),
            ("ht", "1 oktòb 2026"),
            ("de", "October 1, 2026"),
        ];
        for (lang, want) in cases {
            assert_eq!(format_date(lang, 2026, 10, 1), want, "{lang}");
        }
        assert_eq!(format_date("en", 2027, 1, 31), "January 31, 2027");
        assert_eq!(format_date("fr", 2026, 8, 15), "15 août 2026");
        assert_eq!(format_date("ru", 2026, 3, 8), "8 марта 2026 г.");
        // An out-of-range month never panics.
        assert_eq!(format_date("en", 2026, 0, 1), "January 1, 2026");
        assert_eq!(format_date("es", 2026, 13, 1), "1 de diciembre de 2026");
    }

    #[test]
    fn page_numbers_read_naturally() {
        let page_of_builtin = |lang: &str| {
            let l = builtin(lang);
            page_of(lang, &l.page, &l.of, 1, 2)
        };
        assert_eq!(page_of_builtin("en"), "Page 1 of 2");
        assert_eq!(page_of_builtin("es"), "Página 1 de 2");
        assert_eq!(page_of_builtin("fr"), "Page 1 sur 2");
        assert_eq!(page_of_builtin("pt"), "Página 1 de 2");
        assert_eq!(page_of_builtin("tl"), "Pahina 1 ng 2");
        assert_eq!(page_of_builtin("ru"), "Страница 1 из 2");
        assert_eq!(page_of_builtin("ht"), "Paj 1 sou 2");
        assert_eq!(page_of_builtin("vi"), "Trang 1 / 2");
        assert_eq!(page_of_builtin("zh-Hans"), "第 1 页，共 2 页");
        assert_eq!(page_of_builtin("ko"), "1 / 2 페이지");
        assert_eq!(page_of_builtin("de"), "Page 1 of 2");
        // Overridden labels keep the plain order, even for Chinese and Korean.
        assert_eq!(page_of("zh", "Page", "of", 3, 4), "Page 3 of 4");
        assert_eq!(page_of("ko", "Page", "of", 3, 4), "Page 3 of 4");
        assert_eq!(page_of("es", "Pág.", "de", 10, 12), "Pág. 10 de 12");
    }
}
