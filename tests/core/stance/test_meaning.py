"""Meaning, not only words: opposites, negated opposites, other words, figures in other forms,
hedges, headings and bylines, subject-only passages, neighbouring sentences, one conflict once."""

from __future__ import annotations

import pytest

from service.core.stance.judge import PassageJudgement, judge_passage
from service.core.stance.statement import parse_statement
from service.core.text import wordnet

pytestmark = pytest.mark.skipif(
    not wordnet.available(), reason="WordNet is not installed (scripts/ensure-wordnet.sh)"
)


def check(statement: str, passage: str, **kwargs: object) -> PassageJudgement:
    return judge_passage(parse_statement(statement), passage, **kwargs)  # type: ignore[arg-type]


def conflicts(j: PassageJudgement) -> list[tuple[str, str, str]]:
    return [(c.kind, c.statement, c.passage) for c in j.conflicts]


# --- opposites ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("statement", "passage", "stated", "found"),
    [
        (
            "The Harbour Hawks won the regional final against Dunmore.",
            "The Harbour Hawks lost the regional final against Dunmore.",
            "won",
            "lost",
        ),
        (
            "Globex will expand its glass factory in Leeds next year.",
            "Globex will shrink its glass factory in Leeds next year.",
            "expand",
            "shrink",
        ),
        (
            "Initech hired 300 workers at its Ohio plant.",
            "Initech laid off 300 workers at its Ohio plant.",
            "hired",
            "laid off",
        ),
        (
            "The planning board approved the Riverside tower.",
            "The planning board disapproved the Riverside tower.",
            "approved",
            "disapproved",
        ),
        (
            "Ticket sales increased at the Dunmore arena this season.",
            "Ticket sales decreased at the Dunmore arena this season.",
            "increased",
            "decreased",
        ),
    ],
)
def test_the_opposite_predicate_contradicts_and_names_both_words(
    statement: str, passage: str, stated: str, found: str
) -> None:
    j = check(statement, passage)
    assert j.stance == "contradicts"
    assert conflicts(j) == [("antonym", stated, found)]
    assert j.reason == "conflict"


@pytest.mark.parametrize(
    ("statement", "passage"),
    [
        ("The planning board did not approve the Riverside tower.", "The planning board rejected the Riverside tower."),
        ("The town council did not allow the march in the park.", "The town council banned the march in the park."),
        ("The Harbour Hawks did not win the regional final.", "The Harbour Hawks lost the regional final."),
    ],
)
def test_a_negated_opposite_agrees(statement: str, passage: str) -> None:
    j = check(statement, passage)
    assert j.stance == "supports", (j.stance, j.conflicts)
    assert not j.conflicts


def test_converse_verbs_are_not_opposites() -> None:
    j = check(
        "Globex sold its glass unit to Initech in March.",
        "Initech bought the glass unit from Globex in March.",
    )
    assert j.stance != "contradicts"


def test_an_attributive_adjective_is_no_claim_to_contradict() -> None:
    j = check(
        "The council approved the new stadium plan for Dunmore.",
        "The council approved the old stadium plan for Dunmore.",
    )
    assert j.stance != "contradicts" or conflicts(j)[0][0] != "antonym"


# --- other words ------------------------------------------------------------------------------


def test_a_synonym_covers_the_statement_word() -> None:
    j = check(
        "The automaker recalled 40,000 vans in Spain.",
        "The carmaker recalled 40,000 vans in Spain on Friday.",
    )
    assert j.stance == "supports"


# --- figures in other forms -----------------------------------------------------------------


def test_an_age_in_another_form_is_compared() -> None:
    differing = check(
        "Jane Roe, a 45-year-old teacher, won the Dunmore essay prize.",
        "The Dunmore essay prize went to Jane Roe, a teacher aged 54.",
    )
    assert conflicts(differing) == [("age", "45-year-old", "54")]
    same = check(
        "Jane Roe, a 45-year-old teacher, won the Dunmore essay prize.",
        "Jane Roe, 45, a teacher, won the Dunmore essay prize.",
    )
    assert same.stance == "supports"


@pytest.mark.parametrize(
    ("statement", "passage"),
    [
        ("Half of the staff at the Leeds plant left.", "50 percent of the staff at the Leeds plant left."),
        ("A third of the voters in Dunmore backed the toll.", "33% of the voters in Dunmore backed the toll."),
        ("The port handled 1.2 million containers in 2023.", "The port handled 1,200,000 containers in 2023."),
    ],
)
def test_a_figure_in_another_form_supports(statement: str, passage: str) -> None:
    assert check(statement, passage).stance == "supports"


def test_a_fraction_in_another_form_that_differs_contradicts() -> None:
    j = check(
        "Half of the staff at the Leeds plant were laid off.",
        "20 percent of the staff at the Leeds plant were laid off.",
    )
    assert [c[0] for c in conflicts(j)] == ["percent"]


# --- hedges vs assertions -------------------------------------------------------------------


