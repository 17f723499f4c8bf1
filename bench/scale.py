"""Archive scale: a million synthetic releases through the archive's schema and FTS, served by
Datasette and searched over HTTP. Loads run in a child (`python bench/scale.py load ...`) so the
peak RSS is the load's own: "triggers" is the store path (every insert fires the FTS5 trigger),
"rebuild" drops the triggers, inserts, rebuilds the index once and restores them, "nofts" shows
what full-text search costs."""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
import sqlite_utils  # noqa: E402

from archive.readonly import archive_uri  # noqa: E402
from archive.schema import ensure_schema  # noqa: E402
from bench.crawl import free_port, percentile, remove_db, run_measured, wait_http  # noqa: E402
from bench.sitegen import release  # noqa: E402

SOURCES = ["us_ice"] * 6 + ["us_mn_ag", "us_nc_winston_salem", "us_tx_harris_so", "us_az_maricopa_so",
                            "us_fl_palm_beach_so", "us_va_fairfax_pd"]  # fmt: skip
CHUNK = 10_000  # rows per transaction: big enough to amortize the commit, small enough for RSS
BIN = Path(sys.executable).parent
SYLLABLES = [c + v for c in "bdfghklmnprstvz" for v in "aeiou"]


def vocabulary(rng: random.Random, size: int = 40_000) -> list[str]:
    """Pseudo-words (surnames, places) drawn by a Zipf-like law: a long tail of rare terms."""
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words, key=lambda w: hashlib.md5(w.encode()).hexdigest())


def _zipf(rng: random.Random, words: list[str]) -> str:
    while (rank := int(rng.paretovariate(1.0))) > len(words):
        pass
    return words[rank - 1]


def rows(start: int, count: int, rng: random.Random, words: list[str]):
    """Releases as the site generator writes them (~3 KB of text), plus one sentence of rare
    names so that searches for rare terms have something to find."""
    for i in range(start, start + count):
        rel = release(rng, i)
        day, place = rel["day"], rel["place"]
        name, unit = f"{_zipf(rng, words).title()} {_zipf(rng, words).title()}", _zipf(rng, words)
        more = release(rng, i)["paragraphs"][1:4]  # the pages' bodies average 2.3 KB; archives hold ~3 KB
        body = "\n\n".join(rel["paragraphs"] + more) + (
            f"\n\nCase {day:%y}-{i:07d} was referred by Deputy {name} of the {unit} unit in {place[0]} County."
        )
        stamp = f"{day + timedelta(days=3):%Y%m%d}120000"
        yield {
            "release_id": hashlib.sha1(str(i).encode()).hexdigest()[:16], "source": rng.choice(SOURCES),
            "url": rel["url"], "title": rel["title"], "subtitle": rel["subtitle"] or None,
            "published": day.isoformat(), "published_precision": "day", "date_source": "page",
            "date_raw": rel["printed"], "modified": None, "date_conflict": 0, "year": day.year,
            "month": f"{day:%Y-%m}", "fiscal_year": day.year + (day.month >= 10), "dateline": place[1].upper(),
            "language": "en", "content_type": "text/html", "body_text": body,
            "content_hash": hashlib.sha1(body.encode()).hexdigest(), "first_captured": stamp,
            "last_captured": stamp, "capture_count": 1, "version_count": 1,
        }  # fmt: skip


