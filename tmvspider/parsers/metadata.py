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

from ..processors import clean_text, join_names, raw_text

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


# "Publié le … [Modifié le | Mis à jour le …] [Par Name]"
_BYLINE = re.compile(
    r"Publi[ée] le\s+(?P<published>.+?)"
    r"(?:\s+(?:Modifi[ée]|Mis à jour) le\s+(?P<modified>.+?))?"
    r"(?:\s+Par\s+(?P<author>.+?))?\s*$",
    re.IGNORECASE,
)


# what may follow the author's name on the byline's line: "· 3 min de lecture", "| Photo : X"
_AFTER_AUTHOR = re.compile(
    r"\s+(?:[·•|—–]|-\s|\(?(?:temps de lecture|lecture|photos?\s*:|mis en ligne)\b).*$", re.IGNORECASE
)


def byline(text: str | None) -> dict:
    """The visible byline split into published / modified / author texts."""
    text = clean_text(text)
    match = _BYLINE.search(text) if text else None
    if not match:
        return {}
    found = match.groupdict()
    if found.get("author"):
        found["author"] = _AFTER_AUTHOR.sub("", found["author"]) or None
    return found


_LAZY_SOURCES = ("data-src", "data-lazy-src", "data-original")


def image_source(img) -> str | None:
    """The address an image shows: a lazy loader's ``data-src`` (its ``src`` is then a
    placeholder), else ``src``, else the first of ``srcset``; never a ``data:`` placeholder."""
    for name in (*_LAZY_SOURCES, "src", "data-srcset", "srcset"):
        value = (img.get(name) or "").strip()
        if name.endswith("srcset") and value:  # "a.jpg 640w, b.jpg 1280w": the first URL
            value = value.split()[0].rstrip(",")
        if value and not value.startswith("data:"):
            return value
    return None
