"""CleanupPipeline: repair text as printed (mojibake, spacing) and name the language.

Old .gov pages mix cp1252 and UTF-8; ftfy undoes "Sheriffâ€™s" without touching good text.
"""

from __future__ import annotations

import re

import ftfy
from ftfy.badness import is_bad

from crawler.extract import clean_text
from crawler.items import PressRelease

_LONE_A_CIRCUMFLEX = re.compile(r"Â(?=\s|$)")
# UTF-8 read as cp1252/latin-1 always leaves one of these lead characters (Â Ã for Latin-1
# letters, â for punctuation, Å Ð Ñ for the rest) or a C1 control: a cheap gate before ftfy.
_SUSPECT = re.compile("[\u00c2\u00c3\u00e2\u00c5\u00d0\u00d1\x80-\x9f]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Markup printed as text (escaped on the page, or an og:title holding it) stays inert: no
# script tag and no javascript: URL survives in a stored field, whatever shows it later.
_SCRIPT_TAG = re.compile(r"<\s*/?\s*script\b[^>]*>?", re.I)
_JS_SCHEME = re.compile(r"javascript\s*:", re.I)
_TEXT_FIELDS = ("title", "subtitle", "date_raw", "dateline", "body_text")
_WORD = re.compile(r"[a-záéíóúñü]+")
# Function words decide between the two languages our sources publish in.
_ES = frozenset("el la los las de del que en y para por con una un es se su al lo como".split(" "))
_EN = frozenset("the of and to in for is on that with by as at from this be it an are was".split(" "))


def repair(text: str | None) -> str | None:
    if text is None:
        return None
    # C1 control characters only appear when cp1252 bytes were decoded as latin-1 or UTF-8
    # was double-decoded. ftfy is only worth its cost when a mojibake lead character is there.
    if _SUSPECT.search(text) and (is_bad(text) or any("\x80" <= ch <= "\x9f" for ch in text)):
        # Keep the page's own curly quotes: we repair encodings, not typography.
        text = ftfy.fix_text(text, normalization="NFC", uncurl_quotes=False)
        # A no-break space read as cp1252 is "Â\u00a0"; when markup split the pair, ftfy
        # cannot see it, and a lone "Â" before a space is never English or Spanish.
        text = _LONE_A_CIRCUMFLEX.sub("", text)
    text = _JS_SCHEME.sub("javascript ", _SCRIPT_TAG.sub(" ", _CONTROLS.sub("", text)))
    return clean_text(text, unicode_spaces=True)


def guess_language(text: str) -> str | None:
    words = _WORD.findall(text[:3000].lower())
    es = sum(word in _ES for word in words)
    en = sum(word in _EN for word in words)
    if es + en < 5:
        return None
    return "es" if es > en else "en"


class CleanupPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_item(self, item):
        if not isinstance(item, PressRelease):
            return item
        for name in _TEXT_FIELDS:
            setattr(item, name, repair(getattr(item, name)))
        item.title = " ".join((item.title or "").split())
        if item.language not in ("en", "es"):
            item.language = guess_language(item.body_text or "") or item.language
        return item
