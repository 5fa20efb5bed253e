//! Store: the RDF representation of a document's extraction and the embedded
//! oxigraph store (RocksDB on disk) that keeps it, one named graph per document.
//!
//! Representation (see `ontology/ikg.ttl` and the README):
//! - `doc:X a ikg:Document` with its file name and sentence count;
//! - each entity: `rdf:type`, `rdfs:label` (canonical name, `@zh`), `skos:altLabel`
//!   for the other forms, `ikg:mentionedIn doc:X`;
//! - each relation as a plain triple, plus an RDF 1.2 reifier
//!   `<doc/X/fact/N> rdf:reifies <<( s p o )>>` of class `ikg:Evidence`, carrying
//!   `ikg:evidenceText`, `ikg:sourceDocument`, `ikg:charOffset`, `ikg:extractedBy`
//!   (and `ikg:role` for `worksFor`);
//! - investments as `ikg:investmentYuan` (`xsd:decimal`), or for an amount in another
//!   currency `ikg:investmentAmount` (`xsd:decimal`, not converted) with `ikg:currency`
//!   (its ISO 4217 code), and `ikg:investmentText`, reified the same way.
//!
//! A document is written in one transaction that first clears its graph, so a
//! rebuild replaces it whole and an interrupted build leaves the old version.

use crate::extraction::{DocumentExtraction, Fingerprint, StoredDocument};
use crate::vocab::{self, Class, Property};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    BlankNode, GraphName, GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef,
    NamedOrBlankNode, Quad, QuadRef, Term, Triple,
};
use oxigraph::sparql::{CancellationToken, QueryExplanation, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use thiserror::Error;

/// The ontology, loaded into its own graph at every build.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/ikg.ttl");
/// The graph that holds the ontology.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/ikg/ontology";

/// The graph that describes each entity once, whatever the number of documents
/// naming it: `rdf:type` for every class a document gives it, and its
/// `rdfs:label`; and each post a document states once (see `post_quads`).
/// Derived from the documents' graphs after every build and removal.
pub const ENTITIES_GRAPH: &str = "https://w3id.org/ikg/entities";
/// The graph of the store's counts (documents, entities per class, relations per
/// property), written after every build and removal; absent while a build or a
/// removal is under way, or after one was interrupted.
pub const STATS_GRAPH: &str = "https://w3id.org/ikg/stats";

/// The graph that records a build under way: `<build> ikg:documentsToWrite N`
/// when it starts writing, and a node `ikg:documentsWritten n` added in the
/// commit of each batch of `n` documents. A clean end of the build removes it,
/// so a store that holds it was left by an interrupted build (or is being written).
pub const BUILD_GRAPH: &str = "https://w3id.org/ikg/build";

/// A store or query failure.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The extraction stages could not be built from the data files.
    #[error("{0}")]
    Setup(String),
    /// RocksDB or oxigraph storage failure.
    #[error("store: {0}")]
    Storage(#[from] StorageError),
    /// The ontology could not be loaded.
    #[error("ontology: {0}")]
    Load(#[from] oxigraph::store::LoaderError),
    /// The query does not parse (one line, with line and column).
    #[error("{0}")]
    Syntax(String),
    /// The path exists and is not an ikg store.
    #[error("{}: {reason}", path.display())]
    NotAStore {
        /// The path.
        path: std::path::PathBuf,
        /// Why it is refused.
        reason: String,
    },
    /// The store's database was being created when its build was stopped: it
    /// holds nothing yet, and a build completes it.
    #[error(
        "{}: holds an unfinished database, nothing stored yet (a build was stopped while \
         creating it); build again",
        path.display()
    )]
    Unfinished {
        /// The store's folder.
        path: std::path::PathBuf,
    },
    /// Another process holds the store for writing.
    #[error("store is being written by another ikg build (pid {pid})")]
    Busy {
        /// The writer's process id, as it recorded it, or `unknown`.
        pid: String,
    },
    /// The query failed while running.
    #[error("query: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
}

/// The knowledge-graph store.
pub struct KnowledgeStore {
    store: Store,
    /// The store's folder (none in memory).
    folder: Option<std::path::PathBuf>,
    /// Whether this process opened it for writing (its writer record is removed on close).
    writer: bool,
}

impl Drop for KnowledgeStore {
    fn drop(&mut self) {
        if let (Some(path), true) = (&self.folder, self.writer) {
            crate::store_dir::forget_writer(path);
        }
    }
}

