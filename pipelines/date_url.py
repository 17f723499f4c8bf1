"""Dates that a URL's path spells out.

Patterns, most precise first (all validated as real calendar dates, years 1990-2099 since no
web page is older; a later capture check removes impossible ones):
    /YYYY/MM/DD/ , /YYYY/MM/DD_slug , /YYYY/MM/DD-slug   -> day    (/2019/03/12/slug)
    YYYY-MM-DD or YYYY_MM_DD inside a segment            -> day    (/news/2019-03-12-slug)
    /YYMM/YYMMDDslug, with the folder repeating the file's -> day  (/pi/nr/1004/100426palmbeach.htm)
    YYYYMMDD as a run of exactly eight digits            -> day    (/pr20190312.htm)
    /YYYY/MM/                                            -> month  (/2018/12/report.pdf)
    /YYYY/                                               -> year   (/news/2010/item.htm)
A six-digit YYMMDD without its matching /YYMM/ folder is too ambiguous to trust (ids, phone
fragments, DDMMYY sites), so it is ignored.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

from pipelines.date_value import ParsedDate

_Y = r"(19[9]\d|20\d\d)"
_DAY_PATTERNS = (
    re.compile(r"(?<!\d)" + _Y + r"/(\d{1,2})/(\d{1,2})(?=[/_\-.]|[A-Za-z]|$)"),
    re.compile(r"(?<!\d)" + _Y + r"([-_])(\d{2})\2(\d{2})(?!\d)"),
    re.compile(r"/(\d{2})(\d{2})/\1\2(\d{2})(?!\d)"),
    re.compile(r"(?<!\d)" + _Y + r"(\d{2})(\d{2})(?!\d)"),
)
_MONTH = re.compile(r"/" + _Y + r"/(\d{1,2})(?=/)")
_YEAR = re.compile(r"/" + _Y + r"(?=/)")


def _valid(y: int, m: int, d: int | None = None) -> bool:
    try:
        date(y, m, d or 1)
    except ValueError:
        return False
    return 1990 <= y <= 2099


def _day(path: str) -> ParsedDate | None:
    for i, pattern in enumerate(_DAY_PATTERNS):
        for m in pattern.finditer(path):
            if i == 0:
                y, mo, d = int(m[1]), int(m[2]), int(m[3])
            elif i == 1:
                y, mo, d = int(m[1]), int(m[3]), int(m[4])
            elif i == 2:  # YYMM folder: 95-99 are the 1990s, the rest this century
                yy = int(m[1])
                y, mo, d = (1900 + yy if yy >= 90 else 2000 + yy), int(m[2]), int(m[3])
            else:
                y, mo, d = int(m[1]), int(m[2]), int(m[3])
            if _valid(y, mo, d):
                return ParsedDate(y, mo, d, text=m[0])
    return None


def date_from_url(url: str | None) -> ParsedDate | None:
    """The most precise date the URL's path (and query) spells out, or None."""
    if not url:
        return None
    parts = urlsplit(url)
    path = unquote(parts.path) + ("?" + unquote(parts.query) if parts.query else "")
    if found := _day(path):
        return found
    for m in _MONTH.finditer(path):
        if _valid(int(m[1]), int(m[2])):
            return ParsedDate(int(m[1]), int(m[2]), text=m[0])
    if m := _YEAR.search(path):
        return ParsedDate(int(m[1]), text=m[0])
    return None
