//! Batch: the work list (handouts × language variants), rendering in parallel, safe
//! writes and the run summary. No clap and no printing: the CLI turns a [`Summary`] into
//! output and an exit code.

mod discover;
mod write;

use std::path::{Path, PathBuf};
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
pub use write::{sanitize_file_name, write_atomically};

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
}

/// The outcome of one document.
#[derive(Clone, Debug)]
pub enum Outcome {
    /// The PDF was written.
    Written {
        /// The file written.
        path: PathBuf,
        /// Page count.
        pages: usize,
        /// File size.
        bytes: usize,
        /// The font files the document uses, by path.
        fonts: Vec<UsedFont>,
    },
    /// The document was checked and is fine (check mode).
    Checked {
        /// Page count it would have.
        pages: usize,
    },
    /// The document failed; nothing was written for it.
    Failed(Diagnostics),
}

/// A font file a document used, so a summary records its inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsedFont {
    /// The font file (`<built-in>/…` for the copy compiled into the binary).
    pub file: PathBuf,
    /// Lowercase hex SHA-256 of the file (computed once per file per run).
    pub sha256: String,
}

/// The font files the glyph runs of `pages` come from, sorted by path.
fn used_fonts(pages: &crate::layout::Pages, book: &FontBook) -> Vec<UsedFont> {
    let ids: std::collections::BTreeSet<crate::text::FontId> = pages
        .pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            crate::layout::Item::Text { run, .. } => Some(run.font),
            _ => None,
        })
        .collect();
    let files: std::collections::BTreeMap<PathBuf, String> = ids
        .into_iter()
        .filter_map(|id| Some((book.path(id).to_path_buf(), book.sha256(id)?.to_string())))
        .collect();
    files.into_iter().map(|(file, sha256)| UsedFont { file, sha256 }).collect()
}

/// One document's line in the summary.
#[derive(Clone, Debug)]
pub struct DocReport {
    /// The handout file.
    pub source: PathBuf,
    /// Handout id.
    pub id: String,
    /// Language tag.
    pub lang: String,
    /// What happened.
    pub outcome: Outcome,
    /// Warnings (check mode).
    pub warnings: Diagnostics,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Per document, in work-list order (independent of `--jobs`).
    pub documents: Vec<DocReport>,
}

impl Summary {
    /// Orders documents by id, language and file, so output never depends on the order
    /// files were found or finished in.
    fn sort(&mut self) {
        self.documents.sort_by(|a, b| (&a.id, &a.lang, &a.source).cmp(&(&b.id, &b.lang, &b.source)));
    }

