//! `ikg serve` over real HTTP: servers started on free loopback ports by the tests (they stop
//! when dropped, or when the test process ends), queried with an HTTP client.

mod common;

use ikg::serve::{EXAMPLES, GRAPH_NODES_HEADER, ServeConfig, Server};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{GraphName, NamedNode, Quad};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const PARK_TEXT: &str = "湖南青石精工机械有限公司位于湘潭高新区,主要生产数控机床和精密齿轮等产品。\n\
湖南青石精工机械有限公司投资5.2亿元建设年产3000台数控机床项目。\n";

const LAB_TEXT: &str =
    "由湖南青石精工机械有限公司牵头、湘潭大学共建的精密传动湖南省重点实验室日前通过验收。\n";

/// A company and a place of the texts above, and the relation between them.
const COMPANY: &str = "湖南青石精工机械有限公司";
const LAB: &str = "精密传动湖南省重点实验室";

/// Builds the two test documents into a new store under `dir`.
fn build_store(dir: &Path) -> PathBuf {
    let input = common::write_folder(
        &dir.join("in"),
        &[("park_news.txt", PARK_TEXT), ("lab_news.txt", LAB_TEXT)],
    );
    let store = dir.join("kg.ikg");
    let (kg, summary) = common::build(&store, &[input]);
    assert_eq!(summary.documents, 2, "{:?}", summary.failures);
    kg.flush().unwrap();
    store
}

/// A server on a free loopback port that evaluates each query in an `ikg serve-query` child
/// process, as `ikg serve` does.
fn config(store: &Path) -> ServeConfig {
    ServeConfig {
        bind: "127.0.0.1:0".parse().unwrap(),
        timeout: Duration::from_secs(10),
        max_rows: 10_000,
        query_process: Some(PathBuf::from(env!("CARGO_BIN_EXE_ikg"))),
        ..ServeConfig::new(store.to_path_buf())
    }
}

/// A store of one long chain `urn:n0 urn:next urn:n1 …`: following it takes a store read
/// per step, so a path query over it is slow and stops promptly when cancelled.
fn chain_store(dir: &Path) -> PathBuf {
    let path = dir.join("chain.ikg");
    let kg = ikg::KnowledgeStore::open(&path).unwrap();
    let node = |i: usize| NamedNode::new(format!("urn:n{i}")).unwrap();
    let next = NamedNode::new("urn:next").unwrap();
    kg.inner()
        .extend(
            (0..4000)
                .map(|i| Quad::new(node(i), next.clone(), node(i + 1), GraphName::DefaultGraph)),
        )
        .unwrap();
    kg.flush().unwrap();
    path
}

/// The shared read-only servers: a roomy one on the documents and a tight one (1 s, 5 rows)
/// on a long chain.
struct Fixture {
    _dir: tempfile::TempDir,
    roomy: String,
    tight: String,
    _servers: Vec<std::sync::Mutex<Server>>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let store = build_store(dir.path());
        let roomy = Server::start(config(&store)).expect("server starts");
        let tight = Server::start(ServeConfig {
            timeout: Duration::from_secs(1),
            max_rows: 5,
            ..config(&chain_store(dir.path()))
        })
        .expect("server starts");
        Fixture {
            roomy: format!("http://{}", roomy.addr()),
            tight: format!("http://{}", tight.addr()),
            _dir: dir,
            _servers: vec![roomy.into(), tight.into()],
        }
    })
}

/// An HTTP client that returns error statuses as answers and gives up after 60 s.
fn client() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Status, content type and body of an answer.
struct Answer {
    status: u16,
    content_type: String,
    body: String,
    headers: ureq::http::HeaderMap,
}

fn read(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("the server answers");
    Answer {
        status: response.status().as_u16(),
        content_type: response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default(),
        headers: response.headers().clone(),
        body: response.body_mut().read_to_string().unwrap(),
    }
}

fn get(base: &str, path: &str, params: &[(&str, &str)], accept: &str) -> Answer {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    read(
        client()
            .get(format!("{base}{path}?{query}"))
            .header("Accept", accept)
            .call(),
    )
}

fn select(base: &str, query: &str, accept: &str) -> Answer {
    get(base, "/sparql", &[("query", query)], accept)
}

const PARKS: &str = "SELECT DISTINCT ?park ?company WHERE { ?c a ikg:Company ; ikg:locatedIn ?p ; rdfs:label ?company . ?p rdfs:label ?park } ORDER BY ?park ?company";

