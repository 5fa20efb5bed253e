//! Reference-dictionary mentions: administrative divisions, honours, industries,
//! fixed government bodies and well-known companies, on word boundaries.

use super::{DictEntry, Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::resources::Resources;
use crate::segment::Token;
use crate::vocab::Class;
use rustc_hash::FxHashSet as HashSet;

impl Recognizer {
    /// Whether `text` is, as a whole, a region name or short form of the dictionary.
    pub(super) fn is_region_text(&self, text: &str) -> bool {
        self.is_dictionary_text(text, Class::Region)
    }

    /// Whether `text` is, as a whole, a place: a region of the dictionary, or a
    /// country or market a branch may be named after (`branch_place`: 美国, 亚太区).
    pub(super) fn is_place_text(&self, text: &str) -> bool {
        self.is_region_text(text) || self.is("branch_place", text)
    }

    /// Whether `text` is, as a whole, a dictionary name of `class`.
    pub(super) fn is_dictionary_text(&self, text: &str, class: Class) -> bool {
        self.dict_index
            .get(text)
            .is_some_and(|&i| self.dict_entries[i].class == class)
    }

    /// The names of the reference dictionaries that stand on word boundaries:
    /// of all the surfaces found (overlapping ones too), those that pass the
    /// checks below, leftmost first and longest at each start, none overlapping.
    pub(super) fn dictionary_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let all: Vec<(usize, usize, usize)> = self
            .dict
            .iter()
            .flat_map(|d| d.find_overlapping_iter(ctx.text))
            .map(|m| (m.start(), m.end(), m.value() as usize))
            .collect();
        // Where a region's full name (武汉市, 悉尼市) ends: a body of a level
        // (市政府, 县科技局) whose level word closes such a name belongs to that
        // region, and the suffix rules name it whole (武汉市政府).
        let region_ends: HashSet<usize> = all
            .iter()
            .filter(|&&(_, _, i)| self.dict_entries[i].class == Class::Region)
            .map(|&(_, end, _)| end)
            .collect();
        let owned_by_region = |start: usize, i: usize| {
            self.dict_entries[i].class == Class::GovernmentBody
                && ctx.text[start..]
                    .chars()
                    .next()
                    .is_some_and(|c| region_ends.contains(&(start + c.len_utf8())))
        };
        let brands = self.local_brands(ctx, &all);
        let mut found: Vec<(usize, usize, usize)> = all
            .into_iter()
            .filter(|&(start, end, i)| {
                self.stands_alone(ctx, start, end, &self.dict_entries[i])
                    && !owned_by_region(start, i)
            })
            .collect();
        found.sort_by_key(|&(start, end, _)| (start, std::cmp::Reverse(end)));
        let mut last_end = 0;
        for (start, end, i) in found {
            if let Some(&(_, brand_end)) = brands.iter().find(|&&(s, _)| s == start) {
                out.push(ctx.mention(start, brand_end, Class::Product, None, Source::Dictionary));
                last_end = brand_end;
            }
            if start < last_end {
                continue;
            }
            let e = &self.dict_entries[i];
            // 城区, 郊区: district names that are far more often common nouns,
            // places only right after a city that has such a district (大同市城区,
            // not 上海郊区).
            if e.class == Class::Region
                && self.is("common_noun_place", &ctx.text[start..end])
                && !out.iter().any(|o| {
                    o.class == Class::Region
                        && o.end == start
                        && o.canonical
                            .as_ref()
                            .is_some_and(|c| self.common_noun_place_parents.contains(c))
                })
            {
                continue;
            }
            last_end = end;
            out.push(ctx.mention(
                start,
                end,
                e.class,
                Some(e.canonical.clone()),
                Source::Dictionary,
            ));
        }
    }

    /// Local brands of produce: a city's or county's short form right before a
    /// product word of the dictionary, both whole words and the product not glued
    /// to a noun after it (安吉白茶, 枣庄石榴), as (start, end) of the whole.
    fn local_brands(
        &self,
        ctx: &SentenceContext,
        all: &[(usize, usize, usize)],
    ) -> Vec<(usize, usize)> {
        let entry = |i: usize| &self.dict_entries[i];
        all.iter()
            .filter(|&&(start, end, i)| {
                entry(i).class == Class::Region
                    && self.local_regions.contains(&entry(i).canonical)
                    && ctx.text[start..end] != entry(i).canonical
                    && ctx.aligned(start, end)
            })
            .filter_map(|&(start, region_end, _)| {
                all.iter()
                    .filter(|&&(s, e, j)| {
                        s == region_end
                            && entry(j).class == Class::Product
                            && ctx.aligned(s, e)
                            && !self.product_glued_after(ctx, e)
                    })
                    .map(|&(_, e, _)| e)
                    .max()
                    // No longer name of the dictionary (a company's) starts there.
                    .filter(|&end| {
                        !all.iter().any(|&(s, e, j)| {
                            s == start && e >= end && entry(j).class != Class::Region
                        })
                    })
                    .map(|end| (start, end))
            })
            .collect()
    }

    /// Whether a dictionary surface at `start..end` is a word of the sentence
    /// (or half of two region names run together); a product word, not glued
    /// to a noun; a bare industry name, followed by a boundary.
    fn stands_alone(&self, ctx: &SentenceContext, start: usize, end: usize, e: &DictEntry) -> bool {
        (ctx.aligned(start, end)
            || e.class == Class::Region && self.in_region_compound(ctx, start, end))
            && (e.class != Class::Product || !self.product_glued(ctx, start, end))
            && (!e.needs_boundary
                || self.boundary_follows(ctx, end)
                || ctx.text[..end].ends_with('业') && !glued_to_nouns(ctx, start, end))
            && (!e.ends_name || !self.name_continues(ctx, end))
    }

    /// Whether a noun that is no post in a company (董事长) continues a name
    /// ending at `end` into a longer one (沧州明珠 + 服装商贸产业集群).
    fn name_continues(&self, ctx: &SentenceContext, end: usize) -> bool {
        ctx.token_starting_at(end).is_some_and(|t| {
            continues_noun(t) && !self.is("title", t.word) && !self.is("employer_title", t.word)
        })
    }

    /// Whether a product word is glued to nouns and so part of a longer name
    /// (电池 + 工厂, 芯片 + 设计), but for a noun after it that measures or trades
    /// it (稀土 + 价格, 手机 + 销量: `product_attribute` in the lexicon) and a
    /// determiner before it (部分 + 农产品: `lead_trim_Product`, `lead_trim`).
    fn product_glued(&self, ctx: &SentenceContext, start: usize, end: usize) -> bool {
        let before = ctx.token_ending_at(start).is_some_and(|i| {
            let t = &ctx.tokens[i];
            noun_like(t) && !self.is("lead_trim_Product", t.word) && !self.is("lead_trim", t.word)
        });
        self.product_glued_after(ctx, end) || before
    }

    /// Whether a noun (or a verbal noun) that does not measure or trade a product
    /// stands right after a product word ending at `end`.
    fn product_glued_after(&self, ctx: &SentenceContext, end: usize) -> bool {
        ctx.token_starting_at(end)
            .is_some_and(|t| continues_noun(t) && !self.is("product_attribute", t.word))
    }

    /// Whether `start..end` is one of the two halves of a word that is two region
    /// names run together (山西太原, 江西上饶): the segmenter keeps such a pair as
    /// one word, but the text names both places.
    fn in_region_compound(&self, ctx: &SentenceContext, start: usize, end: usize) -> bool {
        let Some(t) = ctx.token_containing(start).map(|i| &ctx.tokens[i]) else {
            return false;
        };
        let split = if t.start == start { end } else { start };
        end <= t.end
            && (t.start == start || t.end == end)
            && self.is_region_text(&ctx.text[t.start..split])
            && self.is_region_text(&ctx.text[split..t.end])
    }

    /// Whether a bare industry name at `end` is followed by a list separator,
    /// punctuation or a sector word, rather than by more of a longer noun.
    fn boundary_follows(&self, ctx: &SentenceContext, end: usize) -> bool {
        let rest = &ctx.text[end..];
        match rest.chars().next() {
            None => true,
            Some(c) if !crate::normalize::alphanumeric(c) => true,
            Some(_) => {
                let next = ctx.token_starting_at(end).map(|t| t.word).unwrap_or("");
                self.is("industry_boundary", next)
            }
        }
    }
}

