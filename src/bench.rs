//! Bench: throughput, scaling, memory and query latency of ikg, against a
//! baseline measured in the same run.
//!
//! The baseline is what any jieba-based script pays at least: read, decode and
//! segment every file (jieba-rs, HMM on, same threads). The stages are timed in
//! this process; builds, queries and the optional Python peer run as child
//! processes, so that each has its own peak memory and CPU time. Ratios, not
//! seconds, are the figures to compare across machines. On a shared machine
//! another job can slow any one run, so the stages and the builds are run
//! several times, in rounds (each round runs every one of them once), and each
//! keeps its least disturbed run: a stage its shortest time, a build the run
//! with the least CPU time.

use crate::normalize::normalize;
use crate::pipeline::Pipeline;
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What to run besides the in-process stages.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// The `ikg` program the builds and queries run (normally the running one).
    pub program: PathBuf,
    /// A `--data` folder passed on to the builds.
    pub data: Option<PathBuf>,
    /// The folder of `.rq` queries to time on the built store (with `ikg stats`).
    pub queries: Option<PathBuf>,
    /// A peer script (`scripts/peer_rdflib.py`) run with `python3` on the same files.
    pub peer: Option<PathBuf>,
    /// Runs of each query (the median is reported).
    pub query_runs: usize,
    /// Rounds of the in-process stages and of the builds (each keeps its least disturbed run).
    pub rounds: usize,
    /// Where the stores go (a fresh folder is made in it and removed after).
    pub scratch: PathBuf,
}

impl BenchOptions {
    /// The rounds to run: those asked for, at least one.
    fn round_count(&self) -> usize {
        self.rounds.max(1)
    }
}

/// One in-process stage, cumulative from reading the files.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StageTiming {
    /// What runs.
    pub stage: String,
    /// Wall seconds.
    pub seconds: f64,
    /// Megabytes of text per second.
    pub mb_per_s: f64,
    /// Documents per second.
    pub docs_per_s: f64,
    /// Throughput as a share of the baseline's.
    pub of_baseline: f64,
}

/// One child process: a build, a query or the peer.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProcessRun {
    /// What ran.
    pub label: String,
    /// Input files.
    pub files: usize,
    /// Megabytes of text.
    pub megabytes: f64,
    /// Worker threads (`RAYON_NUM_THREADS`; 0: all cores).
    pub threads: usize,
    /// Wall seconds.
    pub seconds: f64,
    /// CPU seconds (user and system).
    pub cpu_seconds: f64,
    /// CPU seconds per megabyte of text.
    pub cpu_s_per_mb: f64,
    /// Megabytes of text per wall second.
    pub mb_per_s: f64,
    /// Peak resident memory, MB.
    pub peak_rss_mb: f64,
    /// Whether it exited with success (false also when it timed out).
    pub ok: bool,
    /// Of how many runs this is the one with the least CPU time.
    pub runs: usize,
    /// A build's phases, as it reported them (`ikg build --timings`).
    pub phases: Option<PhaseSeconds>,
}

/// Wall seconds of each phase of a build (see [`crate::pipeline::BuildPhases`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct PhaseSeconds {
    /// Reading, comparing with the store, extracting.
    pub extraction: f64,
    /// Unifying names across documents.
    pub unification: f64,
    /// Making and writing the quads, the derived graphs.
    pub writing: f64,
    /// The store's compaction.
    pub compaction: f64,
}

impl From<crate::pipeline::BuildPhases> for PhaseSeconds {
    fn from(p: crate::pipeline::BuildPhases) -> Self {
        PhaseSeconds {
            extraction: p.extraction.as_secs_f64(),
            unification: p.unification.as_secs_f64(),
            writing: p.writing.as_secs_f64(),
            compaction: p.compaction.as_secs_f64(),
        }
    }
}

/// Latency of one query (whole process: start, open, answer), median of runs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QueryTiming {
    /// The query file's stem, or `stats`.
    pub query: String,
    /// Median milliseconds.
    pub median_ms: f64,
    /// Whether every run answered in time.
    pub ok: bool,
}

