//! The work list: handouts × language variants × `--data` rows, named, checked for
//! duplicate file names, and cut into `--shard` slices.
//!
//! The list is never held in memory. [`Planner::stream`] produces it lazily, reading the
//! data file as it goes; [`Planner::plan`] makes a first pass that only computes file names
//! (kept as a set) to refuse duplicates before anything is written, and counts the
//! entries so every shard knows its slice. The order is fixed (data rows, then handout
//! ids in sorted order, then variants), so every shard and every `--jobs` value sees the
//! same list.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::data::{BadRow, DataFile, Row};
use super::discover::Source;
use super::naming::Template;
use super::{DocReport, LangFilter, Outcome};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics};
use crate::model::Handout;
use crate::resolve::Values;

/// One document to make.
#[derive(Clone, Debug)]
pub struct Job {
    /// The handout (variant) to render.
    pub handout: Arc<Handout>,
    /// Placeholder values: `--set` plus this job's data row.
    pub values: Values,
    /// The data row, 1-based.
    pub row: Option<usize>,
    /// Output file name, sanitized.
    pub file_name: String,
}

/// An entry of the work list.
#[derive(Clone, Debug)]
pub enum Work {
    /// A document to render.
    Job(Job),
    /// A document that already failed (bad handout file, bad data row, no such variant).
    Failed(DocReport),
}

/// `--shard K/N`: the K-th (1-based) of N slices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// Which slice, 1-based.
    pub k: usize,
    /// How many slices.
    pub n: usize,
}

impl Default for Shard {
    fn default() -> Self {
        Shard { k: 1, n: 1 }
    }
}

/// The environment variables `--shard env/N` reads the 0-based index from, in order.
pub const SHARD_INDEX_VARS: [&str; 2] = ["JOB_COMPLETION_INDEX", "AWS_BATCH_JOB_ARRAY_INDEX"];

