//! PDF: pages of positioned items → PDF bytes. The only module that imports printpdf
//! and lopdf.
//!
//! printpdf writes the content streams and embeds subsetted fonts; the document-level
//! parts (Info, XMP metadata, `/Lang`, viewer preferences, outline, link alternate text,
//! content-derived `/ID`) are set on the lopdf document afterwards (see `meta`), so every
//! byte of the output is a function of the input (SPEC §5 "Reproducible").

mod encoding;
mod meta;
mod tags;
mod text;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use printpdf::{
    Actions, BorderArray, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfPage, PdfSaveOptions, Pt, Rect,
    XObject, XObjectId, XObjectTransform,
};

use crate::diag::Diagnostic;
use crate::layout::{Color, Item, Pages, Tag};
use crate::resolve::{Document, Meta};
use crate::text::{FontBook, FontId};

pub use meta::{creation_date, DateError};

/// Options that change the bytes of the PDF other than the content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// Seconds since the epoch for CreationDate/ModDate (`SOURCE_DATE_EPOCH`); no dates
    /// are written without it, so output stays byte-identical run to run.
    pub date: Option<i64>,
}

/// Work shared by every document of a batch: fonts parsed for embedding (parsing a face
/// for printpdf costs more than laying out a page) and the logo, decoded and compressed
/// once.
#[derive(Default)]
pub struct Cache {
    parsed: Mutex<BTreeMap<FontId, Arc<ParsedFont>>>,
    logo: std::sync::OnceLock<Result<Arc<EncodedLogo>, String>>,
}

/// The logo as PDF image streams: Flate-compressed RGB, and its alpha as a soft mask.
pub struct EncodedLogo {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing into a Vec cannot fail.
    let _ = z.write_all(bytes);
    z.finish().unwrap_or_default()
}

impl EncodedLogo {
    fn encode(bytes: &[u8]) -> Result<EncodedLogo, String> {
        let img = image::load_from_memory(bytes).map_err(|e| e.to_string())?.to_rgba8();
        let (width, height) = img.dimensions();
        let mut rgb = Vec::with_capacity((width * height * 3) as usize);
        let mut alpha = Vec::with_capacity((width * height) as usize);
        for p in img.pixels() {
            rgb.extend_from_slice(&p.0[..3]);
            alpha.push(p.0[3]);
        }
        let opaque = alpha.iter().all(|&a| a == 255);
        Ok(EncodedLogo { width, height, rgb: deflate(&rgb), alpha: (!opaque).then(|| deflate(&alpha)) })
    }

    /// The image XObject, pre-compressed so printpdf and lopdf pass it through.
    fn xobject(&self) -> XObject {
        use printpdf::{DictItem, ExternalStream, ExternalXObject};
        let image_dict = |color: &str, data: Vec<u8>| {
            let mut dict = BTreeMap::new();
            dict.insert("Type".to_string(), DictItem::Name(b"XObject".to_vec()));
            dict.insert("Subtype".to_string(), DictItem::Name(b"Image".to_vec()));
            dict.insert("Width".to_string(), DictItem::Int(i64::from(self.width)));
            dict.insert("Height".to_string(), DictItem::Int(i64::from(self.height)));
            dict.insert("ColorSpace".to_string(), DictItem::Name(color.as_bytes().to_vec()));
            dict.insert("BitsPerComponent".to_string(), DictItem::Int(8));
            dict.insert("Filter".to_string(), DictItem::Name(b"FlateDecode".to_vec()));
            ExternalStream { dict, content: data, compress: false }
        };
        let mut stream = image_dict("DeviceRGB", self.rgb.clone());
        if let Some(a) = &self.alpha {
            stream.dict.insert(
                "SMask".to_string(),
                DictItem::Stream { stream: image_dict("DeviceGray", a.clone()) },
            );
        }
        XObject::External(ExternalXObject {
            stream,
            width: Some(printpdf::Px(self.width as usize)),
            height: Some(printpdf::Px(self.height as usize)),
            dpi: Some(72.0),
        })
    }
}

impl Cache {
    fn logo(&self, logo: &crate::resolve::Logo) -> Result<Arc<EncodedLogo>, Diagnostic> {
        self.logo
            .get_or_init(|| EncodedLogo::encode(&logo.bytes).map(Arc::new))
            .clone()
            .map_err(|e| Diagnostic::error(format!("cannot embed logo `{}`: {e}", logo.path.display())))
    }

    fn get(&self, id: FontId, book: &FontBook) -> Result<Arc<ParsedFont>, Diagnostic> {
        if let Some(p) = self.parsed.lock().map_err(|_| Diagnostic::error("font cache poisoned"))?.get(&id) {
            return Ok(p.clone());
        }
        let face = book.get(id);
        let mut warnings = Vec::new();
        let parsed =
            ParsedFont::from_bytes(face.data, face.index as usize, &mut warnings).ok_or_else(|| {
                Diagnostic::error(format!("cannot embed font `{}`", face.path.display()))
                    .hint("replace the font file with a good TrueType/OpenType copy")
            })?;
        let parsed = Arc::new(parsed);
        self.parsed.lock().map_err(|_| Diagnostic::error("font cache poisoned"))?.insert(id, parsed.clone());
        Ok(parsed)
    }
}

