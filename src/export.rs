//! Export: the store as RDF (Turtle, TriG, N-Quads, N-Triples) and as Graphviz DOT.
//!
//! DOT is produced by petgraph, which escapes every label it writes; node and
//! edge attributes added here carry no text from documents.

use crate::query::compact;
use crate::store::{KnowledgeStore, ONTOLOGY_GRAPH, StoreError, class_of};
use crate::vocab::{self, Class, Property};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, Term, Triple};
use oxigraph::sparql::QueryResults;
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::{BTreeMap, BTreeSet, HashSet, VecDeque};
use std::fmt;
use std::io::Write;

/// RDF serialisations offered by `ikg export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RdfExport {
    /// Turtle (all documents merged into one graph).
    Ttl,
    /// N-Triples (all documents merged into one graph).
    Nt,
    /// TriG (one named graph per document).
    Trig,
    /// N-Quads (one named graph per document).
    Nq,
}

/// Writes the documents' graphs, with the entities and counts graphs derived
/// from them (not the ontology), in an RDF format.
pub fn export_rdf(
    store: &KnowledgeStore,
    format: RdfExport,
    out: &mut dyn Write,
) -> Result<usize, StoreError> {
    let rdf_format = match format {
        RdfExport::Ttl => RdfFormat::Turtle,
        RdfExport::Nt => RdfFormat::NTriples,
        RdfExport::Trig => RdfFormat::TriG,
        RdfExport::Nq => RdfFormat::NQuads,
    };
    let mut ser = RdfSerializer::from_format(rdf_format);
    if matches!(format, RdfExport::Ttl | RdfExport::Trig) {
        for (p, iri) in vocab::PREFIXES {
            ser = ser.with_prefix(*p, *iri).expect("valid prefix IRI");
        }
    }
    let ontology = oxigraph::model::NamedNodeRef::new_unchecked(ONTOLOGY_GRAPH);
    let mut w = ser.for_writer(out);
    let mut n = 0;
    if matches!(format, RdfExport::Trig | RdfExport::Nq) {
        for q in store.inner().iter() {
            let q = q?;
            if q.graph_name.as_ref() != GraphNameRef::NamedNode(ontology) {
                w.serialize_quad(&q).map_err(StorageIo)?;
                n += 1;
            }
        }
    } else {
        let mut triples: Vec<Triple> = Vec::new();
        let mut seen = HashSet::new();
        for q in store.inner().iter() {
            let q = q?;
            if q.graph_name.as_ref() == GraphNameRef::NamedNode(ontology) {
                continue;
            }
            let t: Triple = q.into();
            if seen.insert(t.clone()) {
                triples.push(t);
            }
        }
        for t in &triples {
            w.serialize_triple(t).map_err(StorageIo)?;
        }
        n = triples.len();
    }
    w.finish().map_err(StorageIo)?;
    Ok(n)
}

/// An I/O error while writing an export.
#[derive(Debug)]
struct StorageIo(std::io::Error);

impl From<StorageIo> for StoreError {
    fn from(e: StorageIo) -> Self {
        StoreError::Storage(oxigraph::store::StorageError::Io(e.0))
    }
}

/// An entity drawn as a node.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    /// Class (None for entities of classes outside the schema).
    pub class: Option<Class>,
    /// Label (canonical name).
    pub label: String,
    /// IRI.
    pub iri: String,
    /// A second line under the name (an investment amount), empty if none.
    pub detail: String,
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)?;
        if !self.detail.is_empty() {
            write!(f, "\n{}", self.detail)?;
        }
        Ok(())
    }
}

/// A relation drawn as an edge, labelled in one language.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Edge {
    /// Property.
    pub property: Property,
    /// Label text.
    pub label: String,
}

impl fmt::Display for Edge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// Label language of edges and the legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
}

/// The entities and relations of the store, ready to draw.
#[derive(Debug, Clone, Default)]
pub struct KgGraph {
    /// Entities by IRI.
    pub nodes: BTreeMap<String, Node>,
    /// Relations (subject IRI, property, object IRI), sorted.
    pub edges: BTreeSet<(String, Property, String)>,
    /// Clusters drawn around nodes: label → member IRIs (a node joins the first cluster only).
    pub clusters: BTreeMap<String, BTreeSet<String>>,
    /// Nodes drawn with emphasis (leading companies).
    pub marked: BTreeSet<String>,
}

