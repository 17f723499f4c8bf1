"""Incremental sweeps: a capture already in the archive (same archive, original URL and
timestamp, or the same URL with the same digest) is not fetched again.

This check, not Scrapy's JOBDIR seen-set, is what makes a resumed or repeated sweep cheap and
safe: after an unclean stop the seen-set is on disk while the queue is not (see jobdir.py).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urljoin

from scrapy.exceptions import IgnoreRequest
from w3lib.url import safe_url_string

from archive.readonly import connect_read_only
from crawler.jobdir import job_start

_ARCHIVED = """
SELECT 1 FROM captures
WHERE original_url = :url AND kind != 'revisit'
  -- a page that failed after it was fetched is archived (its bytes are in a WARC); a fetch that
  -- failed is not, and is tried again
  AND (kind != 'error' OR warc_file IS NOT NULL)
  AND ((archive = :archive AND timestamp = :timestamp) OR (digest IS NOT NULL AND digest = :digest))
LIMIT 1
"""


# A live page a resumed job already archived (after an unclean stop the queue is gone and the
# list pages are read again; the pages they link to need not be).
_FETCHED_THIS_JOB = """
SELECT kind, location FROM captures
WHERE original_url = :url AND archive = 'live' AND timestamp >= :since AND kind != 'revisit'
  AND (kind != 'error' OR warc_file IS NOT NULL)
ORDER BY kind = 'redirect', timestamp DESC
"""
_MAX_HOPS = 20  # Scrapy's REDIRECT_MAX_TIMES


class AlreadyArchived(IgnoreRequest):
    """Skipped on purpose: not a failure, no error row."""


class SkipArchivedMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.path = Path(crawler.settings.get("ARCHIVE_DB", "archive.db"))
        # Read when the crawl opens: SafeResumeExtension writes it for a new job.
        self._jobdir = crawler.settings.get("JOBDIR")
        self._conn: sqlite3.Connection | None = None

    @property
    def job_start(self) -> str | None:
        return job_start(self._jobdir)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def _db(self) -> sqlite3.Connection | None:
        if self._conn is None and self.path.exists():
            self._conn = connect_read_only(self.path, check_same_thread=False)
        return self._conn

    def process_request(self, request):
        if request.meta.get("skip_if_archived"):
            capture = request.meta.get("archive_capture") or {}
            url = capture.get("original_url")
            params = {
                "url": url,
                "archive": capture.get("archive"),
                "timestamp": capture.get("timestamp"),
                "digest": capture.get("digest"),
            }
            found = bool(self._rows(_ARCHIVED, params))
        elif request.meta.get("skip_if_fetched_this_job") and self.job_start:
            url = request.url
            found = self._fetched_this_job(url, self.job_start)
        else:
            return None
        if found:
            self.crawler.stats.inc_value("archive/skipped_archived")
            raise AlreadyArchived(f"already archived: {url}")
        return None

    def _fetched_this_job(self, url: str, since: str) -> bool:
        """A redirect counts only if the page it leads to does: its row says nothing of that
        page, which may have failed, been only queued, or been in the batch a kill lost. So
        no order of storing items can make a resume skip the only way to a missing page."""
        for _ in range(_MAX_HOPS + 1):
            rows = self._rows(_FETCHED_THIS_JOB, {"url": url, "since": since})
            if not rows:
                return False
            kind, location = rows[0]
            if kind != "redirect":
                return True
            if not location:
                return False
            url = urljoin(url, safe_url_string(location))  # as Scrapy follows a Location
        return False

    def _rows(self, query: str, params: dict) -> list[tuple]:
        db = self._db()
        try:
            return [] if db is None else db.execute(query, params).fetchmany(1)
        except sqlite3.OperationalError:  # a fresh archive has no tables yet
            return []
