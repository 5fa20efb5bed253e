//! Draw: views of the graph a researcher puts in a paper, and rendering with Graphviz.
//!
//! - [`chain_view`]: an industry, its segments (`segmentOf`, recursively), the
//!   companies in each segment (`inIndustry`, `produces`, `leadingCompanyOf`),
//!   leading companies emphasised, parks as clusters around their companies;
//! - [`park_view`]: a park with its companies, projects (investment on the label,
//!   in 亿元), platforms, industries and honours;
//! - [`query_view`]: the result of any CONSTRUCT query;
//! - [`render`]: runs Graphviz `dot` to SVG, PNG or PDF.

use crate::export::{KgGraph, for_each_row};
use crate::store::{KnowledgeStore, StoreError};
use crate::vocab::{self, Class, Property};
use oxigraph::model::Term;
use oxigraph::sparql::QueryResults;
use std::collections::{BTreeSet, VecDeque};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use thiserror::Error;

/// A view that cannot be drawn.
#[derive(Debug, Error)]
pub enum DrawError {
    /// From the store.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The named entity is not in the store, or not of the class the view needs.
    #[error("{0}")]
    NotFound(String),
    /// The query is not a CONSTRUCT or DESCRIBE query.
    #[error("--query needs a CONSTRUCT or DESCRIBE query")]
    NotAGraphQuery,
    /// Graphviz is missing or failed.
    #[error("{0}")]
    Graphviz(String),
}

fn find_of_class(
    graph: &KgGraph,
    store: &KnowledgeStore,
    name: &str,
    class: Class,
) -> Result<String, DrawError> {
    let iri = graph
        .find(store, name)?
        .ok_or_else(|| DrawError::NotFound(format!("no entity named {name:?} in the store")))?;
    match graph.nodes.get(&iri).and_then(|n| n.class) {
        Some(c) if c == class => Ok(iri),
        other => Err(DrawError::NotFound(format!(
            "{name:?} is {}, not {}",
            other.map_or("of no schema class".to_string(), |c| format!("a {c}")),
            class
        ))),
    }
}

