"""Listing pages (the home pagination, the monthly archives): their links, their own
entries and their next page, whatever the theme."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

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
# "Charger plus", "Voir plus", "Plus d'articles", "Load more": the rest of the list, on this page or
# fetched by a script (the element's data-url); "Voir plus" may also lead to a section: see next_page()
MORE_WORDS = re.compile(
    r"^(?:(?:charger|voir|afficher|montrer)\s+(?:plus|davantage|d['’]autres|la suite)\b|"
    r"plus\s+d['’](?:articles|actu)|(?:load|show|see|view)\s+more\b|more\s+(?:articles|posts|stories|news)\b)",
    re.IGNORECASE,
)
# what a "load more" element's script asks for: a data-* attribute that holds a URL
_DATA_URL = re.compile(r"^data-(?:[\w-]*-)?(?:url|href|src|link|endpoint|next(?:-page)?(?:-url)?)$")
_MORE_CLASS = re.compile(r"load-?more|more-?(?:posts|articles)|voir-?plus|charger-?plus|infinite|next", re.IGNORECASE)
AMP_LISTS = etree.XPath("//amp-list/@src", smart_strings=False)  # AMP fills these from a JSON listing
DATA_ELEMENTS = etree.XPath("//*[@*[starts-with(name(), 'data-')]]")
_NUMBER = re.compile(r"^\d{1,4}$")


def words_of(el) -> str:
    """A short element's text, its children's too (``<a><span>2</span></a>``); "" for a longer one."""
    raw = el.text if len(el) == 0 else "".join(el.itertext())
    return (clean_text(raw) or "") if raw and len(raw) < 40 else ""


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
    named_next: list[str]  # rel=next, a "Suivant", "Page suivante" or "›" link, then a "Charger plus" one
    loaded: list[str] = field(default_factory=list)  # what the page's scripts load more entries from
    numbered_next: str | None = None  # the link whose number follows the current page's

    @classmethod
    def of(cls, doc) -> PageLinks:
        anchors = ANCHORS(doc)
        chrome = {a for box in CHROME(doc) for a in box.iter("a")}
        hrefs, entries, named, more = [], [], list(REL_NEXT(doc)), []
        numbers: dict[int, tuple[str, Any]] = {}  # a link's number -> (its href, the <a>)
        for a in anchors:
            href = a.get("href")
            hrefs.append(href)
            if a not in chrome:
                entries.append(href)
            words = words_of(a)
            if NEXT_WORDS.match(words):
                named.append(href)
            elif MORE_WORDS.match(words):
                more.append(href)
            elif _NUMBER.match(words):
                numbers.setdefault(int(words), (href, a))
        return cls(hrefs, entries, named + more, [*AMP_LISTS(doc), *load_more_urls(doc)], _numbered_next(numbers))


def load_more_urls(doc) -> list[str]:
    """The URLs a "load more" element (its words or its classes say so) names in a data-* attribute."""
    found = []
    for el in DATA_ELEMENTS(doc):
        said = words_of(el)
        if MORE_WORDS.match(said) or NEXT_WORDS.match(said) or _MORE_CLASS.search(f"{el.get('class')} {el.get('id')}"):
            found += [v for k, v in el.attrib.items() if _DATA_URL.match(k) and v.strip().startswith(("/", "http"))]
    return found


def _numbered_next(numbers: dict[int, tuple[str, Any]]) -> str | None:
    """Of pagination links numbered 1, 2, 3 …, the one after the current page's: the number shown
    among them that is no link (or marked ``aria-current``); page 1 when none is."""
    if not numbers:
        return None
    _, a = next(iter(numbers.values()))
    box = a.getparent()
    if box.tag == "li" and box.getparent() is not None:  # <ul><li><a>1</a></li><li><span>2</span></li>
        box = box.getparent()
    current = next((int(words) for el in box.iter() if _is_current(el) and _NUMBER.match(words := words_of(el))), 1)
    return numbers[current + 1][0] if current + 1 in numbers else None


def _is_current(el) -> bool:
    return el.get("aria-current") == "page" or (
        el.tag != "a" and len(el) == 0 and not any(up.tag == "a" for up in el.iterancestors())
    )


def next_page(links: PageLinks, base: str, canonical_url: str, same: list[str], hosts: frozenset[str]) -> str | None:
    """A listing's next page: what the page calls so (``rel=next``, a "Suivant", "Page suivante",
    "›" or "Charger plus" link, not one to another section), else the page of its series (*same*)
    numbered one more, else the link whose text is the number after the current page's."""
    series = urls.listing_series(canonical_url)
    for href in links.named_next:
        url = urls.resolve(href, base)
        if (
            url
            and url != canonical_url
            and urls.host_of(url) in hosts
            and urls.kind(url) not in ("article", "post")
            and (urls.kind(url) is None or urls.listing_series(url) == series)  # "Voir plus" of a section
        ):
            return url
    number = urls.page_number(canonical_url)
    following = min((u for u in same if urls.page_number(u) > number), key=urls.page_number, default=None)
    return following or (links.numbered_next and urls.resolve(links.numbered_next, base))


def series_pages(
    listing: Listing, links: PageLinks, listings: list[tuple[str, str]], hosts: frozenset[str]
) -> list[str]:
    """The pages of its own series a listing page leads to (*listings*: its links to listings):
    the next one; every page number it names too when its whole series is walked."""
    same = [url for url, _ in listings if urls.listing_series(url) == listing.series]
    following = next_page(links, listing.url, listing.canonical_url, same, hosts)
    loaded = [url for href in links.loaded if (url := urls.resolve(href, listing.url)) and urls.host_of(url) in hosts]
    whole = same if listing.walk_whole_series else []
    return list(dict.fromkeys(([following] if following else []) + loaded + whole))


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
