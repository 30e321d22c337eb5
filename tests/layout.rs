//! Pagination on hard cases, through the library: for every amount of filler text, no
//! page ends with a heading, no paragraph leaves one line alone at the bottom or top of a
//! page, and a callout is never split.

use std::path::Path;

use handout::layout::{layout, Item, Pages, Role, Style, Tag};
use handout::model::{parse_contact, parse_handout};
use handout::resolve::{resolve, Values};
use handout::text::FontBook;

const CONTACT: &str = "organization: Test Clinic\nphone: \"555 0100\"\n";

fn pages(yaml: &str) -> Pages {
    let h = parse_handout(Path::new("case.yaml"), yaml.as_bytes()).expect("handout loads");
    let c = parse_contact(Path::new("contact.yaml"), CONTACT.as_bytes()).expect("contact loads");
    let doc = resolve(&h, &c, &Values::default(), None).expect("resolves");
    let book = FontBook::load(&Default::default()).expect("fonts");
    layout(&doc, &book, &Style::new(Default::default(), false)).expect("lays out")
}

/// Body lines of a page as (role of the line's node, paragraph node, baseline y), in order.
fn body_lines(p: &Pages, page: usize) -> Vec<(Role, usize, f32)> {
    let mut out: Vec<(Role, usize, f32)> = Vec::new();
    for item in &p.pages[page].items {
        if let Item::Text { y, tag: Tag::Node(n), .. } = item {
            // A link's node is a child of its paragraph: count the paragraph.
            let mut node = *n;
            while matches!(p.nodes[node].role, Role::Link) {
                node = p.nodes[node].parent.unwrap();
            }
            if out.last().is_some_and(|l| (l.2 - y).abs() < 0.1) {
                continue;
            }
            out.push((p.nodes[node].role, node, *y));
        }
    }
    out
}

/// Filler of many different heights: one-line paragraphs (23.2 pt apart) then a list of
/// one-line items (19.2 pt apart), so the next block starts at many different distances
/// from the bottom of the page.
fn filler(n: usize) -> String {
    let mut s: String = (0..n / 4).map(|i| format!("  - Filler line {i} is short.\n")).collect();
    if n % 4 > 0 {
        s.push_str("  - bullets:\n");
        for i in 0..n % 4 {
            s.push_str(&format!("      - Item {i}\n"));
        }
    }
    s
}

#[test]
fn a_heading_never_ends_a_page() {
    let para = "  - This paragraph has enough words to fill several lines of the page, so that it can be split across two pages when it has to be, and it keeps going for a while longer to be sure of that.\n";
    for n in 80..130 {
        let yaml = format!(
            "title: Keep with next\nbody:\n{}  - heading: The heading\n{para}  - subheading: A subheading\n{para}  - subheading: Before a list\n  - bullets:\n      - Short item one.\n      - Short item two.\n",
            filler(n)
        );
        let p = pages(&yaml);
        for page in 0..p.pages.len() {
            let lines = body_lines(&p, page);
            let last = lines.last().unwrap();
            assert!(
                !matches!(last.0, Role::H1 | Role::H2 | Role::H3),
                "n={n}: page {} ends with a heading",
                page + 1
            );
        }
    }
}

#[test]
fn no_widows_or_orphans() {
    let para = "  - One paragraph that runs to several lines and it has enough words in it to wrap four or five times on a Letter page with the normal margins, which is what this test needs to see how it breaks at the bottom of a page and where its lines go.\n";
    for n in 80..130 {
        let yaml = format!("title: Widows\nbody:\n{}{para}{para}", filler(n));
        let p = pages(&yaml);
        for page in 0..p.pages.len() {
            let lines = body_lines(&p, page);
            let (first, last) = (lines.first().unwrap(), lines.last().unwrap());
            let count = |node: usize| lines.iter().filter(|l| l.1 == node).count();
            let total = |node: usize| {
                (0..p.pages.len())
                    .map(|pg| body_lines(&p, pg).iter().filter(|l| l.1 == node).count())
                    .sum::<usize>()
            };
            if page + 1 < p.pages.len() && total(last.1) > 1 {
                assert!(count(last.1) >= 2, "n={n}: orphan at the bottom of page {}", page + 1);
            }
            if page > 0 && total(first.1) > 1 {
                assert!(count(first.1) >= 2, "n={n}: widow at the top of page {}", page + 1);
            }
        }
    }
}

#[test]
fn a_callout_is_never_split_when_it_fits_on_a_page() {
    let callout = "  - callout:\n      kind: urgent\n      title: Call 911 if you have\n      bullets:\n        - One\n        - Two\n        - Three\n        - Four\n";
    for n in 90..130 {
        let yaml = format!("title: Callouts\nbody:\n{}{callout}", filler(n));
        let p = pages(&yaml);
        let pages_with_aside: Vec<usize> = (0..p.pages.len())
            .filter(|&pg| {
                body_lines(&p, pg).iter().any(|l| {
                    let mut node = l.1;
                    loop {
                        if p.nodes[node].role == Role::Aside {
                            return true;
                        }
                        match p.nodes[node].parent {
                            Some(parent) => node = parent,
                            None => return false,
                        }
                    }
                })
            })
            .collect();
        assert_eq!(pages_with_aside.len(), 1, "n={n}: callout on pages {pages_with_aside:?}");
    }
}
