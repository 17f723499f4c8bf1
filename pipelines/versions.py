"""What changed between two versions of a release, in a line a historian can scan."""

from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")


def change_summary(old: dict, new: dict) -> str:
    old_words = Counter(_WORD.findall((old.get("body_text") or "").lower()))
    new_words = Counter(_WORD.findall((new.get("body_text") or "").lower()))
    added = sum((new_words - old_words).values())
    removed = sum((old_words - new_words).values())
    parts = [f"+{added} words, -{removed} words"]
    if (old.get("title") or "") != (new.get("title") or ""):
        parts.append("title changed")
    if old.get("published") != new.get("published"):
        parts.append(f"date changed {old.get('published')} -> {new.get('published')}")
    return "; ".join(parts)
