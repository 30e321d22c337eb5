//! Right-to-left and complex-script handouts: they build, their lines are flush right,
//! list markers and callout rules are mirrored, numbers and Latin words inside Arabic
//! read left to right, and Thai breaks only between words.

mod common;

use std::path::Path;
use std::process::Command;

use handout::layout::{layout, Item, Pages, Role, Style, Tag};
use handout::model::{parse_contact, parse_handout};
use handout::resolve::{resolve, Values};
use handout::text::FontBook;

const ARABIC: &str = r#"title: البزل القطني
lang: ar
body:
  - "البزل القطني فحص يأخذ كمية صغيرة من السائل من أسفل ظهرك. اتصل بالرقم +1 (555) 010-0199 أو راجع riverside.example للمزيد من المعلومات. مر**حب**ا بكم في العيادة."
  - heading: قبل الفحص
  - bullets:
      - اشرب الكثير من الماء.
      - أخبر طبيبك عن كل أدويتك وعن أي حساسية لديك قبل الفحص بيوم على الأقل.
  - steps:
      - استلقِ على جانبك.
      - ابقَ ساكنًا.
  - callout:
      kind: warning
      title: اتصل بالرقم 911
      text: إذا كان لديك صداع شديد أو حمى.
"#;

const HEBREW: &str = r#"title: ניקור מותני
lang: he
body:
  - "ניקור מותני הוא בדיקה. התקשרו למספר +1 (555) 010-0199 או בקרו באתר riverside.example לפרטים נוספים על הבדיקה ועל ההכנה אליה."
  - bullets:
      - שתו הרבה מים.
      - ספרו לרופא על התרופות שלכם.
  - callout:
      kind: urgent
      title: התקשרו 911
      text: אם יש לכם כאב ראש חזק.
"#;

fn pages(yaml: &str) -> (Pages, Style) {
    let h = parse_handout(Path::new("case.yaml"), yaml.as_bytes()).expect("handout loads");
    let c = parse_contact(Path::new("contact.yaml"), common::CONTACT.as_bytes()).expect("contact loads");
    let doc = resolve(&h, &c, &Values::default(), None).expect("resolves");
    let book = FontBook::load(&Default::default()).expect("fonts");
    let style = Style::new(Default::default(), false);
    (layout(&doc, &book, &style).expect("lays out"), style)
}

/// The role of node `n`, and whether it lies inside a callout.
fn role_of(p: &Pages, mut n: usize) -> (Role, bool) {
    while p.nodes[n].role == Role::Link {
        n = p.nodes[n].parent.unwrap();
    }
    let role = p.nodes[n].role;
    let mut in_aside = false;
    let mut m = Some(n);
    while let Some(i) = m {
        in_aside |= p.nodes[i].role == Role::Aside;
        m = p.nodes[i].parent;
    }
    (role, in_aside)
}

/// Lines of body text on page 1, as (role, inside a callout, left, right, y).
fn lines(p: &Pages) -> Vec<(Role, bool, f32, f32, f32)> {
    let mut out: Vec<(Role, bool, f32, f32, f32)> = Vec::new();
    for item in &p.pages[0].items {
        if let Item::Text { x, y, run, tag: Tag::Node(n), .. } = item {
            let (role, aside) = role_of(p, *n);
            let (l, r) = (*x, x + run.width());
            match out.iter_mut().find(|o| o.0 == role && (o.4 - y).abs() < 0.1) {
                Some(o) => {
                    o.2 = o.2.min(l);
                    o.3 = o.3.max(r);
                }
                None => out.push((role, aside, l, r, *y)),
            }
        }
    }
    out
}

