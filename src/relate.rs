//! Relate: extract relations (and investment amounts) with their evidence.
//!
//! Two mechanisms:
//! - **patterns** from `data/patterns.tsv`, matched against a *typed sentence* in
//!   which every mention is replaced by `⟦Class#n⟧` (see that file for the syntax);
//! - **structure**: a region inside its parent region (from the divisions
//!   dictionary), a name that begins with a place (曾都区水利局 is in 曾都区), a
//!   project named after its builder (湖北金龙…项目), a branch named after its parent
//!   (黄鹤楼酒业随州公司).
//!
//! A pattern match is dropped when a hedge word (拟, 即将, 申报, …) stands in it or
//! just before it: plans are not facts.

use crate::normalize::Sentence;
use crate::recognize::Mention;
use crate::resolve::{Entity, Resolution, is_branch_of};
use crate::resources::{PatternSpec, PatternTarget, Resources};
use crate::vocab::{Class, Property};
use regex::Regex;
use std::collections::{BTreeSet, HashMap, HashSet};
use thiserror::Error;

/// A pattern that does not compile.
#[derive(Debug, Error)]
#[error("data/patterns.tsv: pattern {id}: {message}")]
pub struct PatternError {
    /// The pattern id.
    pub id: String,
    /// What is wrong.
    pub message: String,
}

/// A relation between two entities of a document, with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Fact {
    /// Subject entity index.
    pub subject: usize,
    /// Property.
    pub property: Property,
    /// Object entity index.
    pub object: usize,
    /// Index of the evidence sentence.
    pub sentence: usize,
    /// The rule that produced it.
    pub rule: String,
    /// A job title, for `worksFor`.
    pub role: Option<String>,
}

/// A stated investment in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Investment {
    /// Project entity index.
    pub project: usize,
    /// The amount as written (49.9亿元).
    pub text: String,
    /// The amount in the currency's base unit, as a decimal string.
    pub amount: String,
    /// The ISO 4217 code of its currency (`CNY`, `USD`, …).
    pub currency: &'static str,
    /// Index of the evidence sentence.
    pub sentence: usize,
    /// The rule that produced it.
    pub rule: String,
}

/// What relation extraction found in a document.
#[derive(Debug, Clone, Default)]
pub struct Relations {
    /// Relations, without duplicates (first evidence kept).
    pub facts: Vec<Fact>,
    /// Investments.
    pub investments: Vec<Investment>,
}

#[derive(Debug, Clone)]
enum Slot {
    /// Existing mentions (one, or a coordinated list), whose text ends with
    /// `suffix` when one is given (`{O:Industry$产业链}`).
    Mentions { suffix: Option<String> },
    /// New mentions of `class` taken from free text.
    Free { class: Class, list: bool },
    /// The place the document is about (see [`topic`]); takes no text.
    Topic,
}

struct CompiledPattern {
    spec: PatternSpec,
    regex: Regex,
    subject: Option<Slot>,
    object: Option<Slot>,
    /// Phrases holding a hedge word that state a fact of this kind all the
    /// same (合作意向 for cooperatesWith, 计划投资 for investmentYuan).
    not_hedges: Vec<String>,
}

/// The relation extractor, built once from the resources.
pub struct Relator {
    patterns: Vec<CompiledPattern>,
    hedges: Vec<String>,
    region_parent: HashMap<String, String>,
    ambiguous_regions: HashSet<String>,
    region_names: HashSet<String>,
    region_canonical: HashMap<String, String>,
    county_level: HashSet<String>,
    product_heads: Vec<String>,
    name_affixes: Vec<String>,
    generic: HashSet<String>,
    free_item_stop: HashSet<String>,
    descriptor_start: Vec<String>,
    anaphors: Vec<String>,
    production_verbs: Vec<String>,
    predicate_starts: Vec<String>,
    product_tails: Vec<String>,
    project_predicates: Vec<String>,
    per_unit: Vec<String>,
    zone_suffixes: Vec<String>,
    site_words: Vec<String>,
    branch_words: Vec<String>,
    /// Countries and markets a branch may be named after (…美国分公司).
    branch_places: HashSet<String>,
    unplaced_suffixes: Vec<String>,
    wide_prefixes: Vec<String>,
    trade_words: Vec<String>,
    industry_names: HashSet<String>,
}

const ITEM_CHARS: &str = r"[^⟦⟧,。;:!?、的和与及等\s()“”《》]";
const SEPARATORS: &str = "(?:、|和|与|及|以及)";
/// In free industry names 及 joins two words of one name (生物医药及大健康).
const INDUSTRY_ITEM_CHARS: &str = r"[^⟦⟧,。;:!?、的和与等\s()“”《》]";
const INDUSTRY_SEPARATORS: &str = "(?:、|和|与|以及)";

impl crate::resolve::RegionNames for Relator {
    fn is_region(&self, s: &str) -> bool {
        Relator::is_region(self, s)
    }

    fn is_branch_place(&self, s: &str) -> bool {
        Relator::is_branch_place(self, s)
    }
}

