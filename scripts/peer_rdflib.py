#!/usr/bin/env python3
"""Peer for `ikg bench`: the knowledge graph a researcher would build in Python.

Reads every given .txt file (or the .txt files of given folders), segments it with jieba.posseg,
takes jieba's name tags as entities (nr → Person, ns → Region, nt → Company), and puts each
document's entities into its own named graph of an rdflib Dataset, the way ikg does: a type, a
label and ikg:mentionedIn. Co-occurrence in a sentence gives no relation here; the point is the
cost of the segmenter plus an RDF store in Python, which any such pipeline pays at least.
Writes the dataset as N-Quads.

    python3 scripts/peer_rdflib.py --out /tmp/peer.nq ../shared/bench-corpus/news2011

Needs `pip install jieba rdflib`. `ikg bench` runs it when Python has both.
"""
import argparse
import os
import re

import jieba.posseg as pseg
from rdflib import Dataset, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

IKG = Namespace("https://w3id.org/ikg/ontology#")
ID = "https://w3id.org/ikg/id/"
DOC = "https://w3id.org/ikg/doc/"
CLASSES = {"nr": IKG.Person, "ns": IKG.Region, "nt": IKG.Company}
SENTENCE_END = re.compile(r"(?<=[。！？；\n])")


def text_files(paths):
    for path in paths:
        if os.path.isdir(path):
            for root, _, names in os.walk(path):
                for name in sorted(names):
                    if name.endswith(".txt"):
                        yield os.path.join(root, name)
        else:
            yield path


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, help="N-Quads file to write")
    parser.add_argument("inputs", nargs="+", help=".txt files or folders")
    args = parser.parse_args()
    dataset = Dataset()
    for path in text_files(args.inputs):
        stem = os.path.splitext(os.path.basename(path))[0]
        doc = URIRef(DOC + stem)
        graph = dataset.graph(doc)
        graph.add((doc, RDF.type, IKG.Document))
        for sentence in SENTENCE_END.split(read(path)):
            for word, flag in pseg.cut(sentence.strip()):
                cls = CLASSES.get(flag)
                if cls is None or len(word) < 2:
                    continue
                entity = URIRef(ID + word)
                graph.add((entity, RDF.type, cls))
                graph.add((entity, RDFS.label, Literal(word, lang="zh")))
                graph.add((entity, IKG.mentionedIn, doc))
    dataset.serialize(destination=args.out, format="nquads")


if __name__ == "__main__":
    main()
