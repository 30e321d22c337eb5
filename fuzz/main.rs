//! A mutation fuzzer from bytes to PDF, on the stable toolchain:
//!
//! ```text
//! cargo run --release --example fuzz -- --seconds 3600
//! ```
//!
//! It starts from the sample handouts, `tests/cases/`, the hostile seeds in `fuzz/seeds/`
//! and the corpus in `fuzz/corpus/`; mutates bytes (bit flips, splices, markup and YAML
//! tokens, scripts, marks and bidi controls, long runs, deep nesting); runs each input
//! through the whole pipeline in-process (see `pipeline.rs`) under `catch_unwind`, with a
//! deterministic seed. An input whose outcome shows something new (a new kind of message,
//! a new font, a new page-count range) joins the corpus. Findings go to `fuzz/crashes/`:
//! panics, inputs taking over 2 s of CPU, outcomes that break a rule (a PDF that is not
//! one, an error without a place, a live `javascript:` link, `{{` on a page), and, from a
//! watchdog, inputs running over 60 s or past 2 GB (the fuzzer then stops).
//!
//! Options: `--seconds N` (60), `--seed N` (1), `--corpus DIR` (fuzz/corpus),
//! `--crashes DIR` (fuzz/crashes), `--replay` (run the seeds and corpus once, no mutation).

#[path = "pipeline.rs"]
mod pipeline;

use std::collections::{BTreeSet, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use pipeline::{features, fnv1a, problems, Harness};

/// Largest input made: a little over the 1 MiB limit, so the size check is hit too.
const MAX_LEN: usize = (1 << 20) + 64;
/// Inputs kept in the corpus folder are at most this big (the corpus stays small).
const MAX_KEPT: usize = 16 * 1024;
/// The corpus folder stops growing at this size (it is committed).
const MAX_CORPUS: usize = 1536 * 1024;
/// CPU time over which an input is a finding (SPEC: bounded time).
const SLOW: Duration = Duration::from_secs(2);
/// Wall time after which the watchdog calls the input a hang and stops.
const HANG: Duration = Duration::from_secs(60);
/// Resident memory past which the watchdog stops (SPEC: bounded memory).
const MAX_RSS: u64 = 2 << 30;

/// Markup, YAML and Unicode pieces inserted by mutation.
const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{patient_name}}",
    "{{follow_up|date}}",
    "{{bad_date|date}}",
    "{{mrn|upper}}",
    "{{contact.phone}}",
    "{{contact.fax}}",
    "{{nope}}",
    "{{ }}",
    "{{|}}",
    "**",
    "*",
    "_",
    "__",
    "`",
    "\\",
    "\\{",
    "[x](",
    "](https://example.org)",
    "](javascript:alert(1))",
    "](file:///etc/passwd)",
    "](data:text/html,x)",
    "]()",
    "](mailto:a@b.c)",
    "](tel:+15550100)",
    "](//evil)",
    "<https://example.org>",
    "<file:///x>",
    "<javascript:x>",
    "<mailto:a@b>",
    "![i](https://x/i.png)",
    "<b>",
    "&amp;",
    "- ",
    ": ",
    "\n  - ",
    "\n      - ",
    "\n",
    "\r\n",
    "\r",
    "\t",
    "  ",
    "\"",
    "'",
    "&a ",
    "*a ",
    "!!str ",
    "---\n",
    "...\n",
    "# ",
    "|\n  ",
    ">-\n  ",
    "? ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "\\u0301",
    "\\0",
    "\\a",
    "\\x07",
    "\\uD800",
    "\\U0001F600",
    "\\N",
    "\\_",
    "\u{feff}",
    "\u{0301}",
    "\u{064E}",
    "\u{200F}",
    "\u{202E}",
    "\u{2067}",
    "\u{2069}",
    "\u{200D}",
    "\u{FE0F}",
    "👩\u{200D}⚕\u{FE0F}",
    "👍🏽",
    "🇺🇸",
    "مرحبا بكم",
    "لا",
    "שלום",
    "سلام دنیا",
    "中文字",
    "한글",
    "あア",
    "ไทยคำ",
    "हिन्दी",
    "ক্ষ",
    "ខ្មែរ",
    "ሰላም",
    "\u{00AD}",
    "\u{200B}",
    "\u{2060}",
    "\u{0000}",
    "\u{0007}",
    "\u{001B}",
    "\u{007F}",
    "\u{0085}",
    "\u{2028}",
    "\u{FFFD}",
    "\u{FFFF}",
    "\u{10FFFF}",
    "\u{E000}",
    "\u{1D11E}",
    "e\u{0301}\u{0301}\u{0301}",
    "heading: ",
    "subheading: ",
    "paragraph: ",
    "bullets:",
    "steps:",
    "callout:",
    "kind: urgent",
    "kind: warning",
    "kind: note",
    "kind: danger",
    "title: ",
    "text: ",
    "page_break: true",
    "page_break: false",
    "lang: ar",
    "lang: he",
    "lang: fa",
    "lang: zh-Hans",
    "lang: th",
    "lang: xx-!!",
    "reviewed: 2026-02-30",
    "reviewed: 2026-10-01",
    "summary: ",
    "keywords: [a, b]",
    "subtitle: ",
    "body:",
    "bulets:",
    "1. ",
    "> q",
    "~~s~~",
    "\n  - heading: H\n",
    "\n  - bullets:\n      - a\n      - text: b\n        bullets: [c, d]\n",
    "\n  - callout:\n      kind: urgent\n      title: T\n      steps: [a, b]\n",
    "\n  - page_break: true\n",
    "\n  - steps:\n      - one\n      - two\n",
];

