"""The stance judge: supports / contradicts / mentions, and the named conflict for each contradiction."""

from __future__ import annotations

from datetime import date

import pytest

from service.core.stance.judge import PassageJudgement, judge_passage
from service.core.stance.statement import parse_statement


def check(statement: str, passage: str, reference: date | None = None) -> PassageJudgement:
    return judge_passage(parse_statement(statement), passage, reference=reference)


def conflict_kinds(j: PassageJudgement) -> list[str]:
    return [c.kind for c in j.conflicts]


def test_same_fact_in_other_words_supports() -> None:
    j = check(
        "The city council approved a $2.1 billion budget for schools in March 2024.",
        "In March 2024 the council approved the schools budget of $2.1bn after a long debate.",
    )
    assert j.stance == "supports"
    assert {(m.statement, m.passage) for m in j.matched} >= {("$2.1 billion", "$2.1bn"), ("March 2024", "March 2024")}
    assert 0.5 < j.confidence < 1.0


@pytest.mark.parametrize(
    ("statement", "passage", "kind", "stated", "found"),
    [
        (
            "The city council approved a $2.1 billion budget for schools.",
            "The city council approved a $21 billion budget for schools on Tuesday.",
            "amount",
            "$2.1 billion",
            "$21 billion",
        ),
        (
            "The carmaker will cut 6,000 jobs at its German plants.",
            "The carmaker will cut 600 jobs at its German plants, the union said.",
            "number",
            "6,000",
            "600",
        ),
        (
            "Unemployment in the region reached 17% last quarter.",
            "Unemployment in the region reached 27% last quarter, officials said.",
            "percent",
            "17%",
            "27%",
        ),
        (
            "The new stadium will open in spring 2026 in Leeds.",
            "The new stadium in Leeds will open in spring 2027, the club confirmed.",
            "year",
            "spring 2026",
            "spring 2027",
        ),
        (
            "Acme Corp fired its chief executive Jane Doe in November 2024.",
            "Acme Corp fired its chief executive Jane Doe in December 2024 after a review.",
            "date",
            "November 2024",
            "December 2024",
        ),
    ],
)
def test_a_differing_figure_or_date_contradicts_and_names_the_fact(
    statement: str, passage: str, kind: str, stated: str, found: str
) -> None:
    j = check(statement, passage)
    assert j.stance == "contradicts"
    assert [(c.kind, c.statement, c.passage) for c in j.conflicts] == [(kind, stated, found)]


def test_undated_next_spring_is_not_a_conflict_with_a_year() -> None:
    j = check("The new stadium in Leeds will open in spring 2026.", "The new stadium in Leeds will open next spring.")
    assert j.stance == "supports"


def test_dated_next_spring_is_resolved_before_comparing() -> None:
    statement = "The new stadium in Leeds will open in spring 2026."
    passage = "The new stadium in Leeds will open next spring."
    assert check(statement, passage, reference=date(2025, 10, 1)).stance == "supports"
    assert conflict_kinds(check(statement, passage, reference=date(2023, 10, 1))) == ["year"]


def test_antonym_in_the_clause_about_the_subject_contradicts() -> None:
    j = check(
        "The Falcon model will be released as an open-source model.",
        "Unlike its earlier open-source models, the Falcon model will be released as a closed-source product.",
    )
    assert j.stance == "contradicts"
    assert [(c.kind, c.statement, c.passage) for c in j.conflicts] == [("antonym", "open-source", "closed-source")]


@pytest.mark.parametrize("passage", [
    "The company's chief financial officer spoke to investors on Monday; the mayor praised new hires at the library.",
    "The company's chief financial officer spoke to investors on Monday. The mayor praised new hires at a library.",
])
def test_an_opposite_said_of_something_else_is_no_conflict(passage: str) -> None:
    # "hires" stands in a clause that names nothing of the statement, and not beside its words
    j = check("The company fired its chief financial officer.", passage)
    assert j.stance != "contradicts" and not j.conflicts


def test_an_opposite_said_of_the_statements_thing_still_contradicts() -> None:
    for passage in ("The company hired a chief financial officer on Monday.",
                    "The company's chief financial officer was hired on Monday."):
        assert conflict_kinds(check("The company fired its chief financial officer.", passage)) == ["antonym"]


