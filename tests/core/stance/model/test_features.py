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
