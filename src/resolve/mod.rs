//! Resolve: a loaded handout + the contact profile + placeholder values → a
//! [`Document`] with every string filled in, the footer and metadata decided.
//!
//! After this stage nothing refers back to YAML except spans for diagnostics. Knows
//! nothing of fonts or pages.

pub mod labels;
pub mod picture;
pub mod placeholder;
pub mod png;

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics, Span};
use crate::model::{Block, Callout, CalloutKind, Contact, Handout, List, ListKind};

pub use picture::{Picture, Pictures};
pub use placeholder::{Filled, Values};

/// Document metadata, for the PDF Info dictionary and XMP.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Title (plain text, markup removed).
    pub title: String,
    /// Subject: the handout's summary.
    pub subject: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Author: the organization.
    pub author: String,
    /// BCP 47 language.
    pub lang: String,
}

/// A resolved block: like [`Block`], with filled strings.
#[derive(Clone, Debug, PartialEq)]
pub enum DocBlock {
    /// Level-2 heading.
    Heading(Filled),
    /// Level-3 heading.
    Subheading(Filled),
    /// Paragraph.
    Paragraph(Filled),
    /// A list.
    List(DocList),
    /// A callout box.
    Callout(DocCallout),
    /// A forced page break.
    PageBreak,
    /// A QR code.
    Qr(DocQr),
    /// A picture.
    Image(DocImage),
    /// A table.
    Table(DocTable),
}

/// A resolved picture.
#[derive(Clone, Debug, PartialEq)]
pub struct DocImage {
    /// Which of the document's [`Document::pictures`] it shows.
    pub picture: usize,
    /// The alternate text, placeholders filled (plain text, not markup), on one line.
    pub alt: String,
    /// The caption, inline markup allowed.
    pub caption: Option<Filled>,
    /// Width as a fraction (0.01–1) of the text width; `None`: the natural size.
    pub width: Option<f32>,
}

/// A resolved table; every row has one cell per column.
#[derive(Clone, Debug, PartialEq)]
pub struct DocTable {
    /// Printed above the table.
    pub caption: Option<Filled>,
    /// The header row.
    pub columns: Vec<Filled>,
    /// Relative column widths (`None`: equal).
    pub widths: Option<Vec<f32>>,
    /// The rows of cells (inline markup; a cell may be empty).
    pub rows: Vec<Vec<Filled>>,
}

/// A resolved QR code.
#[derive(Clone, Debug, PartialEq)]
pub struct DocQr {
    /// The text the code encodes, placeholders filled (plain text, not markup).
    pub url: Filled,
    /// The caption, inline markup allowed.
    pub caption: Filled,
}

impl DocQr {
    /// The encoded text, as it is scanned.
    pub fn text(&self) -> &str {
        self.url.value.trim()
    }

    /// The link target when the encoded text is a web, email or phone address (see
    /// [`crate::text::markup::is_safe_link`]).
    pub fn link(&self) -> Option<&str> {
        let t = self.text();
        crate::text::markup::is_safe_link(t).then_some(t)
    }
}

/// Schemes a QR code must not encode: a phone that scans it would offer to run a script
/// or open a local file. Other text (`WIFI:…`, `BEGIN:VCARD`, plain words) is encoded as
/// it is, without a link; web, email and phone addresses also get a live link.
const QR_REFUSED_SCHEMES: [&str; 4] = ["javascript", "vbscript", "data", "file"];

/// The error for a QR code whose text starts with one of [`QR_REFUSED_SCHEMES`].
fn qr_target_error(url: &Filled) -> Option<Diagnostic> {
    let t = url.value.trim();
    let (scheme, _) = t.split_once(':')?;
    if !QR_REFUSED_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme.trim())) {
        return None;
    }
    Some(unsafe_link(t).at(url.span_of(0, t.chars().count())))
}

