"""Article extraction: a pure function of a response.

``parse_article(response)`` picks the parser of the page's layout and returns an
:class:`~tmvspider.items.ArticleItem`, or None for a page that is not an article.
"""

from __future__ import annotations

from ..items import ArticleItem
from .base import ArticleParser
from .current import CurrentParser
from .legacy import LegacyParser

PARSERS: tuple[type[ArticleParser], ...] = (CurrentParser, LegacyParser)


def parser_for(response) -> type[ArticleParser] | None:
    if not hasattr(response, "selector"):  # not text: an image, a PDF …
        return None
    doc = response.selector.root
    return next((p for p in PARSERS if p.matches(doc)), None)


def parse_article(response, root: str | None = None, crawled_at: str | None = None) -> ArticleItem | None:
    parser = parser_for(response)
    if parser is None:
        return None
    item = parser(response, root=root, crawled_at=crawled_at).parse()
    return item if item.get("title") else None


__all__ = ["PARSERS", "parse_article", "parser_for"]
