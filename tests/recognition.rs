//! Name recognition on texts written for these tests: what is a name, what is
//! only a kind of thing, and where a name's edges fall.

mod common;

use ikg::vocab::Class;

/// The entities of one text, as (class, canonical name).
fn entities(text: &str) -> Vec<(Class, String)> {
    let pipeline = common::pipeline();
    let doc = common::extract(&pipeline, "t", text);
    doc.resolution
        .entities
        .iter()
        .map(|e| (e.class, e.canonical.clone()))
        .collect()
}

fn has(found: &[(Class, String)], class: Class, name: &str) -> bool {
    found.iter().any(|(c, n)| *c == class && n == name)
}

fn any_named(found: &[(Class, String)], name: &str) -> bool {
    found.iter().any(|(_, n)| n == name)
}

/// Fails when any of `names` is not an entity of `class`.
fn assert_all_named(found: &[(Class, String)], class: Class, names: &[&str]) {
    for name in names {
        assert!(has(found, class, name), "{name} missing: {found:?}");
    }
}

/// Fails when any of `names` was taken as an entity name.
fn assert_none_named(found: &[(Class, String)], names: &[&str]) {
    for name in names {
        assert!(!any_named(found, name), "{name} taken as a name: {found:?}");
    }
}

/// Fails when any entity of `class` was found.
fn assert_no_entity_of(found: &[(Class, String)], class: Class) {
    assert!(
        !found.iter().any(|(c, _)| *c == class),
        "{class:?} found: {found:?}"
    );
}

#[test]
fn towns_and_villages_are_regions() {
    let found = entities(
        "青林镇石桥村、松岗村和柳湾村发展茶叶种植。桃坪、西岭、南塘3村完成道路硬化,\
         全镇城镇化率提高,各村集体经济增收,驻村干部进村入户,打造示范村。",
    );
    assert_all_named(
        &found,
        Class::Region,
        &[
            "青林镇",
            "石桥村",
            "松岗村",
            "柳湾村",
            "桃坪村",
            "西岭村",
            "南塘村",
        ],
    );
    // Village names may be verbs or qualifiers, and a list opens after 和.
    let found = entities("今年完成种菜、东岗、北坪3村道路硬化和丰收、长虹、朝阳等7村环境整治。");
    assert_all_named(
        &found,
        Class::Region,
        &["种菜村", "东岗村", "北坪村", "丰收村", "长虹村", "朝阳村"],
    );
    assert_none_named(&found, &["朝阳市", "道路硬化和丰收村"]);
    assert_none_named(&found, &["全镇", "各村", "示范村", "驻村", "城镇"]);
}

#[test]
fn a_town_after_its_city_is_located_in_it() {
    let pipeline = common::pipeline();
    let doc = common::extract(&pipeline, "t", "宜宾市青林镇建成茶叶交易中心。");
    let name = |i: usize| doc.resolution.entities[i].canonical.as_str();
    assert!(
        doc.relations
            .facts
            .iter()
            .any(|f| name(f.subject) == "青林镇" && name(f.object) == "宜宾市"),
        "{:?}",
        doc.relations.facts
    );
}

#[test]
fn kinds_of_projects_are_not_project_names() {
    let found = entities(
        "2023年江西省重点建设项目、市科技项目、主导产业正式合同项目和部分重点项目进展顺利,\
         青山电子科技项目开工。",
    );
    assert!(has(&found, Class::Project, "青山电子科技项目"), "{found:?}");
    assert_none_named(
        &found,
        &[
            "2023年江西省重点建设项目",
            "江西省重点建设项目",
            "市科技项目",
            "主导产业正式合同项目",
            "部分重点项目",
        ],
    );
}

#[test]
fn industry_names_do_not_start_with_a_verb_or_pronoun() {
    let found = entities("全县立足区域产业特色,不断完善产业链,各村运用产业帮扶资金,壮大茶叶产业。");
    assert!(has(&found, Class::Industry, "茶叶产业"), "{found:?}");
    assert_none_named(&found, &["立足区域产业", "不断完善产业链", "各村运用产业"]);
}

#[test]
fn demonstration_zones_name_a_place() {
    let found = entities("统筹推进,打造融合示范区。青林高质量发展示范区完成规划。");
    assert!(!any_named(&found, "融合示范区"), "{found:?}");
    assert!(
        has(&found, Class::Park, "青林高质量发展示范区"),
        "{found:?}"
    );
}

#[test]
fn a_project_named_after_its_company_is_not_placed_in_the_company_region() {
    let pipeline = common::pipeline();
    let doc = common::extract(
        &pipeline,
        "t",
        "湖北青山新材料有限公司投资建设湖北青山新材料扩能项目。宜宾市水利局完成验收。",
    );
    let name = |i: usize| doc.resolution.entities[i].canonical.as_str();
    let located = |s: &str, o: &str| {
        doc.relations.facts.iter().any(|f| {
            name(f.subject) == s
                && f.property == ikg::vocab::Property::LocatedIn
                && name(f.object).starts_with(o)
        })
    };
    assert!(
        !located("湖北青山新材料扩能项目", "湖北"),
        "{:?}",
        doc.relations.facts
    );
    assert!(located("宜宾市水利局", "宜宾"), "{:?}", doc.relations.facts);
}

#[test]
fn places_listed_before_a_park_head_are_parks() {
    let found = entities("管委会带队赴株洲、湘潭、岳阳等高新区考察学习。");
    assert_all_named(
        &found,
        Class::Park,
        &["株洲高新区", "湘潭高新区", "岳阳高新区"],
    );
}

/// The facts of one text, as (subject, property, object) canonical names.
fn facts(text: &str) -> Vec<(String, ikg::vocab::Property, String)> {
    let pipeline = common::pipeline();
    let doc = common::extract(&pipeline, "t", text);
    let name = |i: usize| doc.resolution.entities[i].canonical.clone();
    doc.relations
        .facts
        .iter()
        .map(|f| (name(f.subject), f.property, name(f.object)))
        .collect()
}

fn has_fact(
    found: &[(String, ikg::vocab::Property, String)],
    s: &str,
    p: ikg::vocab::Property,
    o: &str,
) -> bool {
    found.iter().any(|(a, q, b)| a == s && *q == p && b == o)
}

#[test]
fn a_clause_saying_what_a_company_is_names_it_throughout() {
    let text = "远翔精工是精密模具、汽车零部件领域的龙头企业。远翔精工项目一期工程完工,\
                远翔精工项目投产后年产模具2万套。目标是打造一批龙头企业。";
    let found = entities(text);
    assert!(has(&found, Class::Company, "远翔精工"), "{found:?}");
    assert!(has(&found, Class::Project, "远翔精工项目"), "{found:?}");
    assert_none_named(&found, &["远翔精工项目一期工程", "目标"]);
    let facts = facts(text);
    use ikg::vocab::Property::{Builds, LeadingCompanyOf};
    assert!(
        has_fact(&facts, "远翔精工", Builds, "远翔精工项目"),
        "{facts:?}"
    );
    assert!(
        has_fact(&facts, "远翔精工", LeadingCompanyOf, "精密模具"),
        "{facts:?}"
    );
}

#[test]
fn a_park_name_may_join_two_industries() {
    let found =
        entities("远翔精工落户赣州高新区新能源与智能装备产业园。推进甲产业园和乙产业园建设。");
    assert!(
        has(&found, Class::Park, "赣州高新区新能源与智能装备产业园"),
        "{found:?}"
    );
    assert_none_named(&found, &["甲产业园和乙产业园"]);
}

#[test]
fn a_project_named_after_its_city_also_lies_in_the_park_the_passage_is_about() {
    let found = facts(
        "宜宾高新区今年建设提速。宜宾高新区新开工项目15个。宜宾市人才公寓项目主体完工,\
         宜宾高新区持续优化营商环境。",
    );
    use ikg::vocab::Property::LocatedIn;
    assert!(
        has_fact(&found, "宜宾市人才公寓项目", LocatedIn, "宜宾市"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "宜宾市人才公寓项目", LocatedIn, "宜宾高新区"),
        "{found:?}"
    );
}

#[test]
fn an_industry_list_shares_its_head_even_when_the_last_member_is_a_filler_word() {
    let found = entities("今年,全区电子信息、装备制造、新能源新材料产业产值分别增长12%、9%、30%。");
    assert_all_named(
        &found,
        Class::Industry,
        &["电子信息产业", "装备制造产业", "新能源新材料产业"],
    );
}

#[test]
fn a_project_name_may_open_with_its_builder() {
    use ikg::vocab::Property::Builds;
    let found = facts(
        "华岳精工重型齿轮箱项目开工,青禾建材项目完成主体施工,\
         宜宾市智慧停车项目投用,绿色建材项目签约。",
    );
    assert!(
        has_fact(&found, "华岳精工", Builds, "华岳精工重型齿轮箱项目"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "青禾建材", Builds, "青禾建材项目"),
        "{found:?}"
    );
    for project in ["宜宾市智慧停车项目", "绿色建材项目"] {
        assert!(
            !found.iter().any(|(_, p, o)| *p == Builds && o == project),
            "{project} given a builder: {found:?}"
        );
    }
}

#[test]
fn ocr_confusions_are_repaired_and_lists_are_honours() {
    use ikg::vocab::Property::HasHonor;
    let text = "远航电子、华岳精工等2家企业纳人省级制造业高质量发展专项清单。";
    let found = facts(text);
    for company in ["远航电子", "华岳精工"] {
        assert!(
            has_fact(&found, company, HasHonor, "制造业高质量发展专项清单"),
            "{company}: {found:?}"
        );
    }
}

#[test]
fn bylines_and_photo_credits_name_people() {
    let text = "全媒体记者 周航 通讯员 吴晓 郑一鸣\n\n远航电子产销两旺。\n\n施工现场 郝明/摄\n\n孙嘉禾\n\n李冲村\n\n当选为联盟副秘书长单位。";
    let found = entities(text);
    assert_all_named(
        &found,
        Class::Person,
        &["周航", "吴晓", "郑一鸣", "郝明", "孙嘉禾"],
    );
    assert!(!has(&found, Class::Person, "李冲村"), "{found:?}");
    assert!(!any_named(&found, "单位"), "{found:?}");
}

