"""Article extraction: a pure function of a response.

``parse_article(response)`` picks the parser of the page's layout (a known one, else
the theme-free reader) and returns an :class:`~tmvspider.items.ArticleItem`, or None
for a page that is not an article.
"""

from __future__ import annotations

from lxml import etree
from scrapy.http import TextResponse

from ..items import ArticleItem
from .base import ArticleParser
from .current import CurrentParser
from .generic import GenericParser
from .legacy import LegacyParser
from .metadata import first

# The known layouts first (their selectors are the fast path), the theme-free reader last.
PARSERS: tuple[type[ArticleParser], ...] = (CurrentParser, LegacyParser, GenericParser)


# lxml's own element classes: lxml.html's (what Scrapy's response.selector builds) look each
# element's class up in Python; the readers use nothing of theirs.
_HTML = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)


def document(response):
    """The page's lxml tree, parsed once (as parsel would, less its Python element lookup);
    None for what is no text (an image, a PDF …)."""
    if not isinstance(response, TextResponse):
        return None
    body = response.text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    return etree.fromstring(body, parser=_HTML, base_url=response.url)


def parser_for(response, doc=None) -> type[ArticleParser] | None:
    doc = document(response) if doc is None else doc
    if doc is None:
        return None
    parser = next(p for p in PARSERS if p.matches(doc))
    if parser is GenericParser and any(p.refuse and first(doc, p.refuse) is not None for p in PARSERS):
        return None  # no layout's article, but a layout knows the page for what it is: no article
    return parser


def read_article(
    response, hosts=None, crawled_at: str | None = None
) -> tuple[ArticleParser | None, ArticleItem | None]:
    """(the parser that read *response*, its item or None for a page that is not an article);
    the parser's ``field_errors`` name the fields whose reader raised, left empty."""
    doc = document(response)
    parser_class = parser_for(response, doc)
    if parser_class is None:
        return None, None
    parser = parser_class(response, hosts=hosts, crawled_at=crawled_at, doc=doc)
    item = parser.parse()
    return parser, item if parser.is_article(item) else None


def parse_article(response, hosts=None, crawled_at: str | None = None) -> ArticleItem | None:
    return read_article(response, hosts, crawled_at)[1]


__all__ = ["PARSERS", "parse_article", "parser_for", "read_article"]
