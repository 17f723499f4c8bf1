"""Find the jurisdictions a press release names: its dateline, counties, places and states.

`find_places(text, state=..., dateline=..., issuer_fips=...)` returns one dict per
mention: {"name", "kind" (state|county|place), "state" (postal), "fips" (2 or 5 digits;
None for places and unresolved names), "county_fips", "ocd_id", "lat", "lon", "role"
(dateline|subject|mentioned), "text", "start", "end", "field" (dateline|title|subtitle|body),
"basis" (which evidence chose the unit)}; unresolved names add "candidates", renamed
counties "former_fips"/"former_name", units that ended by 2020 "valid_to"/"successors".
`analyze()` runs find_places, find_agencies and find_claims over one text, scanning once.

Role rule: the dateline place is "dateline"; everything named in the title is "subject";
in the body a county is "subject" when the title names it too, or when its sentence
says it joins, is activated, deploys or begins using something (the release is about
it); every other mention is "mentioned".

What is not matched, on purpose: a bare place name with no pattern around it ("Victoria",
"Independence", "London"): places are only taken from datelines, "City, ST", "city of X"
and "<State> City" phrases, so words and foreign places do not turn into towns.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.gazetteer import load, name_key
from pipelines.place_agencies import agencies_in, find_agencies
from pipelines.place_claims import find_claims
from pipelines.place_core import context, scan, without_overlaps
from pipelines.place_dateline import leading_dateline, parse_dateline, resolve_dateline
from pipelines.place_resolve import Context
from pipelines.place_text import clean

__all__ = ["analyze", "find_agencies", "find_claims", "find_places", "parse_dateline"]

Mention = dict[str, Any]
_CUE = re.compile(
    r"\b(?:activat\w*|join(?:s|ed|ing)?|deploy\w*|implement\w*|expan\w*|participat\w*"
    r"|benefit\w*|(?:began|begin|begins|start(?:s|ed)?|now|will)[ \t]+us(?:e|es|ing))\b",
    re.IGNORECASE,
)


def _dateline(text: str, dateline: str | None) -> tuple[dict[str, Any] | None, str]:
    """(parsed dateline, field): the given dateline, or the one opening the text."""
    if dateline:
        return parse_dateline(dateline), "dateline"
    lead = leading_dateline(text)
    return (parse_dateline(lead) if lead else None), "body"


def _repeated_dateline(body: str, parsed: dict[str, Any] | None) -> int:
    """Length of a body-opening dateline that repeats the given one (0 if none)."""
    lead = leading_dateline(body)
    again = parse_dateline(lead) if lead and parsed else None
    return len(lead) if again and name_key(again["city"]) == name_key(parsed["city"]) else 0


def find_places(
    text: str,
    *,
    state: str | None = None,
    dateline: str | None = None,
    issuer_fips: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
) -> list[Mention]:
    """The jurisdictions named in `text` (a release body), in order, with their roles.

    `state` (postal, name or FIPS), the dateline's state and the issuer's state settle
    names several states share; units named in `title` or `subtitle` are subjects.
    """
    headings = {"title": title, "subtitle": subtitle}
    return _find(clean(text or ""), dateline, headings, state=state, issuer_fips=issuer_fips)[0]


def analyze(
    text: str,
    *,
    state: str | None = None,
    dateline: str | None = None,
    issuer_fips: str | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    as_of: str | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """find_places, find_agencies and find_claims over one body, scanning it once."""
    body = clean(text or "")
    headings = {"title": title, "subtitle": subtitle}
    places, found, ctx = _find(body, dateline, headings, state=state, issuer_fips=issuer_fips)
    return {
        "jurisdictions": places,
        "agencies": agencies_in(text or "", body, found, ctx),
        "claims": find_claims(text or "", as_of=as_of),
    }


def _find(body: str, dateline: str | None, headings: dict, *, state, issuer_fips):
    """(mentions with roles, body mentions without roles, body context)."""
    parsed, dl_field = _dateline(body, dateline)
    preferred, dl = context(state, parsed, issuer_fips)
    found, ctx = scan(body, preferred)
    repeat = _repeated_dateline(body, parsed) if dl_field == "dateline" else 0
    found = [m for m in found if m["start"] >= repeat]
    out: list[Mention] = []
    if parsed:
        if dl["state"] is None:  # the text itself may tell which state it is in
            dl = resolve_dateline(load(), parsed, ctx)
        dl = {**dl, "role": "dateline", "field": dl_field}
        if dl_field == "body":
            found = without_overlaps([*found, dl])
        else:
            out.append(dl)
    subjects: set[str] = set()
    for field, heading in headings.items():
        for m in scan(clean(heading), preferred)[0] if heading else []:
            out.append({**m, "role": "subject", "field": field})
            subjects.add(m["fips"] or m["text"])
    for m in found:
        out.append(m if m.get("role") == "dateline" else {**m, "role": _role(body, ctx, m, subjects), "field": "body"})
    return out, found, ctx


def _role(body: str, ctx: Context, m: Mention, subjects: set[str]) -> str:
    if (m["fips"] or m["text"]) in subjects:
        return "subject"
    if m["kind"] == "county":
        start, end = ctx.sentences.span(m["start"])
        if _CUE.search(body, start, end):
            return "subject"
    return "mentioned"
