//! The pictures of `image:` blocks as PDF image XObjects. They were read (and, unless
//! the PDF takes the file's own compressed data, decoded and compressed) once for the
//! run (`resolve::picture`); here their bytes are copied into each document that shows
//! them, once per document however often it shows them.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::resolve::picture::{Picture, Samples};
use crate::resolve::png::PngRows;

/// An 8-bit gray or RGB image XObject dictionary without its filter.
fn dict(width: u32, height: u32, gray: bool) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(width))),
        ("Height", Object::Integer(i64::from(height))),
        ("ColorSpace", Object::Name(if gray { b"DeviceGray".to_vec() } else { b"DeviceRGB".to_vec() })),
        ("BitsPerComponent", Object::Integer(8)),
    ])
}

/// A stream whose data is already compressed with `filter` (the writer leaves it alone).
fn filtered(mut dict: Dictionary, filter: &str, data: &[u8]) -> Stream {
    dict.set("Filter", Object::Name(filter.as_bytes().to_vec()));
    let mut s = Stream::new(dict, data.to_vec());
    s.allows_compression = false;
    s
}

/// A PNG's rows as an image stream: its IDAT data as they are, which FlateDecode with the
/// PNG predictors (`/Predictor 15`: each row says its filter) turns back into samples.
pub fn rows_image(rows: &PngRows) -> Stream {
    let mut d = dict(rows.width, rows.height, rows.gray);
    d.set(
        "DecodeParms",
        Dictionary::from_iter(vec![
            ("Predictor", Object::Integer(15)),
            ("Colors", Object::Integer(i64::from(rows.colors()))),
            ("BitsPerComponent", Object::Integer(8)),
            ("Columns", Object::Integer(i64::from(rows.width))),
        ]),
    );
    filtered(d, "FlateDecode", &rows.data)
}

/// Adds the picture (and its soft mask) to the document; returns the image's id.
pub fn add_to(lo: &mut super::file::PdfFile, p: &Picture) -> ObjectId {
    match &p.samples {
        Samples::Jpeg { bytes, gray } => {
            lo.add_object(filtered(dict(p.width, p.height, *gray), "DCTDecode", bytes))
        }
        Samples::Flate { gray, data, alpha } => {
            let mut image = dict(p.width, p.height, *gray);
            if let Some(alpha) = alpha {
                let mask = lo.add_object(filtered(dict(p.width, p.height, true), "FlateDecode", alpha));
                image.set("SMask", mask);
            }
            lo.add_object(filtered(image, "FlateDecode", data))
        }
        Samples::Rows(rows) => lo.add_object(rows_image(rows)),
    }
}
