"""Scanners for states, "City, ST" places and "city of X" phrases in a cleaned text.

Every scanner walks the text once with one precompiled pattern and looks the words it
finds up in the gazetteer's dictionaries: no per-county patterns.
"""

from __future__ import annotations

import re
from typing import Any

from pipelines.gazetteer import Gazetteer, load, name_key
from pipelines.place_patterns import NOT_STATE_AFTER, explicit_state, patterns
from pipelines.place_resolve import (
    Context,
    county_mention,
    place_mention,
    single,
    state_mention,
    unresolved,
)
from pipelines.place_text import CONNECTORS, STOPWORDS, strip_period, words_after, words_before

Mention = dict[str, Any]
_DC_AFTER = re.compile(r",?[ \t]*D\.[ \t]?C\.|,?[ \t]*DC\b")
_STATE_WORD_AFTER = re.compile(r"[ \t]+[Ss]tate\b")
_CAPITAL_AFTER = re.compile(r"[ \t]+[A-Z]")
_CITY_OF = re.compile(
    r"\b(?P<kw>[Cc]ity|[Tt]own|[Vv]illage|CITY|TOWN)(?P<cc>[ \t]+and[ \t]+[Cc]ounty)?"
    r"[ \t]+of[ \t]+(?=[A-Z])"
)
# Words that end a county or parish name: a "City, ST" match ending in one is a county.
COUNTY_WORDS = frozenset({"County", "Parish", "Borough", "Area", "Municipality", "city"})


def key_of(text: str) -> str:
    """name_key, without a possessive unless the name has one ("Alexandria's" ->
    "alexandria", but "Prince George's" stays "princegeorges")."""
    key = name_key(text)
    if not text.endswith(("'s", "s'")):
        return key
    gaz = load()
    return key if key in gaz.county_keys or key in gaz.place_keys else name_key(text[:-2])


def suffixes(text: str, spans: list[tuple[int, int]]):
    """(start, end) of each run of trailing words, longest first, not opening on a stopword."""
    for i in range(len(spans)):
        first = text[spans[i][0] : spans[i][1]]
        if first not in STOPWORDS and first not in CONNECTORS:
            yield spans[i][0], spans[-1][1]


def prefixes(text: str, spans: list[tuple[int, int]]):
    """(start, end) of each run of leading words, longest first, not closing on a connector."""
    if not spans or text[spans[0][0] : spans[0][1]] in STOPWORDS:
        return
    for j in range(len(spans), 0, -1):
        if text[spans[j - 1][0] : spans[j - 1][1]] not in CONNECTORS:
            yield strip_period(text, (spans[0][0], spans[j - 1][1]))


def scan_states(text: str, gaz: Gazetteer, ctx: Context) -> list[Mention]:
    """Full state names; "Washington" only when the text says which one it is."""
    out = []
    for m in patterns().state_names.finditer(text):
        start, end = m.span()
        follow = NOT_STATE_AFTER.match(text, end)
        if follow:  # "Washington County", "Kansas City": part of another name
            if follow.group().strip() == "City":
                out += _state_city(text, gaz, ctx, start, follow.end())
            continue
        if m.group() == "Washington":
            mention = _washington(text, gaz, start, end)
        else:
            mention = {**state_mention(gaz.state(m.group()), m.group(), start, end)}
        if mention:
            out.append({**mention, "basis": "explicit" if mention["fips"] else None})
            if mention["fips"]:
                ctx.add_state(start, mention["state"])
    return out


def _state_city(text: str, gaz: Gazetteer, ctx: Context, start: int, end: int) -> list[Mention]:
    """ "New York City", "Oklahoma City", "Kansas City" (which one: context, or unresolved)."""
    name = text[start:end]
    rows = gaz.places_named(name_key(name))
    if not rows:
        return []
    row, basis, cands = ctx.choose(rows, start, explicit_state(gaz, text, end))
    if row is None:
        return [{**unresolved("place", name, start, end, cands or rows), "basis": None}]
    return [{**place_mention(gaz, row, name, start, end), "basis": basis}]


