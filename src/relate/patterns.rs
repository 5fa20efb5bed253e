//! Relation patterns: compiled from `data/patterns.tsv` to regular expressions over
//! typed sentences, where every mention is a `⟦Class#n⟧` placeholder.

use super::investments::amount_regex;
use super::{PatternError, Relator};
use crate::mention::Mention;
use crate::resources::{PatternSpec, PatternTarget, Resources};
use crate::vocab::{Class, Property};
use regex::Regex;
use std::fmt::Write;

/// What a slot of a pattern takes.
#[derive(Debug, Clone)]
pub(super) enum Slot {
    /// Existing mentions (one, or a coordinated list), whose text ends with
    /// `suffix` when one is given (`{O:Industry$产业链}`).
    Mentions { suffix: Option<String> },
    /// New mentions of `class` taken from free text.
    Free { class: Class, list: bool },
    /// The place the document is about (see [`topic`]); takes no text.
    Topic,
}

/// A pattern compiled to a regular expression over typed sentences, with its slots.
pub(super) struct CompiledPattern {
    pub(super) spec: PatternSpec,
    pub(super) regex: Regex,
    pub(super) subject: Option<Slot>,
    pub(super) object: Option<Slot>,
    /// Phrases holding a hedge word that state a fact of this kind all the
    /// same (合作意向 for cooperatesWith, 计划投资 for investmentYuan).
    pub(super) not_hedges: Vec<String>,
}

const ITEM_CHARS: &str = r"[^⟦⟧,。;:!?、的和与及等\s()“”《》]";
const SEPARATORS: &str = "(?:、|和|与|及|以及)";
/// In free industry names 及 joins two words of one name (生物医药及大健康).
const INDUSTRY_ITEM_CHARS: &str = r"[^⟦⟧,。;:!?、的和与等\s()“”《》]";
/// Bytes of lazy-DFA transition cache per pattern and thread. The patterns' gaps
/// and free names make many states; with a small cache the regex engine soon
/// leaves the lazy DFA for its other engines, which are faster on sentences this
/// short (news2011: 0.7 s of matching against 0.9 s with 256 KB, 1.1–1.3 s with 1–4 MB).
const PATTERN_DFA_CACHE: usize = 64 * 1024;
const INDUSTRY_SEPARATORS: &str = "(?:、|和|与|以及)";

impl Relator {
    /// Whether a hedge word stands in the match `start..end`, just before it or
    /// in the rest of its clause, outside the phrases in `not_hedges`.
    pub(super) fn hedged(
        &self,
        typed: &str,
        start: usize,
        end: usize,
        not_hedges: &[String],
    ) -> bool {
        let before: String = typed[..start]
            .chars()
            .rev()
            .take(6)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // The rest of the clause counts too: 总投资12亿元的X项目正在洽谈.
        let after: String = typed[end..]
            .chars()
            .take_while(|c| !matches!(c, ',' | '。' | ';' | '!' | '?'))
            .take(15)
            .collect();
        let mut span = strip_placeholders(&format!("{before}{}{after}", &typed[start..end]));
        for phrase in not_hedges {
            span = span.replace(phrase.as_str(), "");
        }
        self.hedges.iter().any(|h| span.contains(h.as_str()))
    }

    /// Whether `gap` between a company and the mention `next` makes `next` its
    /// subsidiary (旗下, 全资子公司, 所属的).
    pub(super) fn names_a_subsidiary(&self, gap: &str, next: &Mention) -> bool {
        next.class == Class::Company && self.subsidiary_after.is_match(&format!("{gap}⟦Company#0⟧"))
    }

