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

/// What a build did, without how long its phases took (which differ from run to run).
pub fn outcome(summary: &ikg::BuildSummary) -> ikg::BuildSummary {
    ikg::BuildSummary {
        phases: Default::default(),
        ..summary.clone()
    }
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

/// Creates the folder `folder` (and its parents) holding these files, by name and text;
/// returns it.
pub fn write_folder(folder: &Path, files: &[(&str, &str)]) -> PathBuf {
    std::fs::create_dir_all(folder).expect("create folder");
    for (name, text) in files {
        std::fs::write(folder.join(name), text).expect("write file");
    }
    folder.to_path_buf()
}

/// The `ikg` binary as a command.
pub fn ikg() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_ikg"))
}

/// Runs `ikg` with these arguments to its end.
pub fn run_ikg(args: &[&str]) -> std::process::Output {
    ikg().args(args).output().expect("run ikg")
}

/// The lines a command wrote on standard error.
pub fn stderr_lines(out: &std::process::Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::to_string)
        .collect()
}

/// What `ikg stats` prints for the store at `store`.
pub fn stats_of(store: &Path) -> String {
    let out = run_ikg(&["stats", "--store", store.to_str().expect("UTF-8 path")]);
    assert!(out.status.success(), "{:#?}", stderr_lines(&out));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// A store's N-Quads export, sorted.
pub fn sorted_export(store: &KnowledgeStore) -> Vec<String> {
    let mut out = Vec::new();
    ikg::export::export_rdf(store, ikg::export::RdfExport::Nq, &mut out).expect("export");
    let mut lines: Vec<String> = String::from_utf8(out)
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// The command lines of the running processes that hold every one of `words`.
pub fn processes_running(words: &[&str]) -> Vec<String> {
    std::fs::read_dir("/proc")
        .expect("/proc")
        .flatten()
        .filter_map(|entry| {
            let cmdline = std::fs::read(entry.path().join("cmdline")).ok()?;
            let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
            words.iter().all(|w| cmdline.contains(w)).then_some(cmdline)
        })
        .collect()
}
