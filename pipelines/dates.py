"""DatesPipeline: choose a release's published and modified dates from every candidate.

Candidates (kind -> weight, family). A family is one piece of evidence however many times we
read it: the dateline, the printed date and a "Posted on:" label are the same printed date.

    dateline, page (date_raw), label:<published label>   strong (3)   family "page"
    label:date (a bare "Date:", also used for hearings)   medium (2)   family "page"
    listing (the list row that linked here)                strong (3)   family "listing"
    url (/YYMM/YYMMDD, /YYYY/MM/DD, ...)                   strong (3)   family "url"
    meta:<name>, time                                      medium (2)   family "markup"
    title (<title> and the headline)                       medium (2)   family "title"
    body (first date in the first 400 characters)         weak (1)     family "body"
    anything whose year was guessed or that was relative   weak (1)
    capture (the capture time)                             never chosen, unless the setting
                                                           ARCHIVE_DATES_CAPTURE_FALLBACK is on

The rule:
1. "Last Modified", "Updated", "Revised" labels, meta names with modified/updated, and any
   string that starts with such a label are `modified` candidates: never published. `modified`
   is the latest of them.
2. A candidate dated after the first capture is impossible: it is kept as evidence with a note
   and takes no part in the choice (published or modified).
3. Work at the finest precision that has a value left (day, else month, else year); missing
   parts are never filled. A coarser candidate that contradicts a value and weighs more than
   that value's best candidate vetoes it (the URL's /2018/12/ beats a body "January 5, 2019").
4. Each value scores the sum, over families, of the best weight supporting it: agreement of
   independent sources wins (URL + title beat a lone dateline). Ties go to the value with the
   strongest single candidate, then by kind priority dateline > page > listing > label > url >
   meta > time > title > body, then the earlier date.
5. `date_conflict` is set when two strong candidates are more than ARCHIVE_DATES_CONFLICT_DAYS
   (default 1) days apart, or when the winner only won a tie. A one-day gap between strong
   sources (a URL made the day before the release went out) is common: it is flagged only
   when no other source breaks the tie.
6. `date_source` is the kind of the best candidate supporting the chosen value.

`date_candidates` holds every parsed candidate as {kind, raw, value, precision, chosen, note};
`chosen` marks the candidate behind `published` and the one behind `modified`; `note` says how
a part was inferred ("year from page", "relative to capture: ...") or why it was rejected.
Settings: ARCHIVE_DATES_LANGUAGES (["en", "es"]), ARCHIVE_DATES_CONFLICT_DAYS (1),
ARCHIVE_DATES_CAPTURE_FALLBACK (False). Parsing decisions are in `pipelines.date_parse`.

Derived: year, month ("YYYY-MM", when precision is month or day) and the U.S. federal fiscal
year (FY2010 = 2009-10-01 .. 2010-09-30, when precision is month or day).

No clock is read anywhere: relative dates resolve against the capture time, never today.
"""

from __future__ import annotations

from typing import Any

from crawler.items import PressRelease
from pipelines.date_choice import (
    Candidate,
    Choice,
    capture_time,
    choose,
    classify,
    collect_candidates,
)
from pipelines.date_parse import ParsedDate, parse_date_string
from pipelines.date_url import date_from_url

__all__ = [
    "Candidate",
    "Choice",
    "DatesPipeline",
    "ParsedDate",
    "apply_choice",
    "capture_time",
    "choose",
    "classify",
    "collect_candidates",
    "date_from_url",
    "fiscal_year",
    "parse_date_string",
]


def fiscal_year(value: ParsedDate | None) -> int | None:
    """U.S. federal fiscal year: October starts the next year's FY. None below month precision."""
    if value is None or value.month is None:
        return None
    return value.year + 1 if value.month >= 10 else value.year


def apply_choice(item: PressRelease, choice: Choice) -> PressRelease:
    """Write a Choice onto the item's date fields."""
    published = choice.published
    item.published = published.iso if published else None
    item.published_precision = published.precision if published else None
    item.date_source = choice.source
    item.modified = choice.modified.iso if choice.modified else None
    item.date_conflict = choice.conflict
    item.date_candidates = [c.as_dict() for c in choice.candidates]
    item.year = published.year if published else None
    item.month = published.iso[:7] if published and published.month else None
    item.fiscal_year = fiscal_year(published)
    return item


class DatesPipeline:
    """Fills published, published_precision, date_source, modified, date_conflict,
    date_candidates, year, month and fiscal_year. Reads only the item and the settings."""

    def __init__(
        self,
        languages: tuple[str, ...] = ("en", "es"),
        conflict_days: int = 1,
        capture_fallback: bool = False,
        crawler: Any = None,
    ) -> None:
        self.languages = tuple(languages)
        self.conflict_days = conflict_days
        self.capture_fallback = capture_fallback
        self.crawler = crawler  # only for stats; the item and the settings are all we read

    @classmethod
    def from_crawler(cls, crawler: Any) -> DatesPipeline:
        settings = crawler.settings
        return cls(
            languages=tuple(settings.getlist("ARCHIVE_DATES_LANGUAGES", ["en", "es"])),
            conflict_days=settings.getint("ARCHIVE_DATES_CONFLICT_DAYS", 1),
            capture_fallback=settings.getbool("ARCHIVE_DATES_CAPTURE_FALLBACK", False),
            crawler=crawler,
        )

    def date_item(self, item: PressRelease) -> Choice:
        """The choice for one item (also used by `pressarchive extract`)."""
        candidates = collect_candidates(item, languages=self.languages)
        first = capture_time((item.capture or {}).get("timestamp"), item.timezone)
        return choose(
            candidates,
            first.date() if first else None,
            conflict_days=self.conflict_days,
            capture_fallback=self.capture_fallback,
        )

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, PressRelease):
            return item
        choice = self.date_item(item)
        apply_choice(item, choice)
        self._count(choice)
        return item

    def _count(self, choice: Choice) -> None:
        try:
            stats = getattr(self.crawler, "stats", None)
        except RuntimeError:  # Scrapy 2.19 sets stats only when a crawl starts (not in `extract`)
            stats = None
        if stats is None:
            return
        key = f"dates/source/{choice.source.partition(':')[0]}" if choice.source else "dates/none"
        stats.inc_value(key)
        if choice.conflict:
            stats.inc_value("dates/conflict")
