"""ArchiveWriter: rows of the archive from items, shared by the store pipeline and the WARC
importer.

Every id is derived from content, so re-running is an idempotent upsert; a release's
first-seen text stays, and a changed text becomes a new row in release_versions. Each item is
one savepoint inside batched write transactions, so an interrupted run leaves whole rows only.
"""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import sqlite_utils

from archive.schema import ensure_schema
from crawler.items import CaptureRecord, ErrorRecord, ListingEntry, PressRelease
from crawler.warc import timestamp_to_iso
from pipelines.identity import capture_id_for, same_release, short_hash
from pipelines.jurisdictions import jurisdiction_row
from pipelines.rows import WrittenRows, upsert
from pipelines.versions import change_summary

_RELEASE_FIELDS = (
    "source", "url", "title", "subtitle", "published", "published_precision", "date_source",
    "date_raw", "modified", "year", "month", "fiscal_year", "dateline", "language",
    "content_type", "body_text", "content_hash",
)  # fmt: skip


def begin_immediate(db: sqlite_utils.Database) -> None:
    """Open a write transaction holding the write lock from the start. In WAL mode a deferred
    one (plain BEGIN) that reads before it writes fails at once with "database is locked" when
    another process committed in between (SQLITE_BUSY_SNAPSHOT: the busy timeout does not
    apply); BEGIN IMMEDIATE waits for the lock under the busy timeout instead."""
    db.conn.execute("BEGIN IMMEDIATE")


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database):
    """One write transaction (a savepoint inside an open one)."""
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    begin_immediate(db)
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def open_archive(path: str) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    return db


