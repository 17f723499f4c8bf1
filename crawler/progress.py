"""Progress while a crawl runs and a summary when it ends: fetched, skipped, failed, stored."""

from __future__ import annotations

import logging
import sys

from scrapy import signals
from twisted.internet import task

logger = logging.getLogger(__name__)


def counts(stats: dict) -> dict[str, int]:
    return {
        "fetched": stats.get("pages/fetched", 0),
        "replayed": stats.get("replay/records", 0),
        "skipped": stats.get("archive/skipped_archived", 0) + stats.get("archive/duplicate_digests", 0),
        "failed": stats.get("archive/stored/ErrorRecord", 0) + stats.get("archive/dropped/invalid", 0),
        "releases": stats.get("archive/stored/PressRelease", 0),
    }


def summary(name: str, stats: dict) -> str:
    c = counts(stats)
    return (
        f"{name}: {c['fetched']} fetched, {c['replayed']} replayed, {c['skipped']} skipped, "
        f"{c['failed']} failed, {c['releases']} releases stored"
    )


class ProgressExtension:
    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler, crawler.settings.getfloat("ARCHIVE_PROGRESS_INTERVAL", 10.0))
        if ext.interval > 0:
            crawler.signals.connect(ext.opened, signal=signals.spider_opened)
            crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def opened(self, spider):
        self.loop = task.LoopingCall(self.report, spider)
        self.loop.start(self.interval, now=False)

    def report(self, spider):
        print("progress " + summary(spider.name, self.crawler.stats.get_stats()), file=sys.stderr, flush=True)

    def closed(self, spider, reason):
        if self.loop is not None and self.loop.running:
            self.loop.stop()
