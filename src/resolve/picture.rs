//! The pictures of `image:` blocks: read, checked, decoded and compressed once per run
//! per file, whatever the number of documents, rows and languages that show them.
//!
//! A file is known by its canonical path, so `images/a.png` in one handout and
//! `./images/../images/a.png` in another are one picture. Before anything is decoded, the
//! file must be a regular file of at most [`MAX_PICTURE_BYTES`] whose header says PNG or
//! JPEG with at most [`MAX_PICTURE_PIXELS`] (the same caps as the logo); then it is
//! decoded once, which finds a corrupt file for `check` as well as for `build`. What is
//! kept for the run is compressed, never the decoded pixels: a JPEG's own bytes (the PDF
//! embeds them as they are, DCTDecode), an 8-bit gray or RGB PNG's own compressed rows
//! (checked row by row without being decoded, see [`super::png`]), or any other PNG's
//! samples zlib-compressed (FlateDecode), with its transparency as a separate soft mask.
//! A problem is remembered too, and reported at the `file:` value of every document that
//! uses the picture.
//!
//! Knows nothing of PDF objects or pages: the PDF writer copies these bytes into each
//! document that shows the picture.

use std::collections::HashMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use image::{DynamicImage, ImageDecoder, ImageFormat};

use crate::diag::{Diagnostic, Span};

/// Largest picture file read: a picture printed on a handout needs a few hundred KB.
pub const MAX_PICTURE_BYTES: u64 = super::MAX_LOGO_BYTES;
/// Most pixels a picture may have, from its header, before decoding: 16 megapixels
/// (4000 × 4000) is more than a full-width picture needs at 600 dpi and decodes to at
/// most 64 MB.
pub const MAX_PICTURE_PIXELS: u64 = super::MAX_LOGO_PIXELS;
/// JPEG quality for a photo that must be turned upright (its EXIF orientation) and so
/// cannot be embedded as it is.
const REENCODE_QUALITY: u8 = 90;

/// A decoded and compressed picture, ready for the PDF writer.
#[derive(Debug)]
pub struct Picture {
    /// The file's canonical path (what the run's cache is keyed by).
    pub path: PathBuf,
    /// Width in pixels, upright.
    pub width: u32,
    /// Height in pixels, upright.
    pub height: u32,
    /// The samples, compressed.
    pub samples: Samples,
}

/// Two pictures of one run are the same picture when they come from the same file.
impl PartialEq for Picture {
    fn eq(&self, other: &Self) -> bool {
        self.path == other.path
    }
}

/// A picture's samples in the form a PDF image stream holds them.
#[derive(Debug)]
pub enum Samples {
    /// JPEG data (baseline or progressive, 8 bits, gray or colour), embedded with the
    /// DCTDecode filter: a photo is never decoded and compressed again.
    Jpeg {
        /// The JPEG bytes.
        bytes: Vec<u8>,
        /// One component (gray) rather than three.
        gray: bool,
    },
    /// zlib-compressed 8-bit samples, embedded with the FlateDecode filter (lossless, for
    /// drawings and screenshots).
    Flate {
        /// One sample per pixel (gray) rather than three (RGB).
        gray: bool,
        /// The compressed samples, row by row.
        data: Vec<u8>,
        /// The compressed alpha samples (a soft mask), when any pixel is not opaque.
        alpha: Option<Vec<u8>>,
    },
    /// An 8-bit gray or RGB PNG without transparency: its own compressed rows, embedded
    /// with the FlateDecode filter and the PNG predictors, never decoded (see
    /// [`super::png`]).
    Rows(super::png::PngRows),
}

/// Why a picture cannot be used: what is wrong (after "image `FILE` ") and what to do.
#[derive(Clone, Debug)]
struct Refusal {
    what: String,
    hint: &'static str,
}

const SMALLER: &str =
    "save it smaller: a picture printed on a handout needs at most about 2,000 pixels across";
