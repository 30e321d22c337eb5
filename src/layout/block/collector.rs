//! The [`Collector`]: turns strings into frames of lines for every block kind. It parses
//! inline markup, shapes and breaks the text (through the run's [`LineCache`] when the
//! text is the same in every document), reports characters no font can show, and tags
//! each line's runs with their structure node, links with Link nodes of their own,
//! underlined and with alternate text.
//!
//! It knows nothing of which block it sets: lists, callouts, tables, figures, QR codes
//! and the footer all call it.

use crate::diag::{Diagnostic, Diagnostics};
use crate::resolve::Filled;
use crate::text::{parse_inline, shape_paragraph, FontBook, InlineStyle};

use super::Frame;
use crate::layout::cache::{LineCache, LineKey};
use crate::layout::line::{break_lines, Line};
use crate::layout::style::Style;
use crate::layout::{Color, Item, Node, Role, Tag};

/// Turns strings into frames of lines, keeping the structure nodes and errors.
pub(in crate::layout) struct Collector<'a> {
    book: &'a FontBook,
    /// Lines of verbatim text set for earlier documents of the run.
    cache: &'a LineCache,
    pub(in crate::layout) style: &'a Style,
    pub(super) lang: &'a str,
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
pub(in crate::layout) struct TextStyle {
    /// Font size in points.
    pub size: f32,
    /// Bold throughout (headings, callout titles).
    pub bold: bool,
    /// Colour of non-link text.
    pub color: Color,
}

impl<'a> Collector<'a> {
    /// A collector for a document in `lang`.
    pub(in crate::layout) fn new(
        book: &'a FontBook,
        cache: &'a LineCache,
        style: &'a Style,
        lang: &'a str,
    ) -> Self {
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
    pub(in crate::layout) fn set_text(
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
    pub(in crate::layout) fn set_text_reused(
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

    pub(in crate::layout) fn node(&mut self, role: Role, parent: usize, alt: Option<String>) -> usize {
        self.nodes.push(Node { role, parent: Some(parent), alt });
        self.nodes.len() - 1
    }

    /// Shapes and breaks a filled string into lines of `width`.
    pub(super) fn lines(&mut self, text: &Filled, ts: TextStyle, width: f32) -> Vec<Line> {
        self.lines_reused(text, ts, width, text.verbatim)
    }

    /// Shapes and breaks a filled string into lines of `width`; with `reuse`, through the
    /// run's [`LineCache`]. Text with no placeholder filled sets the same way in every
    /// document of a run, and so does text the tool makes from the run's contact profile
    /// and labels; text filled from a row is set afresh (it would only crowd the cache).
    /// Lines are looked up by their text, so reuse never changes them; text with an
    /// error sets no lines and is never kept.
    pub(super) fn lines_reused(
        &mut self,
        text: &Filled,
        ts: TextStyle,
        width: f32,
        reuse: bool,
    ) -> Vec<Line> {
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
    pub(super) fn frames(
        &mut self,
        lines: &[Line],
        ts: TextStyle,
        x: f32,
        width: f32,
        node: usize,
    ) -> Vec<Frame> {
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
