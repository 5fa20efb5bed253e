//! ikg under bad input and concurrent use, through the command line: every bad
//! input is reported once and the rest is built; readers work while a writer holds
//! the store; queries are bounded, streamed and end quietly on a closed pipe;
//! errors are printed once; `--prune` drops only documents whose files left the
//! inputs; an interrupted build is reported until a build completes.

mod common;

use common::{ikg, run_ikg as run, stats_of, stderr_lines};

use ikg::KnowledgeStore;
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

/// Text written for these tests.
const TEXT: &str = "湘潭高新区讯 湖南科瑞特电机有限公司投资3.5亿元建设年产20万台伺服电机项目。\n\
该公司由湘潭大学和湖南工程学院共建的伺服驱动湖南省工程技术研究中心近日揭牌。\n";

fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
    let mut bytes: Vec<u8> = match (bom, big_endian) {
        (false, _) => vec![],
        (true, false) => vec![0xFF, 0xFE],
        (true, true) => vec![0xFE, 0xFF],
    };
    for u in text.encode_utf16() {
        bytes.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    bytes
}

/// What a bad input must give.
#[derive(Debug)]
enum Expect {
    /// Stored with this encoding, with a warning holding this text (if any).
    Stored(&'static str, Option<String>),
    /// Not stored; one error line holding this text.
    Failed(&'static str),
}

/// The generated inputs: path below the input folder, bytes, expectation.
fn bad_inputs() -> Vec<(&'static str, Vec<u8>, Expect)> {
    use Expect::*;
    let gbk = encoding_rs::GBK.encode(TEXT).0.into_owned();
    let gb18030 = encoding_rs::GB18030
        .encode(&format!("{TEXT}𠮷字号。\n"))
        .0
        .into_owned();
    // Two stray bytes between characters, at offsets 9 and 1 + TEXT.len().
    let t = TEXT.as_bytes();
    let invalid = [&t[..9], b"\xFF", &t[9..], b"\xC0", t].concat();
    let invalid_note = format!("byte offsets 9, {}", 1 + t.len());
    // Cut in the middle of the final "。" (three bytes), before the line break.
    let truncated = t[..t.len() - 2].to_vec();
    let truncated_note = format!("byte offset {}", t.len() - 4);
    let mut nul = TEXT.as_bytes().to_vec();
    nul.insert(7, 0);
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend((0..200u8).map(|i| i.wrapping_mul(37)));
    vec![
        ("gbk.txt", gbk, Stored("GB18030", None)),
        ("gb18030.txt", gb18030, Stored("GB18030", None)),
        (
            "utf16le_bom.txt",
            utf16(TEXT, false, true),
            Stored("UTF-16LE", None),
        ),
        (
            "utf16be_bom.txt",
            utf16(TEXT, true, true),
            Stored("UTF-16BE", None),
        ),
        (
            "utf16le.txt",
            utf16(TEXT, false, false),
            Stored("UTF-16LE", None),
        ),
        (
            "utf16be.txt",
            utf16(TEXT, true, false),
            Stored("UTF-16BE", None),
        ),
        (
            "utf8_bom.txt",
            [b"\xEF\xBB\xBF", TEXT.as_bytes()].concat(),
            Stored("UTF-8", None),
        ),
        ("invalid.txt", invalid, Stored("UTF-8", Some(invalid_note))),
        (
            "truncated.txt",
            truncated,
            Stored("UTF-8", Some(truncated_note)),
        ),
        ("nul.txt", nul, Failed("binary data (NUL byte at offset 7)")),
        ("image.txt", png, Failed("binary data")),
        ("empty.txt", vec![], Stored("UTF-8", Some("no text".into()))),
        (
            "punctuation.txt",
            "。，、！？……\n".as_bytes().to_vec(),
            Stored("UTF-8", None),
        ),
        (
            "a/report.txt",
            TEXT.as_bytes().to_vec(),
            Stored("UTF-8", None),
        ),
        (
            "b/report.txt",
            gbk_of("湘潭市经信局发布报告。\n"),
            Stored("GB18030", None),
        ),
    ]
}

fn gbk_of(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

/// Document id → encoding, read from a store.
fn stored_documents(store: &Path) -> BTreeMap<String, String> {
    let store = KnowledgeStore::open_read_only(store).expect("store opens");
    let QueryResults::Solutions(rows) = store
        .query("SELECT ?d ?e WHERE { ?d a ikg:Document ; ikg:encoding ?e }")
        .expect("query")
    else {
        panic!("not a SELECT")
    };
    rows.map(|r| {
        let r = r.expect("row");
        let (Some(Term::NamedNode(d)), Some(Term::Literal(e))) = (r.get("d"), r.get("e")) else {
            panic!("unexpected row {r:?}")
        };
        let id = d.as_str().strip_prefix(ikg::vocab::DOC).expect("doc IRI");
        (id.replace("%2F", "/"), e.value().to_string())
    })
    .collect()
}

#[test]
fn every_bad_input_is_reported_once_and_the_rest_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    let inputs = bad_inputs();
    for (name, bytes, _) in &inputs {
        let path = input.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    std::fs::create_dir(input.join("loop")).unwrap();
    std::os::unix::fs::symlink("..", input.join("loop").join("self")).unwrap();
    // A second input folder whose file takes an id already given.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("gbk.txt"), TEXT).unwrap();
    let missing = dir.path().join("no-such-folder");
    let store = dir.path().join("kg.ikg");
    let path_arg = |p: &Path| p.to_str().unwrap().to_string();
    let out = run(&[
        "build",
        &path_arg(&input),
        &path_arg(&other),
        &path_arg(&missing),
        "--store",
        &path_arg(&store),
    ]);
    let lines = stderr_lines(&out);
    assert_eq!(out.status.code(), Some(1), "{lines:#?}");

    let errors: Vec<&String> = lines.iter().filter(|l| l.starts_with("error: ")).collect();
    let warnings: Vec<&String> = lines
        .iter()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    let once = |lines: &[&String], name: &str, text: &str| {
        let hits = lines
            .iter()
            .filter(|l| l.contains(name) && l.contains(text))
            .count();
        assert_eq!(hits, 1, "{name}: {text:?} once in {lines:#?}");
    };
    let mut expected_docs = BTreeMap::new();
    let mut failed = 0;
    for (name, _, expect) in &inputs {
        match expect {
            Expect::Stored(encoding, warning) => {
                expected_docs.insert(
                    name.trim_end_matches(".txt").to_string(),
                    encoding.to_string(),
                );
                if let Some(w) = warning {
                    once(&warnings, name, w);
                }
            }
            Expect::Failed(reason) => {
                once(&errors, name, reason);
                failed += 1;
            }
        }
    }
    once(&errors, "loop/self", "symbolic link loop");
    assert!(lines.iter().all(|l| !l.contains("self/self")), "{lines:#?}");
    once(&errors, "other/gbk.txt", "already taken");
    once(&errors, "no-such-folder", "no such file or folder");
    // The failures above, and the closing line that counts them.
    assert_eq!(errors.len(), failed + 3 + 1, "{errors:#?}");
    assert!(
        errors
            .last()
            .unwrap()
            .contains(&format!("{} inputs not built", failed + 3))
    );
    assert_eq!(stored_documents(&store), expected_docs);

    // --strict rejects what the default repairs; --fail-fast stops before writing.
    let strict_store = dir.path().join("strict.ikg");
    let out = run(&[
        "build",
        &path_arg(&input.join("invalid.txt")),
        "--strict",
        "--store",
        &path_arg(&strict_store),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr_lines(&out)[0].contains("invalid UTF-8 sequence(s), the first at byte offset 9")
    );
    let fast_store = dir.path().join("fast.ikg");
    let out = run(&[
        "build",
        &path_arg(&input),
        "--fail-fast",
        "--store",
        &path_arg(&fast_store),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr_lines(&out).len(), 1, "{:#?}", stderr_lines(&out));
    assert!(!fast_store.exists(), "--fail-fast wrote a store");
}

#[test]
fn a_clean_folder_builds_with_exit_zero_and_bare_stems() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write_folder(&dir.path().join("corpus"), &[("w_news01.txt", TEXT)]);
    let store = dir.path().join("kg.ikg");
    let out = run(&[
        "build",
        input.to_str().unwrap(),
        "--store",
        store.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{:#?}", stderr_lines(&out));
    assert!(stderr_lines(&out).is_empty(), "{:#?}", stderr_lines(&out));
    let docs = stored_documents(&store);
    assert_eq!(docs.keys().collect::<Vec<_>>(), ["w_news01"]);
    let reader = KnowledgeStore::open_read_only(&store).unwrap();
    let path = input.join("w_news01.txt");
    assert!(common::ask(
        &reader,
        &format!(
            "ASK {{ doc:w_news01 ikg:sourcePath {} }}",
            Term::from(oxigraph::model::Literal::new_simple_literal(
                path.to_str().unwrap()
            ))
        )
    ));
}

/// A store with a few documents, built in this process and still open for writing.
fn writer_store(dir: &Path) -> (KnowledgeStore, PathBuf) {
    let input = dir.join("in");
    std::fs::create_dir(&input).unwrap();
    for i in 0..3 {
        std::fs::write(input.join(format!("d{i}.txt")), TEXT).unwrap();
    }
    let path = dir.join("kg.ikg");
    let (store, summary) = common::build(&path, &[input]);
    assert_eq!(summary.documents, 3);
    (store, path)
}

#[test]
fn readers_work_while_a_writer_holds_the_store_and_a_second_writer_is_told_who() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    let store = path.to_str().unwrap();
    let out = run(&[
        "query",
        "--store",
        store,
        "--format",
        "csv",
        "-e",
        "SELECT (COUNT(?d) AS ?n) WHERE { ?d a ikg:Document }",
    ]);
    assert!(out.status.success(), "{:#?}", stderr_lines(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "n\r\n3\r\n");
    for args in [vec!["stats"], vec!["export", "--format", "nq"]] {
        let out = run(&[&["--store", store][..], &args].concat());
        assert!(out.status.success(), "{args:?}: {:#?}", stderr_lines(&out));
        assert!(!out.stdout.is_empty());
    }
    let input = dir.path().join("in");
    let out = run(&["build", input.to_str().unwrap(), "--store", store]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_lines(&out),
        [format!(
            "error: store is being written by another ikg build (pid {})",
            std::process::id()
        )]
    );
    drop(writer);
}

#[test]
fn a_folder_that_is_not_a_store_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let texts = dir.path().join("texts");
    std::fs::create_dir(&texts).unwrap();
    std::fs::write(texts.join("notes.md"), "mine").unwrap();
    std::fs::write(dir.path().join("a.txt"), TEXT).unwrap();
    for args in [
        vec![
            "build".to_string(),
            dir.path().join("a.txt").to_str().unwrap().to_string(),
        ],
        vec!["query".into(), "-e".into(), "ASK {}".into()],
    ] {
        let out = ikg()
            .args(&args)
            .args(["--store", texts.to_str().unwrap()])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let lines = stderr_lines(&out);
        assert_eq!(lines.len(), 1, "{lines:#?}");
        assert!(lines[0].contains("is not an ikg store"), "{lines:#?}");
    }
    let left: Vec<_> = std::fs::read_dir(&texts)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert_eq!(left, ["notes.md"]);
}

#[test]
fn errors_are_one_line_once() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    drop(writer);
    let store = path.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "--store",
                store,
                "query",
                "-e",
                "SELECT ?x WHERE { ?x foo:bar ?y }",
            ],
            "error: query syntax: unknown prefix foo: (line 1, column 22)",
        ),
        (
            &[
                "--store",
                store,
                "query",
                "-e",
                "SELECT ?x\nWHERE { ?x ?y }",
            ],
            "error: query syntax error at line 2, column 16: expected",
        ),
        (
            &[
                "--store",
                store,
                "--data",
                "/no/such/data",
                "query",
                "-e",
                "ASK {}",
            ],
            "error: --data /no/such/data: no such folder",
        ),
        (
            &["stats", "--store", "/no/such/store"],
            "error: /no/such/store: no store here",
        ),
    ];
    for (args, expected) in cases {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let lines = stderr_lines(&out);
        assert_eq!(lines.len(), 1, "{args:?}: {lines:#?}");
        assert!(lines[0].starts_with(expected), "{args:?}: {lines:#?}");
    }
    let out = run(&[
        "--store",
        store,
        "export",
        "--format",
        "dot",
        "--max-nodes",
        "3",
    ]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("more nodes not shown (--max-nodes 3)"));
}

/// A query whose result has billions of rows.
const CROSS_PRODUCT: &str = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";

/// A count over a product of four patterns: computed in memory, giving no row.
const IN_MEMORY_COUNT: &str =
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }";

#[test]
fn a_query_ends_when_the_command_that_runs_it_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    drop(writer);
    let store = path.to_str().unwrap();
    let mut command = ikg()
        .args(["query", "--store", store, "-e", IN_MEMORY_COUNT])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // The command and the child process that computes the query (same command line).
    let running = || common::processes_running(&["query", store]).len();
    let deadline = Instant::now() + Duration::from_secs(20);
    while running() < 2 {
        assert!(Instant::now() < deadline, "the query process did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    command.kill().unwrap();
    command.wait().unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while running() > 0 {
        assert!(Instant::now() < deadline, "the query computes on alone");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for a child at most `limit`, killing it after that.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

#[test]
fn queries_are_bounded_streamed_and_quiet_on_a_closed_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    drop(writer);
    let store = path.to_str().unwrap();

    let out = run(&[
        "query",
        "--store",
        store,
        "--format",
        "csv",
        "--limit",
        "5",
        "-e",
        CROSS_PRODUCT,
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1 + 5);
    assert!(stderr_lines(&out)[0].contains("stopped after 5 rows"));

    let mut child = ikg()
        .args([
            "query",
            "--store",
            store,
            "--format",
            "tsv",
            "--limit",
            "0",
            "--timeout",
            "1",
        ])
        .args(["-e", CROSS_PRODUCT])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_at_most(&mut child, Duration::from_secs(30)).expect("--timeout 1 honoured");
    assert_eq!(status.code(), Some(1));
    let mut message = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
    assert!(
        message.starts_with("error: query stopped after 1 s (--timeout)"),
        "{message}"
    );
    assert_eq!(message.lines().count(), 1, "{message}");

    // A count computed in memory gives no row and reads the store no more: the
    // process that computes it is killed, 2 s past the limit.
    let started = Instant::now();
    let out = run(&[
        "query",
        "--store",
        store,
        "--timeout",
        "1",
        "-e",
        IN_MEMORY_COUNT,
    ]);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr_lines(&out),
        ["error: query stopped after 1 s (--timeout), still computing in memory"]
    );
    assert_eq!(
        common::processes_running(&["query", store]),
        Vec::<String>::new()
    );

    for format in ["csv", "json", "table"] {
        let mut child = ikg()
            .args([
                "query",
                "--store",
                store,
                "--format",
                format,
                "--limit",
                "0",
                "--timeout",
                "0",
            ])
            .args(["-e", CROSS_PRODUCT])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The first bytes come while the query is still running; then the pipe is closed.
        let mut stdout = child.stdout.take().unwrap();
        let (sender, received) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut first = [0u8; 64];
            let n = std::io::Read::read(&mut stdout, &mut first).unwrap_or(0);
            let _ = sender.send(n);
        });
        let streamed = received.recv_timeout(Duration::from_secs(20));
        if !matches!(streamed, Ok(n) if n > 0) {
            let _ = child.kill();
            panic!("{format}: nothing streamed within 20 s ({streamed:?})");
        }
        let status =
            wait_at_most(&mut child, Duration::from_secs(30)).expect("ends on a closed pipe");
        let mut message = String::new();
        std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut message).unwrap();
        assert_eq!((status.code(), message.as_str()), (Some(0), ""), "{format}");
    }
}

