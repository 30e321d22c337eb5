//! Property test over whole handouts: random trees of every block kind of the format
//! (headings, subheadings, paragraphs in both spellings, bullets and steps with nested
//! lists, callouts of each kind with any mix of title, text and list, page breaks), inline
//! markup (bold, italic, links with allowed and refused schemes, autolinks, placeholders
//! with and without values, stray markup), hostile Unicode and random `lang`, written out
//! as YAML and run through load, lint, resolve, layout and the PDF writer in-process (the
//! fuzzer's harness, `fuzz/pipeline.rs`).
//!
//! What must hold: no panic; the outcome passes the harness's checks (a PDF from `%PDF-`
//! to `%%EOF`, or errors that each have a place; only web, email and phone links; no `{{`
//! on a page); a tree built only from clean parts builds; a tree with a placeholder that
//! has no value, or a refused link, fails with that error at a place. Raise the case count
//! with `PROPTEST_CASES=2000`.

#[path = "../fuzz/pipeline.rs"]
mod pipeline;
mod strings;

use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::LazyLock;

use pipeline::{problems, Harness, Stage};
use proptest::prelude::*;
use strings::{clean_text, hostile_text, yaml_quoted};

static HARNESS: LazyLock<Harness> =
    LazyLock::new(|| Harness::new(&PathBuf::from(env!("CARGO_MANIFEST_DIR"))));

/// A piece of inline text and what it is expected to do.
#[derive(Clone, Debug, Default)]
struct Inline {
    /// The text as the YAML scalar holds it.
    text: String,
    /// Made only of covered characters, allowed links and filled placeholders: it builds.
    clean: bool,
    /// Holds a placeholder without a value, a bad `|date`, an unknown format or a stray
    /// `{{`/`}}`: resolving fails.
    bad_placeholder: bool,
    /// Holds a link with a refused target.
    bad_link: bool,
}

impl Inline {
    fn clean(text: String) -> Inline {
        Inline { text, clean: true, ..Inline::default() }
    }

    fn join(parts: Vec<Inline>, sep: &str) -> Inline {
        Inline {
            text: parts.iter().map(|p| p.text.as_str()).collect::<Vec<_>>().join(sep),
            clean: parts.iter().all(|p| p.clean),
            bad_placeholder: parts.iter().any(|p| p.bad_placeholder),
            bad_link: parts.iter().any(|p| p.bad_link),
        }
    }
}

const GOOD_TARGETS: &[&str] = &[
    "https://riverside.example/care",
    "http://example.org/a?b=c&d",
    "mailto:care@riverside.example",
    "tel:+15550100",
];
const BAD_TARGETS: &[&str] = &[
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "file:///etc/passwd",
    "data:text/html,<b>x</b>",
    "vbscript:x",
    "ftp://example.org/f",
    "relative/page.html",
];
const KNOWN: &[&str] =
    &["patient_name", "follow_up|date", "mrn", "contact.phone", "contact.organization", " mrn "];
const UNKNOWN: &[&str] = &["nope", "contact.fax", "bad_date|date", "mrn|upper", "", "patient name"];

/// One leaf of inline text; with `bad`, also the refused kinds (links, placeholders).
fn leaf(bad: bool) -> BoxedStrategy<Inline> {
    let good = prop_oneof![
        8 => clean_text().prop_map(Inline::clean),
        1 => hostile_text().prop_map(|text| Inline { text, ..Inline::default() }),
        2 => (clean_text(), prop::sample::select(GOOD_TARGETS))
            .prop_map(|(label, t)| Inline::clean(format!("[{label}]({t})"))),
        1 => prop::sample::select(GOOD_TARGETS).prop_map(|t| Inline::clean(format!("<{t}>"))),
        2 => prop::sample::select(KNOWN).prop_map(|p| Inline::clean(format!("{{{{{p}}}}}"))),
        1 => prop::sample::select(&["**", "*", "_", "[", "]", "\\", "`", "<", "# ", "- ", "1. "][..])
            .prop_map(|t| Inline::clean(t.to_string())),
    ];
    if !bad {
        return good.boxed();
    }
    prop_oneof![
        6 => good,
        1 => (clean_text(), prop::sample::select(BAD_TARGETS)).prop_map(|(label, t)| Inline {
            text: format!("[{label}]({t})"),
            bad_link: true,
            ..Inline::default()
        }),
        1 => prop::sample::select(&["<file:///etc/passwd>", "<javascript:alert(1)>", "[x]()"][..]).prop_map(|t| {
            Inline { text: t.to_string(), bad_link: true, ..Inline::default() }
        }),
        1 => prop::sample::select(UNKNOWN).prop_map(|p| Inline {
            text: format!("{{{{{p}}}}}"),
            bad_placeholder: true,
            ..Inline::default()
        }),
        1 => prop::sample::select(&["{{", "}}", "x }} y"][..]).prop_map(|t| Inline {
            text: t.to_string(),
            bad_placeholder: true,
            ..Inline::default()
        }),
    ]
    .boxed()
}

