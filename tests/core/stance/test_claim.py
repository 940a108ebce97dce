"""Not every string is a claim: names, topics, keyword lists and search queries assert nothing."""

from __future__ import annotations

import pytest

from service.core.stance.claim import NotAClaim, read_claim, require_claim
from service.core.text import wordnet

pytestmark = pytest.mark.skipif(
    not wordnet.available(), reason="WordNet is not installed (scripts/ensure-wordnet.sh)"
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Globex", "no-predicate"),
        ("Pineapple", "no-predicate"),
        ("Pier toll price", "no-predicate"),
        ("The closed model", "no-predicate"),
        ("Closed-source Falcon model", "no-predicate"),
        ("Jane Doe, the new finance minister", "no-predicate"),
        ("Globex, Falcon, open source, Initech", "keywords"),
        ("pier repair budget council vote", "keywords"),
        ("Globex AND (Falcon OR NEAR(x)) NOT ^closed", "search-syntax"),
        ("Globex AND Falcon", "search-syntax"),
        ("site:example.org harbour toll", "search-syntax"),
        ("(falcon OR osprey) AND release", "search-syntax"),
        ("Who founded Globex?", "question-for-something"),
        ("When will the bridge reopen?", "question-for-something"),
        ("   ", "no-words"),
    ],
)
def test_strings_that_assert_nothing_are_not_claims(text: str, reason: str) -> None:
    reading = read_claim(text)
    assert not reading.checkable
    assert reading.reason == reason
    assert reading.detail
    with pytest.raises(NotAClaim) as raised:
        require_claim(text)
    assert raised.value.reason == reason


@pytest.mark.parametrize(
    ("text", "verb"),
    [
        ("Prices rose.", "rose"),
        ("Prices rose", "rose"),
        ("It rained.", "rained"),
        ("Jane Doe opposes the tax", "opposes"),
        ("The mayor resigned.", "resigned"),
        ("Mayor Resigns Amid Toll Scandal", "Resigns"),  # a headline: capitals say nothing
        ("Globex to cut 300 jobs at its Leeds plant", "cut"),  # headline future
        ("Falcon delayed again", "delayed"),
        ("They approve the plan.", "approve"),
        ("Investors expect a rate cut", "expect"),
        ("Globex will NOT release the Falcon model", "will"),  # an uppercase NOT is a word here
        ("It's official: the pier is closed", "It's"),
        ("Abolish the bridge toll", "Abolish"),  # a policy claim
        ("Did Globex close the Leeds plant?", "Did"),  # a yes/no question is checked as its proposition
        ("Is the Falcon model open source?", "Is"),
    ],
)
def test_claims_with_a_predicate_are_checkable(text: str, verb: str) -> None:
    reading = read_claim(text)
    assert reading.checkable, reading.detail
    assert verb in [text[a:b] for a, b in reading.predicate]
    assert reading.subject_end == reading.predicate[0][0]


def test_a_yes_no_question_without_its_verb_is_checked_but_a_bare_topic_question_is_not() -> None:
    assert read_claim("The Falcon drone: real or hoax?").checkable
    assert not read_claim("Falcon drone?").checkable


def test_a_colon_before_a_description_is_a_headline_copula_but_a_comma_is_not() -> None:
    assert read_claim("Jane Roe: the fastest swimmer in Leeds").checkable
    assert not read_claim("Jane Roe, the fastest swimmer in Leeds").checkable
    assert not read_claim("Globex: Falcon").checkable


def test_a_question_is_marked_as_one() -> None:
    assert read_claim("Did Globex close the Leeds plant?").question
    assert not read_claim("Globex closed the Leeds plant.").question


def test_the_subject_ends_where_the_predicate_starts() -> None:
    text = "The harbour authority of Leeds approved the repair."
    reading = read_claim(text)
    assert text[: reading.subject_end].strip() == "The harbour authority of Leeds"


def test_the_detail_names_what_was_sent() -> None:
    reading = read_claim("Pineapple")
    assert reading.detail is not None and '"Pineapple"' in reading.detail


@pytest.mark.parametrize(
    "text",
    [
        "Student on the run in France",
        "Harbour bridge in doubt after storm",
        "Leeds hostage at risk",
        "Old coin among finds in time capsule",
        "Plumber's van on front line of flood",
        "Mayor: No toll booths on the new bridge",  # a negative existential after a source tag
        "Jane Doe dead at 52",
    ],
)
def test_headline_predicates_without_their_copula_are_claims(text: str) -> None:
    # headline grammar drops "is"/"are" before a prepositional phrase or an adjective
    reading = read_claim(text)
    assert reading.checkable, reading.detail


@pytest.mark.parametrize(
    "text",
    [
        "Falcon Project and Globex's Dilemma",  # names in a list, not "Project" as a verb
        "Delivery of arms in Leeds",  # a noun with its complement, then a place: a topic
        "A delivery of arms in Leeds",  # a title opened by "a"
        "The Arrest of the Mayor's Brother",
        "Weapons for the harbour police",
        "Globex in",
        "Falcon: in depth",
    ],
)
def test_topics_with_a_prepositional_phrase_stay_refused(text: str) -> None:
    assert not read_claim(text).checkable


def test_a_prepositional_predicate_does_not_move_the_subject_of_a_sentence_with_a_verb() -> None:
    text = "Police in Leeds arrested a man"
    reading = read_claim(text)
    assert text[: reading.subject_end].strip() == "Police in Leeds"
    assert "in" not in [text[a:b] for a, b in reading.predicate]


def test_a_verb_before_and_is_still_a_verb() -> None:
    assert read_claim("Prices rise and fall").checkable


def test_a_lone_year_or_acronym_after_the_preposition_is_a_topic() -> None:
    assert not read_claim("Globex in 2024").checkable
    assert not read_claim("Globex on AI").checkable
    assert read_claim("Globex under fire").checkable
