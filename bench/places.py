"""Benchmark: county FIPS found by pipelines.places against hand labels, and its speed.

Run from the repository root:  .venv/bin/python bench/places.py
Labels: bench/places_labels.json (see its "about"). Two sets, each skipped with a message
when its folder is absent:
- demo: archive/demo/expected.json, per release the dateline's county (`dateline_fips`)
  and the counties the release is about (`county_fips`, compared with our "subject"
  counties, which is what that list means);
- mn_ag: the dateline place of 363 real releases (../shared/realdata/...).
Scored items are (release, dateline county) and (release, subject county) pairs. The
last line is machine-readable: `PLACES precision=... recall=... rate=.../s`.
"""

from __future__ import annotations

import csv
import json
import re
import sys
import time
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make the project importable
    sys.path.insert(0, str(ROOT))

from pipelines.gazetteer import load  # noqa: E402
from pipelines.places import find_places  # noqa: E402

LABELS = json.loads((ROOT / "bench" / "places_labels.json").read_text(encoding="utf-8"))
_BODY = ['//*[contains(@class,"nr-body")]', '//*[contains(@class,"field-body")]',
         '//*[contains(@class,"fr-view")]', '//*[@id="content"]', "//body"]  # fmt: skip
# The MN dateline paragraph opens with an optional date and a bracketed place.
_MN_DATELINE = re.compile(r"^\W*(?:[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4})?\W*[(\[][^)\]]{2,40}[)\]]")


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", "replace")


def _text(node) -> str:
    return "\n".join(" ".join(t.split()) for t in node.xpath(".//text()") if t.strip())


def demo_cases() -> list[dict]:
    """One case per labelled demo release: its page, read as a spider would."""
    cfg = LABELS["demo"]
    expected = ROOT / cfg["expected"]
    if not expected.exists():
        print(f"demo: skipped ({cfg['expected']} not found)")
        return []
    pages = {}
    with open(ROOT / cfg["captures"], encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["status"] == "200" and row["page"]:
                pages[row["url"]] = row["page"]  # the latest capture of each URL
    cases = []
    for label in json.loads(expected.read_text(encoding="utf-8")):
        doc = lxml.html.fromstring(_decode((ROOT / cfg["pages"] / pages[label["url"]]).read_bytes()))
        body = next(n for xp in _BODY for n in doc.xpath(xp)[:1])
        host = label["url"].split("/")[2]
        cases.append(
            {
                "id": label["url"],
                "text": _text(body),
                "title": " ".join(doc.xpath("string(//h1)").split()),
                "subtitle": " ".join(doc.xpath('string(//h2[contains(@class,"subtitle")])').split()),
                "issuer_fips": cfg["issuer_by_host"].get(host),
                "dateline_fips": label["dateline_fips"],
                "county_fips": label["county_fips"],
            }
        )
    return cases


def mn_cases() -> list[dict]:
    cfg = LABELS["mn_ag"]
    folder = ROOT / cfg["html"]
    if not folder.exists():
        print(f"mn_ag: skipped ({cfg['html']} not found)")
        return []
    cases = []
    for name, label in cfg["pages"].items():
        doc = lxml.html.fromstring(_decode((folder / name).read_bytes()))
        content = (doc.xpath('//*[@id="content"]') or doc.xpath("//body"))[0]
        dateline = None
        for p in content.xpath(".//p")[:8]:
            m = _MN_DATELINE.match(p.text_content().replace("\u00c2", " "))
            if m:
                dateline = m.group(0)
                break
        cases.append(
            {
                "id": name,
                "text": _text(content),
                "dateline": dateline,
                "issuer_fips": cfg["issuer_fips"],
                "dateline_fips": label["dateline_fips"],
                "county_fips": None,  # only the dateline is labelled here
            }
        )
    return cases


def run(case: dict) -> list[dict]:
    return find_places(
        case["text"],
        dateline=case.get("dateline"),
        issuer_fips=case.get("issuer_fips"),
        title=case.get("title"),
        subtitle=case.get("subtitle"),
    )


def score(cases: list[dict], name: str) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for case in cases:
        found = run(case)
        got_dl = {m["county_fips"] for m in found if m["role"] == "dateline"} - {None}
        want_dl = {case["dateline_fips"]} - {None}
        pairs = [(got_dl, want_dl)]
        if case["county_fips"] is not None:
            subj = {m["fips"] for m in found if m["role"] == "subject" and m["kind"] == "county"}
            pairs.append((subj - {None}, set(case["county_fips"])))
        for got, want in pairs:
            tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
            if got != want:
                print(f"  {name} miss {case['id']}: got {sorted(got)} want {sorted(want)}")
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    print(f"{name}: {len(cases)} releases, tp={tp} fp={fp} fn={fn} precision={p:.3f} recall={r:.3f}")
    return tp, fp, fn


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def rate(cases: list[dict], seconds: float = 2.0) -> float:
    """Releases per CPU second of find_places (one process, one core), repeating the set
    for `seconds`. CPU time, not wall time, so other work on the machine does not count."""
    load()
    done, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for case in cases:
            run(case)
        done += len(cases)
    return done / (time.process_time() - start)


def main() -> int:
    demo, mn = demo_cases(), mn_cases()
    totals = [score(cases, name) for name, cases in (("demo", demo), ("mn_ag", mn)) if cases]
    tp, fp, fn = (sum(t[i] for t in totals) for i in range(3))
    cases = demo + mn
    size = sum(len(c["text"]) for c in cases) / max(1, len(cases))
    per_s = rate(cases) if cases else 0.0
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    print(f"speed: {per_s:,.0f} releases per CPU second, one core (mean body {size:,.0f} chars)")
    print(f"PLACES precision={p:.3f} recall={r:.3f} rate={per_s:.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
