//! Pipeline: runs the stages on documents and unifies entities across them.
//!
//! `ingest → normalise → segment → recognise → resolve → relate` per document
//! (in parallel), then unification across the documents of a build (see
//! [`crate::unification`]), then the store writes each document's graph.

use crate::extraction::{DocumentExtraction, Fingerprint, StoredDocument};
use crate::ingest::SourceDocument;
use crate::mention::{Mention, PlaceNames};
use crate::normalize::{OcrRepair, Sentence, normalize};
use crate::recognize::Recognizer;
use crate::relate::{Relations, Relator};
use crate::resolve::{Resolution, resolve_document};
use crate::resources::{ResourceError, Resources, fnv1a};
use crate::segment::{Segmenter, Token};
use crate::store::{KnowledgeStore, StoreError, Written, stored_quads};
use crate::unification::{Name, Records, Rename, Unifier, names_of};
use crate::vocab;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
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
    /// The resources the stages are built from (kept by a deferred pipeline,
    /// whose stages may be released and built again).
    resources: Option<Resources>,
    stages: Mutex<Option<Result<Arc<Stages>, String>>>,
    places: PlaceNames,
    extractor: String,
}

/// The stages that extract a document.
struct Stages {
    segmenter: Segmenter,
    recognizer: Recognizer,
    relator: Relator,
    anaphors: BTreeSet<String>,
    ocr: OcrRepair,
}

impl Stages {
    fn new(res: &Resources) -> Result<Self, SetupError> {
        // The dictionary, the automata and the patterns are built side by side.
        let (segmenter, (recognizer, relator)) = rayon::join(
            || Segmenter::new(res),
            || rayon::join(|| Recognizer::new(res), || Relator::new(res)),
        );
        Ok(Stages {
            segmenter: segmenter?,
            recognizer,
            relator: relator?,
            anaphors: res.words("anaphor").iter().cloned().collect(),
            ocr: OcrRepair::new(&res.ocr_repairs),
        })
    }
}

impl Pipeline {
    /// Builds the pipeline from resources, its extraction stages included.
    pub fn new(res: &Resources) -> Result<Self, SetupError> {
        let stages = Stages::new(res)?;
        let pipeline = Pipeline::without_stages(res);
        *pipeline.slot() = Some(Ok(Arc::new(stages)));
        Ok(pipeline)
    }

    /// The pipeline with its extraction stages left to be built when a
    /// document first needs them ([`Pipeline::ready`]): a build that finds
    /// every document unchanged never pays for them.
    pub fn deferred(res: Resources) -> Self {
        let mut pipeline = Pipeline::without_stages(&res);
        pipeline.resources = Some(res);
        pipeline
    }

    /// The pipeline whose stages are neither built nor buildable yet.
    fn without_stages(res: &Resources) -> Self {
        Pipeline {
            stages: Mutex::new(None),
            places: PlaceNames::new(res),
            extractor: format!(
                "ikg {} data {:016x}",
                env!("CARGO_PKG_VERSION"),
                res.fingerprint
            ),
            resources: None,
        }
    }

    /// The region names and branch places unification compares names with
    /// (超日太阳美国分公司 is a branch of 超日太阳, not its full name); kept
    /// apart from the stages, which a build may release.
    pub fn place_names(&self) -> &PlaceNames {
        &self.places
    }