impl Relator {
    /// Compiles the patterns of the resources.
    pub fn new(res: &Resources) -> Result<Self, PatternError> {
        let patterns = res
            .patterns
            .iter()
            .map(|spec| compile(spec, res))
            .collect::<Result<_, _>>()?;
        let code_name: HashMap<&str, &str> = res
            .regions
            .iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect();
        let mut region_parent = HashMap::new();
        let mut region_count: HashMap<&str, usize> = HashMap::new();
        for r in &res.regions {
            *region_count.entry(r.name.as_str()).or_default() += 1;
        }
        let ambiguous_regions: HashSet<String> = region_count
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(name, _)| name.to_string())
            .collect();
        let mut region_names = HashSet::new();
        let mut region_canonical = HashMap::new();
        let county_level: HashSet<String> = res
            .regions
            .iter()
            .filter(|r| r.level == "county")
            .map(|r| r.name.clone())
            .collect();
        for r in res.regions_by_level() {
            if let Some(p) = r.parent_code.as_deref().and_then(|c| code_name.get(c)) {
                region_parent.insert(r.name.clone(), p.to_string());
            }
            region_names.insert(r.name.clone());
            region_canonical.insert(r.name.clone(), r.name.clone());
            for s in &r.short_forms {
                region_names.insert(s.clone());
                region_canonical
                    .entry(s.clone())
                    .or_insert_with(|| r.name.clone());
            }
        }
        Ok(Relator {
            patterns,
            hedges: res.words("hedge").iter().cloned().collect(),
            region_parent,
            ambiguous_regions,
            region_names,
            region_canonical,
            county_level,
            product_heads: res
                .suffixes
                .iter()
                .filter(|r| r.class == Class::Product)
                .map(|r| r.suffix.clone())
                .collect(),
            name_affixes: {
                let mut v: Vec<String> = res
                    .words("suffix_verb")
                    .iter()
                    .chain(res.words("project_affix"))
                    .cloned()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect();
                v.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
                v
            },
            generic: res.words("generic").clone(),
            free_item_stop: res.words("free_item_stop").clone(),
            descriptor_start: res.words("descriptor_start").iter().cloned().collect(),
            zone_suffixes: res.words("zone_suffix").iter().cloned().collect(),
            site_words: res.words("site_word").iter().cloned().collect(),
            branch_words: res.words("branch_word").iter().cloned().collect(),
            branch_places: res.words("branch_place").iter().cloned().collect(),
            production_verbs: res.words("production_verb").iter().cloned().collect(),
            predicate_starts: res.words("predicate_start").iter().cloned().collect(),
            product_tails: res.words("product_tail").iter().cloned().collect(),
            project_predicates: res.words("project_predicate").iter().cloned().collect(),
            // Read backwards, like the text before an amount is.
            per_unit: res
                .words("per_unit")
                .iter()
                .map(|w| w.chars().rev().collect())
                .collect(),
            anaphors: res.words("anaphor").iter().cloned().collect(),
            unplaced_suffixes: res.words("unplaced_suffix").iter().cloned().collect(),
            wide_prefixes: res.words("wide_prefix").iter().cloned().collect(),
            trade_words: res.trade_words(),
            industry_names: res
                .industries
                .iter()
                .flat_map(|i| std::iter::once(&i.name).chain(&i.aliases))
                .cloned()
                .collect(),
        })
    }

    /// Whether `s` is a region name or short form.
    pub fn is_region(&self, s: &str) -> bool {
        self.region_names.contains(s)
    }

    /// Whether a company's branch may be named after `s`: a region, or a
    /// country or market of the lexicon (kind `branch_place`).
    pub fn is_branch_place(&self, s: &str) -> bool {
        self.is_region(s) || self.branch_places.contains(s)
    }

    /// Drops county short forms (东风 for 东风区) unless the document also names
    /// the county's city: a bare two-character county name is more often part
    /// of a company or brand name, or a word, than the county.
    pub fn disambiguate_regions(&self, mentions: &mut [Vec<crate::recognize::Mention>]) {
        let named: HashSet<String> = mentions
            .iter()
            .flatten()
            .filter(|m| m.class == Class::Region)
            .filter_map(|m| m.canonical.clone())
            .filter(|c| !self.county_level.contains(c))
            .collect();
        for ms in mentions.iter_mut() {
            ms.retain(|m| {
                let Some(c) = m.canonical.as_deref() else {
                    return true;
                };
                if m.class != Class::Region || m.text == c || !self.county_level.contains(c) {
                    return true;
                }
                self.region_parent.get(c).is_some_and(|p| named.contains(p))
            });
        }
    }

    /// Extracts the relations of a document. Free-text slots may add entities
    /// (products named after 生产) to `resolution`.
    pub fn relate(
        &self,
        sentences: &[Sentence],
        mentions: &[Vec<Mention>],
        resolution: &mut Resolution,
    ) -> Relations {
        let mut out = Relations::default();
        let mut seen: HashSet<(usize, Property, usize)> = HashSet::new();
        // Amounts given to a project already (sentence, byte offset): one amount, one project.
        let mut used_amounts: HashSet<(usize, usize)> = HashSet::new();
        let topic = topic(sentences, resolution);
        let zones = self.zones(topic, resolution);
        let mut context = park_context(topic, &zones, sentences, resolution);
        for (si, sentence) in sentences.iter().enumerate() {
            let ms = &mentions[si];
            let typed = typed_sentence(&sentence.text, ms);
            for p in &self.patterns {
                for caps in p.regex.captures_iter(&typed) {
                    let whole = caps.get(0).expect("group 0");
                    if self.hedged(&typed, whole.start(), whole.end(), &p.not_hedges) {
                        continue;
                    }
                    // 获批专精特新小巨人企业1家: a count of winners, not the subject's honour,
                    // unless the winners are the subjects listed (A、B等…集群2个).
                    if p.spec.target == PatternTarget::Relation(Property::HasHonor)
                        && counted(&typed[whole.end()..])
                        && !enumerated_subjects(&typed, &caps)
                    {
                        continue;
                    }
                    let subjects = match (&p.subject, context[si].park) {
                        (Some(Slot::Topic), Some(t)) => vec![t],
                        (Some(Slot::Topic), None) => continue,
                        _ => self.slot_entities(
                            &p.subject,
                            caps.name("S").map(|m| m.as_str()),
                            si,
                            ms,
                            resolution,
                        ),
                    };
                    match p.spec.target {
                        PatternTarget::Relation(property) => {
                            let objects = match (&p.object, context[si].park) {
                                (Some(Slot::Topic), Some(t)) => vec![t],
                                (Some(Slot::Topic), None) => continue,
                                _ => self.slot_entities(
                                    &p.object,
                                    caps.name("O").map(|m| m.as_str()),
                                    si,
                                    ms,
                                    resolution,
                                ),
                            };
                            let role = caps.name("R").map(|m| strip_placeholders(m.as_str()));
                            for &s in &subjects {
                                for &o in &objects {
                                    if s != o && seen.insert((s, property, o)) {
                                        out.facts.push(Fact {
                                            subject: s,
                                            property,
                                            object: o,
                                            sentence: si,
                                            rule: p.spec.id.clone(),
                                            role: role.clone(),
                                        });
                                    }
                                }
                            }
                        }
                        PatternTarget::Investment => {
                            let Some(amount) = caps.name("A") else {
                                continue;
                            };
                            if used_amounts.contains(&(si, amount.start())) {
                                continue;
                            }
                            if let Some(inv) = self.investment(
                                &subjects,
                                amount,
                                &typed[..whole.start()],
                                si,
                                &p.spec.id,
                                &out.investments,
                                resolution,
                            ) {
                                used_amounts.insert((si, amount.start()));
                                out.investments.push(inv);
                            }
                        }
                    }
                }
            }
        }
        // A park being paid for (投资12亿元的青林新材料产业园) is a project: the
        // sentence's park is then the zone around it.
        let mut built_parks = false;
        for inv in &out.investments {
            let ent = &mut resolution.entities[inv.project];
            if ent.class == Class::Park && !zones.contains(&inv.project) {
                ent.class = Class::Project;
                built_parks = true;
            }
        }
        if built_parks {
            context = park_context(topic, &zones, sentences, resolution);
        }
        self.structural(resolution, topic, &mut out, &mut seen);
        locative_openings(sentences, mentions, resolution, &mut out, &mut seen);
        self.products_in_project_names(resolution, &mut out, &mut seen);
        self.discourse_locations(
            &context, &zones, sentences, mentions, resolution, &mut out, &mut seen,
        );
        out
    }

    /// The investment an amount matched in sentence `si` states, if any: a
    /// company's investment is that of its project named in the sentence (X研发中心项目
    /// … X计划投资8亿元). An amount per unit (每公里投资2亿元) is no project's, and a
    /// project that has an investment is not given another.
    #[allow(clippy::too_many_arguments)]
    fn investment(
        &self,
        subjects: &[usize],
        amount: regex::Match,
        before: &str,
        si: usize,
        rule: &str,
        known: &[Investment],
        res: &Resolution,
    ) -> Option<Investment> {
        let &subject = subjects.first()?;
        let project = if res.entities[subject].class == Class::Company {
            self.project_of_company(subject, si, res)?
        } else {
            subject
        };
        let lead_in: String = before.chars().rev().take(6).collect();
        if self.per_unit.iter().any(|w| lead_in.contains(w.as_str())) {
            return None;
        }
        let text = amount.as_str();
        if known.iter().any(|i| i.project == project) {
            return None;
        }
        let (value, currency) = parse_amount(text)?;
        Some(Investment {
            project,
            text: text.to_string(),
            amount: value,
            currency,
            sentence: si,
            rule: rule.to_string(),
        })
    }

    /// The parks that set the context of a passage: zones (高新区, 经开区,
    /// 示范区, …) and the document's topic, not the parks inside them (产业园, 片区).
    fn zones(&self, topic: Option<usize>, res: &Resolution) -> HashSet<usize> {
        (0..res.entities.len())
            .filter(|&e| {
                let ent = &res.entities[e];
                ent.class == Class::Park
                    && (Some(e) == topic
                        || ent
                            .labels
                            .iter()
                            .any(|l| self.zone_suffixes.iter().any(|z| l.ends_with(z.as_str()))))
            })
            .collect()
    }

    /// Companies, projects, platforms, parks inside zones, towns and villages the
    /// text places nowhere else are located in the park the passage is about (see
    /// [`park_context`]). A name in a clause with a hedge word (即将签约入园) is
    /// placed nowhere, and nor is a company named with a local unit after it (…随州厂).
    #[allow(clippy::too_many_arguments)]
    fn discourse_locations(
        &self,
        context: &[PassagePark],
        zones: &HashSet<usize>,
        sentences: &[Sentence],
        mentions: &[Vec<Mention>],
        res: &Resolution,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        // Entities placed in a park or platform already, and those placed only in
        // regions (by name prefix: 随州市人才公寓项目 in 随州市), with those regions.
        let mut located: HashSet<usize> = HashSet::new();
        let mut in_regions: HashMap<usize, Vec<usize>> = HashMap::new();
        for f in out
            .facts
            .iter()
            .filter(|f| f.property == Property::LocatedIn)
        {
            if res.entities[f.object].class == Class::Region {
                in_regions.entry(f.subject).or_default().push(f.object);
            } else {
                located.insert(f.subject);
            }
        }
        // A park named after a region lies in it, so an entity of that region may lie in the park.
        let park_in = |park: usize, regions: &[usize]| {
            regions.iter().all(|&r| {
                let region = &res.entities[r];
                res.entities[park].labels.iter().any(|pl| {
                    region.labels.iter().any(|rl| pl.starts_with(rl.as_str()))
                        || self.region_prefix(pl).as_ref() == Some(&region.canonical)
                })
            })
        };
        for (si, ents) in res.mention_entity.iter().enumerate() {
            // Plans and intentions (即将签约入园) place nothing: an entity counts
            // here when one of its mentions stands in a clause without a hedge.
            let text = &sentences[si].text;
            let mut ents: Vec<usize> = ents
                .iter()
                .zip(&mentions[si])
                .filter_map(|(e, m)| {
                    let e = (*e)?;
                    let clause = clause_around(text, m.start, m.end);
                    let parent_of_unit = res.entities[e].class == Class::Company
                        && self.names_a_local_unit(&text[m.end..]);
                    (!parent_of_unit && !self.hedges.iter().any(|h| clause.contains(h.as_str())))
                        .then_some(e)
                })
                .collect();
            ents.dedup();
            let parks: BTreeSet<usize> = ents
                .iter()
                .copied()
                .filter(|&e| res.entities[e].class == Class::Park)
                .collect();
            let zone = context[si].zone;
            let Some(park) = context[si].park.or(zone) else {
                continue;
            };
            let rule = if parks.is_empty() {
                "structure:discourse-park"
            } else {
                "structure:sentence-park"
            };
            for e in ents {
                let class = res.entities[e].class;
                // Towns and villages (below the counties of the region list) count
                // too: parks take over the villages around them.
                let local_place = class == Class::Region
                    && !self.region_names.contains(&res.entities[e].canonical);
                // A park inside a zone lies in the zone of the passage, even in
                // the sentence it is the park of.
                let inner_park = class == Class::Park && !zones.contains(&e);
                let park = match (inner_park, zone) {
                    (true, Some(z)) => z,
                    _ => park,
                };
                let placeable = matches!(class, Class::Company | Class::Project | Class::Platform)
                    || local_place
                    || class == Class::Park && (parks.len() > 1 || inner_park);
                // Media, chambers and alliances (随州日报, 美国华人商会, …科创联盟), a
                // province's platforms and projects (湖北省科创供应链平台) and national or
                // foreign names without a local place in them lie in no park.
                let name = &res.entities[e].canonical;
                let wide = || {
                    let names_a_place_inside = || {
                        name.char_indices()
                            .skip(2)
                            .any(|(i, _)| self.region_prefix_len(&name[i..]).is_some())
                    };
                    let provincial = || {
                        matches!(class, Class::Platform | Class::Project)
                            && self.region_prefix(name).is_some_and(|r| {
                                self.is_province(&r) && name.starts_with(r.as_str())
                            })
                    };
                    self.unplaced_suffixes
                        .iter()
                        .any(|x| name.ends_with(x.as_str()))
                        || provincial()
                        || self
                            .wide_prefixes
                            .iter()
                            .any(|x| name.starts_with(x.as_str()))
                            && !names_a_place_inside()
                };
                if placeable
                    && !located.contains(&e)
                    && in_regions.get(&e).is_none_or(|r| park_in(park, r))
                    && !res.entities[park]
                        .labels
                        .iter()
                        .any(|l| res.entities[e].canonical.starts_with(l.as_str()))
                    && !wide()
                    && seen.insert((e, Property::LocatedIn, park))
                {
                    out.facts.push(Fact {
                        subject: e,
                        property: Property::LocatedIn,
                        object: park,
                        sentence: si,
                        rule: rule.into(),
                        role: None,
                    });
                }
            }
        }
    }

    /// Whether a hedge word stands in the match `start..end`, just before it or
    /// in the rest of its clause, outside the phrases in `not_hedges`.
    fn hedged(&self, typed: &str, start: usize, end: usize, not_hedges: &[String]) -> bool {
        let before: String = typed[..start]
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // The rest of the clause counts too: 总投资12亿元的X项目正在洽谈.
        let after: String = typed[end..]
            .chars()
            .take_while(|c| !matches!(c, ',' | '。' | ';' | '!' | '?'))
            .take(15)
            .collect();
        let mut span = strip_placeholders(&format!("{before}{}{after}", &typed[start..end]));
        for phrase in not_hedges {
            span = span.replace(phrase.as_str(), "");
        }
        self.hedges.iter().any(|h| span.contains(h.as_str()))
    }

    /// A product name taken from free text, without the predicate that follows
    /// it (减速器已实现批量供货) or trailing project and series words (制动部件研发,
    /// 腊味系列).
    fn product_core<'a>(&self, item: &'a str) -> &'a str {
        let mut item = match self
            .predicate_starts
            .iter()
            .filter_map(|w| item.find(w.as_str()))
            .min()
        {
            Some(k) if item[..k].chars().count() >= 2 => &item[..k],
            _ => item,
        };
        while let Some(rest) = self
            .name_affixes
            .iter()
            .chain(&self.product_tails)
            .find_map(|a| item.strip_suffix(a.as_str()))
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

    /// The entities named by a slot's captured text.
    fn slot_entities(
        &self,
        slot: &Option<Slot>,
        text: Option<&str>,
        sentence: usize,
        ms: &[Mention],
        res: &mut Resolution,
    ) -> Vec<usize> {
        let (Some(slot), Some(text)) = (slot, text) else {
            return Vec::new();
        };
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
                        !s.chars()
                            .next()
                            .is_some_and(|c| self.free_item_stop.contains(&c.to_string()))
                    })
                    .filter(|s| !ms.iter().any(|m| m.text == *s && m.class != *class))
                    .collect::<Vec<_>>();
                out.extend(free.iter().map(|s| entity_for(res, *class, s)));
                out
            }
        }
    }

    /// Relations that follow from the structure of names and the divisions dictionary.
    fn structural(
        &self,
        res: &mut Resolution,
        topic: Option<usize>,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let first_sentence = |res: &Resolution, e: usize| -> usize {
            res.mention_entity
                .iter()
                .position(|v| v.contains(&Some(e)))
                .unwrap_or(0)
        };
        let mut push =
            |out: &mut Relations, s: usize, p: Property, o: usize, sentence: usize, rule: &str| {
                if s != o && seen.insert((s, p, o)) {
                    out.facts.push(Fact {
                        subject: s,
                        property: p,
                        object: o,
                        sentence,
                        rule: rule.into(),
                        role: None,
                    });
                }
            };
        let n = res.entities.len();
        // Regions inside their parent regions (a city in its province too), when both are mentioned.
        let regions: HashMap<String, usize> = (0..n)
            .filter(|&i| res.entities[i].class == Class::Region)
            .map(|i| (res.entities[i].canonical.clone(), i))
            .collect();
        let mut named: Vec<(&String, &usize)> = regions.iter().collect();
        named.sort();
        for (name, &i) in named {
            let mut cur = name.clone();
            // A name several divisions share (朝阳区) is placed only under a mentioned direct parent.
            let max_steps = if self.ambiguous_regions.contains(name) {
                1
            } else {
                4
            };
            let mut steps = 0;
            while let Some(parent) = self.region_parent.get(&cur) {
                steps += 1;
                if steps > max_steps {
                    break;
                }
                if let Some(&j) = regions.get(parent) {
                    let s = first_sentence(res, i).max(first_sentence(res, j));
                    push(out, i, Property::LocatedIn, j, s, "structure:region-parent");
                    break;
                }
                cur = parent.clone();
            }
        }
        // Names that begin with a place: 曾都区水利局 in 曾都区, 随州高新区管委会 in 随州高新区.
        let places: Vec<usize> = (0..n)
            .filter(|&i| res.entities[i].class.is_place())
            .collect();
        for i in 0..n {
            let e = &res.entities[i];
            if !matches!(
                e.class,
                Class::GovernmentBody | Class::Project | Class::Platform | Class::Park
            ) {
                continue;
            }
            let name = e.canonical.clone();
            let class = e.class;
            // A project named after its company (湖北金龙…项目) names where the company
            // is registered, not where the project is.
            let after_company = class == Class::Project
                && res.entities.iter().any(|c| {
                    c.class == Class::Company
                        && c.labels
                            .iter()
                            .any(|l| name.starts_with(l.as_str()) && name.len() > l.len())
                });
            if after_company {
                continue;
            }
            // A province before a project or platform names who designates it
            // (湖北省重点实验室), too coarse a place to state.
            let too_coarse = |region: &str| {
                matches!(class, Class::Project | Class::Platform) && self.is_province(region)
            };
            let mut best: Option<(usize, usize)> = None;
            for &p in &places {
                let place = &res.entities[p];
                if p == i || place.class == Class::Region && too_coarse(&place.canonical) {
                    continue;
                }
                for label in &place.labels {
                    // A park in a park is named in full (威海高新区…产业园), not by a bare 高新区.
                    if place.class == Class::Park
                        && class == Class::Park
                        && label.chars().count() < 4
                    {
                        continue;
                    }
                    if name.starts_with(label.as_str())
                        && name.len() > label.len()
                        && best.is_none_or(|(_, l)| label.len() > l)
                    {
                        best = Some((p, label.len()));
                    }
                }
            }
            // 高新区政务服务中心: a park word alone opening the name is the document's park.
            let in_topic = || {
                topic.filter(|&t| {
                    t != i
                        && self
                            .anaphors
                            .iter()
                            .any(|a| name.starts_with(a.as_str()) && name.len() > a.len())
                })
            };
            let named_region = self.region_prefix(&name);
            let place = match best {
                // 宜宾市翠屏区…局: the county inside the city named first.
                Some((p, _))
                    if res.entities[p].class == Class::Region
                        && named_region.as_ref().is_some_and(|r| {
                            self.region_parent.get(r) == Some(&res.entities[p].canonical)
                        }) =>
                {
                    named_region.map(|region| entity_for(res, Class::Region, &region))
                }
                Some((p, _)) => Some(p),
                None => named_region
                    .or_else(|| (class == Class::Park).then(|| self.bracketed_region(&name))?)
                    .filter(|r| !too_coarse(r))
                    .map(|region| entity_for(res, Class::Region, &region))
                    .or_else(in_topic),
            };
            if let Some(p) = place {
                push(
                    out,
                    i,
                    Property::LocatedIn,
                    p,
                    first_sentence(res, i),
                    "structure:name-prefix",
                );
            }
        }
        // The builder forms of each company (齐星 for 齐星集团), kept up to date as
        // the loop below names more companies.
        let mut forms: HashMap<usize, Vec<String>> = (0..res.entities.len())
            .filter(|&c| res.entities[c].class == Class::Company)
            .map(|c| (c, self.company_forms(&res.entities[c])))
            .collect();
        // A project named after a company (骆驼新能源电池公司轻混锂离子动力电池项目) names that company.
        for p in 0..res.entities.len() {
            if res.entities[p].class != Class::Project {
                continue;
            }
            let name = res.entities[p].canonical.clone();
            let company_end = ["有限公司", "公司", "集团"]
                .iter()
                .filter_map(|w| name.find(w).map(|i| i + w.len()))
                .filter(|&e| e < name.len() && name[..e].chars().count() >= 4)
                .min();
            if let Some(end) = company_end {
                self.name_company(res, &mut forms, &name[..end]);
                continue;
            }
            // A company the document names already (江西华岳新材料有限公司 for
            // 江西华岳万吨饲料) is the builder; no shorter one is made up.
            if forms.values().any(|f| opens_with_form(&name, f)) {
                continue;
            }
            if let Some(builder) = self.builder_in_project_name(&name) {
                self.name_company(res, &mut forms, &builder);
                continue;
            }
            // 比亚迪襄阳产业园项目, 国能长源随州火电厂项目: a name, then a place, then the project.
            let split = name
                .char_indices()
                .skip(2)
                .take(6)
                .map(|(i, _)| i)
                .find(|&i| self.region_prefix_len(&name[i..]).is_some());
            if let Some(i) = split {
                let head = &name[..i];
                let is_place = self
                    .region_prefix_len(head)
                    .is_some_and(|l| l == head.len())
                    || self.is_region(head);
                if !is_place
                    && !self.generic.contains(head)
                    && head.chars().all(crate::normalize::is_cjk)
                {
                    self.name_company(res, &mut forms, head);
                }
            }
        }
        // Projects named after their builder; branches named after their parent.
        let companies: Vec<usize> = (0..res.entities.len())
            .filter(|&i| res.entities[i].class == Class::Company)
            .collect();
        for i in 0..res.entities.len() {
            let e = res.entities[i].clone();
            match e.class {
                Class::Project => {
                    for &c in &companies {
                        let builder = &res.entities[c];
                        // By a label, or by the name a group goes by (齐星 for 齐星集团).
                        let named_after = opens_with_form(&e.canonical, &forms[&c]);
                        // A project listed by its company's name (晶星科技) is no
                        // project the company builds under another name.
                        let same_name = builder.labels.iter().any(|l| e.labels.contains(l));
                        if !same_name && named_after {
                            push(
                                out,
                                c,
                                Property::Builds,
                                i,
                                first_sentence(res, i),
                                "structure:project-named-after-builder",
                            );
                        }
                    }
                }
                Class::Company => {
                    for &c in &companies {
                        if c == i {
                            continue;
                        }
                        let parent = &res.entities[c];
                        let is_branch = parent
                            .labels
                            .iter()
                            .any(|l| is_branch_of(l, &e.canonical, self));
                        if is_branch {
                            push(
                                out,
                                i,
                                Property::SubsidiaryOf,
                                c,
                                first_sentence(res, i),
                                "structure:branch-named-after-parent",
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The forms a project's name may give its builder by: the label, without
    /// its legal form or 集团 / 公司 (齐星集团 → 齐星), that without its leading
    /// region, and a registered name without its trade word (湖北金龙新材料有限公司
    /// → 湖北金龙新材料, 金龙新材料, 湖北金龙, 金龙).
    fn builder_forms(&self, label: &str) -> Vec<String> {
        let mut forms = vec![label.to_string()];
        let stem = ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"]
            .iter()
            .find_map(|w| label.strip_suffix(w));
        if let Some(stem) = stem {
            let mut stems = vec![stem];
            if let Some(len) = self.region_prefix_len(stem)
                && stem[len..].chars().count() >= 2
            {
                stems.push(&stem[len..]);
            }
            // A registered name goes by its trade name too (湖北金龙新材料 → 湖北金龙).
            let registered = ["有限公司", "有限责任公司"]
                .iter()
                .any(|w| label.ends_with(w));
            for stem in stems {
                forms.push(stem.to_string());
                if registered
                    && let Some(t) = self
                        .trade_words
                        .iter()
                        .filter(|t| stem.ends_with(t.as_str()))
                        .max_by_key(|t| t.len())
                {
                    forms.push(stem[..stem.len() - t.len()].to_string());
                }
            }
        }
        forms.retain(|f| f.chars().count() >= 2 && !self.is_region(f));
        forms
    }

    /// The company named `name`, added if new, with its builder forms in `forms`.
    fn name_company(
        &self,
        res: &mut Resolution,
        forms: &mut HashMap<usize, Vec<String>>,
        name: &str,
    ) {
        let c = entity_for(res, Class::Company, name);
        forms
            .entry(c)
            .or_insert_with(|| self.company_forms(&res.entities[c]));
    }

    /// The builder forms of every label of a company (see [`Self::builder_forms`]).
    fn company_forms(&self, company: &Entity) -> Vec<String> {
        company
            .labels
            .iter()
            .flat_map(|l| self.builder_forms(l))
            .collect()
    }

    /// The one project of sentence `si` whose name opens with a form of the
    /// company's name (华岳精工 → 华岳精工华中研发中心项目).
    fn project_of_company(&self, company: usize, si: usize, res: &Resolution) -> Option<usize> {
        let forms = self.company_forms(&res.entities[company]);
        let mut projects: Vec<usize> = res.mention_entity[si]
            .iter()
            .flatten()
            .copied()
            .filter(|&e| {
                let p = &res.entities[e];
                p.class == Class::Project && opens_with_form(&p.canonical, &forms)
            })
            .collect();
        projects.dedup();
        match projects.as_slice() {
            [one] => Some(*one),
            _ => None,
        }
    }

    /// The builder a project's name opens with, when the name does not say it
    /// is a company: three to six characters before a word that says what the
    /// project makes (东风康明斯 + 重型发动机项目, 湖北正大 + 万吨熟食项目), or a
    /// short name and a trade word making up the whole name (北新建材项目).
    fn builder_in_project_name(&self, name: &str) -> Option<String> {
        let core = ["项目", "工程"]
            .iter()
            .find_map(|s| name.strip_suffix(s))
            .unwrap_or(name);
        let opens_descriptor = |s: &str| {
            self.descriptor_start
                .iter()
                .any(|d| s.starts_with(d.as_str()))
        };
        let plausible = |head: &str| {
            head.chars().all(crate::normalize::is_cjk)
                && !opens_descriptor(head)
                && !self.generic.contains(head)
                && !self.industry_names.contains(head)
                && !self
                    .product_heads
                    .iter()
                    .any(|h| head.ends_with(h.as_str()))
                && !self.trade_words.contains(&head.to_string())
                && self
                    .region_prefix_len(head)
                    .is_none_or(|l| head.len() - l >= 2 * '字'.len_utf8())
                && !self.is_region(head)
        };
        let split = core
            .char_indices()
            .map(|(i, _)| i)
            .filter(|&i| (3..=6).contains(&core[..i].chars().count()))
            .find(|&i| opens_descriptor(&core[i..]) && core[i..].chars().count() >= 2);
        if let Some(i) = split
            && plausible(&core[..i])
        {
            return Some(core[..i].to_string());
        }
        let trade = self
            .trade_words
            .iter()
            .filter(|t| core.ends_with(t.as_str()))
            .max_by_key(|t| t.len())?;
        let head = &core[..core.len() - trade.len()];
        ((2..=4).contains(&head.chars().count()) && plausible(head)).then(|| core.to_string())
    }

    /// A project named after what it makes (东风康明斯重型发动机项目, 新能源汽车数字充电机及
    /// 电机控制器产业化建设项目): the name without its builder, place, capacity and
    /// project words ends with a product head noun, or stands before 制造 / 生产; a project
    /// named after a site it builds (`site_word`: …产业园) makes nothing its name says.
    /// The project produces that product (its builder only by what the text says).
    fn products_in_project_names(
        &self,
        res: &mut Resolution,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let n = res.entities.len();
        // The names of places and companies a project's name may open with.
        let name_prefixes: Vec<(usize, Vec<String>)> = (0..n)
            .filter_map(|i| {
                let e = &res.entities[i];
                let forms: Vec<String> = match e.class {
                    Class::Company => self.company_forms(e),
                    Class::Region | Class::Park => e.labels.iter().cloned().collect(),
                    _ => return None,
                };
                Some((i, forms))
            })
            .collect();
        for p in 0..n {
            if res.entities[p].class != Class::Project {
                continue;
            }
            let mut core = res.entities[p].canonical.clone();
            for suffix in ["项目", "工程"] {
                if let Some(c) = core.strip_suffix(suffix) {
                    core = c.to_string();
                }
            }
            // A site being built (…电机产业园) hosts what its name says; it makes no product.
            if self.site_words.iter().any(|w| core.ends_with(w.as_str())) {
                continue;
            }
            // Drop trailing project words (建设, 产业化, 研发) and leading names of places and companies.
            let mut changed = true;
            let mut made = false;
            while changed {
                changed = false;
                for a in &self.name_affixes {
                    if let Some(c) = core.strip_suffix(a.as_str()) {
                        made |= self.production_verbs.contains(a);
                        core = c.to_string();
                        changed = true;
                    }
                }
                // The longest name first (江西华岳 before 江西).
                if let Some(f) = name_prefixes
                    .iter()
                    .filter(|(i, _)| *i != p)
                    .flat_map(|(_, forms)| forms)
                    .filter(|f| core.starts_with(f.as_str()))
                    .max_by_key(|f| f.len())
                {
                    core = core[f.len()..].to_string();
                    changed = true;
                }
                if let Some(len) = self.region_prefix_len(&core) {
                    core = core[len..].to_string();
                    changed = true;
                }
            }
            // A generation figure (…苏州7.5代液晶面板) stands right before what a line makes.
            let core = after_generation(&core).to_string();
            // A capacity figure (万吨饲料) says the rest is what the project makes.
            let stripped = strip_capacity(&core);
            let made = made || stripped != core;
            let core = stripped;
            let sentence = res
                .mention_entity
                .iter()
                .position(|v| v.contains(&Some(p)))
                .unwrap_or(0);
            for item in separators().split(&core) {
                let chars = item.chars().count();
                // What a project makes ends with a product word, or stands before
                // 制造 / 生产 (卡式炉制造项目).
                let product_like = self
                    .product_heads
                    .iter()
                    .any(|h| item.ends_with(h.as_str()))
                    || made && chars <= 6 && !self.generic.contains(item);
                if !(2..=14).contains(&chars) || !product_like {
                    continue;
                }
                let product = entity_for(res, Class::Product, item);
                if seen.insert((p, Property::Produces, product)) {
                    out.facts.push(Fact {
                        subject: p,
                        property: Property::Produces,
                        object: product,
                        sentence,
                        rule: "structure:product-in-project-name".into(),
                        role: None,
                    });
                }
            }
        }
    }

    /// Whether a region name or short form names a province.
    fn is_province(&self, name: &str) -> bool {
        self.region_canonical
            .get(name)
            .is_some_and(|c| !self.region_parent.contains_key(c))
    }

    /// Byte length of the longest region name or short form `name` begins with.
    /// Whether the text after a company's name opens with a local unit of it, a
    /// place and a `branch_word` (青岛啤酒 + 随州厂): that mention stands for the
    /// parent company, which the unit's place does not hold.
    fn names_a_local_unit(&self, rest: &str) -> bool {
        self.region_prefix_len(rest).is_some_and(|len| {
            self.branch_words
                .iter()
                .any(|w| rest[len..].starts_with(w.as_str()))
        })
    }

    fn region_prefix_len(&self, name: &str) -> Option<usize> {
        name.char_indices()
            .skip(2)
            .map(|(i, _)| i)
            .chain(std::iter::once(name.len()))
            .filter(|&i| i < name.len() && self.region_names.contains(&name[..i]))
            .max()
    }

    /// The region a zone's name holds in brackets after its first word
    /// (西部(重庆)科学城, 中国(上海)自由贸易试验区), as a canonical region name.
    fn bracketed_region(&self, name: &str) -> Option<String> {
        let (_, rest) = name.split_once('(')?;
        let (inner, _) = rest.split_once(')')?;
        self.region_canonical.get(inner).cloned()
    }

    /// The region a name begins with (longest match), as a canonical region name;
    /// the innermost of a chain (宜宾市翠屏区… → 翠屏区).
    fn region_prefix(&self, name: &str) -> Option<String> {
        let mut best: Option<(usize, String)> = None;
        for (i, _) in name.char_indices().skip(2) {
            let prefix = &name[..i];
            if let Some(c) = self.region_canonical.get(prefix) {
                // A county's short form (东风 for 东风区) begins too many company names.
                if prefix == c || !self.county_level.contains(c) {
                    best = Some((i, c.clone()));
                }
            }
        }
        let (end, outer) = best?;
        match self.region_prefix(&name[end..]) {
            Some(inner) if self.region_parent.get(&inner) == Some(&outer) => Some(inner),
            _ => Some(outer),
        }
    }
}

/// A sentence that opens with where it happens (在江西上饶,总投资150亿元的光伏工厂投产)
/// places the projects, platforms, parks and organisations it names after that in
/// each place of the opening.
fn locative_openings(
    sentences: &[Sentence],
    mentions: &[Vec<Mention>],
    res: &Resolution,
    out: &mut Relations,
    seen: &mut HashSet<(usize, Property, usize)>,
) {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let opening = RE.get_or_init(|| {
        Regex::new(r"^(?:[^⟦⟧,。;]{0,10},)?在((?:⟦(?:Region|Park)#\d+⟧){1,2}),")
            .expect("opening regex")
    });
    for (si, sentence) in sentences.iter().enumerate() {
        let typed = typed_sentence(&sentence.text, &mentions[si]);
        let Some(caps) = opening.captures(&typed) else {
            continue;
        };
        let entity_of = |i: usize| res.mention_entity[si].get(i).copied().flatten();
        let places: Vec<usize> = placeholder_indices(&caps[1])
            .into_iter()
            .filter_map(entity_of)
            .collect();
        let rest = &typed[caps.get(0).expect("group 0").end()..];
        // What the sentence names, and the projects its facts named in free text.
        let named = placeholder_indices(rest).into_iter().filter_map(entity_of);
        let found = out
            .investments
            .iter()
            .filter(|i| i.sentence == si)
            .map(|i| i.project)
            .collect::<Vec<_>>();
        let subjects: BTreeSet<usize> = named
            .chain(found)
            .filter(|&e| {
                matches!(
                    res.entities[e].class,
                    Class::Project
                        | Class::Platform
                        | Class::Park
                        | Class::Company
                        | Class::University
                        | Class::ResearchInstitute
                )
            })
            .collect();
        for &s in &subjects {
            for &o in &places {
                if s != o && seen.insert((s, Property::LocatedIn, o)) {
                    out.facts.push(Fact {
                        subject: s,
                        property: Property::LocatedIn,
                        object: o,
                        sentence: si,
                        rule: "structure:locative-opening".into(),
                        role: None,
                    });
                }
            }
        }
    }
}

/// How many sentences away a park may be named to set the context of a
/// document without a topic.
const NEAREST_PARK_WINDOW: usize = 3;

/// The park a sentence is about, counting every park it names or only zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassagePark {
    /// The only park the sentence names (a 产业园 too), else the zone it is in.
    pub park: Option<usize>,
    /// The same with only zones counted in the sentence itself.
    pub zone: Option<usize>,
}

/// For each sentence, the park it is about: the only park it names; else the
/// zone named alone by an earlier sentence of its paragraph; else, in a
/// document without a topic, the zone of the nearest sentence that names one
/// (up to three sentences away); else the zone of its section (named by the
/// last heading that names one); else the document's topic. A sentence naming
/// several parks has one only if its section's zone is among them. Only zones
/// (`zones`: 高新区, 示范区, … and the topic) carry over to later sentences: a
/// 产业园 or 片区 named in passing does not change the subject of what follows.
pub fn park_context(
    topic: Option<usize>,
    zones: &HashSet<usize>,
    sentences: &[Sentence],
    res: &Resolution,
) -> Vec<PassagePark> {
    let mut section = topic;
    // The zone of the last sentence of the current paragraph that named exactly one.
    let mut recent: Option<(usize, usize)> = None;
    let mut out = Vec::with_capacity(sentences.len());
    let parks_of: Vec<BTreeSet<usize>> = res
        .mention_entity
        .iter()
        .map(|ents| {
            ents.iter()
                .flatten()
                .copied()
                .filter(|&e| res.entities[e].class == Class::Park)
                .collect()
        })
        .collect();
    // The zones of each sentence: only they carry over to the sentences after it.
    let zones_of: Vec<BTreeSet<usize>> = parks_of
        .iter()
        .map(|p| p.iter().copied().filter(|e| zones.contains(e)).collect())
        .collect();
    // Without a topic (a page of several articles), the nearest sentence that
    // names one zone, a few sentences back or ahead, earlier first.
    let nearest = |si: usize| -> Option<usize> {
        (1..=NEAREST_PARK_WINDOW).find_map(|d| {
            [si.checked_sub(d), Some(si + d)]
                .into_iter()
                .flatten()
                .filter_map(|j| zones_of.get(j))
                .find(|p| p.len() == 1)
                .and_then(|p| p.first().copied())
        })
    };
    for (si, (parks, zones_here)) in parks_of.iter().zip(&zones_of).enumerate() {
        if sentences[si].heading && zones_here.len() == 1 {
            section = zones_here.first().copied();
        }
        let paragraph = sentences[si].paragraph;
        let in_paragraph = recent
            .filter(|(p, _)| *p == paragraph)
            .map(|(_, park)| park);
        let pick = |named: &BTreeSet<usize>| match named.len() {
            0 if topic.is_none() => in_paragraph.or_else(|| nearest(si)).or(section),
            0 => in_paragraph.or(section),
            1 => named.first().copied(),
            _ => section.filter(|t| named.contains(t)),
        };
        out.push(PassagePark {
            park: pick(parks),
            zone: pick(zones_here),
        });
        if zones_here.len() == 1 {
            recent = zones_here.first().map(|&zone| (paragraph, zone));
        }
    }
    out
}

/// The park a document is about: the most mentioned park, when it is named in
/// the first three sentences (title, subtitle), has at least three mentions
/// and at least twice the mentions of any other park.
pub fn topic(sentences: &[Sentence], res: &Resolution) -> Option<usize> {
    let mut counts: HashMap<usize, usize> = HashMap::new();
    for e in res.mention_entity.iter().flatten().flatten() {
        if res.entities[*e].class == Class::Park {
            *counts.entry(*e).or_default() += 1;
        }
    }
    let mut ranked: Vec<(usize, usize)> = counts.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, n) = *ranked.first()?;
    let second = ranked.get(1).map_or(0, |r| r.1);
    let in_title = res
        .mention_entity
        .iter()
        .take(3.min(sentences.len()))
        .flatten()
        .any(|e| *e == Some(best));
    (n >= 3 && n >= 2 * second && in_title).then_some(best)
}

/// The part of a production line's name after its generation figure
/// (三星苏州7.5代液晶面板 → 液晶面板), or the whole name when it has none.
fn after_generation(name: &str) -> &str {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(r"第?\d+(?:\.\d+)?代").expect("generation regex"));
    re.find(name).map_or(name, |m| &name[m.end()..])
}

/// A name without a leading production capacity: 年产5亿平方米锂电池隔膜 → 锂电池隔膜,
/// 万吨熟食 → 熟食.
fn strip_capacity(name: &str) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:第?[\d.]+代|(?:年产|新增|年加工|年处理)?(?:[\d.x×]+(?:多|余)?[万亿千百]?(?:吨|台|套|辆|件|只|平方米|立方米|千瓦时|GWh|MWh|MW|GW|kW|万元)?|[十百千万]+(?:吨|台|套|辆|件|只|头|亩)))")
            .expect("capacity regex")
    })
    .replace(name, "")
    .into_owned()
}

