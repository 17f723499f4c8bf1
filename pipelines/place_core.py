"""One pass of every place scanner over a text, shared by places and agencies."""

from __future__ import annotations

from typing import Any

from pipelines.gazetteer import load
from pipelines.place_counties import scan_counties
from pipelines.place_dateline import resolve_dateline
from pipelines.place_resolve import Context
from pipelines.place_scan import scan_city_of, scan_comma_states, scan_states
from pipelines.place_text import Sentences

Mention = dict[str, Any]


def postal(code: str | None) -> str | None:
    """A postal code from a postal code, state name, AP abbreviation or FIPS code."""
    row = load().state(code) if code else None
    return row["postal"] if row else None


def context(
    state: str | None, parsed: dict[str, Any] | None, issuer_fips: str | None
) -> tuple[list[tuple[str, str | None]], Mention | None]:
    """The caller's, the dateline's and the issuer's states, in that order of trust, and
    the dateline place resolved without the text ("HOUSTON" is Houston, Texas)."""
    outer = [("state_arg", postal(state)), ("issuer", postal(issuer_fips))]
    dateline = resolve_dateline(load(), parsed, Context(load(), Sentences(""), outer)) if parsed else None
    return [outer[0], ("dateline", dateline and dateline["state"]), outer[1]], dateline


def scan(text: str, preferred: list[tuple[str, str | None]]) -> tuple[list[Mention], Context]:
    """Every mention in one cleaned text, overlaps removed, without roles.

    `preferred` lists (basis, postal) context states in order of trust.
    """
    gaz = load()
    ctx = Context(gaz, Sentences(text), preferred)
    # States first: county names are resolved against the states the text names.
    found = scan_states(text, gaz, ctx) + scan_comma_states(text, gaz, ctx)
    counties = scan_counties(text, gaz, ctx)
    if any(m["fips"] is None and m.get("candidates") for m in counties):
        # A county only one state has ("Palm Beach") tells which state a shared name in
        # the same text means ("Palm Beach and Dade counties"): read the names again.
        for m in counties:
            if m["basis"] in ("unique", "explicit"):
                ctx.add_state(m["start"], m["state"])
        again = {(m["start"], m["end"]): m for m in scan_counties(text, gaz, ctx)}
        counties = [again.get((m["start"], m["end"]), m) if m["fips"] is None else m for m in counties]
    found += counties + scan_city_of(text, gaz, ctx)
    return without_overlaps(found), ctx


def without_overlaps(mentions: list[Mention]) -> list[Mention]:
    """Longest span wins ("Palm Beach County" over "Palm Beach"); the dateline wins ties."""
    ranked = sorted(mentions, key=lambda m: (m["start"] - m["end"], m.get("role") != "dateline", m["start"]))
    kept: list[Mention] = []
    for m in ranked:
        if all(m["end"] <= k["start"] or m["start"] >= k["end"] for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m["start"])