const EXPORT: &str = "open it in an image editor and save it again as PNG (drawings) or JPEG (photos)";

/// One file's outcome, decided by the first document that needs it.
type Slot = OnceLock<Result<Arc<Picture>, Refusal>>;

/// The run's pictures, keyed by canonical path. Shared by every document of a run (and
/// by the threads that make them): the first document that needs a file decodes it, the
/// others wait for it and share the result.
#[derive(Default)]
pub struct Pictures {
    files: Mutex<HashMap<PathBuf, Arc<Slot>>>,
    decoded: AtomicUsize,
}

impl Pictures {
    /// The picture in `path` (`written` is the path as the handout gives it, for
    /// messages); a problem is an error at `span` with a hint.
    pub fn load(&self, path: &Path, written: &str, span: &Span) -> Result<Arc<Picture>, Diagnostic> {
        let refuse = |what: String, hint: &str| {
            Diagnostic::error(format!("image `{written}` {what}")).at(span.clone()).hint(hint.to_string())
        };
        let folder = path.parent().map_or_else(String::new, |f| f.display().to_string());
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut d = refuse(
                    "does not exist".into(),
                    &format!(
                        "the path is relative to the handout's file; there is no such file in `{folder}` (names are case-sensitive)"
                    ),
                );
                if written.contains('\\') {
                    d = d.hint("write `/` between folders, also on Windows: `images/leg-raise.png`");
                }
                return Err(d);
            }
            Err(e) => return Err(refuse(format!("cannot be read: {e}"), "check the file's permissions")),
            Ok(m) if !m.is_file() => {
                return Err(refuse("is not a regular file".into(), "give the path of a PNG or JPEG file"))
            }
            Ok(_) => {}
        }
        let key = std::fs::canonicalize(path)
            .map_err(|e| refuse(format!("cannot be read: {e}"), "check the file's permissions"))?;
        let cell = {
            // A poisoned lock only means another document panicked; the map is still whole.
            let mut files = self.files.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            files.entry(key.clone()).or_default().clone()
        };
        cell.get_or_init(|| {
            self.decoded.fetch_add(1, Ordering::Relaxed);
            decode(&key, "pictures").map(Arc::new)
        })
        .clone()
        .map_err(|r| refuse(r.what, r.hint))
    }

    /// How many files this run has read and decoded (each at most once).
    pub fn decoded(&self) -> usize {
        self.decoded.load(Ordering::Relaxed)
    }
}

/// Why an image file cannot be used: what is wrong (to follow "image `FILE` " or
/// "logo `FILE` "), and whether the file is too large (else it is not a usable PNG/JPEG).
pub struct Unusable {
    pub what: String,
    pub too_large: bool,
}

/// The logo in `path`, read, checked and compressed like a picture (see the module's
/// doc): the contact profile's logo and the pictures of `image:` blocks are one kind of
/// file to the PDF.
pub fn read_logo(path: &Path) -> Result<Picture, Unusable> {
    decode(path, "logos").map_err(|r| Unusable { too_large: r.hint == SMALLER, what: r.what })
}

