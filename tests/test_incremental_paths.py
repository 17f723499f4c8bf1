"""An archive whose file name holds URI characters ("#", "?") is still read by the incremental
check: a repeated sweep skips what it already archived."""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler

from crawler.incremental import AlreadyArchived, SkipArchivedMiddleware
from pipelines.archive_writer import open_archive

CAPTURE = {"original_url": "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm", "archive": "ia"}


@pytest.mark.parametrize("name", ["archive#2010.db", "what?.db", "plain.db"])
def test_an_archived_capture_is_skipped_whatever_the_archive_is_named(tmp_path, name):
    path = tmp_path / name
    db = open_archive(str(path))
    db["captures"].insert(
        {"capture_id": "c1", "kind": "release", "timestamp": "20100427000000", "digest": "D", **CAPTURE}
    )
    db.conn.commit()
    db.close()
    middleware = SkipArchivedMiddleware(get_crawler(settings_dict={"ARCHIVE_DB": str(path)}))
    archived = {**CAPTURE, "timestamp": "20100427000000", "digest": "D"}
    with pytest.raises(AlreadyArchived):
        middleware.process_request(
            Request(CAPTURE["original_url"], meta={"skip_if_archived": True, "archive_capture": archived})
        )
    fresh = {**CAPTURE, "timestamp": "20110101000000", "digest": "E"}
    request = Request(CAPTURE["original_url"], meta={"skip_if_archived": True, "archive_capture": fresh})
    assert middleware.process_request(request) is None