def test_the_same_pole_elsewhere_does_not_hide_the_antonym() -> None:
    j = check("Shares of Globex rose sharply on Friday.", "Shares of Globex fell sharply on Friday.")
    assert conflict_kinds(j) == ["antonym"]


def test_negated_statement_agrees_with_the_opposite_pole() -> None:
    j = check("The Falcon model will not be open source.", "The Falcon model will be closed, its makers said.")
    assert j.stance != "contradicts"


def test_negated_predicate_contradicts() -> None:
    j = check(
        "The ministry approved the merger of the two banks.",
        "The ministry has not approved the merger of the two banks yet.",
    )
    assert j.stance == "contradicts"
    assert conflict_kinds(j) == ["negation"]
    assert j.conflicts[0].passage.startswith("not")


def test_not_only_but_is_not_a_negation() -> None:
    j = check(
        "The ministry approved the merger of the two banks.",
        "The ministry not only approved the merger of the two banks but also praised it.",
    )
    assert j.stance == "supports"


def test_hedge_where_the_statement_is_certain_is_a_modality_conflict() -> None:
    j = check(
        "The Falcon model will be released as a closed model next year.",
        "The Falcon model may be released as a closed model next year.",
    )
    assert conflict_kinds(j) == ["modality"]
    assert (j.conflicts[0].statement, j.conflicts[0].passage) == ("will", "may")


def test_refuting_cue_contradicts() -> None:
    j = check(
        "A giant crab attacked swimmers at Brighton beach.",
        "Police said the story of a giant crab attacking swimmers at Brighton beach was a hoax.",
    )
    assert j.stance == "contradicts"
    assert [(c.kind, c.passage) for c in j.conflicts] == [("refutation", "hoax")]


def test_a_different_name_in_the_same_slot_is_an_entity_conflict() -> None:
    j = check(
        "Nvidia chief executive Jensen Huang praised the deal on Monday.",
        "Nvidia chief executive Lisa Su praised the deal on Monday.",
    )
    assert j.stance == "contradicts"
    assert [(c.kind, c.statement, c.passage) for c in j.conflicts] == [("entity", "Jensen Huang", "Lisa Su")]


def test_spelling_variants_of_a_name_are_not_an_entity_conflict() -> None:
    j = check(
        "Alexandr Kowalski joined Initech through a $2 billion deal.",
        "Alexander Kowalski joined Initech through a $2 billion deal.",
    )
    assert j.stance == "supports"


def test_subject_without_the_compared_fact_only_mentions() -> None:
    j = check(
        "The carmaker will cut 6,000 jobs at its German plants.",
        "The carmaker's German plants have faced cuts, the union said.",
    )
    assert j.stance == "mentions"
    assert j.conflicts == []


def test_a_figure_about_something_else_is_no_conflict() -> None:
    j = check(
        "Globex shares closed up 2.5% on Friday.",
        "Globex shares had jumped 4% in early trading before the close on Friday, and then closed up 2.5%.",
    )
    assert j.stance == "supports"


def test_unrelated_passage() -> None:
    j = check("The carmaker will cut 6,000 jobs at its German plants.", "It rained all day in Lisbon.")
    assert j.stance == "unrelated"
    assert j.relevance < 0.3


def test_statement_without_facts_needs_nearly_full_coverage_to_support() -> None:
    statement = "The mayor of Springfield said the bridge is safe."
    assert check(statement, "The mayor of Springfield said on Monday that the bridge is safe.").stance == "supports"
    assert check(statement, "The mayor of Springfield visited the bridge.").stance == "mentions"


def test_confidence_is_a_probability_and_figures_beat_hedges() -> None:
    figure = check(
        "The carmaker will cut 6,000 jobs at its German plants.",
        "The carmaker will cut 600 jobs at its German plants.",
    )
    hedge = check(
        "The Falcon model will be released as a closed model next year.",
        "The Falcon model may be released as a closed model next year.",
    )
    assert 0.0 <= hedge.confidence < figure.confidence <= 1.0


def test_country_and_demonym_are_the_same_name() -> None:
    j = check(
        "Militants released a video of the killing of a U.S. journalist in Syria on Tuesday.",
        "Militants released a video of the killing of an American journalist in Syria on Tuesday.",
    )
    assert j.stance == "supports"


def test_headline_capitals_are_not_names() -> None:
    j = check(
        "Gold Watches Will Be Stored In Special Safes At Stores",
        "Stores To Keep Gold Watches In Custom Safes",
    )
    assert "entity" not in conflict_kinds(j)


