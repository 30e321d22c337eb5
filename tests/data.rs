//! Discharge runs from data (`--data`, `--name`, `--shard`, `--json`, interruption), as a
//! user meets them: files written, their names and contents, exit codes and messages.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

const DISCHARGE: &str = "title: Going Home\nbody:\n  - \"Dear {{patient_name}}: your visit is on {{visit|date}}. {{note}}\"\n  - Call {{contact.phone}}.\n";
const DISCHARGE_ES: &str = "title: Volver a casa\nlang: es\nbody:\n  - \"Hola {{patient_name}}: su visita es el {{visit|date}}. {{note}}\"\n  - Llame al {{contact.phone}}.\n";

/// A folder with the discharge handout (en, es) and `d.csv`.
fn discharge(csv: &str) -> Dir {
    let d = Dir::new();
    d.write("h/discharge.yaml", DISCHARGE);
    d.write("h/discharge.es.yaml", DISCHARGE_ES);
    d.write("d.csv", csv);
    d
}

/// File names in a folder, sorted.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|r| r.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default()
}

fn json(o: &std::process::Output) -> serde_json::Value {
    serde_json::from_str(&stdout(o)).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

#[test]
fn values_are_plain_text_never_markup_links_or_placeholders() {
    let d = discharge("patient_name\nAna\n");
    let evil = "patient_name=**Bold** [click](https://evil.example) {{contact.phone}}";
    let o = d.run(&[
        "build",
        "h/discharge.yaml",
        "-o",
        "out",
        "--set",
        evil,
        "--set",
        "visit=2026-12-03",
        "--set",
        "note=x",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("the value of --set patient_name contains `{{`"), "{}", stderr(&o));
    assert!(names(&d.path("out")).is_empty(), "a value with braces never reaches a page");
    // Nor does a contact field, which every footer prints.
    let o = d.run(&["build", "h/discharge.yaml", "-o", "out", "--set", "contact.phone={{x}}", "--json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("the contact profile's `phone` contains `{{`"), "{}", stderr(&o));
    let evil = "patient_name=**Bold** [click](https://evil.example) <https://evil.example/2>";
    let o = d.run(&[
        "build",
        "h/discharge.yaml",
        "-o",
        "out",
        "--set",
        evil,
        "--set",
        "visit=2026-12-03",
        "--set",
        "note=*",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let pdf = d.path("out/discharge.en.pdf");
    assert!(
        link_uris(&pdf).iter().all(|u| !u.contains("evil")),
        "no link from a value: {:?}",
        link_uris(&pdf)
    );
    if require_tool("pdftotext") {
        let text = squash(&page_text(&pdf, 1));
        assert!(
            text.contains("Dear **Bold** [click](https://evil.example) <https://evil.example/2>: your visit is on December 3, 2026. *"),
            "{text}"
        );
    }
}

#[test]
fn one_pdf_per_row_in_its_language_with_placeholders_from_each_source() {
    let d = discharge(
        "\u{feff}mrn,patient_name,lang,visit\r\n1001,Ana Díaz,es,2026-12-03\r\n1002,\"Smith, Bo\",en,2026-12-04\r\n1003,Chloé,fr,2026-12-05\r\n",
    );
    let args = [
        "build",
        "h",
        "-o",
        "out",
        "--data",
        "d.csv",
        "--name",
        "{mrn}-{lang}",
        "--set",
        "note=Bring your pills.",
    ];
    let o = d.run(&args);
    assert_eq!(o.status.code(), Some(1), "the fr row fails alone: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("row 3 asks for language `fr`, but `discharge` has no such variant"), "{err}");
    assert!(
        err.contains("variants of `discharge`: en, es") || err.contains("variants of `discharge`: es, en"),
        "{err}"
    );
    assert!(err.contains("d.csv (fr, row 3)"), "the summary names the row: {err}");
    assert_eq!(names(&d.path("out")), BTreeSet::from(["1001-es.pdf".to_string(), "1002-en.pdf".to_string()]));
    // --fallback-lang builds it in English.
    let o = d.run(&[&args[..], &["--fallback-lang", "en"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path("out/1003-en.pdf").is_file());
    if require_tool("pdftotext") {
        let es = squash(&page_text(&d.path("out/1001-es.pdf"), 1));
        assert!(
            es.contains("Hola Ana Díaz: su visita es el 3 de diciembre de 2026. Bring your pills."),
            "{es}"
        );
        assert!(es.contains("Llame al +1 (555) 010-0199"), "{es}");
        let en = squash(&page_text(&d.path("out/1002-en.pdf"), 1));
        assert!(en.contains("Dear Smith, Bo: your visit is on December 4, 2026."), "{en}");
    }
}

#[test]
fn a_bad_row_or_a_missing_value_fails_that_document_only() {
    let d = discharge("patient_name,visit,note\nAna,2026-12-03,a\nBo,2026-12-03\nCy,not a date,c\n,2026-12-03,d\nDee,2026-12-03,e\n");
    let o = d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "--json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("d.csv:3:1: error: row 2 has 2 fields, the header has 3"), "{err}");
    assert!(
        err.contains("the value of column `visit` of row 3 of `d.csv` is `not a date`, not a date"),
        "{err}"
    );
    assert!(err.contains("placeholder `{{patient_name}}` has no value"), "an empty cell is no value: {err}");
    let v = json(&o);
    let failed: Vec<u64> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["status"] == "failed")
        .map(|x| x["row"].as_u64().unwrap())
        .collect();
    assert_eq!(failed, [2, 3, 4]);
    assert_eq!(
        names(&d.path("out")),
        BTreeSet::from(["discharge.en.1.pdf".into(), "discharge.en.5.pdf".into()])
    );
}

#[test]
fn a_panicking_document_fails_alone_and_the_run_reports() {
    let d = discharge("patient_name,visit,note\nAna,2026-12-03,a\n");
    d.write("h/other.yaml", "title: Other\nbody:\n  - Hello {{patient_name}}.\n");
    let o = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "h", "-o", "out", "--data", "d.csv", "--json"])
        .current_dir(d.tmp.path())
        .env("HANDOUT_TEST_PANIC", "other")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("internal error while rendering `h/other.yaml` (en, data row 1)"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("please report"), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["counts"]["written"], 1);
    assert_eq!(v["counts"]["failed"], 1);
    assert!(d.path("out/discharge.en.1.pdf").is_file() && !d.path("out/other.en.1.pdf").exists());
    // Arabic text (which panicked in the shaper) never ends the run either.
    d.write("h/ar.yaml", "title: Arabic\nlang: ar\nbody:\n  - مرحبا بكم\n");
    let o = d.run(&["build", "h/ar.yaml", "h/other.yaml", "-o", "out2", "--set", "patient_name=Ana"]);
    assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    assert!(d.path("out2/other.en.pdf").is_file());
}

/// `lp.csv`: `n` rows with an id, a name and a language.
fn rows_csv(n: usize) -> String {
    let mut csv = String::from("mrn,patient_name,lang,visit,note\n");
    for i in 1..=n {
        let lang = if i % 3 == 0 { "es" } else { "en" };
        csv.push_str(&format!("M{i:05},Patient {i},{lang},2026-12-{:02},Row {i}.\n", 1 + i % 28));
    }
    csv
}

#[test]
fn a_thousand_rows_with_names_and_contents_checked_on_samples() {
    let d = discharge(&rows_csv(1000));
    let o = d.run(&[
        "build",
        "h",
        "-o",
        "out",
        "--data",
        "d.csv",
        "--name",
        "{mrn}.{lang}",
        "-j",
        "2",
        "-q",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(json(&o)["counts"]["written"], 1000);
    let files = names(&d.path("out"));
    assert_eq!(files.len(), 1000, "no temporary files are left");
    assert!(
        files.contains("M00001.en.pdf") && files.contains("M00999.es.pdf") && files.contains("M01000.en.pdf")
    );
    if require_tool("pdftotext") {
        for i in [1, 333, 999, 1000] {
            let lang = if i % 3 == 0 { "es" } else { "en" };
            let text = squash(&page_text(&d.path(&format!("out/M{i:05}.{lang}.pdf")), 1));
            let greeting = if lang == "es" { "Hola" } else { "Dear" };
            assert!(
                text.contains(&format!("{greeting} Patient {i}:")) && text.contains(&format!("Row {i}.")),
                "{text}"
            );
        }
    }
}

#[test]
fn shards_add_up_to_the_whole_and_output_is_identical_across_jobs() {
    let d = discharge(&rows_csv(20));
    d.write("h/other.yaml", "title: Other\nbody:\n  - Hello {{patient_name}}.\n");
    let base = ["build", "h", "-o", "all", "--data", "d.csv", "-q", "-j", "1", "--fallback-lang", "en"];
    assert_eq!(d.run(&base).status.code(), Some(0));
    let all = names(&d.path("all"));
    assert_eq!(all.len(), 40);
    let mut union = BTreeSet::new();
    for k in 1..=3 {
        let out = format!("s{k}");
        let shard = format!("{k}/3");
        let o = d.run(&[
            "build",
            "h",
            "-o",
            &out,
            "--data",
            "d.csv",
            "-q",
            "--shard",
            &shard,
            "-j",
            "2",
            "--fallback-lang",
            "en",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        for n in names(&d.path(&out)) {
            assert!(union.insert(n.clone()), "{n} is in two shards");
            let same = std::fs::read(d.path(&format!("s{k}/{n}"))).unwrap()
                == std::fs::read(d.path(&format!("all/{n}"))).unwrap();
            assert!(same, "{n} differs between -j 1 and a -j 2 shard");
        }
    }
    assert_eq!(union, all);
    // --shard env/3 reads the Kubernetes index (0-based).
    let o = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args([
            "build",
            "h",
            "-o",
            "env",
            "--data",
            "d.csv",
            "-q",
            "--shard",
            "env/3",
            "--fallback-lang",
            "en",
        ])
        .current_dir(d.tmp.path())
        .env("JOB_COMPLETION_INDEX", "1")
        .env_remove("AWS_BATCH_JOB_ARRAY_INDEX")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&d.path("env")), names(&d.path("s2")));
}

#[test]
fn json_has_one_shape_for_success_partial_failure_and_configuration_errors() {
    let d = discharge("patient_name,visit,note\nAna,2026-12-03,a\nBo,x,b\n");
    let ok = json(&d.run(&[
        "build",
        "h/discharge.yaml",
        "-o",
        "out",
        "--set",
        "patient_name=A",
        "--set",
        "visit=2026-01-02",
        "--set",
        "note=n",
        "--json",
    ]));
    let partial = json(&d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "--json"]));
    let config = json(&d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "missing.csv", "--json"]));
    let keys = |v: &serde_json::Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&ok), keys(&partial));
    assert_eq!(keys(&ok), keys(&config));
    assert_eq!(keys(&ok["counts"]), keys(&config["counts"]));
    for k in
        ["command", "ok", "exit_code", "interrupted", "shard", "documents", "counts", "errors", "warnings"]
    {
        assert!(ok.get(k).is_some(), "{k}");
    }
    assert_eq!(
        (ok["exit_code"].as_u64(), partial["exit_code"].as_u64(), config["exit_code"].as_u64()),
        (Some(0), Some(1), Some(2))
    );
    assert!(ok["documents"][0]["row"].is_null());
    let docs = [&ok["documents"][0], &partial["documents"][0], &partial["documents"][1]];
    for doc in docs {
        assert_eq!(keys(doc), keys(&ok["documents"][0]));
        assert!(doc["errors"].is_array() && doc["warnings"].is_array());
    }
    assert_eq!(partial["documents"][1]["row"], 2);
    assert_eq!(config["documents"].as_array().unwrap().len(), 0);
    assert!(config["errors"][0]["message"].as_str().unwrap().contains("missing.csv"));
}

#[test]
fn unused_set_keys_and_columns_warn_toward_the_template_and_deny_warnings_fails() {
    let d = discharge("patient_nmae,visit,note,extra\nAna,2026-12-03,a,z\n");
    let args = ["check", "h/discharge.yaml", "--set", "patient_name=A", "--set", "visti=1"];
    let o = d.run(&args);
    assert_eq!(o.status.code(), Some(1), "visit has no value: {}", stderr(&o));
    let o = d.run(&[&args[..], &["--set", "visit=2026-12-03", "--set", "note=n"]].concat());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("--set `visti` is not used by any handout built"), "{err}");
    assert!(err.contains("did you mean `visit`?"), "{err}");
    let o =
        d.run(&[&args[..], &["--set", "visit=2026-12-03", "--set", "note=n", "--deny-warnings"]].concat());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    // A misspelled column: the hint names the column as the typo, not the template.
    let o = d.run(&["check", "h/discharge.yaml", "--data", "d.csv"]);
    let err = stderr(&o);
    assert!(err.contains("column `patient_nmae`: is it a typo for `patient_name`?"), "{err}");
    assert!(!err.contains("did you mean `{{patient_nmae}}`"), "{err}");
    assert!(
        err.contains("column `patient_nmae` of `d.csv` is not used") && err.contains("column `extra`"),
        "{err}"
    );
}

#[test]
fn names_are_sanitized_and_checked_unique_before_anything_is_written() {
    let d = discharge("mrn,patient_name,visit,note\n../../etc/x,Ana,2026-12-03,a\nCON,Bo,2026-12-03,b\nsame,Cy,2026-12-03,c\nSAME,Dee,2026-12-03,d\n");
    let o = d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "--name", "{mrn}"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("(row 3) and `h/discharge.yaml` (row 4) would both be written to `SAME.pdf`"),
        "{}",
        stderr(&o)
    );
    assert!(!d.path("out").exists(), "nothing is written");
    d.write("d.csv", "mrn,patient_name,visit,note\n../../etc/x,Ana,2026-12-03,a\nCON,Bo,2026-12-03,b\n");
    let o = d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "--name", "{mrn}"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(names(&d.path("out")), BTreeSet::from(["_._etc_x.pdf".to_string(), "_CON.pdf".to_string()]));
    let o = d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "--name", "{nope}"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("{mrn}"), "the hint lists the fields: {}", stderr(&o));
}

