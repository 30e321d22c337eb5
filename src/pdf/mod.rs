//! PDF: pages of positioned items → PDF bytes. The only module that imports printpdf
//! and lopdf.
//!
//! Each PDF object is built as a lopdf value and written to bytes as soon as it is
//! complete (`file`: object streams, a cross-reference stream, the content-derived `/ID`):
//! content streams written straight to bytes (`content`, `text`), fonts subset by
//! printpdf and kept for the run (`fonts`), the structure tree (`tags`) and the
//! document-level parts (`meta`: Info, XMP, `/Lang`, viewer preferences, outline). Every byte of the output is a function of the input
//! (SPEC §5 "Reproducible").

mod content;
mod encoding;
mod file;
mod fonts;
mod meta;
mod picture;
mod tags;
mod text;

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::{Dictionary, Object, Stream, StringFormat};

use crate::diag::Diagnostic;
use crate::layout::{ImageRef, Item, Pages, Tag};
use crate::resolve::Document;
use crate::text::{FontBook, FontId};

pub use meta::{civil, creation_date, DateError};

/// Options that change the bytes of the PDF other than the content.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// Seconds since the epoch for CreationDate/ModDate (`SOURCE_DATE_EPOCH`); no dates
    /// are written without it, so output stays byte-identical run to run.
    pub date: Option<i64>,
}

/// Work shared by every document of a batch: fonts subset for embedding (subsetting a
/// face costs more than laying out a page), made once per face and glyph set. (The
/// logo and pictures come compressed from `resolve`, once per run.)
#[derive(Default)]
pub struct Cache {
    fonts: fonts::FontCache,
}

/// How hard to compress a stream.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Effort {
    /// Streams made once per run and copied into every document (font programs,
    /// ToUnicode CMaps): zlib's default level, paid once per run.
    Once,
    /// Streams made for each document (content streams, object streams): zlib level 3
    /// (lopdf's fast level for object streams), which took a quarter of the CPU time of
    /// a document less than the default level for 5% more bytes.
    PerDocument,
}

thread_local! {
    /// One zlib compressor per thread, reset between streams and set to each stream's
    /// effort: making a new one for every stream allocated and cleared a few hundred
    /// kilobytes each time, and one per effort held that twice.
    static DEFLATE: std::cell::RefCell<(flate2::Compress, Effort)> =
        std::cell::RefCell::new((flate2::Compress::new(level(Effort::Once), true), Effort::Once));
}

/// The zlib level of an effort.
fn level(effort: Effort) -> flate2::Compression {
    match effort {
        Effort::Once => flate2::Compression::default(),
        Effort::PerDocument => flate2::Compression::new(3),
    }
}

/// zlib-compresses `bytes` (`None` only if zlib failed, which compressing into memory
/// does not).
fn deflate(bytes: &[u8], effort: Effort) -> Option<Vec<u8>> {
    DEFLATE.with(|z| {
        let mut z = z.borrow_mut();
        let (z, current) = &mut *z;
        z.reset();
        if *current != effort {
            z.set_level(level(effort)).ok()?;
            *current = effort;
        }
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(z.total_in()).ok()?;
            match z.compress_vec(&bytes[consumed..], &mut out, flate2::FlushCompress::Finish).ok()? {
                flate2::Status::StreamEnd => return Some(out),
                _ => out.reserve(out.capacity().max(64)),
            }
        }
    })
}

