"""A synthetic ICE newsroom of the 2008-2013 era (the /pi/nr/YYMM/ URL scheme), for benchmarks.

`generate(directory, pages, seed)` writes release pages of ~20 KB (a table layout with a large
navigation, an inline menu script and a related-releases box, as the agency's pages had) and
paginated list pages that link them all, plus `site.json` mapping each URL to its file. The
same seed gives the same bytes, so runs on different days compare.
"""

from __future__ import annotations

import html
import json
import random
from datetime import date, timedelta
from pathlib import Path

HOST = "http://www.ice.gov"
LIST_PATH = "/pi/news/newsreleases/index.htm"
ROWS_PER_LIST = 100
FORMAT = 6  # bump when the markup changes, so cached sites are rebuilt

# (county, dateline city, AP state, postal, AP city that stands alone in a dateline)
PLACES = [
    ("Harris", "Houston", "Texas", "TX", True), ("Dallas", "Dallas", "Texas", "TX", True),
    ("Bexar", "San Antonio", "Texas", "TX", True), ("Hidalgo", "Edinburg", "Texas", "TX", False),
    ("Cameron", "Brownsville", "Texas", "TX", False), ("Webb", "Laredo", "Texas", "TX", False),
    ("Travis", "Austin", "Texas", "TX", False), ("Palm Beach", "West Palm Beach", "Fla.", "FL", False),
    ("Orange", "Orlando", "Fla.", "FL", False), ("Sarasota", "Sarasota", "Fla.", "FL", False),
    ("Miami-Dade", "Miami", "Fla.", "FL", True), ("Hillsborough", "Tampa", "Fla.", "FL", False),
    ("Duval", "Jacksonville", "Fla.", "FL", False), ("Maricopa", "Phoenix", "Ariz.", "AZ", True),
    ("Pima", "Tucson", "Ariz.", "AZ", False), ("Yuma", "Yuma", "Ariz.", "AZ", False),
    ("Los Angeles", "Los Angeles", "Calif.", "CA", True), ("San Diego", "San Diego", "Calif.", "CA", True),
    ("Ventura", "Ventura", "Calif.", "CA", False), ("Fresno", "Fresno", "Calif.", "CA", False),
    ("Fairfax", "Fairfax", "Va.", "VA", False), ("Prince William", "Manassas", "Va.", "VA", False),
    ("Loudoun", "Leesburg", "Va.", "VA", False), ("Wake", "Raleigh", "N.C.", "NC", False),
    ("Mecklenburg", "Charlotte", "N.C.", "NC", False), ("Forsyth", "Winston-Salem", "N.C.", "NC", False),
    ("Gaston", "Gastonia", "N.C.", "NC", False), ("Cobb", "Marietta", "Ga.", "GA", False),
    ("Gwinnett", "Lawrenceville", "Ga.", "GA", False), ("Doña Ana", "Las Cruces", "N.M.", "NM", False),
    ("Bernalillo", "Albuquerque", "N.M.", "NM", False), ("Denver", "Denver", "Colo.", "CO", True),
    ("Weld", "Greeley", "Colo.", "CO", False), ("East Baton Rouge", "Baton Rouge", "La.", "LA", False),
    ("St. Louis", "St. Louis", "Mo.", "MO", True), ("Suffolk", "Boston", "Mass.", "MA", True),
    ("Cook", "Chicago", "Ill.", "IL", True), ("King", "Seattle", "Wash.", "WA", True),
    ("Yakima", "Yakima", "Wash.", "WA", False), ("Tulsa", "Tulsa", "Okla.", "OK", False),
    ("Salt Lake", "Salt Lake City", "Utah", "UT", True), ("Clark", "Las Vegas", "Nev.", "NV", True),
    ("Davidson", "Nashville", "Tenn.", "TN", False), ("Charleston", "Charleston", "S.C.", "SC", False),
    ("Jefferson", "Birmingham", "Ala.", "AL", False), ("Wayne", "Detroit", "Mich.", "MI", True),
    ("Butler", "Hamilton", "Ohio", "OH", False), ("Marion", "Indianapolis", "Ind.", "IN", True),
    ("Multnomah", "Portland", "Ore.", "OR", False), ("Canyon", "Caldwell", "Idaho", "ID", False),
    ("Sedgwick", "Wichita", "Kan.", "KS", False), ("Douglas", "Omaha", "Neb.", "NE", False),
    ("Hennepin", "Minneapolis", "Minn.", "MN", True), ("Polk", "Des Moines", "Iowa", "IA", False),
    ("Benton", "Bentonville", "Ark.", "AR", False), ("Frederick", "Frederick", "Md.", "MD", False),
]  # fmt: skip

