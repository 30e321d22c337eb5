//! Batch: the work list (handouts × language variants), rendering in parallel, safe
//! writes and the run summary. No clap and no printing: the CLI turns a [`Summary`] into
//! output and an exit code.

pub mod data;
mod discover;
pub mod naming;
pub mod plan;
mod summary;
mod write;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::layout::{Paper, Style};
use crate::model::{Contact, Handout};
use crate::pdf::{Cache, PdfOptions};
use crate::resolve::{Logo, Values};
use crate::text::fonts::FontOptions;
use crate::text::FontBook;

pub use discover::{discover, Source};
pub use plan::{Job, Shard, Work, SHARD_INDEX_VARS};
use summary::used_fonts;
pub use summary::{DocReport, Outcome, Summary, UsedFont};
pub use write::{remove_stale_temp_files, sanitize_file_name, write_atomically};

/// Which language variants to build.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum LangFilter {
    /// Every variant.
    #[default]
    All,
    /// Only these tags (compared case-insensitively).
    Only(Vec<String>),
}

impl LangFilter {
    /// Parses `all` or a comma list of tags.
    pub fn parse(s: &str) -> LangFilter {
        if s.trim().eq_ignore_ascii_case("all") {
            LangFilter::All
        } else {
            LangFilter::Only(s.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect())
        }
    }

    /// Returns true if and only if documents in `lang` are wanted.
    pub fn wants(&self, lang: &str) -> bool {
        match self {
            LangFilter::All => true,
            LangFilter::Only(tags) => tags.iter().any(|t| t.eq_ignore_ascii_case(lang)),
        }
    }
}

/// Everything `build` and `check` need, decided by the CLI.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Handout files or directories; empty means `handouts/`.
    pub paths: Vec<PathBuf>,
    /// Output directory.
    pub out: PathBuf,
    /// Variants to build.
    pub langs: LangFilter,
    /// Contact profile; default `contact.yaml` beside the first input.
    pub contact: Option<PathBuf>,
    /// `--set` pairs in the order given.
    pub set: Vec<(String, String)>,
    /// Paper size.
    pub paper: Paper,
    /// 18 pt body text.
    pub large_print: bool,
    /// Extra font directories.
    pub font_dirs: Vec<PathBuf>,
    /// Use only the shipped fonts and `font_dirs`, never the machine's own fonts.
    pub no_system_fonts: bool,
    /// Parallel documents; 0 means one per CPU.
    pub jobs: usize,
    /// `--data`: one document per row.
    pub data: Option<PathBuf>,
    /// `--name`: output file name template.
    pub name: Option<String>,
    /// `--shard K/N`.
    pub shard: Shard,
    /// `--fallback-lang`: the variant for a data row whose language has none.
    pub fallback_lang: Option<String>,
    /// `--skip-existing`: leave documents whose PDF already exists alone.
    pub skip_existing: bool,
    /// Record the SHA-256 of each font file a document used (the JSON summary does;
    /// hashing the fonts was a twentieth of a one-document run that printed none).
    pub font_hashes: bool,
    /// Set to a signal number (SIGINT, SIGTERM) to stop starting documents; 0 while
    /// running. The CLI wires it to the signal handlers.
    pub stop: Arc<AtomicUsize>,
}

/// A configuration problem: nothing was written (exit status 2).
#[derive(Clone, Debug)]
pub struct ConfigError(pub Diagnostics);

/// Shared, loaded configuration: fonts, contact profile, logo, values.
pub struct Setup {
    /// The fonts.
    pub book: FontBook,
    /// Fonts and the logo prepared for embedding, shared across documents.
    pub cache: Cache,
    /// Lines of verbatim text already set, shared across documents.
    pub lines: crate::layout::LineCache,
    /// The pictures of `image:` blocks, each file read and decoded once per run.
    pub pictures: crate::resolve::Pictures,
    /// The contact profile, `--set contact.*` applied.
    pub contact: Contact,
    /// The logo, loaded and checked once.
    pub logo: Option<Logo>,
    /// `--set` values that are not `contact.*`.
    pub values: Values,
    /// Page style.
    pub style: Style,
    /// PDF options (dates).
    pub pdf: PdfOptions,
    /// Whether documents record their fonts' SHA-256 ([`Options::font_hashes`]).
    pub font_hashes: bool,
}

/// The contact profile to use: `--contact`, else `contact.yaml` beside the first input.
fn contact_path(options: &Options, sources: &[PathBuf]) -> PathBuf {
    if let Some(c) = &options.contact {
        return c.clone();
    }
    let first = sources.first().cloned().unwrap_or_else(|| PathBuf::from("handouts"));
    let dir = if first.is_dir() { first } else { first.parent().map(Path::to_path_buf).unwrap_or_default() };
    dir.join("contact.yaml")
}

