//! Inline markup: CommonMark inline syntax (strong, emphasis, links, autolinks,
//! backslash escapes) through pulldown-cmark.
//!
//! Handout strings are single paragraphs, so block-level syntax (`# `, `- `, `1. `, `> `,
//! fences, indented code, thematic breaks) is escaped before parsing and comes out as the
//! literal text the author typed. Inline constructs other than the four we support
//! (code spans, images, raw HTML) are shown as their literal source text too (SPEC §2).

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

/// Bold/italic flags of a span of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash, PartialOrd, Ord)]
pub struct InlineStyle {
    /// `**strong**`.
    pub bold: bool,
    /// `*emphasis*`.
    pub italic: bool,
}

/// A span of text in one style, maybe part of a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inline {
    /// The text as the reader sees it (markup removed, escapes applied).
    pub text: String,
    /// Bold/italic.
    pub style: InlineStyle,
    /// Link target (`https:`, `mailto:`, `tel:` …).
    pub link: Option<String>,
    /// Byte offset in the source string where this span's text starts (approximate
    /// inside escapes), for pointing diagnostics at a character.
    pub source_offset: usize,
}

/// Escapes line-initial block syntax so the parser sees one paragraph. Returns the
/// escaped text and, for each inserted byte, the escaped-text offset it was inserted at
/// (to map offsets back to the source).
fn escape_blocks(src: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(src.len() + 8);
    let mut inserted = Vec::new();
    for (i, line) in src.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start_matches([' ', '\t']);
        // Leading blanks would make indented code; they carry no meaning in a paragraph.
        for _ in 0..(line.len() - trimmed.len()) {
            inserted.push(usize::MAX); // marks a removed byte, see `source_offset`
        }
        let needs_escape = {
            let b = trimmed.as_bytes();
            let first = b.first().copied();
            let second = b.get(1).copied();
            let blank_after = |c: Option<u8>| c.is_none() || matches!(c, Some(b' ' | b'\t'));
            match first {
                Some(b'#' | b'>' | b'=' | b'`' | b'~' | b'|') => true,
                Some(b'-' | b'+') => {
                    blank_after(second) || trimmed.trim_end().chars().all(|c| c == '-' || c == ' ')
                }
                Some(b'*') => blank_after(second) || trimmed.trim_end().chars().all(|c| c == '*' || c == ' '),
                Some(b'_') => trimmed.trim_end().chars().all(|c| c == '_' || c == ' '),
                Some(c) if c.is_ascii_digit() => {
                    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
                    matches!(b.get(digits), Some(b'.' | b')')) && blank_after(b.get(digits + 1).copied())
                }
                _ => false,
            }
        };
        if needs_escape {
            let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
            // Escape the marker itself: for "1." that is the dot, else the first char.
            let at = if digits > 0 { digits } else { 0 };
            out.push_str(&trimmed[..at]);
            inserted.push(out.len());
            out.push('\\');
            out.push_str(&trimmed[at..]);
        } else {
            out.push_str(trimmed);
        }
    }
    (out, inserted)
}

/// Link schemes that become live links. Anything else (`javascript:`, `file:`, `data:`,
/// a relative path) could run code or open a local file from a patient's PDF reader.
pub const SAFE_SCHEMES: [&str; 4] = ["https", "http", "mailto", "tel"];

/// Longest link target, in bytes: longer addresses break in browsers anyway.
pub const MAX_LINK_TARGET: usize = 2048;

/// Returns true if and only if `target` starts with one of [`SAFE_SCHEMES`], has
/// something after the scheme and is at most [`MAX_LINK_TARGET`] bytes long.
pub fn is_safe_link(target: &str) -> bool {
    // Each line of a link repeats its target in the PDF: an address of a megabyte would
    // be written a few hundred times.
    if target.len() > MAX_LINK_TARGET {
        return false;
    }
    let Some((scheme, rest)) = target.split_once(':') else { return false };
    SAFE_SCHEMES.iter().any(|s| s.eq_ignore_ascii_case(scheme))
        && !rest.trim_start_matches('/').trim().is_empty()
}

