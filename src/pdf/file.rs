//! The PDF file as it is written: each object serialized the moment it is added.
//!
//! A document of thousands of pages has hundreds of thousands of small objects (pages,
//! annotations, structure elements, outline entries). Held as a library's object tree
//! until a save that copies them again into object streams, they took about a kilobyte
//! each and a megabyte of handout went over a gigabyte of memory. Here an object is bytes
//! as soon as it is complete: streams go straight to the file, other objects into the
//! current object stream, which is compressed and written once it holds
//! [`OBJECTS_PER_STREAM`]. What stays in memory is the file so far and one cross-reference
//! entry per object. The file ends with a cross-reference stream whose `/ID` is a SHA-256
//! of everything before it, so the ID is derived from the content (SPEC §5).

use std::io::Write as _;

use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

use super::Effort;

/// Objects per object stream: few enough that a reader finds one without inflating much,
/// enough that the streams' headers cost little.
const OBJECTS_PER_STREAM: usize = 1000;

/// Where an object is.
#[derive(Clone, Copy)]
enum Entry {
    /// Reserved and not yet written (an error if it stays so).
    Reserved,
    /// At this byte offset of the file.
    At(usize),
    /// The `index`th object of the object stream numbered `stream`.
    Packed { stream: u32, index: u16 },
}

/// A PDF file being written.
pub struct PdfFile {
    /// The file so far.
    out: Vec<u8>,
    /// Entry of object `n` at index `n - 1`.
    entries: Vec<Entry>,
    /// The object stream being filled: its object numbers and offsets into `packed`.
    pending: Vec<(u32, usize)>,
    packed: Vec<u8>,
    /// Object numbers reserved for object streams, which are only known when written.
    streams: Vec<u32>,
}

impl PdfFile {
    /// An empty file of PDF `version` (its header written).
    pub fn new(version: &str) -> PdfFile {
        let mut out = Vec::with_capacity(64 << 10);
        // The binary comment tells transfer programs that the file is not text.
        let _ = writeln!(out, "%PDF-{version}");
        out.extend_from_slice(b"%\xe2\xe3\xcf\xd3\n");
        PdfFile { out, entries: Vec::new(), pending: Vec::new(), packed: Vec::new(), streams: Vec::new() }
    }

    /// A number for an object written later with [`PdfFile::set`].
    pub fn reserve(&mut self) -> ObjectId {
        self.entries.push(Entry::Reserved);
        (self.entries.len() as u32, 0)
    }

    /// Writes an object under a new number.
    pub fn add_object(&mut self, object: impl Into<Object>) -> ObjectId {
        let id = self.reserve();
        self.set(id, object.into());
        id
    }

    /// Writes the object of a reserved number. Streams without a filter are compressed
    /// first (unless they forbid it, as the XMP packet does).
    pub fn set(&mut self, id: ObjectId, object: Object) {
        let n = id.0;
        match object {
            Object::Stream(mut stream) => {
                if stream.allows_compression {
                    super::compress_stream(&mut stream, Effort::PerDocument);
                }
                self.entries[n as usize - 1] = Entry::At(self.out.len());
                let _ = writeln!(self.out, "{n} 0 obj");
                write_stream(&mut self.out, &stream);
                self.out.extend_from_slice(b"\nendobj\n");
            }
            other => {
                self.pending.push((n, self.packed.len()));
                write_object(&mut self.packed, &other);
                self.packed.push(b'\n');
                if self.pending.len() == OBJECTS_PER_STREAM {
                    self.flush_packed();
                }
            }
        }
    }

