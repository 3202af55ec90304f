"""What both layouts share: one small method per field, over the readers (metadata, blocks, visible).

A layout parser (legacy.py, current.py) only names its selectors (CSS, compiled
once); a method is overridden where a layout really reads a field differently.
Each field method returns its candidates, most reliable source first; the loader
(loaders.py) normalises them.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from .. import urls
from ..items import ESSENTIAL, FIELDS, ArticleItem
from ..loaders import ArticleLoader
from ..outcome import failure_detail
from ..processors import Settled, join_names, make_image, settle_dates, split_keywords, utc_now
from . import blocks, bylines, labels, metadata, related, visible
from .blocks import text
from .metadata import css, first

_IMAGES = {"img", "amp-img"}


@dataclass(frozen=True)
class FieldError:
    """A field reader that raised: what it said, in one line, and the traceback (text: the
    exception itself would keep the page's tree alive through its frames)."""

    said: str  # "ValueError: odd value"
    traceback: str

    @classmethod
    def of(cls, error: Exception) -> FieldError:
        detail = failure_detail(error)
        return cls(
            f"{type(error).__name__}{': ' + detail if detail else ''}", "".join(traceback.format_exception(error))
        )


class ArticleParser:
    """A layout's parser: its selectors (CSS) are the fast, precise path; every field falls
    back to what a reader sees (visible.py) where they find nothing, so that a redesign of
    the markup loses speed, not articles."""

    name: str = ""  # told by the probe: which parser read a page
    # selectors each layout names (CSS)
    detect: str = ""  # present on an article page of this layout, absent elsewhere
    refuse: str = ""  # present on a page of this layout that is no article (a static page, an attachment)
    title_css: str = ""
    byline_css: str = ""
    lead_css: str = ""
    image_css: str = ""  # the main image's container: an <img> and its caption
    bare_image_css: str = ""  # an image with no caption box, when the page has no such box
    caption_css: str = ""
    body_css: str = ""
    tags_css: str = ""
    categories_css: str = ""
    author_css: str = ""
    published_css: str = ""  # <time> elements with a datetime attribute
    modified_css: str = ""
    skip_classes: frozenset[str] = frozenset()  # the layout's classes of blocks in its body that are no text
    # of an image's srcset, the largest candidate rather than the first (tmv's layouts list the
    # original upload first; other themes order theirs as they like)
    largest_source: bool = False
    ad_class: str = ""  # the layout's class of an ad slot (the theme-free reader tells ads by their script)

    def __init__(self, response, hosts: frozenset[str] | None = None, crawled_at: str | None = None, doc=None):
        self.response = response
        self.doc = response.selector.root if doc is None else doc  # the lxml document
        self.title_element = first(self.doc, self.title_css)
        if self.title_element is None:
            self.title_element = visible.headline(self.doc)
        self.body_element = self._body()
        self.article = self._container()
        self.hosts = hosts  # the site's hosts when crawling; None for a page on its own
        self.field_errors: dict[str, FieldError] = {}  # the fields whose reader raised (parse())
        self.crawled_at_value = crawled_at or utc_now()
        self.head = metadata.head(self.doc)
        self.byline_element = first(self.article, self.byline_css)
        self.byline = bylines.read(text(self.byline_element))
        if not self.byline.get("published"):  # no byline where the layout puts it: wherever it stands
            self.byline_element, line = self._visible_byline
            self.byline = bylines.read(line)

    @cached_property
    def _related_heading(self):
        """The title of the "Vous aimerez aussi" block, or None."""
        return related.related_heading(self.doc, self.response.text)

    @cached_property
    def ld(self) -> dict:
        """The page's JSON-LD article object (read when a field asks for it)."""
        return metadata.json_ld(self.doc)

    @cached_property
    def _visible_byline(self) -> tuple[object | None, str | None]:
        """The byline wherever it stands (visible.py): its element (the block around it when
        that holds the byline alone) and its text."""
        start, block, line = visible.byline(self.doc, self.title_element, self._related_heading)
        if start is None:  # no "Publié le": a line of dates near the headline
            start, block, line = bylines.find(self.title_element, self._related_heading)
        return (block if block is not None and len(line or "") <= 300 else start), line

    def _body(self):
        """The article's text: the layout's body element (in the title's <article> or
        <main>, else the page), else the block holding most of the paragraphs after the title."""
        if self.body_css:
            scopes = (
                [a for a in self.title_element.iterancestors("article", "main")]
                if self.title_element is not None
                else []
            )
            for scope in [*scopes, self.doc]:
                if (body := first(scope, self.body_css)) is not None:
                    return body
        return visible.main_text(self.doc, self.title_element, self._visible_byline[0])

    def _container(self):
        """Where the queries run: the nearest <article> or <main> around the title that also
        holds the body (a title in a header before the article, an inner <article> around
        the title alone), else the whole page. Not the first <article> of the page: related
        cards can be articles too."""
        title, body = self.title_element, self.body_element
        if title is not None and body is not None:
            for element in title.iterancestors("article", "main"):
                if any(a is element for a in body.iterancestors()):
                    return element
        return self.doc

    @classmethod
    def matches(cls, doc) -> bool:
        """Its article's markup, byline included: another theme built on the same WordPress
        classes (``article#post-N``, ``h1.entry-title``) but dating its posts elsewhere is no
        page of this layout."""
        return first(doc, cls.detect) is not None and (not cls.byline_css or first(doc, cls.byline_css) is not None)

    def is_article(self, item) -> bool:
        """A headline and a publication date, read or at least shown (a byline whose date
        cannot be read is an article missing its date: counted, not ignored). Not when a field
        an article cannot go without broke."""
        if ESSENTIAL & self.field_errors.keys():
            return False
        shown = any(self.published_at()) or self.byline.get("published")
        return bool(item.get("title")) and bool(item.get("published_at") or shown)

    # ------------------------------------------------------------ the item

    def parse(self) -> ArticleItem:
        """The item: each field's candidates (one method per field, named after it), most
        reliable first, handed to the loader (loaders.py), which normalises them. A field
        whose reader raises on an odd page is left empty and kept in ``field_errors``: it
        costs that field, not the article. Markup nested too deep to read
        (RecursionError) costs the page: the spider counts it as a failure."""
        loader = ArticleLoader()
        for field in FIELDS:
            try:
                loader.add_value(field, getattr(self, field)())
            except RecursionError:
                raise
            except Exception as error:  # any bug of one reader on one odd page
                self.field_errors[field] = FieldError.of(error)
        item = loader.load_item()
        if disagreements := {
            f: ["structured data", d.disagreement[0], "the byline", d.disagreement[1]]
            for f, d in self._dates.items()
            if d.disagreement
        }:
            item["disagreements"] = disagreements  # told by ValidationPipeline, not exported
        return item

    # ------------------------------------------------------------ one method per field

    def _canonical(self, href: str) -> str | None:
        return urls.resolve(href, self.response.url)

    @cached_property
    def _fetched(self) -> str:
        fetched = self._canonical(self.response.url)
        assert fetched is not None  # canonical() fails only on a port that is no number: never fetched
        return fetched

    @cached_property
    def _site(self) -> frozenset[str]:
        """The site's hosts: the crawl's, else the fetched page's, or for a page saved to a
        file (``-a url=file://…``) the host its canonical link names (with tmv's hosts)."""
        if self.hosts:
            return self.hosts
        fetched = urlsplit(self._fetched)
        host = fetched.netloc
        if fetched.scheme == "file" and (href := self.head.get("canonical")):
            canonical = self._canonical(href) or ""
            host = urlsplit(canonical).netloc if urls.is_http_url(canonical) else ""
        return frozenset({host}) | urls.SITE_HOSTS

    def _on_site(self, url: str) -> bool:
        """*url* (canonical) is on the site."""
        return urlsplit(url).netloc in self._site

    def url(self) -> str:
        return self._url

    def post_id(self) -> str | None:
        return metadata.post_id(self.doc, self.head, self.title_element)

    def crawled_at(self) -> str:
        return self.crawled_at_value

    @cached_property
    def _url(self) -> str:
        """``<link rel=canonical>`` when it points at the same site, else the fetched URL
        (read once: the related links are checked against it too)."""
        href = self.head.get("canonical")
        candidate = self._canonical(href) if href else None
        if candidate and urls.is_http_url(candidate) and self._on_site(candidate):
            return candidate
        return self._fetched

    def title(self) -> list:
        if shown := text(self.title_element):
            return [shown]  # what a reader sees first; the rest only when it is missing
        return [
            metadata.ld_text(self.ld.get("headline")),
            self.head.get("og:title"),
            metadata.page_title(self.doc, self.head),
        ]

    def lead(self) -> str | None:
        return text(self._lead_element)

    @cached_property
    def _lead_element(self):
        if (found := first(self.article, self.lead_css)) is not None:
            return found
        start = self.byline_element  # a byline after the text (a theme's footer) starts nothing
        if start is None or (self.body_element is not None and visible.follows(start, self.body_element)):
            start = self.title_element
        found = visible.lead(start, self.body_element, (self._image[2],))
        if found is None and start is self.byline_element and not self.lead_css:  # above the byline
            found = visible.lead(self.title_element, self.body_element, (self._image[2],), until=start)
        if found is None and self.body_element is not None and not self.body_css:
            found = visible.opening_lead(self.body_element)
        return found

    def author(self) -> list:
        """The byline's name after "Par" (its author links, else its text); JSON-LD's author,
        often the publishing account rather than the journalist, only when the byline has none."""
        shown = [join_names(self._links_text(self.author_css)), self.byline.get("author")]
        return shown if any(shown) else [metadata.ld_names(self.ld.get("author"))]

    def _datetimes(self, selector: str) -> list[str]:
        return [el.get("datetime") for el in css(selector)(self.article)] if selector else []

    @cached_property
    def _byline_times(self) -> tuple[list[str], list[str]]:
        """``<time datetime>`` in the visible byline, when the layout names none: (published,
        modified), told apart by the words before each ("Mis à jour le", "Modifié le") or
        what the element says of itself (``class``, ``itemprop``)."""
        if self.published_css or self.byline_element is None:
            return [], []
        published: list[str] = []
        modified: list[str] = []
        for el in self.byline_element.iter("time"):
            if value := el.get("datetime"):
                (modified if visible.says_modified(el) else published).append(value)
        return published[:1], modified[:1]

    @cached_property
    def _dates(self) -> dict[str, Settled]:
        """published_at and modified_at: the structured data (the layout's and the byline's
        ``<time datetime>``, JSON-LD, meta) held against the byline's text (settle_dates)."""
        return {
            "published_at": settle_dates(
                [
                    *self._datetimes(self.published_css),
                    *self._byline_times[0],
                    metadata.ld_text(self.ld.get("datePublished")),
                    self.head.get("article:published_time"),
                    self.head.get("datePublished"),
                    *self._other_dates[0],
                ],
                self.byline.get("published"),
            ),
            "modified_at": settle_dates(
                [
                    *self._datetimes(self.modified_css),
                    *self._byline_times[1],
                    metadata.ld_text(self.ld.get("dateModified")),
                    self.head.get("article:modified_time"),
                    self.head.get("dateModified"),
                    *self._other_dates[1],
                ],
                self.byline.get("modified"),
            ),
        }

    @property
    def _other_dates(self) -> tuple[list[str], list[str]]:
        """(published, modified) from other structured data the reader knows (GenericParser)."""
        return [], []

    def published_at(self) -> list:
        return self._dates["published_at"].candidates

    def modified_at(self) -> list:
        return self._dates["modified_at"].candidates

    def _links_text(self, selector: str) -> list[str | None]:
        return [text(a) for a in css(selector)(self.article)] if selector else []

    @cached_property
    def _labelled(self) -> dict:
        return labels.labelled(self.doc, self.title_element)

    def _labelled_text(self, name: str) -> list[str | None]:
        return list(self._labelled.get(name, (None, []))[1])

    def categories(self) -> list:
        return (
            self._links_text(self.categories_css)
            or self._labelled_text("categories")
            or split_keywords(self.ld.get("articleSection"))
        )

    def tags(self) -> list:
        return self._links_text(self.tags_css) or self._labelled_text("tags") or split_keywords(self.ld.get("keywords"))

    @cached_property
    def _image(self) -> tuple[str | None, str | None, object | None, str | None]:
        """(address, caption, the box around them, a credit in an element of its own): the first captioned image box of the
        layout (``image_css``) with an image, else its first bare image (``bare_image_css``),
        none inside an ad slot; else the first image after the title (visible.py)."""
        for selector in (self.image_css, self.bare_image_css):
            for box in css(selector)(self.article) if selector else ():
                if self._in_ad(box):
                    continue
                img = box if box.tag in _IMAGES else first(box, "img, amp-img")  # amp-img: an AMP copy
                src = metadata.image_source(img, self.largest_source) if img is not None else None
                if src:
                    caption = text(first(box, self.caption_css)) if img is not box else None
                    return src, caption, box, None
        img, box = visible.image(self.title_element, self.body_element, self._in_ad)
        src = metadata.image_source(img, self.largest_source) if img is not None else None
        if not src:
            return None, None, None, None
        caption, credit = visible.caption_text(box, img) if box is not None else (None, None)
        return src, caption, box, credit

    def image(self) -> dict | None:
        src, caption, _, credit = self._image
        return make_image(urljoin(self.response.url, src), caption, credit) if src else None

    def _in_ad(self, el) -> bool:
        """Inside an ad slot of the article (the page's own classes do not count)."""
        for ancestor in el.iterancestors():
            if ancestor is self.article or ancestor.tag == "body":
                return False
            if self.ad_class and self.ad_class in (ancestor.get("class") or "").split():
                return True
        return False

    def body(self) -> list:
        return self._blocks

    def interview(self) -> list:
        return self._blocks  # the loader reads the questions and answers off the body's blocks

    @cached_property
    def _blocks(self) -> list:
        body = self.body_element
        if body is None:
            return []
        skip = [
            el for el in (self.title_element, self._lead_element, self._image[2], self.byline_element) if el is not None
        ]
        skip += [label for label, _ in self._labelled.values()] if not self.body_css else []
        return blocks.body_blocks(body, self.skip_classes, skip, self._article_link)

    def _article_url(self, href: str) -> str | None:
        """The canonical address of another article of the site that *href* names, or None."""
        url = self._canonical(href)
        return (
            url if url is not None and url != self._url and urls.kind(url) == "article" and self._on_site(url) else None
        )

    def _article_link(self, href: str) -> bool:
        """*href* names another article of the site."""
        return self._article_url(href) is not None

    def related(self) -> list[str]:
        """The articles linked after the title of the related block (related.py)."""
        heading = self._related_heading
        if heading is None:
            heading = related.title_after_text(self.body_element, self._article_link)
        return related.links_after(heading, self._article_url, self.ad_class)
