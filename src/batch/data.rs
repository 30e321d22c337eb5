//! `--data`: one document per row of a CSV or JSON Lines file, read as a stream.
//!
//! Column names are placeholder names; a `lang` column picks the language variant of each
//! row. A malformed row fails alone (the others are built); a file that cannot be read
//! at all is a configuration error. Rows are never all held in memory: [`DataFile::rows`]
//! reads the file again each time it is called (the planner makes one pass for names and
//! one for rendering), so memory does not grow with the row count. Standard input (`-`)
//! is spooled to a temporary file first, capped like any data file.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Span};

/// Largest data file accepted: a hundred thousand rows fit in a few MB.
pub const MAX_DATA_BYTES: u64 = 64 << 20;

/// One data row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// 1-based row number (the header does not count), used by `{row}`.
    pub number: usize,
    /// Line of the file where the row starts (for diagnostics).
    pub line: usize,
    /// Column → value; empty cells are left out (an empty value is no value).
    pub values: BTreeMap<String, String>,
}

/// The two data formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A header row, then one row per document.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// A data file, opened and its columns known; rows are read on demand.
#[derive(Debug)]
pub struct DataFile {
    /// The name shown in messages (`-` shows as `<stdin>`).
    pub name: String,
    /// The file the rows are read from (the spool file for stdin).
    read_path: PathBuf,
    /// CSV or JSON Lines.
    pub format: Format,
    /// Column names in file order.
    pub columns: Vec<String>,
    /// Keeps the stdin spool file alive (deleted on drop).
    _spool: Option<tempfile::NamedTempFile>,
}

fn config(name: &str, msg: String) -> Diagnostic {
    Diagnostic::error(msg).at(Span::file(name))
}

/// A row that cannot be used: its 1-based number and why.
pub type BadRow = (usize, Diagnostic);

/// An iterator over the rows of a data file.
pub type Rows = Box<dyn Iterator<Item = Result<Row, BadRow>> + Send>;

impl DataFile {
    /// Opens `path` (`-` for standard input) as CSV (`.csv`) or JSON Lines (`.jsonl`,
    /// `.ndjson`, `.json`); stdin is JSON Lines when its first non-blank byte is `{`.
    pub fn open(path: &Path) -> Result<DataFile, Diagnostic> {
        let (name, read_path, spool, format) = if path.as_os_str() == "-" {
            let name = "<stdin>".to_string();
            let mut spool = tempfile::Builder::new()
                .prefix(".handout-stdin-")
                .tempfile()
                .map_err(|e| config(&name, format!("cannot spool standard input: {e}")))?;
            let copied =
                std::io::copy(&mut std::io::stdin().lock().take(MAX_DATA_BYTES + 1), spool.as_file_mut())
                    .map_err(|e| config(&name, format!("cannot read standard input: {e}")))?;
            if copied > MAX_DATA_BYTES {
                return Err(too_big(&name));
            }
            let mut head = [0u8; 64];
            let n = std::fs::File::open(spool.path()).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
            let first = head[..n]
                .iter()
                .copied()
                .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
            let format = if first == Some(b'{') { Format::JsonLines } else { Format::Csv };
            let p = spool.path().to_path_buf();
            (name, p, Some(spool), format)
        } else {
            let name = path.display().to_string();
            let meta = std::fs::metadata(path).map_err(|e| {
                config(&name, format!("cannot read --data `{name}`: {e}"))
                    .hint("check the path of the data file")
            })?;
            if meta.len() > MAX_DATA_BYTES {
                return Err(too_big(&name));
            }
            let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            let format = match ext.as_deref() {
                Some("csv") => Format::Csv,
                Some("jsonl" | "ndjson" | "json") => Format::JsonLines,
                _ => {
                    return Err(config(&name, format!("--data `{name}` is neither CSV nor JSON Lines")).hint(
                        "name it .csv (a header row, then one row per document) or .jsonl (one JSON object per line)",
                    ))
                }
            };
            (name, path.to_path_buf(), None, format)
        };
        let mut file = DataFile { name, read_path, format, columns: vec![], _spool: spool };
        file.columns = match format {
            Format::Csv => file.csv_header()?,
            Format::JsonLines => file.jsonl_columns()?,
        };
        check_columns(&file.name, &file.columns)?;
        Ok(file)
    }

    fn open_read(&self) -> Result<std::fs::File, Diagnostic> {
        std::fs::File::open(&self.read_path)
            .map_err(|e| config(&self.name, format!("cannot read --data `{}`: {e}", self.name)))
    }

