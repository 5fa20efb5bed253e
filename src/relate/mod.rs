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

mod discourse;
mod investments;
mod patterns;
mod prefilter;
mod regions;
mod slots;
mod structure;

pub use discourse::{PassagePark, topic};
pub use investments::parse_amount;
pub use patterns::typed_sentence;

use crate::mention::{Mention, PlaceNames};
use crate::normalize::Sentence;
use crate::resolve::{Entity, Resolution};
use crate::resources::{PatternTarget, Resources, WordSet};
use crate::segment::Token;
use crate::vocab::{Class, Property};
use discourse::{OFTEN_NAMED, locative_openings, park_context, park_mentions};
use patterns::{
    CompiledPattern, Slot, compile, counted, enumerated_subjects, placeholder_indices,
    strip_placeholders,
};
use prefilter::Prefilter;
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeSet;
use thiserror::Error;

/// One sentence as a pattern's slots read it.
struct SentenceView<'s> {
    /// Index of the sentence in its document.
    index: usize,
    /// The sentence's text.
    text: &'s str,
    /// Its words, with their part-of-speech tags.
    words: &'s [Token<'s>],
    /// Its mentions.
    mentions: &'s [Mention],
    /// Every sentence of the document, to find how it names an industry elsewhere.
    document: &'s [Sentence],
}

/// A document's sentences with their words, to read how a phrase of it is worded.
struct DocumentWords<'s> {
    sentences: &'s [Sentence],
    words: &'s [Vec<Token<'s>>],
}

impl DocumentWords<'_> {
    /// The words of the first place where `phrase` stands as whole words.
    fn words_of(&self, phrase: &str) -> Option<&[Token<'_>]> {
        self.sentences
            .iter()
            .zip(self.words)
            .find_map(|(sentence, words)| word_spans(&sentence.text, words, phrase).next())
    }
}

/// The words of each place in `text` (segmented into `words`) where `phrase`
/// stands as whole words: it starts where a word starts and ends where one ends.
fn word_spans<'w, 't>(
    text: &str,
    words: &'w [Token<'t>],
    phrase: &str,
) -> impl Iterator<Item = &'w [Token<'t>]> {
    text.match_indices(phrase).filter_map(move |(start, _)| {
        let first = words.iter().position(|w| w.start == start)?;
        let last = words.iter().position(|w| w.end == start + phrase.len())?;
        Some(&words[first..=last])
    })
}

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

/// The relation extractor, built once from the resources.
pub struct Relator {
    patterns: Vec<CompiledPattern>,
    /// Which patterns can match a sentence, in one search.
    prefilter: Prefilter,
    hedges: Vec<String>,
    region_parent: HashMap<String, String>,
    ambiguous_regions: HashSet<String>,
    places: PlaceNames,
    region_canonical: HashMap<String, String>,
    county_level: HashSet<String>,
    product_heads: Vec<String>,
    name_affixes: Vec<String>,
    generic: WordSet,
    free_item_stop: WordSet,
    /// Part-of-speech tags of words no free product or industry name holds (了, 的, 在).
    free_name_tag_stop: WordSet,
    /// Part-of-speech tags of words that end no free product name (重要, 年底).
    product_head_tag_stop: WordSet,
    /// Part-of-speech tags of numerals and classifiers (年, 级, 个).
    classifier_tag: WordSet,
    /// Part-of-speech tags of words no company name taken from a project's name holds.
    builder_tag_stop: WordSet,
    /// Part-of-speech tags of proper names (人名, 地名, 机构名, 其他专名).
    proper_name_tag: WordSet,
    descriptor_start: Vec<String>,
    anaphors: Vec<String>,
    production_verbs: Vec<String>,
    predicate_starts: Vec<String>,
    product_tails: Vec<String>,
    /// Words after an industry name taken from free text that are no part of it
    /// (电解铅生产企业 → 电解铅).
    industry_tails: Vec<String>,
    /// Words for an industry's firms that may be glued to its name in one word (面板厂).
    firm_words: Vec<String>,
    /// Words dropped from the start of an industry name taken from free text
    /// (`lead_trim_Industry`: 全区, 国内).
    industry_lead_trims: Vec<String>,
    /// Words no free product name starts with (人员, 投入, 基地: 研发人员, 生产基地).
    product_stop_starts: Vec<String>,
    /// Words no free product name ends with (领域, 经验, 技术).
    product_stop_ends: Vec<String>,
    project_predicates: Vec<String>,
    per_unit: Vec<String>,
    zone_suffixes: Vec<String>,
    site_words: Vec<String>,
    branch_words: Vec<String>,
    unplaced_suffixes: Vec<String>,
    /// Words that refer back to the park of the passage (园区, 该区).
    park_references: Vec<String>,
    wide_prefixes: Vec<String>,
    trade_words: Vec<String>,
    industry_names: HashSet<String>,
    /// A region opening a sentence as its subject (湖南今年…, 河南将…).
    region_subject: Regex,
    /// A company's subsidiary right after it (…旗下⟦Company#3⟧): the subject of
    /// what the clause says, but for its being a subsidiary.
    subsidiary_after: Regex,
}

