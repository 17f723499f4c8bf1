"""WARC import: a WARC of the generated site, read bare (warcio + lxml) and through
`pressarchive import-warc` (the spider callbacks and every pipeline), in one run.

The WARC looks like a crawler's: one gzip member per record, a request record before each
response, and the headers a 2010 Apache server sent.
"""

from __future__ import annotations

import io
import random
import sqlite3
import sys
import time
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import lxml.html
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from bench.crawl import remove_db, run_measured

BIN = Path(sys.executable).parent
LIST_CAPTURE = datetime(2014, 1, 5, 9, 30, tzinfo=UTC)


def _captured(url: str, rng: random.Random) -> datetime:
    """A release is captured days after it went out (its URL carries YYMMDD); lists at the end."""
    name = url.rsplit("/", 1)[-1]
    if "/pi/nr/" not in url:
        return LIST_CAPTURE
    day = datetime.strptime(name[:6], "%y%m%d").replace(tzinfo=UTC)
    return day + timedelta(days=rng.randint(1, 30), seconds=rng.randint(0, 86399))


def _records(writer: WARCWriter, url: str, body: bytes, when: datetime) -> list:
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    request = StatusAndHeaders(
        f"GET {url[len('http://www.ice.gov') :]} HTTP/1.1",
        [("Host", "www.ice.gov"), ("User-Agent", "Mozilla/5.0 (compatible; archive.org_bot)"), ("Accept", "*/*")],
        is_http_request=True,
    )
    response = StatusAndHeaders(
        "200 OK",
        [
            ("Date", format_datetime(when, usegmt=True)),
            ("Server", "Apache/2.2.3 (Red Hat)"),
            ("Last-Modified", format_datetime(when - timedelta(hours=20), usegmt=True)),
            ("ETag", f'"{zlib.crc32(url.encode()):x}-{len(body):x}"'),
            ("Accept-Ranges", "bytes"),
            ("Content-Length", str(len(body))),
            ("Connection", "close"),
            ("Content-Type", "text/html; charset=UTF-8"),
        ],
        protocol="HTTP/1.1",
    )
    headers = {"WARC-Date": stamp}
    return [
        writer.create_warc_record(url, "request", http_headers=request, warc_headers_dict=headers),
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=response,
                                  warc_headers_dict=headers),
    ]  # fmt: skip


def write_warc(path: Path, site_dir: Path, files: dict[str, str], seed: int = 2010) -> dict:
    """List pages first, then releases: the order a crawl would have fetched them in."""
    rng = random.Random(seed)
    urls = sorted(files, key=lambda u: ("/pi/nr/" in u, u))
    start = time.perf_counter()
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url in urls:
            for record in _records(writer, url, (site_dir / files[url]).read_bytes(), _captured(url, rng)):
                writer.write_record(record)
    seconds = time.perf_counter() - start
    return {"responses": len(urls), "mb": path.stat().st_size / 1e6, "write_s": seconds}


def bare_read(path: Path) -> dict:
    """What any WARC reader must do at least: decompress, parse the records, parse the HTML."""
    start, cpu = time.perf_counter(), time.process_time()
    pages = 0
    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                lxml.html.fromstring(record.content_stream().read())
                pages += 1
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {"pages": pages, "wall_s": wall, "cpu_s": cpu, "pages_per_s": pages / wall}


def import_run(path: Path, db: Path) -> dict:
    remove_db(db)
    argv = [str(BIN / "pressarchive"), "import-warc", str(path), "--db", str(db)]
    result = run_measured(argv)
    result.pop("end")
    result["cores"] = result["cpu_s"] / result["wall_s"]
    conn = sqlite3.connect(db)
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("releases", "captures", "errors")}
    conn.close()
    root = str(Path(__file__).resolve().parent.parent) + "/"
    return {**result, "command": " ".join(a.replace(root, "") for a in argv), "archived": counts}


def run(site_dir: Path, files: dict[str, str], out: Path) -> dict:
    warc = out / "site.warc.gz"
    written = write_warc(warc, site_dir, files)
    bare = bare_read(warc)
    full = import_run(warc, out / "import.db")
    pages = bare["pages"]
    full["pages_per_s"] = pages / full["wall_s"]
    full["pages_per_cpu_s"] = pages / full["cpu_s"] if full["cpu_s"] else 0.0
    return {
        "warc": written, "bare": bare, "import": full, "ratio": full["pages_per_s"] / bare["pages_per_s"],
        "target": 300, "ok": full["pages_per_cpu_s"] >= 300,
    }  # fmt: skip


def render(r: dict) -> tuple[str, list[list]]:
    from bench.crawl import md_table, troubles, verdict

    bare, full = r["bare"], r["import"]
    rows = [
        ["bare read (warcio + lxml.html.fromstring)", bare["pages"], f"{bare['wall_s']:.2f}", f"{bare['cpu_s']:.2f}",
         f"{bare['pages_per_s']:.0f}", "1.00"],
        ["`pressarchive import-warc`", bare["pages"], f"{full['wall_s']:.2f}", f"{full['cpu_s']:.2f}",
         f"{full['pages_per_s']:.0f}", f"{full['cores']:.2f}"],
    ]  # fmt: skip
    per_core = full["pages_per_cpu_s"]
    text = [
        f"WARC: {r['warc']['responses']} responses (+ as many request records), {r['warc']['mb']:.1f} MB, "
        f"gzip per record, written in {r['warc']['write_s']:.1f} s.", "",
        md_table(["reader", "pages", "wall s", "CPU s", "pages/s", "cores used"], rows), "",
        f"Import / bare: {r['ratio']:.3f}×. Import throughput per core: **{per_core:.0f} pages per CPU-second** "
        f"(the import ran its pipelines in a second process and used {full['cores']:.2f} cores; peak RSS of both "
        f"{full['rss_mb']:.0f} MB). Target ≥ {r['target']} pages/s per core → **{verdict(r['ok'])}**. A second "
        "process shortens the import but cannot raise this figure: the extraction and pipeline stages alone "
        "cost more CPU per page than the target allows (section 3, its ceiling line).", "",
        f"Archived: {', '.join(f'{v} {k}' for k, v in full['archived'].items())}.", "",
        "```sh", full["command"], "```", *troubles(full),
    ]  # fmt: skip
    return "\n".join(text), [["WARC import", f"{per_core:.0f} pages/s per core", f"≥ {r['target']}", verdict(r["ok"])]]
