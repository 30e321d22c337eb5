//! The logo as a PDF image, made once per run and copied into each document: an 8-bit
//! gray or RGB PNG without transparency as its own rows (`picture::rows_image`), any
//! other file decoded and compressed.

use lopdf::{Dictionary, Object, ObjectId, Stream};

/// The logo as PDF image streams: Flate-compressed gray or RGB, and its alpha as a soft
/// mask.
pub struct EncodedLogo {
    rgb: Stream,
    alpha: Option<Stream>,
}

impl EncodedLogo {
    /// The logo's image: a PNG's rows as they are, or a PNG or JPEG decoded (its size was
    /// checked when it was read).
    pub fn encode(image: &crate::resolve::LogoImage) -> Result<EncodedLogo, String> {
        match image {
            crate::resolve::LogoImage::Rows(rows) => {
                Ok(EncodedLogo { rgb: super::picture::rows_image(rows), alpha: None })
            }
            crate::resolve::LogoImage::File(bytes) => EncodedLogo::decode(bytes),
        }
    }

    /// Decodes a PNG or JPEG logo.
    fn decode(bytes: &[u8]) -> Result<EncodedLogo, String> {
        let decoded = image::load_from_memory(bytes).map_err(|e| e.to_string())?;
        let (width, height) = (decoded.width(), decoded.height());
        // A logo without an alpha channel (most) is taken as RGB as decoded, without an
        // RGBA copy and a mask to split off (a third of a one-document run's heap).
        let (rgb, alpha) = if decoded.color().has_alpha() {
            let img = decoded.into_rgba8();
            let mut rgb = Vec::with_capacity((width * height * 3) as usize);
            let mut alpha = Vec::with_capacity((width * height) as usize);
            for p in img.pixels() {
                rgb.extend_from_slice(&p.0[..3]);
                alpha.push(p.0[3]);
            }
            (rgb, alpha)
        } else {
            (decoded.into_rgb8().into_raw(), Vec::new())
        };
        let opaque = alpha.iter().all(|&a| a == 255);
        // Logos are line art: compressed losslessly (Flate), never as JPEG.
        let image = |color: &str, data: &[u8]| -> Result<Stream, String> {
            let dict = Dictionary::from_iter(vec![
                ("Type", Object::Name(b"XObject".to_vec())),
                ("Subtype", Object::Name(b"Image".to_vec())),
                ("Width", Object::Integer(i64::from(width))),
                ("Height", Object::Integer(i64::from(height))),
                ("ColorSpace", Object::Name(color.as_bytes().to_vec())),
                ("BitsPerComponent", Object::Integer(8)),
                ("Filter", Object::Name(b"FlateDecode".to_vec())),
            ]);
            let data = super::deflate(data, super::Effort::Once).ok_or("cannot compress the image")?;
            Ok(Stream::new(dict, data))
        };
        Ok(EncodedLogo {
            rgb: image("DeviceRGB", &rgb)?,
            alpha: if opaque { None } else { Some(image("DeviceGray", &alpha)?) },
        })
    }

    /// Adds the image (and its soft mask) to the document; returns the image's id.
    pub fn add_to(&self, lo: &mut super::file::PdfFile) -> ObjectId {
        let mut rgb = self.rgb.clone();
        if let Some(alpha) = &self.alpha {
            let mask = lo.add_object(alpha.clone());
            rgb.dict.set("SMask", mask);
        }
        lo.add_object(rgb)
    }
}
