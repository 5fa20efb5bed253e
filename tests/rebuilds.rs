//! Rebuilds equal clean builds: random sequences of adding, editing and
//! removing files of a folder, with builds of the folder (with and without
//! `--prune`, with `--force`) and of single files in between, end in the store
//! that one build of the final folder into an empty store gives (sorted
//! N-Quads exports identical: documents' graphs, entities and counts graphs).
//!
//! The documents are generated from a few sentence patterns written for this
//! test; they name the same companies in full in some documents and only by a
//! short form in others, and two companies share a short form, so which full
//! name a short form takes changes as documents come and go.
//!
//! `IKG_REBUILD_SEQUENCES` sets the number of sequences (default 16) and
//! `IKG_REBUILD_SEED` the first seed.
//!
//! Builds killed at random moments (the `ikg` binary, `kill -9`): after each
//! kill the store opens, each document graph it holds is the clean build's,
//! and an incomplete store says so; a build then ends in the clean build's
//! store. `IKG_KILLS` sets the number of kills (default 20), `IKG_KILL_SEED`
//! the seed of their moments (default: from the clock, printed).

mod common;

use ikg::KnowledgeStore;
use ikg::ingest::{Decoding, scan_inputs};
use ikg::pipeline::{BuildOptions, BuildSummary, Pipeline, PruneScope, build_and_prune};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

/// Companies in full and by their short form; the first two share theirs.
const COMPANIES: &[(&str, &str)] = &[
    ("湖南星瀚新材料有限公司", "星瀚新材料"),
    ("江西星瀚新材料有限公司", "星瀚新材料"),
    ("安徽博拓智能装备有限公司", "博拓智能"),
    ("四川蓝岳电子科技有限公司", "蓝岳电子"),
    ("广东铭洲精密机械有限公司", "铭洲精密"),
];
const PARKS: &[&str] = &["长沙高新区", "赣州经开区", "合肥高新区"];
const UNIVERSITIES: &[&str] = &["中南大学", "合肥工业大学", "南昌大学"];
const TOPICS: &[&str] = &["电池材料", "智能装备", "电子元件"];

/// A small deterministic random source (SplitMix64).
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// One generated sentence naming a company in full or by its short form.
fn sentence(random: &mut Random) -> String {
    let (full, short) = COMPANIES[random.below(COMPANIES.len())];
    let name = if random.below(2) == 0 { full } else { short };
    let topic = random.pick(TOPICS);
    match random.below(4) {
        0 => format!(
            "{name}在{}投资建设年产{}万吨{topic}项目。",
            random.pick(PARKS),
            random.below(9) + 1
        ),
        1 => format!("{name}与{}签署战略合作协议。", random.pick(UNIVERSITIES)),
        2 => format!("{name}牵头组建了{topic}联合实验室。"),
        _ => format!("{full}简称{short}，主要生产{topic}。"),
    }
}

/// A generated document of two to four sentences.
fn document(random: &mut Random) -> String {
    let n = 2 + random.below(3);
    (0..n).map(|_| sentence(random)).collect()
}

/// Builds `inputs` into the store at `store`, like `ikg build` (with `--prune`
/// when asked).
fn build(
    pipeline: &Pipeline,
    store: &Path,
    inputs: &[PathBuf],
    prune: bool,
    force: bool,
) -> BuildSummary {
    let kg = KnowledgeStore::open(store).expect("open store");
    let scan = scan_inputs(inputs, Decoding::Lenient);
    assert!(scan.problems.is_empty(), "{:?}", scan.problems);
    let scope = prune.then(|| PruneScope::new(inputs, &scan.files));
    build_and_prune(
        pipeline,
        &kg,
        &scan.files,
        BuildOptions { force },
        scope.as_ref(),
        &|| {},
    )
    .expect("build")
}

/// Removes documents by id, like `ikg remove`.
fn remove(pipeline: &Pipeline, store: &Path, ids: &[String]) -> BuildSummary {
    let kg = KnowledgeStore::open(store).expect("open store");
    let scope = PruneScope::documents(ids);
    build_and_prune(
        pipeline,
        &kg,
        &[],
        BuildOptions::default(),
        Some(&scope),
        &|| {},
    )
    .expect("remove")
}

/// Bytes no decoding accepts (the start of a PNG image).
const BINARY: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// The store's N-Quads export, sorted.
fn export(store: &Path) -> Vec<String> {
    common::sorted_export(&KnowledgeStore::open_read_only(store).expect("open store"))
}

