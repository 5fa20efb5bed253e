//! Cross-document unification, kept the same whatever the order of builds.
//!
//! An entity that a document knows only by a short form takes the full name
//! another document of the build gives it, when exactly one full name fits
//! (湖北金龙 in one article, 湖北金龙新材料有限公司 in another). Which full name
//! fits depends on the names of every document of the build, so a document left
//! unchanged by a rebuild may need another name once others are added, edited
//! or removed. The store therefore keeps, beside its database (file
//! [`RECORDS_FILE`]), for each document the names it brings before unification
//! and the renames its stored graph went through; a build recomputes the
//! renames of every document among its inputs from these names and writes again
//! each unchanged document whose renames differ. A record describes a graph only
//! while the fingerprint it carries is the graph's; the records of the
//! documents a build is about to write are dropped before it writes them and
//! added back after, so an interrupted build leaves no record that misdescribes
//! a graph: a document without a record is extracted again.

use crate::extraction::{Fingerprint, StoredDocument};
use crate::mention::{PlaceNames, RegionNames};
use crate::pipeline::Pipeline;
use crate::resolve::{is_short_form, short_form_key};
use crate::store::{KnowledgeStore, StoreError};
use crate::vocab::Class;
use oxigraph::store::StorageError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::PathBuf;

/// The file, in a store's folder, that holds the unification records.
pub const RECORDS_FILE: &str = "IKG_NAMES";

/// A name as unification sees it: an entity's class and canonical name.
pub type Name = (Class, String);

/// A rename unification made: the class, the short form, the full name it became.
pub type Rename = (Class, String, String);

/// What unification knows of one stored document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Record {
    /// The fingerprint of the graph the record describes.
    content: String,
    /// The extractor of that graph.
    extractor: String,
    /// Its entities' names before unification, as `class`, `name`.
    names: Vec<(String, String)>,
    /// The renames its graph went through, as `class`, `short`, `full`.
    renames: Vec<(String, String, String)>,
}

/// The unification records of a store, by document id.
#[derive(Debug, Default)]
pub struct Records {
    file: Option<PathBuf>,
    by_document: BTreeMap<String, Record>,
}

impl Records {
    /// The records of `store` (none for a store without a folder, or when the
    /// file is missing or unreadable: every document is then extracted again).
    pub fn load(store: &KnowledgeStore) -> Self {
        let file = store.folder().map(|folder| folder.join(RECORDS_FILE));
        let by_document = file
            .as_ref()
            .and_then(|f| std::fs::read(f).ok())
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Records { file, by_document }
    }

    /// Keeps the records in `store`'s folder from now on (where a build that
    /// read another view of the store writes them).
    pub fn keep_in(&mut self, store: &KnowledgeStore) {
        self.file = store.folder().map(|folder| folder.join(RECORDS_FILE));
    }