#[test]
fn select_answers_in_each_results_format() {
    let base = &fixture().roomy;
    let json = select(base, PARKS, "application/sparql-results+json");
    assert_eq!(json.status, 200, "{}", json.body);
    assert_eq!(json.content_type, "application/sparql-results+json");
    let parsed: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(
        parsed["head"]["vars"],
        serde_json::json!(["park", "company"])
    );
    let rows = parsed["results"]["bindings"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["company"]["value"] == COMPANY && r["park"]["value"] == "湘潭高新区"),
        "{}",
        json.body
    );

    let xml = select(base, PARKS, "application/sparql-results+xml");
    assert_eq!(xml.content_type, "application/sparql-results+xml");
    assert!(xml.body.contains("<sparql") && xml.body.contains(COMPANY));

    let csv = select(base, PARKS, "text/csv");
    assert!(csv.content_type.starts_with("text/csv"));
    assert!(csv.body.starts_with("park,company\r\n"), "{}", csv.body);
    assert!(csv.body.contains(&format!("湘潭高新区,{COMPANY}")));

    let tsv = select(base, PARKS, "text/tab-separated-values");
    assert!(tsv.content_type.starts_with("text/tab-separated-values"));
    assert!(tsv.body.starts_with("?park\t?company\n"), "{}", tsv.body);
    assert!(tsv.body.contains(&format!("\"{COMPANY}\"@zh")));

    // Accept with weights, and the format parameter of browsers.
    let weighted = select(base, PARKS, "text/html;q=0.9, text/csv;q=0.5, */*;q=0.1");
    assert!(weighted.content_type.starts_with("text/csv"));
    let named = get(
        base,
        "/sparql",
        &[("query", PARKS), ("format", "tsv")],
        "*/*",
    );
    assert!(named.content_type.starts_with("text/tab-separated-values"));
    let refused = select(base, PARKS, "image/png");
    assert_eq!(refused.status, 406);
    assert!(refused.body.contains("application/sparql-results+json"));
}

#[test]
fn queries_are_posted_as_forms_or_directly() {
    let base = &fixture().roomy;
    let direct = read(
        client()
            .post(format!("{base}/sparql"))
            .header("Content-Type", "application/sparql-query")
            .header("Accept", "text/csv")
            .send(PARKS),
    );
    assert_eq!(direct.status, 200, "{}", direct.body);
    let form = read(
        client()
            .post(format!("{base}/sparql"))
            .header("Accept", "text/csv")
            .send_form([("query", PARKS)]),
    );
    assert_eq!(form.status, 200, "{}", form.body);
    assert_eq!(direct.body, form.body);
    assert!(direct.body.contains(COMPANY));
    let unknown = read(
        client()
            .post(format!("{base}/sparql"))
            .header("Content-Type", "text/plain")
            .send(PARKS),
    );
    assert_eq!(unknown.status, 415);
}

#[test]
fn construct_answers_in_turtle() {
    let base = &fixture().roomy;
    let query = "CONSTRUCT { ?c ikg:locatedIn ?p . ?c rdfs:label ?l } WHERE { ?c ikg:locatedIn ?p ; rdfs:label ?l }";
    let answer = select(base, query, "text/turtle");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, "text/turtle");
    let triples = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(answer.body.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("valid Turtle");
    assert!(triples.len() >= 2, "{}", answer.body);
    assert!(answer.body.contains(COMPANY));
    let nt = select(base, query, "application/n-triples");
    assert_eq!(nt.content_type, "application/n-triples");
    assert_eq!(nt.body.lines().count(), triples.len());
}

#[test]
fn updates_are_refused() {
    let base = &fixture().roomy;
    let update = "INSERT DATA { <urn:x> <urn:y> <urn:z> }";
    let direct = read(
        client()
            .post(format!("{base}/sparql"))
            .header("Content-Type", "application/sparql-update")
            .send(update),
    );
    assert_eq!(direct.status, 403, "{}", direct.body);
    assert!(direct.body.contains("read-only"), "{}", direct.body);
    let form = read(
        client()
            .post(format!("{base}/sparql"))
            .send_form([("update", update)]),
    );
    assert_eq!(form.status, 403);
    let ask = select(
        base,
        "ASK { <urn:x> ?p ?o }",
        "application/sparql-results+json",
    );
    assert!(ask.body.contains("false"), "{}", ask.body);
}

