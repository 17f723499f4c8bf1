"""Build the demo WARC (demo.warc.gz) from captures.csv and the pages/ tree.

Run from anywhere (paths are relative to this file):

    python archive/demo/build_corpus.py           # write the demo PDF page and demo.warc.gz
    python archive/demo/build_corpus.py --check   # rebuild in a temp dir; exit 1 if it differs

The output is reproducible byte for byte:
- every WARC-Record-ID is a UUID derived (uuid5, SHA-1) from the capture's timestamp and URL;
- every date comes from captures.csv, never from the clock;
- warcio writes each record uncompressed and this script gzips it as its own member with a
  fixed header (mtime 0, OS 255). warcio's own GzippingWrapper uses zlib's gzip mode, which
  writes mtime 0 but the OS code zlib was built for (3 on Linux, 19 on macOS).
The one remaining dependency is the deflate implementation: a zlib that compresses differently
(zlib-ng, for instance) gives different bytes for the same records; `--check` says when the
records themselves are still identical.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import re
import struct
import sys
import tempfile
import uuid
import zlib
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "captures.csv"
PAGES = HERE / "pages"
WARC_NAME = "demo.warc.gz"
WARC_PATH = HERE / WARC_NAME
PDF_PAGE = "www.ice.gov/doclib/secure_communities/pdf/sc_factsheet.pdf"

FIELDS = ["timestamp", "url", "status", "content_type", "location", "page"]
REASONS = {200: "OK", 301: "Moved Permanently", 302: "Found", 404: "Not Found"}
SERVER_HEADERS = {
    "www.ice.gov": [("Server", "Apache")],
    "www.cityofws.org": [
        ("Server", "Microsoft-IIS/7.5"),
        ("Cache-Control", "private"),
        ("X-AspNet-Version", "2.0.50727"),
        ("X-Powered-By", "ASP.NET"),
    ],
}
WARCINFO = {
    "software": "pressarchive archive/demo/build_corpus.py (warcio)",
    "format": "WARC File Format 1.0",
    "conformsTo": "http://bibnum.bnf.fr/WARC/WARC_ISO_28500_version1_latestdraft.pdf",
    "isPartOf": "pressarchive-demo",
    "description": (
        "Hand-written offline demo corpus modelled on ICE Secure Communities news releases "
        "(2008-2010) and City of Winston-Salem pages. Not real captures; see archive/demo/README.md."
    ),
}

PDF_TEXT = """Secure Communities Fact Sheet
U.S. Immigration and Customs Enforcement - April 2010

Secure Communities checks the fingerprints of people booked into local jails
against Department of Homeland Security immigration records as well as FBI
criminal history records. When the prints match, ICE is told automatically and
its officers decide whether any enforcement action is needed.

The capability was first switched on in October 2008. ICE plans to offer it to
every jurisdiction in the country by 2013. Local officers do not enforce
immigration law under the program, and it needs no new equipment at the jail."""


class CorpusError(Exception):
    """A problem in captures.csv or pages/ that must be fixed before building."""


# --- the PDF --------------------------------------------------------------------------------


def pdf_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def render_pdf() -> bytes:
    """A minimal one-page PDF 1.4 with extractable Helvetica text and a correct xref table."""
    y, ops = 720, []
    for n, line in enumerate(PDF_TEXT.splitlines()):
        size = 11 if n else 18  # the first line is the title
        if line:
            ops.append(f"BT /F1 {size} Tf 72 {y} Td ({pdf_escape(line)}) Tj ET")
        y -= size + 7
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Title (Secure Communities Fact Sheet) /Author (U.S. Immigration and Customs "
        b"Enforcement) /CreationDate (D:20100427090000-04'00') >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# --- captures.csv ---------------------------------------------------------------------------


def parse_timestamp(value: str) -> datetime:
    if not re.fullmatch(r"\d{14}", value):
        raise CorpusError(f"timestamp {value!r} is not 14 digits")
    return datetime.strptime(value, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def check_row(n: int, row: dict[str, str], seen: set[tuple[str, str]]) -> None:
    where = f"captures.csv line {n}"
    parse_timestamp(row["timestamp"])
    if not row["url"].startswith("http://"):
        raise CorpusError(f"{where}: url {row['url']!r} is not an http:// URL")
    status = int(row["status"]) if row["status"].isdigit() else None
    if status not in REASONS:
        raise CorpusError(f"{where}: status {row['status']!r} is not one of {sorted(REASONS)}")
    if 300 <= status < 400 and not row["location"]:
        raise CorpusError(f"{where}: redirect without a location")
    if row["page"] and not (PAGES / row["page"]).is_file():
        raise CorpusError(f"{where}: page {row['page']!r} not found under pages/")
    if not row["page"] and status == 200:
        raise CorpusError(f"{where}: a 200 capture needs a page")
    key = (row["url"], row["timestamp"])
    if key in seen:
        raise CorpusError(f"{where}: duplicate capture {key}")
    seen.add(key)


def load_rows() -> list[dict[str, str]]:
    with CSV_PATH.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != FIELDS:
            raise CorpusError(f"captures.csv header {reader.fieldnames} != {FIELDS}")
        rows = list(reader)
    seen: set[tuple[str, str]] = set()
    for n, row in enumerate(rows, start=2):
        check_row(n, row, seen)
    return rows


# --- records --------------------------------------------------------------------------------


def inline_body(row: dict[str, str]) -> bytes:
    """Bodies for captures without a page file: the server's own error and redirect pages."""
    path = "/" + row["url"].split("/", 3)[3]
    if row["location"]:
        return (
            '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n'
            "<title>301 Moved Permanently</title>\n</head><body>\n<h1>Moved Permanently</h1>\n"
            f'<p>The document has moved <a href="{row["location"]}">here</a>.</p>\n'
            "</body></html>\n"
        ).encode("ascii")
    return (
        "<html><head><title>Page Not Found</title></head><body>\n<h1>Page not found</h1>\n"
        f"<p>The page {path} could not be found on www.ice.gov. It may have been moved or "
        'removed.</p>\n<p><a href="/index.htm">ICE home page</a></p>\n</body></html>\n'
    ).encode("ascii")


