"""Headline-sized documents: reporting and hedging cues, weak conflicts, demoted supports."""

from __future__ import annotations

from service.core.stance.conflicts import Conflict, SpanMatch
from service.core.stance.headline import (
    all_figures_found,
    demote_supports,
    hedge_cue,
    off_claim,
    refuting_cue,
    reporting_cue,
    reports_claim,
    settle_weak_conflicts,
    subject_only,
    weak_only,
)
from service.core.stance.judge import PassageJudgement
from service.core.stance.statement import parse_statement

STMT = parse_statement("The library on Elm Street will close in March.")


def judgement(stance: str, reason: str, conflicts: list[Conflict] | None = None,
              matched: list[SpanMatch] | None = None) -> PassageJudgement:
    return PassageJudgement(stance, 0.7, 0.8, 0.9, conflicts or [], matched or [], reason=reason)


def test_reporting_cues_are_saying_verbs_and_report_tags() -> None:
    assert reporting_cue("Elm Street library to close, mayor says") == "says"
    assert reporting_cue("Report: Elm Street library to close") == "Report"
    assert reporting_cue("Elm Street library to close according to the council") == "according to"
    assert reporting_cue("Elm Street library to close in March") is None
    # the writer's own view reports nobody's claim
    assert reporting_cue("I think Elm Street library will close in March") is None
    assert reporting_cue("We really believe the library will close, the mayor says") == "says"
    # taking a side is not reporting
    assert reporting_cue("Council confirms Elm Street library will close") is None


def test_credited_sources_and_tips_report_a_claim() -> None:
    # a source credited at the end, a tip, an unconfirmed fear, media as the agent: all report
    assert reporting_cue("Globex to supply ferry engines: Leeds paper") == "Leeds paper"
    assert reporting_cue("Globex settles on Leeds for its plant -CNBC") == "CNBC"
    assert reporting_cue("Globex tipped to bid for the ferry line") == "tipped to"
    assert reporting_cue("Ferry captain feared lost at sea") == "feared"
    assert reporting_cue("Bridge arsonist named by media") == "by media"
    assert reporting_cue("Pier wedding off after it emerges the groom is married") == "it emerges"
    # a dash that is no credit, a tip that is money
    assert reporting_cue("Ferry fares rose - again") is None
    assert reporting_cue("Pizza courier gets tipped 2,000 for one delivery") is None


def test_a_claim_is_reported_unless_the_statement_itself_reports_speech() -> None:
    assert reports_claim(STMT, "Elm Street library to close: report") == "report"
    assert reports_claim(STMT, "Residents think Elm Street library will close") == "think"
    speech = parse_statement("The mayor told residents that the library on Elm Street will close.")
    assert reports_claim(speech, "Mayor tells residents Elm Street library will close") is None


def test_hedge_cues_leave_the_claim_open_unless_the_statement_hedges_too() -> None:
    assert hedge_cue(STMT, "Elm Street library could close in March") == "could"
    assert hedge_cue(STMT, "Purported memo shows Elm Street library closing") == "Purported"
    assert hedge_cue(STMT, "Elm Street library closes in March") is None
    hedged = parse_statement("The library on Elm Street may close in March.")
    assert hedge_cue(hedged, "Elm Street library could close in March") is None


def test_only_a_hedge_conflict_is_weak() -> None:
    weak = judgement("contradicts", "conflict", [Conflict("modality", "will", "may")])
    conflicts = [Conflict("modality", "will", "may"), Conflict("date", "March", "May")]
    strong = judgement("contradicts", "conflict", conflicts)
    assert weak_only(weak) and not weak_only(strong)
    settle_weak_conflicts([weak, strong])
    assert (weak.stance, weak.reason, weak.conflicts, weak.cues) == ("mentions", "reported", [], [("hedge", "may")])
    assert strong.stance == "contradicts"


def test_all_figures_found_needs_every_figure_and_some_figure() -> None:
    assert all_figures_found(STMT, judgement("supports", "facts-match", matched=[SpanMatch("March", "March")]))
    assert not all_figures_found(STMT, judgement("supports", "facts-match"))
    plain = parse_statement("The library on Elm Street will close.")
    assert not all_figures_found(plain, judgement("supports", "wording-match"))


def test_supports_on_reporting_or_hedged_headlines_become_mentions() -> None:
    plain = parse_statement("The library on Elm Street will close.")
    said = judgement("supports", "wording-match")
    hedged = judgement("supports", "wording-match")
    kept = judgement("supports", "wording-match")
    by_model = demote_supports(
        plain,
        ["Elm Street library will close, mayor says", "Elm Street library will probably close",
         "Elm Street library will close"],
        [said, hedged, kept],
        "supports",
    )
    assert by_model == []
    assert (said.stance, said.cues) == ("mentions", [("attribution", "says")])
    assert (hedged.stance, hedged.cues) == ("mentions", [("hedge", "probably")])
    assert kept.stance == "supports"


