//! The `table:` block as a reader gets it: text in reading order (caption, header, then
//! row by row), every word inside its column and the margins in Letter, A4 and large
//! print, the header on every page a long table spans, rows never split across pages
//! (unless taller than a page, and then no word lost), the tag tree
//! (Table/Caption/THead/TBody/TR/TH with Scope Column/TD), a right-to-left table mirrored,
//! and every input mistake at its line and column.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

const MEDS: &str = r#"title: Going home
body:
  - Before the table.
  - table:
      caption: Medicines to take at home
      columns: [Medicine, How much, When, What it is for]
      widths: [3, 2, 3, 3]
      rows:
        - [Acetaminophen (Tylenol), 500 mg, Every 6 hours if needed, Pain]
        - ["**Oxycodone**", 5 mg, Every 4 hours only if the pain is severe, "Strong pain. Call {{contact.phone}}."]
        - [Docusate, "", Twice a day while you take oxycodone, "Constipation, see [our page](https://riverside.example/c)"]
  - After the table.
"#;

/// `pdfinfo -struct-text`: the structure tree with each element's text, as poppler reads it.
fn struct_text(pdf: &Path) -> String {
    let o = Command::new("pdfinfo").arg("-struct-text").arg(pdf).output().expect("pdfinfo");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The lines of the tree from the `Table` element to the end of its subtree.
fn table_subtree(tree: &str) -> Vec<String> {
    let lines: Vec<&str> = tree.lines().collect();
    let start = lines.iter().position(|l| l.trim_start().starts_with("Table")).expect("a Table element");
    let indent = lines[start].len() - lines[start].trim_start().len();
    let mut out = vec![lines[start].trim().to_string()];
    for l in &lines[start + 1..] {
        if l.len() - l.trim_start().len() <= indent {
            break;
        }
        out.push(l[indent..].trim_end().to_string());
    }
    out
}

/// `pdftotext -raw`: the text in the order it is drawn.
fn raw_text(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-raw", "-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(o.status.success());
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn build(d: &Dir, name: &str, args: &[&str]) -> std::path::PathBuf {
    let mut all = vec!["build", "-q"];
    let path = format!("h/{name}.yaml");
    all.push(&path);
    all.extend(["-o", "out"]);
    all.extend(args);
    let o = d.run(&all);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lang = if name.ends_with(".ar") { "" } else { ".en" };
    d.path(&format!("out/{name}{lang}.pdf"))
}

fn pdfcheck_clean(pdf: &Path) {
    if let Some(tool) = pdfcheck() {
        let o = Command::new(tool).arg(pdf).output().unwrap();
        assert!(o.status.success(), "pdfcheck: {}", stdout(&o));
    }
    if require_tool("pdfua") {
        let o = Command::new("pdfua").arg("check").arg(pdf).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "pdfua findings:\n{}", stdout(&o));
    }
}

#[test]
fn a_table_reads_caption_header_then_row_by_row_and_is_tagged_as_one() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    d.write("h/meds.yaml", MEDS);
    let pdf = build(&d, "meds", &[]);
    // In the order of the content stream (`-raw`), which is the order of the tags: poppler's
    // default reading order guesses columns from gaps, and an empty cell makes one.
    let text = squash(&raw_text(&pdf));
    let order = [
        "Before the table.",
        "Medicines to take at home",
        "Medicine",
        "How much",
        "When",
        "What it is for",
        "Acetaminophen (Tylenol)",
        "500 mg",
        "Every 6 hours if needed",
        "Pain",
        "Oxycodone",
        "5 mg",
        "Every 4 hours only if the pain is severe",
        "Strong pain. Call +1 (555) 010-0199.",
        "Docusate",
        "Twice a day while you take oxycodone",
        "Constipation, see our page",
        "After the table.",
    ];
    let mut at = 0;
    for want in order {
        let i = text[at..].find(want).unwrap_or_else(|| panic!("`{want}` not in order in: {}", &text[at..]));
        at += i + want.len();
    }
    // Markup and links work in cells as in paragraphs.
    assert!(link_uris(&pdf).iter().any(|u| u == "https://riverside.example/c"), "{:?}", link_uris(&pdf));

    let tree = table_subtree(&struct_text(&pdf));
    let th = |t: &str| format!("      TH:\n         /Scope /Column\n        \"{t}\"");
    let want = [
        "Table (block)".to_string(),
        "  Caption\n    \"Medicines to take at home\"".into(),
        "  THead\n    TR".into(),
        th("Medicine"),
        th("How much"),
        th("When"),
        th("What it is for"),
        "  TBody\n    TR".into(),
        "      TD\n        \"Acetaminophen (Tylenol)\"".into(),
        "      TD\n        \"500 mg\"".into(),
        "      TD\n        \"Every 6 hours if needed\"".into(),
        "      TD\n        \"Pain\"".into(),
        "    TR".into(),
        "      TD\n        \"Oxycodone\"".into(),
        "      TD\n        \"5 mg\"".into(),
        "      TD\n        \"Every 4 hours only if the pain is severe\"".into(),
        "      TD\n        \"Strong pain. Call +1 (555) 010-0199.\"".into(),
        "    TR".into(),
        "      TD\n        \"Docusate\"".into(),
        // The empty cell keeps its column's place.
        "      TD".into(),
        "      TD\n        \"Twice a day while you take oxycodone\"".into(),
        "      TD\n        \"Constipation, see \"\n        Link (inline)".into(),
    ]
    .join("\n");
    let got = tree.join("\n");
    assert!(got.starts_with(&want), "want\n{want}\ngot\n{got}");
    pdfcheck_clean(&pdf);
}

