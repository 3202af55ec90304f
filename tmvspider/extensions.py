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
