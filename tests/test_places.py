"""find_places: counties, places and states in text, resolved with context or left open.

Each case lists the codes found, in text order, for the kinds it checks: a county's FIPS,
a place's county FIPS (prefixed "p:"), a state's FIPS (prefixed "s:"); None = unresolved.
"""

from __future__ import annotations

import pytest

from pipelines.places import find_places


def codes(found: list[dict], kinds=("county", "place", "state")) -> list[str | None]:
    out = []
    for m in found:
        if m["kind"] not in kinds or m["role"] == "dateline":
            continue
        prefix = {"county": "", "place": "p:", "state": "s:"}[m["kind"]]
        code = m["fips"] if m["kind"] != "place" else m["county_fips"]
        out.append(f"{prefix}{code}" if code else None)
    return out


COUNTY_CASES = [
    # (id, text, kwargs, expected county codes)
    (
        "brief-south-texas-list",
        "Six South Texas county sheriffs' offices - Hidalgo, Starr, Brooks, Jim Wells, Kleberg and Kenedy - joined.",
        {},
        ["48215", "48427", "48047", "48249", "48273", "48261"],
    ),
    (
        "plural-list-before-counties",
        "Sheriff's offices in Hidalgo, Starr, Brooks, Jim Wells, Kleberg and Kenedy counties began using it.",
        {"dateline": "SAN ANTONIO, Texas -"},
        ["48215", "48427", "48047", "48249", "48273", "48261"],
    ),
    ("parishes-list", "Orleans and Jefferson parishes joined today.", {}, ["22071", "22051"]),
    ("parish-single", "East Baton Rouge Parish began using the program.", {}, ["22033"]),
    (
        "virginia-list-and-independent-city",
        "Fairfax, Prince William and Arlington counties and the city of Alexandria now take part.",
        {"dateline": "FAIRFAX, Va."},
        ["51059", "51153", "51013", "51510"],
    ),
    ("independent-city-with-state-arg", "The city of Alexandria joined.", {"state": "VA"}, ["51510"]),
    ("st-louis-city-lowercase", "St. Louis city joined.", {}, ["29510"]),
    ("st-louis-county-mo", "St. Louis County, Mo., joined.", {}, ["29189"]),
    ("st-louis-county-minn", "St. Louis County, Minn., joined.", {}, ["27137"]),
    ("saint-spelled-out", "Saint Louis County joined.", {"state": "MN"}, ["27137"]),
    ("st-louis-county-ambiguous", "St. Louis County joined.", {}, [None]),
    ("city-of-st-louis", "The City of St. Louis joined.", {"state": "MO"}, ["29510"]),
    ("baltimore-city", "Baltimore City and Baltimore County, Md., joined.", {}, ["24510", "24005"]),
    ("fairfax-city-vs-county", "Fairfax City and Fairfax County", {}, ["51600", "51059"]),
    ("james-city-county", "James City County and Charles City County", {}, ["51095", "51036"]),
    ("dade-former-name-florida", "Dade County joined.", {"state": "FL"}, ["12086"]),
    ("dade-ambiguous-without-context", "Dade County joined.", {}, [None]),
    ("shannon-renamed", "Shannon County, S.D., joined.", {}, ["46102"]),
    ("shannon-missouri", "Shannon County, Mo., joined.", {}, ["29203"]),
    ("wade-hampton-renamed", "Wade Hampton Census Area joined.", {}, ["02158"]),
    ("kusilvak-current", "Kusilvak Census Area joined.", {}, ["02158"]),
    ("oglala-lakota-current", "Oglala Lakota County joined.", {}, ["46102"]),
    ("bedford-city-ended-2013", "Bedford city, Va., joined in 2011.", {}, ["51515"]),
    ("valdez-cordova-split-2019", "Valdez-Cordova Census Area", {}, ["02261"]),
    ("broomfield-created-2001", "Broomfield County joined.", {}, ["08014"]),
    ("miami-dade-hyphen", "Miami-Dade County joined.", {}, ["12086"]),
    ("miami-dade-space", "Miami Dade County joined.", {}, ["12086"]),
    ("prince-georges-apostrophe", "Prince George's County joined.", {}, ["24033"]),
    ("prince-george-virginia", "Prince George County, Va., joined.", {}, ["51149"]),
    ("dekalb-spacing", "De Kalb County, Ga., and DeKalb County, Ga.", {}, ["13089", "13089"]),
    ("dona-ana-accent", "Doña Ana County joined.", {}, ["35013"]),
    ("dona-ana-folded", "Dona Ana County joined.", {}, ["35013"]),
    ("lewis-and-clark", "Lewis and Clark County, Mont., joined.", {}, ["30049"]),
    ("mat-su-alias", "Mat-Su Borough and Matanuska-Susitna Borough", {}, ["02170", "02170"]),
    ("st-lucie-abbreviated", "St. Lucie County joined.", {}, ["12111"]),
    ("st-lucie-spelled", "Saint Lucie County joined.", {}, ["12111"]),
    ("ste-genevieve", "Ste. Genevieve County joined.", {}, ["29186"]),
    ("orange-florida-by-state-arg", "Orange County joined.", {"state": "FL"}, ["12095"]),
    ("orange-california-by-state-arg", "Orange County joined.", {"state": "CA"}, ["06059"]),
    ("orange-explicit-beats-arg", "Orange County, Calif., joined.", {"state": "FL"}, ["06059"]),
    ("orange-ambiguous", "Orange County joined.", {}, [None]),
    ("sentence-state-context", "In North Carolina, Wake County and Durham County joined.", {}, ["37183", "37063"]),
    ("unique-county-lends-state", "Dade County and Palm Beach County joined.", {}, ["12086", "12099"]),
    ("list-with-state-after", "Cameron, El Paso, and Hidalgo Counties, Texas joined.", {}, ["48061", "48141", "48215"]),
    ("standalone-dateline-state", "ICE began checks at the Harris County jail.", {"dateline": "HOUSTON"}, ["48201"]),
    ("issuer-state", "Forsyth County joined.", {"issuer_fips": "3775000"}, ["37067"]),
    ("county-of-forward", "the County of Los Angeles joined.", {}, ["06037"]),
    ("spanish-condado", "en las carceles del Condado de San Diego.", {}, ["06073"]),
    ("person-after-county-of", "convicted in Hennepin County of Edgar Barrientos", {}, ["27053"]),
    ("washington-county-oregon", "Washington County joined.", {"state": "OR"}, ["41067"]),
    ("unknown-county-kept", "Springwood County joined.", {}, [None]),
    ("state-adjective-not-county", "the Minnesota County Attorneys Association", {}, []),
    ("texas-county-is-an-adjective", "a Texas county jail", {}, []),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), [c[1:] for c in COUNTY_CASES],
                         ids=[c[0] for c in COUNTY_CASES])  # fmt: skip
