//! Unit tests of the loader: the sample, every bad input at its line and column, errors
//! collected in one pass, file names, contact profiles, and garbage that must not panic.

use std::path::Path;

use super::*;
use crate::diag::Diagnostic;

const SAMPLE: &str = r#"title: Back Pain After a Lumbar Puncture
subtitle: What to expect and how to feel better
lang: en
summary: Why back pain can follow a spinal tap, and what helps.
keywords: [lumbar puncture, spinal tap, back pain]
reviewed: 2026-10-01
body:
  - heading: What is a lumbar puncture?
  - A lumbar puncture, also called a spinal tap, is a test.
  - paragraph: Same as a bare string.
  - subheading: A smaller heading
  - bullets:
      - "**Fluid leak:** the needle hole may not close right away."
      - text: Pain medicine
        bullets:
          - Acetaminophen (Tylenol)
          - Ibuprofen (Advil, Motrin)
  - steps:
      - Lie flat for one hour.
      - Drink plenty of fluids.
  - callout:
      kind: urgent
      title: Call 911 or go to the emergency room if you have
      text: An optional paragraph.
      bullets:
        - A severe headache that gets worse when you sit up
        - "Fever of 100.4 °F (38 °C) or higher"
  - page_break: true
"#;

const FILE: &str = "h/lumbar-puncture.yaml";

fn at(line: usize, col: usize) -> Span {
    Span::new(FILE, line, col)
}

/// Asserts that `t` is `value`, starts at `line:col`, and is exact or not.
fn check(t: &Text, value: &str, line: usize, col: usize, exact: bool) {
    assert_eq!((t.value.as_str(), t.span.line, t.span.col, t.exact), (value, line, col, exact), "{t:?}");
    assert_eq!(&*t.span.file, FILE);
}

fn items(l: &List) -> Vec<&str> {
    l.items.iter().map(|i| i.text.value.as_str()).collect()
}

#[test]
fn the_sample_loads_with_every_position() {
    let h = parse_handout(Path::new(FILE), SAMPLE.as_bytes()).unwrap();
    assert_eq!((h.id.as_str(), h.lang.as_str()), ("lumbar-puncture", "en"));
    assert_eq!(h.path, Path::new(FILE));
    check(&h.title, "Back Pain After a Lumbar Puncture", 1, 8, true);
    check(h.subtitle.as_ref().unwrap(), "What to expect and how to feel better", 2, 11, true);
    check(h.summary.as_ref().unwrap(), "Why back pain can follow a spinal tap, and what helps.", 4, 10, true);
    let kw: Vec<_> = h.keywords.iter().map(|k| (k.value.as_str(), k.span.col)).collect();
    assert_eq!(kw, [("lumbar puncture", 12), ("spinal tap", 29), ("back pain", 41)]);
    assert_eq!(h.reviewed, Some((Date { year: 2026, month: 10, day: 1 }, at(6, 11))));
    assert_eq!(h.body.len(), 8);

    let Block::Heading(t) = &h.body[0] else { panic!("{:?}", h.body[0]) };
    check(t, "What is a lumbar puncture?", 8, 14, true);
    let Block::Paragraph(t) = &h.body[1] else { panic!("{:?}", h.body[1]) };
    check(t, "A lumbar puncture, also called a spinal tap, is a test.", 9, 5, true);
    let Block::Paragraph(t) = &h.body[2] else { panic!("{:?}", h.body[2]) };
    check(t, "Same as a bare string.", 10, 16, true);
    let Block::Subheading(t) = &h.body[3] else { panic!("{:?}", h.body[3]) };
    check(t, "A smaller heading", 11, 17, true);

    let Block::List(l) = &h.body[4] else { panic!("{:?}", h.body[4]) };
    assert_eq!(l.kind, ListKind::Bullets);
    assert_eq!(items(l), ["**Fluid leak:** the needle hole may not close right away.", "Pain medicine"]);
    // A quoted scalar starts one column after its opening quote.
    check(&l.items[0].text, "**Fluid leak:** the needle hole may not close right away.", 13, 10, true);
    assert!(l.items[0].nested.is_none());
    check(&l.items[1].text, "Pain medicine", 14, 15, true);
    let nested = l.items[1].nested.as_ref().unwrap();
    assert_eq!(nested.kind, ListKind::Bullets);
    assert_eq!(items(nested), ["Acetaminophen (Tylenol)", "Ibuprofen (Advil, Motrin)"]);
    check(&nested.items[1].text, "Ibuprofen (Advil, Motrin)", 17, 13, true);
    assert!(nested.items.iter().all(|i| i.nested.is_none()));

    let Block::List(l) = &h.body[5] else { panic!("{:?}", h.body[5]) };
    assert_eq!(l.kind, ListKind::Steps);
    assert_eq!(items(l), ["Lie flat for one hour.", "Drink plenty of fluids."]);
    check(&l.items[1].text, "Drink plenty of fluids.", 20, 9, true);

    let Block::Callout(c) = &h.body[6] else { panic!("{:?}", h.body[6]) };
    assert_eq!(c.kind, CalloutKind::Urgent);
    assert_eq!(c.span, at(21, 5));
    check(c.title.as_ref().unwrap(), "Call 911 or go to the emergency room if you have", 23, 14, true);
    check(c.text.as_ref().unwrap(), "An optional paragraph.", 24, 13, true);
    let l = c.list.as_ref().unwrap();
    assert_eq!(l.kind, ListKind::Bullets);
    let fever = &l.items[1].text;
    check(fever, "Fever of 100.4 °F (38 °C) or higher", 27, 12, true);
    // Columns count characters, so span_at finds `38` after the multi-byte `°`.
    let off = fever.value.find("38").unwrap();
    let line: Vec<char> = SAMPLE.lines().nth(26).unwrap().chars().collect();
    assert_eq!(line[fever.span_at(off).col - 1..][..2], ['3', '8']);

    assert_eq!(h.body[7], Block::PageBreak(at(28, 17)));
}

