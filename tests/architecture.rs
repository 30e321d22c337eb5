//! The pipeline's dependency rules, checked on the source: only `pdf` knows printpdf,
//! subsetter and lopdf, only `text::fonts` maps files (memmap2), only `cli` knows clap, indicatif and signal-hook, only `batch` knows csv, only `model` knows serde_yaml, and
//! `layout` never reaches for the PDF writer.

use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn each_outside_crate_is_used_by_one_stage_only() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let rules: &[(&str, &str)] = &[
        ("printpdf", "src/pdf/"),
        ("subsetter", "src/pdf/"),
        ("memmap2", "src/text/fonts/"),
        ("lopdf", "src/pdf/"),
        ("serde_yaml", "src/model/"),
        ("yaml_rust2", "src/model/"),
        ("clap", "src/cli/"),
        ("indicatif", "src/cli/"),
        ("rustybuzz", "src/text/"),
        ("pulldown_cmark", "src/text/"),
        ("unicode_linebreak", "src/text/"),
        ("unicode_bidi", "src/text/"),
        ("unicode_segmentation", "src/text/"),
        ("unicode_script", "src/text/"),
        ("annotate_snippets", "src/diag.rs"),
        ("icu_datetime", "src/resolve/labels/"),
        ("icu_decimal", "src/resolve/labels/"),
        ("icu_calendar", "src/resolve/labels/"),
        ("icu_locale_core", "src/resolve/labels/"),
        ("csv", "src/batch/"),
        ("phonenumber", "src/text/"),
        ("signal_hook", "src/cli/"),
    ];
    let mut broken = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().replace('\\', "/");
        let rel = rel.trim_start_matches('/');
        let text = std::fs::read_to_string(f).unwrap();
        for (krate, home) in rules {
            let used = text.contains(&format!("{krate}::")) || text.contains(&format!("use {krate}"));
            if used && !rel.starts_with(home) {
                broken.push(format!("{rel} uses {krate} (belongs in {home})"));
            }
        }
    }
    assert!(broken.is_empty(), "{broken:#?}");
}

/// `unsafe` is denied crate-wide (Cargo.toml) with one reviewed exception: mapping font
/// files. A second `allow` would slip past the lint, so it is counted here.
#[test]
fn the_only_unsafe_code_maps_font_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut found = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            if code.contains("unsafe {") || code.contains("unsafe fn") || code.contains("allow(unsafe_code)")
            {
                let rel =
                    f.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap().to_string_lossy().replace('\\', "/");
                found.push(format!("{}:{}", rel.trim_start_matches('/'), n + 1));
            }
        }
    }
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found.iter().all(|f| f.starts_with("src/text/fonts/discover.rs:")), "{found:#?}");
}
