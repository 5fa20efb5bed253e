//! A smoke run of `ikg bench` on the bundled samples: every part of the report
//! is there and every build and query succeeds. No timing is asserted.

mod common;

use common::root;
use ikg::bench::{BenchOptions, run};
use ikg::{Pipeline, Resources};

#[test]
fn bench_reports_every_measure_on_the_samples() {
    let pipeline = Pipeline::new(&Resources::bundled().unwrap()).unwrap();
    let files = ikg::ingest::collect_inputs(&[root().join("data/samples")]).unwrap();
    let scratch = tempfile::tempdir().unwrap();
    let options = BenchOptions {
        program: env!("CARGO_BIN_EXE_ikg").into(),
        data: None,
        queries: Some(root().join("queries")),
        peer: None,
        query_runs: 1,
        rounds: 2,
        scratch: scratch.path().to_path_buf(),
    };
    let report = run(&pipeline, &files, &options).unwrap();
    assert_eq!(report.files, 4);
    assert!(report.megabytes > 0.0);
    let stages: Vec<&str> = report.stages.iter().map(|s| s.stage.as_str()).collect();
    assert!(stages.contains(&"baseline: read + jieba"), "{stages:?}");
    assert!(stages.contains(&"extraction (no store)"), "{stages:?}");
    let builds: Vec<&str> = report.builds.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(
        builds,
        ["build ¼", "build ½", "build all", "build all, 1 thread"]
    );
    for b in report.builds.iter().chain(&report.rebuild) {
        assert!(b.ok, "{} failed", b.label);
        assert!(b.peak_rss_mb > 0.0 && b.cpu_seconds > 0.0, "{b:?}");
        // Each build reports its phases (to the hundredth of a second), which fit
        // in its wall time.
        let p = b.phases.as_ref().unwrap_or_else(|| panic!("{b:?}"));
        let phases = p.extraction + p.unification + p.writing + p.compaction;
        assert!(phases <= b.seconds + 0.02, "{b:?}");
    }
    // A clean build extracts and writes.
    for b in &report.builds {
        let p = b.phases.as_ref().unwrap();
        assert!(p.extraction > 0.0 && p.writing > 0.0, "{b:?}");
    }
    // Each build is the least disturbed of its two rounds; the rebuild runs once.
    assert_eq!(report.rounds, 2);
    assert!(
        report.builds.iter().all(|b| b.runs == 2),
        "{:?}",
        report.builds
    );
    assert_eq!(report.rebuild.as_ref().map(|r| r.runs), Some(1));
    let queries = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "rq")
        })
        .count();
    assert_eq!(report.queries.len(), queries + 1, "stats and every query");
    assert!(report.queries.iter().all(|q| q.ok), "{:?}", report.queries);
    let table = report.render();
    assert!(table.contains("unchanged rebuild / clean build"), "{table}");
    assert!(table.contains("build phases, seconds"), "{table}");
    assert!(table.contains("per phase: extraction"), "{table}");
    assert!(
        serde_json::to_string(&report)
            .unwrap()
            .contains("peak_rss_mb")
    );
    // The scratch stores are gone.
    assert_eq!(std::fs::read_dir(scratch.path()).unwrap().count(), 0);
}
