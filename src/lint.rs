//! `check` warnings: reading level, long paragraphs, variants whose structure differs
//! from their base, furniture that falls back to English. Warnings never stop a build.

use std::path::PathBuf;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Block, Contact, ContactTranslation, Handout, List};
use crate::resolve::labels;

/// Longest paragraph, in words, before a warning.
pub const MAX_PARAGRAPH_WORDS: usize = 120;

/// Counts syllables in an English or Spanish word: groups of vowels, with a silent
/// final `e` dropped for English. Good enough for a readability estimate.
fn syllables(word: &str, spanish: bool) -> usize {
    let w: Vec<char> = word.to_lowercase().chars().filter(|c| c.is_alphabetic()).collect();
    if w.is_empty() {
        return 0;
    }
    let vowel = |c: char| "aeiouyáéíóúü".contains(c);
    let mut count = 0;
    let mut prev = false;
    for &c in &w {
        let v = vowel(c);
        if v && !prev {
            count += 1;
        }
        prev = v;
    }
    if !spanish && w.len() > 2 && w[w.len() - 1] == 'e' && !vowel(w[w.len() - 2]) && w[w.len() - 2] != 'l' {
        count -= 1;
    }
    count.max(1)
}

/// The plain text of every paragraph-like string of a handout, in order.
fn texts(h: &Handout) -> Vec<(String, crate::diag::Span, bool)> {
    fn list(l: &List, out: &mut Vec<(String, crate::diag::Span, bool)>) {
        for i in &l.items {
            out.push((plain(&i.text.value), i.text.span.clone(), false));
            if let Some(n) = &i.nested {
                list(n, out);
            }
        }
    }
    let mut out = Vec::new();
    for b in &h.body {
        match b {
            Block::Paragraph(t) => out.push((plain(&t.value), t.span.clone(), true)),
            Block::Heading(t) | Block::Subheading(t) => out.push((plain(&t.value), t.span.clone(), false)),
            Block::List(l) => list(l, &mut out),
            Block::Callout(c) => {
                for t in [&c.title, &c.text].into_iter().flatten() {
                    out.push((plain(&t.value), t.span.clone(), true));
                }
                if let Some(l) = &c.list {
                    list(l, &mut out);
                }
            }
            Block::Qr(q) => out.push((plain(&q.caption.value), q.caption.span.clone(), false)),
            Block::Image(img) => {
                // Alternate text is read aloud: it counts for the reading level too.
                out.push((img.alt.value.clone(), img.alt.span.clone(), false));
                if let Some(c) = &img.caption {
                    out.push((plain(&c.value), c.span.clone(), false));
                }
            }
            // Cells are fragments ("500 mg"), not sentences: counted as sentences they
            // would make any handout with a table read as easier than it is.
            Block::Table(t) => {
                if let Some(c) = &t.caption {
                    out.push((plain(&c.value), c.span.clone(), false));
                }
            }
            Block::PageBreak(_) => {}
        }
    }
    out
}

/// Every text of the handout as written (markup and placeholders included).
fn raw_texts(h: &Handout) -> Vec<&crate::model::Text> {
    fn list<'a>(l: &'a List, out: &mut Vec<&'a crate::model::Text>) {
        for i in &l.items {
            out.push(&i.text);
            if let Some(n) = &i.nested {
                list(n, out);
            }
        }
    }
    let mut out = vec![&h.title];
    out.extend(h.subtitle.iter());
    for b in &h.body {
        match b {
            Block::Paragraph(t) | Block::Heading(t) | Block::Subheading(t) => out.push(t),
            Block::List(l) => list(l, &mut out),
            Block::Callout(c) => {
                out.extend(c.title.iter().chain(c.text.iter()));
                if let Some(l) = &c.list {
                    list(l, &mut out);
                }
            }
            Block::Qr(q) => out.push(&q.caption),
            Block::Image(img) => out.extend(img.caption.iter()),
            Block::Table(t) => out.extend(t.caption.iter().chain(&t.columns).chain(t.rows.iter().flatten())),
            Block::PageBreak(_) => {}
        }
    }
    out
}

