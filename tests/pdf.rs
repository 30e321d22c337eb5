//! The PDF as a reader sees it: extracted text and its order, footer and page numbers,
//! glyph boxes against the margins and the footer, fonts, links, metadata.

mod common;

use common::*;

const MARGIN: f32 = 54.0;

fn build_case(d: &Dir, name: &str, extra: &[&str]) -> std::path::PathBuf {
    let src = std::fs::read_to_string(root().join("tests/cases").join(format!("{name}.yaml"))).unwrap();
    d.write(&format!("h/{name}.yaml"), &src);
    // One output folder per option set, so builds in one test never overwrite each other.
    let out = format!("out{}", extra.join("").replace('-', "_"));
    let file = format!("h/{name}.yaml");
    let mut args = vec!["build", "-q", "-o", &out, &file];
    args.extend_from_slice(extra);
    let o = d.run(&args);
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    d.path(&format!("{out}/{name}.en.pdf"))
}

/// The body text of a page: everything before the footer's organization line.
fn body_of(page: &str) -> String {
    let cut = page.rfind("Riverside Neurology Clinic").unwrap_or(page.len());
    squash(&page[..cut])
}

#[test]
fn extracted_text_is_the_handout_text_in_reading_order() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let pdf = build_case(&d, "every-block", &[]);
    assert_eq!(page_count(&pdf), 2);
    let p1 = body_of(&page_text(&pdf, 1));
    let expected = "Caring for Your Stitches Simple steps for the first week Reviewed March 15, 2026 \
        Keep it clean Wash your hands before you touch the area. Use mild soap and water. \
        Pat it dry. Read more at our site or https://example.org/wounds. \
        Each day 1. Take off the old bandage. 2. Look at the skin. – Some redness is normal. \
        – Swelling should go down. 3. Put on a clean bandage. \
        • Do: keep it dry for 24 hours. • Don't: swim or soak in a bath. \
        Questions? Call +1 (555) 010-0199 or email us. \
        Call us the same day if 1. The wound opens. 2. You see pus.";
    assert_eq!(p1, expected);
    let p2 = body_of(&page_text(&pdf, 2));
    assert_eq!(p2, "When to get help Call 911 if you have • Bleeding that does not stop • A fever of 100.4 °F (38 °C) or higher");
}

#[test]
fn every_page_has_the_footer_and_its_page_number() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let pdf = build_case(&d, "every-block", &[]);
    let n = page_count(&pdf);
    for i in 1..=n {
        let text = page_text(&pdf, i);
        let footer = &text[text.rfind("Riverside Neurology Clinic").expect("footer organization")..];
        assert!(footer.contains(&format!("Page {i} of {n}")), "page {i}: {footer}");
        assert!(footer.contains("+1 (555) 010-0199"), "page {i}: {footer}");
        assert!(footer.contains("riverside.example"), "page {i}: {footer}");
    }
}

/// Checks every word box lies inside the margins, and that no body word reaches into the
/// footer (the footer starts at its organization line, the last on the page).
fn assert_inside(pdf: &std::path::Path) {
    for (i, page) in words(pdf).iter().enumerate() {
        for w in &page.words {
            assert!(
                w.x0 >= MARGIN - 0.5 && w.x1 <= page.width - MARGIN + 0.5,
                "page {}: `{}` crosses a side margin ({}..{})",
                i + 1,
                w.text,
                w.x0,
                w.x1
            );
            assert!(
                w.y0 >= MARGIN - 0.5 && w.y1 <= page.height - MARGIN + 0.5,
                "page {}: `{}` in top/bottom margin",
                i + 1,
                w.text
            );
        }
        let org = page.words.iter().rposition(|w| w.text == "Riverside").expect("footer");
        let footer_top = page.words[org].y0;
        for w in &page.words[..org] {
            assert!(
                w.y1 <= footer_top,
                "page {}: body word `{}` overlaps the footer ({} > {footer_top})",
                i + 1,
                w.text,
                w.y1
            );
        }
    }
}

