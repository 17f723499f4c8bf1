"""The one way the loopback stand-in sites run and answer a request.

tests/livesite.py, tests/crash_harness.py, bench/crawl.py and the fake archives of the tests serve
pages with http.server: they share the server's life cycle (LoopbackServer) and the reply
(send_reply) instead of each carrying a copy. tests/hostile_site.py does not: it writes its replies byte by byte on
purpose (garbled status lines, no Content-Length, trickled or dropped bodies) and the same bytes
go into its WARC.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


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


class LoopbackServer:
    """`with LoopbackServer(Handler) as server:` serves on 127.0.0.1 (a free port) from a thread;
    `server.url` is its address (crawls reach it as their http_proxy)."""

    server_class: type[ThreadingHTTPServer] = ThreadingHTTPServer

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.server = self.server_class(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True  # a crawler killed mid-request must not hold the exit
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def proxy(self) -> str:
        return self.url

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