/// The numbers of the `tel:` link targets written in `s` (`(tel:…)` or `<tel:…>`).
fn tel_targets(s: &str) -> Vec<&str> {
    // Lowercased once (same byte offsets: only ASCII letters change), so a long text of
    // many links stays linear.
    let lower = s.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("tel:").map(|i| from + i + 4) {
        let end = s[i..].find([')', '>', ' ', '\n']).map_or(s.len(), |e| i + e);
        out.push(&s[i..end]);
        from = end;
    }
    out
}

fn plain(s: &str) -> String {
    crate::text::markup::plain_text(&crate::text::parse_inline(s))
}

/// (sentences, words, syllables) of some text.
fn counts(text: &str, spanish: bool) -> (usize, usize, usize) {
    let words: Vec<&str> = text.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).collect();
    let sentences = text.matches(['.', '!', '?', ':']).count().max(1);
    let syl = words.iter().map(|w| syllables(w, spanish)).sum();
    (sentences, words.len(), syl)
}

/// Flesch-Kincaid grade of English text.
pub fn flesch_kincaid_grade(text: &str) -> f32 {
    let (s, w, y) = counts(text, false);
    if w == 0 {
        return 0.0;
    }
    0.39 * (w as f32 / s as f32) + 11.8 * (y as f32 / w as f32) - 15.59
}

/// Fernández-Huerta reading ease of Spanish text (higher is easier).
pub fn fernandez_huerta(text: &str) -> f32 {
    let (s, w, y) = counts(text, true);
    if w == 0 {
        return 100.0;
    }
    206.84 - 60.0 * (y as f32 / w as f32) - 1.02 * (w as f32 / s as f32)
}

/// A text as a sentence for the formulas: headings and list items end one even without
/// a full stop.
fn sentence(t: &str) -> String {
    let t = t.trim();
    if t.ends_with(['.', '!', '?', ':']) {
        format!("{t} ")
    } else {
        format!("{t}. ")
    }
}

/// A readability score of a handout's text, for the languages that have one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Readability {
    /// Flesch-Kincaid grade (English); lower is easier; aim for 8 or below.
    FleschKincaidGrade(f32),
    /// Fernández-Huerta reading ease (Spanish); higher is easier; aim for 60 or above.
    FernandezHuerta(f32),
}

/// The readability of all of a handout's text (headings, paragraphs, list items,
/// callouts); `None` for languages without a formula here.
pub fn readability(h: &Handout) -> Option<Readability> {
    let body: String = texts(h).iter().map(|(t, _, _)| sentence(t)).collect();
    match h.lang.split('-').next().unwrap_or("").to_ascii_lowercase().as_str() {
        "en" => Some(Readability::FleschKincaidGrade(flesch_kincaid_grade(&body))),
        "es" => Some(Readability::FernandezHuerta(fernandez_huerta(&body))),
        _ => None,
    }
}

