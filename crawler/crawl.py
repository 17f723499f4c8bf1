"""What `pressarchive crawl` runs: a registered source live, a source or a URL prefix swept
from a web archive, or an ad-hoc site with the generic extractor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess

from crawler.cdx import resolve_endpoint
from crawler.registry import project_settings, spider_classes, spider_for_url
from crawler.spiders.platforms.wayback import archive_slots
from pipelines.offload import offload_settings


@dataclass
class CrawlPlan:
    name: str | None = None
    site: str | None = None
    follow: str | None = None
    archive: str | None = None
    prefixes: list[str] = field(default_factory=list)
    date_from: str | None = None
    date_to: str | None = None
    pdf: bool = True

    user_settings: dict[str, Any] = field(default_factory=dict)

    def resolve(self) -> tuple[type, dict[str, Any], dict[str, Any]]:
        """The spider class, its arguments, and the settings this kind of crawl needs."""
        if self.name and self.name not in spider_classes():
            raise ValueError(f"no source named {self.name!r}; known: {', '.join(sorted(spider_classes()))}")
        if self.site:
            return self._site()
        if self.archive:
            return self._archive()
        if not self.name:
            raise ValueError("name a source, or give --site URL, or --archive with --prefix")
        return spider_classes()[self.name], {}, {}

    def _site(self):
        spidercls = spider_classes()[self.name] if self.name else spider_for_url(self.site)
        kwargs: dict[str, Any] = {"start_urls": [self.site]}
        if spidercls.name == "generic":
            kwargs["follow"] = self.follow
        return spidercls, kwargs, {}

    def _archive(self):
        settings = project_settings()
        settings.setdict(self.user_settings, priority="cmdline")
        endpoint = resolve_endpoint(self.archive, settings.getdict("ARCHIVE_ENDPOINTS"))
        if self.name:
            spidercls = spider_classes()[self.name]
        elif self.prefixes:
            spidercls = spider_for_url(_as_url(self.prefixes[0]))
        else:
            raise ValueError("--archive needs a source name or at least one --prefix")
        kwargs = {
            "archive": endpoint,
            "patterns": self.prefixes or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
            "pdf": self.pdf,
        }
        slots = archive_slots(
            endpoint, settings.getfloat("ARCHIVE_CDX_RATE"), settings.getfloat("ARCHIVE_CAPTURE_RATE")
        )
        # Fixed per-archive budgets instead of AutoThrottle's guesses; archives have no robots.txt
        # for their API and capture paths that applies to us.
        extra = {"DOWNLOAD_SLOTS": slots, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0}
        return spidercls, kwargs, extra


def _as_url(pattern: str) -> str:
    bare = pattern.lstrip("*.").rstrip("*")
    return bare if "://" in bare else f"http://{bare}"


def run_crawl(spidercls: type, kwargs: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    settings = project_settings()
    # -s values win over what the crawl form chose (DOWNLOAD_SLOTS given with -s arrives as JSON text).
    settings.setdict(overrides, priority="cmdline")
    offload_settings(settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spidercls)
    process.crawl(crawler, **kwargs)
    process.start()
    return dict(crawler.stats.get_stats())