/// A resolved list.
#[derive(Clone, Debug, PartialEq)]
pub struct DocList {
    /// Bullets or steps.
    pub kind: ListKind,
    /// Items, each with an optional nested list.
    pub items: Vec<(Filled, Option<DocList>)>,
}

/// A resolved callout.
#[derive(Clone, Debug, PartialEq)]
pub struct DocCallout {
    /// Note, warning or urgent.
    pub kind: CalloutKind,
    /// Bold first line.
    pub title: Option<Filled>,
    /// Paragraph.
    pub text: Option<Filled>,
    /// List.
    pub list: Option<DocList>,
}

/// One labelled, linked item of the footer ("Phone +1 555…" → `tel:+1555…`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FooterItem {
    /// Localized label, e.g. "Phone"; empty for none.
    pub label: String,
    /// The value as printed.
    pub value: String,
    /// Link target: `tel:`, `mailto:` or the website.
    pub link: Option<String>,
}

/// What every page's footer shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Footer {
    /// Organization, with the department after a separator when given.
    pub organization: String,
    /// Phones, email, website, in that order.
    pub items: Vec<FooterItem>,
    /// Address and hours, when given.
    pub details: Vec<String>,
    /// The labels, for "Page N of M" (its words and their order).
    pub labels: labels::Labels,
    /// Language, for the digits of "Page N of M".
    pub lang: String,
}

impl Footer {
    /// "Page N of M" in the footer's language.
    pub fn page_of(&self, n: usize, m: usize) -> String {
        labels::page_of(&self.labels, &self.lang, n, m)
    }
}

/// The logo for page 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Logo {
    /// The image file.
    pub path: PathBuf,
    /// What the PDF embeds, with its size in pixels: read and compressed like the
    /// pictures of `image:` blocks.
    pub image: std::sync::Arc<picture::Picture>,
}

/// A handout ready for layout.
#[derive(Clone, Debug, PartialEq)]
pub struct Document {
    /// Handout id (file name stem).
    pub id: String,
    /// BCP 47 language.
    pub lang: String,
    /// Metadata.
    pub meta: Meta,
    /// Title.
    pub title: Filled,
    /// Subtitle.
    pub subtitle: Option<Filled>,
    /// "Reviewed October 1, 2026", localized.
    pub reviewed: Option<String>,
    /// Body blocks in reading order.
    pub blocks: Vec<DocBlock>,
    /// Footer content.
    pub footer: Footer,
    /// Logo for page 1.
    pub logo: Option<Logo>,
    /// The pictures the `image:` blocks show, each file once (a file shown twice is
    /// embedded once).
    pub pictures: Vec<std::sync::Arc<Picture>>,
}

/// Plain text of a filled string: the markup removed, as a PDF viewer shows a title
/// (a hard line break is a space there).
fn plain(f: &Filled) -> String {
    crate::text::markup::plain_text(&crate::text::parse_inline(&f.value)).replace('\n', " ")
}

/// The `tel:` target for a printed phone number (see [`crate::text::phone`]): E.164,
/// with `;ext=` for an extension.
pub fn tel_link(number: &str) -> Option<String> {
    crate::text::phone::tel_link(number)
}

/// Largest logo file read: a print logo is tens of KB.
pub const MAX_LOGO_BYTES: u64 = 10 << 20;
/// Most pixels a logo may have (checked from its header before decoding): 16
/// megapixels is a 4000×4000 image, far more than 40 pt of print needs, and decodes to
/// at most 64 MB.
pub const MAX_LOGO_PIXELS: u64 = 16_000_000;