impl KnowledgeStore {
    /// Opens the store at `path` for writing, creating it if the path does not
    /// exist or is an empty folder. A path that holds anything else is refused,
    /// and so is a store another process is writing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        crate::store_dir::prepare_for_writing(path)?;
        let store = Store::open(path).map_err(|e| crate::store_dir::explain_open_error(path, e))?;
        crate::store_dir::record_writer(path);
        Ok(KnowledgeStore {
            store,
            folder: Some(path.to_path_buf()),
            writer: true,
        })
    }

    /// Opens an existing store for reading only. It needs no lock, so it works
    /// while a build writes the store, and sees the documents committed when it
    /// was opened.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        crate::store_dir::check_readable(path)?;
        let store = crate::store_dir::retry_transient(|| Store::open_read_only(path))
            .map_err(|e| crate::store_dir::explain_read_only_error(path, e))?;
        Ok(KnowledgeStore {
            store,
            folder: Some(path.to_path_buf()),
            writer: false,
        })
    }

    /// An in-memory store (for tests and one-off runs).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(KnowledgeStore {
            store: Store::new()?,
            folder: None,
            writer: false,
        })
    }

    /// The store's folder, where files beside the database (such as
    /// [`crate::unification::RECORDS_FILE`]) are kept; none in memory.
    pub fn folder(&self) -> Option<&Path> {
        self.folder.as_deref()
    }

    /// The underlying oxigraph store.
    pub fn inner(&self) -> &Store {
        &self.store
    }

    /// Replaces the ontology graph with the bundled ontology.
    pub fn load_ontology(&self) -> Result<(), StoreError> {
        let graph = NamedNode::new_unchecked(ONTOLOGY_GRAPH);
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(&graph)?;
        tx.load_from_slice(
            oxigraph::io::RdfParser::from_format(RdfFormat::Turtle).with_default_graph(graph),
            ONTOLOGY_TTL.as_bytes(),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Replaces the graph of one document with its extraction, atomically.
    /// Returns the number of quads written.
    pub fn replace_document(&self, ex: &DocumentExtraction) -> Result<usize, StoreError> {
        let quads = document_quads(ex);
        let n = quads.len();
        self.replace_graphs(&[(vocab::document_iri(&ex.doc.id), quads)], None)?;
        Ok(n)
    }

    /// Replaces graphs in one transaction that clears each before writing it,
    /// adding `progress` (the build's record of them) in the same commit.
    fn replace_graphs(
        &self,
        graphs: &[(NamedNode, Vec<Quad>)],
        progress: Option<Quad>,
    ) -> Result<(), StoreError> {
        if graphs.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.start_transaction()?;
        for (graph, quads) in graphs {
            tx.clear_graph(graph)?;
            tx.extend(quads.iter());
        }
        tx.extend(progress.iter());
        tx.commit()?;
        Ok(())
    }

    /// Writes documents' graphs, each replacing the graph of the same name, whole
    /// or not at all. Graphs new to the store go through oxigraph's bulk loader:
    /// batches of whole documents are made into sorted files (on up to
    /// `LOADER_THREADS` threads while the next batch is gathered), and the
    /// files of many batches are added to the store in one atomic ingestion
    /// (see `INGESTED_BATCHES`), so that the store merges its files once, at
    /// the compaction after the build, instead of after every few batches;
    /// graphs the store already holds (or that came
    /// earlier in the same call) are replaced in batched transactions that clear
    /// each graph first. While a build is recorded ([`KnowledgeStore::begin_build`]),
    /// each commit also records how many documents it wrote.
    ///
    /// Into a store that holds no documents, the derived graphs (entities and
    /// counts) are tallied from the quads as they pass and written with the last
    /// ingestion, without reading anything back (see `SummaryTally`), unless a
    /// graph came twice; [`Written::summaries`] tells whether they were.
    pub fn write_documents(
        &self,
        documents: impl IntoIterator<Item = (NamedNode, Vec<Quad>)>,
    ) -> Result<Written, StoreError> {
        self.drop_stats()?;
        let entities = NamedNodeRef::new_unchecked(ENTITIES_GRAPH);
        let mut tally = (!self.holds_documents()?
            && self
                .store
                .quads_for_pattern(None, None, None, Some(entities.into()))
                .next()
                .transpose()?
                .is_none())
        .then(SummaryTally::default);
        let recording = self
            .store
            .contains_named_graph(NamedNodeRef::new_unchecked(BUILD_GRAPH))?;
        let progress = |documents: usize| recording.then(|| documents_written_quad(documents));
        let mut new_graphs = NewGraphs {
            store: self,
            progress: &progress,
            loader: None,
            loaded: 0,
            batch: Vec::new(),
            documents: 0,
        };
        let mut replaced: Vec<(NamedNode, Vec<Quad>)> = Vec::new();
        let mut replaced_quads = 0;
        let mut seen = std::collections::HashSet::new();
        let mut quads_written = 0;
        for (graph, quads) in documents {
            quads_written += quads.len();
            if let Some(tally) = &mut tally {
                tally.add(&graph, &quads);
            }
            let repeated = !seen.insert(graph.clone());
            if repeated || self.store.contains_named_graph(&graph)? {
                if repeated {
                    // The earlier version may wait in the bulk load: it goes in first.
                    new_graphs.commit()?;
                }
                replaced_quads += quads.len();
                replaced.push((graph, quads));
                if replaced_quads >= TRANSACTION_QUADS {
                    new_graphs.commit()?;
                    let batch = std::mem::take(&mut replaced);
                    self.replace_graphs(&batch, progress(batch.len()))?;
                    replaced_quads = 0;
                }
            } else {
                new_graphs.add(quads)?;
            }
        }
        let tally = tally.filter(SummaryTally::is_whole);
        if let Some(tally) = &tally {
            new_graphs.add_derived(tally.entity_quads())?;
        }
        new_graphs.commit()?;
        self.replace_graphs(&replaced, progress(replaced.len()))?;
        if let Some(tally) = &tally {
            self.write_counts(tally.counts())?;
        }
        Ok(Written {
            quads: quads_written,
            summaries: tally.is_some(),
        })
    }

    /// Records that a build starts writing `documents` documents (see [`BUILD_GRAPH`]).
    pub fn begin_build(&self, documents: usize) -> Result<(), StoreError> {
        let graph = NamedNode::new_unchecked(BUILD_GRAPH);
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(&graph)?;
        tx.insert(&Quad::new(
            graph.clone(),
            vocab::ikg("documentsToWrite"),
            Literal::from(documents as u64),
            graph.clone(),
        ));
        tx.commit()?;
        Ok(())
    }

    /// Removes the record of a build: it ended cleanly.
    pub fn end_build(&self) -> Result<(), StoreError> {
        self.remove_graph_if_present(BUILD_GRAPH)
    }

    /// The build the store records as not finished, if any: the documents it
    /// wrote and the documents it set out to write.
    pub fn unfinished_build(&self) -> Result<Option<(u64, u64)>, StoreError> {
        let graph = NamedNodeRef::new_unchecked(BUILD_GRAPH);
        let sum = |property: &str| -> Result<Option<u64>, StoreError> {
            let mut total = None;
            for quad in self.store.quads_for_pattern(
                None,
                Some(vocab::ikg(property).as_ref()),
                None,
                Some(graph.into()),
            ) {
                if let Term::Literal(n) = quad?.object {
                    *total.get_or_insert(0) += n.value().parse::<u64>().unwrap_or(0);
                }
            }
            Ok(total)
        };
        let Some(to_write) = sum("documentsToWrite")? else {
            return Ok(None);
        };
        Ok(Some((sum("documentsWritten")?.unwrap_or(0), to_write)))
    }

    /// Loads quads with the bulk loader, and `progress` (the build's record of
    /// them) with them, committed as one atomic ingestion.
    fn bulk_load(&self, quads: Vec<Quad>, progress: Option<Quad>) -> Result<(), StoreError> {
        if quads.is_empty() {
            return Ok(());
        }
        let mut loader = self.store.bulk_loader().with_num_threads(1);
        loader.load_quads(quads.into_iter().chain(progress))?;
        loader.commit()?;
        Ok(())
    }

    /// Whether the store holds the graph `graph` extracted with `fingerprint`.
    pub fn has_fingerprint(
        &self,
        graph: &NamedNode,
        fingerprint: &Fingerprint,
    ) -> Result<bool, StoreError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let holds = |property: &str, value: &str| {
            self.store.contains(QuadRef::new(
                graph,
                &vocab::ikg(property),
                LiteralRef::new_simple_literal(value),
                g,
            ))
        };
        Ok(holds("contentHash", &fingerprint.content)?
            && holds("extractedWith", &fingerprint.extractor)?)
    }

    /// Prepares a SPARQL query over the union of all graphs, with the project's prefixes.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>, StoreError> {
        self.query_cancellable(sparql, CancellationToken::new())
    }

    /// Like [`KnowledgeStore::query`]; the evaluation stops with an error once `token` is cancelled.
    pub fn query_cancellable(
        &self,
        sparql: &str,
        token: CancellationToken,
    ) -> Result<QueryResults<'static>, StoreError> {
        let mut prepared = evaluator()
            .with_cancellation_token(token)
            .parse_query(sparql)
            .map_err(|e| StoreError::Syntax(crate::query::syntax_message(sparql, &e)))?;
        prepared.dataset_mut().set_default_graph_as_union();
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// Like [`KnowledgeStore::query_cancellable`], with oxigraph's explanation of
    /// the evaluation: its plan, and the rows and time of each step once the
    /// results have been read to the end.
    pub fn query_explained(
        &self,
        sparql: &str,
        token: CancellationToken,
    ) -> Result<(Result<QueryResults<'static>, StoreError>, QueryExplanation), StoreError> {
        let mut prepared = evaluator()
            .with_cancellation_token(token)
            .parse_query(sparql)
            .map_err(|e| StoreError::Syntax(crate::query::syntax_message(sparql, &e)))?;
        prepared.dataset_mut().set_default_graph_as_union();
        let (results, explanation) = prepared
            .on_store(&self.store)
            .compute_statistics()
            .explain();
        Ok((results.map_err(StoreError::from), explanation))
    }

    /// Flushes writes to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.store.flush()?;
        Ok(())
    }

    /// Removes the graph of the document `doc_id` in one transaction.
    /// Returns whether the store held that document.
    pub fn remove_document(&self, doc_id: &str) -> Result<bool, StoreError> {
        let graph = vocab::document_iri(doc_id);
        if !self.store.contains_named_graph(&graph)? {
            return Ok(false);
        }
        let mut tx = self.store.start_transaction()?;
        tx.remove_named_graph(&graph)?;
        tx.remove_named_graph(NamedNodeRef::new_unchecked(STATS_GRAPH))?;
        tx.commit()?;
        Ok(true)
    }

    /// Every stored document that keeps the path of its source file: its id and that path.
    pub fn document_sources(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut sources = Vec::new();
        for quad in
            self.store
                .quads_for_pattern(None, Some(vocab::ikg("sourcePath").as_ref()), None, None)
        {
            let quad = quad?;
            let (NamedOrBlankNode::NamedNode(doc), Term::Literal(path), GraphName::NamedNode(g)) =
                (&quad.subject, &quad.object, &quad.graph_name)
            else {
                continue;
            };
            if doc == g
                && let Some(id) = document_id(doc.as_str())
            {
                sources.push((id, path.value().to_string()));
            }
        }
        sources.sort();
        Ok(sources)
    }

    /// Drops the counts before the documents change: they come back, true, with
    /// [`KnowledgeStore::refresh_summaries`] once the writing is done.
    fn drop_stats(&self) -> Result<(), StoreError> {
        self.remove_graph_if_present(STATS_GRAPH)
    }

    /// Removes one of the store's own graphs (`iri`), in a transaction of its own,
    /// when it is there.
    fn remove_graph_if_present(&self, iri: &str) -> Result<(), StoreError> {
        let graph = NamedNodeRef::new_unchecked(iri);
        if self.store.contains_named_graph(graph)? {
            let mut tx = self.store.start_transaction()?;
            tx.remove_named_graph(graph)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Whether the store holds its counts (a build or removal finished since the
    /// documents last changed).
    pub fn has_stats(&self) -> Result<bool, StoreError> {
        Ok(self
            .store
            .contains_named_graph(NamedNodeRef::new_unchecked(STATS_GRAPH))?)
    }

    /// Whether the store holds any document's graph.
    pub fn holds_documents(&self) -> Result<bool, StoreError> {
        let document = vocab::ikg("Document");
        let mut typed = self.store.quads_for_pattern(
            None,
            Some(rdf::TYPE),
            Some(document.as_ref().into()),
            None,
        );
        Ok(typed.next().transpose()?.is_some())
    }

    /// Derives the entities graph ([`ENTITIES_GRAPH`]) and the counts
    /// ([`STATS_GRAPH`]) from the documents' graphs, read back by queries (see
    /// `KnowledgeStore::write_summaries`).
    pub fn refresh_summaries(&self) -> Result<(), StoreError> {
        let entities = NamedNodeRef::new_unchecked(ENTITIES_GRAPH);
        let mut wanted: HashSet<Quad> =
            self.select_quads(&entity_descriptions_query(), entities)?;
        let mut persons = HashSet::new();
        let mut names: HashMap<&NamedNode, Vec<&Term>> = HashMap::new();
        for q in &wanted {
            if let NamedOrBlankNode::NamedNode(s) = &q.subject {
                if q.predicate == rdfs::LABEL {
                    names.entry(s).or_default().push(&q.object);
                } else if q.object == Term::from(Class::Person.iri()) {
                    persons.insert(s);
                }
            }
        }
        let stated = self.stated_posts()?;
        let posts = post_quads(
            stated.keys().filter(|(x, _)| persons.contains(x)),
            |node| names.get(node).map_or(&[][..], Vec::as_slice),
            &stated,
        );
        wanted.extend(posts);
        self.write_summaries(wanted, || self.queried_counts())
    }

    /// Every person and organisation an `ikg:worksFor` fact of the documents'
    /// graphs links, with the words of the post where the fact's evidence in
    /// the same graph gives them (its `ikg:role`; none otherwise): one scan of
    /// the facts, each evidence looked up from its fact.
    fn stated_posts(&self) -> Result<PostTitles, StoreError> {
        let sparql = format!(
            "SELECT DISTINCT ?x ?o ?role WHERE {{ GRAPH ?g {{ ?x ikg:worksFor ?o \
               OPTIONAL {{ ?r rdf:reifies <<( ?x ikg:worksFor ?o )>> ; ikg:role ?role }} }} \
             FILTER(?g != <{ENTITIES_GRAPH}>) }}"
        );
        let QueryResults::Solutions(rows) = self.query(&sparql)? else {
            return Ok(PostTitles::new());
        };
        let mut posts = PostTitles::new();
        for row in rows {
            let row = row?;
            if let (Some(Term::NamedNode(x)), Some(Term::NamedNode(o))) =
                (row.get("x"), row.get("o"))
            {
                let titles = posts.entry((x.clone(), o.clone())).or_default();
                titles.extend(row.get("role").cloned());
            }
        }
        Ok(posts)
    }

    /// Writes the entities graph `wanted` and then the counts: the entities
    /// graph is bulk-loaded when empty, else brought up to date in one
    /// transaction that adds and removes only what changed; the counts (made by
    /// `counts` once the entities graph is written) go last.
    fn write_summaries(
        &self,
        wanted: HashSet<Quad>,
        counts: impl FnOnce() -> Result<Counts, StoreError>,
    ) -> Result<(), StoreError> {
        let entities = NamedNodeRef::new_unchecked(ENTITIES_GRAPH);
        let held: HashSet<Quad> = self
            .store
            .quads_for_pattern(None, None, None, Some(entities.into()))
            .collect::<Result<_, _>>()?;
        if held.is_empty() {
            self.bulk_load(wanted.into_iter().collect(), None)?;
        } else {
            let mut tx = self.store.start_transaction()?;
            for q in held.difference(&wanted) {
                tx.remove(q);
            }
            for q in wanted.difference(&held) {
                tx.insert(q);
            }
            tx.commit()?;
        }
        self.write_counts(counts()?)
    }

    /// Replaces the counts graph with `counts`.
    fn write_counts(&self, counts: Counts) -> Result<(), StoreError> {
        let counts = count_quads(counts);
        let stats = NamedNodeRef::new_unchecked(STATS_GRAPH);
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(stats)?;
        tx.insert_named_graph(stats);
        tx.extend(counts.iter());
        tx.commit()?;
        Ok(())
    }

    /// The counts of the store's graphs, by queries (the entities per class
    /// from the entities graph).
    fn queried_counts(&self) -> Result<Counts, StoreError> {
        let documents =
            "SELECT (ikg:Document AS ?key) (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a ikg:Document }";
        Ok(Counts {
            documents: self
                .counts(documents)?
                .into_iter()
                .map(|(_, n)| n)
                .collect(),
            entities: self.counts(&entities_per_class_query())?,
            relations: self.counts(&relations_per_property_query(false))?,
            evidenced: self.counts(&relations_per_property_query(true))?,
        })
    }

    /// The rows `?key ?n` of a counting query.
    fn counts(&self, sparql: &str) -> Result<Vec<(NamedNode, Literal)>, StoreError> {
        let QueryResults::Solutions(rows) = self.query(sparql)? else {
            return Ok(Vec::new());
        };
        let mut counts = Vec::new();
        for row in rows {
            let row = row?;
            if let (Some(Term::NamedNode(key)), Some(Term::Literal(n))) =
                (row.get("key"), row.get("n"))
            {
                counts.push((key.clone(), n.clone()));
            }
        }
        Ok(counts)
    }

    /// The quads of `graph` a SELECT gives as rows of `?s ?p ?o`.
    fn select_quads(
        &self,
        sparql: &str,
        graph: NamedNodeRef<'_>,
    ) -> Result<HashSet<Quad>, StoreError> {
        let QueryResults::Solutions(rows) = self.query(sparql)? else {
            return Ok(HashSet::new());
        };
        let mut quads = HashSet::new();
        for row in rows {
            let row = row?;
            if let (Some(Term::NamedNode(s)), Some(Term::NamedNode(p)), Some(o)) =
                (row.get("s"), row.get("p"), row.get("o"))
            {
                quads.insert(Quad::new(s.clone(), p.clone(), o.clone(), graph));
            }
        }
        Ok(quads)
    }

    /// Flushes writes and compacts the store after a build, so that the next
    /// open replays no log and the store on disk is its real size.
    pub fn compact(&self) -> Result<(), StoreError> {
        self.store.flush()?;
        self.store.optimize()?;
        Ok(())
    }
}

/// The figures of the counts graph, each with its class or property IRI.
struct Counts {
    /// The number of documents (one value).
    documents: Vec<Literal>,
    /// The distinct entities of each class that has any.
    entities: Vec<(NamedNode, Literal)>,
    /// The distinct facts of each relation property that has any.
    relations: Vec<(NamedNode, Literal)>,
    /// The distinct facts of each relation property with an evidence reifier.
    evidenced: Vec<(NamedNode, Literal)>,
}

/// The counts graph: `<stats> ikg:documentCount N`, and for each class and
/// relation property `<stats/Name> ikg:countOf ikg:Name ; ikg:entityCount N`
/// (or `ikg:relationCount N ; ikg:evidencedRelationCount M`), leaving out
/// those with none.
fn count_quads(counts: Counts) -> Vec<Quad> {
    let stats = NamedNode::new_unchecked(STATS_GRAPH);
    let mut quads = Vec::new();
    let mut add = |s: &NamedNode, p: NamedNode, o: Term| {
        quads.push(Quad::new(s.clone(), p, o, stats.clone()));
    };
    for n in counts.documents {
        add(&stats, vocab::ikg("documentCount"), n.into());
    }
    let node = |key: &NamedNode| {
        let local = key.as_str().strip_prefix(vocab::IKG).unwrap_or_default();
        NamedNode::new_unchecked(format!("{STATS_GRAPH}/{local}"))
    };
    for (figures, count) in [
        (&counts.entities, "entityCount"),
        (&counts.relations, "relationCount"),
    ] {
        for (key, n) in figures {
            let subject = node(key);
            add(&subject, vocab::ikg("countOf"), key.clone().into());
            add(&subject, vocab::ikg(count), n.clone().into());
        }
    }
    for (key, _) in &counts.relations {
        let n = counts
            .evidenced
            .iter()
            .find(|(evidenced, _)| evidenced == key)
            .map_or_else(|| Literal::from(0), |(_, n)| n.clone());
        add(&node(key), vocab::ikg("evidencedRelationCount"), n.into());
    }
    quads
}

/// What the derived graphs are made of, tallied from documents' quads as a
/// build writes them ([`KnowledgeStore::write_documents`]): documents,
/// entities with their classes and labels, relation facts and the facts that
/// evidence reifies. Each entity is held once, numbered ([`SummaryTally::nodes`]),
/// and the rest refers to it by its number, so that the tally of a large build
/// stays small.
#[derive(Debug, Default)]
struct SummaryTally {
    graphs: HashSet<NamedNode>,
    /// Whether a graph came twice (its first version's quads are tallied too).
    repeated: bool,
    documents: HashSet<NamedOrBlankNode>,
    /// The entities and the ends of relation facts, each once: the others'
    /// numbers index it.
    nodes: indexmap::IndexSet<NamedOrBlankNode>,
    classes: HashSet<(u32, Class)>,
    labels: HashSet<(u32, Term)>,
    relations: HashSet<Fact>,
    /// The relation facts that evidence reifies.
    reified: HashSet<Fact>,
    titles: PostTitles,
}

/// A relation fact of the tally: subject, property, object (numbers of nodes).
type Fact = (u32, Property, u32);

/// The words of the posts the documents state (`ikg:role` on the evidence of
/// a `worksFor` fact), by person and organisation.
type PostTitles = HashMap<(NamedNode, NamedNode), HashSet<Term>>;

/// The entities graph's statement of each post (a person's `worksFor` fact),
/// once whatever the number of documents stating it: a node named after the
/// person and organisation (`<…/entities/post/HASH>`) with `ikg:postHolder` the
/// person, `ikg:postIn` the organisation, their names (`ikg:postHolderName`,
/// `ikg:postInName`, from `names`) and `ikg:postTitle` the words of the post
/// where a document gives them, so that a query lists people and their posts
/// by one scan, without joining names or reading the evidence's triple terms.
fn post_quads<'a>(
    pairs: impl Iterator<Item = &'a (NamedNode, NamedNode)>,
    names: impl Fn(&NamedNode) -> &'a [&'a Term],
    titles: &PostTitles,
) -> Vec<Quad> {
    let graph = NamedNode::new_unchecked(ENTITIES_GRAPH);
    let mut quads = Vec::new();
    for pair @ (person, organisation) in pairs {
        let mut hash = crate::resources::fnv1a(0, person.as_str().as_bytes());
        hash = crate::resources::fnv1a(hash, b"\n");
        hash = crate::resources::fnv1a(hash, organisation.as_str().as_bytes());
        let post = NamedNode::new_unchecked(format!("{ENTITIES_GRAPH}/post/{hash:016x}"));
        let mut quad = |p: &str, o: Term| {
            quads.push(Quad::new(post.clone(), vocab::ikg(p), o, graph.clone()));
        };
        quad("postHolder", person.clone().into());
        quad("postIn", organisation.clone().into());
        for name in names(person) {
            quad("postHolderName", (*name).clone());
        }
        for name in names(organisation) {
            quad("postInName", (*name).clone());
        }
        for title in titles.get(pair).into_iter().flatten() {
            quad("postTitle", title.clone());
        }
    }
    quads
}

