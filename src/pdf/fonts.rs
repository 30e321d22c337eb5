//! Embedded fonts: each face a document draws from, subset to the glyphs it shows, as a
//! Type 0 font with Identity-H codes, widths and a ToUnicode CMap.
//!
//! typst's `subsetter` makes the subsets straight from the font bytes, reading only the
//! tables and glyphs a subset needs (a 5 MB CJK face is never parsed whole, nor copied);
//! printpdf takes the CID-keyed CFF table out of an OpenType subset for `FontFile3`, and
//! the descriptor's metrics come from the face already parsed for shaping.
//!
//! A run of thousands of documents from one handout draws the same glyphs in almost
//! every document, so the subset of a face for a glyph set, compressed, is made once per
//! run and reused (a few microseconds to copy instead of a millisecond to subset and
//! compress). The cache is bounded by bytes; a run whose glyph sets never repeat only
//! pays what it paid before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::diag::Diagnostic;
use crate::text::{Face, FontBook, FontId};

/// Cached subsets above this many bytes in all are dropped before the next is kept.
const CACHE_BYTES: usize = 64 << 20;

/// A subset of one face for one glyph set, ready to embed.
pub struct Program {
    /// The code each original glyph id is drawn with: its glyph id in the subset, which
    /// is also its CID (the subsetter makes CFF subsets CID-keyed with an identity
    /// charset).
    /// (A hash map: it is looked up for every glyph drawn, and a B-tree search was a
    /// measurable part of writing a document.)
    codes: rustc_hash::FxHashMap<u16, u16>,
    /// The six capital letters of the subset tag.
    tag: String,
    /// `CIDFontType2` (TrueType outlines) or `CIDFontType0` (CFF).
    subtype: &'static str,
    /// `FontFile2` or `FontFile3`, and the (compressed) font program stream.
    file_key: &'static str,
    file: Stream,
    /// The descriptor's metrics (everything but `FontName` and the font file).
    descriptor: Dictionary,
    /// The `/W` array, by code.
    widths: Vec<Object>,
}

impl Program {
    /// The code glyph `gid` is drawn with; `None` if the subset does not hold it.
    pub fn code(&self, gid: u16) -> Option<u16> {
        self.codes.get(&gid).copied()
    }

    /// The subset tag (six capital letters derived from the face and its glyphs).
    pub fn tag(&self) -> &str {
        &self.tag
    }
}

/// What each code of a font reads as (code, text).
type Readings = Vec<(u16, String)>;

/// Subsets by face and glyph set, and the bytes of their font programs in all.
type Programs = (HashMap<(FontId, Vec<u16>), Arc<Program>>, usize);

/// Subsets already made, shared by every document of a run.
#[derive(Default)]
pub struct FontCache {
    programs: Mutex<Programs>,
    /// Compressed ToUnicode CMaps by their readings (the same for most documents of a run).
    to_unicode: Mutex<HashMap<Readings, Arc<Stream>>>,
}

/// ToUnicode CMaps kept above this many are dropped before the next is kept.
const MAX_CMAPS: usize = 1024;

fn poisoned() -> Diagnostic {
    Diagnostic::error("internal error: the font cache was poisoned by an earlier failure")
}

impl FontCache {
    /// The subset of face `id` holding `glyphs` (sorted, unique), made on first use.
    pub fn program(&self, id: FontId, book: &FontBook, glyphs: &[u16]) -> Result<Arc<Program>, Diagnostic> {
        let key = (id, glyphs.to_vec());
        if let Some(p) = self.programs.lock().map_err(|_| poisoned())?.0.get(&key) {
            return Ok(p.clone());
        }
        let program = Arc::new(subset(book.get(id), glyphs)?);
        let mut cache = self.programs.lock().map_err(|_| poisoned())?;
        let size = program.file.content.len();
        if cache.1 + size > CACHE_BYTES {
            cache.0.clear();
            cache.1 = 0;
        }
        cache.1 += size;
        cache.0.insert(key, program.clone());
        Ok(program)
    }

    /// The compressed ToUnicode CMap giving each code its text, made on first use.
    pub fn to_unicode(&self, readings: &[(u16, String)]) -> Result<Arc<Stream>, Diagnostic> {
        if let Some(s) = self.to_unicode.lock().map_err(|_| poisoned())?.get(readings) {
            return Ok(s.clone());
        }
        let mut cmap = Stream::new(Dictionary::new(), to_unicode(readings).into_bytes());
        super::compress_stream(&mut cmap, super::Effort::Once);
        let cmap = Arc::new(cmap);
        let mut cache = self.to_unicode.lock().map_err(|_| poisoned())?;
        if cache.len() >= MAX_CMAPS {
            cache.clear();
        }
        cache.insert(readings.to_vec(), cmap.clone());
        Ok(cmap)
    }
}

