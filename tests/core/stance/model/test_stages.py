"""The stance model's scoring stages: JSON round trip and unknown kinds."""

from __future__ import annotations

import json

import numpy as np
import pytest

from service.core.stance.model import classifier as clf
from service.core.stance.model import features as ft
from service.core.stance.model import stages
from tests.core.stance.model.test_classifier import REFUTING, STATEMENT, SUPPORTING, UNRELATED


def test_stages_round_trip_through_json() -> None:
    model = clf.load_model()
    words = np.vstack([ft.features(STATEMENT, doc, model.idf) for doc in (SUPPORTING, REFUTING, UNRELATED)])
    x = np.hstack([words, model.embedding_rows(None, len(words))])
    for stage in (model.related, model.stance, model.short_stance):
        assert stage is not None
        again = stages.Stage.from_json(json.loads(json.dumps(stage.to_json())))
        assert type(again) is type(stage)
        assert np.allclose(again.proba(x), stage.proba(x), atol=1e-9)
        assert np.allclose(stage.proba(x).sum(axis=1), 1.0)
    assert isinstance(model.stance, stages.TreeStage)


def test_unknown_stage_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="stage kind"):
        stages.Stage.from_json({"kind": "neural"})
