"""The archive's schema: tables, indexes, full-text search and views. The only place it lives.

One release (an announcement) has many captures (archive, time, URL), one or more URLs, and
versions that change only when its normalized content changes.
"""

from __future__ import annotations

import sqlite3
import time

import sqlite_utils

SCHEMA_VERSION = 1

TABLES: dict[str, dict] = {
    "sources": {
        "columns": {
            "name": str, "agency": str, "platform": str, "issuer_fips": str, "issuer_name": str,
            "timezone": str, "date_order": str, "start_urls": str, "allowed_domains": str,
        },
        "pk": "name",
    },
    "releases": {
        "columns": {
            "release_id": str, "source": str, "url": str, "title": str, "subtitle": str,
            "published": str, "published_precision": str, "date_source": str, "date_raw": str,
            "modified": str, "date_conflict": int, "year": int, "month": str, "fiscal_year": int,
            "dateline": str, "language": str, "content_type": str, "body_text": str,
            "content_hash": str, "first_captured": str, "last_captured": str,
            "capture_count": int, "version_count": int,
        },
        "pk": "release_id",
        "foreign_keys": [("source", "sources", "name")],
    },
    "release_urls": {
        "columns": {"release_id": str, "url": str, "first_captured": str},
        "pk": ("release_id", "url"),
        "foreign_keys": [("release_id", "releases", "release_id")],
    },
    "captures": {
        "columns": {
            "capture_id": str, "release_id": str, "source": str, "kind": str, "archive": str,
            "timestamp": str, "captured_at": str, "url": str, "original_url": str, "status": int,
            "mime": str, "location": str, "digest": str, "content_hash": str,
            "warc_file": str, "warc_offset": int, "warc_length": int, "record_id": str,
        },
        "pk": "capture_id",
        "foreign_keys": [("release_id", "releases", "release_id"), ("source", "sources", "name")],
    },
    "release_versions": {
        "columns": {
            "release_id": str, "version": int, "content_hash": str, "capture_id": str,
            "first_seen": str, "title": str, "published": str, "body_text": str, "summary": str,
        },
        "pk": ("release_id", "version"),
        "foreign_keys": [("release_id", "releases", "release_id"), ("capture_id", "captures", "capture_id")],
    },
    "listings": {
        "columns": {
            "listing_id": str, "source": str, "list_url": str, "url": str, "title": str,
            "date_raw": str, "place": str, "capture_id": str,
        },
        "pk": "listing_id",
        "foreign_keys": [("source", "sources", "name"), ("capture_id", "captures", "capture_id")],
    },
    "date_evidence": {
        "columns": {
            "evidence_id": str, "release_id": str, "capture_id": str, "kind": str, "raw": str,
            "value": str, "precision": str, "chosen": int, "note": str,
        },
        "pk": "evidence_id",
        "foreign_keys": [("release_id", "releases", "release_id"), ("capture_id", "captures", "capture_id")],
    },
    "jurisdictions": {
        "columns": {
            "ocd_id": str, "fips": str, "name": str, "kind": str, "state": str,
            "county_fips": str, "lat": float, "lon": float,
        },
        "pk": "ocd_id",
    },
    "release_jurisdictions": {
        "columns": {
            "id": str, "release_id": str, "jurisdiction": str, "fips": str, "name": str,
            "kind": str, "state": str, "role": str, "text": str, "field": str, "start": int,
            "end": int, "basis": str,
        },
        "pk": "id",
        "foreign_keys": [("release_id", "releases", "release_id"), ("jurisdiction", "jurisdictions", "ocd_id")],
    },
    "agencies": {
        "columns": {"agency_id": str, "name": str, "level": str, "county_fips": str, "state": str},
        "pk": "agency_id",
    },
    "release_agencies": {
        "columns": {"release_id": str, "agency_id": str, "text": str},
        "pk": ("release_id", "agency_id"),
        "foreign_keys": [("release_id", "releases", "release_id"), ("agency_id", "agencies", "agency_id")],
    },
    "claims": {
        "columns": {
            "claim_id": str, "release_id": str, "count": int, "unit": str, "scope": str,
            "state": str, "states_count": int, "qualifier": str, "as_of": str, "text": str,
        },
        "pk": "claim_id",
        "foreign_keys": [("release_id", "releases", "release_id")],
    },
    "errors": {
        "columns": {
            "error_id": str, "source": str, "url": str, "stage": str, "reason": str,
            "archive": str, "timestamp": str, "warc_file": str, "warc_offset": int, "capture_id": str,
        },
        "pk": "error_id",
    },
}  # fmt: skip

