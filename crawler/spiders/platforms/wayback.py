"""ArchiveSweep: any source can sweep a Wayback-compatible archive instead of the live site.

Given URL patterns (exact, prefix `/*`, host, `*.domain`) and a date range, it asks the CDX
API for captures, keeps successful HTML (and PDF) and redirects, fetches one capture per
distinct digest raw (`id_`), and hands each to the source's own callbacks. A repeated digest
is recorded as a revisit capture without fetching it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy

from crawler import cdx
from crawler.items import CaptureRecord


def slot_key(url: str, kind: str) -> str:
    """Rate budgets are per archive host and per kind of request (CDX query, capture fetch)."""
    return f"{urlsplit(url).netloc}:{kind}"


def archive_slots(endpoint: cdx.Endpoint, cdx_rate: float, capture_rate: float) -> dict[str, dict]:
    """DOWNLOAD_SLOTS for an archive: at most `rate` requests per second in each budget."""
    return {
        slot_key(endpoint.cdx, "cdx"): {"concurrency": 1, "delay": 1 / cdx_rate, "jitter": 0},
        slot_key(endpoint.replay, "capture"): {"concurrency": 4, "delay": 1 / capture_rate, "jitter": 0},
    }


class ArchiveSweep:
    # Where this source's pages live in web archives; default: its domains.
    archive_patterns: ClassVar[list[str]] = []

    def init_archive_sweep(self, kwargs: dict[str, Any]) -> None:
        archive = kwargs.pop("archive", None)
        self.archive = cdx.resolve_endpoint(archive) if isinstance(archive, str) else archive
        patterns = kwargs.pop("patterns", None) or self.archive_patterns
        self.sweep_patterns = list(patterns) or [f"*.{domain}" for domain in self.allowed_domains]
        self.date_from = kwargs.pop("date_from", None)
        self.date_to = kwargs.pop("date_to", None)
        self.include_pdf = kwargs.pop("pdf", True)
        self._cdx_rows: list[dict[str, str]] = []

    def cdx_requests(self) -> Iterator[scrapy.Request]:
        for pattern in self.sweep_patterns:
            yield self._cdx_request(pattern)

    def _cdx_request(self, pattern: str, resume_key: str | None = None) -> scrapy.Request:
        url = cdx.query_url(self.archive, pattern, start=self.date_from, end=self.date_to, resume_key=resume_key)
        meta = {
            "cdx_pattern": pattern,
            "download_slot": slot_key(self.archive.cdx, "cdx"),
            "dont_obey_robotstxt": True,
            "autothrottle_dont_adjust_delay": True,
            "allow_offsite": True,  # the archive's host is not the source's domain
        }
        return scrapy.Request(url, callback=self.parse_cdx, errback=self.download_failed, meta=meta, dont_filter=True)

    def parse_cdx(self, response) -> Iterator[Any]:
        try:
            rows, resume_key = cdx.parse(response.text, self.archive.kind)
            self._cdx_rows.extend(rows)
            self.crawler.stats.inc_value("archive/cdx_rows", len(rows))
            if resume_key:
                yield self.counted(self._cdx_request(response.meta["cdx_pattern"], resume_key))
        finally:
            self.done(response.request)

    def in_range(self, timestamp: str) -> bool:
        # pywb may ignore from/to on some queries: the range is checked here for every backend.
        if self.date_from and timestamp[: len(self.date_from)] < self.date_from:
            return False
        return not (self.date_to and timestamp[: len(self.date_to)] > self.date_to)

    def swept_captures(self) -> list[dict[str, Any]]:
        in_range = [r for r in self._cdx_rows if self.in_range(r["timestamp"])]
        rows = [r for r in in_range if cdx.wanted(r, pdf=self.include_pdf)]
        kept = cdx.dedupe(rows, set())
        kept_ids = {id(row) for row in kept}
        repeats = [row for row in rows if id(row) not in kept_ids]
        repeats += [row for row in in_range if row["mime"] == "warc/revisit" and row["digest"]]
        self.revisits = [self._capture(row) for row in repeats]
        self.crawler.stats.set_value("archive/captures_listed", len(rows))
        self.crawler.stats.set_value("archive/duplicate_digests", len(self.revisits))
        return [self._capture(row) for row in sorted(kept, key=lambda r: (r["timestamp"], r["original"]))]

    def revisit_records(self) -> Iterator[CaptureRecord]:
        """Later captures of an unchanged page: kept as provenance, never fetched again."""
        for capture in getattr(self, "revisits", []):
            yield CaptureRecord(self.name, capture["original_url"], "revisit", None, capture)

    def _capture(self, row: dict[str, str]) -> dict[str, Any]:
        original = cdx.strip_port(row["original"])
        digest = row["digest"]
        return {
            "archive": self.archive.name,
            "timestamp": row["timestamp"],
            "original_url": original,
            "url": self.archive.capture_url(row["timestamp"], original),
            "status": int(row["status"]) if row["status"].isdigit() else None,
            "mime": row["mime"] or None,
            "digest": digest if not digest or ":" in digest else f"sha1:{digest}",
        }

    def archive_meta(self, capture: dict[str, Any]) -> dict[str, Any]:
        return {
            # what the archive's index says of this capture; the WARC writer adds the rest
            "archive_capture": dict(capture),
            "download_slot": slot_key(self.archive.replay, "capture"),
            "autothrottle_dont_adjust_delay": True,
            "allow_offsite": True,
            "skip_if_archived": True,
        }
