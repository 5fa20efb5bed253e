//! Discourse placement: the park each sentence is about, and what lies there;
//! places named at a sentence's opening.

use super::patterns::placeholder_indices;
use super::{Fact, Relations, Relator};
use crate::mention::Mention;
use crate::normalize::Sentence;
use crate::resolve::{Entity, Resolution};
use crate::vocab::{Class, Property};
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeSet;

impl Relator {
    /// The parks that set the context of a passage: zones (高新区, 经开区,
    /// 示范区, …) and the document's topic, not the parks inside them (产业园, 片区).
    pub(super) fn zones(&self, topic: Option<usize>, res: &Resolution) -> HashSet<usize> {
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
    /// placed nowhere, and nor is a company named with a local unit after it (…随州厂)
    /// or with its subsidiary after it (集团全资子公司B在X园区…).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn discourse_locations(
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
        let mut located: HashSet<usize> = HashSet::default();
        let mut in_regions: HashMap<usize, Vec<usize>> = HashMap::default();
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
            // A report's source (某某网消息:) lies in no park of what it reports.
            if sentences[si].dateline {
                continue;
            }
            // Plans and intentions (即将签约入园) place nothing: an entity counts
            // here when one of its mentions stands in a clause without a hedge.
            let text = &sentences[si].text;
            let ms = &mentions[si];
            let mut ents: Vec<usize> = ents
                .iter()
                .zip(ms)
                .enumerate()
                .filter_map(|(k, (e, m))| {
                    let e = (*e)?;
                    let clause = clause_around(text, m.start, m.end);
                    let parent = res.entities[e].class == Class::Company
                        && (self.names_a_local_unit(&text[m.end..])
                            || ms.get(k + 1).is_some_and(|next| {
                                self.names_a_subsidiary(&text[m.end..next.start], next)
                            }));
                    (!parent && !self.hedges.iter().any(|h| clause.contains(h.as_str())))
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
                let local_place =
                    class == Class::Region && !self.is_region(&res.entities[e].canonical);
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
                // foreign names without a local place in them lie in no park; nor
                // does a line between places (甲市至乙县高速公路).
                let name = &res.entities[e].canonical;
                let wide = || {
                    let provincial = || {
                        matches!(class, Class::Platform | Class::Project)
                            && self.region_prefix(name).is_some_and(|r| {
                                self.is_province(&r) && name.starts_with(r.as_str())
                            })
                    };
                    self.placeless(&res.entities[e])
                        || provincial()
                        || class == Class::Project && self.runs_between_places(name)
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
}

/// How a sentence opens with a place: the entities of that place, and whether
/// the place is the sentence's subject (湖北今年加快建设…) rather than a locative
/// phrase (在江西上饶,…).
pub(super) struct Opening {
    places: Vec<usize>,
    subject: bool,
    /// Byte offset in the typed sentence where the rest of the sentence starts.
    rest: usize,
}

impl Relator {
    /// For each sentence, the place it opens with, if any: a locative phrase
    /// closed by a comma (在江西上饶,) or a region as the subject, before a word
    /// of the lexicon kind `region_subject_cue` (湖南今年…, 河南将…).
    pub(super) fn openings(&self, typed: &[String], res: &Resolution) -> Vec<Option<Opening>> {
        static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
        let locative = RE.get_or_init(|| {
            Regex::new(r"^(?:[^⟦⟧,。;]{0,10},)?在((?:⟦(?:Region|Park)#\d+⟧){1,2}),")
                .expect("opening regex")
        });
        typed
            .iter()
            .enumerate()
            .map(|(si, typed)| {
                let (caps, subject) = match locative.captures(typed) {
                    Some(c) => (c, false),
                    None => (self.region_subject.captures(typed)?, true),
                };
                let places = placeholder_indices(&caps[1])
                    .into_iter()
                    .filter_map(|i| res.mention_entity[si].get(i).copied().flatten())
                    .collect();
                let rest = caps.get(1).expect("group 1").end();
                Some(Opening {
                    places,
                    subject,
                    rest,
                })
            })
            .collect()
    }
}

/// A sentence that opens with where it happens (在江西上饶,总投资150亿元的光伏工厂投产)
/// places the projects, platforms, parks and organisations it names after that in
/// each place of the opening; a region as the subject (河南加快建设…港) places only
/// the projects, platforms and parks, since the organisations it names may come
/// from anywhere. A name that begins with a region (陕西杨凌…示范区) lies there,
/// not in the opening's place.
pub(super) fn locative_openings(
    relator: &Relator,
    openings: &[Option<Opening>],
    typed: &[String],
    res: &Resolution,
    out: &mut Relations,
    seen: &mut HashSet<(usize, Property, usize)>,
) {
    for (si, typed) in typed.iter().enumerate() {
        let Some(opening) = &openings[si] else {
            continue;
        };
        let entity_of = |i: usize| res.mention_entity[si].get(i).copied().flatten();
        let rest = &typed[opening.rest..];
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
                !opening.subject
                    || relator
                        .region_prefix(&res.entities[e].canonical)
                        .is_none_or(|r| {
                            opening
                                .places
                                .iter()
                                .any(|&p| relator.region_within(&r, &res.entities[p].canonical))
                        })
            })
            .filter(|&e| match res.entities[e].class {
                Class::Project | Class::Platform | Class::Park => true,
                // 在某省,中国科学院…: a national body works there, it lies elsewhere.
                Class::Company | Class::University | Class::ResearchInstitute => {
                    !opening.subject && !relator.placeless(&res.entities[e])
                }
                _ => false,
            })
            .collect();
        for &s in &subjects {
            for &o in &opening.places {
                if s != o && seen.insert((s, Property::LocatedIn, o)) {
                    out.facts.push(Fact {
                        subject: s,
                        property: Property::LocatedIn,
                        object: o,
                        sentence: si,
                        rule: if opening.subject {
                            "structure:region-subject"
                        } else {
                            "structure:locative-opening"
                        }
                        .into(),
                        role: None,
                    });
                }
            }
        }
    }
}

impl Relator {
    /// Whether an entity's names say it lies in no park or place a passage is
    /// about: a medium, chamber or alliance (by any of its names: 央视 is a short
    /// name of 央视网), or a national or foreign name without a local place in it
    /// (中国科学院, 美国华人商会).
    fn placeless(&self, entity: &Entity) -> bool {
        let name = entity.canonical.as_str();
        let names_a_place_inside = || {
            name.char_indices()
                .skip(2)
                .any(|(i, _)| self.region_prefix_len(&name[i..]).is_some())
        };
        self.unplaced_suffixes
            .iter()
            .any(|x| entity.labels.iter().any(|l| l.ends_with(x.as_str())))
            || self
                .wide_prefixes
                .iter()
                .any(|x| name.starts_with(x.as_str()))
                && !names_a_place_inside()
    }
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
/// (up to three sentences away) when `nearby_holds` for it (the page is often
/// about it, or the sentence refers back to a park); else the zone of its
/// section (opened by the last heading that names one, closed by a Markdown
/// heading of its level, or by any Markdown heading when a plain heading opened
/// it); else the document's topic. A sentence naming
/// several parks has one only if its section's zone is among them. Only zones
/// (`zones`: 高新区, 示范区, … and the topic) carry over to later sentences: a
/// 产业园 or 片区 named in passing does not change the subject of what follows.
/// A sentence that opens with a region (在安徽,… / 安徽今年…) moves the passage
/// there: it takes no zone from the sentences around it, and ends the zone of
/// its paragraph. A zone a sentence names only as the place of something
/// before 的 (`placed_in`: 位于合肥经开区的新工厂) carries over to no other sentence.
pub(super) fn park_context(
    topic: Option<usize>,
    zones: &HashSet<usize>,
    sentences: &[Sentence],
    openings: &[Option<Opening>],
    placed_in: &HashSet<(usize, usize)>,
    nearby_holds: &dyn Fn(usize, usize) -> bool,
    res: &Resolution,
) -> Vec<PassagePark> {
    let mut section = topic;
    // The Markdown level of the heading that opened the section (0: a plain heading, or none).
    let mut section_level = 0;
    // The Markdown level of the paragraph of the sentence before.
    let mut paragraph_level = 0;
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
                .filter_map(|j| zones_of.get(j).map(|p| (j, p)))
                .find(|(_, p)| p.len() == 1)
                .and_then(|(j, p)| p.first().copied().filter(|z| !placed_in.contains(&(j, *z))))
        })
    };
    for (si, (parks, zones_here)) in parks_of.iter().zip(&zones_of).enumerate() {
        // A heading that names one zone opens its section; a Markdown heading
        // (### …, a rubric split from it included) closes the section a heading of
        // its level, a deeper one or a plain one opened.
        let level = if si > 0 && sentences[si - 1].paragraph == sentences[si].paragraph {
            paragraph_level
        } else {
            markdown_level(&sentences[si].text)
        };
        paragraph_level = level;
        if sentences[si].heading && zones_here.len() == 1 {
            section = zones_here.first().copied();
            section_level = level;
        } else if level > 0 && (section_level == 0 || level <= section_level) {
            section = topic;
            section_level = 0;
        }
        let paragraph = sentences[si].paragraph;
        let moved = openings[si].as_ref().is_some_and(|o| {
            o.places
                .iter()
                .all(|&p| res.entities[p].class == Class::Region)
        });
        if moved {
            recent = None;
        }
        let in_paragraph = recent
            .filter(|(p, _)| *p == paragraph)
            .map(|(_, park)| park);
        let pick = |named: &BTreeSet<usize>| match named.len() {
            0 if moved => section,
            0 if topic.is_none() => in_paragraph
                .or_else(|| nearest(si).filter(|&near| nearby_holds(si, near)))
                .or(section),
            0 => in_paragraph.or(section),
            1 => named.first().copied(),
            _ => section.filter(|t| named.contains(t)),
        };
        out.push(PassagePark {
            park: pick(parks),
            zone: pick(zones_here),
        });
        if zones_here.len() == 1 {
            recent = zones_here
                .first()
                .filter(|&&zone| !placed_in.contains(&(si, zone)))
                .map(|&zone| (paragraph, zone));
        }
    }
    out
}

