//! Hostile input: nothing written outside the folders the user named, whatever a name
//! or tag says.

mod common;

use common::*;

#[test]
fn new_refuses_a_language_that_is_a_path() {
    let d = Dir::new();
    for lang in ["zz/../../../x", "../es", "es/..", "e s", ""] {
        let o = d.run(&["new", "tip", "--lang", lang, "--dir", "h"]);
        assert_eq!(o.status.code(), Some(2), "{lang}: {}", stderr(&o));
        assert!(stderr(&o).contains("is not a language tag"), "{lang}: {}", stderr(&o));
    }
    let mut left: Vec<_> = walk(d.tmp.path());
    left.sort();
    assert_eq!(left, [d.path("h/contact.yaml")], "only the contact profile is there");
    let o = d.run(&["new", "tip", "--lang", "zh-Hans", "--dir", "h"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path("h/tip.zh-Hans.yaml").is_file());
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_hundred_thousand_unknown_keys_give_a_hundred_errors_and_a_count() {
    let d = Dir::new();
    let mut yaml = String::from("title: X\nbody:\n  - a\n");
    for i in 0..100_000 {
        yaml.push_str(&format!("k{i}: v\n"));
    }
    d.write("h/many.yaml", &yaml);
    let o = d.run(&["check", "h/many.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches(": error: unknown key").count(), 100, "{}", &err[..2000.min(err.len())]);
    assert!(
        err.contains("99900 more errors in this document are not shown"),
        "{}",
        &err[err.len().saturating_sub(2000)..]
    );
}

#[test]
fn sixty_thousand_unfilled_placeholders_give_a_hundred_errors_and_a_count() {
    let d = Dir::new();
    let many: Vec<String> = (0..60_000).map(|i| format!("{{{{p{i}}}}}")).collect();
    d.write("h/many.yaml", &format!("title: X\nbody:\n  - \"{}\"\n", many.join(" ")));
    let o = d.run(&["check", "h/many.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert_eq!(err.matches(": error: placeholder `{{p").count(), 100, "{}", &err[..2000.min(err.len())]);
    // The first ones are placed at their own column.
    assert!(err.contains("h/many.yaml:3:6: error: placeholder `{{p0}}` has no value"), "{}", &err[..2000]);
    assert!(
        err.contains("59900 more errors in this document are not shown"),
        "{}",
        &err[err.len().saturating_sub(1500)..]
    );
}

#[test]
fn a_word_of_200000_letters_is_cut_into_lines_and_pages() {
    let d = Dir::new();
    d.write("h/word.yaml", &format!("title: X\nbody:\n  - {}\n", "a".repeat(200_000)));
    let o = d.run(&["build", "-q", "h/word.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    if require_tool("pdftotext") {
        let pdf = d.path("out/word.en.pdf");
        let pages = page_count(&pdf);
        assert!(pages > 20, "{pages} pages");
        let letters: usize = (1..=pages).map(|p| page_text(&pdf, p).matches('a').count()).sum();
        assert!(letters >= 200_000, "{letters} letters read back");
    }
}

#[test]
fn set_contact_values_pass_the_profiles_checks() {
    let d = Dir::new();
    d.write("h/doc.yaml", "title: X\nbody:\n  - a\n");
    let o = d.run(&[
        "build",
        "h",
        "-o",
        "out",
        "--set",
        "contact.website=javascript:alert(1)",
        "--set",
        "contact.email=nope",
        "--set",
        "contact.organization=",
        "--set",
        "contact.phone=call us",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    for want in [
        "--set contact.website: `javascript:alert(1)` is not a web address",
        "--set contact.email: `nope` is not an email address",
        "--set contact.organization: the organization cannot be empty",
        "--set contact.phone: `call us` is not a phone number",
    ] {
        assert!(err.contains(want), "want `{want}` in\n{err}");
    }
    assert!(!d.path("out").exists(), "nothing is written");
    let ok = d.run(&["build", "-q", "h", "-o", "out", "--set", "contact.website=https://other.example"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));
}

#[test]
fn a_heading_before_a_callout_taller_than_a_page_leaves_no_blank_page() {
    let d = Dir::new();
    let items: Vec<String> = (1..=80).map(|i| format!("      - Item number {i} of a long list")).collect();
    d.write(
        "h/tall.yaml",
        &format!("title: Tall\nbody:\n  - heading: Before the box\n  - callout:\n      title: A very long box\n      bullets:\n{}\n", items.join("\n")),
    );
    let o = d.run(&["build", "-q", "h/tall.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    if require_tool("pdftotext") {
        let p1 = page_text(&d.path("out/tall.en.pdf"), 1);
        // The title, the heading and the start of the box are on page 1.
        for want in ["Tall", "Before the box", "A very long box", "Item number 1 of"] {
            assert!(p1.contains(want), "page 1 lacks `{want}`:\n{p1}");
        }
    }
}

#[test]
fn ten_thousand_headings_share_pages() {
    let d = Dir::new();
    let body: String = (0..10_000).map(|i| format!("  - heading: Heading {i}\n")).collect();
    d.write("h/heads.yaml", &format!("title: X\nbody:\n{body}"));
    let o = d.run(&["check", "--json", "h/heads.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let pages = v["documents"][0]["pages"].as_u64().unwrap_or_else(|| panic!("no page count in {v}"));
    // About 20 headings fit a page; one heading per page was the bug.
    assert!(pages < 1_000, "{pages} pages for 10,000 headings");
}

#[test]
fn counts_agree_with_their_nouns() {
    let d = Dir::new();
    d.write("h/one.yaml", "title: One\nbody:\n  - Short.\n");
    let o = d.run(&["build", "h/one.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("(1 page, "), "{}", stdout(&o));
    assert!(stderr(&o).contains("built 1 of 1 document\n"), "{}", stderr(&o));
    let c = d.run(&["check", "h/one.yaml"]);
    assert!(stdout(&c).contains("(1 page)"), "{}", stdout(&c));
    assert!(stderr(&c).contains("checked 1 document: 0 errors, 0 warnings"), "{}", stderr(&c));
}

/// Found by the fuzzer: escaped braces printed `{{` though no placeholder search saw
/// them. Every way markup can make double braces is an error at its place.
#[test]
fn double_braces_made_by_markup_are_refused() {
    let d = Dir::new();
    d.write(
        "h/braces.yaml",
        "title: X\nbody:\n  - a \\{\\{x\\}\\} b\n  - \"{&#123;\"\n  - \"{**{**\"\n  - \"Fine: { { and {b}.\"\n",
    );
    let o = d.run(&["build", "h/braces.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    for place in ["3:7", "4:6", "5:9"] {
        let want = format!("h/braces.yaml:{place}: error: this text would print `{{{{` or `}}}}`");
        assert!(err.contains(&want), "want `{want}` in\n{err}");
    }
    assert_eq!(err.matches("would print").count(), 3, "{err}");
    assert!(!d.path("out/braces.en.pdf").exists());
}

/// A link target of a megabyte would be written once per line of the link: targets are
/// at most 2,048 bytes, an error at the link otherwise.
#[test]
fn a_link_target_over_2048_bytes_is_refused() {
    let d = Dir::new();
    d.write(
        "h/long.yaml",
        &format!("title: X\nbody:\n  - \"See <https://a.example/{}>\"\n", "a".repeat(3000)),
    );
    let o = d.run(&["check", "h/long.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("h/long.yaml:3:10: error: a link target of 3018 bytes (at most 2048)"),
        "{}",
        &stderr(&o)[..stderr(&o).len().min(600)]
    );
}

/// A refused link whose text holds its target followed by a multibyte letter: the caret
/// length once cut that letter in half (a panic at the document boundary).
#[test]
fn a_refused_link_with_its_target_in_its_text_is_an_error_not_a_panic() {
    let d = Dir::new();
    d.write("h/t.yaml", "title: T\nbody:\n  - \"[javascript:xé](javascript:x)\"\n");
    let o = d.run(&["check", "h/t.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("h/t.yaml:3:6: error: `javascript:x` is not a web"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("internal error"), "{}", stderr(&o));
}
