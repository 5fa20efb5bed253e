//! Normalise: repair the layout damage of PDF and web text and split it into sentences.
//!
//! Steps, in order: NFKC per character (full-width digits, letters and
//! punctuation to half-width); removal of spaces that fall between Chinese
//! characters or between Chinese and digits; rejoining of vertical text written
//! one character a line; rejoining of hard line breaks inside sentences; removal
//! of quote marks around short terms inside a word (`专精特新“小巨人”企业`); and
//! sentence splitting. Every character keeps its offset in the original file.

use unicode_normalization::UnicodeNormalization;

/// One sentence (or heading / caption line) of a document.
#[derive(Debug, Clone)]
pub struct Sentence {
    /// Index of the sentence in its document.
    pub index: usize,
    /// Normalised text.
    pub text: String,
    /// For each character of `text`, its character offset in the original file.
    pub origin: Vec<u32>,
    /// Index of the paragraph the sentence belongs to.
    pub paragraph: usize,
    /// A short line without final punctuation: a title, heading or caption.
    pub heading: bool,
    /// A dateline that opens a report (某某网消息(晚间新闻):): it names the report's
    /// source and states nothing about it.
    pub dateline: bool,
}

impl Sentence {
    /// Character offset of the sentence in the original file.
    pub fn offset(&self) -> usize {
        self.origin.first().copied().unwrap_or(0) as usize
    }
}

/// A character together with its offset in the original text.
type Ch = (char, u32);

/// Characters that end a sentence.
const SENTENCE_END: &[char] = &['。', '!', '?', '…'];
/// Characters after which a line is complete (a line ending otherwise continues).
const LINE_COMPLETE: &[char] = &['。', '!', '?', ';', ':', '…', '”', '」', '』'];
/// Characters after which a line certainly continues on the next one.
const LINE_CONTINUES: &[char] = &[',', '、', '—', '-', '(', '“', '《'];
/// Markers that start a caption or list heading line.
const LINE_MARKERS: &[char] = &['▲', '■', '●', '◆', '★', '□', '△', '◎', '•'];

/// Whether `c` is one of the CJK unified ideographs (U+4E00–U+9FFF), the
/// characters of almost all the text: letters, which NFKC leaves alone.
fn is_unified_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// Whether `c` is a letter or digit ([`char::is_alphanumeric`]), answered without
/// a table look-up for ASCII and the CJK unified ideographs (every one of which is a
/// letter), the characters of almost every test.
pub fn alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_unified_ideograph(c) || c.is_alphanumeric()
    }
}

/// Normalises a whole document and splits it into sentences.
pub fn normalize(text: &str) -> Vec<Sentence> {
    let lines = normalized_lines(text);
    let paragraphs = join_lines(lines);
    let mut sentences = Vec::new();
    for (p, para) in paragraphs.into_iter().enumerate() {
        let heading = is_heading(&para);
        let dateline = dateline_len(&para);
        for range in split_sentences(&para, dateline) {
            let is_dateline = range.start == 0 && dateline == Some(range.end);
            let stripped = strip_inner_quotes(&para[range]);
            let chunk = trim(&stripped);
            if chunk.is_empty() || !chunk.iter().any(|&(c, _)| alphanumeric(c)) {
                continue;
            }
            let mut text = String::with_capacity(chunk.len() * 3);
            text.extend(chunk.iter().map(|(c, _)| *c));
            sentences.push(Sentence {
                index: sentences.len(),
                text,
                origin: chunk.iter().map(|(_, o)| *o).collect(),
                paragraph: p,
                heading,
                dateline: is_dateline,
            });
        }
    }
    sentences
}