    fn csv_reader(&self) -> Result<csv::Reader<std::fs::File>, Diagnostic> {
        Ok(csv::ReaderBuilder::new().flexible(false).from_reader(self.open_read()?))
    }

    fn csv_header(&self) -> Result<Vec<String>, Diagnostic> {
        let mut reader = self.csv_reader()?;
        let headers = reader
            .headers()
            .map_err(|e| config(&self.name, format!("cannot read the header row of `{}`: {e}", self.name)))?;
        // The csv crate strips a UTF-8 byte order mark; be sure for odd exporters.
        Ok(headers.iter().map(|h| h.trim_start_matches('\u{feff}').trim().to_string()).collect())
    }

    /// The union of the keys of every row, in order of first appearance (one streaming pass).
    fn jsonl_columns(&self) -> Result<Vec<String>, Diagnostic> {
        let mut columns: Vec<String> = Vec::new();
        for row in self.rows()?.flatten() {
            for k in row.values.keys() {
                if !columns.contains(k) {
                    columns.push(k.clone());
                }
            }
        }
        Ok(columns)
    }

    /// Reads the rows from the start of the file, one at a time.
    pub fn rows(&self) -> Result<Rows, Diagnostic> {
        let name = self.name.clone();
        match self.format {
            Format::Csv => {
                let columns = self.columns.clone();
                let reader = self.csv_reader()?;
                let mut lines = LineCounter { reader: BufReader::new(self.open_read()?), byte: 0, line: 1 };
                Ok(Box::new(reader.into_records().enumerate().map(move |(i, r)| {
                    let byte = match &r {
                        Ok(rec) => rec.position().map(|p| p.byte()),
                        Err(e) => e.position().map(|p| p.byte()),
                    };
                    // With CRLF line ends the csv crate puts a record's start on the `\n`
                    // before it; counting that byte too gives the right line either way.
                    let line = byte.map_or(i + 2, |b| lines.line_at(b + 1));
                    csv_row(&name, &columns, i + 1, line, r)
                })))
            }
            Format::JsonLines => {
                let reader = BufReader::new(self.open_read()?);
                Ok(Box::new(JsonLines { name, reader, line: 0, number: 0, broken: false }))
            }
        }
    }
}

fn too_big(name: &str) -> Diagnostic {
    config(name, format!("--data `{name}` is over 64 MiB"))
        .hint("split it and build the parts one after the other (or use --shard)")
}

/// Line numbers from byte offsets, counted on a second reader that only moves forward
/// (the csv crate's own line count is off by one with CRLF line ends).
/// Counts the newlines before byte `offset`.
struct LineCounter {
    reader: BufReader<std::fs::File>,
    byte: u64,
    line: usize,
}

impl LineCounter {
    /// The 1-based line of byte `offset` (offsets must not decrease between calls).
    fn line_at(&mut self, offset: u64) -> usize {
        while self.byte < offset {
            let Ok(buf) = self.reader.fill_buf() else { break };
            if buf.is_empty() {
                break;
            }
            let n = buf.len().min(usize::try_from(offset - self.byte).unwrap_or(usize::MAX));
            self.line += buf[..n].iter().filter(|&&b| b == b'\n').count();
            self.reader.consume(n);
            self.byte += n as u64;
        }
        self.line
    }
}

fn csv_row(
    name: &str,
    columns: &[String],
    number: usize,
    line: usize,
    record: Result<csv::StringRecord, csv::Error>,
) -> Result<Row, BadRow> {
    match record {
        Ok(r) => {
            let values = columns
                .iter()
                .zip(r.iter())
                .map(|(c, v)| (c.clone(), v.trim().to_string()))
                .filter(|(_, v)| !v.is_empty())
                .collect();
            Ok(Row { number, line, values })
        }
        Err(e) => {
            let (msg, col) = match e.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    (format!("row {number} has {len} fields, the header has {expected_len}"), 1)
                }
                csv::ErrorKind::Utf8 { err, .. } => {
                    let column =
                        columns.get(err.field()).map_or(String::new(), |c| format!(" (column `{c}`)"));
                    (format!("row {number} is not valid UTF-8{column}"), err.field() + 1)
                }
                _ => (format!("row {number} cannot be read: {e}"), 1),
            };
            Err((
                number,
                Diagnostic::error(msg)
                    .at(Span::new(name, line, col))
                    .hint("fix or remove this row; the other rows are built"),
            ))
        }
    }
}

/// JSON Lines rows: blank lines are skipped; each other line is one row.
struct JsonLines {
    name: String,
    reader: BufReader<std::fs::File>,
    line: usize,
    number: usize,
    /// A read error ends the file (it is reported once).
    broken: bool,
}

