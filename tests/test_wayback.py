"""Sweeping web archives end to end: a real pywb on 127.0.0.1 over the demo WARC, and the
Internet Archive's response shape from recorded CDX answers."""

from __future__ import annotations

import csv
import io
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from tests.conftest import ROOT, run_cli
from tests.http_reply import LoopbackServer, send_reply
from tests.pywb_server import PywbServer

DEMO_WARC = ROOT / "archive" / "demo" / "demo.warc.gz"
FAST = ["-s", "ARCHIVE_CDX_RATE=50", "-s", "ARCHIVE_CAPTURE_RATE=200", "-s", "LOG_LEVEL=WARNING"]


def _sweep(cdx_url, db, *extra, check=True):
    warcs = f"ARCHIVE_WARC_DIR={db.parent / 'warcs'}"
    return run_cli("crawl", "us_ice", "--archive", cdx_url, "--db", str(db), "-s", warcs, *FAST, *extra, check=check)


def _later_copy_of_richmond(tmp: Path) -> Path:
    """A WARC holding an unchanged recapture of a demo page: same payload digest, new time."""
    out = tmp / "recapture.warc.gz"
    with DEMO_WARC.open("rb") as stream, out.open("wb") as sink:
        writer = WARCWriter(sink, gzip=True)
        for record in ArchiveIterator(stream):
            if record.rec_type == "response" and record.rec_headers["WARC-Date"] == "2010-06-01T09:00:11Z":
                body = record.content_stream().read()
                copy = writer.create_warc_record(
                    record.rec_headers["WARC-Target-URI"], "response", payload=io.BytesIO(body), length=len(body),
                    http_headers=record.http_headers, warc_headers_dict={"WARC-Date": "2010-07-03T04:11:22Z"},
                )  # fmt: skip
                writer.write_record(copy)
    return out


def _db(path):
    return sqlite_utils.Database(path)


@pytest.fixture(scope="module")
def pywb(tmp_path_factory):
    extra = _later_copy_of_richmond(tmp_path_factory.mktemp("recapture"))
    with PywbServer([DEMO_WARC, extra]) as server:
        yield server


def test_sweep_of_a_local_wayback_archives_every_capture(pywb, tmp_path):
    db_path = tmp_path / "sweep.db"
    out = _sweep(pywb.cdx_url, db_path, "--from", "2008", "--to", "2013", "-s", "ARCHIVE_PROGRESS_INTERVAL=0.05")
    assert "progress us_ice:" in out.stderr  # a progress line while it runs
    db = _db(db_path)
    # every release of the corpus, from its own callbacks, under its original URL
    imported = tmp_path / "imported.db"
    run_cli("import-warc", str(DEMO_WARC), "--db", str(imported))
    ice = "SELECT title, published FROM releases WHERE source = 'us_ice'"
    assert set(map(tuple, map(dict.values, db.query(ice)))) == set(
        map(tuple, map(dict.values, _db(imported).query(ice)))
    )
    captures = list(db.query("SELECT * FROM captures WHERE kind = 'release'"))
    assert all(
        c["archive"].startswith("127.0.0.1:") and not c["original_url"].startswith("http://127") for c in captures
    )
    # digest dedupe: the unchanged recapture is recorded, linked, and was not fetched
    revisit = list(db.query("SELECT * FROM captures WHERE kind = 'revisit' AND timestamp = '20100703041122'"))
    assert len(revisit) == 1 and revisit[0]["release_id"]
    richmond = next(db.query("SELECT * FROM releases WHERE url LIKE '%100422richmond%'"))
    assert richmond["version_count"] == 2 and richmond["capture_count"] == 3
    # identity across URLs: the migrated Palm Beach release is one release with two URLs
    palm = list(db.query("SELECT DISTINCT release_id FROM release_urls WHERE url LIKE '%100426palmbeach.htm'"))
    assert len(palm) == 1
    assert list(db.query("SELECT * FROM captures WHERE kind = 'redirect'"))
    # only successful captures (and redirects) are fetched: the archived 404 is not
    assert not list(db.query("SELECT 1 FROM captures WHERE timestamp = '20100428120142'"))

    # a second run over the same archive and range fetches nothing
    again = _sweep(pywb.cdx_url, db_path, "--from", "2008", "--to", "2013")
    assert " 0 fetched" in again.stderr, again.stderr


