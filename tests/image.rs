//! The `image:` block as a reader sees the PDF: the pictures `pdfimages` finds (each file
//! once per document, a JPEG kept as JPEG, transparency as a soft mask, the size the
//! README promises), where they are drawn (rendered with `pdftoppm`: inside the margins,
//! at the start edge, mirrored in right-to-left documents, scaled to fit a page), the
//! tag tree (Figure with Alt and BBox, then its Caption), and every mistake as an error
//! at its `file:line:col` from `build` and `check`.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// A solid picture of one colour.
fn solid(path: &Path, w: u32, h: u32, rgb: [u8; 3]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image::RgbImage::from_pixel(w, h, image::Rgb(rgb)).save(path).unwrap();
}

/// One row of `pdfimages -list`.
#[derive(Debug)]
struct Listed {
    page: usize,
    kind: String,
    width: u32,
    height: u32,
    color: String,
    enc: String,
    object: u32,
    ppi: f32,
}

fn pdfimages(pdf: &Path) -> Vec<Listed> {
    let o = Command::new("pdfimages").arg("-list").arg(pdf).output().expect("pdfimages");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            Listed {
                page: f[0].parse().unwrap(),
                kind: f[2].to_string(),
                width: f[3].parse().unwrap(),
                height: f[4].parse().unwrap(),
                color: f[5].to_string(),
                enc: f[8].to_string(),
                object: f[10].parse().unwrap(),
                ppi: f[12].parse().unwrap(),
            }
        })
        .collect()
}

