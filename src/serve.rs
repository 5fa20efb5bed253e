//! Serve: the store over HTTP, for SPARQL clients and for a browser.
//!
//! - `/sparql`: the [SPARQL 1.1 Protocol](https://www.w3.org/TR/sparql11-protocol/) (GET, POST
//!   as a form or as `application/sparql-query`), results in JSON, XML, CSV or TSV and graphs in
//!   Turtle, N-Triples, RDF/XML or JSON-LD by content negotiation (or a `format` parameter);
//!   without a query it answers with the
//!   [Service Description](https://www.w3.org/TR/sparql11-service-description/). The default
//!   graph is the union of the documents' graphs unless the request (`default-graph-uri`,
//!   `named-graph-uri`) or the query (`FROM`, `FROM NAMED`) names a dataset. Updates are refused
//!   (403) unless the server was started with updates allowed.
//! - `/`: a page with a query editor, the example queries, results as a table, an entity's
//!   neighbourhood drawn by Graphviz (`/graph.svg`) and the evidence of a relation (`/evidence`).
//!
//! Every answer carries CORS headers, so browser-based clients on other origins can query.
//! Queries, drawings and updates run in child processes killed at the time limit (see
//! [`crate::query::run_time_limited`]), queries with a row limit; errors are plain text.
//! The server reads the store through a read-only opening that it renews when the store's
//! files change, so it sees what `ikg build` or an update wrote without a restart.

use crate::draw::{self, DrawError};
use crate::export::{KgGraph, Lang};
use crate::query::Limited;
use crate::store::{self, KnowledgeStore, StoreError};
use crate::vocab;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedOrBlankNode, Triple};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, PreparedSparqlQuery, QueryEvaluationError, QueryResults,
};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};
use thiserror::Error;

/// Settings of a server.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The store folder.
    pub store: PathBuf,
    /// Address and port to listen on (port 0: any free port).
    pub bind: SocketAddr,
    /// Accept SPARQL updates. Each is applied by a child process (see `query_process`) that
    /// holds the store's lock only while it runs; without one, the server opens the store for
    /// writing and holds it, so no build can run beside it.
    pub allow_update: bool,
    /// Longest time a query or a drawing may take.
    pub timeout: Duration,
    /// Most result rows (or triples) a query may return.
    pub max_rows: usize,
    /// Most queries and drawings computed at once; more are answered 503.
    pub max_running: usize,
    /// The `ikg` executable that evaluates each `/sparql` query, drawing and update in a child
    /// process (`ikg serve-query`), killed at the time limit. Without it, they run in the
    /// server's process, and one past the limit stops only at its next read of the store: a
    /// query that computes in memory, or an update, runs on to its end.
    pub query_process: Option<PathBuf>,
}

impl ServeConfig {
    /// Read-only on 127.0.0.1:7878, 30 s and 100 000 rows per query, evaluated in the server's
    /// process.
    pub fn new(store: PathBuf) -> Self {
        ServeConfig {
            store,
            bind: SocketAddr::from(([127, 0, 0, 1], 7878)),
            allow_update: false,
            timeout: Duration::from_secs(30),
            max_rows: 100_000,
            max_running: 4,
            query_process: None,
        }
    }
}