/// Whether a noun (or an unknown word) stands right before `start` or right
/// after `end`: a name that ends with 业 (先进制造业) stands alone between other
/// words (以先进制造业为骨干), but beside a noun it is part of a longer name
/// (应急产业 + 技术研究院, 新型交通 + 装备制造业).
fn glued_to_nouns(ctx: &SentenceContext, start: usize, end: usize) -> bool {
    ctx.token_starting_at(end).is_some_and(continues_noun)
        || ctx
            .token_ending_at(start)
            .is_some_and(|i| noun_like(&ctx.tokens[i]))
}

/// Whether a word of letters and digits only is a noun or one the segmenter
/// does not know.
fn noun_like(t: &Token) -> bool {
    t.word.chars().all(crate::normalize::alphanumeric) && (!t.known || t.tag.starts_with('n'))
}

/// Whether a word after a name continues it: a noun, or a verbal noun (芯片 + 设计).
fn continues_noun(t: &Token) -> bool {
    noun_like(t) || t.word.chars().all(crate::normalize::alphanumeric) && t.tag == "vn"
}

/// Level prefixes that may stand before an honour name (省级瞪羚企业).
const HONOR_LEVELS: &[&str] = &["国家级", "国家", "省级", "市级", "区级", "县级", "首批"];
/// Endings that turn an industry name into an industry mention (新材料产业).
const INDUSTRY_FORMS: &[&str] = &["", "产业", "行业"];

