"""`pressarchive serve` starts Datasette on 127.0.0.1 with the project's metadata."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import sqlite_utils

from archive.schema import ensure_schema
from archive.serving import SUGGEST_FACETS_UP_TO, datasette_settings
from crawler.cli import datasette_args
from tests.conftest import ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_search_over_http(demo_db):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler.cli", "serve", "--db", str(demo_db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                httpx.get(base + "/-/versions.json", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        rows = httpx.get(base + "/archive/releases.json?_search=Sarasota&_shape=array", timeout=5).json()
        assert any("Sarasota" in row["title"] for row in rows)
        home = httpx.get(base + "/", timeout=5).text
        assert "pressarchive" in home
        settings = httpx.get(base + "/-/settings.json", timeout=5).json()
        assert settings["sql_time_limit_ms"] == 3000
        assert settings["suggest_facets"] is True  # a small archive keeps facet suggestions
        databases = httpx.get(base + "/-/databases.json", timeout=5).json()
        assert databases[0]["is_mutable"] is False  # served immutable
        server.terminate()  # stopping the command stops its Datasette: nothing left listening
        server.wait(timeout=10)
        for _ in range(50):
            try:
                httpx.get(base + "/-/versions.json", timeout=0.5)
            except httpx.TransportError:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("Datasette still answers after pressarchive serve was stopped")
    finally:
        server.terminate()  # the CLI passes it on to Datasette
        server.wait(timeout=10)
        time.sleep(0.3)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # and nothing of the group outlives the test


def test_a_large_archive_is_served_without_facet_suggestions(tmp_path):
    db = sqlite_utils.Database(tmp_path / "big.db")
    ensure_schema(db)
    assert datasette_settings(str(tmp_path / "big.db")) == {"sql_time_limit_ms": "3000"}
    # rowids run past the threshold as they do after a large import
    db.execute("INSERT INTO releases (rowid, release_id, title) VALUES (?, 'r', 't')", [SUGGEST_FACETS_UP_TO + 1])
    db.conn.commit()
    settings = datasette_settings(str(tmp_path / "big.db"))
    assert settings["suggest_facets"] == "off"
    args = datasette_args(str(tmp_path / "big.db"), 8001, "127.0.0.1", "m.json")
    assert "--setting suggest_facets off" in " ".join(args)
