//! Diagnostics: errors and warnings as values, each with a place in a file and hints.
//!
//! Every stage returns `Result<T, Diagnostics>`; loops over files, blocks or rows collect
//! all their problems instead of stopping at the first, so `handout check` can report
//! everything in one run. Only the CLI renders diagnostics (see [`Diagnostic::render`]).

use std::fmt;
use std::sync::Arc;

/// A place in a source file: 1-based line and column (columns count characters), and
/// how many characters the thing there covers (for the carets under it).
///
/// Two spans are equal when they start at the same place: the length only draws.
#[derive(Clone, Debug)]
pub struct Span {
    /// The file as the user named it (shown verbatim in messages).
    pub file: Arc<str>,
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub col: usize,
    /// Characters covered on the line from `col`; 0 when unknown (then the carets cover
    /// the word at `col`).
    pub len: usize,
}

impl PartialEq for Span {
    fn eq(&self, other: &Self) -> bool {
        (&self.file, self.line, self.col) == (&other.file, other.line, other.col)
    }
}

impl Eq for Span {}

impl PartialOrd for Span {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Span {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.file, self.line, self.col).cmp(&(&other.file, other.line, other.col))
    }
}

impl std::hash::Hash for Span {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (&self.file, self.line, self.col).hash(state);
    }
}

impl Span {
    /// A span at `line:col` of `file`.
    pub fn new(file: impl Into<Arc<str>>, line: usize, col: usize) -> Self {
        Span { file: file.into(), line, col, len: 0 }
    }

    /// The same place, covering `len` characters.
    pub fn with_len(mut self, len: usize) -> Self {
        self.len = len;
        self
    }

    /// A span for a whole file (line 1, column 1), for problems that have no better place.
    pub fn file(file: impl Into<Arc<str>>) -> Self {
        Span::new(file, 1, 1)
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The document cannot be built.
    Error,
    /// The document can be built, but something deserves a look.
    Warning,
}

/// One problem: what is wrong, where, and how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Lowercase, no trailing period: "unknown key `bulets`".
    pub message: String,
    /// Where the problem is, when it is in a file.
    pub span: Option<Span>,
    /// Extra lines that say how to fix it: "did you mean `bullets`?".
    pub hints: Vec<String>,
}

/// A list of diagnostics; the error type of every stage.
pub type Diagnostics = Vec<Diagnostic>;

impl Diagnostic {
    /// An error with a message and no place yet.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, message: message.into(), span: None, hints: vec![] }
    }

    /// A warning with a message and no place yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, message: message.into(), span: None, hints: vec![] }
    }

    /// Sets where the problem is.
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets where the problem is, if known.
    pub fn at_opt(mut self, span: Option<Span>) -> Self {
        self.span = span;
        self
    }

    /// Adds a hint line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Returns true if and only if this is an error (not a warning).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic as text for a terminal or log:
    /// `file:line:col: error: message`, the source line with a caret when `source` is
    /// given, then one `= hint:` line per hint.
    pub fn render(&self, source: Option<&str>) -> String {
        use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut out = String::new();
        if let Some(span) = &self.span {
            out.push_str(&format!("{span}: "));
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!("{label}: {}\n", self.message));
        if let (Some(span), Some(src)) = (&self.span, source) {
            if let Some(full_line) = line_at(src, span.line) {
                let (line_text, col) = window(full_line, span.col.saturating_sub(1));
                let line_text = line_text.as_str();
                let col_byte: usize = line_text.char_indices().nth(col).map_or(line_text.len(), |(i, _)| i);
                let after = &line_text[col_byte..];
                // The carets cover the span's characters (annotate-snippets draws them by
                // display width, so wide CJK characters get two each), else the word.
                let end = if span.len > 0 {
                    after.char_indices().nth(span.len).map_or(line_text.len(), |(i, _)| col_byte + i)
                } else {
                    after
                        .char_indices()
                        .find(|(_, c)| c.is_whitespace() || *c == ':')
                        .map_or(line_text.len(), |(i, _)| col_byte + i)
                }
                .max(col_byte + after.chars().next().map_or(0, char::len_utf8));
                let report = &[level.primary_title("").element(
                    Snippet::source(line_text)
                        .line_start(span.line)
                        .annotation(AnnotationKind::Primary.span(col_byte..end.min(line_text.len()))),
                )];
                let rendered = Renderer::plain().render(report);
                // Drop annotate-snippets' own title line; ours above carries file:line:col.
                for l in rendered.lines().skip(1) {
                    out.push_str(l);
                    out.push('\n');
                }
            }
        }
        for h in &self.hints {
            out.push_str(&format!("  = hint: {h}\n"));
        }
        out
    }
}