#[test]
fn documents_are_removed_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    drop(writer);
    let store = path.to_str().unwrap();
    let out = run(&["remove", "d1", "--store", store]);
    assert!(out.status.success(), "{:#?}", stderr_lines(&out));
    assert_eq!(
        stored_documents(&path).keys().collect::<Vec<_>>(),
        ["d0", "d2"]
    );
    let out = run(&["remove", "d0", "nothing", "--store", store]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr_lines(&out).len(), 1, "{:#?}", stderr_lines(&out));
    assert!(stderr_lines(&out)[0].contains("no document nothing"));
    assert_eq!(stored_documents(&path).keys().collect::<Vec<_>>(), ["d2"]);
}

/// Texts written for the pruning test, one document each, naming nothing in common.
const PRUNE_TEXTS: [(&str, &str); 3] = [
    ("one.txt", "芜湖星辰新材料有限公司位于芜湖高新区。\n"),
    (
        "two.txt",
        "合肥蓝海科技有限公司与中国科学技术大学共建智能传感联合实验室。\n",
    ),
    (
        "three.txt",
        "德阳东岳重工有限公司投资2亿元建设年产500台风电齿轮箱项目。\n",
    ),
];

/// The quads of one document's graph, as sorted N-Quads lines.
fn graph_lines(store: &Path, doc: &str) -> Vec<String> {
    let store = KnowledgeStore::open_read_only(store).expect("store opens");
    let graph = ikg::vocab::document_iri(doc);
    let mut lines: Vec<String> = store
        .inner()
        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()))
        .map(|q| q.expect("quad").to_string())
        .collect();
    lines.sort();
    lines
}

