"""The embedding model: WordLlama ``l2_supercat`` as the ``wordllama`` package ships it.

The weights (a 32,000-token x 256-dimension float16 table, 16 MB) and the tokenizer come inside
the wheel, so nothing is fetched at run time. They are read straight from the package's files
(``importlib.util.find_spec`` finds them without importing ``wordllama``, whose ``__init__``
reconfigures the root logger and whose loader looks for the tokenizer in the wrong folder and
then tries to download it). The table is truncated to its first ``DIM`` dimensions (the model is
trained Matryoshka-style, so a prefix is itself an embedding). Loaded once per process; when the
package is missing or broken the channel is off, with one warning in the log.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from service.core.semantic.embed import Int8Matrix, StaticEmbedder, quantize

log = logging.getLogger(__name__)

PACKAGE = "wordllama"
WEIGHTS = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
# Dimensions kept of the 256 (chosen on the FNC-1 and ARC train splits, docs/checking.md).
DIM = 128
# What a stored vector was made with: vectors of another model are ignored and rebuilt.
MODEL_NAME = f"wordllama-l2-supercat-{DIM}-int8"
# Passages embedded lately, by text: copies of wire stories repeat whole sentences (half of the
# passages of the generated benchmark corpus), so an ingest worker embeds each one once. At most
# this many (about 300 bytes each with the text: 15 MB per process).
RECENT_MAX = 50_000
_RECENT: OrderedDict[str, bytes] = OrderedDict()
_RECENT_LOCK = threading.Lock()


def package_files() -> tuple[Path, Path]:
    """Paths of the packaged weights and tokenizer (FileNotFoundError when not installed)."""
    spec = find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the {PACKAGE} package is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    weights, tokenizer = root / WEIGHTS, root / TOKENIZER
    for path in (weights, tokenizer):
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing from the {PACKAGE} package")
    return weights, tokenizer


def load(dim: int = DIM) -> StaticEmbedder:
    """Read the packaged model (the first ``dim`` dimensions)."""
    # Tokenising in the ingest workers' forked processes: Rust threads would not survive a fork.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    weights, tokenizer_file = package_files()
    table = load_file(str(weights))["embedding.weight"][:, :dim].astype(np.float32)
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    tokenizer.no_padding()
    tokenizer.no_truncation()

    def tokenize(texts: Sequence[str]) -> list[list[int]]:
        # the fast variant skips character offsets (unused here): half the tokenising time
        return [encoding.ids for encoding in tokenizer.encode_batch_fast(list(texts), add_special_tokens=False)]

    return StaticEmbedder(table, tokenize)


@lru_cache(maxsize=1)
def embedder() -> StaticEmbedder | None:
    """The process's model, or None (logged once) when it cannot be loaded."""
    try:
        return load()
    except (ImportError, OSError, ValueError, KeyError) as exc:
        log.warning("semantic retrieval unavailable (no embedding model): %s: %s", type(exc).__name__, exc)
        return None


def embed_texts(texts: Sequence[str]) -> Int8Matrix | None:
    """int8 vectors of ``texts`` (one row each), or None without a model.

    Texts embedded lately are taken from ``_RECENT`` (the same text always gets the same vector).
    """
    model = embedder()
    if model is None:
        return None
    out = np.zeros((len(texts), DIM), dtype=np.int8)
    with _RECENT_LOCK:
        known = {t: _RECENT[t] for t in set(texts) if t in _RECENT}
    new = sorted(set(texts) - known.keys())
    if new:
        vectors = quantize(model.embed(new))
        computed = {t: v.tobytes() for t, v in zip(new, vectors, strict=True)}
        with _RECENT_LOCK:
            _RECENT.update(computed)
            while len(_RECENT) > RECENT_MAX:
                _RECENT.popitem(last=False)
        known.update(computed)
    for i, text in enumerate(texts):
        out[i] = np.frombuffer(known[text], dtype=np.int8)
    return out
