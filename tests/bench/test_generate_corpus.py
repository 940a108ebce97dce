"""The synthetic corpus generator (bench/generate_corpus.py) and the per-family lineage scores."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from bench.generate_corpus import FAMILIES, Doc, generate, plan, viral_plan, write
from bench.lineage import report_tables, score


def _body(text: str) -> str:
    """The article body of a generated text (byline, title, body, disclaimer)."""
    return text.split("\n\n")[2]


def _quotes(text: str) -> set[str]:
    return {q.rstrip(",.") for q in re.findall(r"\"([^\"]+)\"", text)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Doc], dict[str, Any], Path]:
    out = tmp_path_factory.mktemp("gen")
    docs = generate(300, seed=5)
    write(docs, out, dates=True)
    return docs, json.loads((out / "truth.json").read_text()), out


def test_same_seed_same_corpus_other_seed_another() -> None:
    def fingerprint(docs: list[Doc]) -> list[tuple[str, str, list[str], str, str | None]]:
        return [(d.id, d.text(), d.parents, d.family,
                 d.published_at.isoformat() if d.published_at else None) for d in docs]

    assert fingerprint(generate(150, seed=11)) == fingerprint(generate(150, seed=11))
    assert fingerprint(generate(150, seed=11)) != fingerprint(generate(150, seed=12))


def test_classic_family_is_not_changed_by_the_others() -> None:
    mixed = [d for d in generate(200, seed=3) if d.family == "classic"]
    alone = generate(len(mixed), seed=3, families=["classic"])
    assert [(d.id, d.text(), d.parents, d.published_at) for d in mixed] == \
        [(d.id, d.text(), d.parents, d.published_at) for d in alone]


def test_every_family_present_with_ground_truth(corpus: tuple[list[Doc], dict[str, Any], Path]) -> None:
    docs, truth, out = corpus
    assert len(docs) == 300 == len(truth)
    assert {t["family"] for t in truth.values()} == set(FAMILIES)
    manifest = [json.loads(line) for line in (out / "corpus.jsonl").read_text().splitlines()]
    assert [m["id"] for m in manifest] == list(truth)
    for doc_id, t in truth.items():
        assert t["dates"] in {"ok", "missing", "wrong"}
        assert all(p in truth for p in t["parents"])
        assert set(t["parents"]) <= set(t["acceptable"]) and doc_id not in t["acceptable"]
        assert t["root"] in truth and not truth[t["root"]]["parents"] or t["kind"] == "aggregation"
        if truth[doc_id]["dates"] == "missing":
            assert manifest[int(doc_id[1:])]["published_at"] is None
    assert {t["dates"] for t in truth.values()} == {"ok", "missing", "wrong"}
    inverted = [d for d, t in truth.items() if t["date_inverted"]]
    assert inverted and all(truth[d]["dates"] == "wrong" or any(truth[p]["dates"] == "wrong"
                                                               for p in truth[d]["parents"])
                            for d in inverted if truth[d]["family"] != "classic")


def test_same_event_reports_are_originals_sharing_quotations(corpus: tuple[list[Doc], dict[str, Any], Path]) -> None:
    docs, truth, _ = corpus
    events: dict[int, list[Doc]] = {}
    for d in docs:
        if d.family == "same-event":
            events.setdefault(d.story, []).append(d)
    assert events
    for reports in events.values():
        assert 2 <= len(reports) <= 3
        assert all(not truth[d.id]["parents"] and truth[d.id]["root"] == d.id for d in reports)
        assert len({d.outlet.name for d in reports}) == len(reports)
        shared = set.intersection(*(_quotes(_body(d.text())) for d in reports))
        assert shared
        # Narrative sentences (outside quotation marks) are worded independently.
        narrative = [{s for s in d.sentences if "\"" not in s} for d in reports]
        assert all(not (a & b) for i, a in enumerate(narrative) for b in narrative[i + 1:])


def test_excerpts_are_wholly_contained_in_their_original(corpus: tuple[list[Doc], dict[str, Any], Path]) -> None:
    docs, truth, _ = corpus
    by_id = {d.id: d for d in docs}
    briefs = [d for d in docs if d.kind == "brief"]
    digests = [d for d in docs if d.family == "excerpt" and d.kind == "aggregation"]
    assert briefs and digests
    for brief in briefs:
        source = by_id[brief.parents[0]]
        assert 2 <= len(brief.sentences) <= 4 and len(source.sentences) >= 15
        assert _body(brief.text()) in _body(source.text())
    for digest in digests:
        assert len(digest.parents) >= 3
        for flash in (by_id[p] for p in digest.parents):
            assert 2 <= len(flash.sentences) <= 4 and not flash.parents
            assert _body(flash.text()) in _body(digest.text())


def test_wire_cuts_keep_30_to_90_percent_with_the_lead(corpus: tuple[list[Doc], dict[str, Any], Path]) -> None:
    docs, truth, _ = corpus
    by_id = {d.id: d for d in docs}
    cuts = [d for d in docs if d.family == "wire-cut" and d.parents]
    assert cuts
    for cut in cuts:
        source = by_id[cut.parents[0]]
        kept = truth[cut.id]["kept"]
        assert kept[0] == 0 and kept == sorted(kept) and truth[cut.id]["of"] == len(source.sentences)
        assert 0.3 <= len(kept) / len(source.sentences) <= 0.9
        assert len(cut.sentences) == len(kept) + bool(cut.credited)
        assert source.outlet.wire and not cut.outlet.wire


def test_viral_copies_match_the_requested_sizes() -> None:
    docs = generate(40, seed=9, families=["viral"], viral_sizes=[5, 12])
    roots = [d for d in docs if not d.parents]
    assert [r.info["viral_size"] for r in roots] == [5, 12] and len(docs) == 5 + 12 + 2
    for root in roots:
        copies = [d for d in docs if d.parents == [root.id]]
        assert len(copies) == root.info["viral_size"]
        assert len({c.outlet.name for c in copies}) == len(copies)
        assert sum(bool(c.credited) for c in copies) == len(copies) // 2
        for c in copies:
            start, end = c.info["span"]
            assert 5 <= end - start <= len(root.sentences)
            assert c.kind == ("verbatim" if end - start == len(root.sentences) else "reprint")
            assert len(c.sentences) == end - start + (c.credited and root.outlet.name in c.sentences[-1])
            copied = [s for s in c.sentences if root.outlet.name not in s]
            assert copied == [s for s in root.sentences[start:end] if s in copied]
            assert len(copied) >= end - start - 1  # all but a lead that carries the credit
            assert (root.outlet.name in c.text()) == c.credited


def test_default_viral_mix_scales_with_the_corpus() -> None:
    assert viral_plan(300)[:4] == [5, 20, 50, 200]
    budgets, sizes = plan(2000, FAMILIES)
    assert {50, 200} <= set(sizes) and sum(s + 1 for s in sizes) <= budgets["viral"]
    _, small = plan(400, FAMILIES)
    assert small and max(small) < 50
    budgets, sizes = plan(500, FAMILIES, [5, 20, 50, 200])
    assert sizes == [5, 20, 50, 200] and sum(budgets.values()) <= 500


def test_versions_copies_attach_to_the_version_they_copied(corpus: tuple[list[Doc], dict[str, Any], Path]) -> None:
    docs, truth, _ = corpus
    by_id = {d.id: d for d in docs}
    updates = [d for d in docs if d.kind == "update"]
    assert updates
    for v2 in updates:
        v1 = by_id[v2.parents[0]]
        assert v1.outlet is v2.outlet and v1.info["version"] == 1 and v2.info["version"] == 2
        assert v2.sentences != v1.sentences
        assert truth[v2.id]["root"] == v1.id
    for copy in (d for d in docs if d.family == "versions" and d.parents and d.kind != "update"):
        source = by_id[copy.parents[0]]
        assert copy.info["version"] == source.info["version"]
        if source.kind == "update":  # a copy of v2 carries something v1 does not have
            v1 = by_id[source.parents[0]]
            assert any(s not in v1.sentences for s in copy.sentences if v1.outlet.name not in s)


def test_no_dates_and_a_perfect_answer_scores_one_per_family(tmp_path: Path) -> None:
    docs = generate(200, seed=2)
    write(docs, tmp_path, dates=False)
    truth = json.loads((tmp_path / "truth.json").read_text())
    assert {t["dates"] for t in truth.values()} == {"missing"}
    assert all(json.loads(line)["published_at"] is None
               for line in (tmp_path / "corpus.jsonl").read_text().splitlines())

    def ref(doc_id: str) -> dict[str, Any]:
        return {"document": {"external_id": doc_id}}

    answers = {d: {"parents": [ref(p) for p in t["parents"]], "origin": ref(t["root"])} for d, t in truth.items()}
    report = score(truth, answers)
    assert set(report["by_family"]) == set(FAMILIES)
    for row in report["by_family"].values():
        assert row["parent_precision"] in (1.0, None) and row["parent_recall"] in (1.0, None)
        assert row["root_accuracy"] == 1.0 and row["originals_kept_original"] in (1.0, None)
    assert all(r["origin_is_original"] == 1.0 and r["original_kept_original"] == r["stories"]
               for r in report["viral_by_size"].values())
    tables = report_tables(report)
    assert "same-event" in tables and "overall" in tables
