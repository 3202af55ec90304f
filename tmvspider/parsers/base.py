"""What both layouts share: one small method per field, over the readers.

A layout parser (legacy.py, current.py) only names its selectors; a method is
overridden where a layout really reads a field differently.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from parsel import Selector

from .. import urls
from ..items import ArticleItem
from ..loaders import ArticleLoader
from ..processors import make_image, split_keywords, utc_now
from . import readers


class ArticleParser:
    layout: str = ""
    # selectors each layout names (CSS)
    detect: str = ""  # present on an article page of this layout, absent elsewhere
    title_css: str = ""
    byline_css: str = ""
    lead_css: str = ""
    image_css: str = ""  # the main image's container: an <img> and its caption
    caption_css: str = ""
    body_css: str = ""
    tags_css: str = ""
    categories_css: str = ""
    author_css: str = ""
    published_css: str = ""  # <time> elements with a datetime attribute
    modified_css: str = ""

    def __init__(self, response, root: str | None = None, crawled_at: str | None = None):
        self.response = response
        self.sel: Selector = response.selector
        self.root = root  # the site's root when crawling; None for a page on its own
        self.crawled_at = crawled_at or utc_now()
        self.ld = readers.json_ld(self.sel)
        self.byline = readers.byline(" ".join(self.sel.css(self.byline_css).xpath("string()").getall()))

    @classmethod
    def matches(cls, sel: Selector) -> bool:
        return bool(sel.css(cls.detect))

    # ------------------------------------------------------------ the item

    def parse(self) -> ArticleItem:
        loader = ArticleLoader()
        loader.add_value("url", self.url())
        loader.add_value("post_id", readers.post_id(self.sel))
        loader.add_value("title", self.title())
        loader.add_value("lead", self.lead())
        loader.add_value("author", self.author())
        loader.add_value("published_at", self.published())
        loader.add_value("modified_at", self.modified())
        loader.add_value("categories", self.categories())
        loader.add_value("tags", self.tags())
        loader.add_value("image", self.image())
        blocks = self.blocks()
        loader.add_value("body", blocks)
        loader.add_value("interview", blocks)
        loader.add_value("related", self.related())
        loader.add_value("crawled_at", self.crawled_at)
        return loader.load_item()

    # ------------------------------------------------------------ one method per field

    def _canonical(self, href: str) -> str:
        return urls.canonical(urljoin(self.response.url, href), self.root)

    def url(self) -> str:
        """``<link rel=canonical>`` when it points at the same site, else the fetched URL."""
        fetched = self._canonical(self.response.url)
        href = readers.link(self.sel, "canonical")
        if href:
            candidate = self._canonical(href)
            host = urlsplit(candidate).netloc
            if host == urlsplit(fetched).netloc or host in urls.SITE_HOSTS:
                return candidate
        return fetched

    def title(self) -> list:
        return [self.sel.css(self.title_css).xpath("string()").get(),
                readers.ld_text(self.ld.get("headline")),
                readers.meta(self.sel, "og:title")]

    def lead(self) -> str | None:
        return self.sel.css(self.lead_css).xpath("string()").get()

    def author(self) -> list:
        return [readers.ld_text(self.ld.get("author")),
                self.sel.css(self.author_css).xpath("string()").get() if self.author_css else None,
                self.byline.get("author")]

    def published(self) -> list:
        return [*self.sel.css(self.published_css).xpath("@datetime").getall(),
                readers.ld_text(self.ld.get("datePublished")),
                readers.meta(self.sel, "article:published_time"),
                self.byline.get("published")]

    def modified(self) -> list:
        return [*self.sel.css(self.modified_css).xpath("@datetime").getall(),
                readers.ld_text(self.ld.get("dateModified")),
                readers.meta(self.sel, "article:modified_time"),
                self.byline.get("modified")]

    def _links_text(self, css: str) -> list[str]:
        return [a.xpath("string()").get() for a in self.sel.css(css)]

    def categories(self) -> list:
        return self._links_text(self.categories_css) or split_keywords(self.ld.get("articleSection"))

    def tags(self) -> list:
        return self._links_text(self.tags_css) or split_keywords(self.ld.get("keywords"))

    def image(self) -> dict | None:
        box = self.sel.css(self.image_css)
        src = box.css("img").xpath("@src").get() if box else None
        if not src:
            return None
        caption = box.css(self.caption_css).xpath("string()").get()
        return make_image(urljoin(self.response.url, src.strip()), caption)

    def blocks(self) -> list:
        body = self.sel.css(self.body_css)
        return readers.body_blocks(body[0].root) if body else []

    def related(self) -> list[str]:
        hrefs = self.sel.xpath(
            '//*[self::h2 or self::h3 or self::h4][contains(normalize-space(.), "Vous aimerez aussi")]'
            "/following-sibling::*//a/@href").getall()
        return [self._canonical(h) for h in hrefs]
