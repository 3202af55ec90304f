"""What a page says about its article in markup: JSON-LD, meta and link tags, the CMS post
id, the byline's parts, an image's address; and the layouts' CSS queries, compiled once.

They take lxml elements (a response's ``selector.root``) and return plain values; the
layout parsers decide which reader serves which field.
"""

from __future__ import annotations

import json
import re
from functools import cache

from cssselect import HTMLTranslator
from lxml import etree

from ..processors import join_names, raw_text

ARTICLE_TYPES = {"NewsArticle", "Article", "BlogPosting", "ReportageNewsArticle"}
_TRANSLATOR = HTMLTranslator()


@cache
def css(selector: str) -> etree.XPath:
    """A CSS selector compiled once into an lxml XPath (parsel would rebuild its wrappers on every call)."""
    return etree.XPath(_TRANSLATOR.css_to_xpath(selector), smart_strings=False)


def first(root, selector: str):
    """The first element matching a CSS *selector* under *root*, or None."""
    found = css(selector)(root) if selector else []
    return found[0] if found else None


# smart_strings=False: plain strings, which do not keep the page's tree alive
_LD_SCRIPTS = etree.XPath('//script[@type="application/ld+json"]/text()', smart_strings=False)
_HEAD_TAGS = etree.XPath("//meta[@content] | //link[@href]")


def _ld_objects(root):
    """Every JSON-LD object of the page, those of a ``@graph`` too, in order."""
    for raw in _LD_SCRIPTS(root):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        candidates = data if isinstance(data, list) else [data]
        for obj in list(candidates):
            if isinstance(obj, dict) and isinstance(obj.get("@graph"), list):
                candidates.extend(obj["@graph"])
        yield from (obj for obj in candidates if isinstance(obj, dict))


def _types(obj: dict) -> set:
    types = obj.get("@type")
    return set(types) if isinstance(types, list) else {types}


def json_ld(root) -> dict:
    """The page's first JSON-LD article object, or {}."""
    return next((obj for obj in _ld_objects(root) if _types(obj) & ARTICLE_TYPES), {})


def breadcrumb(root) -> list[str]:
    """The names a JSON-LD ``BreadcrumbList`` gives between the home page and the page itself
    (the article's sections), or []."""
    for obj in _ld_objects(root):
        if "BreadcrumbList" in _types(obj) and isinstance(items := obj.get("itemListElement"), list):
            names = [ld_text(item.get("name") or item.get("item")) for item in items if isinstance(item, dict)]
            return [name for name in names[1:-1] if name]
    return []