impl Shard {
    /// Parses `K/N` (1 ≤ K ≤ N) or `env/N`, where K is one more than the 0-based index in
    /// `JOB_COMPLETION_INDEX` (Kubernetes Indexed Jobs) or `AWS_BATCH_JOB_ARRAY_INDEX`
    /// (AWS Batch array jobs), read through `env`.
    pub fn parse(s: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, Diagnostic> {
        let bad = || {
            Diagnostic::error(format!("--shard `{s}` is not K/N or env/N"))
                .hint("write e.g. --shard 2/4 for the second of four slices, or --shard env/4 in a Kubernetes Indexed Job or AWS Batch array job")
        };
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if n == 0 {
            return Err(bad());
        }
        let k = if k.trim() == "env" {
            let (var, value) = SHARD_INDEX_VARS
                .iter()
                .find_map(|v| env(v).map(|x| (*v, x)))
                .ok_or_else(|| {
                    Diagnostic::error(format!("--shard `{s}`: neither {} is set", SHARD_INDEX_VARS.join(" nor ")))
                        .hint("run it as a Kubernetes Indexed Job or an AWS Batch array job, or give the slice as --shard K/N")
                })?;
            let index: usize = value.trim().parse().map_err(|_| {
                Diagnostic::error(format!("--shard `{s}`: {var}=`{value}` is not a number"))
                    .hint("it must be the 0-based index of this job")
            })?;
            if index >= n {
                return Err(Diagnostic::error(format!(
                    "--shard `{s}`: {var}={index} but there are only {n} slices"
                ))
                .hint(format!("{var} counts from 0; give N as the number of parallel jobs (completions)")));
            }
            index + 1
        } else {
            k.trim().parse().map_err(|_| bad())?
        };
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// The range of a list of `len` entries that belongs to this shard: equal contiguous
    /// slices (sizes differ by at most one) that add up to the whole.
    pub fn range(&self, len: usize) -> Range<usize> {
        (self.k - 1) * len / self.n..self.k * len / self.n
    }
}

fn failed(source: PathBuf, id: &str, lang: &str, row: Option<usize>, errors: Diagnostics) -> Work {
    Work::Failed(DocReport {
        source,
        id: id.to_string(),
        lang: lang.to_string(),
        row,
        outcome: Outcome::Failed(errors),
        warnings: vec![],
    })
}

/// What produces the work list: the handouts found, the data file and the naming rule.
pub struct Planner {
    /// Handout files that could not be loaded (each is a failed document).
    failed_sources: Vec<DocReport>,
    /// Loaded handouts by id (sorted), variants in file order.
    groups: Vec<(String, Vec<Arc<Handout>>)>,
    langs: LangFilter,
    set: BTreeMap<String, String>,
    data: Option<DataFile>,
    template: Template,
    fallback_lang: Option<String>,
}

/// The result of the first pass: how many entries, which belong to this shard, and
/// run-level warnings.
pub struct Plan {
    /// Entries in the whole list (all shards).
    pub total: usize,
    /// The entries of this shard.
    pub range: Range<usize>,
    /// Warnings about the run as a whole (unused `--set` keys or columns).
    pub warnings: Diagnostics,
}

/// At most this many duplicate-name errors are listed (the rest are counted).
const MAX_DUPLICATES_SHOWN: usize = 20;

impl Planner {
    /// Groups the sources by handout id.
    pub fn new(
        sources: Vec<Source>,
        langs: LangFilter,
        set: BTreeMap<String, String>,
        data: Option<DataFile>,
        template: Template,
        fallback_lang: Option<String>,
    ) -> Planner {
        let mut failed_sources = Vec::new();
        let mut groups: BTreeMap<String, Vec<Arc<Handout>>> = BTreeMap::new();
        for source in sources {
            match source {
                Source::Loaded(h) => groups.entry(h.id.clone()).or_default().push(Arc::from(h)),
                Source::Failed { path, id, lang, errors } => {
                    let lang = lang.unwrap_or_default();
                    if lang.is_empty() || langs.wants(&lang) {
                        failed_sources.push(DocReport {
                            source: path,
                            id,
                            lang,
                            row: None,
                            outcome: Outcome::Failed(errors),
                            warnings: vec![],
                        });
                    }
                }
            }
        }
        Planner {
            failed_sources,
            groups: groups.into_iter().collect(),
            langs,
            set,
            data,
            template,
            fallback_lang,
        }
    }

    /// Every loaded handout whose language is selected (for lints).
    pub fn handouts(&self) -> Vec<&Handout> {
        self.groups
            .iter()
            .flat_map(|(_, v)| v.iter())
            .filter(|h| self.langs.wants(&h.lang))
            .map(|h| &**h)
            .collect()
    }

    /// The entries for one data row (or, without `--data`, for the run).
    fn entries(&self, row: Option<Result<Row, BadRow>>) -> Vec<Work> {
        let mut out = Vec::new();
        let Some(row) = row else {
            for (id, variants) in &self.groups {
                for h in variants.iter().filter(|h| self.langs.wants(&h.lang)) {
                    let file_name = self.template.render(id, &h.lang, None, &BTreeMap::new());
                    let values = Values { set: self.set.clone(), ..Values::default() };
                    out.push(Work::Job(Job { handout: h.clone(), values, row: None, file_name }));
                }
            }
            return out;
        };
        let data_name = self.data.as_ref().map_or(String::new(), |d| d.name.clone());
        let row = match row {
            Ok(r) => r,
            Err((number, d)) => {
                for (id, _) in &self.groups {
                    out.push(failed(PathBuf::from(&data_name), id, "", Some(number), vec![d.clone()]));
                }
                return out;
            }
        };
        let wanted = row.values.get("lang").map(|l| l.as_str());
        for (id, variants) in &self.groups {
            // Rows without a `lang` build the base file (a lone variant stands in).
            let base = variants
                .iter()
                .find(|h| matches!(crate::model::parse_file_name(&h.path), Ok((_, None))))
                .or(variants.first());
            let find = |l: &str| variants.iter().find(|h| h.lang.eq_ignore_ascii_case(l));
            let handout = match wanted {
                Some(l) => find(l).or_else(|| self.fallback_lang.as_deref().and_then(find)),
                None => base,
            };
            let lang =
                handout.map(|h| h.lang.clone()).or_else(|| wanted.map(str::to_string)).unwrap_or_default();
            if !self.langs.wants(&lang) {
                continue;
            }
            let Some(h) = handout else {
                let have: Vec<&str> = variants.iter().map(|h| h.lang.as_str()).collect();
                let mut d = Diagnostic::error(format!(
                    "row {} asks for language `{lang}`, but `{id}` has no such variant",
                    row.number
                ))
                .at(crate::diag::Span::new(data_name.as_str(), row.line, 1))
                .hint(format!("variants of `{id}`: {}", have.join(", ")));
                d = match &self.fallback_lang {
                    Some(f) => d.hint(format!("the --fallback-lang `{f}` has no variant either")),
                    None => d.hint(format!(
                        "add {id}.{lang}.yaml, fix the row's `lang`, or pass --fallback-lang en"
                    )),
                };
                out.push(failed(PathBuf::from(&data_name), id, &lang, Some(row.number), vec![d]));
                continue;
            };
            let values = Values {
                set: self.set.clone(),
                row: row.values.clone(),
                row_label: Some(format!("row {} of `{data_name}`", row.number)),
            };
            let file_name = self.template.render(id, &h.lang, Some(row.number), &row.values);
            out.push(Work::Job(Job { handout: h.clone(), values, row: Some(row.number), file_name }));
        }
        out
    }

    /// The work list from its start, lazily: the data file is read as entries are taken.
    pub fn stream(&self) -> Result<Box<dyn Iterator<Item = Work> + Send + '_>, Diagnostic> {
        let failed = self.failed_sources.iter().cloned().map(Work::Failed);
        Ok(match &self.data {
            None => Box::new(failed.chain(self.entries(None))),
            Some(data) => Box::new(failed.chain(data.rows()?.flat_map(move |r| self.entries(Some(r))))),
        })
    }

    /// This shard's part of the work list, lazily.
    pub fn shard_stream(
        &self,
        range: Range<usize>,
    ) -> Result<impl Iterator<Item = Work> + Send + '_, Diagnostic> {
        Ok(self.stream()?.skip(range.start).take(range.len()))
    }