/// Everything one bench run measured.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BenchReport {
    /// Files read.
    pub files: usize,
    /// Megabytes of decoded text (UTF-8).
    pub megabytes: f64,
    /// Threads of the in-process stages.
    pub threads: usize,
    /// Rounds the stages and builds were run in (each reports its least disturbed run).
    pub rounds: usize,
    /// In-process stages, the baseline among them.
    pub stages: Vec<StageTiming>,
    /// Builds of ¼, ½ and all of the input with all threads, then all with one.
    pub builds: Vec<ProcessRun>,
    /// The build of all the input again into its store, nothing changed.
    pub rebuild: Option<ProcessRun>,
    /// `ikg stats` and every query, on the store of the whole input.
    pub queries: Vec<QueryTiming>,
    /// The Python peer on all the input, when it ran.
    pub peer: Option<ProcessRun>,
}

/// The stage every ratio is taken against.
const BASELINE: &str = "baseline: read + jieba";

/// A query or stats run that takes longer is stopped and reported as failed.
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs the bench on `files`.
pub fn run(
    pipeline: &Pipeline,
    files: &[PathBuf],
    options: &BenchOptions,
) -> std::io::Result<BenchReport> {
    let (stages, megabytes) = time_stages(pipeline, files, options.round_count());
    let scratch = options
        .scratch
        .join(format!("ikg-bench-{}", std::process::id()));
    std::fs::create_dir_all(&scratch)?;
    let result = run_processes(files, megabytes, options, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    let (builds, rebuild, queries, peer) = result?;
    Ok(BenchReport {
        files: files.len(),
        megabytes,
        threads: rayon::current_num_threads(),
        rounds: options.round_count(),
        stages,
        builds,
        rebuild,
        queries,
        peer,
    })
}

type ProcessResults = (
    Vec<ProcessRun>,
    Option<ProcessRun>,
    Vec<QueryTiming>,
    Option<ProcessRun>,
);

fn run_processes(
    files: &[PathBuf],
    megabytes: f64,
    options: &BenchOptions,
    scratch: &Path,
) -> std::io::Result<ProcessResults> {
    let quarter: Vec<PathBuf> = files.iter().step_by(4).cloned().collect();
    let half: Vec<PathBuf> = files.iter().step_by(2).cloned().collect();
    let plan: [(&str, &[PathBuf], usize); 4] = [
        ("build ¼", &quarter, 0),
        ("build ½", &half, 0),
        ("build all", files, 0),
        ("build all, 1 thread", files, 1),
    ];
    let store = scratch.join("all.ikg");
    let mut builds: Vec<ProcessRun> = Vec::new();
    // Every build of a round goes into a fresh store; the last round's
    // "build all" store is the one rebuilt and queried.
    for round in 0..options.round_count() {
        for (i, (label, part, threads)) in plan.iter().enumerate() {
            let target = if *label == "build all" {
                store.clone()
            } else {
                scratch.join(format!("build{i}.ikg"))
            };
            let _ = std::fs::remove_dir_all(&target);
            let run = build_run(label, part, *threads, &target, options)?;
            if round == 0 {
                builds.push(run);
            } else {
                let best = &mut builds[i];
                let runs = best.runs + 1;
                if run.cpu_seconds < best.cpu_seconds || !best.ok {
                    *best = run;
                }
                best.runs = runs;
            }
        }
    }
    let rebuild = build_run("rebuild all, unchanged", files, 0, &store, options)?;
    let queries = match &options.queries {
        Some(dir) => time_queries(&store, dir, options)?,
        None => Vec::new(),
    };
    let peer = match &options.peer {
        Some(script) => peer_run(script, files, megabytes, scratch)?,
        None => None,
    };
    Ok((builds, Some(rebuild), queries, peer))
}

/// Times reading, normalising, the baseline and the whole extraction in this
/// process, `rounds` times each, in turn; each stage keeps its shortest time.
fn time_stages(pipeline: &Pipeline, files: &[PathBuf], rounds: usize) -> (Vec<StageTiming>, f64) {
    let read = || {
        files
            .par_iter()
            .filter_map(|p| crate::ingest::read_document(p).ok())
    };
    let timed = |f: &dyn Fn() -> usize| {
        let t = Instant::now();
        let n = f();
        (t.elapsed().as_secs_f64(), n)
    };
    let (mut read_s, mut normalise_s, mut baseline_s, mut extract_s) =
        (f64::MAX, f64::MAX, f64::MAX, f64::MAX);
    let mut bytes = 0;
    for _ in 0..rounds {
        let (seconds, n) = timed(&|| read().map(|d| d.text.len()).sum());
        (read_s, bytes) = (read_s.min(seconds), n);
        let (seconds, _) = timed(&|| read().map(|d| normalize(&d.text).len()).sum());
        normalise_s = normalise_s.min(seconds);
        let (seconds, _) = timed(&|| {
            pipeline.with_segmenter(|segmenter| {
                read()
                    .map(|d| {
                        d.text
                            .lines()
                            .map(|l| segmenter.tag(l).len())
                            .sum::<usize>()
                    })
                    .sum()
            })
        });
        baseline_s = baseline_s.min(seconds);
        // As a build extracts: a task's files together (see `Pipeline::extract_all`).
        let (seconds, _) = timed(&|| {
            crate::pipeline::extraction_tasks(files, |p| p.as_path())
                .into_par_iter()
                .map(|task| {
                    let docs = task
                        .iter()
                        .filter_map(|p| crate::ingest::read_document(p).ok())
                        .collect();
                    let mut facts = 0;
                    pipeline.extract_each(docs, |ex| facts += ex.relations.facts.len());
                    facts
                })
                .sum()
        });
        extract_s = extract_s.min(seconds);
    }
    let megabytes = bytes as f64 / 1e6;
    let docs = files.len() as f64;
    let baseline_rate = megabytes / baseline_s.max(1e-9);
    let stage = |name: &str, seconds: f64| StageTiming {
        stage: name.to_string(),
        seconds,
        mb_per_s: megabytes / seconds.max(1e-9),
        docs_per_s: docs / seconds.max(1e-9),
        of_baseline: megabytes / seconds.max(1e-9) / baseline_rate,
    };
    let stages = vec![
        stage("read + decode", read_s),
        stage("read + normalise", normalise_s),
        stage(BASELINE, baseline_s),
        stage("extraction (no store)", extract_s),
    ];
    (stages, megabytes)
}

fn text_megabytes(files: &[PathBuf]) -> f64 {
    files
        .iter()
        .filter_map(|p| crate::ingest::read_document(p).ok())
        .map(|d| d.text.len())
        .sum::<usize>() as f64
        / 1e6
}

/// One `ikg build` of `files` into `store` as a child process.
fn build_run(
    label: &str,
    files: &[PathBuf],
    threads: usize,
    store: &Path,
    options: &BenchOptions,
) -> std::io::Result<ProcessRun> {
    let mut cmd = Command::new(&options.program);
    cmd.arg("--store").arg(store);
    if let Some(data) = &options.data {
        cmd.arg("--data").arg(data);
    }
    cmd.arg("build").arg("--timings").args(files);
    if threads > 0 {
        cmd.env("RAYON_NUM_THREADS", threads.to_string());
    }
    // The build's report, with its phases, goes to a file beside its store.
    let report = store.with_extension("out");
    let child = run_child(cmd, Stdio::from(std::fs::File::create(&report)?), None)?;
    let mut run = child.into_run(label, files.len(), text_megabytes(files), threads);
    run.phases = std::fs::read_to_string(&report)?
        .lines()
        .find_map(|line| line.parse::<crate::pipeline::BuildPhases>().ok())
        .map(PhaseSeconds::from);
    Ok(run)
}

/// `ikg stats` and every `.rq` file in `dir`, each run `options.query_runs` times.
fn time_queries(
    store: &Path,
    dir: &Path,
    options: &BenchOptions,
) -> std::io::Result<Vec<QueryTiming>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    let mut timings = vec![time_query("stats", store, None, options)?];
    for file in files {
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        timings.push(time_query(&name, store, Some(&file), options)?);
    }
    Ok(timings)
}