/// A server that cannot start.
#[derive(Debug, Error)]
pub enum ServeError {
    /// The store cannot be opened.
    #[error("opening the store: {0}")]
    Store(#[from] StoreError),
    /// The address cannot be bound, or the runtime cannot start.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A running server; it stops when dropped.
pub struct Server {
    addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Server {
    /// Opens the store, binds the address and starts answering on a thread of its own.
    pub fn start(config: ServeConfig) -> Result<Server, ServeError> {
        // Updates go to the store through this process only when no child process applies them.
        let writable = config.allow_update && config.query_process.is_none();
        let store = StoreHandle::open(&config.store, writable)?;
        let listener = std::net::TcpListener::bind(config.bind)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let app = router(Arc::new(Shared {
            store,
            allow_update: config.allow_update,
            timeout: config.timeout,
            max_rows: config.max_rows,
            running: Arc::new(tokio::sync::Semaphore::new(config.max_running.max(1))),
            query_process: config.query_process,
            updating: Arc::new(tokio::sync::Mutex::new(())),
        }));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (shutdown, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("ikg-serve".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    axum::serve(listener, app)
                        .with_graceful_shutdown(async {
                            let _ = stopped.await;
                        })
                        .await
                })
            })?;
        Ok(Server {
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Blocks until the server stops (it runs until the process ends).
    pub fn wait(mut self) -> std::io::Result<()> {
        match self.thread.take().map(|t| t.join()) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the server thread panicked")),
            None => Ok(()),
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The store a server answers from; a read-only one is re-opened when its files change.
struct StoreHandle {
    path: PathBuf,
    writable: bool,
    opened: Mutex<(Fingerprint, Arc<KnowledgeStore>)>,
}

/// Names, sizes and modification times of a store's files.
type Fingerprint = Vec<(std::ffi::OsString, u64, Option<SystemTime>)>;

fn fingerprint(path: &Path) -> Fingerprint {
    let mut files: Fingerprint = std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.file_name(), meta.len(), meta.modified().ok()))
        })
        .collect();
    files.sort();
    files
}

impl StoreHandle {
    fn open(path: &Path, writable: bool) -> Result<Self, StoreError> {
        let print = fingerprint(path);
        let store = if writable {
            KnowledgeStore::open(path)?
        } else {
            KnowledgeStore::open_read_only(path)?
        };
        Ok(StoreHandle {
            path: path.to_path_buf(),
            writable,
            opened: Mutex::new((print, Arc::new(store))),
        })
    }

    /// The store as it is now on disk (re-opened if a writer changed it since).
    fn current(&self) -> Arc<KnowledgeStore> {
        let mut opened = self.opened.lock().unwrap_or_else(|e| e.into_inner());
        if !self.writable {
            let print = fingerprint(&self.path);
            if print != opened.0 {
                match KnowledgeStore::open_read_only(&self.path) {
                    Ok(store) => *opened = (print, Arc::new(store)),
                    Err(e) => eprintln!(
                        "ikg serve: re-opening the store failed ({e}); answering from the last opening"
                    ),
                }
            }
        }
        Arc::clone(&opened.1)
    }
}

/// What every handler shares.
struct Shared {
    store: StoreHandle,
    allow_update: bool,
    timeout: Duration,
    max_rows: usize,
    /// One permit per query being computed; a permit is held until its computation ends,
    /// past the time limit too in the server's process (see [`bounded`]); a child process is
    /// killed at the limit.
    running: Arc<tokio::sync::Semaphore>,
    /// The executable that evaluates queries and applies updates in child processes.
    query_process: Option<PathBuf>,
    /// Held by the update being applied: updates wait for each other rather than for the
    /// store's lock.
    updating: Arc<tokio::sync::Mutex<()>>,
}

impl Shared {
    /// A slot to compute in, or 503 when every slot is taken.
    fn slot(&self) -> Result<tokio::sync::OwnedSemaphorePermit, HttpError> {
        Arc::clone(&self.running).try_acquire_owned().map_err(|_| {
            HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "busy: the server is computing as many queries as it may at once; try again later",
            )
        })
    }
}

type AppState = Arc<Shared>;

fn router(state: AppState) -> Router {
    Router::new()
        .route(
            "/sparql",
            get(sparql_get).post(sparql_post).options(preflight),
        )
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/style.css", get(style))
        .route("/examples.json", get(examples))
        .route("/graph.svg", get(graph_svg))
        .route("/evidence", get(evidence))
        .layer(axum::middleware::map_response(with_cors))
        .with_state(state)
}

/// An error answer: a status and a plain-text message.
#[derive(Debug)]
struct HttpError {
    status: StatusCode,
    message: String,
}

impl HttpError {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        HttpError {
            status,
            message: message.into(),
        }
    }

    fn bad_request(message: impl Into<String>) -> Self {
        HttpError::new(StatusCode::BAD_REQUEST, message)
    }

    fn internal(message: impl Into<String>) -> Self {
        HttpError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl IntoResponse for HttpError {
    fn into_response(self) -> Response {
        let mut message = self.message;
        message.push('\n');
        (
            self.status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            message,
        )
            .into_response()
    }
}

impl From<StoreError> for HttpError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Syntax(e) => HttpError::bad_request(format!("query syntax: {e}")),
            StoreError::Evaluation(e) => evaluation_error(e),
            busy @ StoreError::Busy { .. } => HttpError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!("{busy}; try again when it has ended"),
            ),
            other => HttpError::internal(other.to_string()),
        }
    }
}

fn evaluation_error(e: QueryEvaluationError) -> HttpError {
    match e {
        QueryEvaluationError::Cancelled => HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the query was stopped at the time limit",
        ),
        other => HttpError::internal(format!("query evaluation failed: {other}")),
    }
}

fn io_error(e: std::io::Error) -> HttpError {
    HttpError::internal(format!("writing the answer: {e}"))
}

async fn with_cors(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("Content-Type, Accept"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("86400"),
    );
    response
}

async fn preflight() -> StatusCode {
    StatusCode::NO_CONTENT
}

/// The parameters of a protocol request, from the URL and the body.
#[derive(Debug, Default)]
struct ProtocolRequest {
    query: Option<String>,
    update: Option<String>,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    format: Option<String>,
}

impl ProtocolRequest {
    /// Adds the parameters of a URL query string or a form body.
    fn add_pairs(&mut self, encoded: &[u8]) -> Result<(), HttpError> {
        for (key, value) in form_urlencoded::parse(encoded) {
            let value = value.into_owned();
            match &*key {
                "query" | "update" => {
                    let slot = if key == "query" {
                        &mut self.query
                    } else {
                        &mut self.update
                    };
                    if slot.replace(value).is_some() {
                        return Err(HttpError::bad_request(format!(
                            "the {key} parameter is given more than once"
                        )));
                    }
                }
                "default-graph-uri" => self.default_graphs.push(value),
                "named-graph-uri" => self.named_graphs.push(value),
                "format" | "output" => self.format = Some(value),
                "using-graph-uri" | "using-named-graph-uri" => {
                    return Err(HttpError::bad_request(format!(
                        "{key} is not supported: name the graphs in the update itself (USING, WITH)"
                    )));
                }
                _ => {}
            }
        }
        Ok(())
    }
}