class ArchiveWriter:
    """Row-level writes shared by the pipeline and the WARC importer."""

    def __init__(self, db: sqlite_utils.Database, batch_items: int = 1, batch_seconds: float = 0.0):
        self.db = db
        self._sources: set[str] = set()
        # Items are written one transaction (a savepoint) each, committed in batches: a commit
        # per item would cost more than the item. A crash loses at most one uncommitted batch,
        # never half an item, and the pages of that batch are still in their WARC.
        self.batch_items = batch_items
        self.batch_seconds = batch_seconds
        self._pending = 0
        self._since = time.monotonic()
        self._written = WrittenRows()

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
        with write_transaction(self.db):
            self.db["sources"].upsert(row, pk="name")

    def write(self, item: Any) -> None:
        if not self.db.conn.in_transaction:
            begin_immediate(self.db)
        self._write(item)
        self._pending += 1
        if self._pending >= self.batch_items:
            self.commit()
        else:
            self.commit_if_due()

    def commit(self) -> None:
        if self.db.conn.in_transaction:
            try:
                self.db.conn.execute("COMMIT")
            except BaseException:
                if not self.db.conn.in_transaction:  # SQLite rolled the batch back
                    self._written.transaction_done(committed=False)
                raise
        self._written.transaction_done(committed=True)
        self._pending = 0
        self._since = time.monotonic()

    def commit_if_due(self) -> None:
        """Commit the open batch once batch_seconds have passed since the last commit: an idle
        writer must not keep the lock."""
        if self._pending and time.monotonic() - self._since >= self.batch_seconds:
            self.commit()

    def rollback(self) -> None:
        """Drop the open batch (and forget which rows it wrote)."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self._written.transaction_done(committed=False)
        self._pending = 0
        self._since = time.monotonic()

    def _write(self, item: Any) -> None:
        try:
            self._write_rows(item)
        except BaseException:
            self._written.item_done(ok=False)
            if not self.db.conn.in_transaction:  # the whole batch is gone, not just this item
                self._written.transaction_done(committed=False)
            raise
        self._written.item_done(ok=True)

    def _write_rows(self, item: Any) -> None:
        with self.db.atomic():
            if isinstance(item, PressRelease):
                self._release(item)
            elif isinstance(item, ListingEntry):
                self._listing(item)
            elif isinstance(item, CaptureRecord):
                self._capture(item.capture, item.source, item.url, item.kind, location=item.location)
            elif isinstance(item, ErrorRecord):
                self._error(item.source, item.url, item.stage, item.reason, item.capture)

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
        # A list page's capture repeats for each of its entries: written once (kept in memory
        # only for list pages, which are few; release captures are one per row anyway).
        if kind != "list" or self._written.unwritten("captures", [row]):
            upsert(self.db.conn, "captures", [row], "capture_id")
        return capture_id

    def _error(self, source: str, url: str, stage: str, reason: str, capture: dict | None) -> None:
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
        upsert(self.db.conn, "errors", [row], "error_id")

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
        upsert(self.db.conn, "listings", [row], "listing_id")

    def resolve_release(self, item: PressRelease) -> str:
        """The release this item belongs to: its own id, a release already seen at its URL, or
        the same announcement at another URL (identity across URLs, see same_release)."""
        if self._first_captured(item.release_id) is not None:
            return item.release_id
        for (release_id,) in self.db.conn.execute("SELECT release_id FROM release_urls WHERE url = ?", [item.url]):
            return release_id
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
        first = self._first_captured(release_id)
        row = {"release_id": release_id, **{name: getattr(item, name) for name in _RELEASE_FIELDS}}
        row["date_conflict"] = int(bool(item.date_conflict))
        # A new release, or an earlier capture arriving late (the release shows what was first
        # published); otherwise the first-seen text stays.
        if first is None or (when and (first or "9") > when):
            upsert(self.db.conn, "releases", [{**row, "first_captured": when}], "release_id")
        self._version(item, release_id, capture_id, when)
        url_row = {"release_id": release_id, "url": item.url, "first_captured": when}
        self.db.conn.execute(
            "INSERT OR IGNORE INTO release_urls (release_id, url, first_captured) VALUES (?, ?, ?)",
            tuple(url_row.values()),
        )
        self._evidence(item, release_id, capture_id)
        self._places(item, release_id)
        self._refresh_counts(release_id)

    def _version(self, item: PressRelease, release_id: str, capture_id: str | None, when: str | None) -> None:
        versions = list(
            self.db.query("SELECT * FROM release_versions WHERE release_id = ? ORDER BY version", [release_id])
        )
        if any(v["content_hash"] == item.content_hash for v in versions):
            return
        new = {"title": item.title, "published": item.published, "body_text": item.body_text}
        summary = change_summary(versions[-1], new) if versions else "first seen"
        upsert(
            self.db.conn,
            "release_versions",
            [
                {
                    "release_id": release_id,
                    "version": len(versions) + 1,
                    "content_hash": item.content_hash,
                    "capture_id": capture_id,
                    "first_seen": when,
                    **new,
                    "summary": summary,
                }
            ],
            ("release_id", "version"),
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
            upsert(self.db.conn, "date_evidence", rows, "evidence_id")

    def _places(self, item: PressRelease, release_id: str) -> None:
        rows = self._written.unwritten(
            "jurisdictions", [row for row in map(jurisdiction_row, item.jurisdictions) if row]
        )
        if rows:
            upsert(self.db.conn, "jurisdictions", rows, "ocd_id")
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
            upsert(self.db.conn, "release_jurisdictions", links, "id")
        for agency in item.agencies:
            agency_id = short_hash(agency.get("name", "").lower(), agency.get("state"))
            fields = {k: agency.get(k) for k in ("name", "level", "county_fips", "state")}
            if self._written.unwritten("agencies", [{"agency_id": agency_id, **fields}]):
                upsert(self.db.conn, "agencies", [{"agency_id": agency_id, **fields}], "agency_id")
            link = {"release_id": release_id, "agency_id": agency_id, "text": agency.get("text")}
            upsert(self.db.conn, "release_agencies", [link], ("release_id", "agency_id"))
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
            upsert(self.db.conn, "claims", claims, "claim_id")

    def link_revisits(self) -> None:
        """A revisit capture repeats an earlier capture's digest: it belongs to that release."""
        with write_transaction(self.db):
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

    def _first_captured(self, release_id: str) -> str | None:
        """The release's first capture time ("" when it has none), or None if it is new."""
        row = self.db.conn.execute("SELECT first_captured FROM releases WHERE release_id = ?", [release_id]).fetchone()
        return None if row is None else (row[0] or "")

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
