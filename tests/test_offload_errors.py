"""The pipeline process (pipelines/offload.py) fails as one process does: errors its chain logs
fail an import, its death keeps a job's unclean-stop marker, a disabled (None) pipeline is left
out, settings reach it when they pickle, and an idle chain sends no stats reports."""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import time
from pathlib import Path

import sqlite_utils
from scrapy.crawler import Crawler
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector

from archive import DEMO_WARC
from crawler import settings as project
from crawler.jobdir import JOB_START, MARKER
from crawler.spiders.us_ice import UsIceSpider
from pipelines.offload import OffloadPipeline, offload_settings, run_chain
from tests.conftest import run_cli
from tests.livesite import LiveSite
from tests.test_offload import FAST, _chain_settings, _release

logger = logging.getLogger(__name__)
# The demo WARC has 43 captures: below ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES unless lowered.
OFFLOADED = ["-s", "ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES=1"]
ONE_PROCESS = ["-s", "ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES=100000"]


class FailsToStoreIce:
    """Logs a store error for every us_ice release, as a store that cannot write would."""

    def process_item(self, item):
        if item.source == "us_ice":
            logger.error("could not store %s: disk I/O error", item.url)
        return item


class ExitOnClose:
    """A pipeline process that dies while closing, after the crawl finished (as a failed final
    commit or an out-of-memory kill would)."""

    def process_item(self, item):
        return item

    def close_spider(self):
        os._exit(3)