/// Left and right edges of each column on a Letter or A4 page with 54 pt margins.
fn columns(page_width: f32, weights: &[f32]) -> Vec<(f32, f32)> {
    let width = page_width - 108.0;
    let total: f32 = weights.iter().sum();
    let mut left = 54.0;
    weights
        .iter()
        .map(|w| {
            let l = left;
            left += width * w / total;
            (l, left)
        })
        .collect()
}

#[test]
fn every_word_stays_inside_its_column_and_the_margins_in_every_page_size() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let d = Dir::new();
    // Every word says its column: `c2r12w5` is the fifth word of the cell in column 2 of
    // the row of 12-word cells.
    let cell = |c: usize, n: usize| (1..=n).map(|w| format!("c{c}r{n}w{w}")).collect::<Vec<_>>().join(" ");
    let mut yaml = String::from(
        "title: Columns\nbody:\n  - table:\n      columns: [c1w0, c2w0, c3w0]\n      widths: [1, 2, 1.5]\n      rows:\n",
    );
    for n in [3, 12, 30] {
        yaml.push_str(&format!("        - [{}, {}, {}]\n", cell(1, n), cell(2, n), cell(3, n)));
    }
    d.write("h/cols.yaml", &yaml);
    for (paper, large) in [("letter", false), ("a4", false), ("letter", true), ("a4", true)] {
        let mut args = vec!["--paper", paper];
        if large {
            args.push("--large-print");
        }
        let pdf = build(&d, "cols", &args);
        let case = format!("{paper}, large print {large}");
        let mut seen = std::collections::BTreeSet::new();
        for page in words(&pdf) {
            let cols = columns(page.width, &[1.0, 2.0, 1.5]);
            for w in &page.words {
                assert!(w.x0 >= 54.0 - 0.5 && w.x1 <= page.width - 54.0 + 0.5, "{case}: {w:?} in the margin");
                let Some(rest) = w.text.strip_prefix('c') else { continue };
                let Some(col) = rest.split(['r', 'w']).next().and_then(|c| c.parse::<usize>().ok()) else {
                    continue;
                };
                let (left, right) = cols[col - 1];
                // Inside its column, clear of the rules on either side (the padding).
                assert!(
                    w.x0 >= left + 2.0 && w.x1 <= right - 2.0,
                    "{case}: {w:?} outside column {col} {left}..{right}"
                );
                if !w.text.ends_with("w0") {
                    assert!(seen.insert(w.text.clone()), "{case}: {} twice", w.text);
                }
            }
        }
        // Each word of the rows once (the header, `c1w0` …, is drawn again on each page).
        assert_eq!(seen.len(), 3 * (3 + 12 + 30), "{case}: every word is on a page");
        pdfcheck_clean(&pdf);
    }
}

