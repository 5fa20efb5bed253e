//! Eval: precision, recall and F1 of the store against gold files.
//!
//! Gold format (see SCHEMA.md): UTF-8 TSV, `#` comments, no header —
//! `entities.tsv` (doc, class, canonical name, aliases `|`-separated),
//! `relations.tsv` (doc, subject, property, object), `investments.tsv`
//! (doc, project, amount in yuan). A folder of per-document files
//! (`<doc>.entities.tsv`, …) is read the same way.
//!
//! Matching: an entity is found when the class is the same and one of its labels
//! equals the gold name or an alias, after NFKC and removal of white space and
//! quote marks; a relation when the property is the same and both ends match that
//! way (`cooperatesWith` in either direction); an investment when the project
//! matches and the amounts are equal. Precision counts system items that match a
//! gold item; recall counts gold items matched by a system item (micro-averaged).

use crate::export::for_each_row;
use crate::store::{KnowledgeStore, StoreError, class_of};
use crate::vocab::{self, Class, Property};
use oxigraph::model::Term;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

/// Matching key of a name: NFKC, without white space and quote marks.
pub fn name_key(s: &str) -> String {
    s.nfkc()
        .filter(|c| {
            !c.is_whitespace() && !matches!(c, '“' | '”' | '"' | '\'' | '「' | '」' | '‘' | '’')
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
    /// (doc, project, yuan).
    pub investments: Vec<(String, String, String)>,
}

impl Gold {
    /// Reads gold files from a folder (merged files, or per-document files).
    pub fn read(dir: &Path) -> Result<Gold, String> {
        let mut gold = Gold::default();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| format!("{}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let merged = files
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == "entities.tsv"));
        for path in files {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let kind = ["entities.tsv", "relations.tsv", "investments.tsv"]
                .into_iter()
                .find(|k| {
                    if merged {
                        name == *k
                    } else {
                        name.ends_with(&format!(".{k}"))
                    }
                });
            let Some(kind) = kind else { continue };
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for (i, line) in text.lines().enumerate() {
                if line.trim().is_empty() || line.starts_with('#') {
                    continue;
                }
                let c: Vec<&str> = line.split('\t').map(str::trim).collect();
                let bad = |m: &str| format!("{}:{}: {m}", path.display(), i + 1);
                if c.len() < 3 {
                    return Err(bad("too few columns"));
                }
                match kind {
                    "entities.tsv" => {
                        let class =
                            Class::from_local_name(c[1]).ok_or_else(|| bad("unknown class"))?;
                        let mut names = vec![c[2].to_string()];
                        if let Some(a) = c.get(3) {
                            names.extend(
                                a.split('|')
                                    .map(str::trim)
                                    .filter(|s| !s.is_empty())
                                    .map(String::from),
                            );
                        }
                        gold.entities.push((c[0].to_string(), class, names));
                    }
                    "relations.tsv" => {
                        let p = Property::from_local_name(c.get(2).copied().unwrap_or(""))
                            .ok_or_else(|| bad("unknown property"))?;
                        let o = c.get(3).ok_or_else(|| bad("no object"))?;
                        gold.relations
                            .push((c[0].to_string(), c[1].to_string(), p, o.to_string()));
                    }
                    _ => gold.investments.push((
                        c[0].to_string(),
                        c[1].to_string(),
                        c[2].to_string(),
                    )),
                }
            }
        }
        Ok(gold)
    }

    /// The documents the gold covers.
    pub fn documents(&self) -> BTreeSet<String> {
        self.entities.iter().map(|e| e.0.clone()).collect()
    }
}

/// A relation as the store holds it: (doc, subject labels, property, object labels, evidence).
pub type SystemRelation = (String, Vec<String>, Property, Vec<String>, String);

/// What the store holds, per document.
#[derive(Debug, Default, Clone)]
pub struct SystemOutput {
    /// (doc, class, labels).
    pub entities: Vec<(String, Class, Vec<String>)>,
    /// Relations with their labels and evidence.
    pub relations: Vec<SystemRelation>,
    /// (doc, project labels, yuan).
    pub investments: Vec<(String, Vec<String>, String)>,
}

impl SystemOutput {
    /// Reads entities, relations and investments from the store.
    pub fn read(store: &KnowledgeStore) -> Result<SystemOutput, StoreError> {
        let mut labels: HashMap<String, Vec<String>> = HashMap::new();
        for_each_row(
            store,
            "SELECT ?e ?l WHERE { { ?e rdfs:label ?l } UNION { ?e skos:altLabel ?l } FILTER(STRSTARTS(STR(?e), STR(id:))) }",
            |r| {
                if let [Some(Term::NamedNode(e)), Some(Term::Literal(l))] = r {
                    labels
                        .entry(e.as_str().to_string())
                        .or_default()
                        .push(l.value().to_string());
                }
            },
        )?;
        let labels_of = |e: &str| labels.get(e).cloned().unwrap_or_default();
        let doc_id = |g: &str| percent_decode(g.strip_prefix(vocab::DOC).unwrap_or(g));
        let mut out = SystemOutput::default();
        for_each_row(
            store,
            "SELECT DISTINCT ?doc ?e ?c WHERE { GRAPH ?g { ?e ikg:mentionedIn ?doc ; a ?c } }",
            |r| {
                if let [
                    Some(Term::NamedNode(d)),
                    Some(Term::NamedNode(e)),
                    Some(Term::NamedNode(c)),
                ] = r
                    && let Some(class) = class_of(c.as_str())
                {
                    out.entities
                        .push((doc_id(d.as_str()), class, labels_of(e.as_str())));
                }
            },
        )?;
        let q = "SELECT ?g ?s ?p ?o (SAMPLE(?ev) AS ?evidence) WHERE { GRAPH ?g { ?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?p), STR(ikg:)) && STRSTARTS(STR(?o), STR(id:))) OPTIONAL { ?r rdf:reifies <<( ?s ?p ?o )>> ; ikg:evidenceText ?ev } } } GROUP BY ?g ?s ?p ?o";
        for_each_row(store, q, |r| {
            if let [
                Some(Term::NamedNode(g)),
                Some(Term::NamedNode(s)),
                Some(Term::NamedNode(p)),
                Some(Term::NamedNode(o)),
                ev,
            ] = r
                && let Some(prop) = p
                    .as_str()
                    .strip_prefix(vocab::IKG)
                    .and_then(Property::from_local_name)
            {
                let ev = match ev {
                    Some(Term::Literal(l)) => l.value().to_string(),
                    _ => String::new(),
                };
                out.relations.push((
                    doc_id(g.as_str()),
                    labels_of(s.as_str()),
                    prop,
                    labels_of(o.as_str()),
                    ev,
                ));
            }
        })?;
        for_each_row(
            store,
            // Yuan as a bare amount; another currency as the amount, a space and its
            // code, the way gold files write it (330000000 USD).
            "SELECT ?g ?p ?v ?c WHERE { GRAPH ?g { { ?p ikg:investmentYuan ?v } UNION \
             { ?p ikg:investmentAmount ?v ; ikg:currency ?c } } }",
            |r| {
                if let [
                    Some(Term::NamedNode(g)),
                    Some(Term::NamedNode(p)),
                    Some(Term::Literal(v)),
                    currency,
                ] = r
                {
                    let amount = match currency {
                        Some(Term::Literal(c)) => format!("{} {}", v.value(), c.value()),
                        _ => v.value().to_string(),
                    };
                    out.investments
                        .push((doc_id(g.as_str()), labels_of(p.as_str()), amount));
                }
            },
        )?;
        Ok(out)
    }
}

impl From<Gold> for SystemOutput {
    /// Gold-format files read as a system's output (to score another tool's
    /// entities and relations with the same scorer).
    fn from(g: Gold) -> Self {
        SystemOutput {
            entities: g.entities,
            relations: g
                .relations
                .into_iter()
                .map(|(d, s, p, o)| (d, vec![s], p, vec![o], String::new()))
                .collect(),
            investments: g
                .investments
                .into_iter()
                .map(|(d, p, v)| (d, vec![p], v))
                .collect(),
        }
    }
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
    /// Gold items found.
    pub gold_found: usize,
    /// System items that are right.
    pub system_correct: usize,
    /// Precision.
    pub precision: f64,
    /// Recall.
    pub recall: f64,
    /// F1.
    pub f1: f64,
}

impl Score {
    fn add(&mut self, gold: usize, system: usize, gold_found: usize, system_correct: usize) {
        self.gold += gold;
        self.system += system;
        self.gold_found += gold_found;
        self.system_correct += system_correct;
        self.precision = ratio(self.system_correct, self.system);
        self.recall = ratio(self.gold_found, self.gold);
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

/// Scores the system output against gold, on the documents the gold covers.
pub fn evaluate(gold: &Gold, sys: &SystemOutput) -> Report {
    let docs = gold.documents();
    let mut report = Report::default();
    let keys = |v: &[String]| -> BTreeSet<String> { v.iter().map(|s| name_key(s)).collect() };
    // Entities.
    for class in Class::ALL {
        let mut score = Score::default();
        for doc in &docs {
            let g: Vec<(&Vec<String>, BTreeSet<String>)> = gold
                .entities
                .iter()
                .filter(|e| &e.0 == doc && e.1 == *class)
                .map(|e| (&e.2, keys(&e.2)))
                .collect();
            let s: Vec<(&Vec<String>, BTreeSet<String>)> = sys
                .entities
                .iter()
                .filter(|e| &e.0 == doc && e.1 == *class)
                .map(|e| (&e.2, keys(&e.2)))
                .collect();
            let found = g
                .iter()
                .filter(|(_, gk)| s.iter().any(|(_, sk)| !gk.is_disjoint(sk)))
                .count();
            let correct = s
                .iter()
                .filter(|(_, sk)| g.iter().any(|(_, gk)| !gk.is_disjoint(sk)))
                .count();
            for (names, gk) in &g {
                if !s.iter().any(|(_, sk)| !gk.is_disjoint(sk)) {
                    report.errors.push(ErrorItem {
                        kind: "missed",
                        doc: doc.clone(),
                        what: "entity",
                        fact: format!("{class} {}", names.join("|")),
                        evidence: String::new(),
                    });
                }
            }
            for (labels, sk) in &s {
                if !g.iter().any(|(_, gk)| !gk.is_disjoint(sk)) {
                    report.errors.push(ErrorItem {
                        kind: "spurious",
                        doc: doc.clone(),
                        what: "entity",
                        fact: format!("{class} {}", labels.join("|")),
                        evidence: String::new(),
                    });
                }
            }
            score.add(g.len(), s.len(), found, correct);
            report.entities.add(g.len(), s.len(), found, correct);
        }
        if score.gold + score.system > 0 {
            report.entities_by_class.insert(class.to_string(), score);
        }
    }
    // Relations: gold names expand to the aliases listed for them in the document.
    let aliases = |doc: &str, name: &str| -> BTreeSet<String> {
        let mut k: BTreeSet<String> = gold
            .entities
            .iter()
            .filter(|e| e.0 == doc && e.2[0] == name)
            .flat_map(|e| e.2.iter().map(|s| name_key(s)))
            .collect();
        k.insert(name_key(name));
        k
    };
    for property in Property::ALL {
        let mut score = Score::default();
        for doc in &docs {
            let g: Vec<(String, BTreeSet<String>, BTreeSet<String>)> = gold
                .relations
                .iter()
                .filter(|r| &r.0 == doc && r.2 == *property)
                .map(|r| {
                    (
                        format!("{} {} {}", r.1, property, r.3),
                        aliases(doc, &r.1),
                        aliases(doc, &r.3),
                    )
                })
                .collect();
            let s: Vec<(String, BTreeSet<String>, BTreeSet<String>, &String)> = sys
                .relations
                .iter()
                .filter(|r| &r.0 == doc && r.2 == *property)
                .map(|r| {
                    (
                        format!("{} {} {}", first(&r.1), property, first(&r.3)),
                        keys(&r.1),
                        keys(&r.3),
                        &r.4,
                    )
                })
                .collect();
            let matches = |gs: &BTreeSet<String>,
                           go: &BTreeSet<String>,
                           ss: &BTreeSet<String>,
                           so: &BTreeSet<String>| {
                (!gs.is_disjoint(ss) && !go.is_disjoint(so))
                    || (property.is_symmetric() && !gs.is_disjoint(so) && !go.is_disjoint(ss))
            };
            let found = g
                .iter()
                .filter(|(_, gs, go)| s.iter().any(|(_, ss, so, _)| matches(gs, go, ss, so)))
                .count();
            let correct = s
                .iter()
                .filter(|(_, ss, so, _)| g.iter().any(|(_, gs, go)| matches(gs, go, ss, so)))
                .count();
            for (fact, gs, go) in &g {
                if !s.iter().any(|(_, ss, so, _)| matches(gs, go, ss, so)) {
                    report.errors.push(ErrorItem {
                        kind: "missed",
                        doc: doc.clone(),
                        what: "relation",
                        fact: fact.clone(),
                        evidence: String::new(),
                    });
                }
            }
            for (fact, ss, so, ev) in &s {
                if !g.iter().any(|(_, gs, go)| matches(gs, go, ss, so)) {
                    report.errors.push(ErrorItem {
                        kind: "spurious",
                        doc: doc.clone(),
                        what: "relation",
                        fact: fact.clone(),
                        evidence: (*ev).clone(),
                    });
                }
            }
            score.add(g.len(), s.len(), found, correct);
            report.relations.add(g.len(), s.len(), found, correct);
        }
        if score.gold + score.system > 0 {
            report
                .relations_by_property
                .insert(property.to_string(), score);
        }
    }
    // Investments.
    for doc in &docs {
        let g: Vec<(&String, BTreeSet<String>, String)> = gold
            .investments
            .iter()
            .filter(|i| &i.0 == doc)
            .map(|i| (&i.1, aliases(doc, &i.1), amount_key(&i.2)))
            .collect();
        let s: Vec<(BTreeSet<String>, String, &Vec<String>)> = sys
            .investments
            .iter()
            .filter(|i| &i.0 == doc)
            .map(|i| (keys(&i.1), amount_key(&i.2), &i.1))
            .collect();
        let found = g
            .iter()
            .filter(|(_, gk, ga)| s.iter().any(|(sk, sa, _)| sa == ga && !gk.is_disjoint(sk)))
            .count();
        let correct = s
            .iter()
            .filter(|(sk, sa, _)| g.iter().any(|(_, gk, ga)| sa == ga && !gk.is_disjoint(sk)))
            .count();
        for (name, gk, ga) in &g {
            if !s.iter().any(|(sk, sa, _)| sa == ga && !gk.is_disjoint(sk)) {
                report.errors.push(ErrorItem {
                    kind: "missed",
                    doc: doc.clone(),
                    what: "investment",
                    fact: format!("{name} {ga}"),
                    evidence: String::new(),
                });
            }
        }
        for (sk, sa, labels) in &s {
            if !g.iter().any(|(_, gk, ga)| sa == ga && !gk.is_disjoint(sk)) {
                report.errors.push(ErrorItem {
                    kind: "spurious",
                    doc: doc.clone(),
                    what: "investment",
                    fact: format!("{} {sa}", first(labels)),
                    evidence: String::new(),
                });
            }
        }
        report.investments.add(g.len(), s.len(), found, correct);
    }
    report
}

fn first(labels: &[String]) -> &str {
    labels.first().map(String::as_str).unwrap_or("?")
}

fn amount_key(s: &str) -> String {
    let s = s.trim();
    match s.split_once('.') {
        Some((int, frac)) if frac.trim_end_matches('0').is_empty() => int.to_string(),
        _ => s.to_string(),
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