#[test]
fn language_comes_from_the_key_the_file_name_or_english() {
    let doc = "title: X\nbody: [a]\n";
    assert_eq!(parse_handout(Path::new("a.yaml"), doc.as_bytes()).unwrap().lang, "en");
    let h = parse_handout(Path::new("dir/a.zh-Hans.yaml"), doc.as_bytes()).unwrap();
    assert_eq!((h.id.as_str(), h.lang.as_str()), ("a", "zh-Hans"));
    let doc = "title: X\nlang: pt-br\nbody: [a]\n";
    assert_eq!(parse_handout(Path::new("a.pt-BR.yaml"), doc.as_bytes()).unwrap().lang, "pt-br");
    assert_eq!(parse_handout(Path::new("a.yaml"), doc.as_bytes()).unwrap().lang, "pt-br");
}

#[test]
fn escapes_multi_line_and_block_scalars_are_not_exact() {
    let doc = "title: \"a\\tb\"\nsubtitle: 'it''s'\nsummary: one\n  two\nbody:\n  - |\n    Block text.\n  - 'plain quoted'\n";
    let h = parse_handout(Path::new("a.yaml"), doc.as_bytes()).unwrap();
    assert_eq!((h.title.value.as_str(), h.title.exact, h.title.span.col), ("a\tb", false, 9));
    let s = h.subtitle.unwrap();
    assert_eq!((s.value.as_str(), s.exact, s.span.col), ("it's", false, 12));
    let s = h.summary.unwrap();
    assert_eq!((s.value.as_str(), s.exact), ("one two", false));
    let Block::Paragraph(p) = &h.body[0] else { panic!() };
    assert_eq!((p.value.as_str(), p.exact), ("Block text.\n", false));
    let Block::Paragraph(p) = &h.body[1] else { panic!() };
    assert_eq!((p.value.as_str(), p.exact, p.span.line, p.span.col), ("plain quoted", true, 8, 6));
    // Offsets into an inexact text fall back to its start.
    assert_eq!(h.title.span_at(2), h.title.span);
}

/// The errors of a handout as `line:col: message` with hints, for assertions.
fn errors(name: &str, doc: &[u8]) -> Vec<Diagnostic> {
    match parse_handout(Path::new(name), doc) {
        Ok(h) => panic!("expected errors for {:?}, got {h:?}", String::from_utf8_lossy(doc)),
        Err(ds) => {
            for d in &ds {
                assert!(d.is_error());
                assert!(!d.message.ends_with('.'), "{d}");
                // Lowercase, except an acronym such as YAML.
                let first = d.message.split(' ').next().unwrap_or("");
                assert!(!first.starts_with(char::is_uppercase) || first == "YAML", "{d}");
                assert_eq!(d.span.as_ref().map(|s| &*s.file), Some(name), "{d}");
            }
            ds
        }
    }
}

