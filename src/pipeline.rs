//! Pipeline: runs the stages on documents and unifies entities across them.
//!
//! `ingest → normalise → segment → recognise → resolve → relate` per document
//! (in parallel), then [`unify`] across the documents of a build, then the
//! store writes each document's graph.

use crate::ingest::SourceDocument;
use crate::normalize::{OcrRepair, Sentence, normalize};
use crate::recognize::{Mention, Recognizer};
use crate::relate::{Relations, Relator};
use crate::resolve::{Resolution, is_short_form, resolve_document};
use crate::resources::{ResourceError, Resources};
use crate::segment::Segmenter;
use crate::vocab::Class;
use std::collections::{BTreeSet, HashMap};
use thiserror::Error;

/// A failure to set the pipeline up from its resources.
#[derive(Debug, Error)]
pub enum SetupError {
    /// A data file is malformed.
    #[error(transparent)]
    Resource(#[from] ResourceError),
    /// A relation pattern does not compile.
    #[error(transparent)]
    Pattern(#[from] crate::relate::PatternError),
    /// The segmenter's dictionary could not be loaded.
    #[error("segmenter dictionary: {0}")]
    Dictionary(#[from] jieba_rs::Error),
}

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

/// The loaded pipeline.
pub struct Pipeline {
    segmenter: Segmenter,
    recognizer: Recognizer,
    relator: Relator,
    anaphors: BTreeSet<String>,
    ocr: OcrRepair,
}

impl Pipeline {
    /// Builds the pipeline from resources.
    pub fn new(res: &Resources) -> Result<Self, SetupError> {
        Ok(Pipeline {
            segmenter: Segmenter::new(res)?,
            recognizer: Recognizer::new(res),
            relator: Relator::new(res)?,
            anaphors: res.words("anaphor").iter().cloned().collect(),
            ocr: OcrRepair::new(&res.ocr_repairs),
        })
    }

    /// Runs every stage on one document.
    pub fn extract(&self, doc: SourceDocument) -> DocumentExtraction {
        let mut sentences = normalize(&doc.text);
        self.ocr.apply(&mut sentences);
        let tokens: Vec<Vec<crate::segment::Token>> = sentences
            .iter()
            .map(|s| self.segmenter.tag(&s.text))
            .collect();
        let mut mentions: Vec<Vec<Mention>> = sentences
            .iter()
            .zip(&tokens)
            .map(|(s, t)| self.recognizer.recognize(&s.text, t))
            .collect();
        // Short forms of the companies the document names in full (卓越新能源 after
        // 芜湖卓越新能源科技有限公司) are names wherever they occur in it.
        let is_region = |s: &str| self.relator.is_region(s);
        let short_forms = self.recognizer.company_short_forms(&mentions, &is_region);
        for ((s, t), ms) in sentences.iter().zip(&tokens).zip(mentions.iter_mut()) {
            self.recognizer
                .add_known_names(&s.text, t, &short_forms, ms);
        }
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        self.recognizer
            .add_company_anaphors(&texts, &tokens, &mut mentions);
        self.relator.disambiguate_regions(&mut mentions);
        let mut resolution = resolve_document(&mentions, &is_region, &self.anaphors);
        let relations = self.relator.relate(&sentences, &mentions, &mut resolution);
        DocumentExtraction {
            doc,
            sentences,
            mentions,
            resolution,
            relations,
        }
    }

    /// Whether `s` is a region name or short form.
    pub fn is_region(&self, s: &str) -> bool {
        self.relator.is_region(s)
    }

    /// Segments one sentence (for [`explain`]).
    pub fn segment(&self, sentence: &str) -> Vec<crate::segment::Token> {
        self.segmenter.tag(sentence)
    }
}

/// Writes, for each sentence of a document, its text, its words (optionally),
/// its mentions and the facts drawn from it; then the document's entities.
pub fn explain(
    pipeline: &Pipeline,
    doc: SourceDocument,
    words: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let ex = pipeline.extract(doc);
    let ents = &ex.resolution.entities;
    for (i, s) in ex.sentences.iter().enumerate() {
        writeln!(
            out,
            "[{i}] @{}{} {}",
            s.offset(),
            if s.heading { " (heading)" } else { "" },
            s.text
        )?;
        if words {
            let toks: Vec<String> = pipeline
                .segment(&s.text)
                .iter()
                .map(|t| format!("{}/{}", t.word, t.tag))
                .collect();
            writeln!(out, "    words: {}", toks.join(" "))?;
        }
        for (m, e) in ex.mentions[i].iter().zip(&ex.resolution.mention_entity[i]) {
            let target = e.map(|e| ents[e].canonical.as_str()).unwrap_or("-");
            writeln!(
                out,
                "    mention {} [{}] {:?} -> {target}",
                m.text, m.class, m.source
            )?;
        }
        for f in ex.relations.facts.iter().filter(|f| f.sentence == i) {
            writeln!(
                out,
                "    fact {} {} {}  ({})",
                ents[f.subject].canonical, f.property, ents[f.object].canonical, f.rule
            )?;
        }
        for inv in ex.relations.investments.iter().filter(|v| v.sentence == i) {
            writeln!(
                out,
                "    investment {} {} = {} {}  ({})",
                ents[inv.project].canonical, inv.text, inv.amount, inv.currency, inv.rule
            )?;
        }
    }
    writeln!(out, "entities")?;
    for e in ents {
        let aliases: Vec<&String> = e.labels.iter().filter(|l| **l != e.canonical).collect();
        writeln!(
            out,
            "    {} [{}] x{} {:?}",
            e.canonical, e.class, e.mentions, aliases
        )?;
    }
    Ok(())
}

/// Gives an entity known only by a short form in one document the full name
/// that another document of the build uses, when exactly one full name fits
/// (湖北金龙 in one article, 湖北金龙新材料有限公司 in another).
pub fn unify(extractions: &mut [DocumentExtraction], pipeline: &Pipeline) {
    let mut names: HashMap<Class, BTreeSet<String>> = HashMap::new();
    for ex in extractions.iter() {
        for e in &ex.resolution.entities {
            names
                .entry(e.class)
                .or_default()
                .insert(e.canonical.clone());
        }
    }
    let is_region = |s: &str| pipeline.is_region(s);
    for ex in extractions.iter_mut() {
        for e in &mut ex.resolution.entities {
            let Some(pool) = names.get(&e.class) else {
                continue;
            };
            let fits: Vec<&String> = pool
                .iter()
                .filter(|long| long.chars().count() > e.canonical.chars().count())
                .filter(|long| is_short_form(&e.canonical, long, e.class, &is_region))
                .collect();
            if let [long] = fits.as_slice() {
                e.labels.insert((*long).clone());
                e.canonical = (*long).clone();
            }
        }
    }
}

/// Counts from one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSummary {
    /// Documents stored.
    pub documents: usize,
    /// Sentences read.
    pub sentences: usize,
    /// Entities stored (per document).
    pub entities: usize,
    /// Relations stored (per document).
    pub relations: usize,
    /// Investments stored.
    pub investments: usize,
    /// Quads written.
    pub quads: usize,
    /// Files that could not be read, with the reason.
    pub failures: Vec<String>,
    /// Documents stored with a repair (invalid bytes replaced, no text), one line each.
    pub warnings: Vec<String>,
}

/// Builds the given files into the store: every readable file is extracted
/// (in parallel), entities are unified across them, and each document's graph
/// is replaced in its own transaction. Unreadable files are reported in
/// [`BuildSummary::failures`] and the others still go in.
/// `progress` is called once per document extracted.
pub fn build(
    pipeline: &Pipeline,
    store: &crate::store::KnowledgeStore,
    files: &[crate::ingest::InputFile],
    progress: &(dyn Fn() + Sync),
) -> Result<BuildSummary, crate::store::StoreError> {
    use rayon::prelude::*;
    let results: Vec<Result<DocumentExtraction, String>> = files
        .par_iter()
        .map(|file| {
            let r = file
                .read()
                .map(|doc| pipeline.extract(doc))
                .map_err(|e| e.to_string());
            progress();
            r
        })
        .collect();
    let mut summary = BuildSummary::default();
    let mut extractions = Vec::new();
    for r in results {
        match r {
            Ok(ex) => extractions.push(ex),
            Err(e) => summary.failures.push(e),
        }
    }
    unify(&mut extractions, pipeline);
    store.load_ontology()?;
    for ex in &extractions {
        summary.warnings.extend(ex.doc.warnings.iter().cloned());
        summary.quads += store.replace_document(ex)?;
        summary.documents += 1;
        summary.sentences += ex.sentences.len();
        summary.entities += ex.used_entities().iter().filter(|u| **u).count();
        summary.relations += ex.relations.facts.len();
        summary.investments += ex.relations.investments.len();
    }
    Ok(summary)
}
