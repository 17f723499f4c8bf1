"""`make bench`: run the benchmarks and write bench/README.md from their results:
`.venv/bin/python bench/run.py [--quick] [--only NAME ...] [--render]`.

Each benchmark stores its result in bench/out/results/NAME.json and the README is rendered from
every stored result, so `--only crawl` refreshes one section and keeps the others (each section
says when, on which commit and in which mode it ran). `--quick` keeps its results and README in
bench/out/quick/, so a smoke run never replaces the full figures. CPU-heavy steps run one after
another: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from bench import crawl, scale, sitegen, stages, warc_import  # noqa: E402
from bench.crawl import md_table, verdict  # noqa: E402

OUT = ROOT / "bench" / "out"
PY = ".venv/bin/python"
FULL = {"pages": 5000, "rows": 1_000_000, "sample": 50_000, "kills": 20, "repeats": 2}
QUICK = {"pages": 1000, "rows": 50_000, "sample": 10_000, "kills": 4, "repeats": 1}


def _site(cfg: dict) -> tuple[Path, dict[str, str]]:
    directory = OUT / f"site-{cfg['pages']}"
    return directory, sitegen.generate(directory, cfg["pages"])


def bench_crawl(cfg: dict) -> dict:
    return crawl.run(*_site(cfg), OUT, cfg["repeats"])


def bench_warc(cfg: dict) -> dict:
    return warc_import.run(*_site(cfg), OUT)


def bench_stages(cfg: dict) -> dict:
    result = stages.run(*_site(cfg), OUT, cfg["pages"])
    # What the per-item store path leaves per release, by table: the archive-size model.
    result["tables_mb"] = scale.table_sizes(OUT / "stages-0.db")
    result["tables_releases"] = result["generated us_ice"]["pages"] + 2 * stages.WARMUP
    result["lookup"] = stages.lookup_cost(OUT, cfg["rows"])  # the identity look-up at the scale run's size
    return result


def bench_scale(cfg: dict) -> dict:
    return scale.run(OUT, cfg["rows"], cfg["sample"])


def _last_line(argv: list[str], prefix: str, timeout: int) -> dict:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    lines = [line for line in proc.stdout.splitlines() if line.startswith(prefix)]
    shown = " ".join(a.replace(str(ROOT) + "/", "") for a in argv).replace(sys.executable, PY)
    return {"command": shown, "exit": proc.returncode, "line": lines[-1] if lines else None,
            "stderr_tail": proc.stderr[-800:], "seconds": time.perf_counter() - start}  # fmt: skip


def bench_accuracy(cfg: dict) -> dict:
    found = {}
    for name, prefix in (("dates", "DATES"), ("places", "PLACES")):
        script = ROOT / "bench" / f"{name}.py"
        found[name] = _last_line([sys.executable, str(script)], prefix, 1200) if script.exists() else None
    return found


def bench_crash(cfg: dict) -> dict:
    if not (ROOT / "tests" / "crash_harness.py").exists():
        return {"pending": True}
    return _last_line([sys.executable, "-m", "tests.crash_harness", "--kills", str(cfg["kills"])], "CRASH", 3600)


BENCHMARKS = {"crawl": bench_crawl, "warc": bench_warc, "stages": bench_stages, "scale": bench_scale,
              "accuracy": bench_accuracy, "crash": bench_crash}  # fmt: skip


def code_version() -> str:
    """The commit measured, and whether tracked code outside bench/ had uncommitted changes."""
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    status = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True).stdout.splitlines()
    dirty = [line for line in status if not line.startswith("??") and not line[3:].startswith("bench/")]
    return (commit or "unknown") + (f" + {len(dirty)} uncommitted file(s)" if dirty else "")


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    models = [line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")]
    return {
        "cpu": models[0] if models else platform.processor() or "unknown", "cores": os.cpu_count(),
        "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "os": platform.platform(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load": os.getloadavg(), "code": code_version(),
    }  # fmt: skip


GB = 1000.0  # MB in a (decimal) gigabyte
LOAD_HEAD = ["load", "rows", "store s", "of which FTS rebuild s", "rows/s", "generation s (excluded)", "peak RSS MB",
             "database MB"]  # fmt: skip


def _load_row(name: str, m: dict) -> list:
    rate = m["rows"] / m["store_s"]
    return [name, f"{m['rows']:,}", f"{m['store_s']:.1f}", f"{m['fts_rebuild_s']:.1f}", f"{rate:,.0f}",
            f"{m['generate_s']:.1f}", f"{m['rss_mb']:.0f}", f"{m['db_mb']:,.0f}"]  # fmt: skip


def scale_loads(r: dict) -> tuple[list[str], list[list]]:
    rows = [_load_row(f"{mode} (sample)", m) for mode, m in r["samples"].items()]
    rows += [_load_row(f"**{mode}**", m) for mode, m in r["big"].items()]
    big = r["big"]["triggers"]
    fastest = min(r["big"].values(), key=lambda m: m["store_s"])
    tables = big["tables_mb"]
    fts, rel = tables.get("releases_fts (FTS5 index)", 0.0), tables.get("releases", 0.0)
    text = [
        md_table(LOAD_HEAD, rows), "",
        "triggers = the archive's store path (every insert fires the schema's FTS5 trigger); rebuild = insert "
        "with the triggers dropped, one FTS rebuild, triggers restored; nofts = no full-text index. Each load "
        "writes `releases` and one `release_urls` row per release, in 10,000-row transactions (`db.atomic()`: "
        "`insert_all` alone commits every 41 rows).", "",
        f"At {big['rows']:,} rows the database is {big['db_mb']:,.0f} MB: release rows and their indexes "
        f"{rel:,.0f} MB (of which body and title text {big['text_mb']:,.0f} MB), FTS5 index {fts:,.0f} MB "
        f"(+{fts / max(rel, 1) * 100:.0f}%). That is {big['text_mb'] * 1000 / big['rows']:.1f} KB of text per "
        f"release, {big['text_mb'] * 1e6 / big['rows'] / GB:.1f} GB per million releases before any index: "
        "≤ 1 GB at a million releases of this size cannot hold without compressing the text.",
    ]  # fmt: skip
    summary = [
        ["archive load, store path", f"{big['store_s'] / 60:.1f} min / {big['rows']:,} rows", "≤ 10 min",
         verdict(big["store_s"] <= 600)],
        ["archive load, fastest", f"{fastest['store_s'] / 60:.1f} min ({fastest['mode']})", "≤ 10 min",
         verdict(fastest["store_s"] <= 600)],
        ["archive load peak RSS", f"{max(m['rss_mb'] for m in r['big'].values()):.0f} MB", "≤ 1 GB",
         verdict(max(m["rss_mb"] for m in r["big"].values()) <= GB)],
        ["archive size", f"{big['db_mb'] / GB:.2f} GB", "≤ 1 GB", verdict(big["db_mb"] <= GB)],
    ]  # fmt: skip
    return text, summary


def per_item(stage: dict | None, rows: int) -> list[str]:
    """The per-item ArchiveWriter path, from the stages run: too slow and too big to run at 1M."""
    if not stage:
        return ["(run `--only stages` for the per-item ArchiveWriter figures)"]
    result = stage["result"]
    ms = result["generated us_ice"]["ms"]["  store, wall time"]
    per_release = sum(result["tables_mb"].values()) / result["tables_releases"]
    versions = result["tables_mb"].get("release_versions", 0) / result["tables_releases"]
    lookup = result.get("lookup") or {}
    # A scanning look-up grows from nothing to its cost at `rows` as the archive fills: half on average.
    scan = lookup["ms"] if lookup.get("plan", "").startswith("SCAN") else 0.0
    minutes = rows * (ms + scan / 2) / 60000
    return [
        f"Per-item path (`ArchiveWriter.write`: each release with its capture, version, URL, date evidence "
        f"and places, commits batched as a crawl batches them), from the stages run: {ms:.2f} ms per release on a "
        f"{result['tables_releases']:,}-release archive"
        + (f", plus a `release_urls` scan that reaches {scan:.1f} ms at {rows:,} (section 3)" if scan else "")
        + f" → about {minutes:,.0f} min for {rows:,} releases; "
        f"{per_release * 1000:.1f} KB "
        f"per release → {per_release * rows / GB:.1f} GB, of which `release_versions` {versions * 1000:.1f} KB "
        "(version 1 repeats the release's body_text)."
    ]


SEARCH_PASSES = {
    "count": "table search, count included (the command below)", "nocount": "same, `&_nocount=1`",
    "rowid": "proposed: FTS5 top 20 by rowid via `?sql=` (no count, no facets)",
    "project table": "table search under `pressarchive serve` (project metadata and settings)",
    "project canned": "canned `search_releases` (bm25, limit 100) under `pressarchive serve`",
}  # fmt: skip


def scale_search(r: dict) -> tuple[list[str], list[list]]:
    passes = r["serve"]["passes"]
    rows = [[SEARCH_PASSES.get(k, k), f"{v['p50_ms']:.0f}", f"{v['p95_ms']:.0f}", f"{v['max_ms']:.0f}",
             v["errors"], v["facets_timed_out"], verdict(v["p95_ms"] <= 100)] for k, v in passes.items()]  # fmt: skip
    groups = passes["count"]["groups"]
    grows = [[g, v["n"], f"{v['p50_ms']:.0f}", f"{v['max_ms']:.0f}", f"{passes['nocount']['groups'][g]['p50_ms']:.0f}"]
             for g, v in groups.items()]  # fmt: skip
    counts = {unquote(t["path"].split("_search=")[1].split("&")[0]): t["count"] for t in passes["count"]["timings"]}
    text = [
        f"Datasette on the store-path database (`datasette inspect` took {r['serve']['inspect_s']:.1f} s); "
        "50 requests per pass, one at a time, after one warm-up request.", "",
        md_table(["pass", "p50 ms", "p95 ms", "max ms", "errors", "facets timed out", "p95 ≤ 100 ms"], rows), "",
        md_table(["search group (count pass)", "n", "p50 ms", "max ms", "p50 ms with _nocount"], grows), "",
        "Matches per term: " + ", ".join(f"{k} {v:,}" for k, v in list(counts.items())[:30] if v is not None) + ".",
        "", "```sh", r["big"]["triggers"]["command"], r["serve"]["command"],
        "curl 'http://127.0.0.1:PORT/archive/releases.json?_size=20&_search=county&_facet=source&_facet=year'", "```",
    ]  # fmt: skip
    text += floor_lines(r["serve"].get("floors"))
    count = passes["count"]
    return text, [["FTS search p95 (50 requests)", f"{count['p95_ms']:.0f} ms (p50 {count['p50_ms']:.0f})",
                   "≤ 100 ms", verdict(count["p95_ms"] <= 100)]]  # fmt: skip


def floor_lines(floors: dict | None) -> list[str]:
    """Why common words miss the target: what the same searches cost inside SQLite alone."""
    if not floors:
        return []
    terms = ", ".join(t for _, t in floors["terms"])
    rows = [[name, f"{v.get('common', 0):,.0f}", f"{v.get('county', 0):,.0f}"] for name, v in floors["ms"].items()]
    return [
        "", f"The same work inside SQLite, no Datasette and no HTTP (worst of the terms {terms}; best of 3 runs each):",
        "", md_table(["query", "common words ms", "county names ms"], rows), "",
        "Datasette's table search is `rowid IN (SELECT rowid FROM releases_fts WHERE ... MATCH ...)`: SQLite "
        "gathers every match before the first row, so a word found in every release costs more than 100 ms "
        "before any count or facet; the count and each facet then visit every matching row. A narrow copy of "
        "`releases` (no text columns) makes those visits several times cheaper, but not cheap enough. Only the "
        "FTS5 index walked in rowid order (the `rowid` pass) answers in milliseconds.",
    ]  # fmt: skip


def scale_section(rec: dict, results: dict) -> tuple[str, list[list]]:
    r = rec["result"]
    loads, summary = scale_loads(r)
    search, more = scale_search(r)
    return "\n".join(loads + [""] + per_item(results.get("stages"), r["rows"]) + ["", *search]), summary + more


def accuracy_section(rec: dict, results: dict) -> tuple[str, list[list]]:
    text, summary = [], []
    for name, found in rec["result"].items():
        if found is None:
            text.append(f"- `bench/{name}.py`: not present yet.")
            continue
        text.append(f"- `{found['command']}` (exit {found['exit']}, {found['seconds']:.0f} s):\n  `{found['line']}`")
        ok = found["exit"] == 0 and found["line"] is not None and "ok=False" not in found["line"]
        figure = " ".join((found["line"] or "- no summary line").split()[1:4])
        summary.append([f"accuracy: {name}", figure, "see section 5", verdict(ok)])
    return "\n".join(["So that speed is never bought with truth:", "", *text]), summary


def crash_section(rec: dict, results: dict) -> tuple[str, list[list]]:
    found = rec["result"]
    if found.get("pending"):
        return "PENDING: `tests/crash_harness.py` is not there yet; no figures.", [["crash/resume", "pending", "", ""]]
    ok = found["exit"] == 0 and found["line"] is not None and " problems=0 " in found["line"]
    text = [f"`{found['line']}`", "", "```sh", found["command"], "```"]
    if not ok:
        text += ["", "stderr (tail):", "```", found["stderr_tail"].strip(), "```"]
    fields = dict(f.split("=", 1) for f in (found["line"] or "").split()[1:] if "=" in f)
    figure = ", ".join(f"{k} {fields.get(k, '?')}" for k in ("kill_points", "problems", "refetched_archived"))
    return "\n".join(text), [["crash/resume", figure, "0 problems", verdict(ok)]]


SECTIONS = [
    ("crawl", "1. Live crawl: bare against full", lambda rec, _: crawl.render(rec["result"])),
    ("warc", "2. WARC import", lambda rec, _: warc_import.render(rec["result"])),
    ("stages", "3. CPU per stage", lambda rec, _: stages.render(rec["result"])),
    ("scale", "4. Archive scale and search", scale_section),
    ("accuracy", "5. Accuracy", accuracy_section),
    ("crash", "6. Crash and resume", crash_section),
]


def write_readme(stored: Path, target: Path) -> None:
    results = {p.stem: json.loads(p.read_text()) for p in sorted(stored.glob("*.json"))}
    body, summary = [], []
    for name, title, render in SECTIONS:
        rec = results.get(name)
        if rec is None:
            body += [f"## {title}", "", f"Not run yet: `{PY} bench/run.py --only {name}`.", ""]
            continue
        text, rows = render(rec, results)
        when = rec["machine"]
        load, code = ", ".join(f"{x:.1f}" for x in when["load"]), when.get("code", "(not recorded)")
        stamp = f"_{rec['mode']} run {when['date']} on commit {code}, {rec['seconds']:.0f} s, "
        body += [f"## {title}", "", stamp + f"load average before: {load}; sizes {rec['config']}_", "", text, ""]
        summary += rows
    m = machine()
    head = [
        "# Benchmarks", "", "Generated by `bench/run.py` (`make bench`); do not edit by hand.", "",
        "```sh", f"{PY} bench/run.py            # everything (about 25 minutes)",
        f"{PY} bench/run.py --quick    # a smoke run: bench/out/quick/README.md", f"{PY} bench/run.py --only scale",
        "```", "",
        f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, SQLite {m['sqlite']}; {m['os']}. "
        f"Written {m['date']}. Other people's jobs share this machine: every figure that matters is a ratio "
        "or a comparison measured in the same run.", "",
        "## Summary", "", md_table(["benchmark", "figure", "target", "result"], summary), "",
    ]  # fmt: skip
    target.write_text("\n".join(head + body).rstrip() + "\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description="Run the benchmarks and write bench/README.md.")
    parser.add_argument("--quick", action="store_true", help=f"smaller sizes for a smoke run: {QUICK}")
    parser.add_argument("--only", action="append", choices=list(BENCHMARKS), help="run only this one (repeatable)")
    parser.add_argument("--render", action="store_true", help="only rewrite README.md from the stored results")
    args = parser.parse_args()
    cfg = QUICK if args.quick else FULL
    stored = OUT / "quick" if args.quick else OUT / "results"
    stored.mkdir(parents=True, exist_ok=True)
    for name in [] if args.render else args.only or list(BENCHMARKS):
        print(f"[bench] {name} ({'quick' if args.quick else 'full'}) ...", file=sys.stderr, flush=True)
        start, when = time.perf_counter(), machine()
        result = BENCHMARKS[name](cfg)
        seconds = time.perf_counter() - start
        record = {"mode": "quick" if args.quick else "full", "config": cfg, "seconds": seconds, "machine": when}
        (stored / f"{name}.json").write_text(json.dumps({**record, "result": result}, indent=1, default=str))
        print(f"[bench] {name} done in {seconds:.0f} s", file=sys.stderr, flush=True)
    write_readme(stored, stored / "README.md" if args.quick else ROOT / "bench" / "README.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