impl SummaryTally {
    /// Tallies the quads of the document graph `graph`.
    fn add(&mut self, graph: &NamedNode, quads: &[Quad]) {
        self.repeated |= !self.graphs.insert(graph.clone());
        self.add_posts(quads);
        let document = vocab::ikg("Document");
        for q in quads {
            let predicate = q.predicate.as_ref();
            match (&q.subject, &q.object) {
                (s, Term::NamedNode(o)) if predicate == rdf::TYPE && *o == document => {
                    self.documents.insert(s.clone());
                }
                (s @ NamedOrBlankNode::NamedNode(_), Term::NamedNode(o))
                    if predicate == rdf::TYPE =>
                {
                    if let Some(class) = class_of(o.as_str()) {
                        let entity = self.number(s);
                        self.classes.insert((entity, class));
                    }
                }
                (s @ NamedOrBlankNode::NamedNode(_), o) if predicate == rdfs::LABEL => {
                    let entity = self.number(s);
                    self.labels.insert((entity, o.clone()));
                }
                (_, Term::Triple(t)) if predicate == rdf::REIFIES => {
                    if let Some(fact) = self.fact(&t.subject, t.predicate.as_ref(), &t.object) {
                        self.reified.insert(fact);
                    }
                }
                (s, o) => {
                    if let Some(fact) = self.fact(s, predicate, o) {
                        self.relations.insert(fact);
                    }
                }
            }
        }
    }

