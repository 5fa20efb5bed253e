//! Region names: the divisions dictionary, short forms, and the places names begin with.

use super::{Fact, Relations, Relator};
use crate::mention::{Mention, RegionNames};
use crate::resolve::Resolution;
use crate::vocab::{Class, Property};
use rustc_hash::FxHashSet as HashSet;

impl RegionNames for Relator {
    fn is_region(&self, s: &str) -> bool {
        Relator::is_region(self, s)
    }

    fn is_branch_place(&self, s: &str) -> bool {
        Relator::is_branch_place(self, s)
    }
}

impl Relator {
    /// Whether `s` is a region name or short form.
    pub fn is_region(&self, s: &str) -> bool {
        self.places.is_region(s)
    }

    /// Whether a company's branch may be named after `s`: a region, or a
    /// country or market of the lexicon (kind `branch_place`).
    pub fn is_branch_place(&self, s: &str) -> bool {
        self.places.is_branch_place(s)
    }

    /// Drops county short forms (东风 for 东风区) unless the document also names
    /// the county's city or the short form follows a region that holds it
    /// (贵州道真, 湖北嘉鱼): a bare two-character county name is more often part
    /// of a company or brand name, or a word, than the county.
    pub fn disambiguate_regions(&self, mentions: &mut [Vec<Mention>]) {
        let named: HashSet<String> = mentions
            .iter()
            .flatten()
            .filter(|m| m.class == Class::Region)
            .filter_map(|m| m.canonical.clone())
            .filter(|c| !self.county_level.contains(c))
            .collect();
        for ms in mentions.iter_mut() {
            let held: Vec<bool> = ms
                .iter()
                .map(|m| self.follows_holding_region(m, ms))
                .collect();
            let mut held = held.into_iter();
            ms.retain(|m| {
                let after_holder = held.next().unwrap_or(false);
                let Some(c) = m.canonical.as_deref() else {
                    return true;
                };
                if m.class != Class::Region || m.text == c || !self.county_level.contains(c) {
                    return true;
                }
                after_holder || self.region_parent.get(c).is_some_and(|p| named.contains(p))
            });
        }
    }

    /// Whether a region mention comes right after another region mention of its
    /// sentence that holds it (湖北 + 嘉鱼, 江西上饶 + 广丰).
    fn follows_holding_region(&self, m: &Mention, sentence: &[Mention]) -> bool {
        m.canonical.is_some()
            && sentence
                .iter()
                .any(|o| o.canonical.is_some() && self.directly_inside(o, m))
    }

    /// Whether region mention `inner` directly follows region mention `outer`
    /// and lies inside it (四川 + 巴中; names without a canonical form by their text).
    fn directly_inside(&self, outer: &Mention, inner: &Mention) -> bool {
        fn name(m: &Mention) -> Option<&str> {
            (m.class == Class::Region).then(|| m.canonical.as_deref().unwrap_or(&m.text))
        }
        outer.end == inner.start
            && matches!((name(outer), name(inner)),
                (Some(o), Some(i)) if o != i && self.region_within(i, o))
    }

    /// Whether a region name or short form names a province.
    pub(super) fn is_province(&self, name: &str) -> bool {
        self.region_canonical
            .get(name)
            .is_some_and(|c| !self.region_parent.contains_key(c))
    }

    /// Whether the text after a company's name opens with a local unit of it, a
    /// place and a `branch_word` (青岛啤酒 + 随州厂): that mention stands for the
    /// parent company, which the unit's place does not hold.
    pub(super) fn names_a_local_unit(&self, rest: &str) -> bool {
        self.region_prefix_len(rest).is_some_and(|len| {
            self.branch_words
                .iter()
                .any(|w| rest[len..].starts_with(w.as_str()))
        })
    }

    /// Byte length of the longest region name or short form `name` begins with.
    /// Only prefixes as long as the longest region name are looked up, however
    /// long `name` is (it may be the rest of a sentence).
    pub(super) fn region_prefix_len(&self, name: &str) -> Option<usize> {
        name.char_indices()
            .skip(2)
            .map(|(i, _)| i)
            .take_while(|&i| i <= self.places.longest_region())
            .filter(|&i| self.is_region(&name[..i]))
            .max()
    }

    /// Whether a name opens with a line between places (甲市至乙县高速公路,
    /// 甲省乙市—丙市输电线路): places, then 至 or a dash. Such a line lies in
    /// neither of its ends.
    pub(super) fn runs_between_places(&self, name: &str) -> bool {
        let mut rest = name;
        while let Some(k) = self.region_prefix_len(rest) {
            rest = &rest[k..];
        }
        rest.len() < name.len() && ["至", "—", "－", "-"].iter().any(|j| rest.starts_with(j))
    }

