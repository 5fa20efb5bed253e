//! Which relation patterns can match a typed sentence, found in one pass.
//!
//! Most patterns need a word no sentence without it can match (位于, 牵头,
//! 共建 …). Those words are read from each pattern's compiled regular
//! expression, all of them are searched for at once, and a pattern is tried
//! only on the sentences that hold its words: the matches are the same, most
//! of the searches are skipped.

use daachorse::CharwiseDoubleArrayAhoCorasick;
use regex_syntax::hir::{Class, ClassUnicode, Hir, HirKind};
use std::collections::HashMap;

/// One of these words must occur wherever the pattern matches.
type Clause = Vec<String>;

/// The words the relation patterns need, and a search for all of them.
pub(super) struct Prefilter {
    /// Every needed word of every pattern (none when no pattern needs one).
    words: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    /// Per word, the distinct clauses it makes hold (indices into a clause bit set).
    clauses_of_word: Vec<Vec<usize>>,
    /// Per pattern, the clause bits it needs, as (block, mask) pairs of the bit
    /// set: the pattern can match only where every one of them holds.
    needs: Vec<Vec<(usize, u64)>>,
    /// Per clause, the patterns that need it first: only they are checked when it
    /// holds, most patterns are never looked at in a sentence.
    patterns_of_clause: Vec<Vec<usize>>,
    /// The patterns that need no clause.
    always: Vec<usize>,
    /// Blocks of 64 clauses in a clause bit set.
    blocks: usize,
}

