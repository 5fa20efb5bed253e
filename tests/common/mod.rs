//! Helpers shared by the integration tests.
#![allow(dead_code)]

use ikg::ingest::SourceDocument;
use ikg::{DocumentExtraction, KnowledgeStore, Pipeline, Resources};
use oxigraph::sparql::QueryResults;
use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shared corpus beside the project, when present.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let p = root().join("..").join("shared").join(sub);
    p.exists().then_some(p)
}

/// The pipeline with the bundled resources.
pub fn pipeline() -> Pipeline {
    Pipeline::new(&Resources::bundled().expect("bundled resources")).expect("pipeline")
}

/// Extracts one text as a document.
pub fn extract(pipeline: &Pipeline, id: &str, text: &str) -> DocumentExtraction {
    pipeline.extract(SourceDocument::from_text(id, text))
}

/// Builds files or folders into a store at `store_dir`.
pub fn build(store_dir: &Path, inputs: &[PathBuf]) -> (KnowledgeStore, ikg::BuildSummary) {
    build_with(store_dir, inputs, ikg::pipeline::BuildOptions::default())
}

/// Builds files or folders into a store at `store_dir` with the given options.
pub fn build_with(
    store_dir: &Path,
    inputs: &[PathBuf],
    options: ikg::pipeline::BuildOptions,
) -> (KnowledgeStore, ikg::BuildSummary) {
    let pipeline = pipeline();
    let store = KnowledgeStore::open(store_dir).expect("open store");
    let scan = ikg::ingest::scan_inputs(inputs, ikg::ingest::Decoding::Lenient);
    let mut summary =
        ikg::pipeline::build_with(&pipeline, &store, &scan.files, options, &|| {}).expect("build");
    summary
        .failures
        .extend(scan.problems.iter().map(|p| p.to_string()));
    (store, summary)
}

/// Runs an ASK query.
pub fn ask(store: &KnowledgeStore, q: &str) -> bool {
    match store.query(q).expect("query") {
        QueryResults::Boolean(b) => b,
        _ => panic!("not an ASK query: {q}"),
    }
}

/// Whether the store holds `subject property object`, naming both ends by label or alias.
pub fn holds(store: &KnowledgeStore, subject: &str, property: &str, object: &str) -> bool {
    let lit = |s: &str| {
        oxigraph::model::Literal::new_language_tagged_literal_unchecked(s, "zh").to_string()
    };
    ask(
        store,
        &format!(
            "ASK {{ ?s rdfs:label|skos:altLabel {} . ?o rdfs:label|skos:altLabel {} . ?s ikg:{property} ?o }}",
            lit(subject),
            lit(object)
        ),
    )
}

/// Number of rows of a SELECT query.
pub fn count_rows(store: &KnowledgeStore, q: &str) -> usize {
    match store.query(q).expect("query") {
        QueryResults::Solutions(s) => s.count(),
        QueryResults::Graph(t) => t.count(),
        QueryResults::Boolean(b) => usize::from(b),
    }
}

/// Whether an extraction holds a fact between entities labelled `s` and `o`.
pub fn has_fact(ex: &DocumentExtraction, s: &str, property: &str, o: &str) -> bool {
    let ents = &ex.resolution.entities;
    ex.relations.facts.iter().any(|f| {
        f.property.local_name() == property
            && ents[f.subject].labels.contains(s)
            && ents[f.object].labels.contains(o)
    })
}