/// Pairs that nest: a range is wrapped in them many times.
const NESTS: &[(&str, &str)] = &[
    ("**", "**"),
    ("*", "*"),
    ("_", "_"),
    ("[", "](https://example.org)"),
    ("[", "]"),
    ("<", ">"),
    ("{{", "}}"),
    ("\u{202E}", "\u{202C}"),
    ("\u{2067}", "\u{2069}"),
    ("[", "]("),
    ("- [", "]"),
    ("{a: ", "}"),
];

/// Characters swapped in one at a time.
const CHARS: &str = "aé ΩЖابתक\u{0E31}\u{17D2}\u{0301}\u{064B}\u{200E}\u{200F}\u{202B}\u{2066}\u{200D}\u{FE0F}\u{00A0}\u{3000}中한👍*_`[]()<>{}\\!#-:\"'|&%@\t";

/// xorshift64*: small, fast and deterministic for a given seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Mostly small, sometimes large: 1, 2, 4, … up to `max`.
    fn count(&mut self, max: usize) -> usize {
        let bits = self.below(usize::BITS as usize - max.leading_zeros() as usize + 1);
        1 + self.below(1 << bits).min(max - 1)
    }
}

/// A position in `data` at a character boundary when `data` is UTF-8 there.
fn boundary(data: &[u8], rng: &mut Rng) -> usize {
    let mut at = rng.below(data.len() + 1);
    while at > 0 && at < data.len() && (data[at] & 0xC0) == 0x80 {
        at -= 1;
    }
    at
}