async fn sparql_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let mut request = ProtocolRequest::default();
    request.add_pairs(raw.unwrap_or_default().as_bytes())?;
    if request.update.is_some() && state.allow_update {
        return Err(HttpError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "send updates with POST",
        ));
    }
    if request.query.is_none() && request.update.is_none() {
        return service_description(&state, &headers, request.format.as_deref());
    }
    answer(state, request, &headers).await
}

async fn sparql_post(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> Result<Response, HttpError> {
    let mut request = ProtocolRequest::default();
    request.add_pairs(raw.unwrap_or_default().as_bytes())?;
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let text = || {
        String::from_utf8(body.to_vec())
            .map_err(|_| HttpError::bad_request("the request body is not UTF-8"))
    };
    match essence.as_str() {
        "application/x-www-form-urlencoded" => request.add_pairs(&body)?,
        "application/sparql-query" => request.query = Some(text()?),
        "application/sparql-update" => request.update = Some(text()?),
        _ => {
            return Err(HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "cannot read a {content_type:?} body: POST a query as application/sparql-query \
                     or application/x-www-form-urlencoded, an update as application/sparql-update"
                ),
            ));
        }
    }
    answer(state, request, &headers).await
}

/// Runs the query or the update of a request.
async fn answer(
    state: AppState,
    request: ProtocolRequest,
    headers: &HeaderMap,
) -> Result<Response, HttpError> {
    match (&request.query, &request.update) {
        (Some(_), Some(_)) => Err(HttpError::bad_request(
            "give a query or an update, not both",
        )),
        (None, None) => Err(HttpError::bad_request(
            "no query: give a query parameter or an application/sparql-query body",
        )),
        (None, Some(update)) => run_update(&state, update.clone()).await,
        (Some(query), None) => {
            let token = CancellationToken::new();
            let mut prepared = store::evaluator()
                .with_cancellation_token(token.clone())
                .parse_query(query)
                .map_err(|e| HttpError::bad_request(format!("query syntax: {e}")))?;
            set_dataset(&mut prepared, &request)?;
            let accept = accepted(headers, request.format.as_deref());
            let max_rows = state.max_rows;
            // Parsed here too, so that a malformed query or graph IRI is answered at once.
            if let Some(exe) = &state.query_process {
                let child = ChildRequest::Query(ChildQuery {
                    query: query.clone(),
                    default_graphs: request.default_graphs,
                    named_graphs: request.named_graphs,
                    accept,
                    max_rows,
                });
                return Ok(in_child(&state, exe, child).await?.into_response());
            }
            let store = state.store.current();
            let answer = bounded(&state, Some(token), state.timeout, move || {
                evaluate(prepared, &store, &accept, max_rows)
            });
            Ok(answer.await?.into_response())
        }
    }
}

/// Runs `request` in a child process, in one of the server's slots and killed at its time limit.
async fn in_child(
    state: &AppState,
    exe: &Path,
    request: ChildRequest,
) -> Result<Answer, HttpError> {
    let (exe, store, timeout) = (exe.to_path_buf(), state.store.path.clone(), state.timeout);
    // The child is killed at the limit; the margin only guards against a stuck pipe.
    bounded(state, None, timeout + Duration::from_secs(5), move || {
        request.run(&exe, &store, timeout)
    })
    .await
}

/// What the server asks of a child process on its standard input (JSON).
#[derive(Debug, serde::Serialize, serde::Deserialize)]
enum ChildRequest {
    /// A `/sparql` query.
    Query(ChildQuery),
    /// A `/graph.svg` drawing.
    Draw(Drawing),
    /// A `/sparql` update.
    Update(String),
}

/// A `/sparql` query and how to answer it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct ChildQuery {
    query: String,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    accept: Accepted,
    max_rows: usize,
}

/// The first line a child writes on standard output, before the body.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
struct ChildHead {
    status: u16,
    content_type: String,
    graph_nodes: Option<usize>,
}

impl ChildRequest {
    /// Runs `exe --store STORE serve-query` on this request, killing it at `timeout` (then 503).
    fn run(self, exe: &Path, store: &Path, timeout: Duration) -> Result<Answer, HttpError> {
        let mut command = std::process::Command::new(exe);
        command.arg("--store").arg(store).arg("serve-query");
        let request = serde_json::to_vec(&self).map_err(|e| HttpError::internal(e.to_string()))?;
        match crate::query::run_time_limited(command, Some(request), timeout) {
            Ok(Limited::Exited {
                status,
                stdout,
                stderr,
            }) => Answer::from_child(status, &stdout, &stderr),
            Ok(Limited::Killed) => Err(past_time_limit(timeout)),
            Err(e) => Err(HttpError::internal(format!(
                "starting {} serve-query: {e}",
                exe.display()
            ))),
        }
    }
}

