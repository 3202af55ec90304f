"""Extensions: politeness that Scrapy leaves out."""

from __future__ import annotations

import json
import logging
import os
from contextlib import suppress

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle

from .disk import DiskGuard
from .feedstorage import stamp
from .scrapy_compat import raise_download_delay
from .outcome import IN_FEEDS, failure, summary
from .keeper import keeper_of
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
        self.crawler.stats.set_value("tmv/robots_crawl_delay", delay)
        logger.info("robots.txt asks for a Crawl-delay of %s s: applied", delay)


class RunReport:
    """At the end of every run: one summary line in the log, and the run's stats as JSON
    beside the feeds (``<TMV_OUTPUT_DIR>/<feed folder>/<spider>-<start time>.stats.json``:
    ``tmv/``, or ``dev/`` for single pages). Both once the engine has stopped, when every
    feed is stored or dropped: ``tmv/items_in_feeds``, the articles of the feeds stored
    whole (of each feed URI; the most of them), is what the summary calls exported."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.folder = "dev"
        self.stored: dict[str, int] = {}  # feed URI template -> items in its feeds stored whole
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider):
        self.folder = keeper_of(self.crawler).feed_folder  # asked now: the state is closed at the end
        self.crawler.stats.set_value(IN_FEEDS, 0)

    def feed_slot_closed(self, slot):
        if getattr(slot.storage, "stored", True):  # Scrapy's own storages (stdout, s3 …) log their failures
            self.stored[slot.uri_template] = self.stored.get(slot.uri_template, 0) + slot.itemcount
            self.crawler.stats.set_value(IN_FEEDS, max(self.stored.values()))

    def engine_stopped(self):
        if peak := peak_rss_mb():
            self.crawler.stats.set_value("tmv/peak_rss_mb", peak)
        stats = self.crawler.stats.get_stats()
        if not os.environ.get("SCRAPY_CHECK"):  # scrapy check: contracts on saved pages, no run to record
            self.write(stats)
        problem = failure(stats)
        logger.info("run %s: %s%s", stats.get("finish_reason"), summary(stats),
                    f" (FAILED: {problem})" if problem else "")

    def write(self, stats: dict) -> None:
        start = stats.get("start_time")
        name = f"{self.crawler.spidercls.name}-{stamp(start) if start else 'run'}.stats.json"
        path = output_dir(self.crawler.settings) / self.folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stats, default=str, indent=1, sort_keys=True), encoding="utf-8")
        except OSError as error:
            with suppress(OSError):
                path.unlink(missing_ok=True)  # no half-written stats
            self.crawler.get_extension(DiskGuard).failed(path.parent, error)


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