/// Start and end of the line holding `at`.
fn line_at(data: &[u8], at: usize) -> (usize, usize) {
    let start = data[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let end = data[at..].iter().position(|&b| b == b'\n').map_or(data.len(), |i| at + i + 1);
    (start, end)
}

/// Applies one random mutation to `data`; `other` is another corpus entry for splices.
fn mutate(data: &mut Vec<u8>, other: &[u8], rng: &mut Rng) {
    match rng.below(16) {
        0 if !data.is_empty() => {
            let at = rng.below(data.len());
            data[at] ^= 1 << rng.below(8);
        }
        1 if !data.is_empty() => {
            let at = rng.below(data.len());
            let bytes = b" \n-:*_[]{}()<>\\\"'#&!|?`,.0aZ\t";
            data[at] = bytes[rng.below(bytes.len())];
        }
        2..=4 => {
            let at = boundary(data, rng);
            let token = TOKENS[rng.below(TOKENS.len())];
            data.splice(at..at, token.bytes());
        }
        5 if !data.is_empty() => {
            let a = boundary(data, rng);
            let b = boundary(data, rng);
            let (a, b) = (a.min(b), a.max(b));
            let b = b.min(a + rng.count(4096));
            data.drain(a..b);
        }
        6 if !data.is_empty() => {
            let a = boundary(data, rng);
            let len = rng.count(256).min(data.len() - a);
            let piece: Vec<u8> = data[a..a + len].to_vec();
            let at = boundary(data, rng);
            data.splice(at..at, piece);
        }
        7 if !other.is_empty() => {
            // Splice: some lines of another input at a line start.
            let (a, _) = line_at(other, rng.below(other.len()));
            let mut b = a;
            for _ in 0..rng.count(20) {
                b = line_at(other, b.min(other.len() - 1)).1;
                if b >= other.len() {
                    break;
                }
            }
            let at = line_at(data, boundary(data, rng)).0;
            data.splice(at..at, other[a..b.max(a)].iter().copied());
        }
        8 if !data.is_empty() => {
            // Many blocks: a line repeated.
            let (a, b) = line_at(data, rng.below(data.len()));
            let line = data[a..b].to_vec();
            let n = rng.count(20_000).min(MAX_LEN / line.len().max(1));
            let copies: Vec<u8> = line.iter().copied().cycle().take(line.len() * n).collect();
            data.splice(b..b, copies);
        }
        9 => {
            // A long run of one token.
            let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
            let n = rng.count(50_000).min(MAX_LEN / token.len().max(1));
            let at = boundary(data, rng);
            data.splice(at..at, token.iter().copied().cycle().take(token.len() * n));
        }
        10 => {
            // Deep or unbalanced nesting around a range.
            let (open, close) = NESTS[rng.below(NESTS.len())];
            let n = rng.count(5_000);
            let a = boundary(data, rng);
            let b = boundary(data, rng);
            let (a, b) = (a.min(b), a.max(b));
            let balanced = rng.below(3) != 0;
            if balanced || rng.below(2) == 0 {
                data.splice(b..b, close.repeat(n).into_bytes());
            }
            if balanced || rng.below(2) == 0 {
                data.splice(a..a, open.repeat(n).into_bytes());
            }
        }
        11 if !data.is_empty() => {
            // Indentation of one line.
            let (a, _) = line_at(data, rng.below(data.len()));
            if rng.below(2) == 0 {
                data.splice(a..a, *b"  ");
            } else if data[a..].starts_with(b"  ") {
                data.drain(a..a + 2);
            }
        }
        12 if !data.is_empty() => {
            // One character swapped for a troublesome one.
            let chars: Vec<char> = CHARS.chars().collect();
            let c = chars[rng.below(chars.len())].to_string();
            let a = boundary(data, rng);
            let mut b = a + 1;
            while b < data.len() && (data[b] & 0xC0) == 0x80 {
                b += 1;
            }
            data.splice(a..b.min(data.len()), c.bytes());
        }
        13 if data.len() > 1 => {
            // Two lines swap.
            let (a1, b1) = line_at(data, rng.below(data.len()));
            let (a2, b2) = line_at(data, rng.below(data.len()));
            if b1 <= a2 {
                let second = data[a2..b2].to_vec();
                let first = data[a1..b1].to_vec();
                data.splice(a2..b2, first);
                data.splice(a1..b1, second);
            }
        }
        14 if !data.is_empty() => data.truncate(boundary(data, rng)),
        _ => {
            // A key and a value on a new line at some indentation.
            let keys =
                ["title", "body", "lang", "text", "kind", "bullets", "steps", "heading", "callout", "x"];
            let line = format!(
                "{}{}: {}\n",
                "  ".repeat(rng.below(5)),
                keys[rng.below(keys.len())],
                TOKENS[rng.below(TOKENS.len())].trim_end_matches('\n')
            );
            let at = line_at(data, boundary(data, rng)).0;
            data.splice(at..at, line.into_bytes());
        }
    }
    data.truncate(MAX_LEN);
}

/// CPU time (user + system) of the calling thread.
fn thread_cpu() -> Duration {
    cpu_of(Path::new("/proc/thread-self/stat"))
}

/// CPU time (user + system) from a `/proc/.../stat` file.
fn cpu_of(stat: &Path) -> Duration {
    let stat = std::fs::read_to_string(stat).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// Resident memory of this process in bytes.
fn rss() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    statm.split_whitespace().nth(1).and_then(|v| v.parse::<u64>().ok()).unwrap_or(0) * 4096
}

/// The yaml files in `dir`, sorted.
fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|r| r.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "yaml"));
    files.sort();
    files
}

struct Args {
    seconds: u64,
    seed: u64,
    corpus: PathBuf,
    crashes: PathBuf,
    replay: bool,
}

