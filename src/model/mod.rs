//! Model: the handout and contact-profile formats of SPEC §2–3 as typed values.
//!
//! `load` turns file bytes into a [`Handout`] or [`Contact`], checking everything that can
//! be checked without fonts or placeholder values: YAML syntax, unknown keys (with
//! did-you-mean hints), wrong types, empty required values, language tags, dates. Every
//! string keeps the [`Span`] it came from, so later stages can point at `file:line:col`.
//!
//! This module knows nothing of fonts, pages or PDF. It is the only place that uses
//! `serde_yaml` (unmaintained; a replacement would go here).

mod build;
mod contact;
mod image;
mod load;
mod positions;
mod raw;
pub mod schema;
mod table;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diag::Span;

pub use contact::override_errors;
pub use load::{
    load_contact, load_handout, parse_contact, parse_file_name, parse_handout, valid_lang, MAX_INPUT_BYTES,
};

/// A string from a YAML file, with where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    /// The string as YAML decoded it.
    pub value: String,
    /// Where the scalar starts in the file.
    pub span: Span,
    /// True if and only if byte offsets into `value` map one-to-one onto columns of the
    /// source line (a single-line plain or quoted scalar without escapes); then
    /// [`Text::span_at`] can point at the exact character.
    pub exact: bool,
}

impl Text {
    /// A text that did not come from a file (command-line values, built-in labels).
    pub fn synthetic(value: impl Into<String>, span: Span) -> Self {
        Text { value: value.into(), span, exact: false }
    }

    /// The place of the character at byte offset `offset` of `value`: exact when the
    /// scalar maps one-to-one onto its source line, else the start of the scalar.
    pub fn span_at(&self, offset: usize) -> Span {
        if !self.exact {
            return self.span.clone();
        }
        let chars = self.value.get(..offset).map_or(0, |s| s.chars().count());
        Span { col: self.span.col + chars, len: 0, ..self.span.clone() }
    }

    /// The place of the `len` characters from byte offset `offset` of `value`, for
    /// carets under exactly them; the whole scalar when offsets are not columns.
    pub fn span_of(&self, offset: usize, len: usize) -> Span {
        if self.exact {
            self.span_at(offset).with_len(len)
        } else {
            self.span.clone()
        }
    }
}

/// A calendar date (the `reviewed` key), validated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Four-digit year.
    pub year: u16,
    /// Month, 1–12.
    pub month: u8,
    /// Day of the month, 1–31 (checked against the month).
    pub day: u8,
}

impl Date {
    /// The number of days in `month` of `year` (Gregorian), `None` for a month that is
    /// not 1–12. Shared by the `reviewed` key and `{{column|date}}` values.
    pub fn days_in_month(year: u16, month: u8) -> Option<u8> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
            4 | 6 | 9 | 11 => Some(30),
            2 if leap => Some(29),
            2 => Some(28),
            _ => None,
        }
    }
}

/// One handout file: a complete document in one language.
#[derive(Clone, Debug, PartialEq)]
pub struct Handout {
    /// The handout id: the file name up to the first dot (`lumbar-puncture`).
    pub id: String,
    /// The file it was read from.
    pub path: PathBuf,
    /// BCP 47 language tag: the `lang` key, or the file-name tag, or `en`.
    pub lang: String,
    /// Document title (level-1 heading, PDF Title).
    pub title: Text,
    /// Optional line under the title.
    pub subtitle: Option<Text>,
    /// Optional one-sentence summary (PDF Subject).
    pub summary: Option<Text>,
    /// Optional keywords (PDF Keywords).
    pub keywords: Vec<Text>,
    /// Optional date the content was last reviewed, printed under the title.
    pub reviewed: Option<(Date, Span)>,
    /// The content, in reading order; never empty.
    pub body: Vec<Block>,
}

/// One block of the body.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A section heading (level 2).
    Heading(Text),
    /// A smaller heading (level 3).
    Subheading(Text),
    /// A paragraph of inline text.
    Paragraph(Text),
    /// A bulleted or numbered list.
    List(List),
    /// A boxed notice.
    Callout(Callout),
    /// Forces the next block onto a new page.
    PageBreak(Span),
    /// A QR code with its caption.
    Qr(Qr),
    /// A picture with its alternate text.
    Image(Image),
    /// A table with a header row.
    Table(Table),
}

/// A picture (`image:`): a PNG or JPEG file beside the handout, what it shows, and how
/// wide to print it. The file is read later (resolve), once per run.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// The path as written (relative, never leaving the handout's folder); its span is
    /// where file errors point.
    pub file: Text,
    /// The file: `file` joined to the handout's folder.
    pub path: PathBuf,
    /// Required alternate text: what the picture shows, for readers who cannot see it.
    pub alt: Text,
    /// An optional caption printed under the picture (inline markup allowed).
    pub caption: Option<Text>,
    /// Width as a percentage (1–100) of the text width; `None`: the natural size.
    pub width: Option<f32>,
    /// Where the block starts.
    pub span: Span,
}

/// A table (`table:`): a header row, rows of inline text, optional relative column
/// widths and a caption.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// Printed above the table and tagged as its Caption.
    pub caption: Option<Text>,
    /// The header row: one non-empty text per column.
    pub columns: Vec<Text>,
    /// Relative column widths, one positive number per column (`None`: equal widths).
    pub widths: Option<Vec<f32>>,
    /// The rows, each with exactly one cell per column (a cell may be empty).
    pub rows: Vec<Vec<Text>>,
    /// Where the block starts.
    pub span: Span,
}

