"""WarcWriterExtension: every downloaded response, as received, into a gzip WARC (warcio),
with its provenance in `request.meta["capture"]` for the callbacks and the archive."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path

from scrapy import signals
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc import timestamp_to_iso


class WarcWriterExtension:
    """Writes every downloaded response (the bytes as received) to a gzip WARC, and puts the
    record's provenance in `request.meta["capture"]` for the callbacks and the archive."""

    def __init__(self, crawler):
        self.directory = Path(crawler.settings.get("ARCHIVE_WARC_DIR", "warcs"))
        self.crawler = crawler
        self._stream = None
        self._writer = None
        self.path: Path | None = None

    @classmethod
    def from_crawler(cls, crawler):
        ext = cls(crawler)
        if crawler.settings.getbool("ARCHIVE_WARC_ENABLED", True):
            crawler.signals.connect(ext.response_downloaded, signal=signals.response_downloaded)
            crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _open(self, spider_name: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.path = self.directory / f"{spider_name}-{stamp}-{os.getpid()}.warc.gz"
        self._stream = self.path.open("ab")
        self._writer = WARCWriter(self._stream, gzip=True)

    def response_downloaded(self, response, request, spider) -> None:
        if self._writer is None:
            self._open(spider.name)
        # A capture fetched from a web archive is recorded under its original URL and time;
        # a live response under its own URL and now.
        preset = dict(request.meta.get("archive_capture") or {})
        timestamp = preset.get("timestamp") or datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        original = preset.get("original_url") or response.url
        warc_headers = {"WARC-Date": timestamp_to_iso(timestamp)}
        if original != response.url:
            warc_headers["WARC-Source-URI"] = response.url
        status_line = f"{response.status} {_reason(response.status)}"
        http_headers = StatusAndHeaders(
            status_line,
            [(k.decode("latin-1"), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs],
            protocol="HTTP/1.1",
        )
        record = self._writer.create_warc_record(
            original, "response", payload=io.BytesIO(response.body), length=len(response.body),
            http_headers=http_headers, warc_headers_dict=warc_headers,
        )  # fmt: skip
        offset = self._stream.tell()
        self._writer.write_record(record)
        self._stream.flush()
        request.meta["capture"] = {
            "archive": "live",
            "url": response.url,
            "status": response.status,
            "mime": (response.headers.get("Content-Type") or b"").decode("latin-1").split(";")[0] or None,
            "location": (response.headers.get("Location") or b"").decode("latin-1") or None,
            "digest": record.rec_headers.get_header("WARC-Payload-Digest"),
            **preset,
            "timestamp": timestamp,
            "original_url": original,
            "warc_file": self.path.name,
            "warc_path": str(self.path),
            "warc_offset": offset,
            "warc_length": self._stream.tell() - offset,
            "record_id": record.rec_headers.get_header("WARC-Record-ID"),
        }

    def spider_closed(self, spider) -> None:
        if self._stream is not None:
            self._stream.close()


def _reason(status: int) -> str:

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"