fn args(root: &Path) -> Args {
    let mut a = Args {
        seconds: 60,
        seed: 1,
        corpus: root.join("fuzz/corpus"),
        crashes: root.join("fuzz/crashes"),
        replay: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--seconds" => a.seconds = value().parse().expect("--seconds N"),
            "--seed" => a.seed = value().parse().expect("--seed N"),
            "--corpus" => a.corpus = PathBuf::from(value()),
            "--crashes" => a.crashes = PathBuf::from(value()),
            "--replay" => a.replay = true,
            other => panic!("unknown option {other}; see the comment at the top of fuzz/main.rs"),
        }
    }
    a
}

/// Counters of a run.
#[derive(Default)]
struct Stats {
    execs: u64,
    panics: u64,
    slow: u64,
    broken: u64,
    slowest: Duration,
    slowest_len: usize,
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let args = args(&root);
    std::fs::create_dir_all(&args.corpus).expect("corpus folder");
    std::fs::create_dir_all(&args.crashes).expect("crashes folder");
    let harness = Harness::new(&root);

    // Panics are caught per input; the hook records where instead of printing.
    let last_panic: Arc<Mutex<String>> = Arc::default();
    let in_run = Arc::new(std::sync::atomic::AtomicBool::new(false));
    {
        let (last_panic, in_run) = (last_panic.clone(), in_run.clone());
        std::panic::set_hook(Box::new(move |info| {
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            let msg = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            if !in_run.load(Ordering::SeqCst) {
                eprintln!("the fuzzer itself panicked at {at}: {msg}");
            }
            *last_panic.lock().unwrap_or_else(|e| e.into_inner()) = format!("{at}: {msg}");
        }));
    }

    // The watchdog: an input running over HANG of CPU time or past MAX_RSS is saved and
    // ends the run. CPU time, not wall time: the fuzzer runs niced beside other work.
    let started_ms = Arc::new(AtomicU64::new(0));
    let current: Arc<Mutex<Vec<u8>>> = Arc::default();
    let main_stat = std::fs::read_link("/proc/thread-self")
        .map(|p| PathBuf::from("/proc").join(p).join("stat"))
        .unwrap_or_else(|_| PathBuf::from("/proc/self/stat"));
    {
        let (started_ms, current, crashes) = (started_ms.clone(), current.clone(), args.crashes.clone());
        std::thread::spawn(move || loop {
            std::thread::sleep(Duration::from_millis(200));
            let start = started_ms.load(Ordering::SeqCst);
            let running = (cpu_of(&main_stat).as_millis() as u64).saturating_sub(start);
            let why = if start != 0 && running > HANG.as_millis() as u64 {
                Some(format!("hang: over {} s of CPU", HANG.as_secs()))
            } else if rss() > MAX_RSS {
                Some(format!("memory: over {} MB", MAX_RSS >> 20))
            } else {
                None
            };
            if let Some(why) = why {
                let input = current.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let file = crashes.join(format!("hang-{:016x}.yaml", fnv1a(&input)));
                let _ = std::fs::write(&file, &input);
                eprintln!("FINDING {why}: {} ({} bytes); stopping", file.display(), input.len());
                std::process::exit(3);
            }
        });
    }

    let mut stats = Stats::default();
    let mut seen: HashSet<String> = HashSet::new();
    let mut findings: BTreeSet<String> = BTreeSet::new();
    let mut run = |input: &[u8], stats: &mut Stats, seen: &mut HashSet<String>| -> bool {
        *current.lock().unwrap_or_else(|e| e.into_inner()) = input.to_vec();
        in_run.store(true, Ordering::SeqCst);
        let cpu0 = thread_cpu();
        // The watchdog reads the start in CPU milliseconds (+1: 0 means idle).
        started_ms.store(cpu0.as_millis() as u64 + 1, Ordering::SeqCst);
        let outcome = catch_unwind(AssertUnwindSafe(|| harness.run(input)));
        in_run.store(false, Ordering::SeqCst);
        let cpu = thread_cpu().saturating_sub(cpu0);
        started_ms.store(0, Ordering::SeqCst);
        stats.execs += 1;
        if cpu > stats.slowest {
            stats.slowest = cpu;
            stats.slowest_len = input.len();
        }
        let name = format!("{:016x}.yaml", fnv1a(input));
        // Each kind of finding is saved once (its first input), and counted every time.
        let mut report = |kind: &str, what: String, stats_count: &mut u64| {
            *stats_count += 1;
            if findings.insert(format!("{kind}: {}", pipeline::template(&what))) {
                let file = args.crashes.join(format!("{kind}-{name}"));
                let _ = std::fs::write(&file, input);
                eprintln!("FINDING {kind}: {what}: {} ({} bytes)", file.display(), input.len());
            }
        };
        if cpu > SLOW {
            report("slow", format!("{cpu:?} of CPU"), &mut stats.slow);
        }
        let outcome = match outcome {
            Ok(o) => o,
            Err(_) => {
                let msg = last_panic.lock().unwrap_or_else(|e| e.into_inner()).clone();
                report("panic", msg, &mut stats.panics);
                return true;
            }
        };
        for p in problems(&outcome) {
            report("broken", p, &mut stats.broken);
        }
        let mut new = false;
        for f in features(&outcome) {
            new |= seen.insert(f);
        }
        new
    };

