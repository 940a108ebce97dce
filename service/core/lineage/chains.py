"""Walking the lineage: a document's chain to its origin, and a passage's chain to its first occurrence.

There is one walk of each kind, over plain mappings (a document's parents, its links), so the
read side can load those from the database in bulk and the walks can be tested without one.

- ``document_chain``: from a document through best parents up to a document without one.
- ``upstream``: the documents a document may have taken text from, most likely first.
- ``passage_step``: one hop of a passage's walk: the passage it was taken from, if any.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from service.core.lineage.direction import source_probability
from service.core.lineage.resolve import ParentChoice
from service.core.reuse.records import AlignedRef, pairs_from_json


class LinkView:
    """A stored link seen from one document (``this``) towards ``other``.

    Its aligned passage pairs are parsed when first needed: a check's chain walk loads every link
    of each document it passes, but reads the pairs of only the few upstream ones, and of those
    only the pairs of the passage being walked (``pairs_at``). ``pairs`` may be given parsed
    (``AlignedRef`` list), or as stored: the JSON text or its decoded list, seen from side ``a``
    (then ``from_a`` says whether ``this`` is side ``a``).
    """

    __slots__ = ("other", "p_other_source", "coverage_this", "coverage_other", "strength", "_raw", "_from_a",
                 "_pairs")

    def __init__(self, other: int, p_other_source: float, coverage_this: float, coverage_other: float,
                 strength: float, pairs: Sequence[AlignedRef] | None = None, *,
                 raw: str | bytes | Sequence[Sequence[Any]] | None = None, from_a: bool = True) -> None:
        self.other = other
        self.p_other_source = p_other_source
        self.coverage_this = coverage_this
        self.coverage_other = coverage_other
        self.strength = strength
        self._raw = raw
        self._from_a = from_a
        self._pairs: list[AlignedRef] | None = list(pairs) if pairs is not None else None

    def _stored(self) -> Sequence[Sequence[Any]]:
        """The stored pairs, decoded once."""
        raw = self._raw
        if isinstance(raw, str | bytes):
            raw = self._raw = json.loads(raw)
        return raw if raw is not None else ()

    @property
    def pairs(self) -> list[AlignedRef]:
        """Every aligned pair, seen from ``this`` (parsed on first access)."""
        if self._pairs is None:
            self._pairs = pairs_from_json(self._stored(), from_a=self._from_a)
        return self._pairs

    def pairs_at(self, this_seq: int) -> list[AlignedRef]:
        """The aligned pairs of ``this``'s passage ``this_seq`` (in stored order), parsing only those."""
        if self._pairs is not None:
            return [p for p in self._pairs if p.this_seq == this_seq]
        side = 0 if self._from_a else 1
        return pairs_from_json([p for p in self._stored() if int(p[side]) == this_seq], from_a=self._from_a)


def link_view(row: Any, *, from_a: bool) -> LinkView:
    """A stored link row (``a_id, b_id, direction, coverage_a, coverage_b, strength, pairs``) seen
    from its ``a`` side (``from_a``) or its ``b`` side; ``pairs`` (the JSON text or its decoded
    list) is parsed only when the view's pairs are read."""
    if from_a:
        return LinkView(row.b_id, 1.0 - source_probability(row.direction), row.coverage_a, row.coverage_b,
                        row.strength, raw=row.pairs, from_a=True)
    return LinkView(row.a_id, source_probability(row.direction), row.coverage_b, row.coverage_a, row.strength,
                    raw=row.pairs, from_a=False)


def document_chain(doc_id: int, parents_of: Callable[[int], Sequence[ParentChoice]]) -> list[tuple[int, float]]:
    """Documents from ``doc_id`` up to its origin through best parents, with each hop's confidence.

    The first entry is ``(doc_id, 1.0)``. The walk stops at a document without parents, or
    before a document already on the chain (stored lineage is acyclic, but a walk must end
    whatever it reads).
    """
    chain = [(doc_id, 1.0)]
    seen = {doc_id}
    current = doc_id
    while True:
        parents = parents_of(current)
        if not parents or parents[0].parent in seen:
            return chain
        current = parents[0].parent
        chain.append((current, float(parents[0].confidence)))
        seen.add(current)


def upstream(links: Mapping[int, LinkView], parents: Sequence[ParentChoice], chain: Sequence[int]) -> list[int]:
    """Documents a document may have taken text from: its chain first, then its other parents,
    then other linked documents more likely its source than not (most likely first).

    ``chain`` is the document's :func:`document_chain` (itself first), ``links`` its links.
    """
    order = [d for d in chain[1:] if d in links]
    order += [p.parent for p in parents if p.parent not in order and p.parent in links]
    rest = sorted((o for o in links if o not in order and links[o].p_other_source > 0.5),
                  key=lambda o: (-links[o].p_other_source * links[o].strength, o))
    return order + rest


@dataclass(frozen=True, slots=True)
class Hop:
    """One hop of a passage's walk: the passage ``seq`` of ``document`` it was taken from."""

    document: int
    seq: int
    relation: str
    confidence: float


@dataclass(slots=True)
class PassageWalk:
    """One passage's walk up its chain: where it is, documents passed, confidence, hops so far."""

    doc_id: int
    seq: int
    seen: set[int]
    confidence: float = 1.0
    hops: list[Hop] = field(default_factory=list)

    def step(self, links: Mapping[int, LinkView], order: Sequence[int]) -> bool:
        """Move to the passage this one was taken from; False when it is the first occurrence.

        ``links`` are the current document's links and ``order`` its :func:`upstream` order:
        the first upstream document holding an aligned passage for this one is the source.
        """
        for other in order:
            if other in self.seen:
                continue
            matches = links[other].pairs_at(self.seq)
            if matches:
                best = max(matches, key=lambda p: p.similarity)
                score = best.similarity * links[other].p_other_source
                hop_conf = score if best.kind == "paraphrase" else max(score, 0.5)
                self.confidence *= max(0.05, min(1.0, hop_conf))
                self.hops.append(Hop(other, best.other_seq, best.kind, round(self.confidence, 4)))
                self.doc_id, self.seq = other, best.other_seq
                self.seen.add(other)
                return True
        return False
