"""Dump the stored reuse graph of a SQLite database as sorted text, to diff two ingests of one corpus.

    .venv/bin/python bench/ingest_speed.py --docs 2000 --seed 21 --keep bench/out/a.db
    .venv/bin/python bench/dump_graph.py bench/out/a.db > bench/out/a.txt   # the same for b, then diff

Every column of every reuse link (documents by external id, JSON columns as stored), every
lineage node (rank, original confidence, parents, cues), every fingerprint and anchor-term row,
every passage and passage vector, one line each, sorted: two ingests that stored the same graph
give identical files whatever the row ids. Why: a change to how ingest stores a batch must leave
the graph byte-identical.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys


def dump(path: str) -> list[str]:
    """The graph's rows as sorted lines (ids replaced by external ids)."""
    db = sqlite3.connect(path)
    ext = dict(db.execute("SELECT id, external_id FROM documents"))
    lines: list[str] = []
    cursor = db.execute("SELECT * FROM lineage_links")
    names = [d[0] for d in cursor.description]
    for row in cursor:
        values = dict(zip(names, row, strict=True))
        values.pop("id")
        values["a_id"], values["b_id"] = ext[values["a_id"]], ext[values["b_id"]]
        lines.append("link " + repr(sorted(values.items())))
    cursor = db.execute("SELECT * FROM lineage_nodes")
    names = [d[0] for d in cursor.description]
    for row in cursor:
        values = dict(zip(names, row, strict=True))
        values.pop("id", None)
        values["document_id"] = ext[values["document_id"]]
        lines.append("node " + repr(sorted(values.items())))
    for table, key in (("lineage_fingerprints", "hash"), ("lineage_terms", "term")):
        lines.extend(f"{table} {value} {ext[doc]}"
                     for value, doc in db.execute(f"SELECT {key}, document_id FROM {table}"))
    for table, key in (("lineage_fingerprint_df", "hash"), ("lineage_term_df", "term")):
        lines.extend(f"{table} {value} {df}" for value, df in db.execute(f"SELECT {key}, df FROM {table}"))
    lines.extend(f"passage {ext[doc]} {seq} {start} {end} {text!r}" for doc, seq, start, end, text in db.execute(
        'SELECT document_id, seq, start, "end", text FROM passages'))
    lines.extend(f"vector {ext[doc]} {seq} {model} {generation} {bytes(vector).hex()}"
                 for doc, seq, model, generation, vector in db.execute(
                     "SELECT p.document_id, p.seq, v.model, v.generation, v.vector FROM passage_vectors v "
                     "JOIN passages p ON p.id = v.passage_id"))
    return sorted(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("db")
    args = ap.parse_args()
    sys.stdout.writelines(line + "\n" for line in dump(args.db))
    return 0


if __name__ == "__main__":
    sys.exit(main())
