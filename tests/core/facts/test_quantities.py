"""Quantities: values, units, scale words, qualifiers, and what is not a quantity."""

from __future__ import annotations

import pytest

from service.core.facts.quantities import compare_quantities, extract_quantities


def one_quantity(text: str):  # type: ignore[no-untyped-def]
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "value", "unit"),
    [
        ("a $14.3 billion investment", "amount", 14.3e9, "USD"),
        ("a US$14.3bn investment", "amount", 14.3e9, "USD"),
        ("paid $800M for it", "amount", 800e6, "USD"),
        ("costs 3 million euros", "amount", 3e6, "EUR"),
        ("fell 17% on Monday", "percent", 17.0, "%"),
        ("rose 2.5 percent", "percent", 2.5, "%"),
        ("cut 6,000 jobs", "number", 6000.0, "@job"),
        ("cut 600 jobs", "number", 600.0, "@job"),
        ("passed 10 million downloads", "number", 10e6, "download"),
        ("over the next three years", "number", 3.0, "@year"),
        ("one million people", "number", 1e6, "@people"),
        ("a billion dollars", "amount", 1e9, "USD"),
    ],
)
def test_quantities_carry_value_kind_and_unit(text: str, kind: str, value: float, unit: str) -> None:
    q = one_quantity(text)
    assert (q.kind, q.value, q.unit) == (kind, pytest.approx(value), unit)


def test_amount_text_span_is_the_whole_expression() -> None:
    assert one_quantity("through a $14.3 billion investment deal").text == "$14.3 billion"


def test_scale_word_and_abbreviation_are_the_same_amount() -> None:
    a, b = one_quantity("$14.3 billion"), one_quantity("$14.3bn")
    assert compare_quantities(a, b) == "match"


def test_decimal_shift_is_a_conflict() -> None:
    assert compare_quantities(one_quantity("$14.3 billion"), one_quantity("$1.43 billion")) == "conflict"


def test_600_does_not_match_6000() -> None:
    assert compare_quantities(one_quantity("6,000 jobs"), one_quantity("600 jobs")) == "conflict"


def test_different_percentages_conflict_and_rounding_does_not() -> None:
    assert compare_quantities(one_quantity("17% of downloads"), one_quantity("27% of downloads")) == "conflict"
    assert compare_quantities(one_quantity("17% of downloads"), one_quantity("17.3% of downloads")) == "compatible"


def test_qualified_figures_are_compatible_not_conflicting() -> None:
    assert compare_quantities(one_quantity("17% of downloads"), one_quantity("over 14% of downloads")) == "compatible"
    assert compare_quantities(one_quantity("600 people"), one_quantity("nearly 600 people")) == "match"


def test_counts_of_different_things_are_incomparable() -> None:
    assert compare_quantities(one_quantity("600 jobs"), one_quantity("6,000 stores")) == "incomparable"
    assert compare_quantities(one_quantity("$5 million"), one_quantity("5 million euros")) == "incomparable"


@pytest.mark.parametrize(
    "text", ["Meta released Llama 4", "GPT-5 arrived", "Gemini 3 Pro launched", "the Qwen3 model", "in 2025", "the 3rd"]
)
def test_names_years_and_ordinals_are_not_quantities(text: str) -> None:
    assert extract_quantities(text) == []


def test_nouns_that_count_the_same_thing_are_comparable() -> None:
    assert compare_quantities(one_quantity("600 jobs"), one_quantity("6,000 workers")) == "conflict"
    assert compare_quantities(one_quantity("600 jobs"), one_quantity("600 positions")) == "match"


def test_one_and_a_are_numbers_only_before_a_scale_word() -> None:
    assert extract_quantities("one of them said a day later") == []
