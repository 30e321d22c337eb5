//! Finalize: the footer on every page, once the page count is known.
//!
//! The footer sits inside the bottom margin line (nothing is drawn in the margins) and
//! the body area ends above it, so nothing overlaps it. Its text is page furniture
//! (artifacts, not content), but its phone, email and web links stay live.

use crate::diag::Diagnostics;
use crate::resolve::{Document, Filled};
use crate::text::FontBook;

use super::block::{Collector, Frame, TextStyle};
use super::cache::LineCache;
use super::style::Style;
use super::{Color, Item, Page, Tag};

/// The footer, laid out once and stamped on every page.
pub struct FooterLayout {
    /// Footer lines (organization, contacts, details), relative to the footer's top.
    frames: Vec<Frame>,
    /// Total height, rule included.
    pub height: f32,
    /// Width kept free on the right (on the left in a right-to-left document) for
    /// "Page N of M".
    reserve: f32,
}

/// Escapes CommonMark punctuation so contact values print literally.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn filled(doc: &Document, value: String) -> Filled {
    Filled { value, origin: doc.title.origin.clone(), verbatim: false }
}

/// Gap between the footer rule and the body area above it.
fn gap(style: &Style) -> f32 {
    style.footer
}

/// Lays out the footer text for `doc`.
pub fn prepare(
    doc: &Document,
    book: &FontBook,
    cache: &LineCache,
    style: &Style,
) -> Result<FooterLayout, Diagnostics> {
    let mut c = Collector::new(book, cache, style, &doc.lang);
    let ts = TextStyle { size: style.footer, bold: false, color: Color::MUTED };
    let widest = doc.footer.page_of(888, 888);
    let reserve = c
        .set_text_reused(&filled(doc, escape(&widest)), ts, 0.0, f32::MAX, 0, true)
        .first()
        .map_or(0.0, |(_, l)| l.width)
        + style.footer * 2.0;
    let width = style.content_width() - reserve;
    let f = &doc.footer;
    // Phones on one line, email and website on the next, address and hours last.
    let mut phones = Vec::new();
    let mut online = Vec::new();
    for item in &f.items {
        let value = match &item.link {
            Some(link) => format!("[{}](<{}>)", escape(&item.value), link.replace('>', "%3E")),
            None => escape(&item.value),
        };
        let text = if item.label.is_empty() { value } else { format!("{} {value}", escape(&item.label)) };
        if item.link.as_deref().is_some_and(|l| l.starts_with("tel:")) {
            phones.push(text);
        } else {
            online.push(text);
        }
    }
    let mut frames = Vec::new();
    let org_ts = TextStyle { bold: true, ..ts };
    let organization: Vec<String> = f.organization.split(" · ").map(escape).collect();
    let details: Vec<String> = f.details.iter().map(|d| escape(d)).collect();
    let groups = [(organization, org_ts), (phones, ts), (online, ts), (details, ts)];
    for (fields, style) in groups {
        for text in pack(&mut c, doc, &fields, style, width) {
            frames.extend(
                c.set_text_reused(&filled(doc, text), style, 0.0, width, 0, true).into_iter().map(|(f, _)| f),
            );
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    for frame in &mut frames {
        for item in &mut frame.items {
            match item {
                Item::Text { tag, .. } => *tag = Tag::Artifact,
                Item::Link { node, .. } => *node = None,
                _ => {}
            }
        }
    }
    let height = gap(style) + frames.iter().map(|f| f.height).sum::<f32>();
    Ok(FooterLayout { frames, height, reserve })
}

/// Between the fields of a footer line.
const SEPARATOR: &str = "  ·  ";

/// Packs footer fields ("Phone +1 …", "After hours +1 …", the hours) into lines of at
/// most `width`, joined by [`SEPARATOR`]: a field that fits on a line is never split
/// (large print wrapped "Mon–Fri 8 am – 5" / "pm" and left "After hours" without its
/// number), and a line never starts with the separator. Only a field wider than a whole
/// line is broken, by the usual line breaking.
fn pack(c: &mut Collector, doc: &Document, fields: &[String], ts: TextStyle, width: f32) -> Vec<String> {
    let mut measure = |text: &str| {
        c.set_text_reused(&filled(doc, text.to_string()), ts, 0.0, f32::MAX, 0, true)
            .first()
            .map_or(0.0, |(_, l)| l.width)
    };
    let mut lines = Vec::new();
    let mut current = String::new();
    for field in fields.iter().filter(|f| !f.is_empty()) {
        if current.is_empty() {
            current = field.clone();
            continue;
        }
        let joined = format!("{current}{SEPARATOR}{field}");
        if measure(&joined) <= width {
            current = joined;
        } else {
            lines.push(std::mem::replace(&mut current, field.clone()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// The top of the body area's bottom edge: body content ends here.
pub fn body_bottom(footer: &FooterLayout, style: &Style) -> f32 {
    style.page_height - style.margin - footer.height - gap(style)
}

/// Stamps the footer and "Page N of M" on every page.
pub fn stamp(
    pages: &mut [Page],
    footer: &FooterLayout,
    doc: &Document,
    book: &FontBook,
    cache: &LineCache,
    style: &Style,
) -> Result<(), Diagnostics> {
    let top = style.page_height - style.margin - footer.height;
    let total = pages.len();
    let mut c = Collector::new(book, cache, style, &doc.lang);
    let ts = TextStyle { size: style.footer, bold: false, color: Color::MUTED };
    for (i, page) in pages.iter_mut().enumerate() {
        page.items.push(Item::Fill {
            x: style.margin,
            y: top,
            w: style.content_width(),
            h: 0.5,
            color: Color::RULE,
        });
        let mut y = top + gap(style);
        // Mirrored in a right-to-left document: the contact lines flush right, the page
        // number on the left.
        let lines_x = if c.rtl { style.margin + footer.reserve } else { style.margin };
        for frame in &footer.frames {
            for item in &frame.items {
                let mut item = item.clone();
                shift(&mut item, lines_x, y);
                page.items.push(item);
            }
            y += frame.height;
        }
        let label = doc.footer.page_of(i + 1, total);
        // Short documents' labels ("Page 1 of 2") recur in every document of a run; a long
        // one's would only crowd the cache.
        let set = c.set_text_reused(&filled(doc, escape(&label)), ts, 0.0, footer.reserve, 0, total <= 20);
        for (frame, line) in set.into_iter().take(1) {
            // A right-to-left line is already set flush right in the reserve.
            let own = if line.rtl { (footer.reserve - line.width).max(0.0) } else { 0.0 };
            let left = if c.rtl { style.margin } else { style.margin + style.content_width() - line.width };
            let x = left - own;
            for mut item in frame.items {
                if let Item::Text { tag, .. } = &mut item {
                    *tag = Tag::Artifact;
                }
                shift(&mut item, x, top + gap(style));
                page.items.push(item);
            }
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(())
}

fn shift(item: &mut Item, dx: f32, dy: f32) {
    match item {
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
