"""WARC out and back in: a live crawl (of a local stand-in site) writes every response to WARC;
each archived row points at its record; importing that WARC rebuilds the same releases."""

from __future__ import annotations

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from crawler.warc import read_record
from tests.conftest import run_cli
from tests.livesite import LiveSite

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]


def _releases(path):
    db = sqlite_utils.Database(path)
    return {(r["release_id"], r["title"], r["published"]) for r in db.query("SELECT * FROM releases")}


def test_live_crawl_writes_warc_and_import_rebuilds_the_same_archive(tmp_path):
    live_db, warcs, replay_db = tmp_path / "live.db", tmp_path / "warcs", tmp_path / "replay.db"
    with LiveSite() as site:
        env = {"http_proxy": site.proxy, "no_proxy": "", "NO_PROXY": ""}
        run_cli("crawl", "us_ice", "--db", str(live_db), "-s", f"ARCHIVE_WARC_DIR={warcs}", *FAST, env=env)
        served = list(site.handler.served)
    files = sorted(warcs.glob("*.warc.gz"))
    assert len(files) == 1
    with files[0].open("rb") as stream:
        responses = [
            r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(stream) if r.rec_type == "response"
        ]
    # every response the site served (robots.txt included) is in the WARC
    assert sorted(responses) == sorted(served)

    db = sqlite_utils.Database(live_db)
    captures = list(db.query("SELECT * FROM captures WHERE kind = 'release'"))
    assert len(captures) >= 20
    for capture in captures[:5]:
        record, _ = read_record(warcs / capture["warc_file"], capture["warc_offset"])
        assert record.rec_headers.get_header("WARC-Target-URI") == capture["url"]
        assert record.rec_headers.get_header("WARC-Payload-Digest") == capture["digest"]
        assert capture["archive"] == "live"

    # The old ICE URL answers 301: the redirect is a capture of the old URL, pointing at its record.
    redirects = list(db.query("SELECT * FROM captures WHERE kind = 'redirect'"))
    old_url = "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm"
    hop = next(c for c in redirects if c["original_url"] == old_url)
    assert hop["status"] == 301 and hop["location"] == "http://www.ice.gov/news/releases/1004/100426palmbeach.htm"
    record, _ = read_record(warcs / hop["warc_file"], hop["warc_offset"])
    assert record.rec_headers.get_header("WARC-Target-URI") == old_url
    assert record.http_headers.get_statuscode() == "301"

    run_cli("import-warc", str(files[0]), "--db", str(replay_db))
    assert _releases(replay_db) == _releases(live_db)
    # the import finds the same redirects in the WARC the crawl wrote
    same = "SELECT original_url, status, location, warc_offset FROM captures WHERE kind = 'redirect'"
    assert set(sqlite_utils.Database(replay_db).execute(same).fetchall()) == set(db.execute(same).fetchall())
