//! The fuzzer's corpus as a regression test: every seed (`fuzz/seeds/`, inputs the
//! fuzzer found among them) and the inputs the fuzzer kept (`fuzz/corpus/`) run through
//! the whole pipeline in-process (the harness of `cargo run --release --example fuzz`)
//! without a panic and pass the outcome checks: a PDF from `%PDF-` to `%%EOF`, or errors
//! that each have a place; only web, email and phone links; no `{{` on a page.

#[path = "../fuzz/pipeline.rs"]
mod pipeline;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use pipeline::{problems, yaml_files, Harness};

#[test]
fn every_corpus_input_builds_or_fails_with_placed_errors() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let harness = Harness::new(&root);
    let seeds = yaml_files(&root.join("fuzz/seeds"));
    // In a debug build (about ten times slower) every k-th input, at most 50, so `cargo
    // test` stays fast; `cargo test --release` replays them all.
    let mut corpus = yaml_files(&root.join("fuzz/corpus"));
    if cfg!(debug_assertions) && corpus.len() > 50 {
        let k = corpus.len().div_ceil(50);
        corpus = corpus.into_iter().step_by(k).collect();
    }
    assert!(seeds.len() >= 5, "the hostile seeds are missing");
    let mut failures = Vec::new();
    let mut built = 0;
    for file in seeds.iter().chain(&corpus) {
        let bytes = std::fs::read(file).unwrap();
        match catch_unwind(AssertUnwindSafe(|| harness.run(&bytes))) {
            Err(_) => failures.push(format!("{}: panicked", file.display())),
            Ok(o) => {
                built += usize::from(o.result.is_ok());
                failures.extend(problems(&o).into_iter().map(|p| format!("{}: {p}", file.display())));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The seeds are not all errors: most build, so the later stages are reached.
    assert!(built >= 3, "only {built} inputs built a PDF");
}