fn has(ds: &[Diagnostic], line: usize, col: usize, message: &str, hint: &str) -> bool {
    ds.iter().any(|d| {
        d.span.as_ref().is_some_and(|s| (s.line, s.col) == (line, col))
            && d.message.starts_with(message)
            && (hint.is_empty() || d.hints.iter().any(|h| h.contains(hint)))
    })
}

fn show(ds: &[Diagnostic]) -> String {
    ds.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n")
}

/// (file contents, line, column, message start, text of one hint).
const BAD: &[(&str, usize, usize, &str, &str)] = &[
    // Unknown keys, at the key, with did-you-mean and the valid keys.
    ("titel: X\nbody: [a]\n", 1, 1, "unknown key `titel`", "did you mean `title`?"),
    ("titel: X\nbody: [a]\n", 1, 1, "unknown key `titel`", "valid keys here: `title`, `subtitle`"),
    ("title: X\nbody:\n  - bulets: [a]\n", 3, 5, "unknown key `bulets`", "did you mean `bullets`?"),
    ("title: X\nbody:\n  - callout:\n      title: T\n      bulets: [a]\n", 5, 7, "unknown key `bulets`", "did you mean `bullets`?"),
    ("title: X\nbody:\n  - callout:\n      title: T\n      bulets: [a]\n", 5, 7, "unknown key `bulets`", "`kind`, `title`, `text`, `bullets`, `steps`"),
    ("title: X\nbody:\n  - steps:\n      - text: a\n        stesp: [b]\n", 5, 9, "unknown key `stesp`", "did you mean `steps`?"),
    // Wrong types.
    ("title: 2026\nbody: [a]\n", 1, 8, "expected text here, found the number `2026`", "put the value in quotes"),
    ("title: X\nsubtitle: true\nbody: [a]\n", 2, 11, "expected text here, found `true`", "put the value in quotes"),
    ("title: X\nkeywords: [a, 3.5]\nbody: [a]\n", 2, 15, "expected text here, found the number `3.5`", "\"3.5\""),
    ("title: X\nbody:\n  - 42\n", 3, 5, "expected text here, found the number `42`", "quotes"),
    ("title: X\nbody:\n  - bullets: [a, 7]\n", 3, 18, "expected text here, found the number `7`", "quotes"),
    ("title: X\nbody:\n  - bullets:\n      - text: a\n        bullets: [b, false]\n", 5, 22, "expected text here, found `false`", "quotes"),
    ("title: [a, b]\nbody: [a]\n", 1, 8, "expected text here, found a list", "bullets:"),
    ("title: X\nbody:\n  - heading:\n      - a\n", 4, 7, "expected text here, found a list", ""),
    ("title: X\nkeywords: a, b\nbody: [a]\n", 2, 11, "expected a list here, found text", "- "),
    ("title: X\nbody: hello\n", 2, 7, "expected a list here, found text", "- "),
    ("title: X\nbody:\n  - bullets: hello\n", 3, 14, "expected a list here, found text", "- "),
    ("title: X\nbody:\n  - callout: hello\n", 3, 14, "expected a callout", ""),
    ("title: X\nbody:\n  - page_break: yes\n", 3, 17, "expected true or false here, found text", "page_break: true"),
    // Empty values.
    ("title: \"\"\nbody: [a]\n", 1, 9, "`title` is empty", "give it a value, or remove the key"),
    ("title: '  '\nbody: [a]\n", 1, 9, "`title` is empty", ""),
    ("title: X\nsubtitle:\nbody: [a]\n", 2, 1, "`subtitle` is empty", "remove the key"),
    ("title: X\nsubtitle: ~\nbody: [a]\n", 2, 1, "`subtitle` is empty", "remove the key"),
    ("title: X\nbody:\n  - callout:\n      title:\n      text: a\n", 4, 7, "`title` is empty", "remove the key"),
    ("title: X\nbody:\n  - heading: \"\"\n", 3, 15, "`heading` is empty", ""),
    ("title: X\nbody:\n  - bullets:\n      - a\n      -\n      - b\n", 3, 5, "item 2 of this list is empty", "after `- `"),
    ("title: X\nbody:\n  - bullets:\n      - text: a\n        bullets:\n          - b\n          -\n", 5, 9, "item 2 of this list is empty", ""),
    ("title: X\nbody:\n  - bullets: []\n", 3, 14, "the list is empty", ""),
    ("title: X\nbody:\n  - {}\n", 3, 5, "the block is empty", ""),
    ("body: [a]\n", 1, 1, "missing `title`", "title:"),
    ("title: X\n", 1, 1, "the handout has no body", "body:"),
    ("title: X\nbody: []\n", 2, 1, "the handout has no body", "body:"),
    ("title: X\nbody:\n", 2, 1, "`body` is empty", ""),
    // Values.
    ("title: X\nreviewed: 2026-13-01\nbody: [a]\n", 2, 11, "`2026-13-01` is not a date", "YYYY-MM-DD"),
    ("title: X\nreviewed: 2025-02-29\nbody: [a]\n", 2, 11, "`2025-02-29` is not a date", ""),
    ("title: X\nreviewed: 2026-+1-01\nbody: [a]\n", 2, 11, "`2026-+1-01` is not a date", ""),
    ("title: X\nreviewed: Oct 1 2026\nbody: [a]\n", 2, 11, "`Oct 1 2026` is not a date", ""),
    ("title: X\nlang: english\nbody: [a]\n", 2, 7, "`english` is not a language tag", "BCP 47"),
    ("title: X\nlang: e_n\nbody: [a]\n", 2, 7, "`e_n` is not a language tag", ""),
    ("title: X\nbody:\n  - callout:\n      kind: warning\n", 3, 5, "the callout is empty", "`title`, a `text` or a list"),
    ("title: X\nbody:\n  - callout:\n      kind: urgnt\n      text: a\n", 4, 13, "unknown callout kind `urgnt`", "did you mean `urgent`?"),
    ("title: X\nbody:\n  - callout:\n      bullets: [a]\n      steps: [b]\n", 5, 7, "a callout has one list", ""),
    ("title: X\nbody:\n  - bullets:\n      - text: a\n        bullets: [b]\n        steps: [c]\n", 6, 9, "an item has one nested list", ""),
    ("title: X\nbody:\n  - bullets:\n      - text: a\n        bullets:\n          - text: b\n            bullets: [c]\n", 6, 13, "lists nest one level deep", "plain text"),
    ("title: X\nbody:\n  - bullets:\n      - text: a\n        bullets:\n          - [b, c]\n", 6, 13, "lists nest one level deep", ""),
    ("title: X\nbody:\n  - page_break: false\n", 3, 17, "`page_break: false` does nothing", "page_break: true"),
    ("title: X\nbody:\n  - heading: A\n    paragraph: B\n", 4, 5, "a block has one key, but this one also has `paragraph`", "- "),
    // YAML the loader refuses.
    ("title: X\nbody:\n  - \"unclosed\n", 3, 5, "invalid YAML", "quoting"),
    ("title: X\ntitle: Y\nbody: [a]\n", 2, 1, "duplicate key `title`", "line 1"),
    ("title: &t X\nsubtitle: *t\nbody: [a]\n", 1, 8, "YAML anchors (`&name`) are not allowed", "write the text out"),
    ("title: X\nbody:\n  - !!str 12\n", 3, 5, "YAML tags (`!name`) are not allowed", "quotes"),
    ("title: X\nbody: [a]\n---\ntitle: Y\n", 3, 1, "the file holds more than one YAML document", "---"),
    ("", 1, 1, "the file is empty", "handout new"),
    ("\n  \n# only a comment\n---\n", 1, 1, "the file is empty", ""),
    ("- a\n- b\n", 1, 1, "a handout is a set of `key: value` lines, but this file holds a list", "title:"),
    ("just words\n", 1, 1, "a handout is a set of `key: value` lines, but this file holds a single value", ""),
];

