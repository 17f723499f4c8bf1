"""The registered sources: Scrapy's own SpiderLoader over the project's settings."""

from __future__ import annotations

import os
from functools import lru_cache

from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings


def project_settings() -> Settings:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    return get_project_settings()


@lru_cache(maxsize=1)
def spider_classes() -> dict[str, type]:
    loader = SpiderLoader.from_settings(project_settings())
    return {name: loader.load(name) for name in loader.list()}


def spider_for_url(url: str) -> type:
    """The source whose domains hold `url`; the generic spider when none does."""
    classes = spider_classes()
    for name, cls in sorted(classes.items()):
        if name != "generic" and cls.handles(url):
            return cls
    return classes["generic"]
