//! The structure tree as assistive technology reads it: every element in reading order,
//! headings, lists, callouts, links with their annotations, the logo with alternate text,
//! and the footer left out as an artifact.

mod common;

use common::*;
use lopdf::{Dictionary, Document, Object};

fn dict<'a>(doc: &'a Document, o: &'a Object) -> &'a Dictionary {
    match o {
        Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
        Object::Dictionary(d) => d,
        other => panic!("not a dictionary: {other:?}"),
    }
}

/// The tree as indented lines: `Role` for elements, `"text"` for their marked content
/// (joined per element), `[link]` for annotation references.
fn dump(
    doc: &Document,
    elem: &Dictionary,
    depth: usize,
    texts: &dyn Fn(&Dictionary) -> String,
    out: &mut Vec<String>,
) {
    let role = String::from_utf8_lossy(elem.get(b"S").unwrap().as_name().unwrap()).into_owned();
    let mut line = format!("{}{role}", "  ".repeat(depth));
    if let Ok(alt) = elem.get(b"Alt") {
        line.push_str(&format!(" alt={:?}", String::from_utf8_lossy(alt.as_str().unwrap())));
    }
    let t = texts(elem);
    if !t.is_empty() {
        line.push_str(&format!(" {t:?}"));
    }
    out.push(line);
    let kids = match elem.get(b"K") {
        Ok(Object::Array(a)) => a.clone(),
        Ok(o) => vec![o.clone()],
        Err(_) => vec![],
    };
    for k in &kids {
        if let Object::Integer(_) = k {
            continue;
        }
        let d = dict(doc, k);
        match d.get(b"Type").ok().and_then(|t| t.as_name().ok()) {
            Some(b"MCR") => {}
            Some(b"OBJR") => out.push(format!("{}[link]", "  ".repeat(depth + 1))),
            _ => dump(doc, d, depth + 1, texts, out),
        }
    }
}

#[test]
fn the_structure_tree_follows_the_reading_order() {
    if !require_tools(&["pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let img = image::RgbImage::from_fn(60, 20, |_, _| image::Rgb([20, 60, 100]));
    img.save(d.path("h/logo.png")).unwrap();
    d.write("h/contact.yaml", &format!("{CONTACT}logo: logo.png\n"));
    d.write(
        "h/t.yaml",
        "title: Tags\nsubtitle: Sub\nbody:\n  - heading: Head\n  - See [site](https://x.example) now.\n  - steps:\n      - One\n      - text: Two\n        bullets: [Deep]\n  - callout:\n      kind: urgent\n      title: Call\n      text: Now.\n",
    );
    let o = d.run(&["build", "-q", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/t.en.pdf");
    assert_eq!(info_field(&pdf, "Tagged"), "yes");
    let doc = Document::load(&pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    let root = dict(&doc, catalog.get(b"StructTreeRoot").unwrap());
    let top = dict(&doc, root.get(b"K").unwrap());
    // How many marked-content sequences an element holds directly (its own text).
    let texts = |e: &Dictionary| -> String {
        let is_mcr = |k: &Object| match k {
            Object::Integer(_) => true,
            _ => dict(&doc, k).get(b"Type").ok().and_then(|t| t.as_name().ok()) == Some(b"MCR"),
        };
        let n = match e.get(b"K") {
            Ok(Object::Array(a)) => a.iter().filter(|k| is_mcr(k)).count(),
            Ok(k) => usize::from(is_mcr(k)),
            Err(_) => 0,
        };
        if n > 0 {
            format!("{n} mc")
        } else {
            String::new()
        }
    };
    let mut lines = Vec::new();
    dump(&doc, top, 0, &texts, &mut lines);
    let got = lines.join("\n");
    let want = r#"Document
  Figure alt="Riverside Neurology Clinic logo" "1 mc"
  H1 "1 mc"
  P "1 mc"
  H2 "1 mc"
  P "2 mc"
    Link alt="site (https://x.example)" "1 mc"
      [link]
  L
    LI
      Lbl "1 mc"
      LBody "1 mc"
    LI
      Lbl "1 mc"
      LBody "1 mc"
        L
          LI
            Lbl "1 mc"
            LBody "1 mc"
  Div
    P "1 mc"
    P "1 mc"
  Link alt="+1 (555) 010-0199 (tel:+15550100199)"
    [link]
  Link alt="+1 (555) 010-0100 (tel:+15550100100)"
    [link]
  Link alt="neuro@riverside.example (mailto:neuro@riverside.example)"
    [link]
  Link alt="riverside.example (https://riverside.example)"
    [link]"#;
    assert_eq!(got, want, "\n{got}");
}

#[test]
fn tagged_pdfs_pass_the_pdfua_checker() {
    if !require_tools(&["pdfua"]) {
        return;
    }
    let d = Dir::new();
    d.write("h/t.yaml", &std::fs::read_to_string(root().join("tests/cases/every-block.yaml")).unwrap());
    let o = d.run(&["build", "-q", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/t.en.pdf");
    let out = std::process::Command::new("pdfua")
        .arg("check")
        .arg(&pdf)
        .output()
        .expect("the pdfua checker is missing (pip install pdfua)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "pdfua findings:\n{text}");
}