    /// The region a zone's name holds in brackets after its first word
    /// (西部(重庆)科学城, 中国(上海)自由贸易试验区), as a canonical region name.
    pub(super) fn bracketed_region(&self, name: &str) -> Option<String> {
        let (_, rest) = name.split_once('(')?;
        let (inner, _) = rest.split_once(')')?;
        self.region_canonical.get(inner).cloned()
    }

    /// Whether `region` is `place` or lies inside it, by the divisions' parents.
    pub(super) fn region_within(&self, region: &str, place: &str) -> bool {
        let mut at = Some(region);
        for _ in 0..6 {
            match at {
                Some(r) if r == place => return true,
                Some(r) => at = self.region_parent.get(r).map(String::as_str),
                None => return false,
            }
        }
        false
    }

    /// The region a name begins with (longest match), as a canonical region name;
    /// the innermost of a chain (宜宾市翠屏区… → 翠屏区).
    pub(super) fn region_prefix(&self, name: &str) -> Option<String> {
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

impl Relator {
    /// The canonical region a region entity or a name's opening stands for,
    /// when the divisions name it once only (朝阳区 is in two cities).
    fn unambiguous_region(&self, name: &str) -> Option<&str> {
        let canonical = self.region_canonical.get(name)?;
        (!self.ambiguous_regions.contains(canonical)).then_some(canonical.as_str())
    }

    /// Drops the `locatedIn` facts the divisions contradict: a region placed in
    /// a region that does not hold it (two provinces named side by side), and a
    /// park or government body whose name opens with a region placed in a
    /// region apart from that one (重庆高新区 in 呼和浩特市). Places the divisions
    /// do not know (foreign ones, towns) are left as they are.
    pub(super) fn drop_contradicted_places(&self, facts: &mut Vec<Fact>, res: &Resolution) {
        facts.retain(|f| {
            if f.property != Property::LocatedIn {
                return true;
            }
            let (subject, object) = (&res.entities[f.subject], &res.entities[f.object]);
            if object.class != Class::Region {
                return true;
            }
            let Some(place) = self.unambiguous_region(&object.canonical) else {
                return true;
            };
            match subject.class {
                Class::Region => self
                    .unambiguous_region(&subject.canonical)
                    .is_none_or(|region| self.region_within(region, place)),
                Class::Park | Class::GovernmentBody => self
                    .region_prefix(&subject.canonical)
                    .and_then(|named| self.unambiguous_region(&named))
                    .is_none_or(|named| {
                        self.region_within(named, place) || self.region_within(place, named)
                    }),
                _ => true,
            }
        });
    }
}

impl Relator {
    /// A place stated as a chain of regions, each inside the one before it
    /// (位于四川巴中平昌县, 湖北省武汉市的…), holds what a pattern placed in one
    /// link of the chain: the subject lies in every link. Regions placed in a
    /// region are left to the divisions (巴中 is not in 平昌县).
    pub(super) fn extend_along_region_chains(
        &self,
        mentions: &[Vec<Mention>],
        res: &Resolution,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let mut added = Vec::new();
        for f in out.facts.iter().filter(|f| {
            f.property == Property::LocatedIn
                && !f.rule.starts_with("structure:")
                && res.entities[f.subject].class != Class::Region
                && res.entities[f.object].class == Class::Region
        }) {
            let ms = &mentions[f.sentence];
            let entity_of = |i: usize| res.mention_entity[f.sentence].get(i).copied().flatten();
            for at in (0..ms.len()).filter(|&i| entity_of(i) == Some(f.object)) {
                for link in self.region_chain(ms, at) {
                    let Some(place) = entity_of(link) else {
                        continue;
                    };
                    if place != f.subject && seen.insert((f.subject, Property::LocatedIn, place)) {
                        added.push(Fact {
                            object: place,
                            rule: "structure:region-chain".into(),
                            ..f.clone()
                        });
                    }
                }
            }
        }
        out.facts.extend(added);
    }

    /// The other mentions of the chain of adjacent regions around mention `at`,
    /// each inside the one before it (四川 + 巴中 + 平昌县).
    fn region_chain(&self, ms: &[Mention], at: usize) -> Vec<usize> {
        let holds = |outer: usize, inner: usize| self.directly_inside(&ms[outer], &ms[inner]);
        let mut chain = Vec::new();
        let mut cur = at;
        while let Some(next) = (cur + 1..ms.len()).find(|&n| holds(cur, n)) {
            chain.push(next);
            cur = next;
        }
        cur = at;
        while let Some(prev) = (0..cur).rev().find(|&p| holds(p, cur)) {
            chain.push(prev);
            cur = prev;
        }
        chain
    }
}