def test_a_hedged_passage_only_mentions_an_assertion_and_names_its_cue() -> None:
    j = check(
        "Globex closed its Leeds glass plant in May.",
        "Globex reportedly closed its Leeds glass plant in May.",
    )
    assert (j.stance, j.reason) == ("mentions", "reported")
    assert ("attribution", "reportedly") in j.cues


def test_a_certain_statement_against_a_maybe_is_a_modality_conflict() -> None:
    j = check("The Falcon drone will be sold in Spain next year.", "The Falcon drone may be sold in Spain next year.")
    assert conflicts(j) == [("modality", "will", "may")]


def test_an_assertion_supports_a_hedged_statement() -> None:
    j = check("The Falcon drone may be sold in Spain in 2026.", "The Falcon drone will be sold in Spain in 2026.")
    assert j.stance == "supports"


# --- headings, titles, bylines, captions; subject-only ----------------------------------------


def test_a_passage_that_only_names_the_subject_is_a_mention() -> None:
    j = check("Jane Doe opposes the new fuel tax.", "Jane Doe, the new finance minister, spoke in Leeds.")
    assert j.stance == "mentions"


def test_a_subject_only_apposition_of_a_long_name_is_no_support() -> None:
    j = check(
        "Dunmore Harbour Authority chief executive Jane Doe opposes the toll.",
        "Dunmore Harbour Authority chief executive Jane Doe",
    )
    assert (j.stance, j.reason) == ("mentions", "subject-only")


@pytest.mark.parametrize("role", ["heading", "title", "byline", "caption"])
def test_a_heading_without_the_predicate_is_not_evidence(role: str) -> None:
    j = check("Globex closed its Leeds glass plant in May 2024.", "Globex Leeds glass plant, May 2024", role=role)
    assert (j.stance, j.reason) == ("mentions", "not-asserted")


def test_a_heading_that_asserts_the_predicate_is_evidence() -> None:
    j = check("Globex closed its Leeds glass plant in May 2024.", "Globex Closed Its Leeds Glass Plant in May 2024",
              role="heading")
    assert j.stance == "supports"


def test_a_heading_with_a_differing_figure_but_no_predicate_does_not_contradict() -> None:
    j = check("Globex cut 600 jobs at its Leeds glass plant.", "Globex Leeds glass plant: 6,000 jobs", role="heading")
    assert j.stance != "contradicts"


# --- neighbouring sentences -------------------------------------------------------------------


STATEMENT = "Jane Doe joined Initech through a $2 billion deal."
CONTEXT = "Initech hired Jane Doe as its chief scientist last spring."
PASSAGE = "She came in through a $2 billion deal."


def test_a_sentence_that_refers_back_is_judged_with_its_neighbours() -> None:
    alone = check(STATEMENT, PASSAGE)
    assert alone.stance != "supports"
    j = check(STATEMENT, PASSAGE, context=CONTEXT)
    assert j.stance == "supports"
    assert j.reference_word == "She"
    assert set(j.context_terms) == {"Jane", "Doe"}  # the subject; "Initech" is part of the claim


def test_neighbours_lend_the_subject_not_the_claim() -> None:
    j = check(STATEMENT, "She spoke about the weather.", context=CONTEXT)
    assert j.stance != "supports"


def test_neighbours_are_not_read_without_a_reference() -> None:
    j = check(STATEMENT, "A spokesman came in through a $2 billion deal.", context=CONTEXT)
    assert j.stance != "supports"


def test_a_differing_figure_after_a_reference_contradicts_with_context() -> None:
    j = check(STATEMENT, "She came in through a $20 billion deal.", context=CONTEXT)
    assert j.stance == "contradicts"
    assert conflicts(j) == [("amount", "$2 billion", "$20 billion")]


# --- one conflict once --------------------------------------------------------------------------


def test_a_conflict_is_named_once_however_often_the_figure_recurs() -> None:
    statement = "Globex cut 600 jobs; " + " ".join(["Globex cut 600 jobs at its Leeds plant;"] * 30)
    j = check(statement, "Globex cut 6,000 jobs at its Leeds plant.")
    assert len(j.conflicts) == len(set(j.conflicts)) == 1
    assert len(j.matched) == len(set(j.matched))


# --- the same answer under every hash seed ----------------------------------------------------

_FORMS_OF_WOKE = (
    "from service.core.stance.statement import parse_statement; "
    "print(parse_statement('A fisherman wakes up after being declared dead').meaning.forms.get('woke'))"
)


def test_a_phrasal_pole_is_matched_whole() -> None:
    j = check(
        "A fisherman wakes up after being declared dead",
        "The fisherman woke up in the morgue after being declared dead.",
    )
    assert ("wakes up", "woke up") in [(m.statement, m.passage) for m in j.matched]


def test_pole_forms_do_not_depend_on_the_hash_seed() -> None:
    """WordNet's synonyms and inflections come as sets: the poles read from them (and so the span
    a match shows, "woke up" or "woke") must not follow the set order, which the hash seed sets."""
    import os
    import subprocess
    import sys

    seen = set()
    for seed in ("0", "1", "2", "3"):
        out = subprocess.run(
            [sys.executable, "-c", _FORMS_OF_WOKE], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        seen.add(out)
    assert len(seen) == 1
