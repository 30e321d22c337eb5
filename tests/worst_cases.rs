//! Generated worst cases at the 1 MiB input limit: one input per family of trouble (one
//! huge word, one huge cluster, long paragraphs, many blocks, list items and callouts,
//! deep or unbalanced markup, many placeholders, many errors of each kind, bidi controls),
//! each run by the real binary as a child process, whose CPU time and peak memory are
//! read from `/proc` while it runs.
//!
//! The bound is against hangs and work that grows faster than the input, not a
//! benchmark: 5 s of CPU and 500 MB at 1 MiB in a release build, for `check` and
//! `build` alike (issue 8); `cargo test
//! --release --test worst_cases -- --nocapture` prints the figures of the README's table. A debug
//! build is about ten times slower, so `cargo test` builds a 32nd of the size and a
//! quarter of that, and bounds how the CPU time grows between the two: a string of many
//! lines starting with blanks (minutes at 1 MiB before it was made linear) grows about
//! tenfold there.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The input size: just under the 1 MiB limit in release; a 32nd of it in debug,
/// where [`worst_case`] also checks how the work grows.
const SIZE: usize = if cfg!(debug_assertions) { (1 << 20) / 32 } else { (1 << 20) - 4096 };
/// CPU time a run may take.
const MAX_CPU: Duration = Duration::from_secs(5);
/// Peak resident memory a run may reach.
const MAX_RSS_KB: u64 = 500 * 1024;
/// `s` repeated to about `bytes` bytes (whole copies only).
fn fill(s: &str, bytes: usize) -> String {
    s.repeat(bytes / s.len().max(1))
}

/// A handout of `size` bytes whose body is `unit` (YAML lines at block level) repeated.
fn with_body(unit: &str, size: usize) -> String {
    let head = "title: Worst case\nbody:\n";
    format!("{head}{}", fill(unit, size - head.len()))
}

/// A handout of `size` bytes of one paragraph: `unit` repeated in a double-quoted scalar.
fn paragraph(unit: &str, size: usize) -> String {
    let head = "title: Worst case\nbody:\n  - \"";
    format!("{head}{}\"\n", fill(unit, size - head.len() - 2))
}

/// The last `n` bytes of `s`, or a little more, on a character boundary.
fn tail(s: &str, n: usize) -> &str {
    let mut at = s.len().saturating_sub(n);
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    &s[at..]
}

/// How a family's run must end.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Ends {
    /// A PDF is written (exit 0).
    Built,
    /// The document fails with errors at places (exit 1) and a count of the rest.
    Errors,
}

struct Run {
    code: Option<i32>,
    stderr: String,
    cpu: Duration,
    wall: Duration,
    peak_kb: u64,
}

/// Runs `handout ARGS` in `d`, reading the child's CPU time and peak memory from
/// `/proc` every millisecond (both only grow, so the last reading is the total to a
/// millisecond; the tests forbid the `unsafe` that `wait4`'s exact figures would take).
fn measure(d: &Dir, args: &[&str]) -> Run {
    let err_file = d.path("stderr.txt");
    let t = Instant::now();
    let mut child = Command::new(env!("CARGO_BIN_EXE_handout"))
        .args(args)
        .current_dir(d.tmp.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&err_file).unwrap())
        .spawn()
        .expect("run handout");
    let (mut ticks, mut peak_kb) = (0u64, 0u64);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", child.id())).unwrap_or_default();
        let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
        let field = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
        ticks = ticks.max(field(11) + field(12));
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id())).unwrap_or_default();
        if let Some(kb) = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        // Far past the bound: stop instead of waiting for a quadratic run to end.
        if Duration::from_millis(ticks * 10) > MAX_CPU * 3 || peak_kb > MAX_RSS_KB * 3 {
            let _ = child.kill();
            let _ = child.wait();
            break std::process::ExitStatus::default();
        }
        std::thread::sleep(Duration::from_millis(1));
    };
    Run {
        code: status.code(),
        stderr: std::fs::read_to_string(&err_file).unwrap_or_default(),
        cpu: Duration::from_millis(ticks * 10),
        wall: t.elapsed(),
        peak_kb,
    }
}

