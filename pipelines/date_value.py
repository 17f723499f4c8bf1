"""The value a date parser returns: a date with only the parts its source gave."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

MIN_YEAR, MAX_YEAR = 1700, 2199  # plausible printed years; the capture bounds them later


@dataclass(frozen=True)
class ParsedDate:
    """A date with the parts the source actually gave; missing parts stay None."""

    year: int
    month: int | None = None
    day: int | None = None
    inferred: str | None = field(default=None, compare=False)  # how a missing part was found
    text: str | None = field(default=None, compare=False)  # the matched text

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def iso(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}" if self.month else f"{self.year:04d}"

    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> date:
        if self.day:
            return self.first_day()
        if not self.month:
            return date(self.year, 12, 31)
        nxt = date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return nxt - timedelta(days=1)


@dataclass(frozen=True)
class Yearless:
    """A month and day printed without a year ("April 27"): not a date until a year is found."""

    month: int
    day: int


def make_date(y: int, m: int, d: int | None = None, text: str | None = None) -> ParsedDate | None:
    """A ParsedDate if the parts make a real calendar date in a plausible year, else None."""
    if not MIN_YEAR <= y <= MAX_YEAR or not 1 <= m <= 12:
        return None
    if d is not None:
        try:
            date(y, m, d)
        except ValueError:
            return None
    return ParsedDate(y, m, d, text=text)
