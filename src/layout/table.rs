//! The `table:` block: cells set as lines inside their columns, rows that pagination keeps
//! whole, a header row that repeats on every page the table spans.
//!
//! Column widths are the relative `widths` (else equal) of the text width. Each cell's text
//! wraps inside its column, with padding; a row is as tall as its tallest cell. The header
//! row is bold on a light grey band, and the rules (a dark one under the header, thin grey
//! ones between rows and columns, a frame around) are greys that print on any black and
//! white printer. In a right-to-left document the first column is on the right and every
//! cell is set flush right.
//!
//! Structure: Table > Caption, THead > TR > TH (scope Column), TBody > TR > TD, in reading
//! order (column by column within a row, whatever the visual order). The header drawn again
//! on a further page is an artifact: a reader hears it once.
//!
//! Pagination (in `paginate`) places a row whole on the page where it fits; only a row
//! taller than a page (the header aside) is split between lines of its cells, each part
//! with its rules, so no text is lost.

use crate::diag::Diagnostic;
use crate::resolve::{DocTable, Filled};

use super::block::{Collector, Frame, TextStyle};
use super::{Color, Item, Role, Tag};

/// The rule under the header row and around the table: dark enough for any printer.
const FRAME_RULE: Color = Color(0.25, 0.26, 0.29);
/// Rules between rows and columns: a mid grey, still visible when photocopied.
const CELL_RULE: Color = Color(0.55, 0.56, 0.60);
/// The header row's band: a light grey, under near-black text (contrast above 14:1).
const HEADER_BAND: Color = Color(0.90, 0.91, 0.93);

/// One row of a table, ready for pagination.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Each cell's line frames, in column (reading) order; item x is from the table's left
    /// edge, y from the line's top.
    pub cells: Vec<Vec<Frame>>,
    /// The header row: drawn on a grey band with a heavier rule under it.
    pub header: bool,
}

/// A laid-out table; `paginate` places it.
#[derive(Clone, Debug, PartialEq)]
pub struct TableFlow {
    /// The caption's lines (with the gap under it in the last one's height).
    pub caption: Vec<Frame>,
    /// The header row, tagged.
    pub head: Row,
    /// The header row again, as an artifact: the top of every further page.
    pub head_again: Row,
    /// The body rows.
    pub rows: Vec<Row>,
    /// Left edge and width of each column (reading order), from the table's left edge.
    pub columns: Vec<(f32, f32)>,
    /// The table's width.
    pub width: f32,
    /// Space above and below a cell's text.
    pub pad: f32,
    /// Width of the heavier rules (frame, under the header).
    pub frame_rule: f32,
    /// Width of the rules between cells.
    pub cell_rule: f32,
}

impl Row {
    /// Height of the row's text (padding aside): its tallest cell.
    pub fn text_height(&self) -> f32 {
        self.cells.iter().map(|c| c.iter().map(|f| f.height).sum::<f32>()).fold(0.0, f32::max)
    }

    /// Splits off the part of the row whose lines fit in `room` (text height), at least
    /// one line of each cell that has one when `force`. `None` when nothing fits (and not
    /// `force`); the row left holds the lines still to place.
    pub fn take(&mut self, room: f32, force: bool) -> Option<Row> {
        let mut part = Row { cells: Vec::with_capacity(self.cells.len()), header: self.header };
        let mut any = false;
        for cell in &mut self.cells {
            let mut used = 0.0;
            let mut n = 0;
            while n < cell.len() && (used + cell[n].height <= room + 0.01 || (force && n == 0)) {
                used += cell[n].height;
                n += 1;
            }
            any |= n > 0;
            part.cells.push(cell.drain(..n).collect());
        }
        // Nothing was taken when nothing fits: the row is as it was.
        (any || self.is_empty()).then_some(part)
    }

    /// True once every line has been placed.
    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Vec::is_empty)
    }
}

impl TableFlow {
    /// Height of a row (or row part) on the page: its text and the padding.
    pub fn row_height(&self, row: &Row) -> f32 {
        row.text_height() + 2.0 * self.pad
    }

