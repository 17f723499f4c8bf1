"""Replay: serve a WARC record in place of a download, so an import runs the same spider
callbacks, middlewares and pipelines as a live crawl."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest

from crawler.warc import read_record, response_from_record


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
                raise IgnoreRequest(f"not replayed from the WARC: {request.url}")
            return None
        record, body = read_record(capture["warc_path"], capture["warc_offset"], capture.get("warc_whole_gzip", False))
        request.meta["capture"] = capture
        self.crawler.stats.inc_value("replay/records")
        return response_from_record(record, body, url=capture["url"], request=request)
