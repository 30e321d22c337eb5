//! Blocks → flow children: every heading, paragraph line, list item line and callout
//! becomes a [`Child`] that carries what it needs to stay together.
//!
//! Widows and orphans are prevented here, as Typst does it: a paragraph's first line
//! needs room for the first two lines (all three of a three-line paragraph), and its
//! second-to-last line needs room for the last two. Headings are `sticky`: their need
//! includes the first need of what follows (keep-with-next).

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{CalloutKind, ListKind};
use crate::resolve::{DocBlock, DocCallout, DocList, Document, Filled};
use crate::text::{parse_inline, shape_paragraph, FontBook, InlineStyle};

use super::cache::{LineCache, LineKey};
use super::line::{break_lines, Line};
use super::style::Style;
use super::{Color, Item, Node, Role, Tag};

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

/// The colours of a callout kind: (rule and title, background).
pub fn callout_colors(kind: CalloutKind) -> (Color, Color) {
    match kind {
        CalloutKind::Note => (Color(0.12, 0.37, 0.66), Color(0.93, 0.96, 0.99)),
        CalloutKind::Warning => (Color(0.58, 0.34, 0.0), Color(0.99, 0.96, 0.90)),
        CalloutKind::Urgent => (Color(0.70, 0.15, 0.12), Color(0.99, 0.93, 0.92)),
    }
}

/// The result of collecting: children, structure nodes.
pub struct Flow {
    /// Flow children in reading order.
    pub children: Vec<Child>,
    /// Structure nodes; 0 is the Document.
    pub nodes: Vec<Node>,
}

/// Turns strings into frames of lines, keeping the structure nodes and errors.
pub(super) struct Collector<'a> {
    book: &'a FontBook,
    /// Lines of verbatim text set for earlier documents of the run.
    cache: &'a LineCache,
    pub(super) style: &'a Style,
    lang: &'a str,
    /// The document is written right to left: list markers and callout rules go on the
    /// right (the lines themselves align by their paragraph's own direction).
    pub rtl: bool,
    /// Structure nodes created so far; 0 is the Document.
    pub nodes: Vec<Node>,
    /// Characters no font could show.
    pub errors: Diagnostics,
    /// The localized "(continued)" after a callout's title repeated on the next page.
    pub continued: String,
    /// Height of a page's body area: what a picture and its caption must fit in.
    pub room: f32,
}

/// How to set one run of text.
#[derive(Clone, Copy)]
pub(super) struct TextStyle {
    /// Font size in points.
    pub size: f32,
    /// Bold throughout (headings, callout titles).
    pub bold: bool,
    /// Colour of non-link text.
    pub color: Color,
}

impl<'a> Collector<'a> {
    /// A collector for a document in `lang`.
    pub(super) fn new(book: &'a FontBook, cache: &'a LineCache, style: &'a Style, lang: &'a str) -> Self {
        Collector {
            book,
            cache,
            style,
            lang,
            rtl: crate::text::bidi::is_rtl_lang(lang),
            nodes: vec![Node { role: Role::Document, parent: None, alt: None }],
            errors: Vec::new(),
            continued: String::new(),
            room: style.page_height - 2.0 * style.margin,
        }
    }

    /// Sets a string as line frames at `x`, `width` wide, content of structure `node`.
    pub(super) fn set_text(
        &mut self,
        text: &Filled,
        ts: TextStyle,
        x: f32,
        width: f32,
        node: usize,
    ) -> Vec<(Frame, Line)> {
        self.set_text_reused(text, ts, x, width, node, text.verbatim)
    }

    /// [`Collector::set_text`] for text the tool makes the same way in every document
    /// of a run (footer fields, list markers, a continued callout's title), which may
    /// reuse earlier documents' lines when `reuse` although placeholders were filled.
    pub(super) fn set_text_reused(
        &mut self,
        text: &Filled,
        ts: TextStyle,
        x: f32,
        width: f32,
        node: usize,
        reuse: bool,
    ) -> Vec<(Frame, Line)> {
        let lines = self.lines_reused(text, ts, width, reuse);
        let frames = self.frames(&lines, ts, x, width, node);
        frames.into_iter().zip(lines).collect()
    }

