//! Extractions: what the pipeline finds in one document and the store writes,
//! with the fingerprint a build compares to skip unchanged documents.

use crate::ingest::SourceDocument;
use crate::mention::Mention;
use crate::normalize::Sentence;
use crate::relate::Relations;
use crate::resolve::Resolution;

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

    /// Drops what the store does not need (the source text, the mentions, the
    /// character offsets past each cited sentence's first, the sentences no fact
    /// cites but for their count), so that a build holds little of a document until it writes it.
    pub fn keep_stored_parts(&mut self) {
        self.doc.text = String::new();
        self.mentions = Vec::new();
        let mut cited = vec![false; self.sentences.len()];
        for f in &self.relations.facts {
            cited[f.sentence] = true;
        }
        for inv in &self.relations.investments {
            cited[inv.sentence] = true;
        }
        for (s, cited) in self.sentences.iter_mut().zip(cited) {
            if cited {
                s.origin.truncate(1);
                s.origin.shrink_to_fit();
            } else {
                s.text = String::new();
                s.origin = Vec::new();
            }
        }
    }
}