    // The seeds and the corpus, once.
    let mut corpus: Vec<Vec<u8>> = Vec::new();
    let mut seed_dirs = vec![root.join("handouts"), root.join("tests/cases"), root.join("fuzz/seeds")];
    seed_dirs.push(args.corpus.clone());
    for dir in &seed_dirs {
        for file in yaml_files(dir) {
            if let Ok(bytes) = std::fs::read(&file) {
                run(&bytes, &mut stats, &mut seen);
                corpus.push(bytes);
            }
        }
    }
    let kept_at_start = yaml_files(&args.corpus).len();
    eprintln!(
        "replayed {} inputs ({} in the corpus folder): {} features",
        corpus.len(),
        kept_at_start,
        seen.len()
    );
    if args.replay {
        println!(
            "replay: {} inputs, {} panics, {} slow, {} broken",
            stats.execs, stats.panics, stats.slow, stats.broken
        );
        std::process::exit(if stats.panics + stats.slow + stats.broken > 0 { 1 } else { 0 });
    }

    let mut rng = Rng(args.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let deadline = Duration::from_secs(args.seconds);
    let start = Instant::now();
    let mut last_log = Instant::now();
    let mut added = 0usize;
    let mut corpus_bytes: usize =
        yaml_files(&args.corpus).iter().filter_map(|f| f.metadata().ok()).map(|m| m.len() as usize).sum();
    while start.elapsed() < deadline {
        let parent = &corpus[rng.below(corpus.len())];
        let other = &corpus[rng.below(corpus.len())];
        let mut input = parent.clone();
        for _ in 0..rng.count(8) {
            mutate(&mut input, other, &mut rng);
        }
        if run(&input, &mut stats, &mut seen) {
            if input.len() <= MAX_KEPT && corpus_bytes + input.len() <= MAX_CORPUS {
                corpus_bytes += input.len();
                let file = args.corpus.join(format!("{:016x}.yaml", fnv1a(&input)));
                let _ = std::fs::write(file, &input);
                added += 1;
            }
            corpus.push(input);
        }
        if last_log.elapsed() > Duration::from_secs(60) {
            last_log = Instant::now();
            eprintln!(
                "{:>6} s: {} execs ({:.0}/s), corpus {} (+{added} kept), {} features, {} panics, {} slow, {} broken, slowest {:?} ({} bytes)",
                start.elapsed().as_secs(),
                stats.execs,
                stats.execs as f64 / start.elapsed().as_secs_f64(),
                corpus.len(),
                seen.len(),
                stats.panics,
                stats.slow,
                stats.broken,
                stats.slowest,
                stats.slowest_len,
            );
        }
    }
    let bytes: u64 = yaml_files(&args.corpus).iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum();
    println!(
        "fuzz: {:.0} s, seed {}, {} executions, corpus folder {} files ({} KB, {} new), {} features, {} panics, {} slow, {} broken, slowest input {:?} of CPU ({} bytes)",
        start.elapsed().as_secs_f64(),
        args.seed,
        stats.execs,
        yaml_files(&args.corpus).len(),
        bytes / 1024,
        added,
        seen.len(),
        stats.panics,
        stats.slow,
        stats.broken,
        stats.slowest,
        stats.slowest_len,
    );
    for f in &findings {
        println!("  {f}");
    }
}
