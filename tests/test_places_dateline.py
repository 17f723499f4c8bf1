"""Datelines: parse_dateline splits them; find_places resolves their place to a county."""

from __future__ import annotations

import pytest

from pipelines.places import find_places, parse_dateline

PARSE_CASES = [
    # (id, dateline, city, state, date_text)
    ("ap-abbrev-with-dash", "FAIRFAX, Va. -", "Fairfax", "VA", None),
    ("all-caps-spelled-state", "SAN ANTONIO, Texas", "San Antonio", "TX", None),
    ("city-postal", "Palm Beach, FL", "Palm Beach", "FL", None),
    ("standalone-dc", "WASHINGTON", "Washington", "DC", None),
    ("mn-parenthesized", "March 12, 2019 (SAINT PAUL)", "Saint Paul", None, "March 12, 2019"),
    ("mn-bracketed-mojibake", "August 16, 2021 [SAINT PAUL]\u00c2", "Saint Paul", None, "August 16, 2021"),
    ("mn-caps-month", "JULY 7, 2022 (SAINT PAUL) \u00e2\u0080\u0094", "Saint Paul", None, "JULY 7, 2022"),
    ("paren-only", "(SAINT PAUL) \u2014", "Saint Paul", None, None),
    ("ap-palm-beach", "PALM BEACH, Fla.", "Palm Beach", "FL", None),
    ("st-abbrev-standalone", "ST. LOUIS", "St. Louis", "MO", None),
    ("standalone-not-on-ap-list", "SPRINGFIELD", "Springfield", None, None),
    ("baton-rouge", "BATON ROUGE, La.", "Baton Rouge", "LA", None),
    ("hyphenated-city", "WINSTON-SALEM, N.C. \u2014", "Winston-Salem", "NC", None),
    ("spaced-abbrev", "N. Charleston, S. C.", "N. Charleston", "SC", None),
    ("listing-row", "4/26/2010 Palm Beach, FL", "Palm Beach", "FL", "4/26/2010"),
    ("dc", "WASHINGTON, D.C.", "Washington", "DC", None),
    ("territory", "SAN JUAN, Puerto Rico", "San Juan", "PR", None),
    ("em-dash-glued", "FAIRFAX, Va.\u2014ICE today", "Fairfax", "VA", None),
]


@pytest.mark.parametrize(("dateline", "city", "state", "date_text"), [c[1:] for c in PARSE_CASES],
                         ids=[c[0] for c in PARSE_CASES])  # fmt: skip
def test_parse_dateline(dateline, city, state, date_text):
    parsed = parse_dateline(dateline)
    assert (parsed["city"], parsed["state"], parsed["date_text"]) == (city, state, date_text)


@pytest.mark.parametrize("dateline", ["", "   ", None, "Press Release", "Remarks as delivered", "Smith, Something"])
def test_not_a_dateline(dateline):
    assert parse_dateline(dateline) is None


RESOLVE_CASES = [
    # (id, dateline, kwargs, county of the dateline place, basis)
    ("fairfax-postal-majority", "FAIRFAX, Va. -", {}, "51059", "explicit"),
    ("san-antonio", "SAN ANTONIO, Texas", {}, "48029", "explicit"),
    ("palm-beach-town", "Palm Beach, FL", {}, "12099", "explicit"),
    ("washington-is-dc", "WASHINGTON", {}, "11001", "ap_dateline"),
    ("saint-paul-with-issuer", "March 12, 2019 (SAINT PAUL)", {"issuer_fips": "27"}, "27123", "issuer"),
    ("saint-paul-dominant", "March 12, 2019 (SAINT PAUL)", {}, "27123", "dominant"),
    ("st-paul-abbrev", "(ST. PAUL)", {"state": "MN"}, "27123", "state_arg"),
    ("st-louis-independent-city", "ST. LOUIS", {}, "29510", "ap_dateline"),
    ("baton-rouge-parish", "BATON ROUGE, La.", {}, "22033", "explicit"),
    ("houston", "HOUSTON", {}, "48201", "ap_dateline"),
    ("raleigh", "RALEIGH, N.C.", {}, "37183", "explicit"),
    ("winston-salem", "WINSTON-SALEM, N.C. -", {}, "37067", "explicit"),
    ("las-cruces", "LAS CRUCES, N.M.", {}, "35013", "explicit"),
    ("richmond-independent-city", "RICHMOND, Va.", {}, "51760", "explicit"),
    ("new-orleans", "NEW ORLEANS", {}, "22071", "ap_dateline"),
    ("carson-city", "CARSON CITY, Nev.", {}, "32510", "explicit"),
    ("anchorage", "ANCHORAGE, Alaska", {}, "02020", "explicit"),
    ("springfield-illinois", "SPRINGFIELD, Ill.", {}, "17167", "explicit"),
    ("springfield-ambiguous", "SPRINGFIELD", {}, None, None),
    ("springfield-with-state-arg", "SPRINGFIELD", {"state": "Massachusetts"}, "25013", "state_arg"),
    ("san-juan-pr", "SAN JUAN, Puerto Rico", {}, "72127", "explicit"),
    ("county-dateline", "PALM BEACH COUNTY, Fla.", {}, "12099", "explicit"),
    ("unknown-place-kept", "FOOVILLE, Va.", {}, None, None),
]


@pytest.mark.parametrize(("dateline", "kwargs", "county", "basis"), [c[1:] for c in RESOLVE_CASES],
                         ids=[c[0] for c in RESOLVE_CASES])  # fmt: skip
def test_dateline_resolution(dateline, kwargs, county, basis):
    (m,) = [m for m in find_places("", dateline=dateline, **kwargs) if m["role"] == "dateline"]
    assert (m["county_fips"], m["basis"]) == (county, basis)
    assert m["field"] == "dateline" and dateline[m["start"] : m["end"]] == m["text"]


def test_dateline_place_shape():
    (m,) = find_places("", dateline="PALM BEACH, Fla.")
    assert m["kind"] == "place" and m["name"] == "Palm Beach" and m["state"] == "FL"
    assert m["fips"] is None and m["ocd_id"] == "ocd-division/country:us/state:fl/place:palm_beach"


def test_dateline_in_body_is_not_repeated():
    found = find_places("BATON ROUGE, La. - East Baton Rouge Parish joined today.")
    assert [(m["text"], m["role"]) for m in found] == [
        ("BATON ROUGE, La.", "dateline"),
        ("East Baton Rouge Parish", "subject"),
    ]
