"""Test data shared by the tiers: a small generated news corpus as ingest payloads.

``generated_payloads(n, seed)`` is a deterministic function of its arguments (tests must not
import ``bench/``, whose generator changes with the benchmarks). The corpus has what the ingest,
rebuild and lineage tests need to mean something:

* originals from a few wire outlets, made of sentences with invented names and figures;
* derivatives in other outlets: verbatim copies with a credit line, excerpts (a run of
  consecutive sentences plus framing), rewrites (sentences dropped, reworded and reordered, an
  unsourced sentence added) and round-ups of two originals; derivatives are copied again, so
  chains A -> B -> C occur;
* outlet boilerplate on every article: a byline of the outlet's own and a disclaimer worded
  alike by all six outlets, so fingerprints cross the index's frequency threshold as the corpus
  grows (the disclaimer's within a dozen documents, an outlet's byline once it has a dozen
  articles) and can fall back under it after deletes.
"""

from __future__ import annotations

import random
from typing import Any

_ONSETS = ["b", "br", "d", "f", "g", "k", "kl", "l", "m", "n", "p", "pr", "r", "s", "st", "t", "tr", "v", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ou", "ea"]
_CODAS = ["", "n", "r", "s", "l", "m", "nd", "st", "x"]
_WIRES = ["Harbor Ledger", "Coastline Wire"]
_OUTLETS = ["Pell Post", "Daily Tamsin", "Morrow Courier", "Eastgate Review"]
_SENTENCES = [
    "{org} {plans} to buy {org2} for {amount}, according to people familiar with the matter.",
    "The deal would be the largest in the history of {org} and could close by {month} {year}.",
    "{person}, the chief executive of {org}, has pushed for the plan since {year}.",
    "{org2} employs about {count} people in {place} and supplies parts to {org3}.",
    "Shares of {org} {rose} {pct} in early trading in {place} after the report.",
    "A spokesperson for {org} declined to comment on the {talks}.",
    "Regulators in {place} are expected to review the agreement before {month}.",
    "{person} told staff in a memo that the group had studied the move for {count2} weeks.",
    "Analysts at {org3} estimate the market for {product} could reach {amount2} by {year}.",
    "{org} opened a second site in {place} last year and hired {count2} engineers there.",
    "Revenue at the {product} unit {fell} {pct} in the last quarter, a filing showed.",
    "The people asked not to be named because the {talks} are private.",
    "\"We are building for the long term,\" {person} said at an event in {place}.",
    "{org2} was founded in {place} in {year2} and went public {count2} years later.",
]
_SYNONYMS = {"plans": "intends", "rose": "climbed", "fell": "dropped", "talks": "negotiations"}
_REWORDINGS = {
    "according to people familiar with the matter": "sources close to the negotiations said",
    "the chief executive of": "who runs", "declined to comment on": "would not discuss",
    "are expected to": "will probably", "could close": "may be completed", "last year": "in the past year",
    "a filing showed": "regulatory documents show", "asked not to be named": "spoke on condition of anonymity",
    "employs about": "has roughly", "people": "staff", "estimate": "believe", "the report": "the news",
}
_COMMENTS = [
    "Whether the bet pays off remains to be seen.",
    "Critics were quick to point out that the timing is unusual.",
    "\"Nobody in the industry saw this coming,\" one longtime observer wrote online.",
    "Industry watchers say the real test will come next year.",
]
_ADVERBS = ["reportedly", "now", "also", "still", "quietly", "already"]
_MONTHS = ["January", "March", "May", "June", "August", "October", "November"]
_PRODUCTS = ["satellite", "battery", "chip", "ferry", "sensor", "turbine"]


def _word(rng: random.Random, syllables: int) -> str:
    return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)).capitalize() + rng.choice(
        _CODAS
    )


