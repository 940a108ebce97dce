"""WordNet through nltk's reader: base forms, opposites, other words, broader words, and life without it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from service.core.text import wordnet

pytestmark = pytest.mark.skipif(
    not wordnet.available(), reason="WordNet is not installed (scripts/ensure-wordnet.sh)"
)


def test_base_forms_undo_inflection_and_join_particles() -> None:
    assert wordnet.base_forms("rose", wordnet.VERB) == ("rise",)
    assert "lay_off" in wordnet.base_forms("laid_off", wordnet.VERB)
    assert wordnet.base_forms("zyxwv", wordnet.VERB) == ()


@pytest.mark.parametrize(
    ("lemma", "pos", "opposite"),
    [
        ("increase", wordnet.VERB, "decrease"),
        ("win", wordnet.VERB, "lose"),
        ("approve", wordnet.VERB, "disapprove"),
        ("expand", wordnet.VERB, "shrink"),
        ("hire", wordnet.VERB, "lay_off"),
        ("legal", wordnet.ADJ, "illegal"),
    ],
)
def test_antonyms_of_frequent_senses(lemma: str, pos: str, opposite: str) -> None:
    assert opposite in wordnet.antonyms(lemma, pos)


def test_rare_senses_give_no_opposites() -> None:
    # "rise" is the opposite of "set" only for the sun, a sense too rare to count
    assert "set" not in wordnet.antonyms("rise", wordnet.VERB)
    assert "fall" in wordnet.antonyms("rise", wordnet.VERB) or "descend" in wordnet.antonyms("rise", wordnet.VERB)


def test_synonyms_narrower_words_and_hypernyms() -> None:
    assert "carmaker" in wordnet.synonyms("automaker", wordnet.NOUN)
    assert "lay_off" in wordnet.narrower("fire", wordnet.VERB) or "lay_off" in wordnet.antonyms("hire", wordnet.VERB)
    assert wordnet.is_hypernym("vehicle", "car", wordnet.NOUN)
    assert not wordnet.is_hypernym("car", "vehicle", wordnet.NOUN)


def test_inflections_cover_irregular_and_regular_forms() -> None:
    assert {"rose", "risen", "rises", "rising"} <= wordnet.inflections("rise", wordnet.VERB)
    assert "laid_off" in wordnet.inflections("lay_off", wordnet.VERB)


def test_sense_counts_say_which_part_of_speech_a_word_mostly_is() -> None:
    price = wordnet.sense_counts("prices")
    assert price["n"] > price["v"] > 0
    opposes = wordnet.sense_counts("opposes")
    assert opposes["v"] > 0 and opposes["n"] == 0


@pytest.fixture()
def without_wordnet(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """WordNet as on a machine where it is not installed; the loaded reader comes back afterwards."""
    saved: dict[str, Any] = dict(wordnet._state)
    monkeypatch.setattr(wordnet, "_candidates", lambda: [])
    wordnet._state.update({"reader": None, "tried": False})
    wordnet._clear_caches()
    try:
        yield
    finally:
        wordnet._state.update(saved)
        wordnet._clear_caches()


def test_without_wordnet_lookups_answer_nothing_and_warn_once(
    without_wordnet: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="service.core.text.wordnet"):
        assert not wordnet.available()
        assert wordnet.antonyms("increase", wordnet.VERB) == frozenset()
        assert wordnet.base_forms("rose", wordnet.VERB) == ()
        assert not wordnet.is_hypernym("vehicle", "car", wordnet.NOUN)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "WordNet unavailable" in warnings[0].getMessage()


def test_without_wordnet_the_judge_still_judges(without_wordnet: None) -> None:
    from service.core.stance.judge import judge_passage
    from service.core.stance.statement import parse_statement

    stmt = parse_statement("The harbour authority approved a $3 million repair of the pier.")
    same = judge_passage(stmt, "The harbour authority approved a $3 million repair of the pier on Monday.")
    other = judge_passage(stmt, "The harbour authority approved a $30 million repair of the pier.")
    assert same.stance == "supports"
    assert [c.kind for c in other.conflicts] == ["amount"]


def test_a_folder_without_lexnames_is_not_used(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "corpora" / "wordnet"
    folder.mkdir(parents=True)
    (folder / "data.verb").write_text("")
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    assert all(found != folder for found in wordnet._candidates())


def test_the_compact_index_holds_what_nltk_reads() -> None:
    """``CompactIndex`` (what the service keeps) against nltk's own parse of the same files:
    every lemma with the same senses in the same order, the same answer for unknown words, and
    the same look-ups through the reader (``_morphy``, ``synsets``)."""
    import warnings

    import nltk.data
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class Plain(WordNetCorpusReader):
        def map_wn(self, version: str = "wordnet") -> None:
            return None

    compact = wordnet._wn()
    assert isinstance(compact._lemma_pos_offset_map, wordnet.CompactIndex)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        plain = Plain(nltk.data.FileSystemPathPointer(compact._root.path), None)
    ours, theirs = compact._lemma_pos_offset_map, plain._lemma_pos_offset_map
    assert len(ours) == len(theirs) and list(ours) == sorted(theirs)
    for lemma, senses in theirs.items():
        assert ours[lemma] == senses and list(ours[lemma]) == list(senses)
    assert ours["no_such_wordnet_lemma"] == {} and "no_such_wordnet_lemma" not in ours
    assert ours.get("no_such_wordnet_lemma", 1) == 1
    for word in ("rose", "laid_off", "geese", "better", "automakers", "fired", "running", "data", "xyzzy"):
        for pos in ("n", "v", "a", "r"):
            assert compact._morphy(word, pos) == plain._morphy(word, pos)
            assert compact.synsets(word, pos) == plain.synsets(word, pos)