    /// The number of `node`, numbering it if it is new.
    fn number(&mut self, node: &NamedOrBlankNode) -> u32 {
        let index = match self.nodes.get_index_of(node) {
            Some(index) => index,
            None => self.nodes.insert_full(node.clone()).0,
        };
        u32::try_from(index).expect("fewer than 2^32 entities")
    }

    /// The relation fact `s p o`, when `p` is a relation property and `o` an entity.
    fn fact(&mut self, s: &NamedOrBlankNode, p: NamedNodeRef<'_>, o: &Term) -> Option<Fact> {
        let Term::NamedNode(o) = o else {
            return None;
        };
        if !o.as_str().starts_with(vocab::ID) {
            return None;
        }
        let property = property_of(p.as_str())?;
        let object = self.number(&NamedOrBlankNode::NamedNode(o.clone()));
        Some((self.number(s), property, object))
    }

    /// Tallies the post titles of one document's quads (see [`KnowledgeStore::stated_posts`]).
    fn add_posts(&mut self, quads: &[Quad]) {
        let works_for = Property::WorksFor.iri();
        let role = vocab::ikg("role");
        let mut facts: HashMap<&NamedOrBlankNode, (&NamedNode, &NamedNode)> = HashMap::new();
        for q in quads
            .iter()
            .filter(|q| q.predicate.as_ref() == rdf::REIFIES)
        {
            if let Term::Triple(t) = &q.object
                && let (NamedOrBlankNode::NamedNode(x), Term::NamedNode(o)) =
                    (&t.subject, &t.object)
                && t.predicate == works_for
            {
                facts.insert(&q.subject, (x, o));
            }
        }
        for q in quads.iter().filter(|q| q.predicate == role) {
            if let Some((x, o)) = facts.get(&q.subject) {
                self.titles
                    .entry(((*x).clone(), (*o).clone()))
                    .or_default()
                    .insert(q.object.clone());
            }
        }
    }

