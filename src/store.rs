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

use crate::extraction::{DocumentExtraction, Fingerprint};
use crate::vocab::{self, Class};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{
    GraphName, GraphNameRef, Literal, LiteralRef, NamedNode, NamedOrBlankNode, Quad, QuadRef, Term,
    Triple,
};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::{StorageError, Store};
use std::path::Path;
use thiserror::Error;

/// The ontology, loaded into its own graph at every build.
pub const ONTOLOGY_TTL: &str = include_str!("../ontology/ikg.ttl");
/// The graph that holds the ontology.
pub const ONTOLOGY_GRAPH: &str = "https://w3id.org/ikg/ontology";

/// A store or query failure.
#[derive(Debug, Error)]
pub enum StoreError {
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
}

impl KnowledgeStore {
    /// Opens the store at `path` for writing, creating it if the path does not
    /// exist or is an empty folder. A path that holds anything else is refused,
    /// and so is a store another process is writing.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        crate::store_dir::prepare_for_writing(path)?;
        let store = Store::open(path).map_err(|e| crate::store_dir::explain_open_error(path, e))?;
        crate::store_dir::record_writer(path);
        Ok(KnowledgeStore { store })
    }

    /// Opens an existing store for reading only. It needs no lock, so it works
    /// while a build writes the store, and sees the documents committed when it
    /// was opened.
    pub fn open_read_only(path: &Path) -> Result<Self, StoreError> {
        crate::store_dir::check_readable(path)?;
        let store = crate::store_dir::retry_transient(|| Store::open_read_only(path))?;
        Ok(KnowledgeStore { store })
    }

    /// An in-memory store (for tests and one-off runs).
    pub fn in_memory() -> Result<Self, StoreError> {
        Ok(KnowledgeStore {
            store: Store::new()?,
        })
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
        self.replace_graphs(&[(vocab::document_iri(&ex.doc.id), quads)])?;
        Ok(n)
    }

    /// Replaces graphs in one transaction that clears each before writing it.
    fn replace_graphs(&self, graphs: &[(NamedNode, Vec<Quad>)]) -> Result<(), StoreError> {
        if graphs.is_empty() {
            return Ok(());
        }
        let mut tx = self.store.start_transaction()?;
        for (graph, quads) in graphs {
            tx.clear_graph(graph)?;
            tx.extend(quads.iter());
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes documents' graphs, each replacing the graph of the same name, whole
    /// or not at all. Graphs new to the store go through oxigraph's bulk loader
    /// (sorted files ingested at once), in batches of whole documents each
    /// committed atomically; graphs the store already holds (or that came earlier
    /// in the same call) are replaced in batched transactions that clear each
    /// graph first. Returns the number of quads written.
    pub fn write_documents(
        &self,
        documents: impl IntoIterator<Item = (NamedNode, Vec<Quad>)>,
    ) -> Result<usize, StoreError> {
        let mut new_graphs: Vec<Quad> = Vec::new();
        let mut replaced: Vec<(NamedNode, Vec<Quad>)> = Vec::new();
        let mut replaced_quads = 0;
        let mut seen = std::collections::HashSet::new();
        let mut quads_written = 0;
        for (graph, quads) in documents {
            quads_written += quads.len();
            let repeated = !seen.insert(graph.clone());
            if repeated || self.store.contains_named_graph(&graph)? {
                if repeated {
                    // The earlier version may wait in the bulk batch: it goes in first.
                    self.bulk_load(std::mem::take(&mut new_graphs))?;
                }
                replaced_quads += quads.len();
                replaced.push((graph, quads));
                if replaced_quads >= TRANSACTION_QUADS {
                    self.replace_graphs(&std::mem::take(&mut replaced))?;
                    replaced_quads = 0;
                }
            } else {
                new_graphs.extend(quads);
                if new_graphs.len() >= BULK_BATCH_QUADS {
                    self.bulk_load(std::mem::take(&mut new_graphs))?;
                }
            }
        }
        self.bulk_load(new_graphs)?;
        self.replace_graphs(&replaced)?;
        Ok(quads_written)
    }

    /// Loads quads with the bulk loader, committed as one atomic ingestion.
    fn bulk_load(&self, quads: Vec<Quad>) -> Result<(), StoreError> {
        if quads.is_empty() {
            return Ok(());
        }
        let mut loader = self.store.bulk_loader().with_num_threads(1);
        loader.load_quads(quads)?;
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

    /// The class and canonical name of every entity stored in `graph`.
    pub fn entity_names(&self, graph: &NamedNode) -> Result<Vec<(Class, String)>, StoreError> {
        let g = GraphNameRef::NamedNode(graph.as_ref());
        let mut names = Vec::new();
        for quad in self
            .store
            .quads_for_pattern(None, Some(rdf::TYPE), None, Some(g))
        {
            let quad = quad?;
            let Term::NamedNode(class) = &quad.object else {
                continue;
            };
            let Some(class) = class_of(class.as_str()) else {
                continue;
            };
            for label in self.store.quads_for_pattern(
                Some(quad.subject.as_ref()),
                Some(rdfs::LABEL),
                None,
                Some(g),
            ) {
                if let Term::Literal(label) = label?.object {
                    names.push((class, label.value().to_string()));
                }
            }
        }
        Ok(names)
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
        tx.commit()?;
        Ok(true)
    }

    /// Flushes writes and compacts the store after a build, so that the next
    /// open replays no log and the store on disk is its real size.
    pub fn compact(&self) -> Result<(), StoreError> {
        self.store.flush()?;
        self.store.optimize()?;
        Ok(())
    }
}

/// Quads per bulk-loaded batch: enough for the store to write large sorted
/// files, few enough to hold in memory.
const BULK_BATCH_QUADS: usize = 100_000;

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
    let doc = vocab::document_iri(&ex.doc.id);
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
        Literal::new_simple_literal(&ex.doc.file_name).into(),
    );
    add(
        doc.clone().into(),
        vocab::ikg("sentenceCount"),
        int(ex.sentences.len()).into(),
    );
    add(
        doc.clone().into(),
        vocab::ikg("encoding"),
        Literal::new_simple_literal(ex.doc.encoding).into(),
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
    if !ex.doc.source_path.is_empty() {
        add(
            doc.clone().into(),
            vocab::ikg("sourcePath"),
            Literal::new_simple_literal(&ex.doc.source_path).into(),
        );
    }

    let used = ex.used_entities();
    for (i, e) in ex.resolution.entities.iter().enumerate() {
        if !used[i] {
            continue;
        }
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
                        sentence: usize,
                        rule: &str,
                        role: Option<&str>| {
        n += 1;
        let r: NamedOrBlankNode = vocab::fact_iri(&ex.doc.id, n).into();
        let s = &ex.sentences[sentence];
        add(
            r.clone(),
            rdf::REIFIES.into(),
            Term::Triple(Box::new(triple)),
        );
        add(r.clone(), rdf::TYPE.into(), vocab::ikg("Evidence").into());
        add(r.clone(), vocab::ikg("evidenceText"), zh(&s.text).into());
        add(r.clone(), vocab::ikg("sourceDocument"), doc.clone().into());
        add(r.clone(), vocab::ikg("charOffset"), int(s.offset()).into());
        add(
            r.clone(),
            vocab::ikg("extractedBy"),
            Literal::new_simple_literal(rule).into(),
        );
        if let Some(role) = role {
            add(r, vocab::ikg("role"), zh(role).into());
        }
    };
    let entity = |i: usize| vocab::entity_iri(&ex.resolution.entities[i].canonical);
    for f in &ex.relations.facts {
        let t = Triple::new(entity(f.subject), f.property.iri(), entity(f.object));
        add(t.subject.clone(), t.predicate.clone(), t.object.clone());
        evidence(&mut add, t, f.sentence, &f.rule, f.role.as_deref());
    }
    for inv in &ex.relations.investments {
        let project = entity(inv.project);
        let amount = Literal::new_typed_literal(&inv.amount, xsd::DECIMAL);
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
    let mut seen = std::collections::HashSet::new();
    quads.retain(|q| seen.insert(q.clone()));
    quads
}

/// Whether a class IRI is one of the schema's entity classes.
pub fn class_of(iri: &str) -> Option<Class> {
    iri.strip_prefix(vocab::IKG)
        .and_then(Class::from_local_name)
}
