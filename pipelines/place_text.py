"""Text helpers shared by the place, agency and claim extractors.

Everything here keeps character offsets: `clean()` only swaps characters one for one, so
a span found in the cleaned text is the same span in the text the caller passed.
"""

from __future__ import annotations

import bisect
import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Typographic apostrophes and no-break spaces, one for one (offsets stay valid). "Â" is
# what a no-break space becomes when UTF-8 is read as cp1252; no US place name has it.
_ONE_FOR_ONE = (("\u2019", "'"), ("\u2018", "'"), ("\u00a0", " "), ("\u2009", " "), ("\u00c2", " "))

# A word of a proper name: "Palm", "St.", "Prince", "George's", "Miami-Dade", "McLennan".
NAME_WORD = re.compile(r"[A-Z\u00c0-\u00de](?:[^\W_]|['.-])*")
# Lowercase words that occur inside names ("Lewis and Clark", "Isle of Wight", "De la Garza").
CONNECTORS = frozenset({"and", "of", "de", "la", "du", "le", "des", "del", "el", "the"})
# Capitalized words that open a phrase but never a county or place name.
STOPWORDS = _words(
    """The This That These Those Each Every Our Your Their His Her Its Any All Some Other
    Another One Two Three Four Five Six Seven Eight Nine Ten Local Participating
    Neighboring Surrounding Several Many Both Which Whose Per A An In For And Of On At By
    To With From Under Over Into Within Across After Before During Since When While Where
    County Counties Parish City Town Village Borough State States Sheriff Sheriffs Police
    Office Department Secure Communities ICE DHS FBI U.S. US Federal National Additional
    Rural Urban Jail Jails Mr. Mrs. Ms. Dr. Gov. Sen. Rep. Mayor Chief Director Judge
    Attorney General Commissioner Commissioners Board Court Today Yesterday Tuesday
    Monday Wednesday Thursday Friday Saturday Sunday"""
)
# Abbreviations whose period does not end a sentence ("St. Lucie", "Palm Beach, Fla. today").
_NO_BREAK = _words(
    """St Ste Mt Ft Mr Mrs Ms Dr Jr Sr Gov Sen Rep Lt Gen Col Sgt Capt Det Ofc Atty Hon
    Rev Inc Co Corp No Nos Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec U.S U.S.A
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nev N.H N.J N.M N.Y N.C N.D Okla Ore Pa R.I S.C S.D Tenn Vt Va Wash W.Va Wis
    Wyo D.C Tex Cal Penn Wisc"""
)
_BREAK = re.compile(r"(?<=[.!?])[\"')\]\u201d]*\s+(?=[\"(\u201c]?[A-Z0-9])|\n\s*\n")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)\.$")


def clean(text: str) -> str:
    # str.replace per character is several times faster than str.translate here.
    for old, new in _ONE_FOR_ONE:
        if old in text:
            text = text.replace(old, new)
    return text


class Sentences:
    """Sentence boundaries of one text, for "same sentence" context questions."""

    def __init__(self, text: str) -> None:
        starts = [0]
        for m in _BREAK.finditer(text):
            head = text[max(0, m.start() - 12) : m.start()]
            word = _WORD_BEFORE.search(head)
            if word and word.group(1) in _NO_BREAK:
                continue
            starts.append(m.end())
        self.starts = starts
        self.length = len(text)

    def span(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        end = self.starts[i + 1] if i + 1 < len(self.starts) else self.length
        return self.starts[i], end


def words_before(text: str, end: int, limit: int = 6) -> list[tuple[int, int]]:
    """Spans of the name-like words that run up to `end`, nearest last.

    Words must be capitalized or inner connectors, separated by one space or a hyphen;
    a connector cannot open the run ("and Kenedy" yields only "Kenedy").
    """
    spans: list[tuple[int, int]] = []
    pos = end
    while len(spans) < limit:
        gap = pos
        while gap > 0 and text[gap - 1] == " " and pos - gap < 2:
            gap -= 1
        if gap == pos and spans:
            break
        start = gap
        while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'.-"):
            start -= 1
        word = text[start:gap]
        if not word or not (NAME_WORD.fullmatch(word) or word in CONNECTORS):
            break
        if spans and ends_sentence(word):
            break
        spans.insert(0, (start, gap))
        pos = start
    while spans and text[spans[0][0] : spans[0][1]] in CONNECTORS:
        spans.pop(0)
    return spans


def words_after(text: str, start: int, limit: int = 5) -> list[tuple[int, int]]:
    """Spans of the name-like words that start at `start` (first must be capitalized)."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _WORD_AFTER.finditer(text, start):
        if m.start() != pos or len(spans) >= limit:
            break
        word = m.group(1)
        if not (NAME_WORD.fullmatch(word) or (spans and word in CONNECTORS)):
            break
        spans.append((m.start(1), m.end(1)))
        pos = m.end()
        if ends_sentence(word):
            break
    while spans and text[spans[-1][0] : spans[-1][1]] in CONNECTORS:
        spans.pop()
    return spans


_WORD_AFTER = re.compile(r"([^\W\d_](?:[^\W_]|['.-])*)( ?)")


def ends_sentence(word: str) -> bool:
    """A word with a full stop that is not an abbreviation or an initial ("Kenedy.")."""
    return word.endswith(".") and len(word) > 2 and word[:-1] not in _NO_BREAK


def strip_period(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """Drop a sentence period glued to the last word ("Kenedy." -> "Kenedy")."""
    start, end = span
    word = text[start:end]
    if ends_sentence(word):
        return start, end - 1
    return span