#[test]
fn parks_inside_a_zone_lie_in_it_and_plans_place_nothing() {
    use ikg::vocab::Property::LocatedIn;
    let found = facts(
        "宜宾高新区今年发展提速。宜宾高新区新开工项目15个。\
         城东园区和青林化工园完成扩区。远航电子、华岳精工等企业即将签约入园。\
         宜宾高新区持续优化营商环境。",
    );
    for park in ["城东园区", "青林化工园"] {
        assert!(
            has_fact(&found, park, LocatedIn, "宜宾高新区"),
            "{park}: {found:?}"
        );
    }
    for company in ["远航电子", "华岳精工"] {
        assert!(
            !found
                .iter()
                .any(|(s, p, _)| s == company && *p == LocatedIn),
            "{company} placed: {found:?}"
        );
    }
    // A hedge in another clause of the sentence does not hold a name back.
    let found = facts(
        "宜宾高新区今年发展提速。宜宾高新区启动新一轮发展规划,\
         南岭、东坝2村完成改造;远航电子年产值增长两成。",
    );
    for place in ["南岭村", "东坝村"] {
        assert!(
            has_fact(&found, place, LocatedIn, "宜宾高新区"),
            "{place}: {found:?}"
        );
    }
}

#[test]
fn an_agreement_of_intent_is_a_cooperation_but_a_planned_one_is_not() {
    use ikg::vocab::Property::CooperatesWith;
    let found = facts(
        "促成华岳精工与青禾建材、恒瑞达药业等企业达成合作意向。华岳精工拟与海川电子达成合作意向。",
    );
    for partner in ["青禾建材", "恒瑞达药业"] {
        assert!(
            has_fact(&found, "华岳精工", CooperatesWith, partner),
            "{partner}: {found:?}"
        );
    }
    assert!(
        !has_fact(&found, "华岳精工", CooperatesWith, "海川电子"),
        "{found:?}"
    );
}

#[test]
fn a_counted_head_phrase_closes_a_list() {
    let found = entities("依托云栖港、科学湾、数智街“三大科创支撑平台”开展招商。");
    assert_all_named(&found, Class::Platform, &["云栖港", "科学湾", "数智街"]);
}

#[test]
fn media_alliances_and_provincial_platforms_lie_in_no_park_and_cities_lie_in_their_province() {
    use ikg::vocab::Property::LocatedIn;
    let found = facts(
        "宜宾高新区今年发展提速。宜宾高新区新开工项目15个。\
         宜宾日报、长江经济带高新区科创联盟和四川省科创供应链平台到访,\
         宜宾华岳精工有限公司与四川省内企业合作。宜宾市位于四川南部。",
    );
    for name in [
        "宜宾日报",
        "长江经济带高新区科创联盟",
        "四川省科创供应链平台",
    ] {
        assert!(
            !has_fact(&found, name, LocatedIn, "宜宾高新区"),
            "{name} placed: {found:?}"
        );
    }
    assert!(
        has_fact(&found, "宜宾华岳精工有限公司", LocatedIn, "宜宾高新区"),
        "{found:?}"
    );
    assert!(has_fact(&found, "宜宾市", LocatedIn, "四川省"), "{found:?}");
}

#[test]
fn projects_listed_before_their_head_keep_the_names_inside_them() {
    use ikg::vocab::Property::Builds;
    let text = "华岳精工重型齿轮箱、青禾建材扩能、宜宾锂电池隔膜等项目建成投产。";
    let found = entities(text);
    assert_all_named(
        &found,
        Class::Project,
        &["华岳精工重型齿轮箱", "青禾建材扩能", "宜宾锂电池隔膜"],
    );
    let facts = facts(text);
    assert!(
        has_fact(&facts, "华岳精工", Builds, "华岳精工重型齿轮箱"),
        "{facts:?}"
    );
}

#[test]
fn what_a_project_makes_comes_from_its_name() {
    use ikg::vocab::Property::Produces;
    let found = facts("青禾燃具有限公司投资建设的青禾燃具卡式炉制造项目开工。");
    assert!(
        has_fact(&found, "青禾燃具卡式炉制造项目", Produces, "卡式炉"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(s, p, _)| s == "青禾燃具" && *p == Produces),
        "a builder produces only what the text says: {found:?}"
    );
}

#[test]
fn companies_listed_as_leaders_lead_the_industries_that_follow() {
    use ikg::vocab::Property::LeadingCompanyOf;
    let text = "以青禾智能、华岳机械、云栖装备制造为引领,大力开拓精密设备产业;以新能源汽车为龙头发展产业。";
    let found = entities(text);
    assert_all_named(
        &found,
        Class::Company,
        &["青禾智能", "华岳机械", "云栖装备制造"],
    );
    assert!(!has(&found, Class::Company, "新能源汽车"), "{found:?}");
    let facts = facts(text);
    assert!(
        has_fact(&facts, "云栖装备制造", LeadingCompanyOf, "精密设备产业"),
        "{facts:?}"
    );
}

#[test]
fn bodies_named_by_a_park_word_alone_belong_to_the_document_park() {
    use ikg::vocab::Property::{LocatedIn, WorksFor};
    let found = facts(
        "宜宾高新区今年发展提速。宜宾高新区新开工项目15个。管委会主任王建国介绍,\
         高新区政务服务中心8月启用。宜宾高新区持续优化营商环境。",
    );
    assert!(
        has_fact(&found, "王建国", WorksFor, "宜宾高新区管委会"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "高新区政务服务中心", LocatedIn, "宜宾高新区"),
        "{found:?}"
    );
}

#[test]
fn this_company_is_the_company_named_last() {
    use ikg::vocab::Property::WorksFor;
    let pipeline = common::pipeline();
    let doc = common::extract(
        &pipeline,
        "t",
        "今年以来,宜宾华岳精工有限公司产销两旺。该公司营销中心总经理王建国介绍说,订单已排到明年。",
    );
    let name = |i: usize| doc.resolution.entities[i].canonical.as_str();
    assert!(
        doc.relations
            .facts
            .iter()
            .any(|f| name(f.subject) == "王建国"
                && f.property == WorksFor
                && name(f.object) == "宜宾华岳精工有限公司"),
        "{:?}",
        doc.relations.facts
    );
    assert!(
        !doc.resolution
            .entities
            .iter()
            .any(|e| e.labels.contains("该公司")),
        "该公司 is no name"
    );
}

#[test]
fn a_park_named_after_its_zone_is_one_entity_with_its_short_name() {
    let found = entities(
        "宜宾高新区今年发展提速。宜宾高新区新材料产业园开园。新材料产业园已入驻企业12家。",
    );
    assert!(
        has(&found, Class::Park, "宜宾高新区新材料产业园"),
        "{found:?}"
    );
    assert!(!has(&found, Class::Park, "新材料产业园"), "{found:?}");
}

#[test]
fn an_industry_before_high_quality_development_counts_but_not_inside_an_event_name() {
    let found = entities("举办2023宜宾国际茶叶产业博览会,推动全市茶叶产业高质量发展。");
    assert!(has(&found, Class::Industry, "茶叶产业"), "{found:?}");
    assert_none_named(&found, &["宜宾国际茶叶产业", "国际茶叶产业"]);
}

#[test]
fn a_verb_before_an_industry_suffix_opens_no_industry() {
    let found = entities("宜宾高新区把企业培育作为进一步提升产业整体实力的工程,壮大装备制造产业。");
    assert!(has(&found, Class::Industry, "装备制造产业"), "{found:?}");
    assert_none_named(&found, &["提升产业"]);
}

#[test]
fn a_place_and_industry_alone_name_no_industry() {
    let found = entities("为宜宾市产业高质量发展贡献力量,壮大宜宾茶叶产业。");
    assert!(has(&found, Class::Industry, "宜宾茶叶产业"), "{found:?}");
    assert_none_named(&found, &["宜宾市产业"]);
}

#[test]
fn a_park_being_paid_for_or_listed_among_projects_is_a_project() {
    let found = entities(
        "宜宾高新区今年发展提速。年内建成投资12亿元的青林新材料产业园。\
         推进滨江汽车城、远航电机产业园等项目建设。城东园区完成扩区。",
    );
    assert_all_named(
        &found,
        Class::Project,
        &["青林新材料产业园", "滨江汽车城", "远航电机产业园"],
    );
    assert_all_named(&found, Class::Park, &["宜宾高新区", "城东园区"]);
}

#[test]
fn a_company_a_park_runs_bears_the_park_name() {
    let found = entities(
        "宜宾高新区今年发展提速。宜宾高新区招商有限公司负责人表示,宜宾高新区建设投资有限公司已完成融资。\
         荆门高新区华岳涂料有限公司投产。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &[
            "宜宾高新区招商有限公司",
            "宜宾高新区建设投资有限公司",
            "华岳涂料有限公司",
        ],
    );
    assert_none_named(&found, &["招商有限公司", "荆门高新区华岳涂料有限公司"]);
}

#[test]
fn a_zone_lies_in_the_region_its_name_holds_in_brackets() {
    let found = facts("中国(上海)自由贸易试验区发展迅速。");
    assert!(
        has_fact(
            &found,
            "中国(上海)自由贸易试验区",
            ikg::vocab::Property::LocatedIn,
            "上海市"
        ),
        "{found:?}"
    );
}

#[test]
fn planned_totals_and_company_investments_count_but_intentions_do_not() {
    let pipeline = common::pipeline();
    let doc = common::extract(
        &pipeline,
        "t",
        "青林新材料扩能项目计划投资5亿元。华岳精工华中研发中心项目负责人介绍,华岳精工计划投资8亿元,\
         建设研发中心。金鹏储能公司轻混电池模组项目总投资约6亿元。\
         滨江汽车零部件拟投资6亿元建设一体化压铸项目。",
    );
    let name = |i: usize| doc.resolution.entities[i].canonical.clone();
    let found: Vec<(String, String)> = doc
        .relations
        .investments
        .iter()
        .map(|i| (name(i.project), i.amount.clone()))
        .collect();
    for (project, amount) in [
        ("青林新材料扩能项目", "500000000"),
        ("华岳精工华中研发中心项目", "800000000"),
        ("金鹏储能公司轻混电池模组项目", "600000000"),
    ] {
        assert!(
            found.iter().any(|(p, a)| p == project && a == amount),
            "{project}: {found:?}"
        );
    }
    assert_eq!(found.len(), 3, "{found:?}");
}