/// The surface forms of the reference dictionaries, each with its entry: bodies
/// and companies, honours, regions, industries, products and listed companies, in that order. A form taken
/// already, or shorter than two characters, is left out.
pub(super) fn dictionary_entries(res: &Resources) -> (Vec<String>, Vec<DictEntry>) {
    let mut surfaces: Vec<String> = Vec::new();
    let mut dict_entries = Vec::new();
    let mut seen = HashSet::default();
    let mut push = |surface: String, entry: DictEntry| {
        if surface.chars().count() >= 2 && seen.insert(surface.clone()) {
            surfaces.push(surface);
            dict_entries.push(entry);
        }
    };
    body_and_company_entries(res, &mut push);
    honour_entries(res, &mut push);
    region_entries(res, &mut push);
    industry_entries(res, &mut push);
    product_entries(res, &mut push);
    listed_company_entries(res, &mut push);
    (surfaces, dict_entries)
}

/// Government bodies by name and alias, universities and academies by name and
/// short form, and the companies, banks and media the lexicon lists as `known_company`.
fn body_and_company_entries(res: &Resources, push: &mut dyn FnMut(String, DictEntry)) {
    for g in &res.gov_bodies {
        push_forms(&g.name, &g.aliases, Class::GovernmentBody, false, push);
    }
    // Universities and academies by full name and short form (中科大).
    for (class, inst) in &res.institutions {
        push_forms(&inst.name, &inst.aliases, *class, false, push);
    }
    // Companies, banks and media the press names without a legal form.
    for name in res.org_words.get("known_company").into_iter().flatten() {
        push_forms(name, &[], Class::Company, false, push);
    }
}

/// Pushes a name and its other forms as entries of `class`: each form stands
/// for the name, or, `as_written`, for itself.
fn push_forms(
    name: &str,
    others: &[String],
    class: Class,
    as_written: bool,
    push: &mut dyn FnMut(String, DictEntry),
) {
    for form in std::iter::once(name).chain(others.iter().map(String::as_str)) {
        push(
            form.to_string(),
            DictEntry {
                class,
                canonical: if as_written { form } else { name }.to_string(),
                needs_boundary: false,
                ends_name: false,
            },
        );
    }
}

/// The short names of listed companies (泸州老窖, 晶合集成), pushed last: a name
/// another dictionary holds keeps its class.
fn listed_company_entries(res: &Resources, push: &mut dyn FnMut(String, DictEntry)) {
    for name in res.org_words.get("listed_company").into_iter().flatten() {
        push(
            name.clone(),
            DictEntry {
                class: Class::Company,
                canonical: name.clone(),
                needs_boundary: false,
                ends_name: true,
            },
        );
    }
}

/// Honours by name and alias, alone or after a level (省级瞪羚企业).
fn honour_entries(res: &Resources, push: &mut dyn FnMut(String, DictEntry)) {
    for h in &res.honors {
        for form in std::iter::once(&h.name).chain(&h.aliases) {
            for level in std::iter::once(&"").chain(HONOR_LEVELS) {
                push(
                    format!("{level}{form}"),
                    DictEntry {
                        class: Class::Honor,
                        canonical: h.name.clone(),
                        needs_boundary: false,
                        ends_name: false,
                    },
                );
            }
        }
    }
}

/// Regions by name and short form.
fn region_entries(res: &Resources, push: &mut dyn FnMut(String, DictEntry)) {
    for r in res.regions_by_level() {
        push_forms(&r.name, &r.short_forms, Class::Region, false, push);
    }
}

/// Industries by name and alias, alone or with 产业 / 行业.
fn industry_entries(res: &Resources, push: &mut dyn FnMut(String, DictEntry)) {
    for ind in &res.industries {
        for form in std::iter::once(&ind.name).chain(&ind.aliases) {
            for ending in INDUSTRY_FORMS {
                push(
                    format!("{form}{ending}"),
                    // Industry names are kept as written: an alias is often a
                    // narrower industry (移动应急装备 under 应急产业); the resolver
                    // merges true short forms (专汽产业 = 专用汽车产业).
                    DictEntry {
                        class: Class::Industry,
                        canonical: format!("{form}{ending}"),
                        needs_boundary: ending.is_empty(),
                        ends_name: false,
                    },
                );
            }
        }
    }
}

/// Product kinds by name and other form, each kept as written.
fn product_entries(res: &Resources, push: &mut dyn FnMut(String, DictEntry)) {
    for p in &res.products {
        push_forms(&p.name, &p.aliases, Class::Product, true, push);
    }
}
