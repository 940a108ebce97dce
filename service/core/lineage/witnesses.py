"""Direction from third documents that share more of one side than of the other (a source is a hub).

Containment between two documents does not say which one took from the other: a short text
wholly inside a long one may be an excerpt of it, or the long one may be an expansion of the
short one (a newspaper adding paragraphs to a wire item). Third documents that share text with
both say more. Copies of one source each take their own part of it; what a copy dropped is
still held by the source's *other* copies. So between a source ``S`` and a copy ``C``, many third
documents share text of ``S`` that ``C`` lacks, while what ``C`` added (its own remarks, its
rewording) is shared with nobody but its own copies. This counts, for each side of a linked
pair, the third documents ("witnesses") sharing text of that side outside the pair's shared
text, and orients the pair towards the side with clearly more witnesses: the document that many
others each partly contain is the source, not a child of one of them.

What it cannot tell apart, and leaves to the rest of the evidence: two near-identical texts
(neither holds text the other lacks: no witnesses either way); and a copy whose additions were
copied further by as many documents as took the source's text it dropped (a chain
``S -> C -> many`` against a hub ``C -> S, C -> many``): the counts are then about equal and the
correction is small. Pages embedding several separate sources share separate text with each of
them by construction, so pages of blocks (``pages``) are left to the aggregator rule. Nor does
it orient two articles of one outlet: an outlet's update extends its own story, and copies of
the update carry what it added (a chain ``v1 -> v2 -> copies``, which the counts would read as
a hub around ``v2``); the update rule decides those pairs.

Pure: works on the stored pairwise evidence (each side's aligned passages of every link).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from typing import Any, Protocol


class WitnessRecord(Protocol):
    """What this needs of a stored link (``service.core.lineage.resolve.PairRecord`` is one)."""

    a: int
    b: int
    linked: bool
    a_passages: Mapping[int, float] | None
    b_passages: Mapping[int, float] | None
    same_outlet: bool
    coverage_a: float
    coverage_b: float
    direction: float


# Weight of the correction when one side has all the witnesses; it shrinks as the other side's
# count approaches (balance (n_x - n_y) / (n_x + n_y + 1)).
WITNESS = 2.0
# Witnesses the leading side must have at least: one third document closer to one side is also
# what a single further copy of a copy looks like (a chain).
MIN_WITNESSES = 2
# Smallest balance that counts.
MIN_BALANCE = 0.2
# A third document that is, on its own pair's evidence (this direction score or more), the
# source of either side is no witness: a common source is closer to whichever copy changed
# less, which says nothing about the copies' order (siblings).
UPSTREAM = 1.5
# Two documents that both have a common source on their pairs' own evidence (this direction
# score or more) are siblings: the fuller copy is no source of the other, though the source's
# other copies share more of it (the explained-siblings rule of resolution handles them).
SIBLINGS = UPSTREAM


# One side is wholly inside the other when this much of it is shared and the other side shares
# at least CONTAINED_GAP less (the excerpt rule of ``service.core.lineage.direction``).
WHOLE = 0.85
CONTAINED_GAP = 0.2


def contained(coverage_a: float, coverage_b: float) -> bool:
    """Whether one side of a pair is wholly inside the other (shares of each side's words aligned)."""
    return max(coverage_a, coverage_b) >= WHOLE and abs(coverage_a - coverage_b) >= CONTAINED_GAP


def alignment_noise(similarity: float) -> float:
    """How much two alignments' similarities may differ by chance: little for copies, more for rewording."""
    return 0.02 + 0.15 * (1.0 - similarity)


def closer(with_x: Mapping[int, float], with_y: Mapping[int, float]) -> int:
    """Passages of a third document aligned with ``x`` more closely than with ``y`` (beyond noise).

    A passage not aligned with ``y`` at all counts when it is aligned with ``x``: material of ``x``
    that ``y`` lacks. A passage aligned with both counts when ``y``'s reading differs more.
    """
    return sum(1 for seq, sim in with_x.items() if sim > with_y.get(seq, 0.0) + alignment_noise(sim))


class PassageTable:
    """Each document's aligned passages with each partner (``ids[z][w]``), numbered by content.

    The witness rules (here and ``readings``) compare a third document's passages aligned with
    one side of a pair with those aligned with the other, for every third document of every pair:
    cubic in a story's size. A story's copies mostly took the same sentences (the first k of one
    wire story), so a third document's passages with its many partners take few distinct values;
    numbered by content (``maps[i]``; 0 is the empty map: not aligned with that side at all),
    a comparison, a pure function of the two maps' contents, is made once per pair of distinct
    values (``Comparisons``). Built once per resolution from the linked pairs with passages on
    both sides (``passage_table``) and shared by both rules.
    """

    def __init__(self) -> None:
        self._numbers: dict[tuple[tuple[int, float], ...], int] = {(): 0}
        # Maps numbered so far by identity, each held so that its id is not reused while the table lives.
        self._seen: dict[int, tuple[Mapping[int, float], int]] = {}
        self.maps: list[Mapping[int, float]] = [{}]
        self.ids: dict[int, dict[int, int]] = {}

    def number(self, passages: Mapping[int, float]) -> int:
        """The number of ``passages``' content (equal maps, equal numbers)."""
        seen = self._seen.get(id(passages))
        if seen is not None:
            return seen[1]
        key = tuple(sorted(passages.items()))
        number = self._numbers.get(key)
        if number is None:
            number = self._numbers[key] = len(self.maps)
            self.maps.append(passages)
        self._seen[id(passages)] = (passages, number)
        return number

    def add(self, z: int, w: int, passages: Mapping[int, float]) -> None:
        """Record ``z``'s passages aligned with ``w``."""
        self.ids.setdefault(z, {})[w] = self.number(passages)


def passage_table(records: Sequence[WitnessRecord]) -> PassageTable:
    """The ``PassageTable`` of the linked pairs with aligned passages known on both sides."""
    table = PassageTable()
    for r in records:
        if r.linked and r.a_passages and r.b_passages:
            table.add(r.a, r.b, r.a_passages)
            table.add(r.b, r.a, r.b_passages)
    return table


class Comparisons:
    """A pure comparison of two passage maps of a ``PassageTable``, memoized on their numbers:
    ``verdict(i, j)`` is ``compare(table.maps[i], table.maps[j])``, computed once per pair, and
    ``self(x, y)`` is ``compare(x, y)`` for any two maps (numbered on the way)."""

    def __init__(self, table: PassageTable,
                 compare: Callable[[Mapping[int, float], Mapping[int, float]], Any]) -> None:
        self.ids = table.ids
        self._table = table
        self._maps = table.maps
        self._compare = compare
        self._memo: dict[tuple[int, int], Any] = {}

    def __call__(self, x: Mapping[int, float], y: Mapping[int, float]) -> Any:
        return self.verdict(self._table.number(x), self._table.number(y))

    def verdict(self, i: int, j: int) -> Any:
        """``compare`` of the maps numbered ``i`` and ``j``."""
        key = (i, j)
        found = self._memo.get(key, self._memo)
        if found is self._memo:
            found = self._memo[key] = self._compare(self._maps[i], self._maps[j])
        return found


def witness_vote(with_x: Mapping[int, float], with_y: Mapping[int, float]) -> int:
    """A third document's vote between ``x`` and ``y`` from its passages aligned with each:
    +1 closer to ``x`` somewhere and nowhere to ``y``, -1 the reverse, 0 neither or both."""
    to_x, to_y = closer(with_x, with_y), closer(with_y, with_x)
    if to_x and not to_y:
        return 1
    if to_y and not to_x:
        return -1
    return 0


def third_parties(near_x: Iterable[int], near_y: Iterable[int], x: int, y: int,
                  excluded: Set[tuple[int, int]]) -> Iterator[int]:
    """The documents aligned with ``x`` or ``y`` (``near_x`` / ``near_y``) that may witness for
    the pair: not ``x`` or ``y`` themselves, and not a source of either on its own evidence
    (``(z, x)`` or ``(z, y)`` in ``excluded``, see ``witness_adjust``)."""
    for z in (set(near_x) | set(near_y)) - {x, y}:
        if (z, x) not in excluded and (z, y) not in excluded:
            yield z


def _tally_votes(votes: Iterable[int]) -> tuple[int, int]:
    """(votes for the first side, votes for the second) of ``witness_vote`` results."""
    n_x = n_y = 0
    for vote in votes:
        if vote > 0:
            n_x += 1
        elif vote < 0:
            n_y += 1
    return n_x, n_y


def _interned_counts(table: Comparisons, x: int, y: int, excluded: Set[tuple[int, int]]) -> tuple[int, int]:
    """``witness_counts`` on a ``Comparisons`` table of ``witness_vote`` (same counts, each
    distinct comparison made once)."""
    ids = table.ids
    return _tally_votes(table.verdict(ids[z].get(x, 0), ids[z].get(y, 0))
                        for z in third_parties(ids[x], ids[y], x, y, excluded))


def witness_counts(shared: Mapping[int, Mapping[int, Mapping[int, float]]], x: int, y: int,
                   excluded: Set[tuple[int, int]] = frozenset()) -> tuple[int, int]:
    """Third documents closer to ``x`` than to ``y`` somewhere and nowhere the reverse, and vice versa.

    ``shared[z][w]`` maps ``z``'s passages aligned with ``w`` to their similarity. Only the third
    document's own passages are compared, so both sides are judged on the same text. A third
    document ``z`` with ``(z, x)`` or ``(z, y)`` in ``excluded`` is no witness (see ``witness_adjust``).
    """
    empty: dict[int, float] = {}
    return _tally_votes(witness_vote(shared[z].get(x, empty), shared[z].get(y, empty))
                        for z in third_parties(shared[x], shared[y], x, y, excluded))


def _through_version(x: int, y: int, versions: Mapping[int, Set[int]],
                     coverage: Mapping[tuple[int, int], float]) -> bool:
    """Whether another version of ``y`` (same outlet) holds at least as much of ``x`` as ``y`` does.

    Then ``x`` may be a copy of that version, and the text ``x`` has beyond ``y`` is the
    version's own (an update's new paragraphs, copied by many): the chain ``y -> y' -> x`` looks
    like a hub around ``x`` to the witness counts, so they say nothing about this pair.
    """
    own = coverage.get((x, y), 0.0)
    return any(coverage.get((x, w), 0.0) >= own for w in versions.get(y, ()) if w != x)


def own_sources(records: Sequence[WitnessRecord]) -> dict[int, set[int]]:
    """The documents that are each one's source on their pair's own evidence (``SIBLINGS`` or more):
    two documents sharing one are siblings, copies of a common source."""
    sources: dict[int, set[int]] = {}
    for r in records:
        if r.linked and abs(r.direction) >= SIBLINGS:
            src, dst = (r.a, r.b) if r.direction > 0 else (r.b, r.a)
            sources.setdefault(dst, set()).add(src)
    return sources


def witness_adjust(records: Sequence[WitnessRecord], pages: Set[int] = frozenset(),
                   sources: Mapping[int, Set[int]] | None = None,
                   table: PassageTable | None = None) -> dict[tuple[int, int], float]:
    """Direction corrections (``(a, b)`` -> score, > 0: ``a`` is the source) from witness counts.

    For each linked pair of different outlets with known aligned passages, neither wholly inside
    the other (``contained``: the excerpt rule decides those), ``n_a`` counts the third documents
    whose text is closer to ``a`` than to ``b`` (text of ``a`` that ``b`` dropped or changed) and
    nowhere the reverse, ``n_b`` the reverse; witnesses are not the source of either side on their
    own evidence (``UPSTREAM``) nor of the same outlet as either (a shared template). The side
    with ``MIN_WITNESSES`` or more and clearly more than the other is pushed towards being the
    source, by ``WITNESS`` times the balance of the counts. Pages of several separate blocks are skipped.
    ``sources`` is ``own_sources(records)`` and ``table`` is ``passage_table(records)`` when the
    caller has them already.
    """
    votes = Comparisons(passage_table(records) if table is None else table, witness_vote)
    linked: list[tuple[int, int]] = []
    excluded: set[tuple[int, int]] = set()
    versions: dict[int, set[int]] = {}
    coverage: dict[tuple[int, int], float] = {}  # (x, w): share of x's words aligned with w
    if sources is None:
        sources = own_sources(records)
    for r in records:
        coverage[(r.a, r.b)], coverage[(r.b, r.a)] = r.coverage_a, r.coverage_b
        if not r.linked or not r.a_passages or not r.b_passages:
            continue
        if r.same_outlet:  # one outlet's template and versions: no witness for or against each other
            excluded.update(((r.a, r.b), (r.b, r.a)))
            versions.setdefault(r.a, set()).add(r.b)
            versions.setdefault(r.b, set()).add(r.a)
        elif r.direction >= UPSTREAM:  # a is b's source on the pair's own evidence
            excluded.add((r.a, r.b))
        elif r.direction <= -UPSTREAM:
            excluded.add((r.b, r.a))
        if not r.same_outlet and not contained(r.coverage_a, r.coverage_b):
            linked.append((r.a, r.b))
    adjust: dict[tuple[int, int], float] = {}
    for a, b in linked:
        if a in pages or b in pages or _through_version(a, b, versions, coverage) \
                or _through_version(b, a, versions, coverage):
            continue
        if sources.get(a, set()) & sources.get(b, set()):
            continue  # siblings: copies of a common source; which is fuller says nothing
        n_a, n_b = _interned_counts(votes, a, b, excluded)
        if max(n_a, n_b) < MIN_WITNESSES:
            continue
        balance = (n_a - n_b) / (n_a + n_b + 1)
        if abs(balance) >= MIN_BALANCE:
            adjust[(a, b)] = round(WITNESS * balance, 4)
    return adjust
