"""Verbatim copies in a statement check: judged once, reported once.

A viral wire story is stored hundreds of times; a check whose statement comes from it retrieves
hundreds of candidates with the same sentence. Two things keep that from costing hundreds of
judgements or filling the response with one sentence:

* ``JudgementMemo``: a passage judgement is a pure function of the statement, the passage text,
  its role and its reference date -- and of the date only when the text has a relative date
  ("next spring") that it resolves (``service.core.stance.passage.passage_reference``) -- so each
  distinct input is judged once (copies of a sentence published on different days included) and
  every copy gets its own copy of the result (later stages change judgements one candidate at a time).
* ``collapse_copies``: evidence items with the same passage text and the same judgement, whose
  documents the provenance graph links as verbatim copies of each other (a linked
  ``lineage_links`` row of relation ``verbatim``, directly or through other retrieved copies),
  become one item -- the best-ranked copy -- listing the others under ``copies``. A document that
  only excerpts or quotes the sentence, or an unlinked one that happens to share it (two outlets
  quoting one spokesperson), stays an item of its own: it is separate evidence.

The verdict and tally are computed before collapsing, so they count every copy as before.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from service.core.text.normalize import fold
from service.models import ReuseLink

J = TypeVar("J")


def text_key(text: str) -> str:
    """A passage text as copies share it: case, accents and spacing folded."""
    return " ".join(fold(text).split())


class JudgementMemo:
    """Judge each distinct input once; hand every caller its own (shallow) copy of the result."""

    def __init__(self) -> None:
        self._done: dict[Hashable, Any] = {}
        self.judged = 0
        self.reused = 0

    def judge(self, key: Hashable, make: Callable[[], J]) -> J:
        if key in self._done:
            self.reused += 1
            return copy.copy(self._done[key])
        value = make()
        self.judged += 1
        self._done[key] = value
        return copy.copy(value)


def _linked_pairs(session: Session, doc_ids: Iterable[int]) -> list[tuple[int, int]]:
    """Pairs of the given documents that the provenance graph links as verbatim copies of each
    other (a linked reuse link whose relation is ``verbatim``: most of each text is the other's),
    in one query."""
    ids = sorted(set(doc_ids))
    if len(ids) < 2:
        return []
    rows = session.execute(
        select(ReuseLink.a_id, ReuseLink.b_id).where(
            and_(ReuseLink.linked.is_(True), ReuseLink.a_id.in_(ids), ReuseLink.b_id.in_(ids),
                 or_(ReuseLink.relation_a_child == "verbatim", ReuseLink.relation_b_child == "verbatim"))
        )
    ).all()
    return [(int(a), int(b)) for a, b in rows]


def _same_judgement(item: dict[str, Any]) -> tuple[Any, ...]:
    return (item["stance"], item["confidence"], item["reason"], item["role"],
            tuple((c["kind"], c["statement"], c["passage"]) for c in item["conflicts"]))


def collapse_copies(session: Session, evidence: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One evidence item per group of linked verbatim copies with the same judgement, in the
    order of ``evidence`` (best first); each kept item lists the others under ``copies``."""
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, item in enumerate(evidence):
        item.setdefault("copies", [])
        groups.setdefault((text_key(item["passage"]["text"]), *_same_judgement(item)), []).append(i)
    shared = [members for members in groups.values() if len(members) > 1]
    if not shared:
        return evidence
    parent: dict[int, int] = {}

    def find(d: int) -> int:
        while parent.get(d, d) != d:
            d = parent[d]
        return d

    for a, b in _linked_pairs(session, (evidence[i]["document"]["id"] for m in shared for i in m)):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    dropped: set[int] = set()
    for members in shared:
        kept_by_root: dict[int, int] = {}
        for i in members:  # best first: the first of each linked set is its representative
            root = find(evidence[i]["document"]["id"])
            head = kept_by_root.setdefault(root, i)
            if head != i:
                other = evidence[i]
                evidence[head]["copies"].append({"document": other["document"], "passage": other["passage"]})
                dropped.add(i)
    return [item for i, item in enumerate(evidence) if i not in dropped]