/// Compresses a stream's content with Flate unless it is already filtered or that would
/// not make it smaller.
fn compress_stream(stream: &mut Stream, effort: Effort) {
    if stream.dict.get(b"Filter").is_ok() {
        return;
    }
    if let Some(c) = deflate(&stream.content, effort) {
        if c.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(c);
        }
    }
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
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Link { target, .. } = item {
                check_link(target)?;
            }
        }
    }
    // The space glyph of each font used (drawn at line breaks).
    let mut spaces: BTreeMap<FontId, Option<u16>> = BTreeMap::new();
    for page in &pages.pages {
        for item in &page.items {
            if let Item::Text { run, .. } = item {
                spaces.entry(run.font).or_insert_with(|| glyph_of(book, run.font, ' '));
            }
        }
    }
    let encoding =
        encoding::Encoding::new(pages, |f, c| glyph_of(book, f, c), |f| spaces.get(&f).copied().flatten());
    let mut file = file::PdfFile::new("1.7");
    // One font per font variant (see `encoding`), named after its subset tag and face.
    let mut font_dict = Dictionary::new();
    let mut names: BTreeMap<FontId, Vec<(String, Arc<fonts::Program>)>> = BTreeMap::new();
    for ((id, variant), glyphs) in encoding.used() {
        let glyphs: Vec<u16> = glyphs.iter().copied().collect();
        let program = cache.fonts.program(*id, book, &glyphs)?;
        let mut name = format!("{}{}", program.tag(), id.0);
        if *variant > 0 {
            name.push_str(&format!("v{variant}"));
        }
        let readings: Vec<(u16, String)> = glyphs
            .iter()
            .filter_map(|g| Some((program.code(*g)?, encoding.text(*id, *variant, *g)?.to_string())))
            .collect();
        let to_unicode = cache.fonts.to_unicode(&readings)?;
        let font = fonts::embed(&mut file, &program, &book.get(*id).postscript_name, &to_unicode);
        font_dict.set(name.clone(), font);
        let list = names.entry(*id).or_default();
        // Variants are numbered densely, so the list index is the variant.
        list.resize(*variant + 1, (name.clone(), program.clone()));
        list[*variant] = (name, program);
    }
    let mut resources = Dictionary::from_iter(vec![("Font", Object::Dictionary(font_dict))]);
    let mut images = Dictionary::new();
    if let Some(logo) = &doc.logo {
        images.set("Logo", Object::Reference(picture::add_to(&mut file, &logo.image)));
    }
    // Each picture once, however many times the document shows it.
    for (i, p) in doc.pictures.iter().enumerate() {
        images.set(picture_name(i), Object::Reference(picture::add_to(&mut file, p)));
    }
    if !images.is_empty() {
        resources.set("XObject", images);
    }
    // One resource dictionary, shared by every page.
    let resources = file.add_object(resources);
    let pages_id = file.reserve();
    let h = pages.height;
    let mut marks = tags::Marks::default();
    let mut page_ids = Vec::with_capacity(pages.pages.len());
    // Parent-tree keys: one per page (its MCIDs), then one per link annotation.
    let mut next_key = pages.pages.len();
    for (index, page) in pages.pages.iter().enumerate() {
        // Every object of a page is written when it is complete (see `file`), so the
        // page's number is reserved first for its annotations to point at.
        let page_id = file.reserve();
        let mut out = content::Content::default();
        let mut mcids: Vec<usize> = Vec::new();
        let mut annots = Vec::new();
        let mut annot_refs = Vec::new();
        // The marked-content sequence now open. Consecutive items of one structure node
        // (the runs of a line, the lines of a paragraph) or artifacts share one: a sequence
        // per glyph run cost an MCID each and most of a long document's content stream.
        let mut open: Option<Tag> = None;
        for item in &page.items {
            // Every drawn item is either tagged content (a marked-content sequence with
            // an MCID that the structure tree points at) or an artifact; a link area draws
            // nothing and leaves the open sequence alone.
            let tag = match item {
                Item::Text { tag, .. } | Item::Image { tag, .. } | Item::Shapes { tag, .. } => Some(*tag),
                Item::Fill { .. } => Some(Tag::Artifact),
                Item::Link { .. } => None,
            };
            if tag.is_some() && tag != open {
                if open.is_some() {
                    out.end_marked();
                }
                match tag {
                    Some(Tag::Node(n)) => {
                        out.begin_tagged(tags::structure_type(pages.nodes[n].role), mcids.len());
                        mcids.push(n);
                    }
                    Some(Tag::Artifact) => out.begin_artifact(),
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
                    text::text_ops(&mut out, run, *x, h - *y, *color, &cx);
                }
                Item::Fill { x, y, w, h: rh, color } => {
                    out.fill_color(*color);
                    out.fill_rect(*x, h - *y - *rh, *w, *rh);
                }
                Item::Link { x, y, w, h: lh, target, alt, node } => {
                    let mut annot = link_annotation(*x, h - *y - *lh, *w, *lh, target);
                    // What the link is, for assistive technology; printed (F 4); its
                    // structure element found through the parent tree.
                    annot.set("Contents", meta::text_string(alt));
                    annot.set("F", 4);
                    annot.set("StructParent", next_key as i64);
                    annot.set("P", page_id);
                    let id = file.add_object(annot);
                    annot_refs.push(Object::Reference(id));
                    annots.push(tags::Annotation { node: *node, alt: alt.clone(), id, key: next_key });
                    next_key += 1;
                }
                Item::Shapes { x, y, rects, color, .. } => {
                    out.fill_color(*color);
                    let rects: Vec<[f32; 4]> =
                        rects.iter().map(|[rx, ry, rw, rh]| [*x + rx, h - *y - ry - rh, *rw, *rh]).collect();
                    out.fill_rects(&rects);
                }
                Item::Image { x, y, w, h: ih, image, .. } => {
                    let name = match image {
                        ImageRef::Logo => "Logo".to_string(),
                        ImageRef::Picture(i) => picture_name(*i),
                    };
                    out.image(&name, *x, h - *y - *ih, *w, *ih);
                }
            }
        }
        if open.is_some() {
            out.end_marked();
        }
        marks.content.push(mcids);
        marks.annotations.push(annots);
        let contents = file.add_object(Stream::new(Dictionary::new(), out.into_bytes()));
        // The page box in points as layout made it (a round trip through millimetres
        // would make Letter 792.001 pt tall).
        let media_box = [0.0, 0.0, pages.width, pages.height].map(Object::Real);
        let mut page_dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            ("MediaBox", Object::Array(media_box.to_vec())),
            ("Resources", Object::Reference(resources)),
            ("Contents", Object::Reference(contents)),
        ]);
        if !annot_refs.is_empty() {
            page_dict.set("Annots", Object::Array(annot_refs));
        }
        // Tab order follows the structure (PDF/UA); the page's MCIDs are parent-tree key
        // `index`.
        page_dict.set("Tabs", "S");
        page_dict.set("StructParents", index as i64);
        file.set(page_id, Object::Dictionary(page_dict));
        page_ids.push(page_id);
    }
    file.set(
        pages_id,
        Object::Dictionary(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Count", Object::Integer(page_ids.len() as i64)),
            ("Kids", Object::Array(page_ids.iter().map(|id| Object::Reference(*id)).collect())),
        ])),
    );
    let struct_tree = tags::write(&mut file, pages, &marks, &page_ids, next_key)?;
    let mut catalog = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
        ("MarkInfo", Object::Dictionary(Dictionary::from_iter(vec![("Marked", Object::Boolean(true))]))),
        ("StructTreeRoot", Object::Reference(struct_tree)),
    ]);
    let info = meta::finish(&mut file, &mut catalog, pages, doc, &page_ids, options);
    let root = file.add_object(catalog);
    file.finish(root, info)
        .map_err(|e| Diagnostic::error(format!("internal error while writing the PDF: {e}")))
}

/// The resource name of the document's picture `i`.
fn picture_name(i: usize) -> String {
    format!("Im{i}")
}

/// A link annotation over the box with lower-left corner (x, y), without a border.
fn link_annotation(x: f32, y: f32, w: f32, h: f32, target: &str) -> Dictionary {
    let action = Dictionary::from_iter(vec![
        ("S", Object::Name(b"URI".to_vec())),
        ("URI", Object::String(target.as_bytes().to_vec(), StringFormat::Literal)),
    ]);
    Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Link".to_vec())),
        ("Rect", Object::Array([x, y, x + w, y + h].map(Object::Real).to_vec())),
        ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
        ("A", Object::Dictionary(action)),
    ])
}

/// The glyph face `font` maps `c` to, if it has one.
fn glyph_of(book: &FontBook, font: FontId, c: char) -> Option<u16> {
    book.get(font).glyph(c)
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
