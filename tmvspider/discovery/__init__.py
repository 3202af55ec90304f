"""Discovery's readers, one module per source: the CMS's APIs (``wordpress``, ``ampize``),
``sitemaps``, ``feed``, ``listings``.

Pure functions of a response, a body or a tree that return URLs, lastmods or records;
what to ask for is the spider's decision (``spiders.tmv``). ``tmvspider probe`` reads the
same sources with the same readers.
"""

from __future__ import annotations

from enum import Enum
from urllib.parse import urlsplit

from .. import urls


class Page(str, Enum):
    """What a request is for, and how urgent: Scrapy serves higher priorities first, so
    articles are finished before further listings are walked (the queue stays small). The
    value is what the state's pending table records."""

    priority: int

    ARTICLE = "article", 20
    API = "api", 15  # the CMS's JSON: a page of its listing of posts (its root, its site info)
    FEED = "feed", 15
    SITEMAP_INDEX = "sitemap_index", 10  # asked afresh every run: an index rarely changes when its sitemaps do
    SITEMAP = "sitemap", 10
    HOME = "home", 0
    ARCHIVE = "archive", 0

    # the default only for type checkers, which read Page(value), a lookup, as a call of __new__
    def __new__(cls, value: str, priority: int = 0):
        member = str.__new__(cls, value)
        member._value_ = value
        member.priority = priority
        return member

    @property
    def listing(self) -> bool:
        return self in (Page.HOME, Page.ARCHIVE)


def page_of(url: str) -> Page:
    """What a URL of the site is by its shape: a listing, the feed, a sitemap (``.xml``), else an article."""
    kind = urls.kind(urls.canonical(url) or url)
    if kind in urls.LISTINGS:
        return Page.ARCHIVE if kind == "archive" else Page.HOME
    if kind == "feed":
        return Page.FEED
    if urlsplit(url).path.endswith((".xml", ".xml.gz")):
        return Page.SITEMAP
    return Page.ARTICLE
