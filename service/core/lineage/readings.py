"""Whether a text wholly inside another is its excerpt: the readings of third documents.

The excerpt rule (``service.core.lineage.direction``) takes the shorter of two documents, when
it is wholly inside the longer one, for an excerpt of it. That is right when the longer side is
the source; it is wrong when both descend from a fuller text that neither is: the longer side
kept more of that text (material the shorter one lacks) but reworded what it kept, and the
shorter one kept less but in the original wording. Third documents that took from the fuller
text tell the two apart: each holds some of the longer side's extra material *and* the shorter
side's wording where the longer one changed it (or text of the shorter side the longer one
lacks). Such a "mixed" witness cannot have taken from the longer side alone (it would carry that
side's wording), nor from the shorter one alone (it lacks the extra material); a fuller text
with the shorter side's readings explains it, and then the longer side's changes are its own
innovations: the shorter side is the closer to the common text, not an excerpt of the longer.

A copy of the longer side holds its extra material in its wording (a "longer-reading" witness);
an excerpt of a wire story with a few words changed, beside full copies of the story, has only
such witnesses and keeps the excerpt rule. A document combining both sides (a digest quoting
each) is a mixed witness by chance, so a reversal needs ``MIN_MIXED`` of them and clearly more
than the longer-reading witnesses.

Pure: works on the stored pairwise evidence (each side's aligned passages of every link).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Protocol

from service.core.lineage.direction import EXCERPT
from service.core.lineage.witnesses import (
    SIBLINGS,
    UPSTREAM,
    WITNESS,
    Comparisons,
    PassageTable,
    WitnessRecord,
    alignment_noise,
    contained,
    passage_table,
    third_parties,
)


class ReadingRecord(WitnessRecord, Protocol):
    """What this needs of a stored link (``service.core.lineage.resolve.PairRecord`` is one)."""

    copied_share: float


# Mixed witnesses needed at least: one is also what a digest of both sides looks like.
MIN_MIXED = 2
# Share of the documents holding the long side's extra material that must be mixed: a few
# copies of a widely copied story sharing an excerpt's cut (its first passage cut short, aligned
# more closely with the excerpt's than with the full sentence) are no fuller text.
MIXED_SHARE = 1 / 3
# Smallest balance (mixed - longer-reading) / (mixed + longer-reading + 1) that counts.
MIN_BALANCE = 0.2
# The excerpt rule acts only on mostly copied pairs (``direction``'s copied-share condition).
COPIED = 0.5


def reading_counts(with_short: Mapping[int, float], with_long: Mapping[int, float]) -> tuple[int, int, int]:
    """A third document's passages: (closer to the short side, closer to the long side, long-only).

    ``with_short`` / ``with_long`` map the third document's passages aligned with each side to
    their similarity. A passage closer to the short side (beyond ``alignment_noise``) holds its
    wording where the long side differs, or its text the long side lacks; one closer to the long
    side and also aligned with the short side holds the long side's wording of common text; a
    passage aligned with the long side only holds the long side's extra material.
    """
    short_reading = sum(1 for seq, sim in with_short.items() if sim > with_long.get(seq, 0.0) + alignment_noise(sim))
    long_reading = sum(1 for seq, sim in with_long.items()
                       if seq in with_short and sim > with_short[seq] + alignment_noise(sim))
    long_only = sum(1 for seq in with_long if seq not in with_short)
    return short_reading, long_reading, long_only


def witness_readings(shared: Mapping[int, Mapping[int, Mapping[int, float]]], short: int, long: int,
                     excluded: Set[tuple[int, int]] = frozenset()) -> tuple[int, int, int]:
    """(mixed, longer-reading, extra-holding) witnesses of a pair where ``short`` is wholly inside ``long``.

    Mixed: holds the long side's extra material and somewhere the short side's reading, nowhere
    the long side's reading of common text. Longer-reading: holds the long side's reading of
    common text and nowhere the short side's. Extra-holding: holds some of the long side's
    extra material at all (the mixed witnesses are some of these). ``(z, x)`` in ``excluded``: ``z`` is ``x``'s source
    on its own evidence (a common source says nothing about the order of two of its copies).
    """
    empty: dict[int, float] = {}
    return _tally(reading_counts(shared[z].get(short, empty), shared[z].get(long, empty))
                  for z in third_parties(shared.get(short, ()), shared.get(long, ()), short, long, excluded))


def _tally(readings: Iterable[tuple[int, int, int]]) -> tuple[int, int, int]:
    """(mixed, longer-reading, extra-holding) witnesses from each witness's ``reading_counts``."""
    mixed = longer = holders = 0
    for s_read, l_read, l_only in readings:
        holders += bool(l_only)
        if s_read and l_only and not l_read:
            mixed += 1
        elif l_read and not s_read:
            longer += 1
    return mixed, longer, holders