TITLES = [
    "ICE Secure Communities activated for the {county} County Sheriff's Office",
    "{county} County begins using ICE's Secure Communities to identify criminal aliens",
    "Secure Communities expands to {county} County, {state}",
    "{count} more {state} jurisdictions join ICE strategy to identify and remove criminal aliens",
    "ICE removes {count} convicted criminal aliens identified in {county} County",
    "{county} County Jail begins sharing booking fingerprints through Secure Communities",
]
SUBTITLES = [
    "Biometric information sharing now covers every booking in the county",
    "Program prioritizes people convicted of the most serious crimes",
    "",
]
PARAGRAPHS = [
    "The {county} County Sheriff's Office today began using U.S. Immigration and Customs Enforcement's "
    "(ICE) Secure Communities capability at its main detention center in {city}.",
    "Fingerprints of everyone booked into the county's jails will now be checked against Department of "
    "Homeland Security immigration records along with the usual state and FBI criminal history checks. "
    "ICE officers in {office} will review each match and decide what action to take.",
    "{county} County joins {count} other {state} jurisdictions already taking part in the program, "
    "which ICE began in October 2008 in Harris County, Texas.",
    "Since it began, Secure Communities has identified more than {big} people charged with or convicted "
    "of crimes, including {small} charged with or convicted of major drug offenses or violent crimes "
    "such as murder, rape and kidnapping.",
    "\u201cThis technology gives our deputies and ICE accurate information on who is in our custody,\u201d "
    "said Sheriff {sheriff}. \u201cIt costs the county nothing and it does not change how we police.\u201d",
    "ICE is now using Secure Communities in {count} jurisdictions in {states} states. The agency expects "
    "to use it in every jail and prison in the country by {year}.",
    "Local officers do not enforce immigration law under the program: the checks happen when someone is "
    "booked for another offense, and ICE decides whether to take custody under its priorities.",
    "Those with prior convictions for serious offenses, those who re-entered the country after removal "
    "and fugitives from immigration court orders receive the agency's first attention.",
    "The {office} field office of Enforcement and Removal Operations covers {county} County and {other} "
    "County, and handled {small} removals of people with criminal records in fiscal year {fy}.",
    "Under Secure Communities, a match does not by itself lead to removal. ICE reviews the person's "
    "criminal history and immigration status, and an immigration judge decides most cases; people who "
    "are removed after serving a sentence are handed over when their state or local custody ends.",
    "The program uses a biometric system that already exists: the fingerprints that local officers "
    "send to the state identification bureau and on to the FBI are now also checked against the "
    "Automated Biometric Identification System (IDENT) that the Department keeps.",
    "County commissioners approved a memorandum of agreement on the program in {month_name}, after a "
    "public hearing at which residents and local advocacy groups spoke for and against it.",
    "For more information, visit www.ice.gov/secure_communities or contact the {office} field office. "
    "Members of the public can report suspicious activity to the ICE tip line at 1-866-DHS-2-ICE.",
    "Nationwide, {big} people were removed in fiscal year {fy}; about half of them had criminal "
    "convictions, according to agency figures released with the {state} announcement.",
]
BOILERPLATE = (
    "U.S. Immigration and Customs Enforcement (ICE) is the largest investigative arm of the Department "
    "of Homeland Security. ICE enforces the nation's customs and immigration laws inside the United "
    "States. More about the agency and its programs is available at www.ice.gov."
)
SHERIFFS = ["Ric Bradshaw", "Jerry Demings", "Tom Knight", "Lupe Trevino", "Omar Lucio", "Stan Barry",
            "Joe Arpaio", "Clarence Dupnik", "Stanley Barry", "Glenn Hamilton", "Mike Brown", "Bill Hutto"]  # fmt: skip
OFFICES = ["Miami", "Houston", "Dallas", "Phoenix", "San Antonio", "Atlanta", "Chicago", "Denver"]
NAV = ["Secure Communities", "287(g) Delegation of Authority", "Detention and Removal", "Worksite Enforcement",
       "Identity and Benefit Fraud", "Human Smuggling and Trafficking", "Gang Enforcement (Operation Community "
       "Shield)", "Child Exploitation (Operation Predator)", "Counter-Proliferation", "Cultural Property, Art and "
       "Antiquities", "Intellectual Property Rights", "Money Laundering", "Narcotics", "Visa Security",
       "Student and Exchange Visitor Program", "Fugitive Operations", "Criminal Alien Program", "Alternatives to "
       "Detention", "Detention Standards", "Federal Protective Service", "Office of the Principal Legal Advisor",
       "Office of Professional Responsibility", "Office of International Affairs", "Law Enforcement Support "
       "Center"]  # fmt: skip
