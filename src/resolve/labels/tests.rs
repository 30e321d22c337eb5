use super::*;

fn page_of_builtin(lang: &str, n: usize, m: usize) -> String {
    page_of(&furniture(lang, None).labels, lang, n, m)
}

#[test]
fn every_language_has_every_label_and_a_date() {
    assert_eq!(LANGUAGES.len(), 29, "English and the 28 of issue 6");
    for lang in LANGUAGES {
        let l = builtin(lang).unwrap_or_else(|| panic!("{lang}"));
        for s in [&l.phone, &l.after_hours, &l.page, &l.of, &l.reviewed] {
            assert!(!s.trim().is_empty(), "{lang}");
        }
        // Email and website are printed bare: the address speaks for itself.
        assert!(l.email.is_empty() && l.website.is_empty(), "{lang}");
        assert!(l.page_of.contains("{n}") && l.page_of.contains("{m}"), "{lang}");
        let date = format_date(lang, 2026, 10, 1).unwrap_or_else(|| panic!("{lang} has no date"));
        if lang != "en" {
            assert_ne!(l, english(), "{lang} is not the English fallback");
            assert_ne!(date, "October 1, 2026", "{lang}");
        }
        assert!(furniture(lang, None).fallbacks.is_empty(), "{lang}");
        let (line, localized) = reviewed_line(&l, lang, 2026, 10, 1);
        assert!(localized && line.starts_with(&l.reviewed) && line.ends_with(&date), "{lang}: {line}");
        let p = page_of_builtin(lang, 1, 2);
        assert!(p.contains(&l.page) && !p.contains('{'), "{lang}: {p}");
    }
}

#[test]
fn languages_match_on_primary_subtag_and_chinese_script() {
    assert_eq!(key("pt-BR"), Some("pt"));
    assert_eq!(key("ES-mx"), Some("es"));
    assert_eq!(key("zh"), Some("zh-Hans"));
    assert_eq!(key("zh-CN"), Some("zh-Hans"));
    assert_eq!(key("zh-Hans-HK"), Some("zh-Hans"), "an explicit script wins over the region");
    for t in ["zh-Hant", "zh-TW", "zh-HK", "zh_Hant_TW", "zh-MO"] {
        assert_eq!(key(t), Some("zh-Hant"), "{t}");
    }
    assert_eq!(builtin("zh-TW").unwrap().phone, "電話");
    assert_eq!(builtin("zh-Hans").unwrap().phone, "电话");
    assert_eq!(key("iw"), Some("he"));
    assert_eq!(key("fil"), Some("tl"));
    assert_eq!(key("nl"), None);
    assert_eq!(key(""), None);
    assert_eq!(key("english"), None, "a primary subtag matches whole, not as a prefix");
    assert!(is_builtin("en-US") && is_builtin("km") && !is_builtin("zho"));
}

#[test]
fn dates_come_from_cldr_in_each_language() {
    let cases = [
        ("en", "October 1, 2026"),
        ("es", "1 de octubre de 2026"),
        ("zh-Hans", "2026年10月1日"),
        ("zh-Hant", "2026年10月1日"),
        ("vi", "1 tháng 10 2026"),
        ("ko", "2026년 10월 1일"),
        ("tl", "Oktubre 1, 2026"),
        ("ru", "1 октября 2026\u{202f}г."),
        ("ar", "1 أكتوبر 2026"),
        ("ht", "1 oktòb 2026"),
        ("fr", "1 octobre 2026"),
        ("pl", "1 października 2026"),
        ("pt-BR", "1 de outubro de 2026"),
        ("it", "1 ottobre 2026"),
        ("de", "1. Oktober 2026"),
        ("ja", "2026年10月1日"),
        ("fa", "۱ اکتبر ۲۰۲۶"),
        ("hi", "1 अक्टूबर, 2026"),
        ("bn", "১ অক্টোবর, ২০২৬"),
        ("pa", "1 ਅਕਤੂਬਰ 2026"),
        ("ur", "1 اکتوبر، 2026"),
        ("he", "1 באוקטובר 2026"),
        ("uk", "1 жовтня 2026\u{202f}р."),
        ("el", "1 Οκτωβρίου 2026"),
        ("hy", "2026 թ․ հոկտեմբերի 01"),
        ("th", "1 ตุลาคม ค.ศ. 2026"),
        ("so", "Oktoobar 01, 2026"),
        ("am", "ኦክቶበር 1 2026"),
        ("km", "1 តុលា 2026"),
    ];
    assert_eq!(cases.len(), LANGUAGES.len());
    for (lang, want) in cases {
        assert_eq!(format_date(lang, 2026, 10, 1).as_deref(), Some(want), "{lang}");
    }
    assert_eq!(format_date("en", 2027, 1, 31).as_deref(), Some("January 31, 2027"));
    assert_eq!(format_date("ht", 2026, 8, 15).as_deref(), Some("15 out 2026"));
    // A language CLDR has no date format for falls back, and the line says so.
    assert_eq!(format_date("xx", 2026, 10, 1), None);
    assert_eq!(reviewed_line(&english(), "xx", 2026, 10, 1), ("Reviewed October 1, 2026".into(), false));
    // Nothing panics on a date that does not exist (the loader refuses them).
    assert_eq!(format_date("en", 2026, 0, 1), None);
    assert_eq!(format_date("ht", 2026, 13, 1), None);
    assert_eq!(english_date(2026, 2, 30), "2026-02-30");
}