impl Answer {
    /// The answer a child process wrote (a [`ChildHead`] line, then the body), or 500 with
    /// what it said on standard error.
    fn from_child(
        status: std::process::ExitStatus,
        out: &[u8],
        err: &[u8],
    ) -> Result<Answer, HttpError> {
        let split = out.iter().position(|b| *b == b'\n');
        let head = split.and_then(|at| serde_json::from_slice::<ChildHead>(&out[..at]).ok());
        match (head, split) {
            (Some(head), Some(at)) if status.success() => Ok(Answer {
                status: StatusCode::from_u16(head.status)
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
                content_type: head.content_type,
                body: out[at + 1..].to_vec(),
                graph_nodes: head.graph_nodes,
            }),
            _ => Err(HttpError::internal(format!(
                "the query process failed ({status}): {}",
                String::from_utf8_lossy(err).trim()
            ))),
        }
    }
}

/// `ikg serve-query`: evaluates on `store` the query or drawing the server writes on `input`
/// (JSON) and writes on `output` a JSON line with the status and content type, then the body.
pub fn answer_child_query(
    store: &Path,
    input: impl std::io::Read,
    mut output: impl std::io::Write,
) -> std::io::Result<()> {
    let answer = match serde_json::from_reader::<_, ChildRequest>(input) {
        Ok(ChildRequest::Query(query)) => query.evaluate(store),
        Ok(ChildRequest::Draw(drawing)) => KnowledgeStore::open_read_only(store)
            .map_err(HttpError::from)
            .and_then(|store| drawing.svg(&store)),
        Ok(ChildRequest::Update(update)) => apply_update(store, &update),
        Err(e) => Err(HttpError::bad_request(format!("query request: {e}"))),
    }
    .unwrap_or_else(Answer::from);
    let head = ChildHead {
        status: answer.status.as_u16(),
        content_type: answer.content_type,
        graph_nodes: answer.graph_nodes,
    };
    serde_json::to_writer(&mut output, &head)?;
    output.write_all(b"\n")?;
    output.write_all(&answer.body)?;
    output.flush()
}

/// Opens the store for writing, which takes its lock for as long as this
/// process runs (a build beside the server waits its turn, and so does this
/// update), and applies the update, in one transaction.
fn apply_update(store: &Path, update: &str) -> Result<Answer, HttpError> {
    let prepared = store::evaluator()
        .parse_update(update)
        .map_err(|e| HttpError::bad_request(format!("update syntax: {e}")))?;
    let store = KnowledgeStore::open(store)?;
    prepared
        .on_store(store.inner())
        .execute()
        .map_err(|e| HttpError::internal(format!("update failed: {e}")))?;
    Ok(Answer {
        status: StatusCode::NO_CONTENT,
        content_type: "text/plain; charset=utf-8".into(),
        body: Vec::new(),
        graph_nodes: None,
    })
}

impl ChildQuery {
    /// Opens the store read-only and evaluates the query.
    fn evaluate(self, store: &Path) -> Result<Answer, HttpError> {
        let mut prepared = store::evaluator()
            .parse_query(&self.query)
            .map_err(|e| HttpError::bad_request(format!("query syntax: {e}")))?;
        let request = ProtocolRequest {
            default_graphs: self.default_graphs,
            named_graphs: self.named_graphs,
            ..ProtocolRequest::default()
        };
        set_dataset(&mut prepared, &request)?;
        let store = KnowledgeStore::open_read_only(store)?;
        evaluate(prepared, &store, &self.accept, self.max_rows)
    }
}

/// A successful answer, or an error's, as data (so a child process can pass it on).
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    content_type: String,
    body: Vec<u8>,
    /// For a drawing: how many of the SVG's nodes are entities ([`GRAPH_NODES_HEADER`]).
    graph_nodes: Option<usize>,
}

impl Answer {
    fn ok(content_type: &str, body: Vec<u8>) -> Self {
        Answer {
            status: StatusCode::OK,
            content_type: content_type.to_string(),
            body,
            graph_nodes: None,
        }
    }
}

impl From<HttpError> for Answer {
    fn from(e: HttpError) -> Self {
        Answer {
            status: e.status,
            content_type: "text/plain; charset=utf-8".into(),
            body: format!("{}\n", e.message).into_bytes(),
            graph_nodes: None,
        }
    }
}

impl IntoResponse for Answer {
    fn into_response(self) -> Response {
        let mut response = body_response(&self.content_type, self.body);
        *response.status_mut() = self.status;
        if let Some(nodes) = self.graph_nodes {
            response
                .headers_mut()
                .insert(GRAPH_NODES_HEADER, HeaderValue::from(nodes));
        }
        response
    }
}

/// The dataset of a query: the request's graphs, else the query's `FROM`, else the union
/// of all graphs as default graph.
fn set_dataset(
    prepared: &mut PreparedSparqlQuery,
    request: &ProtocolRequest,
) -> Result<(), HttpError> {
    let iri = |s: &String| {
        NamedNode::new(s.as_str())
            .map_err(|e| HttpError::bad_request(format!("graph IRI {s:?}: {e}")))
    };
    let dataset = prepared.dataset_mut();
    if request.default_graphs.is_empty() && request.named_graphs.is_empty() {
        if dataset.is_default_dataset() {
            dataset.set_default_graph_as_union();
        }
        return Ok(());
    }
    dataset.set_default_graph(
        request
            .default_graphs
            .iter()
            .map(|s| iri(s).map(GraphName::from))
            .collect::<Result<_, _>>()?,
    );
    dataset.set_available_named_graphs(
        request
            .named_graphs
            .iter()
            .map(|s| iri(s).map(NamedOrBlankNode::from))
            .collect::<Result<_, _>>()?,
    );
    Ok(())
}

