//! Document-level PDF parts set once the pages are built: Info, XMP, `/Lang`, viewer
//! preferences and outline.

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use crate::layout::Pages;
use crate::resolve::Document;

use super::file::PdfFile;
use super::PdfOptions;

/// Name and version written as Creator and Producer.
pub const CREATOR: &str = concat!("handout ", env!("CARGO_PKG_VERSION"));

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

/// Writes everything document-level for the document whose pages are `page_ids`: the
/// Info dictionary (whose number is returned), the XMP packet and the outline, and their
/// entries in the `catalog`.
pub fn finish(
    file: &mut PdfFile,
    catalog: &mut Dictionary,
    pages: &Pages,
    doc: &Document,
    page_ids: &[ObjectId],
    options: &PdfOptions,
) -> ObjectId {
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
    info.set("Producer", text_string(CREATOR));
    let xmp_date = options.date.map(|s| {
        let (y, mo, d, h, mi, se) = civil(s);
        info.set(
            "CreationDate",
            Object::string_literal(format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z")),
        );
        info.set("ModDate", Object::string_literal(format!("D:{y:04}{mo:02}{d:02}{h:02}{mi:02}{se:02}Z")));
        format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{se:02}Z")
    });
    let info_id = file.add_object(info);
    // XMP metadata (uncompressed, as readers expect to find it).
    let xmp = xmp(doc, xmp_date.as_deref());
    let mut stream = Stream::new(
        Dictionary::from_iter(vec![("Type", "Metadata".into()), ("Subtype", "XML".into())]),
        xmp.into_bytes(),
    );
    stream.allows_compression = false;
    let xmp_id = file.add_object(stream);
    catalog.set("Lang", text_string(&m.lang));
    catalog.set("Metadata", xmp_id);
    catalog.set("ViewerPreferences", Dictionary::from_iter(vec![("DisplayDocTitle", true.into())]));
    // Outline from the headings, nested by level.
    match outline(file, pages, page_ids) {
        Some(id) => {
            catalog.set("Outlines", id);
            catalog.set("PageMode", "UseOutlines");
        }
        None => catalog.set("PageMode", "UseNone"),
    }
    info_id
}

/// Writes the outline tree; returns the Outlines dictionary's number, if there are
/// headings.
fn outline(file: &mut PdfFile, pages: &Pages, page_ids: &[ObjectId]) -> Option<ObjectId> {
    let (Some(&first_page), false) = (page_ids.first(), pages.outline.is_empty()) else { return None };
    let root = file.reserve();
    let ids: Vec<ObjectId> = pages.outline.iter().map(|_| file.reserve()).collect();
    // Parent of each entry: the nearest earlier entry with a lower level, else the root,
    // found with a stack of the open entries (linear, however the levels go).
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    let mut open: Vec<usize> = Vec::new();
    for (i, e) in pages.outline.iter().enumerate() {
        while open.last().is_some_and(|&j| pages.outline[j].level >= e.level) {
            open.pop();
        }
        parents.push(open.last().copied());
        open.push(i);
    }
    // Children of each entry (index i + 1; 0 is the root), in order.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); ids.len() + 1];
    for (i, p) in parents.iter().enumerate() {
        children[p.map_or(0, |p| p + 1)].push(i);
    }
    // Each entry's position among its siblings gives Prev and Next.
    let mut siblings: Vec<(Option<usize>, Option<usize>)> = vec![(None, None); ids.len()];
    for kids in &children {
        for (k, &c) in kids.iter().enumerate() {
            siblings[c] = (k.checked_sub(1).map(|k| kids[k]), kids.get(k + 1).copied());
        }
    }
    for (i, e) in pages.outline.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&e.title));
        d.set("Parent", parents[i].map_or(root, |p| ids[p]));
        let (prev, next) = siblings[i];
        if let Some(p) = prev {
            d.set("Prev", ids[p]);
        }
        if let Some(n) = next {
            d.set("Next", ids[n]);
        }
        let kids = &children[i + 1];
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            d.set("First", ids[*first]);
            d.set("Last", ids[*last]);
            d.set("Count", kids.len() as i64);
        }
        let page = page_ids.get(e.page).copied().unwrap_or(first_page);
        let top = pages.height - e.y;
        d.set("Dest", vec![page.into(), "XYZ".into(), Object::Null, top.into(), Object::Null]);
        file.set(ids[i], Object::Dictionary(d));
    }
    let top_level = &children[0];
    let mut r = Dictionary::new();
    r.set("Type", "Outlines");
    r.set("First", ids[top_level[0]]);
    r.set("Last", ids[top_level[top_level.len() - 1]]);
    r.set("Count", ids.len() as i64);
    file.set(root, Object::Dictionary(r));
    Some(root)
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
