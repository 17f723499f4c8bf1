"""pressarchive crawler: Scrapy spiders, WARC in and out, and the command line."""
