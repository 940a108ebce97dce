"""The register gate: it tells readers' comments and opinion pieces from news reports by the
document's own features; a model with an opinion stage reads their stance with it."""

from __future__ import annotations

import dataclasses

import numpy as np

from service.core.stance.model import classifier as clf
from service.core.stance.model import features as ft

STATEMENT = "Schools should ban mobile phones in classrooms"

REPORT = [
    "The education ministry said on Monday that 40 schools in the region had restricted mobile phones.",
    "According to a ministry spokesman, head teachers reported fewer disruptions during lessons.",
    "The ministry plans to publish a full report on the trial in March, officials said.",
    "A teachers' union said it would review the findings before taking a position.",
]

COMMENT = [
    "I really think you are missing the point here.",
    "My kids need their phones, and we should trust them to use them well!",
    "Why would you punish every student for what a few do?",
    "I taught for twenty years and I never needed a ban.",
]


def _rows(model: clf.StanceModel, docs: list[list[str]]) -> np.ndarray:
    words = np.vstack([ft.features(STATEMENT, d, model.idf) for d in docs])
    return np.hstack([words, model.embedding_rows(None, len(docs))])


def test_the_committed_model_has_a_register_gate_and_no_opinion_stage() -> None:
    model = clf.load_model()
    assert model.register is not None and 0.5 <= model.opinion_threshold < 1.0
    # measured through the check on the held-out ARC claims: the opinion stage lowered macro-F1
    assert model.opinion_stance is None and model.opinion_decision_weights is None
    x = _rows(model, [COMMENT, REPORT])
    assert model.weights_for(False, opinion=True) == model.decision_weights
    without = dataclasses.replace(model, register=None)
    assert np.allclose(model.proba_from_features(x), without.proba_from_features(x))


def test_the_gate_tells_a_comment_from_a_news_report() -> None:
    model = clf.load_model()
    assert model.is_opinion(_rows(model, [COMMENT, REPORT])).tolist() == [True, False]


def test_the_gate_reads_the_document_only_not_the_statement() -> None:
    model = clf.load_model()
    assert model.register is not None
    a = _rows(model, [COMMENT])
    b = np.hstack([ft.features("Prices rose sharply", COMMENT, model.idf)[None, :], model.embedding_rows(None, 1)])
    assert np.allclose(model.register.proba(a), model.register.proba(b))


def test_a_headline_is_never_opinion() -> None:
    model = clf.load_model()
    short = ["I think you should ban phones!"]
    assert model.is_opinion(_rows(model, [short])).tolist() == [False]


def test_opinion_documents_take_the_opinion_stage_and_weights() -> None:
    base = clf.load_model()
    opinion_weights = {"supports": 1.0, "contradicts": 1.2, "mentions": 1.0, "unrelated": 1.0}
    # any multinomial stage over the same features serves to show the routing (here the headline stage)
    model = dataclasses.replace(base, opinion_stance=base.short_stance, opinion_decision_weights=opinion_weights)
    x = _rows(model, [COMMENT, REPORT])
    without = dataclasses.replace(base, register=None)
    assert not without.is_opinion(x).any()
    p, q = model.proba_from_features(x), without.proba_from_features(x)
    assert not np.allclose(p[0], q[0])  # the comment: the opinion stage
    assert np.allclose(p[1], q[1])  # the report: the body stage, as before
    judged = clf.judge_documents(STATEMENT, [COMMENT, REPORT], model)
    assert [j.opinion for j in judged] == [True, False]
    probs = judged[0].probs
    assert model.weights_for(False, opinion=True) == opinion_weights
    assert judged[0].label == max(clf.LABELS, key=lambda k: probs[k] * opinion_weights[k])
