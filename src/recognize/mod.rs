//! Recognise: find entity mentions in a segmented sentence.
//!
//! Mentions come from four general mechanisms, in order of trust:
//! 1. **reference dictionaries** (administrative divisions, honours, industries,
//!    fixed government bodies, well-known companies, banks and media), matched
//!    on word boundaries;
//! 2. **name suffixes** (有限公司, 高新区, 重点实验室, …): the name's left edge is
//!    found by walking the segmentation leftwards until a boundary word, a verb
//!    or preposition, punctuation, or the end of another name;
//! 3. **coordinated lists** closed by a head noun (`A、B、C等5家企业`): every member
//!    gets the head's class;
//! 4. **context**: people after a title word (记者, 总经理), companies written as a
//!    short name plus a trade word (泰晶科技, 楚天药业).
//!
//! Overlapping candidates are settled longest first, then by trust.

mod context;
mod dictionary;
mod document;
mod lists;
mod person;
mod places;
mod revise;
mod suffix;

use crate::mention::{Mention, Source};
use crate::resources::{Resources, SuffixRule, WordSet};
use crate::segment::Token;
use crate::vocab::Class;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use daachorse::CharwiseDoubleArrayAhoCorasick;
use dictionary::dictionary_entries;
use rustc_hash::{FxHashMap, FxHashSet};

#[derive(Debug, Clone)]
struct DictEntry {
    class: Class,
    canonical: String,
    /// Bare industry names are kept only where a boundary follows them.
    needs_boundary: bool,
    /// Listed companies' short names are kept only where no noun continues
    /// them into a longer name (沧州明珠 + 服装商贸产业集群).
    ends_name: bool,
}

/// The entity recogniser, built once from the resources.
pub struct Recognizer {
    /// Every surface of the reference dictionaries; matched overlapping, so a
    /// name that straddles a word boundary (大新 in 壮大新兴产业) hides no other;
    /// an automaton over characters (none for an empty dictionary).
    dict: Option<CharwiseDoubleArrayAhoCorasick<u32>>,
    dict_entries: Vec<DictEntry>,
    /// The cities and counties of the division list (not provinces or foreign
    /// places), whose short form before a product names a local brand (安吉白茶).
    local_regions: FxHashSet<String>,
    /// The cities that have a district named by a common noun (`common_noun_place`:
    /// 阳泉市 has a 郊区), before which that noun names the district.
    common_noun_place_parents: FxHashSet<String>,
    /// The entry of each surface, for whole-text look-ups.
    dict_index: FxHashMap<String, usize>,
    suffixes: AhoCorasick,
    suffix_rules: Vec<SuffixRule>,
    heads: AhoCorasick,
    head_entries: Vec<crate::resources::HeadEntry>,
    trade_words: AhoCorasick,
    weak_trade_words: FxHashSet<String>,
    /// The lexicon's words by kind, hashed for the many look-ups of each sentence.
    words: FxHashMap<String, WordSet>,
    /// A section of a numbered road: `route_prefix`, number, 线, 甲至乙段.
    route_section: regex::Regex,
}

