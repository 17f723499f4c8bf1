"""The item pipelines in a second process, so a crawl uses both cores.

A crawl's own process fetches, parses, runs the spider callbacks and writes the WARC: that is
already a core's worth of Python at full speed. Dates, places, identity and the store are as
much again, so in one process they halve the pages per second. With ARCHIVE_PIPELINE_PROCESS
(on by default for `pressarchive crawl`, and for `import-warc` of ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES
or more) the crawl's only item pipeline is OffloadPipeline,
which hands each item to a child process that runs the real chain (ARCHIVE_WORKER_PIPELINES,
the project's ITEM_PIPELINES) exactly as Scrapy would: in order, DropItem sends item_dropped.

Why not Scrapy's own machinery: Scrapy runs pipelines on the reactor's thread, and a thread
would not help (the pipelines are Python, holding the GIL). multiprocessing carries the items.

Failure semantics match the single-process crawl: the child commits in the same batches; if
the crawl is killed, the child notices its parent is gone and exits without committing, so
the uncommitted batch is lost and refetched on resume, never half-written. If the child dies,
the crawl stops with that reason instead of fetching pages nobody stores. Errors the chain logs
count in the crawl's log_count/ERROR as they would in one process (and in PIPELINE_ERRORS_STAT).
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import pickle
import queue
import signal
import time
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.conf import build_component_list
from scrapy.utils.defer import _schedule_coro
from scrapy.utils.log import LogCounterHandler
from scrapy.utils.misc import build_from_crawler, load_object

logger = logging.getLogger(__name__)

QUEUE_ITEMS = 32  # items in flight: enough to keep the child busy, few enough to bound memory
STATS_EVERY = 0.5  # seconds between the child's stats reports (the crawl's progress lines)
POLL = 0.2  # seconds: how soon the child notices its parent is gone
FAILED_STAT = "archive/pipeline_process_failed"
PIPELINE_ERRORS_STAT = "archive/pipeline_errors"  # records of ERROR and above the child logged
LOG_COUNT = "log_count/"  # the child's counts are added to the crawl's own, not set over them


def offload_settings(settings: Settings) -> None:
    """Move the item pipelines to the child process (when enabled and there are any)."""
    # ITEM_PIPELINES_BASE included, None (disabled) entries kept: the child builds the chain as
    # Scrapy does. Nothing left once the None entries go: nothing to offload.
    chain = dict(settings.getwithbase("ITEM_PIPELINES"))
    if not settings.getbool("ARCHIVE_PIPELINE_PROCESS") or not build_component_list(chain):
        return
    settings.set("ARCHIVE_WORKER_PIPELINES", chain, priority="cmdline")
    settings.set("ITEM_PIPELINES", {f"{__name__}.OffloadPipeline": 100}, priority="cmdline")
    settings.set("ITEM_PIPELINES_BASE", {}, priority="cmdline")  # it runs in the child


class OffloadPipeline:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.process: Any = None
        self.failed = False
        self.child_logs: dict[str, int] = {}  # the child's log counts already added to ours

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OffloadPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        context = multiprocessing.get_context("spawn")  # never fork a process running a reactor
        self.items = context.Queue(QUEUE_ITEMS)
        self.reports = context.Queue()
        spidercls = self.crawler.spidercls
        settings = child_settings(self.crawler.settings)
        args = (f"{spidercls.__module__}.{spidercls.__name__}", settings, self.items, self.reports, os.getpid())
        self.process = context.Process(target=run_chain, args=args, name="pressarchive-pipelines", daemon=True)
        self.process.start()

    def process_item(self, item: Any) -> Any:
        self._read_reports()
        while not self.failed and self._check_alive():
            try:
                self.items.put(item, timeout=1.0)  # blocks while the child is behind: backpressure
                break
            except queue.Full:
                pass
        return item

    def close_spider(self) -> None:
        if self.process is None:
            return
        while self._check_alive():  # the end marker, unless the child is gone
            try:
                self.items.put(None, timeout=POLL)
                break
            except queue.Full:
                pass
        while self.process.is_alive() and not self._read_reports(timeout=POLL):
            pass
        self.process.join()
        self._read_reports()
        self._check_alive()
        # Nothing left for a dead child to read: exiting must not wait on a full pipe.
        self.items.cancel_join_thread()
        self.process = None

    def _read_reports(self, timeout: float | None = None) -> bool:
        """Apply the child's reports; True once it said it is done."""
        done = False
        while True:
            try:
                kind, stats = self.reports.get(timeout=timeout) if timeout else self.reports.get_nowait()
            except queue.Empty:
                return done
            timeout = None
            for key, value in stats.items():
                if key.startswith(LOG_COUNT):
                    self._add_log_count(key, value)
                else:
                    self.crawler.stats.set_value(key, value)
            done = done or kind == "done"

    def _add_log_count(self, key: str, total: int) -> None:
        """The child reports running totals; the crawl's count gets what is new since the last."""
        new = total - self.child_logs.get(key, 0)
        self.child_logs[key] = total
        if new > 0:
            self.crawler.stats.inc_value(key, new)
            self.crawler.stats.inc_value(PIPELINE_ERRORS_STAT, new)

    def _check_alive(self) -> bool:
        """False (and the crawl told to stop, once) when the child has died."""
        if self.process.is_alive() or self.process.exitcode == 0:
            return True
        if not self.failed:
            self.failed = True
            reason = f"pipeline process exited with code {self.process.exitcode}"
            logger.error("%s: stopping the crawl; items since its last commit are not stored", reason)
            # Read by `pressarchive crawl` for its exit status: the crawl may finish before it stops.
            self.crawler.stats.set_value(FAILED_STAT, reason)
            _schedule_coro(self.crawler.engine.close_spider_async(reason=reason))
        return False