#[test]
fn a_product_name_holds_no_output_figure_and_no_predicate() {
    use ikg::vocab::Property::Produces;
    let found = facts(
        "远航科技有限公司今年投产。投产后,远航科技将年产汽车线束500万套。\
         华岳精工有限公司研发的RV减速器已实现批量供货。华岳食品有限公司的腊味系列产品远销海外。",
    );
    assert!(
        has_fact(&found, "华岳食品有限公司", Produces, "腊味"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "远航科技有限公司", Produces, "汽车线束"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "华岳精工有限公司", Produces, "RV减速器"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(_, p, o)| *p == Produces && (o.contains("年产") || o.contains("500"))),
        "{found:?}"
    );
}

#[test]
fn a_named_cluster_ends_with_a_designation_and_cities_hold_designations() {
    use ikg::vocab::Property::HasHonor;
    let text = "青林电子信息创新型产业集群入选国家产业集群试点。\
                宜宾市获评全国文明城市,正在创建国家卫生城市。\
                鼓励远航电子有限公司等企业争创上市后备“金种子”企业。";
    let found = entities(text);
    assert_all_named(&found, Class::Industry, &["青林电子信息创新型产业集群"]);
    assert_all_named(
        &found,
        Class::Honor,
        &[
            "国家产业集群试点",
            "全国文明城市",
            "国家卫生城市",
            "上市后备金种子企业",
        ],
    );
    assert_all_named(&found, Class::Company, &["远航电子有限公司"]);
    assert_none_named(&found, &["创新型产业集群", "推荐远航电子有限公司"]);
    assert!(has_fact(
        &facts(text),
        "青林电子信息创新型产业集群",
        HasHonor,
        "国家产业集群试点"
    ));
}

#[test]
fn vehicles_listed_before_their_kind_are_products_and_a_locative_opens_no_name() {
    let found = entities("园区内环卫车、冷藏车、轿运车等系列专用车陆续下线。");
    assert_all_named(&found, Class::Product, &["环卫车", "冷藏车", "轿运车"]);
    assert_none_named(&found, &["园区内环卫车"]);
}

#[test]
fn a_body_lies_in_the_innermost_place_its_name_opens_with() {
    use ikg::vocab::Property::LocatedIn;
    let found = facts(
        "宜宾市翠屏区经济和信息化局召开会议。区经信局推进技改。区经信局服务企业。\
         区经信局优化环境。翠屏区经信局再创佳绩。",
    );
    assert!(
        has_fact(&found, "宜宾市翠屏区经济和信息化局", LocatedIn, "翠屏区"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "翠屏区经信局", LocatedIn, "翠屏区"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(s, p, o)| s.contains("经") && *p == LocatedIn && o == "宜宾市"),
        "{found:?}"
    );
}

#[test]
fn a_listed_project_with_a_capacity_makes_what_follows_it_and_keeps_its_known_builder() {
    use ikg::vocab::Property::{Builds, Produces};
    let found =
        facts("江西华岳新材料有限公司今年扩产。远航电子智能终端、江西华岳万吨饲料等项目年内投产。");
    assert!(
        has_fact(&found, "江西华岳万吨饲料", Produces, "饲料"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "江西华岳新材料有限公司", Builds, "江西华岳万吨饲料"),
        "{found:?}"
    );
    assert!(!found.iter().any(|(s, _, _)| s == "江西华岳"), "{found:?}");
}

#[test]
fn cue_words_open_no_industry_name_and_a_change_of_course_closes_one() {
    let found = entities(
        "本报讯农机装备产业持续壮大。全区将大力突破氢能及储能产业。\
         推动纺织产业向新材料、工程机械转型。建设电子信息之都核心区。",
    );
    assert_all_named(
        &found,
        Class::Industry,
        &["农机装备产业", "氢能及储能产业", "工程机械"],
    );
    assert_none_named(
        &found,
        &["本报讯农机装备产业", "突破氢能及储能产业", "核心区产业"],
    );
}

#[test]
fn a_trade_name_cut_into_characters_or_listed_beside_a_company_is_a_company() {
    let found =
        entities("积极推进湘玻光电与华中科技大学合作。推动启明机器人、恒泰药业入驻科创中心。");
    assert_all_named(
        &found,
        Class::Company,
        &["湘玻光电", "启明机器人", "恒泰药业"],
    );
    assert_none_named(&found, &["机器人"]);
}

#[test]
fn a_one_character_stop_word_inside_a_list_item_is_part_of_it() {
    let found = entities("青林物流园、随远福达燃气灶制造、江华热电厂等项目年内开工。");
    assert_all_named(
        &found,
        Class::Project,
        &["青林物流园", "随远福达燃气灶制造", "江华热电厂"],
    );
    // 等 still closes a list: members before it keep their own class.
    let found = entities("形成了正极材料、隔膜、铝箔等电池产业链。");
    assert_none_named(&found, &["铝箔等电池产业链"]);
    assert!(!has(&found, Class::Industry, "隔膜"), "{found:?}");
}

#[test]
fn a_zone_named_by_its_place_starts_at_the_place() {
    let found = entities("为企业量身定制宜昌高新区服务方案。湖北宜昌高新区发展迅速。");
    assert_all_named(&found, Class::Park, &["湖北宜昌高新区"]);
    assert_none_named(&found, &["量身定制宜昌高新区"]);
}

#[test]
fn a_project_word_inside_a_compound_names_no_project() {
    let found = entities(
        "建立全流程、专业化、管家式项目服务体系。每月召开线上项目调度会。\
         青林火电厂项目建设正酣。",
    );
    assert_none_named(&found, &["管家式项目", "线上项目", "专业化"]);
    assert_all_named(&found, Class::Project, &["青林火电厂项目"]);
}

#[test]
fn a_project_may_be_named_after_an_institute_but_not_after_a_kind() {
    let found =
        entities("青林先进制造研究院中试基地项目今年竣工。龙头企业带动光伏上下游项目12个落地。");
    assert_all_named(&found, Class::Project, &["青林先进制造研究院中试基地项目"]);
    assert_none_named(&found, &["光伏上下游项目", "中试基地项目"]);
}

#[test]
fn a_kind_of_group_and_cue_words_name_no_company() {
    let found = entities(
        "布局一批高水平科技创新平台。力争农机产值翻番。公司已成为全省知名的汽车集团。\
         华岳集团发展迅速。",
    );
    assert_all_named(&found, Class::Company, &["华岳集团"]);
    assert_none_named(&found, &["高水平科技", "力争农机", "汽车集团"]);
}

#[test]
fn a_counted_park_or_platform_is_a_kind_but_the_first_one_is_a_name() {
    let found = entities(
        "规划建设三个一工程:一个专业化园区、一个冷链物流园。新建3个创新平台。\
         建成全省首家氢能装备供应链平台。",
    );
    assert_none_named(&found, &["专业化园区", "冷链物流园", "创新平台"]);
    assert_all_named(&found, Class::Platform, &["氢能装备供应链平台"]);
}

#[test]
fn common_nouns_are_not_places_parks_or_honours() {
    let found = entities(
        "全区由专业园区向综合城区转型。精心编制招商图谱和目标企业清单。\
         3家企业入选省级制造业高质量发展专项清单。",
    );
    assert_none_named(&found, &["专业园区", "城区", "目标企业清单"]);
    assert_all_named(&found, Class::Honor, &["制造业高质量发展专项清单"]);
    // Right after its city, 城区 is the district.
    assert_all_named(&entities("大同市城区发展迅速。"), Class::Region, &["城区"]);
}

#[test]
fn known_groups_banks_media_and_foreign_places_need_no_legal_form() {
    let found = entities(
        "据经济日报报道,宁德时代与西门子在柏林签署协议,招商银行和兴业证券提供融资,\
         温州市鞋革协会组织企业赴墨尔本参展。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &[
            "宁德时代",
            "西门子",
            "招商银行",
            "经济日报",
            "温州市鞋革协会",
        ],
    );
    assert!(
        found
            .iter()
            .any(|(c, n)| *c == Class::Region && n.starts_with("墨尔本")),
        "{found:?}"
    );
    // A kind of bank is no bank's name.
    let found = entities("鼓励商业银行加大对小微企业的信贷投放。");
    assert_none_named(&found, &["商业银行"]);
}

#[test]
fn ministries_regulators_and_central_bodies_by_their_short_forms() {
    let found = entities("证监会、银保监会和水利部联合发文,农业部随后转发,党中央作出部署。");
    assert_all_named(
        &found,
        Class::GovernmentBody,
        &[
            "中国证券监督管理委员会",
            "中国银行保险监督管理委员会",
            "水利部",
            "农业部",
            "中共中央",
        ],
    );
}

#[test]
fn sectors_of_the_industry_classification_and_listed_sectors_are_industries() {
    let found = entities(
        "该市培育量子信息、商业航天、合成生物等未来产业,推动高技术制造业和现代服务业融合,\
         家具制造、农副食品加工等行业稳步增长。",
    );
    assert_all_named(
        &found,
        Class::Industry,
        &[
            // Members take the head's suffix (量子信息产业, with 量子信息 as its short form).
            "量子信息产业",
            "商业航天产业",
            "合成生物产业",
            "高技术制造业",
            "家具制造",
            "农副食品加工",
        ],
    );
}

#[test]
fn products_are_named_by_their_head_nouns() {
    let found =
        entities("新工厂主要生产风力发电机和光伏组件,配套建设电子铜箔生产线,产品销往中东。");
    assert_all_named(
        &found,
        Class::Product,
        &["风力发电机", "光伏组件", "电子铜箔"],
    );
}

