//! Resolve: merge the mentions of a document into entities, and entities
//! across documents into one canonical name each.
//!
//! Two mentions of one class name the same entity when
//! - they are the same text, or a dictionary gives them the same canonical name;
//! - one is the other with a region in front (何店高质量发展示范区 / 随州市何店高质量发展示范区);
//! - one abbreviates the other: its characters occur in the other in order, starting
//!   with the same character of the name proper and ending with the same character
//!   (金龙公司 / 湖北金龙新材料有限公司, 区科经局 / 曾都区科学技术和经济信息化局,
//!   专汽产业 / 专用汽车产业), and no other entity of the class fits as well;
//! - one is a bare industry name and the other adds 产业 (精细化工 / 精细化工产业).
//!
//! A suffix standing alone (高新区) resolves to the most mentioned entity of the
//! document whose name ends with it. The canonical name is the fullest form seen.

use crate::mention::{Mention, RegionNames};
use crate::vocab::Class;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::{BTreeMap, BTreeSet};

/// An entity of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// Canonical name: the fullest form.
    pub canonical: String,
    /// Class.
    pub class: Class,
    /// Every surface form seen, the canonical name included.
    pub labels: BTreeSet<String>,
    /// Number of mentions.
    pub mentions: usize,
    /// The canonical name comes from a reference dictionary and is kept as it is.
    pub dictionary_name: bool,
}

/// The entities of a document and which entity each mention refers to.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// Entities, in order of first mention.
    pub entities: Vec<Entity>,
    /// For each sentence, for each of its mentions, the entity index (None: dropped).
    pub mention_entity: Vec<Vec<Option<usize>>>,
}

/// An entity's key while a document is resolved: its class and its dictionary
/// canonical name or its text.
type Key = (Class, String);

/// The key of a mention.
fn key_of_mention(m: &Mention) -> Key {
    (
        m.class,
        m.canonical.clone().unwrap_or_else(|| m.text.clone()),
    )
}

/// The mentions of a document grouped by key, before short forms are merged.
struct Groups {
    /// The entity of each key.
    entities: BTreeMap<Key, Entity>,
    /// The keys in order of first mention.
    order: Vec<Key>,
    /// How often each surface form occurs.
    seen_forms: HashMap<String, usize>,
}

/// Resolves the mentions of one document (`mentions[sentence]`).
pub fn resolve_document(
    mentions: &[Vec<Mention>],
    regions: &dyn RegionNames,
    anaphors: &BTreeSet<String>,
) -> Resolution {
    // 1. Group by (class, key) where key is the dictionary canonical name or the text.
    let groups = group_mentions(mentions, anaphors);
    // 2. Merge short forms into the entity they abbreviate.
    let parent = short_form_parents(&groups.order, regions);
    let (mut entities, key_entity) = merge_short_forms(groups, &parent, regions);
    // 3. Map mentions, resolving lone suffixes to the dominant entity ending with
    // them; a body with none (管委会 alone) is the body of the most mentioned park.
    let main_park = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| e.class == Class::Park && !anaphors.contains(&e.canonical))
        .max_by_key(|(i, e)| (e.mentions, std::cmp::Reverse(*i)))
        .map(|(_, e)| e.canonical.clone());
    let mention_entity = mentions
        .iter()
        .map(|ms| {
            ms.iter()
                .map(|m| {
                    if anaphors.contains(&m.text) && m.canonical.is_none() {
                        lone_suffix_entity(&mut entities, m, main_park.as_deref())
                    } else {
                        key_entity.get(&key_of_mention(m)).copied()
                    }
                })
                .collect()
        })
        .collect();
    Resolution {
        entities,
        mention_entity,
    }
}

/// Step 1: the mentions grouped by key; a lone suffix (该公司, 高新区) makes no group.
fn group_mentions(mentions: &[Vec<Mention>], anaphors: &BTreeSet<String>) -> Groups {
    let mut groups = Groups {
        entities: BTreeMap::new(),
        order: Vec::new(),
        seen_forms: HashMap::default(),
    };
    for m in mentions.iter().flatten() {
        if anaphors.contains(&m.text) && m.canonical.is_none() {
            continue;
        }
        let key = key_of_mention(m);
        let e = groups.entities.entry(key.clone()).or_insert_with(|| {
            groups.order.push(key.clone());
            Entity {
                canonical: key.1.clone(),
                class: m.class,
                labels: BTreeSet::new(),
                mentions: 0,
                dictionary_name: m.canonical.is_some(),
            }
        });
        // 该公司 stands for a company but is none of its names.
        if !anaphors.contains(&m.text) {
            e.labels.insert(m.text.clone());
        }
        e.labels.insert(key.1.clone());
        e.mentions += 1;
        *groups.seen_forms.entry(m.text.clone()).or_default() += 1;
    }
    groups
}