MENU_SCRIPT = "".join(f"menu.add('m{i}', '/{w.split()[0].lower()}/index.htm', '{w}');\n" for i, w in enumerate(NAV * 6))


def fill_values(rng: random.Random, place: tuple, day: date) -> dict[str, str]:
    other = rng.choice(PLACES)
    return {
        "county": place[0], "city": place[1], "state": place[2], "office": rng.choice(OFFICES),
        "count": str(rng.randint(2, 90)), "big": f"{rng.randint(2, 120) * 1000:,}",
        "small": f"{rng.randint(40, 9000):,}",
        "sheriff": rng.choice(SHERIFFS), "states": str(rng.randint(11, 44)), "year": str(rng.randint(2012, 2014)),
        "other": other[0], "fy": str(day.year), "month_name": f"{day:%B}",
    }  # fmt: skip


def dateline(rng: random.Random, place: tuple) -> str:
    city = place[1].upper()
    head = city if place[4] and rng.random() < 0.7 else f"{city}, {place[2]}"
    return head + rng.choice([" - ", " \u2014 ", " \u2013 ", " -- "])


def _printed_date(rng: random.Random, day: date) -> str:
    roll = rng.random()
    if roll < 0.7:
        return f"{day:%B} {day.day}, {day.year}"
    if roll < 0.85:
        return f"{day:%A}, {day:%B} {day.day}, {day.year}"
    return f"{day.month}/{day.day}/{day.year}"


def release(rng: random.Random, index: int) -> dict:
    """One release's facts and text (what a page and a synthetic archive row are made of)."""
    day = date(2008, 10, 27) + timedelta(days=rng.randint(0, 1890))
    place = rng.choice(PLACES)
    fill = fill_values(rng, place, day)
    title = rng.choice(TITLES).format(**fill)
    paragraphs = [PARAGRAPHS[0].format(**fill)]
    paragraphs += [p.format(**fill) for p in rng.sample(PARAGRAPHS[1:], rng.randint(6, len(PARAGRAPHS) - 1))]
    paragraphs[0] = dateline(rng, place) + paragraphs[0]
    if rng.random() < 0.4:  # rollout releases listed the jurisdictions activated that day
        named = "; ".join(f"{p[0]} County, {p[2]}" for p in rng.sample(PLACES, rng.randint(3, 9)))
        paragraphs.insert(2, f"The jurisdictions activated this month include {named}.")
    slug = "".join(ch for ch in place[1].lower() if ch.isalnum())
    return {
        "url": f"{HOST}/pi/nr/{day:%y%m}/{day:%y%m%d}{slug}{index}.htm",
        "day": day, "place": place, "title": title, "subtitle": rng.choice(SUBTITLES),
        "printed": _printed_date(rng, day), "paragraphs": paragraphs,
    }  # fmt: skip


FRAME = """<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{title}</title>
<meta name="keywords" content="ICE, immigration, customs, enforcement, news, secure communities">
<link rel="stylesheet" type="text/css" href="/css/ice_main.css">
<script type="text/javascript">
var menu = new IceMenu('topnav');
{menu}</script>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0">
<a href="#content" class="skip">Skip Navigation</a>
<table id="layout" width="760" border="0" cellpadding="0" cellspacing="0" align="center">
  <tr><td colspan="2" id="banner"><a href="/index.htm"><img src="/images/top_nav/ice_banner.gif" width="760" height="90" alt="U.S. Immigration and Customs Enforcement"></a></td></tr>
  <tr>
    <td id="leftnav" valign="top" width="170" bgcolor="#E8EEF4">
      <h4>Public Information</h4>
      <ul>
        <li><a href="/pi/news/newsreleases/index.htm">News Releases</a></li>
        <li><a href="/pi/news/factsheets/index.htm">Fact Sheets</a></li>
      </ul>
      <h4>Programs</h4>
      <ul>
{nav}
      </ul>
    </td>
    <td id="main" valign="top" width="590"><div id="content">
{main}
</div>
<div id="spotlight"><h3>In the spotlight</h3><ul>
{spotlight}</ul></div>
    </td>
  </tr>
  <tr><td colspan="2" id="footer">
    <p><a href="/privacy.htm">Privacy Policy</a> | <a href="/foia/index.htm">FOIA</a> | <a href="/sitemap.htm">Site Map</a> | <a href="http://www.dhs.gov/">DHS.gov</a></p>
    <p class="last-modified">Last Modified: {modified:%A}, {modified:%B} {day}, {modified.year}</p>
  </td></tr>
</table>
</body>
</html>
"""  # noqa: E501