    /// The frame of a row (or row part): its band and rules under its text, which is
    /// placed cell by cell in reading order. `top_rule` draws the table's top edge above
    /// it (the header, on each page).
    pub fn frame(&self, row: Row, top_rule: bool) -> Frame {
        let height = self.row_height(&row);
        let mut items = Vec::new();
        if row.header {
            items.push(Item::Fill { x: 0.0, y: 0.0, w: self.width, h: height, color: HEADER_BAND });
        }
        for cell in row.cells {
            let mut y = self.pad;
            for line in cell {
                for mut item in line.items {
                    item.translate(0.0, y);
                    items.push(item);
                }
                y += line.height;
            }
        }
        let (fr, cr) = (self.frame_rule, self.cell_rule);
        // Between columns (in visual order the left edges of all but the leftmost).
        for &(x, _) in &self.columns {
            if x > 0.01 {
                items.push(Item::Fill { x: x - cr / 2.0, y: 0.0, w: cr, h: height, color: CELL_RULE });
            }
        }
        // The frame's sides, then the rule under the row.
        items.push(Item::Fill { x: 0.0, y: 0.0, w: fr, h: height, color: FRAME_RULE });
        items.push(Item::Fill { x: self.width - fr, y: 0.0, w: fr, h: height, color: FRAME_RULE });
        if top_rule {
            items.push(Item::Fill { x: 0.0, y: 0.0, w: self.width, h: fr, color: FRAME_RULE });
        }
        let (w, color) = if row.header { (fr, FRAME_RULE) } else { (cr, CELL_RULE) };
        items.push(Item::Fill { x: 0.0, y: height - w, w: self.width, h: w, color });
        Frame { height, items, outline: None }
    }

    /// What must fit on a page for the table to start there: its caption, its header and
    /// its first row.
    pub fn start_height(&self) -> f32 {
        let caption: f32 = self.caption.iter().map(|f| f.height).sum();
        caption + self.row_height(&self.head) + self.rows.first().map_or(0.0, |r| self.row_height(r))
    }

    /// The rule that closes the table's frame at the bottom of a page part.
    pub fn bottom_rule(&self) -> Frame {
        let item =
            Item::Fill { x: 0.0, y: -self.frame_rule, w: self.width, h: self.frame_rule, color: FRAME_RULE };
        Frame { height: 0.0, items: vec![item], outline: None }
    }
}

/// Lays out a table, or `None` (with an error collected) when a column is too narrow to
/// hold text.
pub(super) fn table(c: &mut Collector, t: &DocTable) -> Option<TableFlow> {
    let s = c.style;
    let width = s.content_width();
    let pad = s.body * 0.3;
    let pad_x = s.body * 0.5;
    let n = t.columns.len();
    let weights = t.widths.clone().unwrap_or_else(|| vec![1.0; n]);
    let total: f32 = weights.iter().sum();
    let mut columns = Vec::with_capacity(n);
    let mut left = 0.0;
    for (i, w) in weights.iter().enumerate() {
        let cw = width * w / total;
        // Right to left: the first column on the right.
        let x = if c.rtl { width - left - cw } else { left };
        left += cw;
        let text = cw - 2.0 * pad_x;
        // Two characters of body text, about: narrower and words break after each letter.
        if text < s.body * 2.0 {
            let head = crate::text::markup::plain_text(&crate::text::parse_inline(&t.columns[i].value));
            c.errors.push(
                Diagnostic::error(format!(
                    "column {} (`{}`) would be {:.1} cm wide, too narrow for its text",
                    i + 1,
                    head.trim(),
                    cw / 72.0 * 2.54
                ))
                .at(t.columns[i].origin.span.clone())
                .hint("use fewer columns, or give this column a larger number in `widths`"),
            );
        }
        columns.push((x, cw));
    }
    if columns.iter().any(|&(_, cw)| cw - 2.0 * pad_x < s.body * 2.0) {
        return None;
    }
    let table = c.node(Role::Table, 0, None);
    let mut caption = Vec::new();
    if let Some(text) = &t.caption {
        let node = c.node(Role::Caption, table, None);
        let ts = TextStyle { size: s.body, bold: true, color: Color::TEXT };
        caption = cell(c, text, ts, 0.0, width, node);
        if let Some(last) = caption.last_mut() {
            last.height += s.body * 0.3;
        }
    }
    let bold = TextStyle { size: s.body, bold: true, color: Color::TEXT };
    let plain = TextStyle { size: s.body, bold: false, color: Color::TEXT };
    let thead = c.node(Role::THead, table, None);
    let tr = c.node(Role::TR, thead, None);
    let mut head = Row { cells: Vec::with_capacity(n), header: true };
    for (text, &(x, cw)) in t.columns.iter().zip(&columns) {
        let th = c.node(Role::TH, tr, None);
        head.cells.push(cell(c, text, bold, x + pad_x, cw - 2.0 * pad_x, th));
    }
    let head_again =
        Row { cells: head.cells.iter().map(|l| l.iter().map(artifact).collect()).collect(), header: true };
    let tbody = c.node(Role::TBody, table, None);
    let mut rows = Vec::with_capacity(t.rows.len());
    for r in &t.rows {
        let tr = c.node(Role::TR, tbody, None);
        let mut row = Row { cells: Vec::with_capacity(n), header: false };
        for (text, &(x, cw)) in r.iter().zip(&columns) {
            let td = c.node(Role::TD, tr, None);
            row.cells.push(cell(c, text, plain, x + pad_x, cw - 2.0 * pad_x, td));
        }
        rows.push(row);
    }
    Some(TableFlow { caption, head, head_again, rows, columns, width, pad, frame_rule: 1.0, cell_rule: 0.5 })
}