    /// Writes the pending objects as one compressed object stream.
    fn flush_packed(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        self.entries.push(Entry::Reserved);
        let stream = self.entries.len() as u32;
        self.streams.push(stream);
        let mut header = Vec::with_capacity(self.pending.len() * 12);
        for (index, (n, offset)) in self.pending.iter().enumerate() {
            let _ = write!(header, "{n} {offset} ");
            self.entries[*n as usize - 1] = Entry::Packed { stream, index: index as u16 };
        }
        header.push(b'\n');
        let first = header.len();
        header.append(&mut self.packed);
        let dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"ObjStm".to_vec())),
            ("N", Object::Integer(self.pending.len() as i64)),
            ("First", Object::Integer(first as i64)),
        ]);
        self.pending.clear();
        self.set((stream, 0), Object::Stream(Stream::new(dict, header)));
    }

    /// Ends the file: the last object stream, then the cross-reference stream naming the
    /// catalog and the Info dictionary, with an `/ID` hashed from the bytes before it.
    /// Fails only if a reserved number was never written, which is a bug.
    pub fn finish(mut self, root: ObjectId, info: ObjectId) -> Result<Vec<u8>, String> {
        self.flush_packed();
        if let Some(n) = self.entries.iter().position(|e| matches!(e, Entry::Reserved)) {
            return Err(format!("object {} was reserved and never written", n + 1));
        }
        let id = {
            use sha2::Digest;
            let digest = sha2::Sha256::digest(&self.out);
            [digest[..16].to_vec(), digest[16..].to_vec()]
        };
        let xref = self.entries.len() as u32 + 1;
        let xref_at = self.out.len();
        if u32::try_from(xref_at).is_err() {
            return Err("the PDF would be over 4 GB".into());
        }
        // Type (1 byte), offset or object stream number (4), generation or index (2).
        let mut rows = Vec::with_capacity((self.entries.len() + 2) * 7);
        let mut row = |kind: u8, field: u32, extra: u16| {
            rows.push(kind);
            rows.extend_from_slice(&field.to_be_bytes());
            rows.extend_from_slice(&extra.to_be_bytes());
        };
        row(0, 0, 0xffff);
        for e in &self.entries {
            match *e {
                Entry::At(offset) => row(1, offset as u32, 0),
                Entry::Packed { stream, index } => row(2, stream, index),
                Entry::Reserved => unreachable!("checked above"),
            }
        }
        row(1, xref_at as u32, 0);
        let dict = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"XRef".to_vec())),
            ("Size", Object::Integer(i64::from(xref) + 1)),
            ("W", Object::Array(vec![1.into(), 4.into(), 2.into()])),
            ("Root", Object::Reference(root)),
            ("Info", Object::Reference(info)),
            ("ID", Object::Array(id.map(|h| Object::String(h, StringFormat::Hexadecimal)).to_vec())),
        ]);
        let mut stream = Stream::new(dict, rows);
        super::compress_stream(&mut stream, Effort::PerDocument);
        let _ = writeln!(self.out, "{xref} 0 obj");
        write_stream(&mut self.out, &stream);
        let _ = write!(self.out, "\nendobj\nstartxref\n{xref_at}\n%%EOF\n");
        Ok(self.out)
    }
}

/// A number with at most three decimals, no trailing zeros, never `-0` (as in content
/// streams).
fn write_real(out: &mut Vec<u8>, v: f32) {
    let _ = write!(out, "{}", super::content::Num(v));
}