    /// Whether the tally holds every document once: no graph came twice.
    fn is_whole(&self) -> bool {
        !self.repeated
    }

    /// The entities graph: each entity's classes and its labels, each quad once.
    fn entity_quads(&self) -> impl Iterator<Item = Quad> + '_ {
        let graph = NamedNode::new_unchecked(ENTITIES_GRAPH);
        let entities: HashSet<u32> = self.classes.iter().map(|(e, _)| *e).collect();
        let node = |e: u32| self.nodes[e as usize].clone();
        let class_graph = graph.clone();
        let classes = self.classes.iter().map(move |(e, class)| {
            Quad::new(node(*e), rdf::TYPE, class.iri(), class_graph.clone())
        });
        let labels = self
            .labels
            .iter()
            .filter(move |(e, _)| entities.contains(e))
            .map(move |(e, label)| Quad::new(node(*e), rdfs::LABEL, label.clone(), graph.clone()));
        classes.chain(labels).chain(self.post_quads())
    }

    /// The entities graph's statement of each post (see [`post_quads`]).
    fn post_quads(&self) -> Vec<Quad> {
        let named = |e: u32| match &self.nodes[e as usize] {
            NamedOrBlankNode::NamedNode(n) => Some(n),
            NamedOrBlankNode::BlankNode(_) => None,
        };
        let described: HashSet<u32> = self.classes.iter().map(|(e, _)| *e).collect();
        let mut names: HashMap<&NamedNode, Vec<&Term>> = HashMap::new();
        for (e, label) in self.labels.iter().filter(|(e, _)| described.contains(e)) {
            if let Some(node) = named(*e) {
                names.entry(node).or_default().push(label);
            }
        }
        let pairs: Vec<(NamedNode, NamedNode)> = self
            .relations
            .iter()
            .filter(|(x, p, _)| {
                *p == Property::WorksFor && self.classes.contains(&(*x, Class::Person))
            })
            .filter_map(|(x, _, o)| Some((named(*x)?.clone(), named(*o)?.clone())))
            .collect();
        post_quads(
            pairs.iter(),
            |node| names.get(node).map_or(&[][..], Vec::as_slice),
            &self.titles,
        )
    }

    /// The counts of the tallied documents.
    fn counts(&self) -> Counts {
        let mut per_class: std::collections::BTreeMap<Class, u64> = Default::default();
        for (_, class) in &self.classes {
            *per_class.entry(*class).or_default() += 1;
        }
        // For each property (by its IRI): its facts, and those evidenced.
        let mut per_property: std::collections::BTreeMap<String, (u64, u64)> = Default::default();
        for fact in &self.relations {
            let entry = per_property
                .entry(fact.1.iri().as_str().to_string())
                .or_default();
            entry.0 += 1;
            entry.1 += u64::from(self.reified.contains(fact));
        }
        let iri = |p: &str| NamedNode::new_unchecked(p);
        Counts {
            documents: vec![Literal::from(self.documents.len() as u64)],
            entities: per_class
                .into_iter()
                .map(|(class, n)| (class.iri(), Literal::from(n)))
                .collect(),
            relations: per_property
                .iter()
                .map(|(p, (n, _))| (iri(p), Literal::from(*n)))
                .collect(),
            evidenced: per_property
                .iter()
                .filter(|(_, (_, n))| *n > 0)
                .map(|(p, (_, n))| (iri(p), Literal::from(*n)))
                .collect(),
        }
    }
}

