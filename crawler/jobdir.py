"""Safe resume with JOBDIR.

Scrapy writes its request queue only on a clean close, but its seen-fingerprints file as it
goes: after a SIGKILL, a resumed crawl "finishes" with most pages never fetched. So a marker
file says a crawl is running; if it is still there when the next crawl starts, the stop was
unclean and the seen set and the queue are discarded. The re-crawl then re-enumerates (list
pages), skips the pages this job already archived (crawler/incremental.py), and idempotent
upserts keep it duplicate-free.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals

from pipelines.offload import FAILED_STAT

logger = logging.getLogger(__name__)
MARKER = "pressarchive.running"
# When the job (all its runs until one finishes) began: pages archived since are not refetched.
JOB_START = "pressarchive.job-start"


def job_start(jobdir: str | None) -> str | None:
    """The 14-digit UTC time the job in `jobdir` began, if a job is under way there."""
    path = Path(jobdir) / JOB_START if jobdir else None
    return path.read_text(encoding="utf-8").strip() if path and path.exists() else None


class SafeResumeExtension:
    def __init__(self, jobdir: Path | None, stats=None):
        self.jobdir = jobdir
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        jobdir = crawler.settings.get("JOBDIR")
        ext = cls(Path(jobdir) if jobdir else None, crawler.stats)
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
        start = self.jobdir / JOB_START
        if not start.exists():
            start.write_text(datetime.now(UTC).strftime("%Y%m%d%H%M%S") + "\n", encoding="utf-8")

    def closed(self, spider, reason):
        # Only a finished crawl or a graceful shutdown leaves a consistent queue on disk, and only
        # if the pipeline process stored what was fetched: when it died, items fetched since its
        # last commit are lost, so the next run must refetch (the reason can still be "finished"
        # when it died while closing). The stat is set by then: the engine closes the item
        # pipelines (pipelines/offload.py) before it sends spider_closed.
        if self.stats is not None and self.stats.get_value(FAILED_STAT):
            logger.warning("pipeline process failed: %s keeps its unclean-stop marker", self.jobdir)
            return
        if reason in ("finished", "shutdown"):
            (self.jobdir / MARKER).unlink(missing_ok=True)
        if reason == "finished":  # the job is done: a next run is a new job
            (self.jobdir / JOB_START).unlink(missing_ok=True)