/// Loads and checks the logo file: a regular file, at most [`MAX_LOGO_BYTES`], a PNG or
/// JPEG of at most [`MAX_LOGO_PIXELS`] that decodes (or, for a PNG the PDF embeds as it
/// is, whose chunks and rows check out: see [`png`]). It is read once per run, like a
/// picture ([`picture::read_logo`]): a JPEG is kept as it is, a PNG as its rows or
/// compressed samples with its transparency as a soft mask.
pub fn load_logo(path: &std::path::Path, span: &Span) -> Result<Logo, Diagnostic> {
    let refuse = |why: String| {
        Diagnostic::error(format!("logo `{}` {why}", path.display()))
            .at(span.clone())
            .hint("use a PNG or JPEG file of a few hundred pixels, or remove `logo:`")
    };
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return Err(refuse("is not a regular file".into())),
        Err(e) => {
            return Err(Diagnostic::error(format!("cannot read logo `{}`: {e}", path.display()))
                .at(span.clone())
                .hint("fix the path (it is relative to the contact profile) or remove `logo:`"))
        }
        Ok(_) => {}
    }
    let image = picture::read_logo(path).map_err(|u| {
        if u.too_large {
            refuse(u.what)
        } else {
            Diagnostic::error(format!("logo `{}` {}", path.display(), u.what))
                .at(span.clone())
                .hint("export the logo again as PNG or JPEG, or remove `logo:`")
        }
    })?;
    Ok(Logo { path: path.to_path_buf(), image: std::sync::Arc::new(image) })
}

/// Builds the footer from the contact profile and the labels for `lang` (built in, with
/// the profile's `labels:` for the language applied). `contact` is already localized
/// (see [`labels::localized_contact`]).
pub fn footer(contact: &Contact, lang: &str) -> Footer {
    let l = labels::furniture(lang, labels::pick(&contact.labels, lang)).labels;
    let mut organization = contact.organization.value.clone();
    if let Some(d) = &contact.department {
        organization.push_str(" · ");
        organization.push_str(&d.value);
    }
    let mut items = Vec::new();
    if let Some(p) = &contact.phone {
        items.push(FooterItem { label: l.phone.clone(), value: p.value.clone(), link: tel_link(&p.value) });
    }
    if let Some(p) = &contact.after_hours {
        items.push(FooterItem {
            label: l.after_hours.clone(),
            value: p.value.clone(),
            link: tel_link(&p.value),
        });
    }
    if let Some(e) = &contact.email {
        items.push(FooterItem {
            label: String::new(),
            value: e.value.clone(),
            link: Some(format!("mailto:{}", e.value)),
        });
    }
    if let Some(w) = &contact.website {
        let shown =
            w.value.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
        items.push(FooterItem {
            label: String::new(),
            value: shown.to_string(),
            link: Some(w.value.clone()),
        });
    }
    let details = [&contact.address, &contact.hours].into_iter().flatten().map(|t| t.value.clone()).collect();
    Footer { organization, items, details, labels: l, lang: lang.to_string() }
}

/// The error for a link that must not become live (see `text::markup::is_safe_link`).
fn unsafe_link(target: &str) -> Diagnostic {
    let max = crate::text::markup::MAX_LINK_TARGET;
    if target.len() > max {
        return Diagnostic::error(format!("a link target of {} bytes (at most {max})", target.len()))
            .hint("shorten the address, or remove the link and keep its text");
    }
    let d = if target.trim().is_empty() {
        Diagnostic::error("the link has no target")
    } else {
        Diagnostic::error(format!("`{target}` is not a web, email or phone link"))
    };
    d.hint("links must start with https://, http://, mailto: or tel:; write the full address, or remove the link and keep its text")
}

/// Resolves a handout for one set of placeholder values. Collects every error.
pub fn resolve(
    handout: &Handout,
    contact: &Contact,
    values: &Values,
    logo: Option<&Logo>,
) -> Result<Document, Diagnostics> {
    resolve_with(handout, contact, values, logo, &Pictures::default())
}