fn assert_mirrored(yaml: &str) {
    let (p, style) = pages(yaml);
    let right = p.width - style.margin;
    let ls = lines(&p);
    let flush: Vec<_> = ls.iter().filter(|l| matches!(l.0, Role::P | Role::H1 | Role::H2) && !l.1).collect();
    assert!(flush.len() >= 3, "{ls:?}");
    for l in &flush {
        assert!(
            (l.3 - right).abs() < 0.5,
            "line at y={} ends at {} not at the right margin {right}",
            l.4,
            l.3
        );
        assert!(l.2 >= style.margin - 0.01);
    }
    // Wrapped lines of the first paragraph start well inside the left margin (ragged left).
    assert!(flush.iter().any(|l| l.2 > style.margin + 5.0), "{flush:?}");
    // List markers on the right of their item's text.
    let labels: Vec<_> = ls.iter().filter(|l| l.0 == Role::Lbl).collect();
    assert!(labels.len() >= 2);
    for lbl in labels {
        let body = ls.iter().find(|l| l.0 == Role::LBody && (l.4 - lbl.4).abs() < 0.1).expect("item text");
        assert!(lbl.2 > body.3, "marker at {} is not right of its text ending at {}", lbl.2, body.3);
        assert!(lbl.3 <= right + 0.01);
    }
    // The callout's accent rule is on the right.
    let rule = p.pages[0].items.iter().find_map(|i| match i {
        Item::Fill { x, w, h, .. } if (*w - style.callout_rule).abs() < 0.01 && *h > 10.0 => Some(*x),
        _ => None,
    });
    let rule = rule.expect("callout rule");
    assert!((rule + style.callout_rule - right).abs() < 0.01, "rule at {rule}");
}

#[test]
fn arabic_handout_is_flush_right_with_markers_and_rules_on_the_right() {
    assert_mirrored(ARABIC);
}

#[test]
fn hebrew_handout_is_flush_right_with_markers_and_rules_on_the_right() {
    assert_mirrored(HEBREW);
}

#[test]
fn a_latin_document_stays_flush_left() {
    let (p, style) = pages("title: Plain\nbody:\n  - A short line.\n  - bullets:\n      - One\n");
    for l in lines(&p) {
        if l.0 != Role::Lbl {
            assert!((l.2 - style.margin).abs() < 0.01 || l.0 == Role::LBody, "{l:?}");
        }
    }
}

/// Returns false (and says why) when a reader this test needs is not installed.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-v").output().is_ok();
    if !ok {
        eprintln!("SKIP: `{tool}` is not installed (apt-get install poppler-utils)");
    }
    ok
}

/// `pdftotext` text without the bidi embedding marks poppler adds around runs.
fn plain_text(pdf: &Path) -> String {
    common::squash(&common::page_text(pdf, 1))
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}'))
        .collect()
}

#[test]
fn numbers_and_latin_words_inside_arabic_read_left_to_right() {
    let d = common::Dir::new();
    d.write("h/ar.yaml", ARABIC);
    let out = d.run(&["build", "h/ar.yaml", "-o", "out"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    if !have("pdftotext") {
        return;
    }
    let text = plain_text(&d.path("out/ar.ar.pdf"));
    assert!(text.contains("+1 (555) 010-0199"), "{text}");
    assert!(text.contains("riverside.example"), "{text}");
    assert!(text.contains("اتصل بالرقم"), "{text}");
    let hebrew = d.write("h/he.yaml", HEBREW);
    let out = d.run(&["build", hebrew.to_str().unwrap(), "-o", "out"]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let text = plain_text(&d.path("out/he.he.pdf"));
    assert!(text.contains("+1 (555) 010-0199") && text.contains("התקשרו למספר"), "{text}");
}

#[test]
fn thai_breaks_only_between_words() {
    // Thai is written without spaces between words; each line must end at a word.
    let words = ["ดื่ม", "น้ำ", "มาก", "ก่อน", "การ", "ตรวจ", "และ", "หลัง", "การ", "ตรวจ"];
    let sentence: String = words.concat();
    let yaml = format!("title: ตรวจ\nlang: th\nbody:\n  - \"{}\"\n", [sentence.as_str(); 8].concat());
    let (p, _) = pages(&yaml);
    let texts: Vec<String> = p.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { run, tag: Tag::Node(n), .. } if p.nodes[*n].role == Role::P => {
                Some((run.text.clone(), i))
            }
            _ => None,
        })
        .fold(Vec::<(f32, String)>::new(), |mut acc, (t, i)| {
            let Item::Text { y, .. } = i else { unreachable!() };
            match acc.last_mut() {
                Some((ly, s)) if (*ly - y).abs() < 0.1 => s.push_str(&t),
                _ => acc.push((*y, t)),
            }
            acc
        })
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert!(texts.len() >= 2, "the paragraph wraps: {texts:?}");
    for line in &texts[..texts.len() - 1] {
        let end = line.trim_end();
        assert!(words.iter().any(|w| end.ends_with(w)), "line ends inside a word: {end:?}");
    }
}
