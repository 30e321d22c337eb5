//! One input through the whole pipeline in-process (load, lint, resolve, layout, PDF),
//! and the checks every outcome must pass. Shared by the fuzzer (`fuzz/main.rs`, run as
//! `cargo run --release --example fuzz`) and the replay test (`tests/fuzz_corpus.rs`),
//! so a crasher the fuzzer saved fails `cargo test` the same way.
//!
//! Which file name and page style an input is run with is derived from its bytes, so a
//! saved input replays exactly.

// Each user (the fuzzer, the replay test, the property test) uses a part.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use handout::batch::{self, Options, Setup};
use handout::diag::{Diagnostic, Diagnostics, Severity};
use handout::layout::{Item, Paper};

/// The names an input is read under: the file name's language tag counts when the
/// handout has no `lang:` key.
const NAMES: [&str; 3] = ["fuzz.yaml", "fuzz.ar.yaml", "fuzz.zh-Hans.yaml"];

/// `--set` values, so placeholders can be filled, filled with a bad date, or be missing.
const SET: [(&str, &str); 4] =
    [("patient_name", "Ana María"), ("follow_up", "2026-12-03"), ("mrn", "M000001"), ("bad_date", "soon")];

/// The stage an input failed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// YAML and the model's checks.
    Load,
    /// Placeholders and links.
    Resolve,
    /// Fonts, shaping, lines and pages.
    Layout,
    /// Writing the PDF (any error here is a finding: earlier stages must catch it).
    Pdf,
}

/// What one input did.
#[derive(Debug)]
pub struct Outcome {
    /// The PDF's page count and bytes, or the stage that failed and its diagnostics.
    pub result: Result<(usize, Vec<u8>), (Stage, Diagnostics)>,
    /// Lint warnings (as `handout check` gives them).
    pub warnings: Diagnostics,
    /// The diagnostics of the same bytes read as a contact profile (empty if they load).
    pub as_contact: Diagnostics,
    /// Font files the glyphs came from.
    pub fonts: Vec<String>,
    /// Link targets on the pages.
    pub links: Vec<String>,
    /// The text of each page, runs joined in order.
    pub page_text: Vec<String>,
}

/// The shared set-ups: Letter at normal size and A4 in large print.
pub struct Harness {
    setups: Vec<Setup>,
}

impl Harness {
    /// Loads fonts, the sample contact profile (with its logo) and the `--set` values.
    pub fn new(root: &Path) -> Harness {
        let handouts = root.join("handouts");
        let setups = [(Paper::Letter, false), (Paper::A4, true)]
            .into_iter()
            .map(|(paper, large_print)| {
                let options = Options {
                    paths: vec![handouts.clone()],
                    contact: Some(handouts.join("contact.yaml")),
                    set: SET.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
                    paper,
                    large_print,
                    jobs: 1,
                    ..Options::default()
                };
                batch::setup(&options).unwrap_or_else(|e| panic!("setup: {:?}", e.0))
            })
            .collect();
        Harness { setups }
    }

    /// The file name and set-up an input runs with, from its bytes.
    pub fn variant(bytes: &[u8]) -> (&'static str, usize) {
        let h = fnv1a(bytes);
        (NAMES[(h % 3) as usize], ((h / 3) % 2) as usize)
    }

    /// Runs `bytes` through every stage under the name and set-up its bytes pick.
    /// Panics are the caller's to catch.
    pub fn run(&self, bytes: &[u8]) -> Outcome {
        let (name, which) = Harness::variant(bytes);
        self.run_as(bytes, name, which)
    }

    /// Runs `bytes` as the handout file `name` with set-up `which` (0: Letter, 1: A4 in
    /// large print).
    pub fn run_as(&self, bytes: &[u8], name: &str, which: usize) -> Outcome {
        let setup = &self.setups[which % self.setups.len()];
        // Beside the samples, so the pictures of `image:` blocks (`images/…`) are found.
        let path = PathBuf::from("handouts").join(name);
        let as_contact =
            handout::model::parse_contact(Path::new("contact.yaml"), bytes).err().unwrap_or_default();
        let mut outcome = Outcome {
            result: Err((Stage::Load, vec![])),
            warnings: vec![],
            as_contact,
            fonts: vec![],
            links: vec![],
            page_text: vec![],
        };
        let h = match handout::model::parse_handout(&path, bytes) {
            Ok(h) => h,
            Err(d) => {
                outcome.result = Err((Stage::Load, d));
                return outcome;
            }
        };
        outcome.warnings = handout::lint::lint(&h);
        outcome.warnings.extend(handout::lint::furniture(&h, &setup.contact));
        let doc = match handout::resolve::resolve_with(
            &h,
            &setup.contact,
            &setup.values,
            setup.logo.as_ref(),
            &setup.pictures,
        ) {
            Ok(d) => d,
            Err(d) => {
                outcome.result = Err((Stage::Resolve, d));
                return outcome;
            }
        };
        let pages = match handout::layout::layout(&doc, &setup.book, &setup.style) {
            Ok(p) => p,
            Err(d) => {
                outcome.result = Err((Stage::Layout, d));
                return outcome;
            }
        };
        let mut fonts = std::collections::BTreeSet::new();
        for page in &pages.pages {
            let mut text = String::new();
            for item in &page.items {
                match item {
                    Item::Text { run, .. } => {
                        text.push_str(&run.text);
                        let file = setup.book.path(run.font);
                        fonts.insert(file.file_name().map_or_else(
                            || file.display().to_string(),
                            |n| n.to_string_lossy().into_owned(),
                        ));
                    }
                    Item::Link { target, .. } => outcome.links.push(target.clone()),
                    _ => {}
                }
            }
            outcome.page_text.push(text);
        }
        outcome.fonts = fonts.into_iter().collect();
        outcome.result = handout::pdf::write(&pages, &doc, &setup.book, &setup.cache, &setup.pdf)
            .map(|bytes| (pages.pages.len(), bytes))
            .map_err(|d| (Stage::Pdf, vec![d]));
        outcome
    }
}

