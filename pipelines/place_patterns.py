"""Compiled patterns built once from the gazetteer's state names and abbreviations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pipelines.gazetteer import Gazetteer, load


def _flexible(token: str) -> str:
    """A regex for an abbreviation that tolerates a space after inner periods ("N. C.")."""
    if "." not in token:
        return re.escape(token)
    parts = [re.escape(p.strip()) for p in token.rstrip(".").split(".")]
    return r"\.\s?".join(parts) + (r"\." if token.endswith(".") else "")


def _alternation(tokens: set[str]) -> str:
    # Longest first, so "West Virginia" wins over "Virginia" and "N.C." over "NC".
    return "|".join(_flexible(t) for t in sorted(tokens, key=lambda t: (-len(t), t)))


@dataclass(frozen=True)
class Patterns:
    state_names: re.Pattern[str]  # full names, found anywhere
    comma_state: re.Pattern[str]  # ", Fla." / ", FL" / ", Florida" after a name
    paren_state: re.Pattern[str]  # " (Fla.)"
    in_state: re.Pattern[str]  # " in Florida", " in the state of Florida"


# A state name that is the first word of another name ("Washington County", "Kansas City").
NOT_STATE_AFTER = re.compile(
    r"[ \t]+(?:County|Counties|Parish|City|Beach|Avenue|Street|Road|Boulevard|Township"
    r"|Heights|Springs|Falls|Rapids|Island)\b"
)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    return build_patterns(load())


def build_patterns(gaz: Gazetteer) -> Patterns:
    names = {row["name"] for row in gaz.states.values()}
    short = {row["ap"] for row in gaz.states.values()} | {row["postal"] for row in gaz.states.values()}
    short |= {v for row in gaz.states.values() for v in row["variants"]}
    every = _alternation(names | short)
    no_washington = _alternation(names - {"Washington"})
    tail = r"(?![A-Za-z])(?![ \t]+(?:County|Counties|Parish|City|Beach)\b)"
    return Patterns(
        state_names=re.compile(rf"\b(?:{_alternation(names)})\b"),
        comma_state=re.compile(rf",[ \t]*(?P<st>{every}){tail}"),
        paren_state=re.compile(rf"[ \t]*\((?P<st>{every})\)"),
        in_state=re.compile(rf"[ \t]+in[ \t]+(?:the[ \t]+[Ss]tate[ \t]+of[ \t]+)?(?P<st>{no_washington}){tail}"),
    )


def explicit_state(gaz: Gazetteer, text: str, pos: int) -> str | None:
    """The postal code of a state written right after `pos` (", Fla.", " (FL)", " in Texas")."""
    pats = patterns()
    m = pats.comma_state.match(text, pos) or pats.paren_state.match(text, pos)
    m = m or pats.in_state.match(text, pos)
    if not m:
        return None
    row = gaz.state(m.group("st"))
    return row["postal"] if row else None
