//! PNGs embedded as they are: an 8-bit gray or RGB PNG without transparency (the sample's
//! logo, the exercise drawings) becomes an image stream holding the file's own IDAT data
//! with FlateDecode and `/Predictor 15`, which draws the same pixels as the file
//! (`pdfimages -png` gives them back); a PNG with alpha still gets a soft mask; and a PNG
//! whose chunks are right but whose rows are not is still an error at its `file:line:col`.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;
use lopdf::{Dictionary, Document, Object};

/// The data of a PNG's IDAT chunks, one after another.
fn idat(png: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 8;
    while i + 8 <= png.len() {
        let len = u32::from_be_bytes(png[i..i + 4].try_into().unwrap()) as usize;
        if &png[i + 4..i + 8] == b"IDAT" {
            out.extend_from_slice(&png[i + 8..i + 8 + len]);
        }
        i += 12 + len;
    }
    out
}

/// The image XObjects of a PDF: dictionary and (still compressed) data, in object order.
fn images(pdf: &Path) -> Vec<(Dictionary, Vec<u8>)> {
    let doc = Document::load(pdf).unwrap();
    doc.objects
        .values()
        .filter_map(|o| match o {
            Object::Stream(s) if s.dict.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Image") => {
                Some((s.dict.clone(), s.content.clone()))
            }
            _ => None,
        })
        .collect()
}

fn int(d: &Dictionary, key: &[u8]) -> i64 {
    d.get(key).and_then(Object::as_i64).unwrap_or_else(|_| panic!("no {}", String::from_utf8_lossy(key)))
}

fn name<'a>(d: &'a Dictionary, key: &[u8]) -> &'a [u8] {
    d.get(key).and_then(Object::as_name).unwrap_or(b"")
}

/// `/DecodeParms` as (Predictor, Colors, BitsPerComponent, Columns), if there is one.
fn predictor(d: &Dictionary) -> Option<(i64, i64, i64, i64)> {
    let p = d.get(b"DecodeParms").ok()?.as_dict().ok()?;
    Some((int(p, b"Predictor"), int(p, b"Colors"), int(p, b"BitsPerComponent"), int(p, b"Columns")))
}

/// The pixels of every image in `pdf` as `pdfimages -png` writes them, in its order.
fn extracted(pdf: &Path) -> Vec<image::DynamicImage> {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new("pdfimages").arg("-png").arg(pdf).arg(dir.path().join("i")).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut files: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files.iter().map(|f| image::open(f).unwrap()).collect()
}

#[test]
fn the_sample_logo_is_its_own_idat_data_and_draws_its_own_pixels() {
    if !require_tools(&["pdfimages"]) {
        return;
    }
    let d = Dir::new();
    let sample = root().join("handouts/lumbar-puncture.yaml");
    let o = d.run(&["build", "-q", sample.to_str().unwrap(), "--lang", "en", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = d.path("out/lumbar-puncture.en.pdf");
    let logo = std::fs::read(root().join("handouts/logo.png")).unwrap();
    let found = images(&pdf);
    assert_eq!(found.len(), 1, "only the logo, without a soft mask");
    let (dict, data) = &found[0];
    assert_eq!((int(dict, b"Width"), int(dict, b"Height")), (600, 160));
    assert_eq!((name(dict, b"ColorSpace"), name(dict, b"Filter")), (&b"DeviceRGB"[..], &b"FlateDecode"[..]));
    assert_eq!(predictor(dict), Some((15, 3, 8, 600)));
    assert!(dict.get(b"SMask").is_err());
    assert!(
        *data == idat(&logo),
        "the stream is the PNG's IDAT data ({} bytes, not {})",
        data.len(),
        idat(&logo).len()
    );
    let drawn = extracted(&pdf);
    assert_eq!(drawn[0].to_rgb8(), image::load_from_memory(&logo).unwrap().to_rgb8());
}

/// A picture whose rows differ, so a PNG encoder's adaptive filters use every filter.
fn busy(w: u32, h: u32) -> image::RgbImage {
    image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([
            ((x * 7) ^ (y * 3)) as u8,
            (x * y / 5) as u8,
            if (x / 9 + y / 4) % 2 == 0 { 30 } else { 220 },
        ])
    })
}

