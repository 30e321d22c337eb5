//! What each drawn glyph reads back as: the ToUnicode text of every glyph, chosen so that
//! the glyphs of a line, read left to right, give back the source text.
//!
//! A PDF font maps each glyph to one Unicode string for the whole document, but complex
//! scripts draw the same glyph for different text (a Devanagari ि drawn before the
//! consonant it follows in the text, a conjunct that is a ligature here and a half form
//! there). A reader that only uses ToUnicode (MuPDF before 1.22 ignores `/ActualText`)
//! then reads "िक" for "कि". So the cluster's text is split over its glyphs in visual
//! order (ि reads "क", क reads "ि"), and a glyph that must read differently from its
//! usual text is drawn from a *variant* of its font: the same font program embedded
//! again as another subset, whose ToUnicode gives that glyph its text here. Each variant
//! holds every glyph that needs a second (third, …) reading, so a Hindi page needs a
//! handful of small variants, and Latin text none.
//!
//! Only a cluster with more glyphs than characters (a Bengali two-part vowel) cannot be
//! split this way; the writer gives those an `/ActualText` span instead.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;

use crate::layout::{Item, Pages};
use crate::text::{FontId, GlyphRun};

use super::text::{cluster_text, clusters, ink_end, is_rtl};

/// The readings of every glyph of every font, variant by variant.
#[derive(Debug, Default)]
pub struct Encoding {
    /// Per font: variant → glyph → text. Variant 0 is the glyph's usual reading. (Hash
    /// maps: they are looked up for every glyph drawn, and B-tree searches were a
    /// tenth of writing a document; only looked up, never iterated, so their order
    /// cannot reach the output.)
    variants: BTreeMap<FontId, Vec<FxHashMap<u16, String>>>,
    /// The glyphs drawn from each (font, variant), for subsetting and naming.
    used: BTreeMap<(FontId, usize), BTreeSet<u16>>,
}

/// Longest cluster text (in characters) whose split over fewer glyphs is searched for.
const MAX_SPLIT_CHARS: usize = 64;

/// Splits a cluster's `text` over its glyphs `gids` (visual order), each glyph at least
/// one character, so that as many glyphs as possible keep their usual reading; `None`
/// when there are more glyphs than characters. Ties go to the split that gives earlier
/// glyphs more text (a reordered matra then reads as the whole consonant cluster).
fn split<'t>(gids: &[u16], text: &'t str, usual: impl Fn(u16) -> Option<&'t str>) -> Option<Vec<&'t str>>
where
{
    let n = gids.len();
    let bounds: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
    let m = bounds.len() - 1;
    if n == 0 || m == 0 || n > m {
        return None;
    }
    if n == 1 {
        return Some(vec![text]);
    }
    if n == m {
        // One character per glyph: the only split.
        return Some(bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect());
    }
    if m > MAX_SPLIT_CHARS {
        // The search below takes memory n·m and time up to n·m²: a letter with 8,000
        // marks took 1.5 GB. Clusters of real text are a few characters; a longer one
        // is read through `/ActualText`.
        return None;
    }
    // best[i][j]: most usual readings with glyphs ..i reading chars ..j; from[i][j]: where
    // glyph i-1's text starts.
    let mut best = vec![vec![None::<usize>; m + 1]; n + 1];
    let mut from = vec![vec![0usize; m + 1]; n + 1];
    best[0][0] = Some(0);
    for i in 1..=n {
        for j in i..=m - (n - i) {
            for k in (i - 1..j).rev() {
                let Some(b) = best[i - 1][k] else { continue };
                let piece = &text[bounds[k]..bounds[j]];
                let score = b + usize::from(usual(gids[i - 1]) == Some(piece));
                if best[i][j].is_none_or(|cur| score > cur) {
                    best[i][j] = Some(score);
                    from[i][j] = k;
                }
            }
        }
    }
    let mut out = vec![""; n];
    let mut j = m;
    for i in (1..=n).rev() {
        let k = from[i][j];
        out[i - 1] = &text[bounds[k]..bounds[j]];
        j = k;
    }
    Some(out)
}

/// The usual reading of each glyph of each font (variant 0), as it is being chosen.
#[derive(Default)]
struct Usual(BTreeMap<FontId, FxHashMap<u16, String>>);

impl Usual {
    fn get(&self, (font, g): &(FontId, u16)) -> Option<&String> {
        self.0.get(font)?.get(g)
    }

    fn contains_key(&self, key: &(FontId, u16)) -> bool {
        self.get(key).is_some()
    }

    fn insert(&mut self, (font, g): (FontId, u16), text: String) {
        self.0.entry(font).or_default().insert(g, text);
    }
}

/// Counts of candidate texts, most frequent first (ties: the smaller text).
fn most_common(counts: BTreeMap<String, usize>) -> Option<String> {
    counts.into_iter().max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0))).map(|(t, _)| t)
}