def body_of(row: dict[str, str]) -> bytes:
    return (PAGES / row["page"]).read_bytes() if row["page"] else inline_body(row)


def record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, ' '.join(parts))}>"


def http_headers(row: dict[str, str], body: bytes) -> StatusAndHeaders:
    status = int(row["status"])
    host = row["url"].split("/")[2]
    headers = [("Date", format_datetime(parse_timestamp(row["timestamp"]), usegmt=True))]
    headers += SERVER_HEADERS.get(host, [])
    if row["location"]:
        headers.append(("Location", row["location"]))
    headers += [
        ("Content-Type", row["content_type"]),
        ("Content-Length", str(len(body))),
        ("Connection", "close"),
    ]
    return StatusAndHeaders(f"{status} {REASONS[status]}", headers, protocol="HTTP/1.1")


def warc_date(timestamp: str) -> str:
    return parse_timestamp(timestamp).strftime("%Y-%m-%dT%H:%M:%SZ")


def warcinfo_record(builder: WARCWriter, first_timestamp: str):
    payload = "".join(f"{key}: {value}\r\n" for key, value in WARCINFO.items()).encode("utf-8")
    headers = {
        "WARC-Type": "warcinfo",
        "WARC-Record-ID": record_id("warcinfo", WARC_NAME),
        "WARC-Date": warc_date(first_timestamp),
        "WARC-Filename": WARC_NAME,
    }
    return builder.create_warc_record(
        "",
        "warcinfo",
        payload=io.BytesIO(payload),
        length=len(payload),
        warc_content_type="application/warc-fields",
        warc_headers_dict=headers,
    )


def response_record(builder: WARCWriter, row: dict[str, str], warcinfo_id: str):
    body = body_of(row)
    headers = {
        "WARC-Type": "response",
        "WARC-Record-ID": record_id(row["url"], row["timestamp"]),
        "WARC-Date": warc_date(row["timestamp"]),
        "WARC-Target-URI": row["url"],
        "WARC-Warcinfo-ID": warcinfo_id,
    }
    return builder.create_warc_record(
        row["url"],
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http_headers(row, body),
        warc_headers_dict=headers,
    )


def gzip_member(data: bytes) -> bytes:
    """One gzip member with a fixed header: no mtime, no file name, OS 255 (unknown)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(data) + compressor.flush()
    header = b"\x1f\x8b\x08\x00" + b"\x00\x00\x00\x00" + b"\x02\xff"
    return header + deflated + struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)


def build(rows: list[dict[str, str]], out_path: Path) -> int:
    """Write the WARC to out_path; return the number of records."""
    scratch = io.BytesIO()
    builder = WARCWriter(scratch, gzip=False)
    info = warcinfo_record(builder, min(row["timestamp"] for row in rows))
    info_id = info.rec_headers.get_header("WARC-Record-ID")
    records = [info] + [response_record(builder, row, info_id) for row in rows]
    with out_path.open("wb") as out:
        for record in records:
            scratch.seek(0)
            scratch.truncate()
            builder.write_record(record)
            out.write(gzip_member(scratch.getvalue()))
    return len(records)


# --- checks ---------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def count_records(path: Path) -> int:
    """Read every record back to the end, checking its digests; raise if any fails."""
    with path.open("rb") as f:
        return sum(1 for record in ArchiveIterator(f, check_digests="raise") if read_all(record))


def read_all(record) -> bool:
    stream = record.content_stream()
    while stream.read(65536):
        pass
    return True


def check(rows: list[dict[str, str]]) -> int:
    problems = []
    pdf_file = PAGES / PDF_PAGE
    if not pdf_file.is_file() or pdf_file.read_bytes() != render_pdf():
        problems.append(f"pages/{PDF_PAGE} differs from render_pdf(): run build_corpus.py")
    if not WARC_PATH.is_file():
        problems.append(f"{WARC_NAME} is missing: run build_corpus.py")
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / WARC_NAME
        build(rows, fresh)
        if WARC_PATH.is_file() and fresh.read_bytes() != WARC_PATH.read_bytes():
            same = gzip.decompress(fresh.read_bytes()) == gzip.decompress(WARC_PATH.read_bytes())
            hint = " (records identical: only the deflate output differs, a zlib difference)"
            problems.append(
                f"{WARC_NAME} differs from a fresh build: {sha256(WARC_PATH)} != {sha256(fresh)}{hint if same else ''}"
            )
    for problem in problems:
        print(f"check failed: {problem}", file=sys.stderr)
    if not problems:
        print(f"ok: {WARC_NAME} matches a fresh build (sha256 {sha256(WARC_PATH)})")
    return 1 if problems else 0


def write_if_changed(path: Path, data: bytes) -> None:
    if not path.is_file() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify demo.warc.gz is up to date")
    args = parser.parse_args(argv)
    try:
        if not args.check:
            write_if_changed(PAGES / PDF_PAGE, render_pdf())
        rows = load_rows()
        if args.check:
            return check(rows)
        n = build(rows, WARC_PATH)
    except CorpusError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    size = WARC_PATH.stat().st_size
    print(f"wrote {WARC_NAME}: {n} records, {size} bytes, sha256 {sha256(WARC_PATH)}")
    print(f"read back {count_records(WARC_PATH)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