/// The files of the folder, sorted.
fn files_of(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// What one random sequence did: its steps, and how many documents its builds
/// wrote again only because their names' unification changed.
struct Sequence {
    steps: Vec<String>,
    rewritten: usize,
}

/// The document id of a file of the folder.
fn id_of(path: &Path) -> String {
    path.file_stem().unwrap().to_string_lossy().into_owned()
}

/// Runs one random sequence on a fresh folder and store, then a final build
/// with `--prune`, and on every other seed then removes a file and its
/// document (`ikg remove`); returns it with the folder and the store.
fn run_sequence(pipeline: &Pipeline, seed: u64, dir: &Path) -> Sequence {
    let mut random = Random(seed);
    let folder = dir.join("texts");
    std::fs::create_dir_all(&folder).unwrap();
    let store = dir.join("kg.ikg");
    let mut sequence = Sequence {
        steps: Vec::new(),
        rewritten: 0,
    };
    let mut next_name = 0;
    let mut changed_since_build = std::collections::BTreeSet::new();
    while sequence.steps.len() < 8 {
        let files = files_of(&folder);
        let any = |random: &mut Random| files[random.below(files.len())].clone();
        let step = match random.below(12) {
            0..=2 if files.len() < 5 => {
                let path = folder.join(format!("d{next_name}.txt"));
                next_name += 1;
                std::fs::write(&path, document(&mut random)).unwrap();
                changed_since_build.insert(path.clone());
                format!("add {}", path.display())
            }
            3..=4 if !files.is_empty() => {
                let path = any(&mut random);
                std::fs::write(&path, document(&mut random)).unwrap();
                changed_since_build.insert(path.clone());
                format!("edit {}", path.display())
            }
            5 if !files.is_empty() => {
                let path = any(&mut random);
                std::fs::remove_file(&path).unwrap();
                changed_since_build.remove(&path);
                format!("delete {}", path.display())
            }
            6 if !files.is_empty() => {
                let path = any(&mut random);
                let summary = build(pipeline, &store, std::slice::from_ref(&path), false, false);
                let changed = usize::from(changed_since_build.remove(&path));
                sequence.rewritten += summary.documents.saturating_sub(changed);
                format!("build {} alone", path.display())
            }
            7 if !files.is_empty() => {
                let path = any(&mut random);
                std::fs::write(&path, BINARY).unwrap();
                changed_since_build.insert(path.clone());
                format!("break {} (not text any more)", path.display())
            }
            8 if !files.is_empty() => {
                let path = any(&mut random);
                let delete = random.below(2) == 0;
                if delete {
                    std::fs::remove_file(&path).unwrap();
                    changed_since_build.remove(&path);
                }
                let summary = remove(pipeline, &store, &[id_of(&path)]);
                sequence.rewritten += summary.documents;
                format!("remove {} (file deleted {delete})", id_of(&path))
            }
            _ if !files.is_empty() => {
                let prune = random.below(2) == 0;
                let force = random.below(8) == 0;
                let summary = build(
                    pipeline,
                    &store,
                    std::slice::from_ref(&folder),
                    prune,
                    force,
                );
                if !force {
                    sequence.rewritten +=
                        summary.documents.saturating_sub(changed_since_build.len());
                }
                changed_since_build.clear();
                format!("build folder (prune {prune}, force {force})")
            }
            _ => continue,
        };
        sequence.steps.push(step);
    }
    if files_of(&folder).len() < 2 {
        std::fs::write(folder.join("last.txt"), document(&mut random)).unwrap();
        std::fs::write(folder.join("last2.txt"), document(&mut random)).unwrap();
        sequence.steps.push("add last.txt, last2.txt".into());
    }
    let summary = build(pipeline, &store, std::slice::from_ref(&folder), true, false);
    sequence.rewritten += summary.documents.saturating_sub(changed_since_build.len());
    sequence
        .steps
        .push("build folder (prune true, force false)".into());
    if seed.is_multiple_of(2) {
        let files = files_of(&folder);
        let path = &files[random.below(files.len())];
        std::fs::remove_file(path).unwrap();
        let summary = remove(pipeline, &store, &[id_of(path)]);
        sequence.rewritten += summary.documents;
        sequence
            .steps
            .push(format!("delete and remove {}", id_of(path)));
    }
    sequence
}

/// Runs the sequence of `seed` and compares its store with a clean build of
/// its final folder; returns how many unchanged documents it wrote again.
fn check_sequence(pipeline: &Pipeline, seed: u64) -> usize {
    let dir = tempfile::tempdir().unwrap();
    let sequence = run_sequence(pipeline, seed, dir.path());
    let clean = dir.path().join("clean.ikg");
    build(pipeline, &clean, &[dir.path().join("texts")], false, false);
    let (got, want) = (export(&dir.path().join("kg.ikg")), export(&clean));
    if got != want {
        let only = |a: &[String], b: &[String]| {
            a.iter()
                .filter(|l| !b.contains(l))
                .take(20)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join("\n  ")
        };
        panic!(
            "seed {seed}: the store differs from a clean build\nsteps:\n  {}\nonly after the steps:\n  {}\nonly in the clean build:\n  {}",
            sequence.steps.join("\n  "),
            only(&got, &want),
            only(&want, &got),
        );
    }
    sequence.rewritten
}

#[test]
fn any_sequence_of_edits_and_builds_ends_in_the_store_of_a_clean_build() {
    let sequences: u64 = std::env::var("IKG_REBUILD_SEQUENCES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(16);
    let first_seed: u64 = std::env::var("IKG_REBUILD_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let pipeline = common::pipeline();
    // Two sequences at a time: much of a build is waiting on the store's files.
    let next_seed = std::sync::atomic::AtomicU64::new(first_seed);
    let rewritten = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| {
                loop {
                    let seed = next_seed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if seed >= first_seed + sequences {
                        break;
                    }
                    let written = check_sequence(&pipeline, seed);
                    rewritten.fetch_add(written, std::sync::atomic::Ordering::SeqCst);
                }
            });
        }
    });
    let rewritten = rewritten.into_inner();
    eprintln!(
        "{sequences} sequences equal to their clean builds; {rewritten} unchanged documents written again for their names"
    );
    // The sequences exercise the mechanism: documents whose text did not change
    // had to be written again because other documents changed their names.
    assert!(rewritten > 0, "no document needed its names unified again");
}

