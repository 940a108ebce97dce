"""The tokenisers: folded words, stemmed tokens for facts, reuse tokens for fingerprints."""

from __future__ import annotations

from service.core.text.normalize import fold
from service.core.text.tokens import reuse_tokens, stemmed_tokens, words
from tests.core.reuse.test_fingerprint import TEXT


def test_fold_and_words_ignore_case_and_accents_but_keep_inner_dots() -> None:
    assert fold("Café") == "cafe"
    assert words("The U.S. paid $14.3 billion, Zürich said.") == [
        "the",
        "u.s",
        "paid",
        "14.3",
        "billion",
        "zurich",
        "said",
    ]


def test_tokens_keep_abbreviations_and_split_names_from_numbers() -> None:
    norms = [t.norm for t in stemmed_tokens("U.S. firms' Llama4 and gpt-oss, model-expected")]
    assert norms == ["u.s", "firms", "llama", "4", "and", "gpt", "oss", "model", "expected"]


def test_countries_and_demonyms_share_a_matching_key() -> None:
    keys = {t.norm: t.stem for t in stemmed_tokens("U.S. American British UK Chinese China")}
    assert keys["u.s"] == keys["american"]
    assert keys["british"] == keys["uk"]
    assert keys["chinese"] == keys["china"]
    assert keys["u.s"] != keys["uk"]


def test_mixed_case_product_names_are_names() -> None:
    assert [t.capital for t in stemmed_tokens("the new iPhone and eBay")] == [False, False, True, False, True]


def test_tokens_keep_figures_whole_and_point_into_the_text() -> None:
    tokens = reuse_tokens(TEXT)
    norms = [t.norm for t in tokens]
    assert "14.3" in norms
    t = next(t for t in tokens if t.norm == "vantrix")
    assert TEXT[t.start : t.end] == "Vantrix" and t.capitalised
    assert [t.norm for t in reuse_tokens("It cut 6,000 jobs")][-2] == "6000"
