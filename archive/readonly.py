"""Reading an archive that another process may be writing (or that Datasette serves).

SQLite takes `mode=ro` or `immutable=1` only in a URI filename, and a raw `file:` URI ends at a
"?" or "#" in the path: Path.as_uri() escapes them.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import urlencode


def archive_uri(path: str | Path, **params: str | int) -> str:
    """A file URI for `path`, with SQLite's URI parameters (mode="ro", immutable=1, ...)."""
    uri = Path(path).resolve().as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def connect_read_only(path: str | Path, **kwargs) -> sqlite3.Connection:
    """A read-only connection (sqlite3.OperationalError if there is no such file)."""
    return sqlite3.connect(archive_uri(path, mode="ro"), uri=True, **kwargs)