    /// Writes the records (a new file renamed over the old one, so a reader
    /// sees the old records or the new ones, whole).
    pub fn save(&self) -> Result<(), StoreError> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let text = serde_json::to_vec(&self.by_document).expect("records serialise");
        let partial = file.with_extension("partial");
        std::fs::write(&partial, text).map_err(StorageError::Io)?;
        std::fs::rename(&partial, file).map_err(StorageError::Io)?;
        Ok(())
    }

    /// The names and renames of the document `id`, when its record describes
    /// the graph of fingerprint `fingerprint`.
    pub fn of(&self, id: &str, fingerprint: &Fingerprint) -> Option<(Vec<Name>, Vec<Rename>)> {
        let record = self.by_document.get(id)?;
        if record.content != fingerprint.content || record.extractor != fingerprint.extractor {
            return None;
        }
        let names = record
            .names
            .iter()
            .map(|(class, name)| Some((Class::from_local_name(class)?, name.clone())))
            .collect::<Option<Vec<_>>>()?;
        let renames = record
            .renames
            .iter()
            .map(|(class, short, full)| {
                Some((Class::from_local_name(class)?, short.clone(), full.clone()))
            })
            .collect::<Option<Vec<_>>>()?;
        Some((names, renames))
    }

    /// The fingerprint, names and renames the record of the document `id` holds.
    pub fn stored(&self, id: &str) -> Option<(Fingerprint, Vec<Name>, Vec<Rename>)> {
        let record = self.by_document.get(id)?;
        let fingerprint = Fingerprint {
            content: record.content.clone(),
            extractor: record.extractor.clone(),
        };
        let (names, renames) = self.of(id, &fingerprint)?;
        Some((fingerprint, names, renames))
    }

    /// Forgets the records of these documents.
    pub fn forget<'a>(&mut self, ids: impl IntoIterator<Item = &'a str>) {
        for id in ids {
            self.by_document.remove(id);
        }
    }

    /// Records the names and renames of the graph of the document `id`, written
    /// from an extraction of fingerprint `fingerprint`.
    pub fn insert(
        &mut self,
        id: &str,
        fingerprint: &Fingerprint,
        names: &[Name],
        renames: &[Rename],
    ) {
        let record = Record {
            content: fingerprint.content.clone(),
            extractor: fingerprint.extractor.clone(),
            names: names
                .iter()
                .map(|(class, name)| (class.local_name().to_string(), name.clone()))
                .collect(),
            renames: renames
                .iter()
                .map(|(class, short, full)| {
                    (class.local_name().to_string(), short.clone(), full.clone())
                })
                .collect(),
        };
        self.by_document.insert(id.to_string(), record);
    }
}

/// The names a document brings to unification: the class and canonical name of
/// each of its entities, sorted, each once (read before [`Unifier::apply`]).
pub fn names_of(ex: &StoredDocument) -> Vec<Name> {
    let names: BTreeSet<Name> = ex
        .entities
        .iter()
        .map(|e| (e.class, e.canonical.to_string()))
        .collect();
    names.into_iter().collect()
}

/// Unification over the names of all documents of a build.
pub struct Unifier<'p> {
    index: NameIndex,
    /// The full name of each name of the index that takes one, worked out once
    /// however many documents bring the name.
    full_names: HashMap<Class, HashMap<String, String>>,
    regions: &'p PlaceNames,
}

impl<'p> Unifier<'p> {
    /// A unifier over `names` (those of every document of the build).
    pub fn new<'n>(names: impl Iterator<Item = &'n Name>, pipeline: &'p Pipeline) -> Self {
        use rayon::prelude::*;
        let index = NameIndex::new(names);
        let regions = pipeline.place_names();
        let full_names = index
            .by_class
            .iter()
            .map(|(class, entry)| {
                let full = entry
                    .names
                    .par_iter()
                    .filter_map(|name| {
                        Some((name.clone(), index.full_name(*class, name, regions)?))
                    })
                    .collect();
                (*class, full)
            })
            .collect();
        Unifier {
            index,
            full_names,
            regions,
        }
    }

    /// The renames of a document with these names (sorted as the names are).
    pub fn renames(&self, names: &[Name]) -> Vec<Rename> {
        names
            .iter()
            .filter_map(|(class, name)| {
                let full = match self.full_names.get(class).and_then(|f| f.get(name)) {
                    Some(full) => full.clone(),
                    // A name the unifier was not made with is looked up now.
                    None if !self.index.holds(*class, name) => {
                        self.index.full_name(*class, name, self.regions)?
                    }
                    None => return None,
                };
                Some((*class, name.clone(), full))
            })
            .collect()
    }

    /// Gives each entity of the extraction its full name, keeping the short
    /// form as a label; returns the renames made.
    pub fn apply(&self, ex: &mut StoredDocument, names: &[Name]) -> Vec<Rename> {
        let renames = self.renames(names);
        let full: HashMap<(Class, &str), &str> = renames
            .iter()
            .map(|(class, short, full)| ((*class, short.as_str()), full.as_str()))
            .collect();
        for e in &mut ex.entities {
            if let Some(&long) = full.get(&(e.class, &*e.canonical)) {
                if e.stated
                    && let Err(at) = e.labels.binary_search_by(|l| (**l).cmp(long))
                {
                    e.labels.insert(at, long.into());
                }
                e.canonical = long.into();
            }
        }
        renames
    }
}