    /// The first pass: file names checked unique before anything is written (compared
    /// case-insensitively, as macOS and Windows compare them), entries counted, unused
    /// `--set` keys and columns found. Duplicates are a configuration error.
    pub fn plan(&self, shard: Shard) -> Result<Plan, Diagnostics> {
        let mut seen: HashMap<String, String> = HashMap::new();
        let mut dups = Diagnostics::new();
        let mut dup_count = 0;
        let mut total = 0;
        for w in self.stream().map_err(|d| vec![d])? {
            total += 1;
            let Work::Job(j) = w else { continue };
            let what = match j.row {
                Some(r) => format!("`{}` (row {r})", j.handout.path.display()),
                None => format!("`{}`", j.handout.path.display()),
            };
            if let Some(prev) = seen.insert(j.file_name.to_lowercase(), what.clone()) {
                dup_count += 1;
                if dups.len() < MAX_DUPLICATES_SHOWN {
                    dups.push(
                        Diagnostic::error(format!("{prev} and {what} would both be written to `{}`", j.file_name))
                            .hint("give them different ids or languages, or use --name with a field that tells them apart (e.g. {row})"),
                    );
                }
            }
        }
        if dup_count > dups.len() {
            dups.push(Diagnostic::error(format!(
                "… and {} more duplicate file names",
                dup_count - dups.len()
            )));
        }
        if !dups.is_empty() {
            return Err(dups);
        }
        Ok(Plan { total, range: shard.range(total), warnings: self.unused() })
    }

    /// Warnings for `--set` keys and data columns no selected handout uses, each with a
    /// did-you-mean toward the handouts' placeholders (the template is right; the key may
    /// be the typo).
    fn unused(&self) -> Diagnostics {
        let used: BTreeSet<String> =
            self.handouts().iter().flat_map(|h| crate::resolve::placeholder_names(h)).collect();
        let used_refs: Vec<&str> = used.iter().map(String::as_str).collect();
        let mut warnings = Diagnostics::new();
        let suggest = |d: Diagnostic, key: &str| match did_you_mean(key, &used_refs) {
            Some(s) => d.hint(format!("did you mean `{s}`? the handouts use {{{{{s}}}}}")),
            None if used.is_empty() => d.hint("the handouts use no placeholders"),
            None => d.hint(format!("the handouts use: {}", used_refs.join(", "))),
        };
        for key in self.set.keys().filter(|k| !used.contains(*k)) {
            warnings.push(suggest(
                Diagnostic::warning(format!("--set `{key}` is not used by any handout built")),
                key,
            ));
        }
        if let Some(data) = &self.data {
            for c in &data.columns {
                if c == "lang" || used.contains(c) || self.template.uses(c) {
                    continue;
                }
                let d = Diagnostic::warning(format!(
                    "column `{c}` of `{}` is not used by any handout built",
                    data.name
                ))
                .at(crate::diag::Span::new(data.name.as_str(), 1, 1));
                warnings.push(suggest(d, c));
            }
        }
        warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_equal_contiguous_and_cover_everything() {
        let n = 4;
        let mut all = Vec::new();
        for k in 1..=n {
            let r = Shard { k, n }.range(10);
            assert!(r.len() == 2 || r.len() == 3);
            all.extend(r);
        }
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        let none = |_: &str| None;
        assert!(Shard::parse("0/3", &none).is_err() && Shard::parse("4/3", &none).is_err());
        assert!(Shard::parse("x", &none).is_err() && Shard::parse("1/0", &none).is_err());
        assert_eq!(Shard::parse("2/3", &none).unwrap(), Shard { k: 2, n: 3 });
    }

    #[test]
    fn shard_env_reads_the_kubernetes_or_aws_index() {
        let k8s = |v: &str| (v == "JOB_COMPLETION_INDEX").then(|| "2".to_string());
        assert_eq!(Shard::parse("env/4", &k8s).unwrap(), Shard { k: 3, n: 4 });
        let aws = |v: &str| (v == "AWS_BATCH_JOB_ARRAY_INDEX").then(|| "0".to_string());
        assert_eq!(Shard::parse("env/2", &aws).unwrap(), Shard { k: 1, n: 2 });
        assert!(Shard::parse("env/2", &k8s).unwrap_err().message.contains("only 2 slices"));
        assert!(Shard::parse("env/2", &|_: &str| None).unwrap_err().message.contains("JOB_COMPLETION_INDEX"));
    }
}