class ReportsSettings:
    """Reports how some settings arrived in the pipeline process."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def open_spider(self):
        for name in ("ARCHIVE_TEST_PATH", "ARCHIVE_TEST_SET", "ARCHIVE_TEST_HOOKS", "ARCHIVE_DB"):
            self.crawler.stats.set_value(f"test/{name}", type(self.crawler.settings.get(name)).__name__)


def _pipelines(**changes) -> str:
    return json.dumps({**project.ITEM_PIPELINES, **changes})


def test_errors_logged_by_the_pipeline_process_fail_an_import_as_in_one_process(tmp_path):
    pipelines = _pipelines(**{"tests.test_offload_errors.FailsToStoreIce": 950})
    results = {}
    for name, mode in (("one", ONE_PROCESS), ("two", OFFLOADED)):
        args = [
            "import-warc",
            str(DEMO_WARC),
            "--db",
            str(tmp_path / f"{name}.db"),
            "-s",
            f"ITEM_PIPELINES={pipelines}",
        ]
        results[name] = run_cli(*args, *mode, "-s", "LOG_LEVEL=INFO", check=False)
    assert "pipelines.offload.OffloadPipeline" in results["two"].stderr  # the chain really ran apart
    assert "pipelines.offload.OffloadPipeline" not in results["one"].stderr
    for name, result in results.items():
        assert result.returncode == 1, (name, result.stderr[-2000:])
        failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED: us_ice: ")]
        assert any(line.endswith("errors logged") for line in failed), (name, result.stderr[-2000:])


def test_a_crawl_counts_the_pipeline_process_errors_in_its_stats(tmp_path):
    """log_count/ERROR in the stats Scrapy prints at the end is the same in one or two processes."""
    pipelines = _pipelines(**{"tests.test_offload_errors.FailsToStoreIce": 950})
    stderr = {}
    with LiveSite() as site:
        env = {"http_proxy": site.proxy, "no_proxy": "", "NO_PROXY": ""}
        for name, flag in (("one", "False"), ("two", "True")):
            args = ["crawl", "us_ice", "--db", str(tmp_path / f"{name}.db"), "-s", f"ITEM_PIPELINES={pipelines}"]
            args += ["-s", f"ARCHIVE_WARC_DIR={tmp_path / name}", "-s", f"ARCHIVE_PIPELINE_PROCESS={flag}", *FAST]
            stderr[name] = run_cli(*args, env=env).stderr
    counts = {
        name: [line for line in text.splitlines() if "'log_count/ERROR'" in line] for name, text in stderr.items()
    }
    assert counts["one"] and counts["two"] == counts["one"]
    assert "'archive/pipeline_errors'" in stderr["two"]  # and where they came from


def test_a_pipeline_process_dying_after_the_crawl_finished_keeps_the_jobs_marker(tmp_path):
    db, jobdir = tmp_path / "a.db", tmp_path / "job"
    with LiveSite() as site:
        env = {"http_proxy": site.proxy, "no_proxy": "", "NO_PROXY": ""}
        args = ["crawl", "us_ice", "--db", str(db), "--jobdir", str(jobdir), *FAST]
        args += ["-s", f"ARCHIVE_WARC_DIR={tmp_path / 'warcs'}"]
        pipelines = '{"tests.test_offload_errors.ExitOnClose": 100}'
        failed = run_cli(*args, "-s", f"ITEM_PIPELINES={pipelines}", check=False, env=env, timeout=120)
        assert failed.returncode == 1, failed.stderr[-2000:]
        assert "pipeline process exited with code 3" in failed.stderr
        assert "Closing spider (finished)" in failed.stderr  # the crawl itself had finished
        assert (jobdir / MARKER).exists() and (jobdir / JOB_START).exists()
        # So the next run discards the seen set and stores what the dead process did not.
        resumed = run_cli(*args, env=env)
    assert "did not stop cleanly" in resumed.stderr
    assert sqlite_utils.Database(db)["releases"].count >= 20
    assert not (jobdir / MARKER).exists()


def test_a_disabled_pipeline_is_left_out_of_the_pipeline_process(tmp_path):
    """`-s ITEM_PIPELINES` with a None entry, as Scrapy allows: the same archive as in one process."""
    pipelines = _pipelines(**{"pipelines.jurisdictions.JurisdictionsPipeline": None})
    rows = {}
    for name, mode in (("one", ONE_PROCESS), ("two", OFFLOADED)):
        db = tmp_path / f"{name}.db"
        run_cli("import-warc", str(DEMO_WARC), "--db", str(db), "-s", f"ITEM_PIPELINES={pipelines}", *mode)
        archive = sqlite_utils.Database(db)
        rows[name] = {t: {tuple(r) for r in archive.execute(f"SELECT * FROM {t}")} for t in ("releases", "errors")}
        assert archive["release_jurisdictions"].count == 0
    assert rows["one"]["releases"] and rows["two"] == rows["one"]


def test_the_chain_leaves_out_none_entries(tmp_path):
    settings = _chain_settings(tmp_path / "a.db")
    settings["ARCHIVE_WORKER_PIPELINES"] = {
        "pipelines.store.StorePipeline": 900,
        "tests.test_offload_errors.FailsToStoreIce": 950,
        "tests.test_offload.ExitOnFirstItem": None,  # would kill the process, were it run
        "no_such_module.Pipeline": None,  # not even imported
    }
    reports = _run_chain(settings, [_release(n) for n in range(3)])
    assert reports[-1][0] == "done"
    stats = reports[-1][1]
    assert stats["archive/stored/PressRelease"] == 3 and stats["log_count/ERROR"] == 3


def test_settings_reach_the_pipeline_process_when_they_pickle(tmp_path):
    values = {
        "ARCHIVE_DB": str(tmp_path / "a.db"),
        "ARCHIVE_TEST_PATH": tmp_path / "some.path",
        "ARCHIVE_TEST_SET": {"a", "b"},
        "ARCHIVE_TEST_HOOKS": {"on_store": lambda item: item},  # a dict, but it cannot pickle
        "ARCHIVE_WORKER_PIPELINES": {"tests.test_offload_errors.ReportsSettings": 100},
        "LOG_LEVEL": "WARNING",
    }
    crawler = Crawler(UsIceSpider, Settings(values))
    crawler.stats = MemoryStatsCollector(crawler)
    pipeline = OffloadPipeline(crawler)
    pipeline.open_spider()
    pipeline.close_spider()
    stats = crawler.stats.get_stats()
    assert stats["test/ARCHIVE_TEST_PATH"] == type(Path()).__name__
    assert stats["test/ARCHIVE_TEST_SET"] == "set"
    assert stats["test/ARCHIVE_TEST_HOOKS"] == "NoneType"  # left in the crawl process
    assert stats["test/ARCHIVE_DB"] == "str"
    assert not pipeline.failed


def test_an_idle_chain_sends_no_stats_reports(tmp_path):
    reports = _run_chain(_chain_settings(tmp_path / "a.db"), [_release(0)], idle=3.0)
    kinds = [kind for kind, _ in reports]
    # one report for the item's stats at most (none if the end came first), then the last one;
    # not one every STATS_EVERY seconds of the idle time
    assert kinds[-1] == "done" and kinds.count("stats") <= 1, kinds
    assert reports[-1][1]["archive/stored/PressRelease"] == 1


def _run_chain(settings: dict, items: list, idle: float = 0.0) -> list[tuple[str, dict]]:
    """The chain in its own process, fed `items`, idle for `idle` seconds, then ended: its reports."""
    context = multiprocessing.get_context("spawn")
    queue, reports = context.Queue(), context.Queue()
    spider = "crawler.spiders.us_ice.UsIceSpider"
    child = context.Process(target=run_chain, args=(spider, settings, queue, reports, os.getpid()))
    child.start()
    for item in items:
        queue.put(item)
    time.sleep(idle)
    queue.put(None)
    received = []
    while not received or received[-1][0] != "done":
        received.append(reports.get(timeout=60))
    child.join(timeout=60)
    assert child.exitcode == 0
    return received


def test_pipelines_all_disabled_are_not_offloaded():
    settings = Settings({"ARCHIVE_PIPELINE_PROCESS": True})
    settings.set("ITEM_PIPELINES", '{"pipelines.store.StorePipeline": null}', priority="cmdline")
    offload_settings(settings)
    assert "ARCHIVE_WORKER_PIPELINES" not in settings