    pub(super) fn node(&mut self, role: Role, parent: usize, alt: Option<String>) -> usize {
        self.nodes.push(Node { role, parent: Some(parent), alt });
        self.nodes.len() - 1
    }

    /// Shapes and breaks a filled string into lines of `width`.
    fn lines(&mut self, text: &Filled, ts: TextStyle, width: f32) -> Vec<Line> {
        self.lines_reused(text, ts, width, text.verbatim)
    }

    /// Shapes and breaks a filled string into lines of `width`; with `reuse`, through the
    /// run's [`LineCache`]. Text with no placeholder filled sets the same way in every
    /// document of a run, and so does text the tool makes from the run's contact profile
    /// and labels; text filled from a row is set afresh (it would only crowd the cache).
    /// Lines are looked up by their text, so reuse never changes them; text with an
    /// error sets no lines and is never kept.
    fn lines_reused(&mut self, text: &Filled, ts: TextStyle, width: f32, reuse: bool) -> Vec<Line> {
        let key = reuse.then(|| LineKey {
            text: text.value.clone(),
            bold: ts.bold,
            lang: self.lang.to_string(),
            size: ts.size.to_bits(),
            width: width.to_bits(),
        });
        if let Some(hit) = key.as_ref().and_then(|k| self.cache.get(k)) {
            return hit.to_vec();
        }
        let lines = self.shape_lines(text, ts, width);
        if let Some(key) = key {
            if !lines.is_empty() {
                self.cache.put(key, &lines);
            }
        }
        lines
    }

    /// Shapes and breaks a filled string into lines of `width` (no cache).
    fn shape_lines(&mut self, text: &Filled, ts: TextStyle, width: f32) -> Vec<Line> {
        let mut spans = parse_inline(&text.value);
        if ts.bold {
            for s in &mut spans {
                s.style.bold = true;
            }
        }
        match shape_paragraph(&spans, self.lang, ts.size, self.book) {
            Ok(p) => break_lines(&p, width),
            Err(missing) => {
                for m in missing {
                    if self.errors.len() >= crate::diag::MAX_DIAGNOSTICS {
                        // Past the errors a document shows only the count matters: no
                        // column to count, no hints to build (a paragraph of 260,000
                        // missing characters took 1.3 GB of hints before).
                        self.errors
                            .push(Diagnostic::error("no font can show a character").at(text.span_at(0)));
                        continue;
                    }
                    let code = u32::from(m.ch);
                    let d = if m.ch.is_control() {
                        Diagnostic::error(format!("control character U+{code:04X} is not text"))
                            .hint("remove it; it may have come from copying text out of another program")
                    } else {
                        Diagnostic::error(format!("no font can show `{}` (U+{code:04X})", m.ch))
                            .hint(format!("fonts tried: {}", self.book.searched()))
                            .hint(
                                "add a font that has this character with --font-dir, or remove the character",
                            )
                    };
                    self.errors.push(d.at(text.span_of(m.source_offset, 1)));
                }
                Vec::new()
            }
        }
    }