/// Characters shown before the column and after it when a source line is long.
const WINDOW_BEFORE: usize = 60;
const WINDOW_AFTER: usize = 100;

/// The part of a long `line` around character `col` (0-based), and `col` counted in
/// it, so a 1 MB one-line file gives a readable snippet (and rendering stays linear in
/// the number of errors): the whole line when it is short, else `WINDOW_BEFORE`
/// characters before `col` and `WINDOW_AFTER` after, each cut marked with `…`.
/// `file:line:col` is printed separately, so the place stays exact.
fn window(line: &str, col: usize) -> (String, usize) {
    if line.chars().count() <= WINDOW_BEFORE + WINDOW_AFTER {
        return (line.to_string(), col);
    }
    let start = col.saturating_sub(WINDOW_BEFORE);
    let from = line.char_indices().nth(start).map_or(line.len(), |(i, _)| i);
    let to =
        line[from..].char_indices().nth(col - start + WINDOW_AFTER).map_or(line.len(), |(i, _)| from + i);
    let mut out = String::new();
    let mut col_in = col - start;
    if from > 0 {
        out.push('…');
        col_in += 1;
    }
    out.push_str(&line[from..to]);
    if to < line.len() {
        out.push('…');
    }
    (out, col_in)
}

/// Returns the text (without newline) of 1-based line `line` of `src`.
fn line_at(src: &str, line: usize) -> Option<&str> {
    src.split('\n').nth(line.checked_sub(1)?).map(|l| l.strip_suffix('\r').unwrap_or(l))
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(None).trim_end())
    }
}

/// Most diagnostics kept for one document. A file with 100,000 unknown keys gets the
/// first ones and a count, not 100,000 messages (and rendering stays linear).
pub const MAX_DIAGNOSTICS: usize = 100;

/// Keeps the first [`MAX_DIAGNOSTICS`] of `diags` and adds one that counts the rest.
pub fn cap(mut diags: Diagnostics) -> Diagnostics {
    if diags.len() > MAX_DIAGNOSTICS {
        let more = diags.len() - MAX_DIAGNOSTICS;
        let span = diags[0].span.as_ref().map(|s| Span::file(s.file.clone()));
        diags.truncate(MAX_DIAGNOSTICS);
        diags.push(
            Diagnostic::error(format!("{more} more errors in this document are not shown"))
                .at_opt(span)
                .hint("fix the ones above first; they are often the cause of the rest"),
        );
    }
    diags
}

/// Returns the closest of `candidates` to `word`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_place_message_and_hint() {
        let d = Diagnostic::error("unknown key `bulets`")
            .at(Span::new("h.yaml", 2, 5))
            .hint("did you mean `bullets`?");
        let text = d.render(Some("title: x\n  - bulets: [a]\n"));
        assert!(text.starts_with("h.yaml:2:5: error: unknown key `bulets`\n"), "{text}");
        assert!(text.contains("bulets: [a]"), "{text}");
        assert!(text.contains("= hint: did you mean `bullets`?"), "{text}");
    }

    #[test]
    fn a_long_line_is_shown_around_its_column() {
        let line = format!("{}bulets{}", "x ".repeat(50_000), " y".repeat(50_000));
        let d = Diagnostic::error("unknown key `bulets`").at(Span::new("h.yaml", 1, 100_001));
        let text = d.render(Some(&line));
        assert!(text.len() < 1000, "{} bytes", text.len());
        let lines: Vec<&str> = text.lines().collect();
        let src = lines.iter().find(|l| l.contains("bulets") && l.starts_with('1')).unwrap();
        let caret = lines.iter().find(|l| l.contains('^')).unwrap();
        let at = src.find("bulets").unwrap();
        assert_eq!(caret.find('^'), Some(src[..at].chars().count()), "{text}");
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("bulets", &["bullets", "steps"]), Some("bullets"));
        assert_eq!(did_you_mean("zzz", &["bullets", "steps"]), None);
    }
}
