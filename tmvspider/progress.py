"""Progress of a long run, in the log: every ``TMV_PROGRESS_INTERVAL`` seconds (60) and at the end.

A polite full crawl of the live site takes hours. One line says what a person
wants to know, read from Scrapy's stats alone::

    progress: 1200 articles exported, 40 unchanged, of 9800 known so far (300 known, not fetched again);
    8260 to go; 1390 requests, 12 failed (http_404 9, timeout 3); 20.7 articles/min, about 6 h 39 min left

"Known so far" is every article the sitemaps and listings read so far named:
the article requests scheduled (``tmv/requests/article``, or the archived pages of
a re-extraction) plus those skipped as exported already (``tmv/skipped/known``).
The estimate is what is left to fetch at the rate of the run so far, and grows
while discovery still finds articles.

Log rotation for ``tmvspider crawl --log-file`` lives here too (:func:`log_to_file`).
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import AsyncioLoopingCall, create_looping_call
from twisted.internet.task import LoopingCall

from . import statkeys

logger = logging.getLogger(__name__)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"


def progress_line(stats: dict, elapsed: float, final: bool = False) -> str:
    asked = stats.get(statkeys.ARTICLE_REQUESTS, 0) + stats.get(statkeys.REEXTRACT_PAGES, 0)
    skipped = stats.get(statkeys.SKIPPED_KNOWN, 0)
    scraped = stats.get("item_scraped_count", 0)
    exported = (
        stats.get(statkeys.ITEMS_IN_FEEDS, scraped) if final else scraped
    )  # at the end: what reached a finished feed
    dropped = stats.get("item_dropped_count", 0)  # unchanged, duplicate or invalid: read through all the same
    failures = statkeys.family(stats, statkeys.FAILED)
    failed = sum(failures.values())
    done = scraped + dropped + stats.get(statkeys.NOT_ARTICLE, 0)
    to_go = max(0, asked - done - failed)  # failures of listings are counted as done articles: an estimate
    rate = done / elapsed * 60 if elapsed > 0 else 0.0
    found = (
        f"of {asked + skipped} known so far ({skipped} known, not fetched again)"
        if asked + skipped
        else f"no article named by the pages read{'' if final else ' so far'}"
    )  # an unchanged site, say
    parts = [
        f"{exported} articles exported, {stats.get(statkeys.UNCHANGED, 0)} unchanged, {found}",
        f"{to_go} to go",
        f"{stats.get('downloader/request_count', 0)} requests, {failed} failed"
        + (f" ({', '.join(f'{k} {v}' for k, v in sorted(failures.items()))})" if failures else ""),
    ]
    if final:
        parts.append(f"{rate:.1f} articles/min, took {_duration(elapsed)}")
    elif to_go == 0:
        parts.append(f"{rate:.1f} articles/min, nothing left that is known")
    elif rate > 0:
        parts.append(f"{rate:.1f} articles/min, about {_duration(to_go / rate * 60)} left")
    else:
        parts.append("no article read yet, no estimate")
    return f"progress{' (end)' if final else ''}: " + "; ".join(parts)


class Progress:
    """Scrapy extension: the progress line, periodically and once at the end."""

    def __init__(self, crawler, interval: float):
        self.crawler = crawler
        self.interval = interval
        self.task: AsyncioLoopingCall | LoopingCall | None = None
        self.started: float | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        interval = crawler.settings.getfloat("TMV_PROGRESS_INTERVAL", 60.0)
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, interval)

    def spider_opened(self, spider):
        self.started = time.monotonic()
        self.task = create_looping_call(self.log)
        self.task.start(self.interval, now=False)

    def log(self, final: bool = False) -> None:
        elapsed = time.monotonic() - (self.started or time.monotonic())
        logger.info(progress_line(self.crawler.stats.get_stats(), elapsed, final))

    def spider_closed(self, spider, reason):
        if self.task is not None and self.task.running:
            self.task.stop()

    def engine_stopped(self):  # once every feed is stored, or dropped
        self.log(final=True)


def log_to_file(path: str | Path, settings) -> LogFile:
    """Send the log (Scrapy's format, level and short names) to *path*, rotated at
    ``TMV_LOG_MAX_BYTES`` with ``TMV_LOG_BACKUPS`` old files kept (``crawl.log.1`` …).

    Use with the setting ``LOG_INSTALL_ROOT_HANDLER = False`` and without
    ``LOG_FILE``: Scrapy's own file handler never rotates."""
    from scrapy.utils.log import TopLevelFormatter

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handler = LogFile(
        path,
        maxBytes=max(0, settings.getint("TMV_LOG_MAX_BYTES")),
        backupCount=max(0, settings.getint("TMV_LOG_BACKUPS")),
        encoding=settings.get("LOG_ENCODING") or "utf-8",
    )
    handler.setFormatter(logging.Formatter(fmt=settings.get("LOG_FORMAT"), datefmt=settings.get("LOG_DATEFORMAT")))
    handler.setLevel(settings.get("LOG_LEVEL"))
    if settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(["scrapy"]))
    logging.root.setLevel(logging.NOTSET)
    logging.root.addHandler(handler)
    return handler


class LogFile(RotatingFileHandler):
    """The rotating log file. A record it cannot write (a full disk …) goes to stderr, and
    so does every one after it; the failure goes to *on_error(folder, error)* (the crawl's
    disk.DiskGuard: the run stops), not to the traceback ``logging`` prints."""

    on_error: Callable[[Path, BaseException], None] | None = None
    fallback: logging.Handler | None = None

    def emit(self, record):
        if self.fallback is not None:
            return self.fallback.handle(record)
        return super().emit(record)

    def handleError(self, record):
        error = sys.exc_info()[1]
        if not isinstance(error, OSError) or self.fallback is not None:
            return super().handleError(record)
        self.fallback = logging.StreamHandler(sys.stderr)
        self.fallback.setFormatter(self.formatter)
        for check in self.filters:
            self.fallback.addFilter(check)
        self.fallback.handle(record)
        if self.on_error is not None:
            self.on_error(Path(self.baseFilename).parent, error)
