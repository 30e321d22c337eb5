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

mod strings;
use strings::{hostile_text, yaml_quoted};

static BOOK: LazyLock<FontBook> = LazyLock::new(|| FontBook::load(&Default::default()).expect("fonts"));

const LANGS: [&str; 6] = ["en", "ar", "he", "fa", "th", "hi"];

/// `PROPTEST_CASES` if set (an explicit count in the config would override it), else
/// `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(48), ..ProptestConfig::default() })]

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
