//! A stable text form of laid-out pages, for snapshot tests and debugging
//! (`handout build` never uses it).

use std::fmt::Write;

use super::{ImageRef, Item, Pages, Tag};

/// One line per item: kind, position (1/10 pt), and text or target.
pub fn dump(pages: &Pages) -> String {
    let mut out = String::new();
    for (i, page) in pages.pages.iter().enumerate() {
        let _ = writeln!(out, "page {}", i + 1);
        for item in &page.items {
            let _ = match item {
                Item::Text { x, y, run, tag, .. } => {
                    let t = match tag {
                        Tag::Node(n) => format!("{:?}#{n}", pages.nodes[*n].role),
                        Tag::Artifact => "artifact".into(),
                    };
                    writeln!(out, "  text {x:.1} {y:.1} {:.1}pt {t} {:?}", run.size, run.text)
                }
                Item::Fill { x, y, w, h, .. } => writeln!(out, "  fill {x:.1} {y:.1} {w:.1}x{h:.1}"),
                Item::Link { x, y, w, h, target, .. } => {
                    writeln!(out, "  link {x:.1} {y:.1} {w:.1}x{h:.1} {target}")
                }
                Item::Image { x, y, w, h, image, .. } => {
                    let which = match image {
                        ImageRef::Logo => "logo".to_string(),
                        ImageRef::Picture(i) => format!("picture {i}"),
                    };
                    writeln!(out, "  image {x:.1} {y:.1} {w:.1}x{h:.1} {which}")
                }
                Item::Shapes { x, y, rects, .. } => {
                    writeln!(out, "  shapes {x:.1} {y:.1} {} rectangles", rects.len())
                }
            };
        }
    }
    out
}