/// Flate-compresses every stream that may be and is not yet, at zlib's default level.
/// lopdf's own `compress` uses the best (slowest) level: it took a quarter of the time
/// of a whole document for a few hundred bytes less.
fn compress(lo: &mut lopdf::Document) {
    for object in lo.objects.values_mut() {
        if let lopdf::Object::Stream(stream) = object {
            if !stream.allows_compression || stream.dict.get(b"Filter").is_ok() {
                continue;
            }
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            let compressed = std::io::Write::write_all(&mut z, &stream.content).and_then(|()| z.finish());
            if let Ok(c) = compressed {
                if c.len() + 19 < stream.content.len() {
                    stream.dict.set("Filter", "FlateDecode");
                    stream.set_content(c);
                }
            }
        }
    }
}

fn rgb(c: Color) -> printpdf::Color {
    printpdf::Color::Rgb(printpdf::Rgb { r: c.0, g: c.1, b: c.2, icc_profile: None })
}

/// The resource name of a font: six capital letters derived from the face and the
/// glyphs it shows (the subset tag, as PDF wants it), then the face index so two faces
/// never share a name.
fn font_name(book: &FontBook, id: FontId, glyphs: &std::collections::BTreeSet<u16>) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(book.get(id).postscript_name.as_bytes());
    for g in glyphs {
        h.update(g.to_be_bytes());
    }
    let d = h.finalize();
    let tag: String = d.iter().take(6).map(|b| char::from(b'A' + b % 26)).collect();
    format!("{tag}{}", id.0)
}

/// The link schemes written as link annotations. Anything else (`javascript:`, `file:`,
/// relative paths) could run code or open local files in a reader; the model refuses
/// them with the source position, and the writer refuses them again as a last defence.
const LINK_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

fn check_link(target: &str) -> Result<(), Diagnostic> {
    let scheme = target.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
    if scheme.as_deref().is_some_and(|s| LINK_SCHEMES.contains(&s)) {
        return Ok(());
    }
    let shown: String = target.chars().filter(|c| !c.is_control()).take(80).collect();
    Err(Diagnostic::error(format!("link target `{shown}` is not allowed in a PDF"))
        .hint("links must start with https:, http:, mailto: or tel:"))
}