def _washington(text: str, gaz: Gazetteer, start: int, end: int) -> Mention | None:
    dc = _DC_AFTER.match(text, end)
    if dc:
        return state_mention(gaz.states["DC"], text[start : dc.end()], start, dc.end())
    if _STATE_WORD_AFTER.match(text, end) or text[max(0, start - 9) : start] == "State of ":
        return state_mention(gaz.states["WA"], "Washington", start, end)
    # "George Washington", "Washington Post": a name, not a place.
    if words_before(text, start) or _CAPITAL_AFTER.match(text, end):
        return None
    cands = [gaz.states["DC"], gaz.states["WA"]]
    return unresolved("state", "Washington", start, end, cands)


def scan_comma_states(text: str, gaz: Gazetteer, ctx: Context) -> list[Mention]:
    """ "Fairfax, Va." / "Palm Beach, FL" / "Paris, Texas": the place, and the state if abbreviated.

    A bare postal code counts only after a place or county ("Smith, IN a statement" is no
    Indiana); AP abbreviations and names count on their own.
    """
    out = []
    for m in patterns().comma_state.finditer(text):
        token, row = m.group("st"), gaz.state(m.group("st"))
        if row is None:
            continue
        # "Campbell, Missouri Attorney General": a state used as an adjective.
        adjective = token == row["name"] and _CAPITAL_AFTER.match(text, m.end())
        place = None if adjective else _place_before(text, gaz, m.start(), row["postal"])
        if token == row["postal"] and not (place or _county_word_before(text, m.start())):
            continue
        ctx.add_state(m.start("st"), row["postal"])
        if token != row["name"]:  # full names come from scan_states
            out.append({**state_mention(row, token, *m.span("st")), "basis": "explicit"})
        out += [place] if place else []
    return out


def _county_word_before(text: str, comma: int) -> bool:
    spans = words_before(text, comma, limit=1)
    return bool(spans) and text[spans[0][0] : spans[0][1]] in COUNTY_WORDS


def _place_before(text: str, gaz: Gazetteer, comma: int, postal: str) -> Mention | None:
    spans = words_before(text, comma)
    if not spans or text[spans[-1][0] : spans[-1][1]] in COUNTY_WORDS:
        return None
    for start, end in suffixes(text, spans):
        if _is_state(gaz, text[start:end]):
            return None  # a list of states: "New Mexico, New York"
        rows = gaz.places_named(key_of(text[start:end]), postal)
        if rows:
            row = single(rows)
            if row:
                return {**place_mention(gaz, row, text[start:end], start, end), "basis": "explicit"}
            return {**unresolved("place", text[start:end], start, end, rows, postal), "basis": None}
    return None


def _is_state(gaz: Gazetteer, name: str) -> bool:
    row = gaz.state(name)
    return bool(row) and name_key(name) == name_key(row["name"])


def scan_city_of(text: str, gaz: Gazetteer, ctx: Context) -> list[Mention]:
    """ "the city of Alexandria" (an independent city in Virginia), "Town of Palm Beach"."""
    out = []
    for m in _CITY_OF.finditer(text):
        for start, end in prefixes(text, words_after(text, m.end(), limit=4)):
            mention = _city_of(text, gaz, ctx, m, start, end)
            if mention:
                out.append(mention)
                break
    return out


def _city_of(text: str, gaz: Gazetteer, ctx: Context, m: re.Match, start: int, end: int):
    key = key_of(text[start:end])
    rows = gaz.counties_named(key, city=True) if m.group("kw").lower() == "city" else []
    if m.group("cc"):  # "City and County of Denver" is the county
        rows = gaz.counties_named(key)
    same = {(r["state"], r["fips"]) for r in rows}
    # A place that *is* an independent city adds nothing: keep the county equivalent.
    rows = rows + [p for p in gaz.places_named(key) if (p["state"], p["county_fips"]) not in same]
    if not rows:
        return None
    row, basis, cands = ctx.choose(rows, start, explicit_state(gaz, text, end))
    phrase = text[m.start() : end]
    if row is None:
        return {**unresolved("place", phrase, m.start(), end, cands or rows), "basis": None}
    if "fips" in row:
        return {**county_mention(gaz, row, phrase, m.start(), end), "basis": basis}
    return {**place_mention(gaz, row, phrase, m.start(), end), "basis": basis}
