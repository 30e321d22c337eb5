//! What each flow child needs to stay together: the height it asks for on the current
//! page before it may be placed.
//!
//! Widows and orphans are prevented here, as Typst does it: a paragraph's first line
//! needs room for the first two lines (all three of a three-line paragraph), and its
//! second-to-last line needs room for the last two. Headings are `sticky`: their need
//! includes the first need of what follows (keep-with-next). A list item's lead-in also
//! needs what the first line of its nested list needs.

use super::{Child, Frame};

/// Adds `extra` to the needs that already reach the last frame of `pairs`, so the end of
/// this run of lines moves together with what must follow it.
pub(super) fn keep_end_with(pairs: &mut [(Frame, f32)], extra: f32) {
    let mut to_end = 0.0;
    for (frame, need) in pairs.iter_mut().rev() {
        to_end += frame.height;
        if *need + 0.01 >= to_end {
            *need += extra;
        }
    }
}

/// Gives a run of line frames their widow/orphan needs.
pub(in crate::layout) fn with_needs(frames: Vec<Frame>) -> Vec<(Frame, f32)> {
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

/// Extends each sticky child's need by the need of what follows it (spaces included),
/// so a heading never ends a page. Runs backwards so chains of headings add up.
pub(super) fn keep_with_next(children: &mut [Child]) {
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

#[cfg(test)]
mod tests {
    use super::super::flow;
    use super::*;

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
}
