"""The run's own figures in Scrapy's stats (``tmv/…``): every key named here, once.

The stats JSON of each run, the summary line, the progress line, the report and the
tests read them by these names. A key ending in "/" is a family: one key per reason or
field (:func:`key`), read back together with :func:`family`.
"""

from __future__ import annotations

from typing import Any

# ---- what happened to the articles read
ITEMS_READ = "tmv/items_read"  # every article read, exported or not (coverage)
NEW = "tmv/new"
UPDATED = "tmv/updated"
UNCHANGED = "tmv/unchanged"
DUPLICATE = "tmv/duplicate"
INVALID = "tmv/invalid"  # articles dropped: their url, title or a date broke the schema
INVALID_FIELD = "tmv/invalid/"  # + field: left out, it broke the schema
MISSING = "tmv/missing/"  # + field: empty on an article read
MISSING_SAMPLES = "tmv/missing_samples/"  # + field: a few URLs of articles without it
FIELD_ERRORS = "tmv/field_errors/"  # + field: its reader raised on a page (left empty, logged)
COVERAGE = "tmv/coverage/"  # + field: percent of the articles read that have it
DISAGREE = "tmv/disagree/"  # + field: two sources disagree (structured data and byline; API and page): a WARNING each
DISAGREE_SAMPLES = "tmv/disagree_samples/"  # + field: a few "url: source says …, source …" lines
HISTORY = "tmv/history/"  # + field: percent of the last articles exported before the run that have it
HISTORY_ARTICLES = "tmv/history_articles"  # how many: the history coverage alarms held the run to
NOT_ARTICLE = "tmv/not_article"  # article pages that did not read as articles
ITEMS_IN_FEEDS = "tmv/items_in_feeds"  # articles in the feeds stored whole: what "exported" counts
ITEMS_RECORDED = "tmv/items_recorded"  # articles the state recorded from its finished feeds
FEEDS_RECORDED = "tmv/feeds_recorded"
FEEDS_DIR = "tmv/feeds_dir"  # where the default feeds went, absolute
STATE_ARTICLES = "tmv/state_articles"  # articles the state knew at the start

# ---- what the spider asked for, skipped, or could not read
REQUESTS = "tmv/requests/"  # + page kind (article, home, sitemap …)
ARTICLE_REQUESTS = REQUESTS + "article"
FAILED = "tmv/failed/"  # + reason (http_404, timeout …)
SKIPPED_KNOWN = "tmv/skipped/known"  # articles exported already, unchanged
SKIPPED_ROBOTS = "tmv/skipped/robots"
NOT_MODIFIED = "tmv/not_modified"  # 304 answers to conditional requests
NOT_LISTING = "tmv/not_listing"
PAGINATION_STOPPED = "tmv/pagination_stopped"
PENDING_ADDED = "tmv/pending/added"
PENDING_ASKED = "tmv/pending/asked"
PENDING_FETCHED = "tmv/pending/fetched"
FULL_WALK = "tmv/full_walk"
API_USED = "tmv/api/used"  # the API discovery went through: "wp/v2", "ampize/v1", or "" (pages)
API_CLOSED = "tmv/api/closed"  # why no API served: what each namespace answered, in one line
API_INCOMPLETE = "tmv/api/incomplete"  # a page of the listing after the first failed: the next run walks it all
API_RECORDS = "tmv/api/records"  # posts the API listed (public ones)
API_NOT_POST = "tmv/api/not_post"  # entries of its listing that are no public post
API_PAGE_LEFT_OUT = "tmv/api/page_left_out"  # articles exported from the API alone: their page failed or read as none
SITEMAPS_FOUND = "tmv/sitemaps_found"
SITEMAPS_IN_ROBOTS = "tmv/sitemaps_in_robots"
ROBOTS_CRAWL_DELAY = "tmv/robots_crawl_delay"
RETRY_WAIT_SECONDS = "tmv/retry_wait_seconds"
ENCODING_FIXED = "tmv/encoding_fixed"
ENCODING_ERRORS = "tmv/encoding_errors"

# ---- alarms and failures of the run itself
ALARM = "tmv/alarm/"  # + field, or no_article, not_article
ALARM_HISTORY = "tmv/alarm_history/"  # + field: the history's percent an alarm held the run's to
ALARM_COUNT = "tmv/alarm_count"
DISK_ERROR = "tmv/disk_error"  # the failed write that stopped the run, in one line
PREFLIGHT_ERROR = "tmv/preflight_error"  # why the crawl could not start, in one line
PEAK_RSS_MB = "tmv/peak_rss_mb"

# ---- the archive and re-extraction
ARCHIVE_PAGES = "tmv/archive/pages"
ARCHIVE_BYTES = "tmv/archive/bytes"
ARCHIVE_FILE = "tmv/archive/file"
REEXTRACT_PAGES = "tmv/reextract/pages"  # article pages read again alone
REEXTRACT_RECORDS = "tmv/reextract/api_records"  # posts read again from the archived API listing
REEXTRACT_REPLAYED = "tmv/reextract/replayed"
REEXTRACT_NOT_ARCHIVED = "tmv/reextract/not_archived"


def key(family: str, name: str) -> str:
    """The key of *name* in a *family* (``key(FAILED, "timeout")`` is ``tmv/failed/timeout``)."""
    return family + name


def family(stats: dict, prefix: str) -> dict[str, Any]:
    """The keys of a family, by their name (``{"timeout": 2, "http_404": 1}``)."""
    return {k.removeprefix(prefix): v for k, v in stats.items() if k.startswith(prefix)}
