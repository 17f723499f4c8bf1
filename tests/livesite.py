"""A local stand-in for the live web: an HTTP proxy on 127.0.0.1 that answers for the hosts of
the demo corpus with each URL's latest capture, so an unmodified spider can crawl "live"
(via http_proxy) without leaving the machine."""

from __future__ import annotations

import csv
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from tests.http_reply import LoopbackServer, send_reply

DEMO = Path(__file__).resolve().parent.parent / "archive" / "demo"


def latest_captures() -> dict[str, dict]:
    site: dict[str, dict] = {}
    with (DEMO / "captures.csv").open(encoding="utf-8") as rows:
        for row in sorted(csv.DictReader(rows), key=lambda r: r["timestamp"]):
            site[row["url"]] = row
    return site


class _Handler(BaseHTTPRequestHandler):
    site: dict[str, dict] = {}
    served: list[str] = []

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = self.path if self.path.startswith("http") else f"http://{self.headers['Host']}{self.path}"
        self.served.append(url)
        row = self.site.get(url)
        if row is None:
            send_reply(self, 404, "text/html", b"<html><body>Not found</body></html>")
            return
        status = int(row["status"])
        body = (DEMO / "pages" / row["page"]).read_bytes() if row["page"] else b"<html><body>gone</body></html>"
        location = row.get("location")
        send_reply(self, status, row["content_type"], body, [("Location", location)] if location else [])

    def log_message(self, *args) -> None:
        pass


class LiveSite(LoopbackServer):
    """`with LiveSite() as site:` then crawl with http_proxy=site.proxy."""

    def __init__(self):
        self.handler = type("Handler", (_Handler,), {"site": latest_captures(), "served": []})
        super().__init__(self.handler)
