"""Regenerates data/regions.tsv from the division codes shipped in the PyPI package cpca (MIT).

    pip download --no-deps -d /tmp/cpca cpca==0.5.5 && unzip -o -q /tmp/cpca/cpca-0.5.5-py3-none-any.whl -d /tmp/cpca/x
    pip install jieba
    python3 scripts/gen_regions.py /tmp/cpca/x/cpca/resources data/regions.tsv

County short forms that jieba knows as ordinary words (延长, 振兴, 东风) are left out.
"""
import csv, re, jieba, os, sys
SRC, OUT = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(os.path.join(SRC, 'adcodes.csv'), encoding='utf-8')))
nations = [r.strip().split(',')[0] for r in open(os.path.join(SRC, '56_nations.csv'), encoding='utf-8') if r.strip()]
nations = [n for n in nations if n and n != 'name']
nation_stems = sorted(set(nations + [n[:-1] for n in nations if n.endswith('族') and len(n) > 2]), key=len, reverse=True)
by_code = {r['adcode']: r['name'] for r in rows}
# jieba word frequencies and tags
dict_path = os.path.join(os.path.dirname(jieba.__file__), 'dict.txt')
freq = {}
for line in open(dict_path, encoding='utf-8'):
    p = line.split()
    if len(p) >= 3: freq[p[0]] = (int(p[1]), p[2])
COMMON = set('新建 新城 振兴 延长 友谊 会同 惠民 和平 新华 城关 开发 高新 新区 矿区 郊区 市中 中区 东区 西区 南区 北区 城区 江南 江北 河东 河西 城中 城东 城西 城南 城北 向阳 友好 胜利 建设 解放 红旗 人民 新城 中心 东方 西安 长安 青山 白云 铁东 铁西 新兴 永定 城厢 前进 立新 先锋 团结 光明 文化 和顺 安定 平安 东城 西城 南山 北山 东山 西山 金山 银川'.split())
KEEP_AMBIG = {'西安', '长安', '银川', '南山', '金山', '白云', '青山', '东城', '西城', '永定', '安定'}
def level(code):
    if code[2:] == '0'*10: return 'province'
    if code[4:] == '0'*8: return 'city'
    return 'county'
def strip_ethnic(s):
    changed = True
    while changed:
        changed = False
        for n in nation_stems:
            if s.endswith(n) and len(s) - len(n) >= 2:
                s = s[:-len(n)]; changed = True; break
    return s
dropped = []
def short_forms(name, lvl):
    forms = []
    if lvl == 'province':
        m = re.match(r'^(.+?)(省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)$', name)
        if m: forms.append(m.group(1))
    else:
        m = re.match(r'^(.+?)(自治州|自治县|自治旗|地区|林区|特区|盟|市|区|县|旗)$', name)
        if m:
            base = strip_ethnic(m.group(1))
            if len(base) >= 2 and base != name: forms.append(base)
    out = []
    for f in forms:
        if len(f) < 2: continue
        if lvl == 'county':
            fr = freq.get(f)
            if f in COMMON and f not in KEEP_AMBIG:
                dropped.append(f'{name}→{f}'); continue
            if fr and (fr[1] in ('v','vn','a','ad','an','d','i','l','c','p','u','r','m','t') or fr[1] == 'n' and fr[0] > 300):
                dropped.append(f'{name}→{f}'); continue
        out.append(f)
    return out
out = []
for r in rows:
    code, name = r['adcode'], r['name']
    if name in ('市辖区', '县', '省直辖县级行政区划', '自治区直辖县级行政区划'): continue
    lvl = level(code)
    parent = ''
    if lvl == 'city': parent = code[:2] + '0'*10
    elif lvl == 'county':
        c = code[:4] + '0'*8
        parent = c if c in by_code and by_code[c] not in ('市辖区','县','省直辖县级行政区划','自治区直辖县级行政区划') else code[:2] + '0'*10
    if parent and parent not in by_code: parent = ''
    out.append((code, name, lvl, parent, '|'.join(short_forms(name, lvl))))
out.sort()
names_present = {o[1] for o in out}
extra = [('810000000000','香港特别行政区','province','','香港'),('820000000000','澳门特别行政区','province','','澳门'),('710000000000','台湾省','province','','台湾')]
for e in extra:
    if e[1] not in names_present and e[0] not in by_code: out.append(e)
with open(OUT, 'w', encoding='utf-8') as f:
    f.write('# China\'s administrative divisions down to county level: general reference data.\n')
    f.write('# Source: the adcodes table shipped in the PyPI package cpca 0.5.5 (MIT licence), National Bureau of\n')
    f.write('# Statistics division codes. Short forms are derived by removing the level word (省/市/区/县/自治州 …) and\n')
    f.write('# ethnic designations; county short forms that are common words (和平, 新华, 城关, …) are left out.\n')
    f.write('# Columns: adcode <TAB> name <TAB> level (province|city|county) <TAB> parent adcode <TAB> short forms (|-separated)\n')
    for o in out: f.write('\t'.join(o) + '\n')
    f.write('# Short forms left out because they are common words: ' + ' '.join(dropped) + '\n')
levels = {}
for o in out: levels[o[2]] = levels.get(o[2], 0) + 1
print(levels, len(dropped))
codes = {o[0] for o in out}
bad = [o for o in out if o[3] and o[3] not in codes]
print('bad parents', len(bad))
for n in ['湖北省','随州市','曾都区','随县','广水市','襄阳市','襄州区','咸宁市','北京市','东城区','仙桃市','恩施土家族苗族自治州']:
    print([o for o in out if o[1]==n][:2])
