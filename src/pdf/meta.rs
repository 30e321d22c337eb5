//! Document-level PDF parts set once the pages are built: Info, XMP, `/Lang`, viewer
//! preferences, outline, link alternate text, and the content-derived `/ID`.

use lopdf::{Dictionary, Object, Stream, StringFormat};

use crate::diag::Diagnostic;
use crate::layout::Pages;
use crate::resolve::Document;

use super::PdfOptions;

/// Name and version written as Creator and Producer.
pub const CREATOR: &str = concat!("handout ", env!("CARGO_PKG_VERSION"));

/// Sixteen bytes that stand in for each half of the `/ID` until the bytes are hashed.
const ID_SENTINEL: [&[u8; 16]; 2] = [b"handout-id-one--", b"handout-id-two--"];

/// `SOURCE_DATE_EPOCH` is set but is not a whole number of seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateError(pub String);

impl std::fmt::Display for DateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SOURCE_DATE_EPOCH is `{}`, not a whole number of seconds since 1970-01-01", self.0)
    }
}

/// The document date: `SOURCE_DATE_EPOCH` if set (the one place dates come from), else
/// none, so two runs give the same bytes.
pub fn creation_date() -> Result<Option<i64>, DateError> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(None),
        Ok(v) => v
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|s| (0..253_402_300_800).contains(s))
            .map(Some)
            .ok_or(DateError(v)),
    }
}

/// Civil date and time (UTC) of a Unix timestamp.
pub fn civil(secs: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, (rem / 3600) as u32, ((rem % 3600) / 60) as u32, (rem % 60) as u32)
}

/// `s` without control characters (NUL, C0, DEL, C1). The model refuses them in input;
/// this is the last defence for Info, XMP and alternate text, where a NUL or an escape
/// character would make readers cut the string or the XML packet invalid.
fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if s.chars().any(char::is_control) {
        s.chars().filter(|c| !c.is_control()).collect::<String>().into()
    } else {
        s.into()
    }
}