/// NFKC-normalises every character and cuts the text into lines,
/// dropping spaces that do not separate two Latin words or numbers.
fn normalized_lines(text: &str) -> Vec<Vec<Ch>> {
    let mut lines = Vec::new();
    // Offset of the next character in the original text.
    let mut o: u32 = 0;
    let mut rest = text;
    loop {
        // A line ends at \n, \r or \r\n.
        let end = rest
            .bytes()
            .position(|b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let mut line = Vec::with_capacity(end);
        for c in rest[..end].chars() {
            let at = o;
            o += 1;
            if matches!(c, '\u{200B}'..='\u{200D}' | '\u{FEFF}' | '\u{00AD}') {
                continue;
            }
            if is_unified_ideograph(c) {
                line.push((c, at));
                continue;
            }
            // NFKC of a full-width ASCII form (,:;()!? and digits) is its ASCII character.
            if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
                line.push((char::from_u32(c as u32 - 0xFEE0).unwrap_or(c), at));
                continue;
            }
            let mut push = |n: char| line.push((if n.is_whitespace() { ' ' } else { n }, at));
            if nfkc_stable(c) {
                push(c);
            } else {
                std::iter::once(c).nfkc().for_each(push);
            }
        }
        lines.push(drop_spaces(&line));
        let Some(&brk) = rest.as_bytes().get(end) else {
            break;
        };
        o += 1;
        let mut next = end + 1;
        if brk == b'\r' && rest.as_bytes().get(next) == Some(&b'\n') {
            o += 1;
            next += 1;
        }
        rest = &rest[next..];
    }
    lines
}

/// Whether NFKC leaves the character alone: ASCII, a CJK unified ideograph, or
/// what the Unicode quick check clears (most characters of a Chinese text).
fn nfkc_stable(c: char) -> bool {
    c.is_ascii()
        || is_unified_ideograph(c)
        || unicode_normalization::is_nfkc_quick(std::iter::once(c))
            == unicode_normalization::IsNormalized::Yes
}

/// Removes spaces unless they stand between two ASCII letters or digits.
fn drop_spaces(line: &[Ch]) -> Vec<Ch> {
    let mut out: Vec<Ch> = Vec::with_capacity(line.len());
    let mut i = 0;
    while i < line.len() {
        if line[i].0 == ' ' {
            let start = i;
            while i < line.len() && line[i].0 == ' ' {
                i += 1;
            }
            let before = out.last().map(|(c, _)| *c);
            let after = line.get(i).map(|(c, _)| *c);
            if let (Some(b), Some(a)) = (before, after)
                && b.is_ascii_alphanumeric()
                && a.is_ascii_alphanumeric()
                && !(b.is_ascii_digit() && a.is_ascii_digit())
            {
                out.push((' ', line[start].1));
            }
            continue;
        }
        out.push(line[i]);
        i += 1;
    }
    out
}

fn len(line: &[Ch]) -> usize {
    line.len()
}

/// Joins vertical text and hard-wrapped lines into paragraphs.
fn join_lines(lines: Vec<Vec<Ch>>) -> Vec<Vec<Ch>> {
    // Content lines, remembering whether a blank line preceded each.
    let content: Vec<(Vec<Ch>, bool)> = {
        let mut out = Vec::new();
        let mut blank_before = true;
        for l in lines {
            if l.is_empty() {
                blank_before = true;
            } else {
                out.push((l, blank_before));
                blank_before = false;
            }
        }
        out
    };
    let content = join_vertical(content);
    let typical = typical_line_length(&content);
    let wrapped = typical <= 60;
    let mut paragraphs: Vec<Vec<Ch>> = Vec::new();
    let mut open = false;
    let mut prev_len = 0;
    for (line, blank_before) in content {
        // In hard-wrapped text a line well over the width, with no comma, was
        // never wrapped: a headline or caption set apart (a page of several articles).
        let set_apart = wrapped
            && len(&line) * 2 > typical * 3
            && !line.iter().any(|(c, _)| matches!(c, ',' | '、'));
        if set_apart {
            paragraphs.push(line);
            open = false;
            continue;
        }
        let starts_marker = starts_with_marker(&line);
        if open && !starts_marker {
            let prev = paragraphs.last_mut().expect("open paragraph");
            // A blank line ends a paragraph unless the text is hard-wrapped, or
            // a long line broke off mid-sentence (a page break: 投资60亿元的随州火 | 电厂).
            if !blank_before || wrapped || prev_len >= LONG_LINE {
                prev.extend(line.iter().copied());
                open = continues(prev, typical, wrapped, &line);
                prev_len = len(&line);
                continue;
            }
        }
        open = !starts_marker && continues(&line, typical, wrapped, &line);
        prev_len = len(&line);
        paragraphs.push(line);
    }
    paragraphs
}