#[test]
fn reviewed_line_spacing() {
    let zh = builtin("zh-Hans").unwrap();
    assert_eq!(reviewed_line(&zh, "zh-Hans", 2026, 10, 1).0, "审核日期：2026年10月1日");
    let es = builtin("es").unwrap();
    assert_eq!(reviewed_line(&es, "es", 2026, 10, 1).0, "Revisado el 1 de octubre de 2026");
}

#[test]
fn page_numbers_read_naturally_in_each_language() {
    let cases = [
        ("en", "Page 1 of 2"),
        ("es", "Página 1 de 2"),
        ("fr", "Page 1 sur 2"),
        ("de", "Seite 1 von 2"),
        ("pl", "Strona 1 z 2"),
        ("ru", "Страница 1 из 2"),
        ("uk", "Сторінка 1 з 2"),
        ("vi", "Trang 1 / 2"),
        ("zh-Hans", "第 1 页，共 2 页"),
        ("zh-TW", "第 1 頁，共 2 頁"),
        ("ja", "1 / 2 ページ"),
        ("ko", "1 / 2 페이지"),
        ("fa", "صفحه ۱ از ۲"),
        ("ar", "صفحة 1 من 2"),
        ("he", "עמוד 1 מתוך 2"),
        ("bn", "পৃষ্ঠা ১ / ২"),
        ("hi", "पृष्ठ 1 / 2"),
        ("th", "หน้า 1 จาก 2"),
        ("km", "ទំព័រ 1 នៃ 2"),
        ("nl", "Page 1 of 2"),
    ];
    for (lang, want) in cases {
        assert_eq!(page_of_builtin(lang, 1, 2), want, "{lang}");
    }
    assert_eq!(page_of_builtin("fa", 10, 12), "صفحه ۱۰ از ۱۲");
}

#[test]
fn list_markers_use_the_languages_digits() {
    assert_eq!(number_marker("en", 3), "3.");
    assert_eq!(number_marker("fa", 3), "۳.");
    assert_eq!(number_marker("fa-IR", 12), "۱۲.");
    assert_eq!(number_marker("bn", 12), "১২.");
    // CLDR's default for Arabic, Hindi and Urdu is Latin digits.
    assert_eq!(number_marker("ar", 12), "12.");
    assert_eq!(number_marker("hi", 12), "12.");
    assert_eq!(number_marker("ur", 12), "12.");
    assert_eq!(number_marker("zh-Hant", 7), "7.");
    assert_eq!(number_marker("not a tag!", 7), "7.");
}

#[test]
fn overrides_replace_labels_and_fallbacks_are_named() {
    let o = LabelOverrides {
        reviewed: Some("Revisado:".into()),
        page: Some("Pág.".into()),
        ..Default::default()
    };
    let f = furniture("es-MX", Some(&o));
    assert!(f.fallbacks.is_empty());
    assert_eq!(f.labels.reviewed, "Revisado:");
    assert_eq!(f.labels.phone, "Teléfono");
    assert_eq!(page_of(&f.labels, "es", 10, 12), "Pág. 10 de 12");
    // Overridden words keep the language's order.
    let o = LabelOverrides { page: Some("頁".into()), ..Default::default() };
    assert_eq!(page_of(&furniture("zh-Hans", Some(&o)).labels, "zh", 3, 4), "第 3 頁，共 4 頁");
    // A language without built-in labels: English stand-ins, named.
    assert_eq!(
        furniture("nl", None).fallbacks,
        ["phone", "after_hours", "page", "of", "reviewed", "continued"]
    );
    let o = LabelOverrides {
        phone: Some("Telefoon".into()),
        page_of: Some("{n}/{m}".into()),
        reviewed: Some("Herzien".into()),
        ..Default::default()
    };
    let f = furniture("nl", Some(&o));
    assert_eq!(f.fallbacks, ["after_hours", "page", "of", "continued"]);
    assert_eq!(page_of(&f.labels, "nl", 1, 2), "1/2");
    // A label holding a placeholder is printed as written, not filled again.
    let o = LabelOverrides { page: Some("{m}".into()), ..Default::default() };
    assert_eq!(page_of(&furniture("en", Some(&o)).labels, "en", 1, 2), "{m} 1 of 2");
    let o = LabelOverrides { page_of: Some("{x} {n} {".into()), ..Default::default() };
    assert_eq!(page_of(&furniture("en", Some(&o)).labels, "en", 1, 2), "{x} 1 {");
}

#[test]
fn profile_maps_pick_the_closest_language() {
    let map: BTreeMap<String, u8> =
        [("pt", 1), ("zh", 2), ("zh-TW", 3), ("es-MX", 4), ("es", 5)].map(|(k, v)| (k.to_string(), v)).into();
    assert_eq!(pick(&map, "pt-BR"), Some(&1));
    assert_eq!(pick(&map, "zh-Hans"), Some(&2));
    assert_eq!(pick(&map, "zh-Hant"), Some(&3));
    assert_eq!(pick(&map, "es-mx"), Some(&4), "the same tag first");
    assert_eq!(pick(&map, "es-419"), Some(&5));
    assert_eq!(pick(&map, "de"), None);
    let only_simplified: BTreeMap<String, u8> = [("zh".to_string(), 1)].into();
    assert_eq!(pick(&only_simplified, "zh-HK"), None, "Simplified labels never serve Traditional");
}
