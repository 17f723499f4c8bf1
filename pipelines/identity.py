"""IdentityPipeline: stable ids, so every run is an idempotent upsert.

A release id derives from the source and the canonical URL; a capture id from the archive,
the capture time and the original URL; the content hash from the normalized text, so
whitespace or markup changes do not count as a new version.
"""

from __future__ import annotations

import hashlib
import re

from crawler.items import PressRelease
from crawler.spiders.base import canonical

_NON_WORD = re.compile(r"\W+")


def short_hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:16]


def release_id_for(source: str, url: str) -> str:
    return short_hash(source, canonical(url))


def capture_id_for(capture: dict, url: str) -> str:
    return short_hash(capture.get("archive") or "", capture.get("timestamp") or "", capture.get("original_url") or url)


def content_hash(title: str, published: str | None, body_text: str) -> str:
    normalized = " ".join(_NON_WORD.sub(" ", f"{title} {published or ''} {body_text}".lower()).split())
    return hashlib.sha1(normalized.encode()).hexdigest()


def shingles(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = _NON_WORD.sub(" ", text.lower()).split()
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def normalized_title(title: str) -> str:
    return " ".join(_NON_WORD.sub(" ", title.lower()).split())


def same_release(a: dict, b: dict, threshold: float = 0.8) -> bool:
    """Is `b` the same announcement as `a` at another URL (a migration, a mirror, a repost)?

    Conservative, because a wrong merge loses a release while a missed one only splits it:
    same day-precision date, same normalized title, and near-identical text.
    """
    if not a.get("published") or a.get("published") != b.get("published"):
        return False
    if a.get("published_precision") != "day" or b.get("published_precision") != "day":
        return False
    if normalized_title(a.get("title") or "") != normalized_title(b.get("title") or ""):
        return False
    left, right = shingles(a.get("body_text") or ""), shingles(b.get("body_text") or "")
    return len(left & right) / max(1, len(left | right)) >= threshold


class IdentityPipeline:
    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_item(self, item):
        if isinstance(item, PressRelease):
            item.release_id = release_id_for(item.source, item.url)
            item.capture_id = capture_id_for(item.capture, item.url)
            item.content_hash = content_hash(item.title, item.published, item.body_text)
        return item
