//! Sizes, margins and spacing: every typographic decision in one place.

/// Paper size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Paper {
    /// US Letter, 8.5 × 11 in.
    #[default]
    Letter,
    /// ISO A4, 210 × 297 mm.
    A4,
}

/// The typographic settings of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// Page width in points.
    pub page_width: f32,
    /// Page height in points.
    pub page_height: f32,
    /// Margin on all four sides: 0.75 in (SPEC §5).
    pub margin: f32,
    /// Body text size: 12 pt, or 18 pt for large print.
    pub body: f32,
    /// Line height as a multiple of the font size (SPEC: about 1.3–1.4).
    pub leading: f32,
    /// Title size.
    pub title: f32,
    /// Subtitle size.
    pub subtitle: f32,
    /// Level-2 heading size.
    pub h2: f32,
    /// Level-3 heading size.
    pub h3: f32,
    /// Footer text size.
    pub footer: f32,
    /// Space between paragraphs.
    pub para_gap: f32,
    /// Indent of list item text from the list's left edge (the marker hangs in it).
    pub list_indent: f32,
    /// Padding inside callout boxes.
    pub callout_pad: f32,
    /// Width of the coloured rule on a callout's left edge.
    pub callout_rule: f32,
    /// Height of the logo on page 1.
    pub logo_height: f32,
}

impl Style {
    /// The style for a paper size; `large_print` scales everything by 1.5 (18 pt body).
    pub fn new(paper: Paper, large_print: bool) -> Style {
        let (page_width, page_height) = match paper {
            Paper::Letter => (612.0, 792.0),
            // 210 × 297 mm at 72/25.4 points per mm.
            Paper::A4 => (595.2756, 841.8898),
        };
        let k = if large_print { 1.5 } else { 1.0 };
        Style {
            page_width,
            page_height,
            margin: 54.0,
            body: 12.0 * k,
            leading: 1.35,
            title: 24.0 * k,
            subtitle: 14.0 * k,
            h2: 16.5 * k,
            h3: 13.5 * k,
            footer: 9.0 * k,
            para_gap: 7.0 * k,
            list_indent: 20.0 * k,
            callout_pad: 10.0 * k,
            callout_rule: 4.0 * k,
            logo_height: 40.0 * k,
        }
    }

    /// Width available to text between the margins.
    pub fn content_width(&self) -> f32 {
        self.page_width - 2.0 * self.margin
    }

    /// Line height for text of `size` points.
    pub fn line_height(&self, size: f32) -> f32 {
        size * self.leading
    }
}
