"""The ``probe`` spider: what an operator runs first on a site (``tmvspider probe``).

In at most ``TMV_PROBE_REQUESTS`` (30) polite requests it asks the CMS's API as the crawl
would, and reads 3 of its posts beside their pages (probe_api.py); it asks each discovery
source of the pages once (robots.txt, the sitemaps it names or the usual ones, the home
page, the next listing page, the feed) and reads 3 to 5 of the articles they name with the
crawl's own parsers, recording which parser read each (a known layout or the theme-free
reader) and which fields it found. It writes nothing: no feed, no state.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import TextResponse

from .. import LIVE_ROOT, scrapy_compat, urls
from ..discovery.feed import article_links, feed_address
from ..discovery.listings import ALL_LINKS, PageLinks, next_page
from ..discovery.sitemaps import SITEMAP_GUESSES, UnusableSitemap, named_in_robots, read_sitemap
from ..items import FIELDS, empty
from ..outcome import failure_reason
from ..parsers import read_article
from .api import api_root_for
from .arguments import allowed_domains, check_arguments, site_hosts
from .probe_api import ApiFindings, ApiProbe, api_lines

ARTICLES = 5  # articles read at the most
SITEMAPS = 3  # sitemap files read at the most


class ProbeSpider(ApiProbe):
    name = "probe"
    custom_settings = {
        "ITEM_PIPELINES": {},
        "FEEDS": {},
        "RETRY_TIMES": 1,
        "TMV_ARCHIVE_ENABLED": False,  # a probe asks little, and keeps nothing
        "EXTENSIONS": {
            "tmvspider.keeper.StateKeeper": None,
            "tmvspider.coverage.CoverageAlarm": None,
            "tmvspider.extensions.RunReport": None,
        },
    }

    def __init__(self, base_url: str = LIVE_ROOT, *args, **kwargs):
        super().__init__(*args, **kwargs)
        check_arguments(base_url)
        self.root = urls.root_of(base_url.strip()).lower()
        self.hosts = site_hosts(self.root)
        self.allowed_domains = allowed_domains(self.hosts)
        self.sources: list[dict] = []  # {"source", "url", "answered", "articles", "note"}
        self.articles: list[dict] = []  # {"url", "parser", "found", "missing", "error"}
        self.candidates: dict[str, str] = {}  # identity -> article URL, from every source
        self.asked = 0
        self.sitemaps_asked = self.articles_asked = False
        self.sitemap_files = 0

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.api = ApiFindings(api_root_for(crawler.settings, spider.root))
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(spider.idle, signal=signals.spider_idle)
        return spider

    # ------------------------------------------------------------ requests

    def ask(self, url: str, callback, source: str, errback=None, **meta) -> scrapy.Request | None:
        """A request within the budget of TMV_PROBE_REQUESTS, or None."""
        if self.asked >= self.settings.getint("TMV_PROBE_REQUESTS"):
            return None
        self.asked += 1
        return scrapy.Request(
            url, callback=callback, errback=errback or self.failed, dont_filter=True, meta={"source": source, **meta}
        )

    def record(self, response_or_request, answered: str, articles: int | None = None, note: str = "") -> None:
        meta = response_or_request.meta
        self.sources.append(
            {
                "source": meta["source"],
                "url": response_or_request.url,
                "answered": answered,
                "articles": articles,
                "note": note,
            }
        )

    def failed(self, failure):
        request = failure.request
        reason = failure_reason(failure.value)
        if request.meta.get("article"):
            self.articles.append({"url": request.url, "parser": None, "found": [], "missing": [], "error": reason})
        else:
            self.record(request, f"no ({reason})")
            if "guess" in request.meta:
                self.guess_sitemap(request.meta["guess"] + 1)

    def take(self, urls_found) -> int:
        """Note the article URLs a source gave; how many there were."""
        count = 0
        for url in urls_found:
            if url and urls.host_of(url) in self.hosts and urls.kind(url) in ("article", "post"):
                count += 1
                self.candidates.setdefault(urls.identity(url), url)
        return count

    # ------------------------------------------------------------ sources

    async def start(self):
        if request := self.ask(self.root + "/", self.parse_home, "home page"):
            yield request
        for request in self.api_requests():  # first, as the crawl asks it first
            yield request
        if not self.settings.getbool("ROBOTSTXT_OBEY") and (
            request := self.ask(self.root + "/robots.txt", self.parse_robots, "robots.txt")
        ):
            yield request

    def robots_parsed(self, robotparser, request):
        if urls.host_of(request.url) == urls.host_of(self.root):
            named = scrapy_compat.robots_sitemaps(robotparser)
            self.sources.append(
                {
                    "source": "robots.txt",
                    "url": self.root + "/robots.txt",
                    "answered": "yes",
                    "articles": None,
                    "note": f"{len(named)} sitemap(s) named",
                }
            )
            self.ask_sitemaps(named)

    def parse_robots(self, response):
        named = named_in_robots(response)
        self.record(response, f"yes ({response.status})", note=f"{len(named)} sitemap(s) named")
        self.ask_sitemaps(named)

    def ask_sitemaps(self, named: list[str]) -> None:
        if self.sitemaps_asked:
            return
        self.sitemaps_asked = True
        if not named:
            self.guess_sitemap(0)
        for href in named[:SITEMAPS]:
            if request := self.ask(href, self.parse_sitemap, "sitemap (robots.txt)"):
                self.crawler.engine.crawl(request)

    def guess_sitemap(self, number: int) -> None:
        if number >= len(SITEMAP_GUESSES):
            return
        if request := self.ask(
            self.root + SITEMAP_GUESSES[number], self.parse_sitemap, "sitemap (usual name)", guess=number
        ):
            self.crawler.engine.crawl(request)

    def parse_sitemap(self, response):
        try:
            is_index, entries = read_sitemap(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        except UnusableSitemap as error:
            self.record(response, f"no ({response.status}, not a sitemap: {error})")
            if "guess" in response.meta:
                self.guess_sitemap(response.meta["guess"] + 1)
            return
        self.sitemap_files += 1
        if is_index:
            self.record(response, "yes", note=f"index of {len(entries)} sitemap(s)")
            for entry in entries[:1]:  # one of them tells enough
                if request := self.ask(entry["loc"], self.parse_sitemap, "sitemap"):
                    yield request
        else:
            self.record(response, "yes", self.take(urls.canonical(e["loc"]) for e in entries))

    def page_links(self, response) -> list[str | None]:
        return [urls.resolve(href, response.url) for href in ALL_LINKS(response.selector.root)]

    def parse_home(self, response):
        if not isinstance(response, TextResponse):
            self.record(response, f"no ({response.status}, not a page)")
            return
        self.record(response, f"yes ({response.status})", self.take(self.page_links(response)))
        yield from self.note_announced(response)
        here = urls.canonical(response.url) or response.url
        same = [
            u
            for u in self.page_links(response)
            if u and urls.kind(u) == "home" and urls.listing_series(u) == urls.listing_series(here)
        ]
        following = next_page(PageLinks.of(response.selector.root), response.url, here, same, self.hosts)
        if following and (request := self.ask(following, self.parse_listing, "next listing page")):
            yield request
        feed = feed_address(response.selector.root, response.url, self.hosts) or self.root + "/feed/"
        if request := self.ask(feed, self.parse_feed, "feed"):
            yield request

    def parse_listing(self, response):
        found = self.take(self.page_links(response)) if isinstance(response, TextResponse) else 0
        self.record(response, f"yes ({response.status})", found)

    def parse_feed(self, response):
        links = article_links(response.body)
        self.record(
            response,
            "yes" if links else f"no ({response.status}, not a feed)",
            self.take(urls.canonical(link) for link in links),
        )

    # ------------------------------------------------------------ articles

    def idle(self):
        """Once the sources have answered: read a few of the articles they named."""
        if self.articles_asked:
            return
        if not self.sitemaps_asked:
            self.ask_sitemaps([])
            raise DontCloseSpider
        self.articles_asked = True
        picked = list(self.candidates.values())
        step = max(1, len(picked) // ARTICLES)  # spread over the site, not the newest five
        asked = False
        for url in picked[::step][:ARTICLES]:
            if request := self.ask(url, self.parse_article, "article", article=True):
                self.crawler.engine.crawl(request)
                asked = True
        if asked:
            raise DontCloseSpider

    def parse_article(self, response):
        parser, item = read_article(response, hosts=self.hosts)
        if item is None:
            self.articles.append(
                {
                    "url": response.url,
                    "parser": parser.name if parser else None,
                    "found": [],
                    "missing": [],
                    "error": "not read as an article",
                }
            )
            return
        assert parser is not None  # read_article's item comes from a parser
        found = [f for f in FIELDS if f not in ("url", "crawled_at") and item.get(f) != empty(f)]
        missing = [f for f in FIELDS if f not in ("url", "crawled_at", "interview") and item.get(f) == empty(f)]
        self.articles.append(
            {"url": item["url"], "parser": parser.name, "found": found, "missing": missing, "error": None}
        )


def verdict(spider: ProbeSpider) -> str | None:
    """Why the probe failed, in one line, or None when the API listed posts, or article pages
    were found and read."""
    if spider.api.used and spider.api.samples:
        return None
    if not any(s["answered"].startswith("yes") for s in spider.sources):
        return f"the site at {spider.root} answered nothing"
    read = [a for a in spider.articles if a["error"] is None]
    if not spider.candidates:
        return "no sitemap and no article link found: is it the tmv site, and are its article URLs /article/<slug>?"
    if not spider.articles:
        return f"no article page asked: TMV_PROBE_REQUESTS ({spider.settings.getint('TMV_PROBE_REQUESTS')}) spent"
    if not read:
        errors = {a["error"] for a in spider.articles}
        return f"{len(spider.articles)} article page(s) fetched, none read as an article ({', '.join(sorted(errors))})"
    return None


def conclusion(spider: ProbeSpider) -> str:
    """The last line of a probe that found the site can be crawled."""
    api = f"the API ({spider.api.used}) lists {spider.api.total} posts; " if spider.api.used else ""
    read = sum(a["error"] is None for a in spider.articles)
    return f"{api}{read} of {len(spider.articles)} sample article(s) read: the site can be crawled"


def report(spider: ProbeSpider) -> str:
    """The probe's findings as a short table."""
    requests = spider.crawler.stats.get_value("downloader/request_count", 0)
    lines = [
        f"probe of {spider.root}: {requests} request(s), robots.txt included",
        "",
        *api_lines(spider.api),
        "",
        "source                  answered        article URLs  address",
    ]
    for s in spider.sources:
        count = "" if s["articles"] is None else str(s["articles"])
        lines.append(
            f"{s['source'][:22]:<23} {s['answered'][:15]:<15} {count:>12}  {s['url']}"
            + (f"  ({s['note']})" if s["note"] else "")
        )
    lines += ["", "article (path)                                     read by      fields"]
    for a in spider.articles:
        path = urlsplit(a["url"]).path
        if a["error"]:
            lines.append(f"{path[:50]:<50} {a['parser'] or '-':<12} {a['error']}")
        else:
            missing = f"  (not found: {', '.join(a['missing'])})" if a["missing"] else ""
            lines.append(f"{path[:50]:<50} {a['parser']:<12} {', '.join(a['found'])}{missing}")
    return "\n".join(lines)


__all__ = ["ProbeSpider", "conclusion", "report", "verdict"]
