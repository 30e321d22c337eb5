//! Finding font files: a bounded walk of font folders and a capped read of one file.
//!
//! Font folders are outside input (a `--font-dir`, the machine's own folders), so every
//! walk is bounded: symbolic links are followed but a folder already seen (same device
//! and inode) is skipped, so a link loop ends; the depth and the number of files are
//! capped; only regular files are ever opened (a FIFO would block a read forever, a
//! device could stream without end); and a read stops at [`MAX_FONT_BYTES`].

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

/// The largest font file read (the biggest common font, a CJK collection, is ~30 MB).
pub const MAX_FONT_BYTES: u64 = 64 * 1024 * 1024;
/// How deep a walk goes below the folder it starts at.
pub const MAX_DEPTH: usize = 16;
/// How many font files one folder may hold before the walk stops.
pub const MAX_FILES: usize = 10_000;
/// The most faces read from one collection (.ttc/.otc).
const MAX_COLLECTION_FACES: u32 = 256;

/// A font file found by a walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The file.
    pub path: PathBuf,
    /// How many faces it holds (more than one only for a collection).
    pub faces: u32,
}

/// Returns true if and only if `path` is named like a font file this tool reads.
fn is_font_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttf" | "otf" | "ttc" | "otc"))
}

fn is_collection_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "ttc" | "otc"))
}

/// Identity of a folder, to notice one reached twice through links.
#[cfg(unix)]
fn folder_key(meta: &std::fs::Metadata, _path: &Path) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

#[cfg(not(unix))]
fn folder_key(_meta: &std::fs::Metadata, path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Every font file under `dir`, sorted by path so the order never depends on the file
/// system. `problems` collects files that cannot be fonts (not a regular file, too big,
/// unreadable link) and a walk cut short by [`MAX_FILES`]; the caller decides whether they
/// are errors (a `--font-dir`) or ignored (system folders).
pub fn list(dir: &Path, problems: &mut Vec<Diagnostic>) -> std::io::Result<Vec<Listed>> {
    let top = std::fs::metadata(dir)?;
    if !top.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"));
    }
    let mut seen = std::collections::BTreeSet::new();
    seen.insert(folder_key(&top, dir));
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), 0usize)];
    let mut first = true;
    while let Some((d, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&d) {
            Ok(e) => e,
            // The top folder must be readable; a subfolder that is not is skipped.
            Err(e) if first => return Err(e),
            Err(_) => continue,
        };
        first = false;
        let mut names: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        names.sort();
        for path in names {
            // Follows links; a link loop or a dangling link fails here instead of hanging.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    if is_font_name(&path) {
                        problems.push(Diagnostic::warning(format!("skipped font `{}`: {e}", path.display())));
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                if depth < MAX_DEPTH && seen.insert(folder_key(&meta, &path)) {
                    stack.push((path, depth + 1));
                }
                continue;
            }
            if !is_font_name(&path) {
                continue;
            }
            if let Err(d) = check_file(&path, &meta) {
                problems.push(d);
                continue;
            }
            if out.len() == MAX_FILES {
                problems.push(Diagnostic::warning(format!(
                    "`{}` holds more than {MAX_FILES} font files; the rest are ignored",
                    dir.display()
                )));
                stack.clear();
                break;
            }
            let faces = if is_collection_name(&path) { collection_faces(&path) } else { 1 };
            out.push(Listed { path, faces });
        }
    }
    out.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(out)
}

