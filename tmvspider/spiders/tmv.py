"""The ``tmv`` spider: which pages to ask for, and in what order. The sources' readers are
in tmvspider.discovery, extraction in tmvspider.parsers.

Discovery asks the CMS's API first (spiders.api: every post, or only those changed since the
last run). Where no API answers, it walks every source, since none is complete alone:
robots.txt's sitemaps, the feed, the home pagination, the monthly archives, "Vous aimerez
aussi" links. A link is made canonical
and checked against the run's seen set, the crawl state and robots.txt before a Request is
built: each article is asked for once, nothing disallowed or off-site ever. Incremental runs,
full walks and what failed: README, "Scheduled crawls".

    scrapy crawl tmv                                   # the live site
    scrapy crawl tmv -a base_url=http://127.0.0.1:8000 # a mirror
    scrapy crawl tmv -a full=1                         # walk everything again
    scrapy crawl tmv -a url=URL[,URL…]                 # just those pages (http(s) or file://)
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider

from .. import LIVE_ROOT, scrapy_compat, statkeys, urls
from ..discovery import Page, page_of
from ..discovery.listings import SeriesShown
from ..feedstorage import default_feeds
from ..keeper import NoState, keeper_of
from ..outcome import PERMANENT, failure_detail, failure_reason
from ..parsers import document, read_article
from ..parsers.not_found import says_not_found
from ..replay import replay_requests
from .api import ApiSource
from .arguments import allowed_domains, check_arguments, pages_of, site_hosts, truthy
from .listings import ListingSource
from .sitemaps import SitemapSource

canonical, url_kind, identity = urls.canonical, urls.kind, urls.identity


class TmvSpider(ApiSource, SitemapSource, ListingSource):
    name = "tmv"

    def __init__(self, base_url: str = LIVE_ROOT, url: str | None = None, full=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_arguments(base_url, url, full)
        self.root = urls.root_of(base_url.strip()).lower()
        self.pages = pages_of(url)
        self.hosts = site_hosts(self.root, self.pages)
        self.allowed_domains = allowed_domains(self.hosts, self.pages)
        self.full = truthy(full)
        self.seen: set[str] = set()  # urls.identity of every page requested this run
        self.known: set[str] = set()  # articles skipped as already exported, unchanged
        self.series_shown = SeriesShown()  # what each listing series showed this run
        self.shortlinks: dict[str, str] = {}  # post:<id> -> a /?p=<id> link, asked for once the rest is read
        self.sitemaps_asked = False  # robots.txt read (or given up on): the sitemaps are on their way
        self.feed_asked = False
        self.robots = None  # the robots.txt parser, once Scrapy has read it
        self.keeper = NoState()  # the crawler's from spider_opened on; not "state": Scrapy's JOBDIR pickles that
        self.walk_archives = True  # the monthly archives too (keeper.begin_walk says)
        self.walking_pages = False  # discovery through the pages: no API, or it does not answer

    check_arguments = staticmethod(check_arguments)

    @classmethod
    def update_settings(cls, settings):
        """Feeds default to <TMV_OUTPUT_DIR>/<spider>/<spider>-<time>-<batch>.jsonl (dev/ for a run
        without the state: keeper.StateKeeper) unless the command line names its own (-o/-O, -s FEEDS=…)."""
        super().update_settings(settings)
        if not settings.getdict("FEEDS"):
            settings.set("FEEDS", cls.default_feeds(settings, cls.name), priority="spider")

    default_feeds = staticmethod(default_feeds)  # keeper.StateKeeper and deploy ask the spider class

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.spider_opened, signal=signals.spider_opened)
        return spider

    @property
    def keeps_state(self) -> bool:
        """Whether keeper.StateKeeper opens the state: not for single pages, `scrapy shell` or `scrapy check`."""
        return not (self.pages or self.settings.getbool("TMV_WITHOUT_STATE") or os.environ.get("SCRAPY_CHECK"))

    def spider_opened(self, spider):
        """The crawler's keeper, asked once it exists: Scrapy builds the spider before the extensions."""
        self.keeper = keeper_of(self.crawler)

    # ------------------------------------------------------------ start and end

    async def start(self):
        if self.pages:  # developer mode: these pages only
            for page in self.pages:
                yield scrapy.Request(page, callback=self.parse_article, errback=self.failed, dont_filter=True)
            return
        if self.settings.getbool("TMV_REEXTRACT"):  # tmvspider reextract: archived pages, no request to the site
            self.full = True  # every archived post, whatever the state: the dedup pipeline says what changed
            for request in replay_requests(self):
                yield request
            return
        self.walk_archives = self.keeper.begin_walk(self.full)
        self.logger.info(
            "%s walk of %s (%d articles known)",
            "full" if self.walk_archives else "incremental",
            self.root,
            self.keeper.count(),
        )
        if self.walk_archives:
            self.crawler.stats.set_value(statkeys.FULL_WALK, True)
        for request in self.pending_requests(articles=True):
            yield request
        if self.api_root:
            yield self.first_api_request()
        else:
            for request in self.page_walk():
                yield request

    def pending_requests(self, articles: bool):
        """What the last runs could not fetch: its articles, or (a walk of the pages) the rest."""
        for url, kind in list(self.keeper.pending.items()):
            if (kind == Page.ARTICLE) == articles and (request := self.follow(url, kind, again=True)):
                self.crawler.stats.inc_value(statkeys.PENDING_ASKED)
                yield request

    def page_walk(self):
        """Discovery through the pages: the home page, robots.txt's sitemaps (or the usual
        addresses: idle()), and from them the feed and the listings."""
        self.walking_pages = True
        yield from self.pending_requests(articles=False)
        if request := self.follow(self.root + "/", Page.HOME):
            yield request
        if not self.settings.getbool("ROBOTSTXT_OBEY"):  # Scrapy reads robots.txt only to obey it
            yield scrapy.Request(
                self.root + "/robots.txt",
                callback=self.parse_robots,
                errback=self.no_robots,
                priority=Page.SITEMAP.priority,
            )
        elif self.robots is not None:  # read already, before the API was asked
            self.ask_sitemaps(scrapy_compat.robots_sitemaps(self.robots))

    def idle(self):
        """Everything else read: the sitemaps if robots.txt never came, then the waiting ``/?p=<id>`` links."""
        if not self.walking_pages:
            return
        if not self.sitemaps_asked:
            self.ask_sitemaps([])
            raise DontCloseSpider
        requests = self.shortlink_requests()
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def shortlink_requests(self) -> list[scrapy.Request]:
        """Requests for the ``/?p=<id>`` links met so far whose post id is neither shown by a page
        read this run (the same article, spelled otherwise) nor, unless ``full``, exported."""
        waiting, self.shortlinks = self.shortlinks, {}
        return [
            request
            for key, url in waiting.items()
            if key not in self.seen
            and not self.is_known(url, None)
            and (request := self.follow(url, Page.ARTICLE, again=True))
        ]

    # ------------------------------------------------------------ requests

    def follow(
        self, href: str, kind: Page | str, lastmod: str | None = None, again: bool = False, meta: dict | None = None
    ) -> scrapy.Request | None:
        """A request for *href* if it is on the site, allowed, new to this run (in any spelling)
        and (an article) not exported in its current version; else None. *again*: it failed last
        time: asked for unconditionally and, a listing page, its series read on as a full walk
        would. A ``/?p=<id>`` link waits for the end of the run (idle())."""
        kind = Page(kind)
        url = canonical(href)
        if url is None or urls.host_of(url) not in self.hosts:
            return None
        key = identity(url)
        if key in self.seen:
            return None
        extra: dict[str, Any] = {}
        if kind is Page.ARTICLE:
            if "api_record" not in (meta or {}):  # a post the API listed is one whatever its URL's shape
                page = url_kind(url)
                if page == "post" and not again:
                    self.shortlinks.setdefault(key, url)
                    return None
                if page not in ("article", "post") or (not again and self.is_known(url, lastmod)):
                    return None
            extra = {"lastmod": lastmod} if lastmod else {}
        elif kind is not Page.SITEMAP_INDEX and not again:
            extra = self.conditional(url)
        self.seen.add(key)
        if self.robots is not None and not self.robots.allowed(url, self.settings.get("USER_AGENT")):
            self.crawler.stats.inc_value(statkeys.SKIPPED_ROBOTS)
            return None
        self.crawler.stats.inc_value(statkeys.key(statkeys.REQUESTS, kind.value))
        headers = extra.pop("headers", None)
        extra["tmv"] = (url, kind.value)  # what failed() records, and mark_read() clears
        if again and kind.listing:
            extra["whole_series"] = True  # read on through its next pages, as a full walk does
        return scrapy.Request(
            url,
            callback=self.callbacks[kind],
            errback=self.failed,
            priority=kind.priority,
            headers=headers,
            meta={**(meta or {}), **extra},
        )

    @cached_property
    def callbacks(self) -> dict:
        return {
            Page.ARTICLE: self.parse_article,
            Page.FEED: self.parse_feed,
            Page.SITEMAP_INDEX: self.parse_sitemap,
            Page.SITEMAP: self.parse_sitemap,
            Page.HOME: self.parse_listing,
            Page.ARCHIVE: self.parse_listing,
        }

    def is_known(self, url: str, lastmod: str | None) -> bool:
        """Exported already in its current version (an incremental run skips it). Not marked
        seen: a sitemap ``lastmod`` met later can still ask for it."""
        if self.full:
            return False
        key = identity(url)
        if key.startswith("post:"):
            return self.keeper.knows_post(key[5:])
        if (lastmod is None and key in self.known) or self.keeper.is_current(url, lastmod):
            if key not in self.known:
                self.known.add(key)
                self.crawler.stats.inc_value(statkeys.SKIPPED_KNOWN)
            return True
        return False

    def conditional(self, url: str) -> dict:
        """Ask for a listing, a feed or a sitemap only if it changed since the last clean run."""
        if self.walk_archives:
            return {}
        etag, last_modified = self.keeper.validators(url)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        return {"headers": headers, "handle_httpstatus_list": [304]} if headers else {}

    def not_modified(self, response) -> bool:
        """A 304: the listing or sitemap is as the last clean run read it."""
        if response.status == 304:
            self.crawler.stats.inc_value(statkeys.NOT_MODIFIED)
            return True
        return False

    def mark_read(self, response, keep_validators: bool = False) -> None:
        """*response* was read through: not pending any more; for a listing or a sitemap whose
        content discovery used, its ETag/Last-Modified are kept (saved at a clean finish)."""
        url = response.meta["tmv"][0] if "tmv" in response.meta else canonical(response.url) or response.url
        etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        if keep_validators and (etag or last_modified):
            self.keeper.keep_validators(
                url, etag and etag.decode("latin-1"), last_modified and last_modified.decode("latin-1")
            )
        self.no_longer_pending(url)

    def no_longer_pending(self, url: str) -> None:
        """*url*, if an earlier run could not read it, is read now: no longer pending."""
        if self.keeper.forget_pending(url):
            self.crawler.stats.inc_value(statkeys.PENDING_FETCHED)

    def request_dropped(self, request, spider=None):
        """A redirect to a page read already (Scrapy's dupefilter drops it): its first URL is read."""
        if "tmv" in request.meta and request.meta.get("redirect_urls"):
            self.no_longer_pending(request.meta["tmv"][0])

    def record_failure(self, request, reason: str, detail: str = "") -> None:
        """A page that could not be read: logged once with its reason, counted (``tmv/failed/<reason>``)
        and, unless it would fail again whatever the run (PERMANENT), kept for the next run to ask
        for. A guessed sitemap address that does not answer is no failure: the next guess is tried."""
        if "guess" in request.meta:
            self.logger.debug("no sitemap at %s (%s)", request.url, reason)
            if next_guess := self.guess_sitemap(request.meta["guess"] + 1):
                self.crawler.engine.crawl(next_guess)
            return
        if request.meta.get("optional"):
            self.logger.debug("nothing at %s (%s)", request.url, reason)
            return
        self.crawler.stats.inc_value(statkeys.key(statkeys.FAILED, reason))
        self.logger.warning("failed %s: %s%s", request.url, reason, f" ({detail})" if detail else "")
        url, kind = request.meta.get("tmv", (None, None))
        if not self.keeper.walking or url is None or "api_record" in request.meta:  # single pages; API posts: exported
            return
        if reason in PERMANENT:  # asking again would fail again
            self.keeper.forget_pending(url)
            return
        self.keeper.add_pending(url, kind, reason)
        self.crawler.stats.inc_value(statkeys.PENDING_ADDED)

    # ------------------------------------------------------------ callbacks

    def parse(self, response):
        """``scrapy parse --spider tmv URL`` (and ``spider.parse(response)`` in ``scrapy shell``):
        the callback of the URL's kind; an article unless it is a listing or a sitemap.

        @page seed.html
        @returns items 1 1
        @scrapes url title published_at body
        """
        return self.callbacks[page_of(response.url)](response)

    def has_text(self, response) -> bool:
        """False, counted and logged, for a page with nothing in it (an empty 200)."""
        if response.body.strip(b" \t\r\n\x00"):
            return True
        self.record_failure(response.request, "empty", f"status {response.status}, no content")
        return False

    def parse_article(self, response):
        """
        @page seed.html
        @returns items 1 1
        @scrapes url post_id title lead author published_at categories tags image body related crawled_at
        """
        record = response.meta.get("api_record")
        if not self.has_text(response):
            if record:
                yield self.article_item(record, None, response.meta.get("lastmod"))
            return
        try:
            parser, item = read_article(response, hosts=None if self.pages else self.hosts)
        except RecursionError:  # markup nested hundreds of levels deep: a hostile page, not a crash
            self.record_failure(response.request, "too_deep", "markup nested beyond what can be read")
            return
        for field, error in parser.field_errors.items() if parser else ():
            self.crawler.stats.inc_value(statkeys.key(statkeys.FIELD_ERRORS, field))
            self.logger.warning("%s: %s could not be read, left empty (%s)", response.url, field, error.said)
            self.logger.debug("%s: %s could not be read:\n%s", response.url, field, error.traceback)
        if record:  # a post the API listed, and its page
            item = self.article_item(record, item, response.meta.get("lastmod"))
        if item is None:  # if it failed last time, this may be the site's error page: still pending …
            self.crawler.stats.inc_value(statkeys.NOT_ARTICLE)
            self.logger.debug("not an article: %s", response.url)
            if says_not_found(document(response)):  # … unless it says there is no such page (a soft 404)
                self.mark_read(response)
            return
        self.mark_read(response)
        self.seen.add(identity(item["url"]))  # the page's own spelling: no other one is asked for
        if item.get("post_id"):
            self.seen.add(f"post:{item['post_id']}")
        if response.meta.get("lastmod"):
            item["lastmod"] = response.meta["lastmod"]  # not exported: for DedupPipeline
        yield item
        if self.walking_pages:
            for url in item["related"]:
                if request := self.follow(url, Page.ARTICLE):
                    yield request

    def failed(self, failure):
        """The errback of every request: see record_failure(). A post the API listed whose
        page fails is exported from its record alone."""
        self.record_failure(failure.request, failure_reason(failure.value), failure_detail(failure.value))
        if record := failure.request.meta.get("api_record"):
            yield self.article_item(record, None, failure.request.meta.get("lastmod"))
