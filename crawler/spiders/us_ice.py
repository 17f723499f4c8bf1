"""U.S. Immigration and Customs Enforcement newsroom, both URL eras of 2008-2010
(/pi/nr/YYMM/... and /news/releases/YYMM/...), and its fact sheets."""

from crawler.spiders.platforms.newsroom import NewsroomSpider


class UsIceSpider(NewsroomSpider):
    name = "us_ice"
    agency = "U.S. Immigration and Customs Enforcement"
    issuer_fips = "US"  # a federal agency: the nation issues
    issuer_name = "United States"
    timezone = "America/New_York"
    allowed_domains = ["ice.gov"]
    start_urls = [
        "http://www.ice.gov/pi/news/newsreleases/index.htm",
        "http://www.ice.gov/news/releases/index.htm",
        "http://www.ice.gov/pi/news/factsheets/secure_communities.htm",
    ]
    list_urls = [r"/pi/news/newsreleases/(index\.htm)?(\?|$)", r"/news/releases/(index\.htm)?$"]
    release_urls = [r"/pi/nr/\d{4}/\d{6}[\w-]+\.htm", r"/news/releases/\d{4}/\d{6}[\w-]+\.htm", r"/factsheets/"]
    list_row = ["ul.nr-list li", "div.view-news-releases div.views-row"]
    release_list_row = ["#headline-news li"]
    row_date = ["span.nr-date", "span.date-display-single"]
    row_place = ["span.nr-place", "span.field-place"]
    next_page = ["p.pager a"]
    title = ["h1.nr-title", "#main-content h1.title"]
    subtitle = ["h2.nr-subtitle", "#main-content .field-subtitle"]
    date = ["p.nr-date", "#main-content .release-date"]
    body = ["div.nr-body", "#main-content .field-body"]
