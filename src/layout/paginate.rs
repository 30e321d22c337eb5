//! Pagination: distributes flow children onto pages.
//!
//! A child is placed when its `need` fits in what is left of the page; otherwise the page
//! ends. Needs never exceed a page (they are capped), and an empty page always takes
//! the next child, so the loop always advances. Callout groups move whole to the next
//! page unless they are taller than a page; then they are split between frames and each
//! part gets its own box.

use super::block::{callout_colors, Child, Frame};
use super::style::Style;
use super::table::TableFlow;
use super::{Item, OutlineEntry, Page};

/// Pages of placed body content, before the footer is added.
pub struct Paginated {
    /// Pages with items in absolute page coordinates.
    pub pages: Vec<Page>,
    /// Bookmarks.
    pub outline: Vec<OutlineEntry>,
}

struct Cursor<'a> {
    style: &'a Style,
    /// Bottom of the body area on every page.
    bottom: f32,
    pages: Vec<Page>,
    outline: Vec<OutlineEntry>,
    y: f32,
}

impl Cursor<'_> {
    fn top(&self) -> f32 {
        self.style.margin
    }

    fn at_top(&self) -> bool {
        self.y <= self.top() + 0.01
    }

    fn left(&self) -> f32 {
        self.bottom - self.y
    }

    fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.top();
    }

    fn place(&mut self, frame: Frame) {
        let x0 = self.style.margin;
        let y0 = self.y;
        if let Some((level, title)) = frame.outline {
            self.outline.push(OutlineEntry { level, title, page: self.pages.len() - 1, y: y0 });
        }
        let page = self.pages.last_mut().expect("a page is open");
        for mut item in frame.items {
            match &mut item {
                Item::Text { x, y, .. } => {
                    *x += x0;
                    *y += y0;
                }
                Item::Fill { x, y, .. }
                | Item::Link { x, y, .. }
                | Item::Image { x, y, .. }
                | Item::Shapes { x, y, .. } => {
                    *x += x0;
                    *y += y0;
                }
            }
            page.items.push(item);
        }
        self.y += frame.height;
    }
}

/// Places the flow on pages whose body area ends at `bottom` (from the page top).
pub fn paginate(children: Vec<Child>, style: &Style, bottom: f32) -> Paginated {
    let mut c = Cursor { style, bottom, pages: vec![Page::default()], outline: Vec::new(), y: style.margin };
    let page_room = bottom - style.margin;
    for child in children {
        match child {
            Child::Space(h) => {
                if !c.at_top() {
                    c.y = (c.y + h).min(c.bottom);
                }
            }
            Child::PageBreak => {
                if !c.at_top() {
                    c.new_page();
                }
            }
            Child::Frame { frame, need, .. } => {
                // A need no page can meet (a chain of headings, or a heading before a
                // callout taller than a page) would push every such frame to a page of its
                // own, leaving pages with only furniture: keep the frame with two lines
                // of what follows instead.
                let need = if need > page_room + 0.01 {
                    frame.height + 2.0 * style.line_height(style.body)
                } else {
                    need
                };
                let need = need.min(page_room).max(frame.height.min(page_room));
                if need > c.left() + 0.01 && !c.at_top() {
                    c.new_page();
                }
                c.place(frame);
            }
            Child::Table(t) => place_table(&mut c, *t, page_room),
            Child::Group { frames, kind, rtl, continued } => {
                let total: f32 = frames.iter().map(|(f, _)| f.height).sum();
                if total > c.left() + 0.01 && !c.at_top() && total <= page_room {
                    c.new_page();
                }
                // Place frames; each page part of the group gets a box drawn under it.
                let mut part_start = (c.pages.len() - 1, c.pages.last().map_or(0, |p| p.items.len()), c.y);
                for (frame, need) in frames {
                    let need = need.min(page_room).max(frame.height.min(page_room));
                    if need > c.left() + 0.01 && !c.at_top() {
                        draw_box(&mut c, part_start, kind, rtl);
                        c.new_page();
                        part_start = (c.pages.len() - 1, 0, c.y);
                        // The title again, "(continued)", while it leaves room for the frame.
                        let repeat: f32 = continued.iter().map(|f| f.height).sum();
                        if repeat + need <= page_room + 0.01 {
                            for f in &continued {
                                c.place(f.clone());
                            }
                        }
                    }
                    c.place(frame);
                }
                draw_box(&mut c, part_start, kind, rtl);
            }
        }
    }
    // A trailing empty page (e.g. from a final page break) carries nothing.
    if c.pages.len() > 1 && c.pages.last().is_some_and(|p| p.items.is_empty()) {
        c.pages.pop();
    }
    Paginated { pages: c.pages, outline: c.outline }
}