def _original(rng: random.Random) -> list[str]:
    facts = {
        "org": f"{_word(rng, 2)} Holdings", "org2": f"{_word(rng, 2)} Systems", "org3": f"{_word(rng, 3)} Group",
        "person": f"{_word(rng, 2)} {_word(rng, 3)}", "place": _word(rng, 3), "product": rng.choice(_PRODUCTS),
        "amount": f"${rng.randint(11, 950)}.{rng.randint(1, 9)} million",
        "amount2": f"${rng.randint(2, 99)}.{rng.randint(1, 9)} billion",
        "month": rng.choice(_MONTHS), "year": str(rng.randint(2019, 2027)), "year2": str(rng.randint(1960, 2010)),
        "count": f"{rng.randint(2, 90) * 100:,}", "count2": str(rng.randint(3, 40)), "pct": f"{rng.randint(2, 39)}%",
        **{key: key for key in _SYNONYMS},
    }
    return [template.format(**facts) for template in rng.sample(_SENTENCES, rng.randint(8, 12))]


def _derive(rng: random.Random, source: dict[str, Any]) -> list[str]:
    sentences: list[str] = source["sentences"]
    kind = rng.choice(["verbatim", "excerpt", "rewrite"])
    if kind == "verbatim":
        return [*sentences, f"This story was originally published by the {source['outlet']}."]
    if kind == "excerpt":
        n = rng.randint(3, min(5, len(sentences)))
        start = rng.randrange(0, len(sentences) - n + 1)
        return ["Here is what we know so far.", f"The {source['outlet']} reported the news first.",
                *sentences[start : start + n], rng.choice(_COMMENTS)]
    kept = [s for s in sentences if rng.random() < 0.8] or sentences[:3]
    reworded = []
    for sentence in kept:
        for words, others in [*_SYNONYMS.items(), *_REWORDINGS.items()]:
            sentence = sentence.replace(f" {words} ", f" {others} ")
        tokens = sentence.split(" ")
        for i in range(2, len(tokens) - 2, 4):  # neighbouring words swapped, every fourth word
            tokens[i], tokens[i + 1] = tokens[i + 1], tokens[i]
        tokens.insert(1, rng.choice(_ADVERBS))
        reworded.append(" ".join(tokens))
    head, tail = reworded[:2], reworded[2:]
    rng.shuffle(tail)
    reworded = head + tail
    reworded.insert(rng.randrange(1, len(reworded) + 1), rng.choice(_COMMENTS))
    return reworded


def generated_payloads(n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` generated articles as ingest payloads (external id, title, outlet, url, text; no dates)."""
    rng = random.Random(seed)
    boilerplate = {
        outlet: (f"By {_word(rng, 2)} {_word(rng, 3)} and staff | {outlet} | Business desk",
                 f"Copyright {outlet}. All rights reserved; no part of this article may be reproduced "
                 f"without the written permission of {outlet}.")
        for outlet in _WIRES + _OUTLETS
    }
    docs: list[dict[str, Any]] = []
    while len(docs) < n:
        sentences = _original(rng)
        family = [{"outlet": rng.choice(_WIRES), "title": sentences[0].split(" for ")[0], "sentences": sentences}]
        for _ in range(rng.choice([0, 1, 1, 2, 3])):
            source = rng.choice(family)
            family.append({"outlet": rng.choice([o for o in _OUTLETS if o != source["outlet"]]),
                           "title": f"What to know: {source['title']}", "sentences": _derive(rng, source)})
        if len(docs) > 10 and rng.random() < 0.1:
            other = rng.choice([d for d in docs if d["outlet"] in _WIRES])
            family.append({"outlet": rng.choice(_OUTLETS), "title": f"Roundup: {family[0]['title']}",
                           "sentences": ["Two stories in brief.", *family[0]["sentences"][:4],
                                         *other["sentences"][:4]]})
        docs.extend(family)
    payloads = []
    for i, doc in enumerate(docs[:n]):
        byline, disclaimer = boilerplate[doc["outlet"]]
        host = doc["outlet"].lower().replace(" ", "") + ".example"
        payloads.append({
            "external_id": f"t{seed}-{i:04d}", "title": doc["title"], "outlet": doc["outlet"],
            "url": f"https://{host}/news/{seed}-{i}",
            "text": f"{byline}\n\n{doc['title']}\n\n{' '.join(doc['sentences'])}\n\n{disclaimer}\n",
        })
    assert len(payloads) == n
    return payloads
