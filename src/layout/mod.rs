//! Layout: turns a resolved [`Document`] into [`Pages`] of positioned glyph runs, rules,
//! fills, images and link areas, plus the structure (headings, paragraphs, lists,
//! callouts) that each item belongs to.
//!
//! Stages, one module each: `line` (break a shaped paragraph into lines), `block` (blocks →
//! a flat list of flow children carrying their keep-together needs; a folder), `paginate`
//! (distribute children onto pages: keep-with-next, widows/orphans, callouts), `finalize`
//! (footer and "Page N of M" once the page count is known). Blocks that are more than
//! text have a file beside `block`: `qr` (QR codes) and `figure` (pictures). All coordinates are points
//! with the origin at the top-left corner of the page; y grows downwards.
//!
//! Knows nothing of printpdf.

mod block;
mod cache;
pub mod dump;
mod figure;
mod finalize;
pub mod line;
mod paginate;
mod qr;
pub mod style;
mod table;

use crate::diag::Diagnostics;
use crate::resolve::Document;
use crate::text::{FontBook, GlyphRun};

pub use cache::LineCache;
pub use style::{Paper, Style};

/// An RGB colour, each channel 0–1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color(pub f32, pub f32, pub f32);

impl Color {
    /// Body text: near-black, softer than pure black on paper.
    pub const TEXT: Color = Color(0.10, 0.10, 0.12);
    /// Secondary text (subtitle, footer).
    pub const MUTED: Color = Color(0.27, 0.29, 0.33);
    /// Headings.
    pub const HEADING: Color = Color(0.08, 0.23, 0.40);
    /// Links: a blue with 7:1 contrast on white.
    pub const LINK: Color = Color(0.05, 0.30, 0.62);
    /// Thin rules.
    pub const RULE: Color = Color(0.70, 0.72, 0.76);
}

/// What role a piece of content plays in the document's structure (the tag tree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The whole document.
    Document,
    /// Level-1 heading (the title).
    H1,
    /// Level-2 heading.
    H2,
    /// Level-3 heading.
    H3,
    /// Paragraph (also subtitle and reviewed line).
    P,
    /// List.
    L,
    /// List item.
    LI,
    /// List item label (bullet or number).
    Lbl,
    /// List item body.
    LBody,
    /// A callout box.
    Aside,
    /// A link inside text.
    Link,
    /// A figure (the logo, a picture, a QR code).
    Figure,
    /// A caption: a picture's (the next sibling of its Figure) or a table's (its first
    /// child).
    Caption,
    /// A table.
    Table,
    /// A table's header row group.
    THead,
    /// A table's body row group.
    TBody,
    /// A table row.
    TR,
    /// A header cell (scope: its column).
    TH,
    /// A data cell.
    TD,
}

/// A node of the structure tree; items point at nodes by index.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The role.
    pub role: Role,
    /// Parent node index (`None` for the root).
    pub parent: Option<usize>,
    /// Alternate text (links, figures) or the heading text (outline).
    pub alt: Option<String>,
}

/// Which structure node an item belongs to, or none (page furniture).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tag {
    /// Content of this structure node.
    Node(usize),
    /// Not content: footer, page numbers, decorations.
    Artifact,
}

/// Which image an [`Item::Image`] draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageRef {
    /// The contact profile's logo.
    Logo,
    /// The picture with this index in the document's [`Document::pictures`].
    Picture(usize),
}

/// One thing drawn on a page.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// A glyph run with its baseline starting at (x, y).
    Text {
        /// Left end of the baseline.
        x: f32,
        /// Baseline, from the top of the page.
        y: f32,
        /// The glyphs.
        run: GlyphRun,
        /// Fill colour.
        color: Color,
        /// Structure node or artifact.
        tag: Tag,
    },
    /// A filled rectangle (callout background, rules drawn as thin rectangles).
    Fill {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Colour.
        color: Color,
    },
    /// A clickable area.
    Link {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Target URI.
        target: String,
        /// Alternate text for the link annotation.
        alt: String,
        /// Structure node of the link (`None` for footer links: they are artifacts).
        node: Option<usize>,
    },
    /// An image: the logo or a picture.
    Image {
        /// Left.
        x: f32,
        /// Top.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Structure node (a Figure) holding its alternate text.
        tag: Tag,
        /// Which image.
        image: ImageRef,
    },
    /// Filled rectangles drawn as one piece of tagged content: a QR code's dark
    /// modules, a vector drawing that stays sharp at any print size.
    Shapes {
        /// Left of the drawing.
        x: f32,
        /// Top of the drawing.
        y: f32,
        /// The rectangles, `[x, y, w, h]` from the drawing's top-left corner.
        rects: Vec<[f32; 4]>,
        /// Fill colour.
        color: Color,
        /// Structure node (a Figure) holding its alternate text.
        tag: Tag,
    },
}

impl Item {
    /// Moves the item by (`dx`, `dy`).
    pub fn translate(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Text { x, y, .. }
            | Item::Fill { x, y, .. }
            | Item::Link { x, y, .. }
            | Item::Image { x, y, .. }
            | Item::Shapes { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
        }
    }
}

/// One page.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Page {
    /// Items in drawing (and reading) order.
    pub items: Vec<Item>,
}

/// A heading for the PDF outline (bookmarks).
#[derive(Clone, Debug, PartialEq)]
pub struct OutlineEntry {
    /// 1 for the title, 2 for headings, 3 for subheadings.
    pub level: u8,
    /// Plain heading text.
    pub title: String,
    /// 0-based page index.
    pub page: usize,
    /// Top of the heading on its page.
    pub y: f32,
}

/// A laid-out document.
#[derive(Clone, Debug, PartialEq)]
pub struct Pages {
    /// Page width in points.
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The pages.
    pub pages: Vec<Page>,
    /// Structure tree nodes; node 0 is the Document.
    pub nodes: Vec<Node>,
    /// Bookmarks, in reading order.
    pub outline: Vec<OutlineEntry>,
}

/// Lays out a document. Collects every character that no font can show.
pub fn layout(doc: &Document, book: &FontBook, style: &Style) -> Result<Pages, Diagnostics> {
    layout_with(doc, book, style, &LineCache::default())
}

/// [`layout`], reusing the lines of verbatim text that earlier documents of a run set
/// (`cache` must only ever see this `book` and `style`).
pub fn layout_with(
    doc: &Document,
    book: &FontBook,
    style: &Style,
    cache: &LineCache,
) -> Result<Pages, Diagnostics> {
    // Capped like the other stages' errors: a paragraph of 100,000 characters no font has
    // gives 100 messages and a count (rendering each with its source line took minutes).
    let footer = finalize::prepare(doc, book, cache, style)?;
    let bottom = finalize::body_bottom(&footer, style);
    // Pictures are scaled to fit the body area of a page (the footer set aside).
    let flow = block::collect(doc, book, cache, style, bottom - style.margin).map_err(crate::diag::cap)?;
    let mut body = paginate::paginate(flow.children, style, bottom);
    finalize::stamp(&mut body.pages, &footer, doc, book, cache, style)?;
    Ok(Pages {
        width: style.page_width,
        height: style.page_height,
        pages: body.pages,
        nodes: flow.nodes,
        outline: body.outline,
    })
}
