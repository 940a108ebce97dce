"""All the facts of one sentence: extractors do not read one span twice."""

from __future__ import annotations

from service.core.facts.sentence import extract_facts


def test_a_date_is_not_also_read_as_a_quantity() -> None:
    facts = extract_facts("Meta released it on April 5, 2025 and sold 600 units.")
    assert [d.text for d in facts.dates] == ["April 5, 2025"]
    assert [q.text for q in facts.quantities] == ["600"]
