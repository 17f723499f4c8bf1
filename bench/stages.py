"""CPU milliseconds per page for each stage of the chain a crawl runs, so the bottleneck shows.

The chain is built the way crawler/page.py builds it (one spider and one pipeline instance per
source, pipelines in ITEM_PIPELINES order), with the store's ArchiveWriter on a scratch
database. Each stage is timed with time.process_time around it alone.
"""

from __future__ import annotations

import csv
import re
import sqlite3
import time
from collections import defaultdict
from pathlib import Path

import sqlite_utils
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler, load_object

from archive.schema import ensure_schema
from bench.crawl import remove_db
from crawler.date_strings import collect_date_strings
from crawler.items import ErrorRecord, PressRelease
from crawler.registry import project_settings, spider_for_url
from pipelines.store import ArchiveWriter, open_archive

STORE = "pipelines.store.StorePipeline"
WARMUP = 3  # first pages load the gazetteer and dateparser's tables: reported apart
REALDATA = Path(__file__).resolve().parent.parent.parent / "shared" / "realdata" / "mn-ag-press-releases"


class Chain:
    def __init__(self, db_path: Path):
        self.settings = project_settings()
        remove_db(db_path)
        # Configured as StorePipeline configures it (batched commits), so "store" is a crawl's cost.
        batch = {"batch_items": self.settings.getint("ARCHIVE_BATCH_ITEMS", 1),
                 "batch_seconds": self.settings.getfloat("ARCHIVE_BATCH_SECONDS", 0.0)}  # fmt: skip
        self.writer = ArchiveWriter(open_archive(str(db_path)), **batch)
        self._chains: dict[str, tuple] = {}

    def chain(self, spidercls) -> tuple:
        if spidercls.name not in self._chains:
            crawler = Crawler(spidercls, self.settings)
            order = sorted(self.settings.getdict("ITEM_PIPELINES").items(), key=lambda kv: kv[1])
            pipelines = [
                (path.split(".")[1], build_from_crawler(load_object(path), crawler))
                for path, _ in order
                if path != STORE
            ]
            self._chains[spidercls.name] = (spidercls(), pipelines)
            self.writer.source(spidercls)
        return self._chains[spidercls.name]

    def page(self, url: str, body: bytes, capture: dict, spent: dict[str, float]) -> None:
        spider, pipelines = self.chain(spider_for_url(url))
        clock = time.process_time
        t0 = clock()
        request = Request(url, meta={"capture": capture})
        response = HtmlResponse(url=url, body=body, headers={"Content-Type": "text/html"}, request=request)
        response.selector  # noqa: B018 (the lxml parse, which parsel does lazily)
        t1 = clock()
        items = list(spider.route(response))
        t2 = clock()
        collect_date_strings(response.selector)  # timed again alone: a part of the callback
        t3 = clock()
        spent["parse"] += t1 - t0
        spent["callback"] += t2 - t1
        spent["  of which date_strings"] += t3 - t2
        for item in items:
            if isinstance(item, PressRelease):
                item = self._pipelines(item, pipelines, spent)
            start, wall = clock(), time.perf_counter()
            self.writer.write(item)
            spent["store"] += clock() - start
            spent["  store, wall time"] += time.perf_counter() - wall

    def _pipelines(self, item, pipelines, spent):
        for name, pipeline in pipelines:
            start = time.process_time()
            try:
                item = pipeline.process_item(item)
            except DropItem as exc:
                return ErrorRecord(item.source, item.url, "validate", str(exc), item.capture)
            finally:
                spent[name] += time.process_time() - start
        return item


def measure(pages: list[tuple[str, bytes, dict]], db_path: Path) -> dict:
    """Mean CPU ms per page for every stage, the warm-up apart."""
    chain = Chain(db_path)
    warm: dict[str, float] = defaultdict(float)
    start = time.process_time()
    for url, body, capture in pages[:WARMUP]:
        chain.page(url, body, capture, warm)
    warmup_s = time.process_time() - start
    spent: dict[str, float] = defaultdict(float)
    measured = pages[WARMUP:-WARMUP]
    for url, body, capture in measured:
        chain.page(url, body, capture, spent)
    scans = full_scans(chain, pages[-WARMUP:])  # new pages: a known one takes a shorter path
    chain.writer.commit()
    chain.writer.db.close()
    n = max(len(measured), 1)
    order = ["parse", "callback", "  of which date_strings", *[name for name, _ in _first(chain)], "store"]
    order.append("  store, wall time")
    ms = {stage: spent.get(stage, 0.0) * 1000 / n for stage in order}
    total = sum(v for k, v in ms.items() if not k.startswith(" "))
    return {"pages": len(measured), "ms": ms, "total_ms": total, "warmup_s": warmup_s, "scans": scans}


_SCAN = re.compile(r"^SCAN (\w+)")
_LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+\b")  # the trace shows values; the plan is the same


def full_scans(chain: Chain, pages: list[tuple[str, bytes, dict]]) -> list[str]:
    """Statements the store runs per item that read a whole table, found by tracing a few writes
    and asking SQLite for each statement's plan: a cost that grows with the archive, which a
    per-page mean over a small archive hides."""
    conn, statements = chain.writer.db.conn, []
    conn.set_trace_callback(statements.append)
    for url, body, capture in pages:
        chain.page(url, body, capture, defaultdict(float))
    conn.set_trace_callback(None)
    found = set()
    for sql in dict.fromkeys(statements):
        if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")) or "sqlite_master" in sql:
            continue
        for row in conn.execute("EXPLAIN QUERY PLAN " + sql):
            table = _SCAN.match(row[3])
            if table and not table[1].startswith("sqlite_"):
                found.add(f"{row[3]}: {' '.join(_LITERAL.sub('?', sql).split())[:100]}")
    return sorted(found)


