//! The `qr:` block: a QR code drawn as vector modules, with its caption (and the address,
//! for readers without a camera) beside it, all in one frame that is never split.
//!
//! The code comes from the `qrcode` crate at error-correction level M (15 % of the code
//! may be dirty or folded and it still scans). It is drawn with the four-module quiet
//! zone the standard asks for and at least 2 cm wide without it (larger in large print), each dark
//! module a filled rectangle (a row's neighbouring modules are one rectangle), so it
//! stays sharp at any print size. A live link covers it when it encodes a web, email or
//! phone address. In the structure tree it is a Figure whose alternate text is the
//! caption and the address (inside a Link when it is one).

use qrcode::{Color as Module, EcLevel, QrCode};

use crate::diag::Diagnostic;
use crate::resolve::{DocQr, Filled};
use crate::text::markup::plain_text;
use crate::text::parse_inline;

use super::block::{Collector, Frame, TextStyle};
use super::{Color, Item, Role, Tag};

/// Modules of white around the code (ISO/IEC 18004: four).
const QUIET: usize = 4;
/// Smallest printed side of the code, quiet zone aside: 2 cm, in points.
pub const MIN_SIDE: f32 = 2.0 / 2.54 * 72.0;
/// Smallest module, in points (about 0.35 mm): a long address makes a bigger code.
const MIN_MODULE: f32 = 1.0;

/// Escapes CommonMark punctuation so the address prints as written.
fn escape(s: &str) -> String {
    crate::resolve::placeholder::escape_markup(s)
}

/// The frame of a QR block, or `None` (with an error collected) when its text cannot be
/// encoded.
pub(super) fn qr(c: &mut Collector, q: &DocQr) -> Option<Frame> {
    let s = c.style;
    let text = q.text();
    let code = match QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M) {
        Ok(code) => code,
        Err(e) => {
            c.errors.push(
                Diagnostic::error(format!("the QR code cannot hold this text ({} bytes): {e}", text.len()))
                    .at(q.url.span_of(0, text.chars().count()))
                    .hint("a QR code that phones scan easily holds a short web address; use a shorter one"),
            );
            return None;
        }
    };
    let n = code.width();
    let modules = n + 2 * QUIET;
    // The code itself (quiet zone aside) six lines of body text wide: 2.54 cm, 3.8 cm in
    // large print; never under 2 cm.
    let wanted = (s.body * 6.0).max(MIN_SIDE);
    let module = (wanted / n as f32).max(MIN_MODULE);
    let side = module * modules as f32;
    let gap = s.body;
    let text_width = (s.content_width() - side - gap).max(s.body * 8.0);
    // Right to left: the code on the right, the text on its left.
    let (code_x, text_x) = if c.rtl { (s.content_width() - side, 0.0) } else { (0.0, side + gap) };

    let caption_plain = plain_text(&parse_inline(&q.caption.value)).replace('\n', " ");
    let alt = format!("QR code: {} ({text})", caption_plain.trim());
    let link = q.link().map(str::to_string);
    let link_node = link.as_ref().map(|t| c.node(Role::Link, 0, Some(t.clone())));
    let figure = c.node(Role::Figure, link_node.unwrap_or(0), Some(alt.clone()));

    let mut rects = Vec::new();
    let colors = code.to_colors();
    for (row, line) in colors.chunks(n).enumerate() {
        let mut col = 0;
        while col < n {
            if line[col] != Module::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && line[col] == Module::Dark {
                col += 1;
            }
            rects.push([
                (QUIET + start) as f32 * module,
                (QUIET + row) as f32 * module,
                (col - start) as f32 * module,
                module,
            ]);
        }
    }
    let mut items = vec![
        // The quiet zone stays white whatever is behind it.
        Item::Fill { x: code_x, y: 0.0, w: side, h: side, color: Color(1.0, 1.0, 1.0) },
        Item::Shapes { x: code_x, y: 0.0, rects, color: Color(0.0, 0.0, 0.0), tag: Tag::Node(figure) },
    ];
    if let (Some(target), Some(node)) = (&link, link_node) {
        let alt = format!("{} ({target})", caption_plain.trim());
        items.push(Item::Link {
            x: code_x,
            y: 0.0,
            w: side,
            h: side,
            target: target.clone(),
            alt,
            node: Some(node),
        });
    }

    // Beside it: the caption, then the address in smaller type (a link when it is one).
    let mut y = module * QUIET as f32;
    let caption = c.node(Role::P, 0, None);
    let body = TextStyle { size: s.body, bold: true, color: Color::TEXT };
    for (frame, _) in c.set_text(&q.caption, body, text_x, text_width, caption) {
        place(&mut items, frame, &mut y);
    }
    y += s.body * 0.3;
    let shown = match &link {
        Some(target) => format!("[{}](<{}>)", escape(text), target.replace('>', "%3E")),
        None => escape(text),
    };
    let address = Filled { value: shown, origin: q.url.origin.clone(), verbatim: false };
    let p = c.node(Role::P, 0, None);
    let small = TextStyle { size: s.footer, bold: false, color: Color::MUTED };
    for (frame, _) in c.set_text(&address, small, text_x, text_width, p) {
        place(&mut items, frame, &mut y);
    }
    Some(Frame { height: side.max(y), items, outline: None })
}

/// Adds a line frame's items at `y` and moves `y` below it.
fn place(items: &mut Vec<Item>, frame: Frame, y: &mut f32) {
    for mut item in frame.items {
        item.translate(0.0, *y);
        items.push(item);
    }
    *y += frame.height;
}
