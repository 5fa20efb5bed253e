//! Relations that follow from the structure of names: regions in their parents, names
//! that begin with a place, projects named after their builder or their product,
//! branches named after their parent.

use super::patterns::separators;
use super::{DocumentWords, Fact, Relations, Relator, entity_for};
use crate::resolve::{Entity, Resolution, is_bracketed_branch_of, is_branch_of};
use crate::segment::Token;
use crate::vocab::{Class, Property};
use regex::Regex;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

impl Relator {
    /// Relations that follow from the structure of names and the divisions dictionary.
    pub(super) fn structural(
        &self,
        res: &mut Resolution,
        topic: Option<usize>,
        document: &DocumentWords,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        self.places_in_names(res, topic, out, seen);
        // After the names: a region only a name holds (武汉 in 武汉科创中心) has its parent too.
        self.regions_in_parents(res, out, seen);
        let forms = self.builders_in_project_names(res, document);
        // Projects named after their builder; branches named after their parent.
        let companies: Vec<usize> = (0..res.entities.len())
            .filter(|&i| res.entities[i].class == Class::Company)
            .collect();
        for i in 0..res.entities.len() {
            match res.entities[i].class {
                Class::Project => self.project_builders(res, i, &companies, &forms, out, seen),
                Class::Company => self.branch_parents(res, i, &companies, out, seen),
                _ => {}
            }
        }
    }

