#!/usr/bin/env python3
"""Train the document stance model (``service/core/stance/model/``) on FNC-1 and write its JSON weights.

Protocol (reproducible, no randomness beyond fixed seeds):
  * fit on the FNC-1 train bodies listed in ``splits/training_ids.txt``;
  * calibrate (temperatures, class biases) and tune the decision weights on ``splits/hold_out_ids.txt`` only;
  * report hold-out macro-F1, per-class F1 and the expected calibration error (ECE, 10 bins);
  * only then, report (never tune on) the competition test split and Emergent (claim vs article headline).

Usage (from the project root; about 2 minutes on 2 cores, progress on stderr):
    .venv/bin/python bench/train_stance.py --cv             # train, write service/core/stance/model/stance_model.json
    .venv/bin/python bench/train_stance.py --no-write --no-test --json
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.core.stance.model import classifier as clf  # noqa: E402
from service.core.stance.model import features as ft  # noqa: E402
from service.core.stance.model import stages  # noqa: E402
from service.core.text.normalize import normalize_text  # noqa: E402
from service.core.text.segment import sentences  # noqa: E402

DATA = ROOT.parent / "shared" / "datasets"
FNC = DATA / "fnc-1"
EMERGENT = DATA / "emergent" / "emergent_clean_with_split.csv"
FNC_LABELS = ("agree", "disagree", "discuss", "unrelated")
SEED = 13
SHORT_C = 0.1

csv.field_size_limit(1 << 24)


def read_bodies(name: str) -> dict[str, tuple[str, ...]]:
    """Body ID -> its passages (normalised text, one sentence each, as the service stores them)."""
    with open(FNC / name, encoding="utf-8") as fh:
        return {r["Body ID"]: tuple(sentences(normalize_text(r["articleBody"]))) for r in csv.DictReader(fh)}


def read_pairs(name: str, keep: set[str] | None = None) -> list[tuple[str, str, str]]:
    """(headline, body id, stance) rows, optionally restricted to the body ids in ``keep``."""
    with open(FNC / name, encoding="utf-8") as fh:
        return [
            (normalize_text(r["Headline"]), r["Body ID"], r["Stance"])
            for r in csv.DictReader(fh)
            if keep is None or r["Body ID"] in keep
        ]


def build_idf(docs: list[list[str]], min_df: int = 2) -> tuple[dict[str, float], float]:
    """Smoothed idf of stems over ``docs`` (each a list of texts); stems seen fewer than ``min_df`` times
    are left out and get the default (the idf of a stem seen once)."""
    df: Counter[str] = Counter()
    for texts in docs:
        stems: set[str] = set()
        for t in texts:
            stems.update(ft.text_info(t).stems)
        df.update(stems)
    n = len(docs)
    idf = {s: round(math.log((n + 1) / (c + 1)) + 1.0, 3) for s, c in df.items() if c >= min_df}
    return idf, round(math.log((n + 1) / 2) + 1.0, 3)


def featurize(pairs: list[tuple[str, str, str]], bodies: dict[str, tuple[str, ...]], idf: ft.IdfTable) -> np.ndarray:
    """Feature matrix of (headline, body) pairs; body aggregates are computed once per body."""
    docs = {bid: ft.doc_info(p, idf) for bid, p in bodies.items()}
    return np.vstack([ft.features(h, bodies[b], idf, docs[b]) for h, b, _ in pairs])


def f1_scores(gold: list[str], pred: list[str], labels: tuple[str, ...]) -> dict[str, float]:
    """Per-class F1."""
    out = {}
    for c in labels:
        tp = sum(g == p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(p == c != g for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c != p for g, p in zip(gold, pred, strict=True))
        out[c] = round(2 * tp / (2 * tp + fp + fn), 4) if tp else 0.0
    return out


def fnc_relative(gold: list[str], pred: list[str]) -> float:
    """The official FNC-1 score relative to the maximum."""

    def score(gs: list[str], ps: list[str]) -> float:
        s = 0.0
        for g, p in zip(gs, ps, strict=True):
            if g == p:
                s += 0.25 + (0.5 if g != "unrelated" else 0.0)
            if g != "unrelated" and p != "unrelated":
                s += 0.25
        return s

    return round(score(gold, pred) / score(gold, gold), 4)


def ece(probs: np.ndarray, gold_idx: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error of the top-label confidence, equal-width bins."""
    conf = probs.max(axis=1)
    correct = probs.argmax(axis=1) == gold_idx
    total = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        m = (conf > lo) & (conf <= hi) if b else (conf >= lo) & (conf <= hi)
        if m.any():
            total += m.sum() / len(conf) * abs(conf[m].mean() - correct[m].mean())
    return round(float(total), 4)