def test_counties(text, kwargs, expected):
    assert codes(find_places(text, **kwargs), kinds=("county",)) == expected


PLACE_CASES = [
    ("paris-texas", "Paris, Texas", ["p:48277", "s:48"]),
    ("springfield-illinois-ap", "Springfield, Ill., police", ["p:17167", "s:17"]),
    ("alexandria-va-place", "Alexandria, Va.", ["p:51510", "s:51"]),
    ("homeland-calif-is-a-town", "Homeland, Calif.", ["p:06065", "s:06"]),
    ("victoria-texas-with-state", "Victoria, Texas", ["p:48469", "s:48"]),
    ("jersey-city", "Jersey City, N.J.", ["p:34017", "s:34"]),
    ("virginia-beach", "Virginia Beach, Va.", ["p:51810", "s:51"]),
    ("town-of-palm-beach", "the Town of Palm Beach", ["p:12099"]),
    ("palm-beach-county-is-county", "Palm Beach County", ["12099"]),
    ("city-of-alexandria-louisiana", "the city of Alexandria, La.", ["p:22079", "s:22"]),
    ("city-of-alexandria-ambiguous", "the City of Alexandria", [None]),
    ("postal-code-style", "Fairfax, VA", ["p:51059", "s:51"]),
    ("charlotte-amalie-territory", "Charlotte Amalie, V.I.", ["p:78030", "s:78"]),
    ("state-list-is-not-a-place", "California, New Mexico, New York and Vermont", ["s:06", "s:35", "s:36", "s:50"]),
    ("district-of-columbia-list", "the District of Columbia, Illinois", ["s:11", "s:17"]),
    ("person-then-state-adjective", "Andrea Joy Campbell, Missouri Attorney General", ["s:29"]),
    ("washington-dc", "Washington, D.C.", ["s:11"]),
    ("washington-state", "Washington state", ["s:53"]),
    ("washington-bare-unresolved", "officials in Washington said", [None]),
    ("state-of-washington", "the State of Washington", ["s:53"]),
    ("georgia-foreign-city", "Tbilisi, Georgia", ["s:13"]),
    ("new-mexico-not-mexico", "New Mexico", ["s:35"]),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in PLACE_CASES], ids=[c[0] for c in PLACE_CASES])