/// Step 2a: for each key that is a short form of exactly one other key (or of
/// one preferred among several), that key.
fn short_form_parents(keys: &[Key], regions: &dyn RegionNames) -> HashMap<Key, Key> {
    let mut parent: HashMap<Key, Key> = HashMap::default();
    let park_names: HashSet<&str> = keys
        .iter()
        .filter(|k| k.0 == Class::Park)
        .map(|k| k.1.as_str())
        .collect();
    for short in keys {
        let candidates: Vec<&Key> = keys
            .iter()
            .filter(|long| {
                long.0 == short.0
                    && long.1 != short.1
                    && long.1.chars().count() > short.1.chars().count()
            })
            .filter(|long| {
                is_short_form(&short.1, &long.1, short.0, regions)
                    // A park the document names in front: 芜湖高新区新材料产业园 / 新材料产业园.
                    || long
                        .1
                        .strip_suffix(short.1.as_str())
                        .is_some_and(|head| park_names.contains(head))
            })
            .collect();
        // A product word cut from a company's registered name (于磁电机 in 赣州于磁电机科技有限公司)
        // is the company's short name: trade name and industry word.
        let company: Vec<&Key> = if candidates.is_empty() && short.0 == Class::Product {
            keys.iter()
                .filter(|long| {
                    long.0 == Class::Company && names_company(&short.1, &long.1, regions)
                })
                .collect()
        } else {
            Vec::new()
        };
        let candidates = if company.len() == 1 {
            company
        } else {
            candidates
        };
        if let Some(long) = preferred_long_form(short, &candidates, regions) {
            parent.insert(short.clone(), long.clone());
        }
    }
    parent
}

/// The one long form `short` merges into: the only candidate; else the only one
/// `short` is a plain suffix or prefix of; else the only one of those that just
/// puts a place in front (河北X新区 beside 驻X新区).
fn preferred_long_form<'a>(
    short: &Key,
    candidates: &[&'a Key],
    regions: &dyn RegionNames,
) -> Option<&'a Key> {
    if let [long] = candidates {
        return Some(long);
    }
    let plain: Vec<&Key> = candidates
        .iter()
        .copied()
        .filter(|l| l.1.ends_with(&short.1) || l.1.starts_with(&short.1))
        .collect();
    if let [long] = plain.as_slice() {
        return Some(long);
    }
    let placed: Vec<&Key> = plain
        .into_iter()
        .filter(|l| {
            l.1.strip_suffix(short.1.as_str())
                .is_some_and(|head| regions.is_region(head))
        })
        .collect();
    match placed.as_slice() {
        [long] => Some(long),
        _ => None,
    }
}

/// Step 2b: each group merged into the root of its chain of long forms. Returns
/// the entities (in order of first mention, each named by its fullest form) and
/// the entity index of every key.
fn merge_short_forms(
    mut groups: Groups,
    parent: &HashMap<Key, Key>,
    regions: &dyn RegionNames,
) -> (Vec<Entity>, HashMap<Key, usize>) {
    let root = |k: &Key| -> Key {
        let mut k = k.clone();
        let mut steps = 0;
        while let Some(p) = parent.get(&k) {
            k = p.clone();
            steps += 1;
            if steps > 16 {
                break;
            }
        }
        k
    };
    let mut merged: BTreeMap<Key, Entity> = BTreeMap::new();
    let mut merged_order: Vec<Key> = Vec::new();
    let mut root_of: HashMap<Key, Key> = HashMap::default();
    for k in &groups.order {
        let r = root(k);
        root_of.insert(k.clone(), r.clone());
        let e = groups.entities.remove(k).expect("grouped key");
        match merged.get_mut(&r) {
            Some(target) => {
                target.labels.extend(e.labels);
                target.mentions += e.mentions;
            }
            None => {
                merged_order.push(r.clone());
                let mut e = e;
                e.class = r.0;
                merged.insert(r.clone(), e);
            }
        }
    }
    let mut entities: Vec<Entity> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::default();
    for k in merged_order {
        let mut e = merged.remove(&k).expect("merged key");
        if !e.dictionary_name {
            e.canonical = fullest(&e, &groups.seen_forms, regions);
        }
        index.insert(k, entities.len());
        entities.push(e);
    }
    let key_entity = root_of
        .into_iter()
        .filter_map(|(k, r)| index.get(&r).map(|&i| (k, i)))
        .collect();
    (entities, key_entity)
}

