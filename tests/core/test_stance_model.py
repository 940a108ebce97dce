"""Tests for the learned document stance model (``service.core.stance_model``)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from service.core import stance_model as sm

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
        probs = sm.document_stance(STATEMENT, passages)
        assert set(probs) == set(sm.LABELS)
        assert math.isclose(sum(probs.values()), 1.0, abs_tol=1e-9)
        assert all(0.0 <= v <= 1.0 for v in probs.values())


def test_refuting_document_scores_contradicts_above_supports() -> None:
    probs = sm.document_stance(STATEMENT, REFUTING)
    assert probs["contradicts"] > probs["supports"]
    assert sm.decide(probs) == "contradicts"


def test_supporting_document_scores_supports_above_contradicts() -> None:
    probs = sm.document_stance(STATEMENT, SUPPORTING)
    assert probs["supports"] > probs["contradicts"]
    assert probs["unrelated"] < 0.5


def test_unrelated_document_scores_unrelated() -> None:
    probs = sm.document_stance(STATEMENT, UNRELATED)
    assert max(probs, key=probs.__getitem__) == "unrelated"
    assert probs["unrelated"] > 0.9
    assert sm.decide(probs) == "unrelated"


def test_empty_document_or_statement_is_unrelated() -> None:
    assert sm.document_stance(STATEMENT, [])["unrelated"] == 1.0
    assert sm.document_stance("  ", SUPPORTING)["unrelated"] == 1.0


def test_outputs_are_deterministic() -> None:
    first = sm.document_stance(STATEMENT, REFUTING)
    sm._cached_doc.cache_clear()
    sm.text_info.cache_clear()
    again = sm.document_stance(STATEMENT, REFUTING)
    assert first == again


def test_loading_is_cached() -> None:
    assert sm.load_model() is sm.load_model()


def test_load_model_reads_an_explicit_path(tmp_path) -> None:
    js = json.loads(sm.default_model_path().read_text(encoding="utf-8"))
    js["decision_weights"] = {label: 1.0 for label in sm.LABELS}
    path = tmp_path / "model.json"
    path.write_text(json.dumps(js), encoding="utf-8")
    model = sm.load_model(str(path))
    assert model is not sm.load_model()
    assert model.decision_weights == {label: 1.0 for label in sm.LABELS}


def test_model_file_with_other_features_is_rejected(tmp_path) -> None:
    js = json.loads(sm.default_model_path().read_text(encoding="utf-8"))
    js["features"] = js["features"][:-1]
    with pytest.raises(ValueError, match="feature set"):
        sm.StanceModel.from_json(js)


def test_committed_model_is_small() -> None:
    assert sm.default_model_path().stat().st_size < 2_000_000


def test_features_follow_the_declared_order() -> None:
    model = sm.load_model()
    x = sm.features(STATEMENT, REFUTING, model.idf)
    assert x.shape == (sm.N_FEATURES,)
    named = dict(zip(sm.FEATURES, x, strict=True))
    assert named["stmt_refute"] == 0.0
    assert named["best_refute"] == 1.0
    assert named["cos_max"] > 0.3
    assert np.isfinite(x).all()


def test_number_mismatch_is_a_feature() -> None:
    idf = sm.load_model().idf
    doc = ["The company paid $14 billion for the stake."]
    same = dict(zip(sm.FEATURES, sm.features("Company pays $14 billion for stake", doc, idf), strict=True))
    other = dict(zip(sm.FEATURES, sm.features("Company pays $1.4 billion for stake", doc, idf), strict=True))
    assert same["num_match"] == 1.0 and same["num_miss"] == 0.0
    assert other["num_match"] == 0.0 and other["num_miss"] == 1.0


def test_cue_groups_match_prefixes_and_contractions() -> None:
    info = sm.text_info("He denied it, calling the photos doctored hoaxes; officials haven't confirmed anything.")
    cues = dict(zip(sm.CUE_GROUPS, info.cues, strict=True))
    assert cues["refute"] == 3  # denied, doctored, hoaxes
    assert cues["negation"] == 1  # haven't
    assert cues["confirm"] == 2  # officials, confirmed


def test_passage_relevance_ranks_the_matching_passage_first() -> None:
    assert sm.passage_relevance(STATEMENT, SUPPORTING[0]) > sm.passage_relevance(STATEMENT, UNRELATED[0])
    assert sm.passage_relevance(STATEMENT, UNRELATED[0]) == 0.0
    assert sm.best_passages(STATEMENT, UNRELATED + SUPPORTING, k=1) == [3]


def test_decide_applies_decision_weights() -> None:
    model = sm.load_model()
    probs = {"supports": 0.3, "contradicts": 0.25, "mentions": 0.35, "unrelated": 0.1}
    expected = max(sm.LABELS, key=lambda k: probs[k] * model.decision_weights[k])
    assert sm.decide(probs, model) == expected


def test_batched_stances_equal_single_document_stances() -> None:
    docs = [SUPPORTING, REFUTING, [], UNRELATED]
    batched = sm.document_stances(STATEMENT, docs)
    for doc, probs in zip(docs, batched, strict=True):
        single = sm.document_stance(STATEMENT, doc)
        assert probs.keys() == single.keys()
        assert all(math.isclose(probs[k], single[k], rel_tol=1e-9, abs_tol=1e-12) for k in probs)
    assert sm.document_stances("", docs) == [sm.document_stance("", d) for d in docs]


def test_judge_document_names_the_evidence_and_cues() -> None:
    judgement = sm.judge_document(STATEMENT, UNRELATED + REFUTING)
    assert judgement.label == "contradicts"
    assert judgement.evidence[0] >= len(UNRELATED)
    assert judgement.cues.get("refute", 0) >= 2
    assert not judgement.short
    assert judgement.probs == sm.document_stance(STATEMENT, UNRELATED + REFUTING)
    assert judgement.evidence == sm.best_passages(STATEMENT, UNRELATED + REFUTING)
    assert judgement.anchor is not None and judgement.anchor >= len(UNRELATED)
    assert sm.text_info((UNRELATED + REFUTING)[judgement.anchor]).cues[sm.CUE_GROUPS.index("refute")] > 0


def test_anchor_follows_the_label() -> None:
    assert sm.judge_document(STATEMENT, UNRELATED).anchor is None
    supported = sm.judge_document(STATEMENT, UNRELATED + SUPPORTING)
    assert supported.label != "unrelated"
    assert supported.anchor == supported.evidence[0]


def test_headline_sized_documents_use_the_short_stage() -> None:
    model = sm.load_model()
    assert model.short_stance is not None and model.short_decision_weights is not None
    claim = "A great white shark swam along a flooded highway in Houston"
    hoax = ["Viral photo of shark swimming on flooded Houston highway is a hoax"]
    judgement = sm.judge_document(claim, hoax)
    assert judgement.short
    assert judgement.label == "contradicts"
    x = sm.features(claim, hoax, model.idf)
    assert sm.is_short(x).tolist() == [True]
    assert sm.is_short(sm.features(STATEMENT, SUPPORTING * 10, model.idf)).tolist() == [False]
    body_stage = sm.StanceModel(model.idf, model.related, model.stance, model.decision_weights, {})
    assert not np.allclose(body_stage.proba_from_features(x), model.proba_from_features(x))


def test_decide_uses_short_weights_for_headlines() -> None:
    model = sm.load_model()
    probs = {"supports": 0.3, "contradicts": 0.2, "mentions": 0.25, "unrelated": 0.25}
    for short in (False, True):
        w = model.weights_for(short)
        assert sm.decide(probs, model, short=short) == max(sm.LABELS, key=lambda k: probs[k] * w[k])


def test_fast_tokeniser_agrees_with_normalize_words() -> None:
    from service.core.normalize import words

    for text in (
        "The U.S. didn't say it's a 'hoax' - well-known e-mail, $14.3 billion (2024)!",
        "Café owner José Müller denied the ÉTÉ rumour",
        "under_score and   spaces\\nnew-line",
    ):
        assert sm._tokens(text) == words(text)


def test_batched_judgements_equal_single_judgements() -> None:
    docs = [SUPPORTING, [], REFUTING, UNRELATED, ["Viral photo of the mayor resigning is a hoax"]]
    batched = sm.judge_documents(STATEMENT, docs)
    assert [j.label for j in batched] == [sm.judge_document(STATEMENT, d).label for d in docs]
    assert [j.anchor for j in batched] == [sm.judge_document(STATEMENT, d).anchor for d in docs]
    assert batched[1] == sm.Judgement("unrelated", sm.document_stance(STATEMENT, []), [], {}, False, None)
    assert batched[4].short and not batched[0].short


def test_stages_round_trip_through_json() -> None:
    model = sm.load_model()
    x = np.vstack([sm.features(STATEMENT, doc, model.idf) for doc in (SUPPORTING, REFUTING, UNRELATED)])
    for stage in (model.related, model.stance, model.short_stance):
        assert stage is not None
        again = sm.Stage.from_json(json.loads(json.dumps(stage.to_json())))
        assert type(again) is type(stage)
        assert np.allclose(again.proba(x), stage.proba(x), atol=1e-9)
        assert np.allclose(stage.proba(x).sum(axis=1), 1.0)
    assert isinstance(model.stance, sm.TreeStage)


def test_unknown_stage_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="stage kind"):
        sm.Stage.from_json({"kind": "neural"})
