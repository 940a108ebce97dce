"""Fact extraction: quantities with units and scale words, dates, negation scope, refuting cues."""

from __future__ import annotations

from datetime import date

import pytest

from service.core.facts import (
    compare_dates,
    compare_quantities,
    extract_dates,
    extract_facts,
    extract_negations,
    extract_quantities,
    extract_refutations,
    pole,
    tokenize,
)
from service.core.segment import sentences


def one_quantity(text: str):  # type: ignore[no-untyped-def]
    found = extract_quantities(text)
    assert len(found) == 1, found
    return found[0]


def one_date(text: str, reference: date | None = None):  # type: ignore[no-untyped-def]
    found = extract_dates(text, reference)
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


def test_dates_read_year_season_month_and_day() -> None:
    d = one_date("slated for the spring of 2026")
    assert (d.year, d.season, d.month) == (2026, "spring", None)
    d = one_date("published 04 Dec 2025")
    assert (d.year, d.month, d.day) == (2025, 12, 4)
    assert one_date("left in November").month == 11
    assert one_date("in 2023").kind == "year"


def test_may_the_modal_is_not_a_month() -> None:
    assert extract_dates("It May be launched later") == []


def test_season_years_conflict_and_undated_relative_season_agrees() -> None:
    stated = one_date("in spring 2026")
    assert compare_dates(stated, one_date("in spring 2027")) == "conflict"
    assert compare_dates(stated, one_date("sometime next spring")) == "match"
    assert compare_dates(stated, one_date("in the autumn of 2026")) == "conflict"


def test_relative_dates_resolve_against_the_publication_date() -> None:
    stated = one_date("in spring 2026")
    assert compare_dates(stated, one_date("next spring", date(2025, 12, 4))) == "match"
    assert compare_dates(stated, one_date("next spring", date(2024, 11, 1))) == "conflict"
    assert one_date("next year", date(2025, 3, 1)).year == 2026


def test_months_conflict_and_missing_year_is_no_conflict() -> None:
    assert compare_dates(one_date("in November 2025"), one_date("in December 2025")) == "conflict"
    assert compare_dates(one_date("in November 2025"), one_date("In November,")) == "match"
    assert compare_dates(one_date("in April 2025"), one_date("in 2023")) == "conflict"


def test_negation_scope_runs_to_the_end_of_the_clause() -> None:
    text = "It will not be open source, the company said."
    (cue,) = extract_negations(text)
    assert text[cue.end : cue.scope_end].strip() == "be open source"


@pytest.mark.parametrize(
    "text",
    [
        "It is not only cheap but fast.",
        "The model won't just be closed-source; it is trained on rivals.",
        "There is no doubt it works.",
        "Not just one but two models.",
    ],
)
def test_not_only_not_just_and_no_doubt_are_not_negations(text: str) -> None:
    assert extract_negations(text) == []


def test_contracted_negation_includes_its_auxiliary() -> None:
    (cue,) = extract_negations("Meta didn't release it")
    assert cue.text == "didn't"


def test_refuting_cues() -> None:
    assert [c.text for c in extract_refutations("The company denied the report, calling it a hoax.")] == [
        "denied",
        "hoax",
    ]
    assert extract_refutations("A spokesperson declined to comment.") == []
    assert extract_refutations("That is simply not true.")[0].text == "not true"


def test_poles_map_antonyms_to_one_property() -> None:
    assert pole("open-source") == ("openness", 1)
    assert pole("closed") == ("openness", -1)
    assert pole("rose")[0] == pole("fell")[0] == "direction"  # type: ignore[index]


def test_tokens_keep_abbreviations_and_split_names_from_numbers() -> None:
    norms = [t.norm for t in tokenize("U.S. firms' Llama4 and gpt-oss, model-expected")]
    assert norms == ["u.s", "firms", "llama", "4", "and", "gpt", "oss", "model", "expected"]


def test_segmenter_does_not_split_abbreviations_or_amounts() -> None:
    text = "He pledged $14.3 billion on U.S. infrastructure projects. Wang agreed."
    assert sentences(text) == ["He pledged $14.3 billion on U.S. infrastructure projects.", "Wang agreed."]


def test_a_date_is_not_also_read_as_a_quantity() -> None:
    facts = extract_facts("Meta released it on April 5, 2025 and sold 600 units.")
    assert [d.text for d in facts.dates] == ["April 5, 2025"]
    assert [q.text for q in facts.quantities] == ["600"]


def test_attribution_phrases_mark_a_reported_claim() -> None:
    from service.core.facts import attributes_claim

    assert attributes_claim("There were reports that the mayor resigned.")
    assert attributes_claim("It was reported on Thursday that the mayor resigned.")
    assert attributes_claim("The mayor is said to have resigned.")
    assert not attributes_claim("The mayor resigned on Thursday, officials said.")


def test_shooting_down_a_report_is_a_refutation() -> None:
    assert [c.text for c in extract_refutations("The agent shoots down the report.")] == ["shoots down"]


def test_countries_and_demonyms_share_a_matching_key() -> None:
    keys = {t.norm: t.stem for t in tokenize("U.S. American British UK Chinese China")}
    assert keys["u.s"] == keys["american"]
    assert keys["british"] == keys["uk"]
    assert keys["chinese"] == keys["china"]
    assert keys["u.s"] != keys["uk"]


def test_nouns_that_count_the_same_thing_are_comparable() -> None:
    assert compare_quantities(one_quantity("600 jobs"), one_quantity("6,000 workers")) == "conflict"
    assert compare_quantities(one_quantity("600 jobs"), one_quantity("600 positions")) == "match"


def test_one_and_a_are_numbers_only_before_a_scale_word() -> None:
    assert extract_quantities("one of them said a day later") == []