/// Parses one handout string into styled spans. Never fails: text that is not valid
/// markup is shown literally, as CommonMark says. A link whose target is not
/// [safe](is_safe_link) keeps its text but is not a link; [`unsafe_links`] reports it.
pub fn parse_inline(src: &str) -> Vec<Inline> {
    parse(src).0
}

/// The links of `src` whose targets are not [safe](is_safe_link): (byte offset of the
/// link in `src`, target). Resolve turns each into an error at its place.
pub fn unsafe_links(src: &str) -> Vec<(usize, String)> {
    if !src.contains(['[', '<']) {
        return Vec::new();
    }
    parse(src).1
}

fn parse(src: &str) -> (Vec<Inline>, Vec<(usize, String)>) {
    let mut refused = Vec::new();
    let (escaped, inserted) = escape_blocks(src);
    // Counted once and searched by bisection: a string of many lines that start with
    // `- ` or blanks has many of each, and an event per line (counting per event made a
    // 1 MB string of such lines take minutes).
    let removed = inserted.iter().filter(|&&p| p == usize::MAX).count();
    let escapes: Vec<usize> = inserted.into_iter().filter(|&p| p != usize::MAX).collect();
    let to_source = |offset: usize| {
        // `escapes` is in increasing order: the escapes were pushed as the text grew.
        let shift = escapes.partition_point(|&p| p < offset);
        // Removed leading blanks are rare; spread them as if all were before `offset`.
        (offset + removed).saturating_sub(shift).min(src.len())
    };
    let mut out: Vec<Inline> = Vec::new();
    let mut style = InlineStyle::default();
    let mut depth_strong = 0u32;
    let mut depth_em = 0u32;
    let mut link: Option<String> = None;
    // An autolink `<tel:…>` or `<mailto:…>` shows the number or address, not the scheme.
    let mut hide_scheme: Option<&'static str> = None;
    let mut skip_until_image_end = 0u32;
    let mut paragraphs = 0;
    let push = |out: &mut Vec<Inline>, text: &str, style: InlineStyle, link: &Option<String>, at: usize| {
        if text.is_empty() {
            return;
        }
        // Tabs and line/paragraph separators mean nothing in ragged prose: a space.
        let normalized;
        let text = if text.contains(['\t', '\u{2028}', '\u{2029}']) {
            normalized = text.replace(['\t', '\u{2028}', '\u{2029}'], " ");
            normalized.as_str()
        } else {
            text
        };
        if let Some(last) = out.last_mut() {
            if last.style == style && &last.link == link {
                last.text.push_str(text);
                return;
            }
        }
        out.push(Inline { text: text.to_string(), style, link: link.clone(), source_offset: at });
    };
    for (event, range) in Parser::new(&escaped).into_offset_iter() {
        if skip_until_image_end > 0 {
            match event {
                Event::Start(Tag::Image { .. }) => skip_until_image_end += 1,
                Event::End(TagEnd::Image) => skip_until_image_end -= 1,
                _ => {}
            }
            continue;
        }
        let at = to_source(range.start);
        match event {
            Event::Start(Tag::Paragraph) => {
                paragraphs += 1;
                if paragraphs > 1 {
                    push(&mut out, " ", style, &link, at);
                }
            }
            Event::Start(Tag::Strong) => {
                depth_strong += 1;
                style.bold = true;
            }
            Event::End(TagEnd::Strong) => {
                depth_strong -= 1;
                style.bold = depth_strong > 0;
            }
            Event::Start(Tag::Emphasis) => {
                depth_em += 1;
                style.italic = true;
            }
            Event::End(TagEnd::Emphasis) => {
                depth_em -= 1;
                style.italic = depth_em > 0;
            }
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                let dest = dest_url.to_string();
                let dest = match link_type {
                    LinkType::Email if !dest.starts_with("mailto:") => format!("mailto:{dest}"),
                    _ => dest,
                };
                if link_type == LinkType::Autolink {
                    hide_scheme = ["tel:", "mailto:"]
                        .into_iter()
                        .find(|s| dest.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)));
                }
                // A phone link dials what a person reads: E.164 and `;ext=` (see `phone`).
                let dest = if dest.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("tel:")) {
                    super::phone::normalize_tel(&format!("tel:{}", &dest[4..]))
                } else {
                    dest
                };
                if is_safe_link(&dest) {
                    link = Some(dest);
                } else {
                    refused.push((at, dest));
                }
            }
            Event::End(TagEnd::Link) => {
                link = None;
                hide_scheme = None;
            }
            Event::Start(Tag::Image { .. }) => {
                skip_until_image_end = 1;
                push(&mut out, &escaped[range.clone()], style, &link, at);
            }
            Event::Text(t) => match hide_scheme.take() {
                Some(scheme) if t.len() > scheme.len() && t.is_char_boundary(scheme.len()) => {
                    let shown = t[scheme.len()..].replace(";ext=", " ext. ");
                    push(&mut out, &shown, style, &link, at + scheme.len())
                }
                _ => push(&mut out, &t, style, &link, at),
            },
            Event::Code(_)
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => {
                push(&mut out, &escaped[range.clone()], style, &link, at);
            }
            Event::SoftBreak => push(&mut out, " ", style, &link, at),
            // A hard line break (`\` or two spaces at a line's end): the line ends here.
            Event::HardBreak => push(&mut out, "\n", style, &link, at),
            _ => {}
        }
    }
    // A trailing space from a soft break at the very end carries no meaning.
    if let Some(last) = out.last_mut() {
        let t = last.text.trim_end().len();
        last.text.truncate(t);
        if last.text.is_empty() {
            out.pop();
        }
    }
    (out, refused)
}

