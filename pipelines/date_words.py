"""Month names, weekday names and relative-date phrases in English and Spanish.

Only vocabulary lives here; `pipelines.date_parse` builds its patterns from it.
"""

from __future__ import annotations

import re

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
        "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    },
    "es": {
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
        "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
        "diciembre": 12,
    },
}  # fmt: skip
ABBREVIATIONS: dict[str, dict[str, int]] = {
    "en": {
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sept": 9,
        "sep": 9, "oct": 10, "nov": 11, "dec": 12,
    },
    "es": {
        "ene": 1, "feb": 2, "mar": 3, "abr": 4, "may": 5, "jun": 6, "jul": 7, "ago": 8,
        "sept": 9, "sep": 9, "set": 9, "oct": 10, "nov": 11, "dic": 12,
    },
}  # fmt: skip
_ALL_MONTHS = {name: num for table in (*ABBREVIATIONS.values(), *MONTHS.values()) for name, num in table.items()}

WEEKDAYS = {
    "monday": "monday", "tuesday": "tuesday", "wednesday": "wednesday", "thursday": "thursday",
    "friday": "friday", "saturday": "saturday", "sunday": "sunday",
    "lunes": "monday", "martes": "tuesday", "miércoles": "wednesday", "miercoles": "wednesday",
    "jueves": "thursday", "viernes": "friday", "sábado": "saturday", "sabado": "saturday",
    "domingo": "sunday",
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "un": 1, "una": 1, "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10,
}  # fmt: skip
UNITS = {
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year",
    "día": "day", "dia": "day", "días": "day", "dias": "day", "semana": "week",
    "semanas": "week", "mes": "month", "meses": "month", "año": "year", "años": "year",
}  # fmt: skip


def alternation(words) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_N = rf"\d{{1,2}}|{alternation(NUMBER_WORDS)}"
_U = alternation(UNITS)
# Whole-string relative phrases (lower case, trailing period removed).
RELATIVE_RE = re.compile(
    rf"^(?:(?:on|el|last|this past|past|the past)\s+)?(?P<wd>{alternation(WEEKDAYS)})$"
    r"|^(?P<day>today|yesterday|hoy|ayer)$"
    rf"|^(?P<n>{_N})\s+(?P<u>{_U})\s+ago$"
    rf"|^hace\s+(?P<hn>{_N})\s+(?P<hu>{_U})$"
    r"|^(?:last|the past)\s+(?P<lu>week|month|year)$"
    r"|^(?:la\s+|el\s+)?(?P<eu>semana|mes|año)\s+(?:pasad[ao])$"
)


def month_number(name: str) -> int:
    return _ALL_MONTHS[name.lower().rstrip(".")]


def month_pattern(languages: tuple[str, ...], *, abbreviations: bool) -> str:
    """Alternation of month names (longest first) for these languages."""
    names = set()
    for lang in languages:
        names |= set(MONTHS.get(lang, {}))
        if abbreviations:
            names |= set(ABBREVIATIONS.get(lang, {}))
    return alternation(names)


def normalize_relative(text: str) -> tuple[str, str] | None:
    """A relative phrase as (English phrase for dateparser, precision), or None."""
    m = RELATIVE_RE.match(text.lower().strip().rstrip("."))
    if not m:
        return None
    if m["wd"]:
        return WEEKDAYS[m["wd"]], "day"
    if m["day"]:
        return {"hoy": "today", "ayer": "yesterday"}.get(m["day"], m["day"]), "day"
    if m["n"] or m["hn"]:
        n, unit = m["n"] or m["hn"], UNITS[m["u"] or m["hu"]]
        count = int(n) if n.isdigit() else NUMBER_WORDS[n]
        return f"{count} {unit}s ago", relative_precision(unit)
    unit = m["lu"] or UNITS[m["eu"]]
    return f"1 {unit}s ago", relative_precision(unit)


def relative_precision(unit: str) -> str:
    """'last month' names a month, not a day; days and weeks resolve to a day."""
    return unit if unit in ("month", "year") else "day"
