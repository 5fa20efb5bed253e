//! Towns, townships and villages below the counties of the region list.

use super::{Recognizer, SentenceContext};
use crate::mention::{Mention, Source};
use crate::normalize::is_cjk;
use crate::vocab::Class;

impl Recognizer {
    /// Whether a word can be the name part of a town or village (淅河 in 淅河镇):
    /// two or three characters, no function word, no word that describes rather than names.
    pub(super) fn is_place_stem(&self, w: &str, tag: &str) -> bool {
        (2..=3).contains(&w.chars().count())
            && w.chars().all(is_cjk)
            && !w.chars().any(|c| {
                let c = c.to_string();
                self.is("stop", &c) || self.is("free_item_stop", &c)
            })
            && !self.opens_with_pronoun(w)
            && ![
                "stop",
                "generic",
                "generic_qualifier",
                "kind_word",
                "lead_trim",
                "not_place_name",
            ]
            .iter()
            .any(|k| self.is(k, w))
            && !matches!(
                tag.chars().next(),
                Some('d' | 'p' | 'c' | 'u' | 'm' | 'q' | 'i' | 'l' | 'y' | 'o' | 'x')
            )
            && !(tag.starts_with('v') && tag != "vn")
    }

    /// Towns, townships and villages, below the counties of the region list:
    /// a two- or three-character place word before 镇 / 乡 / 村 / 街道 (淅河镇,
    /// 挑水村), or one unknown word ending with them (李冲村).
    pub(super) fn local_place_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let suffixes = self.word_set("local_place_suffix");
        for (i, t) in ctx.tokens.iter().enumerate() {
            let w = t.word;
            if suffixes.is_some_and(|s| s.contains(w)) && i > 0 {
                let p = &ctx.tokens[i - 1];
                if self.is_place_stem(p.word, p.tag) {
                    out.push(ctx.mention(p.start, t.end, Class::Region, None, Source::Suffix));
                }
            } else if !t.known
                && let Some(suffix) = self
                    .words("local_place_suffix")
                    .find(|s| w.ends_with(s.as_str()))
            {
                let stem = &w[..w.len() - suffix.len()];
                if self.is_place_stem(stem, "n") {
                    out.push(ctx.mention(t.start, t.end, Class::Region, None, Source::Suffix));
                }
            }
        }
    }
}