/// The box (left, top, right, bottom, in points from the top-left corner) of the pixels
/// of page `page` for which `is` holds, rendered at 72 dpi (a pixel is a point).
fn drawn_box(pdf: &Path, page: usize, is: impl Fn([u8; 3]) -> bool) -> Option<(u32, u32, u32, u32)> {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let n = page.to_string();
    let o = Command::new("pdftoppm")
        .args(["-r", "72", "-png", "-f", &n, "-l", &n, "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let img = image::open(dir.path().join("p.png")).unwrap().to_rgb8();
    let mut b: Option<(u32, u32, u32, u32)> = None;
    for (x, y, p) in img.enumerate_pixels() {
        if is(p.0) {
            b = Some(match b {
                None => (x, y, x + 1, y + 1),
                Some((l, t, r, bt)) => (l.min(x), t.min(y), r.max(x + 1), bt.max(y + 1)),
            });
        }
    }
    b
}

fn red(p: [u8; 3]) -> bool {
    p[0] > 200 && p[1] < 60 && p[2] < 60
}

fn blue(p: [u8; 3]) -> bool {
    p[2] > 200 && p[0] < 60 && p[1] < 60
}

/// Every structure element in reading order: (type, Alt, has a BBox attribute).
fn elements(pdf: &Path) -> Vec<(String, Option<String>, bool)> {
    use lopdf::{Dictionary, Document, Object};
    let doc = Document::load(pdf).unwrap();
    fn walk(doc: &Document, d: &Dictionary, out: &mut Vec<(String, Option<String>, bool)>) {
        let s =
            d.get(b"S").ok().and_then(|s| s.as_name().ok()).map(|s| String::from_utf8_lossy(s).into_owned());
        if let Some(s) = s {
            let alt = d
                .get(b"Alt")
                .ok()
                .and_then(|a| a.as_str().ok())
                .map(|a| String::from_utf8_lossy(a).into_owned());
            let bbox = d
                .get(b"A")
                .ok()
                .and_then(|a| a.as_dict().ok())
                .is_some_and(|a| a.get(b"BBox").and_then(|b| b.as_array()).is_ok_and(|b| b.len() == 4));
            out.push((s, alt, bbox));
        }
        let kids = match d.get(b"K") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(o) => vec![o.clone()],
            Err(_) => vec![],
        };
        for k in kids {
            if let Ok(r) = k.as_reference() {
                if let Ok(kd) = doc.get_dictionary(r) {
                    walk(doc, kd, out);
                }
            }
        }
    }
    let root = doc.catalog().unwrap().get(b"StructTreeRoot").unwrap().as_reference().unwrap();
    let mut out = Vec::new();
    walk(&doc, doc.get_dictionary(root).unwrap(), &mut out);
    out
}

#[test]
fn pictures_are_embedded_once_per_document_at_their_size() {
    if !require_tools(&["pdfimages", "pdftotext"]) {
        return;
    }
    let d = Dir::new();
    solid(&d.path("h/images/red.png"), 300, 150, [230, 20, 20]);
    let jpeg = d.path("h/images/photo.jpg");
    image::RgbImage::from_fn(200, 100, |x, _| image::Rgb([(x % 256) as u8, 90, 160])).save(&jpeg).unwrap();
    let mut see_through = image::GrayAlphaImage::from_pixel(40, 40, image::LumaA([0, 255]));
    see_through.put_pixel(5, 5, image::LumaA([0, 0]));
    see_through.save(d.path("h/images/mask.png")).unwrap();
    d.write(
        "h/p.yaml",
        "title: Pictures\nbody:\n  - Some text.\n  - image:\n      file: images/red.png\n      alt: A red square\n      caption: Half as wide as the text\n      width: 50%\n  - image:\n      file: images/photo.jpg\n      alt: A photo\n  - image:\n      file: ./images/../images/red.png\n      alt: The red square again\n  - image:\n      file: images/mask.png\n      alt: A black square with a hole\n",
    );
    solid(&d.path("h/images/wide.png"), 1400, 100, [20, 20, 230]);
    d.write(
        "h/q.yaml",
        "title: Again\nbody:\n  - image:\n      file: images/red.png\n      alt: A red square\n  - image:\n      file: images/wide.png\n      alt: A long blue bar\n",
    );
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));

    let list = pdfimages(&d.path("out/p.en.pdf"));
    let images: Vec<&Listed> = list.iter().filter(|l| l.kind == "image").collect();
    // Four pictures drawn; the red one twice, from one image object.
    assert_eq!(images.len(), 4, "{list:#?}");
    let reds: Vec<&&Listed> = images.iter().filter(|l| (l.width, l.height) == (300, 150)).collect();
    assert_eq!(reds.len(), 2);
    assert_eq!(reds[0].object, reds[1].object, "one red image object, drawn twice");
    let mut objects: Vec<u32> = images.iter().map(|l| l.object).collect();
    objects.sort();
    objects.dedup();
    assert_eq!(objects.len(), 3);
    // 50% of Letter's 504-pt text width: 300 px over 3.5 in.
    assert!((reds[0].ppi - 86.0).abs() <= 1.0, "{:?}", reds[0]);
    // No width: the natural size at 150 dpi; a JPEG stays a JPEG.
    let photo = images.iter().find(|l| l.width == 200).unwrap();
    assert_eq!((photo.enc.as_str(), photo.color.as_str()), ("jpeg", "rgb"));
    assert!((photo.ppi - 150.0).abs() <= 1.0, "{photo:?}");
    // Transparency: a soft mask beside the picture; a gray picture stays gray.
    assert_eq!(list.iter().filter(|l| l.kind == "smask").count(), 1, "{list:#?}");
    let mask = images.iter().find(|l| l.width == 40).unwrap();
    assert_eq!(mask.color, "gray");

    // The other document of the run has its own copy. A picture wider than the text at
    // 150 dpi is as wide as the text: 1400 px over 7 in.
    let q = pdfimages(&d.path("out/q.en.pdf"));
    assert_eq!(q.len(), 2, "{q:#?}");
    assert_eq!((q[0].width, q[0].height, q[0].page), (300, 150, 1));
    assert!((q[1].ppi - 200.0).abs() <= 1.0, "{:?}", q[1]);
    // Large print: the natural size is 1.5 times bigger (100 dpi), like the text.
    let o = d.run(&["build", "h", "-o", "large", "--large-print"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let large = pdfimages(&d.path("large/p.en.pdf"));
    let photo = large.iter().find(|l| l.width == 200).unwrap();
    assert!((photo.ppi - 100.0).abs() <= 1.0, "{photo:?}");
    // The caption is text under the picture.
    assert!(squash(&page_text(&d.path("out/p.en.pdf"), 1)).contains("Half as wide as the text"));
    if let Some(tool) = pdfcheck() {
        let o = Command::new(tool).arg(d.path("out/p.en.pdf")).arg(d.path("out/q.en.pdf")).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stdout));
    }
}

