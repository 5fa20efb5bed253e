//! Reference-dictionary mentions: administrative divisions, honours, industries,
//! fixed government bodies and well-known companies, on word boundaries.

use super::{Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::vocab::Class;

impl Recognizer {
    /// Whether `text` is, as a whole, a region name or short form of the dictionary.
    pub(super) fn is_region_text(&self, text: &str) -> bool {
        self.is_dictionary_text(text, Class::Region)
    }

    /// Whether `text` is, as a whole, a dictionary name of `class`.
    pub(super) fn is_dictionary_text(&self, text: &str, class: Class) -> bool {
        self.dict.find(text).is_some_and(|m| {
            m.start() == 0
                && m.end() == text.len()
                && self.dict_entries[m.pattern().as_usize()].class == class
        })
    }

    /// The names of the reference dictionaries that stand on word boundaries.
    pub(super) fn dictionary_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        for m in self.dict.find_iter(ctx.text) {
            let e = &self.dict_entries[m.pattern().as_usize()];
            if !ctx.aligned(m.start(), m.end()) {
                continue;
            }
            if e.needs_boundary && !self.boundary_follows(ctx, m.end()) {
                continue;
            }
            // 城区, 郊区: district names that are far more often common nouns,
            // places only right after their city (大同市城区).
            if e.class == Class::Region
                && self.is("common_noun_place", &ctx.text[m.start()..m.end()])
                && !out
                    .iter()
                    .any(|o| o.class == Class::Region && o.end == m.start())
            {
                continue;
            }
            out.push(ctx.mention(
                m.start(),
                m.end(),
                e.class,
                Some(e.canonical.clone()),
                Source::Dictionary,
            ));
        }
    }

    /// Whether a bare industry name at `end` is followed by a list separator,
    /// punctuation or a sector word, rather than by more of a longer noun.
    fn boundary_follows(&self, ctx: &SentenceContext, end: usize) -> bool {
        let rest = &ctx.text[end..];
        match rest.chars().next() {
            None => true,
            Some(c) if !c.is_alphanumeric() => true,
            Some(_) => {
                let next = ctx
                    .token_starting_at(end)
                    .map(|t| t.word.as_str())
                    .unwrap_or("");
                self.is("industry_boundary", next)
            }
        }
    }
}