/// A cell's (or the caption's) line frames at `x`, `width` wide; in a right-to-left
/// document every line is flush right, whatever its own direction (a dose such as
/// "500 mg" lines up with the Arabic cells above and below it).
fn cell(c: &mut Collector, text: &Filled, ts: TextStyle, x: f32, width: f32, node: usize) -> Vec<Frame> {
    if text.value.trim().is_empty() {
        return Vec::new();
    }
    let rtl = c.rtl;
    c.set_text(text, ts, x, width, node)
        .into_iter()
        .map(|(mut frame, line)| {
            if rtl && !line.rtl {
                let dx = (width - line.width).max(0.0);
                frame.items.iter_mut().for_each(|i| i.translate(dx, 0.0));
            }
            frame
        })
        .collect()
}

/// A copy of a line whose text is page furniture (the header repeated on a further page).
fn artifact(frame: &Frame) -> Frame {
    let mut frame = frame.clone();
    for item in &mut frame.items {
        match item {
            Item::Text { tag, .. } => *tag = Tag::Artifact,
            Item::Link { node, .. } => *node = None,
            _ => {}
        }
    }
    frame
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(h: f32) -> Frame {
        Frame { height: h, items: Vec::new(), outline: None }
    }

    fn row(cells: &[usize]) -> Row {
        Row { cells: cells.iter().map(|&n| (0..n).map(|_| line(10.0)).collect()).collect(), header: false }
    }

    fn counts(r: &Row) -> Vec<usize> {
        r.cells.iter().map(Vec::len).collect()
    }

    #[test]
    fn a_row_part_takes_the_lines_that_fit_from_every_cell() {
        let mut r = row(&[5, 1, 3]);
        let part = r.take(25.0, false).unwrap();
        assert_eq!(counts(&part), [2, 1, 2]);
        assert_eq!(counts(&r), [3, 0, 1]);
        assert_eq!(part.text_height(), 20.0);
        let part = r.take(100.0, false).unwrap();
        assert_eq!(counts(&part), [3, 0, 1]);
        assert!(r.is_empty());
    }

    #[test]
    fn nothing_fits_gives_the_lines_back_unless_forced() {
        let mut r = row(&[2, 3]);
        assert!(r.take(5.0, false).is_none());
        assert_eq!(counts(&r), [2, 3], "no line lost");
        // On a page with nothing else, one line of each cell goes anyway: layout advances.
        let part = r.take(5.0, true).unwrap();
        assert_eq!(counts(&part), [1, 1]);
        assert_eq!(counts(&r), [1, 2]);
    }
}
