"""The committed gazetteer data is what the build script makes from the pinned packages."""

from __future__ import annotations

from pipelines.gazetteer import DATA_DIR
from pipelines.gazetteer.build import build_tables, encode_table, split_name


def test_build_reproduces_committed_data():
    tables, _ = build_tables()
    stale = [name for name, rows in tables.items() if (DATA_DIR / f"{name}.json.gz").read_bytes() != encode_table(rows)]
    assert stale == [], "run: python -m pipelines.gazetteer.build"


def test_split_name():
    assert split_name("Juneau City and Borough") == ("Juneau", "city_and_borough")
    assert split_name("St. Louis city") == ("St. Louis", "city")
    assert split_name("Carson City") == ("Carson City", "equivalent")
    assert split_name("Kusilvak Census Area") == ("Kusilvak", "census_area")