impl Iterator for JsonLines {
    type Item = Result<Row, BadRow>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.broken {
            return None;
        }
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match self.reader.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    self.number += 1;
                    self.broken = true;
                    let d = config(&self.name, format!("cannot read --data `{}`: {e}", self.name));
                    return Some(Err((self.number, d)));
                }
            }
            self.line += 1;
            let text =
                if self.line == 1 { buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf) } else { &buf[..] };
            if text.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.number += 1;
            return Some(jsonl_row(&self.name, self.number, self.line, text).map_err(|d| (self.number, d)));
        }
    }
}

fn jsonl_row(name: &str, number: usize, line: usize, text: &[u8]) -> Result<Row, Diagnostic> {
    let at = |col: usize| Span::new(name, line, col.max(1));
    let hint = "fix or remove this row; the other rows are built";
    let text = std::str::from_utf8(text).map_err(|e| {
        Diagnostic::error(format!("row {number} is not valid UTF-8")).at(at(e.valid_up_to() + 1)).hint(hint)
    })?;
    let obj = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(text).map_err(|e| {
        Diagnostic::error(format!("row {number} is not a JSON object: {e}")).at(at(e.column())).hint(hint)
    })?;
    let mut values = BTreeMap::new();
    for (k, v) in obj {
        let v = match v {
            serde_json::Value::String(s) => s.trim().to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Null => continue,
            _ => {
                return Err(Diagnostic::error(format!(
                    "row {number}: `{k}` is a list or object; values must be text or numbers"
                ))
                .at(at(1))
                .hint(hint))
            }
        };
        if !v.is_empty() {
            values.insert(k.trim().to_string(), v);
        }
    }
    Ok(Row { number, line, values })
}

fn check_columns(name: &str, columns: &[String]) -> Result<(), Diagnostic> {
    for (i, c) in columns.iter().enumerate() {
        if c.is_empty() {
            return Err(config(name, format!("column {} of the header has no name", i + 1))
                .hint("every column needs a name: it is the placeholder name"));
        }
        if columns[..i].contains(c) {
            return Err(config(name, format!("column `{c}` appears twice")).hint("rename one of them"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(d: &DataFile) -> Vec<Result<Row, Diagnostic>> {
        d.rows().unwrap().map(|r| r.map_err(|(_, d)| d)).collect()
    }

    #[test]
    fn csv_with_bom_crlf_quotes_and_a_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.csv");
        std::fs::write(
            &p,
            "\u{feff}name,lang\r\nAna,es\r\nbroken\r\n\"Bo, \"\"Jr\"\"\nline\",en\r\n ,en\r\n",
        )
        .unwrap();
        let d = DataFile::open(&p).unwrap();
        assert_eq!(d.columns, ["name", "lang"]);
        let r = rows(&d);
        assert_eq!(r[0].as_ref().unwrap().values["lang"], "es", "no carriage return in values");
        assert_eq!(r[2].as_ref().unwrap().values["name"], "Bo, \"Jr\"\nline");
        let err = r[1].as_ref().unwrap_err();
        assert!(err.message.contains("row 2 has 1 fields, the header has 2"), "{err:?}");
        assert_eq!(err.span.as_ref().unwrap().line, 3);
        assert!(!r[3].as_ref().unwrap().values.contains_key("name"), "a blank cell is no value");
        assert_eq!(r.len(), 4);
    }

    #[test]
    fn json_lines_rows_and_a_bad_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.jsonl");
        std::fs::write(&p, "{\"name\": \"Ana\", \"age\": 7}\n\nnot json\n{\"name\": [1], \"x\": 1}\n")
            .unwrap();
        let d = DataFile::open(&p).unwrap();
        assert_eq!(d.columns, ["age", "name"]);
        let r = rows(&d);
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].as_ref().unwrap().values["age"], "7");
        assert_eq!(r[1].as_ref().unwrap_err().span.as_ref().unwrap().line, 3);
        assert!(r[2].as_ref().unwrap_err().message.contains("list or object"));
    }

    #[test]
    fn unknown_extension_and_duplicate_columns_are_config_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.txt");
        std::fs::write(&p, "a\n").unwrap();
        assert!(DataFile::open(&p).unwrap_err().message.contains("neither CSV nor JSON Lines"));
        let p = dir.path().join("d.csv");
        std::fs::write(&p, "a,a\n1,2\n").unwrap();
        assert!(DataFile::open(&p).unwrap_err().message.contains("appears twice"));
    }
}
