//! The `qr:` block: the rendered page is scanned back (pdftoppm, then the `rqrr`
//! decoder) and gives the address; the code is at least 2 cm wide, a live link, and a
//! tagged Figure whose alternate text is the caption and the address.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const URL: &str = "https://riverside.example/videos/lumbar-puncture?lang=en";
const CAPTION: &str = "Scan to watch a video about your test";

/// Resolution of the rendered pages, in dots per inch.
const DPI: f32 = 150.0;

/// Every QR code found on page 1 of `pdf`: (decoded text, width in pixels at [`DPI`]),
/// and the page's width in pixels.
fn scan_page(pdf: &Path, dir: &Path) -> (Vec<(String, f32, f32)>, f32) {
    let prefix = dir.join("page");
    let o = Command::new("pdftoppm")
        .args(["-r", &DPI.to_string(), "-png", "-f", "1", "-l", "1", "-gray"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let png = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("page")))
        .expect("a PNG");
    let img = image::open(&png).unwrap().to_luma8();
    std::fs::remove_file(png).unwrap();
    let page_width = img.width() as f32;
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let codes = prepared
        .detect_grids()
        .into_iter()
        .map(|g| {
            let (_, text) = g.decode().expect("the code decodes");
            let xs = g.bounds.iter().map(|p| p.x as f32);
            let left = xs.clone().fold(f32::MAX, f32::min);
            let width = xs.fold(f32::MIN, f32::max) - left;
            (text, width, left)
        })
        .collect();
    (codes, page_width)
}

/// [`scan_page`] without the positions.
fn scan(pdf: &Path, dir: &Path) -> Vec<(String, f32)> {
    scan_page(pdf, dir).0.into_iter().map(|(t, w, _)| (t, w)).collect()
}

/// Every link annotation's target on page 1.
fn uris(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let (_, page) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(page).unwrap();
    let Ok(lopdf::Object::Array(annots)) = page.get(b"Annots") else { return vec![] };
    annots
        .iter()
        .filter_map(|a| {
            let a = doc.get_dictionary(a.as_reference().ok()?).ok()?;
            let uri = a.get(b"A").ok()?.as_dict().ok()?.get(b"URI").ok()?.as_str().ok()?;
            Some(String::from_utf8_lossy(uri).into_owned())
        })
        .collect()
}

/// (Alt, role of the parent) of every Figure structure element.
fn figures(pdf: &Path) -> Vec<(String, String)> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let mut out = Vec::new();
    for obj in doc.objects.values() {
        let Ok(d) = obj.as_dict() else { continue };
        if d.get(b"S").ok().and_then(|s| s.as_name().ok()) != Some(b"Figure") {
            continue;
        }
        let alt =
            d.get(b"Alt").ok().and_then(|a| a.as_str().ok()).map(|a| String::from_utf8_lossy(a).into_owned());
        let parent = d
            .get(b"P")
            .ok()
            .and_then(|p| p.as_reference().ok())
            .and_then(|r| doc.get_dictionary(r).ok())
            .and_then(|p| p.get(b"S").ok())
            .and_then(|s| s.as_name().ok())
            .map(|s| String::from_utf8_lossy(s).into_owned());
        out.push((alt.unwrap_or_default(), parent.unwrap_or_default()));
    }
    out
}

#[test]
fn the_code_scans_back_to_its_address_in_every_page_size() {
    if !require_tools(&["pdftoppm", "pdftotext"]) {
        return;
    }
    let d = Dir::new();
    d.write(
        "h/doc.yaml",
        &format!(
            "title: X\nbody:\n  - Before.\n  - qr:\n      url: {URL}\n      caption: {CAPTION}\n  - After.\n"
        ),
    );
    for (paper, large) in [("letter", false), ("a4", false), ("letter", true), ("a4", true)] {
        let mut args = vec!["build", "h/doc.yaml", "-o", "out", "--paper", paper];
        if large {
            args.push("--large-print");
        }
        let o = d.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let pdf = d.path("out/doc.en.pdf");
        let scratch = tempfile::tempdir().unwrap();
        let found = scan(&pdf, scratch.path());
        let case = format!("{paper}, large print {large}");
        assert_eq!(found.len(), 1, "{case}: one code on the page");
        let (text, px) = &found[0];
        assert_eq!(text, URL, "{case}");
        let cm = px / DPI * 2.54;
        assert!(cm >= 2.0, "{case}: the code is {cm:.2} cm wide");
        if large {
            assert!(cm >= 3.0, "{case}: large print draws it larger, {cm:.2} cm");
        }
        assert!(uris(&pdf).iter().any(|u| u == URL), "{case}: a live link over it: {:?}", uris(&pdf));
        let figs = figures(&pdf);
        assert!(
            figs.iter()
                .any(|(alt, parent)| alt == &format!("QR code: {CAPTION} ({URL})") && parent == "Link"),
            "{case}: {figs:?}"
        );
        let text = squash(&page_text(&pdf, 1));
        assert!(text.contains(&format!("Before. {CAPTION} https://")), "{case}: {text}");
        let joined: String = page_text(&pdf, 1).lines().collect();
        assert!(joined.contains(URL), "{case}: the printed address copies back whole: {joined}");
        if let Some(tool) = pdfcheck() {
            let o = Command::new(tool).arg(&pdf).output().unwrap();
            assert!(o.status.success(), "{case}: pdfcheck: {}", stdout(&o));
        }
    }
}

