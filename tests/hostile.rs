//! Hostile input: nothing written outside the folders the user named, whatever a name
//! or tag says.

mod common;

use common::*;

#[test]
fn new_refuses_a_language_that_is_a_path() {
    let d = Dir::new();
    for lang in ["zz/../../../x", "../es", "es/..", "e s", ""] {
        let o = d.run(&["new", "tip", "--lang", lang, "--dir", "h"]);
        assert_eq!(o.status.code(), Some(2), "{lang}: {}", stderr(&o));
        assert!(stderr(&o).contains("is not a language tag"), "{lang}: {}", stderr(&o));
    }
    let mut left: Vec<_> = walk(d.tmp.path());
    left.sort();
    assert_eq!(left, [d.path("h/contact.yaml")], "only the contact profile is there");
    let o = d.run(&["new", "tip", "--lang", "zh-Hans", "--dir", "h"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(d.path("h/tip.zh-Hans.yaml").is_file());
}

/// Every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}
