//! A path → position index of a YAML document, from yaml-rust2's event parser.
//!
//! serde_yaml reports a line and column only for the errors it finds itself. Problems
//! found after deserializing (an empty title, a `lang` that disagrees with the file name,
//! an unfillable placeholder, a character no font has) need one too, so the loader looks
//! values up here by path: `body[3].callout.bullets[1].text`.
//!
//! The same pass refuses what handouts never need and attackers love: aliases and anchors
//! (alias bombs) and nesting deeper than [`MAX_DEPTH`].

use std::collections::{HashMap, HashSet};

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Deepest nesting of lists and maps accepted; a handout needs about 6.
pub const MAX_DEPTH: usize = 32;

/// Where a value starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters) of the value's first character (inside quotes).
    pub col: usize,
    /// True if and only if the scalar's text appears verbatim on its line from `col` on,
    /// so offsets into the value are columns.
    pub exact: bool,
    /// How many characters of the line the value (or key) covers, for carets under the
    /// whole of it; 0 when unknown (lists, maps, empty values).
    pub len: usize,
}

/// A YAML problem found while indexing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexError {
    /// Where.
    pub pos: Pos,
    /// What, lowercase.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

/// Value positions by path; key positions by `path#key`.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    map: HashMap<String, Pos>,
}

impl Positions {
    /// The position of the value at `path`, if the document has one.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.map.get(path).copied()
    }

    /// The position of the key that holds the value at `path`.
    pub fn key(&self, path: &str) -> Option<Pos> {
        self.map.get(&format!("{path}#key")).copied()
    }
}

enum Frame {
    Seq { path: String, next: usize },
    Map { path: String, key: Option<String>, seen: HashSet<String> },
}

fn pos(m: &Marker) -> Pos {
    // yaml-rust2 lines are 1-based and columns 0-based.
    Pos { line: m.line().max(1), col: m.col() + 1, exact: false, len: 0 }
}

