//! Hard line breaks inside a paragraph (CommonMark's backslash or two trailing spaces):
//! the line ends there on the page and in the extracted text; a folded YAML line does not.

mod common;

use common::*;

#[test]
fn a_hard_line_break_ends_the_line_on_the_page_and_in_the_text() {
    if !require_tool("pdftotext") {
        return;
    }
    let d = Dir::new();
    d.write(
        "h/doc.yaml",
        "title: X\nbody:\n  - |-\n    First line.\\\n    Second line.\n  - \"Line one  \\nLine two\"\n  - Plain text\n    folded here.\n  - bullets:\n      - \"Item head\\\\\\nitem tail\"\n",
    );
    for args in [
        &["build", "h/doc.yaml", "-o", "out"][..],
        &["build", "h/doc.yaml", "-o", "out", "--large-print"][..],
    ] {
        let o = d.run(args);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        let text = page_text(&d.path("out/doc.en.pdf"), 1);
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (a, b) in
            [("First line.", "Second line."), ("Line one", "Line two"), ("• Item head", "item tail")]
        {
            let i = lines
                .iter()
                .position(|l| *l == a)
                .unwrap_or_else(|| panic!("`{a}` alone on a line:\n{text}"));
            assert_eq!(lines[i + 1], b, "{text}");
        }
        // A soft break (a folded line) is a space: one line.
        assert!(lines.contains(&"Plain text folded here."), "{text}");
        assert!(!text.contains('\\'), "no backslash is printed:\n{text}");
    }
}
