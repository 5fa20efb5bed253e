//! End-to-end behaviour on texts written for these tests: encodings, bad input,
//! idempotent rebuilds, evidence, DOT output accepted by Graphviz.

mod common;

use common::{build, holds};
use ikg::export::{KgGraph, Lang, Node};
use ikg::vocab::{Class, Property};
use std::process::Command;

const TEXT: &str = "株洲高新区新闻中心讯 由株洲华锐精密轴承有限公司牵头、湖南工业大学共建的高速轴承湖南省重点实验室日前通过验收。\n\
华锐轴承位于株洲高新区,主要生产高速精密轴承、风电主轴轴承和机器人减速器轴承等产品。\n\
株洲华锐精密轴承有限公司投资6.8亿元建设年产200万套精密轴承项目。\n\
株洲华锐精密轴承有限公司总经理张建华表示,公司今年将扩大产能。\n";

#[test]
fn gbk_file_is_read_and_extracted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(TEXT);
    assert!(!unmappable);
    std::fs::write(input.join("zhuzhou_gbk.txt"), &gbk).unwrap();
    let (store, summary) = build(&dir.path().join("kg"), &[input]);
    assert!(summary.failures.is_empty(), "{:?}", summary.failures);
    assert!(holds(
        &store,
        "株洲华锐精密轴承有限公司",
        "leads",
        "高速轴承湖南省重点实验室"
    ));
    assert!(holds(
        &store,
        "湖南工业大学",
        "coBuilds",
        "高速轴承湖南省重点实验室"
    ));
    assert!(common::ask(
        &store,
        "ASK { ?d a ikg:Document ; ikg:encoding \"GB18030\" }"
    ));
}

#[test]
fn bad_files_are_reported_and_the_rest_is_built() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("good.txt"), TEXT).unwrap();
    std::fs::write(input.join("binary.txt"), [0u8, 1, 2, 3, 0, 255]).unwrap();
    std::fs::write(input.join("garbled.txt"), [0x81u8, 0xFF, 0xFE, 0xFF, 0x81]).unwrap();
    let (store, summary) = build(&dir.path().join("kg"), &[input]);
    assert_eq!(summary.documents, 1);
    assert_eq!(summary.failures.len(), 2, "{:?}", summary.failures);
    assert!(
        summary
            .failures
            .iter()
            .any(|f| f.contains("binary.txt") && f.contains("binary"))
    );
    assert!(
        summary
            .failures
            .iter()
            .any(|f| f.contains("garbled.txt") && f.contains("GBK"))
    );
    assert!(holds(
        &store,
        "湖南工业大学",
        "coBuilds",
        "高速轴承湖南省重点实验室"
    ));
}

#[test]
fn rebuild_replaces_a_document_graph() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("doc.txt");
    std::fs::write(&input, TEXT).unwrap();
    let kg = dir.path().join("kg");
    let (store, first) = build(&kg, std::slice::from_ref(&input));
    let len = store.inner().len().unwrap();
    drop(store);
    // Unchanged: skipped, the store as it was.
    let (store, second) = build(&kg, std::slice::from_ref(&input));
    assert_eq!((second.documents, second.unchanged), (0, 1));
    assert_eq!(store.inner().len().unwrap(), len);
    drop(store);
    // Forced: extracted and replaced, the same graph.
    let force = ikg::pipeline::BuildOptions { force: true };
    let (store, third) = common::build_with(&kg, std::slice::from_ref(&input), force);
    assert_eq!(common::outcome(&first), common::outcome(&third));
    assert_eq!(store.inner().len().unwrap(), len);
    drop(store);
    // The document changes: its old facts go, the new ones come.
    std::fs::write(&input, "湖南工业大学与株洲高新区签订战略合作协议。").unwrap();
    let (store, _) = build(&kg, &[input]);
    assert!(!holds(
        &store,
        "湖南工业大学",
        "coBuilds",
        "高速轴承湖南省重点实验室"
    ));
    assert!(holds(
        &store,
        "湖南工业大学",
        "cooperatesWith",
        "株洲高新区"
    ));
}

#[test]
fn facts_carry_evidence_and_investments_are_converted() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("zz.txt");
    std::fs::write(&input, TEXT).unwrap();
    let (store, _) = build(&dir.path().join("kg"), &[input]);
    assert!(common::ask(
        &store,
        "ASK { ?r rdf:reifies <<( ?s ikg:leads ?o )>> ; ikg:evidenceText ?ev ; ikg:sourceDocument doc:zz . FILTER(CONTAINS(?ev, \"牵头\")) }"
    ));
    // The evidence of the investment points at its sentence in the original text.
    let offset = TEXT[..TEXT.find("株洲华锐精密轴承有限公司投资").unwrap()]
        .chars()
        .count();
    let q = format!(
        "ASK {{ ?r rdf:reifies <<( ?p ikg:investmentYuan ?v )>> ; ikg:charOffset {offset} }}"
    );
    assert!(common::ask(&store, &q));
    assert!(common::ask(
        &store,
        "ASK { ?p a ikg:Project ; ikg:investmentYuan ?v . FILTER(?v = 680000000) }"
    ));
}

