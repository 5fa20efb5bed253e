//! Resources: the dictionaries, suffix lists, cue words and relation patterns under `data/`.
//!
//! Every file is plain UTF-8 text a researcher can edit; `#` starts a comment
//! line. The copies bundled at compile time are used unless a data directory
//! is given (`--data DIR`), in which case its files take precedence, file by file.

use crate::vocab::{Class, Property};
use rustc_hash::FxHashSet;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use thiserror::Error;

/// A malformed line in a data file.
#[derive(Debug, Error)]
#[error("data/{file}:{line}: {message}")]
pub struct ResourceError {
    /// The file, relative to the data directory.
    pub file: String,
    /// The 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

macro_rules! bundled {
    ($($name:literal),* $(,)?) => {
        /// The data files, with the copies bundled at compile time.
        pub const BUNDLED: &[(&str, &str)] = &[$(($name, include_str!(concat!("../data/", $name))),)*];
    };
}

bundled!(
    "regions.tsv",
    "honors.tsv",
    "industries.tsv",
    "products.tsv",
    "institutions.tsv",
    "org_words.tsv",
    "listed_companies.tsv",
    "gov_bodies.tsv",
    "suffixes.tsv",
    "lexicon.tsv",
    "heads.tsv",
    "patterns.tsv",
    "domain.dict",
    "ocr.tsv",
);

/// An administrative division from `regions.tsv`.
#[derive(Debug, Clone)]
pub struct RegionEntry {
    /// Administrative division code.
    pub code: String,
    /// Official name (湖北省).
    pub name: String,
    /// `province`, `city`, `county` or `town`.
    pub level: String,
    /// Code of the parent division, if any.
    pub parent_code: Option<String>,
    /// Short forms (湖北).
    pub short_forms: Vec<String>,
}

/// A head noun of coordinated lists, from `heads.tsv`.
#[derive(Debug, Clone)]
pub struct HeadEntry {
    /// The head (企业, 产业, 村).
    pub head: String,
    /// The class it gives the list's members.
    pub class: Class,
    /// The suffix each member shares with the head, added where the member lacks
    /// it: 电子信息、汽车机械产业 → 电子信息产业; 挑水、新店3村 → 挑水村.
    pub member_suffix: Option<String>,
}

/// A name with aliases, from `honors.tsv`, `industries.tsv`, `products.tsv` or `gov_bodies.tsv`.
#[derive(Debug, Clone)]
pub struct NamedEntry {
    /// Canonical name.
    pub name: String,
    /// Other forms.
    pub aliases: Vec<String>,
}

/// A name suffix from `suffixes.tsv`: text ending with it names an entity of `class`.
#[derive(Debug, Clone)]
pub struct SuffixRule {
    /// The suffix (有限公司, 高新区, 重点实验室, …).
    pub suffix: String,
    /// The class of names ending with it.
    pub class: Class,
    /// Longest name accepted, in characters.
    pub max_len: usize,
    /// Fewest characters before the suffix.
    pub min_prefix: usize,
    /// Classes whose names the left edge may run through (a company name may
    /// start with a region, a committee's name with a park).
    pub absorbs: Vec<Class>,
}

/// A relation pattern from `patterns.tsv`.
#[derive(Debug, Clone)]
pub struct PatternSpec {
    /// Stable identifier, recorded as `ikg:extractedBy`.
    pub id: String,
    /// What the pattern asserts.
    pub target: PatternTarget,
    /// The pattern text (see `data/patterns.tsv`).
    pub pattern: String,
    /// An example sentence the pattern must match.
    pub example: String,
    /// The facts expected from the example, `subject>object;…`.
    pub expected: String,
}

/// What a pattern asserts: a relation, or a project's investment amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternTarget {
    /// A relation between the `S` and `O` slots.
    Relation(Property),
    /// `ikg:investmentYuan` of the `S` slot, from the `{amount}` macro.
    Investment,
}

