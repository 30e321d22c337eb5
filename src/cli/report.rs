//! Output: diagnostics and summaries for people (stderr/stdout) or as one JSON object
//! (`--json`), the progress bar (only on a terminal), and exit statuses.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use serde_json::{json, Value};

use crate::batch::{DocReport, Outcome, Progress as BatchProgress, Summary};
use crate::diag::Diagnostic;

/// Exit status when documents failed.
const FAILED: u8 = 1;
/// Exit status for usage or configuration errors.
const CONFIG: u8 = 2;

/// Writes to stdout, ignoring a closed pipe (`handout schema | head`).
pub fn print_stdout(s: &str) {
    let _ = std::io::stdout().lock().write_all(s.as_bytes());
}

fn eprint(s: &str) {
    let _ = std::io::stderr().lock().write_all(s.as_bytes());
}

/// Renders diagnostics with their source lines, reading each file once.
fn render_all(diags: &[Diagnostic]) -> String {
    let mut sources: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut out = String::new();
    for d in diags {
        let src = d.span.as_ref().and_then(|s| {
            sources
                .entry(s.file.to_string())
                .or_insert_with(|| {
                    std::fs::metadata(&*s.file)
                        .ok()
                        .filter(|m| m.len() <= crate::model::MAX_INPUT_BYTES as u64)
                        .and_then(|_| std::fs::read_to_string(&*s.file).ok())
                })
                .clone()
        });
        out.push_str(&d.render(src.as_deref()));
    }
    out
}

fn diag_json(d: &Diagnostic) -> Value {
    json!({
        "severity": d.severity,
        "message": d.message,
        "file": d.span.as_ref().map(|s| s.file.to_string()),
        "line": d.span.as_ref().map(|s| s.line),
        "column": d.span.as_ref().map(|s| s.col),
        "hints": d.hints,
    })
}

/// The `--json` object. Every key is always present, whatever happened, so scripts
/// never have to test for one (the shape is documented in the README, "JSON summary").
fn summary_json(command: &str, code: u8, s: &Summary, config_errors: &[Diagnostic]) -> Value {
    let count = |f: fn(&Outcome) -> bool| s.documents.iter().filter(|d| f(&d.outcome)).count();
    let doc_errors: usize =
        s.documents.iter().map(|d| if let Outcome::Failed(e) = &d.outcome { e.len() } else { 0 }).sum();
    let doc_warnings: usize = s.documents.iter().map(|d| d.warnings.len()).sum();
    json!({
        "command": command,
        "ok": code == 0,
        "exit_code": code,
        "interrupted": s.interrupted.map(signal_name),
        "shard": { "index": s.shard.k, "count": s.shard.n },
        "documents": s.documents.iter().map(doc_json).collect::<Vec<_>>(),
        "counts": {
            "documents": s.documents.len(),
            "written": count(|o| matches!(o, Outcome::Written { .. })),
            "checked": count(|o| matches!(o, Outcome::Checked { .. })),
            "skipped": count(|o| matches!(o, Outcome::Skipped { .. })),
            "failed": count(|o| matches!(o, Outcome::Failed(_))),
            "not_started": s.not_started,
            "pages": s.documents.iter().map(|d| match d.outcome { Outcome::Written { pages, .. } | Outcome::Checked { pages } => pages, _ => 0 }).sum::<usize>(),
            "bytes": s.documents.iter().map(|d| match d.outcome { Outcome::Written { bytes, .. } => bytes, _ => 0 }).sum::<usize>(),
            "errors": doc_errors + config_errors.len(),
            "warnings": doc_warnings + s.warnings.len(),
        },
        "errors": config_errors.iter().map(diag_json).collect::<Vec<_>>(),
        "warnings": s.warnings.iter().map(diag_json).collect::<Vec<_>>(),
    })
}

/// `SIGINT` or `SIGTERM` by number.
fn signal_name(sig: i32) -> &'static str {
    match sig {
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "signal",
    }
}

/// Reports a usage or configuration error: nothing was written. Exit status 2.
pub fn config_error(command: &str, diags: &[Diagnostic], json: bool) -> ExitCode {
    eprint(&render_all(diags));
    if json {
        let v = summary_json(command, CONFIG, &Summary::default(), diags);
        print_stdout(&format!("{v}\n"));
    }
    ExitCode::from(CONFIG)
}

fn doc_json(d: &DocReport) -> Value {
    let (status, file, pages, bytes) = match &d.outcome {
        Outcome::Written { path, pages, bytes, .. } => ("written", Some(path), Some(*pages), Some(*bytes)),
        Outcome::Checked { pages } => ("ok", None, Some(*pages), None),
        Outcome::Skipped { path } => ("skipped", Some(path), None, None),
        Outcome::Failed(_) => ("failed", None, None, None),
    };
    // The font files a written document embeds, each with its SHA-256, so a CI artifact
    // records its inputs; empty for documents that were not written.
    let fonts: Vec<Value> = match &d.outcome {
        Outcome::Written { fonts, .. } => fonts
            .iter()
            .map(|f| json!({ "file": f.file.display().to_string(), "sha256": f.sha256 }))
            .collect(),
        _ => Vec::new(),
    };
    let errors: &[Diagnostic] = if let Outcome::Failed(e) = &d.outcome { e } else { &[] };
    json!({
        "source": d.source.display().to_string(),
        "id": d.id,
        "lang": d.lang,
        "row": d.row,
        "status": status,
        "file": file.map(|p| p.display().to_string()),
        "pages": pages,
        "bytes": bytes,
        "fonts": fonts,
        "errors": errors.iter().map(diag_json).collect::<Vec<_>>(),
        "warnings": d.warnings.iter().map(diag_json).collect::<Vec<_>>(),
    })
}

