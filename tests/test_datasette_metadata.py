"""archive/metadata.yml: complete (every table and column described, foreign keys labelled) and
every canned query runs on the demo archive and returns what its page promises."""

from __future__ import annotations

import pytest
import sqlite_utils
import yaml

from archive import METADATA
from archive.schema import TABLES
from tests.test_datasette_pages import archive_datasette, get

META = yaml.safe_load(METADATA.read_text(encoding="utf-8"))
ARCHIVE = META["databases"]["archive"]
QUERIES = ARCHIVE["queries"]

# What each canned query must return (columns its page, links and charts rely on).
QUERY_COLUMNS = {
    "search_releases": {"release_id", "title", "published", "source", "jurisdictions", "snippet"},
    "rollout_timeline": {"county_fips", "county", "state", "first_date", "release_id", "title"},
    "releases_per_month": {"month", "source", "releases"},
    "releases_naming_place": {"release_id", "published", "title", "places", "roles"},
    "releases_with_versions": {"release_id", "title", "versions", "changes"},
    "date_conflicts": {"release_id", "title", "published", "problem", "candidates"},
    "coverage": {"source", "month", "listed", "captured", "parsed", "failed", "never_captured"},
    "jurisdictions_map": {"name", "lat", "lon", "releases", "popup"},
    "latest_releases": {"atom_id", "atom_title", "atom_updated", "atom_link", "atom_content"},
}
PARAMS = {"search_releases": "q=Forsyth", "releases_naming_place": "place=NC", "rollout_timeline": "state="}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_table_and_column_is_described(table):
    described = ARCHIVE["tables"].get(table, {})
    assert described.get("description"), f"{table}: no description in archive/metadata.yml"
    missing = set(TABLES[table]["columns"]) - set(described.get("columns", {}))
    assert not missing, f"{table}: columns without a description in archive/metadata.yml: {sorted(missing)}"


def test_every_foreign_key_target_has_a_label_column():
    targets = {fk[1] for spec in TABLES.values() for fk in spec.get("foreign_keys", [])}
    unlabelled = sorted(t for t in targets if not ARCHIVE["tables"].get(t, {}).get("label_column"))
    assert not unlabelled, f"tables referenced by foreign keys need a label_column: {unlabelled}"


def test_facets_and_sort_name_real_columns():
    for table, spec in ARCHIVE["tables"].items():
        if table not in TABLES:
            continue
        columns = set(TABLES[table]["columns"])
        facets = {f if isinstance(f, str) else next(iter(f.values())) for f in spec.get("facets", [])}
        assert facets <= columns, (table, facets - columns)
        if "sort_desc" in spec:
            assert spec["sort_desc"] in columns, table


def test_every_canned_query_is_checked_here():
    assert set(QUERIES) == set(QUERY_COLUMNS)


@pytest.mark.parametrize("name", sorted(QUERY_COLUMNS))
def test_canned_query_runs_on_the_demo_archive(demo_db, name):
    ds = archive_datasette(demo_db)
    params = PARAMS.get(name, "")
    data = get(ds, f"/archive/{name}.json?_shape=objects&{params}").json()
    assert QUERY_COLUMNS[name] <= set(data["columns"]), (name, data["columns"])
    assert data["rows"] or name in ("date_conflicts",), f"{name} returned no rows on the demo archive"
    get(ds, f"/archive/{name}?{params}")  # the HTML page renders too


def test_rollout_timeline_starts_with_harris_county_and_reaches_forsyth(demo_db):
    rows = get(archive_datasette(demo_db), "/archive/rollout_timeline.json?_shape=array&state=").json()
    first = {row["county_fips"]: row["first_date"] for row in rows}
    assert rows[0]["county_fips"] == "48201", "Harris County (Houston), October 2008, was the first"
    assert first.get("37067") == "2010-08-10", "Forsyth County, N.C. was announced on August 10, 2010"
    assert [row["first_date"] for row in rows] == sorted(row["first_date"] for row in rows)


@pytest.mark.parametrize("place", ["NC", "North Carolina", "37", "Forsyth", "Forsyth County", "37067"])
def test_releases_naming_place_accepts_names_postal_and_fips_codes(demo_db, place):
    rows = get(archive_datasette(demo_db), f"/archive/releases_naming_place.json?_shape=array&place={place}").json()
    titles = [row["title"] for row in rows]
    assert "ICE Secure Communities comes to Forsyth County" in titles, (place, titles)


def test_coverage_counts_listed_captured_parsed_and_failed(demo_db):
    rows = get(archive_datasette(demo_db), "/archive/coverage.json?_shape=array").json()
    ice = {row["month"]: row for row in rows if row["source"] == "us_ice"}
    db = sqlite_utils.Database(demo_db)
    assert sum(row["failed"] for row in rows) == db["errors"].count
    assert ice["2010-04"]["listed"] > 0 and ice["2010-04"]["parsed"] > 0
    # the Winston-Salem list names AID=1041, which was never captured
    ws = [row for row in rows if row["source"] == "us_nc_winston_salem"]
    assert sum(row["never_captured"] for row in ws) >= 1


def test_release_catalog_view_facets_by_state_county_agency(demo_db):
    db = sqlite_utils.Database(demo_db)
    assert "release_catalog" in db.view_names(), (
        "archive/schema.py needs the release_catalog view (see the Datasette report): "
        "metadata.yml facets releases by state, county and agency through it"
    )
    data = get(archive_datasette(demo_db), "/archive/release_catalog.json?_search=Forsyth&_extra=facet_results").json()
    facets = data["facet_results"]
    assert {"source", "agency", "states", "counties", "year", "month", "fiscal_year"} <= set(facets)
    counties = {item["value"] for item in facets["counties"]["results"]}
    assert "Forsyth County, NC" in counties