/// Loads everything shared by all documents. Any problem is a configuration error.
pub fn setup(options: &Options) -> Result<Setup, ConfigError> {
    let mut errors = Diagnostics::new();
    let pdf = match crate::pdf::creation_date() {
        Ok(date) => PdfOptions { date },
        Err(e) => {
            errors.push(
                Diagnostic::error(e.to_string())
                    .hint("set it to a Unix timestamp such as 1767225600, or unset it"),
            );
            PdfOptions::default()
        }
    };
    let book = FontBook::load(&FontOptions {
        font_dirs: options.font_dirs.clone(),
        system_fonts: !options.no_system_fonts,
    });
    let paths =
        if options.paths.is_empty() { vec![PathBuf::from("handouts")] } else { options.paths.clone() };
    let contact_file = contact_path(options, &paths);
    let contact = if contact_file.is_file() {
        crate::model::load_contact(&contact_file)
    } else {
        Err(vec![Diagnostic::error(format!("no contact profile at `{}`", contact_file.display()))
            .hint("create it with at least `organization:` and a `phone:`, `email:` or `website:` (see README, \"Contact profile\")")
            .hint("or pass --contact FILE")])
    };
    let mut values = Values::default();
    let mut contact = match contact {
        Ok(c) => Some(c),
        Err(d) => {
            errors.extend(d);
            None
        }
    };
    for (k, v) in &options.set {
        match k.strip_prefix("contact.") {
            Some(field) => {
                if let Some(c) = &mut contact {
                    let span = crate::diag::Span::new("--set", 1, 1);
                    let text = crate::model::Text::synthetic(v.clone(), span);
                    // The same checks as the profile's own values: a `--set` must not
                    // put `javascript:` in the footer's website link.
                    errors.extend(crate::model::override_errors(field, &text));
                    if !c.set_field(field, text) {
                        errors.push(
                            Diagnostic::error(format!(
                                "--set {k}: the contact profile has no field `{field}`"
                            ))
                            .hint(format!("contact fields are: {}", Contact::FIELDS.join(", "))),
                        );
                    }
                }
            }
            None => {
                values.set.insert(k.clone(), v.clone());
            }
        }
    }
    // Contact fields are printed as they are in every footer: braces there would reach the
    // page, since values are plain text and never placeholders.
    if let Some(c) = &contact {
        for f in Contact::FIELDS {
            if let Some(t) = c.field(f).filter(|t| t.value.contains("{{") || t.value.contains("}}")) {
                errors.push(
                    Diagnostic::error(format!("the contact profile's `{f}` contains `{{{{` or `}}}}`"))
                        .at(t.span.clone())
                        .hint("contact fields are plain text, never placeholders; remove the braces"),
                );
            }
        }
    }
    let logo = match contact.as_ref().and_then(|c| c.logo.clone()) {
        Some((path, span)) => match crate::resolve::load_logo(&path, &span) {
            Ok(l) => Some(l),
            Err(d) => {
                errors.push(d);
                None
            }
        },
        None => None,
    };
    let book = match book {
        Ok(b) => Some(b),
        Err(d) => {
            errors.extend(d);
            None
        }
    };
    match (book, contact) {
        (Some(book), Some(contact)) if errors.is_empty() => Ok(Setup {
            book,
            cache: Cache::default(),
            lines: crate::layout::LineCache::default(),
            pictures: crate::resolve::Pictures::default(),
            contact,
            logo,
            values,
            style: Style::new(options.paper, options.large_print),
            pdf,
            font_hashes: options.font_hashes,
        }),
        _ => Err(ConfigError(errors)),
    }
}

/// Renders one handout to PDF bytes, its page count and the font files it uses.
pub fn render(
    handout: &Handout,
    setup: &Setup,
    values: &Values,
) -> Result<(Vec<u8>, usize, Vec<UsedFont>), Diagnostics> {
    let doc =
        crate::resolve::resolve_with(handout, &setup.contact, values, setup.logo.as_ref(), &setup.pictures)?;
    let pages = crate::layout::layout_with(&doc, &setup.book, &setup.style, &setup.lines)?;
    let bytes =
        crate::pdf::write(&pages, &doc, &setup.book, &setup.cache, &setup.pdf).map_err(|d| vec![d])?;
    Ok((bytes, pages.pages.len(), used_fonts(&pages, &setup.book, setup.font_hashes)))
}

/// Receives progress from a build (the CLI draws a bar with it).
pub trait Progress: Sync {
    /// The number of documents to render is known.
    fn start(&self, total: usize);
    /// One more document is finished.
    fn done(&self);
}

/// A progress receiver that ignores everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: usize) {}
    fn done(&self) {}
}

