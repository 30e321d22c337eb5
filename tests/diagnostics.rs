//! Every mistake staff can make in a handout or contact profile gets an error that says
//! what and where (`file:line:col`) and how to fix it; bad bytes never panic or hang.

mod common;

use common::*;

/// (file contents, expected "line:col: error: message" start, a hint it must carry).
const HANDOUT_CASES: &[(&str, &str, &str)] = &[
    (
        "title: X\nbody:\n  - bulets:\n      - a\n",
        "3:5: error: unknown key `bulets`",
        "did you mean `bullets`?",
    ),
    (
        "title: X\nbody:\n  - bullets:\n      - text: a\n        bulets: [b]\n",
        "5:9: error: unknown key `bulets`",
        "did you mean `bullets`?",
    ),
    ("titel: X\nbody:\n  - a\n", "1:1: error: unknown key `titel`", "did you mean `title`?"),
    ("title: \"\"\nbody:\n  - a\n", "1:9: error: `title` is empty", "give it a value"),
    ("title: X\nbody:\n  - heading: [a, b]\n", "3:14: error: expected text here, found a list", "bullets:"),
    ("title: X\nbody: hello\n", "2:7: error: expected a list here, found text", "- "),
    (
        "title: X\nreviewed: 2026-13-01\nbody:\n  - a\n",
        "2:11: error: `2026-13-01` is not a date",
        "YYYY-MM-DD",
    ),
    (
        "title: X\nbody:\n  - callout:\n      kind: urgnt\n      text: a\n",
        "4:13: error: unknown callout kind `urgnt`",
        "did you mean `urgent`?",
    ),
    ("title: X\nbody:\n  - callout:\n      kind: note\n", "3:5: error: the callout is empty", "title"),
    (
        "title: X\nbody:\n  - bullets:\n      - text: a\n        bullets:\n          - text: b\n",
        "6:13: error: lists nest one level deep",
        "plain text",
    ),
    (
        "title: X\nbody:\n  - Call {{contact.phne}} now.\n",
        "3:10: error: placeholder `{{contact.phne}}` has no value",
        "did you mean `{{contact.phone}}`?",
    ),
    ("title: X\nbody:\n  - \"unclosed\n", "3:5: error: invalid YAML", "quoting"),
    (
        "a: &anchor [1]\nb: *anchor\n",
        "1:4: error: YAML anchors (`&name`) are not allowed",
        "write the text out",
    ),
    ("title: X\n", "1:1: error: the handout has no body", "body:"),
    ("# only a comment\n", "1:1: error: the file is empty", "handout new"),
    ("title: X\nbody:\n  - heading: A\n    paragraph: B\n", "4:5: error: a block has one key", ""),
    (
        "title: X\nbody:\n  - page_break: yes\n",
        "3:17: error: expected true or false here, found text",
        "page_break: true",
    ),
    (
        "title: X\nbody:\n  - \"bell \\u0007\"\n",
        "3:6: error: control character U+0007 is not text",
        "remove it",
    ),
    // An escaped NUL in the title would otherwise reach the PDF's Info and XMP.
    ("title: \"Ti\\0tle\"\nbody:\n  - a\n", "1:9: error: control character U+0000 is not text", "escape"),
    // A raw control character is reported where it is, not at 1:1.
    (
        "title: X\nbody:\n  - a\n  - b\n  - \"c \u{1} d\"\n",
        "5:8: error: control character U+0001 is not text",
        "remove it",
    ),
    // Only https, http, mailto and tel links become live; others are errors at the link.
    (
        "title: X\nbody:\n  - \"Open [this](javascript:alert(1)) now\"\n",
        "3:11: error: `javascript:alert(1)` is not a web, email or phone link",
        "https://",
    ),
    (
        "title: X\nbody:\n  - <file:///etc/passwd>\n",
        "3:5: error: `file:///etc/passwd` is not a web",
        "mailto:",
    ),
    ("title: X\nbody:\n  - \"[empty]()\"\n", "3:6: error: the link has no target", "tel:"),
    // A raw line separator: one YAML reader ends a line there, the other does not (a
    // fuzzed file then failed with "more than one document" and no place).
    (
        "title: X\nbody:\n  - a\n  - b \u{2028}c: d\n",
        "4:7: error: a raw line or paragraph separator (U+2028)",
        "\\L",
    ),
    (
        "\u{feff}\u{feff}title: X\nbody:\n  - a\n",
        "1:1: error: the file starts with a second byte-order mark",
        "UTF-8",
    ),
];

