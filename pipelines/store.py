"""StorePipeline: write items to the SQLite archive with sqlite-utils.

Each item is one transaction, so an interrupted run leaves whole rows only. Every id is
derived from content, so re-running is an idempotent upsert; a release's first-seen text
stays, and a changed text becomes a new row in release_versions.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import sqlite_utils
from scrapy import signals

from archive.schema import ensure_schema
from crawler.items import CaptureRecord, ErrorRecord, ListingEntry, PressRelease
from crawler.warc import timestamp_to_iso
from pipelines.identity import capture_id_for, same_release, short_hash
from pipelines.jurisdictions import jurisdiction_row
from pipelines.versions import change_summary

logger = logging.getLogger(__name__)

_RELEASE_FIELDS = (
    "source", "url", "title", "subtitle", "published", "published_precision", "date_source",
    "date_raw", "modified", "year", "month", "fiscal_year", "dateline", "language",
    "content_type", "body_text", "content_hash",
)  # fmt: skip


def open_archive(path: str) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    return db


class ArchiveWriter:
    """Row-level writes shared by the pipeline and the WARC importer."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._sources: set[str] = set()

    def source(self, spidercls: Any) -> None:
        if spidercls.name in self._sources:
            return
        self._sources.add(spidercls.name)
        row = {
            "name": spidercls.name,
            "agency": getattr(spidercls, "agency", None),
            "platform": getattr(spidercls, "platform", None),
            "issuer_fips": getattr(spidercls, "issuer_fips", None),
            "issuer_name": getattr(spidercls, "issuer_name", None),
            "timezone": getattr(spidercls, "timezone", None),
            "date_order": getattr(spidercls, "date_order", None),
            "start_urls": json.dumps(list(getattr(spidercls, "start_urls", []))),
            "allowed_domains": json.dumps(list(getattr(spidercls, "allowed_domains", []))),
        }
        with self.db.atomic():
            self.db["sources"].upsert(row, pk="name")

    def write(self, item: Any) -> None:
        with self.db.atomic():
            if isinstance(item, PressRelease):
                self._release(item)
            elif isinstance(item, ListingEntry):
                self._listing(item)
            elif isinstance(item, CaptureRecord):
                self._capture(item.capture, item.source, item.url, item.kind, location=item.location)
            elif isinstance(item, ErrorRecord):
                self.error(item.source, item.url, item.stage, item.reason, item.capture)

    def write_capture(self, capture: dict, source: str, kind: str) -> None:
        with self.db.atomic():
            self._capture(capture, source, capture.get("original_url") or "", kind, location=capture.get("location"))

    # -- rows ----------------------------------------------------------------------------
    def _capture(self, capture: dict, source: str, url: str, kind: str, **extra) -> str | None:
        if not capture.get("timestamp"):
            return None
        capture_id = capture_id_for(capture, url)
        row = {
            "capture_id": capture_id,
            "source": source,
            "kind": kind,
            "archive": capture.get("archive"),
            "timestamp": capture["timestamp"],
            "captured_at": timestamp_to_iso(capture["timestamp"]),
            "url": capture.get("url") or url,
            "original_url": capture.get("original_url") or url,
            "status": capture.get("status"),
            "mime": capture.get("mime"),
            "location": capture.get("location"),
            "digest": capture.get("digest"),
            "warc_file": capture.get("warc_file"),
            "warc_offset": capture.get("warc_offset"),
            "warc_length": capture.get("warc_length"),
            "record_id": capture.get("record_id"),
            **{k: v for k, v in extra.items() if v is not None},
        }
        self.db["captures"].upsert(row, pk="capture_id", alter=False)
        return capture_id

    def error(self, source: str, url: str, stage: str, reason: str, capture: dict | None) -> None:
        capture = capture or {}
        capture_id = self._capture(capture, source, url, "error")
        where = capture.get("timestamp") or capture.get("warc_offset") or ""
        row = {
            "error_id": short_hash(source, url, stage, capture.get("warc_file") or "", where, reason),
            "source": source,
            "url": url,
            "stage": stage,
            "reason": reason,
            "archive": capture.get("archive"),
            "timestamp": capture.get("timestamp"),
            "warc_file": capture.get("warc_file"),
            "warc_offset": capture.get("warc_offset"),
            "capture_id": capture_id,
        }
        self.db["errors"].upsert(row, pk="error_id")

    def _listing(self, item: ListingEntry) -> None:
        capture_id = self._capture(item.capture, item.source, item.list_url, "list")
        row = {
            "listing_id": short_hash(item.source, item.list_url, item.url, capture_id or ""),
            "source": item.source,
            "list_url": item.list_url,
            "url": item.url,
            "title": item.title,
            "date_raw": item.date_raw,
            "place": item.place,
            "capture_id": capture_id,
        }
        self.db["listings"].upsert(row, pk="listing_id")

    def resolve_release(self, item: PressRelease) -> str:
        """The release this item belongs to: its own id, a release already seen at its URL, or
        the same announcement at another URL (identity across URLs, see same_release)."""
        if _get(self.db["releases"], item.release_id) is not None:
            return item.release_id
        for row in self.db.query("SELECT release_id FROM release_urls WHERE url = ?", [item.url]):
            return row["release_id"]
        if item.published_precision == "day":
            candidates = self.db.query(
                "SELECT release_id, title, published, published_precision, body_text FROM releases"
                " WHERE source = ? AND published = ? AND content_type = ?",
                [item.source, item.published, item.content_type],
            )
            mine = {k: getattr(item, k) for k in ("title", "published", "published_precision", "body_text")}
            for candidate in candidates:
                if same_release(candidate, mine):
                    return candidate["release_id"]
        return item.release_id

    def _release(self, item: PressRelease) -> None:
        item.release_id = self.resolve_release(item)
        release_id = item.release_id
        capture_id = self._capture(item.capture, item.source, item.url, "release", release_id=release_id)
        capture_id = capture_id or item.capture_id
        when = item.capture.get("timestamp")
        existing = _get(self.db["releases"], release_id)
        row = {name: getattr(item, name) for name in _RELEASE_FIELDS}
        row["date_conflict"] = int(bool(item.date_conflict))
        if existing is None:
            self.db["releases"].insert({"release_id": release_id, **row, "first_captured": when})
        elif when and (existing["first_captured"] or "9") > when:
            # An earlier capture arrived late: the release shows what was first published.
            self.db["releases"].update(release_id, {**row, "first_captured": when})
        self._version(item, release_id, capture_id, when)
        self.db["release_urls"].upsert(
            {"release_id": release_id, "url": item.url, "first_captured": when}, pk=("release_id", "url")
        )
        self._evidence(item, release_id, capture_id)
        self._places(item, release_id)
        self._refresh_counts(release_id)

    def _version(self, item: PressRelease, release_id: str, capture_id: str | None, when: str | None) -> None:
        versions = list(self.db["release_versions"].rows_where("release_id = ?", [release_id], order_by="version"))
        if any(v["content_hash"] == item.content_hash for v in versions):
            return
        new = {"title": item.title, "published": item.published, "body_text": item.body_text}
        summary = change_summary(versions[-1], new) if versions else "first seen"
        self.db["release_versions"].insert(
            {
                "release_id": release_id,
                "version": len(versions) + 1,
                "content_hash": item.content_hash,
                "capture_id": capture_id,
                "first_seen": when,
                **new,
                "summary": summary,
            }
        )

    def _evidence(self, item: PressRelease, release_id: str, capture_id: str | None) -> None:
        rows = [
            {
                "evidence_id": short_hash(capture_id or release_id, c.get("kind"), c.get("raw")),
                "release_id": release_id,
                "capture_id": capture_id,
                "kind": c.get("kind"),
                "raw": c.get("raw"),
                "value": c.get("value"),
                "precision": c.get("precision"),
                "chosen": int(bool(c.get("chosen"))),
                "note": c.get("note"),
            }
            for c in item.date_candidates
        ]
        if rows:
            self.db["date_evidence"].upsert_all(rows, pk="evidence_id")

    def _places(self, item: PressRelease, release_id: str) -> None:
        rows = [row for row in map(jurisdiction_row, item.jurisdictions) if row]
        if rows:
            self.db["jurisdictions"].upsert_all(rows, pk="ocd_id")
        links = [
            {
                "id": short_hash(release_id, j.get("role"), j.get("ocd_id") or "", j.get("text"), j.get("start")),
                "release_id": release_id,
                "jurisdiction": j.get("ocd_id"),
                **{k: j.get(k) for k in ("fips", "name", "kind", "state", "role", "text", "field", "start", "end")},
                "basis": j.get("basis"),
            }
            for j in item.jurisdictions
        ]
        if links:
            self.db["release_jurisdictions"].upsert_all(links, pk="id")
        for agency in item.agencies:
            agency_id = short_hash(agency.get("name", "").lower(), agency.get("state"))
            fields = {k: agency.get(k) for k in ("name", "level", "county_fips", "state")}
            self.db["agencies"].upsert({"agency_id": agency_id, **fields}, pk="agency_id")
            self.db["release_agencies"].upsert(
                {"release_id": release_id, "agency_id": agency_id, "text": agency.get("text")},
                pk=("release_id", "agency_id"),
            )
        claims = [
            {
                "claim_id": short_hash(release_id, c.get("text"), c.get("count")),
                "release_id": release_id,
                **{
                    k: c.get(k)
                    for k in ("count", "unit", "scope", "state", "states_count", "qualifier", "as_of", "text")
                },
            }
            for c in item.claims
        ]
        if claims:
            self.db["claims"].upsert_all(claims, pk="claim_id")

    def link_revisits(self) -> None:
        """A revisit capture repeats an earlier capture's digest: it belongs to that release."""
        with self.db.atomic():
            rows = list(
                self.db.query(
                    """SELECT r.capture_id, c.release_id FROM captures r
                       JOIN captures c ON c.original_url = r.original_url AND c.digest = r.digest
                       WHERE r.kind = 'revisit' AND r.release_id IS NULL AND c.release_id IS NOT NULL"""
                )
            )
            for row in rows:
                self.db["captures"].update(row["capture_id"], {"release_id": row["release_id"]})
            for release_id in {row["release_id"] for row in rows}:
                self._refresh_counts(release_id)

    def _refresh_counts(self, release_id: str) -> None:
        self.db.execute(
            """UPDATE releases SET
                 capture_count = (SELECT count(*) FROM captures WHERE release_id = :r),
                 first_captured = (SELECT min(timestamp) FROM captures WHERE release_id = :r),
                 last_captured = (SELECT max(timestamp) FROM captures WHERE release_id = :r),
                 version_count = (SELECT count(*) FROM release_versions WHERE release_id = :r)
               WHERE release_id = :r""",
            {"r": release_id},
        )


def _get(table, pk):
    try:
        return table.get(pk)
    except sqlite_utils.db.NotFoundError:
        return None


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
        self.writer = ArchiveWriter(open_archive(self.path))
        spider = getattr(self.crawler, "spider", None)
        if spider is not None:
            self.writer.source(type(spider))

    def close_spider(self):
        if self.writer is not None:
            self.writer.link_revisits()
            self.writer.db.close()

    def process_item(self, item):
        self.writer.write(item)
        self.crawler.stats.inc_value(f"archive/stored/{type(item).__name__}")
        return item

    def item_dropped(self, item, response, exception, spider=None):
        if isinstance(item, PressRelease) and self.writer is not None:
            self.writer.error(item.source, item.url, "validate", str(exception), item.capture)