/// The level of a Markdown heading (`### …` is 3), 0 for any other line.
fn markdown_level(text: &str) -> usize {
    text.chars().take_while(|&c| c == '#').count()
}

/// The park a document is about: the most mentioned park, when it is named in
/// the first three sentences (title, subtitle), has at least three mentions
/// and at least twice the mentions of any other park.
pub fn topic(sentences: &[Sentence], res: &Resolution) -> Option<usize> {
    let mut ranked: Vec<(usize, usize)> = park_mentions(res).into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let (best, n) = *ranked.first()?;
    let second = ranked.get(1).map_or(0, |r| r.1);
    let in_title = res
        .mention_entity
        .iter()
        .take(3.min(sentences.len()))
        .flatten()
        .any(|e| *e == Some(best));
    (n >= OFTEN_NAMED && n >= 2 * second && in_title).then_some(best)
}

/// How many mentions a park needs to be what a document, or a section of a page
/// of several reports, is about.
pub(super) const OFTEN_NAMED: usize = 3;

/// How many times the document names each park.
pub(super) fn park_mentions(res: &Resolution) -> HashMap<usize, usize> {
    let mut counts: HashMap<usize, usize> = HashMap::default();
    for &e in res.mention_entity.iter().flatten().flatten() {
        if res.entities[e].class == Class::Park {
            *counts.entry(e).or_default() += 1;
        }
    }
    counts
}
