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

#[path = "mutate.rs"]
mod mutate;
#[path = "pipeline.rs"]
mod pipeline;

use std::collections::{BTreeSet, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use mutate::{mutate, Rng};
use pipeline::{features, fnv1a, problems, yaml_files, Harness};

/// Inputs kept in the corpus folder are at most this big (the corpus stays small).
const MAX_KEPT: usize = 16 * 1024;
/// The corpus folder stops growing at this size (it is committed).
const MAX_CORPUS: usize = 1536 * 1024;
/// CPU time over which an input is a finding (SPEC: bounded time).
const SLOW: Duration = Duration::from_secs(2);
/// CPU time after which the watchdog calls the input a hang and stops.
const HANG: Duration = Duration::from_secs(60);
/// Resident memory past which the watchdog stops (SPEC: bounded memory).
const MAX_RSS: u64 = 2 << 30;

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
            // One input saved per doubling of the time (slow2, slow4, slow8, …), so the
            // slowest kind is kept, not only the first.
            let bucket = 1u64 << (63 - cpu.as_secs().max(1).leading_zeros());
            report(&format!("slow{bucket}"), format!("{cpu:?} of CPU"), &mut stats.slow);
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
