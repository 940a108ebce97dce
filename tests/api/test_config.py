"""Configuration comes from PROVENANCE_* variables and the dict passed to create_app."""

from pathlib import Path

import pytest

from service import create_app
from service.config import load_config


def test_environment_values_are_coerced_to_the_default_type() -> None:
    config = load_config(
        environ={
            "PROVENANCE_BATCH_LIMIT": "7",
            "PROVENANCE_FETCH_ALLOW_PRIVATE": "true",
            "PROVENANCE_CORS_ORIGINS": "chrome-extension://abc",
            "OTHER": "x",
        }
    )
    assert config["BATCH_LIMIT"] == 7 and config["FETCH_ALLOW_PRIVATE"] is True
    assert config["CORS_ORIGINS"] == "chrome-extension://abc" and "OTHER" not in config


def test_the_dict_overrides_the_environment() -> None:
    config = load_config({"DATABASE_URL": "sqlite://"}, environ={"PROVENANCE_DATABASE_URL": "postgresql://x/y"})
    assert config["DATABASE_URL"] == "sqlite://"


def test_warm_cache_is_off_unless_set_in_the_environment() -> None:
    assert load_config(environ={})["WARM_CACHE"] == 0
    assert load_config(environ={"PROVENANCE_WARM_CACHE": "20000"})["WARM_CACHE"] == 20000


def test_the_wordnet_folder_setting_reaches_the_core(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from service.core.text import wordnet

    seen: list[object] = []
    monkeypatch.setattr(wordnet, "configure", seen.append)
    create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/w.db", "WORDNET_DIR": str(tmp_path / "nltk_data")})
    monkeypatch.setenv("PROVENANCE_WORDNET_DIR", "/srv/nltk_data")
    create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/w2.db"})
    assert seen == [str(tmp_path / "nltk_data"), "/srv/nltk_data"]