    /// Returns true if and only if any document failed.
    pub fn failed(&self) -> bool {
        self.documents.iter().any(|d| matches!(d.outcome, Outcome::Failed(_)))
    }
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
                    if !c.set_field(field, crate::model::Text::synthetic(v.clone(), span)) {
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
            contact,
            logo,
            values,
            style: Style::new(options.paper, options.large_print),
            pdf,
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
    let doc = crate::resolve::resolve(handout, &setup.contact, values, setup.logo.as_ref())?;
    let pages = crate::layout::layout(&doc, &setup.book, &setup.style)?;
    let bytes =
        crate::pdf::write(&pages, &doc, &setup.book, &setup.cache, &setup.pdf).map_err(|d| vec![d])?;
    Ok((bytes, pages.pages.len(), used_fonts(&pages, &setup.book)))
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

/// One document to make.
struct Job {
    handout: Arc<Handout>,
    file_name: String,
}

/// Builds every document; writes each PDF atomically into `options.out`.
pub fn build(options: &Options, progress: &dyn Progress) -> Result<Summary, ConfigError> {
    let setup = setup(options)?;
    let paths =
        if options.paths.is_empty() { vec![PathBuf::from("handouts")] } else { options.paths.clone() };
    let sources = discover(&paths, setup_contact_path(&setup)).map_err(ConfigError)?;
    let mut summary = Summary::default();
    let mut jobs = Vec::new();
    for source in sources {
        match source {
            Source::Loaded(h) => {
                if !options.langs.wants(&h.lang) {
                    continue;
                }
                let file_name = sanitize_file_name(&format!("{}.{}.pdf", h.id, h.lang));
                jobs.push(Job { handout: Arc::from(h), file_name });
            }
            Source::Failed { path, id, lang, errors: d } => {
                if lang.as_deref().is_none_or(|l| options.langs.wants(l)) {
                    summary.documents.push(DocReport {
                        source: path,
                        id,
                        lang: lang.unwrap_or_default(),
                        outcome: Outcome::Failed(d),
                        warnings: vec![],
                    });
                }
            }
        }
    }
    // Two documents that would get the same file name: an error before anything is written.
    let mut seen = std::collections::BTreeMap::new();
    let mut dups = Diagnostics::new();
    for j in &jobs {
        if let Some(prev) = seen.insert(j.file_name.clone(), j.handout.path.clone()) {
            dups.push(
                Diagnostic::error(format!(
                    "`{}` and `{}` would both be written to `{}`",
                    prev.display(),
                    j.handout.path.display(),
                    j.file_name
                ))
                .hint("give one of them a different id or language"),
            );
        }
    }
    if !dups.is_empty() {
        return Err(ConfigError(dups));
    }
    if jobs.is_empty() && summary.documents.is_empty() {
        return Err(ConfigError(vec![Diagnostic::error("no handouts to build")
            .hint("pass handout files or a folder of NAME.yaml files; check --lang")]));
    }
    if let Err(e) = std::fs::create_dir_all(&options.out) {
        return Err(ConfigError(vec![Diagnostic::error(format!(
            "cannot create output folder `{}`: {e}",
            options.out.display()
        ))
        .hint("choose another folder with -o, or fix its permissions")]));
    }
    // Never more threads than documents: `-j 100000` must not start 100000 threads.
    let threads = if options.jobs == 0 { 0 } else { options.jobs.min(jobs.len().max(1)) };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| ConfigError(vec![Diagnostic::error(format!("cannot start worker threads: {e}"))]))?;
    progress.start(jobs.len());
    let reports: Vec<DocReport> = pool.install(|| {
        jobs.par_iter()
            .map(|job| {
                let h = &job.handout;
                let outcome = match render(h, &setup, &setup.values) {
                    Ok((bytes, pages, fonts)) => {
                        let path = options.out.join(&job.file_name);
                        match write_atomically(&path, &bytes) {
                            Ok(()) => Outcome::Written { path, pages, bytes: bytes.len(), fonts },
                            Err(e) => Outcome::Failed(vec![Diagnostic::error(format!(
                                "cannot write `{}`: {e}",
                                path.display()
                            ))
                            .hint("check that the output folder is writable and the disk is not full")]),
                        }
                    }
                    Err(d) => Outcome::Failed(d),
                };
                progress.done();
                DocReport {
                    source: h.path.clone(),
                    id: h.id.clone(),
                    lang: h.lang.clone(),
                    outcome,
                    warnings: vec![],
                }
            })
            .collect()
    });
    summary.documents.extend(reports);
    summary.sort();
    Ok(summary)
}

fn setup_contact_path(setup: &Setup) -> &Path {
    &setup.contact.path
}

/// Checks every document as `build` would, writing nothing; adds lint warnings.
pub fn check(options: &Options) -> Result<Summary, ConfigError> {
    let setup = setup(options)?;
    let paths =
        if options.paths.is_empty() { vec![PathBuf::from("handouts")] } else { options.paths.clone() };
    let sources = discover(&paths, setup_contact_path(&setup)).map_err(ConfigError)?;
    let mut summary = Summary::default();
    let loaded: Vec<&Handout> = sources
        .iter()
        .filter_map(|s| match s {
            Source::Loaded(h) if options.langs.wants(&h.lang) => Some(&**h),
            _ => None,
        })
        .collect();
    let variant_warnings = crate::lint::variant_structure(&loaded);
    for source in &sources {
        match source {
            Source::Loaded(h) => {
                if !options.langs.wants(&h.lang) {
                    continue;
                }
                let outcome =
                    match crate::resolve::resolve(h, &setup.contact, &setup.values, setup.logo.as_ref())
                        .and_then(|doc| crate::layout::layout(&doc, &setup.book, &setup.style))
                    {
                        Ok(pages) => Outcome::Checked { pages: pages.pages.len() },
                        Err(d) => Outcome::Failed(d),
                    };
                let mut warnings = crate::lint::lint(h);
                warnings.extend(crate::lint::furniture(h, &setup.contact));
                warnings
                    .extend(variant_warnings.iter().filter(|(p, _)| p == &h.path).map(|(_, d)| d.clone()));
                summary.documents.push(DocReport {
                    source: h.path.clone(),
                    id: h.id.clone(),
                    lang: h.lang.clone(),
                    outcome,
                    warnings,
                });
            }
            Source::Failed { path, id, lang, errors } => summary.documents.push(DocReport {
                source: path.clone(),
                id: id.clone(),
                lang: lang.clone().unwrap_or_default(),
                outcome: Outcome::Failed(errors.clone()),
                warnings: vec![],
            }),
        }
    }
    summary.sort();
    Ok(summary)
}
