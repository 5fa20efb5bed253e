//! Extractions: what the pipeline finds in one document and the store writes,
//! with the fingerprint a build compares to skip unchanged documents.

use crate::ingest::SourceDocument;
use crate::mention::Mention;
use crate::normalize::Sentence;
use crate::relate::Relations;
use crate::resolve::Resolution;
use crate::vocab::{Class, Property};

/// Everything extracted from one document.
#[derive(Debug, Clone)]
pub struct DocumentExtraction {
    /// The source.
    pub doc: SourceDocument,
    /// Its sentences.
    pub sentences: Vec<Sentence>,
    /// The mentions of each sentence.
    pub mentions: Vec<Vec<Mention>>,
    /// Its entities.
    pub resolution: Resolution,
    /// Its relations and investments.
    pub relations: Relations,
    /// What it was extracted from.
    pub fingerprint: Fingerprint,
}

/// What a document's graph was extracted from: its text, and the program and
/// rules that read it. A build skips a document whose stored fingerprint is the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// FNV-1a hash of the decoded text and its encoding, in hex.
    pub content: String,
    /// The ikg version and the hash of its data files.
    pub extractor: String,
}

impl DocumentExtraction {
    /// Which entities are mentioned or take part in a fact (the others are not stored).
    pub fn used_entities(&self) -> Vec<bool> {
        let mut used = vec![false; self.resolution.entities.len()];
        for i in self.resolution.mention_entity.iter().flatten().flatten() {
            used[*i] = true;
        }
        for f in &self.relations.facts {
            used[f.subject] = true;
            used[f.object] = true;
        }
        for inv in &self.relations.investments {
            used[inv.project] = true;
        }
        used
    }
}

/// What a build keeps of one extraction until it writes it: the source's
/// identity, the fingerprint, every entity's class and name (unification reads
/// them all), and of the entities, facts and sentences the graph states only
/// what its quads are made of, each string allocated to its length. A small
/// part of the extraction, so that a build of many documents holds little of
/// each until it writes them.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    /// The document id.
    pub id: String,
    /// The file name.
    pub file_name: Box<str>,
    /// The source path, or empty.
    pub source_path: Box<str>,
    /// The encoding the text was decoded from.
    pub encoding: &'static str,
    /// What its reading repaired, one line each.
    pub warnings: Vec<String>,
    /// What it was extracted from.
    pub fingerprint: Fingerprint,
    /// How many sentences it has.
    pub sentence_count: usize,
    /// Its entities, in the extraction's order.
    pub entities: Vec<StoredEntity>,
    /// Its relations, in the extraction's order.
    pub facts: Vec<StoredFact>,
    /// Its investments, in the extraction's order.
    pub investments: Vec<StoredInvestment>,
    /// The sentences its facts and investments cite, in document order.
    pub cited: Vec<CitedSentence>,
}

/// An entity as a build keeps it.
#[derive(Debug, Clone)]
pub struct StoredEntity {
    /// Canonical name.
    pub canonical: Box<str>,
    /// Class.
    pub class: Class,
    /// Every surface form, the canonical name included, sorted; empty when
    /// the graph does not state the entity.
    pub labels: Vec<Box<str>>,
    /// Whether the graph states it (it is mentioned or takes part in a fact).
    pub stated: bool,
}

/// A relation as a build keeps it: entities by index into
/// [`StoredDocument::entities`], the sentence by index into [`StoredDocument::cited`].
#[derive(Debug, Clone)]
pub struct StoredFact {
    /// Subject entity.
    pub subject: u32,
    /// Property.
    pub property: Property,
    /// Object entity.
    pub object: u32,
    /// Evidence sentence.
    pub sentence: u32,
    /// The rule that produced it.
    pub rule: Box<str>,
    /// A job title, for `worksFor`.
    pub role: Option<Box<str>>,
}

/// An investment as a build keeps it (indices as in [`StoredFact`]).
#[derive(Debug, Clone)]
pub struct StoredInvestment {
    /// Project entity.
    pub project: u32,
    /// The amount as written.
    pub text: Box<str>,
    /// The amount in the currency's base unit, as a decimal string.
    pub amount: Box<str>,
    /// The ISO 4217 code of its currency.
    pub currency: &'static str,
    /// Evidence sentence.
    pub sentence: u32,
    /// The rule that produced it.
    pub rule: Box<str>,
}

/// A sentence a fact cites: its text and its offset in the original file.
#[derive(Debug, Clone)]
pub struct CitedSentence {
    /// The sentence.
    pub text: Box<str>,
    /// Its character offset in the original file.
    pub offset: usize,
}

impl StoredDocument {
    /// What the store needs of `ex`.
    pub fn of(ex: &DocumentExtraction) -> Self {
        let used = ex.used_entities();
        let entities = ex
            .resolution
            .entities
            .iter()
            .zip(&used)
            .map(|(e, &stated)| StoredEntity {
                canonical: e.canonical.as_str().into(),
                class: e.class,
                labels: if stated {
                    e.labels.iter().map(|l| l.as_str().into()).collect()
                } else {
                    Vec::new()
                },
                stated,
            })
            .collect();
        let mut cited_index: Vec<Option<u32>> = vec![None; ex.sentences.len()];
        let evidence = ex.relations.facts.iter().map(|f| f.sentence);
        for s in evidence.chain(ex.relations.investments.iter().map(|i| i.sentence)) {
            cited_index[s] = Some(0);
        }
        let mut cited = Vec::new();
        for (slot, s) in cited_index.iter_mut().zip(&ex.sentences) {
            if slot.is_some() {
                *slot = Some(index(cited.len()));
                cited.push(CitedSentence {
                    text: s.text.as_str().into(),
                    offset: s.offset(),
                });
            }
        }
        let sentence = |s: usize| cited_index[s].expect("a cited sentence");
        let facts = ex
            .relations
            .facts
            .iter()
            .map(|f| StoredFact {
                subject: index(f.subject),
                property: f.property,
                object: index(f.object),
                sentence: sentence(f.sentence),
                rule: f.rule.as_str().into(),
                role: f.role.as_deref().map(Into::into),
            })
            .collect();
        let investments = ex
            .relations
            .investments
            .iter()
            .map(|inv| StoredInvestment {
                project: index(inv.project),
                text: inv.text.as_str().into(),
                amount: inv.amount.as_str().into(),
                currency: inv.currency,
                sentence: sentence(inv.sentence),
                rule: inv.rule.as_str().into(),
            })
            .collect();
        StoredDocument {
            id: ex.doc.id.clone(),
            file_name: ex.doc.file_name.as_str().into(),
            source_path: ex.doc.source_path.as_str().into(),
            encoding: ex.doc.encoding,
            warnings: ex.doc.warnings.clone(),
            fingerprint: ex.fingerprint.clone(),
            sentence_count: ex.sentences.len(),
            entities,
            facts,
            investments,
            cited,
        }
    }

    /// The number of entities its graph states.
    pub fn stated_entities(&self) -> usize {
        self.entities.iter().filter(|e| e.stated).count()
    }
}

/// An index kept as `u32` (documents have far fewer entities and sentences).
fn index(i: usize) -> u32 {
    u32::try_from(i).expect("fewer than 2^32 entities or sentences in a document")
}
