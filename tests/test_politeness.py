"""Back-off: a 429 with Retry-After slows the crawl down before the retry (loopback server)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest
import sqlite_utils
from scrapy import Request
from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import CaptureRecord
from crawler.politeness import LoopAwareRedirectMiddleware, retry_after_seconds
from crawler.spiders.us_ice import UsIceSpider
from tests.conftest import run_cli

PAGE = (
    "<html><head><title>{t}</title></head><body><h1>{t}</h1><article><p>{t}. The county sheriff said the "
    "fingerprint check now runs on every booking, and that deputies will not change how they make arrests. "
    "Questions go to the public information officer.</p></article></body></html>"
)


class _Site(BaseHTTPRequestHandler):
    hits: list[tuple[str, float]] = []

    def do_GET(self):  # noqa: N802
        self.hits.append((self.path, time.monotonic()))
        if self.path == "/news/":
            body, status = (
                '<html><body><a href="/news/one.html">One</a> <a href="/news/two.html">Two</a></body></html>',
                200,
            )
        elif self.path == "/news/one.html" and sum(p == self.path for p, _ in self.hits) == 1:
            body, status = "busy", 429
        elif self.path in ("/news/one.html", "/news/two.html"):
            body, status = PAGE.format(t="Release " + self.path[6:9]), 200
        else:
            body, status = "no", 404
        data = body.encode()
        self.send_response(status)
        if status == 429:
            self.send_header("Retry-After", "2")
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    "value, now, seconds",
    [
        pytest.param(b"120", None, 120.0, id="seconds"),
        pytest.param(b"Wed, 21 Oct 2015 07:28:00 GMT", 1445412470.0, 10.0, id="http-date"),
        pytest.param(b"soon", 0.0, None, id="garbage"),
        pytest.param(None, 0.0, None, id="absent"),
    ],
)
def test_retry_after_parsing(value, now, seconds):
    assert retry_after_seconds(value, now) == seconds


def test_429_backs_off_for_retry_after_then_archives_the_page(tmp_path):
    handler = type("Site", (_Site,), {"hits": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    site = f"http://127.0.0.1:{server.server_address[1]}/news/"
    try:
        out = run_cli(
            "crawl", "--site", site, "--db", str(tmp_path / "a.db"),
            "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "ROBOTSTXT_OBEY=False",
            "-s", f"ARCHIVE_WARC_DIR={tmp_path / 'warcs'}", "-s", "CONCURRENT_REQUESTS=1",
        )  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    times = [t for path, t in handler.hits if path == "/news/one.html"]
    assert len(times) == 2, handler.hits
    assert times[1] - times[0] >= 1.9  # Retry-After: 2 was honoured
    titles = {r["title"] for r in sqlite_utils.Database(tmp_path / "a.db")["releases"].rows}
    assert titles == {"Release one", "Release two"}
    assert "2 releases stored" in out.stderr


def _redirects():
    """The redirect middleware of a crawl, with the crawl's duplicate filter."""
    crawler = get_crawler(UsIceSpider)
    crawler.engine = SimpleNamespace(scheduler=SimpleNamespace(df=RFPDupeFilter.from_crawler(crawler)))
    return LoopAwareRedirectMiddleware.from_crawler(crawler), crawler


def _moved(old: str, new: str):
    capture = {"archive": "live", "timestamp": "20100915140020", "original_url": old, "url": old, "status": 301,
               "location": new, "warc_file": "a.warc.gz", "warc_offset": 0}  # fmt: skip
    request = Request(old, meta={"capture": capture})
    return request, HtmlResponse(old, status=301, headers={"Location": new}, request=request)


def test_a_followed_redirect_carries_its_capture_and_a_duplicate_target_hands_the_3xx_over():
    middleware, crawler = _redirects()
    old, new = "http://www.ice.gov/pi/nr/1004/100426palmbeach.htm", "http://www.ice.gov/news/releases/1004/palm.htm"
    request, response = _moved(old, new)
    followed = middleware.process_response(request, response)
    assert isinstance(followed, Request) and followed.url == new
    assert followed.dont_filter  # marked seen by the middleware itself, so it must not be filtered
    assert [c["original_url"] for c in followed.meta["redirect_captures"]] == [old]
    # The page it led to records the hop as a capture of the old URL.
    spider = crawler.spidercls()
    page = HtmlResponse(new, body=b"<html><body><p>x</p></body></html>", request=followed)
    hops = [i for i in spider.route(page) if isinstance(i, CaptureRecord) and i.kind == "redirect"]
    assert [(h.url, h.location) for h in hops] == [(old, new)]

    # A second old URL leading to the same page: no second fetch; the spider gets the 301 itself.
    request, response = _moved(old.replace("palmbeach", "palm-beach"), new)
    handed = middleware.process_response(request, response)
    assert handed is response and 301 in request.meta["handle_httpstatus_list"]


def _second_hop(followed: Request, new: str):
    """The followed request's own 301 (the WARC writer gave it a capture)."""
    followed.meta["capture"] = {**followed.meta["redirect_captures"][0], "original_url": followed.url, "location": new}
    return HtmlResponse(followed.url, status=301, headers={"Location": new}, request=followed)


def test_the_second_hop_of_a_chain_is_checked_against_the_duplicate_filter_too():
    middleware, crawler = _redirects()
    a, b, c = (f"http://www.ice.gov/news/{n}.htm" for n in "abc")
    crawler.engine.scheduler.df.request_seen(Request(c))  # c is queued already
    to_b = middleware.process_response(*_moved(a, b))
    response = _second_hop(to_b, c)
    handed = middleware.process_response(to_b, response)
    assert handed is response  # not a second fetch of c: the spider records b's 301 instead
    spider = crawler.spidercls()
    hops = [(i.url, i.location) for i in spider.route(handed) if isinstance(i, CaptureRecord)]
    assert hops == [(a, b), (b, c)]


def test_a_request_made_dont_filter_stays_so_along_its_redirects():
    middleware, crawler = _redirects()
    a, b, c = (f"http://www.ice.gov/news/{n}.htm" for n in "abc")
    crawler.engine.scheduler.df.request_seen(Request(c))
    request, response = _moved(a, b)
    request = request.replace(dont_filter=True)
    to_b = middleware.process_response(request, response.replace(request=request))
    to_c = middleware.process_response(to_b, _second_hop(to_b, c))
    assert isinstance(to_c, Request) and to_c.url == c and to_c.dont_filter
    assert [h["original_url"] for h in to_c.meta["redirect_captures"]] == [a, b]
