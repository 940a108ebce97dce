"""bench/scale.py at a tiny size: ingest, checks, annotations, the table and the plot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import scale


def test_scale_runs_on_sqlite_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = tmp_path / "scale.json"
    assert scale.main(["--sizes", "40", "--engines", "sqlite", "--checks", "3", "--pages", "1",
                       "--out", str(out), "--json", str(result)]) == 0
    (row,) = json.loads(result.read_text())
    assert row["engine"] == "sqlite" and row["documents"] == 40
    assert row["ingest"]["failed"] == 0 and row["ingest"]["docs_per_second"] > 0
    queries = row["queries"]
    assert sum(queries["check_status"].values()) == 3
    assert queries["annotate_median_ms"] > 0 and queries["query_peak_rss_mb"] > 0
    assert row["database_mb"] >= 0
    assert json.loads((out / "ingest_sqlite_40.progress.json").read_text())["done"] == 40
    pytest.importorskip("matplotlib")
    png = tmp_path / "scale.png"
    assert scale.main(["--plot", str(result), "--png", str(png)]) == 0
    assert png.stat().st_size > 1000
    assert "| sqlite | 40 |" in scale.table(json.loads(result.read_text()))
