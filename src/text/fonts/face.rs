//! One parsed font face: names, weight and slant from its tables, and the rustybuzz face
//! used for shaping and metrics.

use std::path::PathBuf;

use super::FontSource;
use crate::text::VMetrics;

/// One loaded font face.
pub struct Face {
    /// Where the face was found (`<built-in>/NotoSans-Regular.ttf` for the compiled-in copy).
    pub path: PathBuf,
    /// Family name from the `name` table.
    pub family: String,
    /// PostScript name (used as the PDF BaseFont).
    pub postscript_name: String,
    /// True if and only if the face is bold (weight ≥ 600).
    pub bold: bool,
    /// True if and only if the face is italic or oblique.
    pub italic: bool,
    /// The OS/2 weight class (400 regular, 700 bold).
    pub weight: u16,
    /// False for condensed and expanded cuts.
    pub normal_width: bool,
    /// The face's index in its file (0 unless the file is a .ttc/.otc collection).
    pub index: u32,
    /// The font file. Faces live as long as the process (one book serves a whole batch),
    /// so the bytes are leaked into a `'static` slice: that lets the parsed shaping face
    /// be kept beside them instead of being re-parsed for every run.
    pub data: &'static [u8],
    /// The face for shaping and metrics.
    pub shaper: rustybuzz::Face<'static>,
    /// Where the face came from.
    pub source: FontSource,
}

/// A face's metrics as a PDF font descriptor gives them, in font units (see
/// [`Face::units_per_em`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DescriptorMetrics {
    /// Ascender and descender from `hhea` (the descender is negative).
    pub ascender: i16,
    pub descender: i16,
    /// From `OS/2`, when the table is new enough to have it.
    pub cap_height: Option<i16>,
    /// Degrees counter-clockwise from the vertical, from `post` (negative for italics).
    pub italic_angle: f32,
    /// The union of all glyph boxes, from `head`: x min, y min, x max, y max.
    pub bbox: [i16; 4],
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Face")
            .field("path", &self.path)
            .field("postscript_name", &self.postscript_name)
            .finish()
    }
}

impl Face {
    /// Parses face `index` of a font file; `None` if it is not a usable
    /// TrueType/OpenType face.
    pub(crate) fn parse(path: PathBuf, index: u32, data: &'static [u8], source: FontSource) -> Option<Face> {
        let shaper = rustybuzz::Face::from_slice(data, index)?;
        let name = |id: u16| {
            shaper
                .names()
                .into_iter()
                .filter(|n| n.name_id == id && n.is_unicode())
                .find_map(|n| n.to_string())
        };
        let family = name(rustybuzz::ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
            .or_else(|| name(rustybuzz::ttf_parser::name_id::FAMILY))?;
        let postscript_name =
            name(rustybuzz::ttf_parser::name_id::POST_SCRIPT_NAME).unwrap_or_else(|| family.replace(' ', ""));
        let weight = shaper.weight().to_number();
        let bold = weight >= 600;
        let italic = shaper.is_italic() || shaper.is_oblique();
        let normal_width = shaper.width() == rustybuzz::ttf_parser::Width::Normal;
        Some(Face {
            path,
            family,
            postscript_name,
            bold,
            italic,
            weight,
            normal_width,
            index,
            data,
            shaper,
            source,
        })
    }

    /// Returns true if and only if the face has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// Units per em of the face.
    pub fn units_per_em(&self) -> f32 {
        self.shaper.units_per_em() as f32
    }

    /// Ascent and descent at `size` points (typographic metrics).
    pub fn vmetrics(&self, size: f32) -> VMetrics {
        let scale = size / self.units_per_em();
        VMetrics {
            ascent: f32::from(self.shaper.ascender()) * scale,
            descent: -f32::from(self.shaper.descender()) * scale,
        }
    }

    /// The glyph the face's character map gives `c`, if any.
    pub fn glyph(&self, c: char) -> Option<u16> {
        self.shaper.glyph_index(c).map(|g| g.0)
    }

    /// The advance width of glyph `gid` in font units (0 for a glyph the face lacks).
    pub fn advance(&self, gid: u16) -> u16 {
        self.shaper.glyph_hor_advance(rustybuzz::ttf_parser::GlyphId(gid)).unwrap_or(0)
    }

    /// What a PDF font descriptor says of the face, in font units.
    pub fn descriptor_metrics(&self) -> DescriptorMetrics {
        let hhea = self.shaper.tables().hhea;
        let b = self.shaper.global_bounding_box();
        DescriptorMetrics {
            ascender: hhea.ascender,
            descender: hhea.descender,
            cap_height: self.shaper.capital_height(),
            italic_angle: self.shaper.italic_angle(),
            bbox: [b.x_min, b.y_min, b.x_max, b.y_max],
        }
    }

    /// The style label used in listings ("Regular", "Bold Italic", …).
    pub fn style_name(&self) -> &'static str {
        match (self.bold, self.italic) {
            (false, false) => "Regular",
            (true, false) => "Bold",
            (false, true) => "Italic",
            (true, true) => "Bold Italic",
        }
    }
}
