"""Links and lineage parents of documents, read in bulk and kept for the chain walks of one transaction.

Walking passage chains one hop at a time with a query per link set and per parent list costs
dozens of round trips per statement check; this loads each level of a walk for every document
at once (``IN`` lists) and answers the walks (``service.core.lineage.chains``) in memory.
A walk reads only the links it can use (a viral story's documents have hundreds, mostly to
their copies): a document's links to its chain and parents, then, if those did not hold the
passage, its links to likelier sources; which parts of a document's links are loaded is kept,
so nothing answers from a partial set that needs all of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import zip_longest
from typing import Any

from sqlalchemy import ColumnElement, Text, and_, cast, event, or_, select, tuple_
from sqlalchemy.orm import Session

from service.core.lineage.chains import Hop, LinkView, document_chain, link_view, upstream
from service.core.lineage.resolve import ParentChoice
from service.core.reuse.records import parents_from_json
from service.db import chunks
from service.models import LineageNode, Passage, ReuseLink
from service.provenance.lookups import document_refs, passages_by_seq


class ChainData:
    """What the walks have read so far: links, parents, passage starts, references, passages."""

    def __init__(self) -> None:
        self.transaction: Any = None
        # Links read so far, seen from each document: all of them only for documents in
        # ``complete``; ``near`` and ``sources`` say which parts a chain walk read (see below).
        self.links: dict[int, dict[int, LinkView]] = {}
        self.complete: set[int] = set()
        self.near: set[int] = set()
        self.sources: set[int] = set()
        self.parents: dict[int, list[ParentChoice]] = {}
        self.starts: dict[int, tuple[int, int] | None] = {}
        self.refs: dict[int, dict[str, Any]] = {}
        self.passages: dict[tuple[int, int], dict[str, Any]] = {}

    def load_starts(self, session: Session, passage_ids: Iterable[int]) -> None:
        """Where each passage is: (document id, seq), or None for an unknown id."""
        missing = sorted({p for p in passage_ids if p not in self.starts})
        for pid in missing:
            self.starts[pid] = None
        for chunk in chunks(missing):
            for pid, doc_id, seq in session.execute(
                select(Passage.id, Passage.document_id, Passage.seq).where(Passage.id.in_(chunk))
            ):
                self.starts[pid] = (int(doc_id), int(seq))

    def load_hops(self, session: Session, hops: Sequence[Hop]) -> None:
        """Document references and passages of the hops' ends."""
        docs = {h.document for h in hops if h.document not in self.refs}
        if docs:
            self.refs.update(document_refs(session, docs))
        keys = {(h.document, h.seq) for h in hops if (h.document, h.seq) not in self.passages}
        if keys:
            self.passages.update(passages_by_seq(session, keys))

    def load_links(self, session: Session, doc_ids: Iterable[int]) -> None:
        """Every link of the documents, each seen from its document; the aligned pairs are read as
        JSON text and decoded only when a walk reads them (``LinkView``)."""
        missing = sorted({d for d in doc_ids if d not in self.complete})
        wanted = set(missing)
        for chunk in chunks(missing):
            self._add_rows(session, or_(ReuseLink.a_id.in_(chunk), ReuseLink.b_id.in_(chunk)),
                           lambda r: r.a_id in wanted, lambda r: r.b_id in wanted)
        self._mark(missing, self.complete, self.near, self.sources)

    def load_near_links(self, session: Session, doc_ids: Iterable[int]) -> None:
        """The links between each document and the documents on its chain or among its parents
        (call :meth:`load_chains` first): the head of its :meth:`upstream` order, where a passage's
        source usually is (only those pairs are kept). A document with
        neither has no head, and its walks need its source links: those are read in the same
        statement (:meth:`load_source_links`), saving a round trip at the top of each chain."""
        missing = sorted({d for d in doc_ids if d not in self.near and d not in self.complete})
        pairs: set[tuple[int, int]] = set()
        bare = []
        for d in missing:
            near = {c for c, _ in self.chain(d)[1:]} | {p.parent for p in self.parents[d]}
            pairs.update((d, other) for other in near if other != d)
            if not near.difference({d}) and d not in self.sources:
                bare.append(d)
        self._read(session, pairs, bare)
        self._mark(missing, self.near)
        self._mark(bare, self.sources)

    def load_source_links(self, session: Session, doc_ids: Iterable[int]) -> None:
        """The links of the documents whose other side is more likely the source than not (the
        rest of :meth:`upstream`'s candidates): by the sign of ``direction`` (> 0: ``a`` is the
        source), which every such link has (``source_probability`` is 0.5 at 0), so no candidate
        is missed; :func:`upstream` applies its own test to what is read."""
        missing = sorted({d for d in doc_ids if d not in self.sources and d not in self.complete})
        self._read(session, set(), missing)
        self._mark(missing, self.sources)

    def _read(self, session: Session, pairs: set[tuple[int, int]], sources: Sequence[int]) -> None:
        """Read the links of the ``(document, other)`` pairs, and the source links of ``sources``.

        PostgreSQL is asked for exactly the pairs (a row-value ``IN`` list, one index probe per
        pair). SQLite scans the whole table for such a list, so it is asked for documents x
        others on either side (two conditions the ``(a_id, b_id)`` index answers) and the rows of
        other pairs are dropped here; conditions per pair cost more to build than they save.
        """
        keys = sorted(pairs | {(o, d) for d, o in pairs})
        exact = session.get_bind().dialect.name == "postgresql"
        wanted = set(sources)
        for key_chunk, source_chunk in zip_longest(chunks(keys, 250), chunks(sources, 250), fillvalue=()):
            where: list[ColumnElement[bool]] = []
            if key_chunk and exact:
                where.append(tuple_(ReuseLink.a_id, ReuseLink.b_id).in_(key_chunk))
            elif key_chunk:
                this, other = sorted({a for a, _ in key_chunk}), sorted({b for _, b in key_chunk})
                where.append(and_(ReuseLink.a_id.in_(this), ReuseLink.b_id.in_(other)))
            if source_chunk:
                where += [and_(ReuseLink.a_id.in_(source_chunk), ReuseLink.direction < 0),
                          and_(ReuseLink.b_id.in_(source_chunk), ReuseLink.direction > 0)]
            self._add_rows(session, or_(*where),
                           lambda r: (r.a_id, r.b_id) in pairs or (r.a_id in wanted and r.direction < 0),
                           lambda r: (r.b_id, r.a_id) in pairs or (r.b_id in wanted and r.direction > 0))

    def _add_rows(self, session: Session, where: Any, to_a: Callable[[Any], bool],
                  to_b: Callable[[Any], bool]) -> None:
        """Read the links matching ``where``; add each to its ``a`` side's links when ``to_a`` and to
        its ``b`` side's when ``to_b`` (a link already read is kept: its pairs may be parsed)."""
        rows = session.execute(
            select(ReuseLink.a_id, ReuseLink.b_id, ReuseLink.direction, ReuseLink.coverage_a,
                   ReuseLink.coverage_b, ReuseLink.strength, cast(ReuseLink.pairs, Text).label("pairs"))
            .where(where)
        )
        for r in rows:
            if to_a(r):
                self.links.setdefault(r.a_id, {}).setdefault(r.b_id, link_view(r, from_a=True))
            if to_b(r):
                self.links.setdefault(r.b_id, {}).setdefault(r.a_id, link_view(r, from_a=False))

    def _mark(self, doc_ids: Iterable[int], *loaded: set[int]) -> None:
        """Record what was read of the documents' links."""
        for d in doc_ids:
            self.links.setdefault(d, {})
            for kind in loaded:
                kind.add(d)

    def load_parents(self, session: Session, doc_ids: Iterable[int]) -> None:
        """The stored parents (best first) of the documents."""
        missing = sorted({d for d in doc_ids if d not in self.parents})
        for d in missing:
            self.parents[d] = []
        for chunk in chunks(missing):
            for doc_id, parents in session.execute(
                select(LineageNode.document_id, LineageNode.parents).where(LineageNode.document_id.in_(chunk))
            ):
                self.parents[doc_id] = parents_from_json(parents)

    def load_chains(self, session: Session, doc_ids: Iterable[int]) -> None:
        """Parents of the documents and of every document on their best-parent chains, level by level."""
        frontier = set(doc_ids)
        while frontier:
            self.load_parents(session, frontier)
            frontier = {self.parents[d][0].parent for d in frontier if self.parents[d]}
            frontier -= self.parents.keys()

    def chain(self, doc_id: int) -> list[tuple[int, float]]:
        """:func:`document_chain` over the loaded parents (call :meth:`load_chains` first)."""
        return document_chain(doc_id, self.parents.__getitem__)

    def upstream_known(self, doc_id: int) -> bool:
        """Whether the links :meth:`upstream` needs for the document are all loaded."""
        return doc_id in self.complete or (doc_id in self.near and doc_id in self.sources)

    def upstream(self, doc_id: int, *, head_only: bool = False) -> list[int]:
        """:func:`upstream` over the loaded links and parents.

        It needs the document's near and source links (or all of them). With ``head_only``, near
        links are enough: the answer is then at least the chain-and-parents head of the order
        (the whole order when :meth:`upstream_known`). Anything less raises ``LookupError``
        rather than answer from a partial link set.
        """
        if not (self.upstream_known(doc_id) or (head_only and doc_id in self.near)):
            raise LookupError(f"the links of document {doc_id} are not loaded for its upstream order")
        return upstream(self.links[doc_id], self.parents[doc_id], [d for d, _ in self.chain(doc_id)])


_KEY = "provenance.chain_data"


def chain_data(session: Session) -> ChainData:
    """The chain data loaded in the session's current transaction, or a new one.

    Data is kept per transaction (another transaction may see other rows) and dropped on any
    flush or write statement of the session, so it never answers from rows the session changed.
    Writes through ``session.connection()`` directly are not seen: call ``forget``.
    """
    transaction = session.get_transaction()
    data = session.info.get(_KEY)
    if not isinstance(data, ChainData) or transaction is None or data.transaction is not transaction:
        data = ChainData()
        data.transaction = transaction
        session.info[_KEY] = data
    return data


def adopt_transaction(session: Session, data: ChainData) -> None:
    """Tie data made outside a transaction to the one its loads began."""
    if data.transaction is None and session.info.get(_KEY) is data:
        data.transaction = session.get_transaction()


def forget(session: Session, *_args: Any) -> None:
    """Drop the session's chain data."""
    session.info.pop(_KEY, None)


def _forget_on_write(state: Any) -> None:
    if not state.is_select:
        forget(state.session)


for _event in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(Session, _event, forget)
event.listen(Session, "do_orm_execute", _forget_on_write)