INDEXES = [
    ("releases", ["published"]),
    ("releases", ["source", "published"]),
    ("releases", ["month"]),
    ("captures", ["release_id"]),
    ("captures", ["original_url", "timestamp"]),
    ("captures", ["digest"]),
    ("date_evidence", ["release_id"]),
    ("release_jurisdictions", ["release_id"]),
    ("release_jurisdictions", ["fips"]),
    ("release_jurisdictions", ["jurisdiction"]),
    ("release_jurisdictions", ["kind", "role", "fips"]),
    ("releases", ["month", "source"]),
    ("listings", ["url"]),
    ("release_urls", ["url"]),  # identity: "was this URL seen before?" on every stored capture
    ("errors", ["source"]),
]

FTS = {"releases": ["title", "subtitle", "body_text"]}

VIEWS = {
    # One row per release with its agency and the states and counties it names, as JSON arrays
    # (Datasette array facets); release_rowid links it to releases_fts.
    "release_catalog": """
SELECT
  r.release_id, r.published, r.title, r.source, s.agency,
  (SELECT json_group_array(DISTINCT rj.state) FROM release_jurisdictions rj
    WHERE rj.release_id = r.release_id AND rj.state IS NOT NULL) AS states,
  (SELECT json_group_array(DISTINCT rj.name || ', ' || rj.state) FROM release_jurisdictions rj
    WHERE rj.release_id = r.release_id AND rj.kind = 'county' AND rj.fips IS NOT NULL) AS counties,
  r.year, r.month, r.fiscal_year, r.dateline, r.language, r.capture_count, r.version_count,
  r.rowid AS release_rowid
FROM releases r
LEFT JOIN sources s ON s.name = r.source""",
}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create whatever is missing; safe to call on every open, by several processes at once."""
    db.conn.execute("PRAGMA busy_timeout=30000")  # first: the pragmas below may wait for a lock
    _use_wal(db.conn)
    db.conn.execute("PRAGMA synchronous=NORMAL")
    db.conn.execute("BEGIN IMMEDIATE")  # one creator at a time; the next sees what it made
    try:
        _create_missing(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def _use_wal(conn: sqlite3.Connection, patience: float = 30.0) -> None:
    """WAL mode, which persists in the file: set once, by whoever creates the archive. Setting it
    takes an exclusive lock that SQLite does not wait for under the busy timeout, so a process
    opening a new archive while another is creating it retries (seen with parallel imports)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _reindex_only_text_updates(db: sqlite_utils.Database, table: str, columns: list[str]) -> None:
    """sqlite-utils' update trigger re-indexes a row on any UPDATE; the store updates counts on
    every capture, which would tokenize the whole body twice more each time. Narrow it to the
    indexed columns (an archive made before this is migrated on open)."""
    name, names = f"{table}_au", ", ".join(f'"{c}"' for c in columns)
    sql = db.conn.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND name=?", [name]).fetchone()
    if sql is None or f"AFTER UPDATE OF {names} ON" in sql[0]:
        return
    old = ", ".join(f'old."{c}"' for c in columns)
    new = ", ".join(f'new."{c}"' for c in columns)
    db.conn.execute(f'DROP TRIGGER "{name}"')
    db.conn.execute(
        f'CREATE TRIGGER "{name}" AFTER UPDATE OF {names} ON "{table}" BEGIN\n'
        f'  INSERT INTO "{table}_fts" ("{table}_fts", rowid, {names}) VALUES(\'delete\', old.rowid, {old});\n'
        f'  INSERT INTO "{table}_fts" (rowid, {names}) VALUES (new.rowid, {new});\nEND'
    )


def _create_missing(db: sqlite_utils.Database) -> None:
    for name, spec in TABLES.items():
        if not db[name].exists():
            db[name].create(
                spec["columns"],
                pk=spec["pk"],
                foreign_keys=spec.get("foreign_keys"),
                not_null=[spec["pk"]] if isinstance(spec["pk"], str) else list(spec["pk"]),
            )
    for table, columns in INDEXES:
        db[table].create_index(columns, if_not_exists=True)
    for table, columns in FTS.items():
        if not db[f"{table}_fts"].exists():
            db[table].enable_fts(columns, fts_version="FTS5", tokenize="porter", create_triggers=True)
        _reindex_only_text_updates(db, table, columns)
    for name, sql in VIEWS.items():
        if name not in db.view_names():
            db.create_view(name, sql)