/// The longest name a free slot of `class` takes, in characters: project names
/// run longer than those of products and industries.
fn free_name_limit(class: Class) -> usize {
    if class == Class::Project { 16 } else { 12 }
}

/// A name without a remark in brackets (5.5代OLED(有机发光)面板生产线 → 5.5代OLED面板生产线).
fn without_remark(name: &str) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\([^()]*\)").expect("remark regex"))
        .replace_all(name, "")
        .into_owned()
}

/// The words a free slot's name must end with (`$工厂|项目`, or `$lex:kind` for a
/// lexicon kind), as regular-expression alternatives, longest first.
fn free_suffix_alternatives(suffix: &str, res: &Resources) -> Result<String, String> {
    let mut words: Vec<&str> = match suffix.strip_prefix("lex:") {
        Some(kind) => res.words(kind).iter().map(String::as_str).collect(),
        None => suffix.split('|').collect(),
    };
    if words.is_empty() {
        return Err(format!("no words of kind {suffix:?} in lexicon.tsv"));
    }
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    Ok(words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|"))
}

/// Whether `name` opens with one of `forms` and goes on after it.
fn opens_with_form(name: &str, forms: &[String]) -> bool {
    forms
        .iter()
        .any(|f| name.starts_with(f.as_str()) && name.len() > f.len())
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

/// The entity of `class` labelled `name`, added to the resolution if new.
fn entity_for(res: &mut Resolution, class: Class, name: &str) -> usize {
    if let Some(i) = res
        .entities
        .iter()
        .position(|e| e.class == class && e.labels.contains(name))
    {
        return i;
    }
    res.entities.push(Entity {
        canonical: name.to_string(),
        class,
        labels: BTreeSet::from([name.to_string()]),
        mentions: 1,
        dictionary_name: false,
    });
    res.entities.len() - 1
}

/// Whether `rest` starts with a count of things (12家, 3个).
fn counted(rest: &str) -> bool {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:达到|达|共|累计)?\d+(?:家|个|项|所|座)").expect("count regex")
    })
    .is_match(rest)
}

