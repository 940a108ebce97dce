"""From per-passage stances to one verdict on the statement.

* ``supported``   - some passage supports it and none contradicts it;
* ``contradicted`` - some passage contradicts it and none supports it;
* ``mixed``       - the corpus holds both (a fact mutated somewhere along the chain): each
  side is more likely there than not; a side whose passages are probably mislabelled (a lone
  weak modality conflict) only lowers the other side's confidence;
* ``unverified``  - nothing relevant commits either way (mentions only, or nothing).

The verdict's confidence treats the passages of one side as independent witnesses
(noisy-OR of their confidences): several copies of a report make the verdict likelier, but
never certain. For ``mixed`` it is the weaker side's strength (both must really be there);
for ``unverified`` it is how sure we are that no committed passage was missed, which falls
as the best mention gets closer to the statement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

VERDICTS = ("supported", "contradicted", "mixed", "unverified")
MAX_CONFIDENCE = 0.99
# Both sides must be more likely present than not for the verdict to be "mixed".
MIXED_SIDE = 0.5


@dataclass(frozen=True, slots=True)
class Verdict:
    """The aggregate judgement and the counts it rests on."""

    verdict: str
    confidence: float
    supports: int
    contradicts: int
    mentions: int


def noisy_or(probabilities: Iterable[float]) -> float:
    """Probability that at least one of several independent witnesses is right."""
    miss = 1.0
    for p in probabilities:
        miss *= 1.0 - min(max(p, 0.0), 1.0)
    return 1.0 - miss


def aggregate(judgements: Iterable[tuple[str, float, float]]) -> Verdict:
    """Verdict over ``(stance, confidence, relevance)`` triples of the evidence kept."""
    sup: list[float] = []
    con: list[float] = []
    men: list[float] = []
    for stance, confidence, relevance in judgements:
        if stance == "supports":
            sup.append(confidence)
        elif stance == "contradicts":
            con.append(confidence)
        elif stance == "mentions":
            men.append(relevance)
    if sup and con:
        s_side, c_side = noisy_or(sup), noisy_or(con)
        if s_side >= MIXED_SIDE and c_side >= MIXED_SIDE:
            verdict, conf = "mixed", min(s_side, c_side)
        elif s_side >= c_side:
            # the contradicting side is more likely wrong than right (say, a lone "may" vs
            # "will"): the verdict is the other side's, discounted by the doubt it raises
            verdict, conf = "supported", s_side * (1.0 - c_side)
        else:
            verdict, conf = "contradicted", c_side * (1.0 - s_side)
    elif sup:
        verdict, conf = "supported", noisy_or(sup)
    elif con:
        verdict, conf = "contradicted", noisy_or(con)
    else:
        verdict, conf = "unverified", 1.0 - 0.5 * max(men, default=0.0)
    return Verdict(verdict, round(min(conf, MAX_CONFIDENCE), 3), len(sup), len(con), len(men))
