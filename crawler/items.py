"""Items the spiders yield. Field order is column order in the archive.

Spiders fill the "as printed" fields and the context; pipelines fill the rest.
Every item is a dataclass so pipelines can be tested without Scrapy running.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class PressRelease:
    """One capture of one announcement, as the page prints it."""

    # context stamped by the spider (ReleaseSpider.new_release)
    source: str = ""  # spider name, e.g. "us_ice"
    agency: str = ""
    issuer_fips: str | None = None  # issuing jurisdiction (FIPS), when a source declares one
    issuer_name: str | None = None
    timezone: str = "America/New_York"
    date_order: str = "MDY"  # how the source writes numeric dates
    url: str = ""  # the URL the page was captured at (original URL, not a replay URL)
    content_type: str = "text/html"
    # as printed (spider)
    title: str = ""
    subtitle: str | None = None
    date_raw: str | None = None  # the page's own printed date string
    dateline: str | None = None  # e.g. "PALM BEACH, Fla." or "March 12, 2019 (SAINT PAUL)"
    body_text: str = ""
    language: str | None = None
    # raw date strings found in the page: [{"kind": "meta:article:published_time", "raw": "..."}]
    date_strings: list[dict[str, Any]] = field(default_factory=list)
    # the list page row that linked here: {"list_url", "date_raw", "title", "place"}
    listing: dict[str, Any] | None = None
    # provenance: {"archive", "timestamp" (14 digits), "original_url", "status", "mime",
    #              "warc_file", "warc_offset", "warc_length", "digest", "record_id"}
    capture: dict[str, Any] = field(default_factory=dict)
    # filled by pipelines
    release_id: str | None = None
    capture_id: str | None = None
    content_hash: str | None = None
    published: str | None = None  # ISO date, or "YYYY-MM" / "YYYY" per precision
    published_precision: str | None = None  # day | month | year
    date_source: str | None = None
    modified: str | None = None
    date_conflict: bool = False
    date_candidates: list[dict[str, Any]] = field(default_factory=list)
    year: int | None = None
    month: str | None = None  # "YYYY-MM"
    fiscal_year: int | None = None
    jurisdictions: list[dict[str, Any]] = field(default_factory=list)
    agencies: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ListingEntry:
    """A row of a list page: evidence that a release existed and when it was listed."""

    source: str
    list_url: str
    url: str
    title: str | None = None
    date_raw: str | None = None
    place: str | None = None
    capture: dict[str, Any] = field(default_factory=dict)


@dataclass
class CaptureRecord:
    """A capture that yields no release (404, redirect, list page): kept for provenance."""

    source: str
    url: str
    kind: str  # "list" | "redirect" | "not_found" | "http_error" | "other"
    location: str | None = None
    capture: dict[str, Any] = field(default_factory=dict)


@dataclass
class ErrorRecord:
    """A page that failed: it becomes a row in `errors`, and the crawl goes on."""

    source: str
    url: str
    stage: str  # "download" | "extract" | "validate" | "warc" | ...
    reason: str
    capture: dict[str, Any] = field(default_factory=dict)
