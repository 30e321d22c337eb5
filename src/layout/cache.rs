//! Lines that do not depend on the data of a document, kept for the next one.
//!
//! A discharge run prints one handout for thousands of patients: every paragraph without
//! a placeholder is shaped and broken into the same lines in every document. Shaping was
//! a fifth of the cost of a document, so lines of text that came verbatim from the
//! handout (no placeholder filled) are kept, per text, style, language and width, and
//! copied into the next document that sets the same text. Text with a filled placeholder
//! is always set afresh.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::line::Line;

/// Kept entries above this many are dropped before the next is kept, so a run of many
/// different handouts holds memory flat.
const MAX_ENTRIES: usize = 4096;

/// What a paragraph's lines depend on besides the book and the style, which one cache
/// never changes (it belongs to one run).
#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) struct LineKey {
    pub text: String,
    pub bold: bool,
    pub lang: String,
    /// Font size and line width, as bits (exact: the same numbers give the same lines).
    pub size: u32,
    pub width: u32,
}

/// Lines set for earlier documents of a run. One cache must only serve one font book
/// and one page style.
#[derive(Default)]
pub struct LineCache {
    lines: Mutex<HashMap<LineKey, Arc<Vec<Line>>>>,
}

impl LineCache {
    /// The lines kept for `key`, if any.
    pub(super) fn get(&self, key: &LineKey) -> Option<Arc<Vec<Line>>> {
        self.lines.lock().ok()?.get(key).cloned()
    }

    /// Keeps `lines` for `key`.
    pub(super) fn put(&self, key: LineKey, lines: &[Line]) {
        if let Ok(mut map) = self.lines.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, Arc::new(lines.to_vec()));
        }
    }

    /// How many texts are kept (for tests and benchmarks).
    pub fn len(&self) -> usize {
        self.lines.lock().map_or(0, |m| m.len())
    }

    /// True if and only if nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