/// Inline text: leaves, some wrapped in bold or italic, nested up to three deep.
fn inline(bad: bool) -> impl Strategy<Value = Inline> {
    let tree = leaf(bad).prop_recursive(3, 8, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..4).prop_map(|v| Inline::join(v, " ")),
            (prop::sample::select(&["**", "*", "_", "***"][..]), inner.clone()).prop_map(|(m, mut i)| {
                i.text = format!("{m}{}{m}", i.text);
                i
            }),
        ]
    });
    prop::collection::vec(tree, 1..3).prop_map(|v| {
        let mut i = Inline::join(v, " ");
        // A scalar of only spaces, marks or invisible characters may be empty text.
        i.clean &= i.text.chars().any(char::is_alphanumeric);
        // A backslash or a backtick elsewhere in the scalar may escape the link or put
        // it in a code span, where it is text, not a link: then nothing is refused.
        i.bad_link &= !i.text.contains('\\') && !i.text.contains('`');
        i
    })
}

/// A block of the body, as YAML lines at an indentation, and its expectations.
#[derive(Clone, Debug)]
struct Block {
    yaml: String,
    parts: Inline,
}

/// `bullets:` or `steps:` with items (some with one nested list), at `indent`.
fn list(indent: usize, bad: bool) -> impl Strategy<Value = Block> {
    let item = (
        inline(bad),
        prop::option::weighted(0.25, (prop::bool::ANY, prop::collection::vec(inline(bad), 1..4))),
    );
    (prop::bool::ANY, prop::collection::vec(item, 1..5)).prop_map(move |(steps, items)| {
        let pad = " ".repeat(indent);
        let mut yaml = format!("{pad}{}:\n", if steps { "steps" } else { "bullets" });
        let mut parts = Vec::new();
        for (text, nested) in items {
            match nested {
                None => writeln!(yaml, "{pad}  - {}", yaml_quoted(&text.text)).unwrap(),
                Some((nsteps, sub)) => {
                    writeln!(yaml, "{pad}  - text: {}", yaml_quoted(&text.text)).unwrap();
                    writeln!(yaml, "{pad}    {}:", if nsteps { "steps" } else { "bullets" }).unwrap();
                    for s in &sub {
                        writeln!(yaml, "{pad}      - {}", yaml_quoted(&s.text)).unwrap();
                    }
                    parts.extend(sub);
                }
            }
            parts.push(text);
        }
        Block { yaml, parts: Inline::join(parts, "") }
    })
}

fn block(bad: bool) -> impl Strategy<Value = Block> {
    let text_block = move |key: &'static str| {
        inline(bad)
            .prop_map(move |i| Block { yaml: format!("  - {key}{}\n", yaml_quoted(&i.text)), parts: i })
    };
    let kinds: &[Option<&str>] = if bad {
        &[Some("note"), Some("warning"), Some("urgent"), None, Some("danger")]
    } else {
        &[Some("note"), Some("warning"), Some("urgent"), None]
    };
    let callout = (
        prop::sample::select(kinds),
        prop::option::of(inline(bad)),
        prop::option::of(inline(bad)),
        prop::option::weighted(if bad { 0.5 } else { 0.9 }, list(6, bad)),
    )
        .prop_map(|(kind, title, text, list)| {
            let mut yaml = String::from("  - callout:\n");
            let mut parts = Vec::new();
            // An unknown kind and a callout with nothing in it are errors.
            let mut ok = kind != Some("danger");
            if let Some(k) = kind {
                writeln!(yaml, "      kind: {k}").unwrap();
            }
            ok &= title.is_some() || text.is_some() || list.is_some();
            for (key, value) in [("title", title), ("text", text)] {
                if let Some(v) = value {
                    writeln!(yaml, "      {key}: {}", yaml_quoted(&v.text)).unwrap();
                    parts.push(v);
                }
            }
            if let Some(l) = list {
                yaml.push_str(&l.yaml);
                parts.push(l.parts);
            }
            let mut parts = Inline::join(parts, "");
            parts.clean &= ok;
            Block { yaml, parts }
        });
    prop_oneof![
        2 => text_block("heading: "),
        1 => text_block("subheading: "),
        3 => text_block(""),
        1 => text_block("paragraph: "),
        2 => list(4, bad).prop_map(|l| Block { yaml: format!("  -\n{}", l.yaml), parts: l.parts }),
        2 => callout,
        1 => Just(Block { yaml: "  - page_break: true\n".into(), parts: Inline::clean(String::new()) }),
    ]
}

