"""collect_date_strings: every raw date string of a page, with its kind, nothing parsed."""

from __future__ import annotations

import pytest
from parsel import Selector

from crawler.date_strings import collect_date_strings

PAGE = """<html><head>
<meta property="article:published_time" content="2019-03-12T09:00:00-05:00">
<meta property="article:modified_time" content="2019-03-14T10:00:00-05:00">
<meta name="DC.date.issued" content="2019-03-12">
<meta name="date" content="03/12/2019">
<meta name="pubdate" content="20190312">
<meta itemprop="datePublished" content="2019-03-12">
<meta name="description" content="Settlement reached on 3/12/2019">
<meta name="keywords" content="Attorney General, 2019">
<title>March 12, 2019 Press Release</title>
</head><body>
<time datetime="2019-03-12T09:00">March 12</time>
<time>Tuesday</time>
<time itemprop="dateModified" datetime="2019-03-15"></time>
<p><b>Release Date:</b> March 12, 2019</p>
<p>Posted on August 11, 2010</p>
<p>Last Modified: Tuesday, April 27, 2010 | Contact us</p>
<p>Last Updated: 04/28/2010</p>
<p>Updated: 3 days ago</p>
<p>Revised: 5/1/2010</p>
<p>Fecha: 16 de marzo de 2010</p>
<p>We updated our guidance and posted a form in 2019.</p>
<script>var config = {date: 5};</script>
</body></html>"""


def kinds_and_raws(html: str) -> list[tuple[str, str]]:
    return [(s["kind"], s["raw"]) for s in collect_date_strings(Selector(text=html))]


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        pytest.param("meta:article:published_time", "2019-03-12T09:00:00-05:00", id="og-published"),
        pytest.param("meta:article:modified_time", "2019-03-14T10:00:00-05:00", id="og-modified"),
        pytest.param("meta:dc.date.issued", "2019-03-12", id="dublin-core"),
        pytest.param("meta:date", "03/12/2019", id="meta-date"),
        pytest.param("meta:pubdate", "20190312", id="pubdate"),
        pytest.param("meta:datepublished", "2019-03-12", id="itemprop-meta"),
        pytest.param("time", "2019-03-12T09:00", id="time-datetime"),
        pytest.param("time", "Tuesday", id="time-text"),
        pytest.param("meta:datemodified", "2019-03-15", id="time-itemprop"),
        pytest.param("title", "March 12, 2019 Press Release", id="title"),
        pytest.param("label:release date", "Release Date: March 12, 2019", id="label-split-across-nodes"),
        pytest.param("label:posted on", "Posted on August 11, 2010", id="label-without-colon"),
        pytest.param("label:last modified", "Last Modified: Tuesday, April 27, 2010", id="label-stops-at-bar"),
        pytest.param("label:last updated", "Last Updated: 04/28/2010", id="label-last-updated"),
        pytest.param("label:updated", "Updated: 3 days ago", id="label-relative"),
        pytest.param("label:revised", "Revised: 5/1/2010", id="label-revised"),
        pytest.param("label:fecha", "Fecha: 16 de marzo de 2010", id="label-spanish"),
    ],
)
def test_collects(kind, raw):
    assert (kind, raw) in kinds_and_raws(PAGE)


def test_ignores_what_is_not_a_date_string():
    found = kinds_and_raws(PAGE)
    kinds = {k for k, _ in found}
    assert "meta:description" not in kinds and "meta:keywords" not in kinds
    assert not any("guidance" in raw or "config" in raw for _, raw in found)  # prose and scripts
    assert len(found) == len(set(found))


def test_broken_page_with_two_html_elements_still_gives_its_title():
    html = "<html><head><meta charset='utf-8'></head></html><br><html><head><title>January 23, 2019 Press Release"
    html += "</title></head>\n<body><p>Posted on: January 23, 2019</p></body></html>"
    found = kinds_and_raws(html)
    assert ("title", "January 23, 2019 Press Release") in found
    assert ("label:posted on", "Posted on: January 23, 2019") in found


def test_runs_into_next_block_without_whitespace_but_stops_at_the_next_label():
    html = "<body><p><b>Release Date:</b> April 26, 2010</p><p>Last Modified: April 27, 2010</p></body>"
    found = kinds_and_raws(html)
    assert ("label:release date", "Release Date: April 26, 2010") in found
    assert ("label:last modified", "Last Modified: April 27, 2010") in found


@pytest.mark.parametrize(
    "html",
    [
        pytest.param("", id="empty"),
        pytest.param("<html><body><p>No dates here.</p></body></html>", id="no-dates"),
    ],
)
def test_pages_without_dates(html):
    assert collect_date_strings(Selector(text=html or "<html></html>")) == []