#[test]
fn data_from_stdin_and_json_lines() {
    let d = discharge("");
    let mut child = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(["build", "h/discharge.yaml", "-o", "out", "--data", "-", "-q"])
        .current_dir(d.tmp.path())
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{\"patient_name\": \"Ana\", \"visit\": \"2026-12-03\", \"note\": 1}\n\n{\"patient_name\": \"Bo\", \"visit\": \"2026-12-04\", \"note\": true}\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        names(&d.path("out")),
        BTreeSet::from(["discharge.en.1.pdf".into(), "discharge.en.2.pdf".into()])
    );
}

#[test]
fn a_good_pdf_is_kept_when_its_row_starts_failing() {
    let d = discharge("patient_name,visit,note\nAna,2026-12-03,a\n");
    assert_eq!(d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv"]).status.code(), Some(0));
    let good = std::fs::read(d.path("out/discharge.en.1.pdf")).unwrap();
    d.write("d.csv", "patient_name,visit,note\nAna,someday,a\n");
    assert_eq!(d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv"]).status.code(), Some(1));
    assert_eq!(std::fs::read(d.path("out/discharge.en.1.pdf")).unwrap(), good);
}

/// Starts a long build, waits for its first PDFs, sends `signal`; returns the output.
fn interrupted_build(d: &Dir, signal: &str, extra: &[&str]) -> std::process::Output {
    let child = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(
            [&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "-j", "1", "-q"], extra].concat(),
        )
        .current_dir(d.tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pdfs = || names(&d.path("out")).iter().filter(|n| n.ends_with(".pdf")).count();
    let before = pdfs();
    let start = std::time::Instant::now();
    while pdfs() < before + 3 {
        assert!(start.elapsed().as_secs() < 120, "no PDFs appeared");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    child.wait_with_output().unwrap()
}

#[test]
fn ctrl_c_and_sigterm_stop_cleanly_and_skip_existing_finishes_the_rest() {
    if !require_tool("kill") {
        return;
    }
    let d = discharge(&rows_csv(400).replace(",es,", ",en,"));
    // A temporary file a killed run left behind (another process, an hour old).
    d.write("out/.handout-999999999-abc.pdf.tmp", "partial");
    let touched = Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(d.path("out/.handout-999999999-abc.pdf.tmp"))
        .status();
    let o = interrupted_build(&d, "-INT", &[]);
    assert_eq!(o.status.code(), Some(130), "{}", stderr(&o));
    assert!(stderr(&o).contains("interrupted by SIGINT"), "{}", stderr(&o));
    let after: Vec<String> = names(&d.path("out")).into_iter().collect();
    assert!(
        after.iter().all(|n| n.ends_with(".pdf") && n.starts_with("discharge.en.")),
        "no temporary files: {after:?}"
    );
    assert!(after.len() < 400, "it stopped early ({})", after.len());
    if touched.is_ok_and(|s| s.success()) {
        assert!(!d.path("out/.handout-999999999-abc.pdf.tmp").exists(), "the stale file is removed");
    }
    let o = interrupted_build(&d, "-TERM", &["--skip-existing", "--json"]);
    assert_eq!(o.status.code(), Some(143), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["interrupted"], "SIGTERM");
    assert!(v["counts"]["not_started"].as_u64().unwrap() > 0);
    let o = d.run(&[
        "build",
        "h/discharge.yaml",
        "-o",
        "out",
        "--data",
        "d.csv",
        "--skip-existing",
        "-q",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v = json(&o);
    assert!(v["counts"]["skipped"].as_u64().unwrap() >= 3);
    assert_eq!(names(&d.path("out")).len(), 400);
}

#[test]
fn after_kill_9_every_file_with_a_pdf_name_is_a_whole_pdf() {
    if !require_tool("kill") {
        return;
    }
    let d = discharge(&rows_csv(300).replace(",es,", ",en,"));
    let o = interrupted_build(&d, "-KILL", &[]);
    assert_eq!(o.status.code(), None, "killed by the signal");
    for name in names(&d.path("out")) {
        if name.ends_with(".pdf") {
            let bytes = std::fs::read(d.path(&format!("out/{name}"))).unwrap();
            let tail = String::from_utf8_lossy(&bytes[bytes.len().saturating_sub(16)..]).into_owned();
            assert!(bytes.starts_with(b"%PDF-") && tail.trim_end().ends_with("%%EOF"), "{name} is cut short");
        } else {
            assert!(name.starts_with(".handout-") && name.ends_with(".pdf.tmp"), "unexpected file {name}");
        }
    }
    // The rerun removes what the killed run left (its process is gone) and finishes.
    let o = d.run(&["build", "h/discharge.yaml", "-o", "out", "--data", "d.csv", "-q", "--skip-existing"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let left = names(&d.path("out"));
    assert_eq!(left.len(), 300, "{:?}", left.iter().filter(|n| !n.ends_with(".pdf")).collect::<Vec<_>>());
}

/// Fonts subset once per glyph set and lines set once per text are kept for the whole
/// run: a document must come out the same whatever was printed before it, and show its
/// own row's letters, never another row's subset.
#[test]
fn a_document_is_the_same_alone_and_after_others_that_share_its_fonts() {
    let names_ = ["Zoë Ångström", "Bob Li", "Łukasz Żółć", "Nguyễn Văn Ánh", "Bob Li", "Øystein Ðorđe"];
    let mut csv = String::from("mrn,patient_name,lang,visit,note\n");
    for (i, n) in names_.iter().enumerate() {
        csv.push_str(&format!("R{i},{n},en,2026-12-0{},Note {i}.\n", i + 1));
    }
    let d = discharge(&csv);
    let run = |out: &str, data: &str| {
        let o = d.run(&[
            "build",
            "h/discharge.yaml",
            "-o",
            out,
            "--data",
            data,
            "--name",
            "{mrn}",
            "-q",
            "-j",
            "1",
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    run("all", "d.csv");
    for (i, n) in names_.iter().enumerate() {
        d.write(
            &format!("row{i}.csv"),
            &format!("mrn,patient_name,lang,visit,note\nR{i},{n},en,2026-12-0{},Note {i}.\n", i + 1),
        );
        run(&format!("alone{i}"), &format!("row{i}.csv"));
        let together = std::fs::read(d.path(&format!("all/R{i}.pdf"))).unwrap();
        let alone = std::fs::read(d.path(&format!("alone{i}/R{i}.pdf"))).unwrap();
        assert!(together == alone, "R{i} ({n}) differs when printed after other rows");
        if require_tool("pdftotext") {
            let text = squash(&page_text(&d.path(&format!("all/R{i}.pdf")), 1));
            assert!(text.contains(&format!("Dear {n}:")), "R{i}: {text}");
        }
    }
}
