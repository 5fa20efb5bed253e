#!/usr/bin/env python3
"""Turns data/samples/EXPECTED.md into gold files that `ikg eval` reads (relations and investments).

    python3 scripts/expected_to_gold.py data/samples/EXPECTED.md /tmp/sample-gold
    ikg build data/samples --store /tmp/samples.ikg
    ikg eval --gold /tmp/sample-gold --store /tmp/samples.ikg

Only the relation and investment figures are meaningful: EXPECTED.md lists facts, not every entity,
so entities.tsv here only carries the aliases the relation scorer needs (all typed Company).
"Implied" and "Not facts" sections are left out.
"""
import os
import re
import sys

PROPS = {"locatedIn", "leads", "coBuilds", "cooperatesWith", "builds", "inIndustry", "leadingCompanyOf",
         "hasHonor", "produces", "segmentOf", "subsidiaryOf", "worksFor"}


def main(src: str, out: str) -> None:
    os.makedirs(out, exist_ok=True)
    ents, rels, invs = [], [], []
    doc = None
    section = "facts"
    for line in open(src, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r"^## (\S+)\.txt", line)
        if m:
            doc, section = m.group(1), "facts"
            continue
        if doc is None:
            continue
        if line.startswith("Aliases:"):
            for group in re.split(r"[;；]", line[len("Aliases:"):]):
                names = [n.strip(" .。") for n in group.split("=") if n.strip(" .。")]
                names = [re.sub(r"\(.*?\)", "", n).strip() for n in names]
                if len(names) > 1:
                    ents.append(f"{doc}\tCompany\t{names[0]}\t{'|'.join(names[1:])}")
            continue
        low = line.lower()
        if low.startswith("investments"):
            section = "investments"
        elif low.startswith("**implied") or low.startswith("implied") or "not facts" in low:
            section = "skip"
        if not line.startswith("|") or line.startswith("|---"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        if section == "facts" and len(cells) >= 3 and cells[1] in PROPS:
            rels.append(f"{doc}\t{cells[0]}\t{cells[1]}\t{cells[2]}")
        elif section == "investments" and len(cells) >= 4:
            m = re.fullmatch(r"([\d,]+)(?:\s*yuan)?", cells[3])
            if m:  # amounts in US dollars are not yuan and are left out
                invs.append(f"{doc}\t{cells[1]}\t{m.group(1).replace(',', '')}")
    for name, rows in (("entities.tsv", ents), ("relations.tsv", rels), ("investments.tsv", invs)):
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + ("\n" if rows else ""))
    print(f"{len(rels)} relations, {len(invs)} investments, {len(ents)} alias groups -> {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: expected_to_gold.py EXPECTED.md OUT_DIR")
    main(sys.argv[1], sys.argv[2])
