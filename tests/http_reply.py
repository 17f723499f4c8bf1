"""The one way the loopback stand-in sites answer a request.

tests/livesite.py, tests/crash_harness.py and bench/crawl.py each serve pages with http.server and
used to carry their own copy of the same few lines (status, Content-Type, Content-Length, body);
they share this one instead. tests/hostile_site.py does not: it writes its replies byte by byte on
purpose (garbled status lines, no Content-Length, trickled or dropped bodies) and the same bytes
go into its WARC.
"""

from __future__ import annotations

from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler


def send_reply(
    handler: BaseHTTPRequestHandler,
    status: int,
    content_type: str,
    body: bytes,
    headers: Iterable[tuple[str, str]] = (),
) -> None:
    """Send a whole response: status line, Content-Type, Content-Length, `headers` in order, body."""
    handler.send_response(status)  # also adds Server and Date
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers:
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()