/// Writes `object` in PDF syntax. Dictionaries keep their insertion order, so the same
/// objects always give the same bytes.
pub(super) fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Object::Real(r) => write_real(out, *r),
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Literal) => {
            out.push(b'(');
            for &b in bytes {
                match b {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', b]),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
            out.push(b')');
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for b in bytes {
                let _ = write!(out, "{b:02X}");
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 && needs_space(&items[i - 1], item) {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dictionary(out, dict),
        Object::Stream(stream) => write_stream(out, stream),
        Object::Reference((n, g)) => {
            let _ = write!(out, "{n} {g} R");
        }
    }
}

/// Whether two neighbours in an array need a space between them: only when both are
/// bare tokens (numbers, names after numbers, keywords, references).
fn needs_space(before: &Object, after: &Object) -> bool {
    let ends_delimited = matches!(before, Object::String(..) | Object::Array(_) | Object::Dictionary(_));
    !(ends_delimited || starts_delimited(after))
}

/// Whether an object's syntax starts with a delimiter (`/`, `(`, `<`, `[`), so it needs
/// no space after a bare token or a dictionary key.
fn starts_delimited(o: &Object) -> bool {
    matches!(o, Object::Name(_) | Object::String(..) | Object::Array(_) | Object::Dictionary(_))
}

fn write_dictionary(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        write_name(out, key);
        if !starts_delimited(value) {
            out.push(b' ');
        }
        write_object(out, value);
    }
    out.extend_from_slice(b">>");
}

fn write_stream(out: &mut Vec<u8>, stream: &Stream) {
    let mut dict = stream.dict.clone();
    dict.set("Length", Object::Integer(stream.content.len() as i64));
    write_dictionary(out, &dict);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&stream.content);
    out.extend_from_slice(b"\nendstream");
}

/// A name: `#xx` for delimiters, `#`, and bytes outside the printable ASCII range.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b) {
            out.push(b);
        } else {
            let _ = write!(out, "#{b:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(o: Object) -> String {
        let mut out = Vec::new();
        write_object(&mut out, &o);
        String::from_utf8_lossy(&out).into_owned()
    }

    #[test]
    fn objects_are_written_compactly_and_escaped() {
        let d = Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Annot".to_vec())),
            ("Rect", Object::Array([1.0, 2.5, -0.0001, 792.0].map(Object::Real).to_vec())),
            ("Border", Object::Array(vec![0.into(), 0.into(), 0.into()])),
            ("K", Object::Array(vec![Object::Reference((3, 0)), 4.into(), "Name".into()])),
            ("T", Object::String(b"a(b)\\c\r".to_vec(), StringFormat::Literal)),
            ("H", Object::String(vec![0xfe, 0xff, 0, 0xe9], StringFormat::Hexadecimal)),
            ("N", Object::Name(b"A B#/".to_vec())),
            ("B", true.into()),
        ]);
        assert_eq!(
            bytes(Object::Dictionary(d)),
            "<</Type/Annot/Rect[1 2.5 0 792]/Border[0 0 0]/K[3 0 R 4/Name]/T(a\\(b\\)\\\\c\\r)\
             /H<FEFF00E9>/N/A#20B#23#2F/B true>>"
        );
    }

    #[test]
    fn a_reserved_object_never_written_is_an_error() {
        let mut f = PdfFile::new("1.7");
        let root = f.reserve();
        let info = f.add_object(Dictionary::new());
        assert!(f.finish(root, info).is_err());
    }

    #[test]
    fn the_file_reads_back_with_its_objects_in_object_streams() {
        let mut f = PdfFile::new("1.7");
        let pages = f.reserve();
        let mut kids = Vec::new();
        for _ in 0..2500 {
            let content = f.add_object(Stream::new(Dictionary::new(), b"0 0 1 1 re f".to_vec()));
            kids.push(Object::Reference(f.add_object(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Page".to_vec())),
                ("Parent", Object::Reference(pages)),
                ("MediaBox", Object::Array([0.0, 0.0, 100.0, 100.0].map(Object::Real).to_vec())),
                ("Contents", Object::Reference(content)),
            ]))));
        }
        f.set(
            pages,
            Object::Dictionary(Dictionary::from_iter(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Count", Object::Integer(kids.len() as i64)),
                ("Kids", Object::Array(kids)),
            ])),
        );
        let root = f.add_object(Dictionary::from_iter(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
        ]));
        let info = f.add_object(Dictionary::from_iter(vec![("Title", Object::string_literal("T"))]));
        let bytes = f.finish(root, info).unwrap();
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 2500);
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(text.matches("/ObjStm").count(), 3, "2,502 objects in streams of 1,000");
        assert!(!text.contains("/Type/Page/"), "pages are compressed in object streams");
    }
}