/// Reads, checks, decodes and compresses one file; `kinds` names what it is in messages
/// ("pictures over 16 megapixels are refused").
fn decode(path: &Path, kinds: &str) -> Result<Picture, Refusal> {
    let unreadable = |e: std::io::Error| Refusal {
        what: format!("cannot be read: {e}"),
        hint: "check the file's permissions",
    };
    let len = std::fs::metadata(path).map_err(unreadable)?.len();
    if len > MAX_PICTURE_BYTES {
        return Err(Refusal {
            what: format!("is {} MiB; {kinds} over {} MiB are refused", len >> 20, MAX_PICTURE_BYTES >> 20),
            hint: SMALLER,
        });
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    // The file may have grown since it was measured.
    if bytes.len() as u64 > MAX_PICTURE_BYTES {
        return Err(Refusal { what: "grew past the size limit while it was read".into(), hint: SMALLER });
    }
    let corrupt =
        |e: image::ImageError| Refusal { what: format!("is not a readable PNG or JPEG: {e}"), hint: EXPORT };
    let mut reader = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| corrupt(e.into()))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Some(other) => {
            return Err(Refusal {
                what: format!(
                    "is a {} file; only PNG and JPEG are supported",
                    other.extensions_str()[0].to_uppercase()
                ),
                hint: EXPORT,
            })
        }
        None => return Err(Refusal { what: "is not a PNG or JPEG file".into(), hint: EXPORT }),
    };
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(4 * MAX_PICTURE_PIXELS + (1 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(corrupt)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PICTURE_PIXELS {
        return Err(Refusal {
            what: format!(
                "is {width}×{height} pixels; {kinds} over {} megapixels are refused",
                MAX_PICTURE_PIXELS / 1_000_000
            ),
            hint: SMALLER,
        });
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let upright = orientation == image::metadata::Orientation::NoTransforms;
    if format == ImageFormat::Png && upright {
        if let Some(rows) = super::png::embeddable(&bytes) {
            return Ok(Picture { path: path.to_path_buf(), width, height, samples: Samples::Rows(rows) });
        }
    }
    let mut img = DynamicImage::from_decoder(decoder).map_err(corrupt)?;
    img.apply_orientation(orientation);
    let (width, height) = (img.width(), img.height());
    if width == 0 || height == 0 {
        return Err(Refusal { what: "has no pixels".into(), hint: EXPORT });
    }
    let gray = !img.color().has_color();
    let samples = if format == ImageFormat::Jpeg {
        match jpeg_frame(&bytes) {
            // Embedded as it is: what PDF readers decode (DCTDecode) and already upright.
            Some(frame) if upright && frame.embeddable() => {
                Samples::Jpeg { bytes, gray: frame.components == 1 }
            }
            // CMYK, 12-bit, lossless or arithmetic-coded JPEG, or one to turn upright.
            _ => reencode(&img, gray)?,
        }
    } else {
        flate(&img, gray)?
    };
    Ok(Picture { path: path.to_path_buf(), width, height, samples })
}

/// A decoded JPEG as a new JPEG (gray or RGB).
fn reencode(img: &DynamicImage, gray: bool) -> Result<Samples, Refusal> {
    let mut out = Vec::new();
    let mut enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, REENCODE_QUALITY);
    let done = if gray { enc.encode_image(&img.to_luma8()) } else { enc.encode_image(&img.to_rgb8()) };
    done.map_err(|e| Refusal { what: format!("cannot be converted: {e}"), hint: EXPORT })?;
    Ok(Samples::Jpeg { bytes: out, gray })
}

/// A decoded picture as zlib-compressed 8-bit samples and, when not opaque, alpha.
fn flate(img: &DynamicImage, gray: bool) -> Result<Samples, Refusal> {
    let (data, alpha) = if gray {
        let la = img.to_luma_alpha8();
        let (v, a): (Vec<u8>, Vec<u8>) = la.pixels().map(|p| (p.0[0], p.0[1])).unzip();
        (v, a)
    } else {
        let rgba = img.to_rgba8();
        let mut rgb = Vec::with_capacity(rgba.len() / 4 * 3);
        let mut a = Vec::with_capacity(rgba.len() / 4);
        for p in rgba.pixels() {
            rgb.extend_from_slice(&p.0[..3]);
            a.push(p.0[3]);
        }
        (rgb, a)
    };
    let opaque = alpha.iter().all(|&a| a == 255);
    let failed = |e: std::io::Error| Refusal { what: format!("cannot be compressed: {e}"), hint: EXPORT };
    Ok(Samples::Flate {
        gray,
        data: zlib(&data).map_err(failed)?,
        alpha: if opaque { None } else { Some(zlib(&alpha).map_err(failed)?) },
    })
}

fn zlib(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut z =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(bytes.len() / 4), flate2::Compression::default());
    z.write_all(bytes)?;
    z.finish()
}

