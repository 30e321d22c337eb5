//! Helpers for integration tests: run the real binary in a temporary folder, read the
//! PDFs back with poppler (`pdftotext`, `pdffonts`) as a reader would.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Returns true if the outside program `tool` (pdftotext, pdfinfo, qpdf, mutool, pdfua …)
/// is on PATH. When it is not, the calling test should return at once: this prints
/// `skipped: …` with the reason, so `cargo test` passes on a machine with only the Rust
/// toolchain. With `HANDOUT_REQUIRE_TOOLS=1` (set by `.ci/run`) a missing tool fails the
/// test instead, so CI never silently skips.
pub fn require_tool(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|dir| dir.join(tool).is_file()));
    if !found {
        if std::env::var_os("HANDOUT_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
            panic!("{tool} is missing and HANDOUT_REQUIRE_TOOLS=1 (install it: see .ci/run)");
        }
        // Written to the stderr handle, not through eprintln!, so the test harness does not
        // capture it: the skip shows in a normal `cargo test` run.
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: {} needs {tool}, which is not installed (see .ci/run)",
            std::thread::current().name().unwrap_or("a test")
        );
    }
    found
}

/// [`require_tool`] for each of `tools` (all are reported).
pub fn require_tools(tools: &[&str]) -> bool {
    let found: Vec<bool> = tools.iter().map(|t| require_tool(t)).collect();
    found.iter().all(|f| *f)
}

/// The shared PDF checker (`../shared/tools/pdfcheck` beside the checkout), or `None`
/// (with a printed skip, or a failure under `HANDOUT_REQUIRE_TOOLS=1`) where it is absent.
pub fn pdfcheck() -> Option<PathBuf> {
    let tool = root().join("../shared/tools/pdfcheck");
    if tool.is_file() {
        return Some(tool);
    }
    if std::env::var_os("HANDOUT_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
        panic!("../shared/tools/pdfcheck is missing and HANDOUT_REQUIRE_TOOLS=1");
    }
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {} needs ../shared/tools/pdfcheck, which is not beside this checkout",
        std::thread::current().name().unwrap_or("a test")
    );
    None
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder with a contact profile, for one test.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

pub const CONTACT: &str = r#"organization: Riverside Neurology Clinic
department: Neurology
phone: "+1 (555) 010-0199"
after_hours: "+1 (555) 010-0100"
email: neuro@riverside.example
website: https://riverside.example
"#;

impl Dir {
    /// A folder `h/` holding `contact.yaml`.
    pub fn new() -> Dir {
        let d = Dir { tmp: tempfile::tempdir().expect("tempdir") };
        d.write("h/contact.yaml", CONTACT);
        d
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.tmp.path().join(rel)
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    /// Runs `handout ARGS` in this folder.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_handout"))
            .args(args)
            .current_dir(self.tmp.path())
            .env_remove("SOURCE_DATE_EPOCH")
            .output()
            .expect("run handout")
    }
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Text of one page (1-based), in reading order, as `pdftotext` gives it.
pub fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext failed on {}", pdf.display());
    String::from_utf8(out.stdout).unwrap()
}

/// Number of pages, from `pdfinfo`.
pub fn page_count(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|v| v.trim().parse().ok())
        .expect("page count")
}

/// One field of `pdfinfo` output ("Title", "Page size", …), trimmed.
pub fn info_field(pdf: &Path, key: &str) -> String {
    pdfinfo(pdf)
        .lines()
        .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix(':')))
        .map(|v| v.trim().to_string())
        .unwrap_or_default()
}

/// `pdfinfo` output as text.
pub fn pdfinfo(pdf: &Path) -> String {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A word with its box, in points from the top-left corner.
#[derive(Debug, Clone)]
pub struct Word {
    pub x0: f32,
    pub y0: f32,
    pub x1: f32,
    pub y1: f32,
    pub text: String,
}

/// A page's size and words, from `pdftotext -bbox`.
#[derive(Debug, Clone)]
pub struct BoxPage {
    pub width: f32,
    pub height: f32,
    pub words: Vec<Word>,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).expect(name) + key.len();
    let end = tag[start..].find('"').unwrap() + start;
    tag[start..end].parse().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Every word of every page with its bounding box.
pub fn words(pdf: &Path) -> Vec<BoxPage> {
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    let html = String::from_utf8(out.stdout).unwrap();
    let mut pages = Vec::new();
    for chunk in html.split("<page ").skip(1) {
        let head = &chunk[..chunk.find('>').unwrap()];
        let mut page = BoxPage { width: attr(head, "width"), height: attr(head, "height"), words: vec![] };
        for w in chunk.split("<word ").skip(1) {
            let tag_end = w.find('>').unwrap();
            let tag = &w[..tag_end];
            let text_end = w.find("</word>").unwrap();
            page.words.push(Word {
                x0: attr(tag, "xMin"),
                y0: attr(tag, "yMin"),
                x1: attr(tag, "xMax"),
                y1: attr(tag, "yMax"),
                text: unescape(&w[tag_end + 1..text_end]),
            });
        }
        pages.push(page);
    }
    pages
}

/// `pdffonts` rows: (name, embedded, subset, unicode).
pub fn fonts(pdf: &Path) -> Vec<(String, bool, bool, bool)> {
    let out = Command::new("pdffonts").arg(pdf).output().expect("pdffonts");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let n = f.len();
            (f[0].to_string(), f[n - 5] == "yes", f[n - 4] == "yes", f[n - 3] == "yes")
        })
        .collect()
}

/// Collapses all white space to single spaces.
pub fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every annotation of a PDF, page by page (the writer makes only link annotations).
pub fn annotations(doc: &lopdf::Document) -> Vec<&lopdf::Dictionary> {
    let mut out = Vec::new();
    for (_, page_id) in doc.get_pages() {
        let page = doc.get_dictionary(page_id).unwrap();
        if let Ok(lopdf::Object::Array(annots)) = page.get(b"Annots") {
            for a in annots {
                let a = match a {
                    lopdf::Object::Reference(r) => doc.get_dictionary(*r).unwrap(),
                    lopdf::Object::Dictionary(d) => d,
                    _ => continue,
                };
                out.push(a);
            }
        }
    }
    out
}

/// Every `/URI` of every link annotation of a PDF, page by page.
pub fn link_uris(pdf: &Path) -> Vec<String> {
    let doc = lopdf::Document::load(pdf).unwrap();
    annotations(&doc)
        .into_iter()
        .filter_map(|a| a.get(b"A").and_then(|x| x.as_dict()).and_then(|x| x.get(b"URI")).ok())
        .map(|uri| String::from_utf8_lossy(uri.as_str().unwrap()).into_owned())
        .collect()
}