/// Texts written for these tests: two companies in full that share a short
/// form, and a document that names one of them only by that short form.
const HUNAN: &str = "湖南星瀚新材料有限公司在长沙高新区投资建设年产3万吨电池材料项目。";
const JIANGXI: &str = "江西星瀚新材料有限公司在赣州经开区投资建设年产2万吨电池材料项目。";
const SHORT: &str = "星瀚新材料与中南大学签署战略合作协议。";

/// Whether the graph of the document `short` names an entity `name`.
fn names(store: &Path, name: &str) -> bool {
    let kg = KnowledgeStore::open_read_only(store).expect("open store");
    common::ask(
        &kg,
        &format!(
            "ASK {{ GRAPH {} {{ ?e rdfs:label \"{name}\"@zh }} }}",
            ikg::vocab::document_iri("short")
        ),
    )
}

#[test]
fn removing_a_document_unifies_the_others_again() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("texts");
    common::write_folder(
        &folder,
        &[
            ("hunan.txt", HUNAN),
            ("jiangxi.txt", JIANGXI),
            ("short.txt", SHORT),
        ],
    );
    let store = dir.path().join("kg.ikg");
    let pipeline = common::pipeline();
    build(
        &pipeline,
        &store,
        std::slice::from_ref(&folder),
        false,
        false,
    );
    // Two full names fit the short form: it stays as it is.
    assert!(!names(&store, "湖南星瀚新材料有限公司"));
    std::fs::remove_file(folder.join("jiangxi.txt")).unwrap();
    let out = common::run_ikg(&["remove", "jiangxi", "--store", store.to_str().unwrap()]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        printed.contains("removed jiangxi\n1 other document written again"),
        "{printed}"
    );
    // One full name fits now, as in a clean build of the remaining files.
    assert!(names(&store, "湖南星瀚新材料有限公司"));
    let clean = dir.path().join("clean.ikg");
    build(&pipeline, &clean, &[folder], false, false);
    assert_eq!(export(&store), export(&clean));
}