def test_date_range_limits_the_sweep(pywb, tmp_path):
    db_path = tmp_path / "range.db"
    _sweep(pywb.cdx_url, db_path, "--from", "201006", "--to", "2010")
    stamps = {row["timestamp"][:6] for row in _db(db_path)["captures"].rows}
    assert stamps and all("201006" <= s <= "201012" for s in stamps)


def test_interrupted_sweep_resumes_without_loss_or_duplicates(pywb, tmp_path):
    db_path, jobdir = tmp_path / "resume.db", tmp_path / "job"
    first = _sweep(pywb.cdx_url, db_path, "--jobdir", str(jobdir), "-s", "CLOSESPIDER_PAGECOUNT=10", check=False)
    assert first.returncode == 1  # stopped early, and says so
    partial = _db(db_path)["captures"].count
    _sweep(pywb.cdx_url, db_path, "--jobdir", str(jobdir))
    full = tmp_path / "full.db"
    _sweep(pywb.cdx_url, full)
    key = "SELECT original_url, timestamp, kind FROM captures ORDER BY 1, 2, 3"
    assert 0 < partial < _db(full)["captures"].count
    assert list(_db(db_path).query(key)) == list(_db(full).query(key))
    assert _db(db_path)["releases"].count == _db(full)["releases"].count


# -- the Internet Archive's shape, from recorded CDX answers ----------------------------------
FIXTURES = ROOT / "tests" / "fixtures" / "cdx"


def _demo_pages() -> dict[str, Path]:
    pages = {}
    with (ROOT / "archive" / "demo" / "captures.csv").open(encoding="utf-8") as rows:
        for row in sorted(csv.DictReader(rows), key=lambda r: r["timestamp"]):
            if row["page"] and row["status"] == "200":
                pages[row["url"]] = ROOT / "archive" / "demo" / "pages" / row["page"]
    return pages


class _FakeIA(BaseHTTPRequestHandler):
    queries: list[dict] = []
    pages: dict[str, Path] = {}

    def do_GET(self):  # noqa: N802
        parts = urlsplit(self.path)
        if parts.path == "/cdx/search/cdx":
            query = parse_qs(parts.query)
            self.queries.append(query)
            name = "ia_ice_pi_nr_page2.json" if "resumeKey" in query else "ia_ice_pi_nr_page1.json"
            return send_reply(self, 200, "application/json", (FIXTURES / name).read_bytes())
        original = self.path.split("id_/", 1)[-1].replace(":80/", "/", 1)
        page = self.pages.get(original)
        if page is None:
            return send_reply(self, 404, "text/html", b"<html><body>not in archive</body></html>")
        return send_reply(self, 200, "text/html; charset=utf-8", page.read_bytes())

    def log_message(self, *args):
        pass


def test_internet_archive_shape_with_resume_key_paging(tmp_path):
    handler = type("IA", (_FakeIA,), {"queries": [], "pages": _demo_pages()})
    with LoopbackServer(handler) as server:
        cdx_url = f"{server.url}/cdx/search/cdx"
        run_cli(
            "crawl", "--archive", cdx_url, "--prefix", "www.ice.gov/pi/nr/*", "--db", str(tmp_path / "ia.db"), *FAST
        )
    assert len(handler.queries) == 2 and "resumeKey" in handler.queries[1]
    first = handler.queries[0]
    assert first["output"] == ["json"] and first["collapse"] == ["digest"] and first["matchType"] == ["prefix"]
    db = _db(tmp_path / "ia.db")
    urls = {row["original_url"] for row in db["captures"].rows}
    assert urls and not any(":80/" in url for url in urls)  # IA's default port is normalized
    # Houston 2009-03-01 and 2010-04-28 share a digest: one fetch, one revisit capture
    houston = list(db.query("SELECT kind FROM captures WHERE original_url LIKE '%081027houston%' ORDER BY timestamp"))
    assert [h["kind"] for h in houston] == ["release", "release", "revisit"]
    # the revisit row of the CDX ("-" status) is kept as provenance too
    assert list(db.query("SELECT 1 FROM captures WHERE timestamp = '20100703041122' AND kind = 'revisit'"))
