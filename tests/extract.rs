//! Extraction equals the source, in every script: what `pdftotext` (poppler), `mutool`
//! (MuPDF) and the structure tree (what a screen reader reads) give back from a handout
//! in Hindi, Bengali, Punjabi, Thai, Khmer and English, and the space at every line
//! break kept in the tagged text.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::*;
use lopdf::{Dictionary, Document, Object, ObjectId};

/// True if and only if `tool` is installed (see [`require_tool`]).
fn have(tool: &str) -> bool {
    require_tool(tool)
}

/// Builds one handout with a title, a heading and a paragraph in `lang`.
fn build(d: &Dir, lang: &str, title: &str, heading: &str, para: &str) -> std::path::PathBuf {
    let q = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    let yaml =
        format!("title: {}\nlang: {lang}\nbody:\n  - heading: {}\n  - {}\n", q(title), q(heading), q(para));
    d.write(&format!("h/{lang}.yaml"), &yaml);
    let o = d.run(&["build", "-q", "-o", "out", &format!("h/{lang}.yaml")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    d.path(&format!("out/{lang}.{lang}.pdf"))
}

/// The page's text from `mutool draw -F txt`.
fn mutool_text(pdf: &Path) -> String {
    let out = Command::new("mutool").args(["draw", "-q", "-F", "txt", "-o", "-"]).arg(pdf).output().unwrap();
    String::from_utf8(out.stdout).unwrap()
}

/// The lines of the body (before the footer), white space squashed.
fn body_lines(text: &str) -> Vec<String> {
    let cut = text.find("Riverside Neurology Clinic").unwrap_or(text.len());
    text[..cut].lines().map(squash).filter(|l| !l.is_empty()).collect()
}

fn resolve<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(r) => doc.get_object(*r).unwrap(),
        o => o,
    }
}

/// A font's ToUnicode CMap: code → text.
fn to_unicode(doc: &Document, font: &Dictionary) -> BTreeMap<u16, String> {
    let mut map = BTreeMap::new();
    let Ok(obj) = font.get(b"ToUnicode") else { return map };
    let stream = resolve(doc, obj).as_stream().unwrap();
    let data = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let text = String::from_utf8_lossy(&data);
    let hex = |s: &str| -> Vec<u16> {
        let s = s.trim().trim_start_matches('<').trim_end_matches('>');
        (0..s.len() / 4).map(|i| u16::from_str_radix(&s[i * 4..i * 4 + 4], 16).unwrap()).collect()
    };
    let mut in_char = false;
    let mut in_range = false;
    for line in text.lines() {
        let l = line.trim();
        if l.ends_with("beginbfchar") {
            in_char = true;
        } else if l.ends_with("beginbfrange") {
            in_range = true;
        } else if l == "endbfchar" {
            in_char = false;
        } else if l == "endbfrange" {
            in_range = false;
        } else if in_char || in_range {
            let parts: Vec<&str> = l.split('>').map(|p| p.trim()).filter(|p| !p.is_empty()).collect();
            if in_char && parts.len() == 2 {
                map.insert(hex(parts[0])[0], String::from_utf16(&hex(parts[1])).unwrap());
            } else if in_range && parts.len() == 3 {
                let (lo, hi, dst) = (hex(parts[0])[0], hex(parts[1])[0], hex(parts[2]));
                for (k, code) in (lo..=hi).enumerate() {
                    let mut d = dst.clone();
                    *d.last_mut().unwrap() += k as u16;
                    map.insert(code, String::from_utf16(&d).unwrap());
                }
            }
        }
    }
    map
}

fn pdf_text_string(o: &Object) -> String {
    let bytes = o.as_str().unwrap();
    if bytes.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = bytes[2..].chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).unwrap()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// The text of every marked-content sequence of a page, by MCID, as a reader of the tags
