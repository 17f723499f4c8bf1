"""JurisdictionsPipeline: fills item.jurisdictions, item.agencies and item.claims.

Reads only the item (dateline, title, subtitle, body_text, issuer_fips, issuer_name,
published) and `crawler.settings`, so it runs the same with `crawler.spider is None`.

item.jurisdictions holds one dict per (jurisdiction, role): the first text that named
it, its offsets and field. A unit that is a subject is not listed again as mentioned.
The issuing jurisdiction, when the source declares one, is added with role "issuer".
Setting ARCHIVE_JURISDICTIONS_KEEP_MENTIONED (default True) drops "mentioned" rows when
False.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from crawler.items import CaptureRecord, ErrorRecord, ListingEntry
from pipelines.gazetteer import load, name_key
from pipelines.place_resolve import county_mention, place_mention, state_mention
from pipelines.places import analyze, find_agencies

ROLE_ORDER = {"issuer": 0, "dateline": 1, "subject": 2, "mentioned": 3}


# A federal agency's issuer is the nation: FIPS 10-4 (and ISO 3166) code "US". No point: a
# marker in the middle of the country would mislead on a map.
NATION = {"kind": "country", "name": "United States", "state": None, "fips": "US", "county_fips": None,
          "ocd_id": "ocd-division/country:us", "lat": None, "lon": None, "start": None, "end": None}  # fmt: skip


def issuer_mention(fips: str | None, name: str | None) -> dict[str, Any] | None:
    """The issuing jurisdiction from its code ("US" the nation; 2 state, 5 county, 7 place digits)."""
    if not fips:
        return None
    gaz, text = load(), name or ""
    if fips == "US":
        mention = {**NATION, "text": text or NATION["name"]}
    elif len(fips) == 2 and fips in gaz.state_by_fips:
        mention = state_mention(gaz.state_by_fips[fips], text, None, None)
    elif len(fips) == 5 and fips in gaz.counties:
        mention = county_mention(gaz, gaz.counties[fips], text, None, None)
    else:
        mention = _issuer_place(fips, text)
    return {**mention, "role": "issuer", "field": "issuer", "basis": "issuer"}


def _issuer_place(fips: str, text: str) -> dict[str, Any]:
    """A municipal issuer: the place FIPS as declared, located by its name in its state."""
    gaz = load()
    state = gaz.state_by_fips.get(fips[:2])
    words = [w for w in text.split() if w.lower() not in ("city", "town", "village", "of", "the")]
    rows = gaz.places_named(name_key(" ".join(words)), state["postal"] if state else None)
    if len(rows) == 1:
        return {**place_mention(gaz, rows[0], text, None, None), "fips": fips}
    return {
        "kind": "place",
        "name": text or fips,
        "state": state["postal"] if state else None,
        "fips": fips,
        "county_fips": None,
        "ocd_id": None,
        "lat": None,
        "lon": None,
        "text": text,
        "start": None,
        "end": None,
    }


def jurisdiction_row(mention: dict[str, Any]) -> dict[str, Any] | None:
    """The `jurisdictions` table row of a resolved mention (None for unresolved names).

    Keyed by ocd_id; places have no FIPS of their own (fips None) but carry county_fips.
    """
    if not mention.get("ocd_id"):
        return None
    keys = ("ocd_id", "fips", "name", "kind", "state", "county_fips", "lat", "lon")
    return {k: mention.get(k) for k in keys}


def merge(mentions: list[dict[str, Any]], keep_mentioned: bool = True) -> list[dict[str, Any]]:
    """One row per (jurisdiction, role), the first mention kept; subject beats mentioned."""

    def key(m: dict[str, Any]) -> str:
        return m["ocd_id"] or m["fips"] or f"{m['kind']}:{m['state']}:{m['text']}"

    subjects = {key(m) for m in mentions if m["role"] == "subject"}
    seen: set[tuple[str, str]] = set()
    out = []
    for m in sorted(mentions, key=lambda m: ROLE_ORDER.get(m["role"], 9)):
        k = key(m)
        if m["role"] == "mentioned" and (k in subjects or not keep_mentioned):
            continue
        if (k, m["role"]) not in seen:
            seen.add((k, m["role"]))
            out.append(m)
    return out


class JurisdictionsPipeline:
    def __init__(self, keep_mentioned: bool = True) -> None:
        self.keep_mentioned = keep_mentioned

    @classmethod
    def from_crawler(cls, crawler):
        return cls(keep_mentioned=crawler.settings.getbool("ARCHIVE_JURISDICTIONS_KEEP_MENTIONED", True))

    def process_item(self, item):
        if isinstance(item, (ListingEntry, CaptureRecord, ErrorRecord)):
            return item  # list rows, captures and errors name no places
        adapter = ItemAdapter(item)
        context = {"dateline": adapter.get("dateline"), "issuer_fips": adapter.get("issuer_fips")}
        found = analyze(
            adapter.get("body_text") or "",
            title=adapter.get("title"),
            subtitle=adapter.get("subtitle"),
            as_of=adapter.get("published"),
            **context,
        )
        issuer = issuer_mention(adapter.get("issuer_fips"), adapter.get("issuer_name"))
        mentions = [issuer, *found["jurisdictions"]] if issuer else found["jurisdictions"]
        adapter["jurisdictions"] = merge(mentions, self.keep_mentioned)
        titled = [{**a, "field": "title"} for a in find_agencies(adapter.get("title") or "", **context)]
        adapter["agencies"] = _unique(titled + [{**a, "field": "body"} for a in found["agencies"]], "name")
        adapter["claims"] = found["claims"]
        return item


def _unique(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    seen, out = set(), []
    for row in rows:
        if row[field] not in seen:
            seen.add(row[field])
            out.append(row)
    return out
