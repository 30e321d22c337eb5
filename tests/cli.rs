//! The command line as a user meets it: exit codes, messages, files written or not.

mod common;

use common::*;

const GOOD: &str = "title: Good\nbody:\n  - Call {{contact.phone}}.\n";

#[test]
fn builds_a_folder_and_reports_each_file() {
    let d = Dir::new();
    d.write("h/one.yaml", GOOD);
    d.write("h/two.yaml", "title: Two\nbody:\n  - Hello.\n");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote out/one.en.pdf"), "{}", stdout(&o));
    assert!(d.path("out/one.en.pdf").is_file() && d.path("out/two.en.pdf").is_file());
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(d.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
}

#[test]
fn missing_contact_profile_is_a_configuration_error() {
    let d = Dir::new();
    std::fs::remove_file(d.path("h/contact.yaml")).unwrap();
    d.write("h/one.yaml", GOOD);
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("no contact profile at `h/contact.yaml`"), "{err}");
    assert!(err.contains("organization:"), "the hint says how to make one: {err}");
    assert!(!d.path("out").exists(), "nothing is written");
}

#[test]
fn one_failed_document_does_not_stop_the_others() {
    let d = Dir::new();
    d.write("h/good.yaml", GOOD);
    d.write("h/bad.yaml", "title: Bad\nbody:\n  - Hello {{patient_name}}.\n");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("placeholder `{{patient_name}}` has no value"), "{err}");
    assert!(err.contains("failed: h/bad.yaml"), "the summary names the failure: {err}");
    assert!(d.path("out/good.en.pdf").is_file());
    assert!(!d.path("out/bad.en.pdf").exists());
    // --set fills it.
    let o = d.run(&["build", "h", "-o", "out", "--set", "patient_name=Ana"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    if require_tool("pdftotext") {
        assert!(page_text(&d.path("out/bad.en.pdf"), 1).contains("Hello Ana."));
    }
}

#[test]
fn a_failed_run_never_replaces_a_good_pdf() {
    let d = Dir::new();
    d.write("h/doc.yaml", GOOD);
    assert_eq!(d.run(&["build", "h", "-o", "out"]).status.code(), Some(0));
    let before = std::fs::read(d.path("out/doc.en.pdf")).unwrap();
    d.write("h/doc.yaml", "title: Doc\nbody:\n  - Now broken {{nothing}}.\n");
    assert_eq!(d.run(&["build", "h", "-o", "out"]).status.code(), Some(1));
    assert_eq!(std::fs::read(d.path("out/doc.en.pdf")).unwrap(), before);
}

#[test]
fn unwritable_output_folder_is_a_configuration_error() {
    let d = Dir::new();
    d.write("h/doc.yaml", GOOD);
    d.write("out", "a file where the folder should be");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot create output folder `out`"), "{}", stderr(&o));
}

#[test]
fn duplicate_output_names_stop_before_anything_is_written() {
    let d = Dir::new();
    d.write("h/doc.yaml", GOOD);
    d.write("other/doc.yaml", GOOD);
    let o = d.run(&["build", "h/doc.yaml", "other/doc.yaml", "--contact", "h/contact.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("would both be written to `doc.en.pdf`"), "{}", stderr(&o));
    assert!(!d.path("out").exists());
}

#[test]
fn source_date_epoch_sets_dates_and_a_bad_value_is_a_usage_error() {
    let d = Dir::new();
    d.write("h/doc.yaml", GOOD);
    let run = |v: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(["build", "-q", "h", "-o", "out"])
            .current_dir(d.tmp.path())
            .env("SOURCE_DATE_EPOCH", v)
            .output()
            .unwrap()
    };
    let o = run("yesterday");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("SOURCE_DATE_EPOCH"), "{}", stderr(&o));
    assert_eq!(run("1767225600").status.code(), Some(0));
    assert_eq!(d.run(&["build", "-q", "h", "-o", "out2"]).status.code(), Some(0));
    if !require_tool("pdfinfo") {
        return;
    }
    let info = pdfinfo(&d.path("out/doc.en.pdf"));
    assert!(info.contains("2026"), "CreationDate from SOURCE_DATE_EPOCH: {info}");
    // Without it, no date is written, so builds stay byte-identical.
    assert!(!pdfinfo(&d.path("out2/doc.en.pdf")).contains("CreationDate"));
}

#[test]
fn a_character_no_font_can_show_is_an_error_naming_it() {
    let d = Dir::new();
    d.write("h/doc.yaml", "title: Doc\nbody:\n  - \"Private use \u{E000} here\"\n");
    let o = d.run(&["build", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("no font can show `\u{E000}` (U+E000)"), "{err}");
    assert!(err.contains("h/doc.yaml:3:"), "{err}");
    assert!(err.contains("NotoSans-Regular.ttf"), "names the fonts tried: {err}");
    assert!(!d.path("out/doc.en.pdf").exists());
}

#[test]
fn json_summary_is_one_object_on_stdout() {
    let d = Dir::new();
    d.write("h/good.yaml", GOOD);
    d.write("h/bad.yaml", "title: Bad\nbody:\n  - \"{{x}}\"\n");
    let o = d.run(&["build", "--json", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("one JSON object");
    assert_eq!(v["exit_code"], 1);
    assert_eq!(v["counts"]["written"], 1);
    assert_eq!(v["counts"]["failed"], 1);
    let docs = v["documents"].as_array().unwrap();
    let bad = docs.iter().find(|d| d["id"] == "bad").unwrap();
    assert_eq!(bad["status"], "failed");
    assert_eq!(bad["errors"][0]["line"], 3);
    let good = docs.iter().find(|d| d["id"] == "good").unwrap();
    assert_eq!(good["pages"], 1);
    assert!(good["bytes"].as_u64().unwrap() > 1000);
}

#[test]
fn check_writes_nothing_and_reports_every_error() {
    let d = Dir::new();
    d.write("h/a.yaml", "title: A\nbody:\n  - \"{{one}}\"\n");
    d.write("h/b.yaml", "title: B\nbody:\n  - \"{{two}}\"\n");
    let o = d.run(&["check", "h"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("{{one}}") && err.contains("{{two}}"), "{err}");
    assert!(!d.path("out").exists());
    let ok = Dir::new();
    ok.write("h/a.yaml", GOOD);
    assert_eq!(ok.run(&["check", "h"]).status.code(), Some(0));
}

#[test]
fn new_writes_a_starter_that_builds_and_never_overwrites() {
    let d = Dir::new();
    let o = d.run(&["new", "knee-care", "--dir", "h"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path("h/knee-care.yaml").is_file());
    let o = d.run(&["build", "-q", "h/knee-care.yaml", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    if require_tool("pdftotext") {
        assert!(page_text(&d.path("out/knee-care.en.pdf"), 1).contains("Knee Care"));
    }
    let again = d.run(&["new", "knee-care", "--dir", "h"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    let bad = d.run(&["new", "Knee Care", "--dir", "h"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn fonts_lists_the_shipped_fonts() {
    let d = Dir::new();
    let o = d.run(&["fonts"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    assert!(out.contains("shipped   Noto Sans Regular"), "{out}");
    assert!(out.contains("Noto Sans Bold Italic"), "{out}");
    assert!(out.contains("Latin"), "{out}");
}

#[test]
fn usage_errors_exit_2() {
    let d = Dir::new();
    assert_eq!(d.run(&["build", "--paper", "legal"]).status.code(), Some(2));
    assert_eq!(d.run(&["build", "--set", "novalue", "h"]).status.code(), Some(2));
    assert_eq!(d.run(&["build", "does-not-exist"]).status.code(), Some(2));
}

#[test]
fn a_huge_jobs_value_does_not_start_a_thread_per_job_slot() {
    let d = Dir::new();
    d.write("h/doc.yaml", GOOD);
    let o = d.run(&["build", "-q", "-j", "100000", "h", "-o", "out"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path("out/doc.en.pdf").is_file());
}