    /// Turns lines into frames at indent `x`, tagging text with `node` and links with
    /// Link nodes under it. Right-to-left lines are set flush right in `width`.
    fn frames(&mut self, lines: &[Line], ts: TextStyle, x: f32, width: f32, node: usize) -> Vec<Frame> {
        let face = self.book.get(self.book.primary(InlineStyle { bold: ts.bold, italic: false }));
        let m = face.vmetrics(ts.size);
        let height = self.style.line_height(ts.size);
        let baseline = (height - (m.ascent + m.descent)) / 2.0 + m.ascent;
        let mut link_node: Option<(String, usize)> = None;
        let mut out = Vec::with_capacity(lines.len());
        for line in lines {
            let x = if line.rtl { x + (width - line.width).max(0.0) } else { x };
            let mut items = Vec::with_capacity(line.runs.len());
            let mut links: Vec<Item> = Vec::new();
            for (rx, run) in &line.runs {
                let (tag, color) = match &run.link {
                    Some(target) => {
                        let id = match &link_node {
                            Some((t, id)) if t == target => *id,
                            _ => {
                                let id = self.node(Role::Link, node, Some(target.clone()));
                                link_node = Some((target.clone(), id));
                                id
                            }
                        };
                        (Tag::Node(id), Color::LINK)
                    }
                    None => {
                        link_node = None;
                        (Tag::Node(node), ts.color)
                    }
                };
                if let (Some(target), Tag::Node(id)) = (&run.link, tag) {
                    let w = run.width();
                    // Merge with the previous run's area when it is the same link.
                    match links.last_mut() {
                        Some(Item::Link { x: lx, w: lw, node: Some(n), .. })
                            if *n == id && (*lx + *lw - (x + rx)).abs() < 0.01 =>
                        {
                            *lw += w;
                        }
                        _ => links.push(Item::Link {
                            x: x + rx,
                            y: 0.0,
                            w,
                            h: height,
                            target: target.clone(),
                            alt: String::new(),
                            node: Some(id),
                        }),
                    }
                    // Underline links: colour alone must not carry meaning.
                    items.push(Item::Fill {
                        x: x + rx,
                        y: baseline + ts.size * 0.12,
                        w,
                        h: (ts.size * 0.06).max(0.5),
                        color: Color::LINK,
                    });
                }
                items.push(Item::Text { x: x + rx, y: baseline, run: run.clone(), color, tag });
            }
            items.extend(links);
            out.push(Frame { height, items, outline: None });
        }
        // Alternate text of each link: its visible text, and the target when they differ.
        let mut texts: std::collections::BTreeMap<usize, String> = Default::default();
        for f in &out {
            for it in &f.items {
                if let Item::Text { run, tag: Tag::Node(id), .. } = it {
                    if run.link.is_some() {
                        texts.entry(*id).or_default().push_str(&run.text);
                    }
                }
            }
        }
        for f in &mut out {
            for it in &mut f.items {
                if let Item::Link { alt, node: Some(id), target, .. } = it {
                    let shown = texts.get(id).map(|s| s.trim()).unwrap_or_default();
                    // The visible text says what the link is; the target says where it goes.
                    // Each area of a link (one per line) carries it: a link of a thousand
                    // lines with all its text on each took memory with the square of its
                    // length, so it is shortened.
                    *alt = if shown.is_empty() || shown == target {
                        short(target)
                    } else {
                        format!("{} ({})", short(shown), short(target))
                    };
                }
            }
        }
        out
    }

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

    /// A list as frames with needs; `gap_after` is added under its last line (before
    /// the needs are computed, so they stay exact).
    fn list(
        &mut self,
        list: &DocList,
        x: f32,
        width: f32,
        parent: usize,
        depth: usize,
        gap_after: f32,
    ) -> Vec<(Frame, f32)> {
        let s = self.style;
        let ts = TextStyle { size: s.body, bold: false, color: Color::TEXT };
        // A little air between items.
        let item_gap = s.body * 0.25;
        let l = self.node(Role::L, parent, None);
        let mut out = Vec::new();
        for (i, (text, nested)) in list.items.iter().enumerate() {
            let li = self.node(Role::LI, l, None);
            let lbl = self.node(Role::Lbl, li, None);
            let body = self.node(Role::LBody, li, None);
            let marker = match (list.kind, depth) {
                (ListKind::Steps, _) => crate::resolve::labels::number_marker(self.lang, i + 1),
                (ListKind::Bullets, 0) => "•".to_string(),
                (ListKind::Bullets, _) => "–".to_string(),
            };
            let marker_filled = Filled { value: marker, origin: text.origin.clone(), verbatim: false };
            // Right to left: the indent and the marker are on the right.
            let body_x = if self.rtl { x } else { x + s.list_indent };
            let lines = self.lines(text, ts, width - s.list_indent);
            let mut frames = self.frames(&lines, ts, body_x, width - s.list_indent, body);
            let mlines = self.lines_reused(&marker_filled, ts, s.list_indent, true);
            let mut mframes = self.frames(&mlines, ts, x, s.list_indent, lbl);
            if let (Some(first), Some(mf)) = (frames.first_mut(), mframes.first_mut()) {
                // The marker sits in the indent, a third of the indent from the text.
                let mw = mlines[0].width;
                let mut runs_x = mlines[0].runs.iter().map(|(rx, _)| *rx);
                for it in &mut mf.items {
                    if let Item::Text { x: ix, .. } = it {
                        let rx = runs_x.next().unwrap_or(0.0);
                        *ix = if self.rtl {
                            x + width - s.list_indent + s.list_indent / 3.0 + rx
                        } else {
                            x + s.list_indent - s.list_indent / 3.0 - mw + rx
                        };
                    }
                }
                let mut items = std::mem::take(&mut mf.items);
                items.append(&mut first.items);
                first.items = items;
            }
            let last_item = i + 1 == list.items.len();
            let after = if last_item { gap_after } else { item_gap };
            if let Some(last) = frames.last_mut() {
                last.height += if nested.is_some() { item_gap } else { after };
            }
            let mut pairs = with_needs(frames);
            if let Some(n) = nested {
                let nested = self.list(n, body_x, width - s.list_indent, body, depth + 1, after);
                // The item's lead-in ("Common choices are:") stays with the first nested item.
                if let Some((_, first_need)) = nested.first() {
                    keep_end_with(&mut pairs, *first_need);
                }
                pairs.extend(nested);
            }
            out.extend(pairs);
        }
        out
    }

