"""NewsroomSpider: list pages of dated rows → release pages, for agency newsrooms.

A source sets URL patterns and CSS selectors (each a list of alternatives, first match wins,
so one spider can serve several eras of a site's design). Required selectors raise,
naming the selector and URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from crawler.extract import (
    ExtractionError,
    date_line,
    first,
    optional_text,
    required_text,
    select,
    split_dateline,
    text_of,
)
from crawler.pdf import pdf_text
from crawler.spiders.base import ReleaseSpider


class NewsroomSpider(ReleaseSpider):
    platform = "newsroom"
    # URL patterns (regex, searched in the URL)
    list_urls: ClassVar[list[str]] = []
    release_urls: ClassVar[list[str]] = []
    document_urls: ClassVar[list[str]] = [r"\.pdf($|\?)"]
    # list pages
    list_row: ClassVar[list[str]] = []
    # rows of dated headlines that some release pages (fact sheets) carry
    release_list_row: ClassVar[list[str]] = []
    row_date: ClassVar[list[str]] = []
    row_link: ClassVar[list[str]] = ["a"]
    row_place: ClassVar[list[str]] = []
    next_page: ClassVar[list[str]] = []
    # release pages
    title: ClassVar[list[str]] = ["h1"]
    subtitle: ClassVar[list[str]] = []
    date: ClassVar[list[str]] = []
    dateline: ClassVar[list[str]] = []
    body: ClassVar[list[str]] = []
    list_callbacks = {"parse_list"}

    def __init_subclass__(cls, **kwargs):
        if "name" in cls.__dict__:
            cls.routes = [
                *[(p, "parse_document") for p in cls.document_urls],
                *[(p, "parse_list") for p in cls.list_urls],
                *[(p, "parse_release") for p in cls.release_urls],
            ]
        super().__init_subclass__(**kwargs)

    def parse_list(self, response) -> Iterator[Any]:
        yield from self.list_rows(response)
        for selector in self.next_page:
            for href in select(response.selector, selector + "::attr(href)").getall():
                yield from self.follow(response, href)

    def list_rows(self, response, row_selectors: list[str] | None = None) -> Iterator[Any]:
        for row_selector in self.list_row if row_selectors is None else row_selectors:
            for row in select(response.selector, row_selector):
                link = row.css(self.row_link[0]) if self.row_link else None
                href = link.attrib.get("href") if link else None
                if not href:
                    continue
                listing = {
                    "title": text_of(link[:1]) or None,
                    "date_raw": optional_text(row, self.row_date) if self.row_date else None,
                    "place": optional_text(row, self.row_place) if self.row_place else None,
                }
                yield from self.follow_release(response, href, listing)

    def parse_release(self, response) -> Iterator[Any]:
        url = self.page_url(response)
        title = required_text(response, self.title, "title", url)
        body_nodes, query = first(response.selector, self.body)
        body_text = text_of(body_nodes)
        if not body_text:
            raise ExtractionError("body", query, url)
        dateline = optional_text(response, self.dateline) if self.dateline else None
        yield self.new_release(
            response,
            title=title,
            subtitle=optional_text(response, self.subtitle) if self.subtitle else None,
            date_raw=optional_text(response, self.date) if self.date else None,
            dateline=dateline or split_dateline(body_text),
            body_text=body_text,
        )
        # Some release pages (fact sheets) carry their own list of dated headlines.
        yield from self.list_rows(response, self.release_list_row)

    def parse_document(self, response) -> Iterator[Any]:
        """A PDF: text from its pages; title from the list row that linked it, else line one."""
        text = pdf_text(response.body, self.page_url(response))
        release = self.new_release(response, body_text=text)
        first_line = text.strip().splitlines()[0] if text.strip() else ""
        release.title = (release.listing or {}).get("title") or first_line
        release.dateline = split_dateline(text)
        release.date_raw = date_line(text)
        yield release
