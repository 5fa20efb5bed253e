//! Extracts documents with one pipeline, serially, for profiling extraction alone.
//!
//! `cargo run --release --example prof_extract -- DIR [REPEATS]` loads the pipeline once,
//! reads every STEP-th `.txt` file of DIR (STEP from the environment, 1 by default) and
//! extracts them all with `Pipeline::extract_each` (in batches, as a build does), REPEATS
//! times; it prints the facts found and the time. Under valgrind, `--tool=callgrind
//! --toggle-collect='ikg::pipeline::Stages::extract_batch'` counts the instructions of
//! extraction only.

use ikg::pipeline::Pipeline;
use ikg::resources::Resources;

/// The allocator of the `ikg` program, so that a profile shows what a build
/// spends: its arenas on huge pages make the segmenter's look-ups faster.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = std::path::PathBuf::from(&args[1]);
    let reps: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(1);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().map(|e| e == "txt").unwrap_or(false))
        .collect();
    files.sort();
    let step: usize = std::env::var("STEP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let files: Vec<_> = files.into_iter().step_by(step).collect();
    let res = Resources::load(None).unwrap();
    let pipeline = Pipeline::new(&res).unwrap();
    let docs: Vec<_> = files
        .iter()
        .filter_map(|p| ikg::ingest::read_document(p).ok())
        .collect();
    let t = std::time::Instant::now();
    let mut n = 0;
    for _ in 0..reps {
        pipeline.extract_each(docs.clone(), |ex| n += ex.relations.facts.len());
    }
    eprintln!("facts {n} extract {:.3}s", t.elapsed().as_secs_f64());
}
