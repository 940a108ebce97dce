"""Verbatim copies in a statement check (service/copies.py): judged once, reported with their representative."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from service import checking
from service.copies import JudgementMemo, text_key

SENTENCES = [
    "Harlow Marine Systems agreed to buy the ferry builder Osterby Yards for 412 million euros on Tuesday.",
    "The deal gives Harlow four shipyards on the northern coast and about 2,300 more workers.",
    "Osterby's chief executive Mira Lindqvist said the yards would keep their names for at least five years.",
    "Regulators in three countries must still approve the purchase, which is expected to close in spring.",
    "Shares of Harlow rose 6 percent in early trading after the announcement.",
    "Analysts at Corvane Securities said the price was about nine times Osterby's yearly earnings.",
    "Osterby has struggled since a contract for six hybrid ferries was cancelled two years ago.",
    "Harlow said it would invest 80 million euros in the yards over the next three years.",
]


def _copies(n: int) -> list[dict[str, Any]]:
    body = " ".join(SENTENCES)
    items = [{"external_id": "orig", "outlet": "Coast Wire", "title": "Harlow buys Osterby Yards", "text": body}]
    for i in range(n):
        items.append({"external_id": f"copy-{i}", "outlet": f"Paper {i}", "title": "Harlow buys Osterby Yards",
                      "text": f"{body} Reporting by Coast Wire."})
    return items


def _count_judgements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record the text of every passage the check judges on its own (not with context)."""
    judged: list[str] = []
    original = checking.judge_passage

    def counting(stmt: Any, text: str, **kw: Any) -> Any:
        if kw.get("context") is None:
            judged.append(text)
        return original(stmt, text, **kw)

    monkeypatch.setattr(checking, "judge_passage", counting)
    return judged


def test_memo_judges_once_and_hands_out_copies() -> None:
    memo = JudgementMemo()
    calls: list[int] = []

    def make() -> dict[str, int]:
        calls.append(1)
        return {"stance": 1}

    first, second = memo.judge("k", make), memo.judge("k", make)
    assert calls == [1] and memo.judged == 1 and memo.reused == 1
    assert first == second and first is not second
    assert text_key("  Café   Déjà ") == text_key("cafe deja")


def test_thirty_verbatim_copies_are_judged_once_and_listed(client: FlaskClient,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    r = client.post("/v1/documents/batch", json=_copies(30))
    assert r.status_code in (200, 201, 207), r.get_json()
    judged = _count_judgements(monkeypatch)
    statement = "Harlow Marine Systems agreed to buy Osterby Yards for 412 million euros."
    r = client.post("/v1/statements/check", json={"statement": statement, "limit": 20,
                                                                "collapse_copies": True})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    # 31 documents hold the sentence; it is judged once per distinct role and date (all equal here)
    assert judged.count(SENTENCES[0]) == 1
    lead = [e for e in body["evidence"] if e["passage"]["text"] == SENTENCES[0]]
    assert len(lead) == 1, [e["document"]["external_id"] for e in lead]
    assert lead[0]["stance"] == "supports"
    listed = {lead[0]["document"]["external_id"]} | {c["document"]["external_id"] for c in lead[0]["copies"]}
    assert listed == {"orig"} | {f"copy-{i}" for i in range(30)}
    assert all(c["passage"]["text"] == SENTENCES[0] for c in lead[0]["copies"])
    # the tally still counts every copy
    assert body["tally"]["supports"] >= 31
    # by default every document keeps its own item (judged once all the same)
    judged.clear()
    plain = client.post("/v1/statements/check", json={"statement": statement, "limit": 40}).get_json()
    assert judged.count(SENTENCES[0]) == 1
    lead = [e for e in plain["evidence"] if e["passage"]["text"] == SENTENCES[0]]
    assert len(lead) == 31 and all(e["copies"] == [] for e in lead)
    assert plain["tally"] == body["tally"]


def test_copies_published_on_other_days_share_a_judgement_unless_a_date_is_relative(
        client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sentence without a relative date reads the same whatever its date: its copies published
    on six different days are judged once. "next spring" resolves against each copy's own date,
    so a sentence holding it is judged once per distinct date."""
    relative = "Harlow expects to close the purchase of Osterby Yards next spring, its chief executive said."
    body = " ".join([*SENTENCES, relative])
    items = [{"external_id": f"day-{d}", "outlet": f"Paper {d}", "title": "Harlow buys Osterby Yards",
              "published_at": f"2025-0{d}-1{d}T08:00:00Z", "text": body} for d in range(1, 7)]
    r = client.post("/v1/documents/batch", json=items)
    assert r.status_code in (200, 201, 207), r.get_json()
    judged = _count_judgements(monkeypatch)
    r = client.post("/v1/statements/check", json={
        "statement": "Harlow expects to close the purchase of Osterby Yards in spring 2026.", "limit": 40})
    assert r.status_code == 200, r.get_json()
    assert judged.count(relative) == 6
    assert judged.count(SENTENCES[3]) == 1  # "expected to close in spring": no relative word