/// Whether the subjects of a match are listed and closed by 等 before its
/// object (A、B等优势领域…集群): a count after the object then counts them.
fn enumerated_subjects(typed: &str, caps: &regex::Captures) -> bool {
    match (caps.name("S"), caps.name("O")) {
        (Some(s), Some(o)) if s.end() <= o.start() => typed[s.end()..o.start()].starts_with('等'),
        _ => false,
    }
}

/// The separators of a coordinated list, compiled once.
fn separators() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(SEPARATORS).expect("separator regex"))
}

/// The separators between free names of a class.
fn separators_for(class: Class) -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    if class == Class::Industry {
        RE.get_or_init(|| Regex::new(INDUSTRY_SEPARATORS).expect("separator regex"))
    } else {
        separators()
    }
}

/// The sentence with each mention replaced by `⟦Class#n⟧`.
pub fn typed_sentence(text: &str, mentions: &[Mention]) -> String {
    let mut out = String::with_capacity(text.len() + mentions.len() * 16);
    let mut pos = 0;
    for (i, m) in mentions.iter().enumerate() {
        if m.start < pos {
            continue;
        }
        out.push_str(&text[pos..m.start]);
        out.push_str(&format!("⟦{}#{i}⟧", m.class.local_name()));
        pos = m.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// The clause of `text` (between commas, semicolons and sentence marks) that
/// holds the byte range `start..end`.
fn clause_around(text: &str, start: usize, end: usize) -> &str {
    let is_break = |c: char| matches!(c, ',' | ';' | ':' | '。' | '!' | '?');
    let from = text[..start].rfind(is_break).map_or(0, |i| {
        i + text[i..].chars().next().map_or(1, char::len_utf8)
    });
    let to = text[end..].find(is_break).map_or(text.len(), |i| end + i);
    &text[from..to]
}

fn placeholder_indices(text: &str) -> Vec<usize> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"⟦[A-Za-z]+#(\d+)⟧").expect("placeholder regex"))
        .captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
        .collect()
}

