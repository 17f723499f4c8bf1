"""StorePipeline: write items to the SQLite archive (see archive_writer.py for the rows)."""

from __future__ import annotations

from pathlib import Path

from scrapy import signals

from crawler.items import ErrorRecord, PressRelease
from pipelines.archive_writer import ArchiveWriter, open_archive

__all__ = ["ArchiveWriter", "StorePipeline", "open_archive"]


# Crawlers of one process share one connection per archive (a WARC import runs a crawler per
# source, all in one process below ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES): they run on one
# thread, so a second connection waiting on the first one's open batch would block the very
# thread that has to commit it. Pipeline processes (pipelines/offload.py) are separate writers:
# WAL and the busy timeout order them.
_SHARED: dict[str, list] = {}


def _acquire(path: str, settings) -> ArchiveWriter:
    key = str(Path(path).resolve())
    if key not in _SHARED:
        writer = ArchiveWriter(
            open_archive(path),
            batch_items=settings.getint("ARCHIVE_BATCH_ITEMS", 200),
            batch_seconds=settings.getfloat("ARCHIVE_BATCH_SECONDS", 1.0),
        )
        _SHARED[key] = [writer, 0]
    _SHARED[key][1] += 1
    return _SHARED[key][0]


def _release(path: str) -> None:
    key = str(Path(path).resolve())
    writer, users = _SHARED[key]
    writer.commit()
    if users > 1:
        _SHARED[key][1] -= 1
        return
    del _SHARED[key]
    writer.link_revisits()
    writer.db.close()


class StorePipeline:
    def __init__(self, crawler):
        self.crawler = crawler
        self.path = crawler.settings.get("ARCHIVE_DB", "archive.db")
        self.writer: ArchiveWriter | None = None

    @classmethod
    def from_crawler(cls, crawler):
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def open_spider(self):
        self.writer = _acquire(self.path, self.crawler.settings)
        # The crawl's spider, or its class where the chain runs without one (pipelines/offload.py).
        spider = getattr(self.crawler, "spider", None)
        spidercls = type(spider) if spider is not None else getattr(self.crawler, "spidercls", None)
        if spidercls is not None:
            self.writer.source(spidercls)

    def close_spider(self):
        if self.writer is not None:
            _release(self.path)
            self.writer = None

    def flush(self):
        """Called while no items arrive (pipelines/offload.py): commit a batch that is due."""
        if self.writer is not None:
            self.writer.commit_if_due()

    def process_item(self, item):
        self.writer.write(item)
        self.crawler.stats.inc_value(f"archive/stored/{type(item).__name__}")
        return item

    def item_dropped(self, item, response, exception, spider=None):
        if isinstance(item, PressRelease) and self.writer is not None:
            self.writer.write(ErrorRecord(item.source, item.url, "validate", str(exception), item.capture))
