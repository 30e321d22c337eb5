//! Blocks → flow children: every heading, paragraph line, list item line and callout
//! becomes a [`Child`] that carries what it needs to stay together.
//!
//! [`collect`] walks a document's blocks in reading order and sets the title block,
//! headings and paragraphs itself. The rest is in files of their own: `collector` (the
//! [`Collector`] that shapes, breaks and tags text as line frames, for every block kind
//! here and beside `block`), `needs` (widows, orphans and keep-with-next: how much room a
//! child asks for), `list` and `callout`. Blocks that are more than text (`qr`, `figure`,
//! `table`) are peers of `block` and come back as the same [`Child`]ren.

mod callout;
mod collector;
mod list;
mod needs;

use crate::diag::Diagnostics;
use crate::model::CalloutKind;
use crate::resolve::{DocBlock, Document, Filled};
use crate::text::{parse_inline, FontBook};

use super::cache::LineCache;
use super::style::Style;
use super::{Color, Item, Node, Role, Tag};

pub use callout::callout_colors;
pub(super) use collector::{Collector, TextStyle};
use needs::keep_with_next;
pub(super) use needs::with_needs;

/// A finished, unbreakable piece of content: items relative to the frame's top-left.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Frame {
    /// Height of the frame.
    pub height: f32,
    /// Items; their y is relative to the top of the frame, x to the left margin.
    pub items: Vec<Item>,
    /// A bookmark to create where this frame lands: (level, title).
    pub outline: Option<(u8, String)>,
}

/// One child of the flow.
#[derive(Clone, Debug, PartialEq)]
pub enum Child {
    /// A line or other frame, with the height it needs from its top on the current page.
    Frame {
        /// The content.
        frame: Frame,
        /// Height needed on this page before it may be placed (≥ its own height).
        need: f32,
        /// Keep with the next child (headings).
        sticky: bool,
    },
    /// Vertical space; dropped at the top of a page.
    Space(f32),
    /// Frames that stay on one page unless the group is taller than a page (callouts);
    /// drawn on a background box of `kind`'s colours.
    Group {
        /// The frames, with their own needs for when the group must be split.
        frames: Vec<(Frame, f32)>,
        /// Callout kind: picks the colours.
        kind: CalloutKind,
        /// Right-to-left document: the accent rule goes on the right.
        rtl: bool,
        /// Placed at the top of each further page the group goes on to: the title
        /// again with "(continued)", as artifacts (the title is read once). Empty for a
        /// callout without a title.
        continued: Vec<Frame>,
    },
    /// A table: rows kept whole, the header repeated on each page it spans.
    Table(Box<super::table::TableFlow>),
    /// A forced page break.
    PageBreak,
}

/// The result of collecting: children, structure nodes.
pub struct Flow {
    /// Flow children in reading order.
    pub children: Vec<Child>,
    /// Structure nodes; 0 is the Document.
    pub nodes: Vec<Node>,
}

impl Collector<'_> {
    /// A text block as flow children with widow/orphan needs.
    fn text_block(
        &mut self,
        text: &Filled,
        ts: TextStyle,
        x: f32,
        width: f32,
        node: usize,
    ) -> Vec<(Frame, f32)> {
        with_needs(self.set_text(text, ts, x, width, node).into_iter().map(|(frame, _)| frame).collect())
    }

    /// A heading as sticky line frames, the first carrying its bookmark.
    fn heading(&mut self, text: &Filled, level: u8, size: f32, children: &mut Vec<Child>) {
        let s = self.style;
        let role = match level {
            1 => Role::H1,
            2 => Role::H2,
            _ => Role::H3,
        };
        // A hard line break inside a heading is a space in its bookmark.
        let title = crate::text::markup::plain_text(&parse_inline(&text.value)).replace('\n', " ");
        let node = self.node(role, 0, Some(title.clone()));
        let ts = TextStyle { size, bold: true, color: Color::HEADING };
        let lines = self.lines(text, ts, s.content_width());
        let mut frames = self.frames(&lines, ts, 0.0, s.content_width(), node);
        if let Some(f) = frames.first_mut() {
            f.outline = Some((level, title));
        }
        for f in frames {
            let h = f.height;
            children.push(Child::Frame { frame: f, need: h, sticky: true });
        }
    }
}