def test_attributed_claim_is_only_a_mention() -> None:
    statement = "The mayor of Springfield resigned after the audit."
    assert check(statement, "The mayor of Springfield resigned after the audit, officials said.").stance == "supports"
    assert check(statement, "The mayor of Springfield reportedly resigned after the audit.").stance == "mentions"
    assert check(statement, "There were reports that the mayor of Springfield resigned after the audit.").stance == (
        "mentions"
    )


@pytest.mark.parametrize("passage", [
    "Will the mayor of Springfield resign after the audit?",
    "Did the mayor of Springfield resign after the audit?",
    "So, is the mayor of Springfield resigning after the audit?",
    'Springfield mayor to resign after the audit?',
])
def test_a_passage_that_asks_whether_the_claim_holds_only_mentions_it(passage: str) -> None:
    j = check("The mayor of Springfield resigned after the audit.", passage)
    assert j.stance == "mentions" and ("question", "?") in [(c[0], c[1]) for c in j.cues]


def test_a_question_for_something_takes_the_claim_for_granted() -> None:
    # "Why did X happen?" presupposes X: it is left to the other rules, as a statement would be
    j = check("The mayor of Springfield resigned after the audit.",
              "Why did the mayor of Springfield resign after the audit?")
    assert j.stance == "supports" and not j.cues


def test_a_quoted_headline_is_only_a_mention() -> None:
    j = check(
        "A priest who died for 48 minutes says God is a woman.",
        'It is an eye-catching headline: "A priest who died for 48 minutes says God is a woman."',
    )
    assert j.stance == "mentions"


def test_a_passage_refuting_a_denial_agrees_with_it() -> None:
    j = check(
        "The agent denied the report of a failed drug test.",
        "The agent denied the report that the golfer failed a drug test.",
    )
    assert j.stance != "contradicts"


def test_a_figure_the_statement_denies_is_not_compared() -> None:
    j = check(
        "The video shows a college student, not a 16-year-old boy.",
        "The video shows a 26-year-old college student.",
    )
    assert "number" not in conflict_kinds(j)


def test_a_pole_describing_another_named_thing_is_no_conflict() -> None:
    j = check(
        "The Falcon model will be a closed model.",
        "The Falcon model is being trained on the open-source model series Qwen.",
    )
    assert "antonym" not in conflict_kinds(j)


def test_a_date_is_compared_for_the_name_it_belongs_to() -> None:
    statement = "Globex released Falcon 4 in April 2024."
    assert conflict_kinds(check(statement, "The release of Falcon4 in April 2025 was a turning point.")) == ["year"]
    # the same year elsewhere, for another product of the same family, is no conflict
    assert check(statement, "Globex released its Falcon series in February 2023, to acclaim.").conflicts == []


def test_leaving_in_another_month_contradicts() -> None:
    j = check(
        "Jane Roe left Initech in December 2025.",
        "In November, Jane Roe, the firm's research chief, left the company.",
    )
    assert [(c.kind, c.statement, c.passage) for c in j.conflicts] == [("date", "December 2025", "November")]


def test_copies_published_on_other_days_are_judged_alike_unless_a_date_is_relative() -> None:
    """``passage_reference``: a passage without a relative date reads (and is judged) the same
    whatever its publication date, so its copies can share one judgement; one with "next spring"
    resolves it against its own date."""
    from service.core.facts.sentence import extract_facts
    from service.core.stance.passage import passage_reference

    early, late = date(2019, 3, 1), date(2026, 9, 1)
    fixed = "The city opened the bridge in April 2025 after two years of work."
    relative = "The city will open the bridge next spring after two years of work."
    assert passage_reference(fixed, early) is None and passage_reference(fixed, None) is None
    assert passage_reference(relative, early) == early
    assert extract_facts(fixed, early) == extract_facts(fixed, late) == extract_facts(fixed)
    assert extract_facts(relative, early) != extract_facts(relative, late)
    stmt = parse_statement("The city opened the bridge in April 2025")
    assert judge_passage(stmt, fixed, reference=early) == judge_passage(stmt, fixed, reference=late)
    stmt = parse_statement("The city will open the bridge in spring 2020")
    assert judge_passage(stmt, relative, reference=date(2019, 9, 1)) != judge_passage(
        stmt, relative, reference=date(2026, 9, 1))
