//! The `image:` block: a picture and its caption, tagged as a Figure (with the picture's
//! alternate text) followed by a Caption.
//!
//! Size: `width` is a share of the text width; without it the picture prints at its
//! natural size of [`NATURAL_DPI`] (in large print 1.5 times bigger, like the text), never
//! wider than the text. Either way it is then scaled down, keeping its proportions, until
//! it and its caption fit in a page's body area, so a picture is never split or cut. It
//! starts at the text's start edge: the left, or the right in a right-to-left document,
//! with its caption under it, as wide as the picture (at least 24 ems, so a narrow
//! picture does not make a caption of one word per line).

use crate::resolve::{DocImage, Picture};

use super::block::{with_needs, Child, Collector, Frame, TextStyle};
use super::{Color, ImageRef, Item, Role, Tag};

/// Pixels per inch of a picture without `width`: 150 dpi prints a screen-sized drawing
/// (600 pixels: 10 cm) at a size that reads well and stays sharp enough on paper.
pub const NATURAL_DPI: f32 = 150.0;

/// The children of a picture: its frame, then the caption's lines. The picture's frame
/// needs room for the whole caption too, so the caption is not left on the next page.
pub(super) fn figure(c: &mut Collector, img: &DocImage, picture: &Picture) -> Vec<Child> {
    let s = c.style;
    let text_width = s.content_width();
    let large = s.body / 12.0;
    let aspect = picture.height as f32 / picture.width.max(1) as f32;
    let natural = picture.width as f32 * 72.0 / NATURAL_DPI * large;
    let wanted = match img.width {
        Some(share) => text_width * share,
        None => natural.min(text_width),
    };
    let caption_width = wanted.max((s.body * 24.0).min(text_width));
    let caption_x = if c.rtl { text_width - caption_width } else { 0.0 };
    let figure = c.node(Role::Figure, 0, Some(img.alt.clone()));
    let mut caption = Vec::new();
    if let Some(text) = &img.caption {
        let node = c.node(Role::Caption, 0, None);
        let ts = TextStyle { size: s.body, bold: false, color: Color::MUTED };
        caption = c.set_text(text, ts, caption_x, caption_width, node).into_iter().map(|(f, _)| f).collect();
    }
    let caption_height: f32 = caption.iter().map(|f| f.height).sum();
    let gap = if caption.is_empty() { 0.0 } else { s.body * 0.4 };
    // A caption taller than half a page (never in practice) is left to flow on; the
    // picture keeps at least half the page.
    let max_height = c.room - (gap + caption_height).min(c.room * 0.5) - 0.5;
    let (mut w, mut h) = (wanted, wanted * aspect);
    if h > max_height {
        h = max_height.max(1.0);
        w = h / aspect.max(f32::MIN_POSITIVE);
    }
    let x = if c.rtl { text_width - w } else { 0.0 };
    let frame = Frame {
        height: h + gap,
        items: vec![Item::Image {
            x,
            y: 0.0,
            w,
            h,
            tag: Tag::Node(figure),
            image: ImageRef::Picture(img.picture),
        }],
        outline: None,
    };
    let mut children = vec![Child::Frame { need: h + gap + caption_height, frame, sticky: false }];
    children.extend(with_needs(caption).into_iter().map(|(frame, need)| Child::Frame {
        frame,
        need,
        sticky: false,
    }));
    children
}
