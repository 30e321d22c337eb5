//! The pictures of `image:` blocks as PDF image XObjects. They were decoded and
//! compressed once for the run (`resolve::picture`); here their bytes are copied into
//! each document that shows them, once per document however often it shows them.

use lopdf::{Dictionary, Object, ObjectId, Stream};

use crate::resolve::picture::{Picture, Samples};

/// An image XObject dictionary without its filter.
fn image_dict(p: &Picture, gray: bool) -> Dictionary {
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(i64::from(p.width))),
        ("Height", Object::Integer(i64::from(p.height))),
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

/// Adds the picture (and its soft mask) to the document; returns the image's id.
pub fn add_to(lo: &mut super::file::PdfFile, p: &Picture) -> ObjectId {
    match &p.samples {
        Samples::Jpeg { bytes, gray } => lo.add_object(filtered(image_dict(p, *gray), "DCTDecode", bytes)),
        Samples::Flate { gray, data, alpha } => {
            let mut dict = image_dict(p, *gray);
            if let Some(alpha) = alpha {
                let mask = lo.add_object(filtered(image_dict(p, true), "FlateDecode", alpha));
                dict.set("SMask", mask);
            }
            lo.add_object(filtered(dict, "FlateDecode", data))
        }
    }
}