#[test]
fn a_query_past_the_time_limit_is_stopped_at_its_next_store_read_in_process() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start(ServeConfig {
        timeout: Duration::from_secs(1),
        max_running: 1,
        query_process: None,
        ..config(&chain_store(dir.path()))
    })
    .unwrap();
    let base = format!("http://{}", server.addr());
    let slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a <urn:next>* ?b }";
    let started = Instant::now();
    let answer = select(&base, slow, "application/sparql-results+json");
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("time limit of 1 s"), "{}", answer.body);
    assert!(started.elapsed() < Duration::from_secs(10));
    // The query really stopped: its one slot frees and the next query is answered.
    let quick = "ASK { <urn:n0> <urn:next> <urn:n1> }";
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let answer = select(&base, quick, "application/sparql-results+json");
        if answer.status == 200 {
            assert!(answer.body.contains("true"));
            break;
        }
        assert!(answer.body.contains("busy"), "{}", answer.body);
        assert!(Instant::now() < deadline, "the cancelled query still runs");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A server on `store` with a time limit of 1 s and one query at a time, its queries (and
/// updates, when allowed) in child processes.
fn tight_server(store: &Path, allow_update: bool) -> Server {
    Server::start(ServeConfig {
        allow_update,
        timeout: Duration::from_secs(1),
        max_running: 1,
        ..config(store)
    })
    .unwrap()
}

/// The answer of a request stopped at the time limit of 1 s, within 5 s of `started`, whose
/// process on `store` is gone.
fn assert_killed_at_the_limit(answer: &Answer, started: Instant, store: &Path) {
    assert_eq!(answer.status, 503, "{}", answer.body);
    assert!(answer.body.contains("time limit of 1 s"), "{}", answer.body);
    assert!(started.elapsed() < Duration::from_secs(5));
    let on_this_store = format!("{} serve-query", store.display());
    assert_eq!(
        common::processes_running(&[&on_this_store]),
        Vec::<String>::new()
    );
}

#[test]
fn a_query_computing_in_memory_past_the_time_limit_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let store = chain_store(dir.path());
    let server = tight_server(&store, false);
    let base = format!("http://{}", server.addr());
    // Three reads of the store, then 4000³ combinations counted in memory: cancellation,
    // checked only at store reads, would not stop it for hours.
    let product = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = Instant::now();
    let answer = select(&base, product, "application/sparql-results+json");
    assert_killed_at_the_limit(&answer, started, &store);
    // Its one slot is free at once: the next query is answered.
    let quick = select(
        &base,
        "ASK { <urn:n0> <urn:next> <urn:n1> }",
        "application/sparql-results+json",
    );
    assert_eq!(quick.status, 200, "{}", quick.body);
    assert!(quick.body.contains("true"));
    // The same for a drawing of a CONSTRUCT query.
    let started = Instant::now();
    let drawing = get(
        &base,
        "/graph.svg",
        &[(
            "query",
            "CONSTRUCT { ?a ?b ?c } WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
        )],
        "*/*",
    );
    assert_killed_at_the_limit(&drawing, started, &store);
    let quick = select(&base, "ASK { ?s ?p ?o }", "application/sparql-results+json");
    assert_eq!(quick.status, 200, "{}", quick.body);
}