def _interned_readings(table: Comparisons, short: int, long: int,
                       excluded: Set[tuple[int, int]]) -> tuple[int, int, int]:
    """``witness_readings`` on a ``Comparisons`` table of ``reading_counts`` (same counts, each
    distinct comparison made once: a story's copies share the same passages with a third document)."""
    ids = table.ids
    return _tally(table.verdict(ids[z].get(short, 0), ids[z].get(long, 0))
                  for z in third_parties(ids.get(short, {}), ids.get(long, {}), short, long, excluded))


def readings_adjust(records: Iterable[ReadingRecord], pages: Set[int] = frozenset(),
                    table: PassageTable | None = None) -> dict[tuple[int, int], float]:
    """Direction corrections (``(a, b)`` -> score, > 0: ``a`` is the source) for contained pairs.

    For each linked pair of different outlets where one side is wholly inside the other and the
    pair's direction makes it the excerpt (the excerpt rule), count the mixed and longer-reading
    witnesses (``witness_readings``). With ``MIN_MIXED`` or more mixed witnesses, at least
    ``MIXED_SHARE`` of those holding the long side's extra material, and a balance of at least
    ``MIN_BALANCE``, the excerpt rule's push is withdrawn and the pair is pushed
    towards the shorter side by ``WITNESS``. Pages of separate blocks (which
    embed their sources), one outlet's versions and siblings (both sides have a common source on
    their pairs' own evidence: the stored fuller text, which both parent lists name) are
    left alone. ``table`` is ``witnesses.passage_table(records)`` when the caller has it already.
    """
    recs = list(records)
    excluded: set[tuple[int, int]] = set()
    sources: dict[int, set[int]] = {}  # each document's sources on their pair's own evidence
    for r in recs:
        if r.linked and abs(r.direction) >= SIBLINGS:
            src, dst = (r.a, r.b) if r.direction > 0 else (r.b, r.a)
            sources.setdefault(dst, set()).add(src)
        if not r.linked or not r.a_passages or not r.b_passages:
            continue
        if r.same_outlet:
            excluded.update(((r.a, r.b), (r.b, r.a)))
        elif r.direction >= UPSTREAM:
            excluded.add((r.a, r.b))
        elif r.direction <= -UPSTREAM:
            excluded.add((r.b, r.a))
    counts = Comparisons(passage_table(recs) if table is None else table, reading_counts)
    adjust: dict[tuple[int, int], float] = {}
    for r in recs:
        if not r.linked or r.same_outlet or r.a in pages or r.b in pages or not r.a_passages or not r.b_passages:
            continue
        if r.copied_share < COPIED or not contained(r.coverage_a, r.coverage_b):
            continue
        a_short = r.coverage_a > r.coverage_b
        # Only where the pair's own direction follows the excerpt rule (the longer side the source
        # by at least half the excerpt push: the rule, not a lean, decided it).
        if (a_short and r.direction > -EXCERPT / 2) or (not a_short and r.direction < EXCERPT / 2):
            continue
        if sources.get(r.a, set()) & sources.get(r.b, set()):
            continue  # siblings: copies of a stored common source, which their parents name
        short, long = (r.a, r.b) if a_short else (r.b, r.a)
        mixed, longer, holders = _interned_readings(counts, short, long, excluded)
        if mixed < MIN_MIXED or mixed < MIXED_SHARE * holders:
            continue
        balance = (mixed - longer) / (mixed + longer + 1)
        if balance < MIN_BALANCE:
            continue
        # Withdraw the excerpt rule and orient the pair to the short side with the witness rule's
        # full weight: the readings refute the containment reading rather than tip a balance.
        push = EXCERPT + WITNESS
        adjust[(r.a, r.b)] = round(push if a_short else -push, 4)
    return adjust