    /// The stages as they are: built, failed to build, or not built yet.
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Result<Arc<Stages>, String>>> {
        self.stages.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Builds the extraction stages if they are not built yet. Call it outside
    /// the parallel loops that extract (they wait for it otherwise).
    pub fn ready(&self) -> Result<(), StoreError> {
        self.built_stages().map(drop).map_err(StoreError::Setup)
    }

    /// The stages, built on the first call, or why they cannot be.
    fn built_stages(&self) -> Result<Arc<Stages>, String> {
        let mut slot = self.slot();
        slot.get_or_insert_with(|| {
            let res = self.resources.as_ref().expect("resources kept until built");
            Stages::new(res).map(Arc::new).map_err(|e| e.to_string())
        })
        .clone()
    }

    /// Whether the extraction stages are built.
    fn is_ready(&self) -> bool {
        matches!(&*self.slot(), Some(Ok(_)))
    }

    /// Frees the extraction stages of a deferred pipeline (the segmenter's
    /// dictionary, the automata, the patterns and what their matching cached),
    /// once a build has extracted what it needs: its writing then reuses their
    /// memory. They are built again if a document needs extracting after all.
    pub fn release_stages(&self) {
        if self.resources.is_some() {
            *self.slot() = None;
        }
    }

    /// The extraction stages.
    ///
    /// # Panics
    /// When they cannot be built from the resources of a deferred pipeline
    /// ([`Pipeline::ready`] reports that as an error instead).
    fn stages(&self) -> Arc<Stages> {
        self.built_stages().unwrap_or_else(|e| panic!("{e}"))
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
    ///
    /// # Panics
    /// When the stages of a deferred pipeline cannot be built (see [`Pipeline::ready`]).
    pub fn extract(&self, doc: SourceDocument) -> DocumentExtraction {
        self.extract_all(vec![doc])
            .pop()
            .expect("one extraction per document")
    }

    /// Runs every stage on several documents and returns their extractions in
    /// order, each the same as [`Pipeline::extract`] gives. The documents go
    /// through the stages together, in batches of about [`EXTRACTION_BATCH_BYTES`]
    /// of text: all of a batch is segmented, then all of it recognised, and so
    /// on, so that each stage's dictionaries, automata and patterns stay in the
    /// processor's caches from one document to the next.
    ///
    /// # Panics
    /// As [`Pipeline::extract`].
    pub fn extract_all(&self, docs: Vec<SourceDocument>) -> Vec<DocumentExtraction> {
        let mut out = Vec::with_capacity(docs.len());
        self.extract_each(docs, |ex| out.push(ex));
        out
    }

    /// As [`Pipeline::extract_all`], handing each extraction to `each`, in
    /// order, as soon as its batch is done.
    ///
    /// # Panics
    /// As [`Pipeline::extract`].
    pub fn extract_each(
        &self,
        docs: Vec<SourceDocument>,
        mut each: impl FnMut(DocumentExtraction),
    ) {
        // No document, no stages built (an unchanged rebuild builds none).
        if docs.is_empty() {
            return;
        }
        let stages = self.stages();
        let sizes: Vec<usize> = docs.iter().map(|doc| doc.text.len()).collect();
        let mut docs = docs.into_iter();
        for run in runs_of(&sizes, EXTRACTION_BATCH_BYTES) {
            let batch = docs
                .by_ref()
                .take(run.len())
                .map(|doc| {
                    let fingerprint = self.fingerprint(&doc);
                    (doc, fingerprint)
                })
                .collect();
            stages.extract_batch(batch).into_iter().for_each(&mut each);
        }
    }

    /// Calls `f` with the segmenter (for [`explain`] and the benchmark's baseline).
    ///
    /// # Panics
    /// As [`Pipeline::extract`].
    pub fn with_segmenter<R>(&self, f: impl FnOnce(&Segmenter) -> R) -> R {
        f(&self.stages().segmenter)
    }
}

/// Text at which a batch of documents that go through the stages together is
/// closed (the document that reaches it is the batch's last): large enough
/// that each stage's tables stay in the cache over many documents, small
/// enough that a batch's words and mentions take a few megabytes per worker.
pub const EXTRACTION_BATCH_BYTES: usize = 512 * 1024;

impl Stages {
    /// Extracts a batch of documents stage by stage (see [`Pipeline::extract_all`]).
    fn extract_batch(&self, docs: Vec<(SourceDocument, Fingerprint)>) -> Vec<DocumentExtraction> {
        let sentences: Vec<Vec<Sentence>> = docs
            .iter()
            .map(|(doc, _)| {
                let mut sentences = normalize(&doc.text);
                self.ocr.apply(&mut sentences);
                sentences
            })
            .collect();
        let tokens: Vec<Vec<Vec<Token>>> = sentences
            .iter()
            .map(|doc| doc.iter().map(|s| self.segmenter.tag(&s.text)).collect())
            .collect();
        let mut mentions: Vec<Vec<Vec<Mention>>> = sentences
            .iter()
            .zip(&tokens)
            .map(|(doc, tokens)| {
                doc.iter()
                    .zip(tokens)
                    .map(|(s, t)| self.recognizer.recognize(&s.text, t))
                    .collect()
            })
            .collect();
        let mut resolutions: Vec<Resolution> = sentences
            .iter()
            .zip(&tokens)
            .zip(&mut mentions)
            .map(|((doc, tokens), mentions)| self.resolve(doc, tokens, mentions))
            .collect();
        let relations: Vec<Relations> = sentences
            .iter()
            .zip(&tokens)
            .zip(&mentions)
            .zip(&mut resolutions)
            .map(|(((doc, tokens), mentions), resolution)| {
                self.relator.relate(doc, tokens, mentions, resolution)
            })
            .collect();
        drop(tokens);
        docs.into_iter()
            .zip(sentences)
            .zip(mentions)
            .zip(resolutions)
            .zip(relations)
            .map(
                |(((((doc, fingerprint), sentences), mentions), resolution), relations)| {
                    DocumentExtraction {
                        doc,
                        sentences,
                        mentions,
                        resolution,
                        relations,
                        fingerprint,
                    }
                },
            )
            .collect()
    }

    /// Completes a document's mentions with what the whole document tells
    /// (short forms of its companies, anaphors, which of two regions is meant)
    /// and resolves them to its entities; each mention takes its entity's class.
    fn resolve(
        &self,
        sentences: &[Sentence],
        tokens: &[Vec<Token>],
        mentions: &mut [Vec<Mention>],
    ) -> Resolution {
        // Short forms of the companies the document names in full (卓越新能源 after
        // 芜湖卓越新能源科技有限公司) are names wherever they occur in it.
        let short_forms = self.recognizer.company_short_forms(mentions, &self.relator);
        for ((s, t), ms) in sentences.iter().zip(tokens).zip(mentions.iter_mut()) {
            self.recognizer
                .add_known_names(&s.text, t, &short_forms, ms);
        }
        let texts: Vec<&str> = sentences.iter().map(|s| s.text.as_str()).collect();
        self.recognizer
            .add_company_anaphors(&texts, tokens, mentions);
        self.relator.disambiguate_regions(mentions);
        let resolution = resolve_document(mentions, &self.relator, &self.anaphors);
        // A mention takes the class of the entity it resolved to (于磁电机, read as a
        // product word, names 赣州于磁电机科技有限公司).
        for (ms, es) in mentions.iter_mut().zip(&resolution.mention_entity) {
            for (m, e) in ms.iter_mut().zip(es) {
                if let Some(e) = e {
                    m.class = resolution.entities[*e].class;
                }
            }
        }
        resolution
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
            let toks: Vec<String> = pipeline.with_segmenter(|segmenter| {
                segmenter
                    .tag(&s.text)
                    .iter()
                    .map(|t| format!("{}/{}", t.word, t.tag))
                    .collect()
            });
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
    /// Wall time of each phase.
    pub phases: BuildPhases,
}

/// Wall time of a build's phases, in order: where a build's time goes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BuildPhases {
    /// Reading the inputs, comparing them with the store and extracting those
    /// that changed (on every worker).
    pub extraction: Duration,
    /// Unifying names across the documents of the store.
    pub unification: Duration,
    /// Making the quads (on every worker), writing them and the derived graphs
    /// into the store, and pruning.
    pub writing: Duration,
    /// Compacting the store (the store's own work, on one core); flushing it
    /// after a build that wrote nothing.
    pub compaction: Duration,
}

impl BuildPhases {
    /// The phases with their names, in order.
    pub fn named(&self) -> [(&'static str, Duration); 4] {
        [
            ("extraction", self.extraction),
            ("unification", self.unification),
            ("writing", self.writing),
            ("compaction", self.compaction),
        ]
    }
}

/// `phases: extraction 7.93 s, unification 0.21 s, writing 5.02 s, compaction 4.41 s`,
/// the line `ikg build --timings` prints, which `BuildPhases`' `FromStr` reads back.
impl std::fmt::Display for BuildPhases {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .named()
            .iter()
            .map(|(name, d)| format!("{name} {:.2} s", d.as_secs_f64()))
            .collect();
        write!(f, "phases: {}", parts.join(", "))
    }
}

impl std::str::FromStr for BuildPhases {
    type Err = String;

    /// Reads the line [`BuildPhases`] displays as.
    fn from_str(line: &str) -> Result<Self, Self::Err> {
        let err = || format!("not a line of build phases: {line:?}");
        let mut phases = BuildPhases::default();
        let list = line.trim().strip_prefix("phases: ").ok_or_else(err)?;
        for part in list.split(", ") {
            let (name, rest) = part.split_once(' ').ok_or_else(err)?;
            let seconds: f64 = rest
                .strip_suffix(" s")
                .and_then(|n| n.parse().ok())
                .filter(|n: &f64| n.is_finite() && *n >= 0.0)
                .ok_or_else(err)?;
            let slot = match name {
                "extraction" => &mut phases.extraction,
                "unification" => &mut phases.unification,
                "writing" => &mut phases.writing,
                "compaction" => &mut phases.compaction,
                _ => return Err(err()),
            };
            *slot = Duration::from_secs_f64(seconds);
        }
        Ok(phases)
    }
}

/// How a build treats the documents the store already holds.
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Extract and write every document again, even one whose text and
    /// extractor are those of its stored graph.
    pub force: bool,
}

/// Which stored documents a build removes: with [`PruneScope::new`], those
/// read from a file under one of its input roots (by the source path each
/// document keeps) whose id none of its input files gives any more, or whose
/// file is there but cannot be built now (a clean build of the folder has
/// neither); with [`PruneScope::documents`], the documents named. Documents read
/// from elsewhere (a folder built separately into the same store) are never
/// candidates of the first.
#[derive(Debug, Clone)]
pub struct PruneScope {
    roots: Vec<std::path::PathBuf>,
    present: HashSet<String>,
    named: Vec<String>,
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
        PruneScope {
            roots,
            present,
            named: Vec::new(),
        }
    }

