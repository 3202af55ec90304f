"""Sitemaps: where they are (robots.txt, else the usual addresses) and what they list."""

from __future__ import annotations

from lxml import etree
from protego import Protego
from scrapy.http import TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

# Where sitemaps usually are, tried in turn when robots.txt names none
SITEMAP_GUESSES = ("/sitemap_index.xml", "/sitemap.xml", "/wp-sitemap.xml")
# Google News sitemaps date an entry by <news:news><news:publication_date> (often with no <lastmod>)
_NEWS_ENTRIES = etree.XPath("/*/*[local-name()='url'][*[local-name()='news']]")
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)  # as Sitemap reads it


class UnusableSitemap(Exception):
    """Why a sitemap gives discovery nothing, in a few words."""


def named_in_robots(response) -> list[str]:
    """The sitemaps a robots.txt response names (none if it is no text)."""
    return list(Protego.parse(response.text).sitemaps) if isinstance(response, TextResponse) else []


def read_sitemap(body: bytes, max_size: int) -> tuple[bool, list[dict]]:
    """(whether it is a sitemap index, its entries with a ``loc``) of a sitemap, gzipped or not.
    A document declaring XML entities is refused whatever the XML parser would make of them:
    no CMS writes one, and an entity bomb is one."""
    try:
        if body[:2] == b"\x1f\x8b":
            body = gunzip(body, max_size=max_size)
    except Exception:  # a broken gzip, or one over max_size
        raise UnusableSitemap("a gzip that does not open") from None
    if b"<!ENTITY" in body:
        raise UnusableSitemap("it declares XML entities")
    try:
        sitemap = Sitemap(body)  # lxml, no entity expansion, no network
        entries = [entry for entry in sitemap if entry.get("loc")]
    except Exception:  # not XML: all the same to discovery
        entries = []
    if not entries:
        raise UnusableSitemap("not XML, empty or refused")
    if any("news" in entry and not entry.get("lastmod") for entry in entries):
        published = news_dates(body)
        for entry in entries:
            if not entry.get("lastmod") and (date := published.get(entry["loc"])):
                entry["lastmod"] = date  # an article's first version: is_current() compares it the same
    return sitemap.type == "sitemapindex", entries


def news_dates(body: bytes) -> dict[str, str]:
    """loc -> <news:publication_date> of a Google News sitemap's entries."""
    dates = {}
    root = etree.fromstring(body, _XML)
    for url in _NEWS_ENTRIES(root) if root is not None else ():
        fields = {el.tag.rpartition("}")[2]: (el.text or "").strip() for el in url.iter() if isinstance(el.tag, str)}
        if fields.get("loc") and fields.get("publication_date"):
            dates[fields["loc"]] = fields["publication_date"]
    return dates
