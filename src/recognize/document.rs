//! Document-level passes: short forms of the companies a document names, their
//! later mentions, and 该公司 / 该企业 pointing back to a company.

use super::{Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::segment::Token;
use crate::vocab::Class;
use std::collections::{BTreeMap, BTreeSet};

/// The sentences (title, date line, lead) that name the group a group's news is about.
const GROUP_LEAD_SENTENCES: usize = 3;

impl Recognizer {
    /// Short forms of the registered company names among `mentions`: the name
    /// without its region and legal form (卓越新能源科技), that without its
    /// trade word too (卓越新能源), when at least two characters remain, and the
    /// region with that trade name (芜湖卓越).
    pub fn company_short_forms(
        &self,
        mentions: &[Vec<Mention>],
        regions: &dyn crate::mention::RegionNames,
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
            // Trade and business words stacked before the legal form (理想伟业 + 节能 +
            // 投资) come off one by one down to the trade name.
            let mut trade_name = core.as_str();
            while let Some(start) = self
                .trade_words
                .find_iter(trade_name)
                .last()
                .filter(|tw| tw.end() == trade_name.len())
                .map(|tw| tw.start())
                .or_else(|| {
                    self.words("business_word")
                        .find_map(|w| trade_name.strip_suffix(w.as_str()))
                        .map(str::len)
                })
                .filter(|&start| trade_name[..start].chars().count() >= 2)
            {
                trade_name = &trade_name[..start];
                candidates.push(trade_name.to_string());
            }
            // The region and the trade name (湖北金龙 for 湖北金龙新材料有限公司).
            if trade_name != core && !region.is_empty() && trade_name.chars().count() <= 4 {
                candidates.push(format!("{region}{trade_name}"));
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
        regions: &dyn crate::mention::RegionNames,
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
    /// or the two before it; 集团 opening a clause names the group the document is
    /// about. Each becomes a mention of that company, which the resolver merges.
    pub fn add_company_anaphors(
        &self,
        texts: &[&str],
        tokens: &[Vec<Token>],
        mentions: &mut [Vec<Mention>],
    ) {
        self.add_group_anaphors(texts, tokens, mentions);
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

    /// In a group's own news 集团 standing alone at the start of a clause
    /// (集团党委书记、董事长X, 此前，集团全资子公司Y) is the group: the company whose
    /// name holds a `group_anaphor` word that the title or lead names and the
    /// document names more than twice as often as any other such company. A
    /// document without one gets none.
    fn add_group_anaphors(
        &self,
        texts: &[&str],
        tokens: &[Vec<Token>],
        mentions: &mut [Vec<Mention>],
    ) {
        let words: Vec<&String> = self.words("group_anaphor").collect();
        // Each group's mentions, and the first sentence naming it.
        let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for (si, ms) in mentions.iter().enumerate() {
            for m in ms {
                if m.class == Class::Company && words.iter().any(|w| m.text.contains(w.as_str())) {
                    let name = m.canonical.clone().unwrap_or_else(|| m.text.clone());
                    counts.entry(name).or_insert((0, si)).0 += 1;
                }
            }
        }
        let mut ranked: Vec<(String, (usize, usize))> = counts.into_iter().collect();
        ranked.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
        // The group the news is about: named in its title or lead, and more than
        // twice as often as any other group.
        let group = match ranked.as_slice() {
            [(name, (_, first)), rest @ ..]
                if *first <= GROUP_LEAD_SENTENCES
                    && rest
                        .first()
                        .is_none_or(|(_, (second, _))| ranked[0].1.0 > 2 * second) =>
            {
                name.clone()
            }
            _ => return,
        };
        for si in 0..texts.len() {
            if !words.iter().any(|w| texts[si].contains(w.as_str())) {
                continue;
            }
            let ctx = SentenceContext::new(texts[si], &tokens[si]);
            for (i, t) in tokens[si].iter().enumerate() {
                let clause_start = i == 0 || tokens[si][i - 1].tag == "x";
                if !clause_start
                    || !words.iter().any(|w| w.as_str() == t.word)
                    || mentions[si]
                        .iter()
                        .any(|m| m.start < t.end && t.start < m.end)
                {
                    continue;
                }
                mentions[si].push(ctx.mention(
                    t.start,
                    t.end,
                    Class::Company,
                    Some(group.clone()),
                    Source::Context,
                ));
                mentions[si].sort_by_key(|m| m.start);
            }
        }
    }
}
