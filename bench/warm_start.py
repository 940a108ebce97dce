"""Cost of warming the provenance feature cache at start-up: seconds and resident memory.

    .venv/bin/python bench/ingest_speed.py --docs 10000 --keep bench/out/corpus10k.db
    .venv/bin/python bench/warm_start.py --db bench/out/corpus10k.db

Runs ``service.ops.warm_up`` -- what the gunicorn master does before it forks (``PROVENANCE_WARM_CACHE``)
-- on a copy of the database and reports how long it took and how much the resident set grew,
also per 1,000 documents: the memory every worker shares, and the start-up time to budget for.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def resident_mb() -> float:
    """This process's resident set now (Linux), else its peak so far."""
    statm = Path("/proc/self/statm")
    if statm.exists():
        return int(statm.read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True, help="a SQLite database filled by bench/ingest_speed.py")
    ap.add_argument("--limit", type=int, default=30_000, help="documents to warm (PROVENANCE_WARM_CACHE)")
    args = ap.parse_args()

    from service import create_app
    from service.ops import warm_up

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "warm.db"
        shutil.copy(args.db, db)
        app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True, "LOG_LEVEL": "WARNING",
                          "WARM_CACHE": args.limit})
        gc.collect()
        before = resident_mb()
        start = time.perf_counter()
        warmed = warm_up(app)
        seconds = time.perf_counter() - start
        gc.collect()
        grown = resident_mb() - before
        app.extensions["engine"].dispose()
    per_thousand = 1000 / warmed if warmed else 0.0
    print(json.dumps({
        "documents": warmed,
        "seconds": round(seconds, 2),
        "resident_mb_before": round(before),
        "resident_mb_added": round(grown),
        "mb_per_1000_documents": round(grown * per_thousand, 1),
        "seconds_per_1000_documents": round(seconds * per_thousand, 2),
    }))
    return 0 if warmed else 1


if __name__ == "__main__":
    sys.exit(main())