/// [`resolve`], taking pictures from the run's `pictures` (each file is read and decoded
/// once per run, whatever the number of documents that show it).
pub fn resolve_with(
    handout: &Handout,
    contact: &Contact,
    values: &Values,
    logo: Option<&Logo>,
    pictures: &Pictures,
) -> Result<Document, Diagnostics> {
    let contact = &*labels::localized_contact(contact, &handout.lang);
    let mut errors = Diagnostics::new();
    // Errors of texts that are not markup (a QR code's), added after the loop.
    let mut plain_errors = Diagnostics::new();
    let mut f = |t: &crate::model::Text| {
        let before = errors.len();
        let filled = placeholder::fill(t, values, contact, &handout.lang, &mut errors);
        // Braces the placeholder search cannot see (escaped, entities, split by a style)
        // would still print `{{`; a text whose braces were already reported is skipped.
        if errors.len() == before && filled.value.contains(['{', '}']) {
            if let Some(at) = crate::text::markup::shown_double_brace(&filled.value) {
                errors.push(
                    Diagnostic::error("this text would print `{{` or `}}`")
                        .at(filled.span_at(at))
                        .hint("a handout never shows double braces; write a single one, or a space between them (`{ {`)"),
                );
            }
        }
        for (at, target) in crate::text::markup::unsafe_links(&filled.value) {
            // Finding the column counts the characters before it: past the errors a
            // document shows, the string's start will do (58,000 refused links in one
            // paragraph stay linear). Below that, the carets cover the link's source:
            // `[text](target)` or `<target>`.
            if errors.len() >= crate::diag::MAX_DIAGNOSTICS {
                errors.push(unsafe_link(&target).at(filled.span_at(0)));
                continue;
            }
            let rest = &filled.value[at..];
            let len = rest
                .find(target.as_str())
                .map(|i| i + target.len())
                .map_or(0, |end| rest.get(..end + 1).or(rest.get(..end)).map_or(0, |s| s.chars().count()));
            errors.push(unsafe_link(&target).at(filled.span_of(at, len)));
        }
        filled
    };
    let title = f(&handout.title);
    let subtitle = handout.subtitle.as_ref().map(&mut f);
    let subject = handout.summary.as_ref().map(&mut f);
    let keywords: Vec<Filled> = handout.keywords.iter().map(&mut f).collect();
    let mut blocks = Vec::with_capacity(handout.body.len());
    let mut shown: Vec<std::sync::Arc<Picture>> = Vec::new();
    for b in &handout.body {
        blocks.push(match b {
            Block::Heading(t) => DocBlock::Heading(f(t)),
            Block::Subheading(t) => DocBlock::Subheading(f(t)),
            Block::Paragraph(t) => DocBlock::Paragraph(f(t)),
            Block::List(l) => DocBlock::List(list(l, &mut f)),
            Block::Callout(Callout { kind, title, text, list: l, .. }) => DocBlock::Callout(DocCallout {
                kind: *kind,
                title: title.as_ref().map(&mut f),
                text: text.as_ref().map(&mut f),
                list: l.as_ref().map(|l| list(l, &mut f)),
            }),
            Block::PageBreak(_) => DocBlock::PageBreak,
            Block::Qr(q) => {
                let url = placeholder::fill_plain(&q.url, values, contact, &handout.lang, &mut plain_errors);
                if let Some(e) = qr_target_error(&url) {
                    plain_errors.push(e);
                }
                DocBlock::Qr(DocQr { url, caption: f(&q.caption) })
            }
            Block::Image(img) => {
                let before = plain_errors.len();
                let alt =
                    placeholder::fill_plain(&img.alt, values, contact, &handout.lang, &mut plain_errors);
                let caption = img.caption.as_ref().map(&mut f);
                let picture = match pictures.load(&img.path, img.file.value.trim(), &img.file.span) {
                    Ok(p) => match shown.iter().position(|s| s.path == p.path) {
                        Some(i) => i,
                        None => {
                            shown.push(p);
                            shown.len() - 1
                        }
                    },
                    Err(d) => {
                        plain_errors.push(d);
                        0
                    }
                };
                let alt_span = alt.span_at(0);
                let alt = alt.value.split_whitespace().collect::<Vec<_>>().join(" ");
                if alt.is_empty() && plain_errors.len() == before {
                    plain_errors.push(
                        Diagnostic::error(
                            "the picture's `alt` text is empty once its placeholders are filled",
                        )
                        .at(alt_span)
                        .hint("give the placeholder a value, or write the alternate text around it"),
                    );
                }
                DocBlock::Image(DocImage { picture, alt, caption, width: img.width.map(|w| w / 100.0) })
            }
            Block::Table(t) => DocBlock::Table(DocTable {
                caption: t.caption.as_ref().map(&mut f),
                columns: t.columns.iter().map(&mut f).collect(),
                widths: t.widths.clone(),
                rows: t.rows.iter().map(|r| r.iter().map(&mut f).collect()).collect(),
            }),
        });
    }
    errors.append(&mut plain_errors);
    if !errors.is_empty() {
        return Err(crate::diag::cap(errors));
    }
    let l = labels::furniture(&handout.lang, labels::pick(&contact.labels, &handout.lang)).labels;
    let reviewed = handout
        .reviewed
        .as_ref()
        .map(|(d, _)| labels::reviewed_line(&l, &handout.lang, d.year, d.month, d.day).0);
    let meta = Meta {
        title: plain(&title),
        subject: subject.as_ref().map(plain),
        keywords: keywords.iter().map(plain).collect(),
        author: contact.organization.value.clone(),
        lang: handout.lang.clone(),
    };
    Ok(Document {
        id: handout.id.clone(),
        lang: handout.lang.clone(),
        meta,
        title,
        subtitle,
        reviewed,
        blocks,
        footer: footer(contact, &handout.lang),
        logo: logo.cloned(),
        pictures: shown,
    })
}

