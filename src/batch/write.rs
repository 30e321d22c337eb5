//! Safe writes: a PDF goes to a temporary file in the output folder and is renamed into
//! place, so a crash never leaves a half-written PDF and a failed document never
//! replaces a good one from an earlier run.

use std::io::Write;
use std::path::Path;

/// Longest file name written, in bytes (most file systems allow 255).
const MAX_NAME_BYTES: usize = 200;

/// Makes a file name safe on every common file system, so it stays inside the output
/// folder: no path separators, no `..`, no control characters or characters Windows
/// refuses, no leading dot, no trailing dot or space, no reserved device name (`CON`,
/// `NUL`, `COM1` …), at most 200 bytes.
pub fn sanitize_file_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    while out.contains("..") {
        out = out.replace("..", ".");
    }
    let mut out = out.trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']).to_string();
    if out.len() > MAX_NAME_BYTES {
        // Keep the extension; cut on a character boundary.
        let ext = out.rfind('.').map(|i| out[i..].to_string()).filter(|e| e.len() < 16).unwrap_or_default();
        let mut cut = MAX_NAME_BYTES - ext.len();
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out = format!("{}{ext}", &out[..cut]);
    }
    let stem = out.split('.').next().unwrap_or("").to_ascii_uppercase();
    let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit());
    if out.is_empty() || reserved {
        out.insert(0, '_');
    }
    out
}

/// This machine, as 8 hex digits (FNV-1a of the host name): tells a temporary file of a
/// process here from one written by another machine on a shared volume.
fn host_tag() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .or_else(|| std::env::var("COMPUTERNAME").ok())
        .unwrap_or_default();
    let hash = host.trim().bytes().fold(0x811c_9dc5u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    format!("{hash:08x}")
}

/// The prefix of every temporary file: `.handout-PID-HOST-`, so a later run can tell
/// whose it is.
fn temp_prefix() -> String {
    format!(".handout-{}-{}-", std::process::id(), host_tag())
}

/// How old a temporary file of another machine must be before it counts as left over
/// (a PDF is written in milliseconds).
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(60);

