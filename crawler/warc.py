"""WARC in: any WARC/ARC record, read robustly, turned back into a Scrapy Response for the same
spider callbacks (WARC out is warc_writer.py).

warcio does the format work; this module adds provenance dicts, error capture and the
Scrapy glue.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import hashlib
import io
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader

CAPTURE_TYPES = {"response", "resource", "revisit"}
# warcio already undid these encodings when it hands us the payload; passing the headers on
# would make Scrapy's HttpCompressionMiddleware decode a second time.
_DECODED_HEADERS = {b"content-encoding", b"transfer-encoding", b"content-length"}


class _BrotliDecompressor:
    """warcio sets `unused_data` on its decompressors; Brotli 1.2's C object refuses new
    attributes, so wrap it (never install brotlipy: it breaks Scrapy)."""

    def __init__(self):
        self._inner = brotli.Decompressor()
        self.unused_data = None

    def decompress(self, data: bytes) -> bytes:
        return self._inner.process(data)


BufferedReader.DECOMPRESSORS["br"] = _BrotliDecompressor


def payload_digest(body: bytes) -> str:
    """WARC-style digest: sha1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def warc_date_to_timestamp(warc_date: str | None) -> str | None:
    """'2010-04-28T12:00:00Z' -> '20100428120000' (Wayback's 14-digit form)."""
    if not warc_date:
        return None
    digits = "".join(ch for ch in warc_date if ch.isdigit())
    return digits[:14].ljust(14, "0") if len(digits) >= 8 else None


MAX_RESYNCS = 1000  # faults in one file after which the rest of it is given up


