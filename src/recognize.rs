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

use crate::normalize::is_cjk;
use crate::resources::{Resources, SuffixRule};
use crate::segment::Token;
use crate::vocab::Class;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::{BTreeSet, HashMap, HashSet};

/// How a mention was found (recorded for diagnostics; lower is more trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A reference dictionary.
    Dictionary,
    /// A name suffix with its left edge.
    Suffix,
    /// A member of a coordinated list.
    List,
    /// Context (titles, trade words).
    Context,
    /// A clause that says what the name is (远翔精工是…领域的龙头企业).
    Apposition,
}

/// An entity mention in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset in the sentence.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The surface text.
    pub text: String,
    /// The class.
    pub class: Class,
    /// The canonical name given by a dictionary (随州 → 随州市), if any.
    pub canonical: Option<String>,
    /// How it was found.
    pub source: Source,
}

#[derive(Debug, Clone)]
struct DictEntry {
    class: Class,
    canonical: String,
    /// Bare industry names are kept only where a boundary follows them.
    needs_boundary: bool,
}

/// The entity recogniser, built once from the resources.
pub struct Recognizer {
    dict: AhoCorasick,
    dict_entries: Vec<DictEntry>,
    suffixes: AhoCorasick,
    suffix_rules: Vec<SuffixRule>,
    heads: AhoCorasick,
    head_entries: Vec<crate::resources::HeadEntry>,
    trade_words: AhoCorasick,
    weak_trade_words: HashSet<String>,
    words: HashMap<String, HashSet<String>>,
}

/// Level prefixes that may stand before an honour name (省级瞪羚企业).
const HONOR_LEVELS: &[&str] = &["国家级", "国家", "省级", "市级", "区级", "县级", "首批"];
/// Endings that turn an industry name into an industry mention (新材料产业).
const INDUSTRY_FORMS: &[&str] = &["", "产业", "行业"];