def _frame(title: str, main: str, modified: date) -> str:
    spotlight = "\n".join(
        f'<li><a href="/pi/spotlight/{i}.htm"><img src="/images/spot{i}.jpg" width="120" height='
        f'"80" alt="{html.escape(w)}"><br>{html.escape(w)}: news, fact sheets and contacts</a></li>'
        for i, w in enumerate(NAV[:12])
    )
    nav = "\n".join(f'        <li><a href="/{w.split()[0].lower()}/index.htm">{html.escape(w)}</a></li>' for w in NAV)
    return FRAME.format(title=html.escape(title), menu=MENU_SCRIPT, nav=nav, main=main, spotlight=spotlight,
                        modified=modified, day=modified.day)  # fmt: skip


def release_page(rng: random.Random, rel: dict, related: list[dict]) -> str:
    body = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in rel["paragraphs"])
    sub = f'<h2 class="nr-subtitle">{html.escape(rel["subtitle"])}</h2>\n' if rel["subtitle"] else ""
    links = "\n".join(
        f'  <li><a href="{r["url"][len(HOST) :]}">{html.escape(r["title"])}</a> ({r["day"]:%m/%d/%Y})</li>'
        for r in related
    )
    main = f"""<p class="breadcrumb"><a href="/index.htm">Home</a> &gt; <a href="{LIST_PATH}">News Releases</a></p>
<p class="nr-label">News Release</p>
<p class="nr-date">{rel["printed"]}</p>
<h1 class="nr-title">{html.escape(rel["title"])}</h1>
{sub}<div class="nr-body">
{body}
<p align="center">-- ICE --</p>
<p class="boilerplate"><em>{BOILERPLATE}</em></p>
</div>
<p class="contact">Contact: ICE Office of Public Affairs, (202) 514-2648</p>
<div class="related"><h3>Related news releases</h3>
<ul>
{links}
</ul></div>"""
    modified = rel["day"] + timedelta(days=rng.choice([0, 0, 0, 1, 3, 30]))
    return _frame(f"ICE News Release: {rel['title']}", main, modified)


def list_page(number: int, pages: int, rows: list[dict]) -> str:
    items = "\n".join(
        f'  <li><span class="nr-date">{r["day"].month}/{r["day"].day}/{r["day"].year}</span> | '
        f'<a href="{r["url"][len(HOST) :]}">{html.escape(r["title"])}</a> '
        f'<span class="nr-place">{html.escape(r["place"][1])}, {r["place"][3]}</span></li>'
        for r in rows
    )
    pager = " ".join(f'<a href="{list_url(n)[len(HOST) :]}">{n}</a>' for n in range(1, pages + 1) if n != number)
    main = f"""<h1>News Releases</h1>
<p class="intro">Page {number} of {pages}, newest first.</p>
<ul class="nr-list">
{items}
</ul>
<p class="pager">{pager}</p>"""
    return _frame("ICE - News Releases", main, rows[0]["day"])


def list_url(number: int) -> str:
    return HOST + LIST_PATH + ("" if number == 1 else f"?page={number}")


def generate(directory: Path, pages: int, seed: int = 2010) -> dict[str, str]:
    """Write the site (or reuse it when already built with these arguments); return URL → file."""
    manifest = directory / "site.json"
    stamp = {"pages": pages, "seed": seed, "format": FORMAT}
    if manifest.exists():
        cached = json.loads(manifest.read_text())
        if cached["stamp"] == stamp:
            return cached["files"]
    rng = random.Random(seed)
    releases = sorted((release(rng, i) for i in range(pages)), key=lambda r: (r["day"], r["url"]), reverse=True)
    files: dict[str, str] = {}
    for i, rel in enumerate(releases):
        related = [releases[(i + k * 7) % len(releases)] for k in range(1, 11)]
        files[rel["url"]] = _write(directory, rel["url"], release_page(rng, rel, related))
    count = -(-len(releases) // ROWS_PER_LIST)
    for n in range(1, count + 1):
        rows = releases[(n - 1) * ROWS_PER_LIST : n * ROWS_PER_LIST]
        files[list_url(n)] = _write(directory, list_url(n), list_page(n, count, rows))
    manifest.write_text(json.dumps({"stamp": stamp, "files": files}))
    return files


def _write(directory: Path, url: str, text: str) -> str:
    relative = url[len("http://") :].replace("?", "_")
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return relative


def release_urls(files: dict[str, str]) -> list[str]:
    return [url for url in files if "/pi/nr/" in url]