#[test]
fn too_many_rows_are_refused_with_a_reason() {
    let base = &fixture().tight;
    let answer = select(base, "SELECT * WHERE { ?s ?p ?o }", "text/csv");
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert!(answer.body.contains("more than 5 rows"), "{}", answer.body);
    let small = select(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 5", "text/csv");
    assert_eq!(small.status, 200, "{}", small.body);
}

#[test]
fn a_malformed_query_gets_the_parser_message() {
    let base = &fixture().roomy;
    let answer = select(base, "SELECT ?x WHERE { ?x ikg:locatedIn ", "*/*");
    assert_eq!(answer.status, 400);
    assert!(answer.content_type.starts_with("text/plain"));
    assert!(answer.body.contains("query syntax"), "{}", answer.body);
    assert!(answer.body.contains("error at 1:"), "{}", answer.body);
    let unknown_prefix = select(base, "SELECT ?x WHERE { ?x nope:p ?y }", "*/*");
    assert_eq!(unknown_prefix.status, 400);
    assert!(
        unknown_prefix.body.contains("Prefix not found"),
        "{}",
        unknown_prefix.body
    );
}

#[test]
fn the_dataset_is_the_union_unless_the_request_names_graphs() {
    let base = &fixture().roomy;
    let docs = "SELECT DISTINCT ?d WHERE { ?d a ikg:Document } ORDER BY ?d";
    let union = select(base, docs, "text/csv");
    assert!(union.body.contains("lab_news") && union.body.contains("park_news"));
    let park = "https://w3id.org/ikg/doc/park_news";
    let one = get(
        base,
        "/sparql",
        &[("query", docs), ("default-graph-uri", park)],
        "text/csv",
    );
    assert!(
        one.body.contains("park_news") && !one.body.contains("lab_news"),
        "{}",
        one.body
    );
    let graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }";
    let named = get(
        base,
        "/sparql",
        &[("query", graphs), ("named-graph-uri", park)],
        "text/csv",
    );
    assert_eq!(named.body, format!("g\r\n{park}\r\n"));
    let bad = get(
        base,
        "/sparql",
        &[("query", docs), ("default-graph-uri", "not an iri")],
        "text/csv",
    );
    assert_eq!(bad.status, 400);
}

#[test]
fn the_service_description_and_cors() {
    let base = &fixture().roomy;
    let answer = get(base, "/sparql", &[], "text/turtle");
    assert_eq!(answer.status, 200, "{}", answer.body);
    let triples = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(answer.body.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .expect("valid Turtle");
    let text: Vec<String> = triples.iter().map(|q| q.to_string()).collect();
    let has = |needle: &str| text.iter().any(|t| t.contains(needle));
    assert!(has("sparql-service-description#Service"));
    assert!(has(&format!("<{base}/sparql>")), "{}", answer.body);
    assert!(has("SPARQL_Results_CSV"));
    assert!(has("<https://w3id.org/ikg/doc/park_news>"));
    assert_eq!(
        answer.headers.get("access-control-allow-origin").unwrap(),
        "*"
    );
    let preflight = read(
        client()
            .options(format!("{base}/sparql"))
            .header("Origin", "http://elsewhere.example")
            .header("Access-Control-Request-Method", "POST")
            .call(),
    );
    assert_eq!(preflight.status, 204);
    assert!(
        preflight.headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
}

#[test]
fn the_page_and_its_examples() {
    let base = &fixture().roomy;
    let page = get(base, "/", &[], "text/html");
    assert_eq!(page.content_type, "text/html; charset=utf-8");
    assert!(page.body.contains("<textarea") && page.body.contains("app.js"));
    assert!(!page.body.contains("http://") && !page.body.contains("https://"));
    let script = get(base, "/app.js", &[], "*/*");
    assert!(script.body.contains("graph.svg"));
    let examples = get(base, "/examples.json", &[], "application/json");
    let list: Vec<serde_json::Value> = serde_json::from_str(&examples.body).unwrap();
    let mut files: Vec<String> = std::fs::read_dir(common::root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".rq"))
        .collect();
    files.sort();
    let mut served: Vec<String> = list
        .iter()
        .map(|e| e["name"].as_str().unwrap().to_string())
        .collect();
    served.sort();
    assert_eq!(served, files, "every file of queries/ is offered, once");
    assert_eq!(EXAMPLES.len(), files.len());
    // Every example runs.
    for e in &list {
        let answer = select(base, e["query"].as_str().unwrap(), "*/*");
        assert_eq!(answer.status, 200, "{}: {}", e["name"], answer.body);
    }
}

#[test]
fn the_neighbourhood_is_drawn_as_svg() {
    let base = &fixture().roomy;
    let answer = get(base, "/graph.svg", &[("entity", COMPANY)], "*/*");
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.content_type, "image/svg+xml; charset=utf-8");
    assert!(answer.body.contains("<svg"));
    for label in [COMPANY, "湘潭高新区", LAB, "位于"] {
        assert!(answer.body.contains(label), "{label} not in the SVG");
    }
    assert!(answer.body.contains("Noto Sans CJK SC"));
    let nodes: usize = answer.headers[GRAPH_NODES_HEADER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(nodes >= 3);
    let english = get(
        base,
        "/graph.svg",
        &[("entity", COMPANY), ("lang", "en")],
        "*/*",
    );
    assert!(english.body.contains("locatedIn"));
    let missing = get(base, "/graph.svg", &[("entity", "没有这个公司")], "*/*");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("没有这个公司"));
}