#[test]
fn every_bad_input_is_an_error_at_its_line_and_column() {
    for (i, (doc, line, col, message, hint)) in BAD.iter().enumerate() {
        let ds = errors("h/case.yaml", doc.as_bytes());
        assert!(
            has(&ds, *line, *col, message, hint),
            "case {i}: want {line}:{col}: {message} [{hint}] for\n{doc}\ngot\n{}",
            show(&ds)
        );
    }
}

#[test]
fn a_variant_whose_lang_disagrees_with_its_name() {
    let ds = errors("h/care.vi.yaml", b"title: X\nlang: es\nbody: [a]\n");
    assert!(
        has(
            &ds,
            2,
            7,
            "`lang: es` disagrees with the file name, which says `vi`",
            "rename the file to care.es.yaml or change `lang` to vi"
        ),
        "{}",
        show(&ds)
    );
}

#[test]
fn guards_refuse_bad_bytes_huge_and_deep_inputs() {
    let ds = errors("h/case.yaml", b"title: X\nbody:\n  - ab\xffcd\n");
    assert!(has(&ds, 3, 7, "the file is not valid UTF-8 text", "UTF-8"), "{}", show(&ds));
    // A truncated multi-byte character after multi-byte ones: the column counts characters.
    let ds = errors("h/case.yaml", b"title: \xc3\xa9\xc3\xa9 \xc3");
    assert!(has(&ds, 1, 11, "the file is not valid UTF-8 text", ""), "{}", show(&ds));

    let huge = format!("title: X\nbody:\n{}", "  - words\n".repeat(MAX_INPUT_BYTES / 10 + 1));
    let ds = errors("h/case.yaml", huge.as_bytes());
    assert!(has(&ds, 1, 1, "file is 1024 KiB; inputs over 1 MiB are refused", ""), "{}", show(&ds));

    let deep = format!("title: X\nbody: {}{}\n", "[".repeat(40), "]".repeat(40));
    let ds = errors("h/case.yaml", deep.as_bytes());
    assert!(has(&ds, 2, 38, "nesting deeper than 32 levels", ""), "{}", show(&ds));
}