/// Indexes `src`. Stops at the first syntax error, alias, anchor, tag, duplicate key,
/// second document or too-deep nesting.
pub fn index(src: &str) -> Result<Positions, IndexError> {
    let mut lines = Lines::new(src);
    let mut out = Positions::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(src);
    let mut documents = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let at = pos(e.marker());
            let quote =
                e.info().contains("mapping values are not allowed").then(|| quote_hint(lines.line(at.line)));
            IndexError {
                pos: at,
                message: format!("invalid YAML: {}", e.info()),
                hint: Some(quote.flatten().unwrap_or_else(|| {
                    "check the indentation and quoting on this line or the one before".into()
                })),
            }
        })?;
        let p = pos(&mark);
        // The path of the value this event starts (None for keys and ends).
        let value_path = match stack.last_mut() {
            Some(Frame::Seq { path, next }) if !matches!(event, Event::SequenceEnd) => {
                *next += 1;
                Some(format!("{path}[{}]", *next - 1))
            }
            Some(Frame::Map { path, key, seen }) if !matches!(event, Event::MappingEnd) => match key.take() {
                Some(k) => Some(if path.is_empty() { k } else { format!("{path}.{k}") }),
                None => {
                    // This event is a key.
                    if let Event::Scalar(k, _, anchor, tag) = &event {
                        if *anchor > 0 || tag.is_some() {
                            return Err(IndexError {
                                pos: p,
                                message: "a key must be plain text".into(),
                                hint: Some("write keys as `name: value`".into()),
                            });
                        }
                        let key_path = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
                        if !seen.insert(k.clone()) {
                            let first = out.map.get(&format!("{key_path}#key")).map_or(0, |f| f.line);
                            return Err(IndexError {
                                pos: p,
                                message: format!("duplicate key `{k}`"),
                                hint: Some(format!(
                                    "`{k}` is already given on line {first}; keep one of them"
                                )),
                            });
                        }
                        out.map.insert(format!("{key_path}#key"), Pos { len: k.chars().count(), ..p });
                        *key = Some(k.clone());
                        continue;
                    }
                    return Err(IndexError {
                        pos: p,
                        message: "a key must be plain text".into(),
                        hint: Some("write keys as `name: value`".into()),
                    });
                }
            },
            _ => None,
        };
        // The event's mark is at the value; point at the `&` or `!` before it when we can.
        let before = |sign: char| {
            let line: Vec<char> = lines.line(p.line).chars().collect();
            let mut i = line[..(p.col - 1).min(line.len())].iter().rposition(|&c| c == sign);
            // `!!str`, `!e!tag`: go back to the start of the token.
            while let Some(j) =
                i.filter(|&j| j > 0 && !line[j - 1].is_whitespace() && !"[{,".contains(line[j - 1]))
            {
                i = Some(j - 1);
            }
            i.map_or(p, |i| Pos { col: i + 1, len: 0, ..p })
        };
        let refuse_anchor = |anchor: usize, tag: &Option<Tag>| {
            if anchor > 0 {
                return Some(IndexError {
                    pos: before('&'),
                    message: "YAML anchors (`&name`) are not allowed in handouts".into(),
                    hint: Some("write the text out where it is needed".into()),
                });
            }
            tag.as_ref().map(|_| IndexError {
                pos: before('!'),
                message: "YAML tags (`!name`) are not allowed in handouts".into(),
                hint: Some("remove the tag; to keep a value as text, put it in quotes".into()),
            })
        };
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart => {
                documents += 1;
                if documents > 1 {
                    return Err(IndexError {
                        pos: p,
                        message: "the file holds more than one YAML document".into(),
                        hint: Some(
                            "one file is one handout: remove the second `---` and what follows, or move it to its own file"
                                .into(),
                        ),
                    });
                }
            }
            Event::Alias(_) => {
                return Err(IndexError {
                    pos: p,
                    message: "YAML aliases (`*name`) are not allowed in handouts".into(),
                    hint: Some("write the text out where it is needed".into()),
                })
            }
            Event::Scalar(value, style, anchor, tag) => {
                if let Some(e) = refuse_anchor(anchor, &tag) {
                    return Err(e);
                }
                let path = value_path.unwrap_or_default();
                if value.is_empty() && style == TScalarStyle::Plain {
                    // An empty value: yaml-rust2 marks the next token. After a key, point
                    // back at its `:`; an empty list item gets no position (the next
                    // token is not reliably the next item's).
                    if matches!(stack.last(), Some(Frame::Map { .. })) {
                        out.map.insert(path, lines.before_blank(p));
                    }
                    continue;
                }
                let mut at = p;
                let offset = lines.offset(p.line, p.col);
                let rest = &lines.line(p.line)[offset..];
                at.exact = match style {
                    TScalarStyle::Plain => rest.starts_with(value.as_str()),
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => {
                        let q = if style == TScalarStyle::SingleQuoted { '\'' } else { '"' };
                        let verbatim = rest
                            .strip_prefix(q)
                            .and_then(|r| r.strip_prefix(value.as_str()))
                            .is_some_and(|r| r.starts_with(q));
                        if rest.starts_with(q) {
                            at.col += 1;
                        }
                        verbatim
                    }
                    _ => false,
                };
                at.len = if at.exact { value.chars().count() } else { extent_on_line(rest, style) };
                out.map.insert(path, at);
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                if let Some(e) = refuse_anchor(anchor, tag) {
                    return Err(e);
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(IndexError {
                        pos: p,
                        message: format!("nesting deeper than {MAX_DEPTH} levels"),
                        hint: Some("handouts nest lists one level deep; check the indentation".into()),
                    });
                }
                let path = value_path.unwrap_or_default();
                out.map.insert(path.clone(), p);
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { path, next: 0 }
                } else {
                    Frame::Map { path, key: None, seen: HashSet::new() }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // A flow list or map on one line (`[a, b, c]`, a table row): carets cover
                // it up to its closing bracket.
                let path = match stack.pop() {
                    Some(Frame::Seq { path, .. } | Frame::Map { path, .. }) => path,
                    None => continue,
                };
                if let Some(start) = out.map.get_mut(&path) {
                    let line = lines.line(start.line);
                    let open = line.chars().nth(start.col - 1);
                    let close = line.chars().nth(p.col.saturating_sub(1));
                    if start.line == p.line
                        && p.col > start.col
                        && matches!((open, close), (Some('['), Some(']')) | (Some('{'), Some('}')))
                    {
                        start.len = p.col - start.col + 1;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// How many characters of `rest` (the line from the scalar's start) a scalar that is not
/// verbatim covers on its first line: up to the closing quote for a quoted one (escapes
/// skipped), up to a comment or the line's end for a plain one that goes on below; 0
/// for block scalars (`|`, `>`), whose text starts on the next line.
fn extent_on_line(rest: &str, style: TScalarStyle) -> usize {
    match style {
        TScalarStyle::DoubleQuoted | TScalarStyle::SingleQuoted => {
            let q = if style == TScalarStyle::SingleQuoted { '\'' } else { '"' };
            let mut chars = rest.strip_prefix(q).unwrap_or(rest).chars();
            let mut n = 0;
            while let Some(c) = chars.next() {
                match c {
                    '\\' if q == '"' => {
                        n += 1;
                        if chars.next().is_some() {
                            n += 1;
                        }
                        continue;
                    }
                    c if c == q => {
                        // `''` is a quote inside a single-quoted scalar.
                        if q == '\'' && chars.clone().next() == Some('\'') {
                            chars.next();
                            n += 2;
                            continue;
                        }
                        return n;
                    }
                    _ => n += 1,
                }
            }
            n
        }
        TScalarStyle::Plain => {
            let end = rest.find(" #").unwrap_or(rest.len());
            rest[..end].trim_end().chars().count()
        }
        _ => 0,
    }
}

/// For `heading: Note: take with food`: a second `: ` in a value starts a key, which YAML
/// refuses. The hint is the line with its value in quotes.
fn quote_hint(line: &str) -> Option<String> {
    let (key, value) = line.split_once(": ")?;
    let value = value.trim();
    if value.is_empty() || value.starts_with(['"', '\'']) {
        return None;
    }
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    Some(format!(
        "a `: ` inside a value starts a new key: put the value in quotes, `{}: \"{escaped}\"`",
        key.trim_start()
    ))
}

/// The lines of the source, and character columns → byte offsets. Scalars come in
/// document order, so the last answer is a starting point for the next one: long lines
/// (a 1 MiB flow list on one line) cost linear time, not quadratic.
struct Lines<'a> {
    src: &'a str,
    starts: Vec<usize>,
    /// Line, column and byte offset in that line of the last answer.
    last: (usize, usize, usize),
}

impl<'a> Lines<'a> {
    fn new(src: &'a str) -> Self {
        let starts = std::iter::once(0).chain(src.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Lines { src, starts, last: (0, 1, 0) }
    }

    /// The text of 1-based line `line`, without its line break ("" past the end).
    fn line(&self, line: usize) -> &'a str {
        let Some(&start) = line.checked_sub(1).and_then(|i| self.starts.get(i)) else { return "" };
        let end = self.starts.get(line).map_or(self.src.len(), |&e| e - 1);
        self.src[start..end].strip_suffix('\r').unwrap_or(&self.src[start..end])
    }

    /// The byte offset in its line of 1-based character column `col` of `line` (the
    /// line's length if the line is shorter).
    fn offset(&mut self, line: usize, col: usize) -> usize {
        let text = self.line(line);
        let (mut c, mut b) =
            if self.last.0 == line && self.last.1 <= col { (self.last.1, self.last.2) } else { (1, 0) };
        let mut chars = text[b..].chars();
        while c < col {
            let Some(ch) = chars.next() else { break };
            b += ch.len_utf8();
            c += 1;
        }
        self.last = (line, c, b);
        b
    }

    /// The last non-blank character before `p` (for empty values), else `p`.
    fn before_blank(&mut self, p: Pos) -> Pos {
        let off = self.offset(p.line, p.col);
        let col = self.last.1; // `p.col`, or the line's end if the line is shorter
        let text = self.line(p.line);
        if let Some((i, _)) = text[..off].char_indices().rev().find(|(_, c)| !c.is_whitespace()) {
            return Pos { col: col - text[i..off].chars().count(), exact: false, len: 0, ..p };
        }
        for line in (1..p.line).rev() {
            let text = self.line(line);
            if let Some((i, _)) = text.char_indices().rev().find(|(_, c)| !c.is_whitespace()) {
                return Pos { line, col: text[..i].chars().count() + 1, exact: false, len: 0 };
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_lead_to_lines_and_columns() {
        let src =
            "title: Hello\nbody:\n  - heading: \"Quoted\"\n  - bullets:\n      - one\n      - text: two\n";
        let ix = index(src).unwrap();
        assert_eq!(ix.get("title"), Some(Pos { line: 1, col: 8, exact: true, len: 5 }));
        assert_eq!(ix.key("title").map(|p| (p.line, p.col)), Some((1, 1)));
        assert_eq!(ix.get("body[0].heading"), Some(Pos { line: 3, col: 15, exact: true, len: 6 }));
        assert_eq!(ix.get("body[1].bullets[0]").map(|p| (p.line, p.col)), Some((5, 9)));
        assert_eq!(ix.get("body[1].bullets[1].text").map(|p| (p.line, p.col)), Some((6, 15)));
        assert_eq!(ix.key("body[1].bullets").map(|p| (p.line, p.col)), Some((4, 5)));
    }

    #[test]
    fn escapes_and_folded_lines_are_not_exact() {
        let src = "a: \"x\\ty\"\nb: one\n  two\nc: 'it''s'\n";
        let ix = index(src).unwrap();
        assert!(!ix.get("a").unwrap().exact);
        assert!(!ix.get("b").unwrap().exact);
        // Carets still cover what the first line shows of the value.
        assert_eq!(ix.get("a").unwrap().len, 4);
        assert_eq!(ix.get("b").unwrap().len, 3);
        assert_eq!(ix.get("c").unwrap().len, 5);
        assert_eq!(ix.key("c").unwrap().len, 1);
    }

    #[test]
    fn crlf_multibyte_and_empty_values() {
        let ix = index("a: x\r\nb: 'y'\r\nc:\r\nd: [é, ü, \"ö\"]\r\n").unwrap();
        assert_eq!(ix.get("b"), Some(Pos { line: 2, col: 5, exact: true, len: 1 }));
        assert_eq!(ix.get("c"), Some(Pos { line: 3, col: 2, exact: false, len: 0 }));
        assert_eq!(ix.get("d[2]"), Some(Pos { line: 4, col: 12, exact: true, len: 1 }));
        // A flow list on one line is covered up to its bracket (a table row), multibyte
        // letters counted as one column each; one that goes on below is not.
        assert_eq!(ix.get("d").map(|p| p.len), Some(11));
        assert_eq!(index("r: [a,\n  b]\nm: {x: 1}\n").unwrap().get("r").map(|p| p.len), Some(0));
        assert_eq!(index("r: [a,\n  b]\nm: {x: 1}\n").unwrap().get("m").map(|p| p.len), Some(6));
        // Empty list items have no position (callers fall back to the list).
        assert_eq!(index("a:\n  -\n  - b\n").unwrap().get("a[0]"), None);
    }

    #[test]
    fn duplicate_keys_tags_and_documents_are_refused() {
        let e = index("a: 1\nb:\n  c: 1\n  c: 2\n").unwrap_err();
        assert_eq!((e.pos.line, e.pos.col, e.message.as_str()), (4, 3, "duplicate key `c`"));
        // The same key in two different maps is fine.
        assert!(index("- c: 1\n- c: 2\n").is_ok());
        let e = index("a: !!str 1\n").unwrap_err();
        assert_eq!((e.pos.col, e.message.contains("tags")), (4, true));
        let e = index("a: 1\n---\na: 2\n").unwrap_err();
        assert_eq!((e.pos.line, e.message.contains("more than one")), (2, true));
    }

    #[test]
    fn a_colon_inside_a_value_gets_a_quoting_hint() {
        let e = index("body:\n  - heading: Note: take with food\n").unwrap_err();
        assert_eq!(e.pos.line, 2);
        assert_eq!(
            e.hint.as_deref(),
            Some("a `: ` inside a value starts a new key: put the value in quotes, `- heading: \"Note: take with food\"`")
        );
    }

    #[test]
    fn aliases_anchors_and_depth_are_refused() {
        assert!(index("a: &x [1]\nb: *x\n").unwrap_err().message.contains("anchors"));
        let deep = format!("a: {}{}\n", "[".repeat(40), "]".repeat(40));
        assert!(index(&deep).unwrap_err().message.contains("nesting"));
        let bad = index("a: [1, 2\n").unwrap_err();
        assert!(bad.message.starts_with("invalid YAML"), "{bad:?}");
    }
}