#[test]
fn handout_mistakes_point_at_the_line_and_column() {
    for (i, (yaml, want, hint)) in HANDOUT_CASES.iter().enumerate() {
        let d = Dir::new();
        d.write("h/case.yaml", yaml);
        let o = d.run(&["check", "h/case.yaml"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "case {i}: {err}");
        assert!(err.contains(&format!("h/case.yaml:{want}")), "case {i}: want `{want}` in\n{err}");
        assert!(err.contains(hint), "case {i}: want hint `{hint}` in\n{err}");
    }
}

#[test]
fn variant_language_must_match_its_file_name() {
    let d = Dir::new();
    d.write("h/care.yaml", "title: Care\nbody:\n  - Hello.\n");
    d.write("h/care.vi.yaml", "title: Care\nlang: es\nbody:\n  - Xin chào.\n");
    let o = d.run(&["check", "h"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains("h/care.vi.yaml:2:7: error: `lang: es` disagrees with the file name, which says `vi`"),
        "{err}"
    );
    assert!(err.contains("rename the file to care.es.yaml"), "{err}");
}

#[test]
fn all_errors_of_a_file_are_reported_at_once() {
    let d = Dir::new();
    d.write("h/many.yaml", "title: \"\"\nsubtitle: \" \"\nreviewed: 2026-02-30\nlang: e_n\nbody:\n  - a\n");
    let err = stderr(&d.run(&["check", "h/many.yaml"]));
    for want in [
        "1:9: error: `title` is empty",
        "2:12: error: `subtitle` is empty",
        "`2026-02-30` is not a date",
        "`e_n` is not a language tag",
    ] {
        assert!(err.contains(want), "want `{want}` in\n{err}");
    }
}

#[test]
fn a_mistake_in_one_block_does_not_hide_the_next() {
    let d = Dir::new();
    d.write(
        "h/blocks.yaml",
        "title: X\nbody:\n  - bulets: [a]\n  - Fine.\n  - stpes: [b]\n  - callout:\n      kind: urgnt\n      text: c\n  - heading: [d]\n",
    );
    let err = stderr(&d.run(&["check", "h/blocks.yaml"]));
    for want in [
        "h/blocks.yaml:3:5: error: unknown key `bulets`",
        "h/blocks.yaml:5:5: error: unknown key `stpes`",
        "h/blocks.yaml:7:13: error: unknown callout kind `urgnt`",
        "h/blocks.yaml:9:14: error: expected text here, found a list",
    ] {
        assert!(err.contains(want), "want `{want}` in\n{err}");
    }
}

#[test]
fn contact_profile_mistakes_are_configuration_errors() {
    let cases: &[(&str, &str)] = &[
        ("department: X\nphone: \"1\"\n", "h/contact.yaml:1:1: error: missing `organization`"),
        ("organization: X\n", "the contact profile needs a way to reach the clinic"),
        (
            "organization: X\nphone: \"1\"\nwebsite: riverside.example\n",
            "h/contact.yaml:3:10: error: `riverside.example` is not a web address",
        ),
        (
            "organization: X\nphone: \"1\"\nemial: a@b.example\n",
            "h/contact.yaml:3:1: error: unknown key `emial`",
        ),
        (
            "organization: X\nphone: \"1\"\nlogo: missing.png\n",
            "h/contact.yaml:3:7: error: logo `h/missing.png` does not exist",
        ),
        ("organization: X\nphone: \"1\"\nlabels:\n  es: { phnoe: Tel }\n", "unknown key `phnoe`"),
        (
            "organization: \"X\\0\"\nphone: \"1\"\n",
            "h/contact.yaml:1:16: error: control character U+0000 is not text",
        ),
    ];
    for (yaml, want) in cases {
        let d = Dir::new();
        d.write("h/contact.yaml", yaml);
        d.write("h/doc.yaml", "title: X\nbody:\n  - a\n");
        let o = d.run(&["build", "h", "-o", "out"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{want}: {err}");
        assert!(err.contains(want), "want `{want}` in\n{err}");
        assert!(!d.path("out").exists());
    }
}

#[test]
fn a_corrupt_logo_is_a_configuration_error() {
    let d = Dir::new();
    d.write("h/contact.yaml", &format!("{CONTACT}logo: logo.png\n"));
    d.write("h/logo.png", "not a png");
    d.write("h/doc.yaml", "title: X\nbody:\n  - a\n");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("logo `h/logo.png` is not a PNG or JPEG file"), "{}", stderr(&o));
}

#[test]
fn huge_and_binary_files_are_refused_cleanly() {
    let d = Dir::new();
    let huge = format!("title: X\nbody:\n{}", "  - Some words here.\n".repeat(60_000));
    d.write("h/huge.yaml", &huge);
    std::fs::write(d.path("h/binary.yaml"), [0xff_u8, 0xfe, 0x00, 0x41]).unwrap();
    let o = d.run(&["check", "h"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1));
    assert!(err.contains("h/huge.yaml:1:1: error: file is 1230 KiB; inputs over 1 MiB are refused"), "{err}");
    assert!(err.contains("h/binary.yaml:1:1: error: the file is not valid UTF-8 text"), "{err}");
}

/// A tiny deterministic generator, so the garbage is the same on every run.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

#[test]
fn garbage_never_panics() {
    let seed = std::fs::read(root().join("tests/cases/every-block.yaml")).unwrap();
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let path = std::path::Path::new("fuzz.yaml");
    for round in 0..3000 {
        let mut bytes = seed.clone();
        for _ in 0..(1 + round % 8) {
            if bytes.is_empty() {
                bytes.push(b'x');
            }
            let i = (xorshift(&mut rng) as usize) % bytes.len();
            match xorshift(&mut rng) % 4 {
                0 => bytes[i] = (xorshift(&mut rng) % 256) as u8,
                1 => {
                    bytes.remove(i);
                }
                2 => bytes.insert(i, b"[{:-*&!|>'\"\n "[(xorshift(&mut rng) % 13) as usize]),
                _ => bytes.truncate(i.max(1)),
            }
        }
        let _ = handout::model::parse_handout(path, &bytes);
        let _ = handout::model::parse_contact(path, &bytes);
    }
    // Deep nesting and an alias bomb.
    let deep = format!("title: x\nbody: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    assert!(handout::model::parse_handout(path, deep.as_bytes()).is_err());
    let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
    assert!(handout::model::parse_handout(path, bomb.as_bytes()).is_err());
}

/// A PNG whose header claims `w`×`h` pixels, with (almost) no image data.
fn png_header_only(w: u32, h: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend(data);
        out.extend(&crc_input);
        out.extend(crc32(&crc_input).to_be_bytes());
    }
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xffff_ffff_u32;
        for &b in bytes {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xedb8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
    let mut ihdr = Vec::new();
    ihdr.extend(w.to_be_bytes());
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    // An empty zlib stream: enough for a decoder to read the header and stop.
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn a_huge_logo_is_refused_from_its_header() {
    let d = Dir::new();
    d.write("h/contact.yaml", &format!("{CONTACT}logo: logo.png\n"));
    std::fs::write(d.path("h/logo.png"), png_header_only(20_000, 20_000)).unwrap();
    d.write("h/doc.yaml", "title: X\nbody:\n  - a\n");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("h/contact.yaml:7:7: error: logo `h/logo.png` is 20000×20000 pixels"), "{err}");
    assert!(!d.path("out").exists());
}

#[cfg(unix)]
#[test]
fn a_logo_that_is_not_a_regular_file_is_refused() {
    let d = Dir::new();
    d.write("h/contact.yaml", &format!("{CONTACT}logo: logo.png\n"));
    d.write("h/doc.yaml", "title: X\nbody:\n  - a\n");
    let fifo = d.path("h/logo.png");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().map(|s| s.success()).unwrap_or(false);
    if !ok {
        eprintln!("skipped: mkfifo is not available");
        return;
    }
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("is not a regular file"), "{}", stderr(&o));
}
