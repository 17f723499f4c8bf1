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