#[test]
fn no_glyph_crosses_the_margins_or_the_footer() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    // Long words and URLs, and enough text for several pages.
    let mut body = String::from("title: A very long handout with an extraordinarily long title that has to wrap onto more lines\nbody:\n");
    for i in 0..40 {
        body.push_str(&format!(
            "  - \"Paragraph {i}: https://example.org/a/very/long/path/without/any/spaces/to/break/at/whatsoever/{i}/and/more/and/more and Pneumonoultramicroscopicsilicovolcanoconiosispneumonoultramicroscopicsilicovolcanoconiosis words.\"\n"
        ));
        if i % 7 == 0 {
            body.push_str("  - heading: A heading that sits between paragraphs\n");
        }
    }
    d.write("h/long.yaml", &body);
    for extra in [vec![], vec!["--paper", "a4"], vec!["--large-print"]] {
        let mut args = vec!["build", "-q", "-o", "out", "h/long.yaml"];
        args.extend(extra.iter());
        let o = d.run(&args);
        assert!(o.status.success(), "{}", stderr(&o));
        let pdf = d.path("out/long.en.pdf");
        assert!(page_count(&pdf) >= 3);
        assert_inside(&pdf);
    }
}

#[test]
fn large_print_and_a4_change_the_page() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let letter = build_case(&d, "every-block", &[]);
    assert!(info_field(&letter, "Page size").starts_with("612 x 792 pts"), "{}", pdfinfo(&letter));
    let a4 = build_case(&d, "every-block", &["--paper", "a4"]);
    assert!(info_field(&a4, "Page size").starts_with("595.276 x 841.89 pts"), "{}", pdfinfo(&a4));
    let large = build_case(&d, "every-block", &["--large-print"]);
    assert!(page_count(&large) > 2, "large print needs more pages");
    // 18 pt body: the first body word's box is about 1.5 times taller.
    let h = |pdf: &std::path::Path| {
        let p = &words(pdf)[0];
        let w = p.words.iter().find(|w| w.text == "Wash").unwrap();
        w.y1 - w.y0
    };
    let ratio = h(&large) / h(&letter);
    assert!((ratio - 1.5).abs() < 0.05, "ratio {ratio}");
}

#[test]
fn fonts_are_embedded_subset_and_mapped_to_unicode() {
    if !require_tools(&["pdffonts"]) {
        return;
    }
    let d = Dir::new();
    let pdf = build_case(&d, "every-block", &[]);
    let fonts = fonts(&pdf);
    assert!(fonts.len() >= 2, "{fonts:?}");
    for (name, emb, sub, uni) in &fonts {
        assert!(*emb && *sub && *uni, "{name}: emb {emb} sub {sub} uni {uni}");
        assert!(name.contains("+NotoSans"), "{name}");
    }
    assert!(std::fs::metadata(&pdf).unwrap().len() < 60_000);
}