/// Warnings for one handout: reading level and long paragraphs.
pub fn lint(h: &Handout) -> Diagnostics {
    let mut out = Diagnostics::new();
    let all = texts(h);
    let start = crate::diag::Span::file(h.path.display().to_string());
    let warning = match readability(h) {
        Some(Readability::FleschKincaidGrade(g)) if g > 8.0 => {
            Some(format!("reading level is grade {g:.1} (Flesch-Kincaid); aim for 8 or below"))
        }
        Some(Readability::FernandezHuerta(e)) if e < 60.0 => {
            Some(format!("reading ease is {e:.0} (Fernández-Huerta); aim for 60 or above"))
        }
        _ => None,
    };
    if let Some(w) = warning {
        // Point at the text that pulls the score most: the hardest paragraph, list item
        // or heading, so staff know where to start (not at line 1).
        let spanish = matches!(readability(h), Some(Readability::FernandezHuerta(_)));
        let hardest = all
            .iter()
            .filter(|(t, _, _)| t.split_whitespace().count() >= 3)
            .map(|(t, span, _)| {
                let difficulty = if spanish {
                    -fernandez_huerta(&sentence(t))
                } else {
                    flesch_kincaid_grade(&sentence(t))
                };
                (difficulty, span)
            })
            .max_by(|a, b| a.0.total_cmp(&b.0));
        let d = match hardest {
            Some((difficulty, span)) => {
                let score = if spanish {
                    format!("reading ease {:.0}", -difficulty)
                } else {
                    format!("grade {difficulty:.1}")
                };
                Diagnostic::warning(w).at(span.clone()).hint(format!(
                    "the hardest text is here ({score}); use shorter sentences and shorter words"
                ))
            }
            None => Diagnostic::warning(w).at(start).hint("use shorter sentences and shorter words"),
        };
        out.push(d);
    }
    // `tel:` links written with letters (`<tel:1-800-DOCTORS>`) dial the keypad digits.
    // At most the first hundred are read (libphonenumber's parse is not free; a file of
    // 60,000 links must stay fast).
    let numbers =
        raw_texts(h).into_iter().flat_map(|t| tel_targets(&t.value).into_iter().map(move |n| (t, n)));
    for (t, number) in numbers.take(crate::diag::MAX_DIAGNOSTICS) {
        if let Some(w) = crate::text::phone::read(number).warning {
            out.push(
                Diagnostic::warning(w)
                    .at(t.span.clone())
                    .hint("write the number in digits with its country code, e.g. tel:+18003628677"),
            );
        }
    }
    for (t, span, paragraph) in &all {
        if t.contains("**") || t.contains("__") {
            // CommonMark closes `**` only before a space or punctuation: in Chinese and
            // Japanese, `**液体渗漏：**针` prints both pairs of stars.
            out.push(
                Diagnostic::warning("`**` is printed as is: this bold (or italic) is not closed")
                    .at(span.clone())
                    .hint("close it right after a letter, before any punctuation: `**液体渗漏**：` or `**Note:** text`"),
            );
        }
        if t.find("![").is_some_and(|i| t[i..].contains("](")) {
            // Markdown's image syntax is not part of the format: it would print as it is.
            out.push(
                Diagnostic::warning("`![…](…)` is printed as it is: a picture is an `image:` block")
                    .at(span.clone())
                    .hint(
                        "write `- image:` with `file:` and `alt:` indented below it (see README, `image:`)",
                    ),
            );
        }
        let n = t.split_whitespace().count();
        if *paragraph && n > MAX_PARAGRAPH_WORDS {
            out.push(
                Diagnostic::warning(format!("paragraph has {n} words (over {MAX_PARAGRAPH_WORDS})"))
                    .at(span.clone())
                    .hint("split it into shorter paragraphs or a list"),
            );
        }
    }
    out
}

/// Warnings for a document that would show English in place of its language: footer
/// labels it uses that are neither built in nor set in the profile's `labels:`, a
/// reviewed date CLDR cannot write in the language, and contact fields that the
/// profile's `translations:` gives for other languages but not for this one (the
/// profile's own fields are taken as English, so English documents get none of these).
pub fn furniture(h: &Handout, contact: &Contact) -> Diagnostics {
    let mut out = Diagnostics::new();
    let lang = &h.lang;
    let at_start = crate::diag::Span::file(h.path.display().to_string());
    let profile = contact.path.display();
    let f = labels::furniture(lang, labels::pick(&contact.labels, lang));
    let used = |name: &str| match name {
        "phone" => contact.phone.is_some(),
        "after_hours" => contact.after_hours.is_some(),
        "reviewed" => h.reviewed.is_some(),
        // Shown only where a titled callout goes on over a page break.
        "continued" => h.body.iter().any(|b| matches!(b, Block::Callout(c) if c.title.is_some())),
        _ => true,
    };
    for phone in [&contact.phone, &contact.after_hours].into_iter().flatten() {
        if let Some(w) = crate::text::phone::read(&phone.value).warning {
            out.push(
                Diagnostic::warning(w)
                    .at(phone.span.clone())
                    .hint("write the number in digits with its country code, e.g. \"+1 (800) 362-8677\""),
            );
        }
    }
    let missing: Vec<&str> = f.fallbacks.iter().copied().filter(|n| used(n)).collect();
    if !missing.is_empty() {
        let example = missing.iter().map(|n| format!("{n}: …")).collect::<Vec<_>>().join(", ");
        out.push(
            Diagnostic::warning(format!(
                "no `{lang}` labels built in: the footer shows {} in English",
                missing.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ))
            .at(at_start.clone())
            .hint(format!("add `labels: {{ {lang}: {{ {example} }} }}` to {profile}")),
        );
    }
    if let Some((d, span)) = &h.reviewed {
        if labels::format_date(lang, d.year, d.month, d.day).is_none() {
            out.push(
                Diagnostic::warning(format!(
                    "the reviewed date is written in English: CLDR has no date format for `{lang}`"
                ))
                .at(span.clone())
                .hint("check the language tag; a date CLDR cannot write is printed as \"October 1, 2026\""),
            );
        }
    }
    if labels::canonical(lang) == "en" {
        return out;
    }
    let own = labels::pick(&contact.translations, lang);
    for name in ContactTranslation::FIELDS {
        if contact.field(name).is_none() || own.is_some_and(|t| t.field(name).is_some()) {
            continue;
        }
        let others: Vec<(&String, &ContactTranslation)> =
            contact.translations.iter().filter(|(_, t)| t.field(name).is_some()).collect();
        let Some((_, first)) = others.first() else { continue };
        let tags: Vec<&str> = others.iter().map(|(k, _)| k.as_str()).collect();
        out.push(
            Diagnostic::warning(format!(
                "contact `{name}` is translated for {} but not for `{lang}`: {} shows it in English",
                tags.join(", "),
                h.path.display()
            ))
            .at(own.map_or_else(|| first.span.clone(), |t| t.span.clone()))
            .hint(format!("add `{name}:` under `translations: {{ {lang}: … }}` in {profile}")),
        );
    }
    out
}