#[test]
fn leaders_are_named_before_their_titles() {
    let found =
        entities("国务院总理李文山主持会议,集团董事长周明远介绍了情况,投资人詹姆斯·怀特出席。");
    assert_all_named(&found, Class::Person, &["李文山", "周明远", "詹姆斯·怀特"]);
}

#[test]
fn two_region_names_run_together_name_both_places() {
    let text = "在河南洛阳,一座新材料工厂建成投产。";
    let found = entities(text);
    assert_all_named(&found, Class::Region, &["河南省", "洛阳市"]);
    let facts = facts(text);
    use ikg::vocab::Property::LocatedIn;
    assert!(has_fact(&facts, "洛阳市", LocatedIn, "河南省"), "{facts:?}");
}

#[test]
fn a_branch_named_after_its_company_and_a_place_is_a_subsidiary() {
    let text = "远翔精工今年在海外扩产。远翔精工拟设立远翔精工德国分公司。\
                华岳电子科技有限公司今年增资。华岳电子(赣州)有限公司投产,华岳电子的订单增加。";
    let found = entities(text);
    assert_all_named(
        &found,
        Class::Company,
        &["远翔精工", "远翔精工德国分公司", "华岳电子(赣州)有限公司"],
    );
    let facts = facts(text);
    use ikg::vocab::Property::SubsidiaryOf;
    assert!(
        has_fact(&facts, "远翔精工德国分公司", SubsidiaryOf, "远翔精工"),
        "{facts:?}"
    );
    assert!(
        facts.iter().any(|(s, p, o)| s == "华岳电子(赣州)有限公司"
            && *p == SubsidiaryOf
            && o.starts_with("华岳电子")),
        "{facts:?}"
    );
}

#[test]
fn a_branch_registered_with_its_place_in_brackets_after_a_trade_word_is_a_subsidiary() {
    let text = "华岳集团今年营收增长。华岳电子(赣州)有限公司新厂投产。\
                远翔(中国)投资有限公司在上海成立,远翔集团持有其全部股权。";
    let found = entities(text);
    assert_all_named(
        &found,
        Class::Company,
        &[
            "华岳集团",
            "华岳电子(赣州)有限公司",
            "远翔(中国)投资有限公司",
            "远翔集团",
        ],
    );
    let facts = facts(text);
    use ikg::vocab::Property::SubsidiaryOf;
    for (branch, parent) in [
        ("华岳电子(赣州)有限公司", "华岳集团"),
        ("远翔(中国)投资有限公司", "远翔集团"),
    ] {
        assert!(has_fact(&facts, branch, SubsidiaryOf, parent), "{facts:?}");
    }
}

#[test]
fn titles_and_verbs_of_saying_mark_people() {
    let text = "省商务厅厅长周海平出席。周海平表示,开放水平持续提高。\
                分析师郑琳向记者介绍了行情。";
    let found = entities(text);
    assert_all_named(&found, Class::Person, &["周海平", "郑琳"]);
    assert_none_named(&found, &["郑琳向"]);
}

#[test]
fn a_group_of_industries_closing_a_list_has_the_members_as_segments() {
    let text = "全省加快培育量子信息、空天信息等未来产业。\
                聚焦战略性新兴产业谋划新项目。";
    let found = entities(text);
    assert!(has(&found, Class::Industry, "未来产业"), "{found:?}");
    // Run into the word after it, a group names nothing, like any bare
    // industry name; before a boundary it names an industry.
    assert_none_named(&found, &["战略性新兴产业"]);
    let alone = entities("全市大力培育战略性新兴产业,改造提升传统产业。");
    assert_all_named(&alone, Class::Industry, &["战略性新兴产业", "传统产业"]);
    let facts = facts(text);
    use ikg::vocab::Property::SegmentOf;
    assert!(
        facts
            .iter()
            .filter(|(_, p, o)| *p == SegmentOf && o == "未来产业")
            .count()
            >= 2,
        "{facts:?}"
    );
}

#[test]
fn a_generation_figure_belongs_to_a_production_line() {
    let text = "华岳光电在赣州投资建设的第6代AMOLED面板生产线正式量产。";
    let found = entities(text);
    assert!(
        found
            .iter()
            .any(|(c, n)| *c == Class::Project && n.ends_with("第6代AMOLED面板生产线")),
        "{found:?}"
    );
    let facts = facts(text);
    use ikg::vocab::Property::Produces;
    assert!(
        facts
            .iter()
            .any(|(s, p, o)| s.ends_with("生产线") && *p == Produces && o == "AMOLED面板"),
        "{facts:?}"
    );
}

#[test]
fn a_latin_name_before_a_title_is_the_employer() {
    let text = "研究机构Gartner中国区首席分析师王芳表示,需求回暖。";
    let found = entities(text);
    assert!(has(&found, Class::Company, "Gartner"), "{found:?}");
    let facts = facts(text);
    use ikg::vocab::Property::WorksFor;
    assert!(has_fact(&facts, "王芳", WorksFor, "Gartner"), "{facts:?}");
}

#[test]
fn counted_phrases_and_glosses_are_not_names() {
    let found = entities(
        "全省签约2100余个优质项目。华岳光电的AMOLED(有源矩阵有机发光)面板生产线在赣州投产。",
    );
    assert_none_named(&found, &["2100余个优质项目"]);
    assert!(
        found
            .iter()
            .any(|(c, n)| *c == Class::Project && n.ends_with("AMOLED面板生产线")),
        "{found:?}"
    );
}

#[test]
fn a_known_organisation_word_takes_only_a_region_before_it() {
    let found = entities("展馆旁边就是新闻集团的办公楼。");
    assert_none_named(&found, &["旁边就是新闻集团", "就是新闻集团"]);
}

#[test]
fn a_latin_word_counts_short_in_a_name() {
    let found = entities("展馆位于Riverside高端制造园区内。");
    assert!(
        has(&found, Class::Park, "Riverside高端制造园区"),
        "{found:?}"
    );
}

#[test]
fn a_unit_named_after_its_body_is_a_body_of_its_own() {
    let found = entities(
        "工信部电子信息司副司长周明出席会议。省科技厅成果转化处负责人吴刚介绍了情况。\
         南湖大学智能材料研究中心主任郑琳表示,国家发改委批准了该项目。",
    );
    assert_all_named(
        &found,
        Class::GovernmentBody,
        &["工信部电子信息司", "省科技厅成果转化处"],
    );
    assert_all_named(
        &found,
        Class::ResearchInstitute,
        &["南湖大学智能材料研究中心"],
    );
    // A body followed by a verb or a title keeps its own name.
    assert!(
        has(&found, Class::GovernmentBody, "国家发展和改革委员会"),
        "{found:?}"
    );
    let facts = facts("工信部电子信息司副司长周明出席会议。");
    assert!(
        has_fact(
            &facts,
            "周明",
            ikg::vocab::Property::WorksFor,
            "工信部电子信息司"
        ),
        "{facts:?}"
    );
}

#[test]
fn a_county_office_is_named_by_its_county_and_an_abbreviation() {
    let found = entities("青川县国资委和青川县经信委联合检查了园区企业。");
    assert_all_named(
        &found,
        Class::GovernmentBody,
        &["青川县国资委", "青川县经信委"],
    );
}

#[test]
fn a_kind_of_firm_or_a_post_before_a_company_is_not_part_of_its_name() {
    let found = entities(
        "全国人大代表、远川控股集团有限公司董事长冯涛说,欧洲设备制造商诺森机械有限公司也来了。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &["远川控股集团有限公司", "诺森机械有限公司"],
    );
    assert_none_named(
        &found,
        &[
            "全国人大代表远川控股集团有限公司",
            "欧洲设备制造商诺森机械有限公司",
        ],
    );
}

#[test]
fn a_generation_stays_inside_a_platform_name() {
    let found = entities("国家第三代半导体材料创新中心在江北新区揭牌。");
    assert_all_named(&found, Class::Platform, &["国家第三代半导体材料创新中心"]);
}

#[test]
fn a_verb_before_the_first_listed_company_opens_the_clause() {
    let found = entities("当地通过基金招引晶川微电、海默传感等企业落户。");
    assert_all_named(&found, Class::Company, &["晶川微电", "海默传感"]);
}

#[test]
fn a_product_name_holds_no_measure_time_or_origin() {
    let found = entities(
        "厂里研制了800吨履带起重机。本月上旬液晶电视面板价格回落。当天首台装载机下线。\
         全省共有215种药品纳入目录。中国大陆面板厂商加快扩产。",
    );
    assert_all_named(
        &found,
        Class::Product,
        &["履带起重机", "液晶电视面板", "装载机", "药品"],
    );
    assert_none_named(
        &found,
        &[
            "吨履带起重机",
            "本月上旬液晶电视面板",
            "当天首台装载机",
            "种药品",
            "中国大陆面板",
        ],
    );
}

#[test]
fn a_name_does_not_end_inside_a_known_industry() {
    let found = entities("2012年全国工程机械行业销量回升。");
    assert!(
        found
            .iter()
            .all(|(c, n)| *c != Class::Project && !n.starts_with("2012年")),
        "{found:?}"
    );
}

#[test]
fn a_board_is_no_body_and_its_chair_works_for_the_company() {
    let text = "远川控股集团董事局主席冯涛表示,公司将扩大投资。";
    assert_none_named(&entities(text), &["董事局"]);
    let facts = facts(text);
    assert!(
        has_fact(
            &facts,
            "冯涛",
            ikg::vocab::Property::WorksFor,
            "远川控股集团"
        ),
        "{facts:?}"
    );
}

#[test]
fn a_known_name_is_found_beside_a_word_that_straddles_it() {
    // 壮大新兴产业: the dictionary's 大新 (a county) straddles the word
    // boundary and must not hide 新兴产业.
    let found = entities("全省要壮大新兴产业,布局未来产业。");
    assert_all_named(&found, Class::Industry, &["新兴产业", "未来产业"]);
    // A body of a level after a place's name is that place's body.
    let found = entities("会上,商务部、武汉市政府和悉尼市政府签署了备忘录。");
    assert_all_named(
        &found,
        Class::GovernmentBody,
        &["商务部", "武汉市政府", "悉尼市政府"],
    );
    assert_none_named(&found, &["市政府"]);
}

