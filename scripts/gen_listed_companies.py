"""Regenerates data/listed_companies.tsv from a public list of the short names (证券简称) of the
A shares listed in Shanghai and Shenzhen: any CSV with a `name` column, such as a tushare
`stock_basic` export (ts_code,name,industry,symbol,market).

    pip install jieba
    python3 scripts/gen_listed_companies.py stock_basic.csv data > data/listed_companies.tsv

The list the bundled file was made from: repository yz6214589-hash/ai_huahua, path
data/stock_basic.csv, commit ebd741bf04e8fb9b5fd27c113e4128b1f2d7bcc2 (5,187 A shares, early 2026).
The cleaning rules are printed in the file's header (HEADER below).
"""
import csv
import os
import re
import sys

import jieba

HEADER = """\
# Short names (证券简称) of the companies listed in Shanghai and Shenzhen: general reference data
# from a public list, used like the known_company section of org_words.tsv (a mention of one on
# word boundaries is a company), but never in place of a name of the other reference dictionaries,
# and not where a noun continues it into a longer name (沧州明珠 + 服装商贸产业集群).
# Source: the tushare stock_basic export in repository yz6214589-hash/ai_huahua, path
# data/stock_basic.csv, commit ebd741bf04e8fb9b5fd27c113e4128b1f2d7bcc2 (5,187 A shares, early
# 2026). Regenerate with scripts/gen_listed_companies.py. Cleaning, in this order:
#   - markers dropped: risk (ST, *ST, 退市), first day of trading (N, C), S shares, and the
#     trailing share class (A, B, Ａ, Ｂ) and -U / -W / -UW / -WD; a name with the dividend
#     marker XD is left out (the marker takes the place of its last character: XD兴业银), and so
#     is a risk-marked name of two characters left (ST晨鸣: shortened to fit the marker);
#   - left out, since a text uses them as common words or as names of another kind:
#     * a name of the other data files (regions and their short forms, industries with or
#       without 产业 / 行业, product kinds, honours, government bodies, universities, name
#       suffixes): 太阳能, 农产品, 机器人, 鄂尔多斯;
#     * a word of jieba's dictionary tagged as a place (ns) or a foreign personal name (nrt),
#       tagged as a personal name (nr) of frequency 10 or more, or, unless tagged as an
#       organisation, other proper name or abbreviation (nt, nz, j), of frequency 20 or more:
#       五粮液, 王府井, 陆家嘴, 新动力, 阿拉丁;
#     * a name of two characters, or of numerals only (七一二);
#     * a name ending with a facility a company runs and texts name (港, 机场, 高铁, 铁路, 城):
#       唐山港, 京沪高铁;
#     * a name that splits into two everyday words, not ending with an organisation word (股份,
#       集团, 控股, 银行, 证券, 保险, 期货, 信托, 实业), where an everyday word is a place (a region
#       or its short form, 中国, 国际, 东方, 西部, …), a name of the other data files or a word of
#       jieba's dictionary of frequency 1000 or more (the second half also a word jieba tags as a
#       place), and the first half may also be one of 新大小老好全高多: 湖南发展, 航天科技,
#       中国软件, 上海临港, 新产业; the best-known of those are in known_company;
#     * two common phrases jieba's dictionary lacks: 线上线下, 海量数据.
# Columns: short name <TAB> listed_company
"""
# Words that end an organisation's name: a name ending with one stays whatever comes before.
ORG_HEADS = {'股份', '集团', '控股', '银行', '证券', '保险', '期货', '信托', '实业'}
# Words of place that are not administrative divisions.
PLACES = {'中国', '中华', '全国', '国际', '东方', '西部', '北方', '南方', '华东', '华南', '华北',
          '西南', '东北', '西北', '中原', '华中'}
# Single characters that make an everyday phrase with the word after them (新产业, 大智慧).
MODIFIERS = set('新大小老好全高多')
EVERYDAY_FREQ = 1000
NAME_TAGS = {'nt', 'nz', 'j'}
# Facilities a listed company runs, named after them in texts (唐山港, 上海机场, 京沪高铁).
FACILITIES = ('港', '机场', '高铁', '铁路', '城')
# Common phrases that jieba's dictionary lacks.
PHRASES = {'线上线下', '海量数据'}
CJK = '[\u4e00-\u9fff]'


def data_rows(data, name):
    for line in open(os.path.join(data, name), encoding='utf-8'):
        if line.strip() and not line.startswith('#'):
            yield line.rstrip('\n').split('\t')


def other_names(data):
    """Regions (and short forms), and every name of the other reference dictionaries."""
    regions = set()
    for r in data_rows(data, 'regions.tsv'):
        regions.add(r[1])
        if len(r) > 4:
            regions.update(x for x in r[4].split('|') if x)
    names = set(regions)
    for f in ('industries.tsv', 'products.tsv', 'honors.tsv', 'gov_bodies.tsv'):
        for r in data_rows(data, f):
            forms = [r[0]] + [x for x in (r[1].split('|') if len(r) > 1 else []) if x]
            names.update(forms)
            if f == 'industries.tsv':
                names.update(x + e for x in forms for e in ('产业', '行业'))
    for r in data_rows(data, 'institutions.tsv'):
        names.add(r[0])
        names.update(x for x in (r[2].split('|') if len(r) > 2 else []) if x)
    names.update(r[0] for r in data_rows(data, 'suffixes.tsv'))
    return regions, names


def clean(raw):
    """The name without markers, or None when the list's form is shortened."""
    if raw.startswith('XD'):
        return None
    name, risk = raw, False
    for marker in ('*ST', 'ST', '退市'):
        if name.startswith(marker):
            name, risk = name[len(marker):], True
            break
    name = re.sub(f'^[NCS](?={CJK})', '', name)
    name = re.sub('-[A-Z]+$', '', name)
    name = re.sub(f'(?<={CJK})[AＡBＢ]$', '', name)
    return None if risk and len(name) <= 2 else name


def main(src, data):
    jieba.setLogLevel(60)
    freq, tag = {}, {}
    for line in open(os.path.join(os.path.dirname(jieba.__file__), 'dict.txt'), encoding='utf-8'):
        p = line.split()
        if len(p) >= 2:
            freq[p[0]] = int(p[1])
            tag[p[0]] = p[2] if len(p) > 2 else ''
    regions, names = other_names(data)
    places = regions | PLACES

    def everyday(w, first):
        if len(w) == 1:
            return first and w in MODIFIERS
        return (w in places or w in names or freq.get(w, 0) >= EVERYDAY_FREQ
                or not first and tag.get(w) == 'ns')

    def keeps(n):
        if (n in names or n in PHRASES or len(n) <= 2 or n.endswith(FACILITIES)
                or re.fullmatch('[零一二三四五六七八九十百千]+', n)):
            return False
        if n in freq and (tag[n] in ('ns', 'nrt') or tag[n] not in NAME_TAGS and freq[n] >= 20
                          or tag[n] == 'nr' and freq[n] >= 10):
            return False
        return not any(n[i:] not in ORG_HEADS and everyday(n[:i], True) and everyday(n[i:], False)
                       for i in range(1, len(n)))

    seen = set()
    sys.stdout.write(HEADER)
    for row in csv.DictReader(open(src, encoding='utf-8')):
        n = clean(row['name'].strip())
        if n and n not in seen and keeps(n):
            seen.add(n)
            print(f'{n}\tlisted_company')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