/// Whether a paragraph that ends with `line` goes on in the next line.
fn continues(text: &[Ch], typical: usize, wrapped: bool, line: &[Ch]) -> bool {
    let last_len = len(line);
    let Some(&(last, _)) = text.last() else {
        return false;
    };
    if LINE_CONTINUES.contains(&last) {
        return true;
    }
    // A closing quote ends a sentence only after a sentence mark (…。”);
    // a quoted word (“央”) may be cut from the rest of its sentence.
    let quoted_word = matches!(last, '”' | '」' | '』')
        && text.len() >= 2
        && !matches!(text[text.len() - 2].0, '。' | '!' | '?' | '…');
    if LINE_COMPLETE.contains(&last) && !quoted_word {
        return false;
    }
    // A photo credit (王松/摄) closes its caption.
    if last == '摄' && text.len() >= 2 && text[text.len() - 2].0 == '/' {
        return false;
    }
    // A long line cut without punctuation goes on in the next line (a blank line
    // between them still ends the paragraph unless the text is hard-wrapped).
    // In hard-wrapped text a shorter line goes on too when it reads as prose (it
    // holds a comma, or fills half the width) and is no numbered heading.
    let full = last_len * 10 >= typical * 7;
    let prose = line.iter().any(|(c, _)| matches!(c, ',' | '、')) || last_len * 2 >= typical;
    wrapped && (full || prose && !is_numbered_heading(line)) || last_len >= LONG_LINE
}

/// A line at least this long that stops without punctuation was cut mid-sentence.
const LONG_LINE: usize = 40;

/// A line that starts with a section number: 一、 (一) 1. 1、 第一.
fn is_numbered_heading(line: &[Ch]) -> bool {
    let s: String = line.iter().take(6).map(|(c, _)| *c).collect();
    let numerals = "一二三四五六七八九十";
    let mut chars = s.chars();
    match chars.next() {
        Some('(') => chars
            .next()
            .is_some_and(|c| numerals.contains(c) || c.is_ascii_digit()),
        Some('第') => true,
        Some(c) if numerals.contains(c) => s.chars().skip(1).take(2).any(|c| c == '、'),
        Some(c) if c.is_ascii_digit() => s.chars().skip(1).take(2).any(|c| matches!(c, '.' | '、')),
        _ => false,
    }
}

/// The 75th-percentile length of lines of six characters or more: the width
/// of a hard-wrapped text, or a paragraph's length in a text that is not.
fn typical_line_length(content: &[(Vec<Ch>, bool)]) -> usize {
    let mut lens: Vec<usize> = content
        .iter()
        .map(|(l, _)| len(l))
        .filter(|&n| n >= 6)
        .collect();
    if lens.is_empty() {
        return usize::MAX;
    }
    lens.sort_unstable();
    lens[lens.len() * 3 / 4]
}

