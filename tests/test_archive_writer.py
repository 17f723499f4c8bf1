"""The store's shortcuts must not cost truth: the full-text index follows text changes (and only
those), and dimension rows skipped as "already written" are really in the archive."""

from __future__ import annotations

import time

import pytest
import sqlite_utils

from archive.schema import ensure_schema
from crawler.items import ListingEntry, PressRelease
from pipelines.identity import IdentityPipeline
from pipelines.store import ArchiveWriter, open_archive

URL = "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm"
PALM_BEACH = {
    "ocd_id": "ocd-division/country:us/state:fl/county:palm_beach", "fips": "12099", "name": "Palm Beach County",
    "kind": "county", "state": "FL", "county_fips": "12099", "lat": 26.6, "lon": -80.4, "role": "subject",
    "text": "Palm Beach County", "field": "body_text", "start": 0, "end": 17, "basis": "dateline",
}  # fmt: skip


def _release(url=URL, title="Palm Beach Sheriff's Office joins Secure Communities", ts="20100428120000"):
    item = PressRelease(
        source="us_ice", url=url, title=title, published="2010-04-26", published_precision="day",
        body_text=f"Palm Beach County now uses Secure Communities. ({url})", jurisdictions=[dict(PALM_BEACH)],
        capture={"archive": "test", "timestamp": ts, "original_url": url, "digest": f"sha1:{ts}"},
    )  # fmt: skip
    return IdentityPipeline().process_item(item)


def _search(db: sqlite_utils.Database, words: str) -> list[str]:
    sql = "SELECT r.title FROM releases_fts JOIN releases r ON r.rowid = releases_fts.rowid WHERE releases_fts MATCH ?"
    return [row[0] for row in db.execute(sql, [words]).fetchall()]


def _segments(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT count(*) FROM releases_fts_data").fetchone()[0]


def test_search_follows_a_title_change_and_a_count_update_leaves_the_index_alone(tmp_path):
    db = open_archive(str(tmp_path / "a.db"))
    writer = ArchiveWriter(db)
    writer.write(_release(ts="20100601120000"))
    writer.commit()
    before = _segments(db)
    db.execute("UPDATE releases SET capture_count = capture_count + 1")
    assert _segments(db) == before  # no re-index: the text did not change
    # An earlier capture arriving late rewrites the release with what was first published.
    writer.write(_release(title="Broward Sheriff joins Secure Communities", ts="20100428120000"))
    writer.commit()
    assert _search(db, "broward") == ["Broward Sheriff joins Secure Communities"]
    assert _search(db, "palm") == ["Broward Sheriff joins Secure Communities"]  # the body still names it
    assert _search(db, "title:palm") == []


def test_an_archive_made_with_the_wide_update_trigger_is_migrated(tmp_path):
    db = sqlite_utils.Database(tmp_path / "old.db")
    ensure_schema(db)
    db.execute("DROP TRIGGER releases_au")
    db.execute(
        "CREATE TRIGGER releases_au AFTER UPDATE ON releases BEGIN "
        "INSERT INTO releases_fts (releases_fts, rowid, title, subtitle, body_text) "
        "VALUES('delete', old.rowid, old.title, old.subtitle, old.body_text); "
        "INSERT INTO releases_fts (rowid, title, subtitle, body_text) "
        "VALUES (new.rowid, new.title, new.subtitle, new.body_text); END"
    )
    ensure_schema(db)
    sql = db.execute("SELECT sql FROM sqlite_master WHERE name = 'releases_au'").fetchone()[0]
    assert 'AFTER UPDATE OF "title", "subtitle", "body_text" ON "releases"' in sql


def test_a_failed_item_does_not_leave_its_places_marked_as_written(tmp_path, monkeypatch):
    db = open_archive(str(tmp_path / "a.db"))
    writer = ArchiveWriter(db, batch_items=100, batch_seconds=3600)
    real = ArchiveWriter._refresh_counts

    def fail_once(self, release_id):
        monkeypatch.setattr(ArchiveWriter, "_refresh_counts", real)
        raise RuntimeError("disk full")

    monkeypatch.setattr(ArchiveWriter, "_refresh_counts", fail_once)
    with pytest.raises(RuntimeError):  # the item's savepoint is rolled back, places included
        writer.write(_release())
    writer.write(_release("http://www.ice.gov/pi/nr/1004/100426palmbeach2.htm", ts="20100428120001"))
    writer.commit()
    assert [r["fips"] for r in db["jurisdictions"].rows] == ["12099"]
    links = db.execute(
        "SELECT count(*) FROM release_jurisdictions rj JOIN jurisdictions j ON j.ocd_id = rj.jurisdiction"
    )
    assert links.fetchone()[0] == 1


def test_rows_written_again_after_the_batch_is_rolled_back(tmp_path):
    db = open_archive(str(tmp_path / "a.db"))
    writer = ArchiveWriter(db, batch_items=100, batch_seconds=3600)
    listing = {"archive": "test", "timestamp": "20100501000000", "original_url": "http://www.ice.gov/pi/news/"}
    writer.write(ListingEntry(source="us_ice", list_url="http://www.ice.gov/pi/news/", url=URL, capture=listing))
    writer.write(_release())
    writer.rollback()
    writer.write(ListingEntry(source="us_ice", list_url="http://www.ice.gov/pi/news/", url=URL + "?2", capture=listing))
    writer.write(_release(ts="20100428120002"))
    writer.commit()
    assert db["jurisdictions"].count == 1
    assert db.execute("SELECT count(*) FROM captures WHERE kind = 'list'").fetchone()[0] == 1
    assert db["listings"].count == 1


def test_an_idle_writer_commits_a_due_batch_and_frees_the_lock(tmp_path):
    db = open_archive(str(tmp_path / "a.db"))
    writer = ArchiveWriter(db, batch_items=100, batch_seconds=0.2)
    writer.write(_release())
    other = sqlite_utils.Database(tmp_path / "a.db")
    writer.commit_if_due()  # not due yet: the batch stays open
    assert other["releases"].count == 0 and db.conn.in_transaction
    time.sleep(0.25)
    writer.commit_if_due()
    assert other["releases"].count == 1 and not db.conn.in_transaction
