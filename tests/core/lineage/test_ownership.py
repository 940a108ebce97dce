"""An outlet's versions: copies holding what the update added are downstream of both versions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.core.lineage.ownership import holds_first_only, holds_update, version_holders
from service.core.lineage.resolve import PairRecord, resolve

V1, V2, COPY2, COPY1 = 1, 2, 3, 4
# A copy's passages aligned with each version (seq -> similarity): v2 adds sentence 5 and keeps
# v1's sentences 2-4 and 6-12; its headline (seq 1) carries an "UPDATE 1-" label.
V1_TEXT = {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0} | {seq: 1.0 for seq in range(6, 13)}
V2_TEXT = {1: 0.63} | {seq: 1.0 for seq in range(2, 13)}


def _versions(copy_dir: float = 0.0) -> list[PairRecord]:
    return [
        # v1 -> v2, one outlet, ordered by the update rule (version +1: a is the earlier one).
        PairRecord(V1, V2, 0.95, 6.0, 0, True, 16, "verbatim", "verbatim", 1.0, coverage_a=1.0, coverage_b=0.85,
                   cited=0, a_passages=V1_TEXT, b_passages=V2_TEXT, same_outlet=True, version=1),
        # a whole copy of v2 by another outlet, dated (wrongly) before both versions
        PairRecord(V2, COPY2, 0.99, copy_dir, 0, True, 17, "verbatim", "verbatim", 1.0, coverage_a=0.95,
                   coverage_b=0.95, cited=0, a_passages=V2_TEXT, b_passages=V2_TEXT),
        PairRecord(V1, COPY2, 0.85, copy_dir, 0, True, 15, "verbatim", "verbatim", 1.0, coverage_a=0.95,
                   coverage_b=0.85, cited=0, a_passages=V1_TEXT, b_passages=V1_TEXT),
    ]


def test_holding_the_update_and_holding_the_first_version_only() -> None:
    assert holds_update(V1_TEXT, V2_TEXT)
    assert not holds_update(V1_TEXT, {k: v for k, v in V2_TEXT.items() if k != 5})
    assert holds_first_only(V1_TEXT, {k: v for k, v in V2_TEXT.items() if k not in (1, 5)})
    assert not holds_first_only(V1_TEXT, V2_TEXT)


def test_a_copy_of_the_update_is_downstream_of_both_versions_whatever_its_date() -> None:
    records = _versions(copy_dir=-2.5)  # its date makes the copy the source of both versions
    overrides, siblings = version_holders(records)
    assert overrides == {(V2, COPY2): 4.0, (V1, COPY2): 4.0} and not siblings
    day = datetime(2026, 1, 1, tzinfo=UTC)
    published = {V1: day, V2: day + timedelta(hours=5), COPY2: day - timedelta(hours=3)}
    result = resolve(records, {V1: "a", V2: "b", COPY2: "c"}, published)
    assert result.parents[V1] == []
    assert result.parents[V2][0].parent == V1
    assert result.parents[COPY2][0].parent == V2


def test_a_copy_of_the_first_version_is_no_link_of_the_update() -> None:
    first_only = {k: v for k, v in V2_TEXT.items() if k not in (1, 5)}
    records = _versions()[:1] + [
        PairRecord(V2, COPY1, 0.8, -0.5, 0, True, 14, "verbatim", "verbatim", 1.0, coverage_a=0.8,
                   coverage_b=0.9, cited=0, a_passages=first_only, b_passages=first_only),
        PairRecord(V1, COPY1, 0.95, 2.5, 0, True, 16, "verbatim", "verbatim", 1.0, coverage_a=0.95,
                   coverage_b=0.95, cited=0, a_passages=V1_TEXT, b_passages=V1_TEXT),
    ]
    overrides, siblings = version_holders(records)
    assert not overrides and siblings == {(V2, COPY1)}
    result = resolve(records, {V1: "a", V2: "b", COPY1: "d"})
    assert [c.parent for c in result.parents[V2]] == [V1]
    assert [c.parent for c in result.parents[COPY1]] == [V1]
