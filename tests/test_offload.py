"""Pipelines in a second process (pipelines/offload.py): the same archive as in one process,
the crawl's counts still reported, a dead pipeline process stops the crawl with its reason,
and a killed crawl's pipeline process leaves nothing half-written behind."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import sqlite_utils

from archive import DEMO_WARC
from crawler.items import PressRelease
from pipelines.identity import IdentityPipeline
from pipelines.offload import run_chain
from tests.conftest import run_cli
from tests.livesite import LiveSite

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=INFO"]
# Capture times differ between the two crawls (and ids and evidence made from them): left out.
QUERIES = {
    "releases": "SELECT release_id, title, published, body_text, capture_count, version_count FROM releases",
    "captures": "SELECT kind, url, status, digest, release_id FROM captures",
    "release_jurisdictions": "SELECT release_id, fips, role, text FROM release_jurisdictions",
    "date_evidence": "SELECT release_id, kind, raw, value, chosen FROM date_evidence WHERE kind != 'capture'",
    "listings": "SELECT list_url, url, date_raw FROM listings",
    "errors": "SELECT url, stage, reason FROM errors",
    "sources": "SELECT name, agency FROM sources",
}


def _rows(path) -> dict[str, set]:
    db = sqlite_utils.Database(path)
    return {table: {tuple(r) for r in db.execute(sql).fetchall()} for table, sql in QUERIES.items()}


def test_two_process_crawl_archives_what_a_one_process_crawl_does(tmp_path):
    with LiveSite() as site:
        env = {"http_proxy": site.proxy, "no_proxy": "", "NO_PROXY": ""}
        results = {}
        for name, flag in (("one", "False"), ("two", "True")):
            db, warcs = tmp_path / f"{name}.db", tmp_path / f"warcs-{name}"
            args = ["crawl", "us_ice", "--db", str(db), "-s", f"ARCHIVE_WARC_DIR={warcs}", *FAST]
            results[name] = run_cli(*args, "-s", f"ARCHIVE_PIPELINE_PROCESS={flag}", env=env)
    one, two = _rows(tmp_path / "one.db"), _rows(tmp_path / "two.db")
    assert len(one["releases"]) >= 20
    for table in QUERIES:
        assert two[table] == one[table], table
    assert "pipelines.offload.OffloadPipeline" in results["two"].stderr  # it really ran in two processes
    assert "pipelines.offload.OffloadPipeline" not in results["one"].stderr
    # the summary line counts what the child process stored
    summary = [line for line in results["two"].stdout.splitlines() + results["two"].stderr.splitlines()]
    stored = f"{len(two['releases'])} releases stored"
    assert any(stored in line for line in summary), summary[-5:]


def _release(n: int) -> PressRelease:
    url = f"http://www.ice.gov/pi/nr/1004/1004{n:02d}test.htm"
    item = PressRelease(
        source="us_ice", url=url, title=f"Release {n} about Palm Beach County", published="2010-04-26",
        published_precision="day", body_text="Palm Beach County joins Secure Communities. " * 5,
        capture={"archive": "test", "timestamp": f"201004281200{n:02d}", "original_url": url, "digest": f"sha1:{n}"},
    )  # fmt: skip
    return IdentityPipeline().process_item(item)


def _chain_settings(db) -> dict:
    return {
        "ARCHIVE_DB": str(db),
        "ARCHIVE_BATCH_ITEMS": 1000,
        "ARCHIVE_BATCH_SECONDS": 3600,
        "ARCHIVE_WORKER_PIPELINES": {"pipelines.store.StorePipeline": 900},
        "LOG_LEVEL": "WARNING",
    }


def _parent_then_orphan(db, ready) -> None:
    """A stand-in crawl: starts the pipeline process, hands it items, and is then killed."""
    context = multiprocessing.get_context("spawn")
    items, reports = context.Queue(), context.Queue()
    spider = "crawler.spiders.us_ice.UsIceSpider"
    child = context.Process(target=run_chain, args=(spider, _chain_settings(db), items, reports, os.getpid()))
    child.start()
    for n in range(5):
        items.put(_release(n))
    ready.put(child.pid)
    time.sleep(60)  # killed long before


def test_pipeline_process_of_a_killed_crawl_exits_without_committing(tmp_path):
    db = tmp_path / "a.db"
    context = multiprocessing.get_context("spawn")
    ready = context.Queue()
    parent = context.Process(target=_parent_then_orphan, args=(db, ready))
    parent.start()
    child_pid = ready.get(timeout=60)
    time.sleep(2)  # the child has stored the five items in its open batch by now
    os.kill(parent.pid, signal.SIGKILL)
    parent.join()
    for _ in range(100):  # the orphan notices within its poll interval
        try:
            os.kill(child_pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the pipeline process outlived its crawl")
    archive = sqlite_utils.Database(db)
    assert archive.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert archive["releases"].count == 0  # the open batch was not committed: refetched on resume
    assert archive["captures"].count == 0


def test_chain_stores_and_reports_when_closed_in_order(tmp_path):
    db = tmp_path / "a.db"
    context = multiprocessing.get_context("spawn")
    items, reports = context.Queue(), context.Queue()
    child = context.Process(
        target=run_chain, args=("crawler.spiders.us_ice.UsIceSpider", _chain_settings(db), items, reports, os.getpid())
    )
    child.start()
    for n in range(3):
        items.put(_release(n))
    items.put(None)
    child.join(timeout=60)
    assert child.exitcode == 0
    kind, stats = None, {}
    while kind != "done":
        kind, stats = reports.get(timeout=10)
    assert stats["archive/stored/PressRelease"] == 3
    archive = sqlite_utils.Database(db)
    assert archive["releases"].count == 3
    assert [r["name"] for r in archive["sources"].rows] == ["us_ice"]


class ExitOnFirstItem:
    """A pipeline whose process dies on the first item (as an out-of-memory kill would)."""

    def process_item(self, item):
        os._exit(3)


def test_a_dead_pipeline_process_fails_the_crawl_with_its_reason(tmp_path):
    with LiveSite() as site:
        env = {"http_proxy": site.proxy, "no_proxy": "", "NO_PROXY": ""}
        pipelines = '{"tests.test_offload.ExitOnFirstItem": 100}'
        args = ["crawl", "us_ice", "--db", str(tmp_path / "a.db"), "-s", f"ITEM_PIPELINES={pipelines}", *FAST]
        result = run_cli(*args, "-s", f"ARCHIVE_WARC_DIR={tmp_path / 'warcs'}", check=False, env=env, timeout=120)
    assert result.returncode == 1
    assert "pipeline process exited with code 3" in result.stderr


def test_import_with_a_pipeline_process_per_source_archives_the_same(tmp_path):
    """The demo WARC holds several sources: one child each, writing the same archive at once."""
    one, many = tmp_path / "one.db", tmp_path / "many.db"
    run_cli("import-warc", str(DEMO_WARC), "--db", str(one))  # 43 captures: below the threshold
    result = run_cli("import-warc", str(DEMO_WARC), "--db", str(many), "-s", "ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES=1")
    assert "per source" in result.stdout + result.stderr
    full_rows = {**QUERIES, "captures": "SELECT capture_id, kind, url, status, digest, release_id FROM captures"}
    for table, sql in full_rows.items():
        a = {tuple(r) for r in sqlite_utils.Database(one).execute(sql).fetchall()}
        b = {tuple(r) for r in sqlite_utils.Database(many).execute(sql).fetchall()}
        assert a and b == a, table