/// The subset tag: six capital letters from a hash of the face and the glyphs it shows,
/// as PDF wants it (ISO 32000-1 §9.6.4).
fn subset_tag(postscript_name: &str, glyphs: &[u16]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    h.update(postscript_name.as_bytes());
    for g in glyphs {
        h.update(g.to_be_bytes());
    }
    h.finalize().iter().take(6).map(|b| char::from(b'A' + b % 26)).collect()
}

/// Makes the subset of `face` for `glyphs` (sorted, unique).
fn subset(face: &Face, glyphs: &[u16]) -> Result<Program, Diagnostic> {
    let cannot = |e: String| {
        Diagnostic::error(format!("cannot embed font `{}`: {e}", face.path.display())).hint(
            "replace the font file with a good TrueType/OpenType copy, or remove it from the font folder",
        )
    };
    // Glyph 0 (.notdef) comes first, then the glyphs in order: codes rise with glyph ids.
    let remapper = subsetter::GlyphRemapper::new_from_glyphs(glyphs);
    let sub = subsetter::subset(face.data, face.index, &remapper).map_err(|e| cannot(e.to_string()))?;
    let codes: rustc_hash::FxHashMap<u16, u16> =
        glyphs.iter().filter_map(|g| Some((*g, remapper.get(*g)?))).collect();

    // Advance widths in 1/1000 em, one entry for the codes 0..n (they are consecutive).
    let m = face.descriptor_metrics();
    let scale = 1000.0 / face.units_per_em().max(1.0);
    let widths: Vec<Object> = remapper
        .remapped_gids()
        .map(|g| Object::Integer((f32::from(face.advance(g)) * scale).round() as i64))
        .collect();
    let widths = vec![Object::Integer(0), Object::Array(widths)];

    // The descendant font and the font file say what the embedded bytes are: a bare
    // CID-keyed CFF table, a whole OpenType (CFF) font, or TrueType outlines.
    let (subtype, file_key, mut file) = if let Some(cff) = printpdf::font::extract_cid_keyed_cff(&sub, 0) {
        let dict = Dictionary::from_iter(vec![("Subtype", Object::Name(b"CIDFontType0C".to_vec()))]);
        ("CIDFontType0", "FontFile3", Stream::new(dict, cff))
    } else if sub.starts_with(b"OTTO") {
        let dict = Dictionary::from_iter(vec![("Subtype", Object::Name(b"OpenType".to_vec()))]);
        ("CIDFontType0", "FontFile3", Stream::new(dict, sub))
    } else {
        let program = without_tables(&sub, UNREAD_TABLES).unwrap_or(sub);
        let dict = Dictionary::from_iter(vec![("Length1", Object::Integer(program.len() as i64))]);
        ("CIDFontType2", "FontFile2", Stream::new(dict, program))
    };
    super::compress_stream(&mut file, super::Effort::Once);

    // Descriptor metrics in 1/1000 em: ascent and descent from `hhea`, the cap height from
    // `OS/2` (else the ascent), the italic angle from `post`, the box from `head`.
    let scaled = |v: i16| (f32::from(v) * scale).round() as i64;
    let ascent = scaled(m.ascender);
    let descent = scaled(m.descender);
    let cap_height = m.cap_height.map_or(ascent, scaled);
    let italic_angle = m.italic_angle.round() as i64;
    // StemV estimated from the weight class, as producers do.
    let flags = (1 << 5) | if italic_angle != 0 { 1 << 6 } else { 0 };
    let stem_v = 50 + (f32::from(face.weight) / 65.0).powi(2).round() as i64;
    let bbox = m.bbox.map(|v| Object::Integer(scaled(v)));
    let descriptor = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"FontDescriptor".to_vec())),
        ("Ascent", Object::Integer(ascent)),
        ("Descent", Object::Integer(descent)),
        ("CapHeight", Object::Integer(cap_height)),
        ("ItalicAngle", Object::Integer(italic_angle)),
        ("Flags", Object::Integer(flags)),
        ("StemV", Object::Integer(stem_v)),
        ("FontBBox", Object::Array(bbox.to_vec())),
    ]);
    Ok(Program {
        codes,
        tag: subset_tag(&face.postscript_name, glyphs),
        subtype,
        file_key,
        file,
        descriptor,
        widths,
    })
}

/// Tables of a TrueType subset that no PDF reader uses for a CID font drawn by glyph id:
/// names (the PDF names the font), PostScript glyph names, and the character map (codes
/// are glyph ids, text comes from ToUnicode).
const UNREAD_TABLES: [&[u8; 4]; 3] = [b"name", b"post", b"cmap"];