#[test]
fn all_errors_are_collected_in_one_pass() {
    let ds = errors(
        "h/many.yaml",
        b"title: \"\"\nsubtitle: \" \"\nreviewed: 2026-02-30\nlang: e_n\nbody:\n  - a\n",
    );
    assert_eq!(ds.len(), 4, "{}", show(&ds));
    assert!(has(&ds, 1, 9, "`title` is empty", ""));
    assert!(has(&ds, 2, 12, "`subtitle` is empty", ""));
    assert!(has(&ds, 3, 11, "`2026-02-30` is not a date", ""));
    assert!(has(&ds, 4, 7, "`e_n` is not a language tag", ""));

    // Structural errors too: one per top-level key and per block, plus value errors.
    let doc = "titel: X\nkeywords: [a, 3]\nbody:\n  - heading: 12\n  - bulets: [a]\n  - callout: {}\n  - Fine.\n  - heading: \"\"\n";
    let ds = errors("h/many.yaml", doc.as_bytes());
    assert_eq!(ds.len(), 7, "{}", show(&ds));
    assert!(has(&ds, 1, 1, "unknown key `titel`", "did you mean `title`?"), "{}", show(&ds));
    assert!(has(&ds, 1, 1, "missing `title`", ""), "{}", show(&ds));
    assert!(has(&ds, 2, 15, "expected text here, found the number `3`", ""), "{}", show(&ds));
    assert!(has(&ds, 4, 14, "expected text here, found the number `12`", ""), "{}", show(&ds));
    assert!(has(&ds, 5, 5, "unknown key `bulets`", "did you mean `bullets`?"), "{}", show(&ds));
    assert!(has(&ds, 6, 5, "the callout is empty", ""), "{}", show(&ds));
    assert!(has(&ds, 8, 15, "`heading` is empty", ""), "{}", show(&ds));
}