#[test]
fn a_right_to_left_document_puts_the_code_on_the_right() {
    if !require_tools(&["pdftoppm", "pdftotext"]) {
        return;
    }
    let d = Dir::new();
    d.write("h/doc.yaml", "title: X\nbody:\n  - x\n");
    d.write(
        "h/doc.ar.yaml",
        &format!("title: عنوان\nbody:\n  - نص.\n  - qr:\n      url: {URL}\n      caption: امسح الرمز لمشاهدة فيديو\n"),
    );
    let o = d.run(&["build", "h/doc.ar.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let scratch = tempfile::tempdir().unwrap();
    let (codes, page) = scan_page(&d.path("out/doc.ar.pdf"), scratch.path());
    assert_eq!(codes.len(), 1);
    assert_eq!(codes[0].0, URL);
    assert!(codes[0].2 > page / 2.0, "the code starts at {} of {page} px", codes[0].2);
}

#[test]
fn plain_text_placeholders_and_mistakes() {
    if !require_tool("pdftoppm") {
        return;
    }
    let d = Dir::new();
    // Placeholders are filled as plain text (no markup escapes in what is scanned), and
    // text that is not an address is encoded without a link.
    d.write(
        "h/doc.yaml",
        "title: X\nbody:\n  - qr:\n      url: \"https://portal.example/p/{{mrn}}\"\n      caption: Your portal\n  - qr:\n      url: \"WIFI:S:Clinic-Guest;;\"\n      caption: Guest Wi-Fi\n",
    );
    let o = d.run(&["build", "h/doc.yaml", "-o", "out", "--set", "mrn=A-12_3"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/doc.en.pdf");
    let scratch = tempfile::tempdir().unwrap();
    let mut found: Vec<String> = scan(&pdf, scratch.path()).into_iter().map(|(t, _)| t).collect();
    found.sort();
    assert_eq!(found, ["WIFI:S:Clinic-Guest;;", "https://portal.example/p/A-12_3"]);
    assert_eq!(
        uris(&pdf).iter().filter(|u| u.starts_with("https://portal")).count(),
        2,
        "code and printed address"
    );
    assert!(!uris(&pdf).iter().any(|u| u.starts_with("WIFI")));

    for (yaml, want) in [
        ("  - qr:\n      url: https://a.example\n", "h/bad.yaml:3:5: error: missing `caption`"),
        ("  - qr:\n      caption: Scan me\n", "h/bad.yaml:3:5: error: missing `url`"),
        (
            "  - qr:\n      url: javascript:alert(1)\n      caption: x\n",
            "h/bad.yaml:4:12: error: `javascript:alert(1)` is not a web",
        ),
        (
            "  - qr:\n      url: https://a.example\n      caption: x\n      size: 3\n",
            "h/bad.yaml:6:7: error: unknown key `size`",
        ),
        ("  - qr\n", "h/bad.yaml:3:5: error: `qr` alone would print the word"),
    ] {
        d.write("h/bad.yaml", &format!("title: X\nbody:\n{yaml}"));
        let o = d.run(&["check", "h/bad.yaml"]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(want), "want `{want}` in\n{err}");
    }
    let long = format!("https://a.example/{}", "x".repeat(3000));
    d.write("h/long.yaml", &format!("title: X\nbody:\n  - qr:\n      url: {long}\n      caption: x\n"));
    let o = d.run(&["check", "h/long.yaml"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("h/long.yaml:4:12: error: the QR code cannot hold this text"),
        "{}",
        stderr(&o)
    );
}