    /// The subject text of a match: the `S` capture, but when that is one company
    /// followed by its subsidiary inside the match (集团全资子公司B在X投资建设Y),
    /// the subsidiary is what the clause is about, unless the pattern states the
    /// subsidiary relation itself.
    pub(super) fn clause_subject<'t>(
        &self,
        typed: &'t str,
        caps: &regex::Captures<'t>,
        target: PatternTarget,
    ) -> Option<&'t str> {
        let subject = caps.name("S")?;
        if target == PatternTarget::Relation(Property::SubsidiaryOf)
            || !subject.as_str().starts_with("⟦Company#")
            || placeholder_indices(subject.as_str()).len() != 1
        {
            return Some(subject.as_str());
        }
        let whole_end = caps.get(0).map_or(subject.end(), |m| m.end());
        match self
            .subsidiary_after
            .captures(&typed[subject.end()..])
            .and_then(|c| c.get(1))
        {
            Some(sub) if subject.end() + sub.end() <= whole_end => {
                Some(&typed[subject.end() + sub.start()..subject.end() + sub.end()])
            }
            _ => Some(subject.as_str()),
        }
    }
}

/// The longest name a free slot of `class` takes, in characters: project names
/// run longer than those of products and industries.
pub(super) fn free_name_limit(class: Class) -> usize {
    if class == Class::Project { 16 } else { 12 }
}

/// The words a free slot's name must end with (`$工厂|项目`, or `$lex:kind` for a
/// lexicon kind), as regular-expression alternatives, longest first.
fn free_suffix_alternatives(suffix: &str, res: &Resources) -> Result<String, String> {
    let mut words: Vec<&str> = match suffix.strip_prefix("lex:") {
        Some(kind) => res.words(kind).iter().map(String::as_str).collect(),
        None => suffix.split('|').collect(),
    };
    if words.is_empty() {
        return Err(format!("no words of kind {suffix:?} in lexicon.tsv"));
    }
    words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
    Ok(words
        .iter()
        .map(|w| regex::escape(w))
        .collect::<Vec<_>>()
        .join("|"))
}

/// Whether `rest` starts with a count of things (12家, 3个).
pub(super) fn counted(rest: &str) -> bool {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^(?:达到|达|共|累计)?\d+(?:家|个|项|所|座)").expect("count regex")
    })
    .is_match(rest)
}

/// Whether the subjects of a match are listed and closed by 等 before its
/// object (A、B等优势领域…集群): a count after the object then counts them.
pub(super) fn enumerated_subjects(typed: &str, caps: &regex::Captures) -> bool {
    match (caps.name("S"), caps.name("O")) {
        (Some(s), Some(o)) if s.end() <= o.start() => typed[s.end()..o.start()].starts_with('等'),
        _ => false,
    }
}

/// The separators of a coordinated list, compiled once.
pub(super) fn separators() -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(SEPARATORS).expect("separator regex"))
}

/// The separators between free names of a class.
pub(super) fn separators_for(class: Class) -> &'static Regex {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    if class == Class::Industry {
        RE.get_or_init(|| Regex::new(INDUSTRY_SEPARATORS).expect("separator regex"))
    } else {
        separators()
    }
}

/// The sentence with each mention replaced by `⟦Class#n⟧`.
pub fn typed_sentence(text: &str, mentions: &[Mention]) -> String {
    let mut out = String::with_capacity(text.len() + mentions.len() * 16);
    let mut pos = 0;
    for (i, m) in mentions.iter().enumerate() {
        if m.start < pos {
            continue;
        }
        out.push_str(&text[pos..m.start]);
        // Written in place: no string per placeholder.
        let _ = write!(out, "⟦{}#{i}⟧", m.class.local_name());
        pos = m.end;
    }
    out.push_str(&text[pos..]);
    out
}

pub(super) fn placeholder_indices(text: &str) -> Vec<usize> {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"⟦[A-Za-z]+#(\d+)⟧").expect("placeholder regex"))
        .captures_iter(text)
        .filter_map(|c| c[1].parse().ok())
        .collect()
}

/// The text with each placeholder replaced by its mention's text.
pub(super) fn fill_placeholders(text: &str, ms: &[Mention]) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"⟦[A-Za-z]+#(\d+)⟧").expect("placeholder regex"))
        .replace_all(text, |c: &regex::Captures| {
            c[1].parse::<usize>()
                .ok()
                .and_then(|i| ms.get(i))
                .map_or(String::new(), |m| m.text.clone())
        })
        .into_owned()
}