/// Removes temporary files a killed run left in `dir` (`.handout-PID-HOST-*.tmp`): at once
/// when they are this machine's and their process no longer runs (Linux, where `/proc`
/// tells); after a minute when another machine wrote them (one sharing the folder never
/// keeps a file that long); after a day in any case. Returns how many were removed.
pub fn remove_stale_temp_files(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    let here = host_tag();
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(".handout-") else { continue };
        if !name.ends_with(".tmp") {
            continue;
        }
        let mut fields = rest.split('-');
        let pid: Option<u32> = fields.next().and_then(|p| p.parse().ok());
        let same_host = fields.next() == Some(here.as_str());
        if same_host && pid == Some(std::process::id()) {
            continue;
        }
        let age = e.metadata().ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        let Some(age) = age else { continue };
        let proc_known = Path::new("/proc/self").exists();
        let dead_here =
            same_host && proc_known && pid.is_some_and(|p| !Path::new(&format!("/proc/{p}")).exists());
        let stale = dead_here || (!same_host && age >= STALE_AFTER) || age >= STALE_AFTER * 60 * 24;
        if stale && std::fs::remove_file(e.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(&temp_prefix()).suffix(".pdf.tmp").tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// A rendered PDF on its way to its file, with the job it was made for.
pub(super) struct Pending {
    pub job: super::Job,
    pub path: std::path::PathBuf,
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub fonts: Vec<super::UsedFont>,
}

impl Pending {
    /// Writes the PDF atomically; the document's report.
    pub fn finish(self) -> super::DocReport {
        let Pending { job, path, bytes, pages, fonts } = self;
        let shown = path.display().to_string();
        let write = || match write_atomically(&path, &bytes) {
            Ok(()) => super::Outcome::Written { path, pages, bytes: bytes.len(), fonts },
            Err(e) => super::Outcome::Failed(vec![crate::diag::Diagnostic::error(format!(
                "cannot write `{}`: {e}",
                path.display()
            ))
            .hint("check that the output folder is writable and the disk is not full")]),
        };
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(write)).unwrap_or_else(|_| {
            super::Outcome::Failed(vec![crate::diag::Diagnostic::error(format!(
                "internal error while writing `{shown}`"
            ))])
        });
        super::DocReport::of(&job, outcome, vec![])
    }
}

/// The way to the writer threads of [`with_writers`].
pub(super) struct Writers {
    queue: std::sync::mpsc::SyncSender<Pending>,
}

impl Writers {
    /// Hands a document to the writers. If none is left (which only a bug would cause),
    /// writes it here and gives back its report.
    pub fn send(&self, pending: Pending) -> Option<super::DocReport> {
        match self.queue.send(pending) {
            Ok(()) => None,
            Err(std::sync::mpsc::SendError(pending)) => Some(pending.finish()),
        }
    }
}

/// Runs `render` (which returns the reports of documents it did not hand on) with
/// `count` threads that write the documents it hands to [`Writers::send`]; returns every
/// report. Writing waits for the disk (each file is synced before it is renamed into
/// place), so rendering goes on meanwhile; the queue holds at most two documents per
/// writer.
pub(super) fn with_writers(
    count: usize,
    progress: &dyn super::Progress,
    render: impl FnOnce(&Writers) -> Vec<super::DocReport>,
) -> Vec<super::DocReport> {
    let (queue, received) = std::sync::mpsc::sync_channel::<Pending>(2 * count.max(1));
    let received = std::sync::Mutex::new(received);
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..count.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut reports = Vec::new();
                    loop {
                        // One writer at a time waits for the next document.
                        let next = match received.lock() {
                            Ok(r) => r.recv(),
                            Err(_) => break,
                        };
                        let Ok(pending) = next else { break };
                        reports.push(pending.finish());
                        progress.done();
                    }
                    reports
                })
            })
            .collect();
        let writers = Writers { queue };
        let mut reports = render(&writers);
        drop(writers);
        for t in threads {
            // Writing a document cannot panic a writer (`Pending::finish` catches it).
            reports.extend(t.join().unwrap_or_default());
        }
        reports
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cannot_escape_the_output_folder() {
        assert_eq!(sanitize_file_name("../../etc/passwd.en.pdf"), "_._etc_passwd.en.pdf");
        assert_eq!(sanitize_file_name("a/b\\c.pdf"), "a_b_c.pdf");
        assert_eq!(sanitize_file_name(".."), "_");
        assert_eq!(sanitize_file_name("CON.pdf"), "_CON.pdf");
        assert_eq!(sanitize_file_name("com1.en.pdf"), "_com1.en.pdf");
        assert_eq!(sanitize_file_name("a\u{7}b?.pdf. "), "a_b_.pdf");
        let long = sanitize_file_name(&format!("{}.pdf", "é".repeat(300)));
        assert!(long.len() <= 200 && long.ends_with(".pdf"), "{long}");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.pdf");
        write_atomically(&p, b"one").unwrap();
        write_atomically(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn leftovers_of_a_dead_process_here_go_and_a_fresh_one_from_elsewhere_stays() {
        let dir = tempfile::tempdir().unwrap();
        // Linux pids stop at 4194304, so this process never runs.
        let dead_here = format!(".handout-999999999-{}-abc.pdf.tmp", host_tag());
        let elsewhere = ".handout-42-0badf00d-abc.pdf.tmp";
        let mine = format!("{}xyz.pdf.tmp", temp_prefix());
        for n in [dead_here.as_str(), elsewhere, mine.as_str(), "keep.pdf"] {
            std::fs::write(dir.path().join(n), b"x").unwrap();
        }
        let removed = remove_stale_temp_files(dir.path());
        let left: std::collections::BTreeSet<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        if Path::new("/proc/self").exists() {
            assert_eq!(removed, 1);
            assert!(!left.contains(&dead_here));
        }
        assert!(left.contains(elsewhere) && left.contains(&mine) && left.contains("keep.pdf"), "{left:?}");
    }
}