impl KgGraph {
    /// Loads every entity and relation from the store.
    pub fn load(store: &KnowledgeStore) -> Result<Self, StoreError> {
        let mut g = KgGraph::default();
        let q = "SELECT ?e ?label ?class WHERE { ?e a ?class ; rdfs:label ?label . FILTER(STRSTARTS(STR(?e), STR(id:))) }";
        for_each_row(store, q, |row| {
            if let [
                Some(Term::NamedNode(e)),
                Some(Term::Literal(l)),
                Some(Term::NamedNode(c)),
            ] = row
            {
                let class = class_of(c.as_str());
                g.nodes
                    .entry(e.as_str().to_string())
                    .or_insert_with(|| Node {
                        class,
                        label: l.value().to_string(),
                        iri: e.as_str().to_string(),
                        detail: String::new(),
                    });
            }
        })?;
        let q = "SELECT ?s ?p ?o WHERE { ?s ?p ?o . FILTER(STRSTARTS(STR(?s), STR(id:)) && isIRI(?o) && STRSTARTS(STR(?o), STR(id:))) }";
        for_each_row(store, q, |row| {
            if let [
                Some(Term::NamedNode(s)),
                Some(Term::NamedNode(p)),
                Some(Term::NamedNode(o)),
            ] = row
                && let Some(prop) = p
                    .as_str()
                    .strip_prefix(vocab::IKG)
                    .and_then(Property::from_local_name)
            {
                g.edges
                    .insert((s.as_str().to_string(), prop, o.as_str().to_string()));
            }
        })?;
        g.edges
            .retain(|(s, _, o)| g.nodes.contains_key(s) && g.nodes.contains_key(o));
        Ok(g)
    }

    /// Finds an entity by canonical name, alias label or IRI.
    pub fn find(&self, store: &KnowledgeStore, name: &str) -> Result<Option<String>, StoreError> {
        if self.nodes.contains_key(name) {
            return Ok(Some(name.to_string()));
        }
        if let Some(n) = self.nodes.values().find(|n| n.label == name) {
            return Ok(Some(n.iri.clone()));
        }
        let literal =
            Term::from(oxigraph::model::Literal::new_language_tagged_literal_unchecked(name, "zh"));
        let q = format!("SELECT ?e WHERE {{ ?e skos:altLabel {literal} }} ORDER BY ?e LIMIT 1");
        let mut found = None;
        for_each_row(store, &q, |row| {
            if let [Some(Term::NamedNode(e))] = row {
                found = Some(e.as_str().to_string());
            }
        })?;
        Ok(found)
    }

    /// The sub-graph within `depth` steps of `focus` (both directions), at most
    /// `max_nodes` nodes, nearest first. Returns it and the number of nodes left out.
    pub fn neighbourhood(&self, focus: &str, depth: usize, max_nodes: usize) -> (KgGraph, usize) {
        let mut dist: BTreeMap<&str, usize> = BTreeMap::new();
        let mut queue = VecDeque::from([(focus, 0usize)]);
        dist.insert(focus, 0);
        while let Some((n, d)) = queue.pop_front() {
            if d == depth {
                continue;
            }
            for (s, _, o) in &self.edges {
                let next = if s == n {
                    o.as_str()
                } else if o == n {
                    s.as_str()
                } else {
                    continue;
                };
                if !dist.contains_key(next) {
                    dist.insert(next, d + 1);
                    queue.push_back((next, d + 1));
                }
            }
        }
        let mut ordered: Vec<(&str, usize)> = dist.into_iter().collect();
        ordered.sort_by_key(|(iri, d)| (*d, self.nodes.get(*iri).map(|n| n.label.clone())));
        let total = ordered.len();
        let keep: BTreeSet<&str> = ordered
            .into_iter()
            .take(max_nodes.max(1))
            .map(|(i, _)| i)
            .collect();
        (self.restricted(&keep), total - keep.len())
    }

    /// The sub-graph of the `max_nodes` nodes with the most relations (ties by
    /// label, then IRI). Returns it and the number of nodes left out.
    pub fn most_connected(&self, max_nodes: usize) -> (KgGraph, usize) {
        let mut degree: BTreeMap<&str, usize> =
            self.nodes.keys().map(|k| (k.as_str(), 0)).collect();
        for (s, _, o) in &self.edges {
            for end in [s, o] {
                if let Some(d) = degree.get_mut(end.as_str()) {
                    *d += 1;
                }
            }
        }
        let mut ordered: Vec<(&str, usize)> = degree.into_iter().collect();
        ordered.sort_by_key(|(iri, d)| {
            (
                std::cmp::Reverse(*d),
                self.nodes.get(*iri).map(|n| n.label.clone()),
                *iri,
            )
        });
        let keep: BTreeSet<&str> = ordered
            .into_iter()
            .take(max_nodes.max(1))
            .map(|(i, _)| i)
            .collect();
        (self.restricted(&keep), self.nodes.len() - keep.len())
    }

