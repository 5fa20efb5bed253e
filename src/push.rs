//! Push: copies the store's named graphs to another triple store through the
//! [SPARQL 1.1 Graph Store HTTP Protocol](https://www.w3.org/TR/sparql11-http-rdf-update/).
//!
//! Each graph (one per document, and the ontology's) is sent as N-Triples in one
//! `PUT <endpoint>?graph=<graph IRI>`, which replaces that graph on the server: pushing
//! again is harmless, so an interrupted push is resumed by running it again. A graph whose
//! request fails for a reason that may pass (no connection, a 5xx or 429 answer) is tried
//! again after a pause; the report says which graphs were written and which were not, and why.

use crate::store::KnowledgeStore;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedOrBlankNode};
use std::time::Duration;
use thiserror::Error;

/// A push that cannot start.
#[derive(Debug, Error)]
pub enum PushError {
    /// The endpoint is not an `http://` URL.
    #[error(
        "endpoint {0:?}: give an http:// URL of a Graph Store Protocol service (e.g. http://host:7878/store)"
    )]
    Endpoint(String),
    /// Reading the store failed.
    #[error("reading the store: {0}")]
    Store(#[from] oxigraph::store::StorageError),
}

/// How to push.
#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Graph Store Protocol URL (`…/store` on oxigraph, `…/sparql-graph-crud` on Virtuoso).
    pub endpoint: String,
    /// Tries per graph (at least 1).
    pub attempts: usize,
    /// Pause before the first retry; it doubles after each.
    pub pause: Duration,
    /// Longest time one request may take.
    pub request_timeout: Duration,
}

impl PushOptions {
    /// Three tries per graph, a first pause of one second, five minutes per request.
    pub fn new(endpoint: &str) -> Self {
        PushOptions {
            endpoint: endpoint.to_string(),
            attempts: 3,
            pause: Duration::from_secs(1),
            request_timeout: Duration::from_secs(300),
        }
    }
}

/// What happened to one graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphPush {
    /// The graph IRI.
    pub graph: String,
    /// Triples sent.
    pub triples: usize,
    /// Requests made.
    pub attempts: usize,
    /// Why the graph was not written, if it was not.
    pub error: Option<String>,
}

/// Sends every named graph of `store`; `progress` sees each graph's outcome as it comes.
pub fn push(
    store: &KnowledgeStore,
    options: &PushOptions,
    mut progress: impl FnMut(&GraphPush),
) -> Result<Vec<GraphPush>, PushError> {
    if !options.endpoint.starts_with("http://") {
        return Err(PushError::Endpoint(options.endpoint.clone()));
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(options.request_timeout))
        .build()
        .into();
    let graphs = store
        .inner()
        .named_graphs()
        .collect::<Result<Vec<_>, _>>()?;
    let mut report = Vec::with_capacity(graphs.len());
    for graph in graphs {
        let NamedOrBlankNode::NamedNode(name) = &graph else {
            continue;
        };
        let (body, triples) = graph_as_ntriples(store, GraphNameRef::NamedNode(name.as_ref()))?;
        let url = graph_url(&options.endpoint, name.as_str());
        let (attempts, error) = put_with_retries(&agent, &url, &body, options);
        let outcome = GraphPush {
            graph: name.as_str().to_string(),
            triples,
            attempts,
            error,
        };
        progress(&outcome);
        report.push(outcome);
    }
    Ok(report)
}

/// The URL of one graph on a Graph Store Protocol service (indirect identification).
pub fn graph_url(endpoint: &str, graph: &str) -> String {
    let separator = if endpoint.contains('?') { '&' } else { '?' };
    let encoded: String = form_urlencoded::byte_serialize(graph.as_bytes()).collect();
    format!("{endpoint}{separator}graph={encoded}")
}

fn graph_as_ntriples(
    store: &KnowledgeStore,
    graph: GraphNameRef<'_>,
) -> Result<(Vec<u8>, usize), PushError> {
    let mut writer = RdfSerializer::from_format(RdfFormat::NTriples).for_writer(Vec::new());
    let mut triples = 0;
    for quad in store
        .inner()
        .quads_for_pattern(None, None, None, Some(graph))
    {
        writer
            .serialize_triple(quad?.as_ref())
            .expect("writing to memory");
        triples += 1;
    }
    Ok((writer.finish().expect("writing to memory"), triples))
}

/// PUTs `body` to `url`, retrying failures that may pass. Returns the attempts made and the
/// last error, if every attempt failed.
fn put_with_retries(
    agent: &ureq::Agent,
    url: &str,
    body: &[u8],
    options: &PushOptions,
) -> (usize, Option<String>) {
    let mut pause = options.pause;
    let mut attempt = 0;
    loop {
        attempt += 1;
        let (error, may_pass) = match agent
            .put(url)
            .header("Content-Type", "application/n-triples")
            .send(body)
        {
            Ok(response) if response.status().is_success() => return (attempt, None),
            Ok(mut response) => {
                let status = response.status();
                let text = response.body_mut().read_to_string().unwrap_or_default();
                (
                    format!("HTTP {status}: {}", text.trim()),
                    status.is_server_error() || status.as_u16() == 429,
                )
            }
            Err(e) => (e.to_string(), true),
        };
        if !may_pass || attempt >= options.attempts.max(1) {
            return (attempt, Some(error));
        }
        std::thread::sleep(pause);
        pause *= 2;
    }
}
