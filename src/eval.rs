//! Eval: precision, recall and F1 of the store against gold files.
//!
//! Gold format (see SCHEMA.md): UTF-8 TSV, `#` comments, no header —
//! `entities.tsv` (doc, class, canonical name, aliases `|`-separated),
//! `relations.tsv` (doc, subject, property, object), `investments.tsv`
//! (doc, project, amount in yuan, or an amount, a space and an ISO 4217 code).
//! A `parts/` folder of per-document files (`<doc>.entities.tsv`, …) is read
//! instead of the merged file when present, as is a folder of per-document files.
//!
//! Scoring follows SCHEMA.md and the reference scorer of the gold sets. The
//! store is read as a researcher queries it: an entity is every IRI with an
//! `ikg:` type, `ikg:mentionedIn` and a label, counted once for each of its
//! documents and each of its types. Names are compared after NFKC and removal
//! of white space and quote marks; a gold name stands for its canonical name and
//! the aliases its lines give in that document (in any document, when the
//! document has no line for it). System and gold items are matched one to one,
//! greedily in file and store order, per (document, class) for entities, per
//! (document, property) for relations (`cooperatesWith` in either direction)
//! and per document for investments (same project, amounts within 0.5, same
//! currency). Precision is matched items over all system items, recall matched
//! items over all gold items (micro-averaged), on the documents the gold covers.

use crate::export::for_each_row;
use crate::store::{KnowledgeStore, StoreError};
use crate::vocab::{self, Class, Property};
use oxigraph::model::Term;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// Matching key of a name: NFKC, without white space and quote marks.
pub fn name_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| {
            !c.is_whitespace()
                && !('\u{1c}'..='\u{1f}').contains(c)
                && !"“”\"'「」‘’『』".contains(*c)
        })
        .collect()
}

/// Gold data.
#[derive(Debug, Default, Clone)]
pub struct Gold {
    /// (doc, class, names: canonical first).
    pub entities: Vec<(String, Class, Vec<String>)>,
    /// (doc, subject, property, object).
    pub relations: Vec<(String, String, Property, String)>,
    /// (doc, project, amount: yuan, or an amount, a space and a currency code).
    pub investments: Vec<(String, String, String)>,
}

/// The files of one kind of gold in `dir`: `parts/<doc>.<kind>`, else
/// `<kind>`, else `<doc>.<kind>` in `dir` itself; sorted by name.
fn gold_files(dir: &Path, kind: &str) -> Result<Vec<PathBuf>, String> {
    let listed = |d: &Path| -> Result<Vec<PathBuf>, String> {
        let mut files: Vec<PathBuf> = match std::fs::read_dir(d) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.is_file()
                        && p.file_name()
                            .is_some_and(|n| n.to_string_lossy().ends_with(&format!(".{kind}")))
                })
                .collect(),
            Err(e) if d == dir => return Err(format!("{}: {e}", d.display())),
            Err(_) => Vec::new(),
        };
        files.sort();
        Ok(files)
    };
    let parts = listed(&dir.join("parts"))?;
    if !parts.is_empty() {
        return Ok(parts);
    }
    let merged = dir.join(kind);
    if merged.is_file() {
        return Ok(vec![merged]);
    }
    listed(dir)
}

impl Gold {
    /// Reads gold files from a folder (merged files, or per-document files).
    pub fn read(dir: &Path) -> Result<Gold, String> {
        let mut gold = Gold::default();
        for kind in ["entities.tsv", "relations.tsv", "investments.tsv"] {
            for path in gold_files(dir, kind)? {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                for (i, line) in text.lines().enumerate() {
                    if line.trim().is_empty() || line.starts_with('#') {
                        continue;
                    }
                    let bad = |m: &str| format!("{}:{}: {m}", path.display(), i + 1);
                    gold.add_line(kind, line, bad)?;
                }
            }
        }
        Ok(gold)
    }

