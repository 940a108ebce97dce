"""Where a checked statement came from: the origin its evidence chains vote for."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any


def statement_origin(items: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Where the evidence chains of a statement check end, as ``{document, passage, confidence}``.

    ``items`` are evidence items carrying ``document``, ``passage``, ``stance``, a score
    (``confidence`` or ``score``) and ``provenance`` (their chains). Chain ends are voted for by
    the evidence reaching them, weighted by confidence; ends reached by several chains win over
    a passage only one document carries.
    """
    votes: dict[int, float] = defaultdict(float)
    ends: dict[int, dict[str, Any]] = {}
    # The statement came from where its supporting passages came from; contradicting passages
    # lead to the origin only when nothing supports it (a changed fact's source).
    if any(item.get("stance") == "supports" for item in items):
        weights = {"supports": 1.0, "contradicts": 0.15, "mentions": 0.05}
    else:
        weights = {"contradicts": 1.0, "mentions": 0.1}
    for item in items:
        passage = item.get("passage") or {}
        if passage.get("id") is None:
            continue
        chain = item.get("provenance") or []
        end: dict[str, Any] = chain[-1] if chain else {"document": item.get("document"), "passage": passage}
        end_passage = end.get("passage") or {}
        if end_passage.get("id") is None:
            continue
        score = item.get("confidence", item.get("score", 0.5))
        weight = weights.get(str(item.get("stance")), 0.0) * (0.5 + float(score or 0.0))
        if weight <= 0:
            continue
        votes[end_passage["id"]] += weight
        ends.setdefault(end_passage["id"], end)
    if not votes:
        return None
    best = max(votes, key=lambda k: (votes[k], -k))
    end = ends[best]
    total = sum(votes.values())
    return {"document": end.get("document"), "passage": end.get("passage"),
            "confidence": round(votes[best] / total, 4) if total else 0.0}