/// What a JPEG's frame header says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct JpegFrame {
    /// The start-of-frame marker (0xC0 baseline, 0xC1 extended, 0xC2 progressive, …).
    marker: u8,
    /// Bits per sample.
    precision: u8,
    /// Colour components: 1 gray, 3 YCbCr or RGB, 4 CMYK.
    components: u8,
}

impl JpegFrame {
    /// Returns true if and only if PDF readers decode this JPEG as it is: Huffman-coded
    /// baseline, extended or progressive, 8 bits, gray or three components (CMYK JPEGs
    /// differ between writers in whether they are inverted, so they are converted).
    fn embeddable(self) -> bool {
        matches!(self.marker, 0xC0..=0xC2) && self.precision == 8 && matches!(self.components, 1 | 3)
    }
}

/// The frame header of a JPEG, from its markers (`None` if there is none before the scan).
fn jpeg_frame(bytes: &[u8]) -> Option<JpegFrame> {
    if bytes.get(..2)? != [0xFF, 0xD8] {
        return None;
    }
    let mut i = 2;
    loop {
        if *bytes.get(i)? != 0xFF {
            return None;
        }
        // Fill bytes before a marker.
        while *bytes.get(i + 1)? == 0xFF {
            i += 1;
        }
        let marker = *bytes.get(i + 1)?;
        i += 2;
        if marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            continue;
        }
        let len = usize::from(u16::from_be_bytes([*bytes.get(i)?, *bytes.get(i + 1)?]));
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                return Some(JpegFrame {
                    marker,
                    precision: *bytes.get(i + 2)?,
                    components: *bytes.get(i + 7)?,
                })
            }
            0xDA | 0xD9 => return None,
            _ => i += len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(dir: &Path, name: &str, img: &DynamicImage) -> PathBuf {
        let p = dir.join(name);
        img.save_with_format(&p, ImageFormat::Png).unwrap();
        p
    }

    #[test]
    fn a_file_is_decoded_once_however_often_and_however_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("images")).unwrap();
        let p = png(&dir.path().join("images"), "a.png", &DynamicImage::new_rgb8(30, 20));
        let pictures = Pictures::default();
        let span = Span::new("h.yaml", 3, 13);
        let a = pictures.load(&p, "images/a.png", &span).unwrap();
        let other_name = dir.path().join("images/../images/./a.png");
        let b = pictures.load(&other_name, "images/../images/./a.png", &span).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(pictures.decoded(), 1);
        assert_eq!((a.width, a.height), (30, 20));
        assert!(matches!(&a.samples, Samples::Rows(r) if !r.gray && (r.width, r.height) == (30, 20)));
    }

    #[test]
    fn a_refusal_is_remembered_and_placed_at_each_use() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.png");
        std::fs::write(&p, b"\x89PNG\r\n\x1a\nnot really").unwrap();
        let pictures = Pictures::default();
        for line in [4, 9] {
            let e = pictures.load(&p, "bad.png", &Span::new("h.yaml", line, 13)).unwrap_err();
            assert!(e.message.contains("image `bad.png` is not a readable PNG or JPEG"), "{}", e.message);
            assert_eq!(e.span.as_ref().map(|s| s.line), Some(line));
        }
        assert_eq!(pictures.decoded(), 1);
    }

    #[test]
    fn transparency_becomes_a_soft_mask_and_gray_stays_gray() {
        let dir = tempfile::tempdir().unwrap();
        let mut img = image::RgbaImage::new(4, 4);
        img.put_pixel(1, 1, image::Rgba([255, 0, 0, 128]));
        let p = png(dir.path(), "t.png", &DynamicImage::ImageRgba8(img));
        let g = png(dir.path(), "g.png", &DynamicImage::new_luma8(5, 5));
        let pictures = Pictures::default();
        let span = Span::new("h.yaml", 1, 1);
        assert!(matches!(
            pictures.load(&p, "t.png", &span).unwrap().samples,
            Samples::Flate { gray: false, alpha: Some(_), .. }
        ));
        assert!(matches!(&pictures.load(&g, "g.png", &span).unwrap().samples, Samples::Rows(r) if r.gray));
        // A 16-bit gray PNG is decoded to 8 bits and compressed again.
        let deep = png(dir.path(), "d.png", &DynamicImage::new_luma16(5, 5));
        assert!(matches!(
            pictures.load(&deep, "d.png", &span).unwrap().samples,
            Samples::Flate { gray: true, alpha: None, .. }
        ));
    }

    #[test]
    fn a_jpeg_is_kept_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("photo.jpg");
        DynamicImage::new_rgb8(16, 8).save_with_format(&p, ImageFormat::Jpeg).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        assert_eq!(jpeg_frame(&bytes).map(|f| (f.marker, f.precision, f.components)), Some((0xC0, 8, 3)));
        let pic = Pictures::default().load(&p, "photo.jpg", &Span::new("h.yaml", 1, 1)).unwrap();
        match &pic.samples {
            Samples::Jpeg { bytes: kept, gray: false } => assert_eq!(kept, &bytes),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_jpeg_to_turn_upright_is_turned_and_encoded_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut plain = Vec::new();
        DynamicImage::new_rgb8(16, 8)
            .write_to(&mut std::io::Cursor::new(&mut plain), ImageFormat::Jpeg)
            .unwrap();
        // An Exif segment right after the start marker: orientation 6 (turn 90° clockwise).
        let tiff: &[u8] = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00";
        let mut app1 = b"Exif\x00\x00".to_vec();
        app1.extend_from_slice(tiff);
        let mut bytes = plain[..2].to_vec();
        bytes.extend_from_slice(&[0xFF, 0xE1]);
        bytes.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
        bytes.extend_from_slice(&app1);
        bytes.extend_from_slice(&plain[2..]);
        let p = dir.path().join("turned.jpg");
        std::fs::write(&p, &bytes).unwrap();
        let pic = Pictures::default().load(&p, "turned.jpg", &Span::new("h.yaml", 1, 1)).unwrap();
        assert_eq!((pic.width, pic.height), (8, 16), "upright");
        match &pic.samples {
            Samples::Jpeg { bytes: kept, gray: false } => {
                assert_ne!(kept, &bytes);
                assert_eq!(image::load_from_memory(kept).unwrap().width(), 8);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn other_formats_and_huge_headers_are_refused_before_decoding() {
        let dir = tempfile::tempdir().unwrap();
        let gif = dir.path().join("a.gif");
        std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00\x00\x00\x00;").unwrap();
        let span = Span::new("h.yaml", 1, 1);
        let e = Pictures::default().load(&gif, "a.gif", &span).unwrap_err();
        assert!(e.message.contains("is a GIF file; only PNG and JPEG"), "{}", e.message);
        // A PNG claiming 20000 × 20000 pixels, with almost no data: refused from the header
        // alone (decoding it would need 1.2 GB).
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        }
        let mut huge = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend_from_slice(&20000u32.to_be_bytes());
        ihdr.extend_from_slice(&20000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        chunk(&mut huge, b"IHDR", &ihdr);
        chunk(&mut huge, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
        chunk(&mut huge, b"IEND", &[]);
        let p = dir.path().join("huge.png");
        std::fs::write(&p, &huge).unwrap();
        let e = Pictures::default().load(&p, "huge.png", &span).unwrap_err();
        assert!(e.message.contains("is 20000×20000 pixels"), "{}", e.message);
        let e = Pictures::default().load(dir.path(), "dir", &span).unwrap_err();
        assert!(e.message.contains("is not a regular file"), "{}", e.message);
    }
}
