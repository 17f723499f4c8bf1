"""One page through the spider callbacks and the pipelines, without a crawl: what
`pressarchive extract` shows, and what benchmarks and tests use to look at a page."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes
from scrapy.utils.misc import build_from_crawler, load_object

from crawler.items import ErrorRecord, ListingEntry, PressRelease
from crawler.registry import project_settings, spider_for_url

# Everything but storage: extract shows what would be stored.
_SKIP = {"pipelines.store.StorePipeline"}


class PageExtractor:
    """Reusable across pages: spiders and pipelines are built once per source."""

    def __init__(self):
        self.settings = project_settings()
        self._chains: dict[str, tuple[Any, list[Any]]] = {}

    def _chain(self, spidercls) -> tuple[Any, list[Any]]:
        if spidercls.name not in self._chains:
            crawler = Crawler(spidercls, self.settings)
            order = sorted(self.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
            pipelines = [build_from_crawler(load_object(path), crawler) for path, _ in order if path not in _SKIP]
            self._chains[spidercls.name] = (spidercls(), pipelines)
        return self._chains[spidercls.name]

    def extract(self, body: bytes, url: str, headers: dict | None = None, capture: dict | None = None) -> list[Any]:
        spidercls = spider_for_url(url)
        spider, pipelines = self._chain(spidercls)
        meta = {"capture": capture} if capture else {}
        request = Request(url, meta=meta)
        scrapy_headers = Headers(headers or {})
        cls = responsetypes.from_args(headers=scrapy_headers, url=url, body=body)
        response = cls(url=url, body=body, headers=scrapy_headers, request=request)
        results = []
        for item in spider.route(response):
            if isinstance(item, PressRelease):
                try:
                    for pipeline in pipelines:
                        item = pipeline.process_item(item)
                except DropItem as exc:
                    item = ErrorRecord(item.source, item.url, "validate", str(exc), item.capture)
            if isinstance(item, (PressRelease, ErrorRecord, ListingEntry)):
                results.append(item)
        return results


def as_json(item: Any) -> dict[str, Any]:
    data = asdict(item)
    if isinstance(item, ErrorRecord):
        return {"url": item.url, "error": item.reason, "stage": item.stage}
    if isinstance(item, ListingEntry):
        return {"listing": {k: data[k] for k in ("list_url", "url", "title", "date_raw", "place")}}
    data.pop("date_strings", None)
    return data


def page_json(url: str, items: list[Any]) -> dict[str, Any]:
    """One object per page: the release (or the error), with the list rows the page carries."""
    listings = [as_json(item)["listing"] for item in items if isinstance(item, ListingEntry)]
    releases = [as_json(item) for item in items if isinstance(item, PressRelease)]
    errors = [as_json(item) for item in items if isinstance(item, ErrorRecord)]
    if releases:
        return {**releases[0], "listings": listings}
    if errors:
        return {**errors[0], "listings": listings}
    return {"url": url, "error": "no release on this page", "listings": listings}
