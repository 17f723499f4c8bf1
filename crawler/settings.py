"""Scrapy settings: polite defaults for live crawls, and the archive pipeline order.

Every ARCHIVE_* setting can be overridden with `-s NAME=VALUE` on `pressarchive crawl`.
"""

BOT_NAME = "pressarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Identify ourselves and be polite: archives and small municipal servers are shared resources.
USER_AGENT = "pressarchive/0.1 (+https://github.com/pressarchive/pressarchive; archiving public announcements)"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy starts CONCURRENT_ITEMS tasks for every response's output (100 by default); our item
# pipelines are synchronous, so more than a few only costs CPU (~5% of an import).
CONCURRENT_ITEMS = 4
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Scrapy allows 1 GiB bodies and 3 minutes by default; press releases are small.
DOWNLOAD_MAXSIZE = 16 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # Serves WARC records in place of the network when a request carries replay meta.
    "crawler.replay.WarcReplayMiddleware": 50,
    # Captures already in the archive are not fetched again.
    "crawler.incremental.SkipArchivedMiddleware": 60,
    # Retries that honour Retry-After and slow the whole rate budget down.
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.politeness.BackoffRetryMiddleware": 550,
    # Redirect loops become error rows (the dupefilter would drop them silently).
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "crawler.politeness.LoopAwareRedirectMiddleware": 600,
}
EXTENSIONS = {
    "crawler.warc_writer.WarcWriterExtension": 500,
    "crawler.progress.ProgressExtension": 510,
    "crawler.jobdir.SafeResumeExtension": 0,
}

ITEM_PIPELINES = {
    "pipelines.cleanup.CleanupPipeline": 100,
    "pipelines.dates.DatesPipeline": 200,
    "pipelines.jurisdictions.JurisdictionsPipeline": 300,
    "pipelines.validate.ValidatePipeline": 400,
    "pipelines.identity.IdentityPipeline": 500,
    "pipelines.store.StorePipeline": 900,
}

# `pressarchive crawl` runs the item pipelines above in a second process (pipelines/offload.py),
# and so does `import-warc` from this many captures on (one process per source).
ARCHIVE_PIPELINE_PROCESS = True
ARCHIVE_PIPELINE_PROCESS_MIN_CAPTURES = 500

# Where the archive lives and where live responses are written as WARC.
ARCHIVE_DB = "archive.db"
ARCHIVE_WARC_DIR = "warcs"
ARCHIVE_WARC_ENABLED = True
# Web archives: requests per second for CDX queries and capture fetches, per archive host
# (the Internet Archive asks for about 0.4 and 8), and back-off after 429/503.
ARCHIVE_CDX_RATE = 0.4
ARCHIVE_CAPTURE_RATE = 8.0
ARCHIVE_BACKOFF_BASE = 5.0
ARCHIVE_BACKOFF_MAX = 300.0
# Extra named archives: {"name": {"kind": "ia"|"pywb", "cdx": URL, "replay": URL}}
ARCHIVE_ENDPOINTS = {}
ARCHIVE_PROGRESS_INTERVAL = 10.0
# The store commits every ARCHIVE_BATCH_ITEMS items or ARCHIVE_BATCH_SECONDS, whichever first.
ARCHIVE_BATCH_ITEMS = 200
ARCHIVE_BATCH_SECONDS = 1.0
# Items with a body shorter than this (in characters) are rejected by validation.
ARCHIVE_MIN_BODY_CHARS = 40