#[test]
fn file_names() {
    let ok = |n: &str| parse_file_name(Path::new(n)).unwrap();
    assert_eq!(ok("care.yaml"), ("care".into(), None));
    assert_eq!(ok("dir/knee-care-2.zh-Hans.yaml"), ("knee-care-2".into(), Some("zh-Hans".into())));
    assert_eq!(ok("a.pt-BR.yaml"), ("a".into(), Some("pt-BR".into())));
    assert_eq!(ok("a.es-419.yaml"), ("a".into(), Some("es-419".into())));
    assert_eq!(ok("a.haw.yaml"), ("a".into(), Some("haw".into())));
    for bad in [
        "Care.yaml",
        "care_x.yaml",
        ".yaml",
        "care.txt",
        "care",
        "care.english.yaml",
        "care.e.yaml",
        "care.es..yaml",
        "care.es-.yaml",
        "cåre.yaml",
    ] {
        let d = parse_file_name(Path::new(bad)).unwrap_err();
        assert!(d.message.contains("is not a handout file name"), "{bad}: {d}");
        assert!(d.hints.iter().any(|h| h.contains("NAME.LANG.yaml")), "{bad}: {d}");
        assert_eq!(d.span.as_ref().map(|s| &*s.file), Some(bad));
    }
}

#[test]
fn a_missing_file_names_the_file() {
    let ds = load_handout(Path::new("no/such/dir/x.yaml")).unwrap_err();
    assert!(ds[0].message.starts_with("cannot read `no/such/dir/x.yaml`"), "{}", show(&ds));
}

// ---------------------------------------------------------------------------------
// Contact profiles.

const CONTACT: &str = "organization: Riverside Neurology Clinic
department: Neurology
phone: \"+1 (555) 010-0199\"
after_hours: \"+1 (555) 010-0100\"
email: neuro@riverside.example
website: https://riverside.example
address: 123 Main Street, Springfield, IL 62701
hours: Mon–Fri 8 am – 5 pm
logo: img/Logo.PNG
labels:
  es: { phone: Teléfono, after_hours: Fuera de horario, page: Página, of: de }
";

#[test]
fn the_contact_sample_loads_and_resolves_its_logo() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::write(dir.path().join("img/Logo.PNG"), b"not read here").unwrap();
    let path = dir.path().join("contact.yaml");
    std::fs::write(&path, CONTACT).unwrap();
    let c = load_contact(&path).unwrap();
    assert_eq!(c.organization.value, "Riverside Neurology Clinic");
    assert_eq!((c.organization.span.line, c.organization.span.col), (1, 15));
    assert_eq!(c.phone.as_ref().unwrap().value, "+1 (555) 010-0199");
    assert_eq!(c.phone.as_ref().unwrap().span.col, 9);
    assert_eq!(c.hours.as_ref().unwrap().value, "Mon–Fri 8 am – 5 pm");
    let (logo, span) = c.logo.unwrap();
    assert_eq!(logo, dir.path().join("img/Logo.PNG"));
    assert_eq!((span.line, span.col), (9, 7));
    let es = &c.labels["es"];
    assert_eq!(es.phone.as_deref(), Some("Teléfono"));
    assert_eq!(es.of.as_deref(), Some("de"));
    assert_eq!(es.email, None);
}