    /// The nodes in `keep` and the relations between them.
    fn restricted(&self, keep: &BTreeSet<&str>) -> KgGraph {
        KgGraph {
            clusters: BTreeMap::new(),
            marked: BTreeSet::new(),
            nodes: self
                .nodes
                .iter()
                .filter(|(k, _)| keep.contains(k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            edges: self
                .edges
                .iter()
                .filter(|(s, _, o)| keep.contains(s.as_str()) && keep.contains(o.as_str()))
                .cloned()
                .collect(),
        }
    }

    /// Renders the graph as DOT, left to right. `note` (e.g. how many nodes were
    /// cut) is shown in the legend. The same graph always gives the same text.
    pub fn to_dot(&self, lang: Lang, note: Option<&str>) -> String {
        let (g, index) = self.petgraph(lang);
        let (legend, marked_legend) = self.legend(lang, note);
        let marked: BTreeSet<NodeIndex> = self
            .marked
            .iter()
            .filter_map(|m| index.get(m.as_str()).copied())
            .collect();
        let node_attrs = |_: &DiGraph<Node, Edge>, (i, n): (NodeIndex, &Node)| {
            let mut style = node_style(n.class);
            if marked.contains(&i) {
                style.push_str(MARKED_STYLE);
            }
            style
        };
        let legend_attrs = |_: &DiGraph<Node, Edge>, (i, n): (NodeIndex, &Node)| {
            let mut style = node_style(n.class);
            if Some(i) == marked_legend {
                style.push_str(MARKED_STYLE);
            }
            style
        };
        let edge_attrs = |_: &DiGraph<Node, Edge>, e: petgraph::graph::EdgeReference<'_, Edge>| {
            edge_style(e.weight().property)
        };
        let body =
            Dot::with_attr_getters(&g, &[Config::GraphContentOnly], &edge_attrs, &node_attrs);
        let legend_body = Dot::with_attr_getters(
            &legend,
            &[Config::GraphContentOnly],
            &edge_attrs,
            &legend_attrs,
        );
        let legend_title = match lang {
            Lang::Zh => "图例",
            Lang::En => "Legend",
        };
        let clusters = self.clusters_dot(&index);
        // Legend nodes are renumbered so they do not collide with the graph's node ids.
        let legend_text = renumber(&format!("{legend_body}"), g.node_count());
        format!(
            "digraph ikg {{\n    graph [rankdir=LR, fontname=\"{FONT}\", charset=\"UTF-8\", newrank=true, nodesep=0.3, ranksep=0.6]\n    node [fontname=\"{FONT}\", fontsize=11]\n    edge [fontname=\"{FONT}\", fontsize=9, color=\"#555555\"]\n{body}{clusters}    subgraph cluster_legend {{\n        label=\"{legend_title}\"\n        style=dashed\n    {legend_text}    }}\n}}\n"
        )
    }

    /// The graph as a petgraph graph (nodes in a stable order, edges labelled in
    /// `lang`), with each node's index by IRI.
    fn petgraph(&self, lang: Lang) -> (DiGraph<Node, Edge>, BTreeMap<&str, NodeIndex>) {
        let mut g: DiGraph<Node, Edge> = DiGraph::new();
        let mut index: BTreeMap<&str, NodeIndex> = BTreeMap::new();
        let mut nodes: Vec<&Node> = self.nodes.values().collect();
        nodes.sort();
        for n in nodes {
            index.insert(n.iri.as_str(), g.add_node(n.clone()));
        }
        for (s, p, o) in &self.edges {
            let (Some(&a), Some(&b)) = (index.get(s.as_str()), index.get(o.as_str())) else {
                continue;
            };
            let label = match lang {
                Lang::Zh => p.label_zh(),
                Lang::En => p.local_name(),
            };
            g.add_edge(
                a,
                b,
                Edge {
                    property: *p,
                    label: label.to_string(),
                },
            );
        }
        (g, index)
    }

    /// The legend: one node per class shown, one for leading companies when
    /// some are marked (its index returned), and the note.
    fn legend(&self, lang: Lang, note: Option<&str>) -> (DiGraph<Node, Edge>, Option<NodeIndex>) {
        let mut legend: DiGraph<Node, Edge> = DiGraph::new();
        let classes: BTreeSet<Class> = self.nodes.values().filter_map(|n| n.class).collect();
        let legend_node = |label: String, class: Option<Class>| Node {
            class,
            label,
            iri: String::new(),
            detail: String::new(),
        };
        for c in &classes {
            let label = match lang {
                Lang::Zh => c.label_zh().to_string(),
                Lang::En => c.label_en().to_string(),
            };
            legend.add_node(legend_node(label, Some(*c)));
        }
        let marked_legend = (!self.marked.is_empty()).then(|| {
            let label = match lang {
                Lang::Zh => "龙头企业",
                Lang::En => "leading company",
            };
            legend.add_node(legend_node(label.to_string(), Some(Class::Company)))
        });
        if let Some(note) = note {
            legend.add_node(legend_node(note.to_string(), None));
        }
        (legend, marked_legend)
    }

    /// The clusters as DOT subgraphs: each node in the first cluster that lists it.
    fn clusters_dot(&self, index: &BTreeMap<&str, NodeIndex>) -> String {
        let mut placed: BTreeSet<NodeIndex> = BTreeSet::new();
        let mut clusters = String::new();
        for (k, (label, members)) in self.clusters.iter().enumerate() {
            let ids: Vec<String> = members
                .iter()
                .filter_map(|m| index.get(m.as_str()).copied())
                .filter(|i| placed.insert(*i))
                .map(|i| i.index().to_string())
                .collect();
            if ids.is_empty() {
                continue;
            }
            clusters.push_str(&format!(
                "    subgraph cluster_{k} {{\n        label={}\n        style=\"rounded,filled\"\n        fillcolor=\"#fbfaf3\"\n        color=\"#b9a55a\"\n        {}\n    }}\n",
                dot_quoted(label),
                ids.join("; ")
            ));
        }
        clusters
    }
}

/// The CJK font named in every DOT file (Noto Sans CJK, Debian package fonts-noto-cjk).
pub const FONT: &str = "Noto Sans CJK SC";
/// The extra DOT node attributes of a marked (leading) company.
const MARKED_STYLE: &str = ", penwidth=3, color=\"#c0392b\"";

/// Shifts the node ids of a petgraph DOT body by `offset`.
fn renumber(body: &str, offset: usize) -> String {
    body.lines()
        .map(|l| {
            let t = l.trim_start();
            let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
            match digits.parse::<usize>() {
                Ok(n) if !digits.is_empty() => {
                    format!("    {}{}\n", n + offset, &t[digits.len()..])
                }
                _ => format!("{l}\n"),
            }
        })
        .collect()
}

/// A string as a quoted DOT string, escaped by petgraph (used for cluster labels).
pub fn dot_quoted(text: &str) -> String {
    let mut g: DiGraph<&str, &str> = DiGraph::new();
    g.add_node(text);
    let out = format!("{}", Dot::with_config(&g, &[Config::GraphContentOnly]));
    let start = out.find("label = ").map_or(0, |i| i + "label = ".len());
    let end = out.rfind(" ]").unwrap_or(out.len());
    out[start..end].to_string()
}

fn node_style(class: Option<Class>) -> String {
    let (shape, color) = match class {
        Some(Class::Company) => ("box", "#cfe2ff"),
        Some(Class::GovernmentBody) => ("house", "#e2d9f3"),
        Some(Class::University) => ("box3d", "#d1e7dd"),
        Some(Class::ResearchInstitute) => ("box3d", "#c3f0e0"),
        Some(Class::Park) => ("tab", "#fff3cd"),
        Some(Class::Region) => ("folder", "#fde2c8"),
        Some(Class::Platform) => ("component", "#d0f0f7"),
        Some(Class::Project) => ("note", "#f8d7da"),
        Some(Class::Industry) => ("hexagon", "#ffe69c"),
        Some(Class::Product) => ("ellipse", "#e9ecef"),
        Some(Class::Honor) => ("octagon", "#f7d6e6"),
        Some(Class::Person) => ("egg", "#ffffff"),
        None => ("plaintext", "#ffffff"),
    };
    format!("shape={shape}, style=filled, fillcolor=\"{color}\"")
}

fn edge_style(p: Property) -> String {
    match p {
        Property::LeadingCompanyOf => "color=\"#c0392b\", penwidth=2".into(),
        Property::SegmentOf => "color=\"#b7950b\", penwidth=1.5".into(),
        Property::LocatedIn => "style=dashed".into(),
        Property::CooperatesWith => "dir=both, style=dotted".into(),
        _ => String::new(),
    }
}

/// Runs a SELECT query and hands each row (values in variable order) to `f`.
pub fn for_each_row(
    store: &KnowledgeStore,
    q: &str,
    mut f: impl FnMut(&[Option<Term>]),
) -> Result<(), StoreError> {
    if let QueryResults::Solutions(sols) = store.query(q)? {
        let vars = sols.variables().to_vec();
        for s in sols {
            let s = s?;
            let row: Vec<Option<Term>> = vars.iter().map(|v| s.get(v).cloned()).collect();
            f(&row);
        }
    }
    Ok(())
}

/// A compact name for an IRI (for messages).
pub fn short_name(iri: &str) -> String {
    compact(&Term::NamedNode(oxigraph::model::NamedNode::new_unchecked(
        iri,
    )))
}
