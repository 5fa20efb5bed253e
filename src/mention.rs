//! Mentions: the names recognition finds in a sentence and resolution merges
//! into entities, and the test of region names both stages use.

use crate::resources::Resources;
use crate::vocab::Class;
use rustc_hash::FxHashSet as HashSet;

/// How a mention was found (recorded for diagnostics; lower is more trusted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    /// A reference dictionary.
    Dictionary,
    /// A name suffix with its left edge.
    Suffix,
    /// A member of a coordinated list.
    List,
    /// Context (titles, trade words).
    Context,
    /// A clause that says what the name is (远翔精工是…领域的龙头企业).
    Apposition,
}

/// An entity mention in one sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte offset in the sentence.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    /// The surface text.
    pub text: String,
    /// The class.
    pub class: Class,
    /// The canonical name given by a dictionary (随州 → 随州市), if any.
    pub canonical: Option<String>,
    /// How it was found.
    pub source: Source,
}

/// Tells whether a text is a region name (used to strip region prefixes).
pub trait RegionNames {
    /// Whether `s` is a region name or short form.
    fn is_region(&self, s: &str) -> bool;

    /// Whether a company's branch may be named after `s` (a region, or a
    /// country or market: 美国, 亚太区).
    fn is_branch_place(&self, s: &str) -> bool {
        self.is_region(s)
    }
}

/// The region names and short forms of the divisions dictionary, and the
/// countries and markets a company's branch may be named after (`branch_place`
/// in the lexicon): what relation extraction and cross-document unification
/// ask as [`RegionNames`].
#[derive(Debug, Clone)]
pub struct PlaceNames {
    regions: HashSet<String>,
    /// Bytes of the longest region name or short form.
    longest_region: usize,
    branch_places: HashSet<String>,
}

impl PlaceNames {
    /// The place names of the resources.
    pub fn new(res: &Resources) -> Self {
        let regions: HashSet<String> = res.region_names().into_iter().collect();
        PlaceNames {
            longest_region: regions.iter().map(String::len).max().unwrap_or(0),
            regions,
            branch_places: res.words("branch_place").iter().cloned().collect(),
        }
    }

    /// Bytes of the longest region name or short form.
    pub fn longest_region(&self) -> usize {
        self.longest_region
    }
}

impl RegionNames for PlaceNames {
    fn is_region(&self, s: &str) -> bool {
        self.regions.contains(s)
    }

    fn is_branch_place(&self, s: &str) -> bool {
        self.is_region(s) || self.branch_places.contains(s)
    }
}

impl<F: Fn(&str) -> bool> RegionNames for F {
    fn is_region(&self, s: &str) -> bool {
        self(s)
    }
}
