"""The gazetteer's contents: built from packaged data, and its lookups."""

from __future__ import annotations

import gzip
import json
from collections import Counter

import pytest

from pipelines.gazetteer import DATA_DIR, load, name_key, slug


def test_every_state_district_and_territory():
    gaz = load()
    kinds = Counter(row["kind"] for row in gaz.states.values())
    assert len(gaz.states) >= 56 and kinds == {"state": 50, "district": 1, "territory": 5}


STATE_ROWS = [
    # (postal, fips, name, AP abbreviation)
    ("FL", "12", "Florida", "Fla."),
    ("VA", "51", "Virginia", "Va."),
    ("CA", "06", "California", "Calif."),
    ("NC", "37", "North Carolina", "N.C."),
    ("TX", "48", "Texas", "Texas"),
    ("DC", "11", "District of Columbia", "D.C."),
    ("PR", "72", "Puerto Rico", "Puerto Rico"),
    ("WV", "54", "West Virginia", "W.Va."),
]


@pytest.mark.parametrize(("postal", "fips", "name", "ap"), STATE_ROWS, ids=[r[0] for r in STATE_ROWS])
def test_state_rows(postal, fips, name, ap):
    row = load().states[postal]
    assert (row["fips"], row["name"], row["ap"]) == (fips, name, ap)
    assert load().state(ap) is row and load().state(name) is row and load().state(fips) is row


def test_county_counts():
    gaz = load()
    current = [c for c in gaz.counties.values() if c["valid_to"] is None]
    in_states = [c for c in current if gaz.states[c["state"]]["kind"] != "territory"]
    # 3,143 counties and equivalents in the 50 states and DC in 2020 (Census).
    assert len(in_states) == 3143
    assert len(gaz.counties) >= 3140 + 8  # plus territories and units that ended 2000-2020


COUNTY_ROWS = [
    # (fips, name, type, valid_to, successors)
    ("51510", "Alexandria city", "city", None, []),
    ("29510", "St. Louis city", "city", None, []),
    ("29189", "St. Louis County", "county", None, []),
    ("24510", "Baltimore city", "city", None, []),
    ("32510", "Carson City", "equivalent", None, []),
    ("12086", "Miami-Dade County", "county", None, []),
    ("46113", "Shannon County", "county", 2015, ["46102"]),
    ("46102", "Oglala Lakota County", "county", None, []),
    ("02270", "Wade Hampton Census Area", "census_area", 2015, ["02158"]),
    ("02158", "Kusilvak Census Area", "census_area", None, []),
    ("51515", "Bedford city", "city", 2013, ["51019"]),
    ("51560", "Clifton Forge city", "city", 2001, ["51005"]),
    ("02261", "Valdez-Cordova Census Area", "census_area", 2019, ["02063", "02066"]),
    ("02232", "Skagway-Hoonah-Angoon Census Area", "census_area", 2007, ["02230", "02105"]),
    ("02280", "Wrangell-Petersburg Census Area", "census_area", 2008, ["02275", "02195"]),
    ("02201", "Prince of Wales-Outer Ketchikan Census Area", "census_area", 2008, ["02198", "02130", "02275"]),
    ("08014", "Broomfield County", "county", None, []),
    ("22071", "Orleans Parish", "parish", None, []),
    ("02020", "Anchorage Municipality", "municipality", None, []),
    ("02110", "Juneau City and Borough", "city_and_borough", None, []),
    ("51036", "Charles City County", "county", None, []),
    ("35013", "Doña Ana County", "county", None, []),
    ("72127", "San Juan Municipio", "municipio", None, []),
    ("11001", "District of Columbia", "equivalent", None, []),
]


@pytest.mark.parametrize(("fips", "name", "kind", "valid_to", "successors"), COUNTY_ROWS,
                         ids=[r[0] for r in COUNTY_ROWS])  # fmt: skip
def test_county_rows(fips, name, kind, valid_to, successors):
    row = load().counties[fips]
    assert (row["name"], row["type"], row["valid_to"], row["successors"]) == (name, kind, valid_to, successors)
    assert row["lat"] is not None and row["point_src"]


def test_broomfield_created_in_2001():
    assert load().counties["08014"]["valid_from"] == 2001


def test_dade_alias():
    assert "dade" in load().counties["12086"]["keys"]


def test_every_county_has_a_point_inside_its_state():
    gaz = load()
    for row in gaz.counties.values():
        state = gaz.states[row["state"]]
        # Within ~8 degrees of the state's point, except Alaska's and Hawaii's spread.
        spread = 25 if row["state"] in ("AK", "HI") else 8
        assert abs(row["lat"] - state["lat"]) < spread, row["fips"]


def test_ocd_ids():
    gaz = load()
    assert gaz.counties["12099"]["ocd_id"] == "ocd-division/country:us/state:fl/county:palm_beach"
    assert gaz.counties["22071"]["ocd_id"] == "ocd-division/country:us/state:la/parish:orleans"
    assert gaz.counties["51510"]["ocd_id"] == "ocd-division/country:us/state:va/place:alexandria"
    assert gaz.counties["24033"]["ocd_id"] == "ocd-division/country:us/state:md/county:prince_georges"
    assert gaz.states["DC"]["ocd_id"] == "ocd-division/country:us/district:dc"


PLACE_ROWS = [
    # (name, state, county fips)
    ("Saint Paul", "MN", "27123"),
    ("Palm Beach", "FL", "12099"),
    ("Alexandria", "VA", "51510"),
    ("St. Louis", "MO", "29510"),
    ("Baltimore", "MD", "24510"),
    ("Carson City", "NV", "32510"),
    ("Washington", "DC", "11001"),
    ("Winston-Salem", "NC", "37067"),
    ("Houston", "TX", "48201"),
    ("Brooklyn", "NY", "36047"),
    ("Pine Ridge", "SD", "46102"),
]


@pytest.mark.parametrize(("name", "state", "county"), PLACE_ROWS, ids=[f"{r[0]}-{r[1]}" for r in PLACE_ROWS])
def test_place_rows(name, state, county):
    rows = load().places_named(name_key(name), state)
    assert rows and rows[0]["county_fips"] == county and rows[0]["lat"] is not None


def test_places_all_have_counties():
    places = load().places
    assert len(places) > 30000
    assert all(p["county_fips"] for p in places)


def test_keys_and_slugs():
    assert name_key("Saint Paul") == name_key("St. Paul") == "stpaul"
    assert name_key("Miami-Dade") == name_key("Miami Dade")
    assert name_key("Prince George's") == "princegeorges"
    assert name_key("Doña Ana") == "donaana"
    assert slug("St. Louis") == "st._louis" and slug("Prince George's") == "prince_georges"


def test_data_is_small_and_well_formed():
    files = sorted(DATA_DIR.glob("*.json.gz"))
    assert sum(f.stat().st_size for f in files) < 3_000_000
    for path in files:
        table = json.loads(gzip.decompress(path.read_bytes()))
        assert table["rows"] and all(len(r) == len(table["columns"]) for r in table["rows"])
