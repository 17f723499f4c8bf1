"""Back-off: a 429 with Retry-After slows the crawl down before the retry (loopback server)."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlite_utils

from crawler.politeness import retry_after_seconds
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