#[test]
fn a_relation_shows_its_evidence() {
    let base = &fixture().roomy;
    let answer = get(
        base,
        "/evidence",
        &[("subject", LAB), ("object", COMPANY)],
        "*/*",
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let parsed: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let rows = parsed["results"]["bindings"].as_array().unwrap();
    assert!(!rows.is_empty(), "{}", answer.body);
    for row in rows {
        assert_eq!(row["subject"]["value"], COMPANY);
        assert_eq!(row["object"]["value"], LAB);
        assert_eq!(row["document"]["value"], "lab_news.txt");
        assert!(
            row["evidence"]["value"]
                .as_str()
                .unwrap()
                .contains("共建的精密传动")
        );
    }
    assert!(rows.iter().any(|r| r["property"]["value"] == "leads"));
}

#[test]
fn a_build_beside_the_server_is_seen_without_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let server = Server::start(config(&store)).unwrap();
    let base = format!("http://{}", server.addr());
    let count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a ikg:Document }";
    assert_eq!(select(&base, count, "text/csv").body, "n\r\n2\r\n");
    let more = common::write_folder(&dir.path().join("more"), &[("third.txt", PARK_TEXT)]);
    let (kg, summary) = common::build(&store, &[more]);
    assert_eq!(summary.documents, 1);
    kg.flush().unwrap();
    drop(kg);
    assert_eq!(select(&base, count, "text/csv").body, "n\r\n3\r\n");
}

/// Posts a SPARQL update.
fn post_update(base: &str, update: &str) -> Answer {
    read(
        client()
            .post(format!("{base}/sparql"))
            .header("Content-Type", "application/sparql-update")
            .send(update),
    )
}

#[test]
fn updates_are_accepted_when_allowed_and_a_build_runs_beside_them() {
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path());
    let server = Server::start(ServeConfig {
        allow_update: true,
        ..config(&store)
    })
    .unwrap();
    let base = format!("http://{}", server.addr());
    let update = post_update(
        &base,
        "INSERT DATA { GRAPH <urn:g> { <urn:x> rdfs:label \"新增\"@zh } }",
    );
    assert_eq!(update.status, 204, "{}", update.body);
    let ask = select(&base, "ASK { <urn:x> rdfs:label \"新增\"@zh }", "*/*");
    assert!(ask.body.contains("true"), "{}", ask.body);
    let description = get(&base, "/sparql", &[], "text/turtle");
    assert!(description.body.contains("SPARQL11Update"));
    // The server holds no lock between updates: a build writes the store beside it.
    let more = common::write_folder(&dir.path().join("more"), &[("third.txt", PARK_TEXT)]);
    let (kg, summary) = common::build(&store, &[more]);
    assert_eq!(summary.documents, 1);
    drop(kg);
    let count = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a ikg:Document }";
    assert_eq!(select(&base, count, "text/csv").body, "n\r\n3\r\n");
    assert!(
        select(&base, "ASK { <urn:x> ?p ?o }", "*/*")
            .body
            .contains("true")
    );
}

#[test]
fn an_update_computing_past_the_time_limit_is_killed_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = chain_store(dir.path());
    let server = tight_server(&store, true);
    let base = format!("http://{}", server.addr());
    // A count over 4000³ combinations, computed in memory, then one triple inserted.
    let slow = "INSERT { <urn:x> <urn:count> ?n } WHERE { \
                { SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } } }";
    let started = Instant::now();
    let answer = post_update(&base, slow);
    assert_killed_at_the_limit(&answer, started, &store);
    // Its slot and the store's lock are free, and it wrote nothing.
    let ask = select(
        &base,
        "ASK { <urn:x> ?p ?o }",
        "application/sparql-results+json",
    );
    assert!(ask.body.contains("false"), "{}", ask.body);
    let quick = post_update(&base, "INSERT DATA { <urn:y> <urn:p> <urn:z> }");
    assert_eq!(quick.status, 204, "{}", quick.body);
    let ask = select(
        &base,
        "ASK { <urn:y> ?p ?o }",
        "application/sparql-results+json",
    );
    assert!(ask.body.contains("true"), "{}", ask.body);
}
