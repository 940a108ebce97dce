"""The stance data sets, read from ``../shared/datasets`` (never copied into the project), and their splits.

One neutral label set for all three: FNC-1 and ARC label (headline, body) pairs agree / disagree /
discuss / unrelated; Emergent's for / against / observing map to agree / disagree / discuss (every
Emergent pair is about its claim). Only the *train* sides are split into a part to fit on and a
held-out part (for model selection and calibration); the test splits are read by ``test_sets``,
to report only.

Every set is a ``StanceSet``: its pairs ``(claim, document key, label, group)`` and its documents
``key -> passages`` (normalised text, one sentence each, as the service stores them). ``group`` is
the claim a pair belongs to (claim-disjoint splits and cross-validation).
"""

from __future__ import annotations

import csv
import random
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.core.text.normalize import normalize_text  # noqa: E402
from service.core.text.segment import sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"
FNC = DATA / "fnc-1"
ARC = DATA / "arc"
EMERGENT = DATA / "emergent" / "emergent_clean_with_split.csv"
LABELS = ("agree", "disagree", "discuss", "unrelated")
EMERGENT_LABELS = {"for": "agree", "against": "disagree", "observing": "discuss"}
HOLD_FRACTION = 0.2

csv.field_size_limit(1 << 24)

Pair = tuple[str, str, str, str]


@dataclass
class StanceSet:
    """Labelled (claim, document) pairs of one data set and split, and the documents they point to."""

    name: str
    pairs: list[Pair]
    documents: dict[str, tuple[str, ...]]

    def labels(self) -> list[str]:
        """The gold label of every pair."""
        return [p[2] for p in self.pairs]

    def subset(self, name: str, keep: list[bool]) -> StanceSet:
        """The pairs flagged in ``keep`` (documents restricted to those they use)."""
        pairs = [p for p, k in zip(self.pairs, keep, strict=True) if k]
        used = {p[1] for p in pairs}
        return StanceSet(name, pairs, {k: v for k, v in self.documents.items() if k in used})


def passages(text: str) -> tuple[str, ...]:
    """A text as the service stores it: normalised, one passage per sentence."""
    norm = normalize_text(text)
    return tuple(sentences(norm)) or (norm,)


def _read_bodies(path: Path, prefix: str) -> dict[str, tuple[str, ...]]:
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["articleBody"].strip()]
    return {prefix + r["Body ID"]: passages(r["articleBody"]) for r in rows}


def _read_stances(path: Path, prefix: str, keep: set[str] | None = None) -> list[Pair]:
    with open(path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if keep is None or r["Body ID"] in keep]
    claims = [normalize_text(r["Headline"]) for r in rows]
    return [(c, prefix + r["Body ID"], r["Stance"], c) for c, r in zip(claims, rows, strict=True)]


def fnc(split: str) -> StanceSet:
    """FNC-1: ``fit`` (training_ids bodies), ``hold`` (hold_out_ids bodies) or ``test`` (competition test)."""
    if split == "test":
        docs = _read_bodies(FNC / "competition_test_bodies.csv", "fnc:")
        pairs = _read_stances(FNC / "competition_test_stances.csv", "fnc:")
    else:
        ids = set((FNC / "splits" / ("training_ids.txt" if split == "fit" else "hold_out_ids.txt")).read_text().split())
        docs = _read_bodies(FNC / "train_bodies.csv", "fnc:")
        pairs = _read_stances(FNC / "train_stances.csv", "fnc:", ids)
    pairs = _claim_components(pairs)
    used = {p[1] for p in pairs}
    return StanceSet(f"fnc-{split}", pairs, {k: v for k, v in docs.items() if k in used})


def _claim_components(pairs: list[Pair]) -> list[Pair]:
    """FNC-1 headlines are worded differently per article: group a pair by the connected component of
    the related (headline, body) graph, so claim-disjoint folds really are disjoint."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for h, b, s, _ in pairs:
        if s != "unrelated":
            parent[find("h:" + h)] = find("b:" + b)
    return [(h, b, s, find("h:" + h)) for h, b, s, _ in pairs]


def _held_claims(groups: list[str], seed: int) -> set[str]:
    """A seeded ``HOLD_FRACTION`` of the distinct claims."""
    distinct = sorted(set(groups))
    random.Random(seed).shuffle(distinct)
    return set(distinct[: int(len(distinct) * HOLD_FRACTION)])


def arc(split: str, seed: int = 13) -> StanceSet:
    """ARC: ``fit`` / ``hold`` (claim-disjoint parts of arc_stances_train.csv) or ``test``."""
    docs = _read_bodies(ARC / "arc_bodies.csv", "arc:")
    pairs = _read_stances(ARC / f"arc_stances_{'test' if split == 'test' else 'train'}.csv", "arc:")
    pairs = [p for p in pairs if p[1] in docs]
    full = StanceSet(f"arc-{split}", pairs, docs)
    if split == "test":
        return full.subset("arc-test", [True] * len(pairs))
    held = _held_claims([p[3] for p in pairs], seed)
    return full.subset(f"arc-{split}", [(p[3] in held) == (split == "hold") for p in pairs])


def emergent(split: str, seed: int = 13) -> StanceSet:
    """Emergent claim vs article headline: ``fit`` / ``hold`` (claim-disjoint parts of the train split) or ``test``."""
    with open(EMERGENT, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == ("test" if split == "test" else "train")]
    docs = {"em:" + r["articleId"]: passages(r["articleHeadline"]) for r in rows}
    pairs = [
        (normalize_text(r["claimHeadline"]), "em:" + r["articleId"], EMERGENT_LABELS[r["articleHeadlineStance"]], c)
        for r, c in ((r, r["claimId"]) for r in rows)
    ]
    full = StanceSet(f"emergent-{split}", pairs, docs)
    if split == "test":
        return full.subset("emergent-test", [True] * len(pairs))
    held = _held_claims([p[3] for p in pairs], seed)
    return full.subset(f"emergent-{split}", [(p[3] in held) == (split == "hold") for p in pairs])


def train_sets(seed: int = 13) -> dict[str, StanceSet]:
    """The fitted-on and held-out parts of the three train splits."""
    return {
        "fnc_fit": fnc("fit"),
        "fnc_hold": fnc("hold"),
        "arc_fit": arc("fit", seed),
        "arc_hold": arc("hold", seed),
        "em_fit": emergent("fit", seed),
        "em_hold": emergent("hold", seed),
    }


def test_sets() -> dict[str, StanceSet]:
    """The test splits: to report on, never to tune on."""
    return {"fnc_test": fnc("test"), "arc_test": arc("test"), "em_test": emergent("test")}
