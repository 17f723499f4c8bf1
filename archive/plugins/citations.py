"""Citations of a release: Chicago (note form), BibTeX and CSL-JSON.

Pure functions, no Datasette: the release page plugin loads this file beside it. The access
date is the date of the capture cited, never today's clock, so a citation is reproducible.
"""

from __future__ import annotations

import json
import re

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip
BIBTEX_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# Characters BibTeX/LaTeX give a meaning to, and how to write them literally.
_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


class Citation:
    """What a citation names. (A plain class: Datasette loads plugin files without registering
    them in sys.modules, which dataclasses need.)"""

    def __init__(
        self,
        release_id: str,
        title: str,
        agency: str,
        published: str | None,  # ISO date, YYYY-MM or YYYY
        original_url: str | None,
        capture_url: str | None = None,  # the archived copy cited
        archive_name: str | None = None,  # e.g. "Internet Archive Wayback Machine"
        captured: str | None = None,  # capture timestamp (14 digits): the access date
        capture_note: str | None = None,  # e.g. the WARC record, when there is no public replay
    ):
        self.release_id = release_id
        self.title = title
        self.agency = agency
        self.published = published
        self.original_url = original_url
        self.capture_url = capture_url
        self.archive_name = archive_name
        self.captured = captured
        self.capture_note = capture_note


def date_parts(iso: str | None) -> list[int]:
    """[2010, 8, 10], [2010, 8] or [2010] from an ISO date of day, month or year precision."""
    if not iso or not re.fullmatch(r"\d{4}(-\d{2}){0,2}", iso):
        return []
    return [int(part) for part in iso.split("-")]


def timestamp_iso(timestamp: str | None) -> str | None:
    """The date of a capture timestamp: 20100915140004 -> 2010-09-15."""
    if not timestamp or not re.fullmatch(r"\d{8,14}", timestamp):
        return None
    return f"{timestamp[0:4]}-{timestamp[4:6]}-{timestamp[6:8]}"


def human_date(iso: str | None) -> str:
    """A date as Chicago writes it (August 10, 2010; May 2010; 2010), or n.d. when unknown."""
    parts = date_parts(iso)
    if len(parts) == 3:
        return f"{MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else "n.d."


def chicago(c: Citation) -> str:
    """Chicago note: Agency, “Title,” press release, Date, URL (archived URL, accessed Date)."""
    title = c.title.strip()
    # The comma goes inside the quotation marks, unless the title ends with its own punctuation.
    quoted = f"“{title}”" if title.endswith(("?", "!")) else f"“{title},”"
    parts = [f"{c.agency}, {quoted} press release, {human_date(c.published)}"]
    if c.original_url:
        parts.append(f", {c.original_url}")
    extra = []
    if c.capture_url or c.capture_note:
        extra.append(f"archived at {c.capture_url or c.capture_note}")
    if timestamp_iso(c.captured):
        extra.append(f"accessed {human_date(timestamp_iso(c.captured))}")
    if extra:
        parts.append(f" ({', '.join(extra)})")
    return "".join(parts) + "."


def bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(ch, ch) for ch in text)


def _bibtex_url(url: str) -> str:
    # url fields are read verbatim by biblatex; only braces could break the entry.
    return url.replace("{", "%7B").replace("}", "%7D")


def bibtex_key(c: Citation) -> str:
    agency = re.sub(r"[^a-z0-9]+", "", "".join(w[0] for w in c.agency.lower().split() if w[:1].isalnum()))
    year = (date_parts(c.published) or ["nd"])[0]
    return f"{agency or 'release'}{year}_{re.sub(r'[^A-Za-z0-9]', '', c.release_id)[:8]}"


def bibtex(c: Citation) -> str:
    parts = date_parts(c.published)
    fields: list[tuple[str, str]] = [
        ("author", "{" + bibtex_escape(c.agency) + "}"),
        ("title", "{" + bibtex_escape(c.title) + "}"),
        ("howpublished", "Press release"),
        ("type", "Press release"),
    ]
    if parts:
        fields.append(("date", c.published or ""))
        fields.append(("year", str(parts[0])))
    if len(parts) >= 2:
        fields.append(("month", BIBTEX_MONTHS[parts[1] - 1]))
    if c.original_url:
        fields.append(("url", _bibtex_url(c.original_url)))
    accessed = timestamp_iso(c.captured)
    if accessed:
        fields.append(("urldate", accessed))
    note = _archive_note(c)
    if note:
        fields.append(("note", note))
    lines = [f"@misc{{{bibtex_key(c)},"]
    for name, value in fields:
        # BibTeX month macros (aug) are written bare; everything else in braces.
        rendered = value if name == "month" else "{" + value + "}"
        lines.append(f"  {name:<12} = {rendered},")
    lines.append("}")
    return "\n".join(lines)


def _archive_note(c: Citation) -> str | None:
    parts = []
    if c.capture_url:
        parts.append(f"\\url{{{_bibtex_url(c.capture_url)}}}")
    if c.capture_note:
        parts.append(bibtex_escape(c.capture_note))
    if not parts:
        return None
    captured = f", captured {timestamp_iso(c.captured)}" if c.captured else ""
    return f"Archived copy ({bibtex_escape(c.archive_name or 'archive')}): {'; '.join(parts)}{captured}"


def csl_item(c: Citation) -> dict:
    item: dict = {
        "id": c.release_id,
        "type": "webpage",
        "genre": "Press release",
        "title": c.title,
        "author": [{"literal": c.agency}],
        "publisher": c.agency,
    }
    if date_parts(c.published):
        item["issued"] = {"date-parts": [date_parts(c.published)]}
    if c.original_url:
        item["URL"] = c.original_url
    accessed = timestamp_iso(c.captured)
    if accessed:
        item["accessed"] = {"date-parts": [date_parts(accessed)]}
    if c.archive_name:
        item["archive"] = c.archive_name
    if c.capture_url or c.capture_note:
        item["archive_location"] = c.capture_url or c.capture_note
    if c.capture_url and c.capture_note:
        item["note"] = f"Archived copy: {c.capture_note}"
    return item


def csl_json(c: Citation) -> str:
    """A CSL-JSON array of one item, as Zotero and citeproc read it."""
    text = json.dumps([csl_item(c)], ensure_ascii=False, indent=2)
    # Keep date-parts on one line: [[2010, 8, 10]] rather than nine.
    text = re.sub(r"\[\s*(\d+(?:,\s*\d+)*)\s*\]", lambda m: "[" + ", ".join(m[1].replace(",", " ").split()) + "]", text)
    return re.sub(r"\[\s*(\[[\d, ]*\])\s*\]", r"[\1]", text)