/// (headings, blocks, list items) of a handout, for comparing variants.
fn shape(h: &Handout) -> (usize, usize, usize, usize) {
    fn items(l: &List) -> usize {
        l.items.iter().map(|i| 1 + i.nested.as_ref().map_or(0, items)).sum()
    }
    let headings = h.body.iter().filter(|b| matches!(b, Block::Heading(_) | Block::Subheading(_))).count();
    let list_items = h
        .body
        .iter()
        .map(|b| match b {
            Block::List(l) => items(l),
            Block::Callout(c) => c.list.as_ref().map_or(0, items),
            _ => 0,
        })
        .sum();
    // A medicines table missing a row in a translation is a medicine missing.
    let table_rows = h.body.iter().map(|b| if let Block::Table(t) = b { t.rows.len() } else { 0 }).sum();
    (headings, h.body.len(), list_items, table_rows)
}

/// "2 headings, 1 block, 3 list items and 4 table rows" (singular where it is one).
fn shape_words((headings, blocks, items, rows): (usize, usize, usize, usize)) -> String {
    let n = |k: usize, one: &str| if k == 1 { format!("1 {one}") } else { format!("{k} {one}s") };
    format!(
        "{}, {}, {} and {}",
        n(headings, "heading"),
        n(blocks, "block"),
        n(items, "list item"),
        n(rows, "table row")
    )
}

/// A warning for a variant that still has its base's texts word for word (what
/// `handout new NAME --lang LANG` writes for a translator), so an English page never
/// ships as a translation unnoticed. Only texts of three words or more count: drug
/// names, numbers and addresses are the same in every language.
fn untranslated(base: &Handout, variant: &Handout) -> Option<Diagnostic> {
    let long = |t: &&crate::model::Text| t.value.split_whitespace().count() >= 3;
    let theirs: std::collections::HashSet<&str> =
        raw_texts(base).into_iter().filter(long).map(|t| t.value.trim()).collect();
    let same: Vec<&crate::model::Text> =
        raw_texts(variant).into_iter().filter(long).filter(|t| theirs.contains(t.value.trim())).collect();
    let first = same.first()?;
    Some(
        Diagnostic::warning(format!(
            "{} {} the same as in `{}`: not translated yet?",
            same.len(),
            if same.len() == 1 { "text is" } else { "texts are" },
            base.path.display()
        ))
        .at(first.span.clone())
        .hint("replace each text with its translation (this is the first one)"),
    )
}