#[test]
fn a_long_table_repeats_its_header_on_each_page_and_never_splits_a_row() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let mut yaml = String::from(
        "title: Schedule\nbody:\n  - table:\n      caption: Every dose\n      columns: [Day, Morning, Evening]\n      rows:\n",
    );
    for i in 1..=60 {
        yaml.push_str(&format!(
            "        - [Start{i} day {i}, Take one tablet with breakfast and a full glass of water, Take one tablet with supper End{i}]\n"
        ));
    }
    yaml.push_str("  - After the table.\n");
    d.write("h/long.yaml", &yaml);
    for args in [&[][..], &["--large-print"][..]] {
        let pdf = build(&d, "long", args);
        let pages = page_count(&pdf);
        assert!(pages >= 3, "{args:?}: {pages} pages");
        let boxes = words(&pdf);
        for (p, page) in boxes.iter().enumerate() {
            let n = p + 1;
            let text = squash(&page_text(&pdf, n));
            // The header is the first thing on every page after the first.
            if n > 1 && text.contains("Start") {
                assert!(
                    text.starts_with("Day Morning Evening"),
                    "{args:?}: page {n} starts with: {text:.80}"
                );
            }
            // A row's first and last words are on the same page.
            for w in page.words.iter().filter(|w| w.text.starts_with("Start")) {
                let i = &w.text["Start".len()..];
                let end = format!("End{i}");
                assert!(page.words.iter().any(|x| x.text == end), "{args:?}: row {i} split after page {n}");
            }
        }
        let all: String = (1..=pages).map(|n| squash(&page_text(&pdf, n))).collect::<Vec<_>>().join(" ");
        for i in 1..=60 {
            assert_eq!(all.matches(&format!("Start{i} ")).count(), 1, "{args:?}: row {i} once");
        }
        // Read once: the header drawn again on later pages is not in the tag tree.
        let tree = struct_text(&pdf);
        assert_eq!(tree.matches("TH:").count(), 3, "{args:?}");
        assert_eq!(tree.matches("    TR").count(), 61, "{args:?}: one header row and 60 rows");
        pdfcheck_clean(&pdf);
    }
}

#[test]
fn a_row_taller_than_a_page_is_split_between_lines_without_losing_a_word() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let long: Vec<String> = (0..700).map(|i| format!("w{i}")).collect();
    d.write(
        "h/tall.yaml",
        &format!(
            "title: Tall\nbody:\n  - table:\n      columns: [Name, Notes]\n      rows:\n        - [First, short]\n        - [Second, {}]\n        - [Third, short]\n",
            long.join(" ")
        ),
    );
    let pdf = build(&d, "tall", &[]);
    let pages = page_count(&pdf);
    assert!(pages >= 2, "{pages} pages");
    let mut got = Vec::new();
    for n in 1..=pages {
        let text = squash(&page_text(&pdf, n));
        if n > 1 {
            assert!(text.starts_with("Name Notes"), "page {n} starts with the header: {text:.60}");
        }
        got.extend(
            text.split(' ').filter(|w| w.starts_with('w') && w[1..].parse::<u32>().is_ok()).map(String::from),
        );
    }
    assert_eq!(got, long, "every word once, in order");
    let tree = struct_text(&pdf);
    assert_eq!(tree.matches("TH:").count(), 2);
    pdfcheck_clean(&pdf);
}

#[test]
fn a_right_to_left_table_puts_its_first_column_on_the_right_and_sets_cells_flush_right() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    d.write(
        "h/meds.ar.yaml",
        "title: الأدوية\nlang: ar\nbody:\n  - table:\n      columns: [الدواء, الكمية, لماذا]\n      widths: [2, 1, 1]\n      rows:\n        - [أسيتامينوفين, 500 mg, الألم]\n",
    );
    let pdf = build(&d, "meds.ar", &[]);
    let page = &words(&pdf)[0];
    // Poppler gives right-to-left words in visual order: the letters reversed.
    let find = |t: &str| {
        let rev: String = t.chars().rev().collect();
        page.words
            .iter()
            .find(|w| w.text == t || w.text == rev)
            .unwrap_or_else(|| panic!("{t}: {:?}", page.words))
    };
    // Mirrored columns: widths [2, 1, 1] from the right.
    let width = page.width - 108.0;
    let (right, mid, left) = (
        (54.0 + width / 2.0, page.width - 54.0),
        (54.0 + width / 4.0, 54.0 + width / 2.0),
        (54.0, 54.0 + width / 4.0),
    );
    for (t, (l, r)) in [
        ("الدواء", right),
        ("أسيتامينوفين", right),
        ("الكمية", mid),
        ("500", mid),
        ("لماذا", left),
        ("الألم", left),
    ] {
        let w = find(t);
        assert!(w.x0 >= l && w.x1 <= r, "{t} {w:?} not in {l}..{r}");
        // Flush right: within the padding (and a little) of the column's right edge.
        let edge = if t == "500" {
            page.words
                .iter()
                .filter(|x| x.y0 == w.y0 && x.x0 >= l && x.x1 <= r)
                .map(|x| x.x1)
                .fold(0.0, f32::max)
        } else {
            w.x1
        };
        assert!(r - edge < 12.0, "{t} ends at {edge}, column's right edge {r}");
    }
    // Reading order stays logical: the first column's header is read first.
    let tree = table_subtree(&struct_text(&pdf));
    assert_eq!(tree.iter().filter(|l| l.trim() == "TH:").count(), 3);
    pdfcheck_clean(&pdf);
}

