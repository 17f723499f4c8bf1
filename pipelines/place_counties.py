"""Counties, parishes, boroughs and independent cities, alone or in lists.

Anchored on the unit word ("County", "counties", "Parish", "city"...), then the name is
read from the words around it and looked up by key:
- "Palm Beach County", "St. Louis city", "Baltimore City", "Wade Hampton Census Area";
- "Hidalgo, Starr and Kenedy counties" (a list before a plural unit word);
- "the counties of Fairfax and Arlington", "county sheriffs' offices - Hidalgo, Starr,
  ... and Kenedy" (a list after the unit word).
A list is kept only if its first name is a known county; its other names are kept even
when they cannot be resolved (fips None).
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.gazetteer import Gazetteer
from pipelines.place_patterns import explicit_state
from pipelines.place_resolve import Context, county_mention, unresolved
from pipelines.place_scan import key_of, prefixes, suffixes
from pipelines.place_text import CONNECTORS, STOPWORDS, words_after, words_before

Mention = dict[str, Any]
_ANCHOR = re.compile(
    r"\b(?:(?P<one>City and Borough|Census Area|Municipality|County|COUNTY|county|Parish"
    r"|parish|Borough|borough)|(?P<many>Counties|COUNTIES|counties|Parishes|parishes"
    r"|Boroughs|boroughs)|(?P<city>city|City))\b"
)
_LIST_AFTER = re.compile(
    r"(?:[ \t]+sheriffs?'?s?'?[ \t]+(?:offices?|departments?)|[ \t]+jails?"
    r"|[ \t]+(?:law enforcement[ \t]+)?agencies|[ \t]+jurisdictions)?[ \t]*,?[ \t]*"
    r"(?:of|:|-{1,2}|[\u2013\u2014]|including|include|such as|namely)[ \t]+(?=[A-Z])"
)
# Spanish releases: "el Condado de San Diego", "los condados de Hidalgo y Starr".
_SPANISH = re.compile(r"\b[Cc]ondados?[ \t]+de[ \t]+(?=[A-Z\u00c0-\u00de])")
_SEP_BEFORE = re.compile(r"(?:,[ \t]*(?:and[ \t]+|&[ \t]*)?|[ \t]+(?:and|&)[ \t]+)$")
_SEP_AFTER = re.compile(r",[ \t]*(?:and[ \t]+|y[ \t]+|&[ \t]*)?|[ \t]+(?:and|y|&)[ \t]+")
_MAX_ITEMS = 40
# The unit word tells the type: "Orleans Parish" is Louisiana's, "Orleans County" is not.
_TYPES = {
    "parish": {"parish"},
    "borough": {"borough", "city_and_borough", "municipality"},
    "municipality": {"borough", "city_and_borough", "municipality"},
    "city and borough": {"city_and_borough"},
    "census area": {"census_area"},
    "county": {"county"},
}
_SINGULAR = {"counties": "county", "parishes": "parish", "boroughs": "borough"}


def lookup(gaz: Gazetteer, name: str, unit: str, *, city: bool = False) -> list[dict]:
    """County rows named `name`, of the type the unit word says when any is of that type."""
    rows = gaz.counties_named(key_of(name), city=city)
    unit = _SINGULAR.get(unit.lower(), unit.lower())
    typed = [r for r in rows if r["type"] in _TYPES.get(unit, ())]
    return typed or rows


def scan_counties(text: str, gaz: Gazetteer, ctx: Context) -> list[Mention]:
    out: list[Mention] = []
    for m in _ANCHOR.finditer(text):
        explicit = explicit_state(gaz, text, m.end())
        if m.group("many"):
            found = _list_before(text, gaz, ctx, m, explicit)
        else:
            mention = _single(text, gaz, ctx, m, explicit, city=bool(m.group("city")))
            found = [mention] if mention else []
        out += found
        # "the counties of A, B and C": only after a unit word that names nothing itself
        # ("Hennepin County of Edgar Barrientos" is a person's county, not a list).
        after = None if found or m.group("city") else _LIST_AFTER.match(text, m.end())
        if after:
            out += _list_after(text, gaz, ctx, after.end(), m.group())
    for m in _SPANISH.finditer(text):
        out += _list_after(text, gaz, ctx, m.end(), "county")
    return out


def _is_state_name(gaz: Gazetteer, name: str) -> bool:
    row = gaz.state(name)
    return bool(row) and name.lower() == row["name"].lower()


def _single(text, gaz, ctx, m, explicit, *, city: bool) -> Mention | None:
    """ "Palm Beach County", "Alexandria city"; unknown capitalized names kept unresolved."""
    spans = words_before(text, m.start())
    lower = m.group()[0].islower()
    for start, end in suffixes(text, spans):
        name = text[start:end]
        if lower and not city and _is_state_name(gaz, name):
            return None  # "a Texas county": an adjective, not a county name
        rows = lookup(gaz, name, m.group(), city=city)
        if rows:
            return _mention(text, gaz, ctx, rows, start, m.end(), explicit)
    if city or lower:
        return None
    name = _trailing_name(text, spans)
    if name is None or _is_state_name(gaz, text[name[0] : name[1]]):
        return None  # "Minnesota County Attorneys Association": a state, not a county
    start = name[0]
    return {**unresolved("county", text[start : m.end()], start, m.end(), [], explicit), "basis": None}


def _trailing_name(text: str, spans: list[tuple[int, int]], limit: int = 3):
    """(start, end) of the capitalized words that end a run, up to `limit`, or None."""
    words: list[tuple[int, int]] = []
    for span in reversed(spans):
        word = text[span[0] : span[1]]
        if word in STOPWORDS or word in CONNECTORS or len(words) == limit:
            break
        words.insert(0, span)
    return (words[0][0], words[-1][1]) if words else None


def _mention(text, gaz, ctx, rows, start, end, explicit) -> Mention:
    row, basis, cands = ctx.choose(rows, start, explicit)
    if row:
        return {**county_mention(gaz, row, text[start:end], start, end), "basis": basis}
    return {**unresolved("county", text[start:end], start, end, cands or rows, explicit), "basis": None}


def _item_before(text: str, gaz: Gazetteer, end: int, unit: str):
    """The county name that ends at `end`: (start, end, rows); rows empty if unknown."""
    spans = words_before(text, end)
    for start, stop in suffixes(text, spans):
        rows = lookup(gaz, text[start:stop], unit)
        if rows:
            return start, stop, rows
    name = _trailing_name(text, spans, limit=2)
    return (*name, []) if name else None


def _list_before(text, gaz, ctx, m, explicit) -> list[Mention]:
    """ "Hidalgo, Starr and Kenedy counties": read names backwards from the unit word."""
    items, end = [], m.start()
    while len(items) < _MAX_ITEMS:
        item = _item_before(text, gaz, end, m.group())
        if item is None or _is_state_name(gaz, text[item[0] : item[1]]):
            break
        items.insert(0, item)
        sep = _SEP_BEFORE.search(text, max(0, item[0] - 8), item[0])
        if not sep:
            break
        end = sep.start()
    return _items(text, gaz, ctx, items, explicit)


def _item_after(text: str, gaz: Gazetteer, start: int, unit: str):
    spans = words_after(text, start, limit=4)
    for first, stop in prefixes(text, spans):
        rows = lookup(gaz, text[first:stop], unit)
        if rows:
            return first, stop, rows
    names = list(prefixes(text, spans[:2]))
    return (*names[0], []) if names else None


def _list_after(text: str, gaz: Gazetteer, ctx: Context, pos: int, unit: str) -> list[Mention]:
    """ "the counties of Fairfax, Arlington and Loudoun": read names forwards."""
    items = []
    while len(items) < _MAX_ITEMS:
        item = _item_after(text, gaz, pos, unit)
        if item is None or _is_state_name(gaz, text[item[0] : item[1]]):
            break
        items.append(item)
        sep = _SEP_AFTER.match(text, item[1])
        if not sep:
            break
        pos = sep.end()
    # No explicit state for the whole list: in "Los Angeles and Paris, Texas" the state
    # belongs to the last name only.
    return _items(text, gaz, ctx, items, None)


def _items(text, gaz, ctx, items, explicit) -> list[Mention]:
    # A list must open (or, read backwards, close) on a known county to count as one.
    if not items or not any(rows for _, _, rows in items):
        return []
    if not items[0][2] and not items[-1][2]:
        return []
    out = []
    for start, end, rows in items:
        if rows:
            out.append(_mention(text, gaz, ctx, rows, start, end, explicit))
        else:
            out.append({**unresolved("county", text[start:end], start, end, [], explicit), "basis": None})
    return out
