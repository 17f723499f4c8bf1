"""CivicPlusSpider: municipal sites on CivicPlus ("News Flash" lists of CivicAlerts, and
content pages). A city is a few class attributes: name, agency, issuer, start URLs."""

from __future__ import annotations

from typing import ClassVar

from crawler.spiders.platforms.newsroom import NewsroomSpider


class CivicPlusSpider(NewsroomSpider):
    platform = "civicplus"
    list_urls: ClassVar[list[str]] = [r"/CivicAlerts\.aspx(\?CID=\d+)?$"]
    release_urls: ClassVar[list[str]] = [r"/CivicAlerts\.aspx\?AID=\d+"]
    list_row = ["#CivicAlerts li.newsItem", ".newsFlash ul.listItems > li"]
    row_date = [".date"]
    row_link = ["h3 a"]
    title = ["#CivicAlertsView h1.title", "h1.pageTitle", "#page h1"]
    subtitle: ClassVar[list[str]] = []
    date = ["#CivicAlertsView .date", ".pageContent .date"]
    body = ["#CivicAlertsView .content", ".pageContent", "#page .fr-view"]