/// The shared setup and the planned work of a build or check.
fn prepare(options: &Options) -> Result<(Setup, plan::Planner, plan::Plan), ConfigError> {
    let setup = setup(options)?;
    let paths =
        if options.paths.is_empty() { vec![PathBuf::from("handouts")] } else { options.paths.clone() };
    let sources = discover(&paths, &setup.contact.path, &options.langs).map_err(ConfigError)?;
    let data = match &options.data {
        Some(p) => Some(data::DataFile::open(p).map_err(|d| ConfigError(vec![d]))?),
        None => None,
    };
    let template = match &options.name {
        Some(t) => {
            let columns = data.as_ref().map_or(&[][..], |d| d.columns.as_slice());
            naming::Template::parse(t, columns, data.is_some()).map_err(|d| ConfigError(vec![d]))?
        }
        None => naming::Template::default_for(data.is_some()),
    };
    let planner = plan::Planner::new(
        sources,
        options.langs.clone(),
        setup.values.set.clone(),
        data,
        template,
        options.fallback_lang.clone(),
    );
    let plan = planner.plan(options.shard).map_err(ConfigError)?;
    if plan.total == 0 {
        return Err(ConfigError(vec![Diagnostic::error("no handouts to build")
            .hint("pass handout files or a folder of NAME.yaml files; check --lang and the --data file")]));
    }
    Ok((setup, planner, plan))
}

/// Renders one job to PDF bytes and its page count. The CLI's renderer; tests inject others.
pub type Renderer<'a> = dyn Fn(&Job, &Setup) -> Result<Rendered, Diagnostics> + Sync + 'a;

/// A rendered document: its PDF bytes, page count and the font files it embeds.
pub type Rendered = (Vec<u8>, usize, Vec<UsedFont>);

/// The real renderer. In debug builds only, `HANDOUT_TEST_PANIC=ID` makes documents of
/// handout `ID` panic, so tests can check that a panicking document fails alone.
pub fn render_job(job: &Job, setup: &Setup) -> Result<Rendered, Diagnostics> {
    #[cfg(debug_assertions)]
    if std::env::var("HANDOUT_TEST_PANIC").is_ok_and(|id| id == job.handout.id) {
        panic!("HANDOUT_TEST_PANIC={} (test-only panic)", job.handout.id);
    }
    render(&job.handout, setup, &job.values)
}

/// The error for a document whose rendering panicked: a bug, reported with what is
/// needed to reproduce it.
fn internal_error(job: &Job, payload: &(dyn std::any::Any + Send)) -> Diagnostic {
    let msg = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    let row = job.row.map(|r| format!(", data row {r}")).unwrap_or_default();
    Diagnostic::error(format!(
        "internal error while rendering `{}` ({}{row}): {msg}",
        job.handout.path.display(),
        job.handout.lang
    ))
    .hint(
        "this is a bug in handout; please report it with this handout file (the other documents were built)",
    )
}

/// The documents not started because the run was stopped, and the signal.
fn interruption(options: &Options, range_len: usize, done: usize) -> (Option<i32>, usize) {
    match options.stop.load(Ordering::SeqCst) {
        0 => (None, 0),
        sig => (Some(sig as i32), range_len.saturating_sub(done)),
    }
}

/// Builds every document; writes each PDF atomically into `options.out`.
pub fn build(options: &Options, progress: &dyn Progress) -> Result<Summary, ConfigError> {
    build_with(options, progress, &render_job)
}

/// What is left of a piece of work once it is rendered.
enum Rendering {
    /// Nothing to write: skipped, failed, or a failed source or row.
    Done(DocReport),
    /// The PDF, to be written.
    Write(write::Pending),
}

/// Renders one piece of work (a panic is caught here, at the document boundary, and
/// fails this document only).
fn render_work(work: Work, setup: &Setup, options: &Options, renderer: &Renderer<'_>) -> Rendering {
    let job = match work {
        Work::Failed(report) => return Rendering::Done(report),
        Work::Job(job) => job,
    };
    let path = options.out.join(&job.file_name);
    let outcome = if options.skip_existing && path.is_file() {
        Outcome::Skipped { path }
    } else {
        match catch_unwind(AssertUnwindSafe(|| renderer(&job, setup))) {
            Ok(Ok((bytes, pages, fonts))) => {
                return Rendering::Write(write::Pending { job, path, bytes, pages, fonts });
            }
            Ok(Err(d)) => Outcome::Failed(d),
            Err(payload) => Outcome::Failed(vec![internal_error(&job, &*payload)]),
        }
    };
    Rendering::Done(DocReport::of(&job, outcome, vec![]))
}

