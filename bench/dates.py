"""Benchmark: our published dates against hand labels and against htmldate, in the same run.

Run from the repository root:  .venv/bin/python bench/dates.py [DATA_DIR]
DATA_DIR defaults to ../shared/realdata/mn-ag-press-releases (labels.csv + html/). Labels are
`file,url,headline,subhead,date` with dates like 16-Oct-18. Non-HTML files (the PDF) are
skipped and listed. The last line is machine-readable: `DATES ours=... htmldate=... ...`.
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from parsel import Selector  # noqa: E402

from crawler.date_strings import collect_date_strings  # noqa: E402
from crawler.items import PressRelease  # noqa: E402
from pipelines.dates import DatesPipeline  # noqa: E402

DATA = ROOT.parent / "shared" / "realdata" / "mn-ag-press-releases"
_WS = re.compile(r"\s+")
# The shape of this site's dateline paragraph: "March 12, 2019 (SAINT PAUL)".
_DATELINE = re.compile(r"^(?:[A-Z][a-z]+day,?\s+)?[A-Z][a-z]+\.?\s*\d{1,2},?\s+\d{4}(?:\s*\([^)]*\))?")


def _text(value: str | None) -> str:
    return _WS.sub(" ", (value or "").replace("Â\xa0", " ").replace("\xa0", " ")).strip()


def local_extract(html: str, url: str) -> PressRelease:
    """A stand-in for the site's spider: what the page prints, nothing parsed."""
    sel = Selector(text=html)
    content = sel.xpath('//*[@id="content"]') or sel.xpath("//body")
    item = PressRelease(source="us_mn_ag", agency="Minnesota Attorney General", url=url)
    item.timezone = "America/Chicago"
    for p in content.xpath(".//p")[:8]:
        text = _text(" ".join(p.xpath(".//strong//text()").getall())) or _text(p.xpath("string()").get())
        if m := _DATELINE.match(text):
            if "(" in m[0]:
                item.dateline = m[0]
            else:
                item.date_raw = m[0]
            break
    item.title = _text(sel.xpath("string(//h1)").get())
    item.body_text = "\n".join(_text(t) for t in content.xpath(".//p").xpath("string()").getall())
    item.date_strings = collect_date_strings(sel)
    return item


# The lead swaps in the real extractor here, e.g. `EXTRACT = crawler.page.extract_page`.
EXTRACT: Callable[[str, str], PressRelease] = local_extract


@dataclass
class Page:
    file: str
    url: str
    expected: str
    html: str


def load_pages(data: Path = DATA) -> tuple[list[Page], list[str]]:
    """(HTML pages with their labels, skipped non-HTML files)."""
    pages, skipped = [], []
    with open(data / "labels.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["file"].lower().endswith(".pdf"):
                skipped.append(row["file"])
                continue
            html = (data / "html" / row["file"]).read_bytes().decode("utf-8", errors="replace")
            expected = datetime.strptime(row["date"], "%d-%b-%y").date().isoformat()
            pages.append(Page(row["file"], row["url"], expected, html))
    return pages, skipped


def run_ours(pages: list[Page]) -> tuple[list[PressRelease], dict[str, float]]:
    """Our dated items, and milliseconds per page for date_strings and for the pipeline."""
    pipeline, items = DatesPipeline(), []
    spent = {"date_strings": 0.0, "pipeline": 0.0}
    for page in pages:
        item = EXTRACT(page.html, page.url)
        sel = Selector(text=page.html)  # parsing HTML is the spider's cost, not ours
        start = time.perf_counter()
        collect_date_strings(sel)
        middle = time.perf_counter()
        pipeline.process_item(item)
        spent["date_strings"] += middle - start
        spent["pipeline"] += time.perf_counter() - middle
        items.append(item)
    return items, {k: v * 1000 / max(len(pages), 1) for k, v in spent.items()}


def run_htmldate(pages: list[Page]) -> tuple[list[str | None], float]:
    """htmldate's answers (find_date, extensive search, original date) and ms per page."""
    import logging

    from htmldate import find_date

    logging.getLogger("htmldate").setLevel(logging.ERROR)
    found, start = [], time.perf_counter()
    for page in pages:
        found.append(find_date(page.html, extensive_search=True, original_date=True, url=page.url))
    return found, (time.perf_counter() - start) * 1000 / max(len(pages), 1)


def evaluate(data: Path = DATA, with_htmldate: bool = True) -> dict:
    """Every figure the report prints, as a dict (also used by tests/test_dates_realdata.py)."""
    pages, skipped = load_pages(data)
    items, ours_ms = run_ours(pages)
    theirs, theirs_ms = run_htmldate(pages) if with_htmldate else ([None] * len(pages), 0.0)
    n = max(len(pages), 1)
    wrong = [
        (p.file, p.expected, i.published, i.date_source)
        for p, i in zip(pages, items, strict=True)
        if i.published != p.expected
    ]
    return {
        "pages": len(pages),
        "skipped": skipped,
        "ours_accuracy": (len(pages) - len(wrong)) / n,
        "ours_coverage": sum(i.published is not None for i in items) / n,
        "ours_day_coverage": sum(i.published_precision == "day" for i in items) / n,
        "ours_ms": ours_ms,
        "htmldate_accuracy": sum(t == p.expected for p, t in zip(pages, theirs, strict=True)) / n,
        "htmldate_coverage": sum(t is not None for t in theirs) / n,
        "htmldate_ms": theirs_ms,
        "conflicts": sum(i.date_conflict for i in items),
        "sources": _count(i.date_source for i in items),
        "wrong": wrong,
        "htmldate_wrong": [(p.file, p.expected, t) for p, t in zip(pages, theirs, strict=True) if t != p.expected],
    }


def _count(values) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[str(v)] = counts.get(str(v), 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def report(r: dict) -> str:
    ms = r["ours_ms"]
    lines = [
        f"pages: {r['pages']} HTML (skipped, not HTML: {', '.join(r['skipped']) or 'none'})",
        f"ours:     exact-day accuracy {r['ours_accuracy']:.4f}  coverage {r['ours_coverage']:.4f}"
        f"  (day precision {r['ours_day_coverage']:.4f})"
        f"  {ms['date_strings'] + ms['pipeline']:.3f} ms/page"
        f" (date_strings {ms['date_strings']:.3f} + pipeline {ms['pipeline']:.3f})",
        f"htmldate: exact-day accuracy {r['htmldate_accuracy']:.4f}  coverage {r['htmldate_coverage']:.4f}"
        f"  {r['htmldate_ms']:.3f} ms/page",
        f"chosen sources: {r['sources']}  conflicts flagged: {r['conflicts']}",
        f"ours wrong ({len(r['wrong'])}): file, expected, got, chosen source",
        *(f"  {f}  {e}  {g}  {s}" for f, e, g, s in r["wrong"]),
        f"htmldate wrong ({len(r['htmldate_wrong'])}): file, expected, got",
        *(f"  {f}  {e}  {g}" for f, e, g in r["htmldate_wrong"]),
        f"DATES ours={r['ours_accuracy']:.4f} htmldate={r['htmldate_accuracy']:.4f}"
        f" ours_coverage={r['ours_coverage']:.4f} htmldate_coverage={r['htmldate_coverage']:.4f}"
        f" pages={r['pages']} ours_ms={ms['date_strings'] + ms['pipeline']:.3f}"
        f" htmldate_ms={r['htmldate_ms']:.3f} ok={r['ours_accuracy'] >= max(0.99, r['htmldate_accuracy'])}",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(report(evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)))
