"""Resolve a name to one gazetteer row using the context of the text, or say it cannot.

Order of evidence, strongest first (the winning rule is reported as `basis`):
explicit state written next to the name ("Orange County, Fla.") > a state named in the
same sentence ("six South Texas county sheriffs") > the caller's `state` > the dateline's
state > the issuer's state > the only state the whole text names that has such a unit >
the name exists in one state only. A county name only one state has counts as naming that
state ("Palm Beach and Dade counties": Dade is Florida's). Datelines add two rules of their
own: AP's stand-alone cities ("HOUSTON", basis "ap_dateline") and, with no state anywhere,
the one big city of that name ("dominant"). Anything else is ambiguous: fips stays None and
the candidates are listed, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipelines.gazetteer import Gazetteer, slug
from pipelines.place_text import Sentences

Row = dict[str, Any]
# A place is taken over same-named places of its state only when clearly the main one.
DOMINANT_RATIO = 20
DOMINANT_POP = 100_000


class Context:
    """What the text and the caller tell about which state a name belongs to."""

    def __init__(self, gaz: Gazetteer, sentences: Sentences, preferred: list[tuple[str, str]]):
        self.gaz = gaz
        self.sentences = sentences
        self.preferred = [(basis, st) for basis, st in preferred if st]
        self.mentions: list[tuple[int, str]] = []  # (offset, postal) of states in the text

    def add_state(self, pos: int, postal: str) -> None:
        self.mentions.append((pos, postal))

    def _sentence_states(self, pos: int) -> list[str]:
        start, end = self.sentences.span(pos)
        return [st for at, st in self.mentions if start <= at < end]

    def choose(self, rows: list[Row], pos: int, explicit: str | None = None):
        """(row | None, basis, candidate rows) for rows that share one name."""
        if not rows:
            return None, None, []
        if explicit:
            rows = [r for r in rows if r["state"] == explicit]
            return single(rows), "explicit", rows
        doc_states = list(dict.fromkeys(st for _, st in self.mentions))
        steps: list[tuple[str, Callable[[], list[str]]]] = [
            ("sentence", lambda: self._sentence_states(pos)),
            *[(basis, (lambda st=st: [st])) for basis, st in self.preferred],
        ]
        for basis, states in steps:
            hits = [r for r in rows if r["state"] in states()]
            if hits and len({r["state"] for r in hits}) == 1:
                return single(hits), basis, hits
        in_doc = [r for r in rows if r["state"] in doc_states]
        if in_doc and len({r["state"] for r in in_doc}) == 1:
            return single(in_doc), "document", in_doc
        if len({r["state"] for r in rows}) == 1:
            return single(rows), "unique", rows
        return None, None, rows


def dominant(rows: list[Row]) -> Row | None:
    """For a dateline with no state: the one big city of that name, if there is one.

    "(SAINT PAUL)" alone is Saint Paul, Minn. (303,000 people; the next is 2,300).
    Reported with basis "dominant" so the choice is never silent.
    """
    ranked = sorted(rows, key=lambda r: -(r.get("population") or 0))
    top = ranked[0].get("population") or 0
    second = (ranked[1].get("population") or 0) if len(ranked) > 1 else 0
    return ranked[0] if top >= DOMINANT_POP and top >= DOMINANT_RATIO * max(1, second) else None


def single(rows: list[Row]) -> Row | None:
    """One row, or the clearly largest of same-named places, or None."""
    if not rows:
        return None
    if len({r.get("fips") or id(r) for r in rows}) == 1:
        return rows[0]
    if all("population" in r for r in rows):
        if len({r["county_fips"] for r in rows}) == 1:
            return max(rows, key=lambda r: r["population"] or 0)
        ranked = sorted(rows, key=lambda r: -(r["population"] or 0))
        if (ranked[0]["population"] or 0) >= DOMINANT_RATIO * max(1, ranked[1]["population"] or 0):
            return ranked[0]
    return None


def county_mention(gaz: Gazetteer, row: Row, text: str, start: int, end: int) -> dict[str, Any]:
    """A county mention; renamed units report their current FIPS and keep the former one."""
    out = {"kind": "county", "text": text, "start": start, "end": end}
    current = row
    if row["change"] == "renamed" and row["successors"]:
        current = gaz.counties[row["successors"][0]]
        out.update(former_fips=row["fips"], former_name=row["name"])
    elif row["valid_to"] is not None:
        out.update(valid_to=row["valid_to"], successors=row["successors"])
    out.update(
        name=current["name"],
        state=current["state"],
        fips=current["fips"],
        county_fips=current["fips"],
        ocd_id=current["ocd_id"],
        lat=current["lat"],
        lon=current["lon"],
    )
    return out


def place_mention(gaz: Gazetteer, row: Row, text: str, start: int, end: int) -> dict[str, Any]:
    state_ocd = gaz.states[row["state"]]["ocd_id"]
    return {
        "kind": "place",
        "text": text,
        "start": start,
        "end": end,
        "name": row["name"],
        "state": row["state"],
        # No package ships place FIPS codes: places carry their county's code instead.
        "fips": None,
        "county_fips": row["county_fips"],
        "ocd_id": f"{state_ocd}/place:{slug(row['name'])}",
        "lat": row["lat"],
        "lon": row["lon"],
    }


def state_mention(row: Row, text: str, start: int, end: int) -> dict[str, Any]:
    return {
        "kind": "state",
        "text": text,
        "start": start,
        "end": end,
        "name": row["name"],
        "state": row["postal"],
        "fips": row["fips"],
        "county_fips": None,
        "ocd_id": row["ocd_id"],
        "lat": row["lat"],
        "lon": row["lon"],
    }


def unresolved(kind: str, text: str, start: int, end: int, candidates: list[Row], state=None):
    """A name kept as written: fips None, with the rows it could have been."""
    codes = sorted({r.get("fips") or f"{r['state']}:{r['county_fips']}" for r in candidates})
    return {
        "kind": kind,
        "text": text,
        "start": start,
        "end": end,
        "name": text,
        "state": state,
        "fips": None,
        "county_fips": None,
        "ocd_id": None,
        "lat": None,
        "lon": None,
        "candidates": codes,
    }
