//! `ikg push` against a real oxigraph server (the `oxigraph` binary of the PyPI package
//! `oxigraph`, started on a free loopback port by the test and killed at its end). Skipped,
//! with a message, where that binary is not installed.

mod common;

use ikg::push::{PushOptions, push};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TEXT: &str = "湖南青石精工机械有限公司位于青石高新区,主要生产数控机床和精密齿轮等产品。\n\
由湖南青石精工机械有限公司牵头、湘江科技大学共建的精密传动湖南省重点实验室日前通过验收。\n";

/// An oxigraph server process, killed when dropped.
struct OxigraphServer {
    child: Child,
    base: String,
    _dir: tempfile::TempDir,
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `oxigraph serve` on a fresh store, or returns None if the binary is missing.
fn start_oxigraph() -> Option<OxigraphServer> {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = match Command::new("oxigraph")
        .arg("serve")
        .arg("--location")
        .arg(dir.path())
        .arg("--bind")
        .arg(format!("127.0.0.1:{port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!(
                "SKIPPED: no `oxigraph` server binary ({e}); `pip install oxigraph==0.5.13` provides it"
            );
            return None;
        }
    };
    let server = OxigraphServer {
        child,
        base: format!("http://127.0.0.1:{port}"),
        _dir: dir,
    };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "oxigraph did not start listening within 30 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(server)
}

/// Triples per named graph, from SPARQL CSV results of `?g ?n`.
fn counts_from_csv(csv: &str) -> BTreeMap<String, usize> {
    csv.lines()
        .skip(1)
        .filter_map(|l| {
            let (g, n) = l.split_once(',')?;
            Some((g.to_string(), n.trim().parse().ok()?))
        })
        .collect()
}

const COUNTS: &str =
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g";

#[test]
fn push_round_trips_to_an_oxigraph_server() {
    let Some(server) = start_oxigraph() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let first_line = &TEXT[..TEXT.find('\n').unwrap()];
    let input = common::write_folder(
        &dir.path().join("in"),
        &[("alpha.txt", TEXT), ("beta.txt", first_line)],
    );
    let (store, summary) = common::build(&dir.path().join("kg"), &[input]);
    assert_eq!(summary.documents, 2);
    let local = match store.query(COUNTS).unwrap() {
        oxigraph::sparql::QueryResults::Solutions(s) => s
            .map(|s| {
                let s = s.unwrap();
                let g = match s.get("g").unwrap() {
                    oxigraph::model::Term::NamedNode(n) => n.as_str().to_string(),
                    other => panic!("graph {other}"),
                };
                let n = match s.get("n").unwrap() {
                    oxigraph::model::Term::Literal(l) => l.value().parse().unwrap(),
                    other => panic!("count {other}"),
                };
                (g, n)
            })
            .collect::<BTreeMap<String, usize>>(),
        _ => unreachable!(),
    };
    assert_eq!(
        local.len(),
        5,
        "two documents, the ontology, the entities and the counts: {local:?}"
    );

    let options = PushOptions::new(&format!("{}/store", server.base));
    // Twice: a second push replaces the graphs, it does not add to them.
    for _ in 0..2 {
        let report = push(&store, &options, |_| {}).unwrap();
        assert_eq!(report.len(), 5);
        assert!(report.iter().all(|g| g.error.is_none()), "{report:?}");
        for g in &report {
            assert_eq!(Some(&g.triples), local.get(&g.graph));
        }
    }
    let client: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let csv = client
        .post(format!("{}/query", server.base))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "text/csv")
        .send(COUNTS)
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert_eq!(counts_from_csv(&csv), local, "{csv}");
    // Evidence (RDF 1.2 triple terms) arrived intact.
    let ask = client
        .post(format!("{}/query", server.base))
        .header("Content-Type", "application/sparql-query")
        .header("Accept", "application/sparql-results+json")
        .send("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX ikg: <https://w3id.org/ikg/ontology#> ASK { GRAPH ?g { ?r rdf:reifies <<( ?s ikg:leads ?o )>> ; ikg:evidenceText ?t } }")
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    assert!(ask.contains("true"), "{ask}");
}

#[test]
fn an_unreachable_endpoint_is_reported_per_graph() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write_folder(&dir.path().join("in"), &[("alpha.txt", TEXT)]);
    let (store, _) = common::build(&dir.path().join("kg"), &[input]);
    let options = PushOptions {
        attempts: 2,
        pause: Duration::from_millis(10),
        ..PushOptions::new(&format!("http://127.0.0.1:{}/store", free_port()))
    };
    let report = push(&store, &options, |_| {}).unwrap();
    // The document, the ontology, the entities and the counts.
    assert_eq!(report.len(), 4);
    for g in &report {
        assert_eq!(g.attempts, 2);
        assert!(g.error.is_some());
    }
    assert!(
        push(
            &store,
            &PushOptions::new("https://example.org/store"),
            |_| {}
        )
        .is_err()
    );
}