def iter_captures(path: str | Path, archive: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield ("capture", capture) for every response/resource/revisit record and
    ("error", {...}) for every record or file fault; good records around a bad one are kept:
    a record that cannot be used is an error and the next one is read; where the file itself
    cannot be parsed, reading starts again at the next record found after the fault."""
    path = Path(path)
    seen: set[str] = set()
    with path.open("rb") as stream:
        position: int | None = 0
        for _ in range(MAX_RESYNCS):
            failure, at = yield from _iterate(stream, path, archive, seen, whole_gzip=False, start=position)
            if failure is None:
                break
            yield "error", _file_error(path, at, failure)
            if "non-chunked gzip" in str(failure):
                break
            position = _next_record_start(stream, at + 1)
            if position is None:
                break
    if failure is not None and "non-chunked gzip" in str(failure):
        # One gzip stream around many records (not one member per record): warcio cannot
        # seek in it, but reading it whole still recovers every record after the first.
        with gzip.open(path, "rb") as stream:
            yield from _iterate(stream, path, archive, seen, whole_gzip=True, start=None)


def _iterate(stream, path: Path, archive: str, seen: set[str], whole_gzip: bool, start: int | None):
    """Records from `start` on; returns (the failure that stopped it, where) or (None, None)."""
    if start is not None:
        stream.seek(start)
    iterator = ArchiveIterator(stream, arc2warc=True)
    records = iter(iterator)
    errors_seen = 0
    at, read_any = start or 0, False
    while True:
        warnings = io.StringIO()
        try:
            with contextlib.redirect_stderr(warnings):
                record = next(records)
        except StopIteration:
            tail = None if whole_gzip else _torn_tail(iterator, stream)
            if tail:
                reason = f"torn record: {tail[1]} byte(s) at the end hold no whole record"
                yield "error", _file_error(path, tail[0], reason)
            return None, None
        except Exception as exc:  # warcio cannot parse on from here (AttributeError included)
            return exc, _failure_offset(iterator, at, read_any)
        at, read_any = iterator.get_record_offset(), True
        try:
            with contextlib.redirect_stderr(warnings):
                capture = _capture_of(record, iterator, path, archive)
        except Exception as exc:  # this record is unusable; the next one may be fine
            yield "error", _file_error(path, at, exc)
            continue
        if iterator.err_count > errors_seen:
            errors_seen = iterator.err_count
            said = warnings.getvalue().strip() or "record not followed by a newline"
            yield "error", _file_error(path, at, f"{said} (its Content-Length does not match its data)")
        if capture is None or capture["record_id"] in seen:
            continue
        seen.add(capture["record_id"])
        capture["warc_whole_gzip"] = whole_gzip
        yield "capture", capture


def _failure_offset(iterator, last_good: int, read_any: bool) -> int:
    """Where the record warcio failed on begins: after the last good record's gzip member."""
    member = getattr(iterator, "member_info", None)
    if not read_any or member is None:
        return last_good
    return member[0] if member[0] > last_good else member[0] + member[1]


_GZIP_MAGIC = b"\x1f\x8b\x08"


def _next_record_start(stream, position: int) -> int | None:
    """The offset of the next gzip member holding a WARC record, or of the next uncompressed
    "WARC/" header line, at or after `position`."""
    stream.seek(position)
    offset, carry = position, b""
    while chunk := stream.read(1 << 16):
        data = carry + chunk
        base = offset - len(carry)
        for found in sorted(i for i in (_find_all(data, _GZIP_MAGIC) + _find_all(data, b"WARC/1.")) if i >= 0):
            if _starts_record(stream, base + found):
                return base + found
        carry, offset = data[-8:], offset + len(chunk)
        stream.seek(offset)
    return None


def _find_all(data: bytes, needle: bytes) -> list[int]:
    found, i = [], data.find(needle)
    while i >= 0:
        found.append(i)
        i = data.find(needle, i + 1)
    return found


def _starts_record(stream, offset: int) -> bool:
    here = stream.tell()
    stream.seek(offset)
    head = stream.read(1024)
    stream.seek(here)
    if head.startswith(b"WARC/1."):
        return True
    try:
        return zlib.decompressobj(31).decompress(head).startswith(b"WARC/")
    except zlib.error:
        return False


def _torn_tail(iterator, stream) -> tuple[int, int] | None:
    """(offset, length) of bytes after the last whole gzip member, as a killed writer leaves
    them; warcio ends the iteration there as if the file had ended."""
    member = getattr(iterator, "member_info", None)
    if member is None:
        return None
    end = member[0] + member[1]
    size = os.fstat(stream.fileno()).st_size
    if size <= end:
        return None
    stream.seek(end)
    # an uncompressed WARC ends its last record with blank lines: those are no torn record
    return None if not stream.read(min(size - end, 1 << 16)).strip(b"\r\n") else (end, size - end)


def _file_error(path: Path, offset: int | None, problem: Any) -> dict[str, Any]:
    text = " ".join(str(problem).split()) or type(problem).__name__
    if isinstance(problem, BaseException):
        text = f"{type(problem).__name__}: {text}"
    return {"warc_file": path.name, "warc_offset": offset, "reason": f"unreadable WARC data: {text}"}


def _capture_of(record, iterator, path: Path, archive: str) -> dict[str, Any] | None:
    # warcio hands over a record cut short by the end of the file as if it were whole
    if not record.rec_headers.get_header("WARC-Record-ID"):
        raise EOFError("torn record: its headers end early")
    if record.rec_type not in CAPTURE_TYPES:
        return None
    digester, size = hashlib.sha1(), 0  # streamed: a 50 MB record is never held whole
    stream = record.raw_stream
    while chunk := stream.read(1 << 16):
        digester.update(chunk)
        size += len(chunk)
    body_digest = "sha1:" + base64.b32encode(digester.digest()).decode()
    headers = record.rec_headers
    if missing := getattr(record.raw_stream, "limit", 0):
        raise EOFError(f"torn record: {missing} byte(s) of its block missing")
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http and http.protocol else 200
    mime = (http.get_header("Content-Type") if http else None) or headers.get_header("Content-Type")
    url = headers.get_header("WARC-Target-URI") or ""
    if not url:
        raise ValueError("record without WARC-Target-URI")
    if warc_date_to_timestamp(headers.get_header("WARC-Date")) is None:
        raise ValueError(f"WARC-Date {headers.get_header('WARC-Date')!r} is not a date")
    return {
        "archive": archive,
        "timestamp": warc_date_to_timestamp(headers.get_header("WARC-Date")),
        "original_url": url,
        "url": url,
        "status": status,
        "mime": (mime or "").split(";")[0].strip().lower() or None,
        "content_type_header": mime,
        "record_type": record.rec_type,
        "warc_file": path.name,
        "warc_path": str(path),
        "warc_offset": iterator.get_record_offset(),
        "warc_length": None,
        "digest": headers.get_header("WARC-Payload-Digest") or body_digest,
        "record_id": headers.get_header("WARC-Record-ID"),
        "location": http.get_header("Location") if http else None,
        "refers_to": headers.get_header("WARC-Refers-To-Target-URI"),
    }


def read_record(path: str | Path, offset: int, whole_gzip: bool = False, limit: int = 0) -> tuple[Any, bytes]:
    """The record at `offset` and its decoded payload (offsets of a whole-gzip file count
    uncompressed bytes); with `limit`, at most limit + 1 bytes of it (a bomb stays small)."""
    with gzip.open(path, "rb") if whole_gzip else open(path, "rb") as stream:
        stream.seek(offset)
        with contextlib.redirect_stderr(io.StringIO()):
            record = next(iter(ArchiveIterator(stream, arc2warc=True)))
            stream = record.content_stream()
            return record, stream.read(limit + 1) if limit else stream.read()


def response_from_record(record, body: bytes, url: str, request=None) -> Response:
    """A Scrapy Response built from a WARC record, for the spider callbacks."""
    http = record.http_headers
    headers = Headers()
    status = 200
    if http is not None and http.protocol:
        status = int(http.get_statuscode() or 200)
        for name, value in http.headers:
            if name.lower().encode() not in _DECODED_HEADERS:
                headers.appendlist(name, value)
    elif record.rec_headers.get_header("Content-Type"):
        headers["Content-Type"] = record.rec_headers.get_header("Content-Type")
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    return cls(url=url, status=status, headers=headers, body=body, request=request)


def timestamp_to_iso(timestamp: str) -> str:
    """'20100428120000' -> '2010-04-28T12:00:00Z'."""
    t = timestamp.ljust(14, "0")
    return f"{t[0:4]}-{t[4:6]}-{t[6:8]}T{t[8:10]}:{t[10:12]}:{t[12:14]}Z"
