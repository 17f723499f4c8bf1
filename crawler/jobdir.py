"""Safe resume with JOBDIR.

Scrapy writes its request queue only on a clean close, but its seen-fingerprints file as it
goes: after a SIGKILL, a resumed crawl "finishes" with most pages never fetched. So a marker
file says a crawl is running; if it is still there when the next crawl starts, the stop was
unclean and the seen set and the queue are discarded. The re-crawl then re-enumerates, and
the skip-archived check plus idempotent upserts make it cheap and duplicate-free.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from scrapy import signals

logger = logging.getLogger(__name__)
MARKER = "pressarchive.running"


class SafeResumeExtension:
    def __init__(self, jobdir: Path):
        self.jobdir = jobdir

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        ext = cls(Path(jobdir)) if jobdir else cls(None)
        if jobdir:
            ext.discard_if_unclean()
            crawler.signals.connect(ext.opened, signal=signals.spider_opened)
            crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def discard_if_unclean(self) -> None:
        if not (self.jobdir / MARKER).exists():
            return
        logger.warning("previous crawl in %s did not stop cleanly: discarding its seen set and queue", self.jobdir)
        (self.jobdir / "requests.seen").unlink(missing_ok=True)
        shutil.rmtree(self.jobdir / "requests.queue", ignore_errors=True)
        (self.jobdir / "spider.state").unlink(missing_ok=True)
        (self.jobdir / MARKER).unlink()

    def opened(self, spider):
        self.jobdir.mkdir(parents=True, exist_ok=True)
        (self.jobdir / MARKER).write_text("running\n", encoding="utf-8")

    def closed(self, spider, reason):
        # Only a finished crawl or a graceful shutdown leaves a consistent queue on disk.
        if reason in ("finished", "shutdown"):
            (self.jobdir / MARKER).unlink(missing_ok=True)