/// gets it: glyphs through their font's ToUnicode, `/ActualText` spans as their text.
fn marked_text(doc: &Document, page: ObjectId) -> BTreeMap<i64, String> {
    let fonts: BTreeMap<Vec<u8>, BTreeMap<u16, String>> =
        doc.get_page_fonts(page).unwrap().into_iter().map(|(name, f)| (name, to_unicode(doc, f))).collect();
    let content = lopdf::content::Content::decode(&doc.get_page_content(page)).unwrap();
    let mut out: BTreeMap<i64, String> = BTreeMap::new();
    // Open sequences: (MCID, ActualText).
    let mut stack: Vec<(Option<i64>, Option<String>)> = Vec::new();
    let mut font: Option<&BTreeMap<u16, String>> = None;
    let current = |stack: &[(Option<i64>, Option<String>)]| stack.iter().rev().find_map(|(m, _)| *m);
    let in_actual = |stack: &[(Option<i64>, Option<String>)]| stack.iter().any(|(_, a)| a.is_some());
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                let props = op.operands.get(1).map(|p| resolve(doc, p));
                let dict = props.and_then(|p| p.as_dict().ok());
                let mcid = dict.and_then(|d| d.get(b"MCID").ok()).and_then(|m| m.as_i64().ok());
                let actual = dict.and_then(|d| d.get(b"ActualText").ok()).map(pdf_text_string);
                stack.push((mcid, actual));
            }
            "BMC" => stack.push((None, None)),
            "EMC" => {
                if let Some((_, Some(actual))) = stack.pop() {
                    if let Some(m) = current(&stack) {
                        out.entry(m).or_default().push_str(&actual);
                    }
                }
            }
            "Tf" => font = fonts.get(op.operands[0].as_name().unwrap()),
            "Tj" | "TJ" => {
                let Some(m) = current(&stack) else { continue };
                if in_actual(&stack) {
                    continue;
                }
                let strings: Vec<&Object> = match &op.operands[0] {
                    Object::Array(a) => a.iter().collect(),
                    o => vec![o],
                };
                for s in strings {
                    if let Ok(bytes) = s.as_str() {
                        for c in bytes.chunks(2) {
                            let code = u16::from_be_bytes([c[0], c[1]]);
                            let t = font.and_then(|f| f.get(&code)).cloned().unwrap_or("\u{FFFD}".into());
                            out.entry(m).or_default().push_str(&t);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every structure element with its own text, in document order: `(role, text)`.
fn tagged_text(pdf: &Path) -> Vec<(String, String)> {
    let doc = Document::load(pdf).unwrap();
    let pages: BTreeMap<ObjectId, BTreeMap<i64, String>> =
        doc.get_pages().values().map(|&id| (id, marked_text(&doc, id))).collect();
    let root = resolve(&doc, doc.catalog().unwrap().get(b"StructTreeRoot").unwrap()).as_dict().unwrap();
    let mut out = Vec::new();
    fn walk(
        doc: &Document,
        e: &Dictionary,
        pages: &BTreeMap<ObjectId, BTreeMap<i64, String>>,
        out: &mut Vec<(String, String)>,
    ) {
        let role = String::from_utf8_lossy(e.get(b"S").unwrap().as_name().unwrap()).into_owned();
        let pg = e.get(b"Pg").ok().and_then(|p| p.as_reference().ok());
        let kids = match e.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => vec![],
        };
        // An element's /ActualText replaces the text of its content (right-to-left text).
        let actual = e.get(b"ActualText").ok().map(pdf_text_string);
        let mut text = String::new();
        let mut children = Vec::new();
        for k in &kids {
            match resolve(doc, k) {
                Object::Integer(m) => text.push_str(&pages[&pg.unwrap()].get(m).cloned().unwrap_or_default()),
                Object::Dictionary(d)
                    if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"MCR") =>
                {
                    let p = d.get(b"Pg").unwrap().as_reference().unwrap();
                    let m = d.get(b"MCID").unwrap().as_i64().unwrap();
                    text.push_str(&pages[&p].get(&m).cloned().unwrap_or_default());
                }
                Object::Dictionary(d)
                    if d.get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"OBJR") => {}
                Object::Dictionary(d) => children.push(d.clone()),
                _ => {}
            }
        }
        out.push((role, actual.clone().unwrap_or(text)));
        if actual.is_none() {
            for c in &children {
                walk(doc, c, pages, out);
            }
        }
    }
    let top = resolve(&doc, root.get(b"K").unwrap()).as_dict().unwrap();
    walk(&doc, top, &pages, &mut out);
    out
}

/// The glyph ids drawn in a page's content (code 0 is `.notdef`).
fn drawn_codes(pdf: &Path) -> Vec<u16> {
    let doc = Document::load(pdf).unwrap();
    let mut codes = Vec::new();
    for (_, id) in doc.get_pages() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(id)).unwrap();
        for op in content.operations.iter().filter(|o| o.operator == "TJ" || o.operator == "Tj") {
            let strings: Vec<&Object> = match &op.operands[0] {
                Object::Array(a) => a.iter().collect(),
                o => vec![o],
            };
            for s in strings {
                if let Ok(b) = s.as_str() {
                    codes.extend(b.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])));
                }
            }
        }
    }
    codes
}

fn pdfcheck_clean(pdf: &Path) {
    let Some(tool) = pdfcheck() else { return };
    if !have("pdfinfo") {
        return;
    }
    let o = Command::new(tool).arg(pdf).output().unwrap();
    assert!(o.status.success(), "pdfcheck: {}", stdout(&o));
}

