"""Minnesota Attorney General's Office press releases (datelines like
"March 12, 2019 (SAINT PAUL)")."""

from crawler.spiders.platforms.newsroom import NewsroomSpider


class UsMnAgSpider(NewsroomSpider):
    name = "us_mn_ag"
    agency = "Minnesota Attorney General's Office"
    issuer_fips = "27"
    issuer_name = "Minnesota"
    timezone = "America/Chicago"
    allowed_domains = ["ag.state.mn.us"]
    start_urls = ["https://www.ag.state.mn.us/Office/PressRelease.asp"]
    list_urls = [r"/Office/PressRelease\.asp"]
    release_urls = [r"/Office/Communications/\d{4}/\d{2}/"]
    list_row = ["#content li", "#content tr"]
    title = ["#content h1"]
    subtitle = ["#content p.lede"]
    # The body opens with the dateline, which carries the date: "March 12, 2019 (SAINT PAUL)".
    body = ["#content > h1 ~ :not(.lede)", "#content"]