#[test]
fn the_contact_profile_sets_every_label_and_translates_its_fields() {
    let doc = "organization: Riverside Neurology Clinic
department: Neurology
phone: \"1\"
hours: Mon–Fri 8 am – 5 pm
labels:
  es: { reviewed: \"Revisión:\", page_of: \"{page} {n}/{m}\" }
translations:
  es:
    department: Neurología
    hours: lun–vie 8–17 h
  zh-Hant: { organization: 河濱神經科診所 }
";
    let c = parse_contact(Path::new("c.yaml"), doc.as_bytes()).unwrap();
    assert_eq!(c.labels["es"].reviewed.as_deref(), Some("Revisión:"));
    assert_eq!(c.labels["es"].page_of.as_deref(), Some("{page} {n}/{m}"));
    let es = &c.translations["es"];
    assert_eq!((es.span.line, es.span.col), (8, 3));
    assert_eq!(es.department.as_ref().map(|t| t.value.as_str()), Some("Neurología"));
    let hours = es.hours.as_ref().unwrap();
    assert_eq!((hours.value.as_str(), hours.span.line, hours.span.col), ("lun–vie 8–17 h", 10, 12));
    assert_eq!(es.address, None);
    assert_eq!(c.translations["zh-Hant"].organization.as_ref().unwrap().value, "河濱神經科診所");
}

fn contact_errors(doc: &str) -> Vec<Diagnostic> {
    match parse_contact(Path::new("h/contact.yaml"), doc.as_bytes()) {
        Ok(c) => panic!("expected errors for {doc:?}, got {c:?}"),
        Err(ds) => ds,
    }
}

#[test]
fn contact_mistakes_are_errors_at_their_place() {
    let cases: &[(&str, usize, usize, &str, &str)] = &[
        ("department: X\nphone: \"1\"\n", 1, 1, "missing `organization`", "organization:"),
        (
            "organization: X\n",
            1,
            1,
            "the contact profile needs a way to reach the clinic",
            "`phone:`, `email:` or `website:`",
        ),
        (
            "organization: X\nphone: 5550100\n",
            2,
            8,
            "expected text here, found the number `5550100`",
            "\"5550100\"",
        ),
        ("organization: X\nphone: call us\n", 2, 8, "`call us` is not a phone number", ""),
        (
            "organization: X\nemail: neuro at riverside\n",
            2,
            8,
            "`neuro at riverside` is not an email address",
            "name@example.org",
        ),
        ("organization: X\nemail: a@b\n", 2, 8, "`a@b` is not an email address", ""),
        (
            "organization: X\nwebsite: riverside.example\n",
            2,
            10,
            "`riverside.example` is not a web address",
            "https://riverside.example",
        ),
        (
            "organization: X\nphone: \"1\"\nemial: a@b.example\n",
            3,
            1,
            "unknown key `emial`",
            "did you mean `email`?",
        ),
        (
            "organization: X\nphone: \"1\"\nlogo: missing.png\n",
            3,
            7,
            "logo `h/missing.png` does not exist",
            "relative to the contact profile",
        ),
        (
            "organization: X\nphone: \"1\"\nlogo: logo.gif\n",
            3,
            7,
            "logo `logo.gif` is not a PNG or JPEG file",
            ".png",
        ),
        (
            "organization: X\nphone: \"1\"\nlabels:\n  es: { phnoe: Tel }\n",
            4,
            9,
            "unknown key `phnoe`",
            "did you mean `phone`?",
        ),
        ("organization: X\nphone: \"1\"\nlabels:\n  es:\n    page: \"\"\n", 5, 12, "`page` is empty", ""),
        (
            "organization: X\nphone: \"1\"\nlabels:\n  spanish: { page: Página }\n",
            4,
            3,
            "`spanish` is not a language tag",
            "",
        ),
        (
            "organization: X\nphone: \"1\"\nlabels: [es]\n",
            3,
            9,
            "expected keys and values here, found a list",
            "",
        ),
        ("organization: \"\"\nphone:\n", 1, 16, "`organization` is empty", ""),
        (
            "organization: X\nphone: \"1\"\nlabels:\n  es: { reviwed: Revisado }\n",
            4,
            9,
            "unknown key `reviwed`",
            "did you mean `reviewed`?",
        ),
        (
            "organization: X\nphone: \"1\"\nlabels:\n  nl: { page_of: \"{n} van\" }\n",
            4,
            19,
            "`page_of` has no `{m}`",
            "{page} {n} {of} {m}",
        ),
        (
            "organization: X\nphone: \"1\"\nlabels:\n  nl: { page_of: \"{n} / {total}\" }\n",
            4,
            19,
            "`page_of` has an unknown placeholder `{total}`",
            "{n} (this page)",
        ),
        (
            "organization: X\nphone: \"1\"\ntranslations:\n  es:\n    adress: Calle 1\n",
            5,
            5,
            "unknown key `adress`",
            "did you mean `address`?",
        ),
        (
            "organization: X\nphone: \"1\"\ntranslations:\n  es: { phone: \"2\" }\n",
            4,
            9,
            "unknown key `phone`",
            "`organization`, `department`, `address`, `hours`",
        ),
        (
            "organization: X\nphone: \"1\"\ntranslations:\n  es: { hours: \" \" }\n",
            4,
            17,
            "`hours` is empty",
            "",
        ),
        (
            "organization: X\nphone: \"1\"\ntranslations:\n  spanish: { hours: Lunes }\n",
            4,
            3,
            "`spanish` is not a language tag",
            "",
        ),
        (
            "organization: X\nphone: \"1\"\ntranslation:\n  es: { hours: Lunes }\n",
            3,
            1,
            "unknown key `translation`",
            "did you mean `translations`?",
        ),
    ];
    for (i, (doc, line, col, message, hint)) in cases.iter().enumerate() {
        let ds = contact_errors(doc);
        assert!(
            has(&ds, *line, *col, message, hint),
            "case {i}: want {line}:{col}: {message} for\n{doc}\ngot\n{}",
            show(&ds)
        );
    }
    // `phone:` with no value is reported once, as empty, not also as "no way to reach".
    let ds = contact_errors("organization: X\nphone:\n");
    assert_eq!(ds.len(), 1, "{}", show(&ds));
    assert!(has(&ds, 2, 1, "`phone` is empty", ""));
}

// ---------------------------------------------------------------------------------
// Nothing panics or hangs.

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn garbage_never_panics() {
    let path = Path::new("fuzz.yaml");
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    // Random bytes, random YAML punctuation, and mutations of the sample.
    for round in 0..1500 {
        let len = (xorshift(&mut rng) % 200) as usize;
        let bytes: Vec<u8> = match round % 3 {
            0 => (0..len).map(|_| xorshift(&mut rng) as u8).collect(),
            1 => {
                (0..len).map(|_| b"[]{}:-,&*!|>'\"#% \n\tab1?"[(xorshift(&mut rng) % 23) as usize]).collect()
            }
            _ => {
                let mut b = SAMPLE.as_bytes().to_vec();
                for _ in 0..1 + round % 6 {
                    let i = (xorshift(&mut rng) as usize) % b.len();
                    match xorshift(&mut rng) % 3 {
                        0 => b[i] = xorshift(&mut rng) as u8,
                        1 => {
                            b.remove(i);
                        }
                        _ => b.insert(i, b"[{:-*&!|>'\" \n"[(xorshift(&mut rng) % 13) as usize]),
                    }
                }
                b
            }
        };
        let _ = parse_handout(path, &bytes);
        let _ = parse_contact(path, &bytes);
    }
    let n = 100_000;
    let deep: Vec<String> = vec![
        format!("title: x\nbody: {}", "[".repeat(n)),
        format!("title: x\nbody: {}{}", "[".repeat(n), "]".repeat(n)),
        format!("{}", "{a: ".repeat(n)),
        format!("body:\n{}", (0..200).map(|i| format!("{}- x:\n", " ".repeat(2 * i))).collect::<String>()),
        format!("title: x\nbody:\n  - {}a", "- ".repeat(n / 10)),
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n".into(),
        format!("title: \"{}\nbody: [a]\n", "x".repeat(MAX_INPUT_BYTES - 20)),
    ];
    // A large file of mistakes: every block is wrong, each reported at its place, quickly.
    let many = format!("title: x\nbody:\n{}", "  - 12\n".repeat(MAX_INPUT_BYTES / 8));
    let start = std::time::Instant::now();
    let ds = parse_handout_uncapped(path, many.as_bytes()).unwrap_err();
    assert_eq!(ds.len(), MAX_INPUT_BYTES / 8);
    // What users see: the first hundred and a count.
    let shown = parse_handout(path, many.as_bytes()).unwrap_err();
    assert_eq!(shown.len(), crate::diag::MAX_DIAGNOSTICS + 1);
    assert_eq!(
        shown[100].message,
        format!("{} more errors in this document are not shown", MAX_INPUT_BYTES / 8 - 100)
    );
    assert!(
        ds.iter().all(|d| d.message == "expected text here, found the number `12`"),
        "{}",
        show(&ds[..3])
    );
    assert_eq!(ds[30_000].span, Some(Span::new("fuzz.yaml", 30_003, 5)));
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    // One long line of many values is indexed in linear time.
    let long = format!("title: x\nbody: [{}]\n", "ab, ".repeat(MAX_INPUT_BYTES / 5));
    let start = std::time::Instant::now();
    let h = parse_handout(path, long.as_bytes()).unwrap();
    assert_eq!(h.body.len(), MAX_INPUT_BYTES / 5);
    let Block::Paragraph(last) = h.body.last().unwrap() else { panic!() };
    assert_eq!((last.span.line, last.span.col, last.exact), (2, 8 + 4 * (MAX_INPUT_BYTES / 5 - 1), true));
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    for doc in &deep {
        assert!(parse_handout(path, doc.as_bytes()).is_err());
        assert!(parse_contact(path, doc.as_bytes()).is_err());
    }
}
