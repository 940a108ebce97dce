"""Origin voting over evidence chains."""

from __future__ import annotations

from typing import Any

from service.core.lineage.origin import statement_origin


def _item(stance: str, passage_id: int, end_id: int | None, confidence: float = 0.9) -> dict[str, Any]:
    chain = [] if end_id is None else [{"document": {"id": end_id}, "passage": {"id": end_id * 10}}]
    return {"stance": stance, "confidence": confidence, "document": {"id": passage_id // 10},
            "passage": {"id": passage_id}, "provenance": chain}


def test_supporting_chains_vote_for_their_common_end() -> None:
    origin = statement_origin([_item("supports", 20, 1), _item("supports", 30, 1), _item("supports", 40, None)])
    assert origin is not None
    assert origin["passage"] == {"id": 10}
    assert 0.5 < origin["confidence"] < 1.0


def test_contradictions_lead_only_when_nothing_supports() -> None:
    items = [_item("contradicts", 20, 1), _item("supports", 30, None, confidence=0.2)]
    origin = statement_origin(items)
    assert origin is not None and origin["passage"] == {"id": 30}
    origin = statement_origin([_item("contradicts", 20, 1)])
    assert origin is not None and origin["passage"] == {"id": 10}


def test_no_evidence_no_origin() -> None:
    assert statement_origin([]) is None
    assert statement_origin([_item("unrelated", 20, 1)]) is None