/// The documents new to the store, on their way through the bulk loader:
/// quads gathered into batches of whole documents, each made into sorted files
/// by the loader (in a thread of its own while the next is gathered), and the
/// files of [`INGESTED_BATCHES`] batches added to the store at once, atomically.
struct NewGraphs<'a> {
    store: &'a KnowledgeStore,
    /// The build's record of a number of documents written, if it keeps one.
    progress: &'a dyn Fn(usize) -> Option<Quad>,
    /// Started with the first batch after a commit.
    loader: Option<oxigraph::store::BulkLoader<'a>>,
    /// The batches the loader took since it started.
    loaded: usize,
    batch: Vec<Quad>,
    /// The documents given since the last commit.
    documents: usize,
}

impl NewGraphs<'_> {
    /// Adds one document's quads.
    fn add(&mut self, quads: Vec<Quad>) -> Result<(), StoreError> {
        self.batch.extend(quads);
        self.documents += 1;
        if self.batch.len() >= BULK_BATCH_QUADS {
            if self.loaded + 1 == INGESTED_BATCHES {
                self.commit()?;
            } else {
                self.send()?;
            }
        }
        Ok(())
    }

    /// Adds quads of the derived graphs, for the coming commit.
    fn add_derived(&mut self, quads: impl Iterator<Item = Quad>) -> Result<(), StoreError> {
        for quad in quads {
            self.batch.push(quad);
            if self.batch.len() >= BULK_BATCH_QUADS {
                self.send()?;
            }
        }
        Ok(())
    }

    /// Hands the gathered batch to the loader.
    fn send(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let store = &self.store.store;
        self.loader
            .get_or_insert_with(|| store.bulk_loader().with_num_threads(loader_threads()))
            .load_quads(batch)?;
        self.loaded += 1;
        Ok(())
    }

    /// Adds everything given so far to the store in one atomic ingestion, with
    /// the build's record of the documents.
    fn commit(&mut self) -> Result<(), StoreError> {
        if self.documents > 0 {
            let documents = std::mem::take(&mut self.documents);
            self.batch.extend((self.progress)(documents));
        }
        self.send()?;
        if let Some(loader) = self.loader.take() {
            loader.commit()?;
        }
        self.loaded = 0;
        Ok(())
    }
}

