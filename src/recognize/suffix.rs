//! Names closed by a suffix (有限公司, 高新区, 重点实验室, …): where the suffixes end,
//! the left edge walked back through the segmentation, and which words may stand inside a name.

use super::{Recognizer, SentenceContext, only_char};
use crate::mention::{Mention, Source};
use crate::resources::SuffixRule;
use crate::segment::Token;
use crate::vocab::Class;
use rustc_hash::FxHashMap;

impl Recognizer {
    /// For each token index, the class of a dictionary or suffix name that ends with it.
    pub(super) fn entity_ends(
        &self,
        ctx: &SentenceContext,
        dict: &[Mention],
        suffix_hits: &[(usize, usize, usize)],
    ) -> FxHashMap<usize, Class> {
        let mut ends = FxHashMap::default();
        for m in dict {
            if let Some(i) = ctx.token_ending_at(m.end) {
                ends.insert(i, m.class);
            }
        }
        for &(_, end, rule) in suffix_hits {
            // Only the suffixes of organisations and parks close a name; words
            // such as 工程, 产业 or 平台 also occur inside names (安徽工程大学).
            let rule = &self.suffix_rules[rule];
            if let Some(i) = ctx.token_ending_at(end)
                && (rule.class.is_organization() || rule.class == Class::Park)
                // A suffix standing alone as a common word (园区) ends no name.
                && !self.is("generic", ctx.tokens[i].word)
            {
                ends.entry(i).or_insert(rule.class);
            }
        }
        ends
    }

