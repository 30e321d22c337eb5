//! Every sample language, as a reader gets it: the text poppler extracts is the YAML's
//! text, block by block and in order; no `.notdef` box is drawn; `/Lang` is the
//! document's language; the footer is localized; right-to-left lines end at the right
//! margin.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use handout::resolve::{DocBlock, DocList, Document, Filled};

/// (file language, words the localized footer of page 1 must contain).
const SAMPLES: &[(&str, &[&str])] = &[
    ("en", &["Phone", "Page 1 of 2"]),
    ("es", &["Teléfono", "Página 1 de 2"]),
    ("vi", &["Điện thoại", "Trang 1"]),
    ("hi", &["फ़ोन", "पृष्ठ"]),
    ("ar", &["الهاتف", "صفحة"]),
    ("ko", &["전화", "페이지"]),
    ("zh-Hans", &["电话", "第 1 页"]),
];

/// The samples, built once per test into `d/out`.
fn build(d: &Dir) -> PathBuf {
    let out = d.path("out");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "-q", "--no-system-fonts", "-o"])
        .arg(&out)
        .arg(root().join("handouts"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out
}

/// The resolved document of a sample, as the tool sees it.
fn document(lang: &str) -> Document {
    let file = if lang == "en" {
        "lumbar-puncture.yaml".to_string()
    } else {
        format!("lumbar-puncture.{lang}.yaml")
    };
    let h = handout::model::load_handout(&root().join("handouts").join(file)).unwrap();
    let contact = handout::model::load_contact(&root().join("handouts/contact.yaml")).unwrap();
    handout::resolve::resolve(&h, &contact, &handout::resolve::Values::default(), None).unwrap()
}

/// What a reader should read: the plain text of every block, in order.
fn expected_texts(doc: &Document) -> Vec<String> {
    fn plain(f: &Filled) -> String {
        squash(&handout::text::markup::plain_text(&handout::text::parse_inline(&f.value)))
    }
    fn list(l: &DocList, out: &mut Vec<String>) {
        for (item, nested) in &l.items {
            out.push(plain(item));
            if let Some(n) = nested {
                list(n, out);
            }
        }
    }
    let mut out = vec![plain(&doc.title)];
    out.extend(doc.subtitle.iter().map(plain));
    for b in &doc.blocks {
        match b {
            DocBlock::Heading(t) | DocBlock::Subheading(t) | DocBlock::Paragraph(t) => out.push(plain(t)),
            DocBlock::List(l) => list(l, &mut out),
            DocBlock::Callout(c) => {
                out.extend(c.title.iter().map(plain));
                out.extend(c.text.iter().map(plain));
                if let Some(l) = &c.list {
                    list(l, &mut out);
                }
            }
            DocBlock::Qr(q) => out.push(plain(&q.caption)),
            DocBlock::Image(i) => out.extend(i.caption.iter().map(plain)),
            // Read cell by cell, row by row, after the caption and the header.
            DocBlock::Table(t) => {
                out.extend(t.caption.iter().map(plain));
                out.extend(
                    t.columns.iter().chain(t.rows.iter().flatten()).map(plain).filter(|c| !c.is_empty()),
                );
            }
            DocBlock::PageBreak => {}
        }
    }
    out
}

/// The body text of every page (the footer, from the organization's name on, left out),
/// squashed into one line.
fn body_text(pdf: &Path) -> String {
    let mut all = Vec::new();
    for page in 1..=page_count(pdf) {
        let text = page_text(pdf, page);
        let cut = text.rfind("Riverside Neurology Clinic").unwrap_or(text.len());
        all.push(squash(&text[..cut]));
    }
    all.join(" ")
}

#[test]
fn every_sample_language_reads_back_block_by_block() {
    if !require_tool("pdftotext") {
        return;
    }
    let d = Dir::new();
    let out = build(&d);
    for (lang, _) in SAMPLES {
        let pdf = out.join(format!("lumbar-puncture.{lang}.pdf"));
        let mut text = body_text(&pdf);
        let mut wants = expected_texts(&document(lang));
        if *lang == "ar" {
            // Poppler reorders right-to-left lines itself, wraps runs in bidi embedding
            // marks and moves neutral punctuation to the other side of a space; compare
            // words (the tags carry the exact text, see tests/extract.rs).
            text = word_line(&text);
            wants = wants.iter().map(|w| word_line(w)).collect();
        }
        if *lang == "zh-Hans" {
            // Chinese has no spaces between words, and a line may end anywhere: poppler's
            // line ends are not spaces of the text.
            let bare = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
            text = bare(&text);
            wants = wants.iter().map(|w| bare(w)).collect();
        }
        let mut at = 0;
        for want in wants {
            // A paragraph may continue on the next page after its footer: compare the
            // text with page joins squashed away.
            match text[at..].find(&want) {
                Some(i) => at += i + want.len(),
                None => panic!(
                    "{lang}: `{want}` not found in order after byte {at} of the extracted text:\n{}",
                    &text[at..]
                ),
            }
        }
    }
}

#[test]
fn every_sample_language_has_its_lang_footer_and_no_missing_glyph_box() {
    if !require_tool("pdftotext") {
        return;
    }
    let d = Dir::new();
    let out = build(&d);
    for (lang, footer_words) in SAMPLES {
        let pdf = out.join(format!("lumbar-puncture.{lang}.pdf"));
        let doc = lopdf::Document::load(&pdf).unwrap();
        let catalog = doc.catalog().unwrap();
        let got =
            catalog.get(b"Lang").and_then(|l| l.as_str()).map(|b| String::from_utf8_lossy(b).into_owned());
        assert_eq!(got.as_deref().ok(), Some(*lang), "{lang}: /Lang");
        let p1 = page_text(&pdf, 1);
        let footer = &p1[p1.rfind("Riverside Neurology Clinic").expect("footer")..];
        for w in *footer_words {
            assert!(footer.contains(w), "{lang}: footer lacks `{w}`:\n{footer}");
        }
        assert!(!p1.contains('\u{FFFD}'), "{lang}: a character did not map back");
        // Every font's glyph 0 is .notdef; the tool never draws it.
        for (_, id) in doc.get_pages() {
            let content = lopdf::content::Content::decode(&doc.get_page_content(id)).unwrap();
            for op in content.operations.iter().filter(|o| o.operator == "TJ" || o.operator == "Tj") {
                let parts: Vec<&lopdf::Object> = match &op.operands[0] {
                    lopdf::Object::Array(a) => a.iter().collect(),
                    o => vec![o],
                };
                for s in parts {
                    if let Ok(b) = s.as_str() {
                        assert!(
                            !b.chunks(2).any(|c| c == [0, 0]),
                            "{lang}: glyph 0 (.notdef) drawn on a page"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn right_to_left_sample_lines_end_at_the_right_margin() {
    if !require_tool("pdftotext") {
        return;
    }
    let d = Dir::new();
    let out = build(&d);
    let pages = words(&out.join("lumbar-puncture.ar.pdf"));
    let right = pages[0].width - 54.0;
    // The first lines of page 1 below the logo: title, subtitle, reviewed line, heading.
    let mut lines: Vec<(f32, f32)> = Vec::new();
    for w in &pages[0].words {
        match lines.iter_mut().find(|(y, _)| (*y - w.y1).abs() < 2.0) {
            Some(l) => l.1 = l.1.max(w.x1),
            None => lines.push((w.y1, w.x1)),
        }
    }
    lines.sort_by(|a, b| a.0.total_cmp(&b.0));
    let body: Vec<&(f32, f32)> = lines.iter().filter(|(y, _)| *y > 90.0 && *y < 600.0).collect();
    assert!(body.len() > 20, "{body:?}");
    for (y, x1) in &body {
        assert!(*x1 < right + 0.5, "a line at y={y} ends at x={x1}, past the right margin {right}");
    }
    // Flush right: paragraphs, headings and list markers end at the margin, the lines
    // of list items at their indent: a handful of distinct line ends, where ragged
    // (left-aligned) lines would end anywhere.
    let flush = body.iter().filter(|(_, x1)| (right - x1).abs() < 1.5).count();
    assert!(flush >= 10, "{flush} of {} lines end at the right margin: {body:?}", body.len());
    let mut ends: Vec<i32> = body.iter().map(|(_, x1)| (x1 * 2.0).round() as i32).collect();
    ends.sort();
    ends.dedup();
    assert!(ends.len() <= 6, "lines end at {ends:?} (half points): not flush right");
}

/// The words of `s`, bidi marks and punctuation around them taken away, one space apart.
fn word_line(s: &str) -> String {
    s.replace(['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'], " ")
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
