"""ValidatePipeline: an item missing what a historian needs is dropped with a reason; the
store records the drop as an error row, so nothing is lost silently."""

from __future__ import annotations

from scrapy.exceptions import DropItem

from crawler.items import PressRelease


class ValidatePipeline:
    def __init__(self, crawler, min_body_chars: int):
        self.crawler = crawler
        self.min_body_chars = min_body_chars

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("ARCHIVE_MIN_BODY_CHARS", 40))

    def problems(self, item: PressRelease) -> list[str]:
        found = []
        if not item.url:
            found.append("no URL")
        if not item.title:
            found.append("empty title")
        if len(item.body_text or "") < self.min_body_chars:
            found.append(f"body shorter than {self.min_body_chars} characters")
        stamp = item.capture.get("timestamp")
        digits = (item.published or "").replace("-", "")
        if digits and stamp and digits > stamp[: len(digits)]:
            found.append(f"published {item.published} is after the capture")
        return found

    def process_item(self, item):
        if not isinstance(item, PressRelease):
            return item
        problems = self.problems(item)
        if problems:
            # crawler.stats exists only once a crawl runs (not for `pressarchive extract`)
            if getattr(self.crawler, "_stats", None) is not None:
                self.crawler.stats.inc_value("archive/dropped/invalid")
            raise DropItem(f"invalid release at {item.url}: {'; '.join(problems)}")
        return item
