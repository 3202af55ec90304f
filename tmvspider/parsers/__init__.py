"""Article extraction: a pure function of a response.

``parse_article(response)`` picks the parser of the page's layout and returns an
:class:`~tmvspider.items.ArticleItem`, or None for a page that is not an article.
"""

from __future__ import annotations

from ..items import ArticleItem
from .base import ArticleParser
from .readers import document
from .current import CurrentParser
from .legacy import LegacyParser

PARSERS: tuple[type[ArticleParser], ...] = (CurrentParser, LegacyParser)


def parser_for(response, doc=None) -> type[ArticleParser] | None:
    """The parser of the page's layout; None for a page that is not an article."""
    doc = document(response) if doc is None else doc
    if doc is None:
        return None
    return next((p for p in PARSERS if p.matches(doc)), None)


def parse_article(response, root: str | None = None, crawled_at: str | None = None) -> ArticleItem | None:
    doc = document(response)  # parsed here, once
    parser = parser_for(response, doc) if doc is not None else None
    if parser is None:
        return None
    item = parser(response, root=root, crawled_at=crawled_at, doc=doc).parse()
    return item if item.get("title") else None


__all__ = ["PARSERS", "document", "parse_article", "parser_for"]