/// A text run's clusters, worked out once for the passes below: the glyph ids in visual
/// order and, per cluster, its glyphs (a range of them) and the text they read as.
struct RunClusters<'p> {
    run: &'p GlyphRun,
    ids: Vec<u16>,
    clusters: Vec<(std::ops::Range<usize>, std::borrow::Cow<'p, str>)>,
    /// The run's ink ends before its text does (a line break's white space follows).
    trailing_space: bool,
    rtl: bool,
}

fn run_clusters(pages: &Pages) -> Vec<RunClusters<'_>> {
    let mut out = Vec::new();
    for page in &pages.pages {
        for item in &page.items {
            let Item::Text { run, .. } = item else { continue };
            let ink = ink_end(run);
            let rtl = is_rtl(run);
            let clusters = clusters(run, ink)
                .into_iter()
                .map(|c| (c.glyphs.clone(), cluster_text(run, &c, rtl)))
                .collect();
            out.push(RunClusters {
                run,
                ids: run.glyphs.iter().map(|g| g.id).collect(),
                clusters,
                trailing_space: ink < run.text.len(),
                rtl,
            });
        }
    }
    out
}

/// Calls `f(font, glyph ids, text)` for every cluster of the runs.
fn each_cluster(runs: &[RunClusters], mut f: impl FnMut(FontId, &[u16], &str)) {
    for r in runs {
        for (glyphs, text) in &r.clusters {
            f(r.run.font, &r.ids[glyphs.clone()], text);
        }
    }
}

impl Encoding {
    /// Chooses the readings for everything on the pages. `glyph_of(font, c)` is the
    /// font's own glyph for a character (its cmap); `space(font)` the glyph drawn for the
    /// white space at a line break.
    pub fn new(
        pages: &Pages,
        glyph_of: impl Fn(FontId, char) -> Option<u16>,
        space: impl Fn(FontId) -> Option<u16>,
    ) -> Encoding {
        let runs = run_clusters(pages);
        // 1. Usual readings: the character the font's cmap gives the glyph for, among the
        //    characters of the document (the smallest, so U+0020 wins over U+00A0).
        let mut chars: BTreeMap<FontId, Vec<char>> = BTreeMap::new();
        for r in &runs {
            chars.entry(r.run.font).or_default().extend(r.run.text.chars().chain([' ']));
        }
        let mut usual = Usual::default();
        for (font, cs) in &mut chars {
            cs.sort_unstable();
            cs.dedup();
            for &c in cs.iter() {
                if let Some(g) = glyph_of(*font, c).filter(|&g| g != 0) {
                    if !usual.contains_key(&(*font, g)) {
                        usual.insert((*font, g), c.to_string());
                    }
                }
            }
        }
        // 2. Glyphs no character maps to (ligatures, conjuncts, contextual forms): the text
        //    they most often show alone, else the text the cluster splits give them.
        let mut alone: BTreeMap<(FontId, u16), BTreeMap<String, usize>> = BTreeMap::new();
        each_cluster(&runs, |font, gids, text| {
            if let [g] = gids[..] {
                if !text.is_empty() && !usual.contains_key(&(font, g)) {
                    *alone.entry((font, g)).or_default().entry(text.to_string()).or_default() += 1;
                }
            }
        });
        for (k, c) in alone {
            if let Some(t) = most_common(c) {
                usual.insert(k, t);
            }
        }
        let mut parts: BTreeMap<(FontId, u16), BTreeMap<String, usize>> = BTreeMap::new();
        each_cluster(&runs, |font, gids, text| {
            // A lone glyph that reads as its usual text needs no split (most clusters).
            if let [g] = gids[..] {
                if usual.get(&(font, g)).is_some_and(|u| u == text) {
                    return;
                }
            }
            let get = |g: u16| usual.get(&(font, g)).map(String::as_str);
            // A cluster that cannot be split offers its whole text to each glyph; not a
            // long one (n copies of n characters), which is read through `/ActualText`.
            let Some(pieces) = split(gids, text, get)
                .or_else(|| (text.len() <= 4 * MAX_SPLIT_CHARS).then(|| vec![text; gids.len()]))
            else {
                return;
            };
            for (g, t) in gids.iter().zip(pieces) {
                if !t.is_empty() && !usual.contains_key(&(font, *g)) {
                    *parts.entry((font, *g)).or_default().entry(t.to_string()).or_default() += 1;
                }
            }
        });
        for (k, c) in parts {
            if let Some(t) = most_common(c) {
                usual.insert(k, t);
            }
        }
        // 3. Variants for the glyphs that read differently here.
        let mut enc = Encoding {
            variants: usual.0.into_iter().map(|(font, readings)| (font, vec![readings])).collect(),
            ..Encoding::default()
        };
        let mut used: BTreeMap<(FontId, usize), Vec<u16>> = BTreeMap::new();
        for r in &runs {
            let font = r.run.font;
            let mut plain = Vec::with_capacity(r.clusters.len());
            for (glyphs, text) in &r.clusters {
                let gids = &r.ids[glyphs.clone()];
                if let [g] = gids[..] {
                    if enc.text(font, 0, g) == Some(text.as_ref()) {
                        plain.push(g);
                        continue;
                    }
                }
                match enc.split(font, gids, text) {
                    Some(pieces) => {
                        for (g, t) in gids.iter().zip(pieces) {
                            let k = enc.variant_for(font, *g, &t);
                            used.entry((font, k)).or_default().push(*g);
                        }
                    }
                    None => used.entry((font, 0)).or_default().extend(gids),
                }
            }
            used.entry((font, 0)).or_default().extend(plain);
            if r.trailing_space && !r.rtl {
                if let Some(sp) = space(font) {
                    let k = enc.variant_for(font, sp, " ");
                    used.entry((font, k)).or_default().push(sp);
                }
            }
        }
        enc.used = used.into_iter().map(|(k, v)| (k, v.into_iter().collect())).collect();
        enc
    }

