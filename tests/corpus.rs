//! The shared corpus (../shared/corpus), when present: expected relations,
//! coverage of the schema, idempotent rebuilds and the accuracy floor.

mod common;

use common::{build, holds, shared};
use ikg::vocab::{Class, Property};

const LAB: &str = "功能型柔性复合材料与先进制造技术湖北省重点实验室";

#[test]
fn corpus_relations_coverage_and_idempotence() {
    let Some(corpus) = shared("corpus") else {
        eprintln!("../shared/corpus not present: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (store, first) = build(dir.path(), std::slice::from_ref(&corpus));
    assert_eq!(first.documents, 5);
    assert!(first.failures.is_empty(), "{:?}", first.failures);

    // Relations a researcher expects, stated in the texts.
    assert!(holds(&store, "湖北金龙新材料有限公司", "leads", LAB));
    assert!(holds(&store, "武汉纺织大学", "coBuilds", LAB));
    assert!(holds(&store, "曾都区", "locatedIn", "随州市"));
    assert!(holds(&store, "张清", "worksFor", "随州日报"));
    // Aliases resolve to the full name.
    assert!(common::ask(
        &store,
        "ASK { id:湖北金龙新材料有限公司 skos:altLabel \"金龙新材料\"@zh }"
    ));

    // Every class and every property of the schema is represented.
    for class in Class::ALL {
        let q = format!(
            "ASK {{ ?e a ikg:{} ; ikg:mentionedIn ?d }}",
            class.local_name()
        );
        assert!(common::ask(&store, &q), "no entity of class {class}");
    }
    for property in Property::ALL {
        let q = format!("ASK {{ ?s ikg:{} ?o }}", property.local_name());
        assert!(common::ask(&store, &q), "no relation {property}");
    }
    // Every relation of a document has its evidence in the document's graph (the
    // derived entities graph states no relation, only posts made from evidenced ones).
    assert!(!common::ask(
        &store,
        "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), STR(doc:))) \
         FILTER(STRSTARTS(STR(?p), STR(ikg:)) && isIRI(?o) && STRSTARTS(STR(?o), STR(id:))) \
         FILTER NOT EXISTS { GRAPH ?g { ?r rdf:reifies <<( ?s ?p ?o )>> ; ikg:evidenceText ?ev ; ikg:sourceDocument ?d } } }"
    ));
    // Each post is stated once, from an evidenced fact.
    assert!(!common::ask(
        &store,
        "ASK { GRAPH <https://w3id.org/ikg/entities> { ?post ikg:postHolder ?x ; ikg:postIn ?o ; ikg:postTitle ?t } \
         FILTER NOT EXISTS { ?r ikg:role ?t ; rdf:reifies <<( ?x ikg:worksFor ?o )>> } }"
    ));
    assert!(common::ask(
        &store,
        "ASK { GRAPH <https://w3id.org/ikg/entities> { ?post ikg:postHolder ?x ; ikg:postIn ?o ; ikg:postTitle ?t } }"
    ));

    // A second build finds every document unchanged and leaves the store as it is.
    let len = store.inner().len().unwrap();
    drop(store);
    let (store, second) = build(dir.path(), std::slice::from_ref(&corpus));
    assert_eq!((second.documents, second.unchanged), (0, 5));
    assert_eq!(store.inner().len().unwrap(), len);
    // A forced build extracts again and replaces the graphs: same counts, same size.
    drop(store);
    let (store, third) = common::build_with(
        dir.path(),
        &[corpus],
        ikg::pipeline::BuildOptions { force: true },
    );
    assert_eq!(common::outcome(&first), common::outcome(&third));
    assert_eq!(store.inner().len().unwrap(), len);
}

#[test]
fn corpus_views_render_with_their_labels() {
    let Some(corpus) = shared("corpus") else {
        eprintln!("../shared/corpus not present: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = build(&dir.path().join("kg"), &[corpus]);
    let graph = ikg::export::KgGraph::load(&store).unwrap();
    let lang = ikg::export::Lang::Zh;
    let views = [
        (
            "chain",
            ikg::draw::chain_view(&graph, &store, "锂电产业链")
                .unwrap()
                .to_dot(lang, None),
            vec!["锂电产业链", "电解液", "负极材料", "铜箔"],
        ),
        (
            "park",
            ikg::draw::park_view(&graph, &store, "随州高新区", lang)
                .unwrap()
                .to_dot(lang, None),
            vec!["随州高新区", "齐星集团"],
        ),
    ];
    for (name, dot, labels) in views {
        let path = dir.path().join(format!("{name}.svg"));
        ikg::draw::render(&dot, ikg::draw::RenderFormat::Svg, &path).expect("Graphviz renders");
        let svg = std::fs::read_to_string(&path).unwrap();
        for label in labels {
            assert!(svg.contains(label), "{name} view lacks {label}");
        }
    }
    let iri = graph
        .find(&store, "湖北金龙新材料有限公司")
        .unwrap()
        .unwrap();
    let (sub, _) = graph.neighbourhood(&iri, 2, 30);
    let dot = sub.to_dot(lang, Some("focus"));
    let path = dir.path().join("focus.svg");
    ikg::draw::render(&dot, ikg::draw::RenderFormat::Svg, &path).unwrap();
    assert!(std::fs::read_to_string(&path).unwrap().contains(LAB));
}

/// Accuracy on the annotated corpus meets the targets of the accuracy issue:
/// entity F1 ≥ 0.85 and ≥ 0.75 for every class with 10 or more gold entities;
/// relation F1 ≥ 0.70 with precision ≥ 0.80 and F1 ≥ 0.5 for every property
/// with 5 or more gold facts; investment F1 ≥ 0.90.
#[test]
fn corpus_accuracy_meets_the_targets() {
    let (Some(corpus), Some(gold_dir)) = (shared("corpus"), shared("gold")) else {
        eprintln!("../shared/corpus or ../shared/gold not present: skipped");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = build(dir.path(), &[corpus]);
    let gold = ikg::eval::Gold::read(&gold_dir).unwrap();
    let report = ikg::eval::evaluate(&gold, &ikg::eval::SystemOutput::read(&store).unwrap());
    let mut floors = vec![
        ("entities".to_string(), report.entities.f1, 0.85),
        ("relations".to_string(), report.relations.f1, 0.70),
        (
            "relation precision".to_string(),
            report.relations.precision,
            0.80,
        ),
        ("investments".to_string(), report.investments.f1, 0.90),
    ];
    for (class, score) in &report.entities_by_class {
        if score.gold >= 10 {
            floors.push((format!("class {class}"), score.f1, 0.75));
        }
    }
    for (property, score) in &report.relations_by_property {
        if score.gold >= 5 {
            floors.push((format!("property {property}"), score.f1, 0.5));
        }
    }
    let below: Vec<String> = floors
        .iter()
        .filter(|(_, got, floor)| got < floor)
        .map(|(what, got, floor)| format!("{what}: {got:.3} < {floor}"))
        .collect();
    assert!(below.is_empty(), "below target: {below:?}");
}

/// Accuracy on the wider annotated articles (../shared/gold-wide), read the way
/// the reference scorer reads it, meets its targets (entity F1 ≥ 0.80; relation
/// F1 ≥ 0.55 with precision ≥ 0.70, held here at the higher level reached), and
/// investments over both annotated sets together meet the target of 0.85.
#[test]
fn wider_corpus_accuracy_does_not_regress() {
    let (Some(seeds), Some(seed_gold), Some(wide), Some(wide_gold)) = (
        shared("corpus"),
        shared("gold"),
        shared("corpus-wide"),
        shared("gold-wide"),
    ) else {
        eprintln!("../shared/corpus-wide or its gold not present: skipped");
        return;
    };
    let report = |corpus: std::path::PathBuf, gold: std::path::PathBuf| {
        let dir = tempfile::tempdir().unwrap();
        let (store, _) = build(dir.path(), &[corpus]);
        let gold = ikg::eval::Gold::read(&gold).unwrap();
        ikg::eval::evaluate(&gold, &ikg::eval::SystemOutput::read(&store).unwrap())
    };
    let wide = report(wide, wide_gold);
    let seeds = report(seeds, seed_gold);
    let (matched, system, gold) = [&wide, &seeds].iter().fold((0, 0, 0), |acc, r| {
        (
            acc.0 + r.investments.matched,
            acc.1 + r.investments.system,
            acc.2 + r.investments.gold,
        )
    });
    let both_investments = 2.0 * matched as f64 / (system + gold) as f64;
    let floors = [
        ("wider entities", wide.entities.f1, 0.80),
        ("wider relations", wide.relations.f1, 0.57),
        ("wider relation precision", wide.relations.precision, 0.75),
        ("investments over both sets", both_investments, 0.85),
    ];
    let below: Vec<String> = floors
        .iter()
        .filter(|(_, got, floor)| got < floor)
        .map(|(what, got, floor)| format!("{what}: {got:.3} < {floor}"))
        .collect();
    assert!(below.is_empty(), "below floor: {below:?}");
}