#[test]
fn gray_and_rgb_pictures_are_their_rows_and_others_are_decoded() {
    if !require_tools(&["pdfimages"]) {
        return;
    }
    let d = Dir::new();
    std::fs::create_dir_all(d.path("h/images")).unwrap();
    let rgb = image::DynamicImage::ImageRgb8(busy(123, 45));
    let gray = image::DynamicImage::ImageLuma8(rgb.to_luma8());
    let base = busy(40, 30);
    let see_through = image::DynamicImage::ImageRgba8(image::RgbaImage::from_fn(40, 30, |x, y| {
        let p = base.get_pixel(x, y).0;
        image::Rgba([p[0], p[1], p[2], (x * 6) as u8])
    }));
    let deep = image::DynamicImage::ImageRgb16(rgb.to_rgb16());
    for (file, img) in
        [("rgb.png", &rgb), ("gray.png", &gray), ("alpha.png", &see_through), ("deep.png", &deep)]
    {
        img.save(d.path(&format!("h/images/{file}"))).unwrap();
    }
    let blocks: String = ["rgb", "gray", "alpha", "deep"]
        .iter()
        .map(|f| format!("  - image:\n      file: images/{f}.png\n      alt: A {f} picture\n"))
        .collect();
    d.write("h/p.yaml", &format!("title: Pictures\nbody:\n{blocks}"));
    let o = d.run(&["build", "-q", "h/p.yaml", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pdf = d.path("out/p.en.pdf");
    let found = images(&pdf);
    let png = |f: &str| std::fs::read(d.path(&format!("h/images/{f}"))).unwrap();
    let find = |w: i64, space: &[u8], rows: bool| {
        found.iter().find(|(d, _)| {
            int(d, b"Width") == w && name(d, b"ColorSpace") == space && predictor(d).is_some() == rows
        })
    };
    // RGB and gray: the file's own rows.
    let (rgb_dict, rgb_data) = find(123, b"DeviceRGB", true).expect("rgb");
    assert_eq!(predictor(rgb_dict), Some((15, 3, 8, 123)));
    assert!(*rgb_data == idat(&png("rgb.png")));
    let (gray_dict, gray_data) = find(123, b"DeviceGray", true).expect("gray");
    assert_eq!(predictor(gray_dict), Some((15, 1, 8, 123)));
    assert!(*gray_data == idat(&png("gray.png")));
    // Alpha: decoded, with a soft mask; 16 bits: decoded to 8.
    let (alpha_dict, _) = find(40, b"DeviceRGB", false).expect("alpha");
    assert!(alpha_dict.get(b"SMask").is_ok());
    let (deep_dict, _) = find(123, b"DeviceRGB", false).expect("16-bit");
    assert_eq!(int(deep_dict, b"BitsPerComponent"), 8);
    // Every picture draws its file's pixels (pdfimages lists them in the order drawn:
    // each image, then its soft mask).
    let drawn = extracted(&pdf);
    assert_eq!(drawn.len(), 5);
    assert_eq!(drawn[0].to_rgb8(), rgb.to_rgb8());
    assert_eq!(drawn[1].to_luma8(), gray.to_luma8());
    assert_eq!(drawn[2].to_rgb8(), see_through.to_rgb8());
    assert_eq!(drawn[3].to_luma8(), image::GrayImage::from_fn(40, 30, |x, _| image::Luma([(x * 6) as u8])));
    assert_eq!(drawn[4].to_rgb8(), rgb.to_rgb8(), "16 bits to 8 keeps these samples");
}

#[test]
fn logos_without_alpha_are_their_rows_and_a_transparent_one_keeps_its_soft_mask() {
    let d = Dir::new();
    image::DynamicImage::ImageRgb8(busy(60, 20)).save(d.path("h/rgb.png")).unwrap();
    image::DynamicImage::ImageRgb8(busy(60, 20)).to_luma8().save(d.path("h/gray.png")).unwrap();
    let mut rgba = image::RgbaImage::from_pixel(60, 20, image::Rgba([20, 60, 120, 255]));
    rgba.put_pixel(0, 0, image::Rgba([0, 0, 0, 0]));
    rgba.save(d.path("h/rgba.png")).unwrap();
    d.write("h/x.yaml", "title: Logo\nbody:\n  - Some text.\n");
    for (logo, space, colors) in [
        ("rgb.png", "DeviceRGB", Some(3)),
        ("gray.png", "DeviceGray", Some(1)),
        ("rgba.png", "DeviceRGB", None),
    ] {
        d.write("h/contact.yaml", &format!("{CONTACT}logo: {logo}\n"));
        let out = format!("out-{logo}");
        let o = d.run(&["build", "-q", "h/x.yaml", "-o", &out]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let found = images(&d.path(&format!("{out}/x.en.pdf")));
        let image =
            found.iter().find(|(d, _)| int(d, b"Width") == 60 && d.get(b"SMask").is_ok() == colors.is_none());
        let (dict, data) = image.unwrap_or_else(|| panic!("{logo}: {found:#?}"));
        assert_eq!(name(dict, b"ColorSpace"), space.as_bytes(), "{logo}");
        assert_eq!(predictor(dict).map(|p| p.1), colors, "{logo}");
        if colors.is_some() {
            assert_eq!(found.len(), 1, "{logo}: no soft mask");
            assert!(*data == idat(&std::fs::read(d.path(&format!("h/{logo}"))).unwrap()), "{logo}");
        } else {
            assert_eq!(found.len(), 2, "{logo}: image and soft mask");
        }
    }
}

/// A PNG with right chunk CRCs around `rows` (zlib data of a `w`×`h` 8-bit RGB image).
fn png_around(w: u32, h: u32, rows: &[u8]) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut put = |kind: &[u8], body: &[u8]| {
        out.extend((body.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(body);
        out.extend(kind);
        out.extend(body);
        out.extend(crc.sum().to_be_bytes());
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend(h.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    put(b"IHDR", &ihdr);
    put(b"IDAT", rows);
    put(b"IEND", &[]);
    out
}

fn zlib(raw: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(raw).unwrap();
    z.finish().unwrap()
}

#[test]
fn rows_that_are_cut_short_or_badly_filtered_are_errors_at_their_place() {
    // 8×8 RGB: each row a filter byte and 24 samples.
    let rows = |filter: u8, n: usize| -> Vec<u8> {
        (0..n).flat_map(|_| [filter].into_iter().chain([90; 24])).collect()
    };
    let good = png_around(8, 8, &zlib(&rows(0, 8)));
    let full = zlib(&rows(0, 8));
    let broken: [(&str, Vec<u8>); 3] = [
        ("short.png", png_around(8, 8, &zlib(&rows(0, 5)))),
        ("cut.png", png_around(8, 8, &full[..full.len() / 2])),
        ("filter.png", png_around(8, 8, &zlib(&rows(9, 8)))),
    ];
    let d = Dir::new();
    std::fs::write(d.path("h/good.png"), &good).unwrap();
    d.write("h/x.yaml", "title: Logo\nbody:\n  - Some text.\n");
    for (file, bytes) in &broken {
        std::fs::write(d.path(&format!("h/{file}")), bytes).unwrap();
        std::fs::create_dir_all(d.path("h/images")).unwrap();
        std::fs::write(d.path(&format!("h/images/{file}")), bytes).unwrap();
        // As the logo: a configuration error at the contact profile's `logo:` value.
        d.write("h/contact.yaml", &format!("{CONTACT}logo: {file}\n"));
        let o = d.run(&["build", "h/x.yaml", "-o", "out"]);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let want = format!("h/contact.yaml:7:7: error: logo `h/{file}` is not a readable PNG or JPEG");
        assert!(stderr(&o).contains(&want), "{file}: want `{want}` in\n{}", stderr(&o));
        // As a picture: that document fails, at its `file:` value.
        d.write("h/contact.yaml", CONTACT);
        d.write(
            "h/p.yaml",
            &format!("title: P\nbody:\n  - image:\n      file: images/{file}\n      alt: Broken\n"),
        );
        let o = d.run(&["build", "h/p.yaml", "-o", "out"]);
        assert_eq!(o.status.code(), Some(1), "{file}: {}", stderr(&o));
        let want = format!("h/p.yaml:4:13: error: image `images/{file}` is not a readable PNG or JPEG");
        assert!(stderr(&o).contains(&want), "{file}: want `{want}` in\n{}", stderr(&o));
        assert!(!d.path("out/p.en.pdf").exists(), "{file}");
    }
    // The same file with its rows whole is fine.
    d.write("h/contact.yaml", &format!("{CONTACT}logo: good.png\n"));
    let o = d.run(&["build", "h/x.yaml", "-o", "out"]);
    assert!(o.status.success(), "{}", stderr(&o));
}