/// A whole handout and its expectations: three in four are made of parts that must
/// build (so layout and the PDF writer see most trees), the rest mix in refused parts.
fn handout() -> impl Strategy<Value = (String, Inline)> {
    prop_oneof![3 => tree(false), 1 => tree(true)]
}

fn tree(bad: bool) -> impl Strategy<Value = (String, Inline)> {
    const LANGS: &[Option<&str>] = &[
        None,
        Some("en"),
        Some("es"),
        Some("ar"),
        Some("he"),
        Some("fa"),
        Some("th"),
        Some("hi"),
        Some("zh-Hans"),
        Some("vi"),
        Some("ru"),
        Some("ht"),
        Some("pt-BR"),
        Some("zz"),
        Some("not a tag"),
    ];
    let langs = prop::sample::select(if bad { LANGS } else { &LANGS[..LANGS.len() - 1] });
    const DATES: &[Option<&str>] = &[None, Some("2026-10-01"), Some("2024-02-29"), Some("2026-02-30")];
    let reviewed = prop::sample::select(if bad { DATES } else { &DATES[..DATES.len() - 1] });
    (
        inline(bad),
        prop::option::of(inline(bad)),
        prop::option::of(inline(bad)),
        prop::collection::vec(inline(bad), 0..3),
        langs,
        reviewed,
        prop::collection::vec(block(bad), 1..6),
    )
        .prop_map(|(title, subtitle, summary, keywords, lang, reviewed, body)| {
            let mut yaml = format!("title: {}\n", yaml_quoted(&title.text));
            let mut parts = vec![title];
            // The summary and keywords are metadata, not markup: a link there is text.
            let metadata = |mut i: Inline| {
                i.bad_link = false;
                i
            };
            if let Some(v) = subtitle {
                writeln!(yaml, "subtitle: {}", yaml_quoted(&v.text)).unwrap();
                parts.push(v);
            }
            if let Some(v) = summary {
                writeln!(yaml, "summary: {}", yaml_quoted(&v.text)).unwrap();
                parts.push(metadata(v));
            }
            if !keywords.is_empty() {
                let k: Vec<String> = keywords.iter().map(|k| yaml_quoted(&k.text)).collect();
                writeln!(yaml, "keywords: [{}]", k.join(", ")).unwrap();
                parts.extend(keywords.into_iter().map(metadata));
            }
            let ok = lang != Some("not a tag") && reviewed != Some("2026-02-30");
            if let Some(l) = lang {
                writeln!(yaml, "lang: {l}").unwrap();
            }
            if let Some(r) = reviewed {
                writeln!(yaml, "reviewed: {r}").unwrap();
            }
            yaml.push_str("body:\n");
            for b in body {
                yaml.push_str(&b.yaml);
                parts.push(b.parts);
            }
            let mut all = Inline::join(parts, "");
            all.clean &= ok;
            (yaml, all)
        })
}

/// `PROPTEST_CASES` if set (an explicit count in the config would override it), else
/// `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(64), ..ProptestConfig::default() })]

    #[test]
    fn any_handout_tree_builds_or_fails_at_a_place((yaml, expect) in handout(), large in prop::bool::ANY) {
        let outcome = catch_unwind(AssertUnwindSafe(|| HARNESS.run_as(yaml.as_bytes(), "case.yaml", usize::from(large))));
        let Ok(o) = outcome else {
            return Err(TestCaseError::fail(format!("panicked on\n{yaml}")));
        };
        let broken = problems(&o);
        prop_assert!(broken.is_empty(), "{broken:?}\n{yaml}");
        let errors: Vec<String> = match &o.result {
            Err((_, d)) => d.iter().map(|d| format!("{}: {}", d.span.as_ref().map_or(String::new(), |s| s.to_string()), d.message)).collect(),
            Ok(_) => vec![],
        };
        if expect.clean {
            prop_assert!(o.result.is_ok(), "a clean handout failed: {errors:#?}\n{yaml}");
        }
        let loaded = !matches!(o.result, Err((Stage::Load, _)));
        if loaded && expect.bad_placeholder {
            prop_assert!(
                errors.iter().any(|e| e.contains("{{") || e.contains("}}")),
                "a placeholder without a value was not reported: {errors:#?}\n{yaml}"
            );
        }
        if loaded && expect.bad_link {
            prop_assert!(o.result.is_err(), "a refused link built\n{yaml}");
        }
    }
}
