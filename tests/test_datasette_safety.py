"""Scraped text is shown as text. The pipelines already strip markup, so this puts hostile
strings straight into a copy of the archive (as a broken or future pipeline might) and checks
that every page prints them escaped and never makes a `javascript:` link."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlite_utils

from tests.test_datasette_pages import FORSYTH_URL, archive_datasette, get, release_id_for

SCRIPT = '<script>window.__pwned=1;alert("pwned")</script>'
IMG = '<img src=x onerror="window.__pwned=2;alert(2)">'
HOSTILE = f"{SCRIPT}{IMG}"
JS_URL = "javascript:alert(3)"


def poison(path: Path) -> str:
    """Hostile strings in every scraped column a page shows; returns the poisoned release id."""
    release_id = release_id_for(path, FORSYTH_URL)
    db = sqlite_utils.Database(path)
    with db.conn:
        db["releases"].update(
            release_id,
            {
                "title": f"Forsyth {HOSTILE} update",
                "subtitle": f'<iframe src="{JS_URL}"></iframe>',
                "dateline": IMG,
                "date_raw": SCRIPT,
                "body_text": f'Forsyth text {HOSTILE} <a href="{JS_URL}">click</a>',
                "url": JS_URL,
            },
        )
        db.execute(
            "update captures set original_url = ?, record_id = ? where release_id = ?", [JS_URL, HOSTILE, release_id]
        )
        db.execute("update release_versions set summary = ? where release_id = ?", [HOSTILE, release_id])
        db.execute("update date_evidence set raw = ? where release_id = ?", [HOSTILE, release_id])
        db.execute("update sources set agency = ? where name = 'us_ice'", [f"ICE {IMG}"])
        db.execute("update listings set title = ?", [HOSTILE])
        db.execute(
            "update release_jurisdictions set name = ?, text = ? where release_id = ?", [IMG, SCRIPT, release_id]
        )
        db.execute("update jurisdictions set name = ? where fips = '37067'", [f"Forsyth {IMG}"])
    db.conn.close()
    return release_id


@pytest.fixture(scope="module")
def hostile(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "other.db"
    shutil.copy(demo_db, path)
    return path, poison(path)


def pages(path: Path, release_id: str) -> list[str]:
    catalog = (
        ["/other/release_catalog?_search=Forsyth"]
        if "release_catalog" in sqlite_utils.Database(path).view_names()
        else []
    )
    return catalog + [
        "/",
        f"/other/releases/{release_id}",
        "/other/releases",
        "/other/releases?_search=Forsyth",
        "/other/search_releases?q=Forsyth",
        "/other/rollout_timeline",
        "/other/releases_naming_place?place=NC",
        "/other/jurisdictions_map",
        "/other/jurisdictions",
        "/other/release_jurisdictions",
        "/other/captures",
        "/other/listings",
        "/other/date_evidence",
        "/other/releases_with_versions",
        "/other/date_conflicts",
        "/other/sources/us_ice",
        "/-/search?q=Forsyth",
    ]


def test_every_page_prints_hostile_text_escaped(hostile):
    path, release_id = hostile
    ds = archive_datasette(path)
    for page in pages(path, release_id):
        html = get(ds, page).text
        for raw in (SCRIPT, IMG, "<iframe", 'onerror="window'):
            assert raw not in html, f"{page} prints raw markup {raw!r}"
        assert 'href="javascript:' not in html.lower(), f"{page} links a javascript: URL"


def test_release_page_shows_the_hostile_title_as_text(hostile):
    path, release_id = hostile
    html = get(archive_datasette(path), f"/other/releases/{release_id}").text
    assert "Forsyth &lt;script&gt;window.__pwned=1;" in html
    assert "&lt;img src=x onerror=" in html
    # the scraped URL is shown as text, never as a link
    assert JS_URL in html and 'href="javascript:' not in html.lower()


def test_atom_feed_carries_hostile_text_as_escaped_text(hostile):
    path, _ = hostile
    xml = get(archive_datasette(path), "/other/latest_releases.atom").text
    assert SCRIPT not in xml and "&lt;script&gt;" in xml
