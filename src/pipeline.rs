//! Pipeline: runs the stages on documents and unifies entities across them.
//!
//! `ingest → normalise → segment → recognise → resolve → relate` per document
//! (in parallel), then [`unify`] across the documents of a build, then the
//! store writes each document's graph.

use crate::extraction::{DocumentExtraction, Fingerprint};
use crate::ingest::SourceDocument;
use crate::mention::Mention;
use crate::normalize::{OcrRepair, normalize};
use crate::recognize::Recognizer;
use crate::relate::Relator;
use crate::resolve::{is_short_form, resolve_document, short_form_key};
use crate::resources::{ResourceError, Resources, fnv1a};
use crate::segment::Segmenter;
use crate::store::{KnowledgeStore, StoreError, document_quads};
use crate::vocab;
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

/// The loaded pipeline.
pub struct Pipeline {
    segmenter: Segmenter,
    recognizer: Recognizer,
    relator: Relator,
    anaphors: BTreeSet<String>,
    ocr: OcrRepair,
    extractor: String,
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
            extractor: format!(
                "ikg {} data {:016x}",
                env!("CARGO_PKG_VERSION"),
                res.fingerprint
            ),
        })
    }

    /// The fingerprint a document's graph gets from this pipeline.
    pub fn fingerprint(&self, doc: &SourceDocument) -> Fingerprint {
        let hash = fnv1a(fnv1a(0, doc.encoding.as_bytes()), doc.text.as_bytes());
        Fingerprint {
            content: format!("{hash:016x}"),
            extractor: self.extractor.clone(),
        }
    }

    /// Runs every stage on one document.
    pub fn extract(&self, doc: SourceDocument) -> DocumentExtraction {
        let fingerprint = self.fingerprint(&doc);
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
        let short_forms = self
            .recognizer
            .company_short_forms(&mentions, &self.relator);
        for ((s, t), ms) in sentences.iter().zip(&tokens).zip(mentions.iter_mut()) {
            self.recognizer
                .add_known_names(&s.text, t, &short_forms, ms);
        }
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        self.recognizer
            .add_company_anaphors(&texts, &tokens, &mut mentions);
        self.relator.disambiguate_regions(&mut mentions);
        let mut resolution = resolve_document(&mentions, &self.relator, &self.anaphors);
        // A mention takes the class of the entity it resolved to (于磁电机, read as a
        // product word, names 赣州于磁电机科技有限公司).
        for (ms, es) in mentions.iter_mut().zip(&resolution.mention_entity) {
            for (m, e) in ms.iter_mut().zip(es) {
                if let Some(e) = e {
                    m.class = resolution.entities[*e].class;
                }
            }
        }
        let relations = self.relator.relate(&sentences, &mentions, &mut resolution);
        DocumentExtraction {
            doc,
            sentences,
            mentions,
            resolution,
            relations,
            fingerprint,
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
/// (湖北金龙 in one article, 湖北金龙新材料有限公司 in another). `stored` are the
/// names of the documents the build leaves as they are in the store.
pub fn unify(
    extractions: &mut [DocumentExtraction],
    stored: Vec<(Class, String)>,
    pipeline: &Pipeline,
) {
    let is_region = |s: &str| pipeline.is_region(s);
    let index = NameIndex::new(
        extractions
            .iter()
            .flat_map(|ex| &ex.resolution.entities)
            .map(|e| (e.class, e.canonical.clone()))
            .chain(stored),
    );
    for ex in extractions.iter_mut() {
        for e in &mut ex.resolution.entities {
            let short_len = e.canonical.chars().count();
            let only_fit = {
                let mut fits = index
                    .candidates(e.class, short_form_key(&e.canonical, &is_region))
                    .filter(|long| long.chars().count() > short_len)
                    .filter(|long| is_short_form(&e.canonical, long, e.class, &is_region));
                match (fits.next(), fits.next()) {
                    (Some(long), None) => Some(long.to_string()),
                    _ => None,
                }
            };
            if let Some(long) = only_fit {
                e.labels.insert(long.clone());
                e.canonical = long;
            }
        }
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
    fn new(names: impl Iterator<Item = (Class, String)>) -> Self {
        let mut unique: HashMap<Class, BTreeSet<String>> = HashMap::new();
        for (class, name) in names {
            unique.entry(class).or_default().insert(name);
        }
        let by_class = unique
            .into_iter()
            .map(|(class, names)| {
                let mut entry = ClassNames {
                    names: names.into_iter().collect(),
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

/// Counts from one build.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BuildSummary {
    /// Documents stored.
    pub documents: usize,
    /// Documents left as they were: same text, same extractor.
    pub unchanged: usize,
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
    /// Ids of the documents removed because their files are no longer among the inputs.
    pub pruned: Vec<String>,
}

/// How a build treats the documents the store already holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Extract and write every document again, even one whose text and
    /// extractor are those of its stored graph.
    pub force: bool,
}

/// Which stored documents a build that prunes removes: those read from a file
/// under one of its input roots (by the source path each document keeps) whose
/// id none of its input files gives any more. Documents read from elsewhere (a
/// folder built separately into the same store) are never candidates.
#[derive(Debug, Clone, Default)]
pub struct PruneScope {
    roots: Vec<std::path::PathBuf>,
    present: std::collections::HashSet<String>,
}

impl PruneScope {
    /// The scope of a build of `roots` (the files and folders given to it) that
    /// found `files` under them (all of them, whatever slice of them is built).
    pub fn new(roots: &[std::path::PathBuf], files: &[crate::ingest::InputFile]) -> Self {
        let roots = roots
            .iter()
            .flat_map(|root| [std::path::absolute(root).ok(), root.canonicalize().ok()])
            .flatten()
            .collect();
        let present = files.iter().map(|f| f.id.clone()).collect();
        PruneScope { roots, present }
    }

    /// Whether the document `id`, read from `source`, is to be removed.
    fn drops(&self, id: &str, source: &str) -> bool {
        let source = std::path::Path::new(source);
        !self.present.contains(id) && self.roots.iter().any(|root| source.starts_with(root))
    }
}

/// Removes from the store the documents `scope` drops, each in one transaction
/// (the entities and counts graphs are left to be derived again). Returns their ids.
pub fn prune(store: &KnowledgeStore, scope: &PruneScope) -> Result<Vec<String>, StoreError> {
    let mut pruned = Vec::new();
    for (id, source) in store.document_sources()? {
        if scope.drops(&id, &source) && store.remove_document(&id)? {
            pruned.push(id);
        }
    }
    Ok(pruned)
}

/// What became of one input file.
enum Outcome {
    Extracted(Box<DocumentExtraction>),
    Unchanged(oxigraph::model::NamedNode),
    Failed(String),
}

/// Builds the given files into the store, skipping unchanged documents (see
/// [`build_with`]).
pub fn build(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    progress: &(dyn Fn() + Sync),
) -> Result<BuildSummary, StoreError> {
    build_with(pipeline, store, files, BuildOptions::default(), progress)
}

/// Builds the given files into the store: every readable file whose graph is
/// not already stored with the same fingerprint (or every one, with
/// [`BuildOptions::force`]) is extracted (in parallel), entities are unified
/// across the build and the unchanged documents, and each document's graph
/// replaces the one of the same name, whole (see [`KnowledgeStore::write_documents`]).
/// Unreadable files are reported in [`BuildSummary::failures`] and the others
/// still go in. `progress` is called once per file.
pub fn build_with(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    options: BuildOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<BuildSummary, StoreError> {
    build_and_prune(pipeline, store, files, options, None, progress)
}

/// Like [`build_with`], then, with a `prune` scope, removes the documents it
/// drops ([`prune`]). The store records the build from its first write to its
/// clean end ([`KnowledgeStore::begin_build`]), so an interrupted build is known
/// and the next complete one clears the record.
pub fn build_and_prune(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    options: BuildOptions,
    prune_scope: Option<&PruneScope>,
    progress: &(dyn Fn() + Sync),
) -> Result<BuildSummary, StoreError> {
    let (mut extractions, unchanged, mut summary) =
        extract_changed(pipeline, store, files, options, progress);
    summary.unchanged = unchanged.len();
    let wrote = !extractions.is_empty();
    if wrote {
        store.begin_build(extractions.len())?;
        let mut stored = Vec::new();
        for graph in &unchanged {
            stored.extend(store.entity_names(graph)?);
        }
        unify(&mut extractions, stored, pipeline);
        store.load_ontology()?;
        summary.quads = write_in_parallel(store, &extractions)?;
        for ex in &extractions {
            summary.warnings.extend(ex.doc.warnings.iter().cloned());
            summary.documents += 1;
            summary.sentences += ex.sentences.len();
            summary.entities += ex.used_entities().iter().filter(|u| **u).count();
            summary.relations += ex.relations.facts.len();
            summary.investments += ex.relations.investments.len();
        }
        drop(extractions);
    }
    if let Some(scope) = prune_scope {
        summary.pruned = prune(store, scope)?;
    }
    if wrote || !summary.pruned.is_empty() {
        store.compact()?;
        store.refresh_summaries()?;
    } else if !store.has_stats()? {
        // A store whose counts are missing (an interrupted build, an older ikg) gets them.
        store.refresh_summaries()?;
    }
    store.end_build()?;
    store.flush()?;
    Ok(summary)
}

/// Reads every file and extracts those whose stored graph is not up to date:
/// the extractions, the graphs left as they are, and a summary with the failures.
fn extract_changed(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    options: BuildOptions,
    progress: &(dyn Fn() + Sync),
) -> (
    Vec<DocumentExtraction>,
    Vec<oxigraph::model::NamedNode>,
    BuildSummary,
) {
    use rayon::prelude::*;
    let outcomes: Vec<Outcome> = files
        .par_iter()
        .map(|file| {
            let outcome = match file.read() {
                Err(e) => Outcome::Failed(e.to_string()),
                Ok(doc) => {
                    let graph = vocab::document_iri(&doc.id);
                    let fingerprint = pipeline.fingerprint(&doc);
                    match store.has_fingerprint(&graph, &fingerprint) {
                        Ok(true) if !options.force => Outcome::Unchanged(graph),
                        _ => {
                            let mut ex = pipeline.extract(doc);
                            ex.keep_stored_parts();
                            Outcome::Extracted(Box::new(ex))
                        }
                    }
                }
            };
            progress();
            outcome
        })
        .collect();
    let mut summary = BuildSummary::default();
    let mut extractions = Vec::new();
    let mut unchanged = Vec::new();
    for outcome in outcomes {
        match outcome {
            Outcome::Extracted(ex) => extractions.push(*ex),
            Outcome::Unchanged(graph) => unchanged.push(graph),
            Outcome::Failed(e) => summary.failures.push(e),
        }
    }
    (extractions, unchanged, summary)
}

/// Turns the extractions into quads on every core and writes them from one
/// thread, fed through a bounded channel. Returns the number of quads written.
fn write_in_parallel(
    store: &KnowledgeStore,
    extractions: &[DocumentExtraction],
) -> Result<usize, StoreError> {
    use rayon::prelude::*;
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(WRITE_QUEUE_DOCUMENTS);
        let writer = scope.spawn(move || store.write_documents(receiver));
        extractions.par_iter().for_each_with(sender, |sender, ex| {
            // A send fails only when the writer stopped on an error, which join reports.
            let _ = sender.send((vocab::document_iri(&ex.doc.id), document_quads(ex)));
        });
        writer.join().expect("the store writer does not panic")
    })
}

/// Documents waiting for the store writer, at most.
const WRITE_QUEUE_DOCUMENTS: usize = 64;
