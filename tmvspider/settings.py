"""Every default of the project in one place. Each one can be overridden with ``-s NAME=VALUE``.

Politeness is a default, not an option: robots.txt obeyed (its Crawl-delay too),
an honest User-Agent, AutoThrottle above a fixed delay, bounded downloads, and
retries that wait as long as the server's Retry-After asks. For a local mirror:
``-s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False``.
"""

from tmvspider import PROJECT_URL, __version__
from tmvspider.items import FIELDS
from tmvspider.scrapy_compat import base_without

BOT_NAME = "tmvspider"
SPIDER_MODULES = ["tmvspider.spiders"]
NEWSPIDER_MODULE = "tmvspider.spiders"
COMMANDS_MODULE = "tmvspider.commands"  # crawl: one-line errors, truthful exit codes

# ---- who we are and how gently we ask
USER_AGENT = f"tmvspider/{__version__} (+{PROJECT_URL})"
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# An article page of the mirror weighs ~13 kB: anything near 2 MiB is an accident or a bomb. The limit
# holds for the bytes received and, in HttpCompressionMiddleware, once decompressed.
DOWNLOAD_MAXSIZE = 2 * 1024 * 1024
DOWNLOAD_WARNSIZE = 512 * 1024
REDIRECT_MAX_TIMES = 5  # WordPress redirects once or twice; more is a loop
TMV_MAX_LISTING_PAGES = 2000  # pages read per listing (home, one month) at the most

# ---- the CMS's own JSON, the first source where it answers (README, "The CMS's API")
TMV_API = True  # False: discovery through sitemaps, feed and listings only
# default: https://tmv.tmvtours.fr/wp-json/ for the live site (the WordPress host), <base_url>/wp-json/ else
TMV_API_ROOT = None
TMV_API_OVERLAP_HOURS = 24.0  # an incremental run asks for the changes since the newest it exported, less this
TMV_API_MAXSIZE = 64 * 1024 * 1024  # a page of 100 posts with their text: larger than any article page
TMV_ARTICLE_PAGES = True  # each new or changed article's page too: its related links, and a check of the API

# ---- retries: transient errors, with backoff and the server's Retry-After honoured
RETRY_ENABLED = True
RETRY_TIMES = 4
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
TMV_RETRY_BACKOFF = 0.5  # seconds, doubled at each retry when no Retry-After is given
TMV_RETRY_AFTER_MAX = 300  # never wait longer than this for one retry, seconds
RETRY_GIVE_UP_LOG_LEVEL = "DEBUG"  # the spider logs each failed URL once, with its reason

DOWNLOADER_MIDDLEWARES = {
    # `tmvspider reextract` only (TMV_REEXTRACT): every request answered from the WARC archive
    "tmvspider.replay.ArchiveReplay": 1,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "tmvspider.middlewares.RetryAfterMiddleware": 550,
    # responses go through middlewares from high to low numbers: below 590 (HttpCompression)
    # means the body is already decompressed here
    "tmvspider.middlewares.DeclaredEncodingMiddleware": 585,
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware": None,
    "tmvspider.middlewares.SameSiteRedirectMiddleware": 600,
    # each middleware costs every request; the site needs no auth, cookies or meta refresh
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
}
# Discovery is by kind of page, not depth; canonical URLs are short; no Referer to send.
SPIDER_MIDDLEWARES = {
    "tmvspider.replay.ArchiveOnly": 1,  # `tmvspider reextract` only: callbacks discover nothing
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}

