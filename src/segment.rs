//! Segment: jieba-rs word segmentation and part-of-speech tagging, with a
//! domain dictionary built from `data/` (domain words, region, honour and
//! industry names, name suffixes), so that names and suffixes come out as words.

use crate::resources::Resources;
use jieba_rs::Jieba;
use std::io::BufReader;

/// A word of a sentence with its part-of-speech tag (jieba / ICTCLAS tag set),
/// borrowed from the sentence and the segmenter's dictionary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// The word.
    pub word: &'a str,
    /// Part-of-speech tag (`n`, `ns`, `v`, …).
    pub tag: &'a str,
    /// Byte offset of the word in the sentence.
    pub start: usize,
    /// Byte offset just past the word.
    pub end: usize,
    /// Whether the word is in the dictionary (false: an unknown word found by the HMM).
    pub known: bool,
}

/// A segmenter loaded with the default and the domain dictionaries.
pub struct Segmenter {
    jieba: Jieba,
}

impl Segmenter {
    /// Builds the segmenter: jieba's default dictionary plus `data/domain.dict`
    /// and the names of the reference dictionaries.
    pub fn new(res: &Resources) -> Result<Self, jieba_rs::Error> {
        let mut jieba = Jieba::new();
        let mut dict = String::new();
        let mut add = |word: &str, freq: usize, tag: &str| {
            if word.chars().count() >= 2 && !word.contains(char::is_whitespace) {
                dict.push_str(&format!("{word} {freq} {tag}\n"));
            }
        };
        for r in &res.regions {
            add(&r.name, 5000, "ns");
            for s in &r.short_forms {
                if !jieba.has_word(s) {
                    add(s, 2000, "ns");
                }
            }
        }
        // Honours by name and alias: an alias glued to what follows
        // (示范企业 + 名单 read as 示范 + 企业名单) would hide the honour.
        for h in &res.honors {
            for form in std::iter::once(&h.name).chain(&h.aliases) {
                add(form, 3000, "nz");
            }
        }
        for g in &res.gov_bodies {
            for form in std::iter::once(&g.name).chain(&g.aliases) {
                add(form, 3000, "nt");
            }
        }
        for name in res.org_words.get("known_company").into_iter().flatten() {
            add(name, 3000, "nt");
        }
        for s in &res.suffixes {
            add(&s.suffix, 3000, "n");
        }
        for line in res.domain_dict.lines() {
            let line = line.trim();
            if !line.is_empty() && !line.starts_with('#') {
                dict.push_str(line);
                dict.push('\n');
            }
        }
        jieba.load_dict(&mut BufReader::new(dict.as_bytes()))?;
        Ok(Segmenter { jieba })
    }

    /// Segments and tags one sentence.
    pub fn tag<'a>(&'a self, sentence: &'a str) -> Vec<Token<'a>> {
        let tokens = self.tag_known(sentence, true);
        let mut out = Vec::with_capacity(tokens.len());
        for t in tokens {
            match self.split_adverb(&t) {
                Some(parts) => out.extend(parts),
                None => out.push(t),
            }
        }
        out
    }

    /// Segments and tags a text, guessing unknown words with the HMM or not.
    fn tag_known<'a>(&'a self, text: &'a str, hmm: bool) -> Vec<Token<'a>> {
        self.jieba
            .tag(text, hmm)
            .into_iter()
            .map(|t| Token {
                word: t.word,
                tag: t.tag,
                start: t.byte_start,
                end: t.byte_end,
                known: self.jieba.has_word(t.word),
            })
            .collect()
    }

    /// A word tagged as a personal name (by the HMM, or by a slip of jieba's
    /// dictionary) that is an adjective or adverb of the dictionary and the verb
    /// after it (郑重宣布: 郑重 + 宣布): the tokens of those two words; none for
    /// any other token, which stays as it is.
    fn split_adverb<'a>(&'a self, t: &Token<'a>) -> Option<Vec<Token<'a>>> {
        let adverb_then_verb = |split: usize| {
            let (head, rest) = t.word.split_at(split);
            let tags = |w: &'a str| self.tag_known(w, false);
            let (head_tags, rest_tags) = (tags(head), tags(rest));
            matches!(head_tags.as_slice(), [h] if h.known && matches!(h.tag, "a" | "ad" | "d"))
                && matches!(rest_tags.as_slice(), [r] if r.known && r.tag.starts_with('v'))
        };
        if t.tag != "nr" {
            return None;
        }
        let i = t
            .word
            .char_indices()
            .skip(2)
            .map(|(i, _)| i)
            .find(|&i| adverb_then_verb(i))?;
        let parts = [(t.start, &t.word[..i]), (t.start + i, &t.word[i..])];
        Some(
            parts
                .into_iter()
                .flat_map(|(start, w)| {
                    self.tag_known(w, false).into_iter().map(move |p| Token {
                        start: start + p.start,
                        end: start + p.end,
                        ..p
                    })
                })
                .collect(),
        )
    }
}
