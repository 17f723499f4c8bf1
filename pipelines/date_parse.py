"""Parse one raw date string into a date with an honest precision. No clock is ever read.

`parse_date_string` finds the first date in a short string ("March 12, 2019 (SAINT PAUL)",
"4/26/2010 Palm Beach, FL", "Last Modified: Tuesday, April 27, 2010", "16 de marzo de 2010").
Fast regular expressions handle the common forms; dateparser is only a guarded fallback.

Decisions (tested in tests/test_dates.py):
- Numeric dates follow the source's declared order (MDY default, DMY, YMD); a date that is
  invalid in that order is rejected, never flipped (13/03/2010 in MDY -> None).
- A four-digit year first (2010-04-26, 2010/4/26) is always year-month-day.
- Two-digit years: the century that keeps the year at or before the base year (the capture);
  with no base, 00-68 -> 20xx and 69-99 -> 19xx (the POSIX pivot).
- Missing parts stay missing: "March 2010" is month precision, a bare "2010" year precision
  (only when the whole string is the year: a year inside prose is not a date).
- A month and day without a year ("April 27") get a year only from `year_hint` (another dated
  source on the same page), else from `relative_base` when the most recent such day on or before
  it is at most `YEARLESS_MAX_DAYS` earlier; otherwise no date.
- Relative phrases ("on Tuesday", "last week", "two weeks ago", "hace 2 semanas") resolve
  against `relative_base` (the capture time) through dateparser; without a base: no date.
- Timestamps with a UTC offset are converted to the source's timezone before the date is taken.
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from crawler.date_strings import COLON_LABELS, MULTIWORD_LABELS
from pipelines.date_value import MAX_YEAR, MIN_YEAR, ParsedDate, Yearless, make_date
from pipelines.date_words import WEEKDAYS, alternation, month_number, month_pattern, normalize_relative

YEARLESS_MAX_DAYS = 183


_WS = re.compile(r"\s+")
_LABEL_PREFIX = re.compile(
    r"^(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in MULTIWORD_LABELS + COLON_LABELS) + r")\s*:?\s*",
    re.IGNORECASE,
)
_ORD = r"(?:st|nd|rd|th|º|°)?"
_ISO = re.compile(
    r"(?<![\d.])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?!\d)"
    r"(?:[t ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?\s*(z|[+-]\d{2}:?\d{2})?)?"  # lower-cased
)
_NUMERIC = re.compile(r"(?<![\d/.,$-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/]|[.,]\d)")
_WHOLE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_WHOLE_ISO_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WHOLE_YEAR = re.compile(r"^(\d{4})$")


@functools.lru_cache(maxsize=16)
def _name_patterns(languages: tuple[str, ...]) -> dict[str, re.Pattern[str]]:
    """Month-name regexes for these languages (compiled once per language set)."""
    mon = month_pattern(languages, abbreviations=True)
    wday = rf"(?:(?:{alternation(WEEKDAYS)}),?\s+)?"
    flags = 0  # texts are lower-cased once: IGNORECASE alternations are several times slower
    return {
        "mdy": re.compile(
            rf"(?<![a-z])({mon})\.?\s*(\d{{1,2}}){_ORD}(?!\d)\s*,?\s*(?:de\s+)?(\d{{4}})(?!\d)",
            flags,
        ),
        "dmy": re.compile(
            rf"(?<![\d])(\d{{1,2}}){_ORD}\.?\s*(?:de\s+|of\s+)?({mon})(?![a-z])\.?,?\s*"
            rf"(?:del?\s+)?(\d{{4}})(?!\d)",
            flags,
        ),
        "dmy_dash": re.compile(rf"(?<![\d])(\d{{1,2}})-({mon})\.?-(\d{{4}}|\d{{2}})(?!\d)", flags),
        "my": re.compile(rf"(?<![a-z])({mon})(?![a-z])\.?,?\s*(?:de\s+|of\s+)?(\d{{4}})(?!\d)", flags),
        # Yearless forms only as the whole string: in prose, "March 5" is often another event.
        "yearless_md": re.compile(rf"^{wday}({mon})\.?\s*(\d{{1,2}}){_ORD}$", flags),
        "yearless_dm": re.compile(rf"^{wday}(\d{{1,2}}){_ORD}\s+(?:de\s+|of\s+)?({mon})\.?$", flags),
        "any_month": re.compile(rf"(?<![a-z])(?:{mon})(?![a-z])", flags),
    }


def clean(raw: str) -> str:
    """Whitespace (incl. nbsp and its mojibake) collapsed, leading label removed."""
    text = _WS.sub(" ", raw.replace("Â\xa0", " ").replace("\xa0", " ")).strip()
    return _LABEL_PREFIX.sub("", text, count=1)


def full_year(yy: int, base: datetime | None) -> int:
    """Four-digit year of a two-digit one; no base -> POSIX pivot at 69."""
    if base is None:
        return 2000 + yy if yy < 69 else 1900 + yy
    return 2000 + yy if 2000 + yy <= base.year else 1900 + yy


def _iso(m: re.Match[str], tz: str | None) -> ParsedDate | None:
    y, mo, d = int(m[1]), int(m[3]), int(m[4])
    found = make_date(y, mo, d, m[0])
    if found is None or not m[7] or not tz:
        return found
    offset = "+0000" if m[7] == "z" else m[7].replace(":", "")
    delta = timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    sign = -1 if offset.startswith("-") else 1
    stamp = datetime(y, mo, d, int(m[5]), int(m[6]), tzinfo=timezone(sign * delta))
    try:
        local = stamp.astimezone(ZoneInfo(tz))
    except (KeyError, ValueError):  # unknown zone name: keep the printed day
        return found
    return ParsedDate(local.year, local.month, local.day, text=m[0])


def _numeric(m: re.Match[str], order: str, base: datetime | None) -> ParsedDate | None:
    if m[2] == "." and order == "MDY":  # U.S. pages never write dates with dots: 3.1.10 is a section
        return None
    a, b, y = int(m[1]), int(m[3]), m[4]
    year = int(y) if len(y) == 4 else full_year(int(y), base)
    if order == "DMY":
        return make_date(year, b, a, m[0])
    if order == "YMD":  # a YMD source never prints D/M/Y; a trailing year means M/D/Y at best
        return None
    return make_date(year, a, b, m[0])


def _day_match(text: str, order: str, languages: tuple[str, ...], base, tz) -> ParsedDate | None:
    """The earliest day-precision date in `text`, whatever its form."""
    pats = _name_patterns(languages)
    matches = [(m, key) for key in ("iso", "mdy", "dmy", "dmy_dash", "num") if (m := _search(key, text, pats))]
    for m, key in sorted(matches, key=lambda mk: mk[0].start()):
        if key == "iso":
            found = _iso(m, tz)
        elif key == "num":
            found = _numeric(m, order, base)
        else:
            mon, day = (m[1], m[2]) if key == "mdy" else (m[2], m[1])
            year = int(m[3]) if len(m[3]) == 4 else full_year(int(m[3]), base)
            found = make_date(year, month_number(mon), int(day), m[0])
        if found:
            return found
    return None


def _search(key: str, text: str, pats: dict) -> re.Match[str] | None:
    pattern = _ISO if key == "iso" else _NUMERIC if key == "num" else pats[key]
    return pattern.search(text)


def _whole(text: str) -> ParsedDate | None:
    """Forms accepted only as the whole string (meta contents, bare years)."""
    if m := _WHOLE_COMPACT.match(text):
        return make_date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _WHOLE_ISO_MONTH.match(text):
        return make_date(int(m[1]), int(m[2]), None, text)
    if m := _WHOLE_YEAR.match(text):
        y = int(m[1])
        return ParsedDate(y, text=text) if MIN_YEAR <= y <= MAX_YEAR else None
    return None


def parse_core(
    raw: str, order: str, languages: tuple[str, ...], base: datetime | None, tz: str | None
) -> ParsedDate | Yearless | str | None:
    """A full or partial date: ParsedDate, Yearless(month, day), or a relative phrase (str)."""
    printed = clean(raw)
    text = printed.lower()
    if not text:
        return None
    if found := _day_match(text, order, languages, base, tz) or _whole(text):
        return _as_printed(found, text, printed)
    pats = _name_patterns(languages)
    if m := pats["my"].search(text):
        return _as_printed(make_date(int(m[2]), month_number(m[1]), None, m[0]), text, printed)
    for key, (mi, di) in (("yearless_md", (1, 2)), ("yearless_dm", (2, 1))):
        if m := pats[key].match(text):
            return Yearless(month_number(m[mi]), int(m[di]))
    if normalize_relative(text):
        return printed
    if len(text) <= 60 and pats["any_month"].search(text):
        return _dateparser_absolute(text, order, languages, base)
    return None


def _as_printed(found: ParsedDate | None, low: str, printed: str) -> ParsedDate | None:
    """Matching runs on lower-cased text; keep the matched text as the page printed it."""
    if found is None or not found.text or len(low) != len(printed):
        return found
    start = low.find(found.text)
    return replace(found, text=printed[start : start + len(found.text)]) if start >= 0 else found


def _dateparser_absolute(text: str, order: str, languages: tuple[str, ...], base: datetime | None) -> ParsedDate | None:
    """Last resort for unusual wordings; its answer must be visible in the text."""
    import dateparser  # slow import, rarely needed

    settings = {
        "DATE_ORDER": order,
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": base or _FIXED_BASE,  # never let it read the clock
        "REQUIRE_PARTS": ["day", "month", "year"],
        "STRICT_PARSING": True,
    }
    got = dateparser.parse(text, languages=list(languages), settings=settings)
    if got is None or str(got.year) not in text:
        return None
    months = {month_number(m) for m in _name_patterns(languages)["any_month"].findall(text)}
    days = {int(d) for d in re.findall(r"\d{1,2}", text)}
    if got.month not in months or got.day not in days:  # guard against silent flips
        return None
    return make_date(got.year, got.month, got.day, text)


_FIXED_BASE = datetime(2000, 1, 1)


def _relative(text: str, base: datetime | None) -> ParsedDate | None:
    """Resolve a relative phrase against the capture time; no capture, no date."""
    phrase = normalize_relative(text)
    if base is None or phrase is None:
        return None
    import dateparser

    english, precision = phrase
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"}
    got = dateparser.parse(english, languages=["en"], settings=settings)
    if got is None:
        return None
    day = got.day if precision == "day" else None
    month = got.month if precision in ("day", "month") else None
    return ParsedDate(got.year, month, day, inferred=f"relative to capture: {text}", text=text)


def _yearless(found: Yearless, base: datetime | None, year_hint: int | None) -> ParsedDate | None:
    if year_hint is not None:
        got = make_date(year_hint, found.month, found.day)
        return ParsedDate(got.year, got.month, got.day, inferred="year from page") if got else None
    if base is None:
        return None
    for year in (base.year, base.year - 1):  # the most recent such day on or before the base
        got = make_date(year, found.month, found.day)
        if got and got.first_day() <= base.date():
            if (base.date() - got.first_day()).days > YEARLESS_MAX_DAYS:
                return None
            return ParsedDate(year, got.month, got.day, inferred="year from capture")
    return None


def resolve(
    found: ParsedDate | Yearless | str | None, base: datetime | None, year_hint: int | None
) -> ParsedDate | None:
    """Complete a partial result of `parse_core`, or give up."""
    if found is None or isinstance(found, ParsedDate):
        return found
    if isinstance(found, Yearless):
        return _yearless(found, base, year_hint)
    return _relative(found, base)


def parse_date_string(
    raw: str | None,
    *,
    order: str = "MDY",
    languages: tuple[str, ...] | list[str] = ("en", "es"),
    relative_base: datetime | None = None,
    tz: str | None = None,
    year_hint: int | None = None,
) -> ParsedDate | None:
    """The first date in `raw`, or None. `relative_base` is the capture time (naive, local)."""
    if not raw:
        return None
    found = parse_core(raw, order.upper(), tuple(languages), relative_base, tz)
    return resolve(found, relative_base, year_hint)
