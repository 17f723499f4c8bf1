"""Golden files for the source registry test: what each source's recorded pages come out as.

`python -m tests.golden [NAME...]` rewrites them; review the diff like code.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from crawler.items import PressRelease
from crawler.page import PageExtractor, as_json

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The fields a reviewer checks; the body is summarised so goldens stay readable.
FIELDS = (
    "url", "title", "subtitle", "date_raw", "dateline", "language", "published",
    "published_precision", "date_source", "modified", "date_conflict", "fiscal_year", "listing",
)  # fmt: skip
_extractor: PageExtractor | None = None


def golden_path(name: str) -> Path:
    return FIXTURES / name / "golden.json"


def _page_path(folder: Path, relative: str) -> Path:
    local = folder / relative
    return local if local.exists() else ROOT / relative


def render_item(item) -> dict:
    data = as_json(item)
    if not isinstance(item, PressRelease):
        return data
    out = {name: data.get(name) for name in FIELDS}
    body = data.get("body_text") or ""
    out["body_start"] = body[:120]
    out["body_chars"] = len(body)
    out["jurisdictions"] = sorted(
        {f"{j.get('role')}:{j.get('fips') or '?'}:{j.get('name')}" for j in data.get("jurisdictions") or []}
    )
    return out


def render_source(name: str) -> list[dict]:
    global _extractor
    _extractor = _extractor or PageExtractor()
    folder = FIXTURES / name
    pages = []
    with (folder / "pages.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            headers = {"Content-Type": row["content_type"]} if row.get("content_type") else None
            body = _page_path(folder, row["path"]).read_bytes()
            items = _extractor.extract(body, row["url"], headers=headers)
            pages.append({"url": row["url"], "items": [render_item(item) for item in items]})
    return pages


def main(names: list[str]) -> None:
    from crawler.registry import spider_classes

    for name in names or sorted(spider_classes()):
        golden_path(name).write_text(json.dumps(render_source(name), indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {golden_path(name).relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1:])
