//! Benchmarks: one handout end to end in-process, a batch of 200 documents, the whole
//! `handout build` process, and data runs of 1,000 and 10,000 personalized rows. Run with `cargo bench`; figures go in the README.
//!
//! A bench binary rather than criterion: three numbers, no extra dependencies, and the
//! same code measures the process cost that criterion cannot.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use handout::batch::{self, NoProgress, Options};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Median and minimum of `n` runs of `f`.
fn measure(n: usize, mut f: impl FnMut()) -> (Duration, Duration) {
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed()
        })
        .collect();
    times.sort();
    (times[n / 2], times[0])
}

/// CPU time (user + system) of this process so far.
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: u64 = fields.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn main() {
    let sample = root().join("handouts/lumbar-puncture.yaml");
    let handouts = root().join("handouts");
    let options = Options {
        paths: vec![sample.clone()],
        contact: Some(handouts.join("contact.yaml")),
        jobs: 1,
        ..Options::default()
    };
    let setup = batch::setup(&options).unwrap_or_else(|e| panic!("setup: {:?}", e.0));

    // 1. One handout, in-process: load, resolve, lay out, write PDF bytes.
    let mut size = 0;
    let mut pages = 0;
    let (median, min) = measure(200, || {
        let h = handout::model::load_handout(&sample).expect("load");
        let (bytes, p, _) = batch::render(&h, &setup, &setup.values).expect("render");
        size = bytes.len();
        pages = p;
    });
    println!(
        "one handout ({}: {pages} pages, {size} bytes): median {median:?}, min {min:?}",
        sample.display()
    );

    // 1b. The same, stage by stage (medians), to show where the time goes.
    let h = handout::model::load_handout(&sample).expect("load");
    let doc =
        handout::resolve::resolve(&h, &setup.contact, &setup.values, setup.logo.as_ref()).expect("resolve");
    let laid = handout::layout::layout(&doc, &setup.book, &setup.style).expect("layout");
    let (load, _) = measure(200, || drop(handout::model::load_handout(&sample)));
    let (resolve, _) = measure(200, || {
        drop(handout::resolve::resolve(&h, &setup.contact, &setup.values, setup.logo.as_ref()))
    });
    let (layout, _) = measure(200, || drop(handout::layout::layout(&doc, &setup.book, &setup.style)));
    let (pdf, _) =
        measure(200, || drop(handout::pdf::write(&laid, &doc, &setup.book, &setup.cache, &setup.pdf)));
    println!("  stages: load {load:?}, resolve {resolve:?}, layout {layout:?}, pdf {pdf:?}");

    // 2. 200 documents through the batch code (parallel, atomic writes).
    let tmp = tempfile::tempdir().expect("tempdir");
    let src = std::fs::read_to_string(&sample).expect("sample");
    for i in 0..200 {
        std::fs::write(tmp.path().join(format!("doc-{i:03}.yaml")), &src).expect("write");
    }
    std::fs::copy(handouts.join("contact.yaml"), tmp.path().join("contact.yaml")).expect("contact");
    if let Ok(logo) = std::fs::read(handouts.join("logo.png")) {
        std::fs::write(tmp.path().join("logo.png"), logo).expect("logo");
    }
    let batch_options = Options {
        paths: vec![tmp.path().to_path_buf()],
        out: tmp.path().join("out"),
        jobs: 0,
        ..Options::default()
    };
    let cpu0 = cpu_time();
    let (median, min) = measure(5, || {
        let s = batch::build(&batch_options, &NoProgress).unwrap_or_else(|e| panic!("batch: {:?}", e.0));
        assert!(!s.failed());
    });
    let cpu = (cpu_time() - cpu0) / 5;
    println!("200 documents, all cores: median {median:?}, min {min:?}, CPU {cpu:?} per run");

    // 3. The whole process, as a user runs it.
    let exe = Path::new(env!("CARGO_BIN_EXE_handout"));
    let out = tempfile::tempdir().expect("tempdir");
    let (median, min) = measure(30, || {
        let status = Command::new(exe)
            .args(["build", "-q", "-o"])
            .arg(out.path())
            .arg(&sample)
            .arg("--lang")
            .arg("en")
            .status()
            .expect("run handout");
        assert!(status.success());
    });
    println!("`handout build` process, one handout: median {median:?}, min {min:?}");

    // 4. Discharge runs from data: the two-page sample personalized per row, 1,000 and
    //    10,000 rows, as a user runs them (`-j 2`), with the process's peak RSS.
    let run = tempfile::tempdir().expect("tempdir");
    let personal = src.replacen(
        "body:\n",
        "body:\n  - \"Prepared for {{patient_name}} (MRN {{mrn}}). Your follow-up visit is on {{follow_up|date}}.\"\n",
        1,
    );
    std::fs::write(run.path().join("discharge.yaml"), personal).expect("write");
    std::fs::copy(handouts.join("contact.yaml"), run.path().join("contact.yaml")).expect("contact");
    if let Ok(logo) = std::fs::read(handouts.join("logo.png")) {
        std::fs::write(run.path().join("logo.png"), logo).expect("logo");
    }
    for rows in [1_000usize, 10_000] {
        let mut csv = String::from("mrn,patient_name,follow_up\n");
        for i in 1..=rows {
            csv.push_str(&format!("M{i:06},Patient {i},2026-12-{:02}\n", 1 + i % 28));
        }
        let data = run.path().join(format!("rows-{rows}.csv"));
        std::fs::write(&data, csv).expect("csv");
        let out = run.path().join(format!("out-{rows}"));
        let t = Instant::now();
        let mut child = Command::new(exe)
            .args(["build", "-q", "-j", "2", "--name", "{mrn}.pdf", "--data"])
            .arg(&data)
            .arg("-o")
            .arg(&out)
            .arg(run.path().join("discharge.yaml"))
            .spawn()
            .expect("run handout");
        // VmHWM and CPU time only grow, so the last readings before exit are the totals
        // (to 20 ms). CPU time tells the throughput on an idle machine when others share it.
        let mut peak_kb = 0u64;
        let mut cpu_ticks = 0u64;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap_or_default();
            let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
            let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            cpu_ticks = cpu_ticks.max(ticks(11) + ticks(12));
            let proc_status =
                std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
            if let Some(kb) = proc_status
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            {
                peak_kb = kb;
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let wall = t.elapsed();
        assert!(status.success(), "data run of {rows} rows failed");
        let written = std::fs::read_dir(&out).expect("out").count();
        assert_eq!(written, rows);
        let cpu = Duration::from_millis(cpu_ticks * 10);
        println!(
            "data run, {rows} rows, -j 2: {wall:?} wall, {:.0} PDFs/s, CPU {cpu:?} ({:.2} ms per PDF), peak RSS {:.1} MB",
            rows as f64 / wall.as_secs_f64(),
            cpu.as_secs_f64() * 1000.0 / rows as f64,
            peak_kb as f64 / 1024.0
        );
    }
}