impl Recognizer {
    /// Builds the automata from the resources.
    pub fn new(res: &Resources) -> Self {
        let (surfaces, dict_entries) = dictionary_entries(res);
        let dict = (!surfaces.is_empty())
            .then(|| CharwiseDoubleArrayAhoCorasick::new(&surfaces).expect("dictionary automaton"));
        let dict_index = surfaces
            .into_iter()
            .enumerate()
            .map(|(i, s)| (s, i))
            .collect();
        let suffixes = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .build(res.suffixes.iter().map(|s| &s.suffix))
            .expect("suffix automaton");
        let heads = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(res.heads.iter().map(|h| &h.head))
            .expect("head automaton");
        let weak_trade_words: FxHashSet<String> = res
            .org_words
            .get("company_weak_word")
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let trade_words = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::LeftmostLongest)
            .build(res.trade_words())
            .expect("trade-word automaton");
        let route_prefixes: Vec<String> = res
            .lexicon
            .get("route_prefix")
            .into_iter()
            .flatten()
            .map(|w| regex::escape(w))
            .collect();
        let route_section = regex::Regex::new(&format!(
            r"(?:{})\d{{1,4}}线[^至段，。、；：,;:\s]{{1,12}}至[^至段，。、；：,;:\s]{{1,12}}段",
            route_prefixes.join("|")
        ))
        .expect("route section regex");
        let local_regions = res
            .regions_by_level()
            .into_iter()
            .filter(|r| r.level == "city" || r.level == "county")
            .map(|r| r.name.clone())
            .collect();
        let common_noun_place_parents = common_noun_place_parents(res);
        Recognizer {
            dict,
            route_section,
            dict_entries,
            local_regions,
            common_noun_place_parents,
            dict_index,
            suffixes,
            suffix_rules: res.suffixes.clone(),
            heads,
            head_entries: res.heads.clone(),
            trade_words,
            weak_trade_words,
            words: res
                .lexicon
                .iter()
                .map(|(kind, words)| (kind.clone(), words.clone()))
                .collect(),
        }
    }

    /// The suffixes found in a sentence, overlapping ones too: (start, end, rule).
    fn suffix_hits(&self, text: &str) -> Vec<(usize, usize, usize)> {
        self.suffixes
            .find_overlapping_iter(text)
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    fn is(&self, kind: &str, word: &str) -> bool {
        self.word_set(kind).is_some_and(|s| s.contains(word))
    }

    /// Whether the one-character word `c` is of the lexicon kind `kind`.
    fn is_char(&self, kind: &str, c: char) -> bool {
        self.is(kind, c.encode_utf8(&mut [0; 4]))
    }

    /// The words of a lexicon kind, looked up once for a loop over the tokens.
    fn word_set(&self, kind: &str) -> Option<&WordSet> {
        self.words.get(kind)
    }

    /// Whether `word` is of the lexicon kind named `prefix` + `name`
    /// (`lead_trim_` + `Company`); the kind's name is put together on the stack.
    fn is_kind(&self, prefix: &str, name: &str, word: &str) -> bool {
        let mut buf = [0u8; 96];
        let len = prefix.len() + name.len();
        let Some(key) = buf.get_mut(..len) else {
            return self.is(&format!("{prefix}{name}"), word);
        };
        key[..prefix.len()].copy_from_slice(prefix.as_bytes());
        key[prefix.len()..].copy_from_slice(name.as_bytes());
        std::str::from_utf8(key).is_ok_and(|kind| self.is(kind, word))
    }

    fn words(&self, kind: &str) -> impl Iterator<Item = &String> {
        self.words.get(kind).into_iter().flatten()
    }

    /// Whether a word opens with a pronoun-like character (各村, 本区).
    fn opens_with_pronoun(&self, w: &str) -> bool {
        w.chars()
            .next()
            .is_some_and(|c| self.is_char("pronoun_start", c))
    }

    /// Finds the mentions of one sentence, sorted by position, without overlaps.
    pub fn recognize(&self, text: &str, tokens: &[Token]) -> Vec<Mention> {
        let ctx = SentenceContext::new(text, tokens);
        let mut cands = Vec::new();
        self.dictionary_mentions(&ctx, &mut cands);
        let suffix_hits = self.suffix_hits(text);
        let ends = self.entity_ends(&ctx, &cands, &suffix_hits);
        let dictionary_count = cands.len();
        self.suffix_mentions(&ctx, &ends, &suffix_hits, &mut cands);
        drop_names_crossing_known_ones(&ctx, &mut cands, dictionary_count);
        self.person_mentions(&ctx, &mut cands);
        self.trade_name_mentions(&ctx, &mut cands);
        self.source_name_mentions(&ctx, &mut cands);
        self.anaphor_mentions(&ctx, &mut cands);
        self.local_place_mentions(&ctx, &mut cands);
        self.route_section_mentions(&ctx, &mut cands);
        self.byline_mentions(&ctx, &mut cands);
        let mut chosen = settle(cands);
        self.list_mentions(&ctx, &ends, &mut chosen);
        self.company_list_members(&ctx, &ends, &mut chosen);
        self.apposition_mentions(&ctx, &mut chosen);
        self.leader_list_mentions(&ctx, &mut chosen);
        chosen.sort_by_key(|m| m.start);
        self.extend_units(&ctx, &mut chosen);
        self.group_industry_mentions(&ctx, &mut chosen);
        self.class_from_list_neighbours(&ctx, &mut chosen);
        self.drop_listed_technologies(&ctx, &mut chosen);
        self.drop_honour_goals(&ctx, &mut chosen);
        self.shared_suffixes(&ctx, &mut chosen);
        self.anchor_bodies(&mut chosen);
        self.routes_between_regions(&ctx, &mut chosen);
        self.route_openings(&ctx, &mut chosen);
        chosen
    }
}