impl Prefilter {
    /// The prefilter of the patterns whose regular expressions are `regexes`
    /// (a pattern that does not parse needs nothing).
    pub(super) fn new<'a>(regexes: impl IntoIterator<Item = &'a str>) -> Self {
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut words = Vec::new();
        let mut clause_ids: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut clauses: Vec<Vec<usize>> = Vec::new();
        let needs: Vec<Vec<usize>> = regexes
            .into_iter()
            .map(|regex| {
                let pattern_clauses = regex_syntax::parse(regex)
                    .map(|hir| needed_words(&hir))
                    .unwrap_or_default();
                pattern_clauses
                    .into_iter()
                    .filter(|c| c.iter().all(|w| selective(w)))
                    .map(|clause| {
                        let clause: Vec<usize> = clause
                            .into_iter()
                            .map(|w| {
                                *ids.entry(w.clone()).or_insert_with(|| {
                                    words.push(w);
                                    words.len() - 1
                                })
                            })
                            .collect();
                        *clause_ids.entry(clause.clone()).or_insert_with(|| {
                            clauses.push(clause);
                            clauses.len() - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let mut clauses_of_word = vec![Vec::new(); words.len()];
        for (c, clause) in clauses.iter().enumerate() {
            for &w in clause {
                if !clauses_of_word[w].contains(&c) {
                    clauses_of_word[w].push(c);
                }
            }
        }
        // Each pattern is filed under the clause of its that holds least often:
        // one of words of the text rather than class names, the longest words.
        let rarity = |c: usize| {
            let clause_words = clauses[c].iter().map(|&w| words[w].as_str());
            (
                clause_words.clone().all(textual),
                clause_words.map(|w| w.chars().count()).min().unwrap_or(0),
            )
        };
        let mut patterns_of_clause = vec![Vec::new(); clauses.len()];
        let mut always = Vec::new();
        for (p, need) in needs.iter().enumerate() {
            match need.iter().copied().max_by_key(|&c| rarity(c)) {
                Some(c) => patterns_of_clause[c].push(p),
                None => always.push(p),
            }
        }
        Prefilter {
            // The search runs on every sentence: an automaton over characters.
            words: (!words.is_empty())
                .then(|| CharwiseDoubleArrayAhoCorasick::new(&words).expect("prefilter words")),
            clauses_of_word,
            needs: needs.iter().map(|n| clause_masks(n)).collect(),
            patterns_of_clause,
            always,
            blocks: clauses.len().div_ceil(64),
        }
    }

    /// For each pattern, whether it may match `typed` (false only when it cannot).
    pub(super) fn possible(&self, typed: &str) -> Vec<bool> {
        // Each clause holds where one of its words occurs.
        let mut holds = vec![0u64; self.blocks];
        for m in self
            .words
            .iter()
            .flat_map(|w| w.find_overlapping_iter(typed))
        {
            for &c in &self.clauses_of_word[m.value() as usize] {
                holds[c / 64] |= 1 << (c % 64);
            }
        }
        let mut possible = vec![false; self.needs.len()];
        for &p in &self.always {
            possible[p] = true;
        }
        for (b, &block) in holds.iter().enumerate() {
            let mut bits = block;
            while bits != 0 {
                let c = b * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                for &p in &self.patterns_of_clause[c] {
                    possible[p] = self.needs[p]
                        .iter()
                        .all(|&(b, mask)| holds[b] & mask == mask);
                }
            }
        }
        possible
    }
}

/// A set of clause indices as (block, mask) pairs of a bit set, one per block used.
fn clause_masks(clauses: &[usize]) -> Vec<(usize, u64)> {
    let mut masks: Vec<(usize, u64)> = Vec::new();
    for &c in clauses {
        let bit = 1u64 << (c % 64);
        match masks.iter_mut().find(|(b, _)| *b == c / 64) {
            Some((_, mask)) => *mask |= bit,
            None => masks.push((c / 64, bit)),
        }
    }
    masks
}

/// Whether a word tells sentences apart: not empty, and not made only of what
/// the placeholder of any mention holds (`⟦`, `#3`, `⟧`). A class name is
/// selective (`⟦Person#` is only where a person is mentioned).
fn selective(word: &str) -> bool {
    !word.is_empty()
        && !word
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '#' | '⟦' | '⟧'))
}

/// Whether a word is of the sentence's own text, not only of its
/// placeholders' class names: such words exclude more sentences.
fn textual(word: &str) -> bool {
    word.chars()
        .any(|c| !c.is_ascii_alphanumeric() && !matches!(c, '#' | '⟦' | '⟧'))
}

/// Clauses every match of `hir` satisfies: each clause is a set of words, one
/// of which the match contains.
fn needed_words(hir: &Hir) -> Vec<Clause> {
    match hir.kind() {
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(word) => vec![vec![word.to_string()]],
            Err(_) => Vec::new(),
        },
        // A few characters, one of which stands there (在|于 becomes [于在]).
        HirKind::Class(Class::Unicode(class)) if class_size(class) <= MAX_CLASS_WORDS => {
            vec![
                class
                    .iter()
                    .flat_map(|r| r.start()..=r.end())
                    .map(String::from)
                    .collect(),
            ]
        }
        HirKind::Capture(cap) => needed_words(&cap.sub),
        HirKind::Repetition(rep) if rep.min >= 1 => needed_words(&rep.sub),
        HirKind::Concat(parts) => parts.iter().flat_map(needed_words).collect(),
        HirKind::Alternation(branches) => {
            // Every branch must give a clause; their union is one.
            let mut union = Vec::new();
            for branch in branches {
                match best_clause(needed_words(branch)) {
                    Some(clause) => union.extend(clause),
                    None => return Vec::new(),
                }
            }
            union.sort();
            union.dedup();
            vec![union]
        }
        _ => Vec::new(),
    }
}

/// The most characters a class may have to count as a clause of words.
const MAX_CLASS_WORDS: usize = 8;

/// How many characters a class holds.
fn class_size(class: &ClassUnicode) -> usize {
    class
        .iter()
        .map(|r| r.end() as usize - r.start() as usize + 1)
        .sum()
}

/// The clause that excludes most sentences: selective words, words of the
/// text rather than class names, the shortest of which is longest, fewest words.
fn best_clause(clauses: Vec<Clause>) -> Option<Clause> {
    clauses.into_iter().max_by_key(|c| {
        (
            c.iter().all(|w| selective(w)),
            c.iter().all(|w| textual(w)),
            c.iter().map(|w| w.chars().count()).min().unwrap_or(0),
            std::cmp::Reverse(c.len()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    const PATTERNS: [&str; 5] = [
        r"(?P<S>⟦(?:Company|Park)#\d+⟧)(?:位于|坐落于|落户)(?:在)?(?P<O>⟦Park#\d+⟧)",
        r"由(?P<S>⟦Company#\d+⟧)(?:[^⟦⟧。]){0,30}?(?:牵头|主导)(?P<O>⟦Platform#\d+⟧)",
        r"(?:^|[,;])与(?P<O>⟦University#\d+⟧)(?:开展)?合作",
        r"(?P<O>⟦Park#\d+⟧)的(?P<S>⟦Company#\d+⟧)",
        r"(?P<S>⟦Company#\d+⟧)(?:[^⟦⟧]{0,3})(?P<O>⟦Industry#\d+⟧)",
    ];

    const TEXTS: [&str; 7] = [
        "⟦Company#0⟧位于⟦Park#1⟧",
        "⟦Company#0⟧落户在⟦Park#1⟧东区",
        "由⟦Company#0⟧和几家单位牵头⟦Platform#1⟧",
        "由⟦Company#0⟧牵⟦Platform#1⟧",
        "今年,与⟦University#2⟧开展合作",
        "⟦Park#0⟧的⟦Company#1⟧投产",
        "⟦Company#0⟧专注⟦Industry#1⟧",
    ];

    #[test]
    fn a_pattern_that_matches_is_always_possible() {
        let filter = Prefilter::new(PATTERNS);
        for text in TEXTS {
            let possible = filter.possible(text);
            for (pattern, ok) in PATTERNS.iter().zip(possible) {
                if Regex::new(pattern).unwrap().is_match(text) {
                    assert!(ok, "{pattern} matches {text} but was filtered out");
                }
            }
        }
    }

    #[test]
    fn a_pattern_without_its_words_is_skipped() {
        let filter = Prefilter::new(PATTERNS);
        assert_eq!(
            filter.possible("⟦Company#0⟧投资⟦Industry#1⟧"),
            [false, false, false, false, true]
        );
        assert_eq!(
            filter.possible("由⟦Company#0⟧牵⟦Industry#1⟧"),
            [false, false, false, false, true]
        );
    }

    #[test]
    fn a_pattern_without_a_mention_of_its_slot_class_is_skipped() {
        let filter = Prefilter::new(PATTERNS);
        assert_eq!(
            filter.possible("⟦Company#0⟧专注⟦Product#1⟧"),
            [false, false, false, false, false]
        );
        assert_eq!(
            filter.possible("⟦Region#0⟧的⟦Company#1⟧"),
            [false, false, false, false, false]
        );
        assert_eq!(
            filter.possible("⟦Park#0⟧的⟦Company#1⟧"),
            [false, false, false, true, false]
        );
    }
}
