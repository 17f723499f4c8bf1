"""Back off when an archive says so: 429/503 (and timeouts) slow the whole rate budget (the
download slot) down, honouring Retry-After, before the request is retried.

Scrapy's own RetryMiddleware retries 429/503 at once and ignores Retry-After; this subclass
keeps its retry bookkeeping and adds the wait.
"""

from __future__ import annotations

import logging
import time
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware

logger = logging.getLogger(__name__)

BACKOFF_STATUSES = {429, 503}


def retry_after_seconds(value: bytes | None, now_epoch: float | None = None) -> float | None:
    """Retry-After as seconds: either a number, or an HTTP date relative to `now_epoch`."""
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text).timestamp()
    except (TypeError, ValueError):
        return None
    return max(0.0, when - now_epoch) if now_epoch is not None else None


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings, crawler=None):
        super().__init__(settings)
        self.crawler = crawler
        self.base = settings.getfloat("ARCHIVE_BACKOFF_BASE", 5.0)
        self.maximum = settings.getfloat("ARCHIVE_BACKOFF_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.settings, crawler)

    def process_response(self, request, response):
        if response.status in BACKOFF_STATUSES and not request.meta.get("dont_retry"):
            wait = retry_after_seconds(response.headers.get("Retry-After"), time.time())
            self._slow_down(request, wait)
            reason = f"HTTP {response.status}"
            return self._retry(request, reason) or response
        if response.status < 400:
            self._recover(request)
        return super().process_response(request, response)

    def process_exception(self, request, exception):
        if isinstance(exception, self.exceptions_to_retry):
            self._slow_down(request, None)
        return super().process_exception(request, exception)

    def _slot_key(self, request) -> str:
        return request.meta.get("download_slot") or self.crawler.engine.downloader.get_slot_key(request)

    def _slot(self, request):
        return self.crawler.engine.downloader.slots.get(self._slot_key(request))

    def _slow_down(self, request, wait: float | None) -> None:
        slot = self._slot(request)
        if slot is None:
            return
        retries = request.meta.get("retry_times", 0)
        delay = wait if wait is not None else self.base * (2**retries)
        # The slot's jitter may shorten a delay by up to that fraction: never below the wait.
        delay /= max(0.01, 1 - min(slot.jitter, 0.99))
        slot.delay = min(self.maximum, max(slot.delay, delay))
        self.crawler.stats.inc_value("archive/backoff")
        logger.warning("backing off %s: next request in %.1fs", request.url, slot.delay)

    def _recover(self, request) -> None:
        slot = self._slot(request)
        if slot is None:
            return
        settings = self.crawler.settings
        configured = settings.getdict("DOWNLOAD_SLOTS").get(self._slot_key(request), {}).get("delay")
        configured = settings.getfloat("DOWNLOAD_DELAY") if configured is None else configured
        if slot.delay > configured:
            slot.delay = max(configured, slot.delay / 2)


class RedirectLoop(Exception):
    """A redirect back to a URL of its own chain: an error row, not a silent drop."""


class LoopAwareRedirectMiddleware(RedirectMiddleware):
    """Scrapy's redirects, except that a loop (a -> b -> a, or a -> a) fails with its chain
    instead of the dupefilter dropping the repeated URL without a trace."""

    def process_response(self, request, response):
        """A followed redirect's 3xx is a capture of the old URL (it is in the WARC, its provenance
        in meta["capture"], see crawler/warc_writer.py): it rides along to the page the redirect
        leads to, which records it. If that page is already fetched or queued, the 3xx goes to the
        spider instead (recorded the same way) rather than being lost to the duplicate filter."""
        followed = super().process_response(request, response)
        if not isinstance(followed, Request):
            return followed
        # Decided by the request as the spider made it: a followed request is dont_filter only
        # because it was marked seen here, which must not exempt its own redirect from the check.
        dont_filter = request.meta.get("original_dont_filter", request.dont_filter)
        followed.meta["original_dont_filter"] = dont_filter
        seen = getattr(self.crawler.engine.scheduler, "df", None)
        if seen is not None and not dont_filter:
            if seen.request_seen(followed):
                request.meta["handle_httpstatus_list"] = [
                    *request.meta.get("handle_httpstatus_list", ()),
                    response.status,
                ]
                return response
            followed.dont_filter = True  # marked seen just now: the scheduler must not drop it
        if request.meta.get("capture"):
            followed.meta["redirect_captures"] = [*request.meta.get("redirect_captures", []), request.meta["capture"]]
        return followed

    def _redirect(self, redirected, request, reason):
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise RedirectLoop(f"redirect loop: {' -> '.join([*chain, redirected.url])}")
        return super()._redirect(redirected, request, reason)