/// The sfnt `font` without the tables `drop`; `None` if it is not a well-formed sfnt (then
/// it is embedded as it is).
fn without_tables(font: &[u8], drop: [&[u8; 4]; 3]) -> Option<Vec<u8>> {
    let u16_at = |i: usize| Some(u16::from_be_bytes(font.get(i..i + 2)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_be_bytes(font.get(i..i + 4)?.try_into().ok()?));
    let count = usize::from(u16_at(4)?);
    let mut kept = Vec::with_capacity(count);
    for k in 0..count {
        let r = 12 + 16 * k;
        let tag: [u8; 4] = font.get(r..r + 4)?.try_into().ok()?;
        let (sum, offset, len) = (u32_at(r + 4)?, u32_at(r + 8)? as usize, u32_at(r + 12)? as usize);
        let data = font.get(offset..offset.checked_add(len)?)?;
        if !drop.contains(&&tag) {
            kept.push((tag, sum, data));
        }
    }
    let n = kept.len() as u16;
    // searchRange etc.: from the largest power of two not above the table count.
    let log = 15 - n.max(1).leading_zeros() as u16;
    let range = (1u16 << log) * 16;
    let mut out = Vec::with_capacity(font.len());
    out.extend_from_slice(font.get(0..4)?);
    for v in [n, range, log, n * 16 - range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * kept.len();
    for (tag, sum, data) in &kept {
        out.extend_from_slice(tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    for (_, _, data) in &kept {
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Some(out)
}

/// Adds a Type 0 font for `program` to the document, whose glyphs read back through the
/// CMap `to_unicode`.
pub fn embed(
    lo: &mut super::file::PdfFile,
    program: &Program,
    postscript_name: &str,
    to_unicode: &Stream,
) -> ObjectId {
    let base = format!("{}+{postscript_name}", program.tag);
    let file = lo.add_object(program.file.clone());
    let mut descriptor = program.descriptor.clone();
    descriptor.set("FontName", Object::Name(base.clone().into_bytes()));
    descriptor.set(program.file_key, file);
    let descriptor = lo.add_object(descriptor);
    let cmap = lo.add_object(to_unicode.clone());
    let mut cid_font = Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(program.subtype.as_bytes().to_vec())),
        ("BaseFont", Object::Name(base.clone().into_bytes())),
        (
            "CIDSystemInfo",
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal)),
                ("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal)),
                ("Supplement", Object::Integer(0)),
            ])),
        ),
        ("W", Object::Array(program.widths.clone())),
        ("FontDescriptor", Object::Reference(descriptor)),
    ]);
    if program.subtype == "CIDFontType2" {
        cid_font.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
    }
    lo.add_object(Dictionary::from_iter(vec![
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type0".to_vec())),
        ("BaseFont", Object::Name(base.into_bytes())),
        ("Encoding", Object::Name(b"Identity-H".to_vec())),
        ("ToUnicode", Object::Reference(cmap)),
        ("DescendantFonts", Object::Array(vec![Object::Dictionary(cid_font)])),
    ]))
}