    fn add_line(
        &mut self,
        kind: &str,
        line: &str,
        bad: impl Fn(&str) -> String,
    ) -> Result<(), String> {
        let c: Vec<&str> = line.split('\t').map(str::trim).collect();
        if c.len() < 3 {
            return Err(bad("too few columns"));
        }
        match kind {
            "entities.tsv" => {
                let class = Class::from_local_name(c[1]).ok_or_else(|| bad("unknown class"))?;
                let mut names = vec![c[2].to_string()];
                if let Some(a) = c.get(3) {
                    names.extend(
                        a.split('|')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(String::from),
                    );
                }
                self.entities.push((c[0].to_string(), class, names));
            }
            "relations.tsv" => {
                let p = Property::from_local_name(c[2]).ok_or_else(|| bad("unknown property"))?;
                let o = c.get(3).ok_or_else(|| bad("no object"))?;
                self.relations
                    .push((c[0].to_string(), c[1].to_string(), p, o.to_string()));
            }
            _ => self
                .investments
                .push((c[0].to_string(), c[1].to_string(), c[2].to_string())),
        }
        Ok(())
    }

    /// The documents the gold covers (those with entities or relations).
    pub fn documents(&self) -> BTreeSet<String> {
        self.entities
            .iter()
            .map(|e| e.0.clone())
            .chain(self.relations.iter().map(|r| r.0.clone()))
            .collect()
    }

    /// The name keys of every gold entity: per (document, canonical name) and,
    /// for names a document has no line for, across documents.
    fn names(&self) -> GoldNames {
        let mut names = GoldNames::default();
        for (doc, _, all) in &self.entities {
            let keys: Vec<String> = all.iter().map(|s| name_key(s)).collect();
            names
                .by_doc
                .entry((doc.clone(), all[0].clone()))
                .or_default()
                .extend(keys.iter().cloned());
            names
                .anywhere
                .entry(all[0].clone())
                .or_default()
                .extend(keys);
        }
        names
    }
}

/// The name keys a gold name stands for.
#[derive(Debug, Default)]
struct GoldNames {
    by_doc: HashMap<(String, String), BTreeSet<String>>,
    anywhere: HashMap<String, BTreeSet<String>>,
}

impl GoldNames {
    fn of(&self, doc: &str, name: &str) -> BTreeSet<String> {
        self.by_doc
            .get(&(doc.to_string(), name.to_string()))
            .or_else(|| self.anywhere.get(name))
            .cloned()
            .unwrap_or_else(|| BTreeSet::from([name_key(name)]))
    }
}

/// The labels of a node as keys, and one of them to show.
#[derive(Debug, Default, Clone)]
pub struct Labels {
    /// Name keys (see [`name_key`]).
    pub keys: BTreeSet<String>,
}

impl Labels {
    fn shown(&self) -> &str {
        self.keys.first().map(String::as_str).unwrap_or("?")
    }

    fn meets(&self, gold: &BTreeSet<String>) -> bool {
        !self.keys.is_disjoint(gold)
    }
}

/// An entity of the system: labels, types (local names) and documents.
#[derive(Debug, Default, Clone)]
pub struct SystemEntity {
    /// Its labels.
    pub labels: Labels,
    /// Its `ikg:` types, as local names.
    pub classes: BTreeSet<String>,
    /// The documents it is mentioned in.
    pub docs: BTreeSet<String>,
}

/// A relation of the system, in the graph of one document.
#[derive(Debug, Clone)]
pub struct SystemRelation {
    /// The document whose graph states it.
    pub doc: String,
    /// The property.
    pub property: Property,
    /// Subject labels.
    pub subject: Labels,
    /// Object labels.
    pub object: Labels,
    /// An evidence sentence.
    pub evidence: String,
}

/// An investment of the system.
#[derive(Debug, Default, Clone)]
pub struct SystemInvestment {
    /// The document whose graph states it.
    pub doc: String,
    /// The project's labels.
    pub project: Labels,
    /// The amount as written in the store.
    pub amount: String,
    /// The currency code; empty for yuan.
    pub currency: String,
}

/// What the store holds, in store order.
#[derive(Debug, Default, Clone)]
pub struct SystemOutput {
    /// Entities.
    pub entities: Vec<SystemEntity>,
    /// Relations with their labels and evidence.
    pub relations: Vec<SystemRelation>,
    /// Investments.
    pub investments: Vec<SystemInvestment>,
}