/// How a summary names a document: its file, language and data row.
fn doc_name(d: &DocReport) -> String {
    match d.row {
        Some(r) if d.lang.is_empty() => format!("{} (row {r})", d.source.display()),
        Some(r) => format!("{} ({}, row {r})", d.source.display(), d.lang),
        None => format!("{} ({})", d.source.display(), d.lang),
    }
}

/// Reports a finished build or check. Exit status 0, 1 (some documents failed, or any
/// warning with `deny_warnings`), or 128 + the signal that interrupted the run.
pub fn summary(command: &str, s: &Summary, json: bool, quiet: bool, deny_warnings: bool) -> ExitCode {
    let failed: Vec<&DocReport> =
        s.documents.iter().filter(|d| matches!(d.outcome, Outcome::Failed(_))).collect();
    let mut diags: Vec<Diagnostic> = s.warnings.clone();
    for d in &s.documents {
        if let Outcome::Failed(e) = &d.outcome {
            diags.extend(e.iter().cloned());
        }
        diags.extend(d.warnings.iter().cloned());
    }
    eprint(&render_all(&diags));
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let code = match s.interrupted {
        Some(sig) => 128 + sig.clamp(0, 127) as u8,
        None if s.failed() || (deny_warnings && warnings > 0) => FAILED,
        None => 0,
    };
    if json {
        print_stdout(&format!("{}\n", summary_json(command, code, s, &[])));
        return ExitCode::from(code);
    }
    let mut out = String::new();
    for d in &s.documents {
        match &d.outcome {
            Outcome::Written { path, pages, bytes, .. } if !quiet => {
                out.push_str(&format!(
                    "wrote {} ({}, {} KB)\n",
                    path.display(),
                    count(*pages, "page", "pages"),
                    bytes.div_ceil(1024)
                ));
            }
            Outcome::Checked { pages } if !quiet => {
                out.push_str(&format!("ok {} ({})\n", doc_name(d), count(*pages, "page", "pages")));
            }
            Outcome::Skipped { path } if !quiet => {
                out.push_str(&format!("kept {} (--skip-existing)\n", path.display()));
            }
            _ => {}
        }
    }
    print_stdout(&out);
    let total = s.documents.len() + s.not_started;
    let mut line = match command {
        "build" => {
            let written = s.documents.iter().filter(|d| matches!(d.outcome, Outcome::Written { .. })).count();
            let skipped = s.documents.iter().filter(|d| matches!(d.outcome, Outcome::Skipped { .. })).count();
            let mut l = format!("built {written} of {}", count(total, "document", "documents"));
            if skipped > 0 {
                l.push_str(&format!(" ({skipped} already there, skipped)"));
            }
            l
        }
        _ => format!(
            "checked {}: {}, {}",
            count(s.documents.len(), "document", "documents"),
            count(errors, "error", "errors"),
            count(warnings, "warning", "warnings")
        ),
    };
    if s.shard.n > 1 {
        line.push_str(&format!(" [shard {}/{}]", s.shard.k, s.shard.n));
    }
    if let Some(sig) = s.interrupted {
        line.push_str(&format!("; interrupted by {}: {} not started", signal_name(sig), s.not_started));
    }
    if !failed.is_empty() {
        // Every failure is in the messages above; the line names the first twenty.
        let mut names: Vec<String> = failed.iter().take(20).map(|d| doc_name(d)).collect();
        if failed.len() > 20 {
            names.push(format!("and {} more", failed.len() - 20));
        }
        line.push_str(&format!("; {} failed: {}", failed.len(), names.join(", ")));
    }
    if deny_warnings && warnings > 0 && code == FAILED && failed.is_empty() {
        line.push_str(&format!("; {} and --deny-warnings", count(warnings, "warning", "warnings")));
    }
    if !quiet || code != 0 {
        eprint(&format!("{line}\n"));
    }
    ExitCode::from(code)
}

/// `1 page`, `2 pages`: a number with the word in the right number.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reports a command that either worked (message on stdout) or failed (exit 2).
pub fn simple(result: Result<String, Diagnostic>) -> ExitCode {
    match result {
        Ok(msg) => {
            print_stdout(&format!("{msg}\n"));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprint(&render_all(&[d]));
            ExitCode::from(CONFIG)
        }
    }
}

/// A progress bar on stderr, shown only on a terminal and never with `-q` or `--json`.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    /// A bar, or nothing when output is not a terminal or progress is off.
    pub fn new(off: bool) -> Progress {
        let on = !off && std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        Progress { bar: on.then(|| indicatif::ProgressBar::new(0)) }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl BatchProgress for Progress {
    fn start(&self, total: usize) {
        if let Some(b) = &self.bar {
            b.set_length(total as u64);
            b.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
        }
    }

    fn done(&self) {
        if let Some(b) = &self.bar {
            b.inc(1);
        }
    }
}