/// Step 3 for a lone suffix (高新区, 该公司, 管委会): the most mentioned entity of
/// its class whose name ends with it; for a government body with none, the body
/// of `main_park`, added when the document has no such entity yet.
fn lone_suffix_entity(
    entities: &mut Vec<Entity>,
    m: &Mention,
    main_park: Option<&str>,
) -> Option<usize> {
    let dominant = entities
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e.class == m.class && e.canonical.ends_with(&m.text) && e.canonical != m.text
        })
        .max_by_key(|(i, e)| (e.mentions, std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    if dominant.is_some() || m.class != Class::GovernmentBody {
        return dominant;
    }
    let name = format!("{}{}", main_park?, m.text);
    let i = match entities.iter().position(|e| e.canonical == name) {
        Some(i) => i,
        None => {
            entities.push(Entity {
                canonical: name.clone(),
                class: m.class,
                labels: BTreeSet::from([name, m.text.clone()]),
                mentions: 0,
                dictionary_name: false,
            });
            entities.len() - 1
        }
    };
    entities[i].mentions += 1;
    Some(i)
}

fn fullest(e: &Entity, seen: &HashMap<String, usize>, regions: &dyn RegionNames) -> String {
    let count = |l: &String| seen.get(l).copied().unwrap_or(1);
    let top = e.labels.iter().map(count).max().unwrap_or(1);
    let placed = |l: &String| {
        e.labels.iter().any(|other| {
            l.strip_suffix(other.as_str())
                .is_some_and(|place| !place.is_empty() && regions.is_region(place))
        })
    };
    e.labels
        .iter()
        .filter(|l| count(l) * 3 >= top || placed(l))
        .max_by(|a, b| a.chars().count().cmp(&b.chars().count()).then(b.cmp(a)))
        .cloned()
        .unwrap_or_else(|| e.canonical.clone())
}

/// Whether `short` is a short form of `long` (same class).
pub fn is_short_form(short: &str, long: &str, class: Class, regions: &dyn RegionNames) -> bool {
    if matches!(class, Class::Region | Class::Person | Class::Honor) {
        return false;
    }
    if short.chars().count() < 2 {
        return false;
    }
    // 某某集团 / 四川某某酒业(集团)有限公司: the group the registered name names.
    if class == Class::Company
        && let Some(group) = group_name(long)
        && (short == group || is_short_form(short, &group, class, regions))
    {
        return true;
    }
    // A region in front: 随州市何店高质量发展示范区 / 何店高质量发展示范区.
    if let Some(head) = long.strip_suffix(short) {
        // Anything else in front makes another thing (新材料产业 / 新能源新材料产业).
        return regions.is_region(head) || head.chars().count() <= 1 && class != Class::Industry;
    }
    // A part of a zone is another place: 示范区 / 示范区启动区, 新区 / 新区核心片区.
    if class == Class::Park
        && long
            .strip_prefix(short)
            .is_some_and(|part| part.chars().count() >= 2)
    {
        return false;
    }
    if class == Class::Industry {
        if long == format!("{short}产业") {
            return true;
        }
        // 专汽产业 / 专用汽车产业: same ending required.
        if !(long.ends_with("产业") == short.ends_with("产业")
            && long.ends_with("链") == short.ends_with("链"))
        {
            return false;
        }
    }
    let long_core = strip_region_prefix(long, regions);
    let short_core = strip_region_prefix(short, regions);
    // A zone placed by the short form only is not the long one (芜湖新区 / 新区启动区),
    // nor is a zone in another place (甲县新区 / 乙省新型电力系统示范区).
    if class == Class::Park && short_core != short {
        let place =
            short[..short.len() - short_core.len()].trim_end_matches(['省', '市', '县', '区']);
        if long_core == long || !long.contains(place) {
            return false;
        }
    }
    // 区科经局 → 科经局 when the long form starts with a region.
    let short_core = if long_core != long {
        short_core.trim_start_matches(['区', '市', '县', '省'])
    } else {
        short_core
    };
    // 洛轴集团 / 洛阳轴承集团: a company's short form may open with its place's
    // first character.
    let from_place = class == Class::Company
        && short_core == short
        && long_core != long
        && short.chars().count() >= 3
        && short.chars().next() == long.chars().next();
    let long_core = if from_place { long } else { long_core };
    if short_core.chars().count() < 2 || long_core.chars().count() <= short_core.chars().count() {
        return false;
    }
    if class == Class::Company
        && (is_branch_of(short, long, regions) || is_bracketed_branch_of(short, long, regions))
    {
        // 湘中华轨集团株洲分公司 is a branch of 湘中华轨集团, not another name for it.
        return false;
    }
    if class == Class::Company && long_core.contains(short_core) && short_core.chars().count() >= 2
    {
        // 金龙新材料 / 湖北金龙新材料有限公司; but a bare trade word is not a name.
        return long_core.starts_with(short_core) || short_core.chars().count() >= 3;
    }
    // A production line named by its generation, with or without 第 (8代试验线 /
    // 第8代OLED面板试验线).
    if class == Class::Project
        && let Some(generation) = generation_prefix(short_core)
        && let Some(tail) = long_core.strip_prefix('第')
        && tail.starts_with(generation)
    {
        return tail.len() > short_core.len()
            && short_core.chars().last() == tail.chars().last()
            && is_subsequence(short_core, tail);
    }
    let (Some(sf), Some(lf)) = (short_core.chars().next(), long_core.chars().next()) else {
        return false;
    };
    if sf != lf || short_core.chars().last() != long_core.chars().last() {
        return false;
    }
    is_subsequence(short_core, long_core)
}

/// A registered group name as its group is called: 四川某某酒业(集团)有限公司 →
/// 四川某某酒业集团, if `long` is such a name.
fn group_name(long: &str) -> Option<String> {
    let (stem, legal_form) = long.split_once("(集团)")?;
    matches!(legal_form, "有限公司" | "股份有限公司" | "有限责任公司")
        .then(|| format!("{stem}集团"))
}

/// The generation figure a name opens with (8代, 7.5代 in 7.5代线), if any.
fn generation_prefix(name: &str) -> Option<&str> {
    let digits = name.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    (digits > 0 && name[digits..].starts_with('代')).then(|| &name[..digits + '代'.len_utf8()])
}

/// Whether `short` opens the registered company name `long` after its region and
/// is at least four characters long: a trade name and its industry word
/// (于磁电机 / 赣州于磁电机科技有限公司), which a product word alone never is.
fn names_company(short: &str, long: &str, regions: &dyn RegionNames) -> bool {
    let core = strip_region_prefix(long, regions);
    core != long
        && short.chars().count() >= 4
        && core.len() > short.len()
        && core.starts_with(short)
}

/// The part of `short` whose every character is in any `long` for which
/// [`is_short_form`] holds (the short form without its region prefix and a
/// leading 区/市/县/省), or its last character when that part is empty: a key
/// to find the candidates for a short form in an index of names by character.
pub fn short_form_key<'a>(short: &'a str, regions: &dyn RegionNames) -> &'a str {
    let core = strip_region_prefix(short, regions).trim_start_matches(['区', '市', '县', '省']);
    if !core.is_empty() {
        return core;
    }
    short
        .char_indices()
        .last()
        .map_or(short, |(i, _)| &short[i..])
}

