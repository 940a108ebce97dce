"""The stored evidence between two documents, as the lineage rules read it.

Kept apart from ``resolve`` so that the rule modules it calls (``blocks`` and the others) can
name the record's type without importing ``resolve`` back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# A link's direction score at or beyond which the child is taken to credit its source by name
# (used when the stored record does not say who credits whom).
NAMED = 4.0


@dataclass(slots=True)
class PairRecord:
    """Stored evidence between documents ``a`` and ``b`` (``direction`` > 0: ``a`` is the source)."""

    a: int
    b: int
    strength: float
    direction: float
    mutations: int
    linked: bool
    aligned: int
    relation_if_a_child: str = "paraphrase"
    relation_if_b_child: str = "paraphrase"
    copied_share: float = 0.0
    # First and last passage of each side taking part in copied (not reworded) pairs.
    a_region: tuple[int, int] | None = None
    b_region: tuple[int, int] | None = None
    # Share of each side's words aligned with the other (0.0: unknown).
    coverage_a: float = 0.0
    coverage_b: float = 0.0
    # Who credits whom in their own text: +1 b names a, -1 a names b, 0 neither; None: unknown
    # (then a direction of NAMED or more is taken for a credit).
    cited: int | None = None
    # Each side's aligned passages (seq -> best similarity of its aligned pairs); None: unknown.
    a_passages: Mapping[int, float] | None = None
    b_passages: Mapping[int, float] | None = None
    # Both documents are of one outlet (an article and its update), not a copy by another outlet.
    same_outlet: bool = False
    # Versions of one outlet's story ordered by the update rule or the labels: +1 a is the earlier
    # version, -1 b is, 0 neither (or not versions).
    version: int = 0

    def passages_of(self, node: int) -> Mapping[int, float] | None:
        """The aligned passages on ``node``'s side of this pair (seq -> similarity)."""
        return self.a_passages if node == self.a else self.b_passages

    def names_source(self, a_is_source: bool) -> bool:
        """Whether the child of this pair names its source (outlet, host or headline)."""
        if self.cited is None:
            return self.direction >= NAMED if a_is_source else self.direction <= -NAMED
        return self.cited > 0 if a_is_source else self.cited < 0
