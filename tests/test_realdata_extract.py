"""Extraction on real pages: the Minnesota Attorney General's releases (../shared/realdata)
through `pressarchive extract --manifest`, one process for all of them."""

from __future__ import annotations

import csv
import html
import json
import re
from datetime import datetime

import ftfy

from tests.conftest import REALDATA, needs_realdata, run_cli

MN = REALDATA / "mn-ag-press-releases"
_TAG = re.compile(r"<[^>]+>")


def _norm(text: str) -> str:
    text = ftfy.fix_text(html.unescape(_TAG.sub("", text or "")), uncurl_quotes=True)
    return " ".join(text.split()).lower()


def _label_date(value: str) -> str:
    return datetime.strptime(value, "%d-%b-%y").date().isoformat()


@needs_realdata()
def test_titles_and_dates_of_the_attorney_general_releases(tmp_path):
    with (MN / "labels.csv").open(encoding="utf-8") as rows:
        labels = list(csv.DictReader(rows))
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["path", "url"])
        for row in labels:
            writer.writerow([MN / "html" / row["file"], row["url"]])
    lines = [json.loads(line) for line in run_cli("extract", "--manifest", str(manifest)).stdout.splitlines()]
    assert [line["url"] for line in lines] == [row["url"] for row in labels]
    html_pages = [(row, line) for row, line in zip(labels, lines, strict=True) if not row["file"].endswith(".pdf")]
    titles = sum(_norm(line.get("title")) == _norm(row["headline"]) for row, line in html_pages)
    dates = sum(line.get("published") == _label_date(row["date"]) for row, line in html_pages)
    datelines = sum(bool(line.get("dateline")) for _, line in html_pages)
    assert titles / len(html_pages) >= 0.98, titles
    assert dates / len(html_pages) >= 0.99, dates
    assert datelines / len(html_pages) >= 0.95, datelines
    # mojibake in the served pages is repaired
    assert not any("â€" in (line.get("body_text") or "") for _, line in html_pages)
    # the one PDF is reported, not dropped: it becomes an error or a release, never nothing
    pdf = [line for row, line in zip(labels, lines, strict=True) if row["file"].endswith(".pdf")]
    assert pdf and ("error" in pdf[0] or pdf[0]["title"])
