"""Datelines: "FAIRFAX, Va. -", "SAN ANTONIO, Texas", "Palm Beach, FL", "WASHINGTON",
"March 12, 2019 (SAINT PAUL)", "August 16, 2021 [SAINT PAUL]", "4/26/2010 Palm Beach, FL".
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.gazetteer import Gazetteer, load, name_key
from pipelines.place_resolve import (
    Context,
    county_mention,
    dominant,
    place_mention,
    single,
    state_mention,
    unresolved,
)
from pipelines.place_text import clean

_MONTH = r"(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[A-Za-z]*\.?"
_DATE = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|{_MONTH}\s+\d{{4}}"
    r"|\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d\d-\d\d)"
)
_PLACE = r"[A-Za-z][A-Za-z .'-]{0,40}?"
# "(SAINT PAUL)" or "[SAINT PAUL]", optionally after a date.
_BRACKETED = re.compile(rf"^\s*(?P<date>{_DATE})?[\s,]*[(\[]\s*(?P<city>{_PLACE})\s*[)\]]")
# "SAN ANTONIO, Texas", "Palm Beach, FL", "WASHINGTON", optionally after a date; matched
# against the dateline cut at its dash ("FAIRFAX, Va. - ..." -> "FAIRFAX, Va.").
_PLAIN = re.compile(
    rf"^\s*(?:(?P<date>{_DATE})[\s,:-]*)?(?P<city>[A-Za-z][A-Za-z .'-]*?)"
    r"(?:\s*,\s*(?P<state>[A-Za-z][A-Za-z. ]*?))?\s*$"
)
# The dash after a dateline: spaced hyphen(s), an en or em dash, or their mojibake.
_DASH = re.compile(r"\s+-+(?:\s|$)|[\u2013\u2014]|--|\u00e2[\u20ac\u0080]")
# A dateline that opens a body text: ALL CAPS place (with its state) and a dash.
_LEADING = re.compile(
    rf"^\s*(?:{_DATE}\s*)?(?:[(\[][A-Za-z .'-]{{2,40}}[)\]]|[A-Z][A-Z .'-]{{1,40}}"
    r"(?:,\s*[A-Za-z][A-Za-z. ]{1,24}?)?)\s*(?=[-\u2013\u2014]|\(AP\))"
)


def parse_dateline(dateline: str | None) -> dict[str, Any] | None:
    """Split a dateline into its place and state as printed; the place is not resolved.

    A city AP datelines print alone gets its state ("WASHINGTON" -> DC, "ST. LOUIS" -> MO)
    with state_text None. Returns {"city", "state" (postal or None), "state_text",
    "date_text", "text", "city_start", "city_end", "end"} (offsets into `dateline`), or None.
    """
    if not dateline or not dateline.strip():
        return None
    text = clean(dateline)
    dash = _DASH.search(text)
    m = _BRACKETED.match(text) or _PLAIN.match(text[: dash.start()] if dash else text)
    if not m:
        return None
    city_start, city_end = m.span("city")
    city = text[city_start:city_end].strip(" .-'")
    city_end = city_start + len(text[city_start:city_end].rstrip(" -'"))
    if not city or len(city.split()) > 5 or city.lower() in _NOT_PLACES:
        return None
    gaz = load()
    state_text = m.groupdict().get("state")
    state = gaz.state(state_text) if state_text else None
    if state_text and state is None:
        return None  # "City, Something" where Something is no state: not a dateline
    postal = state["postal"] if state else gaz.ap_datelines.get(name_key(city))
    return {
        "city": _display(city),
        "state": postal,
        "state_text": state_text,
        "date_text": m.group("date"),
        "text": dateline,
        "city_start": city_start,
        "city_end": city_end,
        "end": m.end("state") if state_text else city_end,
    }


_NOT_PLACES = {"press release", "news release", "for immediate release", "remarks as delivered"}
_LOWER = {"of", "and", "the", "de", "la"}
_WORD = re.compile(r"[A-Za-z]+")


def _display(city: str) -> str:
    """ "SAN ANTONIO" -> "San Antonio", "WINSTON-SALEM" -> "Winston-Salem"; mixed case kept."""
    city = " ".join(city.split())
    if not city.isupper():
        return city
    return _WORD.sub(lambda m: m.group().lower() if m.group().lower() in _LOWER else m.group().capitalize(), city)


def leading_dateline(text: str) -> str | None:
    """The dateline that opens a body ("FAIRFAX, Va. - ICE today..."), if any."""
    m = _LEADING.match(text[:120])
    return m.group(0) if m else None


def resolve_dateline(gaz: Gazetteer, parsed: dict[str, Any], ctx: Context, offset: int = 0) -> dict[str, Any]:
    """The dateline place as a mention (role "dateline"), resolved or kept as text."""
    start, end = parsed["city_start"] + offset, parsed["end"] + offset
    raw = clean(parsed["text"])[parsed["city_start"] : parsed["end"]]
    key, state = name_key(parsed["city"]), parsed["state"]
    if key.endswith(("county", "parish")):
        base = key.removesuffix("county").removesuffix("parish")
        rows = gaz.counties_named(base, state)
        row, basis, cands = ctx.choose(rows, start, state)
        if row:
            return {**county_mention(gaz, row, raw, start, end), "basis": basis}
        return {**unresolved("county", raw, start, end, cands, state), "basis": None}
    basis = "explicit" if state else None
    if state and not parsed["state_text"]:
        basis = "ap_dateline"
    rows = gaz.places_named(key, state)
    if state and not rows and key == name_key(gaz.states[state]["name"]):
        return {**state_mention(gaz.states[state], raw, start, end), "basis": basis}
    if state:
        row, cands = single(rows), rows
    else:
        row, basis, cands = ctx.choose(rows, start)
        if row is None and rows:
            row, basis = dominant(rows), "dominant"
    if row:
        return {**place_mention(gaz, row, raw, start, end), "basis": basis}
    return {**unresolved("place", raw, start, end, cands, state), "basis": None}
