"""Counted claims and agency names."""

from __future__ import annotations

import pytest

from pipelines.places import find_agencies, find_claims

CLAIM_CASES = [
    # (id, text, [(count, unit, scope, state, states_count, qualifier)])
    (
        "state-jurisdictions",
        "ICE is now using the program in 39 North Carolina jurisdictions.",
        [(39, "jurisdictions", "state", "NC", None, None)],
    ),
    (
        "national-in-n-states",
        "ICE is using this capability in 544 jurisdictions in 27 states.",
        [(544, "jurisdictions", "national", None, 27, None)],
    ),
    (
        "states-in-words",
        "ICE is now using Secure Communities in 10 jurisdictions in two states.",
        [(10, "jurisdictions", "national", None, 2, None)],
    ),
    (
        "all-counties-of-a-state",
        "The goal is all 67 Florida counties by next year.",
        [(67, "counties", "state", "FL", None, "all")],
    ),
    (
        "thousands-nationwide",
        "more than 1,000 law enforcement agencies nationwide",
        [(1000, "law enforcement agencies", "national", None, None, "more than")],
    ),
    (
        "counties-in-state",
        "The program reached 31 counties in Virginia.",
        [(31, "counties", "state", "VA", None, None)],
    ),
    ("count-of-states", "Secure Communities is active in 27 states.", [(27, "states", "national", None, 27, None)]),
    (
        "additional-adjective",
        "28 additional Texas jurisdictions joined.",
        [(28, "jurisdictions", "state", "TX", None, None)],
    ),
    ("no-scope-stated", "ICE now works with 61 jurisdictions.", [(61, "jurisdictions", None, None, None, None)]),
    (
        "two-claims",
        "39 North Carolina jurisdictions; 544 jurisdictions in 27 states",
        [(39, "jurisdictions", "state", "NC", None, None), (544, "jurisdictions", "national", None, 27, None)],
    ),
    ("not-a-claim-aliens", "more than 18,000 aliens charged with Level 1 crimes", []),
    ("not-a-claim-year", "In 2013 the program reached the whole country.", []),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CLAIM_CASES], ids=[c[0] for c in CLAIM_CASES])
def test_claims(text, expected):
    got = [
        (c["count"], c["unit"], c["scope"], c["state"], c["states_count"], c["qualifier"]) for c in find_claims(text)
    ]
    assert got == expected


def test_claim_keeps_as_of_and_span():
    text = "ICE is using this capability in 544 jurisdictions in 27 states."
    (claim,) = find_claims(text, as_of="2010-08-10")
    assert claim["as_of"] == "2010-08-10"
    assert claim["text"] == "544 jurisdictions in 27 states" == text[claim["start"] : claim["end"]]


AGENCY_CASES = [
    # (id, text, kwargs, [(name, level, county_fips, state)])
    (
        "county-sheriff",
        "The Palm Beach County Sheriff's Office joined.",
        {},
        [("Palm Beach County Sheriff's Office", "county", "12099", "FL")],
    ),
    (
        "curly-apostrophe",
        "the Sarasota County Sheriff\u2019s Office",
        {},
        [("Sarasota County Sheriff's Office", "county", "12115", "FL")],
    ),
    (
        "city-police",
        "the Winston-Salem Police Department",
        {"issuer_fips": "3775000"},
        [("Winston-Salem Police Department", "city", "37067", "NC")],
    ),
    (
        "state-corrections",
        "the Florida Department of Corrections",
        {},
        [("Florida Department of Corrections", "state", None, "FL")],
    ),
    ("state-police", "Virginia State Police troopers", {}, [("Virginia State Police", "state", None, "VA")]),
    (
        "public-safety",
        "the Texas Department of Public Safety",
        {},
        [("Texas Department of Public Safety", "state", None, "TX")],
    ),
    (
        "unnamed-corrections-takes-context",
        "the Department of Corrections",
        {"state": "VA"},
        [("Department of Corrections", "state", None, "VA")],
    ),
    (
        "county-jail",
        "the Harris County Jail",
        {"dateline": "HOUSTON"},
        [("Harris County Jail", "county", "48201", "TX")],
    ),
    (
        "county-police",
        "Prince George's County Police Department",
        {},
        [("Prince George's County Police Department", "county", "24033", "MD")],
    ),
    (
        "independent-city-police",
        "the City of Alexandria Police Department",
        {"state": "VA"},
        [("City of Alexandria Police Department", "city", "51510", "VA")],
    ),
    (
        "sheriff-named-for-city",
        "the Denver Sheriff Department",
        {},
        [("Denver Sheriff Department", "county", "08031", "CO")],
    ),
    (
        "parish-sheriff",
        "the Orleans Parish Sheriff's Office",
        {},
        [("Orleans Parish Sheriff's Office", "county", "22071", "LA")],
    ),
    ("back-reference-skipped", "The Sheriff's Office said the Police Department agreed.", {}, []),
    (
        "unknown-town-kept",
        "the Smallville Police Department",
        {},
        [("Smallville Police Department", "city", None, None)],
    ),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), [c[1:] for c in AGENCY_CASES],
                         ids=[c[0] for c in AGENCY_CASES])  # fmt: skip
def test_agencies(text, kwargs, expected):
    got = [(a["name"], a["level"], a["county_fips"], a["state"]) for a in find_agencies(text, **kwargs)]
    assert got == expected


def test_agency_span_is_the_original_text():
    text = "Today the Sarasota County Sheriff\u2019s Office joined."
    (agency,) = find_agencies(text)
    assert agency["text"] == text[agency["start"] : agency["end"]] == "Sarasota County Sheriff\u2019s Office"