/// Warnings for variants whose structure differs from their base, by variant file.
pub fn variant_structure(handouts: &[&Handout]) -> Vec<(PathBuf, Diagnostic)> {
    let mut out = Vec::new();
    for v in handouts {
        let Ok((_, Some(_))) = crate::model::parse_file_name(&v.path) else { continue };
        let Some(base) = handouts
            .iter()
            .find(|b| b.id == v.id && matches!(crate::model::parse_file_name(&b.path), Ok((_, None))))
        else {
            continue;
        };
        if let Some(d) = untranslated(base, v) {
            out.push((v.path.clone(), d));
        }
        let (a, b) = (shape(base), shape(v));
        if a != b {
            out.push((
                v.path.clone(),
                Diagnostic::warning(format!(
                    "structure differs from `{}`: {} here; {} there",
                    base.path.display(),
                    shape_words(b),
                    shape_words(a)
                ))
                .at(crate::diag::Span::file(v.path.display().to_string()))
                .hint("a translation should have the same headings, blocks, list items and table rows as its base"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_image_syntax_points_at_the_image_block() {
        let h = crate::model::parse_handout(
            std::path::Path::new("x.yaml"),
            b"title: T\nbody:\n  - See this.\n  - \"![Leg raise](images/leg.png)\"\n",
        )
        .unwrap();
        let w: Vec<_> = lint(&h).into_iter().filter(|d| d.message.contains("`image:` block")).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].span.as_ref().map(|s| s.line), Some(4));
    }

    #[test]
    fn stars_that_do_not_close_are_a_warning() {
        let h = crate::model::parse_handout(
            std::path::Path::new("x.zh-Hans.yaml"),
            "title: 标题\nbody:\n  - \"**液体渗漏：**针留下的小孔\"\n  - \"**肿胀**：针\"\n".as_bytes(),
        )
        .unwrap();
        let w = lint(&h);
        let stars: Vec<_> = w.iter().filter(|d| d.message.contains("`**` is printed as is")).collect();
        assert_eq!(stars.len(), 1, "{w:?}");
        assert_eq!(stars[0].span.as_ref().map(|s| s.line), Some(3));
    }

    #[test]
    fn the_reading_level_warning_points_at_the_hardest_paragraph() {
        let src = "title: Care\nbody:\n  - You had a test.\n  - Rest and drink water.\n  - Post-dural puncture complications necessitate multidisciplinary evaluation considering cerebrospinal hydrodynamics.\n  - Call us.\n";
        let h = crate::model::parse_handout(std::path::Path::new("care.yaml"), src.as_bytes()).unwrap();
        let w = lint(&h);
        let level: Vec<_> = w.iter().filter(|d| d.message.starts_with("reading level")).collect();
        assert_eq!(level.len(), 1, "{w:?}");
        assert_eq!(level[0].span.as_ref().map(|s| (s.line, s.col)), Some((5, 5)), "{w:?}");
        assert!(level[0].hints[0].starts_with("the hardest text is here (grade"), "{:?}", level[0].hints);
    }

    #[test]
    fn tel_links_with_letters_warn() {
        let src = "title: Care\nbody:\n  - Call <tel:1-800-DOCTORS> or [us](tel:+15550100199).\n";
        let h = crate::model::parse_handout(std::path::Path::new("care.yaml"), src.as_bytes()).unwrap();
        let w: Vec<_> = lint(&h).into_iter().filter(|d| d.message.contains("has letters")).collect();
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].span.as_ref().map(|s| s.line), Some(3));
        assert_eq!(tel_targets("a (tel:+1) b <TEL:2>"), ["+1", "2"]);
    }

    #[test]
    fn readability_scores_rank_texts() {
        let easy = "You had a test. Your back may hurt. Rest and drink water.";
        let hard = "Post-dural puncture complications necessitate multidisciplinary evaluation considering cerebrospinal hydrodynamics.";
        assert!(flesch_kincaid_grade(easy) < 4.0);
        assert!(flesch_kincaid_grade(hard) > 12.0);
        assert!(fernandez_huerta("Usted tuvo una prueba. Descanse y beba agua.") > 60.0);
    }

    #[test]
    fn syllable_counts() {
        assert_eq!(syllables("puncture", false), 2);
        assert_eq!(syllables("water", false), 2);
        assert_eq!(syllables("agua", true), 2);
    }
}