/// A ToUnicode CMap (Adobe technical note 5411) mapping two-byte codes to UTF-16 text.
fn to_unicode(readings: &[(u16, String)]) -> String {
    use std::fmt::Write as _;
    let mut s = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let mapped: Vec<&(u16, String)> = readings.iter().filter(|(_, t)| !t.is_empty()).collect();
    // At most 100 entries per block (the CMap format's limit).
    for block in mapped.chunks(100) {
        let _ = writeln!(s, "{} beginbfchar", block.len());
        for (code, text) in block {
            let _ = write!(s, "<{code:04X}> <");
            for u in text.encode_utf16() {
                let _ = write!(s, "{u:04X}");
            }
            s.push_str(">\n");
        }
        s.push_str("endbfchar\n");
    }
    s.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fonts::FontSource;

    fn shipped(name: &str) -> Vec<u8> {
        std::fs::read(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts").join(name)).unwrap()
    }

    fn face(bytes: Vec<u8>) -> Option<Face> {
        Face::parse("f.ttf".into(), 0, Box::leak(bytes.into_boxed_slice()), FontSource::User)
    }

    /// Flips bytes of `font` (a few at a time, from a fixed seed) and subsets every
    /// mutant that still parses: each must give a program or an error, never a panic.
    fn mutants_never_panic(font: &[u8], glyphs: &[u16]) -> (usize, usize) {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let (mut made, mut refused) = (0, 0);
        for _ in 0..300 {
            let mut m = font.to_vec();
            for _ in 0..1 + next() % 8 {
                let at = (next() % m.len() as u64) as usize;
                m[at] = next() as u8;
            }
            let Some(f) = face(m) else { continue };
            match subset(&f, glyphs) {
                Ok(_) => made += 1,
                Err(e) => {
                    assert!(e.message.starts_with("cannot embed font `f.ttf`"), "{}", e.message);
                    refused += 1;
                }
            }
        }
        (made, refused)
    }

    #[test]
    fn damaged_truetype_fonts_are_subset_or_refused_without_panicking() {
        let font = shipped("NotoSansArmenian-Regular.ttf");
        let f = face(font.clone()).unwrap();
        let glyphs: Vec<u16> = "Բարև Ձեզ"
            .chars()
            .filter_map(|c| f.glyph(c))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        let (made, _) = mutants_never_panic(&font, &glyphs);
        assert!(made > 50, "only {made} mutants were subset");
    }

    #[test]
    fn damaged_cff_fonts_are_subset_or_refused_without_panicking() {
        // A small CID-keyed CFF font: the shipped CJK face cut to a few hundred glyphs.
        let cjk = face(shipped("NotoSansCJK-Regular.subset.otf")).unwrap();
        let glyphs: Vec<u16> =
            "腰椎穿刺后背痛，可能出现的情况".chars().filter_map(|c| cjk.glyph(c)).collect();
        let mut sorted = glyphs.clone();
        sorted.sort_unstable();
        sorted.dedup();
        let small =
            subsetter::subset(cjk.data, 0, &subsetter::GlyphRemapper::new_from_glyphs(&sorted)).unwrap();
        assert!(small.starts_with(b"OTTO") && small.len() < 100_000, "{}", small.len());
        let n = face(small.clone()).unwrap().shaper.number_of_glyphs();
        let (made, _) = mutants_never_panic(&small, &(1..n).step_by(2).collect::<Vec<_>>());
        assert!(made > 50, "only {made} mutants were subset");
    }

    #[test]
    fn to_unicode_maps_codes_to_utf16_in_blocks_of_a_hundred() {
        let readings: Vec<(u16, String)> =
            (1..=150).map(|c| (c, if c == 3 { "ffi".to_string() } else { "😀".to_string() })).collect();
        let cmap = to_unicode(&readings);
        assert!(cmap.contains("100 beginbfchar"), "{cmap}");
        assert!(cmap.contains("50 beginbfchar"), "{cmap}");
        assert!(cmap.contains("<0003> <006600660069>"), "{cmap}");
        assert!(cmap.contains("<0001> <D83DDE00>"), "{cmap}");
    }

    #[test]
    fn glyphs_without_text_are_left_out_of_to_unicode() {
        let cmap = to_unicode(&[(1, String::new()), (2, "a".to_string())]);
        assert!(cmap.contains("1 beginbfchar\n<0002> <0061>\nendbfchar"), "{cmap}");
    }

    #[test]
    fn unread_tables_are_dropped_and_the_rest_kept_whole() {
        // An sfnt of three tables: `cmap` (dropped), `glyf` (5 bytes) and `name` (dropped).
        let mut font = vec![0, 1, 0, 0, 0, 3, 0, 32, 0, 1, 0, 16];
        let tables: [(&[u8; 4], &[u8]); 3] = [(b"cmap", b"cm"), (b"glyf", b"GLYPH"), (b"name", b"nm")];
        let mut offset = 12 + 16 * 3;
        for (tag, data) in tables {
            font.extend_from_slice(tag);
            font.extend_from_slice(&[0, 0, 0, 7]);
            font.extend_from_slice(&(offset as u32).to_be_bytes());
            font.extend_from_slice(&(data.len() as u32).to_be_bytes());
            offset += data.len().next_multiple_of(4);
        }
        for (_, data) in tables {
            font.extend_from_slice(data);
            font.resize(font.len().next_multiple_of(4), 0);
        }
        let out = without_tables(&font, UNREAD_TABLES).unwrap();
        assert_eq!(&out[4..12], &[0, 1, 0, 16, 0, 0, 0, 0], "one table left");
        assert_eq!(&out[12..16], b"glyf");
        assert_eq!(&out[16..20], &[0, 0, 0, 7], "checksum kept");
        assert_eq!(&out[20..28], &[0, 0, 0, 28, 0, 0, 0, 5]);
        assert_eq!(&out[28..33], b"GLYPH");
        // Truncated input is not a font: embedded as it is.
        assert_eq!(without_tables(&font[..30], UNREAD_TABLES), None);
    }

    #[test]
    fn subset_tags_are_six_capitals_and_depend_on_the_glyphs() {
        let a = subset_tag("NotoSans-Regular", &[1, 2, 3]);
        assert_eq!(a.len(), 6);
        assert!(a.chars().all(|c| c.is_ascii_uppercase()));
        assert_ne!(a, subset_tag("NotoSans-Regular", &[1, 2, 4]));
    }
}