    /// The scope that removes exactly the documents `ids` (`ikg remove`).
    pub fn documents(ids: &[String]) -> Self {
        PruneScope {
            roots: Vec::new(),
            present: HashSet::new(),
            named: ids.to_vec(),
        }
    }

    /// Whether the document `id`, read from `source`, is to be removed because
    /// its file is gone.
    fn drops(&self, id: &str, source: &str) -> bool {
        !self.present.contains(id) && self.covers(source)
    }

    /// Whether `source` lies under one of the build's input roots.
    fn covers(&self, source: &str) -> bool {
        let source = std::path::Path::new(source);
        self.roots.iter().any(|root| source.starts_with(root))
    }

    /// The stored documents this scope removes, of those stored (`sources`)
    /// and the inputs that could not be built now (`unbuildable`).
    fn doomed(
        &self,
        sources: &[(String, String)],
        unbuildable: &[crate::ingest::InputFile],
    ) -> Vec<String> {
        let gone = sources
            .iter()
            .filter(|(id, source)| self.drops(id, source))
            .map(|(id, _)| id.clone());
        let failed = unbuildable.iter().filter_map(|file| {
            let (id, source) = sources.iter().find(|(id, _)| *id == file.id)?;
            let same = same_file(std::path::Path::new(source), &file.path);
            (same && self.covers(source)).then(|| id.clone())
        });
        let mut doomed: Vec<String> = self
            .named
            .iter()
            .cloned()
            .chain(gone)
            .chain(failed)
            .collect();
        doomed.sort();
        doomed.dedup();
        doomed
    }
}

