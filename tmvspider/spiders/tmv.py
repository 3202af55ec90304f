"""The ``tmv`` spider: discovery only. Extraction lives in tmvspider.parsers.

Discovery walks what the site offers, since none of it is complete alone:
robots.txt (its Sitemap lines), the sitemap index and its sitemaps, the home
pagination and the monthly archives; "Vous aimerez aussi" links are followed
too. Every link is made canonical (urls.canonical) and checked against the run's
seen set and robots.txt *before* a Request is built, so each article is fetched
once and nothing disallowed or off-site is ever asked for.

    scrapy crawl tmv                                   # the live site
    scrapy crawl tmv -a base_url=http://127.0.0.1:8000 # a mirror
    scrapy crawl tmv -a url=URL[,URL…]                 # just those pages (http(s) or file://)
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import UsageError
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from .. import LIVE_ROOT, urls
from ..parsers import parse_article

# Priorities: finish articles before walking further listings (keeps the queue small).
ARTICLE, SITEMAP, LISTING = 20, 10, 0

canonical = lru_cache(maxsize=1 << 16)(urls.canonical)


class TmvSpider(scrapy.Spider):
    name = "tmv"

    def __init__(self, base_url: str = LIVE_ROOT, url: str | None = None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not urls.is_http_url(base_url):
            raise UsageError(f"base_url must be an http(s) URL such as {LIVE_ROOT}, not {base_url!r}")
        self.root = urls.root_of(base_url.strip()).lower()
        self.allowed_domains = [urlsplit(self.root).hostname]
        self.pages = [u.strip() for u in (url or "").split(",") if u.strip()]
        for page in self.pages:
            if not (urls.is_http_url(page) or page.startswith("file://")):
                raise UsageError(f"url must be http(s) or file:// URLs separated by commas, not {page!r}")
        self.seen: set[str] = set()  # canonical URLs already requested this run
        self.robots = None  # the robots.txt parser, once Scrapy has read it

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    # ------------------------------------------------------------ start

    async def start(self):
        if self.pages:  # developer mode: these pages only
            for page in self.pages:
                yield scrapy.Request(page, callback=self.parse_article, errback=self.failed, dont_filter=True)
            return
        for request in (self.follow(self.root + "/sitemap_index.xml", "sitemap"),
                        self.follow(self.root + "/", "home")):
            if request:
                yield request

    def robots_parsed(self, robotparser, request):
        """Scrapy fetched robots.txt (once, for its own checks): read its Sitemap lines."""
        if urls.root_of(request.url) != self.root or self.pages:
            return
        self.robots = robotparser
        for sitemap in getattr(getattr(robotparser, "rp", None), "sitemaps", None) or []:
            if request := self.follow(sitemap, "sitemap"):
                self.crawler.engine.crawl(request)

    # ------------------------------------------------------------ requests

    def follow(self, href: str, kind: str, base: str | None = None) -> scrapy.Request | None:
        """A request for *href* if it is on the site, of the expected kind, allowed and new; else None."""
        url = canonical(urljoin(base, href) if base else href, self.root)
        if url in self.seen or not urls.same_site(url, self.root):
            return None
        if kind != "sitemap" and urls.kind(url) != ("article" if kind == "article" else kind):
            return None
        self.seen.add(url)
        if self.robots is not None and not self.robots.allowed(url, self.settings.get("USER_AGENT")):
            self.crawler.stats.inc_value("tmv/skipped/robots")
            return None
        self.crawler.stats.inc_value(f"tmv/requests/{kind}")
        callback, priority = {
            "article": (self.parse_article, ARTICLE),
            "sitemap": (self.parse_sitemap, SITEMAP),
        }.get(kind, (self.parse_listing, LISTING))
        return scrapy.Request(url, callback=callback, errback=self.failed, priority=priority)

    def follow_all(self, hrefs, base: str):
        for href in hrefs:
            url = canonical(urljoin(base, href), self.root)
            kind = urls.kind(url)
            if kind and (request := self.follow(url, kind)):
                yield request

    # ------------------------------------------------------------ callbacks

    def parse_sitemap(self, response):
        body = response.body
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
        sitemap = Sitemap(body)
        entries = list(sitemap)
        if not entries:
            self.logger.warning("sitemap %s lists nothing usable (not XML, empty or refused); "
                                "discovery goes on through the archives", response.url)
            self.crawler.stats.inc_value("tmv/sitemap_unusable")
        kind = "sitemap" if sitemap.type == "sitemapindex" else "article"
        for entry in entries:
            if request := self.follow(entry["loc"], kind):
                yield request

    def parse_listing(self, response):
        """Home pages and monthly archives: their articles, their pagination, the archive links."""
        hrefs = response.xpath(
            "//main//a/@href | //*[contains(@class, 'widget_archive')]//a/@href").getall()
        yield from self.follow_all(hrefs, response.url)

    def parse_article(self, response):
        item = parse_article(response, root=None if self.pages else self.root)
        if item is None:
            self.crawler.stats.inc_value("tmv/not_article")
            self.logger.debug("not an article: %s", response.url)
            return
        self.seen.add(item["url"])
        yield item
        if not self.pages:
            yield from self.follow_all(item["related"], response.url)

    def failed(self, failure):
        """Log a failed request once, with its reason, and count it (``tmv/failed/<reason>``)."""
        if isinstance(failure.value, HttpError):
            reason = f"http_{failure.value.response.status}"
        else:
            reason = type(failure.value).__name__
        self.crawler.stats.inc_value(f"tmv/failed/{reason}")
        self.logger.warning("failed %s: %s", failure.request.url, reason)
