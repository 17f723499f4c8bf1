"""The dateline place of every real Minnesota release resolves to its labelled county."""

from __future__ import annotations

import json
import re

import lxml.html
import pytest

from pipelines.places import find_places

from .conftest import REALDATA, ROOT, needs_realdata

LABELS = json.loads((ROOT / "bench" / "places_labels.json").read_text(encoding="utf-8"))["mn_ag"]
_DATELINE = re.compile(r"^\W*(?:[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4})?\W*[(\[][^)\]]{2,40}[)\]]")


def dateline_of(path) -> str | None:
    doc = lxml.html.fromstring(path.read_bytes().decode("utf-8", "replace"))
    for p in doc.xpath('//*[@id="content"]//p')[:8]:
        m = _DATELINE.match(p.text_content().replace("\u00c2", " "))
        if m:
            return m.group(0)
    return None


@needs_realdata()
def test_mn_datelines():
    folder = REALDATA / "mn-ag-press-releases" / "html"
    wrong = []
    for name, label in LABELS["pages"].items():
        dateline = dateline_of(folder / name)
        found = [m["county_fips"] for m in find_places("", dateline=dateline, issuer_fips="27") if dateline]
        if (found[0] if found else None) != label["dateline_fips"]:
            wrong.append(name)
    assert len(LABELS["pages"]) == 363 and wrong == []


@pytest.mark.parametrize(
    "dateline", ["March 12, 2019 (SAINT PAUL)", "June\u00c2 28, 2022 (SAINT PAUL)\u00c2 \u00e2\u0080\u0094"]
)
def test_mn_dateline_styles(dateline):
    (m,) = find_places("", dateline=dateline, issuer_fips="27")
    assert m["county_fips"] == "27123" and m["name"] == "Saint Paul"
