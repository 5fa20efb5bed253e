//! Bench: throughput of the pipeline against a baseline measured in the same run.
//!
//! The baseline is what any jieba-based script pays at least: read, decode and
//! segment every file (jieba-rs, HMM on, same threads). The pipeline is then
//! timed without the store (extraction) and with it (a fresh temporary store),
//! and a few queries are timed on the result. Ratios, not seconds, are the
//! figures to compare across machines.

use crate::ingest::InputFile;
use crate::pipeline::{Pipeline, build};
use crate::store::{KnowledgeStore, StoreError};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

/// Timings of one bench run.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    /// Files read.
    pub files: usize,
    /// Megabytes of decoded text (UTF-8).
    pub megabytes: f64,
    /// Seconds for the baseline (read + decode + jieba).
    pub baseline_seconds: f64,
    /// Seconds for extraction (every stage but the store).
    pub extract_seconds: f64,
    /// Seconds for a full build into a new store.
    pub build_seconds: f64,
    /// Quads written.
    pub quads: usize,
    /// Median milliseconds of the timed queries.
    pub query_median_ms: f64,
    /// Threads used.
    pub threads: usize,
}

impl BenchReport {
    /// A table for the terminal.
    pub fn render(&self) -> String {
        let mbs = |s: f64| self.megabytes / s.max(1e-9);
        format!(
            "files {}  text {:.2} MB  threads {}\n\
             stage                       seconds     MB/s   x baseline\n\
             baseline (read+jieba)      {:>8.2} {:>8.2}   1.00\n\
             extraction (no store)      {:>8.2} {:>8.2}   {:.2}\n\
             build (extraction+store)   {:>8.2} {:>8.2}   {:.2}\n\
             quads written {}   query median {:.1} ms\n",
            self.files,
            self.megabytes,
            self.threads,
            self.baseline_seconds,
            mbs(self.baseline_seconds),
            self.extract_seconds,
            mbs(self.extract_seconds),
            self.extract_seconds / self.baseline_seconds.max(1e-9),
            self.build_seconds,
            mbs(self.build_seconds),
            self.build_seconds / self.baseline_seconds.max(1e-9),
            self.quads,
            self.query_median_ms
        )
    }
}

/// Queries timed on the built store.
const QUERIES: &[&str] = &[
    "SELECT ?c (COUNT(?e) AS ?n) WHERE { ?e a ?c } GROUP BY ?c",
    "SELECT ?s ?o WHERE { ?s ikg:locatedIn ?o } LIMIT 1000",
    "SELECT ?s ?ev WHERE { ?r rdf:reifies <<( ?s ikg:builds ?o )>> ; ikg:evidenceText ?ev } LIMIT 1000",
    "SELECT ?e ?l WHERE { ?e skos:altLabel ?l } LIMIT 1000",
];

/// Runs the bench on `files`.
pub fn run(pipeline: &Pipeline, files: &[PathBuf]) -> Result<BenchReport, StoreError> {
    let t = Instant::now();
    let texts: Vec<String> = files
        .par_iter()
        .filter_map(|p| crate::ingest::read_document(p).ok())
        .map(|d| {
            let n: usize = d.text.lines().map(|l| pipeline.segment(l).len()).sum();
            std::hint::black_box(n);
            d.text
        })
        .collect();
    let baseline_seconds = t.elapsed().as_secs_f64();
    let megabytes = texts.iter().map(|t| t.len()).sum::<usize>() as f64 / 1e6;

    let t = Instant::now();
    let n: usize = files
        .par_iter()
        .filter_map(|p| crate::ingest::read_document(p).ok())
        .map(|d| pipeline.extract(d).relations.facts.len())
        .sum();
    std::hint::black_box(n);
    let extract_seconds = t.elapsed().as_secs_f64();

    let dir = std::env::temp_dir().join(format!("ikg-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = KnowledgeStore::open(&dir)?;
    let t = Instant::now();
    let summary = build(pipeline, &store, &InputFile::from_paths(files), &|| {})?;
    store.flush()?;
    let build_seconds = t.elapsed().as_secs_f64();
    let mut times = Vec::new();
    for q in QUERIES {
        for _ in 0..3 {
            let t = Instant::now();
            if let oxigraph::sparql::QueryResults::Solutions(s) = store.query(q)? {
                std::hint::black_box(s.count());
            }
            times.push(t.elapsed().as_secs_f64() * 1000.0);
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(BenchReport {
        files: files.len(),
        megabytes,
        baseline_seconds,
        extract_seconds,
        build_seconds,
        quads: summary.quads,
        query_median_ms: times[times.len() / 2],
        threads: rayon::current_num_threads(),
    })
}
