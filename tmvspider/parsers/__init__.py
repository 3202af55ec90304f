"""Article extraction: a pure function of a response.

``parse_article(response)`` picks the parser of the page's layout (a known one, else
the theme-free reader) and returns an :class:`~tmvspider.items.ArticleItem`, or None
for a page that is not an article.
"""

from __future__ import annotations

from ..items import ArticleItem
from .base import ArticleParser
from .current import CurrentParser
from .generic import GenericParser
from .legacy import LegacyParser
from .readers import first

# The known layouts first (their selectors are the fast path), the theme-free reader last.
PARSERS: tuple[type[ArticleParser], ...] = (CurrentParser, LegacyParser, GenericParser)


def parser_for(response) -> type[ArticleParser] | None:
    if not hasattr(response, "selector"):  # not text: an image, a PDF …
        return None
    doc = response.selector.root
    parser = next(p for p in PARSERS if p.matches(doc))
    if parser is GenericParser and any(p.refuse and first(doc, p.refuse) is not None for p in PARSERS):
        return None  # no layout's article, but a layout knows the page for what it is: no article
    return parser


def read_article(response, hosts=None, crawled_at: str | None = None) -> tuple[ArticleParser | None, ArticleItem | None]:
    """(the parser that read *response*, its item or None for a page that is not an article)."""
    parser_class = parser_for(response)
    if parser_class is None:
        return None, None
    parser = parser_class(response, hosts=hosts, crawled_at=crawled_at)
    item = parser.parse()
    return parser, item if parser.is_article(item) else None


def parse_article(response, hosts=None, crawled_at: str | None = None) -> ArticleItem | None:
    return read_article(response, hosts, crawled_at)[1]


__all__ = ["PARSERS", "parse_article", "parser_for", "read_article"]
