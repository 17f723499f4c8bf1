"""Dates a historian can trust: parsing table, URL forms, the choice rule, the pipeline."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from crawler.items import PressRelease
from pipelines.dates import (
    DatesPipeline,
    ParsedDate,
    choose,
    collect_candidates,
    date_from_url,
    fiscal_year,
    parse_date_string,
)

THURSDAY = datetime(2010, 4, 29, 15, 0)  # a capture time, local to the source
R = {"relative_base": THURSDAY}
DMY = {"order": "DMY"}


def p(raw, expected, id, **kwargs):
    return pytest.param(raw, kwargs, expected, id=id)


PARSE_CASES = [
    # the hard ones from the issue
    p("March 12, 2019 (SAINT PAUL)", "2019-03-12", "dateline-month-name-place"),
    p("4/26/2010 Palm Beach, FL", "2010-04-26", "dateline-numeric-place"),
    p("3/9/2009 | headline", "2009-03-09", "listing-row"),
    p("Last Modified: Tuesday, April 27, 2010", "2010-04-27", "label-last-modified"),
    p("July 12, 2019 Press Release", "2019-07-12", "title"),
    p("10 de agosto de 2010", "2010-08-10", "es-agosto"),
    p("16 de marzo de 2010", "2010-03-16", "es-marzo"),
    p("martes, 16 de marzo de 2010", "2010-03-16", "es-weekday"),
    p("Fecha: 3 de septiembre del 2009", "2009-09-03", "es-label-del"),
    p("Tuesday, August 10, 2010", "2010-08-10", "weekday-prefix"),
    p("Posted on: August 11, 2010", "2010-08-11", "label-posted-on"),
    p("Release Date: April 26, 2010", "2010-04-26", "label-release-date"),
    p("Updated: 04/27/2010 10:15 AM", "2010-04-27", "label-updated-numeric"),
    p("MARCH 12, 2019 (SAINT PAUL)", "2019-03-12", "upper-case"),
    p("March 12,2019", "2019-03-12", "no-space-after-comma"),
    p("October12, 2019 Press Release", "2019-10-12", "no-space-after-month"),
    p("June\xa028,\xa02022 (SAINT PAUL)", "2022-06-28", "nbsp"),
    p("JuneÂ\xa028, 2022", "2022-06-28", "nbsp-mojibake"),
    p("Sept. 5, 2010", "2010-09-05", "abbrev-sept"),
    p("Jan. 8, 2020", "2020-01-08", "abbrev-jan"),
    p("Dec 31 2009", "2009-12-31", "abbrev-no-comma"),
    p("March 1st, 2010", "2010-03-01", "ordinal"),
    p("12 March 2010", "2010-03-12", "day-month-year-en"),
    p("16th of March, 2010", "2010-03-16", "day-of-month"),
    p("16-Oct-18", "2018-10-16", "d-mon-yy"),
    p("2010-04-26", "2010-04-26", "iso"),
    p("2010/04/26", "2010-04-26", "iso-slashes"),
    p("2019-03-13T03:30:00Z", "2019-03-12", "utc-to-chicago", tz="America/Chicago"),
    p("2019-03-12T23:30:00-05:00", "2019-03-12", "offset-same-day", tz="America/Chicago"),
    p("2019-03-13T03:30:00Z", "2019-03-13", "utc-no-zone-given"),
    p("20100426", "2010-04-26", "compact-whole"),
    # ambiguous day/month: the source's order decides, nothing is flipped
    p("4/5/2010", "2010-04-05", "ambiguous-mdy"),
    p("4/5/2010", "2010-05-04", "ambiguous-dmy", **DMY),
    p("13/03/2010", None, "invalid-in-mdy-not-flipped"),
    p("13/03/2010", "2010-03-13", "valid-in-dmy", **DMY),
    p("4.5.2010", "2010-05-04", "dotted-dmy", **DMY),
    # two-digit years
    p("4/26/10", "2010-04-26", "two-digit-year"),
    p("6/3/87", "1987-06-03", "two-digit-year-1900s"),
    p("4/26/10", "2010-04-26", "two-digit-year-with-base", **R),
    p("12/31/11", "1911-12-31", "two-digit-year-after-base-goes-back", **R),
    # before 1995
    p("June 3, 1987", "1987-06-03", "1987"),
    p("January 15, 1994", "1994-01-15", "1994"),
    p("July 4, 1776", "1776-07-04", "1776"),
    # missing parts stay missing
    p("March 2010", "2010-03", "month-precision"),
    p("marzo de 2010", "2010-03", "month-precision-es"),
    p("2010-04", "2010-04", "iso-month"),
    p("2010", "2010", "bare-year-is-year-precision"),
    p("April 27", None, "yearless-no-context"),
    p("April 27", "2010-04-27", "yearless-year-from-capture", **R),
    p("April 27", "2009-04-27", "yearless-year-from-page", year_hint=2009),
    p("December 28", "2010-12-28", "yearless-crosses-new-year", relative_base=datetime(2011, 1, 5)),
    p("August 27", None, "yearless-too-far-before-capture", **R),
    p("Tuesday, April 27", "2010-04-27", "yearless-weekday", **R),
    p("Apr. 26", "2010-04-26", "yearless-abbreviated-listing", **R),
    # relative dates: against the capture, never today
    p("on Tuesday", "2010-04-27", "on-weekday", **R),
    p("on Tuesday", None, "on-weekday-no-capture"),
    p("last week", "2010-04-22", "last-week", **R),
    p("last week", None, "last-week-no-capture"),
    p("two weeks ago", "2010-04-15", "two-weeks-ago", **R),
    p("two weeks ago", None, "two-weeks-ago-no-capture"),
    p("3 days ago", "2010-04-26", "days-ago", **R),
    p("yesterday", "2010-04-28", "yesterday", **R),
    p("ayer", "2010-04-28", "ayer", **R),
    p("hace 2 semanas", "2010-04-15", "hace-semanas", **R),
    p("el martes", "2010-04-27", "el-martes", **R),
    p("last month", "2010-03", "last-month-is-month-precision", **R),
    p("Posted: 3 days ago", "2010-04-26", "label-relative", **R),
    # impossible calendar dates
    p("Feb 30, 2010", None, "feb-30"),
    p("2/29/2010", None, "not-leap-year"),
    p("2/29/2008", "2008-02-29", "leap-year"),
    # garbage gives no date, never a wrong one
    p("Secure Communities", None, "garbage-program-name"),
    p("1-866-347-2423", None, "garbage-phone"),
    p("Call 651-296-3353", None, "garbage-local-phone"),
    p("Level 1 crimes", None, "garbage-level"),
    p("$1.4 billion", None, "garbage-money"),
    p("544 jurisdictions in 27 states", None, "garbage-counts"),
    p("Room 1004", None, "garbage-room"),
    p("PALM BEACH, Fla.", None, "garbage-place-dateline"),
    p("Executive Order 20-99, as modified by EO 20-103", None, "garbage-order-numbers"),
    p("the 2010 census", None, "garbage-year-in-prose"),
    p("Tuesday", None, "garbage-weekday-no-capture"),
    p("Section 3.1.10 of the rules", None, "garbage-section-number-mdy"),
    p("Posted in Policy 27 April", None, "garbage-yearless-in-prose", **R),
    p("", None, "empty"),
]


@pytest.mark.parametrize(("raw", "kwargs", "expected"), PARSE_CASES)
def test_parse_date_string(raw, kwargs, expected):
    got = parse_date_string(raw, **kwargs)
    assert (got.iso if got else None) == expected
    if got:
        assert got.precision == {10: "day", 7: "month", 4: "year"}[len(expected)]


URL_CASES = [
    pytest.param("https://www.ice.gov/pi/nr/1004/100426palmbeach.htm", "2010-04-26", id="yymm-yymmdd"),
    pytest.param("http://www.ice.gov/news/releases/1008/100810forsyth.htm", "2010-08-10", id="yymm-yymmdd-2"),
    pytest.param("https://x.gov/9912/991231report.htm", "1999-12-31", id="yymm-yymmdd-1990s"),
    pytest.param("https://x.gov/news/releases/1004/100526x.htm", None, id="yymmdd-folder-mismatch"),
    pytest.param("https://x.gov/news/100426palmbeach.htm", None, id="yymmdd-without-folder"),
    pytest.param("https://x.gov/2019/03/12/slug", "2019-03-12", id="yyyy-mm-dd-folders"),
    pytest.param(
        "https://www.ag.state.mn.us/Office/Communications/2019/03/12_Slug.asp", "2019-03-12", id="yyyy-mm-dd_slug"
    ),
    pytest.param("https://x.gov/news/2019-03-12-slug", "2019-03-12", id="iso-in-slug"),
    pytest.param("https://x.gov/news/pr20190312.htm", "2019-03-12", id="yyyymmdd-run"),
    pytest.param("https://x.gov/Office/Communications/2018/12/Report.pdf", "2018-12", id="yyyy-mm-month"),
    pytest.param("https://x.gov/2019/02/30/x", "2019-02", id="invalid-day-keeps-month"),
    pytest.param("https://x.gov/news/2010/item.htm", "2010", id="yyyy-year"),
    pytest.param("https://x.gov/news/item.htm?id=123456", None, id="numeric-id"),
    pytest.param("https://x.gov/news/item.htm?id=20191399", None, id="invalid-yyyymmdd"),
    pytest.param("", None, id="empty-url"),
]


@pytest.mark.parametrize(("url", "expected"), URL_CASES)
def test_date_from_url(url, expected):
    got = date_from_url(url)
    assert (got.iso if got else None) == expected


def test_table_is_large_enough():
    assert len(PARSE_CASES) + len(URL_CASES) >= 60


def release(**kwargs) -> PressRelease:
    base = {"source": "us_test", "url": "https://x.gov/news/item.htm", "timezone": "America/Chicago"}
    return PressRelease(**{**base, **kwargs})


def dated(item: PressRelease, first_capture: date | None = None):
    return choose(collect_candidates(item), first_capture)


def test_agreement_of_independent_sources_wins():
    # URL and title agree on the 4th; the dateline alone says the 3rd (a real MN AG page).
    item = release(
        url="https://x.gov/Office/Communications/2019/04/04_TaskForce.asp",
        dateline="April 3, 2019 (Saint Paul)",
        date_strings=[{"kind": "title", "raw": "April 4, 2019 Press Release"}],
    )
    choice = dated(item)
    assert choice.published.iso == "2019-04-04"
    assert choice.source == "url"
    assert not choice.conflict  # one day apart: common, not flagged


def test_strong_sources_a_year_apart_are_a_conflict():
    item = release(
        url="https://x.gov/Office/Communications/2021/03/08_Chauvin.asp",
        dateline="March 8, 2020 (SAINT PAUL)",
        date_strings=[{"kind": "title", "raw": "March 8, 2021 Press Release"}],
    )
    choice = dated(item)
    assert choice.published.iso == "2021-03-08"
    assert choice.conflict


def test_a_tie_between_strong_sources_is_a_conflict_and_the_dateline_wins():
    item = release(url="https://x.gov/2022/08/03_Slug.asp", dateline="August 4, 2022 (SAINT PAUL)")
    choice = dated(item)
    assert (choice.published.iso, choice.source, choice.conflict) == ("2022-08-04", "dateline", True)


def test_last_modified_is_modified_never_published():
    item = release(
        date_raw="Tuesday, April 20, 2010",
        date_strings=[{"kind": "label:last modified", "raw": "Last Modified: Tuesday, April 27, 2010"}],
    )
    choice = dated(item)
    assert choice.published.iso == "2010-04-20"
    assert choice.modified.iso == "2010-04-27"


def test_a_modified_label_in_the_page_date_is_not_published():
    choice = dated(release(date_raw="Last Modified: Tuesday, April 27, 2010"))
    assert choice.published is None
    assert choice.modified.iso == "2010-04-27"


def test_a_date_after_the_first_capture_is_rejected():
    item = release(url="https://x.gov/2010/04/20/slug", dateline="April 26, 2010 (PALM BEACH)")
    choice = dated(item, first_capture=date(2010, 4, 21))
    assert choice.published.iso == "2010-04-20"
    rejected = [c for c in choice.candidates if c.kind == "dateline"][0]
    assert not rejected.chosen and "after capture" in rejected.note


def test_only_impossible_dates_give_no_date():
    choice = dated(release(dateline="April 26, 2010 (PALM BEACH)"), first_capture=date(2010, 4, 1))
    assert choice.published is None


def test_coarse_precision_is_kept_and_vetoes_weak_contradictions():
    item = release(url="https://x.gov/2018/12/Report.pdf", body_text="Released January 5, 2019 by the office.")
    choice = dated(item)
    assert (choice.published.iso, choice.published.precision, choice.source) == ("2018-12", "month", "url")


def test_year_from_the_page_completes_a_yearless_date():
    item = release(url="https://x.gov/2010/04/27_x.asp", date_raw="Tuesday, April 27")
    page = [c for c in collect_candidates(item) if c.kind == "page"][0]
    assert (page.value.iso, page.note) == ("2010-04-27", "year from page")


def test_a_bare_date_label_does_not_outvote_the_dateline():
    item = release(
        dateline="April 3, 2019 (SAINT PAUL)",
        date_strings=[{"kind": "label:date", "raw": "Date: April 30, 2019"}],  # a hearing date
    )
    choice = dated(item)
    assert (choice.published.iso, choice.conflict) == ("2019-04-03", False)


def test_a_body_date_keeps_readable_evidence():
    lede = "Header line\nWASHINGTON - On March 3, 2010, the agency announced a settlement. " + "x" * 500
    body = [c for c in collect_candidates(release(body_text=lede)) if c.kind == "body"][0]
    assert body.value.iso == "2010-03-03"
    assert body.raw.startswith("WASHINGTON - On March 3, 2010") and len(body.raw) < 130


def test_a_guessed_year_is_weak_evidence():
    item = release(url="https://x.gov/2010/04/20/slug", date_raw="April 27", capture={"timestamp": "20100501000000"})
    choice = dated(item)
    page = [c for c in choice.candidates if c.kind == "page"][0]
    assert page.note == "year from page" and page.weight == 1
    assert (choice.published.iso, choice.source) == ("2010-04-20", "url")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(ParsedDate(2009, 10, 1), 2010, id="fy-first-day"),
        pytest.param(ParsedDate(2010, 9, 30), 2010, id="fy-last-day"),
        pytest.param(ParsedDate(2010, 10, 1), 2011, id="next-fy"),
        pytest.param(ParsedDate(2009, 10), 2010, id="month-precision"),
        pytest.param(ParsedDate(2010), None, id="year-precision-unknown-fy"),
    ],
)
def test_fiscal_year(value, expected):
    assert fiscal_year(value) == expected


class _Settings(dict):
    def getlist(self, key, default=None):
        return self.get(key, default)

    def getint(self, key, default=0):
        return int(self.get(key, default))

    def getbool(self, key, default=False):
        return bool(self.get(key, default))


class _Crawler:
    spider = None
    stats = None

    def __init__(self, **settings):
        self.settings = _Settings(settings)


def test_pipeline_on_a_full_item():
    item = release(
        url="https://www.ice.gov/pi/nr/1004/100426palmbeach.htm",
        title="ICE arrests 30 in Palm Beach",
        date_raw="April 26, 2010",
        dateline="PALM BEACH, Fla.",
        body_text="PALM BEACH, Fla. - ICE officers arrested 30 people on Tuesday, officials said.",
        listing={"list_url": "https://www.ice.gov/news/", "date_raw": "4/26/2010"},
        date_strings=[
            {"kind": "meta:article:modified_time", "raw": "2010-04-28T10:00:00-04:00"},
            {"kind": "label:last modified", "raw": "Last Modified: Tuesday, April 27, 2010"},
            {"kind": "title", "raw": "ICE arrests 30 in Palm Beach"},
        ],
        capture={"archive": "ia", "timestamp": "20100501120000"},
    )
    out = DatesPipeline.from_crawler(_Crawler()).process_item(item)
    assert (out.published, out.published_precision, out.date_source) == ("2010-04-26", "day", "page")
    assert (out.modified, out.date_conflict) == ("2010-04-28", False)
    assert (out.year, out.month, out.fiscal_year) == (2010, "2010-04", 2010)
    kinds = {c["kind"] for c in out.date_candidates}
    assert {"url", "page", "listing", "capture", "label:last modified"} <= kinds
    assert sum(c["chosen"] for c in out.date_candidates) == 2  # published and modified
    assert set(out.date_candidates[0]) == {"kind", "raw", "value", "precision", "chosen", "note"}


def test_pipeline_without_any_date_leaves_fields_empty():
    out = DatesPipeline().process_item(release(title="Secure Communities", body_text="Room 1004"))
    assert (out.published, out.year, out.month, out.fiscal_year, out.date_candidates) == (None,) * 4 + ([],)


def test_capture_fallback_is_off_by_default_and_marked_when_on():
    item = release(capture={"timestamp": "20100501120000"})
    assert DatesPipeline().process_item(item).published is None
    fallback = DatesPipeline.from_crawler(_Crawler(ARCHIVE_DATES_CAPTURE_FALLBACK=True))
    out = fallback.process_item(release(capture={"timestamp": "20100501120000"}))
    assert (out.published, out.date_source) == ("2010-05-01", "capture")


def test_pipeline_from_a_real_crawler_before_the_crawl_starts():
    from scrapy import Spider
    from scrapy.crawler import Crawler

    crawler = Crawler(type("S", (Spider,), {"name": "s"}), {"ARCHIVE_DATES_CONFLICT_DAYS": 3})
    pipeline = DatesPipeline.from_crawler(crawler)  # crawler.stats and crawler.spider are not set
    assert pipeline.conflict_days == 3
    assert pipeline.process_item(release(date_raw="4/26/2010")).published == "2010-04-26"


def test_pipeline_passes_other_items_through():
    thing = {"not": "a release"}
    assert DatesPipeline().process_item(thing) is thing


ROOT = Path(__file__).resolve().parent.parent
DATE_MODULES = [
    "crawler/date_strings.py",
    "pipelines/dates.py",
    *sorted(f"pipelines/{p.name}" for p in (ROOT / "pipelines").glob("date_*.py")),
]


@pytest.mark.parametrize("path", DATE_MODULES)
def test_no_clock_is_read(path):
    source = (ROOT / path).read_text(encoding="utf-8")
    assert not re.search(r"now\(|today\(|utcnow|time\.time|time\.monotonic|localtime\(", source)