struct Case {
    lang: &'static str,
    title: &'static str,
    heading: &'static str,
    para: &'static str,
    /// How well MuPDF 1.21 reads it (it ignores `/ActualText`, so it reads the glyphs'
    /// own mappings; see README "Copying text").
    mutool: Mutool,
}

#[derive(PartialEq)]
enum Mutool {
    /// Exactly the source.
    Exact,
    /// Every letter in order, but a space may appear after a mark that sits left of its
    /// pen (MuPDF guesses word gaps from glyph advances).
    Letters,
    /// Not checked: a vowel drawn as two glyphs (Bengali ো, Thai ำ) needs `/ActualText`.
    Unchecked,
}

const CASES: &[Case] = &[
    Case {
        lang: "hi",
        title: "घाव घर",
        heading: "क्षत्रिय श्री",
        para: "घाव घर क्षत्रिय श्री किताब प्रकृति हिंदी दर्द में सुधार कीजिए।",
        mutool: Mutool::Letters,
    },
    Case {
        lang: "bn",
        title: "ক্ষত পরিষ্কার রাখুন",
        heading: "আমার সোনার বাংলা",
        para: "আমি তোমায় ভালোবাসি। ক্ষত পরিষ্কার রাখুন, কৌশল শিখুন।",
        mutool: Mutool::Unchecked,
    },
    Case {
        lang: "pa",
        title: "ਜ਼ਖ਼ਮ ਦੀ ਦੇਖਭਾਲ",
        heading: "ਕਿਰਪਾ ਕਰਕੇ",
        para: "ਜ਼ਖ਼ਮ ਨੂੰ ਸਾਫ਼ ਰੱਖੋ। ਕਿਰਪਾ ਕਰਕੇ ਡਾਕਟਰ ਨੂੰ ਮਿਲੋ।",
        mutool: Mutool::Letters,
    },
    Case {
        lang: "th",
        title: "การดูแลแผล",
        heading: "น้ำ ที่นี่",
        para: "ผู้ป่วยควรพักผ่อน ดื่มน้ำมาก ๆ ที่นี่ปลอดภัย",
        mutool: Mutool::Unchecked,
    },
    Case {
        lang: "km",
        title: "ការថែទាំរបួស",
        heading: "ពេទ្យ ស្អាត",
        para: "សូមលាងដៃរបស់អ្នក ក្រុមគ្រួសារ ទៅជួបពេទ្យ។",
        mutool: Mutool::Letters,
    },
    Case {
        lang: "en",
        title: "Office files",
        heading: "Affluent fjords",
        para: "The office staff will find the file for you.",
        mutool: Mutool::Exact,
    },
];

#[test]
fn every_script_reads_back_as_its_source() {
    if !have("pdftotext") {
        return;
    }
    let d = Dir::new();
    let mutool = have("mutool");
    for c in CASES {
        let pdf = build(&d, c.lang, c.title, c.heading, c.para);
        let want = vec![c.title.to_string(), c.heading.to_string(), c.para.to_string()];
        // poppler
        assert_eq!(body_lines(&page_text(&pdf, 1)), want, "pdftotext, {}", c.lang);
        // the tags: H1, H2 and P hold exactly the source text
        let tags: Vec<(String, String)> =
            tagged_text(&pdf).into_iter().filter(|(_, t)| !t.is_empty()).collect();
        let got: Vec<String> = tags.iter().map(|(_, t)| t.clone()).collect();
        assert_eq!(got, want, "structure tree, {}: {tags:?}", c.lang);
        // MuPDF: letters in order everywhere; exact where it can be
        if mutool {
            let got = body_lines(&mutool_text(&pdf));
            if c.mutool == Mutool::Exact {
                assert_eq!(got, want, "mutool, {}", c.lang);
            } else if c.mutool == Mutool::Letters {
                let letters = |v: &[String]| v.concat().replace(' ', "");
                assert_eq!(letters(&got), letters(&want), "mutool letters, {}", c.lang);
            }
        }
        // no .notdef drawn
        assert!(!drawn_codes(&pdf).contains(&0), "{}: glyph 0 (.notdef) drawn", c.lang);
        pdfcheck_clean(&pdf);
    }
}

