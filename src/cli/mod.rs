//! The command line: parses arguments (clap), runs a command, prints diagnostics and
//! summaries, and picks the exit status (0 all written, 1 some documents failed,
//! 2 usage or configuration error). The only module that knows clap and indicatif.

mod fonts;
mod report;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicUsize};
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};

use crate::batch::{self, LangFilter, Options};
use crate::diag::Diagnostic;
use crate::layout::Paper;

/// Turns patient handouts written in YAML into accessible, print-ready PDFs.
#[derive(Debug, Parser)]
#[command(name = "handout", version, about, long_about = None)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Paper sizes on the command line.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum PaperArg {
    /// US Letter (8.5 × 11 in).
    Letter,
    /// ISO A4 (210 × 297 mm).
    A4,
}

/// Options shared by `build` and `check`.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// Handout files or folders (default: handouts/).
    pub paths: Vec<PathBuf>,
    /// Variants to build: `all`, or a comma list of language tags.
    #[arg(long, default_value = "all")]
    pub lang: String,
    /// Contact profile (default: contact.yaml beside the first input).
    #[arg(long)]
    pub contact: Option<PathBuf>,
    /// Placeholder value NAME=VALUE; `contact.FIELD=VALUE` overrides the profile. Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// More fonts, searched after the shipped fonts/. Repeatable.
    #[arg(long = "font-dir", value_name = "DIR")]
    pub font_dir: Vec<PathBuf>,
    /// Use only fonts/ and --font-dir, never the machine's own fonts (same output anywhere).
    #[arg(long)]
    pub no_system_fonts: bool,
    /// Page size.
    #[arg(long, value_enum, default_value = "letter")]
    pub paper: PaperArg,
    /// 18 pt body text and proportionally larger everything.
    #[arg(long)]
    pub large_print: bool,
    /// CSV or JSON Lines file (`-` for stdin): one document per row; a `lang` column picks
    /// the variant; columns fill {{placeholders}}.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Output file name: {id}, {lang}, {row} and any data column
    /// (default {id}.{lang}.pdf, or {id}.{lang}.{row}.pdf with --data).
    #[arg(long, value_name = "TEMPLATE")]
    pub name: Option<String>,
    /// Build only the K-th of N deterministic slices of the work (1-based), or `env/N`
    /// to take K from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX (0-based).
    #[arg(long, value_name = "K/N", default_value = "1/1")]
    pub shard: String,
    /// The variant for a data row whose `lang` has none (default: that row fails).
    #[arg(long, value_name = "LANG")]
    pub fallback_lang: Option<String>,
    /// Print one JSON summary object on stdout.
    #[arg(long)]
    pub json: bool,
    /// No progress output.
    #[arg(short, long)]
    pub quiet: bool,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render handouts into PDFs.
    Build {
        /// Shared options.
        #[command(flatten)]
        common: Common,
        /// Output folder (created).
        #[arg(short, long, default_value = "out")]
        out: PathBuf,
        /// Documents rendered in parallel (default: number of CPUs).
        #[arg(short, long)]
        jobs: Option<usize>,
        /// Leave documents whose PDF already exists in the output folder alone (to finish
        /// an interrupted run).
        #[arg(long)]
        skip_existing: bool,
    },
    /// Validate everything and write nothing; exit 1 on any error.
    Check {
        /// Shared options.
        #[command(flatten)]
        common: Common,
        /// Exit 1 on any warning too (for CI).
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Write a starter handout handouts/NAME.yaml (or NAME.LANG.yaml).
    New {
        /// Handout id: lowercase letters, digits and `-`.
        name: String,
        /// Language of the new handout (writes a NAME.LANG.yaml variant).
        #[arg(long)]
        lang: Option<String>,
        /// Folder to write it in.
        #[arg(long, default_value = "handouts")]
        dir: PathBuf,
    },
    /// Print the JSON Schema of the handout format (for editors).
    Schema,
    /// Show the face each language would use, and every font found with its scripts.
    Fonts {
        /// More fonts, searched after the shipped fonts/. Repeatable.
        #[arg(long = "font-dir", value_name = "DIR")]
        font_dir: Vec<PathBuf>,
        /// Use only fonts/ and --font-dir, never the machine's own fonts.
        #[arg(long)]
        no_system_fonts: bool,
        /// Print one JSON object on stdout.
        #[arg(long)]
        json: bool,
    },
}

