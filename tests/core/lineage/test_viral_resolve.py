"""A widely copied story resolves as it did before its comparisons were shared between copies.

``resolve`` compares a third document's aligned passages with both sides of a pair for every
pair of a story's copies (cubic in the story's size); the comparisons are now made once per
distinct pair of passage maps (``witnesses.PassageTable``/``Comparisons``), and the triad, the
explained-siblings and the earlier-versions rules look only at the partners that can count. These
tests build one story copied by many outlets -- verbatim, credited and cut copies, copies of a
cut, an outlet's update and its copies, right, wrong and missing dates -- and check each shortcut
against the plain computation it replaces (written out here as it was), and ``resolve`` with and
without the memo.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from service.core.lineage import resolve as resolve_module
from service.core.lineage.direction import source_probability
from service.core.lineage.readings import _interned_readings, reading_counts, witness_readings
from service.core.lineage.records import PairRecord
from service.core.lineage.resolve import _explained_siblings, _kept, _triad_adjust, resolve
from service.core.lineage.witnesses import (
    Comparisons,
    _interned_counts,
    passage_table,
    witness_counts,
    witness_vote,
)

SENTENCES = 12
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def _story(copies: int, seed: int) -> tuple[list[PairRecord], dict[int, str], dict[int, datetime | None]]:
    """A wire story (0), its update by the same outlet (1, adds sentence 12, corrects sentence 3),
    and ``copies`` copies by other outlets of either: the first k sentences (some a later window),
    word for word, under a credit line, or cut with an edited sentence; a few copies of a cut copy
    carry its edit. Every pair sharing text is linked (a clique, as stored for viral stories)."""
    rng = random.Random(seed)
    # Each document: story sentence -> (own seq, reading); reading 0 the wire's, others edits.
    docs: dict[int, dict[int, tuple[int, int]]] = {0: {s: (s, 0) for s in range(SENTENCES)}}
    docs[1] = {s: (s, 1 if s == 3 else 0) for s in range(SENTENCES + 1)}
    credited: set[int] = set()
    parent: dict[int, int] = {1: 0}
    published: dict[int, datetime | None] = {0: T0, 1: T0 + timedelta(hours=1)}
    for node in range(2, copies + 2):
        kind = rng.choice(["verbatim", "credited", "cut", "of-cut", "of-update"])
        cuts = [n for n in docs if n >= 2 and parent.get(n) == 0 and any(r == 2 for _, r in docs[n].values())]
        source = 1 if kind == "of-update" else (rng.choice(cuts) if kind == "of-cut" and cuts else 0)
        held = sorted(docs[source])
        k = rng.randint(5, len(held))
        start = rng.choice([0, 0, 0, rng.randint(0, len(held) - k)])
        taken = held[start:start + k]
        offset = 1 if kind == "credited" else 0  # the credit line is the copy's first passage
        own = {s: (i + offset, docs[source][s][1]) for i, s in enumerate(taken)}
        if kind == "cut" and len(taken) > 6:
            del own[taken[len(taken) // 2]]  # a sentence of the middle dropped
            edited = taken[rng.randint(1, len(taken) // 2 - 1)]
            own[edited] = (own[edited][0], 2)  # a few words swapped
        if kind == "credited":
            credited.add(node)
        docs[node] = own
        parent[node] = source
        when = rng.random()
        published[node] = (None if when < 0.1 else T0 - timedelta(hours=2) if when < 0.2
                            else T0 + timedelta(hours=2 + node))
    records = []
    for a in sorted(docs):
        for b in sorted(docs):
            if b <= a:
                continue
            common = sorted(docs[a].keys() & docs[b].keys())
            if len(common) < 2:
                continue
            sims = {s: 1.0 if docs[a][s][1] == docs[b][s][1] else 0.82 for s in common}
            a_passages = {docs[a][s][0]: sims[s] for s in common}
            b_passages = {docs[b][s][0]: sims[s] for s in common}
            mutations = sum(1 for s in common if sims[s] < 1.0)
            same_outlet = {a, b} == {0, 1}
            cited = 1 if b in credited and parent[b] == a else 0
            # The pair's own evidence: the documented source by 2.5 (a credit adds 3), copies of
            # one source by a lean from their lengths; the dates as ``direction`` adds them.
            if parent.get(b) == a:
                direction = 2.5 + 3.0 * cited
            else:
                direction = 0.3 * (len(docs[a]) - len(docs[b])) / SENTENCES
            direction = round(direction + rng.uniform(-0.4, 0.4), 3)
            records.append(PairRecord(
                a, b, round(len(common) / max(len(docs[a]), len(docs[b])), 4), direction, mutations, True,
                len(common), "verbatim", "verbatim", 1.0 if not mutations else 0.9,
                (min(a_passages), max(a_passages)), (min(b_passages), max(b_passages)),
                round(len(common) / len(docs[a]), 4), round(len(common) / len(docs[b]), 4), cited,
                a_passages, b_passages, same_outlet, 1 if same_outlet else 0))
    keys = {node: f"h{node:04d}" for node in docs}
    return records, keys, published


def _shared(records: list[PairRecord]) -> dict[int, dict[int, Mapping[int, float]]]:
    shared: dict[int, dict[int, Mapping[int, float]]] = {}
    for r in records:
        if r.linked and r.a_passages and r.b_passages:
            shared.setdefault(r.a, {})[r.b] = r.a_passages
            shared.setdefault(r.b, {})[r.a] = r.b_passages
    return shared


@pytest.mark.parametrize("seed", [3, 11])
def test_witness_and_reading_counts_from_the_table_equal_the_plain_counts(seed: int) -> None:
    records, _, _ = _story(60, seed)
    shared = _shared(records)
    table = passage_table(records)
    votes, readings = Comparisons(table, witness_vote), Comparisons(table, reading_counts)
    excluded = ({(r.a, r.b) for r in records if r.direction >= 1.5}
                | {(r.b, r.a) for r in records if r.direction <= -1.5})
    for r in records:
        assert _interned_counts(votes, r.a, r.b, excluded) == witness_counts(shared, r.a, r.b, excluded)
        for short, long in ((r.a, r.b), (r.b, r.a)):
            plain = witness_readings(shared, short, long, excluded)
            assert _interned_readings(readings, short, long, excluded) == plain
    # The copies share their passages: far fewer distinct maps than (document, partner) sides.
    sides = sum(len(partners) for partners in shared.values())
    assert len(table.maps) < sides / 4


def _plain_triad(records: list[PairRecord]) -> dict[tuple[int, int], float]:
    """The triad rule as it was written before: every common partner of every pair looked at."""
    by_node: dict[int, dict[int, PairRecord]] = {}
    for r in records:
        by_node.setdefault(r.a, {})[r.b] = r
        by_node.setdefault(r.b, {})[r.a] = r
    adjust: dict[tuple[int, int], float] = {}
    for r in records:
        total = 0.0
        for c in sorted(by_node[r.a].keys() & by_node[r.b].keys()):
            ra, rb = by_node[c][r.a], by_node[c][r.b]
            pa = source_probability(ra.direction) if ra.a == c else 1.0 - source_probability(ra.direction)
            pb = source_probability(rb.direction) if rb.a == c else 1.0 - source_probability(rb.direction)
            ca, cb = ra.strength / (1.0 + 0.35 * ra.mutations), rb.strength / (1.0 + 0.35 * rb.mutations)
            if pa > 0.6 and pb > 0.6 and max(ca, cb) > 0 and r.strength / (1 + 0.35 * r.mutations) >= min(ca, cb):
                total += 2.0 * (ca - cb) / max(ca, cb)
        if total:
            adjust[(r.a, r.b)] = max(-3.0, min(3.0, total))
    return adjust


def _plain_explained(node: int, sources_of: Mapping[int, set[int]],
                     by_pair: Mapping[tuple[int, int], PairRecord]) -> set[int]:
    """The explained-siblings rule written plainly: every pair of candidates looked at (the
    sibling's framing left out, as the rule does)."""
    shared = resolve_module._aligned_by_source(node, sources_of, by_pair)
    out: set[int] = set()
    for p, whole_p in shared.items():
        for c, via_c in shared.items():
            if c == p or c not in sources_of.get(p, set()):
                continue
            framing = resolve_module._framing(whole_p, via_c)
            via_p = {seq: sim for seq, sim in whole_p.items() if seq not in framing}
            if len(via_c) <= len(via_p):
                continue
            if _kept(via_p, via_c) >= resolve_module.EXPLAINED * len(via_p):
                out.add(p)
                break
    return out


@pytest.mark.parametrize("seed", [3, 11])
def test_the_triad_and_sibling_shortcuts_equal_the_plain_rules(seed: int) -> None:
    records, _, _ = _story(60, seed)
    triad = _triad_adjust(records)
    assert triad == _plain_triad(records)
    assert triad  # the story has chains through a cut copy for the rule to correct
    by_pair = {(min(r.a, r.b), max(r.a, r.b)): r for r in records}
    sources_of: dict[int, set[int]] = {}
    for r in records:
        src, dst = (r.a, r.b) if r.direction > 0 else (r.b, r.a)
        sources_of.setdefault(dst, set()).add(src)
    explained = 0
    for node in sorted(sources_of):
        found = _explained_siblings(node, sources_of, by_pair)
        assert found == _plain_explained(node, sources_of, by_pair)
        explained += len(found)
    assert explained


class _Plain(Comparisons):
    """``Comparisons`` without the memo: every comparison made on the maps as given."""

    def __call__(self, x: Mapping[int, float], y: Mapping[int, float]) -> Any:
        return self._compare(x, y)


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_a_viral_story_resolves_the_same_with_and_without_shared_comparisons(
        seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    records, keys, published = _story(80, seed)
    memoized = resolve(records, keys, published)
    undated = resolve(records, keys)
    monkeypatch.setattr(resolve_module, "Comparisons", _Plain)
    plain = resolve(records, keys, published)
    assert plain.parents == memoized.parents
    assert plain.ranks == memoized.ranks
    assert plain.original_confidence == memoized.original_confidence
    assert resolve(records, keys).parents == undated.parents
    # The story's copies have parents, the wire story none.
    assert not memoized.parents[0]
    assert sum(1 for node, choices in memoized.parents.items() if node >= 2 and choices) >= 70