def child_settings(settings: Settings) -> dict[str, Any]:
    """The crawl's settings that can travel to the child (spawn pickles them): by trying, since
    a type says nothing of what a dict holds, and a Path or a set pickles as well as a str."""
    result = {}
    for name, value in settings.copy_to_dict().items():
        try:
            pickle.dumps(value)
        except Exception:  # pickling raises all sorts (TypeError, PicklingError, AttributeError...)
            logger.debug("setting %s stays in the crawl process: it cannot be pickled", name)
            continue
        result[name] = value
    return result


# -- the child process ---------------------------------------------------------------------------
def run_chain(spider_path: str, settings: dict, items: Any, reports: Any, parent: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the crawl, which closes us in order
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # so does SIGTERM to the whole process group
    # Die with the crawl (Linux): a read blocked on half an item would never see getppid change.
    ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        os._exit(1)
    settings = Settings(settings)
    logging.basicConfig(level=settings.get("LOG_LEVEL", "DEBUG"), format=settings.get("LOG_FORMAT"))
    crawler = Crawler(load_object(spider_path), settings)
    crawler.stats = MemoryStatsCollector(crawler)
    # Errors count as Scrapy counts them in one process (log_count/ERROR): the crawl's exit status
    # and an import's failure read them from the reports.
    logging.root.addHandler(LogCounterHandler(crawler, level=logging.ERROR))
    # As Scrapy orders ITEM_PIPELINES: by priority, None entries (disabled) left out.
    paths = build_component_list(settings.getdict("ARCHIVE_WORKER_PIPELINES"))
    chain = [build_from_crawler(load_object(path), crawler) for path in paths]
    for pipeline in chain:
        if hasattr(pipeline, "open_spider"):
            pipeline.open_spider()
    last, sent = time.monotonic(), {}
    while True:
        try:
            item = items.get(timeout=POLL)
        except queue.Empty:
            item = ...
            for pipeline in chain:  # idle: commit what is due, so the write lock is not held
                if hasattr(pipeline, "flush"):
                    pipeline.flush()
        if os.getppid() != parent:
            os._exit(1)  # the crawl was killed: leave the open batch uncommitted, as it would have
        if item is None:
            break
        if item is not ...:
            _process(crawler, chain, item)
        if time.monotonic() - last >= STATS_EVERY:
            last = time.monotonic()
            if crawler.stats.get_stats() != sent:  # an idle crawl reads no reports: send no news
                sent = crawler.stats.get_stats().copy()
                reports.put(("stats", sent))
    for pipeline in chain:
        if hasattr(pipeline, "close_spider"):
            pipeline.close_spider()
    reports.put(("done", crawler.stats.get_stats()))


def _process(crawler: Crawler, chain: list, item: Any) -> None:
    """One item through the chain, as Scrapy's item pipeline manager runs it."""
    try:
        for pipeline in chain:
            item = pipeline.process_item(item)
    except DropItem as exc:
        logger.log(logging.WARNING, "Dropped: %s", exc)
        crawler.signals.send_catch_log(signals.item_dropped, item=item, response=None, exception=exc, spider=None)
    except Exception:
        logger.exception("Error processing %r", getattr(item, "url", item))
