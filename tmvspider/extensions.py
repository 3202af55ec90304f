"""Extensions: politeness that Scrapy leaves out."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.httpobj import urlparse_cached

from .feedstorage import stamp
from .outcome import complete, failure, summary
from .state import NO_HOLES, output_dir

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
        downloader = self.crawler.engine.downloader
        key = request.meta.get("download_slot") or urlparse_cached(request).hostname
        slot = downloader.slots.get(key)
        if slot is not None:  # no random jitter below the floor either
            slot.delay, slot.jitter = max(slot.delay, delay), 0.0
        # private attributes of Scrapy's Downloader (slots created later start from them):
        # pyproject pins scrapy <2.20, and tests/test_politeness.py fails if they change
        downloader._delay = max(downloader._delay, delay)
        downloader._jitter = 0.0
        for ext in self.crawler.extensions.middlewares:
            if isinstance(ext, AutoThrottle):
                ext.mindelay = max(ext.mindelay, delay)
        self.crawler.stats.set_value("tmv/robots_crawl_delay", delay)
        logger.info("robots.txt asks for a Crawl-delay of %s s: applied", delay)


class StateKeeper:
    """Keep the crawl state in step with the feeds.

    A finished feed file is recorded in the state as soon as it is in place
    (``feed_slot_closed``). Once the engine stops, after the last batch has been
    stored, a run that left no hole (outcome.complete) saves the validators of the
    listings and sitemaps it read and its "no holes" mark; then the database is closed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    @property
    def state(self):
        return getattr(self.crawler.spider, "crawl_state", None)

    def feed_slot_closed(self, slot):
        """Record a finished feed of the crawl's own folder (<TMV_OUTPUT_DIR>/tmv/), the one the
        state reads back. An -O/-o file elsewhere is not: it may be overwritten or moved, so
        its articles count as not exported and the next run writes them to the crawl's feeds."""
        path = getattr(slot.storage, "path", None)
        spider = self.crawler.spider
        if self.state is None or not path or not str(path).endswith(".jsonl"):
            return
        if Path(path).resolve().parent != (output_dir(self.crawler.settings) / spider.name).resolve():
            return
        try:
            count = self.state.record_feed(path)
        except FileNotFoundError:  # the storage failed: nothing to record, the items come again
            return
        self.crawler.stats.inc_value("tmv/feeds_recorded")
        self.crawler.stats.inc_value("tmv/items_recorded", count)
        logger.debug("state: recorded %d item(s) of %s", count, path)

    def engine_stopped(self):
        state, spider = self.state, self.crawler.spider
        if state is None:
            return
        if getattr(spider, "discovering", False) and complete(self.crawler.stats.get_stats()):
            state.save_validators(spider.validators)
            state.set(NO_HOLES, datetime.now(timezone.utc).isoformat(timespec="seconds"))
        state.close()


class RunReport:
    """At the end of every run: one summary line in the log, and the run's stats as JSON
    beside the feeds (``<TMV_OUTPUT_DIR>/<feed folder>/<spider>-<start time>.stats.json``:
    ``tmv/``, or ``dev/`` for single pages)."""

    def __init__(self, crawler):
        self.crawler = crawler
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

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
        path = output_dir(self.crawler.settings) / getattr(spider, "feed_folder", spider.name) / name
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