impl Recognizer {
    /// Builds the automata from the resources.
    pub fn new(res: &Resources) -> Self {
        let mut surfaces: Vec<String> = Vec::new();
        let mut dict_entries = Vec::new();
        let mut seen = HashSet::new();
        let mut push = |surface: String, entry: DictEntry| {
            if surface.chars().count() >= 2 && seen.insert(surface.clone()) {
                surfaces.push(surface);
                dict_entries.push(entry);
            }
        };
        for g in &res.gov_bodies {
            for form in std::iter::once(&g.name).chain(&g.aliases) {
                push(
                    form.clone(),
                    DictEntry {
                        class: Class::GovernmentBody,
                        canonical: g.name.clone(),
                        needs_boundary: false,
                    },
                );
            }
        }
        // Companies, banks and media the press names without a legal form.
        for name in res.org_words.get("known_company").into_iter().flatten() {
            push(
                name.clone(),
                DictEntry {
                    class: Class::Company,
                    canonical: name.clone(),
                    needs_boundary: false,
                },
            );
        }
        for h in &res.honors {
            for form in std::iter::once(&h.name).chain(&h.aliases) {
                for level in std::iter::once(&"").chain(HONOR_LEVELS) {
                    push(
                        format!("{level}{form}"),
                        DictEntry {
                            class: Class::Honor,
                            canonical: h.name.clone(),
                            needs_boundary: false,
                        },
                    );
                }
            }
        }
        for r in res.regions_by_level() {
            for form in std::iter::once(&r.name).chain(&r.short_forms) {
                push(
                    form.clone(),
                    DictEntry {
                        class: Class::Region,
                        canonical: r.name.clone(),
                        needs_boundary: false,
                    },
                );
            }
        }
        for ind in &res.industries {
            for form in std::iter::once(&ind.name).chain(&ind.aliases) {
                for ending in INDUSTRY_FORMS {
                    push(
                        format!("{form}{ending}"),
                        // Industry names are kept as written: an alias is often a
                        // narrower industry (移动应急装备 under 应急产业); the resolver
                        // merges true short forms (专汽产业 = 专用汽车产业).
                        DictEntry {
                            class: Class::Industry,
                            canonical: format!("{form}{ending}"),
                            needs_boundary: ending.is_empty(),
                        },
                    );
                }
            }
        }
        let dict = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&surfaces)
            .expect("dictionary automaton");
        let suffixes = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(res.suffixes.iter().map(|s| &s.suffix))
            .expect("suffix automaton");
        let heads = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(res.heads.iter().map(|h| &h.head))
            .expect("head automaton");
        let weak_trade_words: HashSet<String> = res
            .org_words
            .get("company_weak_word")
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        let trade_words = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(res.trade_words())
            .expect("trade-word automaton");
        Recognizer {
            dict,
            dict_entries,
            suffixes,
            suffix_rules: res.suffixes.clone(),
            heads,
            head_entries: res.heads.clone(),
            trade_words,
            weak_trade_words,
            words: res.lexicon.clone(),
        }
    }

    fn is(&self, kind: &str, word: &str) -> bool {
        self.words.get(kind).is_some_and(|s| s.contains(word))
    }

    fn words(&self, kind: &str) -> impl Iterator<Item = &String> {
        self.words.get(kind).into_iter().flatten()
    }

    /// Finds the mentions of one sentence, sorted by position, without overlaps.
    pub fn recognize(&self, text: &str, tokens: &[Token]) -> Vec<Mention> {
        let ctx = SentenceContext::new(text, tokens);
        let mut cands = Vec::new();
        self.dictionary_mentions(&ctx, &mut cands);
        let ends = self.entity_ends(&ctx, &cands);
        self.suffix_mentions(&ctx, &ends, &mut cands);
        self.person_mentions(&ctx, &mut cands);
        self.trade_name_mentions(&ctx, &mut cands);
        self.source_name_mentions(&ctx, &mut cands);
        self.anaphor_mentions(&ctx, &mut cands);
        self.local_place_mentions(&ctx, &mut cands);
        let mut chosen = settle(cands);
        self.list_mentions(&ctx, &ends, &mut chosen);
        self.apposition_mentions(&ctx, &mut chosen);
        self.leader_list_mentions(&ctx, &mut chosen);
        chosen.sort_by_key(|m| m.start);
        self.group_industry_mentions(&ctx, &mut chosen);
        self.class_from_list_neighbours(&ctx, &mut chosen);
        self.drop_listed_technologies(&ctx, &mut chosen);
        self.drop_honour_goals(&ctx, &mut chosen);
        self.shared_suffixes(&ctx, &mut chosen);
        self.anchor_bodies(&mut chosen);
        chosen
    }

    /// A group of industries that closes a list (人工智能、量子科技等未来产业):
    /// an industry of its own, of which the listed ones are segments. Named
    /// without members (聚焦战略性新兴产业) it is a slogan, not an entity. Likewise
    /// a chain named right after a list (…、偏光片等显示产业链), whatever its words' tags.
    fn group_industry_mentions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            if t.word != "等" {
                continue;
            }
            // 等 + an optional count (三大, 5个) + the group's name.
            let mut start = t.end;
            for next in ctx.tokens.iter().skip(i + 1).take(2) {
                if !matches!(next.tag.chars().next(), Some('m' | 'q')) {
                    break;
                }
                start = next.end;
            }
            let group_end = self
                .words("industry_group")
                .filter(|g| ctx.text[start..].starts_with(g.as_str()))
                .map(|g| start + g.len())
                .max();
            // Or one or two words and a chain word (等显示产业链): 等 opens the name.
            let chain_end = || {
                let first = ctx.token_starting_at_idx(start)?;
                (first + 1..(first + 3).min(ctx.tokens.len()))
                    .find(|&k| self.is("industry_chain_word", &ctx.tokens[k].word))
                    .map(|k| ctx.tokens[k].end)
                    .filter(|&end| {
                        let name = &ctx.text[start..end];
                        name.chars().all(is_cjk) && (4..=8).contains(&name.chars().count())
                    })
            };
            let Some(end) = group_end.or_else(chain_end) else {
                continue;
            };
            if ctx.aligned(start, end) && !chosen.iter().any(|m| m.start < end && start < m.end) {
                chosen.push(ctx.mention(start, end, Class::Industry, None, Source::List));
            }
        }
        chosen.sort_by_key(|m| m.start);
    }

    /// A name guessed from a trade word (光阻材料, 空天信息) that is listed
    /// (、和及与) only beside products or only beside industries is one of
    /// them, not a company.
    fn class_from_list_neighbours(&self, ctx: &SentenceContext, chosen: &mut [Mention]) {
        let joined = |a: &Mention, b: &Mention| {
            a.end <= b.start
                && matches!(&ctx.text[a.end..b.start], "、" | "和" | "及" | "与" | "以及")
        };
        for k in 0..chosen.len() {
            if chosen[k].class != Class::Company || chosen[k].source != Source::Context {
                continue;
            }
            let mut classes = Vec::new();
            if k > 0 && joined(&chosen[k - 1], &chosen[k]) {
                classes.push(chosen[k - 1].class);
            }
            if k + 1 < chosen.len() && joined(&chosen[k], &chosen[k + 1]) {
                classes.push(chosen[k + 1].class);
            }
            if let Some(&first) = classes.first()
                && matches!(first, Class::Product | Class::Industry)
                && classes.iter().all(|&c| c == first)
            {
                chosen[k].class = first;
            }
        }
    }

    /// Industry names listed before a head that calls them technologies
    /// (大数据、人工智能等新技术, 研发设计、检验检测等业务) name techniques or
    /// services there, not industries: `technology_head` in the lexicon.
    fn drop_listed_technologies(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            if t.word != "等" && t.word != "等等" {
                continue;
            }
            let head: String = ctx.tokens[i + 1..]
                .iter()
                .take(3)
                .map(|t| t.word.as_str())
                .collect();
            if !self
                .words("technology_head")
                .any(|h| head.starts_with(h.as_str()))
            {
                continue;
            }
            // The list: back from 等 to the punctuation that opens the clause.
            let open = ctx.tokens[..i]
                .iter()
                .rposition(|t| matches!(t.word.as_str(), "," | "。" | ";" | ":" | "!" | "?"))
                .map_or(0, |k| ctx.tokens[k].end);
            let listed = |m: &Mention| {
                let next = ctx.text[m.end..].chars().next();
                m.class == Class::Industry
                    && m.start >= open
                    && m.end <= t.start
                    && (m.end == t.start || next.is_some_and(|c| "、和及与".contains(c)))
            };
            chosen.retain(|m| !listed(m));
        }
    }

    /// An honour that a clause sets out to build (建设智能车间和智能工厂, 打造绿色工厂)
    /// is a goal, not an award: the last verb before it in its clause is one of
    /// `honor_goal_verb` in the lexicon, and no count of holders follows it.
    fn drop_honour_goals(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let goal = |m: &Mention| {
            // 建设…双创服务基地2家 counts holders: an award all the same.
            let counted = ctx.text[m.end..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || "一二两三四五六七八九十百".contains(*c))
                .count()
                > 0;
            if m.class != Class::Honor || counted {
                return false;
            }
            let verb = ctx
                .tokens
                .iter()
                .rev()
                .filter(|t| t.end <= m.start)
                .take_while(|t| !matches!(t.word.as_str(), "," | "。" | ";" | ":"))
                .find(|t| {
                    t.tag.starts_with('v')
                        && !chosen.iter().any(|o| o.start <= t.start && t.end <= o.end)
                });
            verb.is_some_and(|t| self.is("honor_goal_verb", &t.word))
        };
        let keep: Vec<bool> = chosen.iter().map(|m| !goal(m)).collect();
        let mut k = keep.iter();
        chosen.retain(|_| *k.next().unwrap_or(&true));
    }

    /// Companies named as the source of figures by a Latin name (据DisplaySearch
    ///统计, WitsView数据显示): a Latin word with a capital letter after 据 or
    /// before a word of reporting (`source_cue` in the lexicon).
    fn source_name_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            let w = t.word.as_str();
            let latin = w.chars().count() >= 3
                && w.chars().any(|c| c.is_ascii_uppercase())
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-.&".contains(c))
                && w.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
            if !latin {
                continue;
            }
            let after_ju = i > 0 && matches!(ctx.tokens[i - 1].word.as_str(), "据" | "根据");
            let before_cue = ctx
                .tokens
                .get(i + 1)
                .is_some_and(|n| self.is("source_cue", &n.word));
            if after_ju || before_cue {
                out.push(ctx.mention(t.start, t.end, Class::Company, None, Source::Context));
            }
        }
    }

    /// A bare body word (管委会) right after a body or park named in full takes
    /// that park: 宜宾高新区党工委书记、管委会主任 → 宜宾高新区管委会.
    fn anchor_bodies(&self, chosen: &mut [Mention]) {
        for i in 1..chosen.len() {
            let m = &chosen[i];
            if m.class != Class::GovernmentBody
                || m.canonical.is_some()
                || !self.is("anaphor", &m.text)
            {
                continue;
            }
            let prev = &chosen[i - 1];
            if m.start - prev.end > 24 {
                continue;
            }
            let base = match prev.class {
                Class::Park if !self.is("anaphor", &prev.text) => Some(prev.text.as_str()),
                Class::GovernmentBody => self
                    .words("anaphor")
                    .filter(|a| prev.text.ends_with(a.as_str()) && prev.text.len() > a.len())
                    .map(|a| &prev.text[..prev.text.len() - a.len()])
                    .next(),
                _ => None,
            };
            if let Some(base) = base.filter(|b| b.chars().count() >= 2) {
                chosen[i].canonical = Some(format!("{base}{}", m.text));
            }
        }
    }

    /// Places listed before a name that ends with a suffix share it:
    /// `宜昌、荆门、嘉兴高新区` names three parks, so 宜昌 and 荆门 become parks
    /// (宜昌高新区, 荆门高新区) rather than regions.
    fn shared_suffixes(&self, ctx: &SentenceContext, chosen: &mut [Mention]) {
        for k in 0..chosen.len() {
            let m = &chosen[k];
            if m.source != Source::Suffix || !matches!(m.class, Class::Park | Class::University) {
                continue;
            }
            let Some(rule) = self
                .suffix_rules
                .iter()
                .filter(|r| r.class == m.class && m.text.ends_with(r.suffix.as_str()))
                .max_by_key(|r| r.suffix.len())
            else {
                continue;
            };
            let prefix_end = m.end - rule.suffix.len();
            let starts_with_region = chosen
                .iter()
                .any(|r| r.class == Class::Region && r.start == m.start && r.end == prefix_end)
                || k > 0 && self.is_region_text(&ctx.text[m.start..prefix_end]);
            if !starts_with_region {
                continue;
            }
            let suffix = rule.suffix.clone();
            let class = m.class;
            let mut j = k;
            let mut left = m.start;
            while j > 0 {
                let prev = &chosen[j - 1];
                let between = &ctx.text[prev.end..left];
                if prev.class != Class::Region || !matches!(between, "、" | "和" | "与" | "及")
                {
                    break;
                }
                left = prev.start;
                j -= 1;
            }
            for item in &mut chosen[j..k] {
                item.canonical = Some(format!("{}{suffix}", item.text));
                item.class = class;
            }
        }
    }

    fn is_region_text(&self, text: &str) -> bool {
        self.is_dictionary_text(text, Class::Region)
    }

    /// Whether `text` is, as a whole, a dictionary name of `class`.
    fn is_dictionary_text(&self, text: &str, class: Class) -> bool {
        self.dict.find(text).is_some_and(|m| {
            m.start() == 0
                && m.end() == text.len()
                && self.dict_entries[m.pattern().as_usize()].class == class
        })
    }

    fn dictionary_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for m in self.dict.find_iter(ctx.text) {
            let e = &self.dict_entries[m.pattern().as_usize()];
            if !ctx.aligned(m.start(), m.end())
                && !(e.class == Class::Region && self.in_region_compound(ctx, m.start(), m.end()))
            {
                continue;
            }
            if e.needs_boundary && !self.boundary_follows(ctx, m.end()) {
                continue;
            }
            // 城区, 郊区: district names that are far more often common nouns,
            // places only right after their city (大同市城区).
            if e.class == Class::Region
                && self.is("common_noun_place", &ctx.text[m.start()..m.end()])
                && !out
                    .iter()
                    .any(|o| o.class == Class::Region && o.end == m.start())
            {
                continue;
            }
            out.push(ctx.mention(
                m.start(),
                m.end(),
                e.class,
                Some(e.canonical.clone()),
                Source::Dictionary,
            ));
        }
    }

    /// Whether `start..end` is one of the two halves of a word that is two region
    /// names run together (山西太原, 江西上饶): the segmenter keeps such a pair as
    /// one word, but the text names both places.
    fn in_region_compound(&self, ctx: &SentenceContext, start: usize, end: usize) -> bool {
        let Some(t) = ctx.token_containing(start).map(|i| &ctx.tokens[i]) else {
            return false;
        };
        let split = if t.start == start { end } else { start };
        end <= t.end
            && (t.start == start || t.end == end)
            && self.is_region_text(&ctx.text[t.start..split])
            && self.is_region_text(&ctx.text[split..t.end])
    }

    /// Whether a bare industry name at `end` is followed by a list separator,
    /// punctuation or a sector word, rather than by more of a longer noun.
    fn boundary_follows(&self, ctx: &SentenceContext, end: usize) -> bool {
        let rest = &ctx.text[end..];
        match rest.chars().next() {
            None => true,
            Some(c) if !c.is_alphanumeric() => true,
            Some(_) => {
                let next = ctx
                    .token_starting_at(end)
                    .map(|t| t.word.as_str())
                    .unwrap_or("");
                self.is("industry_boundary", next)
            }
        }
    }

    /// For each token index, the class of a dictionary or suffix name that ends with it.
    fn entity_ends(&self, ctx: &SentenceContext, dict: &[Mention]) -> HashMap<usize, Class> {
        let mut ends = HashMap::new();
        for m in dict {
            if let Some(i) = ctx.token_ending_at(m.end) {
                ends.insert(i, m.class);
            }
        }
        for m in self.suffixes.find_overlapping_iter(ctx.text) {
            // Only the suffixes of organisations and parks close a name; words
            // such as 工程, 产业 or 平台 also occur inside names (安徽工程大学).
            let rule = &self.suffix_rules[m.pattern().as_usize()];
            if let Some(i) = ctx.token_ending_at(m.end())
                && (rule.class.is_organization() || rule.class == Class::Park)
                // A suffix standing alone as a common word (园区) ends no name.
                && !self.is("generic", &ctx.tokens[i].word)
            {
                ends.entry(i).or_insert(rule.class);
            }
        }
        ends
    }

    fn suffix_mentions(
        &self,
        ctx: &SentenceContext,
        ends: &HashMap<usize, Class>,
        out: &mut Vec<Mention>,
    ) {
        // The longest suffix ending at each position.
        let mut best: HashMap<usize, (usize, usize)> = HashMap::new();
        for m in self.suffixes.find_overlapping_iter(ctx.text) {
            let len = m.end() - m.start();
            let e = best
                .entry(m.end())
                .or_insert((m.start(), m.pattern().as_usize()));
            if len > m.end() - e.0 {
                *e = (m.start(), m.pattern().as_usize());
            }
        }
        let mut positions: Vec<_> = best.into_iter().collect();
        positions.sort();
        for (end, (start, rule_idx)) in positions {
            let rule = &self.suffix_rules[rule_idx];
            // 产业升级 is no industry; 项目服务体系 and 项目调度会 name no project.
            if ctx.token_starting_at(end).is_some_and(|t| {
                self.is("right_boundary", &rule.suffix) && self.is("name_continuation", &t.word)
                    || self.is(&format!("name_continuation_{}", rule.suffix), &t.word)
            }) {
                continue;
            }
            // A list of holders of a known honour is that honour (江西省瞪羚企业名单 = 瞪羚企业).
            if rule.class == Class::Honor
                && out.iter().any(|m| {
                    m.source == Source::Dictionary && m.class == Class::Honor && m.end == start
                })
            {
                continue;
            }
            // A dictionary name ending here (国家级中小企业特色产业集群) is not the tail
            // of a longer name, unless a name stands before it (青林电子信息 +
            // 创新型产业集群 names a cluster).
            let dictionary_start = out
                .iter()
                .filter(|m| m.source == Source::Dictionary && m.end == end && m.start <= start)
                .map(|m| m.start)
                .min();
            if let Some(left) = self.left_edge(ctx, ends, start, end, rule) {
                if let Some(d) = dictionary_start
                    && (left >= d
                        || self.only_qualifiers(&ctx.text[left..d])
                        || ctx.text[left..d].chars().count() < 2)
                {
                    continue;
                }
                let name = &ctx.text[left..end];
                let prefix = &ctx.text[left..start];
                let suffix_chars = rule.suffix.chars().count();
                let ends_as_word = self
                    .words("not_name")
                    .any(|w| w.chars().count() > suffix_chars && name.ends_with(w.as_str()));
                // A token that can name a place: a region, a name or an unknown word.
                let place_like = |i: usize| {
                    let t = &ctx.tokens[i];
                    ends.get(&i) == Some(&Class::Region)
                        || !t.known
                        || matches!(t.tag.as_str(), "ns" | "nz" | "nr" | "nrt" | "j")
                };
                // 高新区 and the like name a place: the word before them is place-like
                // (随州高新区, not 独具高新区).
                let placeless = self.is("place_suffix", &rule.suffix)
                    && ctx.token_ending_at(start).is_some_and(|i| !place_like(i));
                // 示范区 and the like have a place-like word somewhere in the name
                // (何店高质量发展示范区, not 融合示范区).
                let unplaced = self.is("placed_suffix", &rule.suffix)
                    && !(0..ctx.tokens.len())
                        .filter(|&i| ctx.tokens[i].start >= left && ctx.tokens[i].end <= start)
                        .any(place_like);
                // 一个标准化园区, 两个服务平台, 31项建设项目: a counted park, platform
                // or project is a kind.
                let counted_kind =
                    matches!(rule.class, Class::Park | Class::Platform | Class::Project)
                        && self.counted_before(ctx, left);
                if placeless || unplaced || counted_kind {
                    continue;
                }
                // 重点项目, 服务业重大项目, 2021年山东省重大项目: a kind of project, not a
                // project's name.
                let qualified = rule.class == Class::Project
                    && (ctx
                        .token_ending_at(start)
                        .is_some_and(|i| self.is("generic_qualifier", &ctx.tokens[i].word))
                        || self.only_qualifiers(prefix));
                // 群力科技项目一期工程: a phase of the project 群力科技项目, named by that.
                let phase_of_project = rule.class == Class::Project
                    && name.rfind("项目").is_some_and(|k| {
                        let tail = name[k + "项目".len()..].trim_end_matches(rule.suffix.as_str());
                        tail.ends_with('期')
                            && tail.chars().count() >= 2
                            && tail.chars().all(|c| "一二三四五六七八九十期".contains(c))
                    });
                // 济宁市产业: a place's industry in general, not an industry's name;
                // 汽车集团: a kind of group, not a group's name.
                // 美国公司: a place's companies in general.
                let place_only = rule.class == Class::Industry && self.is_region_text(prefix)
                    || rule.class == Class::Company
                        && !self.is("legal_form", &rule.suffix)
                        && self.is_dictionary_text(prefix, Class::Industry)
                    || rule.class == Class::Company
                        && rule.suffix.ends_with("公司")
                        && self.is_region_text(prefix);
                if prefix.chars().count() >= rule.min_prefix
                    && !phase_of_project
                    && !place_only
                    && !self.is("generic", prefix)
                    && !self.is("not_name", name)
                    && !ends_as_word
                    && !qualified
                {
                    out.push(ctx.mention(left, end, rule.class, None, Source::Suffix));
                }
            }
        }
    }

    /// Whether a count stands right before `left`: a number and a unit in one
    /// word (3个, 首家 is no count) or a number word followed by a unit (31 + 项).
    fn counted_before(&self, ctx: &SentenceContext, left: usize) -> bool {
        let is_number = |w: &str| {
            !w.is_empty()
                && w.chars().all(|c| {
                    c.is_ascii_digit() || "0123456789一二两三四五六七八九十百千万几多余".contains(c)
                })
        };
        let is_unit = |c: char| "个座所家项批".contains(c);
        let Some(i) = ctx.token_ending_at(left) else {
            return false;
        };
        let word = ctx.tokens[i].word.as_str();
        let mut chars = word.chars();
        let Some(unit) = chars.next_back() else {
            return false;
        };
        if !is_unit(unit) {
            return false;
        }
        let count = chars.as_str();
        let count = count.strip_suffix('余').unwrap_or(count);
        if count.is_empty() {
            i > 0 && is_number(&ctx.tokens[i - 1].word)
        } else {
            is_number(count)
        }
    }

    /// Whether `text` is made up only of years, places and qualifying words
    /// (2021年 + 山东省 + 重点 + 建设), so that a name ending in it would name a kind.
    fn only_qualifiers(&self, text: &str) -> bool {
        let bounds: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let piece_qualifies = |piece: &str| {
            self.is("generic", piece)
                || self.is("generic_qualifier", piece)
                || self.is("kind_word", piece)
                || self.is_region_text(piece)
                || piece
                    .strip_suffix('年')
                    .is_some_and(|y| !y.is_empty() && y.chars().all(|c| c.is_ascii_digit()))
        };
        // reachable[k]: the first k characters split into qualifying pieces.
        let mut reachable = vec![false; bounds.len()];
        reachable[0] = true;
        for i in 0..bounds.len() {
            if !reachable[i] {
                continue;
            }
            for j in i + 1..bounds.len() {
                if !reachable[j] && piece_qualifies(&text[bounds[i]..bounds[j]]) {
                    reachable[j] = true;
                }
            }
        }
        !text.is_empty() && reachable[bounds.len() - 1]
    }

    /// Walks left from a suffix at `start..end` and returns the byte offset where the name begins.
    fn left_edge(
        &self,
        ctx: &SentenceContext,
        ends: &HashMap<usize, Class>,
        start: usize,
        end: usize,
        rule: &SuffixRule,
    ) -> Option<usize> {
        if !ctx.ends.contains(&end) {
            return None;
        }
        let mut left = start;
        if !ctx.starts.contains(&start) {
            // The suffix sits inside a word (水利局): the word must end with it.
            let i = ctx.token_containing(start)?;
            let t = &ctx.tokens[i];
            if t.end != end || self.is("not_name", &t.word) {
                return None;
            }
            left = t.start;
        }
        let mut i = ctx.token_ending_at(left);
        let adjacent = i;
        while let Some(idx) = i {
            let t = &ctx.tokens[idx];
            let w = t.word.as_str();
            // Right before the suffix: a verb of the name (安置房建设项目), or a park
            // that is itself the project (重型装备产业园项目).
            let park_project = rule.class == Class::Project && ends.get(&idx) == Some(&Class::Park);
            // An industry's name holds no such verb (提升产业 is no industry).
            let suffix_verb = self.is("suffix_verb", w)
                && (rule.class != Class::Industry || self.is("name_verb", w));
            if Some(idx) == adjacent && (suffix_verb || park_project) {
                left = t.start;
                i = idx.checked_sub(1);
                continue;
            }
            if w == ")" {
                // Take a bracketed part (湖北) / (武汉) / (二期) along.
                let Some(open) = (idx.saturating_sub(6)..idx)
                    .rev()
                    .find(|&j| ctx.tokens[j].word == "(")
                else {
                    break;
                };
                let inner = &ctx.text[ctx.tokens[open].end..t.start];
                if inner.is_empty() || !inner.chars().all(char::is_alphanumeric) {
                    break;
                }
                left = ctx.tokens[open].start;
                i = open.checked_sub(1);
                continue;
            }
            let chars = ctx.text[t.start..end].chars().count();
            // An unknown word glued from a function word and the name's first
            // character (获 + 省 in 获省科技厅): the name starts after the function word.
            let mut cs = w.chars();
            if let (Some(first), Some(_)) = (cs.next(), cs.next())
                && !t.known
                && self.is("free_item_stop", &first.to_string())
            {
                left = t.start + first.len_utf8();
                break;
            }
            // 南玻光电与武汉理工大学国家重点实验室: before an organisation's name a
            // conjunction is the preposition "with", not part of the name.
            let with_org = self.is("conjunction", w)
                && (idx + 1..ctx.tokens.len())
                    .take_while(|&j| ctx.tokens[j].end <= start)
                    .any(|j| ends.get(&j).is_some_and(|c| c.is_organization()));
            if chars > rule.max_len || with_org {
                break;
            }
            // A company a park runs bears the park's name (宜宾高新区招商有限公司,
            // …高新区建设投资有限公司): the words between are all operator words.
            let park_operator = ends.get(&idx) == Some(&Class::Park)
                && self.is("legal_form", &rule.suffix)
                && ctx.text[t.end..start].chars().count() >= 2
                && (idx + 1..ctx.tokens.len())
                    .take_while(|&j| ctx.tokens[j].end <= start)
                    .all(|j| self.is("operator_word", &ctx.tokens[j].word));
            if !park_operator && !self.inside_name(ctx, ends, idx, rule) {
                break;
            }
            // 襄阳高新区 is named by its place: before the place only another
            // place (湖北随州高新区) or a bracket goes with it.
            let place_named = self.is("place_suffix", &rule.suffix)
                && left < start
                && ctx
                    .token_starting_at_idx(left)
                    .is_some_and(|k| ends.get(&k) == Some(&Class::Region));
            if place_named && ends.get(&idx) != Some(&Class::Region) && w != ")" {
                break;
            }
            left = t.start;
            i = idx.checked_sub(1);
        }
        // A name does not start inside brackets: (连云港)国际物流园 → 国际物流园.
        if ctx.text[left..start].starts_with('(')
            && let Some(close) = ctx.text[left..start].find(')')
        {
            left += close + 1;
        }
        // Drop leading words that qualify rather than name (该, 全区, 新增, …).
        while left < start {
            let Some(idx) = ctx.token_starting_at_idx(left) else {
                break;
            };
            let w = &ctx.tokens[idx].word;
            if (self.is("lead_trim", w) || self.is(&format!("lead_trim_{}", rule.class), w))
                && ctx.tokens[idx].end <= start
            {
                left = ctx.tokens[idx].end;
            } else {
                break;
            }
        }
        Some(left)
    }

    /// Whether names of `class` may hold the conjunction `w` (工业和信息化部;
    /// 及 in industries and projects, 与 in parks): `conjunction_classes` and
    /// `conjunction_<Class>` in the lexicon.
    fn conjunction_joins(&self, class: Class, w: &str) -> bool {
        self.is("conjunction_classes", class.local_name())
            || self.is(&format!("conjunction_{class}"), w)
    }

    /// Whether token `idx` may stand inside a name of the rule's class.
    fn inside_name(
        &self,
        ctx: &SentenceContext,
        ends: &HashMap<usize, Class>,
        idx: usize,
        rule: &SuffixRule,
    ) -> bool {
        let t = &ctx.tokens[idx];
        let w = t.word.as_str();
        // A generation figure names a production line (7.5代, 第8代 …面板生产线).
        let is_number = |i: usize| {
            ctx.tokens.get(i).is_some_and(|n| {
                n.tag.starts_with('m') && n.word.chars().all(|c| c.is_ascii_digit() || c == '.')
            })
        };
        if rule.class == Class::Project
            && (w == "代" && idx > 0 && is_number(idx - 1)
                || w == "第" && is_number(idx + 1)
                || is_number(idx) && ctx.tokens.get(idx + 1).is_some_and(|n| n.word == "代"))
        {
            return true;
        }
        if !w.chars().all(char::is_alphanumeric) {
            return false;
        }
        if self.is(&format!("inside_{}", rule.class), w) {
            return true;
        }
        // A one-character word between a place and a registered trade name is
        // part of the name (赣州于磁电机科技有限公司).
        if self.is("legal_form", &rule.suffix)
            && w.chars().count() == 1
            && idx > 0
            && ends.get(&(idx - 1)) == Some(&Class::Region)
            && (t.tag.starts_with('p') || t.tag.starts_with('c'))
        {
            return true;
        }
        if self.is("stop", w) {
            return false;
        }
        if let Some(class) = ends.get(&idx) {
            // A name the rule may run through (a region in front of a company) is
            // taken whatever its tag (天元 is tagged as a quantifier).
            return rule.absorbs.contains(class);
        }
        if self.is("conjunction", w) {
            // 工业和信息化部, 功能型柔性复合材料与先进制造技术…实验室: a conjunction
            // joins two words of one name, never two names.
            // A park's conjunction joins two industries (电子信息与智能制造产业园).
            let joins = self.conjunction_joins(rule.class, w);
            let before = idx.checked_sub(1).and_then(|j| ends.get(&j));
            return joins
                && idx > 0
                && (rule.class != Class::Park || before == Some(&Class::Industry))
                && before.is_none_or(|c| rule.absorbs.contains(c))
                && ctx.tokens[idx - 1].word.chars().all(char::is_alphanumeric)
                && (!self.is("stop", &ctx.tokens[idx - 1].word)
                    || self.is(&format!("inside_{}", rule.class), &ctx.tokens[idx - 1].word));
        }
        let tag = t.tag.as_str();
        let next_is_quantifier = ctx
            .tokens
            .get(idx + 1)
            .is_some_and(|n| n.tag.starts_with('q'));
        match tag.chars().next() {
            // A registered company name may hold any word (远航电子有限公司); a short one, or
            // another kind of name, holds only the verbs listed as name_verb.
            // The tag of a word the dictionary lacks is a guess (轻混 in
            // …公司轻混电池模组项目): between a company and the suffix it stays.
            Some('v') if tag != "vn" => {
                self.is("name_verb", w)
                    || rule.suffix.is_empty()
                    || self.is("legal_form", &rule.suffix)
                    || !t.known && idx > 0 && ends.get(&(idx - 1)) == Some(&Class::Company)
            }
            // Idioms (争分夺秒) are never inside names; fixed phrases are, unless
            // they open with a cue word (不断完善).
            Some('i') => false,
            Some('l') => !self
                .words("stop")
                .any(|s| s.chars().count() >= 2 && w.starts_with(s.as_str())),
            // Pronouns are stop words, and so are words opening with a pronoun
            // (各村); other r tags are mostly unknown place names (何店).
            Some('r') => !self.opens_with_pronoun(w),
            // Time words without digits (现代) may start a name; dated ones may not.
            Some('t') => !w.chars().any(|c| c.is_ascii_digit()),
            Some('p' | 'u' | 'q' | 'c' | 'y' | 'o' | 'w') => false,
            // Numbers stay in names only as phase, model or capacity figures:
            // 二期, 2x100MW, 年产200万套.
            _ if tag == "eng" => true,
            // A word tagged as a numeral that holds no numeral is a mis-tagged noun (零部件).
            Some('m')
                if !w.chars().any(|c| {
                    c.is_ascii_digit() || "一二三四五六七八九十百千万亿两几多余第半".contains(c)
                }) =>
            {
                true
            }
            Some('m') => {
                let digits = |t: &Token| {
                    t.tag.starts_with('m') && t.word.chars().any(|c| c.is_ascii_digit())
                };
                !next_is_quantifier
                    && matches!(rule.class, Class::Project | Class::Platform)
                    && (digits(t) || w.ends_with('期') || idx > 0 && digits(&ctx.tokens[idx - 1]))
            }
            // Two-character adverb tags are often mis-tagged adjectives (高速).
            Some('d') => w.chars().count() >= 2,
            _ => true,
        }
    }

    fn person_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            if !self.is("title", &t.word) {
                continue;
            }
            // Names after the title: 记者王松 / 总经理李元 / 通讯员张莹莹任广超.
            let mut pos = t.end;
            while let Some(len) = self.person_after(ctx, pos) {
                out.push(ctx.mention(pos, pos + len, Class::Person, None, Source::Context));
                pos += len;
                // Another name follows only as a whole tagged word (a byline of several reporters).
                if !ctx.token_starting_at(pos).is_some_and(|n| {
                    n.tag.starts_with("nr") && (2..=3).contains(&n.word.chars().count())
                }) {
                    break;
                }
            }
            // Name before the title, as a tagged person name: 王松书记, 郝广华特约通讯员.
            let before = i
                .checked_sub(1)
                .filter(|&j| self.is("title_modifier", &ctx.tokens[j].word))
                .map_or(i.checked_sub(1), |j| j.checked_sub(1));
            if let Some(j) = before {
                let p = &ctx.tokens[j];
                if p.tag.starts_with("nr") && (2..=4).contains(&p.word.chars().count()) {
                    let end = p.start + self.tagged_name_len(&p.word);
                    out.push(ctx.mention(p.start, end, Class::Person, None, Source::Context));
                }
            }
        }
        // A name tagged as such right before a verb of saying: 李明表示, 王芳指出.
        for (t, next) in ctx.tokens.iter().zip(ctx.tokens.iter().skip(1)) {
            if t.tag.starts_with("nr")
                && (2..=3).contains(&t.word.chars().count())
                && t.word.chars().all(is_cjk)
                && t.word
                    .chars()
                    .next()
                    .is_some_and(|c| self.is("surname", &c.to_string()))
                && self.is("speech_verb", &next.word)
            {
                out.push(ctx.mention(t.start, t.end, Class::Person, None, Source::Context));
            }
        }
        // A line that is only a name (an author's byline under an article).
        let words: Vec<&Token> = ctx
            .tokens
            .iter()
            .filter(|t| t.word.chars().any(char::is_alphanumeric))
            .collect();
        if let (Some(first), Some(last)) = (words.first(), words.last()) {
            let text = &ctx.text[first.start..last.end];
            let single_name = words.len() == 1 && first.tag.starts_with("nr");
            let surname_first = !(words.len() == 1 && first.known)
                && text
                    .chars()
                    .next()
                    .is_some_and(|c| self.is("surname", &c.to_string()));
            // A place or organisation (李村, 王集镇) is named by its suffix, not a person.
            let suffixed = self
                .words("local_place_suffix")
                .chain(self.suffix_rules.iter().map(|r| &r.suffix))
                .any(|x| text.ends_with(x.as_str()));
            if (2..=3).contains(&text.chars().count())
                && text.chars().all(is_cjk)
                && !suffixed
                && (single_name || surname_first)
            {
                out.push(ctx.mention(first.start, last.end, Class::Person, None, Source::Context));
            }
        }
        self.foreign_name_mentions(ctx, out);
        // A credit at the end of a caption or headline: 现场王松/摄, 见闻▶王松.
        let n = ctx.tokens.len();
        for (i, t) in ctx.tokens.iter().enumerate() {
            let credit = (t.word == "/" && ctx.tokens.get(i + 1).is_some_and(|m| m.word == "摄"))
                .then(|| i.checked_sub(1))
                .flatten()
                .or_else(|| (t.word == "▶" && i + 2 == n).then_some(i + 1));
            if let Some(j) = credit {
                let p = &ctx.tokens[j];
                if (2..=3).contains(&p.word.chars().count())
                    && p.word.chars().all(is_cjk)
                    && (p.tag.starts_with("nr") || !p.known || j > i)
                {
                    out.push(ctx.mention(p.start, p.end, Class::Person, None, Source::Context));
                }
            }
        }
    }

    /// A transliterated foreign name, given and family name joined by a middle
    /// dot (玛丽·居里): on each side of the dot, the run of words that are
    /// unknown, tagged as names or single characters (at most five characters),
    /// with no place and no stop word in it.
    fn foreign_name_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let part = |i: usize| {
            let t = &ctx.tokens[i];
            t.word.chars().all(is_cjk)
                && !self.is_region_text(&t.word)
                && !self.is("stop", &t.word)
                && (!t.known || t.tag.starts_with("nr") || t.word.chars().count() == 1)
        };
        let chars = |a: usize, b: usize| {
            ctx.text[ctx.tokens[a].start..ctx.tokens[b].end]
                .chars()
                .count()
        };
        for i in 1..ctx.tokens.len().saturating_sub(1) {
            if !matches!(ctx.tokens[i].word.as_str(), "·" | "•" | "・") {
                continue;
            }
            let mut first = i;
            while first > 0 && part(first - 1) && chars(first - 1, i - 1) <= 5 {
                first -= 1;
            }
            let mut last = i;
            while last + 1 < ctx.tokens.len() && part(last + 1) && chars(i + 1, last + 1) <= 5 {
                last += 1;
            }
            if first < i && last > i && chars(first, last) >= 4 {
                let (start, end) = (ctx.tokens[first].start, ctx.tokens[last].end);
                out.push(ctx.mention(start, end, Class::Person, None, Source::Context));
            }
        }
    }

    /// Length in bytes of the name in a word tagged as a personal name: a name
    /// the segmenter ran into the next word (高菲向 记者) ends before it.
    fn tagged_name_len(&self, word: &str) -> usize {
        match word.chars().last() {
            Some(c) if word.chars().count() == 3 && self.is("name_stop_char", &c.to_string()) => {
                word.len() - c.len_utf8()
            }
            _ => word.len(),
        }
    }

    /// Length in bytes of a personal name starting at `pos`, if one does.
    fn person_after(&self, ctx: &SentenceContext, pos: usize) -> Option<usize> {
        let rest = &ctx.text[pos..];
        let chars: Vec<char> = rest.chars().take(4).collect();
        let token = ctx.token_starting_at(pos);
        // A word tagged as a personal name right after a title is one, whatever its surname.
        if let Some(t) = token
            && t.tag.starts_with("nr")
            && (2..=3).contains(&t.word.chars().count())
            && t.word.chars().all(is_cjk)
        {
            return Some(self.tagged_name_len(&t.word));
        }
        // A known word that is no name (单位 after 主任) is none.
        let common_word = token
            .is_some_and(|t| t.known && t.word.chars().count() >= 2 && !t.tag.starts_with("nr"));
        if chars.len() < 2
            || common_word
            || !self.is("surname", &chars[0].to_string())
            || !chars[..2].iter().all(|c| is_cjk(*c))
        {
            return None;
        }
        let three = chars.len() >= 3
            && is_cjk(chars[2])
            && !self.is("name_stop_char", &chars[2].to_string());
        let n = if three { 3 } else { 2 };
        Some(chars[..n].iter().map(|c| c.len_utf8()).sum())
    }

    /// Short forms of the registered company names among `mentions`: the name
    /// without its region and legal form (卓越新能源科技), that without its
    /// trade word too (卓越新能源), when at least two characters remain, and the
    /// region with that trade name (芜湖卓越).
    pub fn company_short_forms(
        &self,
        mentions: &[Vec<Mention>],
        regions: &dyn crate::resolve::RegionNames,
    ) -> Vec<String> {
        let mut forms = BTreeSet::new();
        for m in mentions.iter().flatten() {
            if m.class == Class::Company && m.source == Source::Apposition {
                forms.insert(m.text.clone());
                continue;
            }
            if m.class != Class::Company || m.source != Source::Suffix {
                continue;
            }
            if let Some(parent) = self.branch_parent(&m.text, regions) {
                forms.insert(parent.to_string());
                continue;
            }
            let Some(legal) = self
                .words("legal_form")
                .filter(|f| m.text.ends_with(f.as_str()))
                .max_by_key(|f| f.len())
            else {
                continue;
            };
            let mut core = m.text[..m.text.len() - legal.len()].to_string();
            // Drop a bracketed place (立邦涂料(湖北)) and a leading region (湖北金龙…).
            if let (Some(open), true) = (core.find('('), core.ends_with(')')) {
                core.truncate(open);
            }
            let mut region = String::new();
            if let Some(len) = core
                .char_indices()
                .map(|(i, _)| i)
                .skip(2)
                .filter(|&i| regions.is_region(&core[..i]))
                .max()
            {
                region = core[..len].to_string();
                core = core[len..].to_string();
            }
            let mut candidates = vec![core.clone()];
            if let Some(tw) = self.trade_words.find_iter(&core).last()
                && tw.end() == core.len()
                && core[..tw.start()].chars().count() >= 2
            {
                let trade_name = &core[..tw.start()];
                candidates.push(trade_name.to_string());
                // The region and the trade name (湖北金龙 for 湖北金龙新材料有限公司).
                if !region.is_empty() && trade_name.chars().count() <= 4 {
                    candidates.push(format!("{region}{trade_name}"));
                }
            }
            for c in candidates {
                let n = c.chars().count();
                if (3..=10).contains(&n) && !self.is("generic", &c) && !regions.is_region(&c) {
                    forms.insert(c);
                }
            }
        }
        forms.into_iter().collect()
    }

    /// The company a branch is named after (超日太阳 for 超日太阳美国分公司,
    /// 三星电子 for 三星电子中国公司): the name without its branch word and the
    /// place before it, when three to ten characters remain.
    fn branch_parent<'t>(
        &self,
        name: &'t str,
        regions: &dyn crate::resolve::RegionNames,
    ) -> Option<&'t str> {
        let stem = self
            .words("branch_word")
            .filter_map(|w| name.strip_suffix(w.as_str()))
            .min_by_key(|s| s.len())?;
        let place_start = stem
            .char_indices()
            .map(|(i, _)| i)
            .find(|&i| i > 0 && regions.is_branch_place(&stem[i..]))?;
        let parent = &stem[..place_start];
        ((3..=10).contains(&parent.chars().count())
            && !self.is("generic", parent)
            && !regions.is_region(parent))
        .then_some(parent)
    }

    /// Adds a Company mention for each occurrence of a known short form that
    /// starts and ends on word boundaries and overlaps no other mention.
    pub fn add_known_names(
        &self,
        text: &str,
        tokens: &[Token],
        forms: &[String],
        mentions: &mut Vec<Mention>,
    ) {
        if forms.is_empty() {
            return;
        }
        let ctx = SentenceContext::new(text, tokens);
        for form in forms {
            for (start, _) in text.match_indices(form.as_str()) {
                let end = start + form.len();
                if !ctx.starts.contains(&start) || !ctx.ends.contains(&end) {
                    continue;
                }
                // A dictionary word inside the name (新能源 in 卓越新能源) gives way.
                let inside =
                    |m: &Mention| start <= m.start && m.end <= end && m.source != Source::Suffix;
                if mentions
                    .iter()
                    .any(|m| m.start < end && start < m.end && !inside(m))
                {
                    continue;
                }
                mentions.retain(|m| !inside(m));
                mentions.push(ctx.mention(start, end, Class::Company, None, Source::Context));
            }
        }
        mentions.sort_by_key(|m| m.start);
    }

    /// 该公司 / 该企业 name the company named last before them, in their sentence
    /// or the two before it: a mention of that company, which the resolver merges.
    pub fn add_company_anaphors(
        &self,
        texts: &[&str],
        tokens: &[Vec<Token>],
        mentions: &mut [Vec<Mention>],
    ) {
        for si in 0..texts.len() {
            if !self
                .words("company_anaphor")
                .any(|w| texts[si].contains(w.as_str()))
            {
                continue;
            }
            let ctx = SentenceContext::new(texts[si], &tokens[si]);
            for word in self.words("company_anaphor") {
                for (start, _) in texts[si].match_indices(word.as_str()) {
                    let end = start + word.len();
                    if !ctx.starts.contains(&start)
                        || mentions[si].iter().any(|m| m.start < end && start < m.end)
                    {
                        continue;
                    }
                    let before = |m: &&Mention| m.class == Class::Company;
                    let antecedent = mentions[si]
                        .iter()
                        .rev()
                        .filter(|m| m.end <= start)
                        .find(before)
                        .or_else(|| {
                            (si.saturating_sub(2)..si)
                                .rev()
                                .find_map(|j| mentions[j].iter().rev().find(before))
                        })
                        .map(|m| m.canonical.clone().unwrap_or_else(|| m.text.clone()));
                    if let Some(name) = antecedent {
                        mentions[si].push(ctx.mention(
                            start,
                            end,
                            Class::Company,
                            Some(name),
                            Source::Context,
                        ));
                        mentions[si].sort_by_key(|m| m.start);
                    }
                }
            }
        }
    }

    /// A suffix standing alone as a word (高新区, 示范区): a reference to the
    /// place the text is about, settled by the resolver.
    fn anaphor_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for t in ctx.tokens {
            if self.is("anaphor", &t.word)
                && let Some(rule) = self.suffix_rules.iter().find(|r| r.suffix == t.word)
            {
                out.push(ctx.mention(t.start, t.end, rule.class, None, Source::Context));
            }
        }
    }

    /// Companies written as a short name and a trade word (泰晶科技, 楚天药业).
    fn trade_name_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        // Names that are not name-like by their tag, kept in case a company is
        // listed beside them (启明机器人、恒泰药业).
        let mut unsure: Vec<(usize, usize)> = Vec::new();
        let found_from = out.len();
        for m in self.trade_words.find_iter(ctx.text) {
            if !ctx.ends.contains(&m.end()) || !ctx.starts.contains(&m.start()) {
                continue;
            }
            let Some(mut prev) = ctx.token_ending_at(m.start()) else {
                continue;
            };
            // A name the segmenter cut into single characters (湘 + 玻 + 光电).
            let single = |i: usize| {
                let t = &ctx.tokens[i];
                t.word.chars().count() == 1
                    && t.word.chars().all(is_cjk)
                    && !self.is("stop", &t.word)
                    && !self.is("lead_trim", &t.word)
                    && matches!(t.tag.chars().next(), Some('n' | 'j'))
            };
            let mut split_start = None;
            if prev > 0 && single(prev) && single(prev - 1) {
                split_start = Some(ctx.tokens[prev - 1].start);
                prev -= 1;
            }
            let p = &ctx.tokens[prev];
            if let Some(start) = split_start {
                if !out
                    .iter()
                    .any(|o| o.class == Class::Region && o.start == start)
                {
                    out.push(ctx.mention(start, m.end(), Class::Company, None, Source::Context));
                }
                continue;
            }
            let n = p.word.chars().count();
            // A trade name: an unknown word, or one tagged as a name, that is not a region.
            let is_region = out
                .iter()
                .any(|m| m.class == Class::Region && m.start == p.start && m.end == p.end);
            let unknown = !p.known && !matches!(p.tag.chars().next(), Some('v' | 'a' | 'd'));
            let weak = self
                .weak_trade_words
                .contains(&ctx.text[m.start()..m.end()]);
            // A word that may be a name at all: no region, no cue word.
            let candidate = !is_region && !self.is("stop", &p.word);
            let name_like = candidate
                && if weak {
                    unknown || matches!(p.tag.as_str(), "nz" | "nrt")
                } else {
                    unknown
                        || matches!(
                            p.tag.as_str(),
                            "nr" | "nrt" | "nrfg" | "nz" | "nt" | "j" | "x" | "ns"
                        )
                };
            // The HMM may glue a preposition to an unknown name (以程力 + 专汽).
            let glued = !p.known
                && n >= 3
                && p.word
                    .chars()
                    .next()
                    .is_some_and(|c| self.is("free_item_stop", &c.to_string()));
            let (start, n) = if glued {
                (
                    p.start + p.word.chars().next().map_or(0, char::len_utf8),
                    n - 1,
                )
            } else {
                (p.start, n)
            };
            if (2..=4).contains(&n)
                && p.word.chars().all(is_cjk)
                && !self.is("not_trade_prefix", &ctx.text[start..p.end])
            {
                if name_like {
                    out.push(ctx.mention(start, m.end(), Class::Company, None, Source::Context));
                } else if candidate
                    && !matches!(
                        p.tag.chars().next(),
                        Some('d' | 'p' | 'u' | 'c' | 'm' | 'q')
                    )
                {
                    unsure.push((start, m.end()));
                }
            }
        }
        // A name listed beside a company is a company too.
        let companies: Vec<(usize, usize)> = out[found_from..]
            .iter()
            .filter(|m| m.class == Class::Company)
            .map(|m| (m.start, m.end))
            .collect();
        for (start, end) in unsure {
            let comma = '、'.len_utf8();
            let listed = companies.iter().any(|&(s, e)| {
                s == end + comma && ctx.text[end..s] == *"、"
                    || start == e + comma && ctx.text[e..start] == *"、"
            });
            if listed {
                out.push(ctx.mention(start, end, Class::Company, None, Source::Context));
            }
        }
    }

    /// The members of 以A、B、C为引领 (or 为龙头, 为核心) are companies when one of
    /// them ends with a trade word (天一智能) and none is an industry or a place.
    fn leader_list_mentions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let tokens = ctx.tokens;
        for (i, t) in tokens.iter().enumerate() {
            // The HMM may glue 以 to the first name (以青禾 + 智能).
            let glued = t.word.starts_with('以') && !t.known && t.word.chars().count() >= 3;
            if t.word != "以" && !glued {
                continue;
            }
            let Some(wei) = (i + 1..tokens.len().min(i + 16)).find(|&j| tokens[j].word == "为")
            else {
                continue;
            };
            if !tokens
                .get(wei + 1)
                .is_some_and(|n| self.is("leader_role", &n.word))
            {
                continue;
            }
            let mut items: Vec<(usize, usize)> = Vec::new();
            let mut start = if glued {
                t.start + '以'.len_utf8()
            } else {
                t.end
            };
            for tk in &tokens[i + 1..=wei] {
                if tk.word == "、" || tk.word == "和" || tk.word == "及" || tk.word == "为" {
                    items.push((start, tk.start));
                    start = tk.end;
                }
            }
            let text = |&(s, e): &(usize, usize)| &ctx.text[s..e];
            // Whether a text is an industry name of the dictionary (新能源, 新能源汽车).
            let industry = |t: &str| self.is_dictionary_text(t, Class::Industry);
            let company_like = |item: &(usize, usize)| {
                let t = text(item);
                !industry(t)
                    && self.trade_words.find_iter(t).any(|m| {
                        m.end() == t.len()
                            && t[..m.start()].chars().count() >= 2
                            && !industry(&t[..m.start()])
                            && !self.is("not_trade_prefix", &t[..m.start()])
                    })
            };
            let plausible = |item: &(usize, usize)| {
                let t = text(item);
                (2..=8).contains(&t.chars().count())
                    && t.chars().all(is_cjk)
                    && !self.is("generic", t)
                    && !self.is_region_text(t)
                    && !chosen
                        .iter()
                        .any(|m| m.start <= item.0 && item.1 <= m.end && m.class != Class::Company)
            };
            if items.is_empty() || !items.iter().any(company_like) || !items.iter().all(plausible) {
                continue;
            }
            for (s, e) in items {
                // A shorter company name inside the item (神拓装备 in 神拓装备制造) gives way.
                chosen.retain(|m| !(m.class == Class::Company && s <= m.start && m.end <= e));
                if chosen.iter().any(|m| m.start < e && s < m.end) {
                    continue;
                }
                chosen.push(ctx.mention(s, e, Class::Company, None, Source::Context));
            }
        }
    }

    /// The subject of a clause that says it is a company (远翔精工是精密模具领域的
    /// 龙头企业, 华岳是一家…公司) is a company when it looks like a name: it ends
    /// with a trade word, or holds a word the dictionary does not know or tags as a name.
    fn apposition_mentions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let tokens = ctx.tokens;
        let mut from = 0;
        for i in 0..=tokens.len() {
            if i < tokens.len() && !matches!(tokens[i].word.as_str(), "," | ";" | ":" | "。") {
                continue;
            }
            let clause = &tokens[from..i];
            from = i + 1;
            let Some(last) = clause.last() else { continue };
            let tail = ctx.text[..last.end].trim_end_matches("之一");
            if !self
                .words("company_head")
                .any(|h| tail.ends_with(h.as_str()))
            {
                continue;
            }
            let lead = clause
                .iter()
                .take_while(|t| self.is("lead_trim", &t.word))
                .count();
            let Some(copula) = clause.iter().position(|t| t.word == "是") else {
                continue;
            };
            if copula <= lead || copula - lead > 4 {
                continue;
            }
            let subject = &clause[lead..copula];
            let (start, end) = (subject[0].start, subject[subject.len() - 1].end);
            let text = &ctx.text[start..end];
            let ends_with_trade_word = self
                .trade_words
                .find_iter(text)
                .any(|m| m.end() == text.len() && m.start() > 0);
            let name_like = subject.iter().any(|t| {
                !t.known || matches!(t.tag.as_str(), "nr" | "nrt" | "nrfg" | "nz" | "nt" | "j")
            });
            if !(2..=8).contains(&text.chars().count())
                || !text.chars().all(is_cjk)
                || !(ends_with_trade_word || name_like)
                || subject[0].tag.starts_with('v')
                || self.is("generic", text)
                || self.opens_with_pronoun(text)
                || self.is_region_text(text)
            {
                continue;
            }
            // Region words inside the name give way (东风 in 东风康明斯); any other mention keeps its place.
            let overlapping: Vec<&Mention> = chosen
                .iter()
                .filter(|m| m.start < end && start < m.end)
                .collect();
            if overlapping
                .iter()
                .any(|m| m.class != Class::Region || m.start < start || m.end > end)
            {
                continue;
            }
            chosen.retain(|m| !(m.start < end && start < m.end));
            chosen.push(ctx.mention(start, end, Class::Company, None, Source::Apposition));
        }
    }

    /// Whether a word opens with a pronoun-like character (各村, 本区).
    fn opens_with_pronoun(&self, w: &str) -> bool {
        w.chars()
            .next()
            .is_some_and(|c| self.is("pronoun_start", &c.to_string()))
    }

    /// Whether a word can be the name part of a town or village (淅河 in 淅河镇):
    /// two or three characters, no function word, no word that describes rather than names.
    fn is_place_stem(&self, w: &str, tag: &str) -> bool {
        (2..=3).contains(&w.chars().count())
            && w.chars().all(is_cjk)
            && !w.chars().any(|c| {
                let c = c.to_string();
                self.is("stop", &c) || self.is("free_item_stop", &c)
            })
            && !self.opens_with_pronoun(w)
            && ![
                "stop",
                "generic",
                "generic_qualifier",
                "kind_word",
                "lead_trim",
                "not_place_name",
            ]
            .iter()
            .any(|k| self.is(k, w))
            && !matches!(
                tag.chars().next(),
                Some('d' | 'p' | 'c' | 'u' | 'm' | 'q' | 'i' | 'l' | 'y' | 'o' | 'x')
            )
            && !(tag.starts_with('v') && tag != "vn")
    }

    /// Towns, townships and villages, below the counties of the region list:
    /// a two- or three-character place word before 镇 / 乡 / 村 / 街道 (淅河镇,
    /// 挑水村), or one unknown word ending with them (李冲村).
    fn local_place_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            let w = t.word.as_str();
            if self.is("local_place_suffix", w) && i > 0 {
                let p = &ctx.tokens[i - 1];
                if self.is_place_stem(&p.word, &p.tag) {
                    out.push(ctx.mention(p.start, t.end, Class::Region, None, Source::Suffix));
                }
            } else if !t.known
                && let Some(suffix) = self
                    .words("local_place_suffix")
                    .find(|s| w.ends_with(s.as_str()))
            {
                let stem = &w[..w.len() - suffix.len()];
                if self.is_place_stem(stem, "n") {
                    out.push(ctx.mention(t.start, t.end, Class::Region, None, Source::Suffix));
                }
            }
        }
    }

    /// Members of coordinated lists closed by a head noun: `A、B和C等7家企业`.
    ///
    /// A list counts when 等 closes it or when one member is already a name of
    /// the head's class; lists inside quotation marks (slogans) do not count.
    fn list_mentions(
        &self,
        ctx: &SentenceContext,
        ends: &HashMap<usize, Class>,
        chosen: &mut Vec<Mention>,
    ) {
        for h in self.heads.find_iter(ctx.text) {
            if !ctx.starts.contains(&h.start()) || !ctx.ends.contains(&h.end()) {
                continue;
            }
            // The head ends the phrase: 产业 in 产业孵化园 is no head (产业产值 keeps it).
            if ctx
                .token_starting_at(h.end())
                .is_some_and(|t| self.is("name_continuation", &t.word))
            {
                continue;
            }
            let info = &self.head_entries[h.pattern().as_usize()];
            let class = info.class;
            // Skip a quantity and 等 between the list and its head: 等11个亿元以上项目.
            let Some(mut idx) = ctx.token_ending_at(h.start()) else {
                continue;
            };
            let before_head = idx;
            let mut saw_deng = false;
            let mut count = None;
            // A counted head phrase after the list: 大学城、科研港…“五大创新支撑平台”.
            if let Some((before, n)) = self.counted_head_phrase(ctx, idx) {
                idx = before;
                count = Some(n);
            }
            loop {
                let t = &ctx.tokens[idx];
                if t.word == "等" || t.word == "等等" {
                    saw_deng = true;
                } else if t.tag.starts_with('m') && count.is_none() {
                    count = small_number(&t.word);
                } else if !(t.tag.starts_with('m')
                    || t.tag.starts_with('q')
                    || self.is("list_filler", &t.word))
                {
                    break;
                }
                match idx.checked_sub(1) {
                    Some(j) => idx = j,
                    None => break,
                }
            }
            // Filler words right after a separator are the last member
            // (电子信息、新能源新材料产业), not filler.
            if !saw_deng && count.is_none() && ctx.tokens[idx].word == "、" {
                idx = before_head;
            }
            let Some(items) = self.list_items(ctx, ends, idx, class) else {
                continue;
            };
            if items.len() < 2 && !saw_deng {
                continue;
            }
            let anchored = items.iter().any(|(s, e)| {
                chosen
                    .iter()
                    .any(|m| m.start < *e && *s < m.end && m.class == class)
            });
            // A count that equals the number of members (挑水、新店、老湾3村) closes a list too.
            let counted = count == Some(items.len());
            if !saw_deng && !anchored && !counted {
                continue;
            }
            // 电子信息、汽车机械产业: the head's suffix applies to every member (电子信息产业).
            let distributed = |text: &str| {
                info.member_suffix
                    .as_deref()
                    .filter(|suffix| !text.ends_with(suffix) && !text.ends_with('链'))
                    // Only places take a park suffix (宜昌 → 宜昌高新区; 武汉光谷 stays).
                    .filter(|_| class != Class::Park || self.is_region_text(text))
                    .map(|suffix| format!("{text}{suffix}"))
            };
            for (s, e) in items {
                let text = &ctx.text[s..e];
                let n = text.chars().count();
                // 宜昌、荆门等高新区: places listed before a park head are parks.
                if class == Class::Park
                    && let Some(suffixed) = distributed(text)
                    && let Some(m) = chosen
                        .iter_mut()
                        .find(|m| m.start == s && m.end == e && m.class == Class::Region)
                {
                    m.class = class;
                    m.canonical = Some(suffixed);
                    continue;
                }
                // Towns and villages by list (挑水、新店3村): each member a place word.
                if class == Class::Region
                    && !self.is_place_stem(
                        info.member_suffix
                            .as_deref()
                            .and_then(|x| text.strip_suffix(x))
                            .unwrap_or(text),
                        "n",
                    )
                {
                    continue;
                }
                // A lone verb (提质改造等项目 → 改造) or qualifier is no member;
                // villages may be named so (种菜、丰收、朝阳等村), the place test
                // above has vouched for them.
                let lone_verb = ctx
                    .token_starting_at(s)
                    .is_some_and(|t| t.end == e && t.tag.starts_with('v'));
                let village = class == Class::Region;
                if !(2..=20).contains(&n)
                    || lone_verb && !village
                    || self.is("generic", text)
                    || self.is("not_name", text)
                    || self.only_qualifiers(text) && !village
                {
                    continue;
                }
                // A park among projects (滨江汽车城、远航电机产业园等项目) is being
                // built; the item gives its whole name.
                if class == Class::Project
                    && let Some(k) = chosen
                        .iter()
                        .position(|m| s <= m.start && m.end == e && m.class == Class::Park)
                {
                    chosen[k] = ctx.mention(s, e, class, None, Source::List);
                    continue;
                }
                if let Some(m) = chosen
                    .iter_mut()
                    .find(|m| m.start == s && m.end == e && m.class == class)
                {
                    // 朝阳 is 朝阳市 in the dictionary, but 朝阳村 among villages.
                    if m.canonical.as_deref().is_none_or(|c| c == text)
                        || class == Class::Region && info.member_suffix.is_some()
                    {
                        m.canonical = distributed(text).or(m.canonical.take());
                    }
                    continue;
                }
                // A shorter name of the same class inside the item (新材料 in 软体新材料)
                // gives way to the whole item.
                // A project named in a list of projects (湖北正大万吨熟食、…等项目) holds
                // the names inside it: an industry, a product, a place or its builder.
                let project_part = |m: &Mention| {
                    class == Class::Project
                        && (saw_deng || counted)
                        && matches!(
                            m.class,
                            Class::Industry | Class::Product | Class::Region | Class::Company
                        )
                };
                chosen.retain(|m| {
                    let inside = s <= m.start && m.end <= e;
                    !(m.class == class && inside && (m.start, m.end) != (s, e)
                        || project_part(m) && inside)
                });
                if chosen.iter().any(|m| m.start < e && s < m.end) {
                    continue;
                }
                chosen.push(ctx.mention(s, e, class, distributed(text), Source::List));
            }
        }
    }

    /// For a head phrase that opens with a count (大学城、科研港…五大创新支撑平台):
    /// the index of the token before the count, and the count. Quotation marks
    /// around the phrase are gone by now (see the normaliser).
    fn counted_head_phrase(
        &self,
        ctx: &SentenceContext,
        head_last: usize,
    ) -> Option<(usize, usize)> {
        (head_last.saturating_sub(4)..=head_last)
            .rev()
            .find_map(|j| {
                // The count may be glued to the next word (三大科创).
                let word = &ctx.tokens[j].word;
                let n = word
                    .char_indices()
                    .skip(1)
                    .take(2)
                    .find(|&(_, c)| "大个类项".contains(c))
                    .and_then(|(i, _)| small_number(&word[..i]))?;
                (n >= 2).then_some((j.checked_sub(1)?, n))
            })
    }

    /// Whether token `i` stands inside a list item that a separator (、) opens
    /// a few words to its left: a one-character stop word there (随 in
    /// 、随远福达燃气灶制造、) is part of the item, not the list's left edge.
    fn between_separators(&self, ctx: &SentenceContext, i: usize) -> bool {
        let mut chars = 0;
        for t in ctx.tokens[..i].iter().rev() {
            if t.word == "、" {
                return true;
            }
            chars += t.word.chars().count();
            if chars > 8 || !t.word.chars().all(char::is_alphanumeric) {
                return false;
            }
        }
        false
    }

    /// The items of a list whose last token is `last`, as byte ranges, last first.
    /// Items between separators may hold any words; the first item's left edge
    /// is found like a name's. None when the list sits inside quotation marks.
    fn list_items(
        &self,
        ctx: &SentenceContext,
        ends: &HashMap<usize, Class>,
        last: usize,
        class: Class,
    ) -> Option<Vec<(usize, usize)>> {
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut item_end = ctx.tokens[last].end;
        let mut j = last as isize;
        let mut separators = 0;
        while j >= 0 {
            let t = &ctx.tokens[j as usize];
            let w = t.word.as_str();
            if w == "“" || w == "”" || w == "\"" {
                return None;
            }
            let conjunction = self.is("conjunction", w);
            // 道路硬化和丰收、长虹、朝阳等7村: a conjunction before the first of
            // several items opens the list, unless names of the class may hold
            // it (海珍生物提取及研发、…等项目).
            if conjunction && separators > 0 && !self.conjunction_joins(class, w) {
                break;
            }
            let sep = w == "、" || conjunction && separators == 0;
            if sep {
                if item_end <= t.end {
                    return None;
                }
                items.push((t.end, item_end));
                item_end = t.start;
                separators += 1;
            } else if !(w.chars().all(char::is_alphanumeric) || w == "(" || w == ")")
                || self.is("stop", w)
                    && !(w.chars().count() == 1
                        && w != "等"
                        && self.between_separators(ctx, j as usize))
            {
                break;
            }
            j -= 1;
        }
        // The first item (left of the first separator) is trimmed with the name rule.
        let rule = SuffixRule {
            suffix: String::new(),
            class,
            max_len: 20,
            min_prefix: 2,
            absorbs: Class::ALL.to_vec(),
        };
        let floor = ctx
            .tokens
            .get((j + 1) as usize)
            .map_or(item_end, |t| t.start);
        let mut left = item_end;
        let mut k = ctx.token_ending_at(item_end);
        while let Some(i) = k {
            let t = &ctx.tokens[i];
            // A one-character verb (赴, 到, 让) before the item opens the clause;
            // at the item's end it belongs to the name (山推).
            let one_char_verb =
                left < item_end && t.tag.starts_with('v') && t.word.chars().count() == 1;
            if t.start < floor || one_char_verb || !self.inside_name(ctx, ends, i, &rule) {
                break;
            }
            left = t.start;
            k = i.checked_sub(1);
        }
        while let Some(i) = ctx.token_starting_at_idx(left) {
            if ctx.tokens[i].end < item_end && self.is("lead_trim", &ctx.tokens[i].word) {
                left = ctx.tokens[i].end;
            } else {
                break;
            }
        }
        if item_end > left {
            items.push((left, item_end));
        }
        Some(items)
    }
}