#[test]
fn the_space_at_a_line_break_stays_in_the_tagged_text() {
    if !have("pdftotext") {
        return;
    }
    let d = Dir::new();
    let heading = "A heading long enough that it has to wrap onto a second line of the page when set";
    let para = "Take a deep breath so you can breathe it in slowly, then let it out again, and keep doing this for as long as you find that it helps you feel calm.";
    let pdf = build(&d, "en", "Breathing", heading, para);
    // The heading and the paragraph both wrap.
    let lines = body_lines(&page_text(&pdf, 1));
    assert!(lines.len() >= 5, "{lines:?}");
    let tags = tagged_text(&pdf);
    let text_of = |role: &str| tags.iter().find(|(r, _)| r == role).map(|(_, t)| t.clone()).unwrap();
    assert_eq!(text_of("H2"), heading);
    assert_eq!(text_of("P"), para);
    // poppler's text is unchanged: no trailing spaces, no doubled spaces.
    let text = page_text(&pdf, 1);
    for l in text.lines() {
        assert!(!l.ends_with(' ') && !l.contains("  "), "{l:?}");
    }
    assert_eq!(squash(&lines[1..].join(" ")), format!("{heading} {para}"));
    if have("mutool") {
        assert_eq!(squash(&body_lines(&mutool_text(&pdf))[1..].join(" ")), format!("{heading} {para}"));
    }
}

#[test]
fn a_combining_mark_after_a_space_builds_and_reads_back() {
    let d = Dir::new();
    d.write("h/m.yaml", "title: Marks\nbody:\n  - \"x \\u0301el: y\"\n");
    let o = d.run(&["build", "-q", "-o", "out", "h/m.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let tags = tagged_text(&d.path("out/m.en.pdf"));
    let p = tags.iter().find(|(r, _)| r == "P").map(|(_, t)| t.clone()).unwrap();
    assert_eq!(p, "x \u{301}el: y");
}

#[test]
fn a_link_that_could_run_code_is_refused() {
    let d = Dir::new();
    d.write("h/j.yaml", "title: Links\nbody:\n  - \"[open](javascript:alert(1)) now\"\n");
    let o = d.run(&["build", "-q", "-o", "out", "h/j.yaml"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // Refused where it is written (resolve); the PDF writer refuses it again as a last defence.
    assert!(
        stderr(&o).contains("h/j.yaml:3:6: error: `javascript:alert(1)` is not a web, email or phone link"),
        "{}",
        stderr(&o)
    );
    assert!(!d.path("out/j.en.pdf").exists());
}

/// The lines of the top 400 points of page 1 (the body; the footer, whose order is
/// mirrored in right-to-left documents, is left out), white space squashed.
fn top_lines(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext")
        .args(["-f", "1", "-l", "1", "-x", "0", "-y", "0", "-W", "1000", "-H", "400", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().lines().map(squash).filter(|l| !l.is_empty()).collect()
}

/// Poppler's words with its bidi embedding marks taken out and punctuation trimmed.
fn words_of(text: &str) -> Vec<String> {
    text.replace(['\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}'], " ")
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| c.is_ascii_punctuation()).to_string())
        .filter(|w| !w.is_empty())
        .collect()
}

#[test]
fn right_to_left_text_reads_back_in_reading_order() {
    if !have("pdftotext") {
        return;
    }
    let d = Dir::new();
    let cases = [
        ("he", "טיפול בפצע", "שלום עולם", "שטפו את הפצע במים וסבון. התקשרו אלינו במספר 555-0199 אם יש חום."),
        (
            "ar",
            "العناية بالجرح",
            "لا إله إلا",
            "اغسل الجرح بالماء والصابون. اتصل بالرقم +1 (555) 010-0199 أو راجع riverside.example",
        ),
    ];
    for (lang, title, heading, para) in cases {
        let pdf = build(&d, lang, title, heading, para);
        // The tags read the source, in logical order.
        let tags: Vec<String> =
            tagged_text(&pdf).into_iter().map(|(_, t)| t).filter(|t| !t.is_empty()).collect();
        assert_eq!(tags, vec![title, heading, para], "structure tree, {lang}");
        // Poppler reorders right-to-left glyphs itself: whole lines of one direction come
        // back exactly, and every word of a mixed line is whole.
        let lines = top_lines(&pdf);
        let plain = |l: &str| words_of(l).join(" ");
        assert_eq!(plain(&lines[0]), title, "pdftotext, {lang}");
        assert_eq!(plain(&lines[1]), heading, "pdftotext, {lang}");
        let mut got = words_of(&lines[2..].join(" "));
        let mut want = words_of(para);
        got.sort();
        want.sort();
        assert_eq!(got, want, "pdftotext words, {lang}");
        assert!(!drawn_codes(&pdf).contains(&0), "{lang}: glyph 0 (.notdef) drawn");
        pdfcheck_clean(&pdf);
    }
}
