//! The bundled sample documents (data/samples): the relations a reader finds
//! in them, every query in queries/ returning rows, and the drawing views
//! rendered by Graphviz with their labels.

mod common;

use common::{build, holds, root};
use ikg::KnowledgeStore;
use ikg::draw::{RenderFormat, chain_view, park_view, render};
use ikg::export::{KgGraph, Lang};

fn sample_store(dir: &std::path::Path) -> KnowledgeStore {
    let (store, summary) = build(dir, &[root().join("data/samples")]);
    assert_eq!(summary.documents, 4);
    assert!(summary.failures.is_empty());
    store
}

#[test]
fn samples_yield_the_stated_relations() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let expected = [
        (
            "芜湖卓越新能源科技有限公司",
            "leads",
            "锂电隔膜材料安徽省重点实验室",
        ),
        ("合肥工业大学", "coBuilds", "锂电隔膜材料安徽省重点实验室"),
        ("安徽工程大学", "coBuilds", "锂电隔膜材料安徽省重点实验室"),
        (
            "芜湖卓越新能源科技有限公司",
            "leadingCompanyOf",
            "锂电产业链",
        ),
        ("电解液", "segmentOf", "锂电产业链"),
        ("隔膜", "segmentOf", "锂电产业链"),
        ("芜湖卓越新能源科技有限公司", "produces", "湿法隔膜"),
        ("卓越新能源", "builds", "年产5亿平方米锂电池隔膜项目"),
        ("芜湖恒锐智能装备有限公司", "hasHonor", "专精特新小巨人企业"),
        ("远翔电子", "hasHonor", "专精特新企业"),
        ("芜湖恒锐智能装备有限公司", "cooperatesWith", "安徽工程大学"),
        ("周建华", "worksFor", "芜湖高新区管委会"),
        ("芜湖高新区", "inIndustry", "锂电"),
        ("株洲中车华轨电气有限公司", "subsidiaryOf", "湘中华轨集团"),
        ("湘中华轨集团株洲分公司", "subsidiaryOf", "湘中华轨集团"),
        (
            "中南大学",
            "coBuilds",
            "轨道交通电传动湖南省工程技术研究中心",
        ),
        ("湖南湘瑞精密制造有限公司", "locatedIn", "株洲天元经开区"),
        ("天元区", "locatedIn", "株洲市"),
        ("株洲天元经开区", "cooperatesWith", "中南大学"),
        ("四川旌阳重型机械有限公司", "produces", "风电齿轮箱"),
        (
            "四川旌阳重型机械有限公司",
            "builds",
            "大型铸锻件智能化改造项目",
        ),
        ("罗志勇", "worksFor", "德阳经开区管委会"),
    ];
    let missing: Vec<String> = expected
        .iter()
        .filter(|(s, p, o)| !holds(&store, s, p, o))
        .map(|(s, p, o)| format!("{s} {p} {o}"))
        .collect();
    assert!(missing.is_empty(), "missing: {missing:#?}");
    // Plans are not facts: 拟 … 谋划建设 … 计划投资 20亿元.
    assert!(!common::ask(
        &store,
        "ASK { ?p ikg:investmentYuan ?v . FILTER(?v = 2000000000) }"
    ));
    // Amounts are converted exactly; US dollars are not mixed into yuan.
    for (yuan, project) in [
        (1_250_000_000u64, "年产5亿平方米锂电池隔膜项目"),
        (80_000_000, "智能仓储物流项目"),
        (320_000_000, "工业机器人减速器项目"),
        (450_000_000, "大型铸锻件智能化改造项目"),
    ] {
        let q = format!(
            "ASK {{ ?p rdfs:label \"{project}\"@zh ; ikg:investmentYuan ?v . FILTER(?v = {yuan}) }}"
        );
        assert!(common::ask(&store, &q), "{project} {yuan}");
    }
}

#[test]
fn every_query_returns_rows() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let mut files: Vec<_> = std::fs::read_dir(root().join("queries"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rq"))
        .collect();
    files.sort();
    assert!(files.len() >= 8);
    for f in files {
        let q = std::fs::read_to_string(&f).unwrap();
        let n = common::count_rows(&store, &q);
        assert!(n > 0, "{} returned no rows", f.display());
    }
}

fn svg_of(dot: &str, dir: &std::path::Path, name: &str) -> String {
    let path = dir.join(format!("{name}.svg"));
    render(dot, RenderFormat::Svg, &path).expect("Graphviz renders the view");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn views_render_with_their_labels() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(&dir.path().join("kg"));
    let graph = KgGraph::load(&store).unwrap();

    let chain = chain_view(&graph, &store, "锂电产业链").unwrap();
    let dot = chain.to_dot(Lang::Zh, None);
    assert_eq!(
        dot,
        chain_view(&graph, &store, "锂电产业链")
            .unwrap()
            .to_dot(Lang::Zh, None),
        "deterministic"
    );
    assert!(dot.contains("fontname=\"Noto Sans CJK SC\""));
    let svg = svg_of(&dot, dir.path(), "chain");
    for label in [
        "锂电产业链",
        "电解液",
        "隔膜",
        "芜湖卓越新能源科技有限公司",
        "芜湖高新区",
        "龙头企业",
    ] {
        assert!(svg.contains(label), "chain view lacks {label}");
    }

    let park = park_view(&graph, &store, "芜湖高新区", Lang::Zh).unwrap();
    let svg = svg_of(&park.to_dot(Lang::Zh, None), dir.path(), "park");
    for label in [
        "芜湖高新区",
        "锂电隔膜材料安徽省重点实验室",
        "年产5亿平方米锂电池隔膜项目",
        "投资 12.5亿元",
        "锂电",
    ] {
        assert!(svg.contains(label), "park view lacks {label}");
    }
    let svg_en = svg_of(&park.to_dot(Lang::En, None), dir.path(), "park_en");
    assert!(svg_en.contains("located in") || svg_en.contains("locatedIn"));

    let q = std::fs::read_to_string(root().join("queries/chain_of_industry.rq")).unwrap();
    let view = ikg::draw::query_view(&graph, &store, &q).unwrap();
    assert!(!view.edges.is_empty());
    svg_of(&view.to_dot(Lang::En, None), dir.path(), "query");

    // A view of a name that is not there, or of the wrong class, is a clear error.
    assert!(chain_view(&graph, &store, "不存在的产业链").is_err());
    assert!(chain_view(&graph, &store, "芜湖高新区").is_err());
}

#[test]
fn explain_writes_the_plan_with_the_rows_of_each_step() {
    let dir = tempfile::tempdir().unwrap();
    let store = sample_store(dir.path());
    let q = std::fs::read_to_string(root().join("queries/companies_by_park.rq")).unwrap();
    let (mut rows, mut plan) = (Vec::new(), Vec::new());
    let outcome = ikg::query::run_query_explained(
        &store,
        &q,
        ikg::query::OutputFormat::Csv,
        ikg::query::QueryLimits::default(),
        &mut rows,
        &mut plan,
    )
    .unwrap();
    assert!(outcome.rows > 0);
    let plan: serde_json::Value = serde_json::from_slice(&plan).unwrap();
    let top = &plan["plan"];
    assert_eq!(top["number of results"], outcome.rows);
    assert!(
        plan.to_string().contains("https://w3id.org/ikg/entities"),
        "{plan}"
    );
}