/// The value of a small count word: 3, 12, 三, 十二 (up to 99).
fn small_number(word: &str) -> Option<usize> {
    if let Ok(n) = word.parse::<usize>() {
        return Some(n);
    }
    let digit = |c: char| "零一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = word.chars().collect();
    match chars.as_slice() {
        [c] if *c == '十' => Some(10),
        [c] => digit(*c),
        ['十', u] => Some(10 + digit(*u)?),
        [t, '十'] => Some(10 * digit(*t)?),
        [t, '十', u] => Some(10 * digit(*t)? + digit(*u)?),
        _ => None,
    }
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
    tokens: &'a [Token],
    starts: HashSet<usize>,
    ends: HashSet<usize>,
    start_index: HashMap<usize, usize>,
    end_index: HashMap<usize, usize>,
}

impl<'a> SentenceContext<'a> {
    fn new(text: &'a str, tokens: &'a [Token]) -> Self {
        SentenceContext {
            text,
            tokens,
            starts: tokens.iter().map(|t| t.start).collect(),
            ends: tokens.iter().map(|t| t.end).collect(),
            start_index: tokens
                .iter()
                .enumerate()
                .map(|(i, t)| (t.start, i))
                .collect(),
            end_index: tokens.iter().enumerate().map(|(i, t)| (t.end, i)).collect(),
        }
    }

    fn aligned(&self, start: usize, end: usize) -> bool {
        self.starts.contains(&start) && self.ends.contains(&end)
    }

    fn token_ending_at(&self, end: usize) -> Option<usize> {
        self.end_index.get(&end).copied()
    }

    fn token_starting_at_idx(&self, start: usize) -> Option<usize> {
        self.start_index.get(&start).copied()
    }

    fn token_starting_at(&self, start: usize) -> Option<&Token> {
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
