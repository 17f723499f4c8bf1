"""City of Winston-Salem, North Carolina (Forsyth County): News Flash and program pages."""

from crawler.spiders.platforms.civicplus import CivicPlusSpider


class UsNcWinstonSalemSpider(CivicPlusSpider):
    name = "us_nc_winston_salem"
    agency = "City of Winston-Salem"
    issuer_fips = "3775000"  # Census place code (state 37, place 75000); the city lies in Forsyth County, 37067
    issuer_name = "Winston-Salem, NC"
    timezone = "America/New_York"
    allowed_domains = ["cityofws.org"]
    start_urls = [
        "http://www.cityofws.org/CivicAlerts.aspx",
        "http://www.cityofws.org/departments/police/secure-communities",
    ]
    release_urls = [*CivicPlusSpider.release_urls, r"/departments/police/secure-communities"]
