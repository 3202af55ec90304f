"""Any theme: the page read by what a reader sees and what it says of itself (visible.py,
JSON-LD, meta), with no class name at all. The parser of every page no layout claims."""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .. import urls
from ..processors import join_names, make_image
from . import labels, metadata, visible
from .base import ArticleParser
from .blocks import HEADINGS, in_sidebar, text
from .not_found import NOT_FOUND

_TIMES_AFTER = etree.XPath("following::time[@datetime]")
# WordPress's own marks, whatever the theme and its language: the_tags() and the_category()
# write rel="tag" and rel="category tag", the_author_posts_link() rel="author"
_LINKS_AFTER = etree.XPath("following::a[@href]")
_LINKS = etree.XPath(".//a[@href]")
# "by", "Par", "Auteur :" alone in their element, the name in the next one (a block theme's byline)
_BY_ALONE = re.compile(r"^(?:par|by|de|written by|auteur|author)\s*:?$", re.IGNORECASE)
_TEXTS_AFTER = etree.XPath("following::text()[normalize-space()]")
_NEXT_TEXT = etree.XPath("following::text()[normalize-space()][1]")
_NAME = re.compile(r"^[^\d:|]{2,60}$")
_HEADING_ANCHORS = etree.XPath("//h2//a[@href] | //h3//a[@href] | //h4//a[@href]")
# an og:image the whole site shares: a logo, an icon, a theme's or a plugin's default
_SITE_IMAGE = re.compile(r"/(?:themes?|plugins|assets?|static|icons?)/|logo|default|placeholder|favicon", re.IGNORECASE)
_CHROME_IMAGES = etree.XPath("//header//img | //footer//img | //nav//img")
_ENTRIES = 3  # article links under headings: a listing's entries, not one article's related cards