/// Builds `inputs` into `store`, with any extra arguments; the output.
fn build_into(store: &Path, inputs: &[&Path], extra: &[&str]) -> Output {
    let out = ikg()
        .arg("build")
        .args(inputs)
        .args(["--store", store.to_str().unwrap()])
        .args(extra)
        .output()
        .expect("run ikg");
    assert!(out.status.success(), "{:#?}", stderr_lines(&out));
    out
}

#[test]
fn prune_drops_only_the_documents_whose_files_left_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let texts = common::write_folder(&dir.path().join("texts"), &PRUNE_TEXTS);
    let other = common::write_folder(&dir.path().join("other"), &[("four.txt", TEXT)]);
    let store = dir.path().join("kg.ikg");
    build_into(&store, &[&texts], &[]);
    build_into(&store, &[&other], &[]);
    let before: Vec<Vec<String>> = ["one", "three", "four"]
        .iter()
        .map(|d| graph_lines(&store, d))
        .collect();
    std::fs::remove_file(texts.join("two.txt")).unwrap();

    // Without --prune, the graph stays.
    build_into(&store, &[&texts], &[]);
    assert_eq!(stored_documents(&store).len(), 4);
    // With an input that cannot be read, nothing is pruned.
    let missing = dir.path().join("missing");
    let out = ikg()
        .args(["build", "--prune", "--store", store.to_str().unwrap()])
        .args([&texts, &missing])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr_lines(&out)[0].contains("--prune: nothing pruned"));
    assert_eq!(stored_documents(&store).len(), 4);

    let out = build_into(&store, &[&texts], &["--prune"]);
    let printed = String::from_utf8_lossy(&out.stdout);
    assert!(
        printed.contains(
            "pruned 1 document whose file is no longer among the inputs or cannot be built: two"
        ),
        "{printed}"
    );
    assert_eq!(
        stored_documents(&store).keys().collect::<Vec<_>>(),
        ["four", "one", "three"],
        "the document of the other folder stays"
    );
    let after: Vec<Vec<String>> = ["one", "three", "four"]
        .iter()
        .map(|d| graph_lines(&store, d))
        .collect();
    assert_eq!(before, after, "the other documents are unchanged");
    assert!(graph_lines(&store, "two").is_empty());

    // The counts are those of a store built from the remaining files only.
    let clean = dir.path().join("clean.ikg");
    build_into(&clean, &[&texts], &[]);
    build_into(&clean, &[&other], &[]);
    let stats = stats_of(&store);
    assert!(
        stats.starts_with("documents\n?documents\n----------\n3\n"),
        "{stats}"
    );
    assert_eq!(stats, stats_of(&clean));
}