/// The text with each placeholder replaced by its mention's text.
fn fill_placeholders(text: &str, ms: &[Mention]) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"⟦[A-Za-z]+#(\d+)⟧").expect("placeholder regex"))
        .replace_all(text, |c: &regex::Captures| {
            c[1].parse::<usize>()
                .ok()
                .and_then(|i| ms.get(i))
                .map_or(String::new(), |m| m.text.clone())
        })
        .into_owned()
}

fn strip_placeholders(text: &str) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"⟦[A-Za-z]+#\d+⟧").expect("placeholder regex"))
        .replace_all(text, "")
        .into_owned()
}

/// Compiles one pattern: slots and macros to regular-expression syntax.
fn compile(spec: &PatternSpec, res: &Resources) -> Result<CompiledPattern, PatternError> {
    let err = |message: String| PatternError {
        id: spec.id.clone(),
        message,
    };
    let macro_re = Regex::new(r"\{([A-Za-z_][^{}]*)\}|…").expect("macro regex");
    let mut regex = String::new();
    let mut pos = 0;
    let (mut subject, mut object) = (None, None);
    for m in macro_re.find_iter(&spec.pattern) {
        regex.push_str(&spec.pattern[pos..m.start()]);
        pos = m.end();
        let text = m.as_str();
        if text == "…" {
            regex.push_str(r"(?:⟦[A-Za-z]+#\d+⟧|[^⟦⟧。!?;]){0,30}?");
            continue;
        }
        let inner = &text[1..text.len() - 1];
        if inner == "S:@topic" || inner == "O:@topic" {
            if inner.starts_with('S') {
                subject = Some(Slot::Topic);
            } else {
                object = Some(Slot::Topic);
            }
            continue;
        }
        if let Some(kind) = inner.strip_prefix("lex:") {
            let mut words: Vec<&String> = res.words(kind).iter().collect();
            if words.is_empty() {
                return Err(err(format!("no words of kind {kind:?} in lexicon.tsv")));
            }
            words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let alts: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
            regex.push_str(&format!("(?:{})", alts.join("|")));
            continue;
        }
        if inner == "amount" {
            regex.push_str(&format!("(?P<A>{})", amount_regex()));
            continue;
        }
        if inner == "role" {
            regex.push_str(r"(?P<R>[^⟦⟧,。;:!?、的和与及等\s]{0,8}?");
            let mut words: Vec<&String> = res.words("title").iter().collect();
            words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
            let alts: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
            regex.push_str(&format!("(?:{}))", alts.join("|")));
            continue;
        }
        let Some((head, classes)) = inner.split_once(':') else {
            return Err(err(format!("unknown macro {text}")));
        };
        let name = &head[..1];
        if name != "S" && name != "O" && name != "_" {
            return Err(err(format!("slot must be S, O or _: {text}")));
        }
        let flags = &head[1..];
        let list = flags.contains('+');
        let free = flags.contains('~');
        let (classes, suffix) = match classes.split_once('$') {
            Some((c, x)) => (c, Some(x.to_string())),
            None => (classes, None),
        };
        let class_names: Vec<&str> = classes.split('|').collect();
        let mut alternatives = Vec::new();
        for c in &class_names {
            let matching: Vec<&str> = crate::vocab::Class::ALL
                .iter()
                .filter(|k| k.matches_group(c))
                .map(|k| k.local_name())
                .collect();
            if matching.is_empty() {
                return Err(err(format!("unknown class {c:?}")));
            }
            alternatives.extend(matching);
        }
        if name == "_" {
            // Context that must be there but takes no part in the fact.
            let one = format!("⟦(?:{})#\\d+⟧", alternatives.join("|"));
            if list {
                regex.push_str(&format!("{one}(?:{SEPARATORS}{one})*"));
            } else {
                regex.push_str(&one);
            }
            continue;
        }
        let slot = if free {
            let class = Class::from_local_name(class_names[0])
                .ok_or_else(|| err("free slot needs one class".into()))?;
            // A mention, free text, or free text around mentions (精密⟦Industry#1⟧).
            let (chars, seps) = if class == Class::Industry {
                (INDUSTRY_ITEM_CHARS, INDUSTRY_SEPARATORS)
            } else {
                (ITEM_CHARS, SEPARATORS)
            };
            // A project's name may hold a remark in brackets (5.5代OLED(有机发光)面板生产线).
            let remark = if class == Class::Project {
                r"|\([^()⟦⟧,。]{1,10}\)"
            } else {
                ""
            };
            let longest = free_name_limit(class);
            let item = match &suffix {
                // The name ends with one of the given words (…生产工厂, …项目).
                Some(x) => format!(
                    "(?:⟦[A-Za-z]+#\\d+⟧|{chars}{remark}){{0,{}}}(?:{})",
                    longest - 1,
                    free_suffix_alternatives(x, res).map_err(err)?
                ),
                None => format!("(?:⟦[A-Za-z]+#\\d+⟧|{chars}{remark}){{1,{longest}}}"),
            };
            if list {
                regex.push_str(&format!("(?P<{name}>{item}(?:{seps}{item})*)"));
            } else {
                regex.push_str(&format!("(?P<{name}>{item})"));
            }
            Slot::Free { class, list }
        } else {
            let one = format!("⟦(?:{})#\\d+⟧", alternatives.join("|"));
            if list {
                regex.push_str(&format!("(?P<{name}>{one}(?:{SEPARATORS}{one})*)"));
            } else {
                regex.push_str(&format!("(?P<{name}>{one})"));
            }
            Slot::Mentions { suffix }
        };
        if name == "S" {
            subject = Some(slot);
        } else {
            object = Some(slot);
        }
    }
    regex.push_str(&spec.pattern[pos..]);
    let compiled = Regex::new(&regex).map_err(|e| err(e.to_string()))?;
    if subject.is_none() {
        return Err(err("pattern has no S slot".into()));
    }
    if matches!(spec.target, PatternTarget::Relation(_)) && object.is_none() {
        return Err(err("relation pattern has no O slot".into()));
    }
    let target_name = match spec.target {
        PatternTarget::Relation(p) => p.local_name(),
        PatternTarget::Investment => "investmentYuan",
    };
    Ok(CompiledPattern {
        spec: spec.clone(),
        regex: compiled,
        subject,
        object,
        not_hedges: res
            .words(&format!("not_hedge_{target_name}"))
            .iter()
            .cloned()
            .collect(),
    })
}