/// A text string: PDFDocEncoding-safe ASCII as is, anything else as UTF-16BE with BOM.
/// Control characters are left out.
pub(super) fn text_string(s: &str) -> Object {
    let s = printable(s);
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            bytes.extend(u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// `s` as XML character data; control characters (not allowed in XML 1.0) are left out.
fn xml_escape(s: &str) -> String {
    printable(s).replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The XMP packet: title, author, subject, keywords, tools and dates.
fn xmp(doc: &Document, date: Option<&str>) -> String {
    let m = &doc.meta;
    let lang = xml_escape(&m.lang);
    let mut x = String::from("<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    x.push_str("<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n");
    x.push_str("<rdf:Description rdf:about=\"\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"><pdfuaid:part>1</pdfuaid:part></rdf:Description>\n");
    x.push_str("<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n");
    x.push_str(&format!("<dc:format>application/pdf</dc:format>\n<dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>\n"));
    x.push_str(&format!(
        "<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n",
        xml_escape(&m.title)
    ));
    x.push_str(&format!(
        "<dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
        xml_escape(&m.author)
    ));
    if let Some(s) = &m.subject {
        x.push_str(&format!("<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:description>\n", xml_escape(s)));
    }
    if !m.keywords.is_empty() {
        x.push_str(&format!("<pdf:Keywords>{}</pdf:Keywords>\n", xml_escape(&m.keywords.join(", "))));
    }
    x.push_str(&format!(
        "<pdf:Producer>{CREATOR}</pdf:Producer>\n<xmp:CreatorTool>{CREATOR}</xmp:CreatorTool>\n"
    ));
    if let Some(d) = date {
        x.push_str(&format!("<xmp:CreateDate>{d}</xmp:CreateDate>\n<xmp:ModifyDate>{d}</xmp:ModifyDate>\n<xmp:MetadataDate>{d}</xmp:MetadataDate>\n"));
    }
    x.push_str("</rdf:Description>\n</rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>");
    x
}

/// Sets everything document-level on the document whose pages are `page_ids`.
pub fn finish(
    lo: &mut lopdf::Document,
    pages: &Pages,
    doc: &Document,
    links: &[Vec<String>],
    page_ids: &[lopdf::ObjectId],
    options: &PdfOptions,
) -> Result<(), Diagnostic> {
    let broken =
        |what: &str| Diagnostic::error(format!("internal error: the PDF being written has no {what}"));
    let m = &doc.meta;
    // Info dictionary.
    let mut info = Dictionary::new();
    info.set("Title", text_string(&m.title));
    info.set("Author", text_string(&m.author));
    if let Some(s) = &m.subject {
        info.set("Subject", text_string(s));
    }
    if !m.keywords.is_empty() {
        info.set("Keywords", text_string(&m.keywords.join(", ")));
    }
    info.set("Creator", text_string(CREATOR));
    info.set("Producer", text_string(concat!("handout ", env!("CARGO_PKG_VERSION"), " (printpdf 0.12)")));
    let xmp_date = options.date.map(|s| {
        let (y, mo, d, h, mi, se) = civil(s);
        info.set(
            "CreationDate",
            Object::string_literal(format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z")),
        );
        info.set("ModDate", Object::string_literal(format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z")));
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}Z")
    });
    let info_id = lo.add_object(info);
    lo.trailer.set("Info", info_id);
    lo.trailer.set(
        "ID",
        Object::Array(
            ID_SENTINEL.iter().map(|s| Object::String(s.to_vec(), StringFormat::Hexadecimal)).collect(),
        ),
    );
    // XMP metadata (uncompressed, as readers expect to find it).
    let xmp = xmp(doc, xmp_date.as_deref());
    let mut stream = Stream::new(
        Dictionary::from_iter(vec![("Type", "Metadata".into()), ("Subtype", "XML".into())]),
        xmp.into_bytes(),
    );
    stream.allows_compression = false;
    let xmp_id = lo.add_object(stream);
    // Link alternate text, page by page, in the order layout made them.
    for (page_id, alts) in page_ids.iter().zip(links) {
        let page = lo.get_dictionary_mut(*page_id).map_err(|_| broken("page"))?;
        if let Ok(Object::Array(annots)) = page.get_mut(b"Annots") {
            for (annot, alt) in annots.iter_mut().zip(alts) {
                if let Object::Dictionary(d) = annot {
                    d.set("Contents", text_string(alt));
                    d.set("F", 4);
                }
            }
        }
        page.set("Tabs", "S");
    }
    // Outline from the headings, nested by level.
    let outline_root = outline(lo, pages, page_ids);
    let root_id = lo.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| broken("catalog"))?;
    let catalog = lo.get_dictionary_mut(root_id).map_err(|_| broken("catalog"))?;
    catalog.set("Lang", text_string(&m.lang));
    catalog.set("Metadata", xmp_id);
    catalog.set("ViewerPreferences", Dictionary::from_iter(vec![("DisplayDocTitle", true.into())]));
    match outline_root {
        Some(id) => {
            catalog.set("Outlines", id);
            catalog.set("PageMode", "UseOutlines");
        }
        None => {
            catalog.remove(b"Outlines");
            catalog.set("PageMode", "UseNone");
        }
    }
    Ok(())
}

/// Builds the outline tree; returns the Outlines dictionary id, if there are headings.
fn outline(lo: &mut lopdf::Document, pages: &Pages, page_ids: &[lopdf::ObjectId]) -> Option<lopdf::ObjectId> {
    if pages.outline.is_empty() {
        return None;
    }
    let root = lo.new_object_id();
    let ids: Vec<lopdf::ObjectId> = pages.outline.iter().map(|_| lo.new_object_id()).collect();
    // Parent of each entry: the nearest earlier entry with a lower level, else the root.
    let parents: Vec<Option<usize>> = (0..ids.len())
        .map(|i| (0..i).rev().find(|&j| pages.outline[j].level < pages.outline[i].level))
        .collect();
    let children = |p: Option<usize>| -> Vec<usize> { (0..ids.len()).filter(|&i| parents[i] == p).collect() };
    let mut dicts: Vec<Dictionary> = Vec::with_capacity(ids.len());
    for (i, e) in pages.outline.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", parents[i].map_or(root, |p| ids[p]));
        let page = page_ids.get(e.page).copied().unwrap_or(page_ids[0]);
        let top = pages.height - e.y;
        d.set("Dest", vec![page.into(), "XYZ".into(), Object::Null, top.into(), Object::Null]);
        dicts.push(d);
    }
    let link = |lo_children: &[usize], dicts: &mut Vec<Dictionary>| {
        for (k, &c) in lo_children.iter().enumerate() {
            if k > 0 {
                dicts[c].set("Prev", ids[lo_children[k - 1]]);
            }
            if k + 1 < lo_children.len() {
                dicts[c].set("Next", ids[lo_children[k + 1]]);
            }
        }
    };
    let top_level = children(None);
    link(&top_level, &mut dicts);
    for i in 0..ids.len() {
        let kids = children(Some(i));
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            dicts[i].set("First", ids[*first]);
            dicts[i].set("Last", ids[*last]);
            dicts[i].set("Count", kids.len() as i64);
            link(&kids, &mut dicts);
        }
    }
    for (id, d) in ids.iter().zip(dicts) {
        lo.objects.insert(*id, Object::Dictionary(d));
    }
    let mut r = Dictionary::new();
    r.set("Type", "Outlines");
    r.set("First", ids[top_level[0]]);
    r.set("Last", ids[*top_level.last().unwrap_or(&top_level[0])]);
    r.set("Count", ids.len() as i64);
    lo.objects.insert(root, Object::Dictionary(r));
    Some(root)
}

/// Replaces the `/ID` sentinels with a SHA-256 of the file's bytes, so the ID is
/// derived from the content (same input, same ID; different content, different ID).
pub fn set_id(bytes: &mut [u8]) {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(&*bytes);
    for (half, sentinel) in ID_SENTINEL.iter().enumerate() {
        let hex_of = |b: &[u8], upper: bool| -> Vec<u8> {
            b.iter()
                .flat_map(|x| if upper { format!("{x:02X}") } else { format!("{x:02x}") }.into_bytes())
                .collect()
        };
        let replacement = hex_of(&digest[half * 16..half * 16 + 16], true);
        for upper in [true, false] {
            let needle = hex_of(&sentinel[..], upper);
            if let Some(pos) = bytes.windows(needle.len()).rposition(|w| w == needle.as_slice()) {
                bytes[pos..pos + needle.len()].copy_from_slice(&replacement);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_never_reach_info_or_xmp() {
        assert_eq!(xml_escape("a\u{0}b\u{1b}c\u{85}<"), "abc&lt;");
        assert_eq!(text_string("A\u{0}B"), Object::String(b"AB".to_vec(), StringFormat::Literal));
        let Object::String(bytes, _) = text_string("é\u{7}") else { panic!() };
        assert_eq!(bytes, vec![0xfe, 0xff, 0x00, 0xe9]);
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil(0), (1970, 1, 1, 0, 0, 0));
        assert_eq!(civil(1_790_000_000), (2026, 9, 21, 14, 13, 20));
    }
}