def _triggers(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type='trigger' AND tbl_name='releases'")]


def _insert(db: sqlite_utils.Database, chunk: list[dict]) -> None:
    with db.atomic():  # one transaction per chunk; insert_all alone would commit every 41 rows
        db["releases"].insert_all(chunk, batch_size=CHUNK)
        urls = [{"release_id": r["release_id"], "url": r["url"], "first_captured": r["first_captured"]} for r in chunk]
        db["release_urls"].insert_all(urls, batch_size=CHUNK)  # the store writes one per release too


def load(db_path: Path, total: int, mode: str, seed: int = 7) -> dict:
    """Insert `total` rows in CHUNK-row transactions; generation is timed apart and excluded."""
    remove_db(db_path)
    db = sqlite_utils.Database(db_path)
    ensure_schema(db)
    db["sources"].insert_all([{"name": s} for s in sorted(set(SOURCES))])
    triggers = _triggers(db.conn)
    if mode in ("rebuild", "nofts"):
        for name in [r[0] for r in db.conn.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]:
            db.conn.execute(f"DROP TRIGGER [{name}]")
    rng = random.Random(seed)
    words = vocabulary(rng)
    spent = {"generate": 0.0, "insert": 0.0, "fts_rebuild": 0.0, "checkpoint": 0.0}
    for start in range(0, total, CHUNK):
        t0 = time.perf_counter()
        chunk = list(rows(start, min(CHUNK, total - start), rng, words))
        t1 = time.perf_counter()
        _insert(db, chunk)
        spent["generate"] += t1 - t0
        spent["insert"] += time.perf_counter() - t1
    t0 = time.perf_counter()
    if mode == "rebuild":
        db["releases"].rebuild_fts()
        for sql in triggers:
            db.conn.execute(sql)
    spent["fts_rebuild"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    # Fold the WAL in and leave WAL mode: Datasette serves the file immutable (-i).
    db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.execute("PRAGMA journal_mode=DELETE")
    spent["checkpoint"] = time.perf_counter() - t0
    text = db.conn.execute("SELECT sum(length(body_text)), sum(length(title)) FROM releases").fetchone()
    db.conn.close()
    store = spent["insert"] + spent["fts_rebuild"] + spent["checkpoint"]
    return {"rows": total, "mode": mode, **{f"{k}_s": v for k, v in spent.items()}, "store_s": store,
            "text_mb": sum(text) / 1e6}  # fmt: skip


def table_sizes(db_path: Path) -> dict[str, float]:
    """Megabytes per table, its indexes counted with it and the FTS shadow tables as one."""
    conn = sqlite3.connect(db_path)
    found = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_master WHERE type IN ('index', 'table')"))
    conn.close()
    groups: dict[str, float] = {}
    for name, size in found:
        if name == "sqlite_schema":
            continue
        table = owner.get(name) or name.removeprefix("sqlite_autoindex_").rsplit("_", 1)[0]
        table = "releases_fts (FTS5 index)" if table.startswith("releases_fts") else table
        groups[table] = groups.get(table, 0.0) + size / 1e6
    return dict(sorted(groups.items(), key=lambda kv: -kv[1]))


def load_child(db_path: Path, total: int, mode: str, out: Path) -> dict:
    """The load in its own process: its peak RSS is the load's alone."""
    report = out / f"load-{mode}-{total}.json"
    argv = [sys.executable, __file__, "load", str(db_path), str(total), mode, str(report)]
    measured = run_measured(argv, timeout=3600)
    if measured["exit"] != 0:
        raise RuntimeError(f"load failed: {measured['stderr_tail']}")
    result = json.loads(report.read_text())
    result.update(wall_s=measured["wall_s"], rss_mb=measured["rss_mb"], cpu_s=measured["cpu_s"])
    result["command"] = " ".join(a.replace(str(ROOT) + "/", "") for a in argv)
    result["db_mb"] = db_path.stat().st_size / 1e6
    return {**result, "tables_mb": table_sizes(db_path)}


# What a search page could run instead: FTS5 walks its index in rowid order and stops at the
# limit, where "order by release_id" (the table page) or bm25 (the canned query) visit every match.
TOP_BY_ROWID = (
    "select r.release_id, r.title, r.published, r.source, snippet(releases_fts, -1, '[', ']', ' … ', 24) as snippet"
    " from releases_fts join releases r on r.rowid = releases_fts.rowid"
    " where releases_fts match :q order by releases_fts.rowid desc limit 20"
)


def search_terms(words: list[str]) -> list[tuple[str, str]]:
    """30 terms: common words match nearly every row, county names about one in sixty, and
    pseudo-surnames from the Zipf tail a handful of rows or none."""
    common = ["county", "sheriff", "immigration", "fingerprints", "communities", "secure communities",
              "jail", "removal", "criminal", "program"]  # fmt: skip
    county = ["maricopa", "forsyth", "yakima", "hennepin", "sarasota", "gwinnett", "loudoun", "weld", "webb", "canyon"]
    rare = [words[rank] for rank in (100, 200, 400, 800, 1600, 3200, 6400, 12800, 25600)] + ["zyzzyva"]
    return [(g, t) for g, terms in (("common", common), ("county", county), ("rare", rare)) for t in terms]


def table_paths(terms: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The 50 table searches: the 30 terms, 15 of them with two facets, 5 sorted by date."""
    base = "/archive/releases.json?_size=20&_search="
    paths = [(g, base + quote(t)) for g, t in terms]
    paths += [(f"{g} +facets", base + quote(t) + "&_facet=source&_facet=year") for g, t in terms if t in _firsts(terms)]
    paths += [("common sorted", base + quote(t) + "&_sort_desc=published") for g, t in terms[:5]]
    return paths


def _firsts(terms: list[tuple[str, str]]) -> set[str]:
    return {t for g in ("common", "county", "rare") for t in [t for gg, t in terms if gg == g][:5]}


def other_paths(terms: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    phrase = {t: '"' + '" "'.join(t.split()) + '"' for _, t in terms}  # every word must appear, as quoted
    return {
        "canned": [(g, f"/archive/search_releases.json?q={quote(t)}") for g, t in terms],
        "rowid": [(g, f"/archive.json?sql={quote(TOP_BY_ROWID)}&q={quote(phrase[t])}") for g, t in terms],
    }


def query_pass(argv_for: Callable[[int], list[str]], path_sets: dict[str, list[tuple[str, str]]]) -> dict:
    """Start Datasette, wait for it, then time each request once (after one untimed warm-up)."""
    port = free_port()
    server = subprocess.Popen(argv_for(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = {}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            wait_http(client, "/-/versions.json")
            for name, paths in path_sets.items():
                client.get(paths[0][1])
                results[name] = summarize([_timed(client, group, path) for group, path in paths])
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def _timed(client: httpx.Client, group: str, path: str) -> dict:
    start = time.perf_counter()
    response = client.get(path)
    ms = (time.perf_counter() - start) * 1000
    data = response.json() if response.status_code == 200 else {}
    count = data.get("filtered_table_rows_count") if isinstance(data, dict) else None
    timed_out = data.get("facets_timed_out") if isinstance(data, dict) else None
    return {"group": group, "path": path, "ms": ms, "status": response.status_code, "count": count,
            "facets_timed_out": timed_out or []}  # fmt: skip


def summarize(timings: list[dict]) -> dict:
    groups: dict[str, list[float]] = {}
    for t in timings:
        groups.setdefault(t["group"], []).append(t["ms"])
    every = [t["ms"] for t in timings]
    return {
        "p50_ms": percentile(every, 0.5), "p95_ms": percentile(every, 0.95), "max_ms": max(every),
        "groups": {g: {"p50_ms": percentile(v, 0.5), "max_ms": max(v), "n": len(v)} for g, v in groups.items()},
        "errors": sum(t["status"] != 200 for t in timings),
        "facets_timed_out": sum(bool(t["facets_timed_out"]) for t in timings), "timings": timings,
    }  # fmt: skip


FLOOR_MATCH = "(SELECT rowid FROM {fts} WHERE {fts} MATCH :q)"
FLOOR_SQL = {
    "FTS5 index alone: count the matches": "SELECT count(*) FROM releases_fts WHERE releases_fts MATCH :q",
    "Datasette's count: releases WHERE rowid IN (matches)": "SELECT count(*) FROM {table} WHERE rowid IN {match}",
    "one facet: source over the matching rows":
        "SELECT source, count(*) FROM {table} WHERE rowid IN {match} GROUP BY source",
    "first page: 20 rows by rowid (no count, no facet)":
        "SELECT release_id, title FROM {table} WHERE rowid IN {match} ORDER BY rowid LIMIT 21",
}  # fmt: skip


def sqlite_floors(db_path: Path, out: Path, terms: list[tuple[str, str]], repeats: int = 3) -> dict:
    """What the searches cost inside SQLite, without Datasette or HTTP (best of `repeats`), on the
    archive as it is and on a narrow copy of `releases` without its text columns: the floor under
    any Datasette configuration of this schema."""
    narrow_path = out / "narrow.db"
    remove_db(narrow_path)
    # URI names (immutable=1) are honoured only on a connection opened with uri=True.
    conn = sqlite3.connect(archive_uri(narrow_path), uri=True)
    conn.execute("ATTACH DATABASE ? AS a", [archive_uri(db_path, immutable=1)])
    conn.execute(
        "CREATE TABLE narrow AS SELECT rowid AS rowid_, release_id, source, title, published, year FROM a.releases"
    )
    conn.execute("CREATE TABLE narrow_keyed (rowid INTEGER PRIMARY KEY, release_id, source, title, published, year)")
    conn.execute("INSERT INTO narrow_keyed SELECT * FROM narrow")
    conn.execute("DROP TABLE narrow")
    conn.commit()
    match = FLOOR_MATCH.format(fts="a.releases_fts").replace("a.releases_fts MATCH", "releases_fts MATCH")
    picked = [(g, t) for g in ("common", "county") for t in [t for gg, t in terms if gg == g][:3]]
    results: dict[str, dict[str, list[float]]] = {}
    for table, label in (("a.releases", "archive"), ("narrow_keyed", "narrow copy")):
        for name, sql in FLOOR_SQL.items():
            if table == "narrow_keyed" and name.startswith("FTS5"):
                continue
            query = sql.format(table=table, match=match)
            for group, term in picked:
                best = min(_ms(conn, query, term) for _ in range(repeats))
                results.setdefault(f"{name} ({label})", {}).setdefault(group, []).append(best)
    conn.close()
    remove_db(narrow_path)
    return {"terms": picked, "ms": {k: {g: max(v) for g, v in groups.items()} for k, groups in results.items()}}


def _ms(conn: sqlite3.Connection, sql: str, term: str) -> float:
    start = time.perf_counter()
    conn.execute(sql, {"q": term}).fetchall()
    return (time.perf_counter() - start) * 1000


def serve_bench(db_path: Path, out: Path, seed: int = 7) -> dict:
    """Datasette as the brief runs it (with and without the count), and as `pressarchive serve`
    configures it today (project metadata, no inspect file, facet suggestions on)."""
    from crawler.cli import datasette_args, metadata_for

    inspect = out / "inspect.json"
    start = time.perf_counter()
    subprocess.run([str(BIN / "datasette"), "inspect", str(db_path), "--inspect-file", str(inspect)], check=True)
    inspect_s = time.perf_counter() - start
    terms = search_terms(vocabulary(random.Random(seed)))  # the load's first draws: the same words
    table, other = table_paths(terms), other_paths(terms)
    brief = [str(BIN / "datasette"), "serve", "-i", str(db_path), "--host", "127.0.0.1", "--setting", "suggest_facets",
             "off", "--setting", "sql_time_limit_ms", "3000", "--inspect-file", str(inspect)]  # fmt: skip
    metadata, host = out / "metadata.json", "127.0.0.1"
    metadata.write_text(json.dumps(metadata_for(str(db_path))))
    nocount = [(g, p + "&_nocount=1") for g, p in table]
    passes = query_pass(
        lambda port: [*brief, "--port", str(port)], {"count": table, "nocount": nocount, "rowid": other["rowid"]}
    )
    project = query_pass(
        lambda port: datasette_args(str(db_path), port, host, str(metadata)),
        {"table": table, "canned": other["canned"]},
    )
    passes.update({f"project {k}": v for k, v in project.items()})
    shown = " ".join(a.replace(str(ROOT) + "/", "") for a in brief)
    floors = sqlite_floors(db_path, out, terms)
    return {
        "inspect_s": inspect_s,
        "command": shown + " --port PORT",
        "passes": passes,
        "target": 100,
        "floors": floors,
    }


def run(out: Path, rows_total: int, sample: int, big_modes: tuple[str, ...] = ("triggers", "rebuild")) -> dict:
    """Sample-size loads compare the write paths; the full-size loads give the figures; the
    store-path database is then served and searched. Databases are deleted afterwards (GBs)."""
    samples = {}
    for mode in ("triggers", "rebuild", "nofts"):
        samples[mode] = load_child(out / f"sample-{mode}.db", sample, mode, out)
        remove_db(out / f"sample-{mode}.db")
    paths = {mode: out / ("archive.db" if mode == "triggers" else f"archive-{mode}.db") for mode in big_modes}
    big = {mode: load_child(path, rows_total, mode, out) for mode, path in paths.items()}
    served = serve_bench(out / "archive.db", out)
    for path in paths.values():
        remove_db(path)
    return {"rows": rows_total, "sample_rows": sample, "samples": samples, "big": big, "serve": served}


def main() -> None:
    """Child entry: scale.py load DB ROWS MODE REPORT.json"""
    _, action, db, total, mode, report = sys.argv
    assert action == "load" and mode in ("triggers", "rebuild", "nofts"), sys.argv
    Path(report).write_text(json.dumps(load(Path(db), int(total), mode)))


if __name__ == "__main__":
    main()