/// Every placeholder name the handout's texts use (for "unused --set key" warnings).
pub fn placeholder_names(handout: &Handout) -> std::collections::BTreeSet<String> {
    let mut texts: Vec<&crate::model::Text> = vec![&handout.title];
    texts.extend(handout.subtitle.iter().chain(handout.summary.iter()).chain(handout.keywords.iter()));
    fn list_texts<'a>(l: &'a List, out: &mut Vec<&'a crate::model::Text>) {
        for i in &l.items {
            out.push(&i.text);
            if let Some(n) = &i.nested {
                list_texts(n, out);
            }
        }
    }
    for b in &handout.body {
        match b {
            Block::Heading(t) | Block::Subheading(t) | Block::Paragraph(t) => texts.push(t),
            Block::List(l) => list_texts(l, &mut texts),
            Block::Callout(Callout { title, text, list: l, .. }) => {
                texts.extend(title.iter().chain(text.iter()));
                if let Some(l) = l {
                    list_texts(l, &mut texts);
                }
            }
            Block::Qr(q) => texts.extend([&q.url, &q.caption]),
            Block::Image(img) => texts.extend(std::iter::once(&img.alt).chain(img.caption.iter())),
            Block::Table(t) => {
                texts.extend(t.caption.iter().chain(t.columns.iter()).chain(t.rows.iter().flatten()))
            }
            Block::PageBreak(_) => {}
        }
    }
    texts.iter().flat_map(|t| placeholder::names_in(&t.value)).collect()
}

fn list(l: &List, f: &mut impl FnMut(&crate::model::Text) -> Filled) -> DocList {
    DocList {
        kind: l.kind,
        items: l.items.iter().map(|i| (f(&i.text), i.nested.as_ref().map(|n| list(n, &mut *f)))).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tel_links_keep_digits_and_plus() {
        assert_eq!(tel_link("+1 (555) 010-0199").as_deref(), Some("tel:+15550100199"));
        assert_eq!(tel_link("+1 (555) 010-0199 ext. 4455").as_deref(), Some("tel:+15550100199;ext=4455"));
        assert_eq!(tel_link("call us"), None);
    }
}
