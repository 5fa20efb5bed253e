//! The core vocabulary of `SCHEMA.md`: classes, properties and the IRIs built from them.
//!
//! Every IRI the project writes is built here, through [`oxigraph::model::NamedNode`],
//! so that names coming from text never reach an IRI unchecked.

use oxigraph::model::NamedNode;
use std::fmt;

/// Namespace of the ontology terms (`ikg:`).
pub const IKG: &str = "https://w3id.org/ikg/ontology#";
/// Namespace of entity IRIs (`id:`); the local name is the canonical name.
pub const ID: &str = "https://w3id.org/ikg/id/";
/// Namespace of document IRIs (`doc:`), which also name the per-document graphs.
pub const DOC: &str = "https://w3id.org/ikg/doc/";
/// SKOS namespace.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// PROV-O namespace.
pub const PROV: &str = "http://www.w3.org/ns/prov#";

/// The prefixes every query and serialisation gets by default.
pub const PREFIXES: &[(&str, &str)] = &[
    ("ikg", IKG),
    ("id", ID),
    ("doc", DOC),
    ("skos", SKOS),
    ("prov", PROV),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
];

macro_rules! term_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $local:literal, $zh:literal, $en:literal;)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $(#[doc = $en] $variant,)* }

        impl $name {
            /// Every value, in schema order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Local name in the `ikg:` namespace, as used in gold files.
            pub fn local_name(self) -> &'static str {
                match self { $($name::$variant => $local,)* }
            }

            /// Chinese label.
            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)* }
            }

            /// English label.
            pub fn label_en(self) -> &'static str {
                match self { $($name::$variant => $en,)* }
            }

            /// Parses a local name (`Company`, `locatedIn`, …).
            pub fn from_local_name(s: &str) -> Option<Self> {
                match s { $($local => Some($name::$variant),)* _ => None }
            }

            /// The term's IRI.
            pub fn iri(self) -> NamedNode {
                NamedNode::new_unchecked(format!("{IKG}{}", self.local_name()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.local_name())
            }
        }
    };
}

term_enum! {
    /// An entity class of the schema.
    Class {
        Company => "Company", "企业", "company";
        GovernmentBody => "GovernmentBody", "政府机构", "government body";
        University => "University", "高校", "university";
        ResearchInstitute => "ResearchInstitute", "科研院所", "research institute";
        Park => "Park", "园区", "park";
        Region => "Region", "行政区", "region";
        Platform => "Platform", "平台", "platform";
        Project => "Project", "项目", "project";
        Industry => "Industry", "产业", "industry";
        Product => "Product", "产品", "product";
        Honor => "Honor", "荣誉", "honour";
        Person => "Person", "人物", "person";
    }
}

impl Class {
    /// Whether the class is a sub-class of `ikg:Organization`.
    pub fn is_organization(self) -> bool {
        matches!(
            self,
            Class::Company | Class::GovernmentBody | Class::University | Class::ResearchInstitute
        )
    }

    /// Whether the class is a sub-class of `ikg:Place`.
    pub fn is_place(self) -> bool {
        matches!(self, Class::Park | Class::Region)
    }

    /// Whether `self` is matched by a class name used in patterns: a class
    /// local name, `Organization`, `Place` or `Any`.
    pub fn matches_group(self, group: &str) -> bool {
        match group {
            "Any" => true,
            "Organization" => self.is_organization(),
            "Place" => self.is_place(),
            other => self.local_name() == other,
        }
    }
}

term_enum! {
    /// A relation property of the schema.
    Property {
        LocatedIn => "locatedIn", "位于", "located in";
        Leads => "leads", "牵头", "leads";
        CoBuilds => "coBuilds", "共建", "co-builds";
        CooperatesWith => "cooperatesWith", "合作", "cooperates with";
        Builds => "builds", "建设", "builds";
        InIndustry => "inIndustry", "属于产业", "in industry";
        LeadingCompanyOf => "leadingCompanyOf", "龙头企业", "leading company of";
        HasHonor => "hasHonor", "获得荣誉", "has honour";
        Produces => "produces", "生产", "produces";
        SegmentOf => "segmentOf", "产业链环节", "segment of";
        SubsidiaryOf => "subsidiaryOf", "子公司", "subsidiary of";
        WorksFor => "worksFor", "任职于", "works for";
    }
}

impl Property {
    /// Whether the property is symmetric (only `cooperatesWith`).
    pub fn is_symmetric(self) -> bool {
        self == Property::CooperatesWith
    }
}

/// An ontology term in the `ikg:` namespace that is not a class or relation.
pub fn ikg(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{IKG}{local}"))
}

/// A term in the SKOS namespace.
pub fn skos(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{SKOS}{local}"))
}

/// The IRI of an entity with the given canonical name.
///
/// Characters that may not appear in an IRI (space, `<>"{}|^\``, controls)
/// are percent-encoded; everything else, Chinese included, stays as written.
pub fn entity_iri(canonical: &str) -> NamedNode {
    NamedNode::new(format!("{ID}{}", iri_segment(canonical)))
        .expect("percent-encoded segment is a valid IRI")
}

/// The IRI of a source document, which is also its named graph.
pub fn document_iri(doc_id: &str) -> NamedNode {
    NamedNode::new(format!("{DOC}{}", iri_segment(doc_id)))
        .expect("percent-encoded segment is a valid IRI")
}

/// The IRI of the evidence node of one fact of a document.
pub fn fact_iri(doc_id: &str, n: usize) -> NamedNode {
    NamedNode::new(format!("{DOC}{}/fact/{n}", iri_segment(doc_id)))
        .expect("percent-encoded segment is a valid IRI")
}

/// Percent-encodes the characters of `s` that are not allowed in an IRI path
/// segment (RFC 3987 `ipchar`), plus `/`, `?` and `#`.
pub fn iri_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let keep = c.is_alphanumeric() && !c.is_ascii()
            || c.is_ascii_alphanumeric()
            || "-._~!$&'()*+,;=:@".contains(c)
            || (!c.is_ascii() && !c.is_control() && !c.is_whitespace());
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_iris_keep_chinese_and_escape_syntax() {
        assert_eq!(
            entity_iri("湖北金龙新材料有限公司").as_str(),
            "https://w3id.org/ikg/id/湖北金龙新材料有限公司"
        );
        assert_eq!(
            entity_iri("A <b> \"c\"/d").as_str(),
            "https://w3id.org/ikg/id/A%20%3Cb%3E%20%22c%22%2Fd"
        );
    }

    #[test]
    fn local_names_round_trip() {
        for c in Class::ALL {
            assert_eq!(Class::from_local_name(c.local_name()), Some(*c));
        }
        for p in Property::ALL {
            assert_eq!(Property::from_local_name(p.local_name()), Some(*p));
        }
    }
}