/// Builds a family's input of [`SIZE`] bytes and holds the run to the bounds. In release
/// it is built and checked (which adds the lint pass) at the 1 MiB limit. In debug only
/// built, at a 32nd of it, and again at a quarter of that: four times the input must
/// take less than six times the CPU (linear work takes about four times, less with the
/// start-up; work that grows with its square, sixteen).
fn worst_case(family: &str, make: impl Fn(usize) -> String, ends: Ends, extra: &[&str]) {
    let big = run_family(
        family,
        &make(SIZE),
        ends,
        extra,
        &["build", "check"][..if cfg!(debug_assertions) { 1 } else { 2 }],
    );
    if cfg!(debug_assertions) {
        let small = run_family(family, &make(SIZE / 4), ends, extra, &["build"]);
        let (big, small) = (big[0], small[0]);
        assert!(
            big <= small * 6 + Duration::from_millis(200),
            "{family}: 4 times the input took {:.1} times the CPU ({big:?} against {small:?})",
            big.as_secs_f64() / small.as_secs_f64().max(0.001)
        );
    }
}

/// Runs `commands` on `yaml` and checks each run; returns their CPU times.
fn run_family(family: &str, yaml: &str, ends: Ends, extra: &[&str], commands: &[&str]) -> Vec<Duration> {
    assert!(yaml.len() <= 1 << 20, "{family}: the input is {} bytes, over the limit", yaml.len());
    let d = Dir::new();
    d.write("h/worst.yaml", yaml);
    let mut times = Vec::new();
    for &command in commands {
        let mut args = vec![command, "h/worst.yaml"];
        if command == "build" {
            args.extend(["-q", "-o", "out"]);
        }
        args.extend(extra);
        let r = measure(&d, &args);
        println!(
            "| {family} | {command} | {} KB | {:.2} s CPU | {:.2} s wall | {} MB |",
            yaml.len() / 1024,
            r.cpu.as_secs_f64(),
            r.wall.as_secs_f64(),
            r.peak_kb / 1024
        );
        let end = tail(&r.stderr, 1500);
        assert!(r.cpu <= MAX_CPU, "{family}: `{command}` took {:?} of CPU\n{end}", r.cpu);
        assert!(r.peak_kb <= MAX_RSS_KB, "{family}: `{command}` peaked at {} MB\n{end}", r.peak_kb / 1024);
        match ends {
            Ends::Built => assert_eq!(r.code, Some(0), "{family}: `{command}`\n{end}"),
            Ends::Errors => {
                assert_eq!(r.code, Some(1), "{family}: `{command}`\n{end}");
                let first = r.stderr.lines().next().unwrap_or("");
                assert!(
                    first.starts_with("h/worst.yaml:"),
                    "{family}: the first error has no place\n{first}"
                );
                assert!(
                    r.stderr.contains("more errors in this document are not shown"),
                    "{family}: no count\n{end}"
                );
            }
        }
        times.push(r.cpu);
    }
    times
}

#[test]
fn huge_words_and_clusters() {
    worst_case("one word of letters", |n| paragraph("a", n), Ends::Built, &[]);
    // One grapheme cluster of the whole paragraph: no break opportunity anywhere, one
    // cluster for the shaper and for the PDF's text (a letter with 8,000 variation
    // selectors took 1.5 GB, found by the fuzzer).
    worst_case(
        "one letter with 500,000 combining marks",
        |n| format!("title: W\nbody:\n  - \"a{}\"\n", "\u{301}".repeat((n - 30) / 2)),
        Ends::Built,
        &[],
    );
    worst_case(
        "one Devanagari letter with 350,000 variation selectors",
        |n| format!("title: W\nlang: hi\nbody:\n  - \"क{}\"\n", "\u{FE0F}".repeat((n - 40) / 3)),
        Ends::Built,
        &[],
    );
    worst_case(
        "many small clusters of marks",
        |n| paragraph("e\u{301}\u{301}\u{301}\u{301}", n),
        Ends::Built,
        &[],
    );
    worst_case("one Arabic word", |n| paragraph("بتثجحخ", n), Ends::Built, &[]);
    worst_case(
        "one paragraph of mixed-direction words",
        |n| paragraph("word مرحبا שלום 123 ", n),
        Ends::Built,
        &[],
    );
    worst_case(
        "bidi embeddings and isolates",
        |n| paragraph("\u{202B}a\u{2067}b\u{202E}", n),
        Ends::Built,
        &[],
    );
}