/// A batch's record in [`BUILD_GRAPH`]: `[] ikg:documentsWritten n`.
fn documents_written_quad(documents: usize) -> Quad {
    Quad::new(
        BlankNode::default(),
        vocab::ikg("documentsWritten"),
        Literal::from(documents as u64),
        NamedNode::new_unchecked(BUILD_GRAPH),
    )
}

/// The document id a document IRI names (the inverse of [`vocab::document_iri`]).
fn document_id(iri: &str) -> Option<String> {
    let encoded = iri.strip_prefix(vocab::DOC)?;
    let bytes = encoded.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = (bytes[i] == b'%')
            .then(|| encoded.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escape {
            Some(byte) => {
                decoded.push(byte);
                i += 3;
            }
            None => {
                decoded.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// `VALUES` terms of the entity classes.
fn class_values() -> String {
    Class::ALL
        .iter()
        .map(|c| c.iri().to_string())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Rows `?s ?p ?o` of the entities graph: each class and canonical name of every
/// entity, read from the documents' graphs, each once.
fn entity_descriptions_query() -> String {
    let classes = class_values();
    format!(
        "SELECT DISTINCT ?s ?p ?o WHERE {{ {{ \
           {{ SELECT DISTINCT ?s ?o WHERE {{ VALUES ?o {{ {classes} }} GRAPH ?g {{ ?s a ?o }} \
              FILTER(?g != <{ENTITIES_GRAPH}>) }} }} \
           BIND(rdf:type AS ?p) \
         }} UNION {{ \
           {{ SELECT DISTINCT ?s WHERE {{ VALUES ?c {{ {classes} }} GRAPH ?g {{ ?s a ?c }} \
              FILTER(?g != <{ENTITIES_GRAPH}>) }} }} \
           {{ SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s rdfs:label ?o }} FILTER(?g != <{ENTITIES_GRAPH}>) }} }} \
           BIND(rdfs:label AS ?p) \
         }} }}"
    )
}

/// The distinct entities of each class, from the entities graph, as rows `?key ?n`.
fn entities_per_class_query() -> String {
    format!(
        "SELECT ?key (COUNT(?e) AS ?n) WHERE {{ VALUES ?key {{ {} }} \
         GRAPH <{ENTITIES_GRAPH}> {{ ?e a ?key }} }} GROUP BY ?key",
        class_values()
    )
}

/// The distinct facts `s p o` between entities of each relation property, over
/// all documents, as rows `?key ?n`; with `evidenced`, only those with an
/// evidence reifier (`?r rdf:reifies <<( s p o )>>`).
fn relations_per_property_query(evidenced: bool) -> String {
    let properties = Property::ALL
        .iter()
        .map(|p| p.iri().to_string())
        .collect::<Vec<_>>()
        .join(" ");
    let evidence = if evidenced {
        "FILTER EXISTS { ?r rdf:reifies <<( ?s ?key ?o )>> }"
    } else {
        ""
    };
    format!(
        "SELECT ?key (COUNT(*) AS ?n) WHERE {{ \
         {{ SELECT DISTINCT ?s ?key ?o WHERE {{ VALUES ?key {{ {properties} }} \
         ?s ?key ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?o), STR(id:))) }} }} {evidence} }} GROUP BY ?key"
    )
}

/// Quads per bulk-loaded batch: enough for the store to write large sorted
/// files, few enough to hold in memory.
const BULK_BATCH_QUADS: usize = 50_000;

/// Bulk-loaded batches whose files the store takes in one ingestion (3.2
/// million quads, the documents of some 180 MB of text): the store merges its
/// files after each ingestion, which the compaction after the build does
/// again, so a build of that size is ingested once; the files wait on disk,
/// not in memory. A build interrupted before an ingestion loses its batches
/// (their documents are extracted again by the next build).
const INGESTED_BATCHES: usize = 64;

/// Threads on which the bulk loader makes batches into files, at most: each
/// holds a batch and its encoding in memory.
const LOADER_THREADS: usize = 2;

/// The bulk loader's threads for a build: as many as its workers (rayon's
/// threads, `RAYON_NUM_THREADS`), up to [`LOADER_THREADS`].
fn loader_threads() -> usize {
    rayon::current_num_threads().clamp(1, LOADER_THREADS)
}

/// What [`KnowledgeStore::write_documents`] wrote.
#[derive(Debug, Clone, Copy)]
pub struct Written {
    /// The quads of the documents' graphs.
    pub quads: usize,
    /// Whether the derived graphs (entities and counts) were written with them.
    pub summaries: bool,
}

/// Quads per transaction that replaces graphs already in the store.
const TRANSACTION_QUADS: usize = 50_000;

/// A SPARQL evaluator that knows the project's prefixes (`ikg:`, `id:`, `doc:`, …).
pub fn evaluator() -> SparqlEvaluator {
    let mut evaluator = SparqlEvaluator::new();
    for (p, iri) in vocab::PREFIXES {
        evaluator = evaluator.with_prefix(*p, *iri).expect("valid prefix IRI");
    }
    evaluator
}

/// The quads of one document's graph.
pub fn document_quads(ex: &DocumentExtraction) -> Vec<Quad> {
    stored_quads(&StoredDocument::of(ex))
}

/// The quads of one document's graph, from what a build keeps of its extraction.
pub fn stored_quads(ex: &StoredDocument) -> Vec<Quad> {
    let doc = vocab::document_iri(&ex.id);
    let g = GraphName::NamedNode(doc.clone());
    let mut quads = Vec::new();
    let mut add =
        |s: NamedOrBlankNode, p: NamedNode, o: Term| quads.push(Quad::new(s, p, o, g.clone()));
    let zh = |s: &str| Literal::new_language_tagged_literal_unchecked(s, "zh");
    let int = |n: usize| Literal::new_typed_literal(n.to_string(), xsd::INTEGER);
    add(
        doc.clone().into(),
        rdf::TYPE.into(),
        vocab::ikg("Document").into(),
    );
    add(
        doc.clone().into(),
        rdfs::LABEL.into(),
        Literal::new_simple_literal(&*ex.file_name).into(),
    );
    add(
        doc.clone().into(),
        vocab::ikg("sentenceCount"),
        int(ex.sentence_count).into(),
    );
    add(
        doc.clone().into(),
        vocab::ikg("encoding"),
        Literal::new_simple_literal(ex.encoding).into(),
    );
    add(
        doc.clone().into(),
        vocab::ikg("contentHash"),
        Literal::new_simple_literal(&ex.fingerprint.content).into(),
    );
    add(
        doc.clone().into(),
        vocab::ikg("extractedWith"),
        Literal::new_simple_literal(&ex.fingerprint.extractor).into(),
    );
    if !ex.source_path.is_empty() {
        add(
            doc.clone().into(),
            vocab::ikg("sourcePath"),
            Literal::new_simple_literal(&*ex.source_path).into(),
        );
    }

    for e in ex.entities.iter().filter(|e| e.stated) {
        let iri: NamedOrBlankNode = vocab::entity_iri(&e.canonical).into();
        add(iri.clone(), rdf::TYPE.into(), e.class.iri().into());
        add(iri.clone(), rdfs::LABEL.into(), zh(&e.canonical).into());
        for l in e.labels.iter().filter(|l| **l != e.canonical) {
            add(iri.clone(), vocab::skos("altLabel"), zh(l).into());
        }
        add(iri, vocab::ikg("mentionedIn"), doc.clone().into());
    }
    let mut n = 0;
    let mut evidence = |add: &mut dyn FnMut(NamedOrBlankNode, NamedNode, Term),
                        triple: Triple,
                        sentence: u32,
                        rule: &str,
                        role: Option<&str>| {
        n += 1;
        let r: NamedOrBlankNode = vocab::fact_iri(&ex.id, n).into();
        let s = &ex.cited[sentence as usize];
        add(
            r.clone(),
            rdf::REIFIES.into(),
            Term::Triple(Box::new(triple)),
        );
        add(r.clone(), rdf::TYPE.into(), vocab::ikg("Evidence").into());
        add(r.clone(), vocab::ikg("evidenceText"), zh(&s.text).into());
        add(r.clone(), vocab::ikg("sourceDocument"), doc.clone().into());
        add(r.clone(), vocab::ikg("charOffset"), int(s.offset).into());
        add(
            r.clone(),
            vocab::ikg("extractedBy"),
            Literal::new_simple_literal(rule).into(),
        );
        if let Some(role) = role {
            add(r, vocab::ikg("role"), zh(role).into());
        }
    };
    let entity = |i: u32| vocab::entity_iri(&ex.entities[i as usize].canonical);
    for f in &ex.facts {
        let t = Triple::new(entity(f.subject), f.property.iri(), entity(f.object));
        add(t.subject.clone(), t.predicate.clone(), t.object.clone());
        evidence(&mut add, t, f.sentence, &f.rule, f.role.as_deref());
    }
    for inv in &ex.investments {
        let project = entity(inv.project);
        let amount = Literal::new_typed_literal(&*inv.amount, xsd::DECIMAL);
        // Yuan are stored as such; another currency keeps its amount and code (no exchange rate).
        let t = if inv.currency == "CNY" {
            Triple::new(project.clone(), vocab::ikg("investmentYuan"), amount)
        } else {
            add(
                project.clone().into(),
                vocab::ikg("currency"),
                Literal::new_simple_literal(inv.currency).into(),
            );
            Triple::new(project.clone(), vocab::ikg("investmentAmount"), amount)
        };
        add(t.subject.clone(), t.predicate.clone(), t.object.clone());
        add(
            project.into(),
            vocab::ikg("investmentText"),
            zh(&inv.text).into(),
        );
        evidence(&mut add, t, inv.sentence, &inv.rule, None);
    }
    // Each quad once, where it first comes (two entities unified under one name
    // state it twice): the set holds references, so no quad is copied.
    let mut seen = rustc_hash::FxHashSet::default();
    seen.reserve(quads.len());
    let first: Vec<bool> = quads.iter().map(|q| seen.insert(q)).collect();
    drop(seen);
    let mut first = first.into_iter();
    quads.retain(|_| first.next().unwrap_or(true));
    quads
}

/// The relation property an IRI names, if any.
fn property_of(iri: &str) -> Option<Property> {
    iri.strip_prefix(vocab::IKG)
        .and_then(Property::from_local_name)
}

/// Whether a class IRI is one of the schema's entity classes.
pub fn class_of(iri: &str) -> Option<Class> {
    iri.strip_prefix(vocab::IKG)
        .and_then(Class::from_local_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extraction::{CitedSentence, StoredEntity, StoredFact};

    fn entity(name: &str, class: Class) -> StoredEntity {
        StoredEntity {
            canonical: name.into(),
            class,
            labels: vec![name.into()],
            stated: true,
        }
    }

    /// Two entities that unification gave one name state the same quads: the
    /// graph holds each once, where it first came.
    #[test]
    fn a_document_states_each_quad_once_in_the_order_made() {
        let park = "青山高新区";
        let doc = StoredDocument {
            id: "news/a".into(),
            file_name: "a.txt".into(),
            source_path: "".into(),
            encoding: "UTF-8",
            warnings: Vec::new(),
            fingerprint: Fingerprint {
                content: "0".into(),
                extractor: "test".into(),
            },
            sentence_count: 1,
            entities: vec![
                entity("星河新材料有限公司", Class::Company),
                entity(park, Class::Park),
                entity(park, Class::Park),
            ],
            facts: vec![StoredFact {
                subject: 0,
                property: Property::LocatedIn,
                object: 2,
                sentence: 0,
                rule: "test".into(),
                role: None,
            }],
            investments: Vec::new(),
            cited: vec![CitedSentence {
                text: "星河新材料有限公司位于青山高新区。".into(),
                offset: 0,
            }],
        };
        let quads = stored_quads(&doc);
        let distinct: HashSet<&Quad> = quads.iter().collect();
        assert_eq!(distinct.len(), quads.len());
        let label = |name: &str| {
            quads.iter().position(|q| {
                q.predicate == rdfs::LABEL
                    && q.object == Literal::new_language_tagged_literal_unchecked(name, "zh").into()
            })
        };
        let park_iri = vocab::entity_iri(park);
        let park_quads = quads
            .iter()
            .filter(|q| q.subject == park_iri.clone().into())
            .count();
        // Type, label and mentionedIn once; the company's quads come first.
        assert_eq!(park_quads, 3);
        assert!(label("星河新材料有限公司") < label(park));
        assert!(quads.iter().any(
            |q| q.predicate == Property::LocatedIn.iri() && q.object == park_iri.clone().into()
        ));
    }
}
