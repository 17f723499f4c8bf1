"""Fast upserts for the store's hot path.

sqlite-utils makes the schema and answers queries; but each of its `upsert` calls reads the
table's schema first (PRAGMA queries), which on a crawl costs more than the write itself. Here
one prepared statement per (table, columns) does `INSERT … ON CONFLICT DO UPDATE`, the same
upsert semantics: the row is inserted, or its given columns are updated.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=256)
def upsert_sql(table: str, columns: tuple[str, ...], pk: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    updates = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in pk)
    action = f"DO UPDATE SET {updates}" if updates else "DO NOTHING"
    keys = ", ".join(f'"{c}"' for c in pk)
    return f'INSERT INTO "{table}" ({names}) VALUES ({marks}) ON CONFLICT({keys}) {action}'


def upsert(conn: sqlite3.Connection, table: str, rows: Iterable[dict[str, Any]], pk: str | Sequence[str]) -> None:
    """Upsert rows that all have the same keys (the primary key among them)."""
    rows = list(rows)
    if not rows:
        return
    keys = (pk,) if isinstance(pk, str) else tuple(pk)
    columns = tuple(rows[0])
    conn.executemany(upsert_sql(table, columns, keys), [tuple(row[c] for c in columns) for row in rows])


class WrittenRows:
    """Dimension rows (jurisdictions, agencies) repeat on nearly every release and never change
    between writes: remember which exact rows this connection has written, so each is upserted
    once. A row counts as written once its item's savepoint succeeded, and stays so only once
    the transaction commits (a rollback forgets it, so the next write repeats it)."""

    def __init__(self) -> None:
        self._committed: set[tuple] = set()
        self._pending: set[tuple] = set()
        self._item: set[tuple] = set()

    def unwritten(self, table: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for row in rows:
            key = (table, *row.values())
            if key not in self._committed and key not in self._pending and key not in self._item:
                self._item.add(key)
                out.append(row)
        return out

    def item_done(self, ok: bool) -> None:
        if ok:
            self._pending |= self._item
        self._item.clear()

    def transaction_done(self, committed: bool) -> None:
        if committed:
            self._committed |= self._pending
        self._pending.clear()
