//! Names found by their context: sources of figures, lone park words, trade names
//! (泰晶科技), and the subject of a clause that says it is a company.

use super::{Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::normalize::is_cjk;
use crate::vocab::Class;

impl Recognizer {
    /// Companies named by a Latin name as the source of figures (据DisplaySearch
    ///统计, WitsView数据显示) or after the kind of firm they are (零售商CLOES,
    /// 研究机构DisplaySearch): a Latin word with a capital letter after 据 or a
    /// `descriptor_head`, or before a word of reporting or of its results (`source_cue`).
    pub(super) fn source_name_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        static LATIN: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let latin = LATIN.get_or_init(|| {
            regex::Regex::new(r"[A-Za-z][A-Za-z0-9&.\-]*[A-Za-z0-9]").expect("Latin name regex")
        });
        for m in latin.find_iter(ctx.text) {
            let (start, end) = (m.start(), m.end());
            if m.as_str().len() < 3
                || !ctx.aligned(start, end)
                || !m.as_str().chars().any(|c| c.is_ascii_uppercase())
            {
                continue;
            }
            let before = &ctx.text[..start];
            // John Smith表示: given and family name, two capitalised words, name a person.
            let title_case = |w: &str| {
                let mut cs = w.chars();
                cs.next().is_some_and(|c| c.is_ascii_uppercase())
                    && cs.as_str().chars().all(|c| c.is_ascii_lowercase())
                    && !cs.as_str().is_empty()
            };
            let given_name = before
                .strip_suffix(' ')
                .and_then(|b| b.rsplit(|c: char| !c.is_ascii_alphabetic()).next());
            if title_case(m.as_str()) && given_name.is_some_and(title_case) {
                continue;
            }
            let after_cue = ctx
                .token_ending_at(start)
                .is_some_and(|i| matches!(ctx.tokens[i].word, "据" | "根据"))
                || self.words("descriptor_head").any(|d| {
                    before.ends_with(d.as_str()) && ctx.starts.contains(&(start - d.len()))
                });
            let before_cue = ctx
                .token_starting_at(end)
                .is_some_and(|n| self.is("source_cue", n.word));
            if after_cue || before_cue {
                out.push(ctx.mention(start, end, Class::Company, None, Source::Context));
            }
        }
    }

    /// Sections of numbered roads (国道109线甲镇至乙村段): a `route_prefix`, the
    /// road's number and 线, then two places joined by 至 and closed by 段.
    pub(super) fn route_section_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for m in self.route_section.find_iter(ctx.text) {
            if ctx.starts.contains(&m.start()) {
                out.push(ctx.mention(m.start(), m.end(), Class::Project, None, Source::Suffix));
            }
        }
    }

    /// A line that runs between two places the text names as regions (甲市至乙县
    ///高速公路, 甲省乙市至丙省丁市铁路, 甲—乙输电线路): the places, 至 or a dash
    /// between them and a `route_facility` word, with a `route_closing` word
    /// (项目, 工程) if one follows, make one project in place of the regions.
    pub(super) fn routes_between_regions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let mut k = 0;
        while k < chosen.len() {
            match self.route_between_regions(ctx, chosen, k) {
                Some((from, end)) => {
                    replace_with_project(ctx, chosen, from, end, Source::Suffix);
                    k = 0;
                }
                None => k += 1,
            }
        }
    }

    /// The span of the line whose second place ends with region `k`, if any.
    fn route_between_regions(
        &self,
        ctx: &SentenceContext,
        chosen: &[Mention],
        k: usize,
    ) -> Option<(usize, usize)> {
        let last = &chosen[k];
        if last.class != Class::Region {
            return None;
        }
        let longest_at = |kind: &str, at: usize| {
            self.words(kind)
                .filter(|w| ctx.text[at..].starts_with(w.as_str()))
                .map(|w| at + w.len())
                .max()
        };
        let mut end = longest_at("route_facility", last.end)?;
        end = longest_at("route_closing", end).unwrap_or(end);
        let continued = ctx
            .token_starting_at(end)
            .is_some_and(|t| self.is("route_continuation", t.word));
        if !ctx.ends.contains(&end) || continued {
            return None;
        }
        let second = region_run_start(chosen, last.end);
        let joiner = ["至", "—", "－", "-"]
            .into_iter()
            .find(|j| ctx.text[..second].ends_with(j))?;
        let first_end = second - joiner.len();
        let from = region_run_start(chosen, first_end);
        let clear = chosen
            .iter()
            .all(|m| m.end <= from || end <= m.start || from <= m.start && m.end <= end);
        (from < first_end && clear).then_some((from, end))
    }

    /// A project that runs from one place to another (甲市至乙机场专用公路工程):
    /// the place before 至 opens its name, where the text names it as a region.
    pub(super) fn route_openings(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let mut k = 0;
        while k < chosen.len() {
            let m = &chosen[k];
            let start = m.start;
            let opening = (m.class == Class::Project && ctx.text[..start].ends_with('至'))
                .then(|| start - '至'.len_utf8())
                .and_then(|to| {
                    chosen
                        .iter()
                        .position(|r| r.class == Class::Region && r.end == to)
                });
            if let Some(r) = opening {
                // The province before the place opens it too (甲省乙市至…).
                let from = region_run_start(chosen, chosen[r].start);
                let (end, source) = (chosen[k].end, chosen[k].source);
                replace_with_project(ctx, chosen, from, end, source);
                k = 0;
                continue;
            }
            k += 1;
        }
    }

    /// The medium a news item opens with, before its date and 讯 or 电
    /// (青禾网5月3日讯, 远航社北京5月3日电, where a place may follow the medium's
    /// name): a company, unless it is the paper itself (`own_medium`: 本报).
    pub(super) fn byline_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        static BYLINE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let byline = BYLINE.get_or_init(|| {
            regex::Regex::new(r"^(\p{Han}{2,10}?)\d{1,2}月\d{1,2}日(?:讯|电)")
                .expect("byline regex")
        });
        let Some(name) = byline.captures(ctx.text).and_then(|c| c.get(1)) else {
            return;
        };
        let place = out
            .iter()
            .filter(|m| m.class == Class::Region && m.end == name.end() && m.start > 0)
            .map(|m| m.start)
            .min();
        let end = place.unwrap_or(name.end());
        let text = &ctx.text[..end];
        if (2..=6).contains(&text.chars().count())
            && ctx.ends.contains(&end)
            && !self.is("own_medium", text)
            && !out.iter().any(|m| m.start < end)
        {
            out.push(ctx.mention(0, end, Class::Company, None, Source::Context));
        }
    }

    /// A suffix standing alone as a word (高新区, 示范区): a reference to the
    /// place the text is about, settled by the resolver.
    pub(super) fn anaphor_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let anaphors = self.word_set("anaphor");
        for t in ctx.tokens {
            if anaphors.is_some_and(|s| s.contains(t.word))
                && let Some(rule) = self.suffix_rules.iter().find(|r| r.suffix == t.word)
            {
                out.push(ctx.mention(t.start, t.end, rule.class, None, Source::Context));
            }
        }
    }

    /// Companies written as a short name and a trade word (泰晶科技, 楚天药业).
    pub(super) fn trade_name_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
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
                    && !self.is("stop", t.word)
                    && !self.is("lead_trim", t.word)
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
            // A word of position or time (灾后/f + 农业) is none either.
            let unknown = !p.known && !matches!(p.tag.chars().next(), Some('v' | 'a' | 'd' | 'f'));
            let weak = self
                .weak_trade_words
                .contains(&ctx.text[m.start()..m.end()]);
            // A word that may be a name at all: no region, no cue word.
            let candidate = !is_region && !self.is("stop", p.word);
            let name_like = candidate
                && if weak {
                    unknown || matches!(p.tag, "nz" | "nrt")
                } else {
                    unknown
                        || matches!(
                            p.tag,
                            "nr" | "nrt" | "nrfg" | "nz" | "nt" | "j" | "x" | "ns"
                        )
                };
            // The HMM may glue a preposition to an unknown name (以程力 + 专汽).
            let glued = !p.known
                && n >= 3
                && p.word
                    .chars()
                    .next()
                    .is_some_and(|c| self.is_char("free_item_stop", c));
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

    /// The subject of a clause that says it is a company (远翔精工是精密模具领域的
    /// 龙头企业, 华岳是一家…公司) is a company when it looks like a name: it ends
    /// with a trade word, or holds a word the dictionary does not know or tags as a name.
    pub(super) fn apposition_mentions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
        let tokens = ctx.tokens;
        let mut from = 0;
        for i in 0..=tokens.len() {
            if i < tokens.len() && !matches!(tokens[i].word, "," | ";" | ":" | "。") {
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
                .take_while(|t| self.is("lead_trim", t.word))
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
            let name_like = subject
                .iter()
                .any(|t| !t.known || matches!(t.tag, "nr" | "nrt" | "nrfg" | "nz" | "nt" | "j"));
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
}

/// The start of the run of regions that ends at `at` (湖北 + 咸宁 before 至): the
/// start of its first region, or `at` when no region ends there.
fn region_run_start(chosen: &[Mention], mut at: usize) -> usize {
    while let Some(r) = chosen
        .iter()
        .find(|r| r.class == Class::Region && r.end == at && r.start < at)
    {
        at = r.start;
    }
    at
}

/// Replaces the mentions within `from..end` by one project there.
fn replace_with_project(
    ctx: &SentenceContext,
    chosen: &mut Vec<Mention>,
    from: usize,
    end: usize,
    source: Source,
) {
    chosen.retain(|m| !(from <= m.start && m.end <= end));
    chosen.push(ctx.mention(from, end, Class::Project, None, source));
    chosen.sort_by_key(|m| m.start);
}