pub(super) fn strip_placeholders(text: &str) -> String {
    static RE: std::sync::OnceLock<Regex> = std::sync::OnceLock::new();
    RE.get_or_init(|| Regex::new(r"⟦[A-Za-z]+#\d+⟧").expect("placeholder regex"))
        .replace_all(text, "")
        .into_owned()
}

/// Compiles one pattern: slots and macros to regular-expression syntax.
pub(super) fn compile(
    spec: &PatternSpec,
    res: &Resources,
) -> Result<CompiledPattern, PatternError> {
    let err = |message: String| PatternError {
        id: spec.id.clone(),
        message,
    };
    let macro_re = Regex::new(r"\{([A-Za-z_][^{}]*)\}|…").expect("macro regex");
    let mut regex = String::new();
    let mut pos = 0;
    let (mut subject, mut object) = (None, None);
    for m in macro_re.find_iter(&spec.pattern) {
        regex.push_str(&spec.pattern[pos..m.start()]);
        pos = m.end();
        let text = m.as_str();
        if text == "…" {
            regex.push_str(r"(?:⟦[A-Za-z]+#\d+⟧|[^⟦⟧。!?;]){0,30}?");
            continue;
        }
        let inner = &text[1..text.len() - 1];
        if inner == "S:@topic" || inner == "O:@topic" {
            if inner.starts_with('S') {
                subject = Some(Slot::Topic);
            } else {
                object = Some(Slot::Topic);
            }
            continue;
        }
        if let Some(words) = word_macro(inner, res).map_err(err)? {
            regex.push_str(&words);
            continue;
        }
        match slot_macro(text, inner, res, &mut regex).map_err(err)? {
            Some(("S", slot)) => subject = Some(slot),
            Some((_, slot)) => object = Some(slot),
            None => {}
        }
    }
    regex.push_str(&spec.pattern[pos..]);
    // Every placeholder's index, from the macros or written in the pattern file, as
    // ASCII digits: half the automaton states of Unicode `\d` in every gap.
    let regex = regex.replace(r"#\d+⟧", "#[0-9]+⟧");
    // Each pattern's lazy DFA caches its transitions per thread; a small cache keeps
    // the memory of 150 patterns on every thread flat, and is faster here too.
    let compiled = regex::RegexBuilder::new(&regex)
        .dfa_size_limit(PATTERN_DFA_CACHE)
        .build()
        .map_err(|e| err(e.to_string()))?;
    if subject.is_none() {
        return Err(err("pattern has no S slot".into()));
    }
    if matches!(spec.target, PatternTarget::Relation(_)) && object.is_none() {
        return Err(err("relation pattern has no O slot".into()));
    }
    let target_name = match spec.target {
        PatternTarget::Relation(p) => p.local_name(),
        PatternTarget::Investment => "investmentYuan",
    };
    Ok(CompiledPattern {
        spec: spec.clone(),
        regex: compiled,
        subject,
        object,
        not_hedges: res
            .words(&format!("not_hedge_{target_name}"))
            .iter()
            .cloned()
            .collect(),
    })
}

/// The regular expression of a macro that stands for words, not a slot:
/// `{lex:kind}` (a word of a lexicon kind), `{amount}` and `{role}` (a job
/// title); None for any other macro.
fn word_macro(inner: &str, res: &Resources) -> Result<Option<String>, String> {
    if let Some(kind) = inner.strip_prefix("lex:") {
        let mut words: Vec<&String> = res.words(kind).iter().collect();
        if words.is_empty() {
            return Err(format!("no words of kind {kind:?} in lexicon.tsv"));
        }
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alts: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        return Ok(Some(format!("(?:{})", alts.join("|"))));
    }
    if inner == "amount" {
        return Ok(Some(format!("(?P<A>{})", amount_regex())));
    }
    if inner == "role" {
        let mut regex = String::from(r"(?P<R>[^⟦⟧,。;:!?、的和与及等\s]{0,8}?");
        let mut words: Vec<&String> = res.words("title").iter().collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alts: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        regex.push_str(&format!("(?:{}))", alts.join("|")));
        return Ok(Some(regex));
    }
    Ok(None)
}