/// Places a table. Its caption, header and first row start on one page. Each row goes
/// whole on the page where it fits, else on the next page under the header drawn again;
/// only a row taller than a page (the header aside) is split between the lines of its
/// cells. Each page's part is closed by the frame's bottom rule.
fn place_table(c: &mut Cursor<'_>, mut t: TableFlow, page_room: f32) {
    let head = std::mem::replace(&mut t.head, super::table::Row { cells: Vec::new(), header: true });
    let head_h = t.row_height(&head);
    // The header comes back on each further page while it leaves room for rows.
    let repeat = head_h <= page_room / 2.0;
    if t.start_height().min(page_room) > c.left() + 0.01 && !c.at_top() {
        c.new_page();
    }
    for f in std::mem::take(&mut t.caption) {
        // Only a caption longer than a page gets here without room for every line.
        if f.height > c.left() + 0.01 && !c.at_top() {
            c.new_page();
        }
        c.place(f);
    }
    let room_on_new_page = page_room - if repeat { head_h } else { 0.0 };
    // Ends the page's part of the table and starts the next page with the header drawn
    // again; before any of the table is drawn (a caption that left no room), only starts
    // the next page. Returns whether the next part opens the table's frame (draws its top
    // rule): when the header is not drawn again.
    let mut started = false;
    let next_page = |c: &mut Cursor<'_>, t: &TableFlow, started: bool| {
        if !started {
            c.new_page();
            return true;
        }
        c.place(t.bottom_rule());
        c.new_page();
        if repeat {
            c.place(t.frame(t.head_again.clone(), true));
        }
        !repeat
    };
    // Only the header (or nothing) is on this page so far: a row that does not fit here
    // fits nowhere, and one line of each cell goes anyway.
    let mut fresh = false;
    let mut top_rule = true;
    let rows = std::mem::take(&mut t.rows);
    // The header is placed like a row: only a header taller than a page is split.
    for mut row in std::iter::once(head).chain(rows) {
        let h = t.row_height(&row);
        if h > c.left() + 0.01 && h <= room_on_new_page + 0.01 {
            top_rule = next_page(c, &t, started);
        }
        if h <= c.left() + 0.01 {
            c.place(t.frame(row, top_rule));
            (fresh, top_rule, started) = (false, false, true);
            continue;
        }
        // Taller than a page: split between lines, starting here unless little is left.
        if !fresh && c.left() < page_room / 4.0 {
            top_rule = next_page(c, &t, started);
            fresh = true;
        }
        loop {
            let room = c.left() - 2.0 * t.pad;
            if let Some(part) = row.take(room, fresh) {
                c.place(t.frame(part, top_rule));
                (top_rule, started) = (false, true);
            }
            if row.is_empty() {
                break;
            }
            top_rule = next_page(c, &t, started);
            fresh = true;
        }
        fresh = false;
    }
    c.place(t.bottom_rule());
}

