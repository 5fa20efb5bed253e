//! Personal names: after or before a title, bylines and photo credits, foreign names.

use super::{Recognizer, SentenceContext, only_char};
use crate::mention::{Mention, Source};
use crate::normalize::is_cjk;
use crate::segment::Token;
use crate::vocab::Class;

impl Recognizer {
    /// A company named by a Latin word before the title at token `title`, with
    /// at most three place, market or title words between (Displaysearch大中华区
    /// 副总裁, Gartner中国区首席分析师).
    fn latin_employer(&self, ctx: &SentenceContext, title: usize, out: &mut Vec<Mention>) {
        let mut j = title.checked_sub(1);
        for _ in 0..3 {
            match j {
                Some(k)
                    if ["branch_place", "title_modifier"]
                        .iter()
                        .any(|kind| self.is(kind, ctx.tokens[k].word))
                        || ctx.tokens[k].word == "区" =>
                {
                    j = k.checked_sub(1)
                }
                _ => break,
            }
        }
        let Some(k) = j else {
            return;
        };
        let t = &ctx.tokens[k];
        let latin_name = t.tag == "eng"
            && t.word.chars().count() >= 2
            && t.word
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
            && t.word
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase());
        if latin_name && !out.iter().any(|m| m.start < t.end && t.start < m.end) {
            out.push(ctx.mention(t.start, t.end, Class::Company, None, Source::Context));
        }
    }

    /// A company named by a short name that opens a clause before a company
    /// post (`employer_title`) and a person's name (青禾卫浴董事长王松): two to
    /// four characters after punctuation or the sentence start, none of them a
    /// verb, conjunction, adverb, stop word or common word (但 + 红酒研究员… names
    /// no company); a product guessed there is that company.
    fn short_employer(&self, ctx: &SentenceContext, title: usize, out: &mut Vec<Mention>) {
        let end = ctx.tokens[title].start;
        let mut first = title;
        let mut chars = 0;
        while first > 0 {
            let p = &ctx.tokens[first - 1];
            if !p.word.chars().all(is_cjk) || chars >= 4 {
                break;
            }
            chars += p.word.chars().count();
            first -= 1;
        }
        let opens_clause = first == 0
            || !ctx.tokens[first - 1]
                .word
                .chars()
                .all(crate::normalize::alphanumeric);
        let words = &ctx.tokens[first..title];
        let start = ctx.tokens[first].start;
        let text = &ctx.text[start..end];
        let plain = words.iter().all(|w| {
            !w.tag.starts_with('v')
                && !self.is("employer_tag_stop", w.tag)
                && !self.is("stop", w.word)
                && !self.is("generic", w.word)
                && !self.is("title", w.word)
                && !self.opens_with_pronoun(w.word)
        });
        let name_like = words.len() >= 2 || words.iter().all(|w| !w.known || w.tag == "nz");
        if !(opens_clause && plain && name_like && (2..=4).contains(&text.chars().count()))
            || self.is_region_text(text)
        {
            return;
        }
        if let Some(m) = out
            .iter_mut()
            .find(|m| (m.start, m.end) == (start, end) && m.class == Class::Product)
        {
            m.class = Class::Company;
            m.source = Source::Context;
        } else if !out.iter().any(|m| m.start < end && start < m.end) {
            out.push(ctx.mention(start, end, Class::Company, None, Source::Context));
        }
    }

    /// Personal names next to a title, alone on a line (a byline), written in a
    /// foreign form, or in a photo credit.
    pub(super) fn person_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let before = out.len();
        self.find_person_mentions(ctx, out);
        // A country read as a name (塞尔维亚/nrt before 总统, 乌克兰/nr before 表示) is none.
        let found = out.split_off(before);
        out.extend(
            found
                .into_iter()
                .map(|m| self.without_glued_function_char(ctx, m))
                .filter(|m| !self.is("branch_place", &m.text)),
        );
    }

    /// A name the segmenter glued to the function character before it (同/p +
    /// 卡尼 as 同卡尼/nr after 习近平, 及 + 玛丽·居里) starts after that character.
    /// A character that is also a surname (向) is kept before a two-character
    /// rest, which may be its given name (向阳).
    fn without_glued_function_char(&self, ctx: &SentenceContext, m: Mention) -> Mention {
        let mut chars = m.text.chars();
        let Some(first) = chars.next() else {
            return m;
        };
        let rest = chars.as_str();
        let rest_len = rest.chars().count();
        let foreign = rest.contains('·');
        if m.class == Class::Person
            && self.is_char("person_glued_start", first)
            && rest_len >= 2
            && (!self.is_char("surname", first) || rest_len >= 3 || foreign)
        {
            ctx.mention(m.start + first.len_utf8(), m.end, m.class, None, m.source)
        } else {
            m
        }
    }

    /// The personal names of [`Recognizer::person_mentions`], countries among them.
    fn find_person_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let titles = self.word_set("title");
        for (i, t) in ctx.tokens.iter().enumerate() {
            if !titles.is_some_and(|s| s.contains(t.word)) {
                continue;
            }
            // Names after the title: 记者王松 / 总经理李元 / 通讯员张莹莹任广超.
            let mut pos = t.end;
            while let Some(len) = self.person_after(ctx, pos) {
                out.push(ctx.mention(pos, pos + len, Class::Person, None, Source::Context));
                pos += len;
                // Another name follows only as a whole tagged word (a byline of several reporters).
                if !ctx.token_starting_at(pos).is_some_and(|n| {
                    n.tag.starts_with("nr") && (2..=3).contains(&n.word.chars().count())
                }) {
                    break;
                }
            }
            // A Latin name before a title that a person's name follows (Gartner分析师
            // 王松, IDC中国区研究总监李元) is the organisation the person works for.
            if pos > t.end {
                self.latin_employer(ctx, i, out);
                if self.is("employer_title", t.word) {
                    self.short_employer(ctx, i, out);
                }
            }
            // Name before the title, as a tagged person name: 王松书记, 郝广华特约通讯员.
            let before = i
                .checked_sub(1)
                .filter(|&j| self.is("title_modifier", ctx.tokens[j].word))
                .map_or(i.checked_sub(1), |j| j.checked_sub(1));
            if let Some(j) = before {
                let p = &ctx.tokens[j];
                if p.tag.starts_with("nr") && (2..=4).contains(&p.word.chars().count()) {
                    let end = p.start + self.tagged_name_len(p);
                    out.push(ctx.mention(p.start, end, Class::Person, None, Source::Context));
                } else if let Some(start) = self.split_name_before(ctx, j) {
                    out.push(ctx.mention(start, p.end, Class::Person, None, Source::Context));
                }
            }
        }
        // A name tagged as such right before a verb of saying: 李明表示, 王芳指出;
        // with the surname the segmenter cut from it, tagged as a name too (丁/nr 薛林/nr 指出).
        let is_surname = |t: &Token| {
            t.tag.starts_with("nr") && only_char(t.word).is_some_and(|c| self.is_char("surname", c))
        };
        for (i, (t, next)) in ctx.tokens.iter().zip(ctx.tokens.iter().skip(1)).enumerate() {
            if t.tag.starts_with("nr")
                && (2..=3).contains(&t.word.chars().count())
                && t.word.chars().all(is_cjk)
                && self.starts_with_surname(t.word)
                && self.is("speech_verb", next.word)
            {
                let cut_surname = t.word.chars().count() == 2
                    && i.checked_sub(1).is_some_and(|p| is_surname(&ctx.tokens[p]));
                let start = if cut_surname {
                    ctx.tokens[i - 1].start
                } else {
                    t.start
                };
                out.push(ctx.mention(start, t.end, Class::Person, None, Source::Context));
            }
        }
        // A line that is only a name (an author's byline under an article): its
        // first and last words (punctuation aside) are all there is.
        let is_word = |t: &Token| t.word.chars().any(crate::normalize::alphanumeric);
        let first_word = ctx.tokens.iter().position(is_word);
        let last_word = ctx.tokens.iter().rposition(is_word);
        if let (Some(f), Some(l)) = (first_word, last_word) {
            let (first, last) = (&ctx.tokens[f], &ctx.tokens[l]);
            let one_word = f == l;
            let text = &ctx.text[first.start..last.end];
            let single_name = one_word && first.tag.starts_with("nr");
            let surname_first = !(one_word && first.known) && self.starts_with_surname(text);
            // A place or organisation (李村, 王集镇) is named by its suffix, not a person.
            let suffixed = || {
                self.words("local_place_suffix")
                    .chain(self.suffix_rules.iter().map(|r| &r.suffix))
                    .any(|x| text.ends_with(x.as_str()))
            };
            if (2..=3).contains(&text.chars().count())
                && text.chars().all(is_cjk)
                && (single_name || surname_first)
                && !suffixed()
            {
                out.push(ctx.mention(first.start, last.end, Class::Person, None, Source::Context));
            }
        }
        self.foreign_name_mentions(ctx, out);
        // A credit at the end of a caption or headline: 现场王松/摄, 见闻▶王松.
        let n = ctx.tokens.len();
        for (i, t) in ctx.tokens.iter().enumerate() {
            let credit = (t.word == "/" && ctx.tokens.get(i + 1).is_some_and(|m| m.word == "摄"))
                .then(|| i.checked_sub(1))
                .flatten()
                .or_else(|| (t.word == "▶" && i + 2 == n).then_some(i + 1));
            if let Some(j) = credit {
                let p = &ctx.tokens[j];
                if (2..=3).contains(&p.word.chars().count())
                    && p.word.chars().all(is_cjk)
                    && (p.tag.starts_with("nr") || !p.known || j > i)
                {
                    out.push(ctx.mention(p.start, p.end, Class::Person, None, Source::Context));
                }
            }
        }
    }

    /// A transliterated foreign name, given and family name joined by a middle
    /// dot (玛丽·居里): on each side of the dot, the run of words that are
    /// unknown, tagged as names or single characters (at most five characters),
    /// with no place and no stop word in it.
    fn foreign_name_mentions(&self, ctx: &SentenceContext, out: &mut Vec<Mention>) {
        let part = |i: usize| {
            let t = &ctx.tokens[i];
            t.word.chars().all(is_cjk)
                && !self.is_region_text(t.word)
                && !self.is("stop", t.word)
                && !self.is("conjunction", t.word)
                && (!t.known || t.tag.starts_with("nr") || t.word.chars().count() == 1)
        };
        let chars = |a: usize, b: usize| {
            ctx.text[ctx.tokens[a].start..ctx.tokens[b].end]
                .chars()
                .count()
        };
        for i in 1..ctx.tokens.len().saturating_sub(1) {
            if !matches!(ctx.tokens[i].word, "·" | "•" | "・") {
                continue;
            }
            let mut first = i;
            while first > 0 && part(first - 1) && chars(first - 1, i - 1) <= 5 {
                first -= 1;
            }
            let mut last = i;
            while last + 1 < ctx.tokens.len() && part(last + 1) && chars(i + 1, last + 1) <= 5 {
                last += 1;
            }
            if first < i && last > i && chars(first, last) >= 4 {
                let (start, end) = (ctx.tokens[first].start, ctx.tokens[last].end);
                out.push(ctx.mention(start, end, Class::Person, None, Source::Context));
            }
        }
    }

    /// Length in bytes of the name in a word tagged as a personal name: a name
    /// the segmenter guessed into the next word (高菲向 记者, 张晓宏向 记者) ends
    /// before it; a name its dictionary holds whole (a well-known person's) does not.
    fn tagged_name_len(&self, token: &Token) -> usize {
        let word = token.word;
        let chars = word.chars().count();
        match word.chars().last() {
            Some(c)
                if !token.known
                    && (chars == 3 || chars == 4 && self.starts_with_surname(word))
                    && self.is_char("name_stop_char", c) =>
            {
                word.len() - c.len_utf8()
            }
            _ => word.len(),
        }
    }

    /// Length in bytes of a name after a title that the segmenter split into a
    /// two-character name and its last character (刘国/nr 中/f, 王建/nr 红/a): the
    /// single character joins the name unless it is a function or stop character.
    fn split_name_len(&self, ctx: &SentenceContext, name: &Token) -> usize {
        let Some(next) = ctx.token_starting_at(name.end) else {
            return name.word.len();
        };
        let name_char = |c: char| is_cjk(c) && !self.is_char("name_stop_char", c);
        if only_char(next.word).is_some_and(name_char)
            && matches!(next.tag, "a" | "f" | "ag" | "ng" | "tg" | "nr")
        {
            return name.word.len() + next.word.len();
        }
        // An unknown word glued from the name's last character and a function
        // character (吴子/nr 凯在/p 论坛): that character ends the name.
        let mut cs = next.word.chars();
        match (cs.next(), cs.next(), cs.next()) {
            (Some(last), Some(stop), None)
                if !next.known && name_char(last) && self.is_char("name_stop_char", stop) =>
            {
                name.word.len() + last.len_utf8()
            }
            _ => name.word.len(),
        }
    }

    /// Whether `text` opens with a single-character surname (lexicon kind `surname`).
    fn starts_with_surname(&self, text: &str) -> bool {
        text.chars()
            .next()
            .is_some_and(|c| self.is_char("surname", c))
    }

    /// The start of a three-character name that the segmenter split into a
    /// two-character name and the single character at token `last` (吴子/nr 凯/nr
    /// before 秘书长), as [`Recognizer::split_name_len`] joins them after a title.
    fn split_name_before(&self, ctx: &SentenceContext, last: usize) -> Option<usize> {
        let name = &ctx.tokens[last.checked_sub(1)?];
        (name.tag.starts_with("nr")
            && name.word.chars().count() == 2
            && name.word.chars().all(is_cjk)
            && self.starts_with_surname(name.word)
            && self.split_name_len(ctx, name) == name.word.len() + ctx.tokens[last].word.len())
        .then_some(name.start)
    }

    /// Length in bytes of a personal name starting at `pos`, if one does.
    fn person_after(&self, ctx: &SentenceContext, pos: usize) -> Option<usize> {
        let rest = &ctx.text[pos..];
        let chars: Vec<char> = rest.chars().take(4).collect();
        let token = ctx.token_starting_at(pos);
        // A word tagged as a personal name right after a title is one, whatever its surname.
        if let Some(t) = token
            && t.tag.starts_with("nr")
            && (2..=3).contains(&t.word.chars().count())
            && t.word.chars().all(is_cjk)
        {
            if t.word.chars().count() == 2 {
                return Some(self.split_name_len(ctx, t));
            }
            return Some(self.tagged_name_len(t));
        }
        // A surname the segmenter cut from the rest of a name tagged after it
        // (古/a 特伦斯/nr): the name is both. A surname the segmenter read as a
        // function word joins only a two-character given name: after a
        // preposition (向/p, 于/p) one tagged as a name or an adjective, or
        // unknown (于/p 甜甜/a; not 向/p 世界/n); after an adverb, pronoun or
        // conjunction (曾/d, 何/r) a noun or an adjective too (何/r 建平/n; not
        // 曾/d 表示/v). Before a whole name (向/p 习近平) it is that function word.
        if let Some(t) = token
            && only_char(t.word).is_some_and(|c| self.is_char("surname", c))
        {
            let function_word = matches!(t.tag, "p" | "c" | "d" | "r") || t.tag.starts_with('u');
            let rest = ctx
                .token_starting_at(t.end)
                .filter(|rest| rest.word.chars().all(is_cjk) && !self.is("title", rest.word));
            let tagged_name = |r: &Token| r.tag.starts_with("nr");
            let given_name = |r: &Token| {
                tagged_name(r)
                    || !r.known
                    || matches!(r.tag, "nz" | "a")
                    || t.tag != "p" && matches!(r.tag, "n" | "ns" | "nt" | "ng" | "vn" | "an")
            };
            match rest.map(|r| (r, r.word.chars().count())) {
                Some((r, 2)) if given_name(r) => return Some(t.word.len() + r.word.len()),
                Some((r, 3 | 4)) if !function_word && tagged_name(r) => {
                    return Some(t.word.len() + self.tagged_name_len(r));
                }
                _ if function_word => return None,
                _ => {}
            }
        }
        // A known word that is no name (单位 after 主任) is none.
        let common_word = token
            .is_some_and(|t| t.known && t.word.chars().count() >= 2 && !t.tag.starts_with("nr"));
        if chars.len() < 2
            || common_word
            || !self.is_char("surname", chars[0])
            || !chars[..2].iter().all(|c| is_cjk(*c))
        {
            return None;
        }
        let three =
            chars.len() >= 3 && is_cjk(chars[2]) && !self.is_char("name_stop_char", chars[2]);
        let n = if three { 3 } else { 2 };
        Some(chars[..n].iter().map(|c| c.len_utf8()).sum())
    }
}
