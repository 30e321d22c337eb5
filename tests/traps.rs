//! The traps a new author falls into (issue 9, item 5): each one is an error or a
//! warning that says what happened and how to fix it, or it no longer happens.

mod common;

use common::*;

#[test]
fn a_bare_block_keyword_is_an_error_with_a_hint_in_check_and_build() {
    let d = Dir::new();
    d.write("h/doc.yaml", "title: X\nbody:\n  - First.\n  - page_break\n  - Second.\n  - heading\n");
    for args in [&["check", "h/doc.yaml"][..], &["build", "h/doc.yaml", "-o", "out"][..]] {
        let o = d.run(args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(
            err.contains("h/doc.yaml:4:5: error: `page_break` alone would print the word \"page_break\""),
            "{args:?}: {err}"
        );
        assert!(err.contains("hint: write `- page_break: true`"), "{err}");
        assert!(err.contains("h/doc.yaml:6:5: error: `heading` alone would print the word"), "{err}");
        assert!(err.contains("write `- heading: Your text.`"), "{err}");
    }
    assert!(!d.path("out/doc.en.pdf").exists());
    // The word itself is still printable, written as a paragraph.
    d.write("h/word.yaml", "title: X\nbody:\n  - paragraph: page_break\n");
    assert_eq!(d.run(&["check", "h/word.yaml"]).status.code(), Some(0));
}

#[test]
fn an_unquoted_word_and_colon_gets_a_quoting_hint() {
    let d = Dir::new();
    d.write(
        "h/doc.yaml",
        "title: X\nbody:\n  - Note: take with food\n  - bullets:\n      - Dose: 500 mg\n      - fine\n",
    );
    let o = d.run(&["check", "h/doc.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("h/doc.yaml:3:5: error: unknown key `Note`"), "{err}");
    assert!(err.contains("put the whole line in quotes: - \"Note: take with food\""), "{err}");
    assert!(err.contains("h/doc.yaml:5:9: error: unknown key `Dose`"), "{err}");
    assert!(err.contains("put the whole line in quotes: - \"Dose: 500 mg\""), "{err}");
    // A misspelt block key keeps its did-you-mean and gets no quoting hint.
    d.write("h/typo.yaml", "title: X\nbody:\n  - bulets: [a]\n");
    let err = stderr(&d.run(&["check", "h/typo.yaml"]));
    assert!(err.contains("did you mean `bullets`?"), "{err}");
    assert!(!err.contains("in quotes"), "{err}");
}

#[test]
fn a_contact_field_the_profile_lacks_names_the_profile() {
    let d = Dir::new();
    d.write("h/contact.yaml", "organization: Clinic\nphone: \"555 0100\"\nhours: Mon–Fri 8–5\n");
    d.write("h/doc.yaml", "title: X\nbody:\n  - \"At night call {{contact.after_hours}}.\"\n");
    let o = d.run(&["check", "h/doc.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("h/doc.yaml:3:20: error: placeholder `{{contact.after_hours}}` has no value: the contact profile has no `after_hours`"), "{err}");
    assert!(err.contains("add `after_hours: …` to h/contact.yaml"), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn the_contact_profile_is_never_built_as_a_handout() {
    let d = Dir::new();
    d.write("h/a.yaml", "title: A\nbody:\n  - Hello.\n");
    d.write("h/b.yaml", "title: B\nbody:\n  - Hello.\n");
    // What `handout build h/*.yaml` passes: the profile among the handouts, first or not.
    for args in [
        &["build", "h/a.yaml", "h/b.yaml", "h/contact.yaml", "-o", "out"][..],
        &["build", "h/contact.yaml", "h/a.yaml", "h/b.yaml", "-o", "out2"][..],
    ] {
        let o = d.run(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        let out = args[args.len() - 1];
        let mut written: Vec<String> = std::fs::read_dir(d.path(out))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        written.sort();
        assert_eq!(written, ["a.en.pdf", "b.en.pdf"], "{args:?}");
    }
    // A profile passed with --contact under another name is left out too.
    d.write("h/clinic.yaml", "organization: Clinic\nphone: \"555 0100\"\n");
    let o = d.run(&["check", "--contact", "h/clinic.yaml", "h/clinic.yaml", "h/a.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

/// The carets under line `line` of a rendered diagnostic: (display column of the first
/// `^` within the source text, number of `^`, display width of that text).
fn carets(err: &str, line: usize, value: &str) -> (usize, usize, usize) {
    use unicode_width::UnicodeWidthStr;
    let lines: Vec<&str> = err.lines().collect();
    let prefix = format!("{line} | ");
    let i = lines
        .iter()
        .position(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line {line} in\n{err}"));
    let src = &lines[i][prefix.len()..];
    let caret_line = &lines[i + 1][prefix.len()..];
    let start = caret_line.find('^').expect("carets");
    let count = caret_line.matches('^').count();
    let at = src.find(value).unwrap_or_else(|| panic!("`{value}` not on `{src}`"));
    assert_eq!(start, src[..at].width(), "carets start under `{value}`:\n{err}");
    (start, count, value.width())
}

#[test]
fn carets_cover_the_whole_value_by_display_width() {
    let d = Dir::new();
    d.write("h/a.yaml", "title: X\nreviewed: Nov 2026\nbody:\n  - heading: true\n");
    let err = stderr(&d.run(&["check", "h/a.yaml"]));
    let (_, n, w) = carets(&err, 2, "Nov 2026");
    assert_eq!((n, w), (8, 8), "{err}");
    let (_, n, _) = carets(&err, 4, "true");
    assert_eq!(n, 4, "{err}");

    // A 21-character list item (the unclosed `**` warning points at the item).
    d.write("h/b.yaml", "title: X\nbody:\n  - bullets:\n      - \"**Drink plenty waters\"\n");
    let err = stderr(&d.run(&["check", "h/b.yaml"]));
    let (_, n, _) = carets(&err, 4, "**Drink plenty waters");
    assert_eq!(n, 21, "{err}");

    // Korean: wide characters take two columns, before and under the carets.
    d.write(
        "h/c.ko.yaml",
        "title: 제목\nreviewed: 2026년 10월\nbody:\n  - 한국어 텍스트 {{ 없음 }} 끝\n  - \"한국어 [링크](ftp://a) 끝\"\n",
    );
    let err = stderr(&d.run(&["check", "h/c.ko.yaml"]));
    let (_, n, w) = carets(&err, 2, "2026년 10월");
    assert_eq!((n, w), (11, 11), "{err}");
    d.write(
        "h/c.ko.yaml",
        "title: 제목\nbody:\n  - 한국어 텍스트 {{ 없음 }} 끝\n  - \"한국어 [링크](ftp://a) 끝\"\n",
    );
    let err = stderr(&d.run(&["check", "h/c.ko.yaml"]));
    let (_, n, w) = carets(&err, 3, "{{ 없음 }}");
    assert_eq!((n, w), (10, 10), "{err}");
    let (_, n, w) = carets(&err, 4, "[링크](ftp://a)");
    assert_eq!(n, w, "{err}");
}

#[test]
fn phone_links_dial_the_number_with_its_extension_and_letters_warn() {
    let d = Dir::new();
    d.write(
        "h/contact.yaml",
        "organization: Clinic\nphone: \"+1 (555) 010-0199 ext. 4455\"\nafter_hours: 1-800-DOCTORS\n",
    );
    d.write(
        "h/doc.yaml",
        "title: X\nbody:\n  - Call <tel:+1-555-010-0188> or [the desk](tel:+1.555.010.0177;ext=9).\n",
    );
    let o = d.run(&["build", "h/doc.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/doc.en.pdf");
    let links = link_uris(&pdf);
    for want in
        ["tel:+15550100199;ext=4455", "tel:+18003628677", "tel:+15550100188", "tel:+15550100177;ext=9"]
    {
        assert!(links.iter().any(|l| l == want), "want {want} in {links:?}");
    }
    assert!(!links.iter().any(|l| l == "tel:+155501001994455" || l == "tel:1800"), "{links:?}");
    if require_tool("pdftotext") {
        let text = squash(&page_text(&pdf, 1));
        assert!(text.contains("Call +1-555-010-0188 or the desk."), "{text}");
        assert!(!text.contains("tel:"), "{text}");
    }
    let o = d.run(&["check", "h/doc.yaml"]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "h/contact.yaml:3:14: warning: `1-800-DOCTORS` has letters: its link dials +1 800-362-8677"
        ),
        "{err}"
    );
}

#[test]
fn a_long_address_breaks_after_a_slash_and_copies_back_whole() {
    if !require_tool("pdftotext") {
        return;
    }
    let url = "https://riverside.example/patient-education/lumbar-puncture/patient-language-guide?lang=en&format=large-print";
    let d = Dir::new();
    d.write(
        "h/doc.yaml",
        &format!("title: X\nbody:\n  - \"Read more at <{url}> or write to patient-education-team@riverside-neurology-clinic.example any time.\"\n"),
    );
    for large in [false, true] {
        let mut args = vec!["build", "h/doc.yaml", "-o", "out"];
        if large {
            args.push("--large-print");
        }
        let o = d.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = page_text(&d.path("out/doc.en.pdf"), 1);
        let start = text.find("https://").expect("the address is on page 1");
        let lines: Vec<&str> = text[start..].lines().collect();
        let joined: String = lines.concat();
        assert!(joined.starts_with(url), "large print {large}: the address copies back whole:\n{text}");
        // It was broken across lines, each time after one of / ? & = .
        let mut rest = url;
        let mut breaks = 0;
        for l in &lines {
            if rest.is_empty() {
                break;
            }
            let part = &rest[..l.len().min(rest.len())];
            assert!(l.starts_with(part), "{l:?} / {rest:?}");
            rest = &rest[part.len()..];
            if !rest.is_empty() {
                breaks += 1;
                assert!(
                    part.ends_with(['/', '?', '&', '=', '.']),
                    "a line ends inside the address at {part:?}"
                );
            }
        }
        assert!(breaks >= 1, "large print {large}: the test needs the address broken:\n{text}");
        let all: String = text.lines().collect();
        assert!(all.contains("patient-education-team@riverside-neurology-clinic.example"), "{text}");
    }
}

#[test]
fn footer_fields_stay_whole_in_large_print() {
    if !require_tool("pdftotext") {
        return;
    }
    let d = Dir::new();
    d.write(
        "h/contact.yaml",
        &format!("{CONTACT}address: 123 Main Street, Springfield, IL 62701\nhours: Mon–Fri 8 am – 5 pm\n"),
    );
    d.write("h/doc.yaml", "title: X\nbody:\n  - Hello.\n");
    for paper in ["letter", "a4"] {
        for large in [false, true] {
            let mut args = vec!["build", "h/doc.yaml", "-o", "out", "--paper", paper];
            if large {
                args.push("--large-print");
            }
            let o = d.run(&args);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            let text = page_text(&d.path("out/doc.en.pdf"), 1);
            let lines: Vec<String> = text.lines().map(squash).collect();
            let case = format!("{paper}, large print {large}:\n{text}");
            for field in [
                "Mon–Fri 8 am – 5 pm",
                "After hours +1 (555) 010-0100",
                "Phone +1 (555) 010-0199",
                "123 Main Street, Springfield, IL 62701",
            ] {
                assert!(lines.iter().any(|l| l.contains(field)), "`{field}` on one line, {case}");
            }
            assert!(!lines.iter().any(|l| l.trim_start().starts_with('·')), "a line starts with ·, {case}");
            assert!(!lines.iter().any(|l| l.trim_end().ends_with('·')), "a line ends with ·, {case}");
        }
    }
}

#[test]
fn a_callout_continued_on_the_next_page_repeats_its_title() {
    if !require_tool("pdftotext") {
        return;
    }
    let items: String = (1..=60)
        .map(|i| format!("        - Item {i}, a severe headache that gets worse when you sit up\n"))
        .collect();
    let d = Dir::new();
    for (file, title) in [("h/c.yaml", "Call 911 if you have"), ("h/c.es.yaml", "Llame al 911 si tiene")] {
        d.write(
            file,
            &format!("title: X\nbody:\n  - Intro.\n  - callout:\n      kind: urgent\n      title: {title}\n      bullets:\n{items}"),
        );
    }
    let o = d.run(&["build", "h/c.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (pdf, want) in [
        ("out/c.en.pdf", "Call 911 if you have (continued)"),
        ("out/c.es.pdf", "Llame al 911 si tiene (continuación)"),
    ] {
        let pdf = d.path(pdf);
        assert!(page_count(&pdf) >= 2);
        let first = page_text(&pdf, 1);
        assert!(!first.contains("(contin"), "page 1 has the title once:\n{first}");
        let second = page_text(&pdf, 2);
        assert_eq!(second.lines().next(), Some(want), "{second}");
        if let Some(tool) = pdfcheck() {
            let o = std::process::Command::new(tool).arg(&pdf).output().unwrap();
            assert!(o.status.success(), "pdfcheck: {}", stdout(&o));
        }
    }
    // A profile's `labels:` sets the word for a language.
    d.write("h/contact.yaml", &format!("{CONTACT}labels:\n  en: {{ continued: \"(cont.)\" }}\n"));
    d.run(&["build", "h/c.yaml", "-o", "out", "--lang", "en"]);
    assert_eq!(page_text(&d.path("out/c.en.pdf"), 2).lines().next(), Some("Call 911 if you have (cont.)"));
}

#[test]
fn the_reading_level_warning_points_at_its_paragraph() {
    let d = Dir::new();
    d.write(
        "h/doc.yaml",
        "title: Care\nbody:\n  - You had a test.\n  - Rest and drink water.\n  - Post-dural puncture complications necessitate multidisciplinary evaluation considering cerebrospinal hydrodynamics.\n",
    );
    let err = stderr(&d.run(&["check", "h/doc.yaml"]));
    assert!(err.contains("h/doc.yaml:5:5: warning: reading level is grade"), "{err}");
    assert!(!err.contains("h/doc.yaml:1:1: warning: reading level"), "{err}");
}

/// Runs `handout ARGS` in `d` with `SOURCE_DATE_EPOCH` set to `epoch` (or unset).
fn run_at(d: &Dir, args: &[&str], epoch: Option<&str>) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_handout"));
    cmd.args(args).current_dir(d.tmp.path()).env_remove("SOURCE_DATE_EPOCH");
    if let Some(e) = epoch {
        cmd.env("SOURCE_DATE_EPOCH", e);
    }
    cmd.output().unwrap()
}

fn reviewed_of(text: &str) -> String {
    text.lines().find_map(|l| l.strip_prefix("reviewed: ")).expect("a reviewed line").to_string()
}

#[test]
fn new_writes_a_contact_profile_todays_date_and_a_translation_skeleton() {
    let d = Dir::new();
    // A folder without a contact profile: `new` writes one, and the handout builds.
    let o = run_at(&d, &["new", "knee-care", "--dir", "clinic"], Some("1780000000"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("clinic/contact.yaml (a starter contact profile"), "{}", stdout(&o));
    let base = std::fs::read_to_string(d.path("clinic/knee-care.yaml")).unwrap();
    assert_eq!(reviewed_of(&base), "2026-05-28");
    let o = d.run(&["build", "clinic", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path("out/knee-care.en.pdf").is_file());

    // Without SOURCE_DATE_EPOCH: today.
    // What `new` reads: the clock (compared with SOURCE_DATE_EPOCH = now below).
    #[allow(clippy::disallowed_methods)]
    let now =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs().to_string();
    run_at(&d, &["new", "a", "--dir", "clinic"], None);
    run_at(&d, &["new", "b", "--dir", "clinic"], Some(&now));
    let a = reviewed_of(&std::fs::read_to_string(d.path("clinic/a.yaml")).unwrap());
    let b = reviewed_of(&std::fs::read_to_string(d.path("clinic/b.yaml")).unwrap());
    assert_eq!(a, b);
    let o = run_at(&d, &["new", "c", "--dir", "clinic"], Some("next tuesday"));
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&o));

    // `--lang es` beside an existing base: the base's structure and texts, in `es`.
    let o = run_at(&d, &["new", "knee-care", "--lang", "es", "--dir", "clinic"], Some("1780000000"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stdout(&o).contains("contact profile"), "the profile is there already");
    let es = std::fs::read_to_string(d.path("clinic/knee-care.es.yaml")).unwrap();
    assert!(es.contains("lang: es\n"), "{es}");
    assert!(es.contains("the `es` translation of knee-care.yaml"), "{es}");
    let base_blocks = base.lines().filter(|l| l.trim_start().starts_with("- ")).count();
    let es_blocks = es.lines().filter(|l| l.trim_start().starts_with("- ")).count();
    assert_eq!(es_blocks, base_blocks, "{es}");
    let o = d.run(&["check", "clinic/knee-care.yaml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("structure differs"), "the same structure: {err}");
    // Until a translator replaces them, check says the texts are the base's.
    assert!(err.contains("clinic/knee-care.es.yaml:5:12: warning: 10 texts are"), "{err}");
    assert!(err.contains("the same as in `clinic/knee-care.yaml`: not translated yet?"), "{err}");
}

#[test]
fn a_colon_inside_a_value_gets_the_quoted_line_as_a_hint() {
    let d = Dir::new();
    d.write("h/doc.yaml", "title: X\nbody:\n  - callout:\n      title: Note: take with food\n");
    let err = stderr(&d.run(&["check", "h/doc.yaml"]));
    assert!(err.contains("h/doc.yaml:4:18: error: invalid YAML: mapping values are not allowed"), "{err}");
    assert!(err.contains("put the value in quotes, `title: \"Note: take with food\"`"), "{err}");
}

#[test]
fn an_address_that_fits_on_a_line_moves_there_whole() {
    if !require_tool("pdftotext") {
        return;
    }
    let url = "https://riverside.example/patient-education/lp";
    // The address after 0 to 24 words: wherever the line is full, it goes on the next.
    let body: String =
        (0..25).map(|k| format!("  - \"{}see <{url}> today.\"\n", "word ".repeat(k))).collect();
    let d = Dir::new();
    d.write("h/doc.yaml", &format!("title: X\nbody:\n{body}"));
    let o = d.run(&["build", "h/doc.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/doc.en.pdf");
    let text: String = (1..=page_count(&pdf)).map(|p| page_text(&pdf, p)).collect();
    let whole = text.lines().filter(|l| l.contains(url)).count();
    assert_eq!(whole, 25, "each address on one line:\n{text}");
}
