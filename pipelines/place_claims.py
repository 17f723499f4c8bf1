"""Counted claims: "39 North Carolina jurisdictions", "544 jurisdictions in 27 states",
"all 67 Florida counties", "more than 1,000 law enforcement agencies".

Each is {"count", "unit", "scope" ("state"|"national"|None), "state" (postal),
"states_count", "qualifier" ("more than", "all"...), "as_of", "text", "start", "end"}.
Scope is "state" when a state qualifies the count, "national" when the claim counts
states or says nationwide; otherwise None (the text does not say).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from pipelines.gazetteer import load
from pipelines.place_text import clean

_WORDS = [
    *("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
    *("thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"),
]
_NUMBERS = {w: i for i, w in enumerate(_WORDS, start=2)}
_NUM = r"\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_WORDS)
_UNIT = (
    r"jurisdictions|counties|parishes|communities|localities|municipalities|cities|towns"
    r"|(?:law enforcement |police )?agencies|sheriffs'? offices|states"
)
_ADJ = r"(?:(?:more|additional|new|other|local|participating|separate|total|U\.S\.)[ \t]+)*"
_QUAL = r"more than|over|nearly|almost|about|approximately|at least|all|some|fewer than"
_NATIONAL = re.compile(r"\s*(?:,\s*)?(?:nationwide|across the (?:country|nation)|in the United States)")


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    names = sorted((r["name"] for r in load().states.values()), key=len, reverse=True)
    state = "|".join(re.escape(n) for n in names)
    return re.compile(
        rf"\b(?:(?P<qual>{_QUAL})[ \t]+)?(?P<count>{_NUM})[ \t]+{_ADJ}"
        rf"(?:(?P<state>{state})[ \t]+)?{_ADJ}(?P<unit>{_UNIT})\b"
        rf"(?:[ \t]+(?:in|across)[ \t]+(?:(?P<n>\d+|{'|'.join(_WORDS)})[ \t]+(?:U\.S\.[ \t]+)?states\b"
        rf"|(?:the[ \t]+state[ \t]+of[ \t]+)?(?P<state2>{state})\b))?"
    )


def _int(text: str) -> int:
    return _NUMBERS.get(text.lower()) or int(text.replace(",", ""))


def find_claims(text: str, as_of: str | None = None) -> list[dict[str, Any]]:
    """Every counted claim in `text`; `as_of` (the release date) is copied onto each."""
    body = clean(text or "")
    gaz = load()
    out = []
    for m in _pattern().finditer(body):
        count, unit = _int(m.group("count")), m.group("unit")
        name = m.group("state") or m.group("state2")
        states_count = _int(m.group("n")) if m.group("n") else (count if unit == "states" else None)
        national = states_count is not None or bool(_NATIONAL.match(body, m.end()))
        out.append(
            {
                "count": count,
                "unit": unit,
                "scope": "state" if name else "national" if national else None,
                "state": gaz.state(name)["postal"] if name else None,
                "states_count": states_count,
                "qualifier": m.group("qual"),
                "as_of": as_of,
                "text": text[m.start() : m.end()],
                "start": m.start(),
                "end": m.end(),
            }
        )
    return out
