"""Direction from an outlet's own versions: a copy holding what an update changed is downstream of it.

An outlet updates its own story (v1 -> v2, a same-outlet link ordered by the update rule or the
version labels: v2 holds v1 whole and adds paragraphs, or corrects a figure under an "UPDATE 1-"
headline). What the update added or changed is that outlet's own text. A document of *another*
outlet that holds v1's text together with what only v2 has -- aligned with v2 more closely than
with v1 somewhere inside the story -- took it from v2 (or from a copy of v2): it is downstream
of both versions. The outlet did not update its story by copying another outlet's page word for
word. So between such a holder ``y`` and each version the version is the source, however the
publication times read (a copy dated before the story it copied is a wrong date) and however
little else tells two near-identical texts apart (a whole copy of v2 and v2 itself share every
sentence; without this a tie can make v2 the copy's child and the copy v1's).

Nothing is said about documents closer to v1 than to v2 anywhere (copies of the first version),
nor about documents sharing text with v2 only (v2 may have quoted them), nor about pairs one side
of which names the other (the credit rules decide those).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from service.core.lineage.witnesses import alignment_noise


class VersionRecord(Protocol):
    """What this needs of a stored link (``service.core.lineage.resolve.PairRecord`` is one)."""

    a: int
    b: int
    linked: bool
    copied_share: float
    cited: int | None
    same_outlet: bool
    version: int
    a_passages: Mapping[int, float] | None
    b_passages: Mapping[int, float] | None


# Weight that makes a version the source of a document holding its own text (a credit weighs 4).
VERSION_HOLDER = 4.0
# Share of the holder's passages aligned with v1 that v2 must hold as closely (v2 kept them).
KEPT = 0.9


def _passages(r: VersionRecord, node: int) -> Mapping[int, float]:
    return (r.a_passages if node == r.a else r.b_passages) or {}


def holds_update(via_early: Mapping[int, float], via_late: Mapping[int, float]) -> bool:
    """Whether a document's passages aligned with v2 (``via_late``) include what only v2 has.

    Its passages aligned with v1 are (nearly) all aligned with v2 as closely -- v2 kept them --,
    and at least one passage inside the span of its v1 text, or after it, is aligned with v2
    more closely than with v1 (v2's new paragraph or corrected figure); a headline or byline
    before all the v1 text is framing, not the update's text.
    """
    if not via_early or not via_late:
        return False
    kept = sum(1 for seq, sim in via_early.items() if via_late.get(seq, -1.0) >= sim - alignment_noise(sim))
    if kept < KEPT * len(via_early):
        return False
    first = min(via_early)
    return any(seq >= first and sim > via_early.get(seq, 0.0) + alignment_noise(sim)
               for seq, sim in via_late.items())


def holds_first_only(via_early: Mapping[int, float], via_late: Mapping[int, float]) -> bool:
    """Whether everything a document shares with v2 it shares with v1 as closely (a copy of v1)."""
    return bool(via_early) and all(via_early.get(seq, -1.0) >= sim - alignment_noise(sim)
                                   for seq, sim in via_late.items())


def version_holders(records: Sequence[VersionRecord]) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """Direction overrides ``(a, b)`` -> score (> 0: ``a`` is the source) for holders of an update,
    and the pairs ``(a, b)`` that are no link of a version: copies of v1 against v2.

    For every same-outlet pair ordered as versions (``version``: +1 ``a`` is the earlier one),
    each document of another outlet linked by copied text to both versions and holding what only
    the later one has (``holds_update``) gets both versions as sources. One holding nothing of
    v2 but what v1 has as well (``holds_first_only``) is a copy of v1: what it shares with v2 is
    v1's text, which v2 took from its own first version, not from the copy, and which the copy
    took from v1. Such a pair says nothing of who took from whom (siblings through v1).
    """
    by_pair: dict[tuple[int, int], VersionRecord] = {}
    partners: dict[int, set[int]] = {}
    for r in records:
        by_pair[(r.a, r.b)] = by_pair[(r.b, r.a)] = r
        if r.linked and not r.same_outlet and r.copied_share >= 0.5:
            partners.setdefault(r.a, set()).add(r.b)
            partners.setdefault(r.b, set()).add(r.a)
    out: dict[tuple[int, int], float] = {}
    siblings: set[tuple[int, int]] = set()
    for r in records:
        if not r.same_outlet or not r.linked or not r.version:
            continue
        early, late = (r.a, r.b) if r.version > 0 else (r.b, r.a)
        for y in sorted(partners.get(early, set()) & partners.get(late, set())):
            with_early, with_late = by_pair[(y, early)], by_pair[(y, late)]
            if with_early.cited or with_late.cited:
                continue
            via_early, via_late = _passages(with_early, y), _passages(with_late, y)
            if holds_update(via_early, via_late):
                for version, link in ((early, with_early), (late, with_late)):
                    out[(link.a, link.b)] = VERSION_HOLDER if link.a == version else -VERSION_HOLDER
            elif holds_first_only(via_early, via_late):
                siblings.add((with_late.a, with_late.b))
    return out, siblings