/// Concatenates runs of three or more lines of one or two characters
/// (text laid out vertically) into a single line.
fn join_vertical(content: Vec<(Vec<Ch>, bool)>) -> Vec<(Vec<Ch>, bool)> {
    let mut out: Vec<(Vec<Ch>, bool)> = Vec::new();
    let mut run: Vec<(Vec<Ch>, bool)> = Vec::new();
    let flush = |run: &mut Vec<(Vec<Ch>, bool)>, out: &mut Vec<(Vec<Ch>, bool)>| {
        if run.len() >= 3 {
            let blank = run[0].1;
            let joined = run.drain(..).flat_map(|(l, _)| l).collect();
            out.push((joined, blank));
        } else {
            out.append(run);
        }
    };
    for item in content {
        if len(&item.0) <= 2 {
            run.push(item);
        } else {
            flush(&mut run, &mut out);
            out.push(item);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// Whether a line opens with a caption marker or a Markdown heading's `#`: it
/// starts a paragraph of its own and goes on in no other line.
fn starts_with_marker(line: &[Ch]) -> bool {
    line.first()
        .is_some_and(|(c, _)| LINE_MARKERS.contains(c) || *c == '#')
}

/// A paragraph that is a short line without final punctuation.
fn is_heading(para: &[Ch]) -> bool {
    let Some(&(last, _)) = para.last() else {
        return false;
    };
    len(para) <= 40 && !SENTENCE_END.contains(&last) && last != ',' && last != ';'
}

/// Splits a paragraph after each sentence-final mark (and any closing quotes after it),
/// as ranges of its characters.
/// A rubric in 【】 that opens a sentence (【新闻快评】, 【某某网】) is a sentence of its
/// own, and so is the `dateline` that opens the paragraph, of that many characters
/// (see [`dateline_len`]): their names are no part of what the sentence then says.
fn split_sentences(para: &[Ch], dateline: Option<usize>) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    if let Some(n) = dateline {
        out.push(0..n);
        start = n;
        i = n;
    }
    while i < para.len() {
        if para[start..i]
            .iter()
            .all(|&(c, _): &Ch| c.is_ascii_digit() || matches!(c, '.' | '、' | '#'))
            && para[i].0 == '【'
            && let Some(close) = para[i..].iter().take(32).position(|&(c, _)| c == '】')
            && i + close + 1 < para.len()
        {
            i += close + 1;
            out.push(start..i);
            start = i;
            continue;
        }
        let c = para[i].0;
        i += 1;
        if SENTENCE_END.contains(&c) {
            while i < para.len() && matches!(para[i].0, '”' | '」' | '』' | ')' | '…' | '。')
            {
                i += 1;
            }
            out.push(start..i);
            start = i;
        }
    }
    if start < para.len() {
        out.push(start..para.len());
    }
    out
}

/// The length of the dateline that opens a paragraph, if one does: a source of
/// up to 22 characters without punctuation that ends with 消息, 讯 or 日电, then a
/// remark in brackets of up to 24 characters (新闻联播, 记者 王芳), then a colon; either
/// the remark or the colon must be there (某某网消息(新闻联播):, 某某日报讯(记者 王芳)).
fn dateline_len(para: &[Ch]) -> Option<usize> {
    let source = para
        .iter()
        .take(22)
        .position(|&(c, _)| !alphanumeric(c) && c != ' ')?;
    let text: String = para[..source].iter().map(|&(c, _)| c).collect();
    let cue = ["消息", "讯", "日电"].iter().find(|c| text.ends_with(*c))?;
    // A source has a name of two characters or more (通讯 is a word, 本报讯 a dateline).
    if text.chars().count() < cue.chars().count() + 2 {
        return None;
    }
    let mut end = source;
    if para[end].0 == '(' {
        let close = para[end..].iter().take(26).position(|&(c, _)| c == ')')?;
        end += close + 1;
    }
    if para.get(end).is_some_and(|&(c, _)| c == ':') {
        end += 1;
    }
    (end > source).then_some(end)
}

/// Removes quote marks around a short term that sits inside a longer word,
/// e.g. `专精特新“小巨人”企业` → `专精特新小巨人企业`.
fn strip_inner_quotes(s: &[Ch]) -> std::borrow::Cow<'_, [Ch]> {
    let is_quote = |c: char| matches!(c, '“' | '「' | '\'' | '"');
    if !s.iter().any(|&(c, _)| is_quote(c)) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut drop = vec![false; s.len()];
    let mut i = 0;
    while i < s.len() {
        if is_quote(s[i].0) {
            let close = match s[i].0 {
                '“' => '”',
                '「' => '」',
                q => q,
            };
            if let Some(rel) = s[i + 1..].iter().take(9).position(|(c, _)| *c == close) {
                let j = i + 1 + rel;
                let inner = &s[i + 1..j];
                let word_before = i > 0 && is_cjk(s[i - 1].0);
                let word_after = s.get(j + 1).is_some_and(|(c, _)| is_cjk(*c));
                if !inner.is_empty()
                    && inner.iter().all(|&(c, _)| alphanumeric(c))
                    && word_before
                    && word_after
                {
                    drop[i] = true;
                    drop[j] = true;
                }
                i = j + 1;
                continue;
            }
        }
        i += 1;
    }
    s.iter()
        .zip(drop)
        .filter(|(_, d)| !d)
        .map(|(c, _)| *c)
        .collect()
}

fn trim(s: &[Ch]) -> &[Ch] {
    let start = s
        .iter()
        .position(|(c, _)| !c.is_whitespace() && !LINE_MARKERS.contains(c))
        .unwrap_or(s.len());
    let end = s
        .iter()
        .rposition(|(c, _)| !c.is_whitespace())
        .map_or(start, |e| e + 1);
    &s[start..end.max(start)]
}

/// Repairs the character confusions OCR leaves (纳人 → 纳入) in normalised
/// sentences. Each repair keeps the number of characters, so offsets into the
/// original text stay valid.
pub struct OcrRepair {
    damaged: Option<aho_corasick::AhoCorasick>,
    repaired: Vec<String>,
}

impl OcrRepair {
    /// Builds the repairer from (damaged, repaired) pairs.
    pub fn new(pairs: &[(String, String)]) -> Self {
        let damaged = (!pairs.is_empty()).then(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(pairs.iter().map(|(d, _)| d))
                .expect("OCR repair automaton")
        });
        OcrRepair {
            damaged,
            repaired: pairs.iter().map(|(_, r)| r.clone()).collect(),
        }
    }

    /// Repairs every sentence in place.
    pub fn apply(&self, sentences: &mut [Sentence]) {
        let Some(ac) = &self.damaged else { return };
        for s in sentences {
            if ac.is_match(&s.text) {
                s.text = ac.replace_all(&s.text, &self.repaired);
            }
        }
    }
}

