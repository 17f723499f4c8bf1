"""The Datasette publication in-process: the release page, citations, search, feed, map query,
the home page, for an archive of any file name. The browser tests cover the same pages in
Chromium; these check the content, fast."""

from __future__ import annotations

import asyncio
import html as html_lib
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest
import sqlite_utils
from datasette.app import Datasette

from archive import PLUGINS, STATIC, TEMPLATES
from archive.plugins import citations
from crawler.cli import metadata_for

FORSYTH_URL = "http://www.ice.gov/news/releases/1008/100810forsyth.htm"


def archive_datasette(path: Path) -> Datasette:
    """Datasette as `pressarchive serve` configures it (see crawler/cli.py:datasette_args)."""
    return Datasette(
        [],
        immutables=[str(path)],
        metadata=metadata_for(str(path)),
        template_dir=str(TEMPLATES),
        plugins_dir=str(PLUGINS),
        static_mounts=[("static", str(STATIC))],
        settings={"sql_time_limit_ms": 3000},
    )


def get(ds: Datasette, path: str, status: int = 200) -> httpx.Response:
    response = asyncio.run(ds.client.get(path))
    assert response.status_code == status, (path, response.status_code, response.text[:800])
    return response


def release_id_for(path: Path, url: str) -> str:
    rows = list(sqlite_utils.Database(path).query("select release_id from release_urls where url = ?", [url]))
    assert rows, f"no release archived for {url}"
    return rows[0]["release_id"]


@pytest.fixture(scope="module")
def ds(demo_db) -> Datasette:
    return archive_datasette(demo_db)


@pytest.fixture
def copy_of(demo_db, tmp_path):
    """A writable copy of the demo archive under another file name."""

    def make(name: str) -> Path:
        target = tmp_path / name
        shutil.copy(demo_db, target)
        return target

    return make


# -- the release page ---------------------------------------------------------------------------


def test_release_page_shows_date_evidence_text_captures_versions_and_citation(ds, demo_db):
    release_id = release_id_for(demo_db, FORSYTH_URL)
    html = get(ds, f"/archive/releases/{release_id}").text
    assert '<h1 class="release-title">ICE Secure Communities comes to Forsyth County</h1>' in html
    assert "August 10, 2010" in html and "taken from <em>page</em>" in html
    assert "WINSTON-SALEM, N.C." in html  # dateline
    assert 'id="date-evidence"' in html and "Tuesday, August 10, 2010" in html
    assert "Starting today" in html  # body text
    # the capture, with its WARC record (the demo has no public replay) and a Wayback lookup
    assert 'class="capture"' in html and "demo.warc.gz" in html and "sha1:" in html
    assert f'href="https://web.archive.org/web/*/{FORSYTH_URL}"' in html
    assert "version 1" in html
    chicago = html.split('id="cite-chicago">', 1)[1].split("</pre>", 1)[0]
    assert chicago.startswith("U.S. Immigration and Customs Enforcement, “ICE Secure Communities comes to")
    assert f"press release, August 10, 2010, {FORSYTH_URL} (archived at http://localhost/archive/captures/" in chicago
    assert chicago.endswith(", accessed September 15, 2010).")  # the capture's date, not today's
    assert "@misc{" in html and "urldate      = {2010-09-15}" in html
    csl = json.loads(html_lib.unescape(html.split('id="cite-csl">', 1)[1].split("</pre>", 1)[0]))
    assert csl[0]["issued"] == {"date-parts": [[2010, 8, 10]]} and csl[0]["URL"] == FORSYTH_URL


def test_release_page_works_for_any_database_name(copy_of):
    other = copy_of("other.db")
    ds = archive_datasette(other)
    release_id = release_id_for(other, FORSYTH_URL)
    html = get(ds, f"/other/releases/{release_id}").text
    assert 'class="release-title"' in html and 'id="cite-chicago"' in html
    assert "/other/captures/" in html
    # other tables keep Datasette's own row page
    assert 'class="release-title"' not in get(ds, "/other/sources/us_ice").text


def test_web_archive_captures_link_replay_and_raw_and_are_cited_first(copy_of):
    path = copy_of("archive.db")
    release_id = release_id_for(path, FORSYTH_URL)
    db = sqlite_utils.Database(path)
    for archive, timestamp in (("ia", "20100920000000"), ("eot", "20121201000000")):
        db["captures"].insert(
            {"capture_id": f"test-{archive}", "release_id": release_id, "source": "us_ice", "kind": "release",
             "archive": archive, "timestamp": timestamp, "url": FORSYTH_URL, "original_url": FORSYTH_URL, "status": 200}
        )  # fmt: skip
    db.conn.close()
    html = get(archive_datasette(path), f"/archive/releases/{release_id}").text
    assert f'href="https://web.archive.org/web/20100920000000/{FORSYTH_URL}"' in html
    assert f'href="https://web.archive.org/web/20100920000000id_/{FORSYTH_URL}"' in html
    assert f'href="https://eotarchive.org/wayback/20121201000000/{FORSYTH_URL}"' in html
    assert f'href="https://eotarchive.org/wayback/20121201000000id_/{FORSYTH_URL}"' in html
    chicago = html.split('id="cite-chicago">', 1)[1].split("</pre>", 1)[0]
    # A public archive's capture is the one cited, though the demo's own capture is older.
    assert chicago.endswith(
        f"(archived at https://web.archive.org/web/20100920000000/{FORSYTH_URL}, accessed September 20, 2010)."
    )