/// Whether two paths name the same file.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// What became of one input file.
enum Outcome {
    Extracted(Box<StoredDocument>),
    /// To be extracted once the stages are built (the file is read again then).
    Changed,
    Unchanged(Unchanged),
    /// The file cannot be read or decoded now.
    Unbuildable(String),
    /// Another file holds the document id.
    Failed(String),
}

/// A stored document whose graph is up to date with its file, with what
/// unification recorded of that graph: its names and renames.
struct Unchanged {
    /// Whether the file is one of the build's inputs (else a stored document's source).
    input: bool,
    file: crate::ingest::InputFile,
    fingerprint: Fingerprint,
    names: Vec<Name>,
    renames: Vec<Rename>,
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
/// across all the files given (see [`crate::unification`]), and each document's
/// graph replaces the one of the same name, whole (see
/// [`KnowledgeStore::write_documents`]). A document left unchanged whose
/// unification is no longer that of its stored graph is extracted and written
/// again, so the store is the one a build of these files into an empty store
/// gives. Unreadable files are reported in [`BuildSummary::failures`] and the
/// others still go in. `progress` is called once per file.
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
/// drops ([`PruneScope`]). The store records the build from its first write to
/// its clean end ([`KnowledgeStore::begin_build`]), so an interrupted build is
/// known and the next complete one clears the record.
pub fn build_and_prune(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    options: BuildOptions,
    prune_scope: Option<&PruneScope>,
    progress: &(dyn Fn() + Sync),
) -> Result<BuildSummary, StoreError> {
    let plan = plan_build(pipeline, Some(store), files, options, prune_scope, progress)?;
    write_build(pipeline, plan, store, files, options, prune_scope)
}

/// A document's names before unification, and the renames unification made.
type Unified = (Vec<Name>, Vec<Rename>);

/// A build worked out from its inputs and the store as it was read, ready to
/// be written: the documents to write (unified) and those to prune.
pub struct BuildPlan {
    records: Records,
    doomed: Vec<String>,
    extractions: Vec<StoredDocument>,
    unified: Vec<Unified>,
    summary: BuildSummary,
    seen: StoreState,
}

impl BuildPlan {
    /// The documents the plan writes (extracted, or written again for their names).
    pub fn documents_to_write(&self) -> usize {
        self.extractions.len()
    }
}

/// What a plan read of the store and every write changes: the stored
/// documents' sources and the unification records.
#[derive(PartialEq, Eq)]
struct StoreState {
    sources: Vec<(String, String)>,
    records: Option<Vec<u8>>,
}

impl StoreState {
    fn of(store: &KnowledgeStore) -> Result<Self, StoreError> {
        Ok(StoreState {
            sources: store.document_sources()?,
            records: store
                .folder()
                .and_then(|f| std::fs::read(f.join(crate::unification::RECORDS_FILE)).ok()),
        })
    }
}

/// Works a build out without writing: reads the inputs, extracts those whose
/// stored graphs are not up to date, and unifies names over the store as it
/// would be (see [`build_with`]). `store` may be opened read-only, or be none
/// when no store exists yet.
pub fn plan_build(
    pipeline: &Pipeline,
    store: Option<&KnowledgeStore>,
    files: &[crate::ingest::InputFile],
    options: BuildOptions,
    prune_scope: Option<&PruneScope>,
    progress: &(dyn Fn() + Sync),
) -> Result<BuildPlan, StoreError> {
    let started = Instant::now();
    let empty;
    let store = match store {
        Some(store) => store,
        None => {
            empty = KnowledgeStore::in_memory()?;
            &empty
        }
    };
    let seen = StoreState::of(store)?;
    if seen.sources.is_empty() {
        // Every input is extracted: the stages are built before the first needs them.
        pipeline.ready()?;
    }
    let records = Records::load(store);
    let taken: HashMap<&str, &str> = seen
        .sources
        .iter()
        .map(|(id, source)| (id.as_str(), source.as_str()))
        .collect();
    let Extracted {
        mut extractions,
        mut unchanged,
        unbuildable,
        mut summary,
    } = extract_changed(pipeline, store, files, &records, &taken, options, progress)?;
    let doomed =
        prune_scope.map_or_else(Vec::new, |scope| scope.doomed(&seen.sources, &unbuildable));
    let readable: HashSet<&str> = extractions
        .iter()
        .map(|ex| ex.id.as_str())
        .chain(unchanged.iter().map(|u| u.file.id.as_str()))
        .collect();
    let skip = |id: &str| readable.contains(id) || doomed.iter().any(|d| d == id);
    let others = other_stored(pipeline, store, &records, &seen.sources, &skip, files)?;
    drop(readable);
    extractions.extend(others.extracted);
    unchanged.extend(others.unchanged);
    summary.warnings.extend(others.warnings);
    summary.phases.extraction = started.elapsed();
    let unifying = Instant::now();
    let unified = unify_build(pipeline, &mut extractions, unchanged, &mut summary)?;
    summary.phases.unification = unifying.elapsed();
    Ok(BuildPlan {
        records,
        doomed,
        extractions,
        unified,
        summary,
        seen,
    })
}

/// Writes a planned build into `store` (opened for writing), then prunes. When
/// another build or a removal wrote the store after the plan read it, the
/// build is worked out again first, from the same inputs.
pub fn write_build(
    pipeline: &Pipeline,
    plan: BuildPlan,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    options: BuildOptions,
    prune_scope: Option<&PruneScope>,
) -> Result<BuildSummary, StoreError> {
    let plan = if StoreState::of(store)? == plan.seen {
        plan
    } else {
        plan_build(pipeline, Some(store), files, options, prune_scope, &|| {})?
    };
    let BuildPlan {
        mut records,
        doomed,
        extractions,
        unified,
        mut summary,
        ..
    } = plan;
    let writing = Instant::now();
    records.keep_in(store);
    // Everything is extracted: the writing reuses the stages' memory.
    pipeline.release_stages();
    release_free_memory();
    let wrote = !extractions.is_empty();
    // Into a store that held no documents, the summaries are written with the documents.
    let mut summaries_written = false;
    if wrote {
        // Records of graphs about to change go first: a graph without one is extracted again.
        records.forget(extractions.iter().map(|ex| ex.id.as_str()));
        records.save()?;
        store.begin_build(extractions.len())?;
        store.load_ontology()?;
        // What the records and the summary need is kept: each extraction is
        // dropped as soon as its quads are made.
        let mut graphs = Vec::with_capacity(extractions.len());
        for ex in &extractions {
            graphs.push((ex.id.clone(), ex.fingerprint.clone()));
            summary.warnings.extend(ex.warnings.iter().cloned());
            summary.documents += 1;
            summary.sentences += ex.sentence_count;
            summary.entities += ex.stated_entities();
            summary.relations += ex.facts.len();
            summary.investments += ex.investments.len();
        }
        let written = write_in_parallel(store, extractions)?;
        release_free_memory();
        summary.quads = written.quads;
        summaries_written = written.summaries;
        // Each document's names are dropped once recorded.
        for ((id, fingerprint), (names, renames)) in graphs.iter().zip(unified) {
            records.insert(id, fingerprint, &names, &renames);
        }
        records.save()?;
    }
    for id in &doomed {
        if store.remove_document(id)? {
            summary.pruned.push(id.clone());
        }
    }
    records.forget(doomed.iter().map(String::as_str));
    records.save()?;
    if wrote || !summary.pruned.is_empty() {
        // The summaries and the end of the build are written before the compaction, so
        // that the store is left in one level per index: a later open has no small
        // files to search besides, nor any compaction to start.
        if !summaries_written || !summary.pruned.is_empty() {
            store.refresh_summaries()?;
        }
        store.end_build()?;
        release_free_memory();
        summary.phases.writing = writing.elapsed();
        let compacting = Instant::now();
        store.compact()?;
        summary.phases.compaction = compacting.elapsed();
        return Ok(summary);
    }
    if !store.has_stats()? {
        // A store whose counts are missing (an interrupted build, an older ikg) gets them.
        store.refresh_summaries()?;
    }
    store.end_build()?;
    summary.phases.writing = writing.elapsed();
    let flushing = Instant::now();
    store.flush()?;
    summary.phases.compaction = flushing.elapsed();
    Ok(summary)
}

/// Gives the memory glibc's malloc freed so far back to the system. glibc keeps
/// what a phase of the build freed (the extractions, a batch of quads) in the
/// free lists of the thread that used it, where the next phase, on other
/// threads, does not reuse it: without this, a build's resident memory keeps
/// each phase's high-water mark and grows with the input. This is for programs
/// that use the library with glibc's malloc (its tests do); the `ikg` program
/// replaces it by mimalloc, which returns freed pages itself, and there this
/// call finds nothing to return.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the allocator's heaps to
    // the system; it takes no pointer and leaves allocated memory alone.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Documents extracted between two returns of free memory to the system
/// ([`release_free_memory`]).
const TRIM_EVERY_DOCUMENTS: usize = 500;

/// What reading and extracting a build's inputs gave.
struct Extracted {
    extractions: Vec<StoredDocument>,
    /// The inputs left as they are.
    unchanged: Vec<Unchanged>,
    /// The inputs that cannot be read or decoded now.
    unbuildable: Vec<crate::ingest::InputFile>,
    /// With the failures.
    summary: BuildSummary,
}

/// Reads every file and extracts those whose stored graph is not up to date
/// (or that unification has no record of). When the pipeline's stages are not
/// built yet, the files are first only compared with the store, and the stages
/// built and the changed files read again and extracted only if there are any.
fn extract_changed(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    files: &[crate::ingest::InputFile],
    records: &Records,
    taken: &HashMap<&str, &str>,
    options: BuildOptions,
    progress: &(dyn Fn() + Sync),
) -> Result<Extracted, StoreError> {
    use rayon::prelude::*;
    let extract_now = pipeline.is_ready();
    let extracted_count = std::sync::atomic::AtomicUsize::new(0);
    // Extractions kept from each document, trimming the heaps now and then.
    let keep = |ex: DocumentExtraction| {
        let count = extracted_count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if count % TRIM_EVERY_DOCUMENTS == TRIM_EVERY_DOCUMENTS - 1 {
            release_free_memory();
        }
        progress();
        Outcome::Extracted(Box::new(StoredDocument::of(&ex)))
    };
    let mut outcomes: Vec<Outcome> = extraction_tasks(files, |f| &f.path)
        .into_par_iter()
        .map(|task| {
            // The outcome of each file, but for the documents to extract now (None).
            let mut changed = Vec::new();
            let settled: Vec<Option<Outcome>> = task
                .iter()
                .map(|file| {
                    match compare_with_store(pipeline, store, file, records, taken, options) {
                        Comparison::Changed(doc) if extract_now => {
                            changed.push(doc);
                            None
                        }
                        Comparison::Changed(_) => Some(Outcome::Changed),
                        Comparison::Settled(outcome) => {
                            progress();
                            Some(outcome)
                        }
                    }
                })
                .collect();
            let mut extractions = Vec::with_capacity(changed.len());
            pipeline.extract_each(changed, |ex| extractions.push(keep(ex)));
            let mut extractions = extractions.into_iter();
            settled
                .into_iter()
                .map(|outcome| {
                    outcome.unwrap_or_else(|| {
                        extractions
                            .next()
                            .expect("an extraction per changed document")
                    })
                })
                .collect::<Vec<Outcome>>()
        })
        .flatten_iter()
        .collect();
    let changed: Vec<usize> = (0..outcomes.len())
        .filter(|&i| matches!(outcomes[i], Outcome::Changed))
        .collect();
    if !changed.is_empty() {
        pipeline.ready()?;
        let extracted: Vec<(usize, Outcome)> = extraction_tasks(&changed, |&i| &files[i].path)
            .into_par_iter()
            .map(|task| {
                let (mut read, mut outcomes) = (Vec::new(), Vec::new());
                for &i in task {
                    match files[i].read() {
                        Ok(doc) => read.push((i, doc)),
                        Err(e) => outcomes.push((i, Outcome::Unbuildable(e.to_string()))),
                    }
                }
                let (indices, docs): (Vec<usize>, Vec<SourceDocument>) = read.into_iter().unzip();
                let mut indices = indices.into_iter();
                pipeline.extract_each(docs, |ex| {
                    let i = indices.next().expect("an index per document");
                    outcomes.push((i, keep(ex)));
                });
                outcomes
            })
            .flatten_iter()
            .collect();
        for (i, outcome) in extracted {
            if matches!(outcome, Outcome::Unbuildable(_)) {
                progress();
            }
            outcomes[i] = outcome;
        }
    }
    let mut extracted = Extracted {
        extractions: Vec::new(),
        unchanged: Vec::new(),
        unbuildable: Vec::new(),
        summary: BuildSummary::default(),
    };
    for (outcome, file) in outcomes.into_iter().zip(files) {
        match outcome {
            Outcome::Extracted(ex) => extracted.extractions.push(*ex),
            Outcome::Unchanged(u) => extracted.unchanged.push(u),
            Outcome::Unbuildable(e) => {
                extracted.unbuildable.push(file.clone());
                extracted.summary.failures.push(e);
            }
            Outcome::Failed(e) => extracted.summary.failures.push(e),
            Outcome::Changed => unreachable!("every changed file was extracted"),
        }
    }
    Ok(extracted)
}

/// An input compared with the store.
enum Comparison {
    /// To be extracted.
    Changed(SourceDocument),
    /// Unchanged, or failed.
    Settled(Outcome),
}

/// Reads one input and compares it with the store: unchanged (its stored
/// graph and record are up to date), or to be extracted, or failed.
fn compare_with_store(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    file: &crate::ingest::InputFile,
    records: &Records,
    taken: &HashMap<&str, &str>,
    options: BuildOptions,
) -> Comparison {
    let doc = match file.read() {
        Err(e) => return Comparison::Settled(Outcome::Unbuildable(e.to_string())),
        Ok(doc) => doc,
    };
    if let Some(other) = taken_by_another_file(taken, &doc) {
        return Comparison::Settled(Outcome::Failed(format!(
            "{}: its document id {} is taken in the store by {other}, another file \
             that is still there (built from another folder?); build both from a \
             common parent folder, or into another store",
            doc.source_path, doc.id
        )));
    }
    let graph = vocab::document_iri(&doc.id);
    let fingerprint = pipeline.fingerprint(&doc);
    let recorded = records.of(&doc.id, &fingerprint);
    match (store.has_fingerprint(&graph, &fingerprint), recorded) {
        (Ok(true), Some((names, renames))) if !options.force => {
            Comparison::Settled(Outcome::Unchanged(Unchanged {
                input: true,
                file: file.clone(),
                fingerprint,
                names,
                renames,
            }))
        }
        _ => Comparison::Changed(doc),
    }
}

/// The stored documents a build neither reads nor prunes, which unification
/// counts all the same.
#[derive(Default)]
struct OtherStored {
    /// Those whose records describe their graphs.
    unchanged: Vec<Unchanged>,
    /// Those without a record, extracted again from their files.
    extracted: Vec<StoredDocument>,
    /// Those neither recorded nor readable as they were, one line each.
    warnings: Vec<String>,
}

/// The stored documents read from files (by the source path each keeps) that
/// `skip` does not name: each with its record, or extracted again from its file
/// when that file still has the stored fingerprint, or else left out of
/// unification with a warning.
fn other_stored(
    pipeline: &Pipeline,
    store: &KnowledgeStore,
    records: &Records,
    sources: &[(String, String)],
    skip: &dyn Fn(&str) -> bool,
    inputs: &[crate::ingest::InputFile],
) -> Result<OtherStored, StoreError> {
    let decoding = inputs.first().map(|f| f.decoding).unwrap_or_default();
    let mut others = OtherStored::default();
    for (id, source) in sources {
        if skip(id) {
            continue;
        }
        let graph = vocab::document_iri(id);
        let file = crate::ingest::InputFile {
            path: source.into(),
            id: id.clone(),
            decoding,
        };
        if let Some((fingerprint, names, renames)) = records.stored(&file.id)
            && store.has_fingerprint(&graph, &fingerprint)?
        {
            others.unchanged.push(Unchanged {
                input: false,
                file,
                fingerprint,
                names,
                renames,
            });
            continue;
        }
        match file.read() {
            Ok(doc) if store.has_fingerprint(&graph, &pipeline.fingerprint(&doc))? => {
                pipeline.ready()?;
                others.extracted.push(extract_for_store(pipeline, doc));
            }
            _ => others.warnings.push(format!(
                "{}: left as stored, its names out of the unification across documents \
                 (its file {} changed or is gone; build it again)",
                file.id,
                file.path.display()
            )),
        }
    }
    Ok(others)
}

/// The source of the stored document that has `doc`'s id, when that is another
/// file that still exists (two folders built separately, each with a `report.txt`).
fn taken_by_another_file<'t>(
    taken: &HashMap<&str, &'t str>,
    doc: &SourceDocument,
) -> Option<&'t str> {
    let stored = *taken.get(doc.id.as_str())?;
    let other = std::path::Path::new(stored);
    let same =
        doc.source_path.is_empty() || same_file(other, std::path::Path::new(&doc.source_path));
    (!same && other.exists()).then_some(stored)
}

