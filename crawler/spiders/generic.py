"""GenericSpider: any page of a site we have no source for (WARC import, ad-hoc crawls).

Site selectors are unknown, so the main text comes from trafilatura and the title from the
page's own metadata.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import urlsplit

import trafilatura

from crawler.extract import ExtractionError, clean_text, optional_text, split_dateline, text_of
from crawler.spiders.platforms.newsroom import NewsroomSpider

_XML_UNSAFE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|&#(?:0*(?:[0-8]|1[124-9]|2\d|3[01]|6553[45])|x0*(?:[0-8bcef]|1[0-9a-f]|fff[ef]));",
    re.I,
)
# trafilatura logs a broken page at ERROR; the page becomes an error row, and an import must
# not count it as a failed run
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
_NOT_PAGES = re.compile(r"\.(css|js|jpe?g|png|gif|svg|ico|zip|docx?|xlsx?|mp[34])(\?|$)", re.I)


class GenericSpider(NewsroomSpider):
    name = "generic"
    platform = "generic (trafilatura)"
    agency = "(unknown)"
    timezone = "UTC"
    allowed_domains: ClassVar[list[str]] = []  # any site: no offsite filtering
    any_domain = True
    start_urls = ["http://localhost/"]
    release_urls = [r"."]
    list_callbacks = {"parse_site_list"}

    def __init__(self, *args, follow: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.follow_pattern = re.compile(follow) if follow else None

    @classmethod
    def handles(cls, url: str) -> bool:
        return True

    def callback_for(self, url: str) -> str | None:
        # An ad-hoc crawl starts from a newsroom's list page; everything else is a page to read.
        if not self.offline_sweep and url in self.start_urls:
            return "parse_site_list"
        return super().callback_for(url)

    def parse_site_list(self, response) -> Iterator[Any]:
        """Follow the list page's links on the same host (those matching --follow, if given)."""
        host = urlsplit(response.url).netloc
        for link in response.css("a[href]"):
            url = response.urljoin(link.attrib["href"]).split("#", 1)[0]
            if urlsplit(url).netloc != host or url in self.start_urls or _NOT_PAGES.search(url):
                continue
            if self.follow_pattern is not None and not self.follow_pattern.search(url):
                continue
            yield from self.follow_release(response, url, {"title": text_of(link) or None})

    def parse_release(self, response) -> Iterator[Any]:
        url = self.page_url(response)
        if not hasattr(response, "text"):
            yield self.error(response, "extract", f"not a text page ({response.headers.get('Content-Type')})")
            return
        # XML-incompatible characters (controls, U+FFFE/U+FFFF, as such or as character
        # references) make trafilatura discard the whole page
        text = _XML_UNSAFE.sub("", response.text)
        body = trafilatura.extract(text, url=url, include_comments=False, favor_precision=True)
        body_text = clean_text(body)
        if not body_text:
            raise ExtractionError("main text", "trafilatura", url)
        title = optional_text(response, ["meta[property='og:title']::attr(content)", "h1", "title"])
        yield self.new_release(
            response,
            title=title or body_text.splitlines()[0][:200],
            date_raw=None,
            dateline=split_dateline(body_text),
            body_text=body_text,
        )