#[test]
fn an_industry_ending_with_ye_stands_alone_between_other_words() {
    let found = entities("本市以先进制造业为骨干,做大交通运输业。");
    assert_all_named(&found, Class::Industry, &["先进制造业", "交通运输业"]);
    // Beside a noun it is part of a longer name.
    let found = entities("这些元件满足了新型船舶装备制造业配套需求。");
    assert_none_named(&found, &["装备制造业"]);
    // An industry name that opens inside a known one takes all of it.
    let found = entities("全市发展智能网联汽车产业集群。");
    assert_all_named(&found, Class::Industry, &["智能网联汽车产业集群"]);
}

#[test]
fn product_kinds_are_products_where_they_stand_alone() {
    let found = entities(
        "受国际市场影响,原油、白银和黄金的价格回落。该厂去年生产轴承两万套,\
         新上市的智能手机、电视机销量增长,茶叶和柚子远销海外。",
    );
    assert_all_named(
        &found,
        Class::Product,
        &["原油", "黄金", "轴承", "智能手机", "电视机", "茶叶", "柚子"],
    );
    // Beside a noun, a product word is part of something longer.
    let found = entities("全市新建轴承产业园,手机用户超过百万。");
    assert_none_named(&found, &["轴承", "手机"]);
}

#[test]
fn universities_and_academies_are_known_by_their_short_forms() {
    let found = entities("该公司与中科大、哈工大的团队合作,并邀请中科院专家指导。");
    assert_all_named(
        &found,
        Class::University,
        &["中国科学技术大学", "哈尔滨工业大学"],
    );
    assert_all_named(&found, Class::ResearchInstitute, &["中国科学院"]);
    // 重大 is a word of its own, never a university.
    let found = entities("全市推进重大项目建设。");
    assert_no_entity_of(&found, Class::University);
}

#[test]
fn a_unit_named_after_its_university_leaves_the_university_named_too() {
    let found = entities("南开大学材料研究中心主任李明介绍了成果。");
    assert_all_named(&found, Class::University, &["南开大学"]);
    assert_all_named(&found, Class::ResearchInstitute, &["南开大学材料研究中心"]);
}

#[test]
fn a_national_programme_is_a_kind_not_a_project() {
    let found = entities(
        "今年全县2012年保障性安居工程开工两千套,保障性安居工程和棚户区改造工程进展顺利,\
         青山花园安置房项目同步开工。",
    );
    assert_none_named(
        &found,
        &["2012年保障性安居工程", "保障性安居工程", "棚户区改造工程"],
    );
    assert_all_named(&found, Class::Project, &["青山花园安置房项目"]);
}

#[test]
fn a_latin_name_after_the_kind_of_firm_it_is_is_a_company() {
    let found = entities(
        "市场研究机构Omdia发布报告称，欧洲零售商ALDI正在扩张，电池制造商Northvolt、LG等企业也在跟进。",
    );
    assert_all_named(&found, Class::Company, &["Omdia", "ALDI", "Northvolt"]);
    assert_all_named(
        &entities("财报显示，VoltaCell二季度净亏损3亿元。"),
        Class::Company,
        &["VoltaCell"],
    );
    assert!(
        !found
            .iter()
            .any(|(_, n)| n.contains("制造商") || n.contains("机构")),
        "a kind of firm taken into a name: {found:?}"
    );
}

#[test]
fn the_unnamed_members_of_a_list_of_companies_are_companies() {
    let found = entities("华为、长江集团、上海天鹰、青禾电等已经开始在该领域布局。");
    assert_all_named(&found, Class::Company, &["华为", "上海天鹰", "青禾电"]);
    assert!(!has(&found, Class::Region, "上海市"), "{found:?}");
}

#[test]
fn a_listed_industry_does_not_open_with_the_verb_before_the_list() {
    let found = entities("该省将加快构建覆盖量子通信、量子测量等领域的完整产业链。");
    assert_all_named(&found, Class::Industry, &["量子通信"]);
    assert!(
        !found.iter().any(|(_, n)| n.starts_with("覆盖")),
        "{found:?}"
    );
}

#[test]
fn sections_of_numbered_roads_and_routes_between_places_are_projects() {
    let found = entities(
        "今年将开工建设国道109线甲镇至乙村段、省道202线东关至西岭段。成都至天府机场专用公路工程进展顺利。",
    );
    assert_all_named(
        &found,
        Class::Project,
        &[
            "国道109线甲镇至乙村段",
            "省道202线东关至西岭段",
            "成都至天府机场专用公路工程",
        ],
    );
}

#[test]
fn an_industry_before_the_word_for_its_firms_is_an_industry() {
    let found = entities("美国对中国光伏企业发起调查，建材企业也在加快出海。");
    assert_all_named(&found, Class::Industry, &["光伏", "建材"]);
}

#[test]
fn a_short_name_before_a_company_post_and_a_person_is_a_company() {
    let found = entities("上周，青禾卫浴董事长王松宣布了新的海外计划。");
    assert_all_named(&found, Class::Company, &["青禾卫浴"]);
    assert_all_named(&found, Class::Person, &["王松"]);
    // A common word before the post names no company.
    let found = entities("公司董事长王松宣布了新的海外计划。");
    assert_no_entity_of(&found, Class::Company);
}

#[test]
fn honours_a_clause_says_were_built_in_numbers_are_kinds() {
    let found = entities("全省已建成300多个数字化车间和智能工厂，还将建成一批先进制造业集群。");
    assert_none_named(&found, &["数字化车间", "智能工厂", "先进制造业集群"]);
}

#[test]
fn the_medium_of_a_byline_is_a_company() {
    let found = entities("青禾网5月3日讯　市政府昨日召开会议。");
    assert_all_named(&found, Class::Company, &["青禾网"]);
    let found = entities("远航社北京5月3日电　会议昨日召开。");
    assert_all_named(&found, Class::Company, &["远航社"]);
    let found = entities("本报5月3日讯　会议昨日召开。");
    assert_no_entity_of(&found, Class::Company);
}

#[test]
fn a_conjunction_before_a_post_names_no_company() {
    let found = entities("收藏市场升温,但红酒分析师李明认为风险不小。");
    assert_no_entity_of(&found, Class::Company);
}

#[test]
fn names_do_not_open_with_a_meeting_verb_a_count_or_a_month() {
    let found = entities(
        "副省长昨天会见大型运输机项目研制人员。\
         1至4月份中国制造业采购指数回升。\
         新区今年推出31件民生项目。\
         申请人需提交6项证明材料清单。\
         企业所在行业利润增长。",
    );
    assert_all_named(&found, Class::Project, &["大型运输机项目"]);
    assert_none_named(
        &found,
        &[
            "会见大型运输机项目",
            "月份中国制造业",
            "31件民生项目",
            "项证明材料清单",
            "所在行业",
        ],
    );
}

#[test]
fn the_items_of_a_contest_are_no_projects_and_a_consultation_is_no_chamber() {
    let found =
        entities("选手们在跳高、跨栏等项目比赛中夺得金牌。省政协召开“乡村产业振兴”专题协商会。");
    assert_none_named(&found, &["跳高", "跨栏", "专题协商会"]);
}

#[test]
fn a_name_after_a_title_keeps_its_last_character() {
    let found = entities(
        "国务院副总理刘国中出席会议。国务院总理李克强会见代表。记者高菲向记者介绍情况。副市长张伟中午到达。",
    );
    assert_all_named(&found, Class::Person, &["刘国中", "李克强", "高菲", "张伟"]);
    assert_none_named(&found, &["刘国", "李克", "高菲向", "张伟中"]);
}

#[test]
fn a_determiner_or_an_ownership_word_opens_no_name() {
    let found = entities(
        "不少配件商户反映生意难做,部分电子配件价格上涨。地方国企江南稀土矿业公司和\
         民营企业江南红星稀土集团签约,大股东华美厨具集团增持,合资伙伴香港美华集团同意,\
         前述江南稀土协会表示欢迎。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &[
            "江南稀土矿业公司",
            "江南红星稀土集团",
            "华美厨具集团",
            "香港美华集团",
            "江南稀土协会",
        ],
    );
    assert_all_named(&found, Class::Product, &["电子配件"]);
    assert_none_named(
        &found,
        &[
            "不少配件",
            "部分电子配件",
            "地方国企江南稀土矿业公司",
            "民营企业江南红星稀土集团",
            "大股东华美厨具集团",
            "合资伙伴香港美华集团",
            "前述江南稀土协会",
        ],
    );
}

#[test]
fn designations_of_factories_regions_and_bases_are_honours() {
    let found = entities(
        "星河电子有限公司入选全球“灯塔工厂”,银河重工有限公司获评零碳工厂和卓越级智能工厂,\
         东湖科技有限公司入选雏鹰企业。青川县获评国家生态文明建设示范区和国家全域旅游示范区。",
    );
    assert_all_named(
        &found,
        Class::Honor,
        &[
            "灯塔工厂",
            "零碳工厂",
            "智能工厂",
            "雏鹰企业",
            "生态文明建设示范区",
            "国家全域旅游示范区",
        ],
    );
    assert_no_entity_of(&found, Class::Park);
}

#[test]
fn a_locality_or_pronoun_word_opens_no_product() {
    let found = entities("在这场南方稀土的整合中,小厂退出。短期之内平板电脑仍是主力。");
    assert_all_named(&found, Class::Product, &["稀土", "平板电脑"]);
    assert_none_named(&found, &["这场南方稀土", "南方稀土", "短期之内平板电脑"]);
}

#[test]
fn sector_names_of_the_classification_are_industries() {
    let found = entities("两地聚焦卫星通信、船舶海工等领域,并发展银发经济、冰雪经济。");
    assert_all_named(
        &found,
        Class::Industry,
        &["卫星通信", "船舶海工", "银发经济", "冰雪经济"],
    );
}

