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

use crate::pipeline::DocumentExtraction;
use crate::vocab::{self, Class};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term, Triple};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
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
    /// The query does not parse.
    #[error("query syntax: {0}")]
    Syntax(#[from] oxigraph::sparql::SparqlSyntaxError),
    /// The query failed while running.
    #[error("query: {0}")]
    Evaluation(#[from] oxigraph::sparql::QueryEvaluationError),
}

/// The knowledge-graph store.
pub struct KnowledgeStore {
    store: Store,
}

impl KnowledgeStore {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        Ok(KnowledgeStore {
            store: Store::open(path)?,
        })
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
        let graph = vocab::document_iri(&ex.doc.id);
        let mut tx = self.store.start_transaction()?;
        tx.clear_graph(&graph)?;
        tx.extend(quads.iter());
        tx.commit()?;
        Ok(quads.len())
    }

    /// Prepares a SPARQL query over the union of all graphs, with the project's prefixes.
    pub fn query(&self, sparql: &str) -> Result<QueryResults<'static>, StoreError> {
        let mut evaluator = SparqlEvaluator::new();
        for (p, iri) in vocab::PREFIXES {
            evaluator = evaluator.with_prefix(*p, *iri).expect("valid prefix IRI");
        }
        let mut prepared = evaluator.parse_query(sparql)?;
        prepared.dataset_mut().set_default_graph_as_union();
        Ok(prepared.on_store(&self.store).execute()?)
    }

    /// Flushes writes to disk.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.store.flush()?;
        Ok(())
    }
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
