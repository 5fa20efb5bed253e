//! The entities a matched slot names: its mentions, or names taken from free text.

use super::patterns::{
    Slot, fill_placeholders, free_name_limit, placeholder_indices, separators_for,
    strip_placeholders,
};
use super::{Relator, SentenceView, entity_for, word_spans};
use crate::normalize::Sentence;
use crate::resolve::Resolution;
use crate::segment::Token;
use crate::vocab::Class;
use regex::Regex;

impl Relator {
    /// A product name taken from free text, without the predicate that follows
    /// it (减速器已实现批量供货) or trailing project and series words (制动部件研发,
    /// 腊味系列); empty when the text names no product (研发 + 人员, 农业领域).
    fn product_core<'a>(&self, item: &'a str) -> &'a str {
        let mut item = match self
            .predicate_starts
            .iter()
            .filter_map(|w| item.find(w.as_str()))
            .min()
        {
            Some(k) if item[..k].chars().count() >= 2 => &item[..k],
            // What is said of a product a character into the item (生产 + 线也宣布投产):
            // the cue was part of a longer word, and the item is no product.
            Some(_) => "",
            None => item,
        };
        // A cue that is part of a longer word (研发 + 人员, 生产 + 基地) makes no product.
        if self
            .product_stop_starts
            .iter()
            .any(|w| item.starts_with(w.as_str()))
        {
            return "";
        }
        while let Some(rest) = self
            .name_affixes
            .iter()
            .chain(&self.product_tails)
            .find_map(|a| item.strip_suffix(a.as_str()))
            .filter(|rest| rest.chars().count() >= 2)
        {
            item = rest;
        }
        // A field, a skill or an aim (农业领域, 经验, 新技术) is no product.
        if self
            .product_stop_ends
            .iter()
            .any(|w| item.ends_with(w.as_str()))
        {
            return "";
        }
        item
    }

    /// An industry name taken from free text, without a trailing activity or
    /// firm word (电解铅生产 in 电解铅生产企业 → 电解铅, 彩电厂 + 商 → 彩电) or a leading word of scope
    /// (全区 + 装备制造产业 → 装备制造产业).
    fn industry_core<'a>(&self, item: &'a str) -> &'a str {
        let mut item = self
            .industry_tails
            .iter()
            .chain(&self.firm_words)
            .find_map(|t| item.strip_suffix(t.as_str()))
            .filter(|rest| rest.chars().count() >= 2)
            .unwrap_or(item);
        while let Some(rest) = self
            .industry_lead_trims
            .iter()
            .find_map(|t| item.strip_prefix(t.as_str()))
            .filter(|rest| rest.chars().count() >= 2)
        {
            item = rest;
        }
        item
    }

    /// A project name taken from free text, without what is said of it
    /// (…一期产线日前投产 → …一期产线).
    fn project_core<'a>(&self, item: &'a str) -> &'a str {
        match self
            .project_predicates
            .iter()
            .filter_map(|w| item.find(w.as_str()))
            .filter(|&k| item[..k].chars().count() >= 2)
            .min()
        {
            Some(k) => &item[..k],
            None => item,
        }
    }

    /// Whether free text reads as a product or industry name in its sentence:
    /// it starts and ends on word boundaries (an industry may end inside a word
    /// that adds a word for its firms, 面板厂) and its words read as such a name
    /// (see [`Self::words_read_as_name`]). Other classes are not checked.
    fn reads_as_name(&self, name: &str, class: Class, view: &SentenceView) -> bool {
        if !matches!(class, Class::Product | Class::Industry) {
            return true;
        }
        word_spans(view.text, view.words, name).any(|w| self.words_read_as_name(w, class, true))
            // An industry glued to a word for its firms (面板厂包括…) reads as the words of both.
            || class == Class::Industry
                && self.firm_words.iter().any(|f| {
                    word_spans(view.text, view.words, &format!("{name}{f}"))
                        .any(|w| self.words_read_as_name(w, class, true))
                })
    }

    /// Whether words read as a product's or industry's name: no particle,
    /// preposition, pronoun or adverb among them, no bare classifier opening them
    /// (年农村电网, 级炼油一体化), and a product's name is not a place name alone and,
    /// when `noun_head` is asked for, ends with a noun (提供了重要, 晶年底 and 行股份
    /// name nothing).
    pub(super) fn words_read_as_name(
        &self,
        words: &[Token],
        class: Class,
        noun_head: bool,
    ) -> bool {
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return false;
        };
        let bare_classifier =
            first.word.chars().count() == 1 && self.classifier_tag.contains(first.tag);
        words
            .iter()
            .all(|w| !self.free_name_tag_stop.contains(w.tag))
            && !bare_classifier
            && (class != Class::Product
                || !(words.iter().all(|w| w.tag == "ns")
                    || noun_head && self.product_head_tag_stop.contains(last.tag)))
    }

    /// The entities a pattern's slot names: the sentence's park for a topic
    /// slot (None when the sentence has none: the match states nothing), else
    /// those its captured text names.
    pub(super) fn fill_slot(
        &self,
        slot: &Option<Slot>,
        text: Option<&str>,
        park: Option<usize>,
        view: &SentenceView,
        res: &mut Resolution,
    ) -> Option<Vec<usize>> {
        match slot {
            Some(Slot::Topic) => park.map(|t| vec![t]),
            _ => Some(self.slot_entities(slot, text, view, res)),
        }
    }

    /// The entities named by a slot's captured text.
    fn slot_entities(
        &self,
        slot: &Option<Slot>,
        text: Option<&str>,
        view: &SentenceView,
        res: &mut Resolution,
    ) -> Vec<usize> {
        let (Some(slot), Some(text)) = (slot, text) else {
            return Vec::new();
        };
        let (sentence, ms) = (view.index, view.mentions);
        match slot {
            Slot::Topic => Vec::new(),
            Slot::Mentions { suffix } => placeholder_indices(text)
                .into_iter()
                .filter(|&i| {
                    suffix
                        .as_ref()
                        .is_none_or(|x| ms.get(i).is_some_and(|m| m.text.ends_with(x.as_str())))
                })
                .filter_map(|i| {
                    res.mention_entity
                        .get(sentence)
                        .and_then(|v| v.get(i))
                        .copied()
                        .flatten()
                })
                .collect(),
            Slot::Free { class, list } => {
                let items: Vec<&str> = if *list {
                    let mut items: Vec<&str> = separators_for(*class).split(text).collect();
                    // 设备制造、电子产品、智能设备及金属塑胶: 及 before the last of
                    // several industries closes the list (but 新材料及制品 is one name).
                    if items.len() >= 2
                        && let Some(last) = items.pop()
                    {
                        match last.rsplit_once('及') {
                            Some((a, b)) if b.chars().count() >= 3 && !a.is_empty() => {
                                items.extend([a, b]);
                            }
                            _ => items.push(last),
                        }
                    }
                    items
                } else {
                    vec![text]
                };
                // A quantity after the name is no part of it (汽车线束500万套).
                let items: Vec<&str> = items
                    .into_iter()
                    .map(strip_trailing_quantity)
                    .map(|item| match class {
                        Class::Product => self.product_core(item),
                        Class::Project => self.project_core(item),
                        Class::Industry => self.industry_core(item),
                        _ => item,
                    })
                    .collect();
                let mut out = Vec::new();
                for item in &items {
                    // A recognised mention inside a free slot stands for its entity.
                    if let [i] = placeholder_indices(item).as_slice()
                        && strip_placeholders(item).is_empty()
                        && matches!(ms.get(*i).map(|m| m.class), Some(c) if c == *class || c == Class::Industry && *class == Class::Product)
                        && let Some(Some(e)) =
                            res.mention_entity.get(sentence).and_then(|v| v.get(*i))
                    {
                        out.push(*e);
                    }
                }
                // Free text around mentions of the slot's kind (精密 + 模具) is one new name.
                let mixed: Vec<String> = items
                    .iter()
                    .filter(|s| s.contains('⟦') && !strip_placeholders(s).is_empty())
                    .filter(|s| {
                        placeholder_indices(s).iter().all(|&i| {
                            ms.get(i).is_some_and(|m| {
                                m.class == *class
                                    || matches!(m.class, Class::Industry | Class::Product)
                                    // A project's name may hold its builder or place.
                                    || *class == Class::Project
                                        && matches!(m.class, Class::Company | Class::Region)
                            })
                        })
                    })
                    .map(|s| fill_placeholders(s, ms))
                    .collect();
                let free = items
                    .into_iter()
                    .filter(|s| !s.contains('⟦'))
                    .chain(mixed.iter().map(String::as_str))
                    .map(|s| s.trim_end_matches("等"))
                    .map(without_remark)
                    .filter(|s| {
                        (2..=free_name_limit(*class)).contains(&s.chars().count())
                            && !self.generic.contains(s.as_str())
                    })
                    // A quantity is no product name (铁精粉1560万吨); a project's may hold one.
                    .filter(|s| *class == Class::Project || !s.chars().any(|c| c.is_ascii_digit()))
                    .filter(|s| {
                        !s.chars().next().is_some_and(|c| {
                            self.free_item_stop.contains(c.encode_utf8(&mut [0; 4]))
                        })
                    })
                    .filter(|s| !ms.iter().any(|m| m.text == *s && m.class != *class))
                    .filter(|s| self.reads_as_name(s, *class, view))
                    .collect::<Vec<_>>();
                out.extend(free.iter().map(|s| match class {
                    Class::Industry => industry_for(res, s, view.document),
                    _ => entity_for(res, *class, s),
                }));
                out
            }
        }
    }
}

