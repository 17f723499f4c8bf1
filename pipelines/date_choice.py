"""Date candidates of one page capture, and the rule that picks published and modified.

The rule itself is documented in `pipelines.dates` (the pipeline's docstring); the weights and
families it refers to are defined here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from crawler.date_strings import MODIFIED_LABELS
from pipelines.date_parse import ParsedDate, parse_core, resolve
from pipelines.date_url import date_from_url

STRONG, MEDIUM, WEAK = 3, 2, 1
# Tie-break order when equally supported values compete (earlier = preferred).
KIND_PRIORITY = ("dateline", "page", "listing", "label", "url", "meta", "time", "title", "body")
BODY_CHARS = 400  # only the lede: later dates in a body are about other events
ORDERS = ("MDY", "DMY", "YMD")
GENERIC_LABELS = frozenset({"label:date"})
_MODIFIED_META = re.compile(r"modif|updat|revis")
_MODIFIED_PREFIX = re.compile(
    r"^\W*(?:last\s+modified|last\s+updated|last\s+revised|updated|modified|revised|actualizado)",
    re.IGNORECASE,
)


@dataclass
class Candidate:
    """One parsed date with where it came from and how much it counts."""

    kind: str
    raw: str
    value: ParsedDate
    role: str = "published"  # published | modified | capture
    weight: int = MEDIUM
    family: str = ""  # candidates of one family are not independent evidence
    note: str | None = None
    chosen: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "raw": self.raw,
            "value": self.value.iso,
            "precision": self.value.precision,
            "chosen": self.chosen,
            "note": self.note,
        }


@dataclass
class Choice:
    published: ParsedDate | None = None
    source: str | None = None
    modified: ParsedDate | None = None
    conflict: bool = False
    candidates: list[Candidate] = field(default_factory=list)


def classify(kind: str, raw: str) -> tuple[str, int, str]:
    """(role, weight, family) of a candidate kind."""
    head, _, name = kind.partition(":")
    if head == "capture":
        return "capture", 0, "capture"
    if head == "label" and name in MODIFIED_LABELS or head == "meta" and _MODIFIED_META.search(name):
        return "modified", MEDIUM, head
    if _MODIFIED_PREFIX.match(raw):  # "Last Modified: ..." printed where a date was expected
        return "modified", MEDIUM, "page"
    if kind in GENERIC_LABELS:  # "Date:" also labels hearings and deadlines
        return "published", MEDIUM, "page"
    if head in ("dateline", "page", "label"):
        return "published", STRONG, "page"  # one printed date, however many ways we found it
    if head in ("listing", "url"):
        return "published", STRONG, head
    if head in ("meta", "time"):
        return "published", MEDIUM, "markup"
    if head == "title":
        return "published", MEDIUM, "title"
    return "published", WEAK, head


def make_candidate(kind: str, raw: str, value: ParsedDate) -> Candidate:
    role, weight, family = classify(kind, raw)
    if value.inferred and role != "capture":
        weight = WEAK  # a guessed year or a relative phrase is weak evidence
    return Candidate(kind, raw, value, role, weight, family, value.inferred)


def capture_time(timestamp: Any, tz: str | None) -> datetime | None:
    """A 14-digit UTC capture timestamp as a naive local datetime in the source's zone."""
    digits = str(timestamp or "")
    if not digits.isdigit() or len(digits) < 8:
        return None
    try:
        stamp = datetime.strptime((digits + "000000")[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)
    except ValueError:
        return None
    try:
        zone = ZoneInfo(tz) if tz else UTC
    except (KeyError, ValueError):  # an unknown zone name: UTC is off by hours, not by days
        zone = UTC
    return stamp.astimezone(zone).replace(tzinfo=None)


def _raw_sources(item: Any) -> list[tuple[str, str]]:
    listing = item.listing or {}
    sources = [
        ("dateline", item.dateline),
        ("page", item.date_raw),
        ("listing", listing.get("date_raw")),
        *((s.get("kind", ""), s.get("raw")) for s in item.date_strings or ()),
        ("title", item.title),
        ("body", (item.body_text or "")[:BODY_CHARS]),
    ]
    seen, unique = set(), []
    for kind, raw in sources:
        if kind and raw and (kind, raw) not in seen:
            seen.add((kind, raw))
            unique.append((kind, str(raw)))
    return unique


def _snippet(text: str, match: str | None, width: int = 60) -> str:
    """The words around a date found in a body, on its own line: readable evidence."""
    at = text.find(match) if match else -1
    if at < 0:
        return text[: 2 * width]
    start = max(text.rfind("\n", 0, at) + 1, at - width)
    end = text.find("\n", at)
    end = min(end if end >= 0 else len(text), at + len(match) + width)
    return text[start:end].strip()


def _context_year(cands: list[Candidate]) -> int | None:
    """The year the page's dated, non-guessed sources agree on (for "April 27")."""
    years = Counter(c.value.year for c in cands if c.weight >= MEDIUM and c.role == "published")
    top = years.most_common(2)
    if not top or len(top) > 1 and top[0][1] == top[1][1]:
        return None
    return top[0][0]


def collect_candidates(item: Any, *, languages: tuple[str, ...] = ("en", "es")) -> list[Candidate]:
    """Every date candidate of a PressRelease, parsed, with its kind and raw text."""
    order = (item.date_order or "MDY").upper()
    order = order if order in ORDERS else "MDY"
    base = capture_time((item.capture or {}).get("timestamp"), item.timezone)
    cands, pending = [], []
    if url_date := date_from_url(item.url):
        cands.append(make_candidate("url", item.url, url_date))
    for kind, raw in _raw_sources(item):
        found = parse_core(raw, order, tuple(languages), base, item.timezone)
        if isinstance(found, ParsedDate):
            if kind != "body":
                cands.append(make_candidate(kind, raw, found))
            elif found.precision == "day":  # a body's month or year is about something else
                cands.append(make_candidate(kind, _snippet(raw, found.text), found))
        elif found is not None and kind != "body":
            pending.append((kind, raw, found))
    hint = _context_year(cands)
    for kind, raw, found in pending:  # yearless and relative dates, once the context is known
        if value := resolve(found, base, hint):
            cands.append(make_candidate(kind, raw, value))
    if base is not None:
        stamp = str(item.capture.get("timestamp"))
        capture = make_candidate("capture", stamp, ParsedDate(base.year, base.month, base.day))
        capture.note = "capture time: an upper bound, not a publication date"
        cands.append(capture)
    return cands


def _distance(a: ParsedDate, b: ParsedDate) -> int:
    """Days between two date ranges (0 when they overlap)."""
    if a.last_day() < b.first_day():
        return (b.first_day() - a.last_day()).days
    if b.last_day() < a.first_day():
        return (a.first_day() - b.last_day()).days
    return 0


def _priority(c: Candidate) -> int:
    head = c.kind.partition(":")[0]
    return KIND_PRIORITY.index(head) if head in KIND_PRIORITY else len(KIND_PRIORITY)


_LEVELS = ("day", "month", "year")


def _rank(pool: list[Candidate]) -> list[tuple[tuple, ParsedDate, Candidate]]:
    """Values at the finest precision that survives, best first, with their representative."""
    for level in _LEVELS:
        ranked = _rank_level([c for c in pool if c.value.precision == level], pool)
        if ranked:
            return ranked
    return []


def _rank_level(level: list[Candidate], pool: list[Candidate]) -> list:
    coarse = (
        [c for c in pool if _LEVELS.index(c.value.precision) > _LEVELS.index(level[0].value.precision)] if level else []
    )
    ranked = []
    for value in {c.value for c in level}:
        support = [c for c in level if c.value == value]
        best = min(support, key=lambda c: (-c.weight, _priority(c)))
        # A coarser source that contradicts this value and outweighs it vetoes it.
        if any(_distance(k.value, value) > 0 and k.weight > best.weight for k in coarse):
            continue
        families: dict[str, int] = {}
        for c in support:
            families[c.family] = max(families.get(c.family, 0), c.weight)
        key = (sum(families.values()), best.weight, -_priority(best), -value.first_day().toordinal())
        ranked.append((key, value, best))
    return sorted(ranked, key=lambda r: r[0], reverse=True)


def _conflict(pool: list[Candidate], ranked: list, conflict_days: int) -> bool:
    strong = [c.value for c in pool if c.weight == STRONG]
    spread = max((_distance(a, b) for a in strong for b in strong), default=0)
    tie = len(ranked) > 1 and ranked[0][0][0] == ranked[1][0][0]
    return spread > conflict_days or tie


def choose(
    candidates: list[Candidate],
    first_capture: date | None = None,
    *,
    conflict_days: int = 1,
    capture_fallback: bool = False,
) -> Choice:
    """Apply the documented rule; marks the candidates used as `chosen` and notes rejections."""
    live = []
    for c in candidates:
        c.chosen = False  # choose() may run again on the same candidates (e.g. a new first capture)
        if c.role != "capture" and first_capture and c.value.first_day() > first_capture:
            late = f"after capture {first_capture.isoformat()}: impossible"
            c.note = late if not c.note or "after capture" in c.note else f"{c.note}; {late}"
        elif c.role != "capture":
            live.append(c)
    choice = Choice(candidates=candidates)
    modified = [c for c in live if c.role == "modified"]
    if modified:
        latest = max(modified, key=lambda c: (c.value.precision == "day", c.value.last_day()))
        latest.chosen, choice.modified = True, latest.value
    pool = [c for c in live if c.role == "published"]
    ranked = _rank(pool) if pool else []
    if ranked:
        _, choice.published, best = ranked[0]
        best.chosen, choice.source = True, best.kind
        choice.conflict = _conflict(pool, ranked, conflict_days)
    elif capture_fallback:
        for c in candidates:
            if c.role == "capture":
                c.chosen, c.note = True, "no printed date: capture date used"
                choice.published, choice.source = c.value, "capture"
    return choice