    fn callout(&mut self, c: &DocCallout) -> Child {
        let s = self.style;
        let aside = self.node(Role::Aside, 0, None);
        let (accent, _) = callout_colors(c.kind);
        let width = s.content_width() - s.callout_rule - 2.0 * s.callout_pad;
        let x = if self.rtl { s.callout_pad } else { s.callout_rule + s.callout_pad };
        let mut frames = vec![(Frame { height: s.callout_pad, ..Frame::default() }, s.callout_pad)];
        if let Some(t) = &c.title {
            let p = self.node(Role::P, aside, None);
            frames.extend(self.text_block(
                t,
                TextStyle { size: s.body, bold: true, color: accent },
                x,
                width,
                p,
            ));
        }
        if let Some(t) = &c.text {
            if c.title.is_some() {
                frames.push(spacer(s.body * 0.3));
            }
            let p = self.node(Role::P, aside, None);
            frames.extend(self.text_block(
                t,
                TextStyle { size: s.body, bold: false, color: Color::TEXT },
                x,
                width,
                p,
            ));
        }
        if let Some(l) = &c.list {
            if c.title.is_some() || c.text.is_some() {
                frames.push(spacer(s.body * 0.3));
            }
            frames.extend(self.list(l, x, width, aside, 0, 0.0));
        }
        frames.push(spacer(s.callout_pad));
        let continued = match &c.title {
            Some(t) => {
                self.continued_title(t, TextStyle { size: s.body, bold: true, color: accent }, x, width)
            }
            None => Vec::new(),
        };
        Child::Group { frames, kind: c.kind, rtl: self.rtl, continued }
    }

    /// The frames that open a callout's part on a further page: padding, the title with
    /// the localized "(continued)" (plain text, no links), and a small gap. They repeat
    /// what a reader has already been read, so their text is an artifact.
    fn continued_title(&mut self, title: &Filled, ts: TextStyle, x: f32, width: f32) -> Vec<Frame> {
        let s = self.style;
        let plain = crate::text::markup::plain_text(&parse_inline(&title.value));
        let escape = crate::resolve::placeholder::escape_markup;
        let text = format!("{} {}", escape(&plain), escape(&self.continued));
        let filled = Filled { value: text, origin: title.origin.clone(), verbatim: false };
        let mut frames = vec![spacer(s.callout_pad).0];
        for (mut frame, _) in self.set_text_reused(&filled, ts, x, width, 0, title.verbatim) {
            for item in &mut frame.items {
                match item {
                    Item::Text { tag, .. } => *tag = super::Tag::Artifact,
                    Item::Link { node, .. } => *node = None,
                    _ => {}
                }
            }
            frames.push(frame);
        }
        frames.push(spacer(s.body * 0.3).0);
        frames
    }

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

fn spacer(h: f32) -> (Frame, f32) {
    (Frame { height: h, ..Frame::default() }, h)
}

/// Adds `extra` to the needs that already reach the last frame of `pairs`, so the end of
/// this run of lines moves together with what must follow it.
fn keep_end_with(pairs: &mut [(Frame, f32)], extra: f32) {
    let mut to_end = 0.0;
    for (frame, need) in pairs.iter_mut().rev() {
        to_end += frame.height;
        if *need + 0.01 >= to_end {
            *need += extra;
        }
    }
}

/// Gives a run of line frames their widow/orphan needs.
pub(super) fn with_needs(frames: Vec<Frame>) -> Vec<(Frame, f32)> {
    let n = frames.len();
    let h: Vec<f32> = frames.iter().map(|f| f.height).collect();
    frames
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let need = if n <= 3 && i == 0 {
                h.iter().sum()
            } else if i == 0 {
                h[0] + h[1]
            } else if n > 3 && i == n - 2 {
                h[n - 2] + h[n - 1]
            } else {
                h[i]
            };
            (f, need)
        })
        .collect()
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
        let w = h * logo.width as f32 / logo.height.max(1) as f32;
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

