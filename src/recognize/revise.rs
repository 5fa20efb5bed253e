//! Second looks at the settled mentions of a sentence: technologies and goals that
//! are no industries or honours, parks sharing a suffix, bodies taking their park.

use super::suffix::name_length;
use super::{Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::normalize::is_cjk;
use crate::vocab::Class;

impl Recognizer {
    /// A group of industries that closes a list (人工智能、量子科技等未来产业):
    /// an industry of its own, of which the listed ones are segments, whatever
    /// follows it. Likewise a chain named right after a list (…、偏光片等显示产业链),
    /// whatever its words' tags.
    pub(super) fn group_industry_mentions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
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
            // Or one or two words and a chain word (等显示产业链): 等 opens the name,
            // unless it only ranks or sorts the members (等重点行业, 等相关产业) or
            // sums them up (等各个行业).
            let chain_end = || {
                let first = ctx.token_starting_at_idx(start)?;
                (first + 1..(first + 3).min(ctx.tokens.len()))
                    .find(|&k| self.is("industry_chain_word", ctx.tokens[k].word))
                    .map(|k| ctx.tokens[k].end)
                    .filter(|&end| {
                        let name = &ctx.text[start..end];
                        name.chars().all(is_cjk)
                            && (4..=8).contains(&name.chars().count())
                            && !self.is("not_name", name)
                            && !self.is("generic", name)
                            && !self.opens_with_pronoun(name)
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
    pub(super) fn class_from_list_neighbours(&self, ctx: &SentenceContext, chosen: &mut [Mention]) {
        let joined = |a: &Mention, b: &Mention| {
            a.end <= b.start
                && matches!(
                    &ctx.text[a.end..b.start],
                    "、" | "和" | "及" | "与" | "以及"
                )
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
    pub(super) fn drop_listed_technologies(
        &self,
        ctx: &SentenceContext,
        chosen: &mut Vec<Mention>,
    ) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            if t.word != "等" && t.word != "等等" {
                continue;
            }
            let head: String = ctx.tokens[i + 1..].iter().take(3).map(|t| t.word).collect();
            if !self
                .words("technology_head")
                .any(|h| head.starts_with(h.as_str()))
            {
                continue;
            }
            // The list: back from 等 to the punctuation that opens the clause.
            let open = ctx.tokens[..i]
                .iter()
                .rposition(|t| matches!(t.word, "," | "。" | ";" | ":" | "!" | "?"))
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
    /// `honor_goal_verb` in the lexicon, and no count of holders follows it or,
    /// with its classifier, stands before it.
    pub(super) fn drop_honour_goals(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let numeral = |c: &char| c.is_ascii_digit() || "一二两三四五六七八九十百千万".contains(*c);
        let goal = |m: &Mention| {
            // 建设…双创服务基地2家 counts holders: an award all the same; so does
            // 建设260个…产业集群, the count of the designations a programme makes.
            let counted_after = ctx.text[m.end..].chars().take_while(numeral).count() > 0;
            let mut before = ctx.text[..m.start].chars().rev();
            let counted_before = before.next().is_some_and(|c| "个家批座处".contains(c))
                && before.next().as_ref().is_some_and(numeral);
            let counted = counted_after || counted_before;
            if m.class != Class::Honor || counted {
                return false;
            }
            let verb = ctx
                .tokens
                .iter()
                .rev()
                .filter(|t| t.end <= m.start)
                .take_while(|t| !matches!(t.word, "," | "。" | ";" | ":"))
                .find(|t| {
                    t.tag.starts_with('v')
                        && !chosen.iter().any(|o| o.start <= t.start && t.end <= o.end)
                });
            verb.is_some_and(|t| self.is("honor_goal_verb", t.word))
        };
        let keep: Vec<bool> = chosen.iter().map(|m| !goal(m)).collect();
        let mut k = keep.iter();
        chosen.retain(|_| *k.next().unwrap_or(&true));
    }

    /// A department or office named right after its government body or
    /// university (工信部 + 电子产品司, 复旦大学 + 平板显示中心) is a body of its
    /// own, and the name runs to the end of the unit: up to four nouns after
    /// the body, the last ending with a `unit_suffix_<Class>` of the lexicon. A
    /// unit ending with a `research_unit_suffix_<Class>` (能源所, 显示中心) is a
    /// research institute. The body stays a mention of its own before the unit,
    /// whose canonical name is the whole (复旦大学平板显示中心).
    pub(super) fn extend_units(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let mut k = 0;
        while k < chosen.len() {
            let m = &chosen[k];
            k += 1;
            // A bare body word (管委会) names its unit through the body it stands for.
            if !matches!(m.class, Class::GovernmentBody | Class::University)
                || self.suffix_rules.iter().any(|r| r.suffix == m.text)
            {
                continue;
            }
            // A product or industry word may stand inside the unit's name; any
            // other name ends it.
            let next_start = chosen[k..]
                .iter()
                .find(|n| !matches!(n.class, Class::Product | Class::Industry))
                .map_or(ctx.text.len(), |n| n.start);
            let Some(first) = ctx.token_starting_at_idx(m.end) else {
                continue;
            };
            let unit_suffix = format!("unit_suffix_{}", m.class);
            let mut unit_end = None;
            for t in ctx.tokens[first..].iter().take(4) {
                // Nouns, and verbs that are no cue (平板 + 显示 + 中心).
                let nominal =
                    (matches!(t.tag, "n" | "nr" | "nz" | "nt" | "vn" | "j" | "eng" | "ng")
                        || t.tag.starts_with('v')
                            && !self.is("stop", t.word)
                            && !self.is("speech_verb", t.word))
                        && !self.is("title", t.word);
                if !nominal || t.end > next_start || name_length(&ctx.text[m.end..t.end]) > 10 {
                    break;
                }
                // A word that ends like a unit but names none (干部 ends with 部) ends no unit.
                if self.words(&unit_suffix).any(|s| {
                    t.word.ends_with(s.as_str()) && (t.word == s || !self.is("not_name", t.word))
                }) {
                    unit_end = Some(t.end);
                }
            }
            let Some(end) = unit_end else {
                continue;
            };
            let research = self
                .words(&format!("research_unit_suffix_{}", m.class))
                .any(|s| ctx.text[..end].ends_with(s.as_str()));
            let class = if research {
                Class::ResearchInstitute
            } else {
                m.class
            };
            // The body stays a mention of its own; the unit follows it, named in full.
            let start = m.end;
            let full = ctx.text[m.start..end].to_string();
            chosen.retain(|o| o.end <= start || end <= o.start);
            let at = chosen.partition_point(|o| o.start < start);
            chosen.insert(
                at,
                ctx.mention(start, end, class, Some(full), Source::Suffix),
            );
            k = at + 1;
        }
    }

    /// A bare body word (管委会) right after a body or park named in full takes
    /// that park: 宜宾高新区党工委书记、管委会主任 → 宜宾高新区管委会.
    pub(super) fn anchor_bodies(&self, chosen: &mut [Mention]) {
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
    pub(super) fn shared_suffixes(&self, ctx: &SentenceContext, chosen: &mut [Mention]) {
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
}