#[test]
fn a_product_word_before_its_price_or_market_stays_a_product() {
    let found = entities("今年部分农产品价格上涨,铁矿石进口量下降,手机市场趋于饱和。");
    assert_all_named(&found, Class::Product, &["农产品", "铁矿石", "手机"]);
    // Beside other nouns a product word is part of a longer name.
    let found = entities("新建电池工厂投产。");
    assert_none_named(&found, &["电池"]);
}

#[test]
fn a_common_word_before_company_names_a_kind_of_company() {
    let found = entities(
        "业内公司普遍看好,主要公司都已提价,标的公司估值偏高,外方公司撤资。\
         青禾集团收购了酒厂,远山公司签约。",
    );
    assert_none_named(&found, &["业内公司", "主要公司", "标的公司", "外方公司"]);
    assert_all_named(&found, Class::Company, &["青禾集团", "远山公司"]);
    // Words of amount or manner (任何, 少数, 专门) make a kind too.
    let found = entities("任何公司不得截留。少数公司已经停产。成立专门公司负责运营。");
    assert_none_named(&found, &["任何公司", "少数公司", "专门公司"]);
}

#[test]
fn a_zone_is_its_placed_name_and_not_its_part() {
    let pipeline = common::pipeline();
    let doc = common::extract(
        &pipeline,
        "t",
        "省里决定设立湖北明湖新区。明湖新区启动区开工建设。多家企业迁驻明湖新区。\
         明湖新区的产业逐步成形,明湖新区招商顺利。",
    );
    let zone = doc
        .resolution
        .entities
        .iter()
        .find(|e| e.class == Class::Park && e.canonical == "湖北明湖新区")
        .unwrap_or_else(|| panic!("no 湖北明湖新区: {:?}", doc.resolution.entities));
    assert!(zone.labels.contains("明湖新区"), "{:?}", zone.labels);
    let part = doc
        .resolution
        .entities
        .iter()
        .find(|e| e.canonical == "明湖新区启动区")
        .expect("the part of the zone is a park of its own");
    assert!(!part.labels.contains("湖北明湖新区"), "{:?}", part.labels);
}

#[test]
fn size_and_scope_words_before_company_name_a_kind_of_company() {
    let found = entities(
        "全国环保服务公司已有三百家,各大集团公司和国际酒业集团纷纷进入,该厂已成为中型企业集团。\
         比较强势的啤酒集团兼并了很多企业,荆州齿轮集团也在扩张。",
    );
    assert_none_named(
        &found,
        &[
            "全国环保服务公司",
            "大集团公司",
            "国际酒业集团",
            "中型企业集团",
            "啤酒集团",
        ],
    );
    // A place before the trade makes a name.
    assert_all_named(&found, Class::Company, &["荆州齿轮集团"]);
}

#[test]
fn verbs_of_effect_and_founding_stay_outside_names() {
    let found = entities(
        "政策调整将影响光伏组件行业的利润。公司计划一年内组建股份有限公司。\
         新一轮制造业升级开始。",
    );
    assert_none_named(
        &found,
        &["影响光伏组件行业", "组建股份有限公司", "新一轮制造业"],
    );
    assert_all_named(&found, Class::Industry, &["光伏组件行业"]);
}

#[test]
fn a_conjunction_glued_to_a_name_opens_no_name() {
    let found = entities("消费者更青睐实木复合地板,而实木地板价格上涨。");
    assert_none_named(&found, &["而实木地板"]);
}

#[test]
fn quan_opens_a_product_name() {
    let found = entities("该厂主要生产800吨全地面起重机。");
    assert_all_named(&found, Class::Product, &["全地面起重机"]);
    assert_none_named(&found, &["地面起重机"]);
}

#[test]
fn a_technical_verb_stays_inside_a_product_name() {
    let found = entities("公司投资建设触控面板生产线。");
    assert_all_named(&found, Class::Product, &["触控面板"]);
}

#[test]
fn a_word_between_etc_and_the_head_qualifies_the_head() {
    let found = entities("全县发展竹编工艺、森林康养等乡土产业。");
    assert_all_named(&found, Class::Industry, &["竹编工艺产业", "森林康养产业"]);
    let found = entities("全县发展竹编工艺、森林康养等特色产业。");
    assert_all_named(&found, Class::Industry, &["竹编工艺产业", "森林康养产业"]);
    let found = entities("当地引进了泓澜、启明星、凯拓等品牌企业。");
    assert_all_named(&found, Class::Company, &["启明星", "凯拓"]);
    // Kinds of works listed before projects are no projects.
    let found = entities("资金主要用于公路、港口和农田等公共项目重建。");
    assert_no_entity_of(&found, Class::Project);
}

#[test]
fn a_company_listed_among_companies_may_end_with_its_trade() {
    let found = entities("近年来,该区引进了晶和集成、东海汽车等一批龙头企业。");
    assert_all_named(&found, Class::Company, &["东海汽车"]);
    assert_none_named(&found, &["汽车", "东海县"]);
}

#[test]
fn a_short_form_may_take_the_first_character_of_the_place() {
    let found = entities("襄阳精工机床集团今年扩产。襄精集团表示将新建两条生产线。");
    assert_all_named(&found, Class::Company, &["襄阳精工机床集团"]);
    assert_none_named(&found, &["襄精集团"]);
}

#[test]
fn a_group_is_the_registered_group_company() {
    let found = entities("近日,湖南金岭机械(集团)有限公司宣布增资。金岭机械集团去年完成改制。");
    assert_all_named(&found, Class::Company, &["湖南金岭机械(集团)有限公司"]);
    assert_none_named(&found, &["金岭机械集团"]);
}

#[test]
fn a_latin_personal_name_before_a_verb_of_saying_is_no_company() {
    let found = entities("分析师Kevin Morgan表示,面板价格将回升。");
    assert_none_named(&found, &["Morgan", "Kevin"]);
}

#[test]
fn a_sports_event_is_no_project() {
    let found = entities("该市举办了全国青年足球联赛项目。");
    assert_no_entity_of(&found, Class::Project);
}

#[test]
fn a_county_before_its_produce_names_a_local_brand() {
    let found = entities("盘锦大米、蒲江猕猴桃等区域品牌走俏全国,湖北大米产量也在增加。");
    assert_all_named(&found, Class::Product, &["盘锦大米", "蒲江猕猴桃"]);
    // A province is no local brand's place.
    assert_none_named(&found, &["湖北大米"]);
}

#[test]
fn a_figure_and_its_unit_are_no_part_of_a_product_name() {
    let found = entities("今年该厂推出1200吨级轮式起重机,并量产2200mm×2500mm面板。");
    assert_all_named(&found, Class::Product, &["轮式起重机"]);
    assert_none_named(&found, &["吨级轮式起重机", "2500mm面板", "mm面板"]);
}

#[test]
fn rarer_surnames_open_personal_names() {
    let found =
        entities("远航机械有限公司董事长邸建华表示,订单饱满。总经理狄明远介绍,产能将翻番。");
    assert_all_named(&found, Class::Person, &["邸建华", "狄明远"]);
}

#[test]
fn a_preposition_between_two_places_opens_the_company_name_after_it() {
    let found = entities(
        "近年来，南湖区以嘉兴恒远电机有限公司为龙头，集聚了上下游企业。\
         宁海县以宁波星拓模具有限公司为依托发展模具产业。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &["嘉兴恒远电机有限公司", "宁波星拓模具有限公司"],
    );
    assert_none_named(
        &found,
        &[
            "南湖区以嘉兴恒远电机有限公司",
            "宁海县以宁波星拓模具有限公司",
        ],
    );
}

#[test]
fn listed_companies_are_named_by_their_short_names() {
    let found = entities(
        "恒瑞医药和海天味业今年加大研发投入,歌尔股份董事长李明表示订单饱满。\
         当地的太阳能和农产品加工产业发展迅速,机器人订单也在增加。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &["恒瑞医药", "海天味业", "歌尔股份"],
    );
    for word in ["太阳能", "农产品", "机器人"] {
        assert!(
            !has(&found, Class::Company, word),
            "{word} a company: {found:?}"
        );
    }
}

#[test]
fn a_listed_short_name_continued_by_a_noun_is_part_of_a_longer_name() {
    let found = entities("海天味业调味品产业园今年投产,园区年产值预计超过百亿元。");
    assert!(
        !has(&found, Class::Company, "海天味业"),
        "海天味业 taken alone: {found:?}"
    );
}

#[test]
fn an_adverb_glued_to_the_verb_after_it_starts_no_name() {
    let found = entities("会上,市长郑重宣布新区正式成立。董事长郑重宣布公司将在当地追加投资。");
    assert!(
        !found.iter().any(|(_, n)| n.contains("郑重")),
        "an adverb taken into a name: {found:?}"
    );
}

#[test]
fn a_short_form_drops_stacked_business_words_down_to_the_trade_name() {
    let found = entities(
        "北京远航伟业节能投资有限公司成立于2005年。\
         此次将北京远航伟业的模式纳入研究，远航伟业表示支持。",
    );
    assert_all_named(&found, Class::Company, &["北京远航伟业节能投资有限公司"]);
    // The short forms are names of the company, not a region and another company.
    assert_none_named(&found, &["北京市", "远航伟业", "北京远航伟业"]);
}

#[test]
fn a_country_or_an_adjective_before_industry_names_no_industry() {
    let found = entities("美国产业回流明显，这一成熟行业面临巨大产业变革，汽车产业加快转型。");
    assert_none_named(&found, &["美国产业", "成熟行业", "巨大产业"]);
    assert!(
        found
            .iter()
            .any(|(c, n)| *c == Class::Industry && n.starts_with("汽车")),
        "{found:?}"
    );
}

