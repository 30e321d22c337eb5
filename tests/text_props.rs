//! Property tests: no string a YAML file can hold makes text or layout panic, and what
//! is laid out stays inside the margins.
//!
//! Strings are drawn from every script the shipped fonts cover (and some they do not:
//! CJK, emoji), combining marks (also after a space), emoji with ZWJ and variation
//! selectors, bidi controls, markup characters and white space. The case count is kept
//! small so `cargo test` stays fast; raise it with `PROPTEST_CASES=5000`.

use std::path::Path;
use std::sync::LazyLock;

use handout::layout::line::break_lines;
use handout::layout::{layout, Item, Style};
use handout::model::{parse_contact, parse_handout};
use handout::resolve::{resolve, Values};
use handout::text::{is_default_ignorable, parse_inline, shape_paragraph, FontBook};
use proptest::prelude::*;

static BOOK: LazyLock<FontBook> = LazyLock::new(|| FontBook::load(&Default::default()).expect("fonts"));

/// Pools of characters, one per kind of trouble; the last [`UNCOVERED`] have characters
/// the shipped fonts lack (the document then fails with diagnostics).
const POOLS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyzABCXYZ0123456789",
    "éñüßøåçœ",
    "αβγδΩЖДжщ",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "لا ﻻ ئ ة ى پ چ ژ گ ک ی ے ۓ ٹ ڈ ڑ ں ہ ھ",
    "\u{064B}\u{064E}\u{064F}\u{0650}\u{0651}\u{0652}\u{0670}",
    "٠١٢٣٤٥٦٧٨٩۰۱۲۳",
    "אבגדהוזחטיכלמנסעפצקרשת\u{05B0}\u{05B4}\u{05BC}",
    "कखगघचजटडतदनपबमयरलवशसह\u{093F}\u{0940}\u{094D}\u{0902}।",
    "অআকখগ\u{09BF}\u{09CD}ਕਖਗ\u{0A3F}\u{0A4D}",
    "กขคงจฉชซญดตถทนบปผพฟมยรลวศสหอ\u{0E31}\u{0E34}\u{0E48}\u{0E49}\u{0E33}",
    "កខគឃងចឆជ\u{17B6}\u{17C1}\u{17D2}\u{17C6}",
    "ԱԲԳաբգሀለሐመ",
    "\u{0300}\u{0301}\u{0308}\u{0323}\u{20DD}",
    "\u{200E}\u{200F}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}\u{061C}",
    "\u{200B}\u{200C}\u{200D}\u{2060}\u{00AD}\u{FEFF}",
    "   \t\u{00A0}\u{2009}\u{3000}",
    "*_`[]()<>\\!#-+.,:;\"'/",
    "中文字한글あア。、",
    "⚠\u{FE0F}👍\u{1F3FD}👩\u{200D}⚕\u{FE0F}\u{FE0E}",
];

/// How many pools at the end of [`POOLS`] the shipped fonts do not cover.
const UNCOVERED: usize = 2;

/// A random string: short stretches from random pools; one in five strings may use the
/// pools the shipped fonts lack.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![4 => Just(POOLS.len() - UNCOVERED), 1 => Just(POOLS.len())]
        .prop_flat_map(|pools| {
            prop::collection::vec(
                (0..pools, prop::collection::vec(any::<prop::sample::Index>(), 1..8)),
                1..12,
            )
        })
        .prop_map(|parts| {
            let mut s = String::new();
            for (pool, picks) in parts {
                let chars: Vec<char> = POOLS[pool].chars().collect();
                for p in picks {
                    s.push(*p.get(&chars));
                }
            }
            s
        })
}

/// A YAML double-quoted scalar holding `s` exactly, every non-ASCII or special
/// character escaped.
fn yaml_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFFFF => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push_str(&format!("\\U{:08X}", c as u32)),
        }
    }
    out.push('"');
    out
}