def test_changed_release_lists_its_versions_with_their_summary(ds, demo_db):
    rows = list(sqlite_utils.Database(demo_db).query("select release_id from releases where version_count > 1"))
    assert rows
    html = get(ds, f"/archive/releases/{rows[0]['release_id']}").text
    assert "version 2" in html and "words" in html  # "+47 words, -1 words"


# -- citations ----------------------------------------------------------------------------------


def _citation(**changes) -> citations.Citation:
    values = {
        "release_id": "abc123def456",
        "title": "Wake County joins Secure Communities",
        "agency": "U.S. Immigration and Customs Enforcement",
        "published": "2008-11-12",
        "original_url": "http://www.ice.gov/pi/nr/0811/081112raleigh.htm",
        "capture_url": "https://web.archive.org/web/20081201000000/http://www.ice.gov/pi/nr/0811/081112raleigh.htm",
        "archive_name": "Internet Archive Wayback Machine",
        "captured": "20081201000000",
    }
    return citations.Citation(**{**values, **changes})


def test_chicago_note_names_agency_title_date_original_and_archived_url_and_access_date():
    assert citations.chicago(_citation()) == (
        "U.S. Immigration and Customs Enforcement, “Wake County joins Secure Communities,” press release, "
        "November 12, 2008, http://www.ice.gov/pi/nr/0811/081112raleigh.htm (archived at "
        "https://web.archive.org/web/20081201000000/http://www.ice.gov/pi/nr/0811/081112raleigh.htm, "
        "accessed December 1, 2008)."
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": "Who is covered?"}, "“Who is covered?” press release"),
        ({"published": "2010-05"}, "press release, May 2010,"),
        ({"published": None}, "press release, n.d.,"),
        ({"capture_url": None, "captured": None}, "raleigh.htm."),
    ],
    ids=["question-mark-title", "month-precision", "undated", "no-capture"],
)
def test_chicago_edge_cases(changes, expected):
    assert expected in citations.chicago(_citation(**changes))


def test_bibtex_escapes_latex_and_keeps_urls_verbatim():
    entry = citations.bibtex(_citation(title="50% of #1 & $2 {x}_y", original_url="http://x.gov/a_b%20c"))
    assert entry.startswith("@misc{uiace2008_abc123de,")
    assert r"title        = {{50\% of \#1 \& \$2 \{x\}\_y}}," in entry
    assert "url          = {http://x.gov/a_b%20c}," in entry
    assert "month        = nov," in entry and "urldate      = {2008-12-01}," in entry
    assert entry.count("{") == entry.count("}")


def test_csl_json_is_one_webpage_item_with_issued_and_accessed_dates():
    (item,) = json.loads(citations.csl_json(_citation()))
    assert item["type"] == "webpage" and item["genre"] == "Press release"
    assert item["author"] == [{"literal": "U.S. Immigration and Customs Enforcement"}]
    assert item["issued"] == {"date-parts": [[2008, 11, 12]]}
    assert item["accessed"] == {"date-parts": [[2008, 12, 1]]}
    assert item["archive"] == "Internet Archive Wayback Machine" and item["archive_location"].startswith("https://")


# -- search, queries, feed, home page -----------------------------------------------------------


def test_search_releases_ranks_and_highlights_a_snippet(ds):
    html = get(ds, "/archive/search_releases?q=Forsyth+fingerprints").text
    assert "<mark>Forsyth</mark>" in html or "<mark>fingerprints</mark>" in html
    rows = get(ds, "/archive/search_releases.json?q=Forsyth&_shape=array").json()
    assert rows and {"release_id", "title", "published", "source", "jurisdictions", "snippet"} <= set(rows[0])
    # ranked: the releases about Forsyth (in the title) come before ones that only mention it
    assert "Forsyth" in rows[0]["title"]
    # the title links to the release page
    assert f'href="/archive/releases/{rows[0]["release_id"]}"' in html


@pytest.mark.parametrize("q", ['"', "Forsyth)", "NEAR(", "AND", "  ", "o'brien"], ids=repr)
def test_search_releases_survives_fts_syntax_in_user_input(ds, q):
    get(ds, f"/archive/search_releases.json?{httpx.QueryParams({'q': q})}")


def test_search_all_lists_the_releases_table(ds):
    html = get(ds, "/-/search?q=Forsyth").text
    assert 'data-searchable-url="/archive/releases"' in html


def test_latest_releases_is_an_atom_feed(ds):
    response = get(ds, "/archive/latest_releases.atom")
    feed = ET.fromstring(response.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = feed.findall("a:entry", ns)
    assert entries and feed.find("a:title", ns).text == "Latest releases"
    titles = [e.find("a:title", ns).text for e in entries]
    assert "ICE Secure Communities comes to Forsyth County" in titles
    link = entries[0].find("a:link", ns).get("href")
    assert link.startswith("releases/")  # relative to the feed: works under any database name


def test_home_page_has_search_box_and_start_here_links(ds):
    html = get(ds, "/").text
    assert 'action="/-/search"' in html and "Start here" in html
    for path in ("/archive/search_releases", "/archive/rollout_timeline", "/archive/jurisdictions_map"):
        assert f'href="{path}"' in html
    assert 'href="/archive/latest_releases.atom"' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html  # feed readers find it


def test_releases_per_month_page_opens_with_its_chart(ds):
    html = get(ds, "/archive/releases_per_month").text
    assert "history.replaceState" in html and "g.mark=bar" in html and "g.color_column=source" in html


def test_responses_carry_security_headers(ds):
    headers = get(ds, "/archive/releases").headers
    assert "object-src 'none'" in headers["content-security-policy"]
    assert "connect-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