#[test]
fn honours_counted_as_a_programme_builds_them_and_lists_named_by_year_or_alias() {
    use ikg::vocab::Property::HasHonor;
    let text = "全省计划建设120个优势特色产业集群、35个现代农业产业园。\
                近日,工信部公布2025年度绿色制造名单。\
                远航电子有限公司入围第三批单项冠军示范企业名单。";
    let found = entities(text);
    assert_all_named(
        &found,
        Class::Honor,
        &[
            "优势特色产业集群",
            "国家现代农业产业园",
            "绿色制造名单",
            "制造业单项冠军企业",
        ],
    );
    assert_none_named(
        &found,
        &[
            "年度绿色制造名单",
            "单项冠军示范企业名单",
            "第三批单项冠军示范企业名单",
        ],
    );
    assert!(has_fact(
        &facts(text),
        "远航电子有限公司",
        HasHonor,
        "制造业单项冠军企业"
    ));
}

#[test]
fn members_of_a_list_closed_by_deng_and_trades_are_industries() {
    // 行业 after 等 gives a member that is no dictionary name its class once
    // another member is an industry; a ranking word before it makes no group.
    let found = entities(
        "全市推动冶金、有色、制鞋等重点行业节能改造。\
         会上,钢铁、焊接等行业协会发布倡议。",
    );
    assert_all_named(&found, Class::Industry, &["冶金", "有色", "制鞋", "钢铁"]);
    assert_none_named(&found, &["重点行业", "焊接"]);
    // Without 等, or with no industry among them, the members are left alone.
    let found = entities("他曾在码头搬运工、快递员等行业打工,后来从事涂层及制品行业。");
    assert_none_named(&found, &["快递员", "码头搬运工", "涂层"]);
}

#[test]
fn a_line_between_two_regions_is_one_project() {
    // Two places joined by 至 (the second with its province) and a line's word.
    let found = entities("南阳至信阳高速铁路今年开工,湖南岳阳至江西南昌铁路完成环评。");
    assert_all_named(
        &found,
        Class::Project,
        &["南阳至信阳高速铁路", "湖南岳阳至江西南昌铁路"],
    );
    // A trip between the places names no line.
    let found = entities("从南阳至信阳只需两小时。");
    assert_no_entity_of(&found, Class::Project);
}

#[test]
fn a_short_company_name_holds_no_adverb_and_follows_no_adverb() {
    let found = entities(
        "届时公司将扩大产能。报告期内公司营收增长。董事会成员共同决策公司的重大事项。\
         企业分别与松江区青禾公司、松江区资产经营公司签订合约。这笔资金分别贡献公司利润。最大的买家正是日产公司。在福州高意集团,他听取了介绍。",
    );
    assert_none_named(
        &found,
        &[
            "届时公司",
            "报告期内公司",
            "决策公司",
            "共同决策公司",
            "分别贡献公司",
            "分别",
        ],
    );
    assert_all_named(&found, Class::Company, &["日产公司", "福州高意集团"]);
}

#[test]
fn a_country_or_an_activity_before_a_bare_company_suffix_names_a_kind() {
    let found = entities(
        "青林光伏的美国公司销量增长。节能公司承担改造费用,全国节能服务公司达五百家。\
         检测公司出具了报告。青林电子元件协会发布了规划。",
    );
    assert_none_named(
        &found,
        &["美国公司", "节能公司", "节能服务公司", "检测公司"],
    );
    assert_all_named(&found, Class::Company, &["青林电子元件协会"]);
}

#[test]
fn a_common_noun_district_is_a_region_only_after_its_city_and_stationed_in_is_no_part_of_a_name() {
    let found = entities(
        "工厂位于上海郊区,紧邻城区和矿区。作为第一家迁驻雄安新区的央企,它带动了上下游企业。",
    );
    assert_none_named(&found, &["郊区", "城区", "矿区", "驻雄安新区"]);
    // After a city that has such a district, it is the district.
    assert_all_named(&entities("阳泉市郊区发展迅速。"), Class::Region, &["郊区"]);
    assert!(
        any_named(&found, "雄安新区") || any_named(&found, "河北雄安新区"),
        "{found:?}"
    );
}

#[test]
fn a_registered_company_name_opens_with_its_place_not_with_the_verb_before_it() {
    let found = entities(
        "领导来到青林市远航电子科技有限公司调研。餐馆禁止使用松江市美味香料有限公司的产品。\
         东岭省新能泰山发电股份有限公司发布公告。奔腾电器(上海)有限公司推出新品。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &[
            "青林市远航电子科技有限公司",
            "松江市美味香料有限公司",
            "东岭省新能泰山发电股份有限公司",
            "奔腾电器(上海)有限公司",
        ],
    );
    assert_none_named(
        &found,
        &[
            "来到青林市远航电子科技有限公司",
            "使用松江市美味香料有限公司",
        ],
    );
}

#[test]
fn a_park_lies_in_the_city_its_name_holds_after_other_words() {
    use ikg::vocab::Property::LocatedIn;
    let found = facts(
        "江苏自贸试验区南京片区新增企业三百家。沪滇临港昆明科技城首批企业签约。\
         以色列沿海城市阿什杜德工业区吸引投资。",
    );
    assert!(
        has_fact(&found, "江苏自贸试验区南京片区", LocatedIn, "南京市"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "沪滇临港昆明科技城", LocatedIn, "昆明市"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, _, o)| o == "海城市"),
        "a county's name hidden in a word: {found:?}"
    );
}

#[test]
fn a_trade_makes_an_industry_association_a_name() {
    // A trade or product before 行业协会 names the association; a rank, a
    // place alone, a verb of taking part or a list closed by 等 does not.
    let found = entities(
        "青州市家具行业协会秘书长王松介绍,全省石材制造行业协会也派员参加。\
         企业纷纷加入行业协会。国家一级行业协会召开年会。南洋行业协会发表声明。\
         会上,木材、竹器等行业协会发布倡议。",
    );
    assert_all_named(
        &found,
        Class::Company,
        &["青州市家具行业协会", "石材制造行业协会"],
    );
    assert_none_named(
        &found,
        &[
            "行业协会",
            "加入行业协会",
            "国家一级行业协会",
            "南洋行业协会",
        ],
    );
    use ikg::vocab::Property::WorksFor;
    assert!(has_fact(
        &facts("青州市家具行业协会秘书长王松介绍了情况。"),
        "王松",
        WorksFor,
        "青州市家具行业协会"
    ));
}

#[test]
fn a_broker_is_named_before_zhengquan_only_by_a_proper_name() {
    // 证券 closes a broker's name after a word tagged as a proper name or
    // unknown to the dictionary, not after a common word or a qualifier.
    let found = entities(
        "远岫证券研究员李元表示,行业景气回升。规范发展证券、保险市场。\
         政府短期证券规模扩大。企业可以购买有价证券。",
    );
    assert!(
        found
            .iter()
            .any(|(c, n)| *c == Class::Company && n.ends_with("远岫证券")),
        "the broker is missing: {found:?}"
    );
    assert_none_named(
        &found,
        &["规范发展证券", "短期证券", "有价证券", "政府短期证券"],
    );
}

#[test]
fn a_three_character_name_split_by_the_segmenter_is_whole() {
    // The segmenter may cut a three-character name after its second character,
    // or glue its last character to the function word after it.
    let found = entities(
        "工程机械协会吴子凯秘书长出席。\
         中国工程机械协会秘书长吴子凯在论坛上发言。",
    );
    assert_all_named(&found, Class::Person, &["吴子凯"]);
    assert_none_named(&found, &["吴子"]);
    // …or glue the function word after it to the whole name (冯立宏向/nr 记者).
    let found = entities("总经理冯立宏向记者介绍。");
    assert_all_named(&found, Class::Person, &["冯立宏"]);
    assert_none_named(&found, &["冯立宏向"]);
}

#[test]
fn a_country_is_no_person_and_a_cut_surname_joins_the_name() {
    // The segmenter tags some countries as names (before a title, before a
    // verb of saying); a country is no person. It also cuts a surname from the
    // rest of a name, after a title (古/a 特伦斯/nr) or before 指出 (丁/nr 薛林/nr).
    let found = entities(
        "塞尔维亚总统武西奇会见了代表团。博茨瓦纳表示支持。\
         组织秘书长古特伦斯发表讲话。丁薛林指出,要加快发展。",
    );
    assert_all_named(&found, Class::Person, &["武西奇", "古特伦斯", "丁薛林"]);
    assert_none_named(&found, &["塞尔维亚", "博茨瓦纳", "古特伦", "薛林"]);
    // A surname read as a function word after a title joins a given name
    // (于/p 甜甜/a, 何/r 建平/n), but 向 before a common word and 曾 before a
    // verb are the preposition and the adverb.
    let found = entities(
        "记者于甜甜报道。董事长何建平表示支持。总书记向世界宣布。主任曾表示支持,书记曾两次到访。",
    );
    assert_all_named(&found, Class::Person, &["于甜甜", "何建平"]);
    assert_none_named(&found, &["向世界", "曾表示", "曾两次"]);
}

#[test]
fn cadres_and_kinds_of_project_name_nothing() {
    // 干部 ends like a department (部) and 非政府 holds 政府, but neither names
    // a body; 重大工程项目 and 标志性项目 are kinds of project.
    let found = entities(
        "青林县发展和改革局抽调干部参与调研,全县党员干部积极参与。\
         坚持与非政府组织交流。实施一批重大工程项目和标志性项目。",
    );
    assert_all_named(&found, Class::GovernmentBody, &["青林县发展和改革局"]);
    assert_none_named(
        &found,
        &[
            "青林县发展和改革局抽调干部",
            "抽调干部",
            "党员干部",
            "非政府",
            "与非政府",
            "重大工程项目",
            "标志性项目",
        ],
    );
}

#[test]
fn a_complement_after_a_verb_is_no_part_of_a_name() {
    // 好 after a verb completes it (建设好, glued or not); after a place it
    // may be a word of the name.
    let found = entities("要建设好青林自由贸易港。管理好青州高新区。青州好家园实业有限公司成立。");
    assert_all_named(&found, Class::Park, &["青林自由贸易港", "青州高新区"]);
    assert_all_named(&found, Class::Company, &["青州好家园实业有限公司"]);
    assert_none_named(
        &found,
        &["好青林自由贸易港", "好青州高新区", "家园实业有限公司"],
    );
}