    /// Regions inside their parent regions (a city in its province too), when both are mentioned.
    fn regions_in_parents(
        &self,
        res: &Resolution,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let n = res.entities.len();
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
                    push(
                        out,
                        seen,
                        i,
                        Property::LocatedIn,
                        j,
                        s,
                        "structure:region-parent",
                    );
                    break;
                }
                cur = parent.clone();
            }
        }
    }

    /// Names that begin with a place: 曾都区水利局 in 曾都区, 随州高新区管委会 in 随州高新区.
    fn places_in_names(
        &self,
        res: &mut Resolution,
        topic: Option<usize>,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let n = res.entities.len();
        let places: Vec<usize> = (0..n)
            .filter(|&i| res.entities[i].class.is_place())
            .collect();
        for i in 0..n {
            let e = &res.entities[i];
            if !matches!(
                e.class,
                Class::GovernmentBody | Class::Project | Class::Platform | Class::Park
            ) || e.class == Class::Project && self.runs_between_places(&e.canonical)
            {
                continue;
            }
            let opening = self.place_in_name(res, i, &places, topic);
            if let Some(p) = opening {
                push(
                    out,
                    seen,
                    i,
                    Property::LocatedIn,
                    p,
                    first_sentence(res, i),
                    "structure:name-prefix",
                );
            }
            if res.entities[i].class == Class::Park
                && let Some(region) =
                    self.city_inside_name(&res.entities[i].canonical, opening.is_some())
                && opening.is_none_or(|p| {
                    res.entities[p].canonical != region
                        && self.region_within(&region, &res.entities[p].canonical)
                })
            {
                let p = entity_for(res, Class::Region, &region);
                push(
                    out,
                    seen,
                    i,
                    Property::LocatedIn,
                    p,
                    first_sentence(res, i),
                    "structure:name-inner-place",
                );
            }
        }
    }

    /// A city or county named inside a park's name after other words (江苏自贸区 +
    /// 南京 + 片区, 沪滇临港 + 昆明 + 科技城): the place the park lies in. Only full
    /// names and the short forms of cities count, and the name must go on after
    /// it. Without a place opening the name, only a city after at most four
    /// characters (a county's name hides in words: 沿 + 海城市).
    fn city_inside_name(&self, name: &str, opened_by_place: bool) -> Option<String> {
        name.char_indices()
            .enumerate()
            .skip(2)
            .find_map(|(chars_before, (k, _))| {
                let rest = &name[k..];
                let region = self.region_prefix(rest)?;
                let county = self.county_level.contains(&region);
                let level_ok = county && rest.starts_with(region.as_str()) && opened_by_place
                    || self.region_parent.contains_key(&region) && !county;
                (level_ok
                    && (opened_by_place || chars_before <= 4)
                    && self.region_prefix_len(rest)? < rest.len())
                .then_some(region)
            })
    }

    /// The place the name of entity `i` begins with: the longest label of a
    /// place the document names (see [`Self::place_label_in_name`]), else a region
    /// of the dictionary (added if new), else the topic for a bare park word.
    fn place_in_name(
        &self,
        res: &mut Resolution,
        i: usize,
        places: &[usize],
        topic: Option<usize>,
    ) -> Option<usize> {
        let e = &res.entities[i];
        let name = e.canonical.clone();
        let class = e.class;
        // A project named after its company (湖北金龙…项目) names where the company
        // is registered, not where the project is; a place right after the
        // company's name (京东方北京8.5代线) is where the project is.
        let company_label = (class == Class::Project)
            .then(|| {
                res.entities
                    .iter()
                    .filter(|c| c.class == Class::Company)
                    .flat_map(|c| &c.labels)
                    .filter(|l| name.starts_with(l.as_str()) && name.len() > l.len())
                    .map(String::len)
                    .max()
            })
            .flatten();
        if let Some(len) = company_label {
            // …随州公司搬迁项目: the project of a local unit, placed with the unit.
            let rest = &name[len..];
            let unit = self.region_prefix_len(rest).is_some_and(|k| {
                self.branch_words
                    .iter()
                    .any(|w| rest[k..].starts_with(w.as_str()))
            });
            if unit {
                return None;
            }
            return self
                .region_prefix(rest)
                .filter(|r| !self.too_coarse(class, r))
                .map(|region| entity_for(res, Class::Region, &region));
        }
        let best = self.place_label_in_name(res, i, places);
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
        match best {
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
                .filter(|r| !self.too_coarse(class, r))
                .map(|region| entity_for(res, Class::Region, &region))
                .or_else(in_topic),
        }
    }

    /// The place among `places` whose label the name of entity `i` begins with,
    /// and the label's length: the longest such label.
    fn place_label_in_name(
        &self,
        res: &Resolution,
        i: usize,
        places: &[usize],
    ) -> Option<(usize, usize)> {
        let name = &res.entities[i].canonical;
        let class = res.entities[i].class;
        let mut best: Option<(usize, usize)> = None;
        for &p in places {
            let place = &res.entities[p];
            if p == i || place.class == Class::Region && self.too_coarse(class, &place.canonical) {
                continue;
            }
            for label in &place.labels {
                // A park in a park is named in full (威海高新区…产业园), not by a bare 高新区.
                if place.class == Class::Park && class == Class::Park && label.chars().count() < 4 {
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
        best
    }

    /// A province before a project or platform names who designates it
    /// (湖北省重点实验室), too coarse a place to state.
    fn too_coarse(&self, class: Class, region: &str) -> bool {
        // A municipality (北京市, 上海市) is a city as much as a province.
        matches!(class, Class::Project | Class::Platform)
            && self.is_province(region)
            && !region.ends_with('市')
    }

    /// The builder forms of each company (齐星 for 齐星集团), with the companies
    /// that project names name added (see [`Self::name_builder`]).
    fn builders_in_project_names(
        &self,
        res: &mut Resolution,
        document: &DocumentWords,
    ) -> HashMap<usize, Vec<String>> {
        // The builder forms of each company (齐星 for 齐星集团), kept up to date as
        // the loop below names more companies.
        let mut forms: HashMap<usize, Vec<String>> = (0..res.entities.len())
            .filter(|&c| res.entities[c].class == Class::Company)
            .map(|c| (c, self.company_forms(&res.entities[c])))
            .collect();
        for p in 0..res.entities.len() {
            if res.entities[p].class == Class::Project {
                self.name_builder(res, &mut forms, p, document);
            }
        }
        forms
    }

    /// A project named after a company (骆驼新能源电池公司轻混锂离子动力电池项目) names
    /// that company: project `p`'s builder, added to `res` and `forms` if new.
    fn name_builder(
        &self,
        res: &mut Resolution,
        forms: &mut HashMap<usize, Vec<String>>,
        p: usize,
        document: &DocumentWords,
    ) {
        let name = res.entities[p].canonical.clone();
        let company_end = ["有限公司", "公司", "集团"]
            .iter()
            .filter_map(|w| name.find(w).map(|i| i + w.len()))
            .filter(|&e| e < name.len() && name[..e].chars().count() >= 4)
            .min();
        if let Some(end) = company_end {
            self.name_company(res, forms, &name[..end]);
            return;
        }
        // A company the document names already (江西华岳新材料有限公司 for
        // 江西华岳万吨饲料) is the builder; no shorter one is made up.
        if forms.values().any(|f| opens_with_form(&name, f)) {
            return;
        }
        if let Some(builder) = self.builder_in_project_name(&name)
            && document
                .words_of(&builder)
                .is_some_and(|w| self.reads_as_builder(w, true))
        {
            self.name_company(res, forms, &builder);
            return;
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
                && document
                    .words_of(head)
                    .is_some_and(|w| self.reads_as_builder(w, false))
            {
                self.name_company(res, forms, head);
            }
        }
    }

    /// Whether the words opening a project's name read as its builder's name:
    /// no verb, adverb, pronoun, place word or the like among them (主要用于, 海上风电
    /// and 募集资金投向 name no company), and, when `proper` (nothing else in the
    /// project's name marks a company), a proper name or an unknown word among
    /// them (东风康明斯, 北新建材, but not 公共建筑).
    fn reads_as_builder(&self, words: &[Token], proper: bool) -> bool {
        words.iter().all(|w| !self.builder_tag_stop.contains(w.tag))
            && words.first().is_some_and(|w| !w.tag.starts_with('v'))
            && (!proper
                || words
                    .iter()
                    .any(|w| !w.known || self.proper_name_tag.contains(w.tag)))
    }

    /// The companies among `companies` that project `i` is named after build it.
    fn project_builders(
        &self,
        res: &Resolution,
        i: usize,
        companies: &[usize],
        forms: &HashMap<usize, Vec<String>>,
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let e = &res.entities[i];
        for &c in companies {
            let builder = &res.entities[c];
            // By a label, or by the name a group goes by (齐星 for 齐星集团).
            let named_after = opens_with_form(&e.canonical, &forms[&c]);
            // A project listed by its company's name (晶星科技) is no
            // project the company builds under another name.
            let same_name = builder.labels.iter().any(|l| e.labels.contains(l));
            if !same_name && named_after {
                push(
                    out,
                    seen,
                    c,
                    Property::Builds,
                    i,
                    first_sentence(res, i),
                    "structure:project-named-after-builder",
                );
            }
        }
    }

    /// Company `i` is a subsidiary of the companies among `companies` it is a
    /// branch of by name (黄鹤楼酒业随州公司 of 黄鹤楼酒业).
    fn branch_parents(
        &self,
        res: &Resolution,
        i: usize,
        companies: &[usize],
        out: &mut Relations,
        seen: &mut HashSet<(usize, Property, usize)>,
    ) {
        let e = &res.entities[i];
        for &c in companies {
            if c == i {
                continue;
            }
            let parent = &res.entities[c];
            let is_branch = parent.labels.iter().any(|l| {
                is_branch_of(l, &e.canonical, self)
                    || is_bracketed_branch_of(parent_stem(l), &e.canonical, self)
            });
            if is_branch {
                push(
                    out,
                    seen,
                    i,
                    Property::SubsidiaryOf,
                    c,
                    first_sentence(res, i),
                    "structure:branch-named-after-parent",
                );
            }
        }
    }

    /// The forms a project's name may give its builder by: the label, without
    /// its legal form or 集团 / 公司 (齐星集团 → 齐星), that without its leading
    /// region, and a registered name without its trade word (湖北金龙新材料有限公司
    /// → 湖北金龙新材料, 金龙新材料, 湖北金龙, 金龙).
    fn builder_forms(&self, label: &str) -> Vec<String> {
        let mut forms = vec![label.to_string()];
        if let Some(stem) = without_legal_form(label) {
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
    pub(super) fn project_of_company(
        &self,
        company: usize,
        si: usize,
        res: &Resolution,
    ) -> Option<usize> {
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
    pub(super) fn products_in_project_names(
        &self,
        res: &mut Resolution,
        document: &DocumentWords,
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
                // A product the document names ending the item (旭硝子TFT-LCD + 玻璃基板)
                // is the one the project makes: the words before it name the maker.
                let named = (0..res.entities.len())
                    .filter(|&e| e != p && res.entities[e].class == Class::Product)
                    .flat_map(|e| res.entities[e].labels.iter().map(move |l| (e, l)))
                    .filter(|(_, l)| l.chars().count() >= 2 && item.ends_with(l.as_str()))
                    .max_by_key(|(_, l)| l.len())
                    .map(|(e, _)| e);
                // A product the document does not name is worded as one (not 年农村电网);
                // after a capacity or a production word (万吨 + 熟食) it needs no noun
                // at its end.
                if named.is_none()
                    && !document
                        .words_of(item)
                        .is_some_and(|w| self.words_read_as_name(w, Class::Product, !made))
                {
                    continue;
                }
                let product = named.unwrap_or_else(|| entity_for(res, Class::Product, item));
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
}

/// A company's label without its legal form or 集团 / 公司 (齐星集团 → 齐星), if it
/// ends with one.
fn without_legal_form(label: &str) -> Option<&str> {
    ["股份有限公司", "有限责任公司", "有限公司", "集团", "公司"]
        .iter()
        .find_map(|w| label.strip_suffix(w))
}

/// A parent's label without its legal form or 集团 (远航集团 → 远航), as the names of its
/// branches begin.
fn parent_stem(label: &str) -> &str {
    without_legal_form(label)
        .filter(|stem| stem.chars().count() >= 2)
        .unwrap_or(label)
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
        Regex::new(r"^(?:年产|新增|年加工|年处理)?(?:[\d.x×]+(?:多|余)?[万亿千百]?(?:吨|台|套|辆|件|只|平方米|立方米|千瓦时|GWh|MWh|MW|GW|kW|万元)?|[十百千万]+(?:吨|台|套|辆|件|只|头|亩))")
            .expect("capacity regex")
    })
    .replace(name, "")
    .into_owned()
}

/// Whether `name` opens with one of `forms` and goes on after it.
fn opens_with_form(name: &str, forms: &[String]) -> bool {
    forms
        .iter()
        .any(|f| name.starts_with(f.as_str()) && name.len() > f.len())
}

/// The first sentence that mentions entity `e` (the first one if none does).
fn first_sentence(res: &Resolution, e: usize) -> usize {
    res.mention_entity
        .iter()
        .position(|v| v.contains(&Some(e)))
        .unwrap_or(0)
}

/// Records the fact `s p o` found in `sentence` by `rule`, unless it relates an
/// entity to itself or is known already.
fn push(
    out: &mut Relations,
    seen: &mut HashSet<(usize, Property, usize)>,
    s: usize,
    p: Property,
    o: usize,
    sentence: usize,
    rule: &str,
) {
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
}