#[test]
fn a_document_of_another_folder_keeps_its_graph_until_its_folder_is_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let (ours, theirs) = (dir.path().join("ours"), dir.path().join("theirs"));
    common::write_folder(&ours, &[("hunan.txt", HUNAN)]);
    common::write_folder(&theirs, &[("short.txt", SHORT)]);
    let store = dir.path().join("kg.ikg");
    let pipeline = common::pipeline();
    build(&pipeline, &store, std::slice::from_ref(&ours), false, false);
    build(
        &pipeline,
        &store,
        std::slice::from_ref(&theirs),
        false,
        false,
    );
    assert!(names(&store, "湖南星瀚新材料有限公司"));
    let short_graph = document_graphs(&export(&store))
        .remove(&ikg::vocab::document_iri("short").to_string())
        .unwrap();
    // Their file changes, unbuilt; ours gains a second full name for its short form.
    std::fs::write(
        theirs.join("short.txt"),
        format!("{SHORT}星瀚新材料牵头组建了电池材料联合实验室。"),
    )
    .unwrap();
    common::write_folder(&ours, &[("jiangxi.txt", JIANGXI)]);
    let summary = build(&pipeline, &store, std::slice::from_ref(&ours), true, false);
    assert!(summary.pruned.is_empty(), "{:?}", summary.pruned);
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.starts_with("short: left as stored")),
        "{:?}",
        summary.warnings
    );
    let graphs = document_graphs(&export(&store));
    assert_eq!(
        graphs.get(&ikg::vocab::document_iri("short").to_string()),
        Some(&short_graph),
        "their graph is the one their folder's last build wrote"
    );
    // Building their folder again brings the store to a clean build of both.
    build(
        &pipeline,
        &store,
        std::slice::from_ref(&theirs),
        true,
        false,
    );
    assert!(!names(&store, "湖南星瀚新材料有限公司"));
    let clean = dir.path().join("clean.ikg");
    build(&pipeline, &clean, &[ours, theirs], false, false);
    assert_eq!(export(&store), export(&clean));
}

/// The lines of each document graph of a sorted N-Quads export, by graph.
fn document_graphs(lines: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut graphs: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in lines {
        let graph = line
            .trim_end_matches(" .")
            .rsplit(' ')
            .next()
            .unwrap_or_default();
        if graph.starts_with(&format!("<{}", ikg::vocab::DOC)) {
            graphs
                .entry(graph.to_string())
                .or_default()
                .push(line.clone());
        }
    }
    graphs
}

/// `ikg build FOLDER --store STORE` as a child process; its error output
/// goes to [`build_errors`]' file.
fn spawn_build(folder: &Path, store: &Path) -> std::process::Child {
    let errors = std::fs::File::create(errors_file(store)).expect("error output file");
    common::ikg()
        .arg("build")
        .arg(folder)
        .arg("--store")
        .arg(store)
        .stdout(Stdio::null())
        .stderr(errors)
        .spawn()
        .expect("run ikg")
}

/// Where [`spawn_build`] writes the error output of a build of `store`.
fn errors_file(store: &Path) -> PathBuf {
    store.with_extension("stderr")
}

/// The error output of the last build of `store`.
fn build_errors(store: &Path) -> String {
    std::fs::read_to_string(errors_file(store)).unwrap_or_default()
}

/// Asserts that two sorted exports are equal, showing the first lines that
/// differ rather than both exports.
fn assert_same_export(found: &[String], clean: &[String], what: &str) {
    if found == clean {
        return;
    }
    let only = |a: &[String], b: &[String]| -> Vec<String> {
        a.iter()
            .filter(|l| b.binary_search(l).is_err())
            .take(8)
            .cloned()
            .collect()
    };
    panic!(
        "{what}\nonly in this store:\n  {}\nonly in the clean build:\n  {}",
        only(found, clean).join("\n  "),
        only(clean, found).join("\n  ")
    );
}