/// The canonical names of a build by class, each findable by any of its characters.
struct NameIndex {
    by_class: HashMap<Class, ClassNames>,
}

/// The names of one class and, for each character, the names that contain it.
#[derive(Default)]
struct ClassNames {
    names: Vec<String>,
    by_char: HashMap<char, Vec<usize>>,
}

impl NameIndex {
    fn new<'n>(names: impl Iterator<Item = &'n Name>) -> Self {
        let mut unique: HashMap<Class, BTreeSet<&str>> = HashMap::new();
        for (class, name) in names {
            unique.entry(*class).or_default().insert(name);
        }
        let by_class = unique
            .into_iter()
            .map(|(class, names)| {
                let mut entry = ClassNames {
                    names: names.into_iter().map(str::to_string).collect(),
                    by_char: HashMap::new(),
                };
                for (i, name) in entry.names.iter().enumerate() {
                    let chars: BTreeSet<char> = name.chars().collect();
                    for c in chars {
                        entry.by_char.entry(c).or_default().push(i);
                    }
                }
                (class, entry)
            })
            .collect();
        NameIndex { by_class }
    }

    /// Whether `name` of `class` is one of the names.
    fn holds(&self, class: Class, name: &str) -> bool {
        self.by_class.get(&class).is_some_and(|entry| {
            entry
                .names
                .binary_search_by(|n| n.as_str().cmp(name))
                .is_ok()
        })
    }

    /// The full name that `name` of `class` takes: the only longer name of the
    /// index it is a short form of.
    fn full_name(&self, class: Class, name: &str, regions: &dyn RegionNames) -> Option<String> {
        let short_len = name.chars().count();
        let mut fits = self
            .candidates(class, short_form_key(name, regions))
            .filter(|long| long.chars().count() > short_len)
            .filter(|long| is_short_form(name, long, class, regions));
        match (fits.next(), fits.next()) {
            (Some(long), None) => Some(long.to_string()),
            _ => None,
        }
    }

    /// The names of `class` that contain every character of `key` (looked up by
    /// its rarest character).
    fn candidates<'s>(&'s self, class: Class, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        let entry = self.by_class.get(&class);
        let rarest = entry.and_then(|entry| {
            key.chars()
                .map(|c| entry.by_char.get(&c).map_or(&[][..], Vec::as_slice))
                .min_by_key(|ids| ids.len())
        });
        let names = entry.map_or(&[][..], |entry| entry.names.as_slice());
        rarest
            .unwrap_or(&[])
            .iter()
            .map(move |&i| names[i].as_str())
            .filter(move |name| key.chars().all(|c| name.contains(c)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resources::Resources;

    #[test]
    fn a_short_form_takes_the_one_full_name_indexed_or_not() {
        let pipeline = Pipeline::deferred(Resources::bundled().unwrap());
        let name = |n: &str| (Class::Company, n.to_string());
        let names = [
            name("湖北青岚新材料有限公司"),
            name("青岚新材料"),
            name("青岚"),
        ];
        let unifier = Unifier::new(names.iter(), &pipeline);
        let full = "湖北青岚新材料有限公司".to_string();
        // Worked out once for the names it was made with…
        assert_eq!(
            unifier.renames(&[name("青岚新材料")]),
            [(Class::Company, "青岚新材料".to_string(), full.clone())]
        );
        // …and looked up for one it was not made with.
        assert_eq!(
            unifier.renames(&[name("青岚公司")]),
            [(Class::Company, "青岚公司".to_string(), full)]
        );
        // The full name itself, and a name of another class, stay as they are.
        assert!(
            unifier
                .renames(&[name("湖北青岚新材料有限公司")])
                .is_empty()
        );
        assert!(
            unifier
                .renames(&[(Class::Product, "青岚新材料".to_string())])
                .is_empty()
        );
    }
}