/// Input files cut into runs (by the sizes on disk of the files at `path`) of
/// about [`EXTRACTION_BATCH_BYTES`], or of an eighth of a worker's share of the
/// input when that is less, so that every worker gets several: each run is one
/// parallel task, read and extracted as a batch (see [`Pipeline::extract_all`]).
pub(crate) fn extraction_tasks<'a, T>(
    items: &'a [T],
    path: impl Fn(&'a T) -> &'a Path,
) -> Vec<&'a [T]> {
    let sizes: Vec<usize> = items
        .iter()
        .map(|item| std::fs::metadata(path(item)).map_or(0, |m| m.len() as usize))
        .collect();
    let per_task = (sizes.iter().sum::<usize>() / (rayon::current_num_threads() * 8))
        .clamp(1, EXTRACTION_BATCH_BYTES);
    runs_of(&sizes, per_task)
        .into_iter()
        .map(|run| &items[run])
        .collect()
}

/// Consecutive runs of items of these sizes, each closed as soon as it holds
/// `per_run` (the last may hold less).
fn runs_of(sizes: &[usize], per_run: usize) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, size) in sizes.iter().enumerate() {
        bytes += size;
        if bytes >= per_run {
            runs.push(start..i + 1);
            (start, bytes) = (i + 1, 0);
        }
    }
    if start < sizes.len() {
        runs.push(start..sizes.len());
    }
    runs
}