#[test]
fn a_field_or_a_trade_modifier_before_a_company_word_names_no_company() {
    // A field alone before 公司 is a kind of company; a modifier of a trade
    // (冷链, 低碳, 算力) before a trade word names none. A name before them does.
    let found = entities(
        "多家科技公司参与。铁路公司加开列车。冷链物流体系加快建设。算力网络建设提速。\
         青林科技公司发布新品。青禾物流扩大规模。",
    );
    assert_all_named(&found, Class::Company, &["青林科技公司", "青禾物流"]);
    assert_none_named(&found, &["科技公司", "铁路公司", "冷链物流", "算力网络"]);
}

#[test]
fn a_conjunction_or_a_glued_preposition_opens_no_name() {
    // A conjunction before a body's name is the sentence's (愿与 + 塞浦路斯政府);
    // before a place it joins two names (双方和 + 马耳他政府); inside a name it
    // stays (工业和信息化局, 移民与海关管理局).
    let found = entities(
        "青林市愿与塞浦路斯政府加强合作,双方和马耳他政府签署协议。\
         青林市工业和信息化局、国家移民与海关管理局出席。",
    );
    assert_all_named(
        &found,
        Class::GovernmentBody,
        &[
            "塞浦路斯政府",
            "马耳他政府",
            "青林市工业和信息化局",
            "国家移民与海关管理局",
        ],
    );
    assert_none_named(&found, &["与塞浦路斯政府", "双方和马耳他政府"]);
    // The segmenter glues 同 to the name after it (同卡萨/nr) and a list's
    // conjunction to a foreign name; neither is part of the person's name.
    let found = entities(
        "国家主席王建国同卡萨举行会谈。会见了议员埃丝特·纳丁和马丁·科尔。会见了议员和埃丝特·纳丁。",
    );
    assert_all_named(
        &found,
        Class::Person,
        &["王建国", "卡萨", "埃丝特·纳丁", "马丁·科尔"],
    );
    assert_none_named(&found, &["同卡萨", "埃丝特·纳丁和马丁", "和埃丝特·纳丁"]);
    // 如 ("such as") glued to the first name of an example (如青禾/ng + 公司) and
    // 委托 ("entrust", tagged as a noun) before a name are no part of it.
    let found = entities("一些企业如青禾公司和远帆集团已经扩产。该县委托青林银行代为发放。");
    assert_all_named(
        &found,
        Class::Company,
        &["青禾公司", "远帆集团", "青林银行"],
    );
    assert_none_named(&found, &["如青禾公司", "委托青林银行"]);
}

#[test]
fn a_date_or_a_count_of_works_is_no_part_of_a_project_name() {
    // A date before a project's name is the sentence's (2024年 + 梧桐山隧道工程),
    // also when the segmenter glued its unit to the name (11 + 日白 + 河港…); a
    // count of works (126处) counts a kind, it names no project. A capacity
    // (年产20万吨) stays in the name.
    let found = entities(
        "2024年梧桐山隧道工程贯通。5月11日白河港二期工程开工。\
         今年已建成126处农村供水工程。青林精工年产20万吨特种钢材项目开工。",
    );
    assert_all_named(
        &found,
        Class::Project,
        &[
            "梧桐山隧道工程",
            "白河港二期工程",
            "青林精工年产20万吨特种钢材项目",
        ],
    );
    assert_none_named(
        &found,
        &[
            "2024年梧桐山隧道工程",
            "11日白河港二期工程",
            "日白河港二期工程",
            "126处农村供水工程",
            "处农村供水工程",
        ],
    );
}

#[test]
fn a_copula_adverb_or_a_summing_word_is_no_part_of_a_name() {
    // 就是 / 正是 ("is exactly") before a name is the sentence's verb; 各个 after
    // a list's 等 sums the members up, it names no industry of its own.
    let found = entities(
        "产能过剩的根源就是钢材行业。青林县的希望正是青林科技园。\
         装备、造船、汽车等各个行业对人造板的需求旺盛。",
    );
    assert_all_named(&found, Class::Industry, &["装备", "造船"]);
    assert_none_named(
        &found,
        &[
            "根源就是钢材行业",
            "就是钢材行业",
            "正是青林科技园",
            "各个行业",
        ],
    );
}

#[test]
fn a_state_or_an_activity_after_a_production_cue_is_no_product() {
    // 了解企业研发 + 情况: what follows the cue is a state of affairs, not what
    // the company makes; the products named after 生产 stay.
    let found = facts(
        "在青林电梯有限公司,考察组了解企业研发情况,观看新产品展示活动。\
         青林电梯有限公司主要生产电梯和扶梯。",
    );
    use ikg::vocab::Property::Produces;
    assert!(
        has_fact(&found, "青林电梯有限公司", Produces, "电梯"),
        "{found:?}"
    );
    assert!(
        has_fact(&found, "青林电梯有限公司", Produces, "扶梯"),
        "{found:?}"
    );
    assert!(
        !found
            .iter()
            .any(|(_, p, o)| *p == Produces && o.contains("情况")),
        "{found:?}"
    );
}

#[test]
fn an_aim_a_strategy_or_a_programme_after_a_production_cue_is_no_product() {
    // What follows the cue is what the company aims at (生产 + 提升…影响力), a
    // strategy, a system or a programme, not what it makes; the products stay.
    use ikg::vocab::Property::Produces;
    for (text, made) in [
        (
            "青林影业有限公司与明湖银行签署协议,双方将在影视创作生产提升国产影片国际影响力。",
            None,
        ),
        (
            "青林电器有限公司陆续推出智能化战略,并主要生产空气净化器。",
            Some("空气净化器"),
        ),
        (
            "青林酒业有限公司的生产管理体系已经完善,青林酒业有限公司主要生产白酒。",
            Some("白酒"),
        ),
        ("青林传媒有限公司今晚推出特别节目,讲述青年创业故事。", None),
        ("青林电器有限公司推出十多项创新技术和产品。", None),
    ] {
        let found = facts(text);
        let products: Vec<&str> = found
            .iter()
            .filter(|(_, p, _)| *p == Produces)
            .map(|(_, _, o)| o.as_str())
            .collect();
        assert_eq!(products, made.into_iter().collect::<Vec<_>>(), "{text}");
    }
}

#[test]
fn a_count_glued_to_the_next_character_is_no_part_of_a_name() {
    // 8 + 家新 + 公司: the segmenter glued the measure word of a count to the
    // next character; the phrase counts new companies and names none.
    let found = entities("青林科技园里一天最多有8家新公司开门营业,3个子行业增长较快。");
    assert_no_entity_of(&found, Class::Company);
    assert_none_named(&found, &["家新公司", "个子行业"]);
}

#[test]
fn laying_out_opens_no_listed_industry() {
    // 布局 ("lay out", tagged as a noun) before a list's first member is the
    // sentence's verb: 布局 + 数字经济、绿色低碳等8个产业生态圈.
    let found = entities("同时,青林市加快布局数字经济、绿色低碳等8个产业生态圈。");
    assert_none_named(&found, &["布局数字经济", "布局数字经济产业"]);
}

#[test]
fn a_hall_is_no_body_and_a_stance_verb_ends_a_name() {
    // 音乐厅 and 宴会厅 end like a department (厅) but are halls; 反对 (tagged as an
    // adverb) and 指责 before a name are the sentence's verbs.
    let found = entities(
        "音乐会在青林音乐厅举行。宴会在青林宾馆宴会厅举行。\
         民众集会反对青林县政府的规划。报告指责青禾服饰有限公司排污。",
    );
    assert_all_named(&found, Class::Company, &["青禾服饰有限公司"]);
    assert_none_named(
        &found,
        &[
            "青林音乐厅",
            "音乐厅",
            "青林宾馆宴会厅",
            "宴会厅",
            "民众集会反对青林县政府",
            "反对青林县政府",
            "报告指责青禾服饰有限公司",
        ],
    );
}

#[test]
fn a_conjunction_before_a_bare_suffix_joins_two_things() {
    // 服务器和 + 数据中心, 车间和 + 实验室: the conjunction joins two things, not
    // two words of one name; inside a name it stays (功能材料与先进制造技术…实验室),
    // and a body's suffix may name a field (科技和 + 信息化局).
    let found = entities(
        "青林市建设AI服务器和数据中心。考察组走进车间和实验室。\
         功能材料与先进制造技术重点实验室揭牌。青林市科技和信息化局发布通知。",
    );
    assert_all_named(
        &found,
        Class::Platform,
        &["功能材料与先进制造技术重点实验室"],
    );
    assert_all_named(&found, Class::GovernmentBody, &["青林市科技和信息化局"]);
    assert_none_named(&found, &["AI服务器和数据中心", "车间和实验室"]);
    // After an activity it joins two words of the name (管理与 + 服务平台).
    let found = entities("青林市建设智慧农业管理与服务平台。");
    assert_all_named(&found, Class::Platform, &["智慧农业管理与服务平台"]);
}

#[test]
fn a_sport_is_no_project() {
    // 项目 is also an event of a sport: listed sports (篮球、排球等项目) and a
    // sport's category before 项目 (花样游泳集体项目) name no project; a works
    // project for a sport's venue does (青林市游泳馆建设项目).
    let found = entities(
        "本届运动会设篮球、排球、乒乓球等项目。她在青林运动会花样游泳集体项目中夺冠。\
         青林市游泳馆建设项目开工。",
    );
    assert_all_named(&found, Class::Project, &["青林市游泳馆建设项目"]);
    assert_none_named(
        &found,
        &["篮球", "排球", "乒乓球", "青林运动会花样游泳集体项目"],
    );
}

#[test]
fn a_word_of_position_before_a_trade_word_names_no_company() {
    // 灾后 ("after the disaster", a word of position) + 农业 is no company's
    // short name, though an unknown word before a trade word may be one.
    let found = entities("抓紧开展农业防汛救灾及灾后农业生产恢复等相关工作。");
    assert_none_named(&found, &["灾后农业"]);
}