/// Folds `bytes` into a 64-bit FNV-1a hash (`state` 0 starts one): a hash that
/// stays the same across runs, machines and Rust versions.
pub fn fnv1a(state: u64, bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let start = if state == 0 { OFFSET } else { state };
    bytes
        .iter()
        .fold(start, |h, b| (h ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// All loaded resources.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// Administrative divisions.
    pub regions: Vec<RegionEntry>,
    /// Honour and designation names.
    pub honors: Vec<NamedEntry>,
    /// Industry names (without 产业).
    pub industries: Vec<NamedEntry>,
    /// Product kinds and commodities (轴承, 智能手机, 原油).
    pub products: Vec<NamedEntry>,
    /// Universities and academies known by short forms (中科大, 中科院), with their class.
    pub institutions: Vec<(Class, NamedEntry)>,
    /// Government bodies known by fixed names (ministries) and their short forms.
    pub gov_bodies: Vec<NamedEntry>,
    /// Organisation-name building blocks by role (`company_industry_word`, …), and the
    /// short names of listed companies (`listed_company`, from `listed_companies.tsv`).
    pub org_words: HashMap<String, Vec<String>>,
    /// Name suffixes.
    pub suffixes: Vec<SuffixRule>,
    /// Word lists by kind from `lexicon.tsv` (`stop`, `name_verb`, `hedge`, `title`, …).
    pub lexicon: HashMap<String, WordSet>,
    /// Head nouns of coordinated lists (`A、B等企业`) and the class they give the members.
    pub heads: Vec<HeadEntry>,
    /// Relation patterns.
    pub patterns: Vec<PatternSpec>,
    /// The jieba user dictionary (`word freq tag` lines).
    pub domain_dict: String,
    /// OCR confusions and their repairs (纳人 → 纳入), from `ocr.tsv`.
    pub ocr_repairs: Vec<(String, String)>,
    /// A hash of every data file's name and text: it changes when any rule does.
    pub fingerprint: u64,
}

/// The words of one lexicon kind: looked up by hash, and iterated longest first
/// (then in code-point order), so that a rule taking the first word that fits
/// takes the longest (龙头企业 before 企业), the same in every run.
#[derive(Debug, Clone, Default)]
pub struct WordSet {
    set: FxHashSet<String>,
    ordered: Vec<String>,
    /// Bit `n` set when a word is `n` bytes long (bit 63: 63 bytes or more), so
    /// that most look-ups of a word no word of the set is as long as are not hashed.
    lengths: u64,
    /// Bit `n` set when a word's last byte is `n` modulo 64 (the low bits of its
    /// last character): a second test before hashing.
    ends: u64,
}

impl WordSet {
    /// Whether `word` is in the set.
    pub fn contains(&self, word: &str) -> bool {
        self.lengths & length_bit(word) != 0
            && self.ends & end_bit(word) != 0
            && self.set.contains(word)
    }

    /// The words, longest first.
    pub fn iter(&self) -> std::slice::Iter<'_, String> {
        self.ordered.iter()
    }

    /// Adds `word` in its place of the order (nothing if it is there already).
    fn insert(&mut self, word: String) {
        if self.set.contains(&word) {
            return;
        }
        let length = word.chars().count();
        let at = self
            .ordered
            .binary_search_by(|w| {
                length
                    .cmp(&w.chars().count())
                    .then_with(|| w.as_str().cmp(&word))
            })
            .unwrap_or_else(|at| at);
        self.ordered.insert(at, word.clone());
        self.lengths |= length_bit(&word);
        self.ends |= end_bit(&word);
        self.set.insert(word);
    }
}

/// The bit of [`WordSet`]'s lengths that stands for the length of `word`.
fn length_bit(word: &str) -> u64 {
    1 << word.len().min(63)
}

/// The bit of [`WordSet`]'s ends that stands for the last byte of `word`.
fn end_bit(word: &str) -> u64 {
    word.as_bytes().last().map_or(1, |b| 1 << (b & 63))
}

impl<'a> IntoIterator for &'a WordSet {
    type Item = &'a String;
    type IntoIter = std::slice::Iter<'a, String>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Resources {
    /// Every region name and short form of the divisions dictionary.
    pub fn region_names(&self) -> HashSet<String> {
        self.regions
            .iter()
            .flat_map(|r| std::iter::once(&r.name).chain(&r.short_forms))
            .cloned()
            .collect()
    }

    /// The resources bundled with the program.
    pub fn bundled() -> Result<Self, ResourceError> {
        Self::load(None)
    }

    /// Loads resources, taking each file from `dir` when it exists there.
    pub fn load(dir: Option<&Path>) -> Result<Self, ResourceError> {
        let mut res = Resources::default();
        for (name, bundled) in BUNDLED {
            let text = dir
                .map(|d| d.join(name))
                .filter(|p| p.is_file())
                .and_then(|p| std::fs::read_to_string(p).ok())
                .unwrap_or_else(|| (*bundled).to_string());
            res.parse_file(name, &text)?;
            res.fingerprint = fnv1a(res.fingerprint, name.as_bytes());
            res.fingerprint = fnv1a(res.fingerprint, text.as_bytes());
        }
        Ok(res)
    }

    /// The administrative divisions, provinces first, then cities, then
    /// counties, so that a short form shared by levels (河北: 河北省, 河北区)
    /// belongs to the higher one.
    pub fn regions_by_level(&self) -> Vec<&RegionEntry> {
        let rank = |l: &str| match l {
            "province" => 0,
            "city" => 1,
            "county" => 2,
            _ => 3,
        };
        let mut v: Vec<&RegionEntry> = self.regions.iter().collect();
        v.sort_by_key(|r| (rank(&r.level), r.code.clone()));
        v
    }

    /// Words of one kind in `lexicon.tsv` (empty if the kind is unknown).
    pub fn words(&self, kind: &str) -> &WordSet {
        static EMPTY: std::sync::OnceLock<WordSet> = std::sync::OnceLock::new();
        self.lexicon
            .get(kind)
            .unwrap_or_else(|| EMPTY.get_or_init(WordSet::default))
    }

    /// Trade words that end a company's short name (泰晶科技, 楚天药业): the strong
    /// ones (`company_industry_word`), then the everyday ones (`company_weak_word`).
    pub fn trade_words(&self) -> Vec<String> {
        ["company_industry_word", "company_weak_word"]
            .iter()
            .filter_map(|k| self.org_words.get(*k))
            .flatten()
            .cloned()
            .collect()
    }

    /// Whether `word` is listed under `kind` in `lexicon.tsv`.
    pub fn is(&self, kind: &str, word: &str) -> bool {
        self.words(kind).contains(word)
    }

    fn parse_file(&mut self, name: &str, text: &str) -> Result<(), ResourceError> {
        if name == "domain.dict" {
            self.domain_dict = text.to_string();
            return Ok(());
        }
        for (i, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let row = Row {
                file: name,
                line: i + 1,
                cols: line.split('\t').map(str::trim).collect(),
            };
            self.parse_row(&row)?;
        }
        Ok(())
    }

    /// Adds one row of a data file to what it feeds.
    fn parse_row(&mut self, row: &Row) -> Result<(), ResourceError> {
        match row.file {
            "regions.tsv" => self.regions.push(RegionEntry {
                code: row.col(0).to_string(),
                name: row.col(1).to_string(),
                level: row.col(2).to_string(),
                parent_code: Some(row.col(3).to_string()).filter(|s| !s.is_empty()),
                short_forms: row.list(4),
            }),
            "honors.tsv" | "industries.tsv" | "products.tsv" | "gov_bodies.tsv" => {
                let entry = NamedEntry {
                    name: row.col(0).to_string(),
                    aliases: row.list(1),
                };
                if entry.name.is_empty() {
                    return Err(row.err("empty name".into()));
                }
                match row.file {
                    "honors.tsv" => self.honors.push(entry),
                    "industries.tsv" => self.industries.push(entry),
                    "products.tsv" => self.products.push(entry),
                    _ => self.gov_bodies.push(entry),
                }
            }
            "institutions.tsv" => {
                let class = Some(row.class(1)?)
                    .filter(|c| matches!(c, Class::University | Class::ResearchInstitute))
                    .ok_or_else(|| {
                        row.err(format!(
                            "not University or ResearchInstitute: {}",
                            row.col(1)
                        ))
                    })?;
                let entry = NamedEntry {
                    name: row.col(0).to_string(),
                    aliases: row.list(2),
                };
                self.institutions.push((class, entry));
            }
            "org_words.tsv" | "listed_companies.tsv" => self
                .org_words
                .entry(row.col(1).to_string())
                .or_default()
                .push(row.col(0).to_string()),
            "suffixes.tsv" => self.suffixes.push(suffix_rule(row)?),
            "lexicon.tsv" => {
                for w in row.list(1) {
                    self.lexicon
                        .entry(row.col(0).to_string())
                        .or_default()
                        .insert(w);
                }
            }
            "heads.tsv" => self.heads.push(HeadEntry {
                head: row.col(0).to_string(),
                class: row.class(1)?,
                member_suffix: Some(row.col(2))
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            }),
            "patterns.tsv" => self.patterns.push(pattern_spec(row)?),
            "ocr.tsv" => {
                let (damaged, repaired) = (row.col(0), row.col(1));
                if damaged.is_empty() || damaged.chars().count() != repaired.chars().count() {
                    return Err(row.err(
                        "a repair needs two columns of the same number of characters".into(),
                    ));
                }
                self.ocr_repairs
                    .push((damaged.to_string(), repaired.to_string()));
            }
            _ => {}
        }
        Ok(())
    }
}

/// One row of a tab-separated data file, with where it stands for errors.
struct Row<'a> {
    file: &'a str,
    line: usize,
    cols: Vec<&'a str>,
}