def fit_logistic(x: np.ndarray, y: np.ndarray, class_weight: str | None, c: float) -> stages.LogisticStage:
    """Standardise and fit a logistic regression (binary or multinomial), uncalibrated."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    lr = LogisticRegression(C=c, class_weight=class_weight, max_iter=5000, random_state=SEED)
    lr.fit((x - mean) / scale, y)
    return stages.LogisticStage(mean, scale, lr.coef_, lr.intercept_)


def fit_trees(x: np.ndarray, y: np.ndarray, class_weight: str | None) -> stages.TreeStage:
    """Fit shallow, heavily regularised boosted trees and export them to a ``TreeStage``.

    The regularisation (depth 4, >= 200 rows per leaf, 100 rounds) was chosen by claim-disjoint
    cross-validation on the training split (``--cv``): deeper trees look better on the hold-out,
    whose bodies share claims with training, but learn claim-specific patterns.
    """
    gb = HistGradientBoostingClassifier(
        max_iter=100,
        max_depth=4,
        min_samples_leaf=200,
        learning_rate=0.05,
        class_weight=class_weight,
        early_stopping=False,
        random_state=SEED,
    )
    gb.fit(x, y)
    trees = [pred for iteration in gb._predictors for pred in iteration]
    per_iter = len(gb._predictors[0])
    width = max(len(t.nodes) for t in trees)
    shape = (len(trees), width)
    feature = np.full(shape, -1, dtype=np.intp)
    threshold = np.zeros(shape)
    left = np.zeros(shape, dtype=np.intp)
    right = np.zeros(shape, dtype=np.intp)
    value = np.zeros(shape)
    for i, tree in enumerate(trees):
        nodes = tree.nodes
        n = len(nodes)
        leaf = nodes["is_leaf"].astype(bool)
        feature[i, :n] = np.where(leaf, -1, nodes["feature_idx"])
        threshold[i, :n] = nodes["num_threshold"]
        left[i, :n] = nodes["left"]
        right[i, :n] = nodes["right"]
        value[i, :n] = nodes["value"]
    stage = stages.TreeStage(
        gb._baseline_prediction.ravel(),
        np.tile(np.arange(per_iter), len(gb._predictors)),
        feature,
        threshold,
        left,
        right,
        value,
    )
    probe = x[:: max(1, len(x) // 2000)]
    ref = gb._raw_predict(probe)
    if not np.allclose(stage.raw(probe), ref, atol=1e-6):
        raise RuntimeError("tree export does not reproduce scikit-learn's scores")
    return stage


def calibrate(stage: stages.Stage, x: np.ndarray, y: np.ndarray) -> stages.Stage:
    """Fit the stage's temperature and per-output bias on held-out rows by minimising log-loss.

    The bias undoes the prior distortion that class weighting introduces; the temperature fixes
    over-/under-confidence. Both are fitted with a deterministic coordinate search.
    """
    stage.temperature, stage.bias = fit_temperature_bias(stage.raw(x), y)
    return stage


def fit_temperature_bias(z: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Temperature and per-output bias minimising the log-loss of raw scores ``z`` against ``y``."""
    binary = z.shape[1] == 1

    def nll(t: float, b: np.ndarray) -> float:
        if binary:
            p1 = 1.0 / (1.0 + np.exp(-(z[:, 0] / t + b[0])))
            p = np.where(y == 1, p1, 1.0 - p1)
        else:
            p = stages._softmax(z / t + b)[np.arange(len(y)), y]
        return float(-np.log(np.clip(p, 1e-12, 1.0)).mean())

    t, b = 1.0, np.zeros(z.shape[1])
    step_t, step_b = 0.5, 1.0
    best = nll(t, b)
    for _ in range(500):
        improved = False
        for cand_t in (t * (1 + step_t), t / (1 + step_t)):
            v = nll(cand_t, b)
            if v < best - 1e-9:
                t, best, improved = cand_t, v, True
        for j in range(len(b)):
            for delta in (step_b, -step_b):
                bb = b.copy()
                bb[j] += delta
                v = nll(t, bb)
                if v < best - 1e-9:
                    b, best, improved = bb, v, True
        if not improved:
            step_t /= 2
            step_b /= 2
            if step_b < 1e-4:
                break
    return t, b


