"""Datasette settings for serving an archive, shared by `pressarchive serve` and `publish`."""

from __future__ import annotations

import sqlite3
from contextlib import closing

from archive.readonly import connect_read_only

# Past this many releases, facet suggestions (a time-limited query per column on every table
# page) cost more than the page itself; the facets named in metadata.yml stay.
SUGGEST_FACETS_UP_TO = 100_000


def release_count_estimate(db_path: str) -> int:
    """max(rowid) of releases: exact enough, and instant at any size (0 if there is none)."""
    try:
        with closing(connect_read_only(db_path)) as conn:
            return conn.execute("SELECT max(rowid) FROM releases").fetchone()[0] or 0
    except sqlite3.Error:
        return 0


def datasette_settings(db_path: str) -> dict[str, str]:
    settings = {"sql_time_limit_ms": "3000"}
    if release_count_estimate(db_path) > SUGGEST_FACETS_UP_TO:
        settings["suggest_facets"] = "off"
    return settings