/// Runs `job` on a blocking thread in one of the server's slots (503 when all
/// are taken) and waits for it at most `timeout`; past it, cancels the query
/// and answers 503.
///
/// A cancelled query stops at its next read of the store. One that computes in memory after
/// its last read (a count over a cartesian product) runs on until it ends, holding its slot,
/// unless it runs in a child process (see [`ServeConfig::query_process`]), which is killed.
async fn bounded<T: Send + 'static>(
    state: &AppState,
    token: Option<CancellationToken>,
    timeout: Duration,
    job: impl FnOnce() -> Result<T, HttpError> + Send + 'static,
) -> Result<T, HttpError> {
    let slot = state.slot()?;
    let task = tokio::task::spawn_blocking(move || {
        let _slot = slot;
        job()
    });
    match tokio::time::timeout(timeout, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(e)) => Err(HttpError::internal(format!("the query failed: {e}"))),
        Err(_) => {
            if let Some(token) = token {
                token.cancel();
            }
            Err(past_time_limit(timeout))
        }
    }
}

/// The answer to a query stopped at the time limit.
fn past_time_limit(timeout: Duration) -> HttpError {
    HttpError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "the query took longer than the time limit of {} s and was stopped \
             (the limit is set with ikg serve --timeout)",
            timeout.as_secs_f64()
        ),
    )
}

/// A format the server writes: its media type, a short name for the `format` parameter, the value.
type Offer<T> = (&'static str, &'static str, T);

/// Results formats of SELECT and ASK, the first the default.
const RESULTS_FORMATS: &[Offer<QueryResultsFormat>] = &[
    (
        "application/sparql-results+json",
        "json",
        QueryResultsFormat::Json,
    ),
    (
        "application/sparql-results+xml",
        "xml",
        QueryResultsFormat::Xml,
    ),
    ("text/csv", "csv", QueryResultsFormat::Csv),
    ("text/tab-separated-values", "tsv", QueryResultsFormat::Tsv),
    ("application/json", "json", QueryResultsFormat::Json),
    ("application/xml", "xml", QueryResultsFormat::Xml),
    ("text/xml", "xml", QueryResultsFormat::Xml),
];

/// RDF formats of CONSTRUCT, DESCRIBE and the service description, the first the default.
const GRAPH_FORMATS: &[Offer<RdfFormat>] = &[
    ("text/turtle", "turtle", RdfFormat::Turtle),
    ("application/n-triples", "ntriples", RdfFormat::NTriples),
    ("application/rdf+xml", "rdfxml", RdfFormat::RdfXml),
    (
        "application/ld+json",
        "jsonld",
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
    ),
    ("text/turtle", "ttl", RdfFormat::Turtle),
    ("application/n-triples", "nt", RdfFormat::NTriples),
    ("application/x-turtle", "turtle", RdfFormat::Turtle),
];

/// What the client accepts: a `format` parameter (a short name or a media type), else the
/// `Accept` header.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
enum Accepted {
    Named(String),
    Header(String),
}

fn accepted(headers: &HeaderMap, format: Option<&str>) -> Accepted {
    match format {
        Some(f) => Accepted::Named(f.trim().to_ascii_lowercase()),
        None => Accepted::Header(
            headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("*/*")
                .to_string(),
        ),
    }
}

/// Chooses the offer the client prefers; 406 when it accepts none of them.
fn negotiate<T: Copy>(accepted: &Accepted, offers: &[Offer<T>]) -> Result<T, HttpError> {
    let chosen = match accepted {
        Accepted::Named(name) => offers
            .iter()
            .find(|(media, short, _)| short == name || media == name),
        Accepted::Header(accept) => {
            let mut ranges: Vec<(f32, String)> = accept
                .split(',')
                .filter_map(|item| {
                    let mut parts = item.split(';');
                    let range = parts.next()?.trim().to_ascii_lowercase();
                    let q = parts
                        .filter_map(|p| p.trim().strip_prefix("q="))
                        .find_map(|q| q.trim().parse::<f32>().ok())
                        .unwrap_or(1.0);
                    (!range.is_empty() && q > 0.0).then_some((q, range))
                })
                .collect();
            if ranges.is_empty() {
                ranges.push((1.0, "*/*".into()));
            }
            ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
            ranges.iter().find_map(|(_, range)| {
                offers.iter().find(|(media, _, _)| {
                    range == "*/*"
                        || range == media
                        || range
                            .strip_suffix("/*")
                            .is_some_and(|t| media.split('/').next() == Some(t))
                })
            })
        }
    };
    chosen.map(|(_, _, value)| *value).ok_or_else(|| {
        let mut names: Vec<&str> = offers.iter().map(|(media, _, _)| *media).collect();
        names.dedup();
        HttpError::new(
            StatusCode::NOT_ACCEPTABLE,
            format!(
                "no offered format is acceptable; this answer can be: {}",
                names.join(", ")
            ),
        )
    })
}

