"""End to end: the demo corpus through `pressarchive demo --no-serve`, then Datasette in-process."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import sqlite_utils
from datasette.app import Datasette

from crawler.cli import metadata_for
from tests.conftest import ROOT

EXPECTED = json.loads((ROOT / "archive" / "demo" / "expected.json").read_text(encoding="utf-8"))


def _db(path: Path) -> sqlite_utils.Database:
    return sqlite_utils.Database(path)


def test_every_expected_release_is_archived_with_date_source_and_capture(demo_db):
    db = _db(demo_db)
    query = "SELECT r.*, u.url AS seen_url FROM releases r JOIN release_urls u USING (release_id)"
    by_url = {row["seen_url"]: row for row in db.query(query)}
    missing = [e["url"] for e in EXPECTED if e["url"] not in by_url]
    assert not missing, f"releases missing from the demo archive: {missing}"
    for expected in EXPECTED:
        row = by_url[expected["url"]]
        assert row["published"] == expected["published"], expected["url"]
        assert row["source"] in ("us_ice", "us_nc_winston_salem")
        captures = list(db["captures"].rows_where("release_id = ?", [row["release_id"]]))
        assert captures, f"no capture for {expected['url']}"
        for capture in captures:
            assert capture["warc_file"] == "demo.warc.gz"
            assert capture["warc_offset"] is not None and capture["digest"].startswith("sha1:")
            assert len(capture["timestamp"]) == 14


def test_releases_without_a_date_do_not_exist(demo_db):
    undated = list(_db(demo_db).query("SELECT url FROM releases WHERE published IS NULL"))
    assert undated == []


def test_malformed_and_missing_pages_are_error_rows_with_reasons(demo_db):
    errors = list(_db(demo_db).query("SELECT url, stage, reason FROM errors"))
    reasons = " | ".join(e["reason"] for e in errors)
    assert any(e["stage"] == "http" and "404" in e["reason"] for e in errors), reasons
    assert any(e["stage"] == "extract" and "selector" in e["reason"] for e in errors), reasons


def test_changed_release_keeps_both_texts(demo_db):
    rows = list(
        _db(demo_db).query("SELECT release_id, count(*) AS n FROM release_versions GROUP BY release_id HAVING n > 1")
    )
    assert rows, "the corpus holds a release whose text changed between captures"


def test_redirect_is_a_capture_with_its_location(demo_db):
    rows = list(_db(demo_db).query("SELECT * FROM captures WHERE kind = 'redirect'"))
    assert rows and all(row["location"] and 300 <= row["status"] < 400 for row in rows)


def test_rerunning_the_import_is_idempotent(demo_db, tmp_path):
    import shutil

    from tests.conftest import run_cli

    copy = tmp_path / "again.db"
    shutil.copy(demo_db, copy)
    before = {t: _db(copy)[t].count for t in ("releases", "captures", "release_versions", "errors", "listings")}
    run_cli(
        "import-warc",
        str(ROOT / "archive" / "demo" / "demo.warc.gz"),
        "--db",
        str(copy),
        "--archive",
        "pressarchive-demo",
    )
    after = {t: _db(copy)[t].count for t in before}
    assert after == before


def _datasette(db_path: Path) -> Datasette:
    return Datasette([], immutables=[str(db_path)], metadata=metadata_for(str(db_path)))


def _get_json(ds: Datasette, path: str):
    async def go():
        response = await ds.client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        return response.json()

    return asyncio.run(go())


def test_datasette_full_text_search_finds_the_county_release(demo_db):
    ds = _datasette(demo_db)
    name = Path(demo_db).stem
    rows = _get_json(ds, f"/{name}/releases.json?_search=Forsyth&_shape=array")
    urls = [row["url"] for row in rows]
    assert "http://www.ice.gov/news/releases/1008/100810forsyth.htm" in urls
    # porter stemming: "activated" finds "activation"
    stemmed = _get_json(ds, f"/{name}/releases.json?_search=activations&_shape=array")
    assert stemmed


def test_datasette_serves_metadata_descriptions(demo_db):
    ds = _datasette(demo_db)
    name = Path(demo_db).stem

    async def go():
        return await ds.client.get(f"/{name}/releases")

    page = asyncio.run(go())
    assert page.status_code == 200
    assert "One row per announcement" in page.text


def test_readme_sample_row_is_what_the_demo_builds(demo_db):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    row = _db(demo_db)["releases"].get("3d6e2a81721faf04")
    for value in (row["release_id"], row["title"], row["published"], row["dateline"], row["first_captured"]):
        assert str(value) in readme
    fips = {r["fips"] for r in _db(demo_db)["release_jurisdictions"].rows_where("release_id = ?", [row["release_id"]])}
    assert "12099" in fips


def test_every_release_has_date_evidence_and_jurisdictions_with_fips(demo_db):
    db = _db(demo_db)
    no_evidence = list(
        db.query(
            "SELECT url FROM releases r WHERE NOT EXISTS (SELECT 1 FROM date_evidence e"
            " WHERE e.release_id = r.release_id AND e.chosen = 1 AND e.kind = r.date_source)"
        )
    )
    assert no_evidence == []
    no_places = list(
        db.query(
            "SELECT url FROM releases r WHERE NOT EXISTS"
            " (SELECT 1 FROM release_jurisdictions j WHERE j.release_id = r.release_id AND j.fips IS NOT NULL)"
        )
    )
    assert no_places == []
    # the county each activation release is about, by FIPS, as labelled
    for expected in EXPECTED:
        row = next(db.query("SELECT release_id FROM release_urls WHERE url = ?", [expected["url"]]))
        named = {j["fips"] for j in db["release_jurisdictions"].rows_where("release_id = ?", [row["release_id"]])}
        assert set(expected["county_fips"]) <= named, expected["url"]