    /// The split of a cluster over its glyphs with the document's usual readings.
    fn split(&self, font: FontId, gids: &[u16], text: &str) -> Option<Vec<String>> {
        let usual = self.variants.get(&font).and_then(|v| v.first());
        let pieces = split(gids, text, |g| usual.and_then(|u| u.get(&g)).map(String::as_str))?;
        Some(pieces.into_iter().map(str::to_string).collect())
    }

    /// The variant of `font` in which glyph `g` reads `text`, made if there is none yet.
    fn variant_for(&mut self, font: FontId, g: u16, text: &str) -> usize {
        let v = self.variants.entry(font).or_insert_with(|| vec![FxHashMap::default()]);
        for (k, map) in v.iter_mut().enumerate() {
            match map.get(&g) {
                Some(t) if t == text => return k,
                None => {
                    map.insert(g, text.to_string());
                    return k;
                }
                Some(_) => {}
            }
        }
        v.push(FxHashMap::from_iter([(g, text.to_string())]));
        v.len() - 1
    }

    /// The variant in which glyph `g` of `font` reads `text`, if one was made.
    fn find(&self, font: FontId, g: u16, text: &str) -> Option<usize> {
        self.variants.get(&font)?.iter().position(|m| m.get(&g).is_some_and(|t| t == text))
    }

    /// How a cluster is drawn: for each glyph, the variant to draw it from; `None` when
    /// the glyphs cannot read back as `text` (the cluster needs `/ActualText`). (The
    /// writer finds the common case, one glyph read as its usual text, without calling
    /// this: see `text::segments`.)
    pub fn cluster(&self, font: FontId, gids: &[u16], text: &str) -> Option<Vec<usize>> {
        let pieces = self.split(font, gids, text)?;
        gids.iter().zip(&pieces).map(|(g, t)| self.find(font, *g, t)).collect()
    }

    /// The variant that reads glyph `g` as `text`, if any.
    pub fn variant(&self, font: FontId, g: u16, text: &str) -> Option<usize> {
        self.find(font, g, text)
    }

    /// The text glyph `g` reads as in variant `k` of `font`.
    pub fn text(&self, font: FontId, k: usize, g: u16) -> Option<&str> {
        self.variants.get(&font)?.get(k)?.get(&g).map(String::as_str)
    }

    /// The glyphs drawn from each (font, variant).
    pub fn used(&self) -> &BTreeMap<(FontId, usize), BTreeSet<u16>> {
        &self.used
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reordered_matra_reads_as_the_consonant_and_the_consonant_as_the_matra() {
        // "कि" drawn as ि (glyph 2) then क (glyph 1).
        let usual = |g: u16| match g {
            1 => Some("क"),
            2 => Some("ि"),
            _ => None,
        };
        assert_eq!(split(&[2, 1], "कि", usual), Some(vec!["क", "ि"]));
        // A letter with thousands of marks: one character per glyph, at once; with fewer
        // glyphs than characters, no search (the cluster gets /ActualText).
        let marks = format!("a{}", "\u{301}".repeat(20_000));
        let gids = vec![7u16; 20_001];
        assert_eq!(split(&gids, &marks, |_| None).map(|p| p.len()), Some(20_001));
        assert_eq!(split(&gids[..10_000], &marks, |_| None), None);
        // In order, each glyph keeps its usual reading.
        assert_eq!(split(&[1, 2], "कि", usual), Some(vec!["क", "ि"]));
        // A conjunct ligature (glyph 7) before a matra: the usual readings win.
        let usual7 = |g: u16| if g == 7 { Some("क्ष") } else { usual(g) };
        assert_eq!(split(&[7, 2], "क्षि", usual7), Some(vec!["क्ष", "ि"]));
        // Reordered around a conjunct: the matra reads as the whole conjunct.
        assert_eq!(split(&[2, 7], "क्षि", usual7), Some(vec!["क्ष", "ि"]));
        // More glyphs than characters cannot be split.
        assert_eq!(split(&[1, 2, 3], "कि", usual), None);
    }
}