/// Drops the names found by suffix (those from `first` on) whose edge falls
/// inside an industry, honour or body of the dictionary: 2011年中国工程 ends
/// inside 工程机械行业, so it names no project. An industry whose left edge
/// falls inside a known industry takes all of it instead (联 + 汽车产业集群
/// after 智能网联汽车 is 智能网联汽车产业集群).
fn drop_names_crossing_known_ones(ctx: &SentenceContext, cands: &mut Vec<Mention>, first: usize) {
    let known: Vec<(usize, usize, Class)> = cands[..first]
        .iter()
        .filter(|m| {
            matches!(
                m.class,
                Class::Industry | Class::Honor | Class::GovernmentBody
            )
        })
        .map(|m| (m.start, m.end, m.class))
        .collect();
    let mut found_by_suffix = cands.split_off(first);
    for m in &mut found_by_suffix {
        let opened_inside = known.iter().find(|&&(s, e, class)| {
            class == Class::Industry && s < m.start && m.start < e && e < m.end
        });
        if let Some(&(s, _, _)) = opened_inside
            && m.class == Class::Industry
        {
            *m = ctx.mention(s, m.end, m.class, None, m.source);
        }
    }
    let crosses = |m: &Mention| {
        known.iter().any(|&(s, e, _)| {
            (m.start < s && s < m.end && m.end < e) || (s < m.start && m.start < e && e < m.end)
        })
    };
    cands.extend(found_by_suffix.into_iter().filter(|m| !crosses(m)));
}

/// Settles overlapping candidates: longest first, then the most trusted source.
fn settle(mut cands: Vec<Mention>) -> Vec<Mention> {
    cands.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.source.cmp(&b.source))
            .then(a.start.cmp(&b.start))
    });
    let mut chosen: Vec<Mention> = Vec::new();
    for c in cands {
        if chosen.iter().all(|m| c.end <= m.start || m.end <= c.start) {
            chosen.push(c);
        }
    }
    chosen
}

/// A sentence with its tokens and fast look-ups by byte offset.
struct SentenceContext<'a> {
    text: &'a str,
    tokens: &'a [Token<'a>],
    /// The token starting at each byte offset.
    starts: Boundaries,
    /// The token ending at each byte offset.
    ends: Boundaries,
}

/// For each byte offset of a sentence, the index of the token with a boundary
/// there, if any: a look-up is one array read.
struct Boundaries(Vec<u32>);

impl Boundaries {
    const NONE: u32 = u32::MAX;

    fn new(len: usize, offsets: impl Iterator<Item = usize>) -> Self {
        let mut index = vec![Self::NONE; len + 1];
        for (i, pos) in offsets.enumerate() {
            // A later token at the same offset replaces an earlier one.
            if let Some(slot) = index.get_mut(pos) {
                *slot = i as u32;
            }
        }
        Boundaries(index)
    }

    /// Whether a token has this boundary at `pos`.
    fn contains(&self, pos: &usize) -> bool {
        self.get(*pos).is_some()
    }

    /// The index of the token with this boundary at `pos`.
    fn get(&self, pos: usize) -> Option<usize> {
        self.0
            .get(pos)
            .filter(|&&i| i != Self::NONE)
            .map(|&i| i as usize)
    }
}

impl<'a> SentenceContext<'a> {
    fn new(text: &'a str, tokens: &'a [Token<'a>]) -> Self {
        let len = tokens
            .iter()
            .map(|t| t.end)
            .max()
            .unwrap_or(0)
            .max(text.len());
        SentenceContext {
            text,
            tokens,
            starts: Boundaries::new(len, tokens.iter().map(|t| t.start)),
            ends: Boundaries::new(len, tokens.iter().map(|t| t.end)),
        }
    }

    fn aligned(&self, start: usize, end: usize) -> bool {
        self.starts.contains(&start) && self.ends.contains(&end)
    }

    fn token_ending_at(&self, end: usize) -> Option<usize> {
        self.ends.get(end)
    }

    fn token_starting_at_idx(&self, start: usize) -> Option<usize> {
        self.starts.get(start)
    }

    fn token_starting_at(&self, start: usize) -> Option<&Token<'a>> {
        self.token_starting_at_idx(start).map(|i| &self.tokens[i])
    }

    fn token_containing(&self, pos: usize) -> Option<usize> {
        self.tokens
            .iter()
            .position(|t| t.start <= pos && pos < t.end)
    }

    fn mention(
        &self,
        start: usize,
        end: usize,
        class: Class,
        canonical: Option<String>,
        source: Source,
    ) -> Mention {
        Mention {
            start,
            end,
            text: self.text[start..end].to_string(),
            class,
            canonical,
            source,
        }
    }
}

/// The character a one-character word is made of (项 in 8 + 项), if it is one.
fn only_char(word: &str) -> Option<char> {
    let mut chars = word.chars();
    chars.next().filter(|_| chars.next().is_none())
}

/// The names of the regions that hold a division named by a word of
/// `common_noun_place` (城区, 郊区, 矿区).
fn common_noun_place_parents(res: &Resources) -> FxHashSet<String> {
    let common = res.words("common_noun_place");
    let parent_codes: FxHashSet<&str> = res
        .regions
        .iter()
        .filter(|r| common.contains(r.name.as_str()))
        .filter_map(|r| r.parent_code.as_deref())
        .collect();
    res.regions
        .iter()
        .filter(|r| parent_codes.contains(r.code.as_str()))
        .map(|r| r.name.clone())
        .collect()
}