/// Extends each sticky child's need by the need of what follows it (spaces included),
/// so a heading never ends a page. Runs backwards so chains of headings add up.
fn keep_with_next(children: &mut [Child]) {
    let mut next_need = 0.0f32;
    for child in children.iter_mut().rev() {
        match child {
            Child::Frame { frame, need, sticky } => {
                if *sticky {
                    *need = frame.height + next_need;
                }
                next_need = *need;
            }
            Child::Space(h) => next_need += *h,
            Child::Group { frames, .. } => next_need = frames.iter().map(|(f, _)| f.height).sum(),
            // The caption, the header and the first row start the table together.
            Child::Table(t) => next_need = t.start_height(),
            Child::PageBreak => next_need = 0.0,
        }
    }
}

/// Longest link alternate text kept, in characters (then `…`).
const MAX_ALT_CHARS: usize = 200;

/// `s`, cut to [`MAX_ALT_CHARS`] characters with `…` when longer.
fn short(s: &str) -> String {
    match s.char_indices().nth(MAX_ALT_CHARS) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{parse_contact, parse_handout};
    use crate::resolve::{resolve, Values};
    use crate::text::fonts::FontOptions;
    use std::path::Path;

    fn flow(yaml: &str) -> Flow {
        let h = parse_handout(Path::new("t.yaml"), yaml.as_bytes()).unwrap();
        let c = parse_contact(Path::new("c.yaml"), b"organization: T\nphone: \"1\"\n").unwrap();
        let doc = resolve(&h, &c, &Values::default(), None).unwrap();
        let book = FontBook::load(&FontOptions::default()).unwrap();
        let style = Style::new(Default::default(), false);
        collect(&doc, &book, &LineCache::default(), &style, 600.0).unwrap()
    }

    /// Needs are promises to pagination: a frame never needs less than its own height,
    /// and a heading needs room for itself, the space after it and the whole next frame.
    #[test]
    fn needs_cover_what_they_promise() {
        let f = flow(
            "title: T\nbody:\n  - subheading: Bathing\n  - bullets:\n      - One line.\n      - text: Two\n        steps: [a, b]\n      - Three\n  - heading: H\n  - A paragraph of text.\n",
        );
        for (i, child) in f.children.iter().enumerate() {
            let Child::Frame { frame, need, sticky } = child else { continue };
            assert!(*need + 0.01 >= frame.height, "child {i}: need {need} < height {}", frame.height);
            if *sticky {
                let mut want = frame.height;
                for next in &f.children[i + 1..] {
                    match next {
                        Child::Space(h) => want += h,
                        Child::Frame { frame: n, .. } => {
                            want += n.height;
                            break;
                        }
                        _ => break,
                    }
                }
                assert!(*need + 0.01 >= want, "sticky child {i}: need {need} < {want}");
            }
        }
    }

    #[test]
    fn a_lead_in_stays_with_its_nested_list() {
        let f = flow(
            "title: T\nbody:\n  - bullets:\n      - text: Common choices are\n        bullets: [One, Two]\n",
        );
        let frames: Vec<(&Frame, f32)> = f
            .children
            .iter()
            .filter_map(|c| match c {
                Child::Frame { frame, need, .. } => Some((frame, *need)),
                _ => None,
            })
            .collect();
        let text = |f: &Frame| -> String {
            f.items
                .iter()
                .filter_map(|i| if let Item::Text { run, .. } = i { Some(run.text.clone()) } else { None })
                .collect()
        };
        let lead = frames.iter().position(|(f, _)| text(f).contains("Common choices")).unwrap();
        let (frame, need) = frames[lead];
        assert!(need + 0.01 >= frame.height + frames[lead + 1].0.height, "lead-in need {need}");
    }
}