/// Extracts a document, keeping only what the store needs.
fn extract_for_store(pipeline: &Pipeline, doc: SourceDocument) -> StoredDocument {
    StoredDocument::of(&pipeline.extract(doc))
}

/// Unifies the entities of a build over the names of all its documents: gives
/// each extraction its full names, and extracts again (adding them to
/// `extractions`) the unchanged documents whose renames are no longer those of
/// their stored graphs. Sets the number of documents left unchanged. Returns,
/// for each extraction in order, its names before unification and its renames.
fn unify_build(
    pipeline: &Pipeline,
    extractions: &mut Vec<StoredDocument>,
    unchanged: Vec<Unchanged>,
    summary: &mut BuildSummary,
) -> Result<Vec<Unified>, StoreError> {
    use rayon::prelude::*;
    let mut names: Vec<Vec<Name>> = extractions.iter().map(names_of).collect();
    let unifier = Unifier::new(
        names
            .iter()
            .chain(unchanged.iter().map(|u| &u.names))
            .flatten(),
        pipeline,
    );
    let (stale, kept): (Vec<Unchanged>, Vec<Unchanged>) = unchanged
        .into_iter()
        .partition(|u| unifier.renames(&u.names) != u.renames);
    summary.unchanged = kept.iter().filter(|u| u.input).count();
    if !stale.is_empty() {
        pipeline.ready()?;
    }
    let again: Vec<Result<StoredDocument, String>> = stale
        .par_iter()
        .map(|u| match u.file.read() {
            Ok(doc) if pipeline.fingerprint(&doc) == u.fingerprint => {
                Ok(extract_for_store(pipeline, doc))
            }
            _ => Err(format!(
                "{}: left as stored, its names not unified again with the other documents' \
                     (its file {} changed or is gone; build it again)",
                u.file.id,
                u.file.path.display()
            )),
        })
        .collect();
    for ex in again {
        match ex {
            Ok(ex) => {
                names.push(names_of(&ex));
                extractions.push(ex);
            }
            Err(e) => summary.warnings.push(e),
        }
    }
    Ok(extractions
        .par_iter_mut()
        .zip(names)
        .map(|(ex, names)| {
            let renames = unifier.apply(ex, &names);
            (names, renames)
        })
        .collect())
}

