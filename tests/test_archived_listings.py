"""A release fetched without its list page in the same run (a later sweep skips list pages it
already archived; a WARC may hold the pages without their lists) still gets the list row's
date as evidence, from the archive's listings table."""

from __future__ import annotations

import sqlite_utils
from warcio.archiveiterator import ArchiveIterator
from warcio.warcwriter import WARCWriter

from archive import DEMO_WARC
from crawler.registry import spider_for_url
from tests.conftest import run_cli

EVIDENCE = """
SELECT r.url, e.raw FROM date_evidence e JOIN releases r USING (release_id)
WHERE e.kind = 'listing' ORDER BY r.url, e.raw
"""


def _is_list_page(url: str) -> bool:
    spider = spider_for_url(url)()
    return spider.callback_for(url) in spider.list_callbacks


def _split_demo_warc(tmp_path):
    """The demo WARC as two files: its list pages, and everything else."""
    lists, pages = tmp_path / "lists.warc.gz", tmp_path / "pages.warc.gz"
    with open(DEMO_WARC, "rb") as src, open(lists, "wb") as a, open(pages, "wb") as b:
        writers = {True: WARCWriter(a, gzip=True), False: WARCWriter(b, gzip=True)}
        for record in ArchiveIterator(src):
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "warcinfo":
                continue
            writers[_is_list_page(url)].write_record(record)
    return lists, pages


def _listing_evidence(db_path) -> list[dict]:
    return list(sqlite_utils.Database(db_path).query(EVIDENCE))


def test_releases_imported_after_their_list_pages_keep_the_list_rows_date(tmp_path):
    together = tmp_path / "together.db"
    run_cli("import-warc", str(DEMO_WARC), "--db", str(together))
    expected = _listing_evidence(together)
    assert len(expected) >= 10  # the demo's list rows date most of its releases

    lists, pages = _split_demo_warc(tmp_path)
    apart = tmp_path / "apart.db"
    run_cli("import-warc", str(lists), "--db", str(apart))
    assert not _listing_evidence(apart)  # no releases yet, only the list rows
    run_cli("import-warc", str(pages), "--db", str(apart))
    assert _listing_evidence(apart) == expected
    dates = "SELECT url, published, date_source, date_conflict FROM releases ORDER BY url"
    assert list(sqlite_utils.Database(apart).query(dates)) == list(sqlite_utils.Database(together).query(dates))
