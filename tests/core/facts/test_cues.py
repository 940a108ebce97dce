"""Cue words: negation scope, refuting cues, attribution and polar words."""

from __future__ import annotations

import pytest

from service.core.facts.cues import attributes_claim, extract_negations, extract_refutations, pole


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


def test_attribution_phrases_mark_a_reported_claim() -> None:
    assert attributes_claim("There were reports that the mayor resigned.")
    assert attributes_claim("It was reported on Thursday that the mayor resigned.")
    assert attributes_claim("The mayor is said to have resigned.")
    assert not attributes_claim("The mayor resigned on Thursday, officials said.")


def test_shooting_down_a_report_is_a_refutation() -> None:
    assert [c.text for c in extract_refutations("The agent shoots down the report.")] == ["shoots down"]