/// The industry a free name stands for: one the document names with an
/// industry word after the same stem (面板 in 面板企业 is 面板产业, 面板业), as an
/// entity or else in its text, or a new entity of that name.
fn industry_for(res: &mut Resolution, name: &str, document: &[Sentence]) -> usize {
    const INDUSTRY_WORDS: [&str; 5] = ["产业", "行业", "业", "领域", "产业链"];
    if res
        .entities
        .iter()
        .any(|e| e.class == Class::Industry && e.labels.contains(name))
    {
        return entity_for(res, Class::Industry, name);
    }
    let named = INDUSTRY_WORDS.iter().find_map(|w| {
        let full = format!("{name}{w}");
        res.entities
            .iter()
            .position(|e| e.class == Class::Industry && e.labels.contains(&full))
    });
    if let Some(e) = named {
        return e;
    }
    match industry_named_in_text(name, document) {
        Some(full) => {
            let e = entity_for(res, Class::Industry, &full);
            res.entities[e].labels.insert(name.to_string());
            e
        }
        None => entity_for(res, Class::Industry, name),
    }
}

/// The name the text gives an industry whose stem is `name`: the stem followed by
/// 产业 or 行业 or, not as part of a longer word (业务, 业绩, 业内), by 业.
fn industry_named_in_text(name: &str, document: &[Sentence]) -> Option<String> {
    const NOT_AFTER_YE: [char; 8] = ['务', '绩', '内', '界', '者', '主', '态', '余'];
    ["产业", "行业", "业"].iter().find_map(|w| {
        let full = format!("{name}{w}");
        document
            .iter()
            .any(|s| {
                s.text.match_indices(&full).any(|(at, _)| {
                    *w != "业"
                        || !s.text[at + full.len()..]
                            .chars()
                            .next()
                            .is_some_and(|c| NOT_AFTER_YE.contains(&c))
                })
            })
            .then_some(full)
    })
}

/// A name without a remark in brackets (5.5代OLED(有机发光)面板生产线 → 5.5代OLED面板生产线).
fn without_remark(name: &str) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\([^()]*\)").expect("remark regex"))
        .replace_all(name, "")
        .into_owned()
}

/// `name` without a quantity at its end (汽车线束500万套 → 汽车线束).
fn strip_trailing_quantity(name: &str) -> &str {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"[\d.]+(?:多|余)?[万亿千百]?(?:吨|台|套|辆|件|只|个|片|支|平方米|立方米|GWh|MWh)$",
        )
        .expect("quantity regex")
    });
    match re.find(name) {
        Some(m) if m.start() > 0 => &name[..m.start()],
        _ => name,
    }
}