/// A QR code (`qr:`): what it encodes and what it is for.
#[derive(Clone, Debug, PartialEq)]
pub struct Qr {
    /// The encoded text: a web address (then the code is also a live link) or any text.
    pub url: Text,
    /// Required: says what scanning it gives ("Scan to watch a video about your test").
    pub caption: Text,
    /// Where the block starts.
    pub span: Span,
}

/// Whether a list is bulleted or numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// Unordered (`bullets:`).
    Bullets,
    /// Ordered, numbered 1., 2., … (`steps:`).
    Steps,
}

/// A list of items.
#[derive(Clone, Debug, PartialEq)]
pub struct List {
    /// Bullets or steps.
    pub kind: ListKind,
    /// The items, at least one.
    pub items: Vec<ListItem>,
}

/// One list item, with at most one nested list (one level deep).
#[derive(Clone, Debug, PartialEq)]
pub struct ListItem {
    /// The item's inline text.
    pub text: Text,
    /// A nested list; its items never have lists of their own.
    pub nested: Option<List>,
}

/// How urgent a callout is; picks its colour and its tag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CalloutKind {
    /// General information (blue).
    #[default]
    Note,
    /// Take care (amber).
    Warning,
    /// Get help now (red).
    Urgent,
}

/// A boxed notice; never split across pages unless taller than a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Callout {
    /// Note, warning or urgent.
    pub kind: CalloutKind,
    /// Bold first line.
    pub title: Option<Text>,
    /// A paragraph.
    pub text: Option<Text>,
    /// A list (bullets or steps).
    pub list: Option<List>,
    /// Where the callout starts.
    pub span: Span,
}

/// The clinic's contact profile (`contact.yaml`).
#[derive(Clone, Debug, PartialEq)]
pub struct Contact {
    /// The file it was read from.
    pub path: PathBuf,
    /// Clinic name; required; PDF Author.
    pub organization: Text,
    /// Department, shown after the organization.
    pub department: Option<Text>,
    /// Main phone number.
    pub phone: Option<Text>,
    /// After-hours phone number.
    pub after_hours: Option<Text>,
    /// Email address.
    pub email: Option<Text>,
    /// Website (https://…).
    pub website: Option<Text>,
    /// Street address.
    pub address: Option<Text>,
    /// Opening hours.
    pub hours: Option<Text>,
    /// Logo file (PNG or JPEG), resolved against the profile's directory.
    pub logo: Option<(PathBuf, Span)>,
    /// Footer label overrides per language tag.
    pub labels: BTreeMap<String, LabelOverrides>,
    /// The profile's own fields in other languages, per language tag (`translations:`).
    pub translations: BTreeMap<String, ContactTranslation>,
}

/// Contact fields for one language (`translations: { es: { hours: Lun–Vie … } }`): the
/// ones given replace the profile's own (English) fields in that language's documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContactTranslation {
    /// Where the language's entry starts (its tag), for warnings.
    pub span: Span,
    /// Clinic name.
    pub organization: Option<Text>,
    /// Department.
    pub department: Option<Text>,
    /// Street address.
    pub address: Option<Text>,
    /// Opening hours.
    pub hours: Option<Text>,
}

impl ContactTranslation {
    /// The fields a profile can translate.
    pub const FIELDS: [&'static str; 4] = ["organization", "department", "address", "hours"];

    /// A translated field by its YAML name.
    pub fn field(&self, name: &str) -> Option<&Text> {
        match name {
            "organization" => self.organization.as_ref(),
            "department" => self.department.as_ref(),
            "address" => self.address.as_ref(),
            "hours" => self.hours.as_ref(),
            _ => None,
        }
    }
}

/// Footer label overrides for one language (`labels: { es: { phone: Teléfono } }`).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LabelOverrides {
    /// Label before the main phone number.
    pub phone: Option<String>,
    /// Label before the after-hours number.
    pub after_hours: Option<String>,
    /// Label before the email address.
    pub email: Option<String>,
    /// Label before the website.
    pub website: Option<String>,
    /// "Page" in "Page N of M".
    pub page: Option<String>,
    /// "of" in "Page N of M".
    pub of: Option<String>,
    /// The order of "Page N of M", with `{n}` and `{m}` (and optionally `{page}`, `{of}`).
    pub page_of: Option<String>,
    /// Before the review date ("Reviewed").
    pub reviewed: Option<String>,
    /// After a callout's title repeated on the next page ("(continued)").
    pub continued: Option<String>,
}

impl Contact {
    /// The contact fields that `{{contact.NAME}}` placeholders and `--set contact.NAME=`
    /// can name, with their values.
    pub const FIELDS: [&'static str; 8] =
        ["organization", "department", "phone", "after_hours", "email", "website", "address", "hours"];

    /// The value of a contact field by its YAML name, for `{{contact.NAME}}`.
    pub fn field(&self, name: &str) -> Option<&Text> {
        match name {
            "organization" => Some(&self.organization),
            "department" => self.department.as_ref(),
            "phone" => self.phone.as_ref(),
            "after_hours" => self.after_hours.as_ref(),
            "email" => self.email.as_ref(),
            "website" => self.website.as_ref(),
            "address" => self.address.as_ref(),
            "hours" => self.hours.as_ref(),
            _ => None,
        }
    }

    /// Sets a contact field by its YAML name (`--set contact.phone=…`); returns false if
    /// there is no such field.
    pub fn set_field(&mut self, name: &str, value: Text) -> bool {
        let slot = match name {
            "organization" => {
                self.organization = value;
                return true;
            }
            "department" => &mut self.department,
            "phone" => &mut self.phone,
            "after_hours" => &mut self.after_hours,
            "email" => &mut self.email,
            "website" => &mut self.website,
            "address" => &mut self.address,
            "hours" => &mut self.hours,
            _ => return false,
        };
        *slot = Some(value);
        true
    }
}