def test_a_reporting_headline_with_every_figure_keeps_its_support() -> None:
    j = judgement("supports", "facts-match", matched=[SpanMatch("March", "March")])
    assert demote_supports(STMT, ["Elm Street library will close in March, mayor says"], [j], "supports") == []
    assert j.stance == "supports"


def test_the_models_mention_demotes_a_rule_support() -> None:
    j = judgement("supports", "wording-match")
    assert demote_supports(STMT, ["Elm Street library will close in March"], [j], "mentions") == [j]
    assert (j.stance, j.reason) == ("mentions", "model")


def test_a_headline_that_only_names_the_subject() -> None:
    named = judgement("mentions", "subject-only")
    assert subject_only([named, judgement("unrelated", "unrelated")])
    assert not subject_only([named, judgement("mentions", "partial")])
    assert not subject_only([judgement("unrelated", "unrelated")])


def test_a_headline_that_calls_the_claim_false_refutes_it() -> None:
    assert refuting_cue(STMT, "Council debunks claims the Elm Street library will close") == "debunks"
    assert refuting_cue(STMT, "Elm Street library closure story was a hoax") == "hoax"
    assert refuting_cue(STMT, "Elm Street library to close in March") is None
    # a negated refuting word refutes nothing
    assert refuting_cue(STMT, "Elm Street library closure is not a hoax, mayor says") is None


def test_a_statement_that_itself_denies_is_not_refuted_by_a_denial() -> None:
    denial = parse_statement("The mayor denied that the Elm Street library will close.")
    assert refuting_cue(denial, "Mayor denies Elm Street library will close") is None


def test_a_negation_in_a_later_clause_is_part_of_the_claim() -> None:
    # the negation governs the statement's first predicate: the statement denies
    assert parse_statement("The Elm Street library does not close in March.").denies
    assert parse_statement("The mayor denied that the Elm Street library will close.").denies
    # a negation in a later clause is what the statement claims: a hoax headline still refutes it
    later = parse_statement("The council closed the Elm Street library to ensure it does not lose money.")
    assert later.negated and not later.denies
    assert refuting_cue(later, "Elm Street library closure story was a hoax") == "hoax"
    assert not parse_statement("The Elm Street library will close in March.").denies


def test_a_headline_idiom_that_calls_the_claim_false_refutes_it() -> None:
    assert refuting_cue(STMT, "Elm Street library closure story is not real") == "not real"
    assert refuting_cue(STMT, "Experts cast doubt on Elm Street library closure") == "cast doubt"
    assert refuting_cue(STMT, "Doubts raised over Elm Street library closure") == "Doubts raised"
    # a question leaves the claim open; a statement that itself doubts is not refuted by a doubt
    assert refuting_cue(STMT, "Elm Street library closure: is it real?") is None
    doubting = parse_statement("A council report questions the Elm Street library closure.")
    assert refuting_cue(doubting, "Doubts raised over Elm Street library closure") is None
    assert refuting_cue(STMT, "Mayor kills library closure rumour") == "kills library closure rumour"
    assert refuting_cue(STMT, "Reports of Elm Street library closure greatly exaggerated") == "exaggerated"
    # "claims" after a killing is the source of the claim, not a rumour killed
    assert refuting_cue(STMT, "Librarian killed in Elm Street library fire, police claims") is None
    assert refuting_cue(STMT, "No, the Elm Street library isn't closing") == "No"
    assert refuting_cue(STMT, "Nobody expected the Elm Street library to close") is None


BUDGET = parse_statement("The harbour board approved a 3.4 million euro budget for the ferries.")


def test_a_headline_the_rules_find_unrelated_needs_a_majority_for_support() -> None:
    unrelated = [judgement("unrelated", "unrelated")]
    texts = ["Snow closes the mountain pass for a week"]
    # the headline stage reads any headline near the topic as support: below one half it is not
    assert off_claim(STMT, texts, unrelated, 0.45, None, 0.55)
    assert not off_claim(STMT, texts, unrelated, 0.6, None, 0.55)


def test_a_headline_that_names_neither_figure_nor_predicate_is_off_the_claim() -> None:
    text = "A delivery of new life jackets reached the ferries on Monday, and the harbour board thanked the drivers."
    subject = [judgement("mentions", "fact-missing")]
    assert off_claim(BUDGET, [text], subject, 0.8, 0.4, 0.55)
    assert off_claim(BUDGET, [text], subject, 0.8, None, 0.55)  # no vectors: the rules decide
    # close in meaning, a stated figure, or the predicate said: the model's support stands
    assert not off_claim(BUDGET, [text], subject, 0.8, 0.7, 0.55)
    figure = [judgement("mentions", "partial", matched=[SpanMatch("3.4 million", "3.4 million")])]
    assert not off_claim(BUDGET, [text], figure, 0.8, 0.4, 0.55)
    said = "Harbour board approves ferry spending plan"
    assert not off_claim(BUDGET, [said], subject, 0.8, 0.4, 0.55)
    # a statement without figures or dates is left to the model once the rules relate the headline
    plain = parse_statement("The harbour board thanked the carpenters for the benches.")
    assert not off_claim(plain, [text], subject, 0.8, 0.4, 0.55)