/// Collects the flow of a document: title block, then the body; `room` is the height of
/// a page's body area.
pub fn collect(
    doc: &Document,
    book: &FontBook,
    cache: &LineCache,
    style: &Style,
    room: f32,
) -> Result<Flow, Diagnostics> {
    let mut c = Collector::new(book, cache, style, &doc.lang);
    c.continued = doc.footer.labels.continued.clone();
    c.room = room;
    let s = style;
    let mut children = Vec::new();
    let body = TextStyle { size: s.body, bold: false, color: Color::TEXT };
    if let Some(logo) = &doc.logo {
        let h = s.logo_height;
        let w = h * logo.image.width as f32 / logo.image.height.max(1) as f32;
        let w = w.min(s.content_width());
        let alt = format!("{} logo", doc.meta.author);
        let fig = c.node(Role::Figure, 0, Some(alt));
        let frame = Frame {
            height: h + s.para_gap * 1.5,
            items: vec![Item::Image {
                x: 0.0,
                y: 0.0,
                w,
                h,
                tag: Tag::Node(fig),
                image: super::ImageRef::Logo,
            }],
            outline: None,
        };
        children.push(Child::Frame { need: frame.height, frame, sticky: true });
    }
    c.heading(&doc.title, 1, s.title, &mut children);
    if let Some(sub) = &doc.subtitle {
        children.push(Child::Space(s.body * 0.2));
        let p = c.node(Role::P, 0, None);
        for (f, need) in c.text_block(
            sub,
            TextStyle { size: s.subtitle, bold: false, color: Color::MUTED },
            0.0,
            s.content_width(),
            p,
        ) {
            children.push(Child::Frame { frame: f, need, sticky: true });
        }
    }
    if let Some(r) = &doc.reviewed {
        let p = c.node(Role::P, 0, None);
        let filled =
            Filled { value: r.replace('*', "\\*"), origin: doc.title.origin.clone(), verbatim: false };
        let ts = TextStyle { size: s.footer * 1.1, bold: false, color: Color::MUTED };
        for (f, need) in c.text_block(&filled, ts, 0.0, s.content_width(), p) {
            children.push(Child::Frame { frame: f, need, sticky: true });
        }
    }
    // A rule under the title block.
    children.push(Child::Space(s.para_gap));
    children.push(Child::Frame {
        frame: Frame {
            height: s.para_gap * 2.0,
            items: vec![Item::Fill { x: 0.0, y: 0.0, w: s.content_width(), h: 0.75, color: Color::RULE }],
            outline: None,
        },
        need: s.para_gap * 2.0,
        sticky: true,
    });
    for (i, b) in doc.blocks.iter().enumerate() {
        let first = i == 0;
        match b {
            DocBlock::Heading(t) => {
                if !first {
                    children.push(Child::Space(s.body * 0.9));
                }
                c.heading(t, 2, s.h2, &mut children);
                children.push(Child::Space(s.body * 0.3));
            }
            DocBlock::Subheading(t) => {
                if !first {
                    children.push(Child::Space(s.body * 0.5));
                }
                c.heading(t, 3, s.h3, &mut children);
                children.push(Child::Space(s.body * 0.2));
            }
            DocBlock::Paragraph(t) => {
                let p = c.node(Role::P, 0, None);
                for (frame, need) in c.text_block(t, body, 0.0, s.content_width(), p) {
                    children.push(Child::Frame { frame, need, sticky: false });
                }
                children.push(Child::Space(s.para_gap));
            }
            DocBlock::List(l) => {
                for (frame, need) in c.list(l, 0.0, s.content_width(), 0, 0, 0.0) {
                    children.push(Child::Frame { frame, need, sticky: false });
                }
                children.push(Child::Space(s.para_gap));
            }
            DocBlock::Callout(co) => {
                children.push(Child::Space(s.para_gap * 0.5));
                children.push(c.callout(co));
                children.push(Child::Space(s.para_gap * 1.5));
            }
            DocBlock::PageBreak => children.push(Child::PageBreak),
            DocBlock::Qr(q) => {
                if let Some(frame) = super::qr::qr(&mut c, q) {
                    children.push(Child::Space(s.para_gap * 0.5));
                    children.push(Child::Frame { need: frame.height, frame, sticky: false });
                    children.push(Child::Space(s.para_gap * 1.5));
                }
            }
            DocBlock::Image(img) => {
                if let Some(picture) = doc.pictures.get(img.picture) {
                    children.push(Child::Space(s.para_gap * 0.5));
                    children.extend(super::figure::figure(&mut c, img, picture));
                    children.push(Child::Space(s.para_gap * 1.5));
                }
            }
            DocBlock::Table(t) => {
                if let Some(table) = super::table::table(&mut c, t) {
                    children.push(Child::Space(s.para_gap * 0.5));
                    children.push(Child::Table(Box::new(table)));
                    children.push(Child::Space(s.para_gap * 1.5));
                }
            }
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    keep_with_next(&mut children);
    Ok(Flow { children, nodes: c.nodes })
}

/// The flow of a handout written as YAML, set with the shipped fonts on a page body 600
/// points high: what the tests of the block kinds look at.
#[cfg(test)]
fn flow(yaml: &str) -> Flow {
    use crate::model::{parse_contact, parse_handout};
    use crate::resolve::{resolve, Values};
    use crate::text::fonts::FontOptions;
    use std::path::Path;

    let h = parse_handout(Path::new("t.yaml"), yaml.as_bytes()).unwrap();
    let c = parse_contact(Path::new("c.yaml"), b"organization: T\nphone: \"1\"\n").unwrap();
    let doc = resolve(&h, &c, &Values::default(), None).unwrap();
    let book = FontBook::load(&FontOptions::default()).unwrap();
    let style = Style::new(Default::default(), false);
    collect(&doc, &book, &LineCache::default(), &style, 600.0).unwrap()
}
