"""Concurrent writers: two processes writing one archive at once (two WARC imports, or a live
crawl and an import) never corrupt it and never fail on a locked database; the archive they
leave is the one separate runs would have built; and a Datasette reading it all the while
answers every request."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from archive import DEMO_WARC
from tests.crash_harness import SiteServer, check_complete, check_rows, crawl_command, generate_site
from tests.hostile_site import html, page, warc_member

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120
LOCKED = ("database is locked", "database table is locked", "SQLITE_BUSY")


# -- corpora ------------------------------------------------------------------------------------
def ice_warc(path: Path, releases: int = 120) -> Path:
    """The crash harness's newsroom (us_ice) as a WARC, captured in January 2011: list pages and
    release pages that the demo corpus does not have."""
    site = generate_site(releases, seed=7, tag="w")
    with path.open("wb") as out:
        for n, (url, body) in enumerate(sorted(site.pages.items())):
            when = f"2011-01-{1 + n // 3600:02d}T{(n // 60) % 60:02d}:{n % 60:02d}:00Z"
            out.write(warc_member(url, when, html(body=body).block()))
    return path


def generic_warc(path: Path, pages: int = 120) -> Path:
    """Pages of a county site we have no spider for (the generic extractor), March 2011."""
    with path.open("wb") as out:
        for n in range(pages):
            body = page(f"County board notice number {n}", date=f"March {1 + n % 28}, 2011").encode()
            out.write(warc_member(f"http://county.example/news/{n}.html", f"2011-04-01T10:{n // 60:02d}:{n % 60:02d}Z",
                                  html(body=body).block()))  # fmt: skip
    return path


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[str, list[Path]]:
    work = tmp_path_factory.mktemp("corpora")
    return {"a": [DEMO_WARC, ice_warc(work / "ice.warc.gz")], "b": [generic_warc(work / "county.warc.gz")]}


# -- processes ----------------------------------------------------------------------------------
def start(args: list[str], log: Path, env: dict | None = None) -> subprocess.Popen:
    out = log.open("wb")
    try:
        return subprocess.Popen(
            [sys.executable, "-m", *args], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})}, start_new_session=True,
        )  # fmt: skip
    finally:
        out.close()


def import_args(files: list[Path], db: Path) -> list[str]:
    return ["crawler.cli", "import-warc", *map(str, files), "--db", str(db)]


def finish(proc: subprocess.Popen, log: Path, timeout: float = TIMEOUT) -> str:
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, f"{' '.join(map(str, proc.args[2:4]))} exited {proc.returncode}:\n{output[-3000:]}"
    assert not any(word in output for word in LOCKED), output[-3000:]
    return output


def import_alone(files: list[Path], db: Path) -> None:
    log = db.with_suffix(".log")
    finish(start(import_args(files, db), log), log)


# -- a reader -----------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Reader:
    """A mutable Datasette on the archive (read-only use), asked the same questions in a loop."""

    def __init__(self, db: Path, log: Path):
        self.port = free_port()
        self.name = db.stem
        args = ["datasette", "serve", str(db), "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = start(args, log)
        self.answers: list[tuple[str, int, str]] = []
        self.counts: list[int] = []

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=15) as reply:
                return reply.status, reply.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if self.get("/-/versions.json")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError("datasette did not start")

    def ask(self) -> None:
        questions = [
            f"/{self.name}.json?sql=select+count(*)+as+n+from+releases&_shape=array",
            f"/{self.name}/releases.json?_size=5&_shape=array",
            f"/{self.name}/releases.json?_search=county&_size=3&_shape=array",
            f"/{self.name}/captures.json?_size=5&_shape=array",
            f"/{self.name}.json",
        ]
        for question in questions:
            status, body = self.get(question)
            self.answers.append((question, status, body[:300]))
            if status == 200 and "count(*)" in question:
                self.counts.append(json.loads(body)[0]["n"])

    def stop(self) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


# -- comparing archives -------------------------------------------------------------------------
def tables(db: Path) -> dict[str, set[tuple]]:
    conn = sqlite3.connect(db)
    try:
        names = [
            name
            for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not name.startswith(("releases_fts", "sqlite_"))
        ]
        return {name: set(conn.execute(f"SELECT * FROM [{name}]")) for name in names}
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# -- tests --------------------------------------------------------------------------------------
def test_two_imports_at_once_while_datasette_reads(corpora, tmp_path):
    from pipelines.store import open_archive

    db = tmp_path / "shared.db"
    open_archive(str(db)).close()  # Datasette needs the file; the writers find the schema made
    reader = Reader(db, tmp_path / "datasette.log")
    try:
        reader.wait_ready()
        logs = {name: tmp_path / f"import-{name}.log" for name in corpora}
        writers = {name: start(import_args(files, db), logs[name]) for name, files in corpora.items()}
        deadline = time.monotonic() + TIMEOUT
        while any(w.poll() is None for w in writers.values()) and time.monotonic() < deadline:
            reader.ask()
        for name, writer in writers.items():
            finish(writer, logs[name])
        reader.ask()
    finally:
        reader.stop()

    failed = [(q, status, body) for q, status, body in reader.answers if status != 200]
    assert not failed, failed[:3]
    assert len(reader.answers) >= 10 and reader.counts == sorted(reader.counts)
    assert integrity(db) == "ok"
    assert not check_rows(db)

    for name, files in corpora.items():
        import_alone(files, tmp_path / f"alone-{name}.db")
    together, apart = tables(db), [tables(tmp_path / f"alone-{name}.db") for name in corpora]
    for table, rows in together.items():
        expected = set().union(*(separate.get(table, set()) for separate in apart))
        assert rows == expected, f"{table}: {len(rows)} rows at once, {len(expected)} from separate imports"


def test_two_imports_creating_the_archive_at_once(corpora, tmp_path):
    """Neither finds the schema: both create it, and neither may fail for it."""
    db = tmp_path / "fresh.db"
    logs = {name: tmp_path / f"{name}.log" for name in corpora}
    writers = {name: start(import_args(files, db), logs[name]) for name, files in corpora.items()}
    for name, writer in writers.items():
        finish(writer, logs[name])
    assert integrity(db) == "ok"
    assert not check_rows(db)
    conn = sqlite3.connect(db)
    try:
        sources = {name for (name,) in conn.execute("SELECT DISTINCT source FROM releases")}
    finally:
        conn.close()
    assert sources == {"us_ice", "us_nc_winston_salem", "generic"}


def test_a_live_crawl_and_an_import_at_once(corpora, tmp_path):
    site = generate_site(80, seed=3, tag="c")
    db = tmp_path / "archive.db"
    with SiteServer(site) as server:
        env = {"http_proxy": server.proxy, "no_proxy": "", "NO_PROXY": ""}
        crawl = start(crawl_command(tmp_path)[2:], tmp_path / "crawl.log", env)
        importer = start(import_args(corpora["b"], db), tmp_path / "import.log")
        finish(crawl, tmp_path / "crawl.log")
        finish(importer, tmp_path / "import.log")
    assert integrity(db) == "ok"
    assert not check_rows(db)
    assert not [p for p in check_complete(db, site) if "not on the site" not in p]  # the generic pages are
    import_alone(corpora["b"], tmp_path / "alone.db")
    conn, alone = sqlite3.connect(db), sqlite3.connect(tmp_path / "alone.db")
    try:
        query = "SELECT url, title, body_text FROM releases WHERE source = 'generic' ORDER BY url"
        assert conn.execute(query).fetchall() == alone.execute(query).fetchall()
    finally:
        conn.close()
        alone.close()
