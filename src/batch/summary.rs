//! What a run did: each document's outcome and the run's summary, as plain data the CLI
//! prints (text or JSON) and turns into an exit code.

use std::path::PathBuf;

use super::{Job, Shard};
use crate::diag::Diagnostics;
use crate::text::FontBook;

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
    /// `--skip-existing`: the PDF was already there and was left alone.
    Skipped {
        /// The existing file.
        path: PathBuf,
    },
    /// The document failed; nothing was written for it.
    Failed(Diagnostics),
}

/// A font file a document used, so a summary records its inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsedFont {
    /// The font file (`<built-in>/…` for the copy compiled into the binary).
    pub file: PathBuf,
    /// Lowercase hex SHA-256 of the file (computed once per file per run), when
    /// [`super::Options::font_hashes`] asked for it.
    pub sha256: Option<String>,
}

/// The font files the glyph runs of `pages` come from, sorted by path.
pub(super) fn used_fonts(pages: &crate::layout::Pages, book: &FontBook, hashes: bool) -> Vec<UsedFont> {
    let ids: std::collections::BTreeSet<crate::text::FontId> = pages
        .pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|i| match i {
            crate::layout::Item::Text { run, .. } => Some(run.font),
            _ => None,
        })
        .collect();
    let files: std::collections::BTreeMap<PathBuf, Option<String>> = ids
        .into_iter()
        .map(|id| {
            (book.path(id).to_path_buf(), hashes.then(|| book.sha256(id).map(str::to_string)).flatten())
        })
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
    /// The `--data` row, 1-based.
    pub row: Option<usize>,
    /// What happened.
    pub outcome: Outcome,
    /// Warnings (check mode).
    pub warnings: Diagnostics,
}

/// What a run did.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Per document, sorted (independent of `--jobs` and of finishing order).
    pub documents: Vec<DocReport>,
    /// Warnings about the run as a whole (unused `--set` keys and columns).
    pub warnings: Diagnostics,
    /// The signal that stopped the run early, if one did.
    pub interrupted: Option<i32>,
    /// Documents of this shard never started because of the interruption.
    pub not_started: usize,
    /// The shard this run made.
    pub shard: Shard,
}

impl Summary {
    /// Orders documents by id, data row, language and file, so output never depends on
    /// the order files were found or finished in.
    pub(super) fn sort(&mut self) {
        self.documents
            .sort_by(|a, b| (&a.id, a.row, &a.lang, &a.source).cmp(&(&b.id, b.row, &b.lang, &b.source)));
    }

    /// Returns true if and only if any document failed.
    pub fn failed(&self) -> bool {
        self.documents.iter().any(|d| matches!(d.outcome, Outcome::Failed(_)))
    }
}

impl DocReport {
    pub(super) fn of(job: &Job, outcome: Outcome, warnings: Diagnostics) -> DocReport {
        let h = &job.handout;
        DocReport {
            source: h.path.clone(),
            id: h.id.clone(),
            lang: h.lang.clone(),
            row: job.row,
            outcome,
            warnings,
        }
    }
}