def claim_groups(pairs: list[tuple[str, str, str]]) -> list[str]:
    """A claim id per pair: connected components of the related (headline, body) graph."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for h, b, s in pairs:
        if s != "unrelated":
            parent[find("h:" + h)] = find("b:" + b)
    return [find("b:" + b) for _, b, _ in pairs]


def claim_disjoint_cv(x: np.ndarray, y: np.ndarray, groups: list[str], kind: str) -> dict[str, object]:
    """5-fold claim-disjoint CV of stage 2 on related training pairs (a topic-shift estimate)."""
    oof = np.zeros((len(y), 3))
    for trn, tst in GroupKFold(5).split(x, y, groups):
        st = fit_trees(x[trn], y[trn], "balanced") if kind == "trees" else fit_logistic(x[trn], y[trn], "balanced", 0.3)
        oof[tst] = st.proba(x[tst])
    pred = oof.argmax(axis=1)
    gold_l = [FNC_LABELS[i] for i in y]
    f1 = f1_scores(gold_l, [FNC_LABELS[i] for i in pred], FNC_LABELS[:3])
    return {"stage": kind, "macro_f1_3way_argmax": round(sum(f1.values()) / 3, 4), "f1": f1}


def predict_labels(probs: np.ndarray, weights: dict[str, float]) -> list[str]:
    """FNC labels from 4-way probabilities and decision weights (as ``classifier.decide`` does)."""
    w = np.array([weights[label] for label in clf.LABELS])
    return [FNC_LABELS[i] for i in (probs * w).argmax(axis=1)]


def tune_decision(probs: np.ndarray, gold: list[str]) -> dict[str, float]:
    """Grid-search per-class decision weights (mentions fixed at 1) for macro-F1 on the hold-out."""
    best_w, best_f = {label: 1.0 for label in clf.LABELS}, -1.0
    grid = [0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0]
    for ws in grid:
        for wc in grid:
            for wu in (0.6, 0.8, 1.0, 1.25, 1.5):
                w = {"supports": ws, "contradicts": wc, "mentions": 1.0, "unrelated": wu}
                f = sum(f1_scores(gold, predict_labels(probs, w), FNC_LABELS).values()) / 4
                if f > best_f + 1e-9:
                    best_w, best_f = w, f
    return best_w


def report(name: str, probs: np.ndarray, gold: list[str], weights: dict[str, float]) -> dict[str, object]:
    """Macro-F1, per-class F1, FNC relative score, ECE and confusion for one split."""
    pred = predict_labels(probs, weights)
    f1 = f1_scores(gold, pred, FNC_LABELS)
    gold_idx = np.array([FNC_LABELS.index(g) for g in gold])
    return {
        "split": name,
        "pairs": len(gold),
        "macro_f1": round(sum(f1.values()) / 4, 4),
        "f1": f1,
        "fnc_relative": fnc_relative(gold, pred),
        "ece_10": ece(probs, gold_idx),
        "ece_10_related_pairs": ece(probs[gold_idx != 3], gold_idx[gold_idx != 3]),
        "confusion": {g: dict(Counter(p for gg, p in zip(gold, pred, strict=True) if gg == g)) for g in FNC_LABELS},
    }


EMERGENT_TO_INDEX = {"for": 0, "against": 1, "observing": 2}
TO_EMERGENT = {"supports": "for", "contradicts": "against", "mentions": "observing", "unrelated": "observing"}


def emergent_rows(split: str) -> list[tuple[str, list[str], str, str]]:
    """(claim, article-headline passages, stance, claim id) rows of one Emergent split."""
    with open(EMERGENT, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["split"] == split]
    out = []
    for r in rows:
        headline = normalize_text(r["articleHeadline"])
        out.append(
            (
                normalize_text(r["claimHeadline"]),
                sentences(headline) or [headline],
                r["articleHeadlineStance"],
                r["claimId"],
            )
        )
    return out


def emergent_accuracy(probs: np.ndarray, gold: list[str], weights: dict[str, float]) -> float:
    """Emergent accuracy of weighted-argmax decisions (unrelated reads as observing)."""
    chosen = (probs * [weights[k] for k in clf.LABELS]).argmax(1)
    pred = [TO_EMERGENT[label] for label in (clf.LABELS[i] for i in chosen)]
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def fit_short_stage(model: clf.StanceModel) -> tuple[stages.Stage, dict[str, float], dict[str, object]]:
    """Stage 2 for headline-sized documents, fitted on Emergent *train* (claim vs article headline).

    Calibration and decision weights come from claim-disjoint out-of-fold scores on the same
    split, so the Emergent test split stays unseen.
    """
    rows = [r for r in emergent_rows("train")]
    x = np.vstack([ft.features(c, p, model.idf) for c, p, _, _ in rows])
    keep = clf.is_short(x)
    x = x[keep]
    rows = [r for r, k in zip(rows, keep, strict=True) if k]
    y = np.array([EMERGENT_TO_INDEX[s] for _, _, s, _ in rows])
    groups = [g for _, _, _, g in rows]
    oof = np.zeros((len(y), 3))
    for trn, tst in GroupKFold(5).split(x, y, groups):
        oof[tst] = fit_logistic(x[trn], y[trn], None, SHORT_C).raw(x[tst])
    t, b = fit_temperature_bias(oof, y)
    stage = fit_logistic(x, y, None, SHORT_C)
    stage.temperature, stage.bias = t, b
    p_rel = model.related.proba(x)[:, 1]
    p_oof = np.column_stack([stages._softmax(oof / t + b) * p_rel[:, None], 1.0 - p_rel])
    gold = [s for _, _, s, _ in rows]
    best_w, best_acc = {k: 1.0 for k in clf.LABELS}, -1.0
    grid = [0.5, 0.7, 0.85, 1.0, 1.2, 1.5, 2.0, 3.0]
    for ws in grid:
        for wc in grid:
            for wu in (0.5, 0.75, 1.0, 1.5):
                w = {"supports": ws, "contradicts": wc, "mentions": 1.0, "unrelated": wu}
                acc = emergent_accuracy(p_oof, gold, w)
                if acc > best_acc + 1e-9:
                    best_w, best_acc = w, acc
    return stage, best_w, {"pairs": len(y), "claim_disjoint_oof_accuracy": round(best_acc, 4)}


def emergent_report(model: clf.StanceModel, split: str) -> dict[str, object]:
    """Claim vs article headline on Emergent, scored as ``emergenteval.py`` reads the service:
    supports -> for, contradicts -> against, mentions or unrelated -> observing."""
    rows = emergent_rows(split)
    gold = [s for _, _, s, _ in rows]
    pred = [TO_EMERGENT[clf.judge_document(c, p, model).label] for c, p, _, _ in rows]
    f1 = f1_scores(gold, pred, ("for", "against", "observing"))
    return {
        "split": f"emergent-{split}",
        "pairs": len(rows),
        "accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(rows), 4),
        "macro_f1": round(sum(f1.values()) / 3, 4),
        "f1": f1,
    }


def latency(
    model: clf.StanceModel, pairs: list[tuple[str, str, str]], bodies: dict[str, tuple[str, ...]]
) -> dict[str, float]:
    """Milliseconds per document: cold (nothing cached), warm (document cached, new statement), and a
    batch of 200 documents through ``document_stances``."""
    sample = sorted({b for _, b, _ in pairs})[:200]
    docs = [bodies[b] for b in sample]
    statements = sorted({h for h, _, _ in pairs})[:3]
    clf._cached_doc.cache_clear()
    ft.text_info.cache_clear()
    t = time.perf_counter()
    for d in docs:
        model.document_stance(statements[0], d)
    cold = (time.perf_counter() - t) / len(docs)
    t = time.perf_counter()
    for d in docs:
        model.document_stance(statements[1], d)
    warm = (time.perf_counter() - t) / len(docs)
    t = time.perf_counter()
    model.document_stances(statements[2], docs)
    batch = time.perf_counter() - t
    return {
        "documents": len(docs),
        "median_sentences": float(np.median([len(d) for d in docs])),
        "cold_ms_per_doc": round(1000 * cold, 3),
        "warm_ms_per_doc": round(1000 * warm, 3),
        "batch_200_docs_ms": round(1000 * batch, 2),
    }


def progress(t0: float, message: str) -> None:
    """One progress line on stderr (stdout carries the JSON report)."""
    print(f"[{time.perf_counter() - t0:6.1f}s] {message}", file=sys.stderr, flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "service" / "core" / "stance" / "model" / clf.MODEL_FILE)
    ap.add_argument("--no-write", action="store_true", help="train and report without writing the model")
    ap.add_argument("--no-test", action="store_true", help="skip the competition test and Emergent reports")
    ap.add_argument("--c-related", type=float, default=1.0)
    ap.add_argument("--stance-stage", choices=["trees", "logistic"], default="trees")
    ap.add_argument("--cv", action="store_true", help="also run claim-disjoint CV of stage 2 on the training split")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    progress(t0, "reading and segmenting FNC-1 train bodies")

    train_ids = set((FNC / "splits" / "training_ids.txt").read_text().split())
    hold_ids = set((FNC / "splits" / "hold_out_ids.txt").read_text().split())
    bodies = read_bodies("train_bodies.csv")
    train_pairs = read_pairs("train_stances.csv", train_ids)
    hold_pairs = read_pairs("train_stances.csv", hold_ids)

    idf_docs = [list(bodies[b]) for b in sorted(train_ids)] + [[h] for h in sorted({h for h, _, _ in train_pairs})]
    idf_map, idf_default = build_idf(idf_docs)
    idf = ft.IdfTable(idf_map, idf_default)

    progress(t0, f"features of {len(train_pairs)} training and {len(hold_pairs)} hold-out pairs")
    x_tr = featurize(train_pairs, {b: bodies[b] for b in train_ids}, idf)
    x_ho = featurize(hold_pairs, {b: bodies[b] for b in hold_ids}, idf)
    y_tr = np.array([FNC_LABELS.index(s) for _, _, s in train_pairs])
    y_ho = np.array([FNC_LABELS.index(s) for _, _, s in hold_pairs])
    t_feat = time.perf_counter() - t0

    progress(t0, "stage 1 (related) and stage 2 (stance), calibrated on the hold-out")
    rel_tr, rel_ho = y_tr != 3, y_ho != 3
    related = calibrate(fit_logistic(x_tr, rel_tr.astype(int), None, args.c_related), x_ho, rel_ho.astype(int))
    if args.stance_stage == "trees":
        stance: stages.Stage = fit_trees(x_tr[rel_tr], y_tr[rel_tr], "balanced")
    else:
        stance = fit_logistic(x_tr[rel_tr], y_tr[rel_tr], "balanced", 0.3)
    stance = calibrate(stance, x_ho[rel_ho], y_ho[rel_ho])

    progress(t0, "short-document stage on Emergent train")
    uniform = {label: 1.0 for label in clf.LABELS}
    short_stage, short_weights, short_info = fit_short_stage(clf.StanceModel(idf, related, stance, uniform, {}))
    model = clf.StanceModel(idf, related, stance, uniform, {}, short_stage, short_weights)
    p_ho = model.proba_from_features(x_ho)
    gold_ho = [s for _, _, s in hold_pairs]
    weights = tune_decision(p_ho, gold_ho)
    model = clf.StanceModel(idf, related, stance, weights, {}, short_stage, short_weights)
    results: dict[str, object] = {
        "features_seconds": round(t_feat, 1),
        "decision_weights": weights,
        "holdout": report("holdout", p_ho, gold_ho, weights),
        "holdout_argmax": report("holdout-argmax", p_ho, gold_ho, {label: 1.0 for label in clf.LABELS}),
        "short_stage_emergent_train": short_info,
        "short_decision_weights": short_weights,
        "emergent_train": emergent_report(model, "train"),
        "latency_holdout_bodies": latency(model, hold_pairs, bodies),
    }

    if args.cv:
        progress(t0, "claim-disjoint cross-validation of stage 2")
        groups = [g for g, keep in zip(claim_groups(train_pairs), rel_tr, strict=True) if keep]
        results["claim_disjoint_cv"] = claim_disjoint_cv(x_tr[rel_tr], y_tr[rel_tr], groups, args.stance_stage)

    if not args.no_test:
        progress(t0, "report only: FNC-1 competition test and Emergent test")
        test_bodies = read_bodies("competition_test_bodies.csv")
        test_pairs = read_pairs("competition_test_stances.csv")
        p_te = model.proba_from_features(featurize(test_pairs, test_bodies, idf))
        results["test"] = report("competition-test", p_te, [s for _, _, s in test_pairs], weights)
        results["emergent_test"] = emergent_report(model, "test")

    if not args.no_write:
        meta = {
            "trained_on": "FNC-1 train bodies in splits/training_ids.txt; calibrated on splits/hold_out_ids.txt",
            "holdout": results["holdout"],
        }
        if "test" in results:
            meta["competition_test_report_only"] = results["test"]
        js = {
            "version": 1,
            "features": list(ft.FEATURES),
            "idf_default": idf_default,
            "idf": dict(sorted(idf_map.items())),
            "related": related.to_json(),
            "stance": stance.to_json(),
            "decision_weights": weights,
            "short_stance": short_stage.to_json(),
            "short_decision_weights": short_weights,
            "meta": meta,
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(js, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
        results["model_bytes"] = args.out.stat().st_size
    results["seconds"] = round(time.perf_counter() - t0, 1)
    print(json.dumps(results, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
