//! Every pattern in data/patterns.tsv, run alone on its own example sentence,
//! must produce the facts listed beside it.

mod common;

use ikg::resources::PatternTarget;
use ikg::{Pipeline, Resources};

#[test]
fn every_pattern_matches_its_example() {
    let res = Resources::bundled().expect("bundled resources");
    assert!(res.patterns.len() >= 30, "expected a full pattern set");
    let mut failures = Vec::new();
    for spec in &res.patterns {
        assert!(
            !spec.example.is_empty(),
            "pattern {} has no example",
            spec.id
        );
        assert!(
            !spec.expected.is_empty(),
            "pattern {} has no expected facts",
            spec.id
        );
        let mut only = res.clone();
        only.patterns = vec![spec.clone()];
        let pipeline = Pipeline::new(&only).expect("pipeline");
        let ex = common::extract(&pipeline, "example", &spec.example);
        let ents = &ex.resolution.entities;
        for expected in spec.expected.split(';') {
            let (s, o) = expected
                .split_once('>')
                .expect("expected is subject>object");
            let ok = match spec.target {
                PatternTarget::Relation(p) => ex.relations.facts.iter().any(|f| {
                    f.property == p
                        && f.rule == spec.id
                        && ents[f.subject].labels.contains(s)
                        && ents[f.object].labels.contains(o)
                }),
                PatternTarget::Investment => ex.relations.investments.iter().any(|i| {
                    i.rule == spec.id && ents[i.project].labels.contains(s) && i.amount == o
                }),
            };
            if !ok {
                let found: Vec<String> = ex
                    .relations
                    .facts
                    .iter()
                    .map(|f| {
                        format!(
                            "{}>{}({})",
                            ents[f.subject].canonical, ents[f.object].canonical, f.rule
                        )
                    })
                    .collect();
                let mentions: Vec<String> = ex
                    .mentions
                    .iter()
                    .flatten()
                    .map(|m| format!("{}:{}", m.text, m.class))
                    .collect();
                failures.push(format!(
                    "{}: expected {expected}; found {found:?}; mentions {mentions:?}",
                    spec.id
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} pattern examples failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The facts of one text, as `subject property object` lines with the rule.
fn facts_of(text: &str) -> Vec<String> {
    let ex = common::extract(&common::pipeline(), "example", text);
    let ents = &ex.resolution.entities;
    ex.relations
        .facts
        .iter()
        .map(|f| {
            format!(
                "{} {} {} ({})",
                ents[f.subject].canonical,
                f.property.local_name(),
                ents[f.object].canonical,
                f.rule
            )
        })
        .collect()
}

/// Asserts that none of `texts` gives a fact of `property`.
fn assert_no_fact_of(texts: &[&str], property: &str) {
    let needle = format!(" {property} ");
    for text in texts {
        let facts = facts_of(text);
        assert!(
            !facts.iter().any(|f| f.contains(&needle)),
            "{text}: {facts:?}"
        );
    }
}

/// Asserts that `text` gives a fact that reads `expected` (subject property object).
fn assert_fact(text: &str, expected: &str) {
    assert_holds(&facts_of(text), expected);
}

/// Asserts that one of `facts` reads `expected` (subject property object, or its start).
fn assert_holds(facts: &[String], expected: &str) {
    assert!(
        facts.iter().any(|f| f.starts_with(expected)),
        "{expected}: {facts:?}"
    );
}

/// Asserts that none of `facts` reads `unexpected` (subject property object, or its start).
fn assert_lacks(facts: &[String], unexpected: &str) {
    assert!(
        !facts.iter().any(|f| f.starts_with(unexpected)),
        "{unexpected}: {facts:?}"
    );
}

#[test]
fn a_city_lies_in_its_province_when_both_are_named() {
    assert_fact(
        "绵阳市今年经济平稳增长。四川省发布了新的产业规划。",
        "绵阳市 locatedIn 四川省 (structure:region-parent)",
    );
}

#[test]
fn a_sentence_opening_with_its_place_places_what_it_names() {
    let facts = facts_of("在浙江湖州,总投资20亿元的远航储能电池工厂一期产线近日投产。");
    for place in ["湖州市", "浙江省"] {
        let expected =
            format!("远航储能电池工厂一期产线 locatedIn {place} (structure:locative-opening)");
        assert!(facts.contains(&expected), "{facts:?}");
    }
}

#[test]
fn a_park_being_built_makes_no_product_named_in_it() {
    let facts = facts_of("开发区将加快建设东岭电机产业园、天成新材料基地等项目。");
    assert!(!facts.iter().any(|f| f.contains(" produces ")), "{facts:?}");
}

#[test]
fn a_company_named_with_its_local_plant_is_not_placed_in_the_park() {
    let facts = facts_of(
        "绵阳高新区今年新增企业30家。区内支持恒达药业绵阳厂扩大产能,支持绵阳远航电机有限公司建设新车间。",
    );
    assert_holds(&facts, "绵阳远航电机有限公司 locatedIn 绵阳高新区");
    assert_lacks(&facts, "恒达药业 locatedIn");
}

#[test]
fn a_company_short_name_ending_in_a_product_word_is_the_company() {
    assert_fact(
        "宜春恒锂电池科技有限公司今年扩大产能。恒锂电池牵头建设的动力电池联合实验室已投入运行。",
        "宜春恒锂电池科技有限公司 leads 动力电池联合实验室",
    );
}

#[test]
fn free_text_after_a_cue_verb_names_a_product_only_when_it_reads_as_a_noun_phrase() {
    // A cue inside a longer word (公开发行), a clause (提供了…, 存在对…), a time word
    // (年底) or a place word (国内) after the cue names no product.
    assert_no_fact_of(
        &[
            "远航电机有限公司客观上存在对分供方产品把关不严的问题。",
            "远航电机有限公司是目前研发出国内唯一最大机型的企业。",
            "远航电机有限公司新能源汽车量产提供了重要的基础。",
            "远航电机有限公司董事会通过了非公开发行股票的方案。",
            "东岭LED项目开发晶年底开工。",
        ],
        "produces",
    );
    assert_fact(
        "远航电机有限公司主要生产永磁同步电动机。",
        "远航电机有限公司 produces 永磁同步电动机",
    );
}

#[test]
fn a_project_names_its_builder_only_with_words_that_read_as_a_company_name() {
    assert_no_fact_of(
        &[
            "近海风电项目今年开工。",
            "全省公共建筑节能改造项目今年完工。",
            "较大型节能项目今年完工。",
        ],
        "builds",
    );
    assert_fact(
        "东岭康明斯重型发动机项目今年投产。",
        "东岭康明斯 builds 东岭康明斯重型发动机项目",
    );
}

#[test]
fn places_and_words_cut_at_a_classifier_are_no_products() {
    assert_no_fact_of(
        &[
            "远航食品有限公司开发东南亚、非洲等新兴市场。",
            "远航集团在江西投资建设3200万吨级炼油一体化项目。",
            "由于三大厂商的日本生产线都处于停滞状态,订单搁浅。",
        ],
        "produces",
    );
}

#[test]
fn a_trial_line_makes_what_its_name_says() {
    let facts = facts_of("三星显示公司宣布其第6代AM-OLED面板试验线投入使用。");
    assert!(
        facts.contains(
            &"第6代AM-OLED面板试验线 produces AM-OLED面板 (structure:product-in-project-name)"
                .to_string()
        ),
        "{facts:?}"
    );
}

#[test]
fn a_news_site_lies_in_no_park() {
    let facts = facts_of("绵阳高新区今年新增企业30家。新华网报道,绵阳远航电机有限公司扩大产能。");
    assert_holds(&facts, "绵阳远航电机有限公司 locatedIn 绵阳高新区");
    assert_lacks(&facts, "新华网 locatedIn");
}

#[test]
fn a_dateline_source_takes_part_in_no_fact() {
    // The source of a report, however it is named, lies in no park of what it
    // reports and makes none of the things the report's first sentence names.
    let text = "青林电视台消息(晚间新闻):各地推出特色活动丰富文旅供给。\n\
                央视网消息(新闻联播):青林高新区今年新增企业30家。央视快评指出,青林高新区发展迅速。\n\
                新华社消息:\n\
                青林高新区今年新增企业30家。\n\
                青林远航电机有限公司位于青林高新区,主要生产伺服电机。";
    let facts = facts_of(text);
    assert_holds(&facts, "青林远航电机有限公司 locatedIn 青林高新区");
    assert_holds(&facts, "青林远航电机有限公司 produces 伺服电机");
    assert_lacks(&facts, "青林电视台 ");
    assert_lacks(&facts, "央视网 ");
    assert_lacks(&facts, "新华社 ");
}

#[test]
fn what_a_sentence_says_of_its_park_needs_the_park_for_its_subject() {
    // A sentence that names another actor before what it says (a province, an
    // organisation) is about that one, not the park of its passage.
    let page =
        "###青林快讯\n青林高新区今年新增企业30家。\n明湖省着力培育新能源、新材料等产业集群。\n";
    assert_lacks(&facts_of(page), "青林高新区 inIndustry");
    let page =
        "###青林快讯\n青林高新区今年新增企业30家。\n园区着力培育新能源、新材料等产业集群。\n";
    assert_holds(&facts_of(page), "青林高新区 inIndustry 新能源");
    // On a page without a topic, a park named once a few sentences away is too
    // weak a guess; one the page names three times holds.
    let aside = "眼下,围绕数据跨境流动、服务业开放等重点领域,新的探索还在进行。";
    let once = format!("青林高新区举行招聘会。\n\n{aside}\n");
    assert_lacks(&facts_of(&once), "青林高新区 inIndustry");
    let often = format!(
        "明湖新区举行招聘会。明湖新区企业踊跃参加。明湖新区发布岗位。\n\n\
         青林高新区举行招聘会。青林高新区企业踊跃参加。青林高新区发布岗位。\n\n{aside}\n"
    );
    assert_holds(&facts_of(&often), "青林高新区 inIndustry 数据跨境流动");
}

#[test]
fn a_page_of_several_reports_places_nothing_in_a_park_of_another_report() {
    // A Markdown heading of the same level opens a new report: the zone of the
    // last one no longer holds; a plain subheading (创新平台提质增效) keeps it.
    let page = "###青林高新区新闻\n青林高新区今年新增企业30家。\n创新平台提质增效\n\
                青林华岳精工有限公司扩大产能。\n###国际快讯\n\
                明湖远航电机有限公司公布财报。\n";
    let facts = facts_of(page);
    assert_holds(&facts, "青林华岳精工有限公司 locatedIn 青林高新区");
    assert_lacks(&facts, "明湖远航电机有限公司 locatedIn");
    // So does a plain headline under a Markdown item (a news flash of its own).
    let page = "###国内快讯\n青林高新区首家企业总部投入使用\n\
                今年园区新增企业30家,发布岗位2000个,吸引了来自全国各地的求职者前来应聘。\n\
                ###国际快讯\n明湖远航电机有限公司公布财报,该公司第一季度营业收入同比增长12%。\n";
    assert_lacks(&facts_of(page), "明湖远航电机有限公司 locatedIn");
    // A park named once a few sentences away holds only for a sentence that
    // refers back to a park.
    let page = "青林高新区举行招聘会。\n\n明湖远航电机有限公司公布财报。\n\n\
                园区内的明湖华岳精工有限公司扩大产能。\n";
    let facts = facts_of(page);
    assert_lacks(&facts, "明湖远航电机有限公司 locatedIn");
    assert_holds(&facts, "明湖华岳精工有限公司 locatedIn 青林高新区");
}

#[test]
fn a_government_body_builds_projects_not_zones() {
    // A body plans or supports a zone (商务部将加快建设…); it may carry out a project.
    let facts = facts_of(
        "今年,商务部将加快建设青林自由贸易港。\
         财政部投资5亿元建设青林灌区节水改造项目。",
    );
    assert_lacks(&facts, "商务部 builds");
    assert_holds(&facts, "财政部 builds 青林灌区节水改造项目");
}

#[test]
fn a_national_body_is_not_placed_where_a_report_opens() {
    // 在湖南长沙,中国科学院…: a national body works there, it lies elsewhere; a
    // local company named the same way lies there.
    let facts = facts_of(
        "在湖南长沙,中国科学院的专家为数百名乡村教师授课。\
         在湖南长沙,青林远航电机有限公司扩建厂房。",
    );
    assert_lacks(&facts, "中国科学院 locatedIn");
    assert_holds(&facts, "青林远航电机有限公司 locatedIn 长沙市");
}

#[test]
fn places_the_divisions_contradict_are_not_stated() {
    let facts = facts_of(
        "宁夏新疆两地联合推介特色农产品。公司地址为兰州市金昌路12号。\
         在浙江杭州,市民踊跃参加活动;在襄阳高新区、樊城区,街道装扮一新。",
    );
    // Two provinces, or two cities of one province, side by side: neither holds the other.
    // A park named after its city lies in no other province or city.
    for wrong in [
        "新疆维吾尔自治区 locatedIn 宁夏回族自治区",
        "金昌市 locatedIn 兰州市",
        "襄阳高新区 locatedIn 浙江省",
        "襄阳高新区 locatedIn 杭州市",
    ] {
        assert_lacks(&facts, wrong);
    }
    for right in [
        "襄阳高新区 locatedIn 襄阳市",
        "樊城区 locatedIn 襄阳市",
        "杭州市 locatedIn 浙江省",
    ] {
        assert_holds(&facts, right);
    }
    assert_fact("襄阳高新区位于樊城区。", "襄阳高新区 locatedIn 樊城区");
}

#[test]
fn a_product_after_a_company_opens_with_no_verb_and_ends_with_no_adjective() {
    assert_no_fact_of(
        &[
            "法院认定宏达公司使用青禾字库产品并未侵权。",
            "远航科技公司电源事业部高级产品经理王明表示,新品将于年底上市。",
        ],
        "produces",
    );
    assert_fact(
        "宏达公司的青禾字库产品销往海外。",
        "宏达公司 produces 青禾字库",
    );
}

#[test]
fn a_company_said_to_be_a_kind_of_firm_works_in_that_industry() {
    assert_fact(
        "华岳精工有限公司是亚洲最大的精密轴承生产企业。",
        "华岳精工有限公司 inIndustry 精密轴承 (industry-is-free)",
    );
    assert_fact(
        "包括远航电子有限公司在内的多家国内光学镜头企业纷纷扩产。",
        "远航电子有限公司 inIndustry 光学镜头 (industry-including-free)",
    );
    // Ownership, listing or standing names no industry.
    assert_no_fact_of(
        &[
            "远航电子有限公司是一家知名民营企业。",
            "华岳精工有限公司是国内领先的高新技术企业。",
            "远航电子有限公司是一家老牌上市公司。",
        ],
        "inIndustry",
    );
}

#[test]
fn an_industry_taken_from_free_text_drops_its_scope_word() {
    let facts = facts_of("作为全区轨道交通装备产业的链主企业,华岳电气带动本地配套率提升。");
    assert_holds(&facts, "华岳电气 leadingCompanyOf 轨道交通装备产业");
    assert!(!facts.iter().any(|f| f.contains(" 全区")), "{facts:?}");
}

#[test]
fn buying_a_stake_makes_no_subsidiary() {
    assert_no_fact_of(
        &[
            "远航电子科技有限公司去年收购了华岳精工有限公司30%的股份。",
            "远航电子科技有限公司收购华岳精工有限公司部分股权。",
        ],
        "subsidiaryOf",
    );
    assert_fact(
        "远航电子科技有限公司去年收购了华岳精工有限公司,交易已完成。",
        "华岳精工有限公司 subsidiaryOf 远航电子科技有限公司",
    );
}

#[test]
fn a_partner_after_a_subsidiary_is_no_subsidiary() {
    let text = "华川集团旗下华川重工有限公司与远航电子有限公司签订了合作协议。";
    assert_fact(text, "华川重工有限公司 subsidiaryOf 华川集团");
    let facts = facts_of(text);
    assert_lacks(&facts, "远航电子有限公司 subsidiaryOf");
}

#[test]
fn a_rank_or_an_ownership_word_is_no_industry() {
    for text in [
        "远航电子有限公司是全球第一大光学镜头制造商。",
        "华川集团拥有包括华川重工有限公司在内的3家控股子公司。",
    ] {
        let facts = facts_of(text);
        assert!(
            !facts
                .iter()
                .any(|f| f.contains("inIndustry 第一大") || f.contains("inIndustry 控股")),
            "{facts:?}"
        );
    }
}

#[test]
fn an_adviser_works_for_the_company_that_names_him() {
    assert_fact(
        "远航节能科技有限公司首席顾问王建国指出,节能服务需要规范。",
        "王建国 worksFor 远航节能科技有限公司",
    );
}

#[test]
fn a_rubric_takes_no_part_in_what_its_sentence_says() {
    let facts = facts_of("###【央视快评】高标准建设明湖自由贸易港");
    assert_lacks(&facts, "央视 builds");
    assert_lacks(&facts, "央视网 builds");
}

#[test]
fn a_county_short_form_after_its_province_is_the_county() {
    let facts = facts_of("湖南新化去年建成了一批高标准农田。");
    assert_holds(&facts, "新化县 locatedIn 湖南省");
}

#[test]
fn a_place_stated_as_a_chain_of_regions_holds_the_subject_in_every_link() {
    let facts = facts_of("远航酒业有限公司位于湖南娄底新化县,已有百年历史。");
    for place in ["湖南省", "娄底市", "新化县"] {
        assert_holds(&facts, &format!("远航酒业有限公司 locatedIn {place}"));
    }
    // A region in the chain is placed by the divisions, not in the regions after it.
    assert_lacks(&facts, "娄底市 locatedIn 新化县");
}

#[test]
fn a_field_a_skill_or_an_aim_is_no_product() {
    assert_no_fact_of(
        &[
            "远航电子有限公司此前缺少量产经验和足够技术支持。",
            "华岳农业有限公司希望共同开发品种技术。",
        ],
        "produces",
    );
}

#[test]
fn a_zone_named_only_as_the_place_of_something_sets_no_passage() {
    let facts = facts_of(
        "6月20日,远航重工有限公司董事长李明在论坛上发言。\
         远航重工有限公司表示,位于德阳经开区的新工厂正式投产。此前华岳汽车也有此意。",
    );
    assert_holds(&facts, "远航重工有限公司 locatedIn 德阳经开区");
    assert_lacks(&facts, "华岳汽车 locatedIn");
}

#[test]
fn firms_named_after_an_industry_word_work_in_the_industry_the_text_names() {
    // 水泥厂 is one word; the industry takes the name the text gives it elsewhere.
    let facts = facts_of(
        "全球水泥业今年回暖。据悉,日、韩水泥厂包括远航电子科技有限公司、华岳精工有限公司等,均已扩产。",
    );
    assert_holds(&facts, "远航电子科技有限公司 inIndustry 水泥业");
    assert_holds(&facts, "华岳精工有限公司 inIndustry 水泥业");
    let facts = facts_of("而与钓具巨头远航电子科技有限公司相比,新厂商还缺少经验。");
    assert_holds(&facts, "远航电子科技有限公司 leadingCompanyOf 钓具");
    assert_fact(
        "远航电子科技有限公司、华岳精工有限公司相继进入储能行业。",
        "华岳精工有限公司 inIndustry 储能行业",
    );
    assert_fact(
        "钓具代理商远航电子科技有限公司王建国董事长表示,订单增长明显。",
        "远航电子科技有限公司 inIndustry 钓具",
    );
    // 大 of 大厂 is no part of the industry's name.
    assert_fact(
        "早在去年,日本一线钓具大厂如华川集团、远航集团等纷纷降价。",
        "华川集团 inIndustry 钓具 (industry-members-free)",
    );
    // A place, a count or an ownership word before 企业 names no industry.
    assert_no_fact_of(
        &[
            "今年,这些大陆企业包括远航电子科技有限公司、华岳精工有限公司等。",
            "远航电子有限公司是一家知名民营企业。",
            "当年,整合了包括远航电子科技有限公司在内的数家民营企业。",
        ],
        "inIndustry",
    );
}

/// In a group's own news a bare 集团 opening a clause is the group, and what a
/// clause says after 集团全资子公司B / A旗下B is said of B.
#[test]
fn a_group_named_as_the_group_and_its_subsidiaries() {
    let facts = facts_of(
        "湖北远航控股集团有限公司与云梦县人民政府签署合作协议。\
         集团党委书记、董事长王建国出席签约仪式。\
         此前，集团全资子公司远航冷链物流有限公司已在云梦县投资建设冷链物流园，计划投资8亿元。\
         集团所属华岳精工有限公司今年扩产。",
    );
    let group = "湖北远航控股集团有限公司";
    assert_holds(
        &facts,
        &format!("王建国 worksFor {group} (works-title-chain)"),
    );
    assert_holds(
        &facts,
        &format!("远航冷链物流有限公司 subsidiaryOf {group}"),
    );
    assert_holds(&facts, &format!("华岳精工有限公司 subsidiaryOf {group}"));
    assert_holds(&facts, "远航冷链物流有限公司 builds 冷链物流园");
    assert_lacks(&facts, &format!("{group} builds"));
    assert_lacks(&facts, &format!("{group} locatedIn 冷链物流园"));
    // Without a group the document is about, 集团 stands for nothing.
    assert_no_fact_of(
        &["集团党委书记、董事长王建国出席会议。远航电子有限公司今年扩产。"],
        "worksFor",
    );
}
