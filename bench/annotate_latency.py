"""Latency of POST /v1/pages/annotate on a large corpus, in-process.

    .venv/bin/python bench/ingest_speed.py --docs 10000 --keep bench/out/corpus10k.db
    .venv/bin/python bench/annotate_latency.py --db bench/out/corpus10k.db --pages 30

Each page is about 1,500 words: sentences copied from several stored articles (some with a
changed figure) interleaved with sentences found nowhere, like a reader's blog post or an
aggregator. Reports the first page's latency, median / p95 / max latency and how often each
sentence got the status it was built with (copied, changed, unsourced).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_FILLER_WORDS = ("river lantern orchard copper meadow harbor violet ember canyon willow quartz falcon "
                 "tundra saffron marble thistle juniper cobalt meridian prairie").split()


def invented_sentence(rng: random.Random) -> str:
    """A sentence that exists nowhere in the corpus."""
    words = [rng.choice(_FILLER_WORDS) for _ in range(rng.randint(12, 20))]
    return " ".join(words).capitalize() + "."


def sentences_of(text: str, expected: list[str]) -> list[str]:
    """The page's sentences in build order (the builder joins them with single spaces)."""
    return _PAGE_SENTENCES[text][: len(expected)]


_PAGE_SENTENCES: dict[str, list[str]] = {}


def build_page(rng: random.Random, sources: list[list[str]], words: int = 1500) -> tuple[str, list[str]]:
    """A page and the status each of its sentences was built with."""
    sentences: list[str] = []
    expected: list[str] = []
    count = 0
    while count < words:
        roll = rng.random()
        source = rng.choice(sources)
        sentence = rng.choice(source)
        if roll < 0.2:
            sentence, status = invented_sentence(rng), "unsourced"
        elif roll < 0.35 and _NUMBER.search(sentence):
            number = _NUMBER.search(sentence)
            assert number is not None
            sentence = sentence[: number.start()] + str(int(float(number.group()) * 10) + 7) + sentence[number.end():]
            status = "changed"
        else:
            status = "copied"
        sentences.append(sentence)
        expected.append(status)
        count += len(sentence.split())
    text = " ".join(sentences)
    _PAGE_SENTENCES[text] = sentences
    return text, expected


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a SQLite database filled by bench/ingest_speed.py")
    ap.add_argument("--pages", type=int, default=30)
    ap.add_argument("--seed", type=int, default=3)
    ap.add_argument("--cold", action="store_true", help="do not warm the feature cache first (fresh process)")
    args = ap.parse_args()

    from sqlalchemy import func, select

    from service import create_app
    from service.db import session_scope
    from service.models import Document, Passage
    from service.provenance.documents import warm_cache

    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "annotate.db"
        shutil.copy(args.db, db)
        app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True})
        with app.app_context(), session_scope(app) as session:
            total = session.scalar(select(func.count()).select_from(Document)) or 0
            doc_ids = rng.sample(range(1, total + 1), min(total, 40 * args.pages))
            sources = []
            for doc_id in doc_ids:
                texts = list(session.scalars(select(Passage.text).where(Passage.document_id == doc_id)
                                             .order_by(Passage.seq)))
                body = [t for t in texts[2:-2] if len(t.split()) >= 12]  # not byline, title, disclaimer
                if len(body) >= 4:
                    sources.append(body)
            if not args.cold:
                warm_cache(session)
        client = app.test_client()
        client.post("/v1/pages/annotate", json={"text": "Warm-up page about nothing in particular at all."})
        latencies, agree, judged = [], 0, 0
        for _ in tqdm(range(args.pages), desc="annotate", unit="page"):
            page_sources = rng.sample(sources, 6)
            text, expected = build_page(rng, page_sources)
            t0 = time.perf_counter()
            r = client.post("/v1/pages/annotate", json={"text": text})
            latencies.append((time.perf_counter() - t0) * 1000)
            built = dict(zip(sentences_of(text, expected), expected, strict=True))
            for s in r.get_json()["sentences"]:
                e = built.get(s["text"])
                if e is not None:
                    judged += 1
                    agree += s["status"] == e or (e == "copied" and s["status"] == "paraphrased")
    first = latencies[0]
    latencies.sort()
    print(json.dumps({
        "corpus_documents": total,
        "pages": args.pages,
        "words_per_page": 1500,
        "first_ms": round(first, 1),
        "median_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
        "max_ms": round(latencies[-1], 1),
        "warm_cache": not args.cold,
        "sentence_status_agreement": round(agree / judged, 3) if judged else None,
        "sentences_judged": judged,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