/// Whether `long` names a branch of `short`: `short`, an optional region, and a
/// branch word (湘中华轨集团株洲分公司, 黄鹤楼酒业随州公司, 某某随州厂).
/// The place may stand in brackets before a legal form (友达光电(昆山)有限公司).
pub fn is_branch_of(short: &str, long: &str, regions: &dyn RegionNames) -> bool {
    let Some(rest) = long.strip_prefix(short) else {
        return false;
    };
    let branch_place = |place: &str| {
        let place = place
            .strip_prefix('(')
            .and_then(|p| p.strip_suffix(')'))
            .unwrap_or(place);
        !place.is_empty() && regions.is_branch_place(place)
    };
    [
        "分公司",
        "子公司",
        "分厂",
        "工厂",
        "厂",
        "项目部",
        "办事处",
        "基地",
        "公司",
        "有限公司",
        "有限责任公司",
        "股份有限公司",
    ]
    .iter()
    .any(|w| {
        rest.strip_suffix(w)
            .is_some_and(|place| branch_place(place) || place.is_empty() && !w.ends_with("公司"))
    })
}

/// Whether `long` is a branch of `short` registered with its place in brackets after a
/// trade word: 远航电子(昆山)有限公司 or 远航(中国)投资有限公司 of 远航 — up to four
/// characters before the brackets and a business of up to six after them.
pub fn is_bracketed_branch_of(short: &str, long: &str, regions: &dyn RegionNames) -> bool {
    let Some((trade, after_open)) = long.strip_prefix(short).and_then(|r| r.split_once('(')) else {
        return false;
    };
    let Some((place, business)) = after_open
        .split_once(')')
        .and_then(|(p, tail)| Some((p, tail.strip_suffix("公司")?)))
    else {
        return false;
    };
    short.chars().count() >= 2
        && trade.chars().count() <= 4
        && business.chars().count() <= 6
        && !business.contains(['(', ')'])
        && regions.is_branch_place(place)
}

