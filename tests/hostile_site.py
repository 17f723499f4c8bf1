"""A corpus of hostile and broken pages, the same cases served live (an HTTP proxy on 127.0.0.1
answering for hostile.example) and written to a WARC, deterministically.

Each case lives under http://hostile.example/hostile/<id>/ and says what a crawl and an import
must make of it: a release, an error row whose reason names the problem, or a capture of some
kind. The index page (http://hostile.example/news/index.html) links every case through a
`<base href>` pointing at /hostile/, so every link depends on the base being honoured.

Transport faults (timeouts, a dropped connection, a short body) have no bytes to put in a WARC
as such: the WARC holds what a capture of them would hold (the page that arrives too late, the
short body), or a fault of the WARC format itself (junk between records, a record whose HTTP
status line is garbage).
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import os
import random
import subprocess
import sys
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import brotli

from tests.procmem import PeakMemory

HOST = "http://hostile.example"
INDEX = f"{HOST}/news/index.html"
BASE = f"{HOST}/hostile/"
BIG = 50 * 1024 * 1024  # the 50 MB page; settings cap downloads at 16 MB
# Seconds a slow case holds its answer (tests run with DOWNLOAD_TIMEOUT=2): long enough that a
# reactor busy for a while with a heavy page still sees the timeout before any answer.
SLOW = 20.0


# -- replies ------------------------------------------------------------------------------------
@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "text/html; charset=utf-8")])
    body: bytes = b""
    mode: str = "normal"  # normal | slow | trickle | dataloss | drop | badstatus | big

    def head(self, length: int | None) -> bytes:
        line = f"HTTP/1.1 {self.status} {_phrase(self.status)}\r\n"
        if self.mode == "badstatus":
            line = "HTTP/1.1 two-hundred Fine\r\n"
        headers = list(self.headers)
        if length is not None and not any(k.lower() == "content-length" for k, _ in headers):
            headers.append(("Content-Length", str(length)))
        return (line + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode("latin-1")

    def block(self) -> bytes:
        """The bytes of a whole response: what the server sends and the WARC holds."""
        if self.mode == "big":
            return self.head(None if self.unsized else BIG) + big_body()
        return self.head(len(self.body)) + self.body

    @property
    def unsized(self) -> bool:
        """No Content-Length: the body ends when the connection closes."""
        return ("X-Length", "none") in self.headers


def _phrase(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def html(code: int = 200, body: bytes = b"", ctype: str = "text/html; charset=utf-8", **kw) -> Reply:
    headers = [("Content-Type", ctype)] if ctype else []
    return Reply(code, headers + kw.pop("extra", []), body, **kw)


def redirect(location: str | None, code: int = 302) -> Reply:
    headers = [("Content-Type", "text/html")] + ([("Location", location)] if location is not None else [])
    return Reply(code, headers, b"<html><body>moved</body></html>")


PARAGRAPHS = [
    "The county sheriff said on Monday that fingerprints taken at the jail are now checked against federal "
    "immigration records as well as the criminal history files, as part of the Secure Communities program.",
    "Deputies at the booking desk will not change how they work. The reply to each fingerprint query now "
    "carries immigration information along with the criminal record, and officers review every match.",
    "County commissioners asked for a report on the first six months of the program, including the number of "
    "people identified and how many of them had been convicted of serious crimes.",
]


def page(title: str = "County joins Secure Communities", *, head: str = "", h1: str | None = None,
         date: str = "April 26, 2010", extra: str = "", paragraphs: list[str] | None = None,
         charset: str | None = "utf-8") -> str:  # fmt: skip
    meta = f'<meta charset="{charset}">' if charset else ""
    title_tag = f"<title>{title}</title>" if title is not None else ""
    h1_tag = f"<h1>{title if h1 is None else h1}</h1>" if (h1 is not None or title is not None) else ""
    date_tag = f'<p class="date">{date}</p>' if date else ""
    paras = "".join(f"<p>{p}</p>" for p in (PARAGRAPHS if paragraphs is None else paragraphs))
    return (
        f'<!DOCTYPE html><html lang="en"><head>{meta}{title_tag}{head}</head><body>'
        f'<div id="nav"><a href="/">Home</a> | <a href="/news/">News</a></div>'
        f"<article>{h1_tag}{date_tag}{paras}{extra}</article>"
        f'<div id="footer">County of Example, 1 Main Street</div></body></html>'
    )


_BIG_HEAD = b"<html><head><title>Fifty megabytes</title></head><body><article>"
_BIG_UNIT = b"<p>" + b"Padding paragraph of a page far too large for a press release. " * 15 + b"</p>\n"
_BIG_UNITS = (BIG - len(_BIG_HEAD)) // len(_BIG_UNIT) + 1


def big_body() -> bytes:
    """BIG bytes of HTML, as its Content-Length says."""
    return (_BIG_HEAD + _BIG_UNIT * _BIG_UNITS)[:BIG]


# -- cases --------------------------------------------------------------------------------------
Route = Reply | Callable[[str, int], Reply]  # a reply, or one made from (query, hits so far)


@dataclass
class Case:
    id: str
    what: str
    routes: dict[str, Route]  # file under /hostile/<id>/ (with ?query if any) -> reply
    live: tuple[str, ...] = ("release",)  # acceptable outcomes: release | error:REGEX | capture:KIND
    warc: tuple[str, ...] | None = None  # for the WARC import (default: as live)
    href: str | None = None  # the link as the index writes it (default: <id>/page.html)
    title_has: str | None = None  # text the stored title must contain
    one_release: bool = False  # every URL of the case is the same release
    in_warc: bool = True  # False: a transport fault with no bytes a WARC could hold

    @property
    def dir(self) -> str:
        return f"{BASE}{self.id}/"

    @property
    def link(self) -> str:
        return self.href if self.href is not None else f"{self.id}/page.html"

    def warc_expect(self) -> tuple[str, ...]:
        return self.live if self.warc is None else self.warc


def _utf8(text: str) -> bytes:
    return text.encode("utf-8")


NOT_TEXT = "error:main text|empty|not a text|binary|no text"
TOO_BIG = "error:(?i)max(imum)? ?size|DOWNLOAD_MAXSIZE|larger than|too (big|large)"
TIMEOUT = "error:(?i)time(d)? ?out|took longer"
REDIRECTS = "error:(?i)redirect"
DUPLICATE = page("Two counties share one announcement", date="May 3, 2010")
SCRIPTED = "Sheriff joins Secure Communities"


def _flaky(query: str, hits: int) -> Reply:
    return html(500, b"busy") if hits == 1 else html(body=_utf8(page("Flaky page works on the second try")))


def _endless(query: str, hits: int) -> Reply:
    n = int(query.split("=", 1)[1]) if query.startswith("n=") else 0
    return redirect(f"page.html?n={n + 1}")


def _rng_bytes(n: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(n)


def _bomb(megabytes: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1024 * 1024)
    return b"".join([packer.compress(b"<p>"), *(packer.compress(chunk) for _ in range(megabytes)), packer.flush()])


def _xhtml(title: str) -> bytes:
    text = page(title, charset=None).replace("<!DOCTYPE html>", "")
    text = text.replace('lang="en"', 'xmlns="http://www.w3.org/1999/xhtml"')
    return ('<?xml version="1.0" encoding="ISO-8859-1"?>\n' + text).encode("latin-1")


def _deep(tag: str, depth: int, inner: str) -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


CASES: list[Case] = [
    # -- bodies and encodings
    Case("empty-body", "200 text/html with no bytes at all", {"page.html": html()}, live=(NOT_TEXT,)),
    Case("blank-body", "only whitespace", {"page.html": html(body=b"  \n\t \r\n ")}, live=(NOT_TEXT,)),
    Case("binary-as-html", "PNG bytes served as text/html",
         {"page.html": html(body=b"\x89PNG\r\n\x1a\n" + _rng_bytes(30000, 1))}, live=(NOT_TEXT,)),
    Case("gzip-without-header", "gzip bytes with no Content-Encoding",
         {"page.html": html(body=gzip.compress(_utf8(page()), mtime=0))}, live=(NOT_TEXT,)),
    Case("invalid-utf8", "declared UTF-8, stray invalid bytes",
         {"page.html": html(body=_utf8(page("Valid title, broken body")).replace(b"sheriff", b"sher\xff\xfeiff"))},
         title_has="Valid title, broken body"),
    Case("charset-lies-cp1252", "header says UTF-8, bytes are cp1252",
         {"page.html": html(body=page("Do\u00f1a Ana County\u2019s jail joins").encode("cp1252"))},
         title_has="Do\u00f1a Ana County"),
    Case("charset-lies-latin1", "header says ISO-8859-1, bytes are UTF-8",
         {"page.html": html(body=_utf8(page("Do\u00f1a Ana County\u2019s jail joins")),
                            ctype="text/html; charset=iso-8859-1")}, title_has="Do\u00f1a Ana County\u2019s"),
    Case("meta-charset-lies", "no header charset, <meta> says UTF-8, bytes are cp1252",
         {"page.html": html(body=page("Do\u00f1a Ana County joins").encode("cp1252"), ctype="text/html")},
         title_has="Do\u00f1a Ana County"),
    Case("mojibake-in-text", "UTF-8 page whose text was already double-encoded",
         {"page.html": html(body=_utf8(page("Sheriff\u00e2\u20ac\u2122s Office joins")))},
         title_has="Sheriff\u2019s Office"),
    Case("unknown-charset", "charset=x-bogus-42",
         {"page.html": html(body=_utf8(page("Bogus charset page")), ctype="text/html; charset=x-bogus-42")},
         title_has="Bogus charset page"),
    Case("utf16-bom", "UTF-16 with a byte order mark, no declared charset",
         {"page.html": html(body=page("Do\u00f1a Ana in UTF-16", charset=None).encode("utf-16"), ctype="text/html")},
         title_has="Do\u00f1a Ana in UTF-16"),
    Case("bom-beats-header", "UTF-8 BOM, header says ISO-8859-1",
         {"page.html": html(body=b"\xef\xbb\xbf" + _utf8(page("Do\u00f1a Ana with a BOM", charset=None)),
                            ctype="text/html; charset=iso-8859-1")}, title_has="Do\u00f1a Ana with a BOM"),
    Case("nul-and-controls", "NUL and C0 control characters in the text",
         {"page.html": html(body=_utf8(page("Control\x00 characters\x07 page",
                                             paragraphs=[p.replace(" ", " \x00\x01\x0b ", 3) for p in PARAGRAPHS])))}),
    Case("invalid-charrefs", "character references to NUL, a surrogate and beyond Unicode",
         {"page.html": html(body=_utf8(page("Bad &#0;refs &#xD800;and &#x110000;more &#65535;")))}),
    Case("truncated-gzip", "Content-Encoding gzip, stream cut at 60%",
         {"page.html": html(body=gzip.compress(_utf8(page("Truncated gzip page")), mtime=0)[:900],
                            extra=[("Content-Encoding", "gzip")])},
         live=("release", "error:(?i)gzip|decompress|truncat|not a gzip")),
    Case("not-gzip", "Content-Encoding gzip on a plain body",
         {"page.html": html(body=_utf8(page("Mislabelled gzip page")), extra=[("Content-Encoding", "gzip")])},
         live=("release", "error:(?i)gzip|decompress|decod")),
    Case("gzip-bomb", "80 KB of gzip that inflates to 80 MB",
         {"page.html": html(body=_bomb(80), extra=[("Content-Encoding", "gzip")])}, live=(TOO_BIG,)),
    Case("brotli", "Content-Encoding br", {"page.html": html(body=brotli.compress(_utf8(page("Brotli page"))),
                                                             extra=[("Content-Encoding", "br")])},
         title_has="Brotli page"),
    Case("deflate", "Content-Encoding deflate", {"page.html": html(body=zlib.compress(_utf8(page("Deflate page"))),
                                                                   extra=[("Content-Encoding", "deflate")])},
         title_has="Deflate page"),
    Case("big-50mb", "50 MB page with its Content-Length", {"page.html": Reply(mode="big")}, live=(TOO_BIG,)),
    Case("big-50mb-unsized", "50 MB page, no Content-Length (ends when the connection closes)",
         {"page.html": Reply(headers=[("Content-Type", "text/html"), ("X-Length", "none")], mode="big")},
         live=(TOO_BIG,)),
    Case("many-paragraphs", "6 MB of ordinary paragraphs (under the size cap)",
         {"page.html": html(body=_utf8(page("A very long report", paragraphs=PARAGRAPHS * 12000)))}),
    # -- structure
    Case("links-10000", "10,000 links in the page",
         {"page.html": html(body=_utf8(page("Ten thousand links", extra="".join(
             f'<a href="l{i}.html">link {i}</a> ' for i in range(10000)))))}, live=("release", NOT_TEXT)),
    Case("deep-nesting", "20,000 nested <div> around the text",
         {"page.html": html(body=_utf8(page("Deeply nested page", extra=_deep("div", 20000, PARAGRAPHS[0]))))}),
    Case("deep-nesting-title", "5,000 nested <span> inside the <h1>",
         {"page.html": html(body=_utf8(page("Nested heading page", h1=_deep("span", 5000, "Nested heading page"))))},
         live=("release", NOT_TEXT)),
    Case("tag-soup", "unclosed and misnested tags",
         {"page.html": html(body=b"<html><head><title>Tag soup page</title><body><article><p>"
                            + _utf8("<b><i>".join(PARAGRAPHS)) + b"<p><div></span></article></td>")},
         title_has="Tag soup page"),
    Case("unclosed-comment", "a comment opened and never closed", {"page.html": html(body=_utf8(
        page("Comment page", extra="<!-- the rest is a comment" + "<p>hidden text</p>" * 50)))}),
    Case("frameset", "a frameset and no text",
         {"page.html": html(body=b'<html><head><title>Frames</title></head><frameset><frame src="a.html"></frameset>')},
         live=(NOT_TEXT,)),
    Case("xhtml", "XHTML with an XML declaration, served as application/xhtml+xml",
         {"page.html": html(body=_xhtml("XHTML p\u00e1gina"),
                            ctype="application/xhtml+xml")}, title_has="XHTML p\u00e1gina"),
    Case("no-title", "no <title> and no <h1>", {"page.html": html(body=_utf8(page(None)))}),
    Case("no-date", "no date anywhere", {"page.html": html(body=_utf8(page("Undated page", date="")))}),
    Case("future-date", "a date in 2031",
         {"page.html": html(body=_utf8(page("Announcement from the future", date="March 3, 2031",
                                            head='<meta property="article:published_time" content="2031-03-03">')))},
         live=("release", "error:(?i)after the capture|future")),
    Case("impossible-date", "February 30",
         {"page.html": html(body=_utf8(page("Leap page", date="February 30, 2010")))}),
    Case("huge-title", "a 100,000-character title", {"page.html": html(body=_utf8(page("Title " * 16000)))}),
    Case("long-word", "one 1 MB word", {"page.html": html(body=_utf8(page("Long word page",
                                                                            extra="<p>" + "x" * 1_000_000 + "</p>")))}),
    # -- links and URLs
    Case("dot-relative", "link written ./<id>/page.html", {"page.html": html(body=_utf8(page("Dot relative")))},
         href="./dot-relative/page.html"),
    Case("parent-relative", "link written ../hostile/<id>/page.html",
         {"page.html": html(body=_utf8(page("Parent relative")))}, href="../hostile/parent-relative/page.html"),
    Case("scheme-relative", "link written //hostile.example/...",
         {"page.html": html(body=_utf8(page("Scheme relative")))},
         href="//hostile.example/hostile/scheme-relative/page.html"),
    Case("root-relative", "link written /hostile/<id>/page.html (the base does not apply)",
         {"page.html": html(body=_utf8(page("Root relative")))}, href="/hostile/root-relative/page.html"),
    Case("entity-and-space-in-href", "href with &amp; and surrounding whitespace",
         {"page.html?a=1&b=2": html(body=_utf8(page("Entity in link")))},
         href="\n   entity-and-space-in-href/page.html?a=1&amp;b=2  \n"),
    Case("unicode-path", "link to a non-ASCII path", {"p%C3%A1gina.html": html(body=_utf8(page("Unicode path")))},
         href="unicode-path/p\u00e1gina.html"),
    Case("long-url", "a link 3,000 characters long", {"page.html?" + "q" * 3000: html(body=_utf8(page("Long URL")))},
         href="long-url/page.html?" + "q" * 3000, live=("release", "error:(?i)length|too long")),
    Case("duplicate-content", "one page at two URLs (and a tracking query)",
         {"page.html": html(body=_utf8(DUPLICATE)), "copy.html": html(body=_utf8(DUPLICATE)),
          "page.html?utm_source=feed": html(body=_utf8(DUPLICATE))}, one_release=True),
    # -- redirects and statuses
    Case("redirect-loop", "a -> b -> a", {"page.html": redirect("b.html"), "b.html": redirect("page.html")},
         live=(REDIRECTS,), warc=("capture:redirect",)),
    Case("redirect-self", "a page that redirects to itself", {"page.html": redirect("page.html", 301)},
         live=(REDIRECTS,), warc=("capture:redirect",)),
    Case("redirect-endless", "?n=1 -> ?n=2 -> ... without end", {"page.html": _endless},
         live=(REDIRECTS,), warc=("capture:redirect",)),
    Case("redirect-chain", "three hops to a good page",
         {"page.html": redirect("1.html"), "1.html": redirect("2.html", 301), "2.html": redirect("final.html", 307),
          "final.html": html(body=_utf8(page("End of the chain")))}),
    Case("redirect-no-location", "302 without Location", {"page.html": redirect(None)},
         live=("capture:redirect", REDIRECTS)),
    Case("redirect-javascript", "a Location in the script scheme", {"page.html": redirect("javascript:alert(1)")},
         live=("capture:redirect", "error:(?i)redirect|scheme")),
    Case("http-500", "500 every time", {"page.html": html(500, b"<html><body>error</body></html>")},
         live=("error:HTTP 500",)),
    Case("http-503", "503 with Retry-After", {"page.html": html(503, b"busy", extra=[("Retry-After", "1")])},
         live=("error:HTTP 503",)),
    Case("http-404", "404", {"page.html": html(404, b"<html><body>missing</body></html>")}, live=("error:HTTP 404",)),
    Case("http-410", "410 Gone", {"page.html": html(410, b"<html><body>gone</body></html>")}, live=("error:HTTP 410",)),
    Case("http-418", "a status no callback expects", {"page.html": html(418, b"teapot")}, live=("error:418",)),
    Case("http-204", "204 No Content", {"page.html": html(204, b"")}, live=(NOT_TEXT, "error:204")),
    Case("flaky-500", "500 once, then the page", {"page.html": _flaky}, warc=("error:HTTP 500",)),
    # -- transport
    Case("slow-headers", f"nothing for {SLOW:.0f} s", {"page.html": html(body=_utf8(page("Slow page")), mode="slow")},
         live=(TIMEOUT,), warc=("release",)),
    Case("slow-trickle", f"the body a few bytes at a time over {SLOW:.0f} s",
         {"page.html": html(body=_utf8(page("Trickled page")), mode="trickle")}, live=(TIMEOUT,), warc=("release",)),
    Case("short-body", "Content-Length promises more than arrives",
         {"page.html": html(body=_utf8(page("Short body page"))[:700], extra=[("Content-Length", "9000")],
                            mode="dataloss")}, live=("error:(?i)data ?loss|ResponseFailed|incomplete|short",),
         warc=("release", "error:(?i)unreadable|short|truncat|incomplete", NOT_TEXT)),
    Case("dropped-connection", "the server closes without answering",
         {"page.html": html(mode="drop")}, live=("error:(?i)ResponseNeverReceived|Connection|closed",),
         in_warc=False),
    Case("bad-status-line", "an HTTP status line that does not parse (WARC: see the faults file)",
         {"page.html": html(body=_utf8(page("Bad status")), mode="badstatus")},
         live=("error:(?i)parse|BadHttp|ResponseFailed|status|ResponseNeverReceived",), in_warc=False),
    # -- script injection
    Case("script-in-title", "a script element in the title (raw text there) and in the h1",
         {"page.html": html(body=_utf8(page("Sheriff <script>alert(1)</script>joins Secure Communities",
                                            h1="Sheriff <script>alert(2)</script>joins <img src=x onerror=alert(3)>"
                                               "Secure Communities")))}),
    Case("script-in-og-title", "og:title holding escaped markup",
         {"page.html": html(body=_utf8(page(SCRIPTED, head='<meta property="og:title" content="&lt;script&gt;'
                                                           'alert(1)&lt;/script&gt;Sheriff joins">')))}),
    Case("script-in-body", "scripts, event handlers, script-scheme links and iframes in the body",
         {"page.html": html(body=_utf8(page(SCRIPTED, extra=(
             "<script>document.write('injected')</script><p onclick=\"alert(1)\">Click handlers are stripped "
             "too.</p><a href=\"javascript:alert(2)\">a javascript link</a><iframe src=\"javascript:alert(3)\">"
             "</iframe><svg onload=\"alert(4)\"><script>alert(5)</script></svg><noscript><script>alert(6)"
             "</script></noscript>"))))}),
    Case("script-as-text", "a page that prints script markup and a script-scheme URL as text",
         {"page.html": html(body=_utf8(page(SCRIPTED, extra=(
             "<p>The advisory quoted &lt;script&gt;alert(1)&lt;/script&gt; and a link to "
             "javascript:alert(2) found on the old site.</p>"))))}),
]  # fmt: skip


def routes() -> dict[str, tuple[Case, Route]]:
    """Every URL of the corpus (percent-encoded as a crawler asks for it) and what answers it."""
    return {f"{case.dir}{name}": (case, route) for case in CASES for name, route in case.routes.items()}


def index_page() -> bytes:
    links = "\n".join(f'<li><a href="{case.link}">{case.id}: {escape(case.what)}</a></li>' for case in CASES)
    hygiene = (
        '<a href="javascript:alert(1)">js</a> <a href="mailto:press@hostile.example">mail</a> <a href="#top">top</a>'
    )
    return _utf8(
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><base href="{BASE}"><title>Hostile newsroom</title></head>'
        f"<body><h1>Hostile newsroom</h1><ul>\n{links}\n</ul><p>{hygiene}</p></body></html>"
    )


# -- the live site ------------------------------------------------------------------------------
class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"  # one response per connection; a body may end at close
    state: HostileServer

    def do_GET(self):  # noqa: N802 (http.server's naming)
        url = self.path if self.path.startswith("http") else f"http://{self.headers['Host']}{self.path}"
        reply = self.state.reply_for(url)
        with contextlib.suppress(OSError):  # the crawler gave up (timeout, size cap): expected here
            self._send(reply)
        self.close_connection = True

    def _send(self, reply: Reply) -> None:
        deadline = time.monotonic() + SLOW
        if reply.mode == "drop":
            return
        if reply.mode == "slow":
            while time.monotonic() < deadline:
                time.sleep(0.1)
        if reply.mode == "big":  # streamed: the test process never holds the 50 MB
            self.wfile.write(reply.head(None if reply.unsized else BIG) + _BIG_HEAD)
            left = BIG - len(_BIG_HEAD)
            for _ in range(_BIG_UNITS):
                self.wfile.write(_BIG_UNIT[:left])
                left -= len(_BIG_UNIT)
                if left <= 0:
                    break
            return
        if reply.mode == "trickle":
            self.wfile.write(reply.head(len(reply.body)))
            pieces = [reply.body[i : i + 200] for i in range(0, len(reply.body), 200)]
            for piece in pieces:
                self.wfile.write(piece)
                self.wfile.flush()
                time.sleep(SLOW / len(pieces))
            return
        self.wfile.write(reply.block())

    def log_message(self, *args) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class HostileServer:
    """`with HostileServer() as site:` then crawl INDEX with http_proxy=site.proxy."""

    def __init__(self):
        self.routes = routes()
        self.hits: dict[str, int] = {}
        self.lock = threading.Lock()
        handler = type("Handler", (_Handler,), {"state": self})
        self.server = _Server(("127.0.0.1", 0), handler)
        self.proxy = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def reply_for(self, url: str) -> Reply:
        with self.lock:
            self.hits[url] = hits = self.hits.get(url, 0) + 1
        if url == INDEX:
            return html(body=index_page())
        found = self.routes.get(url) or self.routes.get(url.split("?", 1)[0])
        if found is None:
            return html(404, b"<html><body>Not found</body></html>")
        route = found[1]
        return route(urlsplit(url).query, hits) if callable(route) else route

    def __enter__(self) -> HostileServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


# -- the WARC -----------------------------------------------------------------------------------
def _digest(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def warc_member(url: str, when: str, block: bytes, **overrides: str | None) -> bytes:
    """One gzip member holding one response record, byte for byte the same on every run."""
    split = block.find(b"\r\n\r\n")
    payload = block[split + 4 :] if split >= 0 else b""
    headers = {
        "WARC-Type": "response",
        "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url + when)}>",
        "WARC-Date": when,
        "WARC-Target-URI": url,
        "WARC-Payload-Digest": _digest(payload),
        "WARC-Block-Digest": _digest(block),
        "Content-Type": "application/http; msgtype=response",
        "Content-Length": str(len(block)),
        **overrides,
    }
    head = "WARC/1.0\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items() if v is not None) + "\r\n"
    return gzip.compress(head.encode("utf-8") + block + b"\r\n\r\n", compresslevel=6, mtime=0)


def case_records(case: Case) -> list[tuple[str, Reply]]:
    records = []
    for name, route in case.routes.items():
        url = f"{case.dir}{name}"
        if callable(route):  # what a crawler would have recorded: the first answer (and a retry)
            records += [(url, route("", 1))] + ([(url, route("", 2))] if route is _flaky else [])
        else:
            records.append((url, route))
    return records


def write_warc(path: Path) -> Path:
    """The corpus as one WARC (gzip, a member per record), deterministic to the byte."""
    with path.open("wb") as out:
        out.write(warc_member(INDEX, captured(0), html(body=index_page()).block()))
        n = 0
        for case in CASES:
            if not case.in_warc:
                continue
            for url, reply in case_records(case):
                n += 1
                out.write(warc_member(url, captured(n), reply.block()))
    return path


def captured(n: int) -> str:
    """WARC-Date of the n-th record: June 2010, a second apart."""
    return f"2010-06-01T12:{n // 60:02d}:{n % 60:02d}Z"


# Faults of the WARC format itself, each followed by a good record that must still be imported.
FAULT_HOST = f"{HOST}/faults/"


def _fault_page(name: str) -> bytes:
    return html(body=_utf8(page(f"Good record after {name}"))).block()


def _bad_status(url: str, when: str) -> bytes:
    block = b"HTTP/1.1 two-hundred Fine\r\nContent-Type: text/html\r\n\r\n" + _utf8(page("Bad status"))
    return warc_member(url, when, block)


def _endless_headers(url: str, when: str) -> bytes:
    return warc_member(url, when, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + _utf8(page("No blank line")))


# fault -> (its bytes from (url, WARC-Date), what the import must make of it: an error row, or
# anything as long as the records around it survive)
FAULTS: dict[str, tuple[Callable[[str, str], bytes], str]] = {
    "junk-between-records": (lambda url, when: b"this is not a WARC record\r\n" * 8, "error"),
    "bad-http-status": (_bad_status, "error"),
    "http-headers-never-end": (_endless_headers, "any"),
    "no-target-uri": (lambda url, when: warc_member(url, when, _fault_page("x"), **{"WARC-Target-URI": None}), "error"),
    "bad-warc-date": (
        lambda url, when: warc_member(url, when, _fault_page("x"), **{"WARC-Date": "last Tuesday"}),
        "error",
    ),
    "length-overruns-member": (
        lambda url, when: warc_member(url, when, _fault_page("x"), **{"Content-Length": "99999"}),
        "any",
    ),
    "uncompressed-record": (lambda url, when: gzip.decompress(warc_member(url, when, _fault_page("x"))), "any"),
}


def write_faults_warc(path: Path, only: list[str] | None = None) -> dict[str, tuple[int, str]]:
    """A good record, then each fault followed by a good record; returns fault -> (its offset,
    the URL of the good record after it)."""
    where: dict[str, tuple[int, str]] = {}
    with path.open("wb") as out:
        out.write(warc_member(f"{FAULT_HOST}first.html", captured(99), _fault_page("nothing")))
        for n, (name, (make, _)) in enumerate(FAULTS.items()):
            if only is not None and name not in only:
                continue
            offset = out.tell()
            out.write(make(f"{FAULT_HOST}{name}.html", captured(2 * n)))
            after = f"{FAULT_HOST}after-{name}.html"
            out.write(warc_member(after, captured(2 * n + 1), _fault_page(name)))
            where[name] = (offset, after)
    return where


# -- running a command with its peak memory measured -----------------------------------------------
@dataclass
class Measured:
    returncode: int
    seconds: float
    peak_rss_mb: float
    output: str = field(repr=False)


def run_measured(args: list[str], env: dict[str, str], log: Path, timeout: float, cwd: Path) -> Measured:
    """Run a command in its own process group, polling its peak resident memory (VmHWM, which
    counts from its exec: the rusage of a child spawned by a big pytest process would report
    the parent's size). A run past `timeout` is killed (its group only), returncode -9."""
    started = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=out, start_new_session=True)
        memory = PeakMemory(proc.pid)  # the command and its children (a crawl's pipeline process)
        try:
            while proc.poll() is None and time.monotonic() - started < timeout:
                memory.update()
                time.sleep(0.05)
        finally:
            if proc.poll() is None:  # past the timeout, or the test itself failed
                os.killpg(proc.pid, 9)
                proc.wait()
    output = log.read_text(encoding="utf-8", errors="replace")
    return Measured(proc.returncode, time.monotonic() - started, memory.kb / 1024, output)
