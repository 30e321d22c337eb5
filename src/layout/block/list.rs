//! Lists: bullets and numbered steps, nested to any depth. Each item is an LI with a
//! Lbl (its marker, set in the indent) and an LBody; a nested list goes under its item's
//! body, and the item's lead-in stays with the nested list's first line.

use crate::model::ListKind;
use crate::resolve::{DocList, Filled};

use super::needs::{keep_end_with, with_needs};
use super::{Collector, Frame, TextStyle};
use crate::layout::{Color, Item, Role};

impl Collector<'_> {
    /// A list as frames with needs; `gap_after` is added under its last line (before
    /// the needs are computed, so they stay exact).
    pub(super) fn list(
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
}

#[cfg(test)]
mod tests {
    use super::super::{flow, Child};
    use super::*;

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