#[test]
fn many_blocks_items_and_callouts() {
    let blocks = "  - heading: Heading\n  - subheading: Sub\n  - A short paragraph.\n  - page_break: true\n";
    worst_case("many paragraphs, headings and page breaks", |n| with_body(blocks, n), Ends::Built, &[]);
    worst_case(
        "one list of many items, each with a nested list",
        |n| {
            format!(
                "title: W\nbody:\n  - steps:\n{}",
                fill("      - text: Step\n        bullets: [a, b]\n", n - 40)
            )
        },
        Ends::Built,
        &[],
    );
    worst_case(
        "many callouts",
        |n| with_body("  - callout: {kind: urgent, title: Call, text: Now, bullets: [a, b]}\n", n),
        Ends::Built,
        &[],
    );
    worst_case(
        "one callout of many items",
        |n| {
            format!(
                "title: W\nbody:\n  - callout:\n      title: Long\n      bullets:\n{}",
                fill("        - An item\n", n - 80)
            )
        },
        Ends::Built,
        &[],
    );
    worst_case("many links", |n| paragraph("[x](https://a.example) <a@b.example> ", n), Ends::Built, &[]);
    // Found by the fuzzer: adjacent autolinks to one address are one link over many lines,
    // and each line's area carried all its text (1 GB for 6,400 of them).
    worst_case(
        "adjacent autolinks of one address",
        |n| paragraph("<https://example.org>", n),
        Ends::Built,
        &[],
    );
    worst_case(
        "many placeholders filled by --set",
        |n| paragraph("{{name}} {{when|date}} ", n),
        Ends::Built,
        &["--set", "name=Ana", "--set", "when=2026-12-03"],
    );
}

#[test]
fn deep_and_unbalanced_markup() {
    for (family, unit) in [
        ("`**` unbalanced", "**"),
        ("`[` unbalanced", "["),
        ("`**a *b ` nested, never closed", "**a *b "),
        ("`[a ` nested link starts", "[a "),
        ("`](x) ` link tails", "](x) "),
        ("`<` autolink starts", "<https://a "),
        ("backticks", "`a "),
        ("`**a** ` pairs", "**a** "),
        ("lines that start with `- ` in one string", "\\n- *a* "),
        ("lines that start with blanks in one string", "\\n   *a* "),
    ] {
        worst_case(family, |n| paragraph(unit, n), Ends::Built, &[]);
    }
    // Balanced nesting, thousands deep.
    worst_case(
        "`**_` nested thousands deep",
        |n| format!("title: W\nbody:\n  - \"{}a{}\"\n", "**_".repeat(n / 8), "_**".repeat(n / 8)),
        Ends::Built,
        &[],
    );
    worst_case(
        "links nested thousands deep",
        |n| {
            format!(
                "title: W\nbody:\n  - \"{}a{}\"\n",
                "[".repeat(n / 4),
                "](https://x.example)".repeat(n / 40)
            )
        },
        Ends::Built,
        &[],
    );
}

/// Makes a family's input of a given size.
type Make = fn(usize) -> String;

#[test]
fn tables() {
    worst_case(
        "one table of many rows",
        |n| {
            format!(
                "title: W\nbody:\n  - table:\n      columns: [A, B, C]\n      rows:\n{}",
                fill("        - [An item, \"**b**\", c d e f]\n", n - 80)
            )
        },
        Ends::Built,
        &[],
    );
    worst_case(
        "one table row taller than many pages",
        |n| {
            let head = "title: W\nbody:\n  - table:\n      columns: [A, B]\n      rows:\n        - [a, \"";
            format!("{head}{}\"]\n", fill("word ", n - head.len() - 4))
        },
        Ends::Built,
        &[],
    );
    worst_case(
        "a table of many columns, each too narrow",
        |n| {
            let head = "title: W\nbody:\n  - table:\n      columns: [";
            let cols = fill("a, ", (n - head.len()) / 2 - 40);
            format!("{head}{cols}a]\n      rows:\n        - [{cols}a]\n")
        },
        Ends::Errors,
        &[],
    );
    worst_case(
        "table rows of the wrong length",
        |n| {
            format!(
                "title: W\nbody:\n  - table:\n      columns: [A, B]\n      rows:\n{}",
                fill("        - [a, b, c]\n", n - 80)
            )
        },
        Ends::Errors,
        &[],
    );
}

#[test]
fn many_errors_of_each_kind() {
    let families: [(&str, Make); 9] = [
        ("refused links", |n| paragraph("[x](javascript:a) ", n)),
        ("characters no font has", |n| paragraph("\u{E000} ", n)),
        ("escaped control characters", |n| with_body("  - \"\\u0007\"\n", n)),
        ("misspelled block keys", |n| with_body("  - bulets: [a]\n", n)),
        ("wrong types", |n| with_body("  - heading: [a]\n", n)),
        ("empty callouts", |n| with_body("  - callout: {}\n", n)),
        ("unfilled placeholders", |n| paragraph("{{x}} ", n)),
        ("stray braces", |n| with_body("  - a }} b\n", n)),
        // Found by the fuzzer: flags no font has took 45 s at 1 MiB.
        ("flags no font has", |n| paragraph("\u{1F1FA}\u{1F1F8}", n)),
    ];
    for (family, make) in families {
        worst_case(family, make, Ends::Errors, &[]);
    }
}