/// Turns the extractions into quads on every core (dropping each once its
/// quads are made) and writes them from one thread, fed through a bounded
/// channel.
fn write_in_parallel(
    store: &KnowledgeStore,
    extractions: Vec<StoredDocument>,
) -> Result<Written, StoreError> {
    use rayon::prelude::*;
    std::thread::scope(|scope| {
        let (sender, receiver) =
            std::sync::mpsc::sync_channel::<DocumentQuads>(WRITE_QUEUE_DOCUMENTS);
        let writer = scope.spawn(move || store.write_documents(receiver));
        extractions
            .into_par_iter()
            .for_each_with(sender, |sender, ex| {
                let quads = (vocab::document_iri(&ex.id), stored_quads(&ex));
                drop(ex);
                // A send fails only when the writer stopped on an error, which join reports.
                let _ = sender.send(quads);
            });
        writer.join().expect("the store writer does not panic")
    })
}

/// A document's graph and its quads, as the store writer takes them.
type DocumentQuads = (oxigraph::model::NamedNode, Vec<oxigraph::model::Quad>);

/// Documents waiting for the store writer, at most.
const WRITE_QUEUE_DOCUMENTS: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn build_phases_are_read_back_from_their_line() {
        let phases = BuildPhases {
            extraction: Duration::from_millis(7930),
            unification: Duration::from_millis(210),
            writing: Duration::from_millis(5020),
            compaction: Duration::from_millis(4410),
        };
        let line = phases.to_string();
        assert_eq!(
            line,
            "phases: extraction 7.93 s, unification 0.21 s, writing 5.02 s, compaction 4.41 s"
        );
        assert_eq!(line.parse::<BuildPhases>(), Ok(phases));
        for bad in [
            "4 documents (0 unchanged, skipped) in 0.6 s",
            "phases: extraction 7.93",
            "phases: extraction -1 s",
            "phases: sorting 1.00 s",
        ] {
            assert!(bad.parse::<BuildPhases>().is_err(), "{bad}");
        }
    }

    #[test]
    fn runs_close_as_soon_as_they_hold_a_batch() {
        let batch = 1000;
        let sizes = [500, 500, 2500, 30, 30, 999, 1, 20];
        assert_eq!(runs_of(&sizes, batch), [0..2, 2..3, 3..6, 6..8]);
        assert!(runs_of(&[], batch).is_empty());
        assert_eq!(runs_of(&[0, 0, 1000, 5], batch), [0..3, 3..4]);
    }

    #[test]
    fn an_unchanged_rebuild_plans_without_building_the_extraction_stages() {
        let dir = tempfile::tempdir().expect("scratch folder");
        let input = dir.path().join("input");
        std::fs::create_dir(&input).expect("input folder");
        std::fs::write(
            input.join("report.txt"),
            "星河新材料有限公司位于青山高新区，牵头组建省级新材料创新中心。",
        )
        .expect("input file");
        let files = crate::ingest::scan_inputs(&[input], Default::default()).files;
        let store = KnowledgeStore::open(&dir.path().join("kg")).expect("store");
        let first = Pipeline::deferred(Resources::bundled().expect("resources"));
        first.ready().expect("stages");
        build(&first, &store, &files, &|| {}).expect("first build");
        // The plan of a rebuild (before writing, which releases the stages).
        let again = Pipeline::deferred(Resources::bundled().expect("resources"));
        let plan = plan_build(
            &again,
            Some(&store),
            &files,
            BuildOptions::default(),
            None,
            &|| {},
        )
        .expect("rebuild planned");
        assert_eq!(plan.summary.unchanged, 1);
        assert!(plan.extractions.is_empty());
        assert!(!again.is_ready(), "the rebuild built the extraction stages");
    }

    #[test]
    fn a_small_input_is_cut_into_several_tasks_for_the_workers() {
        let dir = tempfile::tempdir().expect("scratch folder");
        let files: Vec<std::path::PathBuf> = (0..40)
            .map(|i| {
                let path = dir.path().join(format!("{i:02}.txt"));
                std::fs::write(&path, "字".repeat(1000)).expect("writable scratch folder");
                path
            })
            .collect();
        let tasks = extraction_tasks(&files, |p| p.as_path());
        assert!(
            tasks.len() >= rayon::current_num_threads() * 4,
            "{}",
            tasks.len()
        );
        let flat: Vec<&std::path::PathBuf> = tasks.iter().flat_map(|t| t.iter()).collect();
        assert_eq!(flat, files.iter().collect::<Vec<_>>());
    }
}
