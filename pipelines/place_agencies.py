"""Law enforcement agencies named in a text: "Palm Beach County Sheriff's Office",
"Winston-Salem Police Department", "Florida Department of Corrections".

Each is {"name", "level" (county|city|state), "county_fips", "state", "text", "start",
"end"}. The level comes from the words before the agency kind: a county name -> county,
a state name -> state, a city -> city (a sheriff is a county officer even when named for
a city: "Denver Sheriff Department" -> county). An agency with no name before it ("the
Sheriff's Office") is a back-reference and is skipped, except state-wide kinds ("the
Department of Corrections"), which take the context state.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.gazetteer import load
from pipelines.place_core import context, scan
from pipelines.place_dateline import parse_dateline
from pipelines.place_resolve import Context
from pipelines.place_scan import key_of, suffixes
from pipelines.place_text import clean, words_before

_SHERIFF = r"Sheriff'?s'?[ \t]+(?:Office|Department|Dept\.?)|Sheriff[ \t]+Department"
_POLICE = r"Police[ \t]+(?:Department|Dept\.?)|Department[ \t]+of[ \t]+Police"
_STATEWIDE = (
    r"Department[ \t]+of[ \t]+(?:Corrections?|Public[ \t]+Safety|Criminal[ \t]+Justice)"
    r"|Corrections[ \t]+Department|State[ \t]+Police|Highway[ \t]+Patrol"
)
_FACILITY = r"Jail|Detention[ \t]+(?:Center|Facility)|Correctional[ \t]+(?:Center|Facility)"
_AGENCY = re.compile(
    rf"\b(?:(?P<sheriff>{_SHERIFF})|(?P<police>{_POLICE})|(?P<state>{_STATEWIDE})"
    rf"|(?P<facility>{_FACILITY}))(?![A-Za-z])"
)


def find_agencies(
    text: str,
    *,
    state: str | None = None,
    dateline: str | None = None,
    issuer_fips: str | None = None,
) -> list[dict[str, Any]]:
    """Every agency phrase in `text`, in order (repeats included)."""
    body = clean(text or "")
    preferred, _ = context(state, parse_dateline(dateline) if dateline else None, issuer_fips)
    mentions, ctx = scan(body, preferred)
    return agencies_in(text or "", body, mentions, ctx)


def agencies_in(text: str, body: str, mentions: list[dict[str, Any]], ctx: Context) -> list[dict[str, Any]]:
    """The agencies of a text already scanned for places (`body` is `clean(text)`)."""
    ending = {m["end"]: m for m in mentions if m["fips"] or m["county_fips"]}
    out = []
    for m in _AGENCY.finditer(body):
        kind = m.lastgroup or "facility"
        prefix = ending.get(m.start() - 1) or ending.get(m.start())
        agency = _from_mention(prefix, kind) if prefix else _from_words(body, ctx, m, kind)
        if agency is None:
            continue
        start = agency.pop("start")
        agency.update(text=text[start : m.end()], start=start, end=m.end())
        agency["name"] = " ".join(body[start : m.end()].split())
        out.append(agency)
    return out


def _from_mention(mention: dict[str, Any], kind: str) -> dict[str, Any]:
    if mention["kind"] == "state":
        level = "state"
    elif mention["kind"] == "county" and not mention["text"].lower().startswith("city of"):
        level = "county"
    else:
        level = "county" if kind == "sheriff" else "city"
    return {
        "level": level,
        "county_fips": mention["county_fips"],
        "state": mention["state"],
        "start": mention["start"],
    }


def _from_words(body: str, ctx: Context, m: re.Match, kind: str) -> dict[str, Any] | None:
    """A prefix that is not a county or state mention: a city ("Winston-Salem Police")."""
    gaz = load()
    spans = words_before(body, m.start())
    level = "city" if kind == "police" else "county"
    for start, end in suffixes(body, spans):
        key = key_of(body[start:end])
        # A sheriff serves a county: "Hidalgo Sheriff's Office" is Hidalgo County's.
        rows = gaz.counties_named(key) if kind == "sheriff" else []
        row, _, _ = ctx.choose(rows or gaz.places_named(key), start)
        if row:
            fips = row.get("fips") or row["county_fips"]
            return {"level": level, "county_fips": fips, "state": row["state"], "start": start}
    if kind == "state":
        return {"level": "state", "county_fips": None, "state": _context_state(ctx), "start": m.start()}
    starts = [start for start, _ in suffixes(body, spans)]
    if not starts or kind == "facility":
        return None  # "the Sheriff's Office": a back-reference, or a facility with no name
    return {"level": level, "county_fips": None, "state": None, "start": starts[0]}


def _context_state(ctx: Context) -> str | None:
    return ctx.preferred[0][1] if ctx.preferred else None