def _first(chain: Chain) -> list:
    return next(iter(chain._chains.values()))[1] if chain._chains else []


def generated_pages(site_dir: Path, files: dict[str, str], limit: int) -> list[tuple[str, bytes, dict]]:
    urls = [u for u in files if "/pi/nr/" in u][:limit]
    return [(u, (site_dir / files[u]).read_bytes(), _capture(u, "20140301120000")) for u in urls]


def real_pages(data: Path = REALDATA) -> list[tuple[str, bytes, dict]]:
    """The hand-labelled Minnesota AG pages, HTML only, when the shared data is present."""
    if not (data / "labels.csv").exists():
        return []
    with (data / "labels.csv").open(newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["file"].lower().endswith(".pdf")]
    return [(r["url"], (data / "html" / r["file"]).read_bytes(), _capture(r["url"], "20250101000000")) for r in rows]


def _capture(url: str, timestamp: str) -> dict:
    return {"archive": "bench", "timestamp": timestamp, "original_url": url, "url": url, "status": 200}


def run(site_dir: Path, files: dict[str, str], out: Path, limit: int) -> dict:
    corpora = {"generated us_ice": generated_pages(site_dir, files, limit), "real us_mn_ag": real_pages()}
    return {name: measure(pages, out / f"stages-{i}.db") for i, (name, pages) in enumerate(corpora.items()) if pages}


def render(r: dict) -> tuple[str, list[list]]:
    from bench.crawl import md_table

    corpora = [name for name in r if isinstance(r[name], dict) and "total_ms" in r[name]]
    stages_ = list(r[corpora[0]]["ms"])
    rows = [[s.replace("  ", "&nbsp;&nbsp;"), *(f"{r[c]['ms'][s]:.2f}" for c in corpora)] for s in stages_]
    rows.append(["**total**", *(f"**{r[c]['total_ms']:.2f}**" for c in corpora)])
    rows.append(["ceiling, pages per CPU-second", *(f"{1000 / r[c]['total_ms']:.0f}" for c in corpora)])
    head = ["stage (CPU ms per page)", *(f"{c} ({r[c]['pages']} pages)" for c in corpora)]
    first = r[corpora[0]]
    top = sorted(((v, k) for k, v in first["ms"].items() if not k.startswith(" ")), reverse=True)[:2]
    text = [
        md_table(head, rows), "",
        f"Largest on the generated pages: {top[0][1]} ({top[0][0]:.2f} ms), then {top[1][1]} ({top[1][0]:.2f} ms). "
        f"Indented lines are parts or views of the line above, not added to the total. The first {WARMUP} pages "
        f"(gazetteer and dateparser loading, {first['warmup_s']:.2f} s) are left out.", "",
        *_scan_lines(first.get("scans", []), r.get("lookup")),
        "```sh", ".venv/bin/python bench/run.py --only stages", "```",
    ]  # fmt: skip
    return "\n".join(text), [["per-stage CPU", f"{first['total_ms']:.1f} ms/page, top: {top[0][1]}", "(none)", "—"]]


def _scan_lines(scans: list[str], lookup: dict | None) -> list[str]:
    lines = ["Per-item statements of the store that read a whole table (traced, with SQLite's plans):", ""]
    lines += [f"- `{scan}`" for scan in scans] if scans else ["- none"]
    if lookup and "ms" in lookup:
        lines += [
            "", f"The store's identity look-up `{LOOKUP}` at {lookup['rows']:,} rows, as the schema has it "
            f"({lookup['plan']}): {lookup['ms']:.3f} ms per release written.",
        ]  # fmt: skip
        if "indexed_ms" in lookup:
            lines[-1] += f" With an index on `release_urls(url)`: {lookup['indexed_ms']:.3f} ms."
    return [*lines, ""]


_URL = "http://www.ice.gov/pi/nr/1004/100426place{}.htm"
LOOKUP = "SELECT release_id FROM release_urls WHERE url = ?"


def lookup_cost(out: Path, total: int, probes: int = 200) -> dict:
    """The store's per-release URL look-up at this size, as the schema has it, and with an index
    on url when the schema has none. A table of its own, so the experiment leaves the archive
    as the store path made it."""
    path = out / "lookup.db"
    remove_db(path)
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    with db.atomic():
        rows = ({"release_id": f"{i:016x}", "url": _URL.format(i)} for i in range(total))
        db["release_urls"].insert_all(rows, batch_size=10_000)
    urls = [_URL.format(i) for i in range(0, total, max(1, total // probes))]
    plan = db.conn.execute("EXPLAIN QUERY PLAN " + LOOKUP, [urls[0]]).fetchall()[-1][3]
    result = {"rows": total, "plan": plan, "ms": _per_lookup_ms(db.conn, urls)}
    if plan.startswith("SCAN"):
        db.conn.execute("CREATE INDEX bench_release_urls_url ON release_urls (url)")
        result["indexed_ms"] = _per_lookup_ms(db.conn, urls)
    db.conn.close()
    remove_db(path)
    return result


def _per_lookup_ms(conn: sqlite3.Connection, urls: list[str]) -> float:
    start = time.perf_counter()
    for url in urls:
        conn.execute(LOOKUP, [url]).fetchall()
    return (time.perf_counter() - start) * 1000 / len(urls)
