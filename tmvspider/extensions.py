"""Extensions: politeness that Scrapy leaves out."""

from __future__ import annotations

import json
import logging
import os
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle
from scrapy.settings import SETTINGS_PRIORITIES

from . import statkeys
from .disk import stop_on_failed_write
from .feedstorage import stamp
from .keeper import keeper_of
from .outcome import PREFLIGHT_FAILED, failure, feeds_folder, summary
from .scrapy_compat import raise_download_delay
from .state import output_dir

logger = logging.getLogger(__name__)


class CrawlDelay:
    """Apply the robots.txt ``Crawl-delay`` to the host's download slot.

    Scrapy 2.19 parses robots.txt but never applies Crawl-delay. The delay
    becomes a floor: the slot's delay, and AutoThrottle's minimum, never go below it.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def robots_parsed(self, robotparser, request):
        agent = self.crawler.settings.get("ROBOTSTXT_USER_AGENT") or self.crawler.settings.get("USER_AGENT")
        delay = robotparser.crawl_delay(agent)
        if not delay:
            return
        raise_download_delay(self.crawler.engine.downloader, delay)  # no random jitter below the floor either
        for ext in self.crawler.extensions.middlewares:
            if isinstance(ext, AutoThrottle):
                ext.mindelay = max(ext.mindelay, delay)
        self.crawler.stats.set_value(statkeys.ROBOTS_CRAWL_DELAY, delay)
        logger.info("robots.txt asks for a Crawl-delay of %s s: applied", delay)


class RunReport:
    """At the end of every run: one summary line in the log, and the run's stats as JSON
    beside the feeds (``<TMV_OUTPUT_DIR>/<feed folder>/<spider>-<start time>.stats.json``:
    ``tmv/``, or ``dev/`` for single pages). Both once the engine has stopped, when every
    feed is stored or dropped: ``tmv/items_in_feeds``, the articles of the feeds stored
    whole (of each feed URI; the most of them), is what the summary calls exported. At its
    start: a WARNING for each setting that nothing is known to read (preflight.py)."""

    def __init__(self, crawler):
        from .preflight import warn_unknown

        self.crawler = crawler
        self.folder = "dev"
        self.stored: dict[str, int] = {}  # feed URI template -> items in its feeds stored whole
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        warn_unknown(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        keeper = keeper_of(self.crawler)  # asked now: the state is closed at the end
        self.folder = keeper.feed_folder
        self.crawler.stats.set_value(statkeys.ITEMS_IN_FEEDS, 0)
        if keeper.active:  # what a run that exports nothing tells a user of -O (commands/crawl.py)
            self.crawler.stats.set_value(statkeys.STATE_ARTICLES, keeper.count())
        if self.crawler.settings.getpriority("FEEDS") == SETTINGS_PRIORITIES["spider"]:  # the default feeds
            folder = (output_dir(self.crawler.settings) / self.folder).resolve()  # absolute: cwd may be anywhere
            self.crawler.stats.set_value(statkeys.FEEDS_DIR, str(folder))

    def feed_slot_closed(self, slot):
        if getattr(slot.storage, "stored", True):  # Scrapy's own storages (stdout, s3 …) log their failures
            self.stored[slot.uri_template] = self.stored.get(slot.uri_template, 0) + slot.itemcount
            self.crawler.stats.set_value(statkeys.ITEMS_IN_FEEDS, max(self.stored.values()))

    def engine_stopped(self):
        if peak := peak_rss_mb():
            self.crawler.stats.set_value(statkeys.PEAK_RSS_MB, peak)
        stats = self.crawler.stats.get_stats()
        if not os.environ.get("SCRAPY_CHECK"):  # scrapy check: contracts on saved pages, no run to record
            self.write(stats)
        problem = failure(stats)
        logger.info(
            "run %s: %s%s%s",
            stats.get("finish_reason"),
            summary(stats),
            f" (FAILED: {problem})" if problem else "",
            feeds_folder(stats),
        )

    def write(self, stats: dict) -> None:
        start = stats.get("start_time")
        name = f"{self.crawler.spidercls.name}-{stamp(start) if start else 'run'}.stats.json"
        path = output_dir(self.crawler.settings) / self.folder / name
        try:
            save_stats(path, stats)
        except OSError as error:
            with suppress(OSError):
                path.unlink(missing_ok=True)  # no half-written stats
            stop_on_failed_write(self.crawler, path.parent, error)


def save_stats(path: Path, stats: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(stats, default=str, indent=1, sort_keys=True), encoding="utf-8")


def record_failed_start(settings, output: Path, message: str) -> None:
    """A crawl that failed before it started (preflight.py) leaves its trace where a cron
    operator looks the next morning, as well as on stderr: an ERROR line in the log file
    and a stats JSON as a run writes it, naming the failure. Where either cannot be
    written, stderr alone says it."""
    now = datetime.now(UTC)
    if log_file := settings.get("LOG_FILE"):  # Scrapy's format: the line reads like the crawls' own
        try:
            Path(log_file).parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(log_file, encoding=settings.get("LOG_ENCODING") or "utf-8")
        except OSError:
            pass
        else:
            handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
            handler.handle(
                logging.makeLogRecord(
                    {"name": "tmvspider.preflight", "levelno": logging.ERROR, "levelname": "ERROR", "msg": message}
                )
            )
            handler.close()
    stats = {
        "start_time": now,
        "finish_time": now,
        "elapsed_time_seconds": 0.0,
        "log_count/ERROR": 1,
        "finish_reason": PREFLIGHT_FAILED,
        statkeys.PREFLIGHT_ERROR: message,
    }
    with suppress(OSError):
        save_stats(output / "tmv" / f"tmv-{stamp(now)}.stats.json", stats)


def peak_rss_mb() -> float | None:
    """This process's peak resident memory (Linux ``VmHWM``: since exec, unlike ``ru_maxrss``,
    which also counts what the parent held when it forked us)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None