/// Runs a build to its end; returns when it started writing (the build graph
/// appeared) and when it ended, from its start.
fn timed_build(folder: &Path, store: &Path) -> (Duration, Duration) {
    let start = Instant::now();
    let mut child = spawn_build(folder, store);
    let mut writing = None;
    while child.try_wait().unwrap().is_none() {
        if writing.is_none()
            && KnowledgeStore::open_read_only(store)
                .ok()
                .and_then(|kg| kg.unfinished_build().ok().flatten())
                .is_some()
        {
            writing = Some(start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let end = start.elapsed();
    (writing.unwrap_or(end / 2), end)
}

/// After a kill: the store opens (unless nothing was made of it yet), each
/// document graph it holds is the clean build's, and an incomplete store is
/// reported as interrupted. Returns the number of documents stored.
fn check_after_kill(store: &Path, clean: &BTreeMap<String, Vec<String>>) -> usize {
    if !store.join("CURRENT").exists() {
        return 0; // killed before the database was created
    }
    let kg = match KnowledgeStore::open_read_only(store) {
        Ok(kg) => kg,
        // Killed while the database was being created, before it held anything.
        Err(ikg::store::StoreError::Unfinished { .. }) => return 0,
        Err(e) => panic!("the store does not open after a kill: {e}"),
    };
    let graphs = document_graphs(&common::sorted_export(&kg));
    for (graph, lines) in &graphs {
        assert_eq!(
            Some(lines),
            clean.get(graph),
            "{graph} differs from the clean build's"
        );
    }
    let unfinished = kg.unfinished_build().expect("build record");
    drop(kg);
    let stats = common::stats_of(store);
    if let Some((written, to_write)) = unfinished {
        let line = format!("last build interrupted: {written} of {to_write} documents written");
        assert!(stats.starts_with(&line), "{line}\n{stats}");
    }
    if !graphs.is_empty() && graphs.len() < clean.len() {
        assert!(
            stats.starts_with("last build interrupted"),
            "{} of {} stored\n{stats}",
            graphs.len(),
            clean.len()
        );
    }
    graphs.len()
}

/// Documents of the killed builds: enough that extraction and writing each
/// take a while (the kills fall in both), few enough for a quick test.
const KILL_DOCUMENTS: usize = 200;

#[test]
fn builds_killed_at_random_moments_leave_whole_documents_and_a_rebuild_ends_clean() {
    let kills: usize = std::env::var("IKG_KILLS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20);
    let seed: u64 = std::env::var("IKG_KILL_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
        });
    eprintln!("kill seed {seed}");
    let mut random = Random(seed);
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("texts");
    std::fs::create_dir(&folder).unwrap();
    let mut texts = Random(7);
    for i in 0..KILL_DOCUMENTS {
        let text: String = (0..3).map(|_| document(&mut texts)).collect();
        std::fs::write(folder.join(format!("d{i:03}.txt")), text).unwrap();
    }
    let clean_store = dir.path().join("clean.ikg");
    let (writing, end) = timed_build(&folder, &clean_store);
    eprintln!("clean build: writing from {writing:?}, ended at {end:?}");
    let clean_export = export(&clean_store);
    let clean = document_graphs(&clean_export);
    assert_eq!(clean.len(), KILL_DOCUMENTS);

    let store = dir.path().join("kg.ikg");
    let (mut killed, mut before_writing, mut while_writing) = (0, 0, 0);
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut round = 0u64;
    // The store's document graphs and build record after the last round.
    let mut state = None;
    while killed < kills && Instant::now() < deadline {
        // Every other round starts from an empty store; the others resume a killed one.
        if round.is_multiple_of(2) {
            let _ = std::fs::remove_dir_all(&store);
            state = None;
        }
        // Alternately a moment before the clean build started writing, and one after.
        let (from, to) = if round % 4 < 2 {
            (Duration::ZERO, writing)
        } else {
            (writing, end)
        };
        round += 1;
        let at = from + (to - from).mul_f64((random.next() % 1000) as f64 / 1000.0);
        let before = state.take();
        let mut child = spawn_build(&folder, &store);
        std::thread::sleep(at);
        if let Some(status) = child.try_wait().unwrap() {
            assert!(
                status.success(),
                "a build that ended failed ({status}):\n{}",
                build_errors(&store)
            );
            assert_same_export(
                &export(&store),
                &clean_export,
                "a build that ended is the clean build",
            );
            state = Some((clean.len(), None));
            continue;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        killed += 1;
        let stored = check_after_kill(&store, &clean);
        let after = KnowledgeStore::open_read_only(&store)
            .ok()
            .map(|kg| (stored, kg.unfinished_build().ok().flatten()));
        state = after;
        if after.is_some() && after != before {
            while_writing += 1;
        } else {
            before_writing += 1;
        }
    }
    eprintln!(
        "{killed} kills ({before_writing} before the build wrote anything, {while_writing} after it began writing), each leaving whole documents"
    );
    assert!(killed >= kills, "only {killed} kills in the time allowed");
    assert!(before_writing > 0 && while_writing > 0);
    let mut child = spawn_build(&folder, &store);
    let status = child.wait().unwrap();
    assert!(status.success(), "{status}:\n{}", build_errors(&store));
    assert_same_export(
        &export(&store),
        &clean_export,
        "the rebuild is the clean build",
    );
    let stats = common::stats_of(&store);
    assert!(stats.starts_with("documents\n"), "{stats}");
}
