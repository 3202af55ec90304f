"""Listing pages (the home pagination, the monthly archives): their links, their own
entries and their next page, whatever the theme."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from .. import urls
from ..processors import clean_text
from . import Page

WALKED_LISTINGS = {Page.HOME.value, Page.ARCHIVE.value}  # tags, authors and categories repeat them
# smart_strings=False: lxml's default string results keep their whole document alive
# (and these end up as cache keys): plain strings let each page be freed.
ALL_LINKS = etree.XPath("//a/@href", smart_strings=False)
ANCHORS = etree.XPath("//a[@href]")
# the page's chrome: a listing's own entries are the links outside it
CHROME = etree.XPath(
    "//aside | //nav | //header | //footer | //*[@id='secondary' or @id='sidebar'] | "
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' widget ') or "
    "contains(concat(' ', normalize-space(@class), ' '), ' sidebar ')]"
)  # WordPress's sidebars
REL_NEXT = etree.XPath(
    "//*[self::a or self::link][contains(concat(' ', normalize-space(@rel), ' '), ' next ')]/@href", smart_strings=False
)
# "Suivant »", "Page suivante", "Articles plus anciens", "›", "»": the next page, whatever its classes
NEXT_WORDS = re.compile(
    r"^(?:(?:page |articles? )?suivante?s?\b|(?:articles? )?plus anciens\b|anciens articles\b|"
    r"next\b|older\b|[›»→>]+$)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Listing:
    """A listing page as discovery reads it: where it is, its series (home, one month), its
    kind, and whether its whole series is walked (a full walk, or a page that failed last time)."""

    url: str
    canonical_url: str
    series: str
    kind: Page
    walk_whole_series: bool

    @classmethod
    def of(cls, response, walk_archives: bool) -> Listing:
        canonical_url = urls.canonical(response.url) or response.url
        if "tmv" in response.meta:
            kind = Page(response.meta["tmv"][1])
        else:  # tags, authors and categories are read as the home pages they repeat
            kind = Page.ARCHIVE if urls.kind(canonical_url) == Page.ARCHIVE.value else Page.HOME
        return cls(
            response.url,
            canonical_url,
            response.meta.get("series") or urls.listing_series(canonical_url),
            kind,
            walk_archives or response.meta.get("whole_series", False),
        )


@dataclass(frozen=True)
class PageLinks:
    """The links of a listing page, read in one pass: every link, the page's own entries
    (outside its sidebar, navigation, header and footer) and what it calls its next page."""

    hrefs: list[str]
    entries: list[str]
    named_next: list[str]  # rel=next, then a "Suivant", "Page suivante" or "›" link

    @classmethod
    def of(cls, doc) -> PageLinks:
        anchors = ANCHORS(doc)
        chrome = {a for box in CHROME(doc) for a in box.iter("a")}
        hrefs, entries, named = [], [], list(REL_NEXT(doc))
        for a in anchors:
            href = a.get("href")
            hrefs.append(href)
            if a not in chrome:
                entries.append(href)
            words = a.text if len(a) == 0 else "".join(a.itertext())  # an <a> of a few words, maybe in a <span>
            if words and len(words) < 40 and NEXT_WORDS.match(clean_text(words) or ""):
                named.append(href)
        return cls(hrefs, entries, named)


def next_page(links: PageLinks, base: str, canonical_url: str, same: list[str], hosts: frozenset[str]) -> str | None:
    """A listing's next page: what the page calls so (``rel=next``, a "Suivant", "Page
    suivante" or "›" link), else the page of its series (*same*) numbered one more."""
    for href in links.named_next:
        url = urls.resolve(href, base)
        if url and url != canonical_url and urls.host_of(url) in hosts and urls.kind(url) not in ("article", "post"):
            return url
    number = urls.page_number(canonical_url)
    return min((u for u in same if urls.page_number(u) > number), key=urls.page_number, default=None)


def series_pages(
    listing: Listing, links: PageLinks, listings: list[tuple[str, str]], hosts: frozenset[str]
) -> list[str]:
    """The pages of its own series a listing page leads to (*listings*: its links to listings):
    the next one; every page number it names too when its whole series is walked."""
    same = [url for url, _ in listings if urls.listing_series(url) == listing.series]
    following = next_page(links, listing.url, listing.canonical_url, same, hosts)
    return list(dict.fromkeys(([following] if following else []) + (same if listing.walk_whole_series else [])))


def links_by_kind(hrefs, base: str, hosts: frozenset[str]):
    """(canonical URL, kind) of each link on the site among *hrefs*."""
    for href in hrefs:
        url = urls.resolve(href, base)
        if url and urls.host_of(url) in hosts:
            yield url, urls.kind(url)


def articles_and_listings(
    hrefs: list[str], base: str, hosts: frozenset[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """The article links among *hrefs* (``/?p=`` ones too) and the links to the listings discovery walks."""
    articles, listings = [], []
    for url, kind in links_by_kind(hrefs, base, hosts):
        if kind in ("article", "post"):
            articles.append(url)
        elif kind in WALKED_LISTINGS:
            listings.append((url, kind))
    return articles, listings


class SeriesShown:
    """What each listing series (the home pagination, one month) has shown this run."""

    def __init__(self):
        self.articles: dict[str, set[str]] = {}  # series -> urls.identity of the articles its pages showed
        self.pages: dict[str, int] = {}  # series -> pages read

    def grows(self, series: str, articles: list[str], max_pages: int) -> bool:
        """Whether a page of *series* names an article the series has not shown yet, within
        *max_pages* pages: its next pages are followed only then (past the end, or a trap, they are not)."""
        shown = self.articles.setdefault(series, set())
        new = {urls.identity(url) for url in articles} - shown
        shown.update(new)
        pages = self.pages[series] = self.pages.get(series, 0) + 1
        return bool(new) and pages < max_pages
