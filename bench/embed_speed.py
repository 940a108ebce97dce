"""CPU time to embed 1,000 passages with a candidate embedding model (one thread), as JSON.

    .venv/bin/python bench/embed_speed.py                                   # the service's model (WordLlama)
    .venv/bin/python bench/embed_speed.py --dim 256
    python bench/embed_speed.py --embedder onnx --onnx-model M.onnx --tokenizer tokenizer.json
    python bench/embed_speed.py --embedder sentence-transformers --model-dir DIR

The passages are the sentences of the first 200 FNC-1 train bodies, segmented by the service,
shuffled (seed 3), ``--passages`` of them, sorted by length and embedded in batches of 64 (the
least padding a transformer can get). Reports ``time.process_time()`` per 1,000 passages (robust
to other load on a shared machine), wall time, and the model's load time. The ONNX and
sentence-transformers embedders are for the model comparison in docs/checking.md only; run them
from an environment that has ``onnxruntime`` or ``torch`` (the service needs neither).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "datasets" / "fnc-1"


def passages(n: int, data: Path) -> list[str]:
    from service.core.text.segment import sentences

    with open(data / "train_bodies.csv", encoding="utf-8") as fh:
        bodies = [r["articleBody"] for r in csv.DictReader(fh)]
    out = [s for body in bodies[:200] for s in sentences(body)]
    random.Random(3).shuffle(out)
    return sorted(out[:n], key=len)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--embedder", choices=["service", "onnx", "sentence-transformers"], default="service")
    ap.add_argument("--dim", type=int, default=None, help="service: dimensions kept (64, 128, 256)")
    ap.add_argument("--onnx-model")
    ap.add_argument("--tokenizer")
    ap.add_argument("--model-dir")
    ap.add_argument("--passages", type=int, default=1000)
    ap.add_argument("--data", type=Path, default=DATA)
    args = ap.parse_args()
    texts = passages(args.passages, args.data)

    t0 = time.perf_counter()
    embed: Callable[[Sequence[str]], Any]
    if args.embedder == "service":
        from service.semantic import model

        embed = model.load(args.dim or model.DIM).embed
    elif args.embedder == "onnx":
        from bench.retrieval_recall import onnx_embedder

        embed = onnx_embedder(args.onnx_model, args.tokenizer)
    else:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch  # type: ignore[import-not-found]
        from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

        torch.set_num_threads(1)
        st = SentenceTransformer(args.model_dir, device="cpu")

        def embed(batch: Sequence[str]) -> Any:
            return st.encode(list(batch), batch_size=64, normalize_embeddings=True)

    load_seconds = time.perf_counter() - t0
    embed(texts[:16])  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(texts), 64):
        embed(texts[start : start + 64])
    cpu = time.process_time() - cpu
    wall = time.perf_counter() - wall
    print(json.dumps({"embedder": args.embedder, "dim": args.dim, "passages": len(texts),
                      "load_seconds": round(load_seconds, 2),
                      "cpu_seconds_per_1000": round(1000 * cpu / len(texts), 3),
                      "wall_seconds_per_1000": round(1000 * wall / len(texts), 3)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
