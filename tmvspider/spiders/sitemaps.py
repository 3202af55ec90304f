"""The ``tmv`` spider's sitemaps: those robots.txt names, else the first of the usual
addresses that answers (SITEMAP_GUESSES); what each lists is asked for through the spider's
follow(). Reading them is tmvspider.discovery.sitemaps's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import scrapy

from .. import scrapy_compat, statkeys, urls
from ..discovery import Page
from ..discovery.sitemaps import SITEMAP_GUESSES, UnusableSitemap, named_in_robots, read_sitemap
from ..keeper import NoState, StateKeeper


class SitemapSource(scrapy.Spider):
    """The part of TmvSpider that finds and reads the sitemaps; what it uses of the rest:"""

    root: str
    hosts: frozenset[str]
    pages: list[str]
    keeper: StateKeeper | NoState
    robots: Any
    sitemaps_asked: bool
    walking_pages: bool
    api_used: str
    follow: Callable[..., scrapy.Request | None]
    not_modified: Callable[[Any], bool]
    mark_read: Callable[..., None]
    record_failure: Callable[..., None]

    def robots_parsed(self, robotparser, request):
        """Scrapy fetched robots.txt (once, for its own checks): read its Sitemap lines."""
        if urls.host_of(request.url) != urls.host_of(self.root) or self.pages:
            return
        self.robots = robotparser
        if self.walking_pages:  # not under `scrapy parse` (that page only), nor while the API serves
            self.ask_sitemaps(scrapy_compat.robots_sitemaps(robotparser))

    def parse_robots(self, response):
        """robots.txt read by the spider itself (ROBOTSTXT_OBEY off): its Sitemap lines."""
        self.ask_sitemaps(named_in_robots(response))

    def no_robots(self, failure):
        self.ask_sitemaps([])

    def ask_sitemaps(self, named: list[str]) -> None:
        """The sitemaps robots.txt names, else the first of SITEMAP_GUESSES that answers."""
        if self.sitemaps_asked:
            return
        self.sitemaps_asked = True
        self.crawler.stats.set_value(statkeys.SITEMAPS_IN_ROBOTS, len(named))
        requests = [self.follow(href, Page.SITEMAP_INDEX) for href in named] or [self.guess_sitemap(0)]
        for request in filter(None, requests):
            self.crawler.engine.crawl(request)

    def guess_sitemap(self, number: int) -> scrapy.Request | None:
        """A request for the *number*-th usual sitemap address (None past the last)."""
        if number >= len(SITEMAP_GUESSES):
            self.crawler.stats.set_value(statkeys.SITEMAPS_FOUND, False)
            self.logger.info("no sitemap: robots.txt names none, and none of %s answers", ", ".join(SITEMAP_GUESSES))
            return None
        return self.follow(self.root + SITEMAP_GUESSES[number], Page.SITEMAP_INDEX, meta={"guess": number})

    def on_site(self, href: str) -> bool:
        """*href* is a page of the site this run walks (any kind)."""
        url = urls.canonical(href.strip())
        return url is not None and urls.host_of(url) in self.hosts

    def parse_sitemap(self, response):
        """
        @page sitemap-index.xml
        @returns items 0 0
        @returns requests 2 2
        """
        if self.not_modified(response) or self.api_used:  # the API serves: it lists every post
            return
        try:
            is_index, entries = read_sitemap(response.body, self.settings.getint("DOWNLOAD_MAXSIZE"))
        except UnusableSitemap as error:  # asked for again next run; discovery goes on through the rest meanwhile
            self.record_failure(response.request, "sitemap_unusable", f"lists nothing usable: {error}")
            return
        if not any(self.on_site(entry["loc"]) for entry in entries):
            self.record_failure(
                response.request,
                "sitemap_unusable",
                f"lists nothing usable: none of its {len(entries)} entries is a page of {self.root}",
            )
            return
        if "guess" in response.meta:
            self.crawler.stats.set_value(statkeys.SITEMAPS_FOUND, True)
        kind = Page.SITEMAP if is_index else Page.ARTICLE
        for entry in entries:
            if request := self.follow(entry["loc"], kind, entry.get("lastmod")):
                yield request
        self.mark_read(response, keep_validators=True)