/// The reference scorer's queries, word for word (its greedy matching follows
/// the order of their rows).
fn entity_query() -> String {
    let ikg = vocab::IKG;
    format!(
        "SELECT DISTINCT ?e ?t ?d ?l WHERE {{ ?e a ?t ; <{ikg}mentionedIn> ?d . \
         FILTER(STRSTARTS(STR(?t), \"{ikg}\")) \
         {{ ?e rdfs:label ?l }} UNION {{ ?e skos:altLabel ?l }} }}"
    )
}

fn relation_query() -> String {
    let values: Vec<String> = Property::ALL
        .iter()
        .map(|p| format!("<{}{}>", vocab::IKG, p.local_name()))
        .collect();
    format!(
        "SELECT DISTINCT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?p {{ {} }} }}",
        values.join(" ")
    )
}

fn investment_queries() -> [(String, bool); 2] {
    let ikg = vocab::IKG;
    [
        (
            format!(
                "SELECT DISTINCT ?g ?s ?v WHERE {{ GRAPH ?g {{ ?s <{ikg}investmentYuan> ?v }} }}"
            ),
            false,
        ),
        (
            format!(
                "SELECT DISTINCT ?g ?s ?v ?c WHERE {{ GRAPH ?g {{ ?s <{ikg}investmentAmount> ?v ; <{ikg}currency> ?c }} }}"
            ),
            true,
        ),
    ]
}

const EVIDENCE_QUERY: &str = "SELECT ?g ?s ?p ?o (SAMPLE(?ev) AS ?evidence) WHERE { GRAPH ?g { ?r rdf:reifies <<( ?s ?p ?o )>> ; ikg:evidenceText ?ev } } GROUP BY ?g ?s ?p ?o";

fn term_text(t: &Option<Term>) -> String {
    match t {
        Some(Term::NamedNode(n)) => n.as_str().to_string(),
        Some(Term::Literal(l)) => l.value().to_string(),
        Some(other) => other.to_string(),
        None => String::new(),
    }
}

fn document_of(graph: &str) -> Option<String> {
    graph.strip_prefix(vocab::DOC).map(percent_decode)
}

impl SystemOutput {
    /// Reads entities, relations and investments from the store.
    pub fn read(store: &KnowledgeStore) -> Result<SystemOutput, StoreError> {
        let mut out = SystemOutput::default();
        let mut labels: HashMap<String, Labels> = HashMap::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for_each_row(store, &entity_query(), |r| {
            let [e, t, d, l] = [0, 1, 2, 3].map(|i| term_text(&r[i]));
            labels
                .entry(e.clone())
                .or_default()
                .keys
                .insert(name_key(&l));
            if let Some(doc) = document_of(&d) {
                let i = *index.entry(e).or_insert_with(|| {
                    out.entities.push(SystemEntity::default());
                    out.entities.len() - 1
                });
                let entity = &mut out.entities[i];
                entity.docs.insert(doc);
                if let Some(class) = t.strip_prefix(vocab::IKG) {
                    entity.classes.insert(class.to_string());
                }
            }
        })?;
        for (e, &i) in &index {
            out.entities[i].labels = labels[e].clone();
        }
        let labels_of = |e: &str| labels.get(e).cloned().unwrap_or_default();
        let mut evidence: HashMap<[String; 4], String> = HashMap::new();
        for_each_row(store, EVIDENCE_QUERY, |r| {
            evidence.insert([0, 1, 2, 3].map(|i| term_text(&r[i])), term_text(&r[4]));
        })?;
        let q = relation_query();
        for_each_row(store, &q, |r| {
            let key = [0, 1, 2, 3].map(|i| term_text(&r[i]));
            let property = key[2]
                .strip_prefix(vocab::IKG)
                .and_then(Property::from_local_name);
            if let (Some(doc), Some(property)) = (document_of(&key[0]), property) {
                out.relations.push(SystemRelation {
                    doc,
                    property,
                    subject: labels_of(&key[1]),
                    object: labels_of(&key[3]),
                    evidence: evidence.get(&key).cloned().unwrap_or_default(),
                });
            }
        })?;
        for (q, with_currency) in investment_queries() {
            for_each_row(store, &q, |r| {
                if let Some(doc) = document_of(&term_text(&r[0])) {
                    out.investments.push(SystemInvestment {
                        doc,
                        project: labels_of(&term_text(&r[1])),
                        amount: term_text(&r[2]),
                        currency: if with_currency {
                            term_text(&r[3]).trim().to_uppercase()
                        } else {
                            String::new()
                        },
                    });
                }
            })?;
        }
        Ok(out)
    }
}