#[test]
fn an_interrupted_build_is_reported_until_a_build_completes() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    assert_eq!(writer.unfinished_build().unwrap(), None);
    // What a build killed after its first batch leaves: the record of the build
    // and the batch's count, written with the batch, but no end.
    writer.begin_build(3).unwrap();
    let ex = common::extract(&common::pipeline(), "late", TEXT);
    let graph = ikg::vocab::document_iri("late");
    writer
        .write_documents([(graph, ikg::store::document_quads(&ex))])
        .unwrap();
    assert_eq!(writer.unfinished_build().unwrap(), Some((1, 3)));
    let stats = stats_of(&path);
    assert!(
        stats.starts_with("build under way: 1 of 3 documents written so far\n"),
        "{stats}"
    );
    drop(writer);
    let stats = stats_of(&path);
    assert!(
        stats.starts_with("last build interrupted: 1 of 3 documents written"),
        "{stats}"
    );
    assert!(stats.contains("?documents\n----------\n4\n"), "{stats}");

    // A complete build clears it, even one that has nothing to write.
    build_into(&path, &[&dir.path().join("in")], &[]);
    let stats = stats_of(&path);
    assert!(stats.starts_with("documents\n"), "{stats}");
}

#[test]
fn a_build_killed_while_writing_is_reported_with_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("many");
    std::fs::create_dir(&input).unwrap();
    let files = 3000;
    for i in 0..files {
        let text = TEXT.replace("3.5亿元", &format!("{}.{}亿元", i / 10 + 1, i % 10));
        std::fs::write(input.join(format!("d{i:04}.txt")), text).unwrap();
    }
    let path = dir.path().join("kg.ikg");
    let mut child = ikg()
        .args(["build", "--store", path.to_str().unwrap()])
        .arg(&input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill the build once it has started writing.
    let deadline = Instant::now() + Duration::from_secs(300);
    let caught = loop {
        let writing = KnowledgeStore::open_read_only(&path)
            .ok()
            .and_then(|store| store.unfinished_build().ok().flatten())
            .is_some();
        if writing || Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            break writing;
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(caught, "the build was seen writing");
    // …at a moment between 0 and 4 s later, which varies from run to run.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    std::thread::sleep(Duration::from_millis(u64::from(nanos % 4000)));
    child.kill().unwrap();
    child.wait().unwrap();

    let stored = stored_documents(&path).len();
    let stats = stats_of(&path);
    let interrupted = format!("last build interrupted: {stored} of {files} documents written");
    eprintln!(
        "killed {} ms after the first write: {stored} stored",
        nanos % 4000
    );
    assert!(
        stats.starts_with(&interrupted) || (stored == files && stats.starts_with("documents\n")),
        "{stored} stored\n{stats}"
    );
    build_into(&path, &[&input], &[]);
    assert_eq!(stored_documents(&path).len(), files);
    assert!(stats_of(&path).starts_with("documents\n"));
}

#[test]
fn a_build_locks_the_store_only_to_write_and_works_out_again_what_another_wrote_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let (writer, path) = writer_store(dir.path());
    drop(writer);
    let many = dir.path().join("many");
    std::fs::create_dir(&many).unwrap();
    for i in 0..800 {
        let text = TEXT.replace("3.5亿元", &format!("{}.{}亿元", i / 10 + 1, i % 10));
        std::fs::write(many.join(format!("m{i:04}.txt")), text).unwrap();
    }
    let mut child = ikg()
        .args(["build", "--store", path.to_str().unwrap()])
        .arg(&many)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    // While the build reads and extracts, another writer opens the store and removes a document.
    let store = KnowledgeStore::open(&path).expect("the store is not locked while extracting");
    assert!(
        store.unfinished_build().unwrap().is_none(),
        "too late: the build writes"
    );
    assert!(store.remove_document("d0").unwrap());
    drop(store);
    let status = wait_at_most(&mut child, Duration::from_secs(300)).expect("the build ends");
    let mut errors = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut errors).unwrap();
    assert!(status.success(), "{errors}");
    let stored = stored_documents(&path);
    assert_eq!(stored.len(), 802, "the removal and the build both count");
    assert!(!stored.contains_key("d0"));
    assert!(stats_of(&path).starts_with("documents\n"));
}

