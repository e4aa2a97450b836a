"""gunicorn.conf.py read as gunicorn reads it: a Python file of settings."""

import multiprocessing
import runpy
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

ROOT = Path(__file__).resolve().parents[3]


def config(monkeypatch, **environ) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_TIMEOUT", "PBC_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_the_app_loads_before_forking_with_workers_from_the_core_count(monkeypatch):
    settings = config(monkeypatch)

    assert settings["preload_app"] is True
    assert settings["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert settings["timeout"] > 30  # above a fresh process's start-up under load
    assert settings["bind"] == "0.0.0.0:8000"


def test_the_environment_chooses_workers_timeout_and_address(monkeypatch):
    settings = config(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_TIMEOUT="120", PBC_BIND="x:1")

    assert (settings["workers"], settings["timeout"], settings["bind"]) == (3, 120, "x:1")


def test_the_benchmarks_bare_page_is_not_among_the_products_urls():
    with pytest.raises(NoReverseMatch):
        reverse("benchmark_bare", args=[100])
