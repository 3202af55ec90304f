"""The ``tmv`` spider: discovery only. Extraction lives in tmvspider.parsers.

Discovery walks what the site offers, since none of it is complete alone:
robots.txt (its Sitemap lines), the sitemap index and its sitemaps, the home
pagination and the monthly archives; "Vous aimerez aussi" links are followed
too. Every link is made canonical (urls.canonical) and checked against the run's
seen set, the crawl state and robots.txt *before* a Request is built, so each
article is fetched once and nothing disallowed or off-site is ever asked for.

Incremental by default (see README, "Scheduled crawls"): an article already
exported is fetched again only when its sitemap ``lastmod`` moved; the home
pagination is read page after page and stops at the first one holding only known
articles; sitemaps and home pages are asked for with ``If-None-Match``/``If-Modified-Since``.
What failed (a timeout, a 500 …) is kept in the state and asked for again by the next
run. Monthly archives are walked by the first run, by the run after one that did not
finish cleanly (killed, stopped, errors: see state.NO_HOLES), and with ``-a full=1``
(which also fetches every article again).

    scrapy crawl tmv                                   # the live site
    scrapy crawl tmv -a base_url=http://127.0.0.1:8000 # a mirror
    scrapy crawl tmv -a full=1                         # walk everything again
    scrapy crawl tmv -a url=URL[,URL…]                 # just those pages (http(s) or file://)
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy import signals
from scrapy.exceptions import UsageError
from scrapy.http import TextResponse
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from .. import LIVE_ROOT, urls
from ..outcome import failure_reason
from ..parsers import parse_article
from ..state import NO_HOLES, CrawlState, StateError, lock, output_dir, state_dir

# Priorities: finish articles before walking further listings (keeps the queue small).
ARTICLE, SITEMAP, LISTING = 20, 10, 0
# failures that come again whatever the run: not worth asking for again next time
PERMANENT = {"http_404", "http_410", "robots", "offsite", "too_large", "too_deep"}

# Sidebars repeat the same links on every page: resolve each spelling once.
canonical = lru_cache(maxsize=1 << 16)(urls.canonical)
url_kind = lru_cache(maxsize=1 << 16)(urls.kind)
# smart_strings=False: lxml's default string results keep their whole document alive
# (and these end up as cache keys): plain strings let each page be freed.
LISTING_LINKS = etree.XPath("//main//a/@href | //*[contains(@class, 'widget_archive')]//a/@href",
                            smart_strings=False)


_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def truthy(value) -> bool:
    return str(value or "").strip().lower() in _TRUE


class TmvSpider(scrapy.Spider):
    name = "tmv"

    def __init__(self, base_url: str = LIVE_ROOT, url: str | None = None, full=None, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.check_arguments(base_url, url, full)
        self.root = urls.root_of(base_url.strip()).lower()
        self.pages = [u.strip() for u in (url or "").split(",") if u.strip()]
        # the crawl never leaves the site; single pages never leave their own hosts
        hosts = {urlsplit(page).hostname for page in self.pages} - {None, ""} if self.pages else set()
        self.allowed_domains = sorted(hosts) if self.pages else [urlsplit(self.root).hostname]
        self.full = truthy(full)
        self.seen: set[str] = set()  # canonical URLs already requested this run
        self.known: set[str] = set()  # articles skipped as already exported, unchanged
        self.listed: dict[str, set[str]] = {}  # listing series -> articles its pages showed
        self.listing_pages: dict[str, int] = {}  # listing series -> pages read
        self.robots = None  # the robots.txt parser, once Scrapy has read it
        self.crawl_state: CrawlState | None = None  # None for single pages (-a url=)
        self.walk_archives = True
        self.validators: dict[str, tuple[str | None, str | None]] = {}  # saved at a clean finish
        self.lastmods: dict[str, str] = {}  # article -> the sitemap lastmod it was fetched for, until exported
        self.pending: dict[str, str] = {}  # URL -> kind: what an earlier run could not fetch
        self.discovering = False  # start() walks the site (not so under `scrapy parse`)

    @staticmethod
    def check_arguments(base_url: str = LIVE_ROOT, url: str | None = None, full=None, **others) -> None:
        """Raise UsageError with one clear line for arguments the spider cannot use: a typo
        (``-a fulll=1``) must not quietly run another crawl than the one asked for. Names
        starting with "_" are left to tools (scrapyd's ``_job``)."""
        if unknown := sorted(name for name in others if not name.startswith("_")):
            raise UsageError(f"unknown argument {unknown[0]!r}: the tmv spider takes base_url, url and full "
                             "(Scrapy's settings go with -s, e.g. -s USER_AGENT=…)")
        if str(full or "").strip().lower() not in _TRUE + _FALSE:
            raise UsageError(f"full takes 1 or 0 (true/false, yes/no, on/off), not {full!r}")
        if not urls.is_http_url(base_url.strip()):
            raise UsageError(f"base_url must be an http(s) URL such as {LIVE_ROOT}, not {base_url!r}")
        for page in (u.strip() for u in (url or "").split(",")):
            if page and not (urls.is_http_url(page) or page.startswith("file://")):
                raise UsageError(f"url takes http(s):// or file:// URLs separated by commas, not {page!r}")

    @classmethod
    def update_settings(cls, settings):
        """Feeds default to <TMV_OUTPUT_DIR>/<spider>/<spider>-<time>-<batch>.jsonl (dev/ for
        single pages, see from_crawler) unless the command line names its own (-o/-O, -s FEEDS=…)."""
        super().update_settings(settings)
        if not settings.getdict("FEEDS"):
            cls.default_feeds(settings, cls.name)

    @staticmethod
    def default_feeds(settings, folder: str) -> None:
        root = str(output_dir(settings)).rstrip("/")
        feed = {"format": "jsonlines", "overwrite": True, "store_empty": False,  # nothing new: no file
                "batch_item_count": settings.getint("TMV_FEED_BATCH"),
                "uri_params": "tmvspider.feedstorage.uri_params"}
        settings.set("FEEDS", {f"{root}/{folder}/%(name)s-%(time)s-%(batch_id)05d.jsonl": feed}, priority="spider")

    @property
    def feed_folder(self) -> str:
        """Where the default feeds and the run's stats go, under TMV_OUTPUT_DIR: tmv/ for a
        crawl that holds the state (which reads those feeds back), else dev/ (single pages,
        or `scrapy parse` while cron crawls), apart from them."""
        return self.name if self.crawl_state is not None else "dev"

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.request_dropped, signal=signals.request_dropped)
        if not spider.pages:
            spider.open_state(crawler.settings)
        if getattr(spider, "_job", None):  # scrapyd with items_dir: the crawl's own feeds too (deploy.py)
            from ..deploy import keep_crawl_feeds
            keep_crawl_feeds(spider, crawler.settings)
        if spider.crawl_state is None and crawler.settings.getpriority("FEEDS") == SETTINGS_PRIORITIES["spider"]:
            spider.default_feeds(crawler.settings, spider.feed_folder)  # settings freeze after this
        return spider

    def open_state(self, settings) -> None:
        try:  # held already under `scrapy crawl` and `tmvspider crawl` (preflight.py)
            lock(state_dir(settings))
            lock(output_dir(settings))
        except StateError as error:  # `scrapy parse` while cron crawls: leave its state alone
            self.logger.warning("%s: this run goes without the crawl state", error)
            return
        self.crawl_state = CrawlState(state_dir(settings))
        self.crawl_state.recover(output_dir(settings) / self.name)
        self.walk_archives = self.full or not self.crawl_state.get(NO_HOLES)
        self.pending = self.crawl_state.pending()

    # ------------------------------------------------------------ start and end

    async def start(self):
        if self.pages:  # developer mode: these pages only
            for page in self.pages:
                yield scrapy.Request(page, callback=self.parse_article, errback=self.failed, dont_filter=True)
            return
        if self.settings.getbool("TMV_REEXTRACT"):  # tmvspider reextract: archived pages, no request to the site
            from ..archive import replay_requests
            for request in replay_requests(self):
                yield request
            return
        self.logger.info("%s walk of %s (%d articles known)", "full" if self.walk_archives else "incremental",
                         self.root, self.crawl_state.count())
        if self.walk_archives:
            self.crawler.stats.set_value("tmv/full_walk", True)
        self.discovering = True
        self.crawl_state.set(NO_HOLES, None)  # set again by StateKeeper if this run finishes cleanly
        for request in (self.follow(self.root + "/sitemap_index.xml", "sitemap_index"),
                        self.follow(self.root + "/", "home")):
            if request:
                yield request
        for url, kind in list(self.pending.items()):  # what the last runs could not fetch
            if request := self.follow(url, kind, again=True):
                self.crawler.stats.inc_value("tmv/pending/asked")
                yield request

    def robots_parsed(self, robotparser, request):
        """Scrapy fetched robots.txt (once, for its own checks): read its Sitemap lines."""
        if urls.root_of(request.url) != self.root or self.pages:
            return
        self.robots = robotparser
        if not self.discovering:  # `scrapy parse`: that page only
            return
        for sitemap in getattr(getattr(robotparser, "rp", None), "sitemaps", None) or []:
            if request := self.follow(sitemap, "sitemap_index"):
                self.crawler.engine.crawl(request)

    # ------------------------------------------------------------ requests

    def follow(self, href: str, kind: str, lastmod: str | None = None, again: bool = False) -> scrapy.Request | None:
        """A request for *href* if it is on the site, allowed, new to this run and (for an
        article) not already exported in its current version; else None. *again*: it failed
        last time; ask for it whatever the state says (no conditional request either) and,
        for a listing page, read its series on from there as a full walk would."""
        url = canonical(href, self.root)
        if url is None or url in self.seen or not urls.same_site(url, self.root):
            return None
        if kind == "article":
            if url_kind(url) != "article":
                return None
            if not again and self.is_known(url, lastmod):
                return None
            callback, priority, meta = self.parse_article, ARTICLE, {"lastmod": lastmod} if lastmod else {}
        elif kind == "sitemap_index":  # always asked afresh: an index rarely changes when its sitemaps do
            callback, priority, meta = self.parse_sitemap, SITEMAP, {}
        elif kind == "sitemap":
            callback, priority, meta = self.parse_sitemap, SITEMAP, {} if again else self.conditional(url)
        else:
            callback, priority, meta = self.parse_listing, LISTING, {} if again else self.conditional(url)
        self.seen.add(url)
        if self.robots is not None and not self.robots.allowed(url, self.settings.get("USER_AGENT")):
            self.crawler.stats.inc_value("tmv/skipped/robots")
            return None
        self.crawler.stats.inc_value(f"tmv/requests/{kind}")
        headers = meta.pop("headers", None)
        meta["tmv"] = (url, kind)  # what failed() records, and fetched() clears
        if again and kind in ("home", "archive"):
            meta["whole_series"] = True  # read on through its next pages, as a full walk does
        return scrapy.Request(url, callback=callback, errback=self.failed, priority=priority,
                              headers=headers, meta=meta)

    def is_known(self, url: str, lastmod: str | None) -> bool:
        """Exported already in its current version (an incremental run skips it).

        Not marked seen: a sitemap ``lastmod`` met later can still ask for it."""
        if self.full or self.crawl_state is None:
            return False
        if (lastmod is None and url in self.known) or self.crawl_state.is_current(url, lastmod):
            if url not in self.known:
                self.known.add(url)
                self.crawler.stats.inc_value("tmv/skipped/known")
            return True
        return False

    def conditional(self, url: str) -> dict:
        """Ask for a listing or sitemap only if it changed since the last clean run."""
        if self.walk_archives or self.crawl_state is None:
            return {}
        etag, last_modified = self.crawl_state.validators(url)
        headers = {k: v for k, v in (("If-None-Match", etag), ("If-Modified-Since", last_modified)) if v}
        return {"headers": headers, "handle_httpstatus_list": [304]} if headers else {}

    def not_modified(self, response) -> bool:
        """A 304: the listing or sitemap is as the last clean run read it."""
        if response.status == 304:
            self.crawler.stats.inc_value("tmv/not_modified")
            return True
        return False

    def fetched(self, response, keep_validators: bool = False) -> None:
        """*response* was read through: not pending any more; for a listing or a sitemap whose
        content discovery used, its ETag/Last-Modified are kept (saved at a clean finish)."""
        url = response.meta["tmv"][0] if "tmv" in response.meta else canonical(response.url, self.root)
        etag, last_modified = response.headers.get("ETag"), response.headers.get("Last-Modified")
        if keep_validators and (etag or last_modified):
            self.validators[url] = (etag and etag.decode("latin-1"), last_modified and last_modified.decode("latin-1"))
        self.read_through(url)

    def read_through(self, url: str) -> None:
        """*url*, if an earlier run could not read it, is read now: no longer pending."""
        if self.forget_pending(url):
            self.crawler.stats.inc_value("tmv/pending/fetched")

    def forget_pending(self, url: str) -> bool:
        """Whether *url* was pending; it is not any more (only while the run walks the site:
        `scrapy parse` leaves the state's pages alone)."""
        if self.discovering and self.pending.pop(url, None):
            self.crawl_state.remove_pending(url)
            return True
        return False

    def request_dropped(self, request, spider=None):
        """A redirect to a page this run has read already (Scrapy's dupefilter drops it):
        what the first URL leads to is read."""
        if "tmv" in request.meta and request.meta.get("redirect_urls"):
            self.read_through(request.meta["tmv"][0])

    def hole(self, request, reason: str, detail: str = "") -> None:
        """A page that could not be read: logged once with its reason, counted
        (``tmv/failed/<reason>``) and, unless the failure is one that comes again whatever
        the run (PERMANENT), kept in the state for the next run to ask for again."""
        self.crawler.stats.inc_value(f"tmv/failed/{reason}")
        self.logger.warning("failed %s: %s%s", request.url, reason, f" ({detail})" if detail else "")
        url, kind = request.meta.get("tmv", (None, None))
        if not self.discovering or url is None:  # single pages, `scrapy parse`
            return
        if reason in PERMANENT:  # asking again would fail again
            self.forget_pending(url)
            return
        self.pending[url] = kind
        self.crawl_state.add_pending(url, kind, reason)
        self.crawler.stats.inc_value("tmv/pending/added")

    # ------------------------------------------------------------ callbacks

    def parse_sitemap(self, response):
        if self.not_modified(response):
            return
        try:
            body = response.body
            if body[:2] == b"\x1f\x8b":
                body = gunzip(body, max_size=self.settings.getint("DOWNLOAD_MAXSIZE"))
            sitemap = Sitemap(body)  # lxml, no entity expansion, no network
            entries = list(sitemap)
        except Exception:  # not XML, empty, a bad gzip: all the same to discovery
            sitemap, entries = None, []
        if not entries:  # asked for again next run; discovery goes on through the rest meanwhile
            self.hole(response.request, "sitemap_unusable", "lists nothing usable: not XML, empty or refused")
            return
        kind = "sitemap" if sitemap is not None and sitemap.type == "sitemapindex" else "article"
        for entry in entries:
            if request := self.follow(entry["loc"], kind, entry.get("lastmod")):
                yield request
        self.fetched(response, keep_validators=True)

    def parse_listing(self, response):
        """Home pages and monthly archives: their articles, then further listings.

        An incremental run walks the home pagination one page after the other and
        stops at the first page whose articles are all known; it leaves the monthly
        archives alone. A full walk follows every page number it meets, and so does a
        listing page an earlier run could not read ("whole_series"), in its own series."""
        if self.not_modified(response) or not self.has_text(response):
            return
        if not isinstance(response, TextResponse):  # not a page: an image, a PDF …
            self.crawler.stats.inc_value("tmv/not_listing")
            self.fetched(response)
            return
        here = canonical(response.url, self.root) or response.url
        series = urls.listing_series(here)
        whole = self.walk_archives or response.meta.get("whole_series", False)
        articles, listings = [], []
        for href in LISTING_LINKS(response.selector.root):
            # absolute links, nearly all, hit the cache of canonical()
            url = canonical(href, self.root) if href.startswith(("http://", "https://")) else \
                urls.resolve(href, response.url, self.root)
            kind = url_kind(url) if url else None
            if kind == "article":
                articles.append(url)
            elif kind == "home" or kind == "archive" and (self.walk_archives or whole and
                                                          urls.listing_series(url) == series):
                listings.append((url, kind))
        fresh = False  # does the page list an article not exported before this run?
        for url in articles:
            # one this run asked for already is new or changed (and not "known", even once exported)
            fresh = fresh or url in self.seen or not self.is_known(url, None)
            if request := self.follow(url, "article"):
                yield request
        if not (whole or fresh) and url_kind(here) == "home":
            self.crawler.stats.inc_value("tmv/pagination_stopped")
            listings = [(u, k) for u, k in listings if urls.listing_series(u) != series]
        elif not self.adds_to_series(series, articles):
            # an empty page, or one repeating its series: pagination past the end, or a trap
            self.crawler.stats.inc_value("tmv/pagination_stopped")
            listings = [(u, k) for u, k in listings if urls.listing_series(u) != series]
        elif not whole:  # only the next page: the one after may hold nothing new
            number = urls.page_number(here)
            following = min((urls.page_number(u) for u, _ in listings
                             if urls.listing_series(u) == series and urls.page_number(u) > number), default=None)
            listings = [(u, k) for u, k in listings
                        if urls.listing_series(u) != series or urls.page_number(u) == following]
        for url, kind in listings:
            again = whole and not self.walk_archives and urls.listing_series(url) == series
            if request := self.follow(url, kind, again=again):
                yield request
        self.fetched(response, keep_validators=True)

    def adds_to_series(self, series: str, articles: list[str]) -> bool:
        """Whether a listing page names an article its series (home, one month) has not shown yet.

        Its next pages are followed only then, and never past TMV_MAX_LISTING_PAGES pages."""
        shown = self.listed.setdefault(series, set())
        new = set(articles) - shown
        shown.update(new)
        pages = self.listing_pages[series] = self.listing_pages.get(series, 0) + 1
        return bool(new) and pages < self.settings.getint("TMV_MAX_LISTING_PAGES")

    def has_text(self, response) -> bool:
        """False, counted and logged, for a page with nothing in it (an empty 200)."""
        if response.body.strip(b" \t\r\n\x00"):
            return True
        self.hole(response.request, "empty", f"status {response.status}, no content")
        return False

    def parse_article(self, response):
        if not self.has_text(response):
            return
        try:
            item = parse_article(response, root=None if self.pages else self.root)
        except RecursionError:  # markup nested hundreds of levels deep: a hostile page, not a crash
            self.hole(response.request, "too_deep", "markup nested beyond what can be read")
            return
        if item is None:  # if it failed last time, this may be the site's error page: still pending
            self.crawler.stats.inc_value("tmv/not_article")
            self.logger.debug("not an article: %s", response.url)
            return
        self.fetched(response)
        self.seen.add(item["url"])
        if self.crawl_state is not None and response.meta.get("lastmod"):
            self.lastmods[item["url"]] = response.meta["lastmod"]  # for DedupPipeline
        yield item
        if not self.pages:
            for url in item["related"]:
                if request := self.follow(url, "article"):
                    yield request

    def failed(self, failure):
        """The errback of every request: see hole()."""
        detail = str(failure.value).strip().splitlines()[0][:200] if str(failure.value).strip() else ""
        self.hole(failure.request, failure_reason(failure.value), detail)