/// FNV-1a, 64 bits: a stable hash for variants and file names.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// What is wrong with an outcome; empty when it is fine. A panic is caught by the caller.
pub fn problems(o: &Outcome) -> Vec<String> {
    let mut out = Vec::new();
    let no_place = |d: &Diagnostic| d.severity == Severity::Error && d.span.is_none();
    match &o.result {
        Ok((pages, bytes)) => {
            if *pages == 0 {
                out.push("a PDF with no pages".to_string());
            }
            if !bytes.starts_with(b"%PDF-") {
                out.push("the PDF does not start with %PDF-".to_string());
            }
            if !bytes.trim_ascii_end().ends_with(b"%%EOF") {
                out.push("the PDF does not end with %%EOF".to_string());
            }
        }
        Err((stage, d)) => {
            if !d.iter().any(Diagnostic::is_error) {
                out.push(format!("{stage:?} failed without an error"));
            }
            if *stage == Stage::Pdf {
                out.push(format!("the PDF writer failed: {}", d.first().map_or("", |d| &d.message)));
            }
            if let Some(d) = d.iter().find(|d| no_place(d)) {
                out.push(format!("{stage:?} error without a place: {}", d.message));
            }
        }
    }
    if let Some(d) = o.as_contact.iter().find(|d| no_place(d)) {
        out.push(format!("contact error without a place: {}", d.message));
    }
    for link in &o.links {
        let lower = link.to_ascii_lowercase();
        if !["https:", "http:", "mailto:", "tel:"].iter().any(|s| lower.starts_with(s)) {
            out.push(format!("a live link to `{link}`"));
        }
    }
    if o.result.is_ok() {
        for (i, text) in o.page_text.iter().enumerate() {
            if text.contains("{{") || text.contains("}}") {
                out.push(format!("page {} shows `{{{{` or `}}}}`", i + 1));
            }
        }
    }
    out
}

/// A diagnostic message with what varies taken out, so messages of one kind count once:
/// everything from the first to the last backtick or double quote (quoted text may hold
/// either), and numbers.
pub fn template(message: &str) -> String {
    let mut m = message.to_string();
    for q in ['`', '"'] {
        if let (Some(a), Some(b)) = (m.find(q), m.rfind(q)) {
            if a < b {
                m.replace_range(a..=b, "_");
            }
        }
    }
    let mut out = String::with_capacity(m.len());
    let mut last_digit = false;
    for c in m.chars() {
        if c.is_ascii_digit() {
            if !last_digit {
                out.push('0');
            }
            last_digit = true;
            continue;
        }
        last_digit = false;
        out.push(c);
    }
    out
}

/// The outcome's features, a cheap stand-in for coverage: an input that shows a feature
/// no earlier input showed is kept in the corpus.
pub fn features(o: &Outcome) -> Vec<String> {
    let bucket = |n: usize| usize::BITS - n.leading_zeros();
    let mut f = Vec::new();
    match &o.result {
        Ok((pages, _)) => {
            f.push(format!("ok pages~{}", bucket(*pages)));
            f.push(format!("links~{}", bucket(o.links.len())));
            f.extend(o.fonts.iter().map(|font| format!("font {font}")));
        }
        Err((stage, d)) => {
            f.push(format!("{stage:?} errors~{}", bucket(d.len())));
            if let Some(first) = d.first() {
                f.push(format!("{stage:?} first {}", template(&first.message)));
            }
            f.extend(d.iter().map(|d| format!("{stage:?} {}", template(&d.message))));
        }
    }
    f.extend(o.warnings.iter().map(|d| format!("lint {}", template(&d.message))));
    f.extend(o.as_contact.iter().map(|d| format!("contact {}", template(&d.message))));
    f
}

/// The yaml files in `dir`, sorted (the corpus and seed folders).
pub fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    files
}