fn body_response(content_type: &str, body: impl Into<axum::body::Body>) -> Response {
    let mut response = Response::new(body.into());
    if let Ok(value) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// Evaluates a prepared query and writes its results in the negotiated format.
fn evaluate(
    prepared: PreparedSparqlQuery,
    store: &KnowledgeStore,
    accepted: &Accepted,
    max_rows: usize,
) -> Result<Answer, HttpError> {
    match prepared
        .on_store(store.inner())
        .execute()
        .map_err(evaluation_error)?
    {
        QueryResults::Solutions(solutions) => {
            let format = negotiate(accepted, RESULTS_FORMATS)?;
            let variables = solutions.variables().to_vec();
            let mut writer = QueryResultsSerializer::from_format(format)
                .serialize_solutions_to_writer(Vec::new(), variables)
                .map_err(io_error)?;
            write_at_most(solutions, max_rows, |solution| writer.serialize(solution))?;
            Ok(Answer::ok(
                format.media_type(),
                writer.finish().map_err(io_error)?,
            ))
        }
        QueryResults::Boolean(value) => {
            let format = negotiate(accepted, RESULTS_FORMATS)?;
            let body = QueryResultsSerializer::from_format(format)
                .serialize_boolean_to_writer(Vec::new(), value)
                .map_err(io_error)?;
            Ok(Answer::ok(format.media_type(), body))
        }
        QueryResults::Graph(triples) => {
            let format = negotiate(accepted, GRAPH_FORMATS)?;
            let mut writer = rdf_serializer(format).for_writer(Vec::new());
            write_at_most(triples, max_rows, |triple| writer.serialize_triple(triple))?;
            Ok(Answer::ok(
                format.media_type(),
                writer.finish().map_err(io_error)?,
            ))
        }
    }
}

/// Writes each item of a query's results with `write`; 422 when there are more than
/// `max_rows`.
fn write_at_most<T>(
    items: impl Iterator<Item = Result<T, QueryEvaluationError>>,
    max_rows: usize,
    mut write: impl FnMut(&T) -> std::io::Result<()>,
) -> Result<(), HttpError> {
    for (n, item) in items.enumerate() {
        if n == max_rows {
            return Err(HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!(
                    "the answer has more than {max_rows} rows, the server's limit: narrow the \
                     query or add LIMIT (the limit is set with ikg serve --max-rows)"
                ),
            ));
        }
        write(&item.map_err(evaluation_error)?).map_err(io_error)?;
    }
    Ok(())
}

/// A serialiser that writes the project's prefixes where the format has prefixes.
fn rdf_serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::TriG) {
        for (p, iri) in vocab::PREFIXES {
            serializer = serializer.with_prefix(*p, *iri).expect("valid prefix IRI");
        }
    }
    serializer
}

async fn run_update(state: &AppState, update: String) -> Result<Response, HttpError> {
    if !state.allow_update {
        return Err(HttpError::new(
            StatusCode::FORBIDDEN,
            "this endpoint is read-only: updates are refused (start ikg serve with --allow-update to accept them)",
        ));
    }
    let prepared = store::evaluator()
        .parse_update(&update)
        .map_err(|e| HttpError::bad_request(format!("update syntax: {e}")))?;
    if let Some(exe) = &state.query_process {
        let _turn = Arc::clone(&state.updating).lock_owned().await;
        let answer = in_child(state, exe, ChildRequest::Update(update)).await?;
        return Ok(answer.into_response());
    }
    let store = state.store.current();
    bounded(state, None, state.timeout, move || {
        prepared
            .on_store(store.inner())
            .execute()
            .map_err(|e| HttpError::internal(format!("update failed: {e}")))
    })
    .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The SPARQL 1.1 Service Description of the endpoint.
fn service_description(
    state: &AppState,
    headers: &HeaderMap,
    format: Option<&str>,
) -> Result<Response, HttpError> {
    const SD: &str = "http://www.w3.org/ns/sparql-service-description#";
    let sd = |local: &str| NamedNode::new_unchecked(format!("{SD}{local}"));
    let format = negotiate(&accepted(headers, format), GRAPH_FORMATS)?;
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let endpoint = NamedNode::new(format!("http://{host}/sparql"))
        .map_err(|e| HttpError::bad_request(format!("Host header {host:?}: {e}")))?;
    let service = BlankNode::default();
    let dataset = BlankNode::default();
    let default_graph = BlankNode::default();
    let mut triples = vec![
        Triple::new(service.clone(), rdf::TYPE, sd("Service")),
        Triple::new(service.clone(), sd("endpoint"), endpoint),
        Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Query"),
        ),
        Triple::new(service.clone(), sd("feature"), sd("UnionDefaultGraph")),
        Triple::new(
            service.clone(),
            sd("defaultEntailmentRegime"),
            NamedNode::new_unchecked("http://www.w3.org/ns/entailment/Simple"),
        ),
        Triple::new(service.clone(), sd("defaultDataset"), dataset.clone()),
        Triple::new(dataset.clone(), rdf::TYPE, sd("Dataset")),
        Triple::new(dataset.clone(), sd("defaultGraph"), default_graph.clone()),
        Triple::new(default_graph, rdf::TYPE, sd("Graph")),
    ];
    if state.allow_update {
        triples.push(Triple::new(
            service.clone(),
            sd("supportedLanguage"),
            sd("SPARQL11Update"),
        ));
    }
    for format in [
        QueryResultsFormat::Json,
        QueryResultsFormat::Xml,
        QueryResultsFormat::Csv,
        QueryResultsFormat::Tsv,
    ] {
        let iri = NamedNode::new_unchecked(format.iri());
        triples.push(Triple::new(service.clone(), sd("resultFormat"), iri));
    }
    for (_, _, format) in &GRAPH_FORMATS[..4] {
        let iri = NamedNode::new_unchecked(format.iri());
        triples.push(Triple::new(service.clone(), sd("resultFormat"), iri));
    }
    let store = state.store.current();
    for graph in store.inner().named_graphs() {
        let graph = graph.map_err(|e| HttpError::internal(e.to_string()))?;
        let named = BlankNode::default();
        triples.push(Triple::new(
            dataset.clone(),
            sd("namedGraph"),
            named.clone(),
        ));
        triples.push(Triple::new(named.clone(), rdf::TYPE, sd("NamedGraph")));
        triples.push(Triple::new(named, sd("name"), graph));
    }
    let mut serializer = rdf_serializer(format);
    if matches!(format, RdfFormat::Turtle) {
        serializer = serializer.with_prefix("sd", SD).expect("valid prefix IRI");
    }
    let mut writer = serializer.for_writer(Vec::new());
    for triple in &triples {
        writer.serialize_triple(triple).map_err(io_error)?;
    }
    Ok(body_response(
        format.media_type(),
        writer.finish().map_err(io_error)?,
    ))
}