/// [`build`] with another renderer (tests use one that panics).
pub fn build_with(
    options: &Options,
    progress: &dyn Progress,
    renderer: &Renderer<'_>,
) -> Result<Summary, ConfigError> {
    let (setup, planner, plan) = prepare(options)?;
    if let Err(e) = std::fs::create_dir_all(&options.out) {
        return Err(ConfigError(vec![Diagnostic::error(format!(
            "cannot create output folder `{}`: {e}",
            options.out.display()
        ))
        .hint("choose another folder with -o, or fix its permissions")]));
    }
    remove_stale_temp_files(&options.out);
    // Never more threads than documents: `-j 100000` must not start 100000 threads.
    let wanted = match options.jobs {
        0 => std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get),
        n => n,
    };
    let threads = wanted.min(plan.range.len().max(1));
    let pool =
        if threads == 1 {
            None
        } else {
            Some(rayon::ThreadPoolBuilder::new().num_threads(threads).build().map_err(|e| {
                ConfigError(vec![Diagnostic::error(format!("cannot start worker threads: {e}"))])
            })?)
        };
    let work = planner.shard_stream(plan.range.clone()).map_err(|d| ConfigError(vec![d]))?;
    progress.start(plan.range.len());
    let stop = &options.stop;
    // Rows are pulled from the file as workers become free (par_bridge), so memory does
    // not grow with the row count; a stop request ends the pulling, in-flight documents
    // finish.
    let work = work.take_while(|_| stop.load(Ordering::SeqCst) == 0);
    let documents: Vec<DocReport> = match pool {
        // One worker (one document, or -j 1): on this thread, with no pool to start.
        None => work
            .map(|w| {
                let report = match render_work(w, &setup, options, renderer) {
                    Rendering::Done(report) => report,
                    Rendering::Write(pending) => pending.finish(),
                };
                progress.done();
                report
            })
            .collect(),
        // Workers render while writer threads wait for the disk (`fsync`), so the cores
        // stay busy; at most a few PDFs wait in between, so memory stays flat.
        Some(pool) => write::with_writers(threads, progress, |writers| {
            pool.install(|| {
                work.par_bridge()
                    .filter_map(|w| {
                        match render_work(w, &setup, options, renderer) {
                            Rendering::Done(report) => Some(report),
                            Rendering::Write(pending) => writers.send(pending),
                        }
                        .inspect(|_| progress.done())
                    })
                    .collect()
            })
        }),
    };
    let (interrupted, not_started) = interruption(options, plan.range.len(), documents.len());
    let mut summary =
        Summary { documents, warnings: plan.warnings, interrupted, not_started, shard: options.shard };
    summary.sort();
    Ok(summary)
}

/// Checks every document as `build` would (every data row too), writing nothing; adds
/// lint warnings (each handout file's on its first document).
pub fn check(options: &Options) -> Result<Summary, ConfigError> {
    let (setup, planner, plan) = prepare(options)?;
    let variant_warnings = crate::lint::variant_structure(&planner.handouts());
    let mut linted: std::collections::HashSet<PathBuf> = std::collections::HashSet::new();
    let stop = &options.stop;
    let mut documents = Vec::new();
    for w in planner.shard_stream(plan.range.clone()).map_err(|d| ConfigError(vec![d]))? {
        if stop.load(Ordering::SeqCst) != 0 {
            break;
        }
        documents.push(match w {
            Work::Failed(report) => report,
            Work::Job(job) => {
                let h = &job.handout;
                let checked = catch_unwind(AssertUnwindSafe(|| {
                    crate::resolve::resolve_with(
                        h,
                        &setup.contact,
                        &job.values,
                        setup.logo.as_ref(),
                        &setup.pictures,
                    )
                    .and_then(|doc| crate::layout::layout_with(&doc, &setup.book, &setup.style, &setup.lines))
                }));
                let outcome = match checked {
                    Ok(Ok(pages)) => Outcome::Checked { pages: pages.pages.len() },
                    Ok(Err(d)) => Outcome::Failed(d),
                    Err(payload) => Outcome::Failed(vec![internal_error(&job, &*payload)]),
                };
                let mut warnings = Vec::new();
                if linted.insert(h.path.clone()) {
                    warnings = crate::lint::lint(h);
                    warnings.extend(crate::lint::furniture(h, &setup.contact));
                    warnings.extend(
                        variant_warnings.iter().filter(|(p, _)| p == &h.path).map(|(_, d)| d.clone()),
                    );
                }
                DocReport::of(&job, outcome, warnings)
            }
        });
    }
    let (interrupted, not_started) = interruption(options, plan.range.len(), documents.len());
    let mut summary =
        Summary { documents, warnings: plan.warnings, interrupted, not_started, shard: options.shard };
    summary.sort();
    Ok(summary)
}

#[cfg(test)]
mod tests;
