"""Collect every date-looking string a page prints, without parsing any of it.

Spiders call `collect_date_strings(response.selector)` on every page and store the result in
`PressRelease.date_strings`; `pipelines.dates` parses and weighs them later. Keeping the raw
strings (and their kind) is what lets the archive show its evidence for a date.

Kinds produced:
    meta:<name>      <meta> tags and itemprop attributes whose name is about dates
                     (article:published_time, og:updated_time, dc.date.issued, date, pubdate, ...)
    time             <time> elements: the datetime attribute, else the element text
    title            the <title> text ("July 12, 2019 Press Release")
    label:<label>    a labelled date in the page text, label normalized to lower case
                     ("Last Modified: Tuesday, April 27, 2010" -> "label:last modified")

Speed matters (every page of every crawl, ~0.3 ms): one C-level lxml walk for <meta>/<time>/
<title>, the body text as one string, one regex pass over it; no BeautifulSoup, no per-node
Selector objects. Microdata dates are read from <meta itemprop> and <time itemprop> only.
"""

from __future__ import annotations

import re
from typing import Any

# Labels that may be followed by their value without a colon ("Posted on August 11, 2010").
MULTIWORD_LABELS = (
    "release date",
    "date of release",
    "for immediate release",
    "posted on",
    "published on",
    "publication date",
    "last modified",
    "last updated",
    "last revised",
    "fecha de publicación",
    "publicado el",
    "actualizado el",
)
# Single words are too common in prose to count without a colon ("Updated: ...").
COLON_LABELS = (
    "posted",
    "published",
    "modified",
    "updated",
    "revised",
    "fecha",
    "publicado",
    "actualizado",
    "date",
)
# Labels whose date is a modification, never a publication.
MODIFIED_LABELS = frozenset(
    {
        "last modified",
        "last updated",
        "last revised",
        "modified",
        "updated",
        "revised",
        "actualizado",
        "actualizado el",
    }
)


def _alternation(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)  # longest first: "last updated" before "updated"
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


_ALL_LABELS = _alternation(MULTIWORD_LABELS + COLON_LABELS)
_FIRST_LETTERS = "".join(sorted({w[0] for w in MULTIWORD_LABELS + COLON_LABELS}))
# Matched against lower-cased text: an IGNORECASE alternation is several times slower, and the
# first-letter lookahead lets the engine skip most positions cheaply. Digits may precede a
# label (block text runs together: "2010Release Date:"); a value stops at the next label.
_LABEL_RE = re.compile(
    r"(?=[" + _FIRST_LETTERS + r"])(?<![a-z])"
    r"(?:(?P<multi>" + _alternation(MULTIWORD_LABELS) + r")\s*:?"
    r"|(?P<single>" + _alternation(COLON_LABELS) + r")\s*:)"
    r"[^\S\n]*\n?\s*(?P<value>(?:(?!" + _ALL_LABELS + r")[^\n|]){1,60})"
)
# A labelled value is only worth keeping if it could hold a date.
_VALUE_HINT = re.compile(r"\d|\b(?:today|yesterday|ago|hoy|ayer|hace)\b")
_META_NAME = re.compile(
    r"^(?:article:|og:|dc\.|dcterms\.|sailthru\.|parsely-|citation_|og:article:)?"
    r"(?:date[\w.:-]*|[\w.:-]*(?:published|publication|modified|updated)[\w.:-]*"
    r"|pubdate|publish[-_]?date|created|issued|available|timestamp|last-modified|revised)$"
)
_CODE_HINT = re.compile(r"[{};=<>]")
_WS = re.compile(r"\s+")
_MAX_LABELS = 12


def _norm(text: str) -> str:
    # "\xa0" and its cp1252 mojibake "Â\xa0" are common on old .gov pages.
    return _WS.sub(" ", text.replace("Â\xa0", " ").replace("\xa0", " ")).strip()


def _top_elements(root: Any) -> list[Any]:
    # Broken pages ("</html><br><html>...") parse into sibling <html> elements.
    top = root.getroottree().getroot()
    siblings = [*top.itersiblings(preceding=True), top, *top.itersiblings()]
    return [el for el in siblings if isinstance(el.tag, str)]


def _meta_name(el: Any) -> str:
    attrs = el.attrib
    name = attrs.get("name") or attrs.get("property") or attrs.get("itemprop")
    return (name or attrs.get("http-equiv") or "").strip().lower()


def _element_string(el: Any) -> dict[str, str] | None:
    """The date string of one <meta>, <time> or <title>, or None."""
    tag = el.tag
    if tag == "meta":
        name = _meta_name(el)
        raw = _norm(el.get("content") or "")
        return {"kind": f"meta:{name}", "raw": raw} if raw and _META_NAME.match(name) else None
    if tag == "time":
        raw = _norm(el.get("datetime") or el.text_content() or "")
        prop = (el.get("itemprop") or "").strip().lower()
        kind = f"meta:{prop}" if prop.startswith("date") else "time"  # dateModified matters
        return {"kind": kind, "raw": raw} if raw else None
    raw = _norm(el.text_content() or "")
    return {"kind": "title", "raw": raw} if raw else None


def _label_strings(text: str) -> list[dict[str, str]]:
    lowered = text.lower()
    if len(lowered) != len(text):  # rare case-folding that changes length: keep offsets true
        lowered, text = text, text
    found = []
    for m in _LABEL_RE.finditer(lowered):
        value = m.group("value")
        if not _VALUE_HINT.search(value) or _CODE_HINT.search(value):  # body text includes <script>
            continue
        label = _WS.sub(" ", m.group("multi") or m.group("single"))
        found.append({"kind": f"label:{label}", "raw": _norm(text[m.start() : m.end()])})
        if len(found) >= _MAX_LABELS:
            break
    return found


def collect_date_strings(selector: Any) -> list[dict[str, str]]:
    """Every raw date string of an HTML page, as `[{"kind": ..., "raw": ...}]`, deduplicated.

    `selector` is a parsel/Scrapy Selector (e.g. `response.selector`). Nothing is parsed here.
    """
    root = selector.root
    if not hasattr(root, "getroottree"):  # a text/JSON selector has no HTML tree
        return []
    found: list[dict[str, str]] = []
    bodies: list[str] = []
    seen_title = False
    for top in _top_elements(root):
        for el in top.iter("meta", "time", "title", "body"):
            if el.tag == "body":
                # The body's text, not per-node text(): one C call instead of thousands.
                bodies.append(el.xpath("string()"))
            elif el.tag != "title" or not seen_title:
                seen_title = seen_title or el.tag == "title"
                entry = _element_string(el)
                if entry:
                    found.append(entry)
    found += _label_strings("\n".join(bodies).replace("\xa0", " "))
    seen: set[tuple[str, str]] = set()
    unique = []
    for entry in found:
        key = (entry["kind"], entry["raw"])
        if key not in seen:
            seen.add(key)
            unique.append(entry)
    return unique