#[test]
fn metadata_and_links() {
    if !require_tools(&["pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let pdf = build_case(&d, "every-block", &[]);
    assert_eq!(info_field(&pdf, "Title"), "Caring for Your Stitches");
    assert_eq!(info_field(&pdf, "Subject"), "How to keep stitches clean and when to call.");
    assert_eq!(info_field(&pdf, "Keywords"), "stitches, wound care");
    assert_eq!(info_field(&pdf, "Author"), "Riverside Neurology Clinic");
    assert_eq!(info_field(&pdf, "Creator"), format!("handout {}", env!("CARGO_PKG_VERSION")));
    assert!(info_field(&pdf, "Producer").starts_with("handout"));
    let doc = lopdf::Document::load(&pdf).unwrap();
    let mut uris = Vec::new();
    for a in annotations(&doc) {
        let action = a.get(b"A").unwrap().as_dict().unwrap();
        let uri = String::from_utf8(action.get(b"URI").unwrap().as_str().unwrap().to_vec()).unwrap();
        assert!(a.get(b"Contents").is_ok(), "link {uri} has no alternate text");
        uris.push(uri);
    }
    for want in [
        "https://riverside.example/care",
        "https://example.org/wounds",
        "mailto:neuro@riverside.example",
        "tel:+15550100199",
        "tel:+15550100100",
        "https://riverside.example",
    ] {
        assert!(uris.iter().any(|u| u == want), "missing link {want} in {uris:?}");
    }
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    let prefs = catalog.get(b"ViewerPreferences").unwrap().as_dict().unwrap();
    assert!(prefs.get(b"DisplayDocTitle").unwrap().as_bool().unwrap());
    // Bookmarks follow the headings: the title, with the sections nested under it.
    let outlines = doc.get_dictionary(catalog.get(b"Outlines").unwrap().as_reference().unwrap()).unwrap();
    let title_of = |id: lopdf::ObjectId| {
        let d = doc.get_dictionary(id).unwrap();
        String::from_utf8_lossy(d.get(b"Title").unwrap().as_str().unwrap()).into_owned()
    };
    let top = outlines.get(b"First").unwrap().as_reference().unwrap();
    assert_eq!(title_of(top), "Caring for Your Stitches");
    let mut kids = Vec::new();
    let mut next = doc.get_dictionary(top).unwrap().get(b"First").ok().map(|o| o.as_reference().unwrap());
    while let Some(id) = next {
        kids.push(title_of(id));
        next = doc.get_dictionary(id).unwrap().get(b"Next").ok().map(|o| o.as_reference().unwrap());
    }
    assert_eq!(kids, ["Keep it clean", "When to get help"]);
    let xmp = pdf_bytes_contain(
        &pdf,
        b"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">Caring for Your Stitches</rdf:li>",
    );
    assert!(xmp, "XMP metadata carries the title");
}

fn pdf_bytes_contain(pdf: &std::path::Path, needle: &[u8]) -> bool {
    std::fs::read(pdf).unwrap().windows(needle.len()).any(|w| w == needle)
}

#[test]
fn output_is_byte_identical_across_runs_and_jobs() {
    let d = Dir::new();
    let src = std::fs::read_to_string(root().join("tests/cases/every-block.yaml")).unwrap();
    d.write("h/every-block.yaml", &src);
    d.write("h/second.yaml", "title: Second\nbody:\n  - Hello.\n");
    let a = d.run(&["build", "-q", "-o", "a", "-j", "1", "h"]);
    let b = d.run(&["build", "-q", "-o", "b", "-j", "4", "h"]);
    assert!(a.status.success() && b.status.success());
    for f in ["every-block.en.pdf", "second.en.pdf"] {
        let x = std::fs::read(d.path(&format!("a/{f}"))).unwrap();
        let y = std::fs::read(d.path(&format!("b/{f}"))).unwrap();
        assert!(x == y, "{f} differs between runs");
    }
    // Different content gives a different document ID.
    let id = |f: &str| lopdf::Document::load(d.path(f)).unwrap().trailer.get(b"ID").unwrap().clone();
    assert_ne!(id("a/every-block.en.pdf"), id("a/second.en.pdf"));
}

#[test]
fn poppler_qpdf_and_mupdf_read_it_without_warnings() {
    if !require_tools(&["qpdf", "pdftoppm", "mutool"]) {
        return;
    }
    let d = Dir::new();
    let pdf = build_case(&d, "every-block", &[]);
    let run = |cmd: &str, args: &[&str]| {
        let o = std::process::Command::new(cmd)
            .args(args)
            .arg(&pdf)
            .args(if cmd == "pdftoppm" { vec![d.path("page").display().to_string()] } else { vec![] })
            .output()
            .unwrap_or_else(|_| {
                panic!("{cmd} is missing (apt-get install -y qpdf poppler-utils mupdf-tools)")
            });
        assert!(o.status.success(), "{cmd} failed: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stderr).into_owned() + &String::from_utf8_lossy(&o.stdout)
    };
    let qpdf = run("qpdf", &["--check"]);
    assert!(qpdf.contains("No syntax or stream encoding errors"), "{qpdf}");
    assert!(!qpdf.to_lowercase().contains("warning"), "{qpdf}");
    let poppler = run("pdftoppm", &["-r", "20", "-png"]);
    assert!(poppler.trim().is_empty(), "poppler says: {poppler}");
    let mupdf = run("mutool", &["draw", "-q", "-o", "/dev/null"]);
    let complaints: Vec<&str> = mupdf
        .lines()
        .filter(|l| l.contains("error") || l.contains("warning"))
        .filter(|l| !l.contains("ICC support is not available"))
        .collect();
    assert!(complaints.is_empty(), "mupdf says: {complaints:?}");
}

#[test]
fn the_logo_is_drawn_at_the_top_of_page_one_only() {
    if !require_tools(&["pdftotext", "pdfimages"]) {
        return;
    }
    let d = Dir::new();
    let img = image::RgbImage::from_fn(300, 80, |x, _| image::Rgb([(x % 255) as u8, 90, 160]));
    img.save(d.path("h/logo.png")).unwrap();
    d.write("h/contact.yaml", &format!("{CONTACT}logo: logo.png\n"));
    let pdf = build_case(&d, "every-block", &[]);
    let out = std::process::Command::new("pdfimages").arg("-list").arg(&pdf).output().expect("pdfimages");
    let list = String::from_utf8_lossy(&out.stdout).into_owned();
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), 1, "{list}");
    let cols: Vec<&str> = rows[0].split_whitespace().collect();
    assert_eq!((cols[0], cols[3], cols[4]), ("1", "300", "80"), "{list}");
    // The title moves down to make room for it.
    let title = words(&pdf)[0].words.iter().find(|w| w.text == "Caring").unwrap().y0;
    assert!(title > MARGIN + 40.0, "title at {title}");
}

#[test]
fn handout_fonts_env_points_at_the_shipped_fonts() {
    let d = Dir::new();
    d.write("h/doc.yaml", "title: Fonts\nbody:\n  - Hello.\n");
    let run = |dir: &std::path::Path| {
        std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(["build", "-q", "h", "-o", "out"])
            .current_dir(d.tmp.path())
            .env("HANDOUT_FONTS", dir)
            .output()
            .unwrap()
    };
    assert_eq!(run(&root().join("fonts")).status.code(), Some(0));
    let o = run(&d.path("nowhere"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("HANDOUT_FONTS"), "{}", stderr(&o));
    // A folder with a corrupt font is an error that names the file.
    d.write("badfonts/Broken.ttf", "not a font");
    let o = run(&d.path("badfonts"));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("Broken.ttf` is not a usable TrueType/OpenType font"), "{}", stderr(&o));
}

#[test]
fn tabs_and_soft_hyphens_are_not_errors() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let d = Dir::new();
    d.write("h/t.yaml", "title: \"Tabs\\tand\\u00a0spaces\"\nbody:\n  - \"a\\tb soft\\u00adhyphen\"\n");
    let o = d.run(&["build", "-q", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = squash(&page_text(&d.path("out/t.en.pdf"), 1));
    assert!(text.starts_with("Tabs and spaces a b softhyphen"), "{text}");
}

/// The two-page sample stays small: object streams, a cross-reference stream, subsets
/// without hinting or unread tables. Nothing is lost for it (the other tests read its text,
/// tags, links, bookmarks and metadata; pdfcheck runs pdfua on it).
#[test]
fn the_sample_is_at_most_22_kb_with_object_streams_and_unhinted_subsets() {
    let d = Dir::new();
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "-q", "handouts/lumbar-puncture.yaml", "--lang", "en", "-o"])
        .arg(d.path("out"))
        .current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = d.path("out/lumbar-puncture.en.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.len() <= 22_000, "{} bytes", bytes.len());
    assert!(pdf_bytes_contain(&pdf, b"/ObjStm"), "object streams");
    assert!(pdf_bytes_contain(&pdf, b"/XRef"), "a cross-reference stream");
    assert!(!pdf_bytes_contain(&pdf, b"\nxref"), "no cross-reference table");
    let doc = lopdf::Document::load_mem(&bytes).unwrap();
    let mut programs = 0;
    for object in doc.objects.values() {
        let lopdf::Object::Stream(s) = object else { continue };
        if s.dict.get(b"Length1").is_err() {
            continue;
        }
        programs += 1;
        let font = s.decompressed_content().unwrap();
        let count = u16::from_be_bytes([font[4], font[5]]) as usize;
        let tags: Vec<&[u8]> = (0..count).map(|k| &font[12 + 16 * k..16 + 16 * k]).collect();
        for unread in [&b"fpgm"[..], b"prep", b"cvt ", b"name", b"post", b"cmap"] {
            assert!(!tags.contains(&unread), "{} in {tags:?}", String::from_utf8_lossy(unread));
        }
        assert!(tags.contains(&&b"glyf"[..]) && tags.contains(&&b"hmtx"[..]));
    }
    assert_eq!(programs, 2, "regular and bold");
}
