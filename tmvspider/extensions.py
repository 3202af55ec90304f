"""Extensions: politeness that Scrapy leaves out."""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.extensions.throttle import AutoThrottle
from scrapy.utils.httpobj import urlparse_cached

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
        if slot is not None:
            slot.delay = max(slot.delay, delay)
        downloader._delay = max(downloader._delay, delay)  # slots created later start there
        for ext in self.crawler.extensions.middlewares:
            if isinstance(ext, AutoThrottle):
                ext.mindelay = max(ext.mindelay, delay)
        self.crawler.stats.set_value("tmv/robots_crawl_delay", delay)
        logger.info("robots.txt asks for a Crawl-delay of %s s: applied", delay)


class StateKeeper:
    """Keep the crawl state in step with the feeds.

    A finished feed file is recorded in the state as soon as it is in place
    (``feed_slot_closed``), and the database is closed once the engine stops,
    after the last batch has been stored.
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
        path = getattr(slot.storage, "path", None)
        if self.state is None or not path or not str(path).endswith(".jsonl"):
            return
        try:
            count = self.state.record_feed(path)
        except FileNotFoundError:  # the storage failed: nothing to record, the items come again
            return
        self.crawler.stats.inc_value("tmv/feeds_recorded")
        logger.debug("state: recorded %d item(s) of %s", count, path)

    def engine_stopped(self):
        if self.state is not None:
            self.state.close()