/// Refuses what is not a regular file of a sane size.
fn check_file(path: &Path, meta: &std::fs::Metadata) -> Result<(), Diagnostic> {
    if !meta.is_file() {
        return Err(Diagnostic::warning(format!(
            "skipped font `{}`: not a regular file (a FIFO, socket or device)",
            path.display()
        )));
    }
    if meta.len() > MAX_FONT_BYTES {
        return Err(Diagnostic::warning(format!(
            "skipped font `{}`: {} bytes is more than the {} MiB limit",
            path.display(),
            meta.len(),
            MAX_FONT_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// The number of faces in a collection file, from its 12-byte header (1 if unreadable:
/// the read of the whole file reports the problem later).
fn collection_faces(path: &Path) -> u32 {
    let mut head = [0u8; 12];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head));
    if read.is_err() || &head[..4] != b"ttcf" {
        return 1;
    }
    u32::from_be_bytes([head[8], head[9], head[10], head[11]]).clamp(1, MAX_COLLECTION_FACES)
}

/// Maps a whole font file into memory: only a regular file, at most [`MAX_FONT_BYTES`].
///
/// Mapped, not read: shaping looks at a few tables and subsetting at the glyphs drawn,
/// so of a 5 MB CJK face only those pages are ever loaded, and nothing is copied. The
/// map is leaked: faces live as long as the process (one book serves a whole batch).
#[allow(unsafe_code)]
pub fn map(path: &Path) -> Result<&'static [u8], String> {
    // Checked before opening, so that a FIFO is refused instead of blocking the open.
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    check_file(path, &meta).map_err(|d| d.message)?;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // And again on the file opened, which is the one mapped.
    let meta = file.metadata().map_err(|e| e.to_string())?;
    check_file(path, &meta).map_err(|d| d.message)?;
    // SAFETY: the map is read-only and private to this process, so nothing this process
    // does can change it. Another process truncating or rewriting the font file while a
    // run is under way could (that is why `Mmap::map` is unsafe); font files are
    // installed, not edited in place, and every font tool that maps fonts (fontdb, which
    // Typst uses; FreeType) makes the same bargain. README "Fonts" says so.
    let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| e.to_string())?;
    if map.len() as u64 > MAX_FONT_BYTES {
        return Err(format!("larger than the {} MiB limit", MAX_FONT_BYTES / (1024 * 1024)));
    }
    Ok(&**Box::leak(Box::new(map)))
}

/// The machine's font folders that exist, in a fixed order.
///
/// `HANDOUT_SYSTEM_FONT_DIRS` (a path list, like `PATH`) replaces the built-in list; an
/// empty value means "no system fonts". Tests use it to simulate fonts installed on the
/// machine without touching it.
pub fn system_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = match std::env::var_os("HANDOUT_SYSTEM_FONT_DIRS") {
        Some(list) => std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()).collect(),
        None => {
            let mut dirs = Vec::new();
            if cfg!(target_os = "macos") {
                dirs.push(PathBuf::from("/System/Library/Fonts"));
                dirs.push(PathBuf::from("/Library/Fonts"));
            } else if cfg!(windows) {
                let root = std::env::var_os("SystemRoot").unwrap_or_else(|| "C:\\Windows".into());
                dirs.push(Path::new(&root).join("Fonts"));
            } else {
                dirs.push(PathBuf::from("/usr/share/fonts"));
                dirs.push(PathBuf::from("/usr/local/share/fonts"));
            }
            if let Some(home) = std::env::var_os("HOME") {
                let home = Path::new(&home);
                if cfg!(target_os = "macos") {
                    dirs.push(home.join("Library/Fonts"));
                } else {
                    dirs.push(home.join(".local/share/fonts"));
                    dirs.push(home.join(".fonts"));
                }
            }
            dirs
        }
    };
    dirs.retain(|d| d.is_dir());
    dirs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walk_skips_links_to_itself_and_finds_fonts_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("A.ttf"), b"x").unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/B.otf"), b"x").unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path(), dir.path().join("sub/loop")).unwrap();
            std::os::unix::fs::symlink("l2.ttf", dir.path().join("l1.ttf")).unwrap();
            std::os::unix::fs::symlink("l1.ttf", dir.path().join("l2.ttf")).unwrap();
        }
        let mut problems = Vec::new();
        let found = list(dir.path(), &mut problems).unwrap();
        let names: Vec<_> =
            found.iter().map(|l| l.path.strip_prefix(dir.path()).unwrap().to_owned()).collect();
        assert_eq!(names, [PathBuf::from("A.ttf"), PathBuf::from("sub/B.otf")]);
        #[cfg(unix)]
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[cfg(unix)]
    #[test]
    fn fifo_is_refused_without_opening_it() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.ttf");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("SKIP: mkfifo is not available");
            return;
        }
        let mut problems = Vec::new();
        assert!(list(dir.path(), &mut problems).unwrap().is_empty());
        assert!(problems[0].message.contains("not a regular file"), "{problems:?}");
        assert!(map(&fifo).unwrap_err().contains("not a regular file"));
    }

    #[test]
    fn a_mapped_font_holds_the_file_and_an_empty_file_maps_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.ttf");
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).unwrap();
        assert_eq!(map(&path).unwrap(), &bytes[..]);
        std::fs::write(&path, b"").unwrap();
        assert_eq!(map(&path).unwrap(), b"");
        assert!(map(&dir.path().join("missing.ttf")).is_err());
    }

    #[test]
    fn collection_header_gives_face_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.ttc");
        std::fs::write(&path, [b"ttcf".as_slice(), &[0, 1, 0, 0], &[0, 0, 0, 3]].concat()).unwrap();
        assert_eq!(collection_faces(&path), 3);
    }
}