fn dot_available() -> bool {
    Command::new("dot").arg("-V").output().is_ok()
}

/// Runs `dot -Tcanon` on a DOT text and returns whether Graphviz accepted it.
fn graphviz_accepts(dot: &str) -> bool {
    use std::io::Write;
    let mut child = Command::new("dot")
        .arg("-Tcanon")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run dot");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

#[test]
fn dot_output_parses_with_hostile_names() {
    assert!(
        dot_available(),
        "Graphviz `dot` is needed for this test (apt-get install graphviz)"
    );
    let names = [
        "A\"B",
        "C\\D",
        "<E>",
        "F\nG",
        "{H}|I",
        "株洲\"高新\"区\\",
        "]]>; digraph x {",
        "\\\"\\\\",
    ];
    let mut g = KgGraph::default();
    for (i, n) in names.iter().enumerate() {
        let iri = format!("https://w3id.org/ikg/id/n{i}");
        g.nodes.insert(
            iri.clone(),
            Node {
                class: Some(Class::ALL[i % Class::ALL.len()]),
                label: n.to_string(),
                iri: iri.clone(),
                detail: format!("投资 \"{i}\" <亿元>\\"),
            },
        );
        if i % 2 == 0 {
            g.marked.insert(iri.clone());
        }
        g.clusters
            .entry(format!("园区 \"{}\" \\ <{n}>", i % 3))
            .or_default()
            .insert(iri);
    }
    for i in 1..names.len() {
        g.edges.insert((
            format!("https://w3id.org/ikg/id/n{}", i - 1),
            Property::ALL[i % Property::ALL.len()],
            format!("https://w3id.org/ikg/id/n{i}"),
        ));
    }
    for lang in [Lang::Zh, Lang::En] {
        let dot = g.to_dot(lang, Some("3 \"more\" nodes <not> shown"));
        assert!(graphviz_accepts(&dot), "dot rejected:\n{dot}");
    }
}

#[test]
fn dot_export_of_a_built_store_renders() {
    assert!(
        dot_available(),
        "Graphviz `dot` is needed for this test (apt-get install graphviz)"
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("zz.txt");
    std::fs::write(&input, TEXT).unwrap();
    let (store, _) = build(&dir.path().join("kg"), &[input]);
    let graph = KgGraph::load(&store).unwrap();
    let focus = graph
        .find(&store, "华锐轴承")
        .unwrap()
        .expect("alias finds the company");
    let (sub, _) = graph.neighbourhood(&focus, 2, 50);
    let dot = sub.to_dot(Lang::Zh, None);
    assert!(dot.contains("株洲华锐精密轴承有限公司"));
    assert!(graphviz_accepts(&dot));
    let whole = graph.to_dot(Lang::En, None);
    assert!(graphviz_accepts(&whole));
}

/// The rows of a SELECT query as CSV lines, sorted.
fn sorted_rows(store: &ikg::KnowledgeStore, q: &str) -> Vec<String> {
    let mut out = Vec::new();
    ikg::query::run_query(store, q, ikg::query::OutputFormat::Csv, &mut out).unwrap();
    let mut rows: Vec<String> = String::from_utf8(out)
        .unwrap()
        .lines()
        .skip(1)
        .map(str::to_string)
        .collect();
    rows.sort();
    rows
}

/// The entities graph and the counts graph equal what the documents' graphs give.
fn assert_summaries_follow_documents(store: &ikg::KnowledgeStore, documents: usize) {
    let entities = ikg::store::ENTITIES_GRAPH;
    let stats = ikg::store::STATS_GRAPH;
    let stored = sorted_rows(
        store,
        &format!(
            "SELECT ?e ?p ?o WHERE {{ GRAPH <{entities}> {{ ?e ?p ?o }} \
             FILTER NOT EXISTS {{ GRAPH <{entities}> {{ ?e ikg:postHolder ?x }} }} }}"
        ),
    );
    let live = sorted_rows(
        store,
        "SELECT DISTINCT ?e ?p ?o WHERE { GRAPH ?g { ?e ikg:mentionedIn ?d ; ?p ?o } \
         FILTER(?p IN (rdf:type, rdfs:label)) }",
    );
    assert!(!stored.is_empty());
    assert_eq!(stored, live);
    // Each person's post once: both ends, their names, and the words of the post
    // where a document's evidence gives them.
    let stored_posts = sorted_rows(
        store,
        &format!(
            "SELECT ?x ?o ?xn ?on ?t WHERE {{ GRAPH <{entities}> {{ \
               ?post ikg:postHolder ?x ; ikg:postIn ?o ; ikg:postHolderName ?xn ; ikg:postInName ?on \
               OPTIONAL {{ ?post ikg:postTitle ?t }} }} }}"
        ),
    );
    let live_posts = sorted_rows(
        store,
        "SELECT DISTINCT ?x ?o ?xn ?on ?t WHERE { \
           GRAPH ?g { ?x ikg:worksFor ?o } FILTER(STRSTARTS(STR(?g), STR(doc:))) \
           GRAPH ?h { ?x a ikg:Person ; rdfs:label ?xn } GRAPH ?i { ?o rdfs:label ?on ; ikg:mentionedIn ?d } \
           OPTIONAL { ?r ikg:role ?t ; rdf:reifies <<( ?x ikg:worksFor ?o )>> } }",
    );
    assert_eq!(stored_posts, live_posts);
    assert_eq!(
        sorted_rows(
            store,
            &format!("SELECT ?n WHERE {{ GRAPH <{stats}> {{ ?s ikg:documentCount ?n }} }}")
        ),
        [documents.to_string()]
    );
    let stored_classes = sorted_rows(
        store,
        &format!(
            "SELECT ?c ?n WHERE {{ GRAPH <{stats}> {{ ?s ikg:countOf ?c ; ikg:entityCount ?n }} }}"
        ),
    );
    let live_classes = sorted_rows(
        store,
        "SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e ikg:mentionedIn ?d ; a ?c } } GROUP BY ?c",
    );
    assert_eq!(stored_classes, live_classes);
    let stored_relations = sorted_rows(
        store,
        &format!(
            "SELECT ?p ?n ?m WHERE {{ GRAPH <{stats}> {{ ?s ikg:countOf ?p ; ikg:relationCount ?n ; \
             ikg:evidencedRelationCount ?m }} }}"
        ),
    );
    let properties: Vec<String> = Property::ALL.iter().map(|p| p.iri().to_string()).collect();
    let live_relations = sorted_rows(
        store,
        &format!(
            "SELECT ?p (COUNT(*) AS ?n) (SUM(IF(EXISTS {{ ?r rdf:reifies <<( ?s ?p ?o )>> }}, 1, 0)) AS ?m) \
             WHERE {{ {{ SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?p {{ {} }} GRAPH ?g {{ ?s ?p ?o }} }} }} }} \
             GROUP BY ?p",
            properties.join(" ")
        ),
    );
    assert!(!stored_relations.is_empty());
    assert_eq!(stored_relations, live_relations);
}

#[test]
fn entities_graph_and_counts_follow_builds_rebuilds_and_removals() {
    let dir = tempfile::tempdir().unwrap();
    let input = common::write_folder(
        &dir.path().join("in"),
        &[
            ("a.txt", TEXT),
            (
                "b.txt",
                "湘潭大学与湘潭经开区签订战略合作协议。湘潭大学位于湘潭市。",
            ),
        ],
    );
    let kg = dir.path().join("kg");
    let (store, _) = build(&kg, std::slice::from_ref(&input));
    assert!(store.has_stats().unwrap());
    assert_summaries_follow_documents(&store, 2);
    assert!(common::ask(
        &store,
        "ASK { GRAPH <https://w3id.org/ikg/entities> { ?post ikg:postHolderName \"张建华\"@zh ; \
         ikg:postInName \"株洲华锐精密轴承有限公司\"@zh ; ikg:postTitle \"总经理\"@zh } }"
    ));
    for name in ["湘潭大学", "湖南工业大学"] {
        assert!(common::ask(
            &store,
            &format!(
                "ASK {{ GRAPH <https://w3id.org/ikg/entities> {{ ?e rdfs:label \"{name}\"@zh }} }}"
            )
        ));
    }
    drop(store);
    // A changed document: what only its old text named leaves the entities graph.
    std::fs::write(input.join("b.txt"), "长沙高新区位于长沙市。").unwrap();
    let (store, _) = build(&kg, std::slice::from_ref(&input));
    assert_summaries_follow_documents(&store, 2);
    assert!(!common::ask(
        &store,
        "ASK { GRAPH <https://w3id.org/ikg/entities> { ?e rdfs:label \"湘潭大学\"@zh } }"
    ));
    // A removal drops the counts with the document; refreshing brings them back, true.
    assert!(store.remove_document("a").unwrap());
    assert!(!store.has_stats().unwrap());
    store.refresh_summaries().unwrap();
    assert_summaries_follow_documents(&store, 1);
    assert!(!common::ask(
        &store,
        "ASK { GRAPH <https://w3id.org/ikg/entities> { ?e rdfs:label \"湖南工业大学\"@zh } }"
    ));
}

#[test]
fn a_short_name_is_not_unified_with_its_branch_named_after_a_country() {
    // Texts written for this test: the parent by its short name in one
    // document, its branch named after a country in both.
    let dir = tempfile::tempdir().unwrap();
    let input = common::write_folder(
        &dir.path().join("in"),
        &[
            (
                "a.txt",
                "国内光伏龙头企业宏阳新能源今年产能翻番。宏阳新能源计划设立宏阳新能源美国分公司。",
            ),
            ("b.txt", "宏阳新能源美国分公司在得克萨斯州建设光伏电站。"),
        ],
    );
    let (store, _) = build(&dir.path().join("kg.ikg"), &[input]);
    assert!(holds(
        &store,
        "宏阳新能源美国分公司",
        "subsidiaryOf",
        "宏阳新能源"
    ));
    assert!(holds(&store, "宏阳新能源", "leadingCompanyOf", "光伏"));
    assert!(!holds(
        &store,
        "宏阳新能源美国分公司",
        "subsidiaryOf",
        "宏阳新能源美国分公司"
    ));
}

#[test]
fn a_first_build_larger_than_a_loader_batch_writes_its_derived_graphs_with_it() {
    use oxigraph::model::vocab::{rdf, rdfs};
    use oxigraph::model::{Literal, NamedNode, Quad};
    // 1,500 made-up documents naming 20 companies each, one in another: more
    // quads than a bulk-loaded batch holds, both of the documents (91,500) and
    // of the entities graph they make (60,000).
    let store = ikg::KnowledgeStore::in_memory().unwrap();
    let documents = (0..1500).map(|d| {
        let graph = ikg::vocab::document_iri(&format!("d{d}"));
        let company = |e: usize| NamedNode::new(format!("{}企业{d}号{e}", ikg::vocab::ID)).unwrap();
        let mut quads = vec![Quad::new(
            graph.clone(),
            rdf::TYPE,
            ikg::vocab::ikg("Document"),
            graph.clone(),
        )];
        for e in 0..20 {
            let name = Literal::new_language_tagged_literal(format!("企业{d}号{e}"), "zh").unwrap();
            quads.push(Quad::new(
                company(e),
                rdf::TYPE,
                Class::Company.iri(),
                graph.clone(),
            ));
            quads.push(Quad::new(company(e), rdfs::LABEL, name, graph.clone()));
            quads.push(Quad::new(
                company(e),
                ikg::vocab::ikg("mentionedIn"),
                graph.clone(),
                graph.clone(),
            ));
        }
        quads.push(Quad::new(
            company(0),
            Property::LocatedIn.iri(),
            company(1),
            graph.clone(),
        ));
        (graph, quads)
    });
    let written = store.write_documents(documents).unwrap();
    assert_eq!(written.quads, 1500 * 62);
    assert!(written.summaries);
    assert!(store.has_stats().unwrap());
    assert_summaries_follow_documents(&store, 1500);
}

/// A document extracted together with others (as a build extracts: each stage
/// over a whole batch of documents before the next) gets the same extraction as
/// alone. The inputs: the sample texts and, when present, the shared articles,
/// repeated until they fill more than two batches.
#[test]
fn documents_extracted_together_get_what_each_gets_alone() {
    let pipeline = common::pipeline();
    let mut folders = vec![common::root().join("data/samples")];
    folders.extend(common::shared("corpus"));
    folders.extend(common::shared("corpus-wide"));
    let files = ikg::ingest::collect_inputs(&folders).expect("inputs");
    let texts: Vec<ikg::ingest::SourceDocument> = files
        .iter()
        .map(|f| ikg::ingest::read_document(f).expect("readable input"))
        .collect();
    let once: usize = texts.iter().map(|d| d.text.len()).sum();
    let copies = (5 * ikg::pipeline::EXTRACTION_BATCH_BYTES / 2).div_ceil(once);
    let docs: Vec<ikg::ingest::SourceDocument> = (0..copies)
        .flat_map(|copy| {
            texts.iter().map(move |d| {
                let mut d = d.clone();
                d.id = format!("copy{copy}-{}", d.id);
                d
            })
        })
        .collect();
    let together = pipeline.extract_all(docs.clone());
    assert_eq!(together.len(), docs.len());
    for (doc, ex) in docs.into_iter().zip(&together) {
        let alone = pipeline.extract(doc);
        assert_eq!(format!("{ex:?}"), format!("{alone:?}"), "{}", alone.doc.id);
    }
    assert!(together.iter().any(|ex| !ex.relations.facts.is_empty()));
}
