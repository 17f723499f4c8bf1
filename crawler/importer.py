"""WARC import: index the records, hand each capture to the spider of its site through the
Scrapy engine (the replay middleware stands in for the downloader), and report.

Records that no callback should see (revisits, non-HTML assets of unknown sites) and faults in
the files themselves are written straight to the archive.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.items import CaptureRecord, ErrorRecord
from crawler.registry import project_settings, spider_for_url
from crawler.warc import iter_captures
from pipelines.archive_writer import ArchiveWriter, open_archive
from pipelines.offload import FAILED_STAT, offload_settings

logger = logging.getLogger(__name__)

PARSEABLE = {"text/html", "application/xhtml+xml", "application/pdf", "text/plain", None}

REPLAY_SETTINGS = {
    "ROBOTSTXT_OBEY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "ARCHIVE_WARC_ENABLED": False,  # the captures already live in the WARC being read
    "URLLENGTH_LIMIT": 0,  # a record is archived whatever its URL's length
    "TELNETCONSOLE_ENABLED": False,
    "LOG_LEVEL": "WARNING",
}


@dataclass
class ImportReport:
    captures: int = 0
    file_errors: int = 0
    per_source: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def failed(self) -> list[str]:
        """Why the run as a whole failed (bad pages are error rows, not failures).

        One rule whether the pipelines ran in this process or in a pipeline process: the latter
        adds the errors it logged to log_count/ERROR (pipelines/offload.py), and its death, which
        can come after the crawl finished, is FAILED_STAT, as `pressarchive crawl` reads it.
        """
        reasons = []
        for name, stats in self.per_source.items():
            if stats.get(FAILED_STAT):
                reasons.append(f"{name}: {stats[FAILED_STAT]}")
            elif stats.get("finish_reason") != "finished":
                reasons.append(f"{name}: finished with {stats.get('finish_reason')}")
            errors = stats.get("log_count/ERROR", 0) + stats.get("log_count/CRITICAL", 0)
            if errors:
                reasons.append(f"{name}: {errors} errors logged")
        return reasons


def index_captures(paths: list[str], archive: str, writer: ArchiveWriter) -> tuple[dict[type, list], ImportReport]:
    report = ImportReport()
    by_spider: dict[type, list[dict]] = defaultdict(list)
    for path in paths:
        for kind, data in iter_captures(path, archive):
            if kind == "error":
                report.file_errors += 1
                writer.write(ErrorRecord("warc-import", Path(path).name, "warc", data["reason"], data))
                continue
            report.captures += 1
            spidercls = spider_for_url(data["url"])
            if data["record_type"] == "revisit" or (spidercls.name == "generic" and data["mime"] not in PARSEABLE):
                kind = data["record_type"] if data["record_type"] == "revisit" else "other"
                writer.write(CaptureRecord(spidercls.name, data["original_url"], kind, data.get("location"), data))
                continue
            by_spider[spidercls].append(data)
    for captures in by_spider.values():
        captures.sort(key=lambda c: (c["timestamp"] or "", c["url"]))
    return by_spider, report


def import_warcs(paths: list[str], db_path: str, archive: str = "warc", overrides: dict | None = None) -> ImportReport:
    writer = ArchiveWriter(open_archive(db_path))
    by_spider, report = index_captures(paths, archive, writer)
    for spidercls in by_spider:
        writer.source(spidercls)
    writer.commit()
    writer.db.close()
    settings = project_settings()
    settings.setdict({**REPLAY_SETTINGS, "ARCHIVE_DB": db_path, **(overrides or {})}, priority="cmdline")
    # A pipeline process costs a second of start-up per source: worth it for a large import only.
    if sum(map(len, by_spider.values())) >= settings.getint("ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES"):
        offload_settings(settings)
    process = CrawlerProcess(settings)
    crawlers = []
    for spidercls, captures in by_spider.items():
        crawler = process.create_crawler(spidercls)
        crawlers.append(crawler)
        process.crawl(crawler, replay=captures)
    if crawlers:
        process.start()
    for crawler in crawlers:
        report.per_source[crawler.spidercls.name] = dict(crawler.stats.get_stats())
    return report
