"""bench/lineage.py: a kept database (--db) resolved again (--resolve-only) scores as the full run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from bench import lineage
from bench.generate_corpus import generate, write


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str) -> dict:
    monkeypatch.setattr(sys, "argv", ["lineage.py", *args])
    assert lineage.main() == 0
    capsys.readouterr()
    return json.loads(Path(args[args.index("--json") + 1]).read_text())


def test_resolve_only_on_a_kept_database_gives_the_full_runs_figures(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = tmp_path / "corpus"
    write(generate(60, seed=3), corpus, dates=True)
    db = tmp_path / "kept.db"
    full = _run(monkeypatch, capsys, str(corpus), "--db", str(db), "--json", str(tmp_path / "full.json"))
    assert db.exists() and not full["resolve_only"]
    again = _run(monkeypatch, capsys, str(corpus), "--db", str(db), "--resolve-only",
                 "--json", str(tmp_path / "again.json"))
    assert again["resolve_only"]
    for key in ("parent_precision", "parent_recall", "root_accuracy", "by_family"):
        assert again[key] == full[key]


def test_resolve_only_needs_a_kept_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "argv", ["lineage.py", str(tmp_path), "--resolve-only", "--db", str(tmp_path / "no.db")])
    with pytest.raises(SystemExit):
        lineage.main()