/// A flag the signal handlers set to the signal number on Ctrl-C (SIGINT) or SIGTERM:
/// the run stops starting documents and reports. A second signal ends the process at once
/// (a later run removes the temporary files that leaves).
fn stop_on_signals() -> Arc<AtomicUsize> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = Arc::new(AtomicUsize::new(0));
    let again = Arc::new(AtomicBool::new(false));
    for sig in [SIGINT, SIGTERM] {
        // Registration fails only for forbidden signals; then Ctrl-C keeps its default.
        let _ = signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, again.clone());
        let _ = signal_hook::flag::register(sig, again.clone());
        let _ = signal_hook::flag::register_usize(sig, stop.clone(), sig as usize);
    }
    stop
}

fn options(common: &Common, out: PathBuf, jobs: usize) -> Result<Options, Diagnostic> {
    let mut set = Vec::new();
    for kv in &common.set {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(Diagnostic::error(format!("--set `{kv}` has no `=`")).hint("write --set NAME=VALUE"));
        };
        let k = k.trim();
        if k.is_empty() {
            return Err(
                Diagnostic::error(format!("--set `{kv}` has an empty name")).hint("write --set NAME=VALUE")
            );
        }
        set.push((k.to_string(), v.to_string()));
    }
    Ok(Options {
        paths: common.paths.clone(),
        out,
        langs: LangFilter::parse(&common.lang),
        contact: common.contact.clone(),
        set,
        paper: match common.paper {
            PaperArg::Letter => Paper::Letter,
            PaperArg::A4 => Paper::A4,
        },
        large_print: common.large_print,
        font_dirs: common.font_dir.clone(),
        no_system_fonts: common.no_system_fonts,
        jobs,
        data: common.data.clone(),
        name: common.name.clone(),
        shard: batch::Shard::parse(&common.shard, &|v| std::env::var(v).ok())?,
        fallback_lang: common.fallback_lang.clone(),
        skip_existing: false,
        font_hashes: common.json,
        stop: Arc::new(AtomicUsize::new(0)),
    })
}

/// Parses the process's command line and runs it (usage errors exit with status 2).
pub fn main() -> ExitCode {
    quiet_panics();
    run(Cli::parse())
}

/// A panic is caught at the document boundary and reported as that document's error; the
/// hook only adds where it happened, on one line (the full report with RUST_BACKTRACE set).
fn quiet_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            default(info);
        } else {
            eprintln!("handout: internal error: {info}");
        }
    }));
}

/// Runs a parsed command line and returns the exit status.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build { common, out, jobs, skip_existing } => {
            let jobs = jobs.unwrap_or(0);
            let mut opts = match options(&common, out, jobs) {
                Ok(o) => o,
                Err(d) => return report::config_error("build", &[d], common.json),
            };
            opts.skip_existing = skip_existing;
            opts.stop = stop_on_signals();
            let progress = report::Progress::new(common.quiet || common.json);
            let result = batch::build(&opts, &progress);
            progress.finish();
            match result {
                Ok(summary) => report::summary("build", &summary, common.json, common.quiet, false),
                Err(e) => report::config_error("build", &e.0, common.json),
            }
        }
        Command::Check { common, deny_warnings } => {
            let mut opts = match options(&common, PathBuf::new(), 0) {
                Ok(o) => o,
                Err(d) => return report::config_error("check", &[d], common.json),
            };
            opts.stop = stop_on_signals();
            match batch::check(&opts) {
                Ok(summary) => report::summary("check", &summary, common.json, common.quiet, deny_warnings),
                Err(e) => report::config_error("check", &e.0, common.json),
            }
        }
        Command::New { name, lang, dir } => {
            report::simple(crate::starter::write_starter(&dir, &name, lang.as_deref()))
        }
        Command::Schema => {
            let schema = crate::model::schema::handout_schema();
            report::print_stdout(&format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default()));
            ExitCode::SUCCESS
        }
        Command::Fonts { font_dir, no_system_fonts, json } => fonts::fonts(&font_dir, !no_system_fonts, json),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