const LANGS: [&str; 6] = ["en", "ar", "he", "fa", "th", "hi"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// A paragraph, a list and a callout of hostile text lay out without a panic and
    /// stay inside the margins, or fail with diagnostics.
    #[test]
    fn hostile_text_lays_out_inside_the_margins(text in hostile_text(), lang in 0..LANGS.len()) {
        let q = yaml_quoted(&text);
        let yaml = format!(
            "title: {q}\nlang: {}\nbody:\n  - {q}\n  - bullets:\n      - {q}\n      - {q}\n  - callout:\n      kind: note\n      text: {q}\n",
            LANGS[lang]
        );
        let Ok(h) = parse_handout(Path::new("case.yaml"), yaml.as_bytes()) else {
            return Ok(());
        };
        let c = parse_contact(Path::new("contact.yaml"), b"organization: Test Clinic\nphone: \"555 0100\"\n")
            .expect("contact loads");
        let Ok(doc) = resolve(&h, &c, &Values::default(), None) else {
            return Ok(());
        };
        let style = Style::new(Default::default(), false);
        match layout(&doc, &BOOK, &style) {
            Err(d) => prop_assert!(!d.is_empty()),
            Ok(pages) => {
                let pdf = handout::pdf::write(&pages, &doc, &BOOK, &Default::default(), &Default::default());
                prop_assert!(pdf.is_ok_and(|b| b.starts_with(b"%PDF")));
                let right = pages.width - style.margin;
                for page in &pages.pages {
                    for item in &page.items {
                        if let Item::Text { x, run, .. } = item {
                            prop_assert!(*x >= style.margin - 0.01, "{:?} starts at {x}", run.text);
                            prop_assert!(
                                x + run.width() <= right + 0.01,
                                "{:?} ends at {} > {right}",
                                run.text,
                                x + run.width()
                            );
                        }
                    }
                }
            }
        }
    }

    /// Shaping and breaking hostile text into narrow lines: no panic, every line fits
    /// unless it holds a single glyph cluster, and no text is lost or repeated.
    #[test]
    fn hostile_text_breaks_into_lines_that_fit(text in hostile_text(), lang in 0..LANGS.len(), width in 4.0f32..300.0) {
        let spans = parse_inline(&text);
        if let Ok(p) = shape_paragraph(&spans, LANGS[lang], 12.0, &BOOK) {
            let lines = break_lines(&p, width);
            for l in &lines {
                let clusters: std::collections::BTreeSet<(usize, usize)> = l
                    .runs
                    .iter()
                    .enumerate()
                    .flat_map(|(i, (_, r))| r.glyphs.iter().map(move |g| (i, g.cluster)))
                    .collect();
                prop_assert!(l.width <= width + 0.01 || clusters.len() <= 1, "{:?} is {} wide", l.text(), l.width);
                for (x, r) in &l.runs {
                    prop_assert!(*x >= -0.01 && x + r.width() <= l.width + 0.01);
                    for i in 0..r.glyphs.len() {
                        let _ = &r.text[r.cluster_range(i)];
                    }
                }
            }
            let shown: String = lines.iter().map(|l| l.text()).collect::<String>();
            let plain: String = spans.iter().map(|s| s.text.as_str()).collect();
            let squash = |s: &str| {
                s.chars().filter(|&c| !c.is_whitespace() && !is_default_ignorable(c)).collect::<String>()
            };
            prop_assert_eq!(squash(&shown), squash(&plain));
        }
    }
}

/// The strings from issue 8 that used to panic: a combining mark right after a space,
/// in the body and in a list, through layout and the PDF writer.
#[test]
fn a_combining_mark_after_a_space_builds() {
    for text in ["a \u{301}b c", "x \u{301}el: y", "مرحبا \u{64E}بكم"] {
        let q = yaml_quoted(text);
        let yaml = format!("title: {q}\nbody:\n  - {q}\n  - bullets:\n      - {q}\n");
        let h = parse_handout(Path::new("case.yaml"), yaml.as_bytes()).expect("loads");
        let c = parse_contact(Path::new("contact.yaml"), b"organization: Test Clinic\nphone: \"555 0100\"\n")
            .expect("contact");
        let doc = resolve(&h, &c, &Values::default(), None).expect("resolves");
        let pages = layout(&doc, &BOOK, &Style::new(Default::default(), false)).expect("lays out");
        let pdf = handout::pdf::write(&pages, &doc, &BOOK, &Default::default(), &Default::default());
        assert!(pdf.is_ok_and(|b| b.starts_with(b"%PDF")), "{text:?}");
    }
}
