"""ReleaseSpider: the base of every source.

It validates source metadata when the class is created (a missing attribute fails
`scrapy list` and test collection), stamps context on items, and routes every response —
live, replayed from a WARC, or fetched from a web archive — to the callback for its URL.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import DownloadCancelledError
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from w3lib.url import canonicalize_url

from archive.readonly import connect_read_only
from crawler.date_strings import collect_date_strings
from crawler.extract import ExtractionError
from crawler.incremental import AlreadyArchived
from crawler.items import CaptureRecord, ErrorRecord, ListingEntry, PressRelease
from crawler.replay import NotReplayed
from crawler.spiders.platforms.wayback import ArchiveSweep

logger = logging.getLogger(__name__)

REQUIRED_METADATA = ("name", "agency", "timezone", "start_urls", "allowed_domains")
_NAME = re.compile(r"^[a-z]{2}(_[a-z0-9]+)+$|^generic$")
# Statuses a callback must see (to record them) rather than have Scrapy drop them.
_SEEN_STATUSES = [400, 401, 403, 404, 410, 451, 500, 502, 503, 504]


# A multi-byte UTF-8 sequence: a page with some is UTF-8 with a few bad bytes, not cp1252.
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")


def honest_encoding(response):
    """A page that declares UTF-8 (header or <meta>) but is not UTF-8 and has not one UTF-8
    sequence is cp1252, as old .gov pages are; decoding it as UTF-8 would turn every accented
    letter and curly quote into U+FFFD for good."""
    if not isinstance(response, TextResponse) or response.encoding.replace("-", "").lower() != "utf8":
        return response
    try:
        response.body.decode("utf-8")
    except UnicodeDecodeError:
        if not _UTF8_SEQUENCE.search(response.body):
            return response.replace(encoding="cp1252")
    return response


class SourceMetadataError(TypeError):
    pass


def canonical(url: str) -> str:
    """The key under which captures of one URL meet: scheme-less, canonical query order."""
    return canonicalize_url(url, keep_fragments=False).split("://", 1)[-1].lower()


class ReleaseSpider(ArchiveSweep, scrapy.Spider):
    """Subclasses (platforms) define `routes`: (URL regex, callback name) pairs."""

    platform: ClassVar[str] = ""
    agency: ClassVar[str] = ""
    timezone: ClassVar[str] = ""
    date_order: ClassVar[str] = "MDY"
    issuer_fips: ClassVar[str | None] = None
    issuer_name: ClassVar[str | None] = None
    routes: ClassVar[list[tuple[str, str]]] = []
    any_domain: ClassVar[bool] = False  # only the generic spider: pages of any site
    list_callbacks: ClassVar[set[str]] = set()  # callbacks of list pages (read first in sweeps)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            return  # a platform class, not a source
        required = [a for a in REQUIRED_METADATA if not (a == "allowed_domains" and cls.any_domain)]
        missing = [attr for attr in required if not getattr(cls, attr, None)]
        if missing:
            raise SourceMetadataError(f"spider {cls.__name__} lacks source metadata: {', '.join(missing)}")
        if not _NAME.match(cls.name):
            raise SourceMetadataError(f"spider name {cls.name!r} is not <country>_<state>[_<place>]_<agency>")
        if cls.date_order not in ("MDY", "DMY", "YMD"):
            raise SourceMetadataError(f"spider {cls.name}: date_order must be MDY, DMY or YMD")
        cls._compiled_routes = [(re.compile(pattern), callback) for pattern, callback in cls.routes]

    def __init__(self, *args, replay: list[dict[str, Any]] | None = None, **kwargs):
        self.init_archive_sweep(kwargs)
        super().__init__(*args, **kwargs)
        self.replay = replay
        self.listings: dict[str, dict[str, Any]] = {}
        self._archived_listings: dict[str, dict[str, Any]] | None = None
        self._pending = 0

    @classmethod
    def handles(cls, url: str) -> bool:
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0].lower()
        return any(host == d or host.endswith("." + d) for d in cls.allowed_domains)

    def callback_for(self, url: str) -> str | None:
        for pattern, callback in self._compiled_routes:
            if pattern.search(url):
                return callback
        return None

    # -- requests -------------------------------------------------------------------------
    async def start(self):
        if self.replay is None and self.archive is None:
            for url in self.start_urls:
                yield self.request(url)
            return
        if self.archive is not None:
            for request in self.cdx_requests():
                yield self.counted(request)
            await self.drain()
            captures = self.swept_captures()
            for record in self.revisit_records():
                yield record
        else:
            captures = self.replay
        # List pages first, so releases can carry the list row that linked them.
        is_list = [self.callback_for(c["original_url"]) in self.list_callbacks for c in captures]
        for capture, listed in zip(captures, is_list, strict=True):
            if listed:
                yield self.counted(self.capture_request(capture))
        await self.drain()
        for capture, listed in zip(captures, is_list, strict=True):
            if not listed:
                yield self.capture_request(capture)

    def counted(self, request: scrapy.Request) -> scrapy.Request:
        """A request the start sequence waits for before moving on."""
        self._pending += 1
        request.meta["counted"] = True
        return request

    def done(self, request) -> None:
        if request.meta.pop("counted", False):
            self._pending -= 1

    async def drain(self) -> None:
        while self._pending > 0:
            await asyncio.sleep(0.005)

    def request(self, url: str, **meta) -> scrapy.Request:
        meta.setdefault("handle_httpstatus_list", _SEEN_STATUSES)
        return scrapy.Request(url, callback=self.route, errback=self.download_failed, meta=meta)

    def capture_request(self, capture: dict[str, Any]) -> scrapy.Request:
        """One archived capture: from a WARC being imported, or fetched raw from a web archive."""
        meta = {"handle_httpstatus_all": True, "dont_redirect": True, "dont_obey_robotstxt": True}
        if self.replay is not None:
            meta["replay"] = capture
            meta["dont_retry"] = True  # a record says the same thing every time
        else:
            meta.update(self.archive_meta(capture))
        return scrapy.Request(
            capture["url"], callback=self.route, errback=self.download_failed, meta=meta, dont_filter=True
        )

    @property
    def offline_sweep(self) -> bool:
        """Replaying a WARC or sweeping an archive: captures are enumerated, links not followed."""
        return self.replay is not None or self.archive is not None

    def follow_release(self, response, url: str, listing: dict[str, Any]) -> Iterator[Any]:
        """A list row: remember it, record it, and (live) fetch the page it links to."""
        absolute = response.urljoin(url)
        if not absolute.startswith(("http://", "https://")):
            return  # mailto:, javascript: and the like are not pages
        limit = self.settings.getint("URLLENGTH_LIMIT") if hasattr(self, "settings") else 0
        if limit and len(absolute) > limit and not self.offline_sweep:
            # Scrapy's UrlLengthMiddleware would drop the request without a trace
            reason = f"URL length {len(absolute)} is over URLLENGTH_LIMIT ({limit})"
            yield ErrorRecord(self.name, absolute, "download", reason)
            return
        entry = ListingEntry(
            source=self.name,
            list_url=self.page_url(response),
            url=absolute,
            capture=self.capture_of(response),
            **listing,
        )
        self.listings.setdefault(canonical(absolute), {"list_url": entry.list_url, **listing})
        yield entry
        if not self.offline_sweep:
            yield self.request(absolute, listing={"list_url": entry.list_url, **listing}, skip_if_fetched_this_job=True)

    def archived_listing(self, url: str) -> dict[str, Any] | None:
        """The list row an earlier run archived for `url`. A later sweep skips the list pages it
        already has, so their rows would not reach the releases it fetches new (and a WARC may
        hold the releases without their list pages): their date and place are evidence still."""
        if self._archived_listings is None:
            self._archived_listings = self._load_archived_listings()
        return self._archived_listings.get(canonical(url))

    def _load_archived_listings(self) -> dict[str, dict[str, Any]]:
        settings = getattr(self, "settings", None)  # absent when `pressarchive extract` calls us directly
        path = Path(settings.get("ARCHIVE_DB", "archive.db")) if settings is not None else None
        if path is None or not path.exists():
            return {}
        rows: dict[str, dict[str, Any]] = {}
        try:
            with closing(connect_read_only(path)) as db:
                query = "SELECT url, list_url, title, date_raw, place FROM listings WHERE source = ? ORDER BY rowid"
                for url, list_url, title, date_raw, place in db.execute(query, [self.name]):
                    row = {"list_url": list_url, "title": title, "date_raw": date_raw, "place": place}
                    rows.setdefault(canonical(url), {k: v for k, v in row.items() if v is not None})
        except sqlite3.OperationalError:  # an archive without the table yet
            return {}
        return rows

    def follow(self, response, url: str) -> Iterator[scrapy.Request]:
        absolute = response.urljoin(url)
        if not self.offline_sweep and absolute.startswith(("http://", "https://")):
            yield self.request(absolute)

    # -- responses ------------------------------------------------------------------------
    def route(self, response) -> Iterator[Any]:
        response = honest_encoding(response)
        callback = self.callback_for(self.page_url(response))
        crawler = getattr(self, "crawler", None)  # absent when `pressarchive extract` calls us directly
        if crawler is not None and response.meta.get("replay") is None:
            crawler.stats.inc_value("pages/fetched")
        yield from self.redirect_hops(response.meta)  # any order will do: see crawler/incremental.py
        try:
            yield from self._route(response, callback)
        except ExtractionError as exc:
            logger.warning("extract failed: %s", exc)
            yield self.error(response, "extract", str(exc))
        except Exception as exc:  # a bug, not a bad page: loud, but the crawl goes on
            logger.exception("unexpected failure on %s", response.url)
            yield self.error(response, "extract", f"{type(exc).__name__}: {exc}")
        finally:
            self.done(response.request)

    def _route(self, response, callback: str | None) -> Iterable[Any]:
        capture = self.capture_of(response)
        if 300 <= response.status < 400:
            location = response.headers.get("Location", b"").decode("latin-1") or None
            return [CaptureRecord(self.name, self.page_url(response), "redirect", location, capture)]
        if response.status >= 400:
            return [self.error(response, "http", f"HTTP {response.status} at {response.url}")]
        if callback is None:
            return [CaptureRecord(self.name, self.page_url(response), "other", None, capture)]
        return getattr(self, callback)(response) or []

    def redirect_hops(self, meta: dict[str, Any]) -> Iterator[CaptureRecord]:
        """The live redirects followed to this request: each 3xx is a capture of its old URL."""
        for hop in meta.get("redirect_captures", []):
            yield CaptureRecord(self.name, hop.get("original_url") or hop["url"], "redirect", hop.get("location"), hop)

    def download_failed(self, failure) -> Iterator[Any]:
        request = failure.request
        self.done(request)
        # The 3xx that led here are in the WARC whatever became of this request: archived captures.
        yield from self.redirect_hops(request.meta)
        if failure.check(AlreadyArchived, NotReplayed):
            return  # skipped on purpose (already archived, or not part of a replay): not a failure
        capture = request.meta.get("replay") or request.meta.get("archive_capture") or {}
        yield ErrorRecord(
            self.name,
            capture.get("original_url") or request.url,
            "download",
            self.failure_reason(failure),
            capture,
        )

    def failure_reason(self, failure) -> str:
        if failure.check(HttpError):  # a status no callback expects (Scrapy's HttpErrorMiddleware)
            return f"HTTP {failure.value.response.status} at {failure.value.response.url}"
        message = failure.getErrorMessage()
        if failure.check(DownloadCancelledError) and not message:
            # Scrapy cancels a body that passes DOWNLOAD_MAXSIZE while arriving with no message
            maxsize = failure.request.meta.get("download_maxsize", self.settings.getint("DOWNLOAD_MAXSIZE"))
            message = f"the body grew past DOWNLOAD_MAXSIZE ({maxsize} bytes)"
        return f"{failure.type.__name__}: {message}"

    def capture_of(self, response) -> dict[str, Any]:
        return dict(response.meta.get("capture") or {})

    def page_url(self, response) -> str:
        """The original URL of the page (never an archive's replay URL)."""
        return self.capture_of(response).get("original_url") or response.url

    def error(self, response, stage: str, reason: str) -> ErrorRecord:
        return ErrorRecord(self.name, self.page_url(response), stage, reason, self.capture_of(response))

    def new_release(self, response, **fields) -> PressRelease:
        url = self.page_url(response)
        is_html = isinstance(response, scrapy.http.HtmlResponse)
        language = response.xpath("/html/@lang").get() if is_html else None
        content_type = (response.headers.get("Content-Type") or b"text/html").decode("latin-1")
        return PressRelease(
            source=self.name,
            agency=self.agency,
            issuer_fips=self.issuer_fips,
            issuer_name=self.issuer_name,
            timezone=self.timezone,
            date_order=self.date_order,
            url=url,
            content_type=content_type.split(";")[0].strip().lower(),
            language=(language or "").split("-")[0].lower() or None,
            date_strings=collect_date_strings(response.selector) if is_html else [],
            listing=response.meta.get("listing") or self.listings.get(canonical(url)) or self.archived_listing(url),
            capture=self.capture_of(response),
            **fields,
        )