/// Currency words after an amount, with their ISO 4217 codes (元 last: it ends the others).
const CURRENCIES: [(&str, &str); 7] = [
    ("美元", "USD"),
    ("欧元", "EUR"),
    ("日元", "JPY"),
    ("港元", "HKD"),
    ("港币", "HKD"),
    ("英镑", "GBP"),
    ("元", "CNY"),
];

/// Number words between an amount's digits and its currency, with their powers of ten.
const MAGNITUDES: [(&str, usize); 5] =
    [("万亿", 12), ("千万", 7), ("百万", 6), ("亿", 8), ("万", 4)];

/// The regular expression of an amount: digits, an optional 多 / 余, a number word, a currency.
fn amount_regex() -> String {
    let alternatives = |words: &mut dyn Iterator<Item = &str>| {
        words.map(regex::escape).collect::<Vec<_>>().join("|")
    };
    format!(
        r"\d+(?:\.\d+)?(?:多|余)?(?:{})?(?:{})",
        alternatives(&mut MAGNITUDES.iter().map(|m| m.0)),
        alternatives(&mut CURRENCIES.iter().map(|c| c.0))
    )
}

/// Converts an amount to its currency's base unit: `12.5亿元` → (`1250000000`, `CNY`),
/// `1000万美元` → (`10000000`, `USD`). Other currencies are not converted to yuan.
pub fn parse_amount(text: &str) -> Option<(String, &'static str)> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    let re =
        RE.get_or_init(|| Regex::new(&format!("^(?:{})$", amount_regex())).expect("amount regex"));
    if !re.is_match(text) {
        return None;
    }
    let (number, currency) = CURRENCIES
        .iter()
        .find_map(|(word, code)| text.strip_suffix(word).map(|n| (n, *code)))?;
    let (number, zeros) = MAGNITUDES
        .iter()
        .find_map(|(word, z)| number.strip_suffix(word).map(|n| (n, *z)))
        .unwrap_or((number, 0));
    let number = number.trim_end_matches(['多', '余']);
    let (int, frac) = number.split_once('.').unwrap_or((number, ""));
    if frac.len() > zeros {
        return None;
    }
    let digits = format!("{int}{frac}{}", "0".repeat(zeros - frac.len()));
    let trimmed = digits.trim_start_matches('0');
    let value = if trimmed.is_empty() { "0" } else { trimmed };
    Some((value.to_string(), currency))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts() {
        assert_eq!(parse_amount("100亿元"), Some(("10000000000".into(), "CNY")));
        assert_eq!(parse_amount("49.9亿元"), Some(("4990000000".into(), "CNY")));
        assert_eq!(parse_amount("8000万元"), Some(("80000000".into(), "CNY")));
        assert_eq!(parse_amount("1.5亿美元"), Some(("150000000".into(), "USD")));
        assert_eq!(parse_amount("90多亿元"), Some(("9000000000".into(), "CNY")));
        assert_eq!(parse_amount("1000万美元"), Some(("10000000".into(), "USD")));
        assert_eq!(parse_amount("3.3亿美元"), Some(("330000000".into(), "USD")));
        assert_eq!(parse_amount("2千万欧元"), Some(("20000000".into(), "EUR")));
        assert_eq!(parse_amount("500元"), Some(("500".into(), "CNY")));
        assert_eq!(parse_amount("1.25万元"), Some(("12500".into(), "CNY")));
        assert_eq!(parse_amount("1.234元"), None);
    }
}