#[test]
fn table_mistakes_are_errors_at_their_place_with_a_hint() {
    let d = Dir::new();
    let head = "title: X\nbody:\n  - table:\n";
    for (yaml, want, hint) in [
        (
            "      columns: [Medicine, How much, When, Why]\n      rows:\n        - [a, b, c, d]\n        - [Ibuprofen, 400 mg, Every 8 hours]\n",
            "h/bad.yaml:7:11: error: row 2 has 3 cells, but the table has 4 columns",
            "hint: give every row one cell per column, in the order of `columns`: Medicine, How much, When, Why",
        ),
        (
            "      columns: [A, B]\n      rows:\n        - [Ibuprofen (Advil, Motrin), 400 mg]\n",
            "h/bad.yaml:6:11: error: row 1 has 3 cells, but the table has 2 columns",
            "quote a cell that has a comma in it",
        ),
        (
            "      columns: [A, B]\n      widths: [1, 2, 3]\n      rows: [[a, b]]\n",
            "h/bad.yaml:5:7: error: `widths` has 3 numbers, but the table has 2 columns",
            "hint: give one width per column",
        ),
        (
            "      columns: [A, B]\n      widths: [1, 0]\n      rows: [[a, b]]\n",
            "h/bad.yaml:5:19: error: a width is a positive number, found the number `0`",
            "widths are relative",
        ),
        (
            "      columns: [A, B]\n      rows:\n        - [a, 2]\n",
            "h/bad.yaml:6:15: error: expected text here, found the number `2`",
            "put the value in quotes to use it as text: \"2\"",
        ),
        (
            "      columns: [A, B]\n      rows:\n        - [a, ~]\n",
            "h/bad.yaml:6:11: error: cell 2 of row 1 is empty",
            "write \"\" for a cell with nothing in it",
        ),
        ("      columns: []\n      rows: [[a]]\n", "h/bad.yaml:4:7: error: the table has no columns", "list the column headings"),
        ("      columns: [A]\n      rows: []\n", "h/bad.yaml:5:7: error: the table has no rows", "add rows under `rows:`"),
        ("      columns: [A]\n", "h/bad.yaml:3:5: error: missing `rows`", "a table needs `columns:`"),
        ("      columns: [A, \"\"]\n      rows: [[a, b]]\n", "h/bad.yaml:4:21: error: column 2 has no heading", "every column needs a heading"),
        ("      columns: [A, B]\n      rows:\n        - [\"\", \"\"]\n", "h/bad.yaml:6:11: error: row 1 has no text in any cell", "remove the row"),
        ("      columns: [A]\n      rows: [[a]]\n      colour: red\n", "h/bad.yaml:6:7: error: unknown key `colour`", "valid keys here: `caption`, `columns`, `widths`, `rows`"),
        ("      columns: [A]\n      rows:\n        - Just text\n", "h/bad.yaml:6:11: error: row 1 is the text `Just text`, not a list of cells", "write the row as `- [A]`"),
        (
            "      columns: [Medicine, Dose]\n      widths: [40, 1]\n      rows: [[a, b]]\n",
            "h/bad.yaml:4:27: error: column 2 (`Dose`) would be 0.4 cm wide, too narrow for its text",
            "give this column a larger number in `widths`",
        ),
        ("      columns: [A]\n      rows: [[\"{{dose}}\"]]\n", "h/bad.yaml:5:16: error: placeholder `{{dose}}` has no value", "--set dose="),
    ] {
        d.write("h/bad.yaml", &format!("{head}{yaml}"));
        // `check` lays the document out too: the too-narrow column is found by both.
        for command in [&["check", "h/bad.yaml"][..], &["build", "h/bad.yaml", "-o", "out"]] {
            let o = d.run(command);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{command:?}: {err}");
            assert!(err.contains(want), "{command:?}: want `{want}` in\n{err}");
            assert!(err.contains(hint), "{command:?}: want hint `{hint}` in\n{err}");
        }
    }
    // The carets cover the whole row.
    d.write(
        "h/bad.yaml",
        &format!("{head}      columns: [A, B]\n      rows:\n        - [Ibuprofen, 400 mg, Daily]\n"),
    );
    let err = stderr(&d.run(&["check", "h/bad.yaml"]));
    let row = "[Ibuprofen, 400 mg, Daily]";
    assert!(err.contains(&format!("\n  |           {}\n", "^".repeat(row.chars().count()))), "{err}");
    d.write("h/bad.yaml", "title: X\nbody:\n  - table\n");
    let err = stderr(&d.run(&["check", "h/bad.yaml"]));
    assert!(err.contains("h/bad.yaml:3:5: error: `table` alone would print the word \"table\""), "{err}");
    assert!(err.contains("`- table:` with `columns:` and `rows:`"), "{err}");
}