fn time_query(
    name: &str,
    store: &Path,
    file: Option<&Path>,
    options: &BenchOptions,
) -> std::io::Result<QueryTiming> {
    let mut times = Vec::new();
    let mut ok = true;
    for _ in 0..options.query_runs.max(1) {
        let mut cmd = Command::new(&options.program);
        cmd.arg("--store").arg(store);
        match file {
            Some(f) => cmd.arg("query").arg(f).args(["--format", "csv"]),
            None => cmd.arg("stats"),
        };
        let child = run_child(cmd, Stdio::null(), Some(QUERY_TIMEOUT))?;
        times.push(child.wall.as_secs_f64() * 1000.0);
        if !child.ok {
            ok = false;
            break;
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok(QueryTiming {
        query: name.to_string(),
        median_ms: times[times.len() / 2],
        ok,
    })
}

/// The Python peer (jieba + rdflib) on all files, when Python has what it needs.
fn peer_run(
    script: &Path,
    files: &[PathBuf],
    megabytes: f64,
    scratch: &Path,
) -> std::io::Result<Option<ProcessRun>> {
    let ready = Command::new("python3")
        .args(["-c", "import jieba, rdflib"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ready || !script.is_file() {
        return Ok(None);
    }
    let mut cmd = Command::new("python3");
    cmd.arg(script)
        .arg("--out")
        .arg(scratch.join("peer.nq"))
        .args(files);
    let child = run_child(cmd, Stdio::null(), None)?;
    Ok(Some(child.into_run(
        "python peer: jieba + rdflib",
        files.len(),
        megabytes,
        1,
    )))
}

/// What a finished child process cost.
struct ChildCost {
    wall: Duration,
    cpu_seconds: f64,
    peak_rss_mb: f64,
    ok: bool,
}

impl ChildCost {
    fn into_run(self, label: &str, files: usize, megabytes: f64, threads: usize) -> ProcessRun {
        let seconds = self.wall.as_secs_f64();
        ProcessRun {
            label: label.to_string(),
            files,
            megabytes,
            threads,
            seconds,
            cpu_seconds: self.cpu_seconds,
            cpu_s_per_mb: self.cpu_seconds / megabytes.max(1e-9),
            mb_per_s: megabytes / seconds.max(1e-9),
            peak_rss_mb: self.peak_rss_mb,
            ok: self.ok,
            runs: 1,
            phases: None,
        }
    }
}

/// Runs a child with its standard output to `stdout` and its errors discarded,
/// and measures its wall time, CPU time and peak memory (from `wait4`); a child
/// past `timeout` is killed.
fn run_child(
    mut cmd: Command,
    stdout: Stdio,
    timeout: Option<Duration>,
) -> std::io::Result<ChildCost> {
    let start = Instant::now();
    let mut child = cmd.stdout(stdout).stderr(Stdio::null()).spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut killed = false;
    loop {
        let mut status = 0;
        // SAFETY: rusage is plain data that wait4 fills in; pid is our own child.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let flags = if killed { 0 } else { libc::WNOHANG };
        // SAFETY: as above; the pointers are valid for the call.
        let r = unsafe { libc::wait4(pid, &mut status, flags, &mut usage) };
        if r == pid {
            let wall = start.elapsed();
            let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            return Ok(ChildCost {
                wall,
                cpu_seconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
                peak_rss_mb: usage.ru_maxrss as f64 / 1024.0,
                ok: !killed && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            });
        }
        if r < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if timeout.is_some_and(|t| start.elapsed() > t) && !killed {
            child.kill()?;
            killed = true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

impl BenchReport {
    /// A table for the terminal.
    pub fn render(&self) -> String {
        let mut out = format!(
            "files {}  text {:.2} MB  threads {}  rounds {} (each stage: its shortest; each build: its least CPU)\n\n\
             stage                              seconds     MB/s   docs/s  x baseline\n",
            self.files, self.megabytes, self.threads, self.rounds
        );
        for s in &self.stages {
            out += &format!(
                "{:<34} {:>8.2} {:>8.2} {:>8.1} {:>10.3}\n",
                s.stage, s.seconds, s.mb_per_s, s.docs_per_s, s.of_baseline
            );
        }
        let baseline = self
            .stages
            .iter()
            .find(|s| s.stage == BASELINE)
            .map_or(1.0, |s| s.mb_per_s);
        out += "\nprocess                      files     MB  threads  seconds   CPU s  CPU s/MB    MB/s  x baseline  peak RSS MB\n";
        let runs = self.builds.iter().chain(&self.rebuild).chain(&self.peer);
        for r in runs {
            out += &format!(
                "{:<28} {:>5} {:>6.2} {:>8} {:>8.2} {:>7.2} {:>9.3} {:>7.2} {:>11.3} {:>12.0}{}\n",
                r.label,
                r.files,
                r.megabytes,
                if r.threads == 0 {
                    "all".to_string()
                } else {
                    r.threads.to_string()
                },
                r.seconds,
                r.cpu_seconds,
                r.cpu_s_per_mb,
                r.mb_per_s,
                r.mb_per_s / baseline,
                r.peak_rss_mb,
                if r.ok { "" } else { "  FAILED" }
            );
        }
        out += &self.render_phases();
        out += &self.render_ratios();
        if !self.queries.is_empty() {
            out += "\nquery (whole process, median)          ms\n";
            for q in &self.queries {
                out += &format!(
                    "{:<36} {:>8.0}{}\n",
                    q.query,
                    q.median_ms,
                    if q.ok { "" } else { "  FAILED or timed out" }
                );
            }
        }
        out
    }

    /// The phases of each build that reported them.
    fn render_phases(&self) -> String {
        let runs = self.builds.iter().chain(&self.rebuild);
        let mut out = String::new();
        for (r, p) in runs.filter_map(|r| r.phases.as_ref().map(|p| (r, p))) {
            if out.is_empty() {
                out +=
                    "\nbuild phases, seconds        extraction  unification  writing  compaction\n";
            }
            out += &format!(
                "{:<28} {:>10.2} {:>12.2} {:>8.2} {:>11.2}\n",
                r.label, p.extraction, p.unification, p.writing, p.compaction
            );
        }
        out
    }

    fn render_ratios(&self) -> String {
        let find = |label: &str| self.builds.iter().find(|b| b.label == label);
        let mut out = String::from("\n");
        if let (Some(q), Some(all)) = (find("build ¼"), find("build all")) {
            out += &format!(
                "CPU s/MB, all / ¼: {:.2}\n",
                all.cpu_s_per_mb / q.cpu_s_per_mb.max(1e-9)
            );
        }
        if let (Some(h), Some(all)) = (find("build ½"), find("build all")) {
            out += &format!(
                "peak RSS, all / ½: {:.2}\n",
                all.peak_rss_mb / h.peak_rss_mb.max(1e-9)
            );
        }
        if let (Some(one), Some(all)) = (find("build all, 1 thread"), find("build all")) {
            out += &format!(
                "all threads vs 1: {:.2}x faster\n",
                one.seconds / all.seconds.max(1e-9)
            );
            if let (Some(p1), Some(p)) = (&one.phases, &all.phases) {
                let ratio = |a: f64, b: f64| a / b.max(1e-9);
                out += &format!(
                    "  per phase: extraction {:.2}x, unification {:.2}x, writing {:.2}x, compaction {:.2}x\n",
                    ratio(p1.extraction, p.extraction),
                    ratio(p1.unification, p.unification),
                    ratio(p1.writing, p.writing),
                    ratio(p1.compaction, p.compaction)
                );
            }
        }
        if let (Some(re), Some(all)) = (&self.rebuild, find("build all")) {
            out += &format!(
                "unchanged rebuild / clean build: {:.3}\n",
                re.seconds / all.seconds.max(1e-9)
            );
        }
        if let (Some(peer), Some(all)) = (&self.peer, find("build all")) {
            out += &format!(
                "ikg vs python peer, end to end: {:.1}x faster\n",
                peer.seconds / all.seconds.max(1e-9)
            );
        }
        out
    }
}
