"""Sentence segmentation with offsets."""

from __future__ import annotations

from service.core.text.segment import MAX_PASSAGE_CHARS, sentence_spans, sentences


def test_abbreviations_and_amounts_are_not_split() -> None:
    text = "Wang came in through a $14.3 billion investment deal. He backed U.S. government support for it."
    assert sentences(text) == [
        "Wang came in through a $14.3 billion investment deal.",
        "He backed U.S. government support for it.",
    ]


def test_honorifics_and_initials_do_not_end_a_sentence() -> None:
    text = "Mr. Smith met John F. Kennedy in Washington, D.C. on Monday. They talked."
    assert sentences(text) == ["Mr. Smith met John F. Kennedy in Washington, D.C. on Monday.", "They talked."]


def test_offsets_point_into_the_text_and_lines_are_boundaries() -> None:
    text = "Headline without a stop\nFirst sentence here. Second one.\n\n- A list item\n[1]\n2"
    spans = sentence_spans(text)
    got = [text[s.start : s.end] for s in spans]
    assert got == ["Headline without a stop", "First sentence here.", "Second one.", "- A list item"]


def test_over_long_runs_are_cut_at_spaces() -> None:
    text = " ".join(["word"] * 1000)
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(s.end - s.start <= MAX_PASSAGE_CHARS for s in spans)
    assert " ".join(text[s.start : s.end] for s in spans) == text


def test_segmenter_does_not_split_abbreviations_or_amounts() -> None:
    text = "He pledged $14.3 billion on U.S. infrastructure projects. Wang agreed."
    assert sentences(text) == ["He pledged $14.3 billion on U.S. infrastructure projects.", "Wang agreed."]
