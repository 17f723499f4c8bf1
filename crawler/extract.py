"""Selector helpers that fail loudly, and body-text cleanup.

A redesigned site must fail with the selector and URL named, never archive empty titles.
"""

from __future__ import annotations

import re
from functools import lru_cache

from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator

# Elements whose text is never part of an announcement's body.
_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg", "form"}
_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
    "blockquote", "section", "article", "pre", "dd", "dt", "hr",
}  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v]+")
# Unicode spaces are folded only after mojibake repair: "Â\u00a0" is how ftfy recognises a
# UTF-8 no-break space read as cp1252, and folding it first would hide that.
_UNICODE_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_LINE_EDGES = re.compile(r"[^\S\n]*\n[^\S\n]*")  # the spaces around a line break

# AP-style dateline at the start of a body: "FAIRFAX, Va. - ", "SAN ANTONIO, Texas – ",
# "WASHINGTON —". The city is in capitals (AP style), an optional ", State" follows, then a dash;
# capitals are what tell a dateline from an ordinary sentence with a dash in it.
_AP_DATELINE = re.compile(
    r"^\s*(?P<dateline>[A-Z][A-Z.'\- ]{1,40}?(?:,\s*[A-Z][A-Za-z. ]{1,20}?)?)\s+[-\u2013\u2014]{1,2}\s+"
)
# Dateline with the date first and the place in parentheses or brackets:
# "March 12, 2019 (SAINT PAUL)", "August 16, 2021 [SAINT PAUL]".
_DATED_DATELINE = re.compile(r"^\s*(?P<dateline>[^()\[\]\n]{4,40}[(\[]\s*[A-Z][A-Za-z.' ]+[)\]])")


# A line that prints a date with a month name, as documents put under their title.
_DATE_LINE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December)"
    r"(\s+\d{1,2},)?\s+\d{4}\b"
)


class ExtractionError(ValueError):
    """A required part of a page was not found: the page is kept as an error row."""

    def __init__(self, what: str, selector: str, url: str):
        super().__init__(f"required {what} not found: selector {selector!r} matched nothing at {url}")
        self.what, self.selector, self.url = what, selector, url


def clean_text(text: str | None, unicode_spaces: bool = False) -> str:
    """Collapse runs of spaces, keep paragraph breaks as blank lines."""
    if not text:
        return ""
    spaces = _UNICODE_SPACES if unicode_spaces else _SPACES
    # Whole-text substitutions: one regex call per text, not one per line (a hot path).
    text = _LINE_EDGES.sub("\n", spaces.sub(" ", "\n".join(text.splitlines())))
    return _BLANK_LINES.sub("\n\n", text).strip()


@lru_cache(maxsize=512)
def _document_xpath(query: str) -> str:
    return HTMLTranslator().css_to_xpath(query, prefix="//")


def select(sel: Selector | SelectorList, query: str) -> SelectorList:
    """CSS from the whole document when `sel` is a page: old pages with two <html> elements
    (IE conditional comments) leave content outside the root that relative CSS misses."""
    root = getattr(sel, "root", None)
    if isinstance(sel, Selector) and hasattr(root, "getparent") and root.getparent() is None:
        return sel.xpath(_document_xpath(query))
    return sel.css(query)


def first(sel: Selector, queries: str | list[str]) -> tuple[SelectorList | None, str]:
    """The first query (CSS) that matches, and the query itself. `sel` may be a Response."""
    sel = getattr(sel, "selector", sel)
    tried = [queries] if isinstance(queries, str) else queries
    for query in tried:
        found = select(sel, query)
        if found:
            return found, query
    return None, " | ".join(tried)


def text_of(nodes: SelectorList | Selector | None) -> str:
    """Visible text of nodes, paragraphs separated by blank lines, scripts dropped."""
    if nodes is None:
        return ""
    roots = [nodes] if isinstance(nodes, Selector) else list(nodes)
    parts: list[str] = []
    for node in roots:
        root = node.root
        if isinstance(root, str):
            parts.append(root)
            continue
        _walk(root, parts, root=True)
        parts.append("\n\n")
    return clean_text("".join(parts))


def _walk(element, parts: list[str], root: bool = False) -> None:
    # lxml elements: comments and processing instructions have a non-string tag. The tail of a
    # selected node is text after it, outside it: only descendants' tails belong to it.
    tag = element.tag if isinstance(element.tag, str) else None
    tail = None if root else element.tail
    if tag in _SKIP_TAGS:
        if tail:
            parts.append(tail)
        return
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if tag in _BLOCK_TAGS:
        parts.append("\n\n")
    if tail:
        parts.append(tail)


def required_text(sel: Selector, queries: str | list[str], what: str, url: str) -> str:
    """Text of the first matching query; raise ExtractionError naming the selector if empty."""
    nodes, query = first(sel, queries)
    text = text_of(nodes[:1]) if nodes else ""
    if not text:
        raise ExtractionError(what, query, url)
    return text


def optional_text(sel: Selector, queries: str | list[str]) -> str | None:
    nodes, _ = first(sel, queries)
    return (text_of(nodes[:1]) or None) if nodes else None


def split_dateline(body_text: str) -> str | None:
    """The dateline that opens a release body, as printed, or None."""
    head = body_text[:200]
    for pattern in (_DATED_DATELINE, _AP_DATELINE):
        match = pattern.match(head)
        if match:
            return clean_text(match.group("dateline")).rstrip(" ,")
    return None


def date_line(text: str, lines: int = 5) -> str | None:
    """The first of a document's opening lines that prints a date, as printed (or None)."""
    for line in text.strip().splitlines()[:lines]:
        if _DATE_LINE.search(line):
            return line.strip()
    return None