def test_places_and_states(text, expected):
    assert codes(find_places(text)) == expected


NOT_PLACES = [
    ("mexico-city", "He flew to Mexico City last week."),
    ("paris-france", "The summit in Paris, France ended."),
    ("london", "Officials in London agreed."),
    ("secure-communities", "Secure Communities is a Department of Homeland Security initiative."),
    ("justice-department", "The Justice Department and Immigration and Customs Enforcement."),
    ("enforcement-removal", "Enforcement and Removal Operations officers said."),
    ("independence-day", "Independence Day falls on a Sunday."),
    ("victoria-a-name", "Victoria Lopez said the program works."),
    ("homeland-word", "Homeland security depends on it."),
    ("george-washington", "George Washington and the Washington Post."),
    ("the-county-word", "The County Commission met. The county jail is full."),
    ("numbers-and-words", "More than 18,000 aliens charged with Level 1 crimes."),
    ("caps-postal-lookalike", "THE SHERIFF, IN A STATEMENT, SAID HE AGREED."),
]


@pytest.mark.parametrize("text", [c[1] for c in NOT_PLACES], ids=[c[0] for c in NOT_PLACES])
def test_not_places(text):
    assert find_places(text) == []


ROLE_CASES = [
    (
        "title-names-subject",
        "Durham County was not part of it.",
        {"title": "Wake County joins"},
        [("Wake County", "subject", "title"), ("Durham County", "mentioned", "body")],
    ),
    (
        "body-repeats-title",
        "Wake County began on Monday.",
        {"title": "Wake County joins"},
        [("Wake County", "subject", "title"), ("Wake County", "subject", "body")],
    ),
    (
        "activation-cue",
        "Sarasota County joined Secure Communities today. Manatee County is next door.",
        {"state": "FL"},
        [("Sarasota County", "subject", "body"), ("Manatee County", "mentioned", "body")],
    ),
    (
        "dateline-role",
        "The program began.",
        {"dateline": "PALM BEACH, Fla."},
        [("PALM BEACH, Fla.", "dateline", "dateline")],
    ),
    (
        "leading-dateline-in-body",
        "FAIRFAX, Va. - ICE today expanded the program.",
        {},
        [("FAIRFAX, Va.", "dateline", "body")],
    ),
]


@pytest.mark.parametrize(("text", "kwargs", "expected"), [c[1:] for c in ROLE_CASES], ids=[c[0] for c in ROLE_CASES])
def test_roles(text, kwargs, expected):
    found = [(m["text"], m["role"], m["field"]) for m in find_places(text, **kwargs)]
    assert found == expected


def test_mention_shape():
    (m,) = find_places("Palm Beach County joined.")
    assert m == {
        "kind": "county", "text": "Palm Beach County", "start": 0, "end": 17, "name": "Palm Beach County",
        "state": "FL", "fips": "12099", "county_fips": "12099",
        "ocd_id": "ocd-division/country:us/state:fl/county:palm_beach",
        "lat": m["lat"], "lon": m["lon"], "basis": "unique", "role": "subject", "field": "body",
    }  # fmt: skip
    assert 26 < m["lat"] < 27.2 and -80.9 < m["lon"] < -80.0


def test_renamed_keeps_former_code():
    (m, _) = find_places("Shannon County, S.D.")
    assert (m["fips"], m["name"], m["former_fips"], m["former_name"]) == (
        "46102",
        "Oglala Lakota County",
        "46113",
        "Shannon County",
    )


def test_unresolved_lists_candidates():
    (m,) = find_places("Dade County")
    assert m["fips"] is None and m["text"] == "Dade County"
    assert {"12086", "13083", "29057"} <= set(m["candidates"])


def test_offsets_point_at_the_text():
    text = "Officials in Orleans and Jefferson parishes and Fairfax, Va., said."
    for m in find_places(text):
        assert text[m["start"] : m["end"]] == m["text"]
