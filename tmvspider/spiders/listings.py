"""The ``tmv`` spider's pages that list others, read when no API answers: the feed, the home
pagination and the monthly archives (HTML, or the JSON a script fills them from). What each
lists is asked for through the spider's follow(); reading them is tmvspider.discovery's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import scrapy
from scrapy.http import TextResponse

from .. import statkeys, urls
from ..discovery import Page
from ..discovery.feed import article_links, feed_address
from ..discovery.json_listings import json_links, json_listing
from ..discovery.listings import Listing, PageLinks, SeriesShown, articles_and_listings, links_by_kind, series_pages
from ..keeper import NoState, StateKeeper
from ..parsers import document


class ListingSource(scrapy.Spider):
    """The part of TmvSpider that reads the feed and the listings; what it uses of the rest:"""

    root: str
    hosts: frozenset[str]
    seen: set[str]
    keeper: StateKeeper | NoState
    walk_archives: bool
    feed_asked: bool
    series_shown: SeriesShown
    follow: Callable[..., scrapy.Request | None]
    is_known: Callable[[str, str | None], bool]
    not_modified: Callable[[Any], bool]
    has_text: Callable[[Any], bool]
    mark_read: Callable[..., None]
    record_failure: Callable[..., None]
    announced_api: Callable[..., scrapy.Request | None]
    api_used: str

    def parse_feed(self, response):
        """The RSS (or Atom) feed: the newest articles, read first thing."""
        if self.not_modified(response) or not self.has_text(response) or self.api_used:
            return
        links = article_links(response.body)
        if not links:
            self.record_failure(response.request, "feed_unusable", "lists no article: not RSS or Atom")
            return
        for href in links:
            if request := self.follow(href, Page.ARTICLE):
                yield request
        self.mark_read(response, keep_validators=True)

    def ask_feed(self, response, doc) -> scrapy.Request | None:
        """The site's feed, once a run: the one the home page links (``rel=alternate``), else ``/feed/``."""
        if self.feed_asked or not self.keeper.walking:
            return None
        self.feed_asked = True
        if url := feed_address(doc, response.url, self.hosts):
            return self.follow(url, Page.FEED)
        return self.follow(self.root + "/feed/", Page.FEED, meta={"optional": True})

    def parse_listing(self, response):
        """Home pages and monthly archives (and the JSON a script fills one from): their articles,
        then further listings, every link read by its URL's shape whatever the theme (which pages
        of its series: next_pages()).

        @page home-listing.html
        @returns items 0 0
        @returns requests 10
        """
        if self.not_modified(response) or not self.has_text(response) or self.api_used:
            return  # the API serves (found after the walk began): it lists every post
        if not isinstance(response, TextResponse):  # not a page: an image, a PDF …
            self.crawler.stats.inc_value(statkeys.NOT_LISTING)
            self.mark_read(response)
            return
        listing = Listing.of(response, self.walk_archives)
        data = json_listing(response.body)  # what a script fills a listing from: read as JSON
        doc = document(response) if data is None else None  # one parse, lxml's own elements (parsers.document)
        if listing.kind is Page.HOME and doc is not None:
            yield from filter(None, (self.ask_feed(response, doc), self.announced_api(response, doc)))
        links = PageLinks.of(doc) if data is None else json_links(data, response.url)
        articles, listings = articles_and_listings(links.hrefs, response.url, self.hosts)
        entries = [url for url, kind in links_by_kind(links.entries, response.url, self.hosts) if kind == "article"]
        fresh = self.lists_news(entries)
        for url in articles:
            if request := self.follow(url, Page.ARTICLE):
                yield request
        yield from self.next_pages(listing, links, listings, fresh, entries or articles)
        for url, kind in listings:  # other series: the home pages, and in a full walk every month
            if (
                urls.listing_series(url) != listing.series
                and (kind == Page.HOME or self.walk_archives)
                and (request := self.follow(url, kind))
            ):
                yield request
        self.mark_read(response, keep_validators=True)

    def lists_news(self, entries: list[str]) -> bool:
        """Whether a listing's own entries name an article not exported before this run (one
        this run asked for already is new or changed, and not "known", even once exported)."""
        return any(urls.identity(url) in self.seen or not self.is_known(url, None) for url in entries)

    def next_pages(
        self, listing: Listing, links: PageLinks, listings: list[tuple[str, str]], fresh: bool, shown: list[str]
    ):
        """Requests for the pages of its series a listing page leads to (series_pages()): none past the
        end, nor on the home pages of an incremental run after a page of known articles only."""
        if not (listing.walk_whole_series or fresh) and listing.kind is Page.HOME:
            self.crawler.stats.inc_value(statkeys.PAGINATION_STOPPED)
            return
        if not self.series_shown.grows(listing.series, shown, self.settings.getint("TMV_MAX_LISTING_PAGES")):
            self.crawler.stats.inc_value(statkeys.PAGINATION_STOPPED)
            return
        # a pending page: its series as a full walk reads it
        again = listing.walk_whole_series and not self.walk_archives
        for url in series_pages(listing, links, listings, self.hosts):
            if request := self.follow(url, listing.kind, again=again, meta={"series": listing.series}):
                yield request
