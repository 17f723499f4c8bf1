"""Replay: serve a WARC record in place of a download, so an import runs the same spider
callbacks, middlewares and pipelines as a live crawl."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crawler.warc import read_record, response_from_record


class NotReplayed(IgnoreRequest):
    """A request an import does not serve (the WARC is the whole world): no error row."""


class RecordTooLarge(Exception):
    """A record whose payload passes DOWNLOAD_MAXSIZE: an error row, like a live download."""


class WarcReplayMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        capture = request.meta.get("replay")
        if capture is None:
            spider = getattr(self.crawler, "spider", None)
            if getattr(spider, "replay", None) is not None:
                # An import never touches the network: the WARC is the whole world.
                self.crawler.stats.inc_value("replay/ignored_requests")
                raise NotReplayed(f"not replayed from the WARC: {request.url}")
            return None
        maxsize = request.meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        record, body = read_record(
            capture["warc_path"], capture["warc_offset"], capture.get("warc_whole_gzip", False), limit=maxsize
        )
        if maxsize and len(body) > maxsize:
            raise RecordTooLarge(f"record payload larger than DOWNLOAD_MAXSIZE ({maxsize} bytes) once decoded")
        request.meta["capture"] = capture
        self.crawler.stats.inc_value("replay/records")
        return response_from_record(record, body, url=capture["url"], request=request)