# ---- what Scrapy turns on by default and a crawler of a public site does not need
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
# Two classes Scrapy loads by default cost ~0.3 s of every start-up (aiohttp for the remote
# control; tldextract and requests for cookies) and a crawler of a public site needs neither: they
# are left out of the base lists (scrapy_compat.base_without says why there). To bring cookies back,
# add the class to DOWNLOADER_MIDDLEWARES (700).
_NEVER_LOADED = {
    "scrapy.extensions.remote_control.RemoteControl",
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
}
EXTENSIONS_BASE = base_without("EXTENSIONS_BASE", _NEVER_LOADED)
DOWNLOADER_MIDDLEWARES_BASE = base_without("DOWNLOADER_MIDDLEWARES_BASE", _NEVER_LOADED)
EXTENSIONS = {
    # the crawl state's owner: before Scrapy's FeedExporter (0), which reads FEEDS when built (a run
    # without the state has its default feeds in dev/)
    "tmvspider.keeper.StateKeeper": -1,
    "tmvspider.disk.DiskGuard": 90,  # every writer hands it its failed writes
    "tmvspider.extensions.CrawlDelay": 100,
    "tmvspider.coverage.CoverageAlarm": 115,  # before RunReport: its figures go in the summary and stats
    "tmvspider.extensions.RunReport": 120,
    "tmvspider.archive.WarcArchive": 130,
    "tmvspider.progress.Progress": 117,  # its last line (at engine_stopped) before the run summary
}
# Coverage alarms (coverage.py): the least share of the articles read, in percent, on which a
# field is found, once a run has read TMV_COVERAGE_MIN_ITEMS articles. Near 100 % for what every
# article has; half for the author, tags and categories (a page without a byline name is normal
# on this site); none for lead, image, interview, related, modified_at, post_id.
TMV_COVERAGE_MIN = {"url": 99, "title": 99, "published_at": 99, "body": 95, "author": 50, "tags": 50, "categories": 50}
TMV_COVERAGE_MIN_ITEMS = 50
# A run of any size whose coverage of a watched field is far below the field's coverage over the
# TMV_COVERAGE_HISTORY articles last exported (the state's history; once it holds
# TMV_COVERAGE_MIN_ITEMS) alarms too: P[X <= filled] under Binomial(read, history's share) below
# TMV_COVERAGE_SIGNIFICANCE (one normal day in a thousand, per field, at most).
TMV_COVERAGE_HISTORY = 500
TMV_COVERAGE_SIGNIFICANCE = 0.001
TMV_NOT_ARTICLE_MAX = 25  # percent of the article pages asked for that may read as no article
TMV_PROBE_REQUESTS = 30  # `tmvspider probe`: requests at the most
# A progress line (articles exported / known, requests, failures, time left) every so many
# seconds and at the end (0: off); log files of `tmvspider crawl --log-file` rotate at
# TMV_LOG_MAX_BYTES, keeping TMV_LOG_BACKUPS old files (tmvspider/progress.py).
TMV_PROGRESS_INTERVAL = 60.0
TMV_LOG_MAX_BYTES = 10 * 1024 * 1024
TMV_LOG_BACKUPS = 5
# Every 200 page of the site (and of its API) a crawl fetches, in one WARC file per run (tmvspider/archive.py):
# what `tmvspider reextract` rebuilds the items from. Default folder <TMV_OUTPUT_DIR>/archive.
TMV_ARCHIVE_ENABLED = True
TMV_ARCHIVE_DIR = None
TMV_REEXTRACT = False  # set by `tmvspider reextract` only: the spider reads the archive, not the site

# ---- items: validate against the schema, drop duplicates, export JSON Lines
ITEM_PIPELINES = {
    "tmvspider.pipelines.ValidationPipeline": 100,
    "tmvspider.pipelines.DedupPipeline": 200,
}
# One asyncio task per item is plenty: items come one per article page.
CONCURRENT_ITEMS = 1
# To warn about `return value` in generator callbacks, Scrapy re-reads and re-parses the
# callback's source again and again (its cache is keyed by short-lived bound methods):
# ~12 % of the crawl's CPU. tests/test_crawl.py runs that check on our callbacks instead.
WARN_ON_GENERATOR_RETURN_VALUE = False
LOG_FORMATTER = "tmvspider.pipelines.ShortDropLogFormatter"
# `scrapy check tmv`: @page NAME, a page the project ships (the mirror's port is not fixed)
SPIDER_CONTRACTS = {"tmvspider.contracts.PageContract": 10}

# Feeds: <TMV_OUTPUT_DIR>/<spider>/<spider>-<batch start, µs>-<batch>.jsonl, TMV_FEED_BATCH items
# each, written as .part and renamed when complete (unless -o/-O/-s FEEDS names others).
TMV_OUTPUT_DIR = "output"
TMV_FEED_BATCH = 100
# The crawl state (what was exported, sitemap validators): default <TMV_OUTPUT_DIR>/state
TMV_STATE_DIR = None
TMV_WITHOUT_STATE = False  # a run that never opens the state (set by `scrapy shell`; -a url= runs go without it too)
FEED_STORAGES = {
    "": "tmvspider.feedstorage.AtomicFileFeedStorage",
    "file": "tmvspider.feedstorage.AtomicFileFeedStorage",
}
FEED_EXPORT_ENCODING = "utf-8"
FEED_EXPORTERS = {
    "jsonlines": "tmvspider.feedstorage.JsonLinesExporter",
    "jl": "tmvspider.feedstorage.JsonLinesExporter",
}
FEED_EXPORT_FIELDS = FIELDS

LOG_LEVEL = "INFO"