/// Keeps the given nodes and the edges among them.
fn restrict(graph: &KgGraph, keep: &BTreeSet<String>) -> KgGraph {
    KgGraph {
        nodes: graph
            .nodes
            .iter()
            .filter(|(k, _)| keep.contains(*k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        edges: graph
            .edges
            .iter()
            .filter(|(s, _, o)| keep.contains(s) && keep.contains(o))
            .cloned()
            .collect(),
        ..KgGraph::default()
    }
}

/// The chain view of an industry (by canonical name or alias).
pub fn chain_view(
    graph: &KgGraph,
    store: &KnowledgeStore,
    industry: &str,
) -> Result<KgGraph, DrawError> {
    let root = find_of_class(graph, store, industry, Class::Industry)?;
    // The industry and its segments, recursively.
    let mut chain: BTreeSet<String> = BTreeSet::from([root.clone()]);
    let mut queue = VecDeque::from([root.clone()]);
    while let Some(x) = queue.pop_front() {
        for (s, p, o) in &graph.edges {
            if *p == Property::SegmentOf && *o == x && chain.insert(s.clone()) {
                queue.push_back(s.clone());
            }
        }
    }
    let mut keep = chain.clone();
    let mut companies = BTreeSet::new();
    let mut marked = BTreeSet::new();
    for (s, p, o) in &graph.edges {
        if chain.contains(o)
            && matches!(
                p,
                Property::InIndustry | Property::Produces | Property::LeadingCompanyOf
            )
        {
            let class = graph.nodes.get(s).and_then(|n| n.class);
            if matches!(
                class,
                Some(Class::Company | Class::Project | Class::Platform | Class::Park)
            ) {
                keep.insert(s.clone());
                if class == Some(Class::Company) {
                    companies.insert(s.clone());
                }
                if *p == Property::LeadingCompanyOf {
                    marked.insert(s.clone());
                }
            }
        }
    }
    let mut view = restrict(graph, &keep);
    view.marked = marked;
    // Parks as clusters around the companies located in them.
    for (s, p, o) in &graph.edges {
        if *p == Property::LocatedIn
            && companies.contains(s)
            && let Some(park) = graph.nodes.get(o).filter(|n| n.class == Some(Class::Park))
        {
            view.clusters
                .entry(park.label.clone())
                .or_default()
                .insert(s.clone());
        }
    }
    Ok(view)
}

/// The park view: a park with what is located in it, its industries and honours.
pub fn park_view(
    graph: &KgGraph,
    store: &KnowledgeStore,
    park: &str,
    lang: crate::export::Lang,
) -> Result<KgGraph, DrawError> {
    let root = find_of_class(graph, store, park, Class::Park)?;
    let mut keep = BTreeSet::from([root.clone()]);
    let mut marked = BTreeSet::new();
    for (s, p, o) in &graph.edges {
        match p {
            Property::LocatedIn if *o == root => {
                keep.insert(s.clone());
            }
            Property::InIndustry | Property::HasHonor if *s == root => {
                keep.insert(o.clone());
            }
            Property::LeadingCompanyOf | Property::CooperatesWith | Property::CoBuilds
                if *o == root =>
            {
                keep.insert(s.clone());
                if *p == Property::LeadingCompanyOf {
                    marked.insert(s.clone());
                }
            }
            _ => {}
        }
    }
    // Builders of the park's projects, leads of its platforms and the honours
    // of its companies come along.
    let members = keep.clone();
    for (s, p, o) in &graph.edges {
        if members.contains(o) && matches!(p, Property::Builds | Property::Leads) {
            keep.insert(s.clone());
        }
        if members.contains(s) && *p == Property::HasHonor {
            keep.insert(o.clone());
        }
    }
    let mut view = restrict(graph, &keep);
    view.marked = marked;
    // Investment amounts, in 亿元, under the project names.
    let q = format!(
        "SELECT ?p (MAX(?v) AS ?yuan) WHERE {{ ?p ikg:locatedIn <{root}> ; ikg:investmentYuan ?v }} GROUP BY ?p"
    );
    for_each_row(store, &q, |row| {
        if let [Some(Term::NamedNode(p)), Some(Term::Literal(v))] = row
            && let Some(node) = view.nodes.get_mut(p.as_str())
            && let Ok(yuan) = v.value().parse::<f64>()
        {
            let yi = yuan / 1e8;
            node.detail = match lang {
                crate::export::Lang::Zh => format!("投资 {}亿元", trim_number(yi)),
                crate::export::Lang::En => {
                    format!("investment {} 亿元 (100 M yuan)", trim_number(yi))
                }
            };
        }
    })?;
    // Members grouped by class.
    for iri in keep.iter().filter(|i| {
        members.contains(*i)
            || graph
                .nodes
                .get(*i)
                .is_some_and(|n| n.class == Some(Class::Honor))
    }) {
        if *iri == root {
            continue;
        }
        if let Some(class) = graph.nodes.get(iri).and_then(|n| n.class) {
            let label = match lang {
                crate::export::Lang::Zh => class.label_zh(),
                crate::export::Lang::En => class.label_en(),
            };
            view.clusters
                .entry(label.to_string())
                .or_default()
                .insert(iri.clone());
        }
    }
    Ok(view)
}

fn trim_number(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// The graph a CONSTRUCT (or DESCRIBE) query returns: triples between entities
/// with schema properties become edges; entities are labelled from the store.
pub fn query_view(
    graph: &KgGraph,
    store: &KnowledgeStore,
    sparql: &str,
) -> Result<KgGraph, DrawError> {
    let QueryResults::Graph(triples) = store.query(sparql)? else {
        return Err(DrawError::NotAGraphQuery);
    };
    let mut keep = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for t in triples {
        let t = t.map_err(StoreError::from)?;
        let (oxigraph::model::NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) =
            (&t.subject, &t.object)
        else {
            continue;
        };
        if let Some(p) = t
            .predicate
            .as_str()
            .strip_prefix(vocab::IKG)
            .and_then(Property::from_local_name)
            && graph.nodes.contains_key(s.as_str())
            && graph.nodes.contains_key(o.as_str())
        {
            keep.insert(s.as_str().to_string());
            keep.insert(o.as_str().to_string());
            edges.insert((s.as_str().to_string(), p, o.as_str().to_string()));
        }
    }
    let mut view = restrict(graph, &keep);
    view.edges = edges;
    Ok(view)
}

/// Output formats of [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    /// Scalable vector graphics.
    Svg,
    /// Bitmap.
    Png,
    /// PDF.
    Pdf,
}

/// Renders DOT text to a file with Graphviz `dot`.
pub fn render(dot: &str, format: RenderFormat, output: &Path) -> Result<(), DrawError> {
    let t = match format {
        RenderFormat::Svg => "-Tsvg",
        RenderFormat::Png => "-Tpng",
        RenderFormat::Pdf => "-Tpdf",
    };
    let mut command = Command::new("dot");
    command.arg(t).arg("-Gdpi=110").arg("-o").arg(output);
    run_dot(command, dot).map(|_| ())
}

/// Renders DOT text to SVG with Graphviz `dot` and returns the SVG.
pub fn render_svg(dot: &str) -> Result<String, DrawError> {
    let mut command = Command::new("dot");
    command.arg("-Tsvg");
    let svg = run_dot(command, dot)?;
    String::from_utf8(svg).map_err(|e| DrawError::Graphviz(format!("dot wrote no UTF-8: {e}")))
}

/// Runs a `dot` command with `dot` text on its input; returns what it printed.
fn run_dot(mut command: Command, dot: &str) -> Result<Vec<u8>, DrawError> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            DrawError::Graphviz(format!(
                "cannot run Graphviz `dot` ({e}): install it, e.g. `apt-get install graphviz` (Debian/Ubuntu), \
                 `brew install graphviz` (macOS); for Chinese labels also a CJK font such as fonts-noto-cjk"
            ))
        })?;
    // dot reads its whole input before it writes anything, so writing first cannot block.
    child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(dot.as_bytes())
        .map_err(|e| DrawError::Graphviz(format!("writing to dot: {e}")))?;
    let out = child
        .wait_with_output()
        .map_err(|e| DrawError::Graphviz(format!("dot: {e}")))?;
    if !out.status.success() {
        return Err(DrawError::Graphviz(format!(
            "dot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(out.stdout)
}
