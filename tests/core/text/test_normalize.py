"""Normalisation of article text before storage."""

from __future__ import annotations

from service.core.text.normalize import normalize_text


def test_curly_quotes_dashes_and_nbsp_become_plain() -> None:
    assert normalize_text("\u201cClosed\u201d \u2014 it\u2019s\u00a0done \u2013 now") == '"Closed" - it\'s done - now'


def test_mojibake_is_repaired() -> None:
    assert normalize_text("The company\u00e2\u20ac\u2122s plan") == "The company's plan"


def test_whitespace_is_folded_but_paragraphs_kept() -> None:
    assert normalize_text("  One   two\t three \r\n\r\n\r\n\r\nFour  ") == "One two three\n\nFour"


def test_zero_width_and_soft_hyphen_are_removed() -> None:
    assert normalize_text("co\u00adoper\u200bation") == "cooperation"
