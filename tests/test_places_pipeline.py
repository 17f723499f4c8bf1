"""JurisdictionsPipeline on items, with no spider running."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy.settings import Settings

from crawler.items import PressRelease
from pipelines.jurisdictions import JurisdictionsPipeline, issuer_mention, jurisdiction_row
from pipelines.places import analyze


def pipeline(**settings) -> JurisdictionsPipeline:
    crawler = SimpleNamespace(settings=Settings(settings), spider=None)
    return JurisdictionsPipeline.from_crawler(crawler)


def ice_release() -> PressRelease:
    return PressRelease(
        source="us_ice",
        title="Palm Beach County Sheriff's Office joins ICE Secure Communities",
        dateline="PALM BEACH, Fla.",
        body_text=(
            "PALM BEACH, Fla. - The Palm Beach County Sheriff's Office today began using Secure "
            "Communities. ICE officers in Miami-Dade County will review matches. ICE is now using "
            "Secure Communities in 172 jurisdictions in 20 states."
        ),
        published="2010-04-26",
    )


def test_fills_jurisdictions_agencies_and_claims():
    item = pipeline().process_item(ice_release())
    rows = [(j["role"], j["kind"], j["fips"] or j["county_fips"], j["field"]) for j in item.jurisdictions]
    assert rows == [
        ("dateline", "place", "12099", "dateline"),
        ("subject", "county", "12099", "title"),
        ("mentioned", "county", "12086", "body"),
    ]
    assert [(a["name"], a["county_fips"]) for a in item.agencies] == [("Palm Beach County Sheriff's Office", "12099")]
    assert [(c["count"], c["states_count"], c["as_of"]) for c in item.claims] == [(172, 20, "2010-04-26")]


def test_mentioned_rows_can_be_dropped():
    item = pipeline(ARCHIVE_JURISDICTIONS_KEEP_MENTIONED=False).process_item(ice_release())
    assert {j["role"] for j in item.jurisdictions} == {"dateline", "subject"}


def test_municipal_issuer():
    item = PressRelease(
        source="us_nc_winston_salem",
        issuer_fips="3775000",
        issuer_name="City of Winston-Salem",
        title="Secure Communities Program Begins in Forsyth County",
        body_text="ICE began using the capability in Forsyth County. It runs in 39 North Carolina jurisdictions.",
        published="2010-08-11",
    )
    item = pipeline().process_item(item)
    issuer = item.jurisdictions[0]
    assert (issuer["role"], issuer["kind"], issuer["fips"], issuer["county_fips"]) == (
        "issuer",
        "place",
        "3775000",
        "37067",
    )
    assert [(j["role"], j["fips"]) for j in item.jurisdictions[1:]] == [("subject", "37067"), ("mentioned", "37")]
    assert item.claims[0]["state"] == "NC" and item.claims[0]["as_of"] == "2010-08-11"


def test_state_and_county_issuers():
    assert issuer_mention("27", "Minnesota Attorney General")["ocd_id"] == "ocd-division/country:us/state:mn"
    assert issuer_mention("12099", "Palm Beach County")["name"] == "Palm Beach County"
    assert issuer_mention(None, None) is None


def test_dict_items_work_too():
    item = pipeline().process_item({"title": "", "body_text": "Orleans and Jefferson parishes joined."})
    assert [j["fips"] for j in item["jurisdictions"]] == ["22071", "22051"]


def test_analyze_scans_once_for_all_three():
    found = analyze(
        "The Sarasota County Sheriff's Office joined; ICE now works in 39 Florida counties.",
        dateline="SARASOTA, Fla.",
        as_of="2010-04-14",
    )
    assert [(j["role"], j["fips"] or j["county_fips"]) for j in found["jurisdictions"]] == [
        ("dateline", "12115"),
        ("subject", "12115"),
        ("mentioned", "12"),
    ]
    assert [a["county_fips"] for a in found["agencies"]] == ["12115"]
    assert [(c["count"], c["state"], c["as_of"]) for c in found["claims"]] == [(39, "FL", "2010-04-14")]


def test_jurisdiction_rows():
    item = pipeline().process_item(ice_release())
    rows = [jurisdiction_row(j) for j in item.jurisdictions]
    assert rows[0] == {
        "ocd_id": "ocd-division/country:us/state:fl/place:palm_beach",
        "fips": None,
        "name": "Palm Beach",
        "kind": "place",
        "state": "FL",
        "county_fips": "12099",
        "lat": rows[0]["lat"],
        "lon": rows[0]["lon"],
    }
    assert jurisdiction_row({"ocd_id": None, "fips": None, "text": "Dade County"}) is None
