"""Extensions: politeness that Scrapy leaves out."""

from __future__ import annotations

import json
import logging
import os

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle

from .feedstorage import stamp
from .scrapy_compat import raise_download_delay
from .outcome import failure, summary
from .state import StateKeeper, output_dir

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
    ``tmv/``, or ``dev/`` for single pages). At its start: a WARNING for each setting that
    nothing is known to read (a slip of a known name was refused before, preflight.py)."""

    def __init__(self, crawler):
        from .preflight import warn_unknown

        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        warn_unknown(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_closed(self, spider, reason):
        if peak := peak_rss_mb():
            self.crawler.stats.set_value("tmv/peak_rss_mb", peak)
        stats = self.crawler.stats.get_stats()
        stats.setdefault("finish_reason", reason)
        problem = failure(stats)
        logger.info("run %s: %s%s", reason, summary(stats), f" (FAILED: {problem})" if problem else "")
        if os.environ.get("SCRAPY_CHECK"):  # scrapy check: contracts on saved pages, no run to record
            return
        start = stats.get("start_time")
        name = f"{spider.name}-{stamp(start) if start else 'run'}.stats.json"
        path = output_dir(self.crawler.settings) / StateKeeper.from_crawler(self.crawler).feed_folder / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(stats, default=str, indent=1, sort_keys=True), encoding="utf-8")
        except OSError as error:
            logger.error("cannot write the run's stats to %s: %s", path, error.strerror)


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