impl From<Gold> for SystemOutput {
    /// Gold-format files read as a system's output (to score another tool's
    /// entities and relations with the same scorer).
    fn from(g: Gold) -> Self {
        let names = g.names();
        let labels = |doc: &str, name: &str| Labels {
            keys: names.of(doc, name),
        };
        SystemOutput {
            entities: g
                .entities
                .iter()
                .map(|(doc, class, all)| SystemEntity {
                    labels: Labels {
                        keys: all.iter().map(|s| name_key(s)).collect(),
                    },
                    classes: BTreeSet::from([class.local_name().to_string()]),
                    docs: BTreeSet::from([doc.clone()]),
                })
                .collect(),
            relations: g
                .relations
                .iter()
                .map(|(doc, s, property, o)| SystemRelation {
                    doc: doc.clone(),
                    property: *property,
                    subject: labels(doc, s),
                    object: labels(doc, o),
                    evidence: String::new(),
                })
                .collect(),
            investments: g
                .investments
                .iter()
                .map(|(doc, p, amount)| {
                    let (amount, currency) = split_amount(amount);
                    SystemInvestment {
                        doc: doc.clone(),
                        project: labels(doc, p),
                        amount: amount.to_string(),
                        currency,
                    }
                })
                .collect(),
        }
    }
}