def ld_text(value) -> str | None:
    """A JSON-LD string (entities decoded), or the ``name`` of a JSON-LD object/list."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str):
        return None
    return raw_text(value)


def ld_names(value) -> str | None:
    """JSON-LD people as a French byline reads them: "A", "A et B", "A, B et C"."""
    return join_names(map(ld_text, value if isinstance(value, list) else [value]))


def head(root) -> dict[str, str]:
    """``<meta property|name|itemprop>`` contents (microdata's ``datePublished`` too) and
    ``<link rel>`` targets by name, first one wins (one pass over the document instead of one
    query per value)."""
    found: dict[str, str] = {}
    for el in _HEAD_TAGS(root):
        if el.tag == "meta":
            names = [el.get("property") or el.get("name") or el.get("itemprop") or ""]
            value = el.get("content")
        else:
            names = (el.get("rel") or "").lower().split()
            value = el.get("href")
        for name in names:
            found.setdefault(name, value)
    return found


_TITLE = etree.XPath("//head/title/text()", smart_strings=False)
_TITLE_SEPARATOR = re.compile(r"\s+[|–—·»-]+\s+")


def page_title(root, tags: dict[str, str]) -> str | None:
    """The ``<title>`` less the site's name at either end: the part that is ``og:site_name``
    (or ``application-name``), else the one after the last separator (where sites put it)."""
    found = _TITLE(root)
    title = " ".join(found[0].split()) if found else ""
    cuts = list(_TITLE_SEPARATOR.finditer(title))
    if not cuts:
        return title or None
    site = " ".join((tags.get("og:site_name") or tags.get("application-name") or "").split()).casefold()
    if site and title[: cuts[0].start()].casefold() == site:
        return title[cuts[0].end() :]
    return title[: cuts[-1].start()]


_POST_ID = re.compile(r"(?:^|\D)(\d+)$")
_POSTID_CLASS = re.compile(r"\bpostid-(\d+)")
_BODY = etree.XPath("//body")


def post_id(root, links: dict[str, str], title=None) -> str | None:
    """The CMS post id: the ``id="post-N"`` of an <article> around the *title* (not a
    related card's), ``body.postid-N``, ``body[data-post-id]``, shortlink ``?p=N``."""
    body = _BODY(root)
    body = body[0] if body else None
    body_class = _POSTID_CLASS.search(body.get("class") or "") if body is not None else None
    around = title.iterancestors("article") if title is not None else ()
    own = next((i for a in around if (i := a.get("id") or "").startswith("post-")), None)
    for value in (
        own,
        body_class.group(1) if body_class else None,
        body.get("data-post-id") if body is not None else None,
        (links.get("shortlink") or "").partition("?p=")[2],
    ):
        if value and (match := _POST_ID.search(value)):
            return match.group(1)
    return None


# microdata and RDFa, in the article or its head: <time itemprop="datePublished" datetime>,
# <meta itemprop="dateModified" content>, <span property="datePublished" content>
_MARKED = etree.XPath(  # by their attributes: ~8x quicker in libxml2 than testing every element's
    "//@itemprop[starts-with(., 'date')] | //@property[starts-with(., 'date')]", smart_strings=True
)
_MARKS = {"datePublished": 0, "dateModified": 1}
_MARK_HINTS = (
    '="datePublished',
    "='datePublished",
    "=datePublished",
    '="dateModified',
    "='dateModified",
    "=dateModified",
)
# Dublin Core's names, as pages write them ("DC.date.issued", "dcterms.created", "DCTERMS.created")
_DUBLIN_CORE = {
    spelling: which
    for name, which in (
        ("date.issued", 0),
        ("date.created", 0),
        ("date", 0),
        ("issued", 0),
        ("created", 0),
        ("date.modified", 1),
        ("modified", 1),
    )
    for prefix in ("DC.", "dc.", "DCTERMS.", "dcterms.")
    for spelling in (prefix + name, prefix + name.title())
}


def marked_dates(root, tags: dict[str, str], page_text: str) -> tuple[list[str], list[str]]:
    """(published, modified) from microdata, RDFa (on a page whose *page_text* names them at
    all) and Dublin Core (*tags*: head()), in page order."""
    found: tuple[list[str], list[str]] = ([], [])
    if any(mark in page_text for mark in _MARK_HINTS):  # JSON-LD writes '"datePublished":', not these
        for mark in _MARKED(root):
            if (which := _MARKS.get(mark)) is not None:
                el = mark.getparent()
                found[which].append(el.get("content") or el.get("datetime"))
    if any(name[:2] in ("DC", "dc") for name in tags):  # most pages name none
        for name, which in _DUBLIN_CORE.items():
            if value := tags.get(name):
                found[which].append(value)
    return found


_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original")


def image_source(img, largest: bool = False) -> str | None:
    """The address an image shows: a lazy loader's ``data-src`` or ``data-srcset`` (its ``src``
    is then a placeholder), else ``src``, else ``srcset``'s first (or *largest*) candidate;
    never a ``data:`` placeholder. A ``<picture>`` with no ``<img>``: its sources'."""
    if img.tag == "picture":
        return next(filter(None, (_from_srcset(s.get("srcset"), largest) for s in img.iter("source"))), None)
    for name in (*_LAZY_SOURCES, "data-srcset", "data-lazy-srcset", "src", "srcset"):
        value = (img.get(name) or "").strip()
        if name.endswith("srcset"):
            value = _from_srcset(value, largest) or ""
        if value and not value.startswith("data:"):
            return value
    return None


_CANDIDATE = re.compile(r"[\s,]*(?P<url>\S+?)(?:,*(?=\s|$))(?P<descriptor>[^,]*)")


def _from_srcset(srcset: str | None, largest: bool) -> str | None:
    """Of a ``srcset`` ("a.jpg 640w, b.jpg 1280w", the HTML way: a URL may hold commas), the
    first candidate, or the widest (or densest, "2x")."""
    best, size = None, -1.0
    for match in _CANDIDATE.finditer(srcset or ""):
        url, descriptor = match["url"], match["descriptor"].strip()
        if url.startswith("data:"):
            continue
        if not largest:
            return url
        try:
            width = float(descriptor[:-1]) if descriptor[-1:] in ("w", "x") else 0.0
        except ValueError:
            width = 0.0
        if width > size:
            best, size = url, width
    return best