/// A file of `queries/` and its text.
macro_rules! example {
    ($file:literal) => {
        ($file, include_str!(concat!("../queries/", $file)))
    };
}

/// The example queries of `queries/`, embedded at compile time: file name and text.
pub const EXAMPLES: &[(&str, &str)] = &[
    example!("companies_by_park.rq"),
    example!("parks_leading_companies.rq"),
    example!("industry_chain_segments.rq"),
    example!("projects_by_investment.rq"),
    example!("honours_by_company.rq"),
    example!("platforms_leads_cobuilds.rq"),
    example!("entity_evidence.rq"),
    example!("entities_by_document.rq"),
    example!("relations_per_property.rq"),
    example!("people_and_posts.rq"),
    example!("chain_of_industry.rq"),
];

async fn page() -> Response {
    body_response(
        "text/html; charset=utf-8",
        include_str!("../web/index.html"),
    )
}

async fn script() -> Response {
    body_response(
        "text/javascript; charset=utf-8",
        include_str!("../web/app.js"),
    )
}

async fn style() -> Response {
    body_response("text/css; charset=utf-8", include_str!("../web/style.css"))
}

/// The examples as JSON: name, title (the first comment line) and query text.
async fn examples() -> Response {
    let list: Vec<serde_json::Value> = EXAMPLES
        .iter()
        .map(|(name, text)| {
            let title = text
                .lines()
                .next()
                .and_then(|l| l.strip_prefix('#'))
                .map_or(*name, str::trim);
            serde_json::json!({ "name": name, "title": title, "query": text })
        })
        .collect();
    body_response(
        "application/json",
        serde_json::Value::Array(list).to_string(),
    )
}

/// The parameters of a page request, from its URL.
fn parameters(raw: Option<String>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn parameter<'a>(params: &'a [(String, String)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .filter(|v| !v.trim().is_empty())
}

/// What `/graph.svg` draws.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Drawing {
    entity: Option<String>,
    query: Option<String>,
    depth: usize,
    max_nodes: usize,
    #[serde(with = "lang_code")]
    lang: Lang,
}

/// [`Lang`] as its code (`zh`, `en`) in a child process's request.
mod lang_code {
    use crate::export::Lang;

    pub fn serialize<S: serde::Serializer>(lang: &Lang, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        })
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Lang, D::Error> {
        match <String as serde::Deserialize>::deserialize(d)?.as_str() {
            "en" => Ok(Lang::En),
            _ => Ok(Lang::Zh),
        }
    }
}

impl Drawing {
    fn from_parameters(params: &[(String, String)]) -> Result<Self, HttpError> {
        let number = |key: &str, default: usize, most: usize| {
            parameter(params, key).map_or(Ok(default), |v| {
                v.parse::<usize>()
                    .map(|n| n.clamp(1, most))
                    .map_err(|_| HttpError::bad_request(format!("{key}: not a number: {v:?}")))
            })
        };
        let lang = match parameter(params, "lang") {
            None | Some("zh") => Lang::Zh,
            Some("en") => Lang::En,
            Some(other) => {
                return Err(HttpError::bad_request(format!(
                    "lang: {other:?} (use zh or en)"
                )));
            }
        };
        Ok(Drawing {
            entity: parameter(params, "entity").map(str::to_string),
            query: parameter(params, "query").map(str::to_string),
            depth: number("depth", 1, 3)?,
            max_nodes: number("max_nodes", 60, 200)?,
            lang,
        })
    }

