//! Coordinated lists: members closed by a head noun, 等 or a count, and the
//! companies of 以A、B为引领.

use super::{Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::normalize::is_cjk;
use crate::resources::SuffixRule;
use crate::vocab::Class;
use rustc_hash::FxHashMap;

impl Recognizer {
    /// The members of 以A、B、C为引领 (or 为龙头, 为核心) are companies when one of
    /// them ends with a trade word (天一智能) and none is an industry or a place.
    pub(super) fn leader_list_mentions(&self, ctx: &SentenceContext, chosen: &mut Vec<Mention>) {
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
                .is_some_and(|n| self.is("leader_role", n.word))
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

    /// Members of coordinated lists closed by a head noun: `A、B和C等7家企业`.
    ///
    /// A list counts when 等 closes it or when one member is already a name of
    /// the head's class; lists inside quotation marks (slogans) do not count.
    pub(super) fn list_mentions(
        &self,
        ctx: &SentenceContext,
        ends: &FxHashMap<usize, Class>,
        chosen: &mut Vec<Mention>,
    ) {
        for h in self.heads.find_iter(ctx.text) {
            if !ctx.starts.contains(&h.start()) || !ctx.ends.contains(&h.end()) {
                continue;
            }
            // The head ends the phrase: 产业 in 产业孵化园 is no head (产业产值 keeps it),
            // nor 项目 in 项目比赛 (the items of a contest are no projects).
            let head = &ctx.text[h.start()..h.end()];
            if ctx.token_starting_at(h.end()).is_some_and(|t| {
                self.is("name_continuation", t.word)
                    || self.is_kind("name_continuation_", head, t.word)
            }) {
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
                    count = small_number(t.word);
                } else if !(t.tag.starts_with('m')
                    || t.tag.starts_with('q')
                    || self.is("list_filler", t.word)
                    || idx == before_head
                        && class != Class::Project
                        && self.head_modifier(ctx, idx))
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
            // Some heads close a list only after 等 and beside a member already named so
            // (钢铁、有色等行业); elsewhere they end a longer name (新材料及制品行业) or
            // follow a list of trades, jobs or shops (司机、安保人员等行业).
            if self.is("head_after_deng", head) && !(saw_deng && anchored) {
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
                // A sport among events (篮球、排球等项目) is no project.
                let sport = class == Class::Project && self.names_a_sport(text);
                if !(2..=20).contains(&n)
                    || lone_verb && !village
                    || sport
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
                // A company named in a list of companies (蔚来汽车、…等企业) ends with
                // its trade, an industry or product word.
                let company_trade = |m: &Mention| {
                    class == Class::Company
                        && (saw_deng || counted)
                        && matches!(m.class, Class::Industry | Class::Product)
                        && m.end == e
                        && s < m.start
                        && ctx.text[s..m.start].chars().count() >= 2
                };
                // …and may open with a place (东海汽车).
                let traded = chosen.iter().any(company_trade);
                let company_place =
                    |m: &Mention| traded && m.class == Class::Region && m.start == s;
                chosen.retain(|m| {
                    let inside = s <= m.start && m.end <= e;
                    !(m.class == class && inside && (m.start, m.end) != (s, e)
                        || (project_part(m) || company_trade(m) || company_place(m)) && inside)
                });
                if chosen.iter().any(|m| m.start < e && s < m.end) {
                    continue;
                }
                chosen.push(ctx.mention(s, e, class, distributed(text), Source::List));
            }
        }
    }

    /// Whether token `idx` is one word qualifying a list's head right after 等
    /// (等乡土产业, 等品牌企业, 等主要产品): a noun or adjective of one or two
    /// characters that is neither a place nor a stop word. Projects are left
    /// out: 港口和农田等公共项目 lists kinds of works.
    fn head_modifier(&self, ctx: &SentenceContext, idx: usize) -> bool {
        let t = &ctx.tokens[idx];
        idx > 0
            && matches!(ctx.tokens[idx - 1].word, "等" | "等等")
            && (1..=2).contains(&t.word.chars().count())
            && t.word.chars().all(is_cjk)
            && matches!(t.tag, "n" | "a" | "b" | "an")
            && !self.is("stop", t.word)
            && !self.is_region_text(t.word)
    }

    /// The unnamed members of a list closed by 等 whose other members are all
    /// companies (京东方、华光电等, 彩虹集团、长虹集团、东方天马等) are companies
    /// too: a member no mention covers, or one that only opens with a place
    /// (东方 in 东方天马), when it is a short name of two to six characters.
    pub(super) fn company_list_members(
        &self,
        ctx: &SentenceContext,
        ends: &FxHashMap<usize, Class>,
        chosen: &mut Vec<Mention>,
    ) {
        for (i, t) in ctx.tokens.iter().enumerate() {
            if !matches!(t.word, "等" | "等等") || i == 0 {
                continue;
            }
            let Some(items) = self.list_items(ctx, ends, i - 1, Class::Company) else {
                continue;
            };
            if items.len() < 2 {
                continue;
            }
            let inside = |m: &Mention, (s, e): (usize, usize)| s <= m.start && m.end <= e;
            let mut open = Vec::new();
            let mut companies = 0;
            for &(s, e) in &items {
                let covering: Vec<&Mention> =
                    chosen.iter().filter(|m| m.start < e && s < m.end).collect();
                match covering.as_slice() {
                    [m] if (m.start, m.end) == (s, e) && m.class == Class::Company => {
                        companies += 1
                    }
                    [] => open.push((s, e)),
                    [m] if m.class == Class::Region && m.start == s && inside(m, (s, e)) => {
                        open.push((s, e))
                    }
                    _ => {
                        open.clear();
                        companies = 0;
                        break;
                    }
                }
            }
            if companies == 0 {
                continue;
            }
            for (s, e) in open {
                let text = &ctx.text[s..e];
                let short_name = (2..=6).contains(&text.chars().count())
                    && text.chars().all(is_cjk)
                    && !self.is("generic", text)
                    && !ctx
                        .token_starting_at(s)
                        .is_some_and(|t| t.end == e && t.known && !t.tag.starts_with('n'));
                if short_name {
                    chosen.retain(|m| !inside(m, (s, e)));
                    chosen.push(ctx.mention(s, e, Class::Company, None, Source::List));
                }
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
            if chars > 8 || !t.word.chars().all(crate::normalize::alphanumeric) {
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
        ends: &FxHashMap<usize, Class>,
        last: usize,
        class: Class,
    ) -> Option<Vec<(usize, usize)>> {
        let mut items: Vec<(usize, usize)> = Vec::new();
        let mut item_end = ctx.tokens[last].end;
        let mut j = last as isize;
        let mut separators = 0;
        while j >= 0 {
            let t = &ctx.tokens[j as usize];
            let w = t.word;
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
            } else if !(w.chars().all(crate::normalize::alphanumeric) || w == "(" || w == ")")
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
            let one_char_verb = t.tag.starts_with('v') && t.word.chars().count() == 1;
            let name_part =
                one_char_verb && left == item_end || self.inside_name(ctx, ends, i, &rule);
            if t.start < floor || one_char_verb && left < item_end || !name_part {
                break;
            }
            left = t.start;
            k = i.checked_sub(1);
        }
        while let Some(i) = ctx.token_starting_at_idx(left) {
            let w = ctx.tokens[i].word;
            let trimmed =
                self.is("lead_trim", w) && !self.is_kind("lead_keep_", class.local_name(), w);
            if ctx.tokens[i].end < item_end && trimmed {
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