impl Relator {
    /// Compiles the patterns of the resources.
    pub fn new(res: &Resources) -> Result<Self, PatternError> {
        let patterns: Vec<CompiledPattern> = res
            .patterns
            .iter()
            .map(|spec| compile(spec, res))
            .collect::<Result<_, _>>()?;
        let prefilter = Prefilter::new(patterns.iter().map(|p| p.regex.as_str()));
        let code_name: HashMap<&str, &str> = res
            .regions
            .iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect();
        let mut region_parent = HashMap::default();
        let mut region_count: HashMap<&str, usize> = HashMap::default();
        for r in &res.regions {
            *region_count.entry(r.name.as_str()).or_default() += 1;
        }
        let ambiguous_regions: HashSet<String> = region_count
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .map(|(name, _)| name.to_string())
            .collect();
        let places = PlaceNames::new(res);
        let mut region_canonical = HashMap::default();
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
            region_canonical.insert(r.name.clone(), r.name.clone());
            for s in &r.short_forms {
                region_canonical
                    .entry(s.clone())
                    .or_insert_with(|| r.name.clone());
            }
        }
        let region_subject = region_subject_regex(res)?;
        let subsidiary_after = subsidiary_after_regex(res)?;
        Ok(Relator {
            region_subject,
            subsidiary_after,
            patterns,
            prefilter,
            hedges: res.words("hedge").iter().cloned().collect(),
            region_parent,
            ambiguous_regions,
            places,
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
            free_name_tag_stop: res.words("free_name_tag_stop").clone(),
            product_head_tag_stop: res.words("product_head_tag_stop").clone(),
            builder_tag_stop: res.words("builder_tag_stop").clone(),
            classifier_tag: res.words("classifier_tag").clone(),
            proper_name_tag: res.words("proper_name_tag").clone(),
            descriptor_start: res.words("descriptor_start").iter().cloned().collect(),
            zone_suffixes: res.words("zone_suffix").iter().cloned().collect(),
            site_words: res.words("site_word").iter().cloned().collect(),
            branch_words: res.words("branch_word").iter().cloned().collect(),
            production_verbs: res.words("production_verb").iter().cloned().collect(),
            predicate_starts: res.words("predicate_start").iter().cloned().collect(),
            product_tails: res.words("product_tail").iter().cloned().collect(),
            industry_tails: res.words("industry_tail").iter().cloned().collect(),
            firm_words: res.words("firm_word").iter().cloned().collect(),
            industry_lead_trims: res.words("lead_trim_Industry").iter().cloned().collect(),
            product_stop_starts: res.words("product_stop_start").iter().cloned().collect(),
            product_stop_ends: res.words("product_stop_end").iter().cloned().collect(),
            project_predicates: res.words("project_predicate").iter().cloned().collect(),
            // Read backwards, like the text before an amount is.
            per_unit: res
                .words("per_unit")
                .iter()
                .map(|w| w.chars().rev().collect())
                .collect(),
            anaphors: res.words("anaphor").iter().cloned().collect(),
            unplaced_suffixes: res.words("unplaced_suffix").iter().cloned().collect(),
            park_references: res.words("park_reference").iter().cloned().collect(),
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

    /// Extracts the relations of a document from its sentences, their words
    /// and mentions. Free-text slots may add entities (products named after 生产)
    /// to `resolution`.
    pub fn relate(
        &self,
        sentences: &[Sentence],
        words: &[Vec<Token>],
        mentions: &[Vec<Mention>],
        resolution: &mut Resolution,
    ) -> Relations {
        let mut out = Relations::default();
        let mut seen: HashSet<(usize, Property, usize)> = HashSet::default();
        // Amounts given to a project already (sentence, byte offset): one amount, one project.
        let mut used_amounts: HashSet<(usize, usize)> = HashSet::default();
        let topic = topic(sentences, resolution);
        let zones = self.zones(topic, resolution);
        // Each sentence with its mentions as placeholders, read by the openings and the patterns.
        let typed: Vec<String> = sentences
            .iter()
            .zip(mentions)
            .map(|(s, ms)| typed_sentence(&s.text, ms))
            .collect();
        let openings = self.openings(&typed, resolution);
        // Parks a page of several reports may be about in a section: named often.
        let section_parks: HashSet<usize> = park_mentions(resolution)
            .into_iter()
            .filter(|&(_, n)| n >= OFTEN_NAMED)
            .map(|(e, _)| e)
            .collect();
        // On a page without a topic, a park named a few sentences away is the
        // passage's only when the page is often about it or the sentence refers
        // back to a park (园区着力培育…).
        let nearby_holds = |si: usize, park: usize| {
            section_parks.contains(&park)
                || self
                    .park_references
                    .iter()
                    .any(|w| typed[si].contains(w.as_str()))
        };
        let mut context = park_context(
            topic,
            &zones,
            sentences,
            &openings,
            &HashSet::default(),
            &nearby_holds,
            resolution,
        );
        for (si, sentence) in sentences.iter().enumerate() {
            let ms = &mentions[si];
            let view = SentenceView {
                index: si,
                text: &sentence.text,
                words: &words[si],
                mentions: ms,
                document: sentences,
            };
            let typed = typed[si].as_str();
            let possible = self.prefilter.possible(typed);
            for (p, _) in self.patterns.iter().zip(possible).filter(|(_, ok)| *ok) {
                for caps in p.regex.captures_iter(typed) {
                    let whole = caps.get(0).expect("group 0");
                    if self.hedged(typed, whole.start(), whole.end(), &p.not_hedges) {
                        continue;
                    }
                    // 获批专精特新小巨人企业1家: a count of winners, not the subject's honour,
                    // unless the winners are the subjects listed (A、B等…集群2个).
                    if p.spec.target == PatternTarget::Relation(Property::HasHonor)
                        && counted(&typed[whole.end()..])
                        && !enumerated_subjects(typed, &caps)
                    {
                        continue;
                    }
                    if matches!(p.subject, Some(Slot::Topic))
                        && names_another_actor(&typed[..whole.start()], ms)
                    {
                        continue;
                    }
                    let subject_text = self.clause_subject(typed, &caps, p.spec.target);
                    let park = context[si].park;
                    let Some(subjects) =
                        self.fill_slot(&p.subject, subject_text, park, &view, resolution)
                    else {
                        continue;
                    };
                    match p.spec.target {
                        PatternTarget::Relation(property) => {
                            let object_text = caps.name("O").map(|m| m.as_str());
                            let Some(objects) =
                                self.fill_slot(&p.object, object_text, park, &view, resolution)
                            else {
                                continue;
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
        // A zone named as the place of something (位于X的新工厂) sets no passage's context.
        let placed_in: HashSet<(usize, usize)> = out
            .facts
            .iter()
            .filter(|f| f.property == Property::LocatedIn && zones.contains(&f.object))
            .filter(|f| {
                let text = &sentences[f.sentence].text;
                mentions[f.sentence]
                    .iter()
                    .zip(&resolution.mention_entity[f.sentence])
                    .any(|(m, e)| *e == Some(f.object) && text[m.end..].starts_with('的'))
            })
            .map(|f| (f.sentence, f.object))
            .collect();
        if built_parks || !placed_in.is_empty() {
            context = park_context(
                topic,
                &zones,
                sentences,
                &openings,
                &placed_in,
                &nearby_holds,
                resolution,
            );
        }
        self.extend_along_region_chains(mentions, resolution, &mut out, &mut seen);
        let document = DocumentWords { sentences, words };
        self.structural(resolution, topic, &document, &mut out, &mut seen);
        locative_openings(self, &openings, &typed, resolution, &mut out, &mut seen);
        self.products_in_project_names(resolution, &document, &mut out, &mut seen);
        self.discourse_locations(
            &context, &zones, sentences, mentions, resolution, &mut out, &mut seen,
        );
        drop_bare_industry_duplicates(&mut out.facts, resolution);
        self.drop_contradicted_places(&mut out.facts, resolution);
        drop_zones_built_by_government(&mut out.facts, resolution);
        out
    }
}

/// Whether the typed text before a match names a place, an organisation or a
/// person (青海着力培育…, 某某部近日聚焦…): the sentence is about that one, not the
/// park of its passage. A region right before a park is the park's place
/// (雄安新区 + 某某科技园).
fn names_another_actor(typed_prefix: &str, ms: &[Mention]) -> bool {
    placeholder_indices(typed_prefix).into_iter().any(|i| {
        ms.get(i).is_some_and(|m| {
            let places_a_park = || {
                ms.get(i + 1)
                    .is_some_and(|next| next.class == Class::Park && next.start == m.end)
            };
            m.class.is_organization()
                || m.class == Class::Person
                || m.class == Class::Region && !places_a_park()
        })
    })
}

/// Drops "a government body builds a zone" (党中央关于建设雄安新区的决策, 商务部将加快
/// 建设某某自由贸易港): a body approves, plans or supports a zone; what it builds
/// are projects (财政部 + 实施 + 水库除险加固工程).
fn drop_zones_built_by_government(facts: &mut Vec<Fact>, res: &Resolution) {
    facts.retain(|f| {
        !(f.property == Property::Builds
            && res.entities[f.subject].class == Class::GovernmentBody
            && res.entities[f.object].class == Class::Park)
    });
}

/// Words that name an industry when they follow its stem (装备制造 + 产业).
const INDUSTRY_TAILS: [&str; 4] = ["产业集群", "产业", "行业", "集群"];

/// Drops a fact whose object is an industry's bare stem (汽车及零部件) when the
/// same subject has the same property towards the industry named in full
/// (汽车及零部件产业集群): both name one industry, stated once.
fn drop_bare_industry_duplicates(facts: &mut Vec<Fact>, res: &Resolution) {
    let full_names: HashMap<(usize, Property, &str), usize> = facts
        .iter()
        .filter(|f| res.entities[f.object].class == Class::Industry)
        .flat_map(|f| {
            res.entities[f.object]
                .labels
                .iter()
                .map(move |l| ((f.subject, f.property, l.as_str()), f.object))
        })
        .collect();
    facts.retain(|f| {
        let object = &res.entities[f.object];
        object.class != Class::Industry
            || !object.labels.iter().any(|l| {
                INDUSTRY_TAILS.iter().any(|t| {
                    full_names
                        .get(&(f.subject, f.property, format!("{l}{t}").as_str()))
                        .is_some_and(|&full| full != f.object)
                })
            })
    });
}

/// `A旗下B`, `A全资子公司B`: after a company, a cue of `subsidiary_cue` and
/// another company, whose placeholder is captured.
fn subsidiary_after_regex(res: &Resources) -> Result<Regex, PatternError> {
    cue_regex(res, "subsidiary_cue", |cues| {
        format!(r"^的?(?:{cues})的?(?:企业|公司)?(⟦Company#\d+⟧)")
    })
}

/// The opening of a sentence whose subject is a region: after a short time
/// phrase, one or two region mentions, then a cue word (今年, 将, 加快, …).
fn region_subject_regex(res: &Resources) -> Result<Regex, PatternError> {
    cue_regex(res, "region_subject_cue", |cues| {
        format!(
            r"^(?:[^⟦⟧,。;]{{0,10}},)?(?:今年|明年|去年|目前|当前|同时|此外|近年来|开年以来)?((?:⟦Region#\d+⟧){{1,2}})(?:{cues})"
        )
    })
}

/// The regex `pattern` makes of the words of lexicon kind `kind` as
/// alternatives, longest first; an error named after the kind when the lexicon
/// has none or the regex does not compile.
fn cue_regex(
    res: &Resources,
    kind: &str,
    pattern: impl FnOnce(&str) -> String,
) -> Result<Regex, PatternError> {
    let err = |message: String| PatternError {
        id: kind.to_string(),
        message,
    };
    let mut cues: Vec<&str> = res.words(kind).iter().map(String::as_str).collect();
    if cues.is_empty() {
        return Err(err(format!("no words of kind {kind} in lexicon.tsv")));
    }
    cues.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    let cues: Vec<String> = cues.iter().map(|c| regex::escape(c)).collect();
    Regex::new(&pattern(&cues.join("|"))).map_err(|e| err(e.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(subject: usize, object: usize) -> Fact {
        Fact {
            subject,
            property: Property::InIndustry,
            object,
            sentence: 0,
            rule: "test".into(),
            role: None,
        }
    }

    #[test]
    fn an_industry_stem_and_its_full_name_are_stated_once() {
        let mut res = Resolution::default();
        let park = entity_for(&mut res, Class::Park, "芜湖高新区");
        let stem = entity_for(&mut res, Class::Industry, "汽车及零部件");
        let full = entity_for(&mut res, Class::Industry, "汽车及零部件产业集群");
        let other = entity_for(&mut res, Class::Industry, "电子信息");
        let mut facts = vec![fact(park, stem), fact(park, full), fact(park, other)];
        drop_bare_industry_duplicates(&mut facts, &res);
        let objects: Vec<usize> = facts.iter().map(|f| f.object).collect();
        assert_eq!(objects, vec![full, other]);
    }
}