impl Row<'_> {
    /// Column `k`, or "" when the row is shorter.
    fn col(&self, k: usize) -> &str {
        self.cols.get(k).copied().unwrap_or("")
    }

    /// Column `k` as a `|`-separated list, empty items left out.
    fn list(&self, k: usize) -> Vec<String> {
        self.col(k)
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    }

    /// An error at this row.
    fn err(&self, message: String) -> ResourceError {
        ResourceError {
            file: self.file.to_string(),
            line: self.line,
            message,
        }
    }

    /// Column `k` as a class name.
    fn class(&self, k: usize) -> Result<Class, ResourceError> {
        Class::from_local_name(self.col(k))
            .ok_or_else(|| self.err(format!("unknown class {:?}", self.col(k))))
    }

    /// Column `k` as a number, `default` when empty.
    fn number(&self, k: usize, default: usize) -> Result<usize, ResourceError> {
        if self.col(k).is_empty() {
            Ok(default)
        } else {
            self.col(k)
                .parse()
                .map_err(|_| self.err(format!("not a number: {:?}", self.col(k))))
        }
    }
}

/// A row of suffixes.tsv: suffix, class, longest name, shortest part before
/// the suffix, classes of names the suffix may run through.
fn suffix_rule(row: &Row) -> Result<SuffixRule, ResourceError> {
    let absorbs = row
        .list(4)
        .iter()
        .map(|c| Class::from_local_name(c).ok_or_else(|| row.err(format!("unknown class {c:?}"))))
        .collect::<Result<_, _>>()?;
    Ok(SuffixRule {
        suffix: row.col(0).to_string(),
        class: row.class(1)?,
        max_len: row.number(2, 20)?,
        min_prefix: row.number(3, 2)?,
        absorbs,
    })
}

