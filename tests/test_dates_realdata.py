"""The real set: Minnesota Attorney General releases with hand-labelled dates (bench/dates.py)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "realdata" / "mn-ag-press-releases"

pytestmark = pytest.mark.skipif(
    not (DATA / "labels.csv").is_file(), reason=f"real data set absent: {DATA} (see bench/dates.py)"
)


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_dates", ROOT / "bench" / "dates.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result():
    return load_bench().evaluate(DATA, with_htmldate=True)


def test_exact_day_accuracy_is_at_least_99_percent(result):
    assert result["pages"] > 300
    assert result["ours_accuracy"] >= 0.99, result["wrong"]


def test_never_below_htmldate(result):
    assert result["ours_accuracy"] >= result["htmldate_accuracy"]


def test_every_page_gets_a_day(result):
    assert result["ours_day_coverage"] == 1.0