/// Whether `c` is a CJK ideograph.
pub fn is_cjk(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphanumeric_is_that_of_the_standard_library() {
        let chars = (0u32..0x3000).chain(0x4E00..=0x9FFF).chain(0xFF00..0xFFFF);
        for c in chars.filter_map(char::from_u32) {
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn full_width_ascii_forms_are_their_nfkc() {
        for c in '\u{FF01}'..='\u{FF5E}' {
            let ascii = char::from_u32(c as u32 - 0xFEE0).expect("ASCII");
            assert_eq!(
                std::iter::once(c).nfkc().collect::<String>(),
                ascii.to_string()
            );
        }
    }

    fn texts(s: &str) -> Vec<String> {
        normalize(s).into_iter().map(|s| s.text).collect()
    }

    #[test]
    fn full_width_and_spaces() {
        assert_eq!(
            texts("２０２５年，全区有 7 个企业入 选ＡＢＣ名单。"),
            vec!["2025年,全区有7个企业入选ABC名单。"]
        );
        assert_eq!(texts("利用 5G 等新技术。"), vec!["利用5G等新技术。"]);
        assert_eq!(texts("Smart Grid 项目。"), vec!["Smart Grid项目。"]);
    }

    #[test]
    fn an_opening_rubric_is_a_sentence_of_its_own() {
        assert_eq!(
            texts("3.【晚间快评】扎实建设明湖新区。"),
            vec!["3.【晚间快评】", "扎实建设明湖新区。"]
        );
        assert_eq!(
            texts("###【晚间快评】扎实建设明湖新区"),
            vec!["###【晚间快评】", "扎实建设明湖新区"]
        );
        assert_eq!(
            texts("据悉,【快讯】栏目今日开通。"),
            vec!["据悉,【快讯】栏目今日开通。"]
        );
    }

    #[test]
    fn an_opening_dateline_is_a_sentence_of_its_own() {
        assert_eq!(
            texts("青林网消息(晚间新闻):青林高新区今年引进项目30个。"),
            vec!["青林网消息(晚间新闻):", "青林高新区今年引进项目30个。"]
        );
        assert_eq!(
            texts("明湖日报讯(记者 赵小川)明湖新区开工5个项目。"),
            vec!["明湖日报讯(记者赵小川)", "明湖新区开工5个项目。"]
        );
        assert_eq!(
            texts("青林网消息(晚间新闻):\n明湖新区开工5个项目。"),
            vec!["青林网消息(晚间新闻):", "明湖新区开工5个项目。"]
        );
        assert_eq!(
            texts("青林社明湖5月3日电:明湖新区开工5个项目。"),
            vec!["青林社明湖5月3日电:", "明湖新区开工5个项目。"]
        );
        // Not a dateline: no remark or colon after the cue, a cue word alone, or a
        // source that is not at the paragraph's start.
        for text in [
            "青林网消息称明湖新区开工5个项目。",
            "通讯(5G)产业链加快成链。",
            "据悉,青林网消息(晚间新闻):明湖新区开工5个项目。",
        ] {
            assert_eq!(texts(text), vec![text]);
        }
    }

    #[test]
    fn a_markdown_heading_joins_no_line() {
        let text = "### 【区域观察】多措并举 青林市加快打造装备制造产业集群高地 全面提升综合竞争力\n\
                    青林网消息(晚间新闻):青林市装备制造业产值增长12%。";
        assert_eq!(
            texts(text),
            vec![
                "###【区域观察】",
                "多措并举青林市加快打造装备制造产业集群高地全面提升综合竞争力",
                "青林网消息(晚间新闻):",
                "青林市装备制造业产值增长12%。"
            ]
        );
    }

    #[test]
    fn joins_hard_wrapped_lines_with_blank_lines_between() {
        let text = "芜湖卓越新能源科技有限公司营销中心总经\n\n理张明介绍说,今年以来公司产\n\n销两旺。\n\n重点项目\n\n新兴产业园区今年新签约项目十\n\n二个,合同金额八十亿元。";
        let s = normalize(text);
        let t: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(
            t,
            vec![
                "芜湖卓越新能源科技有限公司营销中心总经理张明介绍说,今年以来公司产销两旺。",
                "重点项目",
                "新兴产业园区今年新签约项目十二个,合同金额八十亿元。"
            ]
        );
        assert!(s[1].heading);
        assert!(!s[0].heading);
    }

    #[test]
    fn a_line_over_the_width_stands_apart() {
        let text = "这家企业今年新签订单三\n\n百台,产销两旺。 记者王明\n\n宜宾高新区一季度新签约项目12个 合同金额85亿元\n\n车间里,工人们正加紧生\n\n产,确保如期交付。";
        let s = normalize(text);
        let t: Vec<&str> = s.iter().map(|s| s.text.as_str()).collect();
        assert!(
            t.contains(&"宜宾高新区一季度新签约项目12个合同金额85亿元"),
            "{t:?}"
        );
        assert!(
            t.contains(&"车间里,工人们正加紧生产,确保如期交付。"),
            "{t:?}"
        );
    }

    #[test]
    fn a_line_ending_with_a_quoted_word_goes_on() {
        let text =
            "园区对接“双创”平台、“专”\n\n精特新企业,引进人才三百\n\n名。“我们很满意。”\n\n他说。";
        let t = texts(text);
        assert_eq!(
            t[0], "园区对接双创平台、“专”精特新企业,引进人才三百名。",
            "{t:?}"
        );
        assert_eq!(t.len(), 3, "{t:?}");
    }

    #[test]
    fn a_long_line_cut_mid_sentence_goes_on_after_a_blank_line() {
        // Paragraphs are long lines (no hard wrapping); a page break cut the first one.
        let long = "今年全区新开工重点项目四十二个,完成投资一百二十亿元,同比增长百分之十八,\
                    其中工业项目三十个,服务业项目十二个,投资六十亿元的青林火";
        let text = format!(
            "{long}\n\n电厂扩能项目进展顺利,年底前建成投用,新增装机容量二十万千瓦,\
             可满足园区企业用电需求,并为周边企业集中供热。\n\n第二段。"
        );
        let t = texts(&text);
        assert_eq!(t.len(), 2, "{t:?}");
        assert!(t[0].contains("青林火电厂扩能项目"), "{t:?}");
    }

    #[test]
    fn ocr_repairs_keep_offsets() {
        let repair = OcrRepair::new(&[("纳人省".into(), "纳入省".into())]);
        let text = "远航电子科技有限公司纳\n人省级名单,接纳人才,引人注目。";
        let mut s = normalize(text);
        repair.apply(&mut s);
        assert_eq!(
            s[0].text,
            "远航电子科技有限公司纳入省级名单,接纳人才,引人注目。"
        );
        assert_eq!(s[0].text.chars().count(), s[0].origin.len());
    }

    #[test]
    fn keeps_offsets_into_the_original() {
        let text = "标题\n\n株洲高新区 入选名单。第二句。";
        let s = normalize(text);
        let second = &s[2];
        assert_eq!(second.text, "第二句。");
        let orig: String = text.chars().skip(second.offset()).take(3).collect();
        assert_eq!(orig, "第二句");
        let first = &s[1];
        assert_eq!(first.text, "株洲高新区入选名单。");
        assert_eq!(
            first.origin[5] as usize,
            text.find('入').map(|b| text[..b].chars().count()).unwrap()
        );
    }

    #[test]
    fn vertical_text_and_captions() {
        let s = texts("新\n\n引\n\n擎\n\n▲ 德阳智造科技生产车间\n\n正文第一句。");
        assert_eq!(s, vec!["新引擎", "德阳智造科技生产车间", "正文第一句。"]);
    }

    #[test]
    fn strips_quotes_inside_words_only() {
        assert_eq!(
            texts("新增国家级专精特新“小巨人”企业1家,以“稳增长、强产业”为主线。"),
            vec!["新增国家级专精特新小巨人企业1家,以“稳增长、强产业”为主线。"]
        );
    }
}