/// Inserts a callout box (background and a rule on the left, or on the right in a
/// right-to-left document) under the items placed since `start`.
fn draw_box(c: &mut Cursor<'_>, start: (usize, usize, f32), kind: crate::model::CalloutKind, rtl: bool) {
    let (page, index, top) = start;
    let (accent, background) = callout_colors(kind);
    let x = c.style.margin;
    let w = c.style.content_width();
    let h = c.y - top;
    if h <= 0.0 {
        return;
    }
    let items = &mut c.pages[page].items;
    let rule_x = if rtl { x + w - c.style.callout_rule } else { x };
    items.insert(index, Item::Fill { x: rule_x, y: top, w: c.style.callout_rule, h, color: accent });
    items.insert(index, Item::Fill { x, y: top, w, h, color: background });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::style::Paper;

    fn line(h: f32, label: &str) -> Frame {
        Frame { height: h, items: vec![], outline: Some((9, label.to_string())) }
    }

    fn labels(p: &Paginated) -> Vec<(usize, String)> {
        p.outline.iter().map(|o| (o.page, o.title.clone())).collect()
    }

    #[test]
    fn sticky_heading_moves_to_the_next_page() {
        let style = Style::new(Paper::Letter, false);
        let bottom = style.margin + 100.0;
        let children = vec![
            Child::Frame { frame: line(80.0, "body"), need: 80.0, sticky: false },
            // Heading of 15 that needs itself + two 10-pt lines = 35 > 20 left.
            Child::Frame { frame: line(15.0, "heading"), need: 35.0, sticky: true },
            Child::Frame { frame: line(10.0, "l1"), need: 20.0, sticky: false },
            Child::Frame { frame: line(10.0, "l2"), need: 10.0, sticky: false },
        ];
        let p = paginate(children, &style, bottom);
        assert_eq!(
            labels(&p),
            [(0, "body".into()), (1, "heading".into()), (1, "l1".into()), (1, "l2".into())]
        );
    }

    #[test]
    fn orphan_line_moves_with_the_next() {
        let style = Style::new(Paper::Letter, false);
        let bottom = style.margin + 100.0;
        let children = vec![
            Child::Frame { frame: line(85.0, "body"), need: 85.0, sticky: false },
            Child::Frame { frame: line(10.0, "first"), need: 20.0, sticky: false },
            Child::Frame { frame: line(10.0, "second"), need: 10.0, sticky: false },
        ];
        let p = paginate(children, &style, bottom);
        assert_eq!(labels(&p)[1], (1, "first".into()));
    }

    #[test]
    fn group_taller_than_a_page_is_split_and_never_loops() {
        let style = Style::new(Paper::Letter, false);
        let bottom = style.margin + 50.0;
        let frames = (0..12).map(|i| (line(10.0, &i.to_string()), 10.0)).collect();
        let children = vec![Child::Group {
            frames,
            kind: crate::model::CalloutKind::Urgent,
            rtl: false,
            continued: vec![line(10.0, "continued")],
        }];
        let p = paginate(children, &style, bottom);
        assert_eq!(p.pages.len(), 3);
        // Each further page starts with the title again.
        let continued: Vec<usize> =
            p.outline.iter().filter(|o| o.title == "continued").map(|o| o.page).collect();
        assert_eq!(continued, [1, 2]);
    }

    #[test]
    fn a_need_no_page_can_meet_keeps_only_two_lines_and_does_not_loop() {
        let style = Style::new(Paper::Letter, false);
        let bottom = style.margin + 100.0;
        let children = vec![
            Child::Frame { frame: line(10.0, "a"), need: 1000.0, sticky: true },
            Child::Frame { frame: line(10.0, "b"), need: 1000.0, sticky: true },
            Child::Frame { frame: line(10.0, "c"), need: 10.0, sticky: false },
        ];
        let p = paginate(children, &style, bottom);
        // Not one page per heading: they share the page with what follows.
        assert_eq!(labels(&p), [(0, "a".into()), (0, "b".into()), (0, "c".into())]);
    }
}