/// A gold amount split into the number and the currency code (empty for yuan).
fn split_amount(s: &str) -> (&str, String) {
    let mut parts = s.split_whitespace();
    let amount = parts.next().unwrap_or("");
    (amount, parts.next().unwrap_or("").to_uppercase())
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Precision, recall and F1 of one group.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Score {
    /// Gold items.
    pub gold: usize,
    /// System items.
    pub system: usize,
    /// Pairs of a system and a gold item matched one to one.
    pub matched: usize,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl Score {
    fn add(&mut self, gold: usize, system: usize, matched: usize) {
        self.gold += gold;
        self.system += system;
        self.matched += matched;
        self.precision = ratio(self.matched, self.system);
        self.recall = ratio(self.matched, self.gold);
        self.f1 = if self.precision + self.recall > 0.0 {
            2.0 * self.precision * self.recall / (self.precision + self.recall)
        } else {
            0.0
        };
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// One missed or spurious item.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorItem {
    /// `missed` or `spurious`.
    pub kind: &'static str,
    /// Document.
    pub doc: String,
    /// `entity`, `relation` or `investment`.
    pub what: &'static str,
    /// Human-readable fact.
    pub fact: String,
    /// Evidence sentence (spurious relations).
    pub evidence: String,
}

/// The full evaluation report.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Entities overall.
    pub entities: Score,
    /// Entities per class.
    pub entities_by_class: BTreeMap<String, Score>,
    /// Relations overall.
    pub relations: Score,
    /// Relations per property.
    pub relations_by_property: BTreeMap<String, Score>,
    /// Investments.
    pub investments: Score,
    /// Missed and spurious items.
    pub errors: Vec<ErrorItem>,
}

/// Greedy one-to-one matching: each gold item in turn takes the first system
/// item not yet taken that is compatible with it. Returns whether each gold item
/// and each system item was matched.
fn greedy_match<S, G>(
    sys: &[S],
    gold: &[G],
    compatible: impl Fn(&S, &G) -> bool,
) -> (Vec<bool>, Vec<bool>) {
    let mut taken = vec![false; sys.len()];
    let found = gold
        .iter()
        .map(|g| {
            let hit = (0..sys.len()).find(|&i| !taken[i] && compatible(&sys[i], g));
            if let Some(i) = hit {
                taken[i] = true;
            }
            hit.is_some()
        })
        .collect();
    (found, taken)
}

impl Report {
    /// Scores one group and records its errors.
    fn group<S, G>(
        &mut self,
        doc: &str,
        what: &'static str,
        sys: &[S],
        gold: &[G],
        compatible: impl Fn(&S, &G) -> bool,
        describe: (impl Fn(&S) -> (String, String), impl Fn(&G) -> String),
    ) -> (usize, usize, usize) {
        let (found, taken) = greedy_match(sys, gold, compatible);
        for (g, _) in gold.iter().zip(&found).filter(|(_, f)| !**f) {
            self.errors.push(ErrorItem {
                kind: "missed",
                doc: doc.to_string(),
                what,
                fact: describe.1(g),
                evidence: String::new(),
            });
        }
        for (s, _) in sys.iter().zip(&taken).filter(|(_, t)| !**t) {
            let (fact, evidence) = describe.0(s);
            self.errors.push(ErrorItem {
                kind: "spurious",
                doc: doc.to_string(),
                what,
                fact,
                evidence,
            });
        }
        let matched = taken.iter().filter(|t| **t).count();
        (gold.len(), sys.len(), matched)
    }
}

/// Scores the system output against gold, on the documents the gold covers.
pub fn evaluate(gold: &Gold, sys: &SystemOutput) -> Report {
    let docs = gold.documents();
    let names = gold.names();
    let mut report = Report::default();
    score_entities(gold, sys, &docs, &names, &mut report);
    score_relations(gold, sys, &docs, &names, &mut report);
    score_investments(gold, sys, &docs, &names, &mut report);
    report
}

fn score_entities(
    gold: &Gold,
    sys: &SystemOutput,
    docs: &BTreeSet<String>,
    names: &GoldNames,
    report: &mut Report,
) {
    let mut gold_by: BTreeMap<(String, String), Vec<&String>> = BTreeMap::new();
    for (doc, class, all) in gold.entities.iter().filter(|e| docs.contains(&e.0)) {
        gold_by
            .entry((doc.clone(), class.local_name().to_string()))
            .or_default()
            .push(&all[0]);
    }
    let mut sys_by: BTreeMap<(String, String), Vec<&SystemEntity>> = BTreeMap::new();
    for e in &sys.entities {
        for doc in e.docs.iter().filter(|d| docs.contains(*d)) {
            for class in &e.classes {
                sys_by
                    .entry((doc.clone(), class.clone()))
                    .or_default()
                    .push(e);
            }
        }
    }
    let keys: BTreeSet<&(String, String)> = gold_by.keys().chain(sys_by.keys()).collect();
    for key @ (doc, class) in keys {
        let g = gold_by.get(key).map(Vec::as_slice).unwrap_or_default();
        let s = sys_by.get(key).map(Vec::as_slice).unwrap_or_default();
        let counts = report.group(
            doc,
            "entity",
            s,
            g,
            |e, name| e.labels.meets(&names.of(doc, name)),
            (
                |e: &&SystemEntity| (format!("{class} {}", e.labels.shown()), String::new()),
                |name: &&String| format!("{class} {name}"),
            ),
        );
        let (ng, ns, nm) = counts;
        report
            .entities_by_class
            .entry(class.clone())
            .or_default()
            .add(ng, ns, nm);
        report.entities.add(ng, ns, nm);
    }
}

fn score_relations(
    gold: &Gold,
    sys: &SystemOutput,
    docs: &BTreeSet<String>,
    names: &GoldNames,
    report: &mut Report,
) {
    let mut gold_by: BTreeMap<(String, Property), Vec<(&String, &String)>> = BTreeMap::new();
    for (doc, s, p, o) in gold.relations.iter().filter(|r| docs.contains(&r.0)) {
        gold_by.entry((doc.clone(), *p)).or_default().push((s, o));
    }
    let mut sys_by: BTreeMap<(String, Property), Vec<&SystemRelation>> = BTreeMap::new();
    for r in sys.relations.iter().filter(|r| docs.contains(&r.doc)) {
        sys_by
            .entry((r.doc.clone(), r.property))
            .or_default()
            .push(r);
    }
    let keys: BTreeSet<&(String, Property)> = gold_by.keys().chain(sys_by.keys()).collect();
    for key @ (doc, property) in keys {
        let g = gold_by.get(key).map(Vec::as_slice).unwrap_or_default();
        let s = sys_by.get(key).map(Vec::as_slice).unwrap_or_default();
        let compatible = |r: &&SystemRelation, (gs, go): &(&String, &String)| {
            let (gs, go) = (names.of(doc, gs), names.of(doc, go));
            r.subject.meets(&gs) && r.object.meets(&go)
                || property.is_symmetric() && r.subject.meets(&go) && r.object.meets(&gs)
        };
        let (ng, ns, nm) = report.group(
            doc,
            "relation",
            s,
            g,
            compatible,
            (
                |r: &&SystemRelation| {
                    (
                        format!("{} {property} {}", r.subject.shown(), r.object.shown()),
                        r.evidence.clone(),
                    )
                },
                |(gs, go): &(&String, &String)| format!("{gs} {property} {go}"),
            ),
        );
        report
            .relations_by_property
            .entry(property.to_string())
            .or_default()
            .add(ng, ns, nm);
        report.relations.add(ng, ns, nm);
    }
}

fn score_investments(
    gold: &Gold,
    sys: &SystemOutput,
    docs: &BTreeSet<String>,
    names: &GoldNames,
    report: &mut Report,
) {
    for doc in docs {
        let g: Vec<&(String, String, String)> =
            gold.investments.iter().filter(|i| &i.0 == doc).collect();
        let s: Vec<&SystemInvestment> = sys.investments.iter().filter(|i| &i.doc == doc).collect();
        let compatible = |si: &&SystemInvestment, gi: &&(String, String, String)| {
            let (amount, currency) = split_amount(&gi.2);
            match (si.amount.trim().parse::<f64>(), amount.parse::<f64>()) {
                (Ok(a), Ok(b)) => {
                    si.project.meets(&names.of(doc, &gi.1))
                        && (a - b).abs() < 0.5
                        && si.currency == currency
                }
                _ => false,
            }
        };
        let (ng, ns, nm) = report.group(
            doc,
            "investment",
            &s,
            &g,
            compatible,
            (
                |i: &&SystemInvestment| {
                    let amount = format!("{} {}", i.amount, i.currency);
                    (
                        format!("{} {}", i.project.shown(), amount.trim()),
                        String::new(),
                    )
                },
                |gi: &&(String, String, String)| format!("{} {}", gi.1, gi.2),
            ),
        );
        report.investments.add(ng, ns, nm);
    }
}

/// Renders a report as text tables.
pub fn render_text(r: &Report, errors: bool) -> String {
    let mut s = String::new();
    let row = |s: &mut String, name: &str, sc: &Score| {
        s.push_str(&format!(
            "  {name:<20} {:>5} {:>6} {:>6.3} {:>6.3} {:>6.3}\n",
            sc.gold, sc.system, sc.precision, sc.recall, sc.f1
        ));
    };
    let header = "  group                 gold system      P      R     F1\n";
    s.push_str("entities\n");
    s.push_str(header);
    row(&mut s, "ALL", &r.entities);
    for (k, v) in &r.entities_by_class {
        row(&mut s, k, v);
    }
    s.push_str("relations\n");
    s.push_str(header);
    row(&mut s, "ALL", &r.relations);
    for (k, v) in &r.relations_by_property {
        row(&mut s, k, v);
    }
    s.push_str("investments\n");
    s.push_str(header);
    row(&mut s, "ALL", &r.investments);
    if errors {
        s.push_str("\nerrors\n");
        for e in &r.errors {
            s.push_str(&format!(
                "  {:<8} {:<10} {:<20} {}",
                e.kind, e.what, e.doc, e.fact
            ));
            if !e.evidence.is_empty() {
                s.push_str(&format!("\n           evidence: {}", e.evidence));
            }
            s.push('\n');
        }
    }
    s
}