    /// The DOT text of the drawing and the number of entities drawn (the legend's nodes
    /// come after them).
    fn dot(&self, store: &KnowledgeStore) -> Result<(String, usize), DrawError> {
        let graph = KgGraph::load(store)?;
        let (view, note) = match (&self.entity, &self.query) {
            (Some(name), _) => {
                let iri = graph.find(store, name)?.ok_or_else(|| {
                    DrawError::NotFound(format!("no entity named {name:?} in the store"))
                })?;
                let (sub, cut) = graph.neighbourhood(&iri, self.depth, self.max_nodes);
                let note = (cut > 0).then(|| match self.lang {
                    Lang::Zh => format!("另有 {cut} 个节点未画出"),
                    Lang::En => format!("{cut} more nodes not shown"),
                });
                (sub, note)
            }
            (None, Some(query)) => (draw::query_view(&graph, store, query)?, None),
            (None, None) => {
                return Err(DrawError::NotFound(
                    "give entity=NAME, or query=CONSTRUCT …".into(),
                ));
            }
        };
        Ok((view.to_dot(self.lang, note.as_deref()), view.nodes.len()))
    }

    /// The drawing as SVG, by Graphviz.
    fn svg(&self, store: &KnowledgeStore) -> Result<Answer, HttpError> {
        let (dot, nodes) = self.dot(store).map_err(draw_error)?;
        let svg = draw::render_svg(&dot).map_err(draw_error)?;
        Ok(Answer {
            graph_nodes: Some(nodes),
            ..Answer::ok("image/svg+xml; charset=utf-8", svg.into_bytes())
        })
    }
}

fn draw_error(e: DrawError) -> HttpError {
    match e {
        DrawError::NotFound(m) => HttpError::new(StatusCode::NOT_FOUND, m),
        DrawError::NotAGraphQuery => {
            HttpError::bad_request("a drawing needs a CONSTRUCT or DESCRIBE query")
        }
        DrawError::Store(e) => e.into(),
        DrawError::Graphviz(m) => HttpError::internal(m),
    }
}

/// The header of `/graph.svg` that says how many of the SVG's nodes are entities (the
/// nodes numbered from 0; the legend's nodes follow).
pub const GRAPH_NODES_HEADER: &str = "ikg-graph-nodes";

/// An entity's neighbourhood (or a CONSTRUCT query's graph) drawn by Graphviz as SVG.
async fn graph_svg(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let drawing = Drawing::from_parameters(&parameters(raw))?;
    if let Some(exe) = &state.query_process {
        let answer = in_child(&state, exe, ChildRequest::Draw(drawing)).await?;
        return Ok(answer.into_response());
    }
    let store = state.store.current();
    let svg = bounded(&state, None, state.timeout, move || drawing.svg(&store));
    Ok(svg.await?.into_response())
}

/// The facts between two entities `?a` and `?b` (either direction) with their evidence
/// sentences and documents; the two are bound by a `VALUES` clause put in front.
const EVIDENCE_QUERY: &str =
    "SELECT DISTINCT ?subject ?property ?object ?evidence ?document ?offset ?pattern WHERE {
  { ?r rdf:reifies <<( ?a ?p ?b )>> . BIND(?a AS ?s) BIND(?b AS ?o) }
  UNION
  { ?r rdf:reifies <<( ?b ?p ?a )>> . BIND(?b AS ?s) BIND(?a AS ?o) }
  ?r ikg:evidenceText ?evidence ;
     ikg:sourceDocument ?d ;
     ikg:charOffset ?offset ;
     ikg:extractedBy ?pattern .
  ?s rdfs:label ?subject .
  ?o rdfs:label ?object .
  OPTIONAL { ?d rdfs:label ?documentLabel }
  BIND(COALESCE(?documentLabel, STRAFTER(STR(?d), STR(doc:))) AS ?document)
  BIND(STRAFTER(STR(?p), \"#\") AS ?property)
}
ORDER BY ?document ?offset ?property";

/// `/evidence?subject=NAME&object=NAME`: SPARQL JSON results of [`EVIDENCE_QUERY`], the two
/// entities named by their canonical names.
async fn evidence(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response, HttpError> {
    let params = parameters(raw);
    let name = |key: &str| {
        parameter(&params, key)
            .map(vocab::entity_iri)
            .ok_or_else(|| HttpError::bad_request(format!("give {key}=NAME")))
    };
    let (a, b) = (name("subject")?, name("object")?);
    // The IRIs are written by oxigraph (checked and escaped when they were built).
    let query = EVIDENCE_QUERY.replacen(
        "WHERE {",
        &format!("WHERE {{\n  VALUES (?a ?b) {{ ({a} {b}) }}"),
        1,
    );
    let token = CancellationToken::new();
    let mut prepared = store::evaluator()
        .with_cancellation_token(token.clone())
        .parse_query(&query)
        .map_err(|e| HttpError::internal(format!("evidence query: {e}")))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let store = state.store.current();
    let accept = Accepted::Named("json".into());
    let max_rows = state.max_rows;
    let answer = bounded(&state, Some(token), state.timeout, move || {
        evaluate(prepared, &store, &accept, max_rows)
    });
    Ok(answer.await?.into_response())
}
