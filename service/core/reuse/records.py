"""The stored forms of reuse evidence and lineage, and their one (de)serialisation.

Links and lineage nodes keep their aligned pairs and parent lists as JSON arrays (compact:
a corpus holds millions of pairs). Code never indexes those arrays by position: it reads and
writes them through the dataclasses here, so the JSON layout is defined in this module only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from service.core.lineage.resolve import ParentChoice

# Kinds of change that are not a fact that differs (a name spelt otherwise): kept as evidence
# of copying, never shown as a mutation.
NOT_FACTS = frozenset({"spelling"})


@dataclass(frozen=True, slots=True)
class FactChange:
    """A fact that differs between two aligned passages, in the statement check's kinds
    (amount, percent, number, date, year, entity, modality, negation) -- or ``spelling``."""

    kind: str
    this_value: str
    other_value: str

    @property
    def is_fact(self) -> bool:
        """Whether a reader should see this as a changed fact."""
        return self.kind not in NOT_FACTS


@dataclass(frozen=True, slots=True)
class AlignedRef:
    """Two aligned passages of a link, by sequence number, seen from one side (``this``) to the other."""

    this_seq: int
    other_seq: int
    similarity: float
    kind: str
    changes: tuple[FactChange, ...]

    def flipped(self) -> AlignedRef:
        """The same pair seen from the other side."""
        return AlignedRef(self.other_seq, self.this_seq, self.similarity, self.kind,
                          tuple(FactChange(c.kind, c.other_value, c.this_value) for c in self.changes))

    def to_json(self) -> list[Any]:
        """``[a_seq, b_seq, similarity, kind, [[kind, a_value, b_value], ...]]``, seen from side ``a``."""
        return [self.this_seq, self.other_seq, self.similarity, self.kind,
                [[c.kind, c.this_value, c.other_value] for c in self.changes]]

    @classmethod
    def from_json(cls, raw: Sequence[Any]) -> AlignedRef:
        """A stored pair, seen from side ``a``."""
        return cls(int(raw[0]), int(raw[1]), raw[2], raw[3], tuple(FactChange(m[0], m[1], m[2]) for m in raw[4]))


def pairs_to_json(pairs: Iterable[AlignedRef]) -> list[list[Any]]:
    return [p.to_json() for p in pairs]


def pairs_from_json(raw: Iterable[Sequence[Any]], *, from_a: bool = True) -> list[AlignedRef]:
    """Stored pairs seen from side ``a`` (``from_a``) or side ``b``."""
    pairs = [AlignedRef.from_json(p) for p in raw]
    return pairs if from_a else [p.flipped() for p in pairs]


def a_seqs(raw: Iterable[Sequence[Any]]) -> set[int]:
    """Side ``a``'s passages of stored pairs (without building the pairs)."""
    return {int(p[0]) for p in raw}


def b_seqs(raw: Iterable[Sequence[Any]]) -> set[int]:
    """Side ``b``'s passages of stored pairs."""
    return {int(p[1]) for p in raw}


def parent_to_json(choice: ParentChoice) -> list[Any]:
    """``[parent id, confidence, relation, score]``."""
    return [choice.parent, choice.confidence, choice.relation, round(choice.score, 4)]


def parents_to_json(choices: Iterable[ParentChoice]) -> list[list[Any]]:
    return [parent_to_json(c) for c in choices]


def parents_from_json(raw: Iterable[Sequence[Any]] | None) -> list[ParentChoice]:
    """A lineage node's stored parents, best first."""
    return [ParentChoice(int(p[0]), float(p[1]), str(p[2]), float(p[3])) for p in raw or ()]
