//! Callouts: a note, warning or urgent box. Its title, text and list are set inside the
//! padding and beside the accent rule, as one group that pagination keeps on one page
//! when it can; when it cannot, each further page opens with the title again and
//! "(continued)".

use crate::model::CalloutKind;
use crate::resolve::{DocCallout, Filled};
use crate::text::parse_inline;

use super::{Child, Collector, Frame, TextStyle};
use crate::layout::{Color, Item, Role, Tag};

/// The colours of a callout kind: (rule and title, background).
pub fn callout_colors(kind: CalloutKind) -> (Color, Color) {
    match kind {
        CalloutKind::Note => (Color(0.12, 0.37, 0.66), Color(0.93, 0.96, 0.99)),
        CalloutKind::Warning => (Color(0.58, 0.34, 0.0), Color(0.99, 0.96, 0.90)),
        CalloutKind::Urgent => (Color(0.70, 0.15, 0.12), Color(0.99, 0.93, 0.92)),
    }
}

impl Collector<'_> {
    /// A callout as one group of frames with needs, an Aside with a P for its title and
    /// one for its text, and its list.
    pub(super) fn callout(&mut self, c: &DocCallout) -> Child {
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
                    Item::Text { tag, .. } => *tag = Tag::Artifact,
                    Item::Link { node, .. } => *node = None,
                    _ => {}
                }
            }
            frames.push(frame);
        }
        frames.push(spacer(s.body * 0.3).0);
        frames
    }
}

/// An empty frame `h` high, needing just its height.
fn spacer(h: f32) -> (Frame, f32) {
    (Frame { height: h, ..Frame::default() }, h)
}