class GenericParser(ArticleParser):
    name = "theme-free"
    largest_source = True

    @classmethod
    def matches(cls, doc) -> bool:
        return True

    @cached_property
    def _other_dates(self) -> tuple[list[str], list[str]]:
        """(published, modified) from microdata and RDFa (``itemprop``/``property`` datePublished
        and dateModified, their ``content`` or ``datetime``) and Dublin Core meta tags."""
        return metadata.marked_dates(self.doc, self.head, self.response.text)

    @cached_property
    def _times(self) -> tuple[list[str], list[str]]:
        """The first ``<time datetime>`` after the headline outside the sidebar that is the
        publication, and the first that is the modification (it says so in its ``class`` or
        ``itemprop``, or the words before it do: "mis à jour le"); for a theme that dates
        its articles only so, above or below the text."""
        published: list[str] = []
        modified: list[str] = []
        for el in _TIMES_AFTER(self.title_element) if self.title_element is not None else ():
            if in_sidebar(el):
                continue
            kind = modified if visible.says_modified(el) else published
            if not kind:
                kind.append(el.get("datetime"))
            if published and modified:
                break
        return published, modified

    def published_at(self) -> list:
        return [*super().published_at(), *self._times[0]]

    def _own(self, links) -> list:
        """Of *links*, the article's: not the sidebar's, nor past the
        "Vous aimerez aussi" block's title (its cards' own)."""
        end = visible.position(self._related_heading) if self._related_heading is not None else None
        return [a for a in links if not in_sidebar(a) and (end is None or visible.position(a) < end)]

    @cached_property
    def _marked_links(self) -> dict[str | None, list[str]]:
        """The texts of the article's links out of its text, by what they lead to: the site's
        tag, category and author pages by their address, or WordPress's marks whatever the
        theme's labels (``rel="tag"``; a category's says ``rel="category tag"`` or has
        ``/category/`` in its path: block themes write ``rel="tag"`` for both; ``rel="author"``)."""
        if self.title_element is None:
            return {}
        scope = self.article if self.article is not self.doc else None
        links = _LINKS(scope) if scope is not None else _LINKS_AFTER(self.title_element)
        body = self.body_element
        found: dict[str | None, list[str]] = {}
        for a in self._own(links):
            if body is not None and any(ancestor is body for ancestor in a.iterancestors()):
                continue
            rel = a.get("rel", "").split()
            if "tag" in rel:
                category = "category" in rel or "/category/" in urlsplit(a.get("href")).path
                kind: str | None = "category" if category else "tag"
            else:
                kind = "author" if "author" in rel else urls.kind(self._canonical(a.get("href")) or "")
            found.setdefault(kind, []).append(text(a) or "")
        return found

    @property
    def _terms(self) -> tuple[list, list]:
        """(tags, categories) the article's links name; a hashtag's "#" is no part of the tag."""
        return [name.lstrip("#") for name in self._marked_links.get("tag", [])], self._marked_links.get("category", [])

    def tags(self) -> list:
        """The labelled ones, else WordPress's rel="tag" links, else ``#tag`` chips."""
        return (
            super().tags()
            or self._terms[0]
            or (
                [labels.chip_name(a) for a in self._own(labels.chips(self.title_element))]
                if self.title_element is not None
                else []
            )
        )

    def categories(self) -> list:
        """The labelled ones, else the article's links to category pages, else the breadcrumbs'."""
        return (
            super().categories()
            or self._terms[1]
            or labels.breadcrumbs(self.doc, text(self.title_element))
            or metadata.breadcrumb(self.doc)
        )

    def image(self) -> dict | None:
        """The article's image, else its ``og:image`` unless that is the site's default (a
        logo, a theme's file, an image of the page's header or footer)."""
        if (found := super().image()) is not None or not (shared := self.head.get("og:image")):
            return found
        address = urljoin(self.response.url, shared)
        if _SITE_IMAGE.search(urlsplit(address).path):
            return None
        chrome = {urljoin(self.response.url, src) for img in _CHROME_IMAGES(self.doc) if (src := img.get("src"))}
        return None if address in chrome else make_image(address, None)

    def author(self) -> list:
        """The byline's, else WordPress's ``rel="author"`` links after the headline."""
        found = super().author()
        if any(found) or self.title_element is None:
            return found
        linked = join_names(self._marked_links.get("author", []))
        return [linked or self._named_after_label()]

    def _named_after_label(self) -> str | None:
        """The name in the element after a lone "by"/"Par" label, after the headline."""
        for node in _TEXTS_AFTER(self.title_element):
            if not node.is_text or not _BY_ALONE.match(" ".join(node.split())):
                continue
            owner = node.getparent()
            following = _NEXT_TEXT(owner)
            if len(owner) or not following or not self._own([owner]):
                continue  # the label and nothing else in its element
            name = " ".join(following[0].split())
            return name if _NAME.match(name) else None
        return None

    def modified_at(self) -> list:
        return [*super().modified_at(), *self._times[1]]

    def is_article(self, item) -> bool:
        """A headline that says no page was found (a "soft 404", served with status 200) is no
        article. Else a headline, a publication date, and not a listing: a page that links several
        articles under headings (outside its sidebar and its "Vous aimerez aussi" block)
        lists them, whatever dates its entries show, unless its structured data says it
        is an article."""
        if not super().is_article(item) or NOT_FOUND.search(item["title"]):
            return False
        if self.ld.get("datePublished") or self.head.get("article:published_time"):
            return True
        return not self.lists_articles()

    def lists_articles(self) -> bool:
        own = self._url
        end = visible.position(self._related_heading) if self._related_heading is not None else None
        entries = set()
        for a in _HEADING_ANCHORS(self.doc):
            url = self._canonical(a.get("href") or "")
            if (
                url
                and url != own
                and urls.kind(url) in ("article", "post")
                and not in_sidebar(a)
                and (end is None or visible.position(a) < end)
            ):
                entries.add(urls.identity(url))
                if len(entries) >= _ENTRIES:
                    return True
        return False


__all__ = ["GenericParser", "HEADINGS"]
