"""The learned document stance model: probabilities, decisions, judgements and the model file."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from service.core.stance.model import classifier as clf
from service.core.stance.model import features as ft

STATEMENT = "The mayor resigned after the bribery scandal on Tuesday"

SUPPORTING = [
    "The mayor resigned on Tuesday after the bribery scandal engulfed city hall.",
    "In a short statement, the mayor confirmed the resignation and said the bribery scandal made staying impossible.",
    "The city council will choose an interim mayor next week.",
]

REFUTING = [
    "Reports that the mayor resigned after the bribery scandal are false, a spokesman said on Tuesday.",
    "The mayor denied the claims and said he did not resign; the resignation story is a hoax.",
    "The spokesman dismissed the rumour as fake news and said there is no bribery scandal.",
]

UNRELATED = [
    "Heavy rain flooded several coastal villages overnight.",
    "Fishermen were told to stay in port until the storm passes.",
    "Forecasters expect the weather to improve by the weekend.",
]


def test_probabilities_cover_the_four_labels_and_sum_to_one() -> None:
    for passages in (SUPPORTING, REFUTING, UNRELATED):
        probs = clf.document_stance(STATEMENT, passages)
        assert set(probs) == set(clf.LABELS)
        assert math.isclose(sum(probs.values()), 1.0, abs_tol=1e-9)
        assert all(0.0 <= v <= 1.0 for v in probs.values())


def test_refuting_document_scores_contradicts_above_supports() -> None:
    probs = clf.document_stance(STATEMENT, REFUTING)
    assert probs["contradicts"] > probs["supports"]
    assert clf.decide(probs) == "contradicts"


def test_supporting_document_scores_supports_above_contradicts() -> None:
    probs = clf.document_stance(STATEMENT, SUPPORTING)
    assert probs["supports"] > probs["contradicts"]
    assert probs["unrelated"] < 0.5


def test_unrelated_document_scores_unrelated() -> None:
    probs = clf.document_stance(STATEMENT, UNRELATED)
    assert max(probs, key=probs.__getitem__) == "unrelated"
    assert probs["unrelated"] > 0.9
    assert clf.decide(probs) == "unrelated"


def test_empty_document_or_statement_is_unrelated() -> None:
    assert clf.document_stance(STATEMENT, [])["unrelated"] == 1.0
    assert clf.document_stance("  ", SUPPORTING)["unrelated"] == 1.0


def test_outputs_are_deterministic() -> None:
    first = clf.document_stance(STATEMENT, REFUTING)
    clf._cached_doc.cache_clear()
    ft.text_info.cache_clear()
    again = clf.document_stance(STATEMENT, REFUTING)
    assert first == again


def test_loading_is_cached() -> None:
    assert clf.load_model() is clf.load_model()


def test_load_model_reads_an_explicit_path(tmp_path: Path) -> None:
    js = json.loads(clf.default_model_path().read_text(encoding="utf-8"))
    js["decision_weights"] = {label: 1.0 for label in clf.LABELS}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(js), encoding="utf-8")
    model = clf.load_model(str(path))
    assert model is not clf.load_model()
    assert model.decision_weights == {label: 1.0 for label in clf.LABELS}


def test_model_file_with_other_features_is_rejected(tmp_path: Path) -> None:
    js = json.loads(clf.default_model_path().read_text(encoding="utf-8"))
    js["features"] = js["features"][:-1]
    with pytest.raises(ValueError, match="feature set"):
        clf.StanceModel.from_json(js)


def test_committed_model_is_small() -> None:
    assert clf.default_model_path().stat().st_size < 2_000_000


def test_passage_relevance_ranks_the_matching_passage_first() -> None:
    assert clf.passage_relevance(STATEMENT, SUPPORTING[0]) > clf.passage_relevance(STATEMENT, UNRELATED[0])
    assert clf.passage_relevance(STATEMENT, UNRELATED[0]) == 0.0
    assert clf.best_passages(STATEMENT, UNRELATED + SUPPORTING, k=1) == [3]


def test_decide_applies_decision_weights() -> None:
    model = clf.load_model()
    probs = {"supports": 0.3, "contradicts": 0.25, "mentions": 0.35, "unrelated": 0.1}
    expected = max(clf.LABELS, key=lambda k: probs[k] * model.decision_weights[k])
    assert clf.decide(probs, model) == expected


def test_batched_stances_equal_single_document_stances() -> None:
    docs = [SUPPORTING, REFUTING, [], UNRELATED]
    batched = clf.document_stances(STATEMENT, docs)
    for doc, probs in zip(docs, batched, strict=True):
        single = clf.document_stance(STATEMENT, doc)
        assert probs.keys() == single.keys()
        assert all(math.isclose(probs[k], single[k], rel_tol=1e-9, abs_tol=1e-12) for k in probs)
    assert clf.document_stances("", docs) == [clf.document_stance("", d) for d in docs]


def test_judge_document_names_the_evidence_and_cues() -> None:
    judgement = clf.judge_document(STATEMENT, UNRELATED + REFUTING)
    assert judgement.label == "contradicts"
    assert judgement.evidence[0] >= len(UNRELATED)
    assert judgement.cues.get("refute", 0) >= 2
    assert not judgement.short
    assert judgement.probs == clf.document_stance(STATEMENT, UNRELATED + REFUTING)
    assert judgement.evidence == clf.best_passages(STATEMENT, UNRELATED + REFUTING)
    assert judgement.anchor is not None and judgement.anchor >= len(UNRELATED)
    assert ft.text_info((UNRELATED + REFUTING)[judgement.anchor]).cues[ft.CUE_GROUPS.index("refute")] > 0


def test_anchor_follows_the_label() -> None:
    assert clf.judge_document(STATEMENT, UNRELATED).anchor is None
    supported = clf.judge_document(STATEMENT, UNRELATED + SUPPORTING)
    assert supported.label != "unrelated"
    assert supported.anchor == supported.evidence[0]


def test_headline_sized_documents_use_the_short_stage() -> None:
    model = clf.load_model()
    assert model.short_stance is not None and model.short_decision_weights is not None
    claim = "A great white shark swam along a flooded highway in Houston"
    hoax = ["Viral photo of shark swimming on flooded Houston highway is a hoax"]
    judgement = clf.judge_document(claim, hoax)
    assert judgement.short
    assert judgement.label == "contradicts"
    x = np.hstack([ft.features(claim, hoax, model.idf)[None, :], model.embedding_rows(None, 1)])
    assert clf.is_short(x).tolist() == [True]
    assert clf.is_short(ft.features(STATEMENT, SUPPORTING * 10, model.idf)).tolist() == [False]
    body_stage = clf.StanceModel(
        model.idf, model.related, model.stance, model.decision_weights, {}, embedding_dims=model.embedding_dims
    )
    assert not np.allclose(body_stage.proba_from_features(x), model.proba_from_features(x))


def test_decide_uses_short_weights_for_headlines() -> None:
    model = clf.load_model()
    probs = {"supports": 0.3, "contradicts": 0.2, "mentions": 0.25, "unrelated": 0.25}
    for short in (False, True):
        w = model.weights_for(short)
        assert clf.decide(probs, model, short=short) == max(clf.LABELS, key=lambda k: probs[k] * w[k])


def test_batched_judgements_equal_single_judgements() -> None:
    docs = [SUPPORTING, [], REFUTING, UNRELATED, ["Viral photo of the mayor resigning is a hoax"]]
    batched = clf.judge_documents(STATEMENT, docs)
    assert [j.label for j in batched] == [clf.judge_document(STATEMENT, d).label for d in docs]
    assert [j.anchor for j in batched] == [clf.judge_document(STATEMENT, d).anchor for d in docs]
    assert batched[1] == clf.DocumentJudgement("unrelated", clf.document_stance(STATEMENT, []), [], {}, False, None)
    assert batched[4].short and not batched[0].short


def test_vectors_feed_the_embedding_features() -> None:
    """A model with embedding features reads the passage vectors it is given; without them it
    reads the documents as having none (the missing-vector row), and still answers."""
    model = clf.load_model()
    assert model.embedding_dims > 0
    rng = np.random.default_rng(5)
    u = rng.normal(size=128)
    docs = [SUPPORTING, UNRELATED]
    near = [np.vstack([u + rng.normal(scale=0.1, size=128) for _ in d]) for d in docs]
    with_vectors = clf.document_stances(STATEMENT, docs, clf.DocumentVectors(u, near))
    without = clf.document_stances(STATEMENT, docs)
    assert with_vectors != without
    assert clf.document_stances(STATEMENT, docs, clf.DocumentVectors(u, [None, None])) == without
    assert [j.probs for j in clf.judge_documents(STATEMENT, docs, None, clf.DocumentVectors(u, near))] == with_vectors
