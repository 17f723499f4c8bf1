"""The offline gazetteer: states, counties (2000-2020) and places, loaded from data/.

`python -m pipelines.gazetteer.build` writes data/ from packaged public data; `load()`
reads it once per process and builds the lookup tables the extractors need.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

_WORD = re.compile(r"[a-z0-9]+")
# Spelling variants that name the same place ("Saint Paul" / "St. Paul", "Ft. Myers").
_SHORT = {"saint": "st", "sainte": "ste", "mount": "mt", "fort": "ft"}
# The county-equivalent types written as "X city" (independent cities): they share base
# names with counties ("Baltimore city" / "Baltimore County"), so lookups keep them apart.
CITY_TYPES = frozenset({"city"})


def fold(text: str) -> str:
    """ASCII-fold accents ("Doña Ana" -> "Dona Ana", "Añasco" -> "Anasco")."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def name_key(text: str) -> str:
    """A spelling-insensitive key: case, accents, punctuation, spaces and Saint/St. folded."""
    words = _WORD.findall(fold(text).lower().replace("&", " and "))
    return "".join(_SHORT.get(w, w) for w in words)


def slug(text: str) -> str:
    """An Open Civic Data id segment: lowercase, spaces to "_", only [a-z0-9._~-] kept."""
    text = fold(text).lower().replace(" ", "_")
    return re.sub(r"[^a-z0-9._~-]", "", text)


def _read(name: str) -> list[dict[str, Any]]:
    with gzip.open(DATA_DIR / f"{name}.json.gz", "rt", encoding="utf-8") as fh:
        table = json.load(fh)
    cols = table["columns"]
    return [dict(zip(cols, row, strict=True)) for row in table["rows"]]


@dataclass
class Gazetteer:
    """Rows plus the indexes extraction needs; built once by `load()`."""

    states: dict[str, dict[str, Any]]  # postal -> row
    counties: dict[str, dict[str, Any]]  # fips -> row
    places: list[dict[str, Any]]
    state_by_fips: dict[str, dict[str, Any]] = field(default_factory=dict)
    state_tokens: dict[str, str] = field(default_factory=dict)  # name_key(token) -> postal
    county_keys: dict[str, list[str]] = field(default_factory=dict)  # base key -> fips
    place_keys: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ap_datelines: dict[str, str] = field(default_factory=dict)  # place key -> postal

    def __post_init__(self) -> None:
        self.state_by_fips = {row["fips"]: row for row in self.states.values()}
        for postal, row in self.states.items():
            for token in [row["name"], postal, row["ap"], *row["variants"]]:
                if token:
                    self.state_tokens[name_key(token)] = postal
        keys: dict[str, list[str]] = defaultdict(list)
        for fips, row in self.counties.items():
            for key in row["keys"]:
                keys[key].append(fips)
        self.county_keys = dict(keys)
        places: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in self.places:
            places[name_key(row["name"])].append(row)
        self.place_keys = dict(places)

    def state(self, token: str | None) -> dict[str, Any] | None:
        """A state row from a name, postal code, AP abbreviation or FIPS code."""
        if not token:
            return None
        if token.isdigit():
            return self.state_by_fips.get(token[:2])
        postal = self.state_tokens.get(name_key(token))
        return self.states.get(postal) if postal else None

    def counties_named(self, key: str, state: str | None = None, *, city: bool = False):
        """County rows whose base name has this key (independent cities only if `city`)."""
        rows = [self.counties[f] for f in self.county_keys.get(key, ())]
        rows = [r for r in rows if (r["type"] in CITY_TYPES) == city]
        return [r for r in rows if state is None or r["state"] == state]

    def places_named(self, key: str, state: str | None = None) -> list[dict[str, Any]]:
        rows = self.place_keys.get(key, [])
        return [r for r in rows if state is None or r["state"] == state]


@lru_cache(maxsize=1)
def load() -> Gazetteer:
    """The gazetteer, read once per process."""
    states = {row["postal"]: row for row in _read("states")}
    counties = {row["fips"]: row for row in _read("counties")}
    gaz = Gazetteer(states=states, counties=counties, places=_read("places"))
    for row in _read("ap_datelines"):
        gaz.ap_datelines[name_key(row["city"])] = row["state"]
    return gaz