#[test]
fn a_picture_sits_inside_the_margins_at_the_start_edge_and_mirrors_right_to_left() {
    if !require_tools(&["pdftoppm", "pdftotext"]) {
        return;
    }
    let d = Dir::new();
    solid(&d.path("h/images/red.png"), 300, 150, [230, 20, 20]);
    let body = "body:\n  - image:\n      file: images/red.png\n      alt: A red square\n      caption: A caption\n      width: 40%\n";
    d.write("h/doc.yaml", &format!("title: Picture\n{body}"));
    d.write("h/doc.ar.yaml", &format!("title: صورة\n{body}"));
    for paper in ["letter", "a4"] {
        let out = format!("out-{paper}");
        let o = d.run(&["build", "h", "-o", &out, "--paper", paper]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let width: u32 = if paper == "letter" { 612 } else { 595 };
        let text = width as f32 - 108.0;
        let (l, t, r, b) = drawn_box(&d.path(&format!("{out}/doc.en.pdf")), 1, red).expect("red pixels");
        assert!(l.abs_diff(54) <= 1, "{paper}: starts at {l}");
        assert!((((r - l) as f32) - 0.4 * text).abs() <= 2.0, "{paper}: {} wide", r - l);
        assert!((2 * (b - t)).abs_diff(r - l) <= 3, "{paper}: proportions kept ({l} {t} {r} {b})");
        // Right to left: the same picture against the right margin.
        let (l, _, r, _) = drawn_box(&d.path(&format!("{out}/doc.ar.pdf")), 1, red).expect("red pixels");
        assert!(r.abs_diff(width - 54) <= 1, "{paper}: Arabic picture ends at {r} (left {l})");
        // The caption under it, on the same side: in the Arabic document its box (24 ems
        // wide, wider than the picture) ends at the right margin.
        for (lang, left_half) in [("en", true), ("ar", false)] {
            let caption = words(&d.path(&format!("{out}/doc.{lang}.pdf")))[0]
                .words
                .iter()
                .find(|w| w.text == "caption")
                .cloned()
                .expect("the caption");
            assert!(caption.y0 > b as f32, "{paper} {lang}: {caption:?}");
            assert_eq!(caption.x0 < width as f32 / 2.0, left_half, "{paper} {lang}: {caption:?}");
        }
    }
}

#[test]
fn a_tall_picture_is_scaled_to_fit_one_page_and_never_split() {
    if !require_tools(&["pdftoppm", "pdftotext"]) {
        return;
    }
    let d = Dir::new();
    solid(&d.path("h/images/tall.png"), 200, 3000, [20, 20, 230]);
    d.write(
        "h/tall.yaml",
        "title: Tall\nbody:\n  - A paragraph first.\n  - image:\n      file: images/tall.png\n      alt: A very tall blue bar\n      caption: It fits\n      width: 100%\n  - After it.\n",
    );
    for (paper, large) in [("letter", false), ("a4", false), ("letter", true)] {
        let mut args = vec!["build", "h/tall.yaml", "-o", "out", "--paper", paper];
        if large {
            args.push("--large-print");
        }
        let o = d.run(&args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let pdf = d.path("out/tall.en.pdf");
        let what = format!("{paper}, large print {large}");
        // The picture moved to page 2, whole, above the footer, with its caption.
        assert!(drawn_box(&pdf, 1, blue).is_none(), "{what}: nothing of it on page 1");
        let (l, t, r, b) = drawn_box(&pdf, 2, blue).expect("on page 2");
        let page = &words(&pdf)[1];
        let footer = page.words.iter().find(|w| w.text == "Riverside").map(|w| w.y0).unwrap();
        assert!(
            l >= 53 && r as f32 <= page.width - 53.0 && t >= 53 && (b as f32) < footer,
            "{what}: {l} {t} {r} {b}"
        );
        assert!(b - t > 500, "{what}: it uses the page ({} pt tall)", b - t);
        assert!(page_text(&pdf, 2).contains("It fits"));
    }
}

#[test]
fn the_tag_tree_has_a_figure_with_alt_text_and_bbox_then_its_caption() {
    if !require_tool("pdftotext") {
        return;
    }
    let d = Dir::new();
    solid(&d.path("h/images/red.png"), 30, 30, [230, 20, 20]);
    d.write(
        "h/t.yaml",
        "title: Tags\nbody:\n  - Before.\n  - image:\n      file: images/red.png\n      alt: \"  A red square,\n        seen from above  \"\n      caption: The *caption*\n  - After.\n",
    );
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let elems = elements(&d.path("out/t.en.pdf"));
    // The footer's links come last.
    let types: Vec<&str> = elems.iter().map(|e| e.0.as_str()).filter(|t| *t != "Link").collect();
    assert_eq!(types, ["Document", "H1", "P", "Figure", "Caption", "P"], "{elems:?}");
    let figure = &elems[3];
    assert_eq!(figure.1.as_deref(), Some("A red square, seen from above"));
    assert!(figure.2, "a BBox attribute");
}

/// Runs `build` and `check` on `yaml` (with `files` written first) and returns both
/// stderr texts after checking that each document failed.
fn failing(d: &Dir, yaml: &str) -> (String, String) {
    d.write("h/bad.yaml", yaml);
    let build = d.run(&["build", "h/bad.yaml", "-o", "out"]);
    assert_eq!(build.status.code(), Some(1), "{}", stderr(&build));
    let check = d.run(&["check", "h/bad.yaml"]);
    assert_eq!(check.status.code(), Some(1), "{}", stderr(&check));
    (stderr(&build), stderr(&check))
}

#[test]
fn every_mistake_is_an_error_at_its_place_with_a_hint() {
    let d = Dir::new();
    solid(&d.path("h/images/ok.png"), 10, 10, [0, 0, 0]);
    std::fs::write(d.path("h/images/broken.png"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR broken").unwrap();
    std::fs::write(d.path("h/images/anim.gif"), b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap();
    // Over 10 MiB: refused from its size, never read or decoded.
    let big = std::fs::File::create(d.path("h/images/big.png")).unwrap();
    big.set_len(11 << 20).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "  - image:\n      file: images/missing.png\n      alt: Gone\n",
            "h/bad.yaml:4:13",
            "image `images/missing.png` does not exist",
        ),
        ("  - image:\n      file: images/ok.png\n", "h/bad.yaml:3:5", "the picture has no `alt` text"),
        (
            "  - image:\n      file: images/ok.png\n      alt: \"\"\n",
            "h/bad.yaml:5:7",
            "the picture's `alt` is empty",
        ),
        (
            "  - image:\n      file: images/broken.png\n      alt: Broken\n",
            "h/bad.yaml:4:13",
            "image `images/broken.png` is not a readable PNG or JPEG",
        ),
        (
            "  - image:\n      file: images/anim.gif\n      alt: Moving\n",
            "h/bad.yaml:4:13",
            "image `images/anim.gif` is a GIF file; only PNG and JPEG are supported",
        ),
        (
            "  - image:\n      file: images/big.png\n      alt: Big\n",
            "h/bad.yaml:4:13",
            "image `images/big.png` is 11 MiB; pictures over 10 MiB are refused",
        ),
        (
            "  - image:\n      file: ../elsewhere.png\n      alt: Far\n",
            "h/bad.yaml:4:13",
            "the image path `../elsewhere.png` leaves the handout's folder",
        ),
        (
            "  - image:\n      file: images/ok.png\n      alt: Wide\n      width: 50\n",
            "h/bad.yaml:6:14",
            "`width: 50` has no `%`",
        ),
        (
            "  - image:\n      file: images/ok.png\n      alt: Wide\n      width: 150%\n",
            "h/bad.yaml:6:14",
            "`width: 150%` is not between 1% and 100%",
        ),
        ("  - image\n", "h/bad.yaml:3:5", "`image` alone would print the word \"image\""),
        (
            "  - image: images/ok.png\n",
            "h/bad.yaml:3:12",
            "expected a picture: `file`, `alt`, `caption` and `width` here",
        ),
        ("  - image:\n      alt: No file\n", "h/bad.yaml:3:5", "missing `file`"),
    ];
    for (body, place, message) in cases {
        let (build, check) = failing(&d, &format!("title: Bad\nbody:\n{body}"));
        for (what, err) in [("build", &build), ("check", &check)] {
            assert!(err.contains(place), "{what}: {message}: no {place} in\n{err}");
            assert!(err.contains(message), "{what}: no `{message}` in\n{err}");
            assert!(err.contains("hint"), "{what}: no hint in\n{err}");
        }
    }
    // The hint for a missing alt says why it is required.
    let (build, _) = failing(&d, "title: Bad\nbody:\n  - image:\n      file: images/ok.png\n");
    assert!(build.contains("accessible"), "{build}");
}

#[test]
fn one_bad_picture_fails_only_its_document() {
    let d = Dir::new();
    solid(&d.path("h/images/ok.png"), 10, 10, [0, 0, 0]);
    d.write(
        "h/good.yaml",
        "title: Good\nbody:\n  - image:\n      file: images/ok.png\n      alt: A black square\n",
    );
    d.write("h/bad.yaml", "title: Bad\nbody:\n  - image:\n      file: images/nope.png\n      alt: Nothing\n");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(d.path("out/good.en.pdf").is_file());
    assert!(!d.path("out/bad.en.pdf").exists());
}

#[test]
fn a_logo_with_transparency_gets_a_soft_mask_and_an_opaque_one_is_plain_rgb() {
    if !require_tools(&["pdfimages"]) {
        return;
    }
    let d = Dir::new();
    // An RGB logo (no alpha channel) and an RGBA one with a transparent corner.
    solid(&d.path("h/rgb.png"), 60, 20, [20, 60, 120]);
    let mut rgba = image::RgbaImage::from_pixel(60, 20, image::Rgba([20, 60, 120, 255]));
    rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
    rgba.save(d.path("h/rgba.png")).unwrap();
    d.write("h/x.yaml", "title: Logo\nbody:\n  - Some text.\n");
    for (logo, masks) in [("rgb.png", 0), ("rgba.png", 1)] {
        d.write("h/contact.yaml", &format!("{CONTACT}logo: {logo}\n"));
        let out = format!("out-{logo}");
        let o = d.run(&["build", "h/x.yaml", "-o", &out]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let list = pdfimages(&d.path(&format!("{out}/x.en.pdf")));
        let images: Vec<&Listed> = list.iter().filter(|l| l.kind == "image").collect();
        assert_eq!(images.len(), 1, "{logo}: {list:#?}");
        assert_eq!((images[0].width, images[0].height, images[0].color.as_str()), (60, 20, "rgb"), "{logo}");
        assert_eq!(list.iter().filter(|l| l.kind == "smask").count(), masks, "{logo}: {list:#?}");
    }
}

#[test]
fn a_jpeg_logo_is_embedded_as_the_jpeg_it_is() {
    if !require_tools(&["pdfimages"]) {
        return;
    }
    let d = Dir::new();
    let jpeg = d.path("h/logo.jpg");
    image::RgbImage::from_fn(90, 30, |x, y| image::Rgb([(x * 2) as u8, (y * 8) as u8, 160]))
        .save(&jpeg)
        .unwrap();
    d.write("h/contact.yaml", &format!("{CONTACT}logo: logo.jpg\n"));
    d.write("h/x.yaml", "title: Logo\nbody:\n  - Some text.\n");
    let o = d.run(&["build", "h/x.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/x.en.pdf");
    let list = pdfimages(&pdf);
    assert_eq!(list.len(), 1, "{list:#?}");
    assert_eq!((list[0].width, list[0].height, list[0].enc.as_str()), (90, 30, "jpeg"), "{list:#?}");
    // The file's own bytes, not a decoded and compressed copy.
    let bytes = std::fs::read(&jpeg).unwrap();
    let doc = lopdf::Document::load(&pdf).unwrap();
    let embedded = doc.objects.values().filter_map(|o| o.as_stream().ok()).any(|s| s.content == bytes);
    assert!(embedded, "the JPEG's bytes are not in the PDF");
}