#[test]
fn a_document_id_another_folder_took_in_the_store_is_refused_while_its_file_exists() {
    let dir = tempfile::tempdir().unwrap();
    let x = common::write_folder(&dir.path().join("x"), &[("report.txt", TEXT)]);
    let y = common::write_folder(
        &dir.path().join("y"),
        &[("report.txt", PRUNE_TEXTS[0].1), ("other.txt", TEXT)],
    );
    let store = dir.path().join("kg.ikg");
    build_into(&store, &[&x], &[]);
    let before = graph_lines(&store, "report");
    let out = ikg()
        .args(["build", "--store", store.to_str().unwrap()])
        .arg(&y)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let errors = stderr_lines(&out);
    let taken = errors
        .iter()
        .find(|l| l.contains("its document id report is taken in the store by"))
        .unwrap_or_else(|| panic!("{errors:#?}"));
    assert!(taken.contains(&format!("{}", x.join("report.txt").display())));
    assert!(taken.contains(&format!("{}", y.join("report.txt").display())));
    assert_eq!(
        graph_lines(&store, "report"),
        before,
        "the stored document stays"
    );
    assert!(stored_documents(&store).contains_key("other"));
    // Once the first file is gone (its folder moved), the other file may take the id.
    std::fs::remove_dir_all(&x).unwrap();
    build_into(&store, &[&y], &[]);
    assert_ne!(graph_lines(&store, "report"), before);
}
