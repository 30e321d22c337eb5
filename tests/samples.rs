//! The shipped samples build, read well and are localized.

mod common;

use common::*;

fn build_samples(d: &Dir) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "-q", "-o"])
        .arg(d.path("out"))
        .arg(root().join("handouts"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn samples_build_with_localized_footers_and_filled_placeholders() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    build_samples(&d);
    let en = d.path("out/lumbar-puncture.en.pdf");
    let es = d.path("out/lumbar-puncture.es.pdf");
    assert_eq!(page_count(&en), 2, "the lumbar puncture handout is two Letter pages");
    let p1 = page_text(&en, 1);
    assert!(p1.starts_with("Back Pain After a Lumbar Puncture\nWhat to expect and how to feel better\nReviewed October 1, 2026"), "{p1}");
    assert!(p1.contains("Phone +1 (555) 010-0199"), "{p1}");
    assert!(p1.contains("Page 1 of 2"), "{p1}");
    let es1 = page_text(&es, 1);
    assert!(es1.contains("Revisado el 1 de octubre de 2026"), "{es1}");
    assert!(es1.contains("Teléfono +1 (555) 010-0199"), "{es1}");
    assert!(es1.contains("Fuera de horario"), "{es1}");
    assert!(es1.contains("Página 1 de 2"), "{es1}");
    for pdf in [&en, &es, &d.path("out/kitchen-sink.en.pdf")] {
        for page in 1..=page_count(pdf) {
            let t = page_text(pdf, page);
            assert!(!t.contains("{{") && !t.contains("}}"), "{}: unfilled placeholder", pdf.display());
        }
    }
    assert!(squash(&page_text(&en, 2)).contains("Questions? Call us at +1 (555) 010-0199."));
    assert_eq!(info_field(&es, "Title"), "Dolor de espalda después de una punción lumbar");
}

#[test]
fn samples_pass_check_without_warnings() {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["check"])
        .arg(root().join("handouts"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("0 errors, 0 warnings"),
        "reading level, paragraph length and variant structure are clean: {err}"
    );
}

#[test]
fn check_warns_about_hard_text_long_paragraphs_and_differing_variants() {
    let d = Dir::new();
    let long = "word ".repeat(130);
    d.write(
        "h/hard.yaml",
        &format!("title: Hard\nbody:\n  - Postoperative cerebrospinal complications necessitate multidisciplinary interventional evaluation.\n  - {long}\n"),
    );
    d.write("h/hard.es.yaml", "title: Difícil\nbody:\n  - Hola.\n");
    let o = d.run(&["check", "h"]);
    assert_eq!(o.status.code(), Some(0), "warnings do not fail check: {}", stderr(&o));
    let err = stderr(&o);
    // At the hardest text: the 130 words of one sentence.
    assert!(err.contains("h/hard.yaml:4:5: warning: reading level is grade"), "{err}");
    assert!(err.contains("h/hard.yaml:4:5: warning: paragraph has 130 words (over 120)"), "{err}");
    assert!(err.contains("h/hard.es.yaml:1:1: warning: structure differs from `h/hard.yaml`"), "{err}");
}