/// A row of patterns.tsv: id, property (or investmentYuan), regex, example and
/// what the example must give.
fn pattern_spec(row: &Row) -> Result<PatternSpec, ResourceError> {
    let target = if row.col(1) == "investmentYuan" {
        PatternTarget::Investment
    } else {
        PatternTarget::Relation(
            Property::from_local_name(row.col(1))
                .ok_or_else(|| row.err(format!("unknown property {:?}", row.col(1))))?,
        )
    };
    if row.col(2).is_empty() {
        return Err(row.err("empty pattern".into()));
    }
    Ok(PatternSpec {
        id: row.col(0).to_string(),
        target,
        pattern: row.col(2).to_string(),
        example: row.col(3).to_string(),
        expected: row.col(4).to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::WordSet;

    #[test]
    fn word_sets_iterate_longest_first_whatever_the_insertion_order() {
        let words = ["企业", "龙头企业", "厂", "制造商", "企业", "厂商"];
        let mut forward = WordSet::default();
        let mut backward = WordSet::default();
        for w in words {
            forward.insert(w.to_string());
        }
        for w in words.iter().rev() {
            backward.insert(w.to_string());
        }
        let order: Vec<&String> = forward.iter().collect();
        assert_eq!(order, ["龙头企业", "制造商", "企业", "厂商", "厂"]);
        assert!(forward.iter().eq(backward.iter()));
        assert!(forward.contains("厂商") && !forward.contains("商"));
    }
}
