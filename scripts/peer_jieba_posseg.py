#!/usr/bin/env python3
"""Peer baseline for `ikg eval`: entities from jieba's own part-of-speech names.

Segments every .txt file of a folder with jieba.posseg (the Python library, `pip install jieba`)
and writes what a researcher would get from its name tags as an entities.tsv in the gold format
of SCHEMA.md: nr → Person, ns → Region, nt → Company (jieba has a single organisation tag; it is
mapped to the most common organisation class). Score it with the same scorer as ikg:

    python3 scripts/peer_jieba_posseg.py ../shared/corpus /tmp/jieba-peer
    ikg eval --gold ../shared/gold --system /tmp/jieba-peer

Text is NFKC-normalised and hard line breaks inside sentences removed first, so that the
comparison measures recognition, not layout repair.
"""
import os
import re
import sys
import unicodedata

import jieba.posseg as pseg

CLASSES = {"nr": "Person", "ns": "Region", "nt": "Company"}


def clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    # Remove line breaks and spaces between CJK characters.
    return re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", text)


def main(corpus: str, out_dir: str) -> None:
    os.makedirs(out_dir, exist_ok=True)
    rows = []
    for name in sorted(os.listdir(corpus)):
        if not name.endswith(".txt"):
            continue
        doc = name[:-4]
        with open(os.path.join(corpus, name), encoding="utf-8") as f:
            text = clean(f.read())
        seen = set()
        for word, flag in pseg.cut(text):
            cls = CLASSES.get(flag)
            if cls and len(word) >= 2 and (cls, word) not in seen:
                seen.add((cls, word))
                rows.append(f"{doc}\t{cls}\t{word}\t")
    with open(os.path.join(out_dir, "entities.tsv"), "w", encoding="utf-8") as f:
        f.write("# jieba.posseg names (nr, ns, nt) as entities\n")
        f.write("\n".join(rows) + "\n")
    for extra in ("relations.tsv", "investments.tsv"):
        open(os.path.join(out_dir, extra), "w", encoding="utf-8").close()
    print(f"{len(rows)} entities written to {out_dir}/entities.tsv")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: peer_jieba_posseg.py CORPUS_DIR OUT_DIR")
    main(sys.argv[1], sys.argv[2])
