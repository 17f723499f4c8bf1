"""GenericSpider: any page of a site we have no source for (WARC import, ad-hoc crawls).

Site selectors are unknown, so the main text comes from trafilatura and the title from the
page's own metadata.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import trafilatura

from crawler.extract import ExtractionError, clean_text, optional_text, split_dateline
from crawler.spiders.platforms.newsroom import NewsroomSpider


class GenericSpider(NewsroomSpider):
    name = "generic"
    platform = "generic (trafilatura)"
    agency = "(unknown)"
    timezone = "UTC"
    allowed_domains = ["*"]
    start_urls = ["http://localhost/"]
    release_urls = [r"."]

    @classmethod
    def handles(cls, url: str) -> bool:
        return True

    def parse_release(self, response) -> Iterator[Any]:
        url = self.page_url(response)
        if not hasattr(response, "text"):
            yield self.error(response, "extract", f"not a text page ({response.headers.get('Content-Type')})")
            return
        body = trafilatura.extract(response.text, url=url, include_comments=False, favor_precision=True)
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