fn strip_region_prefix<'a>(s: &'a str, regions: &dyn RegionNames) -> &'a str {
    let mut best = s;
    for (i, _) in s.char_indices().skip(2) {
        if i < s.len() && regions.is_region(&s[..i]) {
            best = &s[i..];
        }
    }
    best
}

fn is_subsequence(short: &str, long: &str) -> bool {
    let mut it = long.chars();
    short.chars().all(|c| it.any(|l| l == c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn regions(s: &str) -> bool {
        matches!(
            s,
            "湖北" | "湖北省" | "芜湖" | "芜湖市" | "曾都区" | "曾都" | "随州市" | "随州"
        )
    }

    #[test]
    fn short_forms() {
        let r = &regions as &dyn RegionNames;
        assert!(is_short_form(
            "金龙新材料",
            "湖北金龙新材料有限公司",
            Class::Company,
            r
        ));
        assert!(is_short_form(
            "金龙公司",
            "湖北金龙新材料有限公司",
            Class::Company,
            r
        ));
        assert!(is_short_form(
            "湖北金龙",
            "湖北金龙新材料有限公司",
            Class::Company,
            r
        ));
        assert!(is_short_form(
            "区科经局",
            "曾都区科学技术和经济信息化局",
            Class::GovernmentBody,
            r
        ));
        assert!(is_short_form(
            "曾都区科经局",
            "曾都区科学技术和经济信息化局",
            Class::GovernmentBody,
            r
        ));
        assert!(is_short_form(
            "专汽产业",
            "专用汽车产业",
            Class::Industry,
            r
        ));
        assert!(is_short_form(
            "精细化工",
            "精细化工产业",
            Class::Industry,
            r
        ));
        assert!(is_short_form(
            "何店高质量发展示范区",
            "随州市何店高质量发展示范区",
            Class::Park,
            r
        ));
        assert!(!is_short_form(
            "齐星集团",
            "齐星车身有限公司",
            Class::Company,
            r
        ));
        assert!(!is_short_form("齐星车辆", "齐星集团", Class::Company, r));
        // A part of a zone, and a zone placed where the other is not.
        assert!(!is_short_form("芜湖新区", "新区启动区", Class::Park, r));
        assert!(!is_short_form(
            "芜湖新区",
            "湖北新型工业示范区",
            Class::Park,
            r
        ));
        assert!(is_short_form(
            "芜湖新区",
            "芜湖市新兴产业区",
            Class::Park,
            r
        ));
        assert!(is_short_form(
            "随州市高新区",
            "随州高新技术产业开发区",
            Class::Park,
            r
        ));
        assert!(!is_short_form(
            "何店示范区",
            "何店示范区核心区",
            Class::Park,
            r
        ));
        assert!(is_short_form(
            "何店示范区",
            "湖北何店示范区",
            Class::Park,
            r
        ));
        // A production line named by its generation alone.
        let line = "第6代OLED面板试验线";
        assert!(is_short_form("6代试验线", line, Class::Project, r));
        assert!(is_short_form("6代线", line, Class::Project, r));
        assert!(!is_short_form("8代线", line, Class::Project, r));
        assert!(!is_short_form("6代面板项目", line, Class::Project, r));
        assert!(!is_short_form("锂电产业", "锂电产业链", Class::Industry, r));
        assert!(!is_short_form(
            "化工产业",
            "精细化工产业",
            Class::Industry,
            r
        ));
    }

    #[test]
    fn short_form_key_is_in_every_long_form() {
        let r = &regions as &dyn RegionNames;
        for (short, long) in [
            ("金龙新材料", "湖北金龙新材料有限公司"),
            ("金龙公司", "湖北金龙新材料有限公司"),
            ("湖北金龙", "湖北金龙新材料有限公司"),
            ("区科经局", "曾都区科学技术和经济信息化局"),
            ("专汽产业", "专用汽车产业"),
        ] {
            let key = short_form_key(short, r);
            assert!(!key.is_empty());
            assert!(key.chars().all(|c| long.contains(c)), "{short} {key}");
        }
        assert_eq!(short_form_key("区科经局", r), "科经局");
        assert_eq!(short_form_key("随州市", r), "市");
    }
}