#[test]
fn a_heading_and_the_caption_stay_with_the_header_and_first_row() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let d = Dir::new();
    // However much comes before, the page never ends between the heading, the caption,
    // the header row and the first row.
    for filler in 16..=30 {
        let mut yaml = String::from("title: Keep together\nbody:\n");
        for i in 0..filler {
            yaml.push_str(&format!("  - Filler paragraph {i}.\n"));
        }
        yaml.push_str(
            "  - heading: Medicines\n  - table:\n      caption: Take these\n      columns: [Medicine, Dose]\n      rows:\n        - [Firstrow acetaminophen with a long name that wraps, 500 mg]\n        - [Second, 5 mg]\n",
        );
        d.write("h/keep.yaml", &yaml);
        let pdf = build(&d, "keep", &[]);
        let page_of = |t: &str| {
            words(&pdf)
                .iter()
                .position(|p| p.words.iter().any(|w| w.text == t))
                .unwrap_or_else(|| panic!("{filler}: `{t}` on no page"))
        };
        let heading = page_of("Medicines");
        for t in ["Take", "Medicine", "Dose", "Firstrow"] {
            assert_eq!(page_of(t), heading, "{filler} filler paragraphs: `{t}` left the heading");
        }
    }
}

#[test]
fn a_header_or_caption_taller_than_a_page_never_runs_into_the_footer() {
    if !require_tools(&["pdftotext", "pdfinfo"]) {
        return;
    }
    let d = Dir::new();
    let head: Vec<String> = (0..400).map(|i| format!("h{i}")).collect();
    let caption: Vec<String> = (0..1000).map(|i| format!("cap{i}")).collect();
    d.write(
        "h/huge.yaml",
        &format!(
            "title: Huge\nbody:\n  - Before.\n  - table:\n      columns: [Name, \"{}\"]\n      rows: [[a, b], [c, d]]\n  - table:\n      caption: \"{}\"\n      columns: [Name, Dose]\n      rows: [[e, f]]\n",
            head.join(" "),
            caption.join(" ")
        ),
    );
    let pdf = build(&d, "huge", &[]);
    let mut seen = Vec::new();
    for (n, page) in words(&pdf).iter().enumerate() {
        // The footer starts with the organization's name.
        let footer =
            page.words.iter().filter(|w| w.text == "Riverside").map(|w| w.y0).fold(f32::MAX, f32::min);
        for w in &page.words {
            if w.text.starts_with('h') && w.text[1..].parse::<u32>().is_ok()
                || w.text.starts_with("cap") && w.text[3..].parse::<u32>().is_ok()
            {
                assert!(w.y1 < footer, "page {}: {w:?} runs into the footer at {footer}", n + 1);
                seen.push(w.text.clone());
            }
        }
    }
    let want: Vec<String> = head.iter().chain(&caption).cloned().collect();
    assert_eq!(seen, want, "every word once, in order");
    // A header that tall is not drawn again: one header row in the tags for each table.
    assert_eq!(struct_text(&pdf).matches("TH:").count(), 4);
    pdfcheck_clean(&pdf);
}

#[test]
fn a_translation_with_a_table_row_missing_is_warned_about() {
    let d = Dir::new();
    let table = |rows: &str| {
        format!("title: Pills\nbody:\n  - table:\n      columns: [Medicine, Dose]\n      rows:\n{rows}")
    };
    d.write("h/pills.yaml", &table("        - [Ibuprofen, 400 mg]\n        - [Aspirin, 81 mg]\n"));
    d.write("h/pills.es.yaml", &table("        - [Ibuprofeno, 400 mg]\n"));
    let o = d.run(&["check", "h"]);
    let err = stderr(&o);
    assert!(
        err.contains("warning: structure differs from `h/pills.yaml`: 0 headings, 1 block, 0 list items and 1 table row here; 0 headings, 1 block, 0 list items and 2 table rows there"),
        "{err}"
    );
    d.write("h/pills.es.yaml", &table("        - [Ibuprofeno, 400 mg]\n        - [Aspirina, 81 mg]\n"));
    let err = stderr(&d.run(&["check", "h"]));
    assert!(!err.contains("structure differs"), "{err}");
}
