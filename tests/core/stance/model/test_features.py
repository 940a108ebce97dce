"""The stance model's features: their order, number overlap and cue groups."""

from __future__ import annotations

import numpy as np

from service.core.stance.model import classifier as clf
from service.core.stance.model import features as ft
from tests.core.stance.model.test_classifier import REFUTING, STATEMENT


def test_features_follow_the_declared_order() -> None:
    model = clf.load_model()
    x = ft.features(STATEMENT, REFUTING, model.idf)
    assert x.shape == (ft.N_FEATURES,)
    named = dict(zip(ft.FEATURES, x, strict=True))
    assert named["stmt_refute"] == 0.0
    assert named["best_refute"] == 1.0
    assert named["cos_max"] > 0.3
    assert np.isfinite(x).all()


def test_number_mismatch_is_a_feature() -> None:
    idf = clf.load_model().idf
    doc = ["The company paid $14 billion for the stake."]
    same = dict(zip(ft.FEATURES, ft.features("Company pays $14 billion for stake", doc, idf), strict=True))
    other = dict(zip(ft.FEATURES, ft.features("Company pays $1.4 billion for stake", doc, idf), strict=True))
    assert same["num_match"] == 1.0 and same["num_miss"] == 0.0
    assert other["num_match"] == 0.0 and other["num_miss"] == 1.0


def test_cue_groups_match_prefixes_and_contractions() -> None:
    info = ft.text_info("He denied it, calling the photos doctored hoaxes; officials haven't confirmed anything.")
    cues = dict(zip(ft.CUE_GROUPS, info.cues, strict=True))
    assert cues["refute"] == 3  # denied, doctored, hoaxes
    assert cues["negation"] == 1  # haven't
    assert cues["confirm"] == 2  # officials, confirmed


def test_negation_next_to_the_statements_own_words_is_a_feature() -> None:
    idf = clf.load_model().idf
    statement = "The ferry service will resume in March"
    denies = ["Officials said the ferry service will not resume until the bridge is repaired."]
    repeats = ["Officials said the ferry service will resume once the bridge is repaired."]
    neg = dict(zip(ft.FEATURES, ft.features(statement, denies, idf), strict=True))
    plain = dict(zip(ft.FEATURES, ft.features(statement, repeats, idf), strict=True))
    assert neg["negated_terms"] > 0.0 and plain["negated_terms"] == 0.0
    # a negated statement against a plain report is the largest mismatch
    negated = dict(zip(ft.FEATURES, ft.features("The ferry service will not resume", repeats, idf), strict=True))
    assert negated["negated_terms_mismatch"] == 1.0 > neg["negated_terms_mismatch"]


def test_register_features_tell_an_opinion_from_a_report() -> None:
    idf = clf.load_model().idf
    statement = "Cities should build more bike lanes"
    opinion = ["I think we should build them everywhere!", "You must try cycling to work."]
    report = ["The council approved two new bike lanes on Monday.", "Work starts in May."]
    op = dict(zip(ft.FEATURES, ft.features(statement, opinion, idf), strict=True))
    rep = dict(zip(ft.FEATURES, ft.features(statement, report, idf), strict=True))
    for name in ("doc_first_person", "doc_second_person", "doc_modal", "doc_exclaim"):
        assert op[name] > rep[name] == 0.0, name


DOCUMENT = (
    "Officials denied on Tuesday that the bridge would close, calling the report a hoax.",
    "The bridge carries 40,000 cars a day and the city says it is not closing.",
    "Engineers inspected the bridge twice; the bridge passed both inspections.",
    "Is the bridge safe? You should ask the engineers, I think!",
    "Repairs will cost $12.5 million, according to the city, and start in May.",
)


def _reference_weights(stems: dict[str, int], idf: ft.IdfTable) -> dict[str, float]:
    """Sublinear TF-IDF as the model was trained with, written plainly."""
    import math

    return {s: (1.0 + math.log(c)) * idf(s) for s, c in stems.items()}


def _reference_norm(w: dict[str, float]) -> float:
    import math

    return math.sqrt(sum(v * v for v in w.values())) or 1.0


def test_document_analysis_matches_the_plain_definition_exactly() -> None:
    """The one-pass analysis (flat postings, per-group sums by column, one cached look-up per
    token) gives the same numbers, bit for bit and in the same order, as the plain definition."""
    from collections import Counter

    idf = clf.load_model().idf
    # the lead boundary: fewer, exactly and one more than LEAD_SENTENCES sentences
    n_lead = ft.LEAD_SENTENCES
    for doc in (DOCUMENT, DOCUMENT[:1], DOCUMENT[:n_lead], DOCUMENT[: n_lead + 1], DOCUMENT * 2, ()):
        d = ft.doc_info(doc, idf)
        sents = [ft.text_info(p) for p in doc]
        total: Counter[str] = Counter()
        for s in sents:
            total.update(s.stems)
        lead: Counter[str] = Counter()
        for s in sents[: ft.LEAD_SENTENCES]:
            lead.update(s.stems)
        assert list(d.weights.items()) == list(_reference_weights(total, idf).items())
        assert list(d.lead_weights.items()) == list(_reference_weights(lead, idf).items())
        assert d.norm == _reference_norm(_reference_weights(total, idf))
        sent_weights = [_reference_weights(s.stems, idf) for s in sents]
        assert d.sent_norms == tuple(_reference_norm(w) for w in sent_weights)
        postings: dict[str, list[object]] = {}
        for i, w in enumerate(sent_weights):
            for stem, v in w.items():
                postings.setdefault(stem, []).extend((i, v))
        assert {k: list(v) for k, v in d.postings.items()} == postings
        assert list(d.postings) == list(postings)
        groups = range(len(ft.CUE_GROUPS))
        assert d.cues == tuple(sum(s.cues[g] for s in sents) for g in groups)
        assert d.lead_cues == tuple(sum(s.cues[g] for s in sents[: ft.LEAD_SENTENCES]) for g in groups)
        assert d.cue_sentences == tuple(tuple(i for i, s in enumerate(sents) if s.cues[g]) for g in groups)
        assert d.register == tuple(sum(s.register[k] for s in sents) for k in range(4))
        assert d.n_tokens == sum(s.n_tokens for s in sents)
        assert d.bigrams == frozenset().union(*(s.bigrams for s in sents))


def test_sentence_similarities_are_the_plain_cosines() -> None:
    idf = clf.load_model().idf
    d = ft.doc_info(DOCUMENT, idf)
    statement = "The city says the bridge will close in May"
    _, sims = ft.analyse_statement(statement, d, idf)
    hw = _reference_weights(ft.text_info(statement).stems, idf)
    expected = [ft._cos(hw, _reference_norm(hw), _reference_weights(ft.text_info(p).stems, idf),
                        _reference_norm(_reference_weights(ft.text_info(p).stems, idf))) for p in DOCUMENT]
    assert sims == expected


def test_text_info_reads_stems_bigrams_and_negation() -> None:
    info = ft.text_info("The mayor did not approve the bridge tolls")
    assert set(info.stems) == {"mayor", "approve", "bridge", "toll"}
    assert "bridge toll" in info.bigrams and "mayor approve" in info.bigrams
    assert "approve" in info.negated and "toll" not in info.negated