    /// Names closed by a suffix, from the longest suffix ending at each position
    /// back to the name's left edge; kinds (重点项目, 一个园区) are left out.
    pub(super) fn suffix_mentions(
        &self,
        ctx: &SentenceContext,
        ends: &FxHashMap<usize, Class>,
        suffix_hits: &[(usize, usize, usize)],
        out: &mut Vec<Mention>,
    ) {
        // The longest suffix ending at each position.
        let mut best: FxHashMap<usize, (usize, usize)> = FxHashMap::default();
        for &(start, end, rule) in suffix_hits {
            let e = best.entry(end).or_insert((start, rule));
            if end - start > end - e.0 {
                *e = (start, rule);
            }
        }
        let mut positions: Vec<_> = best.into_iter().collect();
        positions.sort();
        for (end, (start, rule_idx)) in positions {
            let rule = &self.suffix_rules[rule_idx];
            // 产业升级 is no industry; 项目服务体系 and 项目调度会 name no project.
            if ctx.token_starting_at(end).is_some_and(|t| {
                self.is("right_boundary", &rule.suffix) && self.is("name_continuation", t.word)
                    || self.is_kind("name_continuation_", &rule.suffix, t.word)
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
                let ends_as_word = || {
                    self.words("not_name").any(|w| {
                        name.ends_with(w.as_str())
                            && w.chars().count() > suffix_chars
                            && !self.names_a_trade(
                                ctx,
                                &name[..name.len() - w.len()],
                                w,
                                end - w.len(),
                            )
                    })
                };
                // A token that can name a place: a region, a name or an unknown word.
                let place_like = |i: usize| {
                    let t = &ctx.tokens[i];
                    ends.get(&i) == Some(&Class::Region)
                        || !t.known
                        || matches!(t.tag, "ns" | "nz" | "nr" | "nrt" | "j")
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
                        && (self.counted_before(ctx, left) || holds_count(prefix));
                if placeless || unplaced || counted_kind {
                    continue;
                }
                // 重点项目, 服务业重大项目, 2021年山东省重大项目: a kind of project, not a
                // project's name.
                // 足球联赛项目: an event of a sport, not a project.
                let qualified = rule.class == Class::Project
                    && (ctx.token_ending_at(start).is_some_and(|i| {
                        let w = ctx.tokens[i].word;
                        self.is("generic_qualifier", w) || self.names_a_sport(w)
                    }) || self.only_qualifiers(prefix));
                // 群力科技项目一期工程: a phase of the project 群力科技项目, named by that.
                let phase_of_project = rule.class == Class::Project
                    && name.rfind("项目").is_some_and(|k| {
                        let tail = name[k + "项目".len()..].trim_end_matches(rule.suffix.as_str());
                        tail.ends_with('期')
                            && tail.chars().count() >= 2
                            && tail.chars().all(|c| "一二三四五六七八九十期".contains(c))
                    });
                // 济宁市产业, 美国产业 (a region or a country): a place's industry in
                // general, not an industry's name.
                // 汽车集团, 啤酒集团: a kind of group, not a group's name (but
                // 汽车协会 names the industry's association).
                // 美国公司: a place's companies in general.
                let place_only = rule.class == Class::Industry
                    && self.is_place_text(prefix)
                    || self.short_company_rule(rule)
                        && (rule.suffix.ends_with("公司") || rule.suffix.ends_with("集团"))
                        && (self.is_dictionary_text(prefix, Class::Industry)
                            || self.is_dictionary_text(prefix, Class::Product))
                    || rule.class == Class::Company
                        && rule.suffix.ends_with("公司")
                        && self.is_place_text(prefix)
                    || self.short_company_rule(rule) && self.kind_of_company(prefix)
                    // 科技公司, 铁路公司: a field's companies in general.
                    || self.short_company_rule(rule) && self.is("company_field", prefix);
                if prefix.chars().count() >= rule.min_prefix
                    && !phase_of_project
                    && !place_only
                    && !self.common_word_company(ctx, left, start, end, rule)
                    && !self.predicate_company(ctx, left, start, rule)
                    && !self.common_noun_suffix(ctx, start, rule)
                    && !self.is("generic", prefix)
                    && !self.is("not_name", name)
                    && !ends_as_word()
                    && !qualified
                {
                    let canonical = matches!(rule.class, Class::Product | Class::Project)
                        .then(|| without_gloss(name))
                        .flatten();
                    out.push(ctx.mention(left, end, rule.class, canonical, Source::Suffix));
                }
            }
        }
    }

    /// Whether a company name closed by 公司 or 集团 (not a legal form) is a kind
    /// of company: one word of `common_company_qualifier` in the lexicon before the
    /// suffix (主要公司, 业内公司, 外方公司, 复苏时期公司), one activity a name may
    /// hold (`name_verb`: 节能公司, 检测公司, also before a kind the dictionary
    /// knows whole: 节能服务公司), or one word the dictionary
    /// knows whole as a common noun (物业公司). Tags alone cannot tell: 全兴 (b) and
    /// 南方 (f) open names of groups.
    fn common_word_company(
        &self,
        ctx: &SentenceContext,
        left: usize,
        start: usize,
        end: usize,
        rule: &SuffixRule,
    ) -> bool {
        if !self.short_company_rule(rule) {
            return false;
        }
        let words: Vec<&Token> = ctx
            .tokens
            .iter()
            .filter(|t| left <= t.start && t.end <= end)
            .collect();
        match words.as_slice() {
            // A common noun or set phrase of the dictionary (有价证券/l).
            [whole] => whole.known && matches!(whole.tag, "n" | "l") && whole.start == left,
            [word, suffix] if suffix.start == start => {
                self.is("common_company_qualifier", word.word) || self.is("name_verb", word.word)
            }
            // An activity before a kind the dictionary knows whole (节能 + 服务公司).
            [word, kind] => kind.known && kind.tag == "n" && self.is("name_verb", word.word),
            _ => false,
        }
    }

    /// Whether `rule` closes a short company name: a company suffix that is no
    /// legal form (公司, 集团, 协会), whose name need not be registered in full.
    fn short_company_rule(&self, rule: &SuffixRule) -> bool {
        rule.class == Class::Company && !self.is("legal_form", &rule.suffix)
    }

    /// Whether a short company name (公司 or 集团, no legal form) is the object of
    /// a predicate rather than a name: an adverb stands right before it and its
    /// words are common words, which the segmenter may tag as nouns (共同 + 决策公司,
    /// 必须明确 + 存量公司). A proper name after an adverb stays (正是 + 日产公司).
    fn predicate_company(
        &self,
        ctx: &SentenceContext,
        left: usize,
        start: usize,
        rule: &SuffixRule,
    ) -> bool {
        if !self.short_company_rule(rule) {
            return false;
        }
        let after_adverb = ctx
            .token_ending_at(left)
            .is_some_and(|i| matches!(ctx.tokens[i].tag, "d" | "ad"));
        after_adverb
            && ctx
                .tokens
                .iter()
                .filter(|t| left <= t.start && t.end <= start)
                .all(|t| t.known && !self.is("proper_name_tag", t.tag))
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
        let is_unit = |c: char| COUNT_UNITS.contains(c);
        let Some(i) = ctx.token_ending_at(left) else {
            return false;
        };
        let word = ctx.tokens[i].word;
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
            i > 0 && is_number(ctx.tokens[i - 1].word)
        } else {
            is_number(count)
        }
    }

    /// Whether `text` is made up only of years, places and qualifying words
    /// (2021年 + 山东省 + 重点 + 建设), so that a name ending in it would name a kind.
    pub(super) fn only_qualifiers(&self, text: &str) -> bool {
        let piece_qualifies = |piece: &str| {
            self.is("generic", piece)
                || self.is("generic_qualifier", piece)
                || self.is("kind_word", piece)
                || self.is_region_text(piece)
                || piece
                    .strip_suffix('年')
                    .is_some_and(|y| !y.is_empty() && y.chars().all(|c| c.is_ascii_digit()))
        };
        !text.is_empty() && splits_into(text, piece_qualifies)
    }

    /// Whether `before`, the words of a name before a trade body's word `word`
    /// (行业协会, lexicon kind `trade_body`) that starts at byte `at`, name a
    /// trade or a product (the word before `at` has a tag of `trade_word_tag`),
    /// which makes the whole a name (青州市家具行业协会) rather than a kind of
    /// body (国家一级行业协会, or 钢铁、焊接等行业协会 after a list).
    fn names_a_trade(&self, ctx: &SentenceContext, before: &str, word: &str, at: usize) -> bool {
        // The word before `at`, or the word holding it (家具行业/n 协会/n).
        let trade_word = at
            .checked_sub(1)
            .and_then(|last_byte| ctx.token_containing(last_byte))
            .is_some_and(|i| self.is("trade_word_tag", ctx.tokens[i].tag));
        self.is("trade_body", word)
            && trade_word
            && before.chars().count() >= 2
            // Qualifiers alone (generic words among them) name no trade.
            && !self.only_qualifiers(before)
            && !self.is("stop", before)
    }

    /// Whether a suffix that is a common noun too (证券, lexicon kind
    /// `proper_name_suffix`) stands as a word of its own after a word that is
    /// neither unknown nor tagged as a proper name (短期/b 证券, 发展/vn 证券):
    /// then it names no company (but 南方证券/nt does, and so would a name tagged nz before 证券).
    fn common_noun_suffix(&self, ctx: &SentenceContext, start: usize, rule: &SuffixRule) -> bool {
        self.is("proper_name_suffix", &rule.suffix)
            && ctx.starts.contains(&start)
            && ctx.token_ending_at(start).is_none_or(|i| {
                let t = &ctx.tokens[i];
                t.known && !self.is("proper_name_tag", t.tag)
            })
    }

    /// Whether the words before 公司 or 集团 (not a legal form) make a kind of
    /// company: a size or scope word of `company_kind_qualifier` at one end
    /// (全国, 中型, 国际, 大) and otherwise only generic words, industries,
    /// products, verbs of names, 企业 or 集团: 全国节能服务公司, 中型企业集团,
    /// 国际酒业集团, 电子元件大公司. A place makes a name (上海汽车集团).
    fn kind_of_company(&self, prefix: &str) -> bool {
        let piece_is_kind = |piece: &str| {
            matches!(piece, "企业" | "集团")
                || self.is("generic", piece)
                || self.is("company_kind_qualifier", piece)
                || self.is("name_verb", piece)
                || self.is_dictionary_text(piece, Class::Industry)
                || self.is_dictionary_text(piece, Class::Product)
        };
        let rest_is_kind = |rest: &str| rest.is_empty() || splits_into(rest, piece_is_kind);
        self.words("company_kind_qualifier").any(|q| {
            prefix.strip_prefix(q.as_str()).is_some_and(rest_is_kind)
                || prefix.strip_suffix(q.as_str()).is_some_and(rest_is_kind)
        })
    }

    /// Walks left from a suffix at `start..end` and returns the byte offset where the name begins.
    fn left_edge(
        &self,
        ctx: &SentenceContext,
        ends: &FxHashMap<usize, Class>,
        start: usize,
        end: usize,
        rule: &SuffixRule,
    ) -> Option<usize> {
        if !ctx.ends.contains(&end) {
            return None;
        }
        let mut left = start;
        // A word the segmenter knows as a whole organisation name (新闻集团/nt)
        // takes only a region before it.
        let mut whole_organisation = false;
        if !ctx.starts.contains(&start) {
            // The suffix sits inside a word (水利局): the word must end with it.
            let i = ctx.token_containing(start)?;
            let t = &ctx.tokens[i];
            // A trade body's word (行业协会) may still close a longer name: see `names_a_trade`.
            if t.end != end || self.is("not_name", t.word) && !self.is("trade_body", t.word) {
                return None;
            }
            left = t.start;
            whole_organisation = t.tag == "nt" && t.word.chars().count() >= 4;
        }
        let mut i = ctx.token_ending_at(left);
        let mut adjacent = i;
        while let Some(idx) = i {
            let t = &ctx.tokens[idx];
            let w = t.word;
            if whole_organisation && ends.get(&idx) != Some(&Class::Region) {
                break;
            }
            // Right before the suffix: verbs of the name (安置房建设项目, 装置优化
            // 提升项目), or a park that is itself the project (重型装备产业园项目).
            let park_project = rule.class == Class::Project && ends.get(&idx) == Some(&Class::Park);
            // An industry's name holds no such verb (提升产业 is no industry).
            let suffix_verb = self.is("suffix_verb", w)
                && (rule.class != Class::Industry || self.is("name_verb", w));
            if Some(idx) == adjacent && (suffix_verb || park_project) {
                left = t.start;
                i = idx.checked_sub(1);
                adjacent = if suffix_verb { i } else { None };
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
                if inner.is_empty() || !inner.chars().all(crate::normalize::alphanumeric) {
                    break;
                }
                left = ctx.tokens[open].start;
                i = open.checked_sub(1);
                continue;
            }
            // A complement of the verb before it (建设 + 好 + 青林自由贸易港) ends the
            // name on its left; elsewhere the word may be part of the name
            // (青州 + 好 + 家园实业有限公司).
            // The complement may be glued to the name's first word (建设 + 好青林).
            let after_verb = idx
                .checked_sub(1)
                .is_some_and(|p| ctx.tokens[p].tag.starts_with('v'));
            if after_verb && self.is("verb_complement", w) {
                break;
            }
            if let Some(c) = w.chars().next()
                && after_verb
                && !t.known
                && w.len() > c.len_utf8()
                && self.is_char("verb_complement", c)
            {
                left = t.start + c.len_utf8();
                break;
            }
            let chars = name_length(&ctx.text[t.start..end]);
            // An unknown word glued from a function word and the name's first
            // character (获 + 省 in 获省科技厅): the name starts after the function word.
            // So after a date's unit glued to it (11 + 日白 + 河港); a word the
            // dictionary has that opens with the unit (5 + 月份, 2024 + 年度) is the
            // date's, and the name starts after it.
            let mut cs = w.chars();
            let opens_with_date_unit =
                w.starts_with(DATE_UNITS) && idx > 0 && is_figure(&ctx.tokens[idx - 1]);
            if opens_with_date_unit && t.known {
                left = t.end;
                break;
            }
            if let (Some(first), Some(_)) = (cs.next(), cs.next())
                && !t.known
                && (self.is_char("free_item_stop", first) || opens_with_date_unit)
            {
                left = t.start + first.len_utf8();
                // 更令 + 液晶面板: what remains of the word is no part of a product's name.
                // 11 + 日讯 + …公司, 11 + 日到 + …: a dateline's word or a function
                // character after the date is no part of the name either.
                let rest = &ctx.text[left..t.end];
                if self.is_kind("lead_trim_", rule.class.local_name(), rest)
                    || opens_with_date_unit
                        && only_char(rest).is_some_and(|c| {
                            "电讯".contains(c) || self.is_char("free_item_stop", c)
                        })
                {
                    left = t.end;
                }
                break;
            }
            // A word trimmed from the start of names of this class (国内, 年产) ends
            // the name on its left: 惠及国内面板 → 面板.
            if rule.class == Class::Product && self.is("lead_trim_Product", w) {
                break;
            }
            // 南玻光电与武汉理工大学国家重点实验室: before an organisation's name a
            // conjunction is the preposition "with", not part of the name.
            // Right before the bare suffix after a thing it joins two things (AI服务器和 +
            // 数据中心), not two words of a name; after an activity it joins two of the
            // name's (管理与 + 服务平台), and a body's suffix may name a field (科技和 +
            // 信息化局).
            let joins_two_things = ctx.text[t.end..end] == rule.suffix
                && rule.class != Class::GovernmentBody
                && idx > 0
                && !ctx.tokens[idx - 1].tag.starts_with('v');
            let with_org = self.is("conjunction", w)
                && (joins_two_things
                    || (idx + 1..ctx.tokens.len())
                        .take_while(|&j| ctx.tokens[j].end <= start)
                        .any(|j| ends.get(&j).is_some_and(|c| c.is_organization())));
            // A kind of firm (代理商, 上市公司) or a post (人大代表) before an
            // organisation's name describes it: the name starts after it.
            let described = rule.class.is_organization()
                && (self.is("descriptor_head", w) || self.is("title", w));
            if chars > rule.max_len || with_org || described {
                break;
            }
            // A company a park runs bears the park's name (宜宾高新区招商有限公司,
            // …高新区建设投资有限公司): the words between are all operator words.
            let park_operator = ends.get(&idx) == Some(&Class::Park)
                && self.is("legal_form", &rule.suffix)
                && ctx.text[t.end..start].chars().count() >= 2
                && (idx + 1..ctx.tokens.len())
                    .take_while(|&j| ctx.tokens[j].end <= start)
                    .all(|j| self.is("operator_word", ctx.tokens[j].word));
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
            if self.trims_lead(rule.class, w) && ctx.tokens[idx].end <= start {
                left = ctx.tokens[idx].end;
            } else {
                break;
            }
        }
        Some(left)
    }

    /// Whether `text` ends with a sport or a sport's event (lexicon kind
    /// `sport_event`: 足球联赛, 花样游泳集体): what a 项目 after it, or a list of
    /// 项目 it stands in, names is an event, not a project.
    pub(super) fn names_a_sport(&self, text: &str) -> bool {
        self.words("sport_event")
            .any(|e| text.ends_with(e.as_str()))
    }

    /// Whether `w` is dropped from the start of a name of `class`: `lead_trim`
    /// and `lead_trim_<Class>`, but for `lead_keep_<Class>` (全 opens 全地面起重机).
    pub(super) fn trims_lead(&self, class: Class, w: &str) -> bool {
        (self.is("lead_trim", w) || self.is_kind("lead_trim_", class.local_name(), w))
            && !self.is_kind("lead_keep_", class.local_name(), w)
    }

    /// Whether names of `class` may hold the conjunction `w` (工业和信息化部;
    /// 及 in industries and projects, 与 in parks): `conjunction_classes` and
    /// `conjunction_<Class>` in the lexicon.
    pub(super) fn conjunction_joins(&self, class: Class, w: &str) -> bool {
        self.is("conjunction_classes", class.local_name())
            || self.is_kind("conjunction_", class.local_name(), w)
    }

    /// Whether token `idx` may stand inside a name of the rule's class.
    pub(super) fn inside_name(
        &self,
        ctx: &SentenceContext,
        ends: &FxHashMap<usize, Class>,
        idx: usize,
        rule: &SuffixRule,
    ) -> bool {
        let t = &ctx.tokens[idx];
        let w = t.word;
        // A generation figure names a production line (7.5代, 第8代 …面板生产线).
        let is_number = |i: usize| ctx.tokens.get(i).is_some_and(is_figure);
        // A date (2024 + 年, 5 + 月 + 11 + 日, 2025 + 年度) is no part of a name.
        let date_unit = |i: usize| {
            ctx.tokens.get(i).is_some_and(|n| {
                n.word == "年度" || only_char(n.word).is_some_and(|c| DATE_UNITS.contains(&c))
            })
        };
        if is_number(idx) && date_unit(idx + 1) || date_unit(idx) && idx > 0 && is_number(idx - 1) {
            return false;
        }
        if rule.class == Class::Project
            && (w == "代" && idx > 0 && is_number(idx - 1)
                || w == "第" && is_number(idx + 1)
                || is_number(idx) && ctx.tokens.get(idx + 1).is_some_and(|n| n.word == "代"))
        {
            return true;
        }
        // A measure word after a figure counts what follows (8 + 项 + 证明材料, or
        // glued to its next character: 8 + 家新 + 公司): it is no part of a name, but
        // for a project's or platform's capacity.
        let unit = w.chars().next().filter(|_| w.chars().count() <= 2);
        if unit.is_some_and(|c| COUNT_UNITS.contains(c))
            && idx > 0
            && is_number(idx - 1)
            && !matches!(rule.class, Class::Project | Class::Platform)
        {
            return false;
        }
        // A figure and the unit after it measure a product (510马力 + 推土机,
        // 2500mm + 面板): they are no part of its name.
        let measured = |i: usize| {
            ctx.tokens.get(i).is_some_and(|n| {
                let unit = n
                    .word
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                unit.len() < n.word.len() && LATIN_UNITS.contains(&unit)
            })
        };
        if rule.class == Class::Product
            && (is_number(idx) || measured(idx) || idx > 0 && is_number(idx - 1))
        {
            return false;
        }
        // A generation (第三代 in 第三代半导体技术创新中心) names a kind of thing.
        if w.starts_with('第') && w.ends_with('代') && w.chars().count() <= 4 {
            return true;
        }
        // A Latin model or technology word may hold a hyphen (TFT-LCD, AM-OLED).
        let latin_word = t.tag == "eng"
            && w.starts_with(|c: char| c.is_ascii_alphanumeric())
            && w.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !(latin_word || w.chars().all(crate::normalize::alphanumeric)) {
            return false;
        }
        if self.is_kind("inside_", rule.class.local_name(), w) {
            return true;
        }
        // A one-character word between a place and a registered trade name is
        // part of the name (赣州于磁电机科技有限公司); before another place it is a
        // preposition and the name starts after it (天元区以株洲X有限公司为龙头).
        if self.is("legal_form", &rule.suffix)
            && w.chars().count() == 1
            && idx > 0
            && ends.get(&(idx - 1)) == Some(&Class::Region)
            && (t.tag.starts_with('p') || t.tag.starts_with('c'))
        {
            return ends.get(&(idx + 1)) != Some(&Class::Region);
        }
        if self.is("stop", w) {
            return false;
        }
        // A kind of firm (制造商, 研究机构) or a post before an organisation's
        // name describes it; it is no part of the name.
        if rule.class.is_organization() && (self.is("descriptor_head", w) || self.is("title", w)) {
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
            // Before a place it joins two names (双方和 + 菲律宾政府).
            let joins = self.conjunction_joins(rule.class, w);
            let before = idx.checked_sub(1).and_then(|j| ends.get(&j));
            return joins
                && idx > 0
                && !(ends.get(&(idx + 1)) == Some(&Class::Region)
                    || ctx
                        .tokens
                        .get(idx + 1)
                        .is_some_and(|n| self.is_place_text(n.word)))
                && (rule.class != Class::Park || before == Some(&Class::Industry))
                && before.is_none_or(|c| rule.absorbs.contains(c))
                && ctx.tokens[idx - 1]
                    .word
                    .chars()
                    .all(crate::normalize::alphanumeric)
                && (!self.is("stop", ctx.tokens[idx - 1].word)
                    || self.is_kind("inside_", rule.class.local_name(), ctx.tokens[idx - 1].word));
        }
        let tag = t.tag;
        let place_before =
            |i: usize| ends.get(&(i - 1)) == Some(&Class::Region) || ctx.tokens[i - 1].tag == "ns";
        // A registered name opens with its place: a verb before the place is the
        // sentence's (使用 + 广州市…有限公司, 还有 + 红塔滇西…有限公司), but for one
        // between two places (山东 + 新能 + 泰山发电…) or before a bracketed place
        // (奔腾电器(上海)有限公司).
        let place_after = |i: usize| {
            ctx.tokens[i + 1..]
                .iter()
                .take_while(|n| !n.word.ends_with(rule.suffix.as_str()) && n.word != "(")
                .take(12)
                .enumerate()
                .any(|(k, n)| ends.get(&(i + 1 + k)) == Some(&Class::Region) || n.tag == "ns")
        };
        let next_is_quantifier = ctx
            .tokens
            .get(idx + 1)
            .is_some_and(|n| n.tag.starts_with('q'));
        match tag.chars().next() {
            // A registered company name may hold any word after its place (远航电子有限公司); a short one, or
            // another kind of name, holds only the verbs listed as name_verb, but
            // for a project or village listed before its head (提质改造、…等项目, 丰收、…等村).
            // The tag of a word the dictionary lacks is a guess (轻混 in
            // …公司轻混电池模组项目): between a company and the suffix it stays.
            Some('v') if tag != "vn" => {
                self.is("name_verb", w)
                    || rule.suffix.is_empty()
                        && matches!(rule.class, Class::Project | Class::Region)
                    || self.is("legal_form", &rule.suffix)
                        && (!place_after(idx) || idx > 0 && place_before(idx))
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
            // Time words name nothing (本月, 上旬, 当天) but for a few that
            // name an era (现代农业, 未来产业): `name_time_word` in the lexicon.
            Some('t') => self.is("name_time_word", w),
            Some('p' | 'u' | 'q' | 'c' | 'y' | 'o' | 'w') => false,
            // Numbers stay in names only as phase, model or capacity figures:
            // 二期, 2x100MW, 年产200万套.
            _ if tag == "eng" => true,
            // A word tagged as a numeral that holds no numeral is a mis-tagged noun
            // (零部件), unless a figure stands before it: then it is the figure's
            // measure (1200 + 吨 + 全地面起重机, 307 + 种 + 药品).
            // A numeral word opening with a pronoun (这场, 该批) is no noun.
            Some('m')
                if !w.chars().any(|c| {
                    c.is_ascii_digit() || "一二三四五六七八九十百千万亿两几多余第半首".contains(c)
                }) && (idx == 0 || !is_number(idx - 1)) =>
            {
                !self.opens_with_pronoun(w)
            }
            Some('m') => {
                let digits = |t: &Token| {
                    t.tag.starts_with('m') && t.word.chars().any(|c| c.is_ascii_digit())
                };
                !next_is_quantifier
                    && matches!(rule.class, Class::Project | Class::Platform)
                    && (digits(t) || w.ends_with('期') || idx > 0 && digits(&ctx.tokens[idx - 1]))
            }
            // A locality word (南方, 之内, 中) opens no kind of product or industry:
            // 在这场南方稀土的整合中, 短期之内平板电脑.
            Some('f') if matches!(rule.class, Class::Product | Class::Industry) => false,
            // A short company name (公司 or 集团, no legal form) holds no adverb
            // (届时公司, 分别贡献公司) and no word of position (报告期内公司). The
            // tag is a guess for a word the segmenter's dictionary lacks, a country
            // (也门) or a word after a place (福州 + 高意集团); an adverb tag before
            // a one-character word (not a preposition, conjunction or particle) is a
            // fragment of an unknown word (高新 + 投公司).
            Some('d' | 'f')
                if self.short_company_rule(rule)
                    && t.known
                    && !self.is("branch_place", w)
                    && !(idx > 0 && place_before(idx))
                    && (tag.starts_with('d')
                        && ctx.tokens.get(idx + 1).is_none_or(|n| {
                            n.word.chars().count() > 1
                                || matches!(n.tag.chars().next(), Some('p' | 'c' | 'u'))
                        })
                        || tag.starts_with('f')
                            && w.chars().count() > 1
                            && w.ends_with(|c| POSITION_ENDS.contains(c))) =>
            {
                false
            }
            // Two-character adverb tags are often mis-tagged adjectives (高速).
            Some('d') => w.chars().count() >= 2,
            _ => true,
        }
    }
}

/// Last characters of words of position (期内, 门口边, 会后), which open no short company
/// name; a one-character 中 or 东 opens many (中储粮集团).
const POSITION_ENDS: &str = "内外中上下前后间里旁边";

/// Whether `text` splits into pieces that all pass `piece_ok`.
fn splits_into(text: &str, piece_ok: impl Fn(&str) -> bool) -> bool {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    // reachable[k]: the first k characters split into such pieces.
    let mut reachable = vec![false; bounds.len()];
    reachable[0] = true;
    for i in 0..bounds.len() {
        if !reachable[i] {
            continue;
        }
        for j in i + 1..bounds.len() {
            if !reachable[j] && piece_ok(&text[bounds[i]..bounds[j]]) {
                reachable[j] = true;
            }
        }
    }
    reachable[bounds.len() - 1]
}

/// Whether a token is a figure written in digits (2024, 8.5), as the segmenter
/// tags numerals.
fn is_figure(t: &Token) -> bool {
    t.tag.starts_with('m') && t.word.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// The units of a date after its figures (2024年5月11日).
const DATE_UNITS: [char; 3] = ['年', '月', '日'];

/// Measure words that count things (3个, 31项, 51件, 8种).
const COUNT_UNITS: &str = "个座所家项批条件种处";

/// Units written in Latin letters right after a figure (2500mm, 10kw): a measure.
const LATIN_UNITS: [&str; 10] = ["mm", "cm", "m", "km", "kg", "t", "w", "kw", "v", "kv"];

/// Whether a name's prefix holds a count of things (3200余个优质 + 项目,
/// 启动31项建设 + 项目): the phrase counts a kind, it names nothing.
fn holds_count(prefix: &str) -> bool {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(&format!(
            r"(?:\d+|[一二两三四五六七八九十百千万几]+)(?:多|余)?[{COUNT_UNITS}]"
        ))
        .expect("count regex")
    })
    .is_match(prefix)
}

/// A name without the Chinese gloss bracketed after a Latin abbreviation in it
/// (OLED(有机电子发光)面板 → OLED面板), if it has one.
fn without_gloss(name: &str) -> Option<String> {
    static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let re = RE
        .get_or_init(|| regex::Regex::new(r"([A-Za-z0-9])\(\p{Han}{2,10}\)").expect("gloss regex"));
    re.is_match(name)
        .then(|| re.replace_all(name, "$1").into_owned())
}

/// The length of a name as its limits count it: characters, with a Latin word
/// (Bankstown, TFT-LCD) counting as two.
pub(super) fn name_length(text: &str) -> usize {
    let mut length = 0;
    let mut in_latin = false;
    for c in text.chars() {
        let latin = c.is_ascii_alphabetic() || in_latin && (c.is_ascii_digit() || c == '-');
        if !(latin && in_latin) {
            length += if latin { 2 } else { 1 };
        }
        in_latin = latin;
    }
    length
}