/// The byte offset in `src` (approximate inside escapes) of the first `{{` or `}}` that
/// the reader would see once markup is applied: an escaped brace (`\{\{`), an entity
/// (`&#123;`) or a style change (`{**{**`) can make one that no placeholder search finds.
pub fn shown_double_brace(src: &str) -> Option<usize> {
    let mut prev = None;
    for span in parse_inline(src) {
        for (i, c) in span.text.char_indices() {
            if matches!(c, '{' | '}') && prev == Some(c) {
                return Some(
                    if i == 0 { span.source_offset } else { span.source_offset + i - 1 }.min(src.len()),
                );
            }
            prev = Some(c);
        }
    }
    None
}

/// The plain text of spans, as a reader would copy it.
pub fn plain_text(spans: &[Inline]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_safe_schemes_become_links() {
        for bad in [
            "[x](javascript:alert(1))",
            "<file:///etc/passwd>",
            "[x](data:text/html,hi)",
            "[x]()",
            "[x](page.html)",
            "[x](https://)",
        ] {
            let spans = parse_inline(bad);
            assert!(spans.iter().all(|s| s.link.is_none()), "{bad}: {spans:?}");
            assert_eq!(unsafe_links(bad).len(), 1, "{bad}");
            assert_eq!(unsafe_links(bad)[0].0, 0, "{bad}");
        }
        for good in [
            "[x](https://a.example)",
            "<http://a.example>",
            "[x](mailto:a@b.example)",
            "[x](tel:+15550100)",
            "<a@b.example>",
        ] {
            assert!(parse_inline(good)[0].link.is_some(), "{good}");
            assert!(unsafe_links(good).is_empty(), "{good}");
        }
        assert_eq!(
            unsafe_links("See [x](ftp://a) and [y](ftp://b)."),
            vec![(4, "ftp://a".to_string()), (21, "ftp://b".to_string())]
        );
    }

    use super::*;

    fn styled(src: &str) -> Vec<(String, bool, bool, Option<String>)> {
        parse_inline(src).into_iter().map(|i| (i.text, i.style.bold, i.style.italic, i.link)).collect()
    }

    #[test]
    fn strong_emphasis_and_links() {
        let s = styled("**Fluid leak:** the *hole* may [close](https://x.example) <https://a.example>");
        assert_eq!(s[0], ("Fluid leak:".into(), true, false, None));
        assert_eq!(s[1].0, " the ");
        assert_eq!(s[2], ("hole".into(), false, true, None));
        assert_eq!(s[4], ("close".into(), false, false, Some("https://x.example".into())));
        assert_eq!(s[6], ("https://a.example".into(), false, false, Some("https://a.example".into())));
    }

    #[test]
    fn block_syntax_is_literal() {
        for src in [
            "# Not a heading",
            "- not a list",
            "1. not a list",
            "> not a quote",
            "---",
            "* star",
            "    indented",
        ] {
            let text = plain_text(&parse_inline(src));
            assert_eq!(text, src.trim_start(), "{src:?}");
        }
    }

    #[test]
    fn other_inline_constructs_are_literal() {
        assert_eq!(plain_text(&parse_inline("use `code` here")), "use `code` here");
        assert_eq!(plain_text(&parse_inline("an ![image](x.png) here")), "an ![image](x.png) here");
        assert_eq!(plain_text(&parse_inline("a <b>tag</b>")), "a <b>tag</b>");
        assert_eq!(plain_text(&parse_inline(r"\*not emphasis\*")), "*not emphasis*");
    }

    #[test]
    fn mailto_and_tel_links() {
        let s = parse_inline("[email](mailto:a@b.example) or [call](tel:+15550100) or <a@b.example>");
        assert_eq!(s[0].link.as_deref(), Some("mailto:a@b.example"));
        assert_eq!(s[2].link.as_deref(), Some("tel:+15550100"));
        assert_eq!(s[4].link.as_deref(), Some("mailto:a@b.example"));
    }

    #[test]
    fn phone_autolinks_show_the_number_and_dial_it() {
        let s = parse_inline("Call <tel:+1-555-010-0199;ext=12> or <mailto:a@b.example>.");
        assert_eq!(s[1].text, "+1-555-010-0199 ext. 12");
        assert_eq!(s[1].link.as_deref(), Some("tel:+15550100199;ext=12"));
        assert_eq!(s[3].text, "a@b.example");
        assert_eq!(plain_text(&s), "Call +1-555-010-0199 ext. 12 or a@b.example.");
        let s = parse_inline("[our desk](tel:+1%20555%20010%200199)");
        assert_eq!(s[0].link.as_deref(), Some("tel:+15550100199"));
    }

    #[test]
    fn hard_line_breaks_end_the_line() {
        assert_eq!(plain_text(&parse_inline("First line.\\\nSecond line.")), "First line.\nSecond line.");
        assert_eq!(plain_text(&parse_inline("One  \nTwo")), "One\nTwo");
        // A soft line break (a folded YAML line) is a space.
        assert_eq!(plain_text(&parse_inline("One\nTwo")), "One Two");
    }

    #[test]
    fn tabs_and_separators_become_spaces() {
        assert_eq!(plain_text(&parse_inline("a\tb\u{2028}c")), "a b c");
    }

    #[test]
    fn double_braces_made_by_markup_are_found() {
        for src in [r"a \{\{x\}\} b", "{&#123;", "{**{**", "&lbrace;&lbrace;", r"x \}\}"] {
            assert!(shown_double_brace(src).is_some(), "{src}");
        }
        for src in ["{ {", "a {b} c", r"\{ x \}", "{*x*}"] {
            assert_eq!(shown_double_brace(src), None, "{src}");
        }
    }

    #[test]
    fn unmatched_markers_are_literal() {
        assert_eq!(plain_text(&parse_inline("2 ** 3 and *open")), "2 ** 3 and *open");
    }
}