/// Adds the regular expression of a slot macro (`{S:Company}`, `{O+~:Product$项目}`,
/// `{_:Park}`) to `regex`, and returns the slot it fills: `S` or `O` with what
/// it takes, none for `_` (context that must be there but takes no part in the fact).
fn slot_macro<'a>(
    text: &str,
    inner: &'a str,
    res: &Resources,
    regex: &mut String,
) -> Result<Option<(&'a str, Slot)>, String> {
    let Some((head, classes)) = inner.split_once(':') else {
        return Err(format!("unknown macro {text}"));
    };
    let name = &head[..1];
    if name != "S" && name != "O" && name != "_" {
        return Err(format!("slot must be S, O or _: {text}"));
    }
    let flags = &head[1..];
    let list = flags.contains('+');
    let free = flags.contains('~');
    let (classes, suffix) = match classes.split_once('$') {
        Some((c, x)) => (c, Some(x.to_string())),
        None => (classes, None),
    };
    let class_names: Vec<&str> = classes.split('|').collect();
    let mut alternatives = Vec::new();
    for c in &class_names {
        let matching: Vec<&str> = crate::vocab::Class::ALL
            .iter()
            .filter(|k| k.matches_group(c))
            .map(|k| k.local_name())
            .collect();
        if matching.is_empty() {
            return Err(format!("unknown class {c:?}"));
        }
        alternatives.extend(matching);
    }
    let one = format!("⟦(?:{})#\\d+⟧", alternatives.join("|"));
    if name == "_" {
        // Context that must be there but takes no part in the fact.
        if list {
            regex.push_str(&format!("{one}(?:{SEPARATORS}{one})*"));
        } else {
            regex.push_str(&one);
        }
        return Ok(None);
    }
    let slot = if free {
        let class = Class::from_local_name(class_names[0])
            .ok_or_else(|| "free slot needs one class".to_string())?;
        regex.push_str(&free_slot_regex(name, class, list, suffix.as_deref(), res)?);
        Slot::Free { class, list }
    } else {
        if list {
            regex.push_str(&format!("(?P<{name}>{one}(?:{SEPARATORS}{one})*)"));
        } else {
            regex.push_str(&format!("(?P<{name}>{one})"));
        }
        Slot::Mentions { suffix }
    };
    Ok(Some((name, slot)))
}

/// The regular expression of a free slot named `name`: a mention, free text, or
/// free text around mentions (精密⟦Industry#1⟧), ending with one of the words
/// `suffix` gives when it gives any; a list of them when `list`.
fn free_slot_regex(
    name: &str,
    class: Class,
    list: bool,
    suffix: Option<&str>,
    res: &Resources,
) -> Result<String, String> {
    let (chars, seps) = if class == Class::Industry {
        (INDUSTRY_ITEM_CHARS, INDUSTRY_SEPARATORS)
    } else {
        (ITEM_CHARS, SEPARATORS)
    };
    // A project's name may hold a remark in brackets (5.5代OLED(有机发光)面板生产线).
    let remark = if class == Class::Project {
        r"|\([^()⟦⟧,。]{1,10}\)"
    } else {
        ""
    };
    let longest = free_name_limit(class);
    let item = match suffix {
        // The name ends with one of the given words (…生产工厂, …项目).
        Some(x) => format!(
            "(?:⟦[A-Za-z]+#\\d+⟧|{chars}{remark}){{0,{}}}(?:{})",
            longest - 1,
            free_suffix_alternatives(x, res)?
        ),
        None => format!("(?:⟦[A-Za-z]+#\\d+⟧|{chars}{remark}){{1,{longest}}}"),
    };
    Ok(if list {
        format!("(?P<{name}>{item}(?:{seps}{item})*)")
    } else {
        format!("(?P<{name}>{item})")
    })
}