/// Writes laid-out pages as PDF bytes.
pub fn write(
    pages: &Pages,
    doc: &Document,
    book: &FontBook,
    cache: &Cache,
    options: &PdfOptions,
) -> Result<Vec<u8>, Diagnostic> {
    let meta: &Meta = &doc.meta;
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Link { target, .. } = item {
                check_link(target)?;
            }
        }
    }
    let mut pdf = PdfDocument::new(&meta.title);
    // Fonts actually used, parsed, with their space glyph (drawn at line breaks).
    let mut parsed_fonts = BTreeMap::new();
    let mut spaces: BTreeMap<FontId, Option<u16>> = BTreeMap::new();
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Text { run, .. } = item {
                if let std::collections::btree_map::Entry::Vacant(e) = parsed_fonts.entry(run.font) {
                    let parsed = cache.get(run.font, book)?;
                    spaces.insert(run.font, parsed.lookup_glyph_index(u32::from(' ')));
                    e.insert(parsed);
                }
            }
        }
    }
    let encoding = encoding::Encoding::new(
        pages,
        |f, c| parsed_fonts.get(&f).and_then(|p| p.lookup_glyph_index(u32::from(c))),
        |f| spaces.get(&f).copied().flatten(),
    );
    // One font resource per font variant (see `encoding`), named after the glyphs it shows.
    let mut names: BTreeMap<FontId, Vec<printpdf::FontId>> = BTreeMap::new();
    for ((id, variant), glyphs) in encoding.used() {
        let mut name = font_name(book, *id, glyphs);
        if *variant > 0 {
            name.push_str(&format!("v{variant}"));
        }
        let name = printpdf::FontId(name);
        pdf.resources.fonts.map.insert(name.clone(), PdfFont::new((*parsed_fonts[id]).clone()));
        let list = names.entry(*id).or_default();
        // Variants are numbered densely, so the list index is the variant.
        list.resize(*variant + 1, name.clone());
        list[*variant] = name;
    }
    let logo_id = XObjectId("Logo".to_string());
    let mut logo_px = (1.0, 1.0);
    if let Some(logo) = &doc.logo {
        let encoded = cache.logo(logo)?;
        logo_px = (encoded.width as f32, encoded.height as f32);
        pdf.resources.xobjects.map.insert(logo_id.clone(), encoded.xobject());
    }
    let h = pages.height;
    let mut marks = tags::Marks::default();
    let mut links_per_page = Vec::with_capacity(pages.pages.len());
    let mut pdf_pages = Vec::with_capacity(pages.pages.len());
    for page in &pages.pages {
        let mut ops = Vec::new();
        let mut links = Vec::new();
        let mut mcids: Vec<usize> = Vec::new();
        let mut annots = Vec::new();
        let mut open: Option<Tag> = None;
        for item in &page.items {
            // Every drawn item is either tagged content (a marked-content sequence with
            // an MCID that the structure tree points at) or an artifact.
            let tag = match item {
                Item::Text { tag, .. } | Item::Image { tag, .. } => Some(*tag),
                Item::Fill { .. } => Some(Tag::Artifact),
                Item::Link { .. } => None,
            };
            // Consecutive items of one structure node (the runs of a line) or artifacts
            // share one marked-content sequence: one per glyph run cost about 1 KB of
            // operators each (its MCID dictionary), most of a large document's memory.
            if tag != open || tag.is_none() {
                if open.take().is_some() {
                    ops.push(Op::EndMarkedContent);
                }
                match tag {
                    Some(Tag::Node(n)) => {
                        let mut props = BTreeMap::new();
                        props.insert("MCID".to_string(), printpdf::DictItem::Int(mcids.len() as i64));
                        mcids.push(n);
                        ops.push(Op::BeginMarkedContentWithProperties {
                            tag: tags::structure_type(pages.nodes[n].role).to_string(),
                            properties: printpdf::DictItem::Dict { map: props },
                        });
                    }
                    Some(Tag::Artifact) => ops.push(Op::BeginMarkedContent { tag: "Artifact".to_string() }),
                    None => {}
                }
                open = tag;
            }
            match item {
                Item::Text { x, y, run, color, .. } => {
                    let cx = text::RunContext {
                        fonts: names.get(&run.font).map_or(&[][..], Vec::as_slice),
                        encoding: &encoding,
                        space: spaces.get(&run.font).copied().flatten(),
                    };
                    text::text_ops(&mut ops, run, *x, h - *y, *color, &cx);
                }
                Item::Fill { x, y, w, h: rh, color } => {
                    ops.push(Op::SetFillColor { col: rgb(*color) });
                    ops.push(Op::DrawRectangle {
                        rectangle: Rect {
                            mode: Some(PaintMode::Fill),
                            ..Rect::from_xywh(Pt(*x), Pt(h - *y - *rh), Pt(*w), Pt(*rh))
                        },
                    });
                }
                Item::Link { x, y, w, h: lh, target, alt, node } => {
                    let rect = Rect::from_xywh(Pt(*x), Pt(h - *y - *lh), Pt(*w), Pt(*lh));
                    ops.push(Op::LinkAnnotation {
                        link: printpdf::LinkAnnotation::new(
                            rect,
                            Actions::Uri(target.clone()),
                            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                            None,
                            None,
                        ),
                    });
                    links.push(alt.clone());
                    annots.push((*node, alt.clone()));
                }
                Item::Image { x, y, w, h: ih, .. } => {
                    ops.push(Op::UseXobject {
                        id: logo_id.clone(),
                        transform: XObjectTransform {
                            translate_x: Some(Pt(*x)),
                            translate_y: Some(Pt(h - *y - *ih)),
                            scale_x: Some(*w / logo_px.0),
                            scale_y: Some(*ih / logo_px.1),
                            dpi: Some(72.0),
                            rotate: None,
                            ..XObjectTransform::default()
                        },
                    });
                }
            }
        }
        if open.is_some() {
            ops.push(Op::EndMarkedContent);
        }
        marks.content.push(mcids);
        marks.annotations.push(annots);
        links_per_page.push(links);
        // Set the boxes in points directly: a round trip through millimetres would make
        // Letter 792.001 pt tall.
        let page_box = Rect::from_wh(Pt(pages.width), Pt(pages.height));
        pdf_pages.push(PdfPage {
            media_box: page_box.clone(),
            trim_box: page_box.clone(),
            crop_box: page_box,
            ops,
        });
    }
    pdf.pages = pdf_pages;
    let mut warnings = Vec::new();
    // Logos are line art: compress them losslessly (Flate), never as JPEG.
    let image_optimization = printpdf::ImageOptimizationOptions {
        format: Some(printpdf::ImageCompression::Flate),
        quality: None,
        ..Default::default()
    };
    let opts = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: Some(image_optimization),
    };
    let mut lo = printpdf::serialize::to_lopdf_doc(&pdf, &opts, &mut warnings);
    meta::finish(&mut lo, pages, doc, &links_per_page, options)?;
    let page_ids: Vec<lopdf::ObjectId> = lo.get_pages().into_values().collect();
    tags::write(&mut lo, pages, &marks, &page_ids)?;
    compress(&mut lo);
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(|e| Diagnostic::error(format!("cannot serialize PDF: {e}")))?;
    meta::set_id(&mut bytes);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::check_link;

    #[test]
    fn only_web_mail_and_phone_links_are_written() {
        for ok in ["https://x.example", "HTTP://x.example", "mailto:a@b.example", "tel:+15550100"] {
            assert!(check_link(ok).is_ok(), "{ok}");
        }
        for bad in ["javascript:alert(1)", "file:///etc/passwd", "./rel.pdf", "data:text/html,x", ""] {
            assert!(check_link(bad).is_err(), "{bad}");
        }
    }
}
