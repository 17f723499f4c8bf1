"""ONE test over every registered source: replay its recorded pages through its callbacks and
the pipelines, and compare with its reviewed golden file.

A source without a fixture folder fails here. To (re)generate goldens after a reviewed change:
`python -m tests.golden` — then read the diff before committing it.
"""

from __future__ import annotations

import json

import pytest

from crawler.registry import spider_classes
from tests.golden import FIXTURES, golden_path, render_source


@pytest.mark.parametrize("name", sorted(spider_classes()))
def test_source_matches_golden(name):
    folder = FIXTURES / name
    assert (folder / "pages.csv").is_file(), f"source {name} has no recorded pages in tests/fixtures/{name}/pages.csv"
    assert golden_path(name).is_file(), f"source {name} has no golden file; run python -m tests.golden"
    expected = json.loads(golden_path(name).read_text(encoding="utf-8"))
    actual = render_source(name)
    assert actual == expected


@pytest.mark.parametrize("name", sorted(spider_classes()))
def test_every_fixture_page_yields_something(name):
    rendered = render_source(name)
    assert rendered, f"{name}: no page"
    releases = [item for page in rendered for item in page["items"] if "body_chars" in item]
    assert releases, f"{name}: no fixture page produced a release"
