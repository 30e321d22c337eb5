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

/// Reports a usage or configuration error: nothing was written. Exit status 2.
pub fn config_error(command: &str, diags: &[Diagnostic], json: bool) -> ExitCode {
    eprint(&render_all(diags));
    if json {
        let v = json!({ "command": command, "ok": false, "exit_code": CONFIG, "errors": diags.iter().map(diag_json).collect::<Vec<_>>() });
        print_stdout(&format!("{v}\n"));
    }
    ExitCode::from(CONFIG)
}

fn doc_json(d: &DocReport) -> Value {
    let mut v = json!({
        "source": d.source.display().to_string(),
        "id": d.id,
        "lang": d.lang,
        "warnings": d.warnings.iter().map(diag_json).collect::<Vec<_>>(),
    });
    match &d.outcome {
        Outcome::Written { path, pages, bytes, fonts } => {
            v["status"] = json!("written");
            v["file"] = json!(path.display().to_string());
            v["fonts"] = json!(fonts
                .iter()
                .map(|f| json!({ "file": f.file.display().to_string(), "sha256": f.sha256 }))
                .collect::<Vec<_>>());
            v["pages"] = json!(pages);
            v["bytes"] = json!(bytes);
        }
        Outcome::Checked { pages } => {
            v["status"] = json!("ok");
            v["pages"] = json!(pages);
        }
        Outcome::Failed(errors) => {
            v["status"] = json!("failed");
            v["errors"] = json!(errors.iter().map(diag_json).collect::<Vec<_>>());
        }
    }
    v
}

/// Reports a finished build or check; exit status 0 or 1.
pub fn summary(command: &str, s: &Summary, json: bool, quiet: bool) -> ExitCode {
    let failed: Vec<&DocReport> =
        s.documents.iter().filter(|d| matches!(d.outcome, Outcome::Failed(_))).collect();
    let mut diags: Vec<Diagnostic> = Vec::new();
    for d in &s.documents {
        if let Outcome::Failed(e) = &d.outcome {
            diags.extend(e.iter().cloned());
        }
        diags.extend(d.warnings.iter().cloned());
    }
    eprint(&render_all(&diags));
    let code = if s.failed() { FAILED } else { 0 };
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if json {
        let v = json!({
            "command": command,
            "ok": code == 0,
            "exit_code": code,
            "documents": s.documents.iter().map(doc_json).collect::<Vec<_>>(),
            "counts": {
                "documents": s.documents.len(),
                "failed": failed.len(),
                "written": s.documents.iter().filter(|d| matches!(d.outcome, Outcome::Written { .. })).count(),
                "pages": s.documents.iter().map(|d| match d.outcome { Outcome::Written { pages, .. } | Outcome::Checked { pages } => pages, _ => 0 }).sum::<usize>(),
                "bytes": s.documents.iter().map(|d| match d.outcome { Outcome::Written { bytes, .. } => bytes, _ => 0 }).sum::<usize>(),
                "errors": errors,
                "warnings": warnings,
            },
        });
        print_stdout(&format!("{v}\n"));
        return ExitCode::from(code);
    }
    let mut out = String::new();
    for d in &s.documents {
        match &d.outcome {
            Outcome::Written { path, pages, bytes, .. } if !quiet => {
                out.push_str(&format!(
                    "wrote {} ({pages} pages, {} KB)\n",
                    path.display(),
                    bytes.div_ceil(1024)
                ));
            }
            Outcome::Checked { pages } if !quiet => {
                out.push_str(&format!("ok {} ({pages} pages)\n", d.source.display()));
            }
            _ => {}
        }
    }
    print_stdout(&out);
    let total = s.documents.len();
    let mut line = match command {
        "build" => format!("built {} of {total} documents", total - failed.len()),
        _ => format!("checked {total} documents: {errors} errors, {warnings} warnings"),
    };
    if !failed.is_empty() {
        let names: Vec<String> =
            failed.iter().map(|d| format!("{} ({})", d.source.display(), d.lang)).collect();
        line.push_str(&format!("; failed: {}", names.join(", ")));
    }
    if !quiet || code != 0 {
        eprint(&format!("{line}\n"));
    }
    ExitCode::from(code)
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
