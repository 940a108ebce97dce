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
