"""The lists of tags and categories a page names, whatever its theme: the links after a label
("Tags :", "Mots-clés", "Étiquettes", "Rubrique", "Dans", "Tagged", "Categorized as"), ``#tag``
chips, the breadcrumbs ("Accueil › Culture › …", schema.org's BreadcrumbList)."""

from __future__ import annotations

import re

from lxml import etree

from ..processors import clean_text
from . import left_out
from .blocks import SKIP_AND_LINKS as _SKIP_AND_LINKS, element_text, in_sidebar, owner

# a label ends with a colon, or is all its text node holds ("Tagged <a>…", "Dans <a>…")
LABELS = {
    "tags": re.compile(rf"^\s*{left_out.TAGS}\b\s*(?::|$)", re.IGNORECASE),
    "categories": re.compile(rf"^\s*{left_out.CATEGORIES}\b\s*(?::|$)", re.IGNORECASE),
}
# the text nodes that may hold a label: with a colon, picked by libxml2, then by their opening
# words in Python (a predicate on every node's words costs libxml2 ~10x more)
_COLON_TEXTS = etree.XPath("following::text()[contains(., ':')]")
_PAGE_COLON_TEXTS = etree.XPath("//body//text()[contains(., ':')]")
_OPENING = re.compile(rf"\s*(?:{left_out.TAGS}|{left_out.CATEGORIES})\b", re.IGNORECASE)
# a label without a colon is all its text node holds: the short ones
_TEXTS = etree.XPath("following::text()")
_PAGE_TEXTS = etree.XPath("//body//text()")
_BARE = re.compile(rf"\s*(?:{left_out.TAGS}|{left_out.CATEGORIES})\s*$", re.IGNORECASE)


def _colon_labels(doc, title):
    return [t for t in (_COLON_TEXTS(title) if title is not None else _PAGE_COLON_TEXTS(doc)) if _OPENING.match(t)]


def _bare_labels(doc, title):
    return [t for t in (_TEXTS(title) if title is not None else _PAGE_TEXTS(doc)) if len(t) < 40 and _BARE.match(t)]


def is_label(text: str | None) -> bool:
    return text is not None and any(p.match(text) for p in LABELS.values())


def labelled(doc, title=None) -> dict[str, tuple[object, list]]:
    """``{"tags": (label element, [names]), "categories": …}``: the link texts that follow
    the labels "Tags :", "Catégories :" and their like (the first of each after the headline, outside
    the sidebar), in one element with them or in the elements after them; a label followed
    by words and no link names them separated by commas ("Tags : concert, Tours")."""
    found: dict[str, tuple[object, list]] = {}
    _read_labels(_colon_labels(doc, title), found)
    if len(found) < len(LABELS):  # then the labels without a colon: "Tagged <a>…", "Dans <a>…"
        _read_labels(_bare_labels(doc, title), found)
    return found


def _read_labels(nodes, found: dict) -> None:
    for node in nodes:
        name = next((n for n, p in LABELS.items() if p.match(node)), None)
        if name is None or name in found:
            continue
        el = owner(node)
        if el is None or in_sidebar(el):
            continue
        inner = [] if node.is_tail else list(el.iter("a"))
        bare = ":" not in node  # a label without a colon names links, and nothing else
        if bare and inner and not left_out.names_links_only(element_text(el, _SKIP_AND_LINKS)):
            continue
        listed = [] if bare else _listed_after(node)  # "Tags : concert, Tours": the names in its own words
        links = inner or ([] if listed else _links_after(el, node.is_tail))
        names = [clean_text(element_text(a)) for a in links] if links else listed
        if names:
            found[name] = (el, names)
        if len(found) == len(LABELS):
            return


def _listed_after(node) -> list[str]:
    """The names a label gives in its own words: "Tags : concert, Tours, musique"."""
    words = left_out.LABEL.sub("", clean_text(node) or "", count=1)
    return [name for name in map(clean_text, words.split(",")) if name] if len(words) < 300 else []


def _links_after(el, is_tail: bool) -> list:
    """The links a label introduces: inside its element (``<p>Tags : <a>…``), else in the
    elements after it (``<span>Tags :</span> <a>…``, ``<h4>Tags :</h4><ul>…``), up to one
    level up."""
    if not is_tail and (inner := list(el.iter("a"))):
        return inner
    for start in (el, el.getparent()):
        if start is None:
            break
        links: list = []
        for sibling in start.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            anchors = [sibling] if sibling.tag == "a" else list(sibling.iter("a"))
            if is_label(element_text(sibling)):
                break
            if not anchors:
                if links or clean_text(element_text(sibling)):
                    break
                continue
            links.extend(anchors)
        if links:
            return links
    return []


# ---------------------------------------------------------------- chips and breadcrumbs

_CHIPS_AFTER = etree.XPath("following::a[@href][starts-with(normalize-space(.), '#')]")


def chips(title) -> list:
    """The ``#tag`` chips after the headline: links whose text is one hashtag ("#Noël")."""
    return [a for a in _CHIPS_AFTER(title) if left_out.HASHTAG.fullmatch(clean_text(element_text(a)) or "")]


def chip_name(a) -> str:
    return (clean_text(element_text(a)) or "").lstrip("#")


_TRAILS = etree.XPath("//@itemtype[contains(., 'BreadcrumbList')]/..")  # by the attribute: quicker
_HOME_WORDS = ("accueil", "home", "à la une")


def _home_links(doc):
    """The links that read "Accueil" or "Home"."""
    for a in doc.iter("a"):
        words = a.text if a.text and a.text.strip() else element_text(a) if len(a) else ""
        if len(words) < 20 and words.strip().casefold() in _HOME_WORDS[:2] and a.get("href"):
            yield a


_STEP_SEPARATORS = re.compile(r"[›»>/→|]")
_TRAIL_NAMES = re.compile(r"breadcrumb|ariane|fil-d", re.IGNORECASE)


def breadcrumbs(doc, headline: str | None) -> list[str]:
    """The categories a breadcrumb trail names: its steps between the home page and the article
    ("Accueil › Culture › Fêtes › Le titre" gives Culture, Fêtes), from schema.org microdata,
    else a trail of links after a home link (separated by "›", "»", "/" …, or named so by its
    class)."""
    for trail in _TRAILS(doc):
        return _between([clean_text(element_text(n)) for n in trail.iter() if n.get("itemprop") == "name"], headline)
    for home in _home_links(doc):
        trail, links = home.getparent(), [home]
        while trail is not None and trail.tag != "body" and len(links := list(trail.iter("a"))) < 2:
            trail = trail.getparent()  # up to the element holding the next step too
        if trail is None or len(links) < 2 or in_sidebar(home) or not _is_trail(trail):
            continue
        return _between([clean_text(element_text(a)) for a in links[links.index(home) :]], headline)
    return []


def _is_trail(el) -> bool:
    if _STEP_SEPARATORS.search(element_text(el, _SKIP_AND_LINKS)):
        return True
    return any(
        _TRAIL_NAMES.search(f"{a.get('class') or ''} {a.get('id') or ''} {a.get('aria-label') or ''}")
        for a in (el, *el.iterancestors())
        if a.tag != "body"
    )


def _between(names: list, headline: str | None) -> list[str]:
    """The steps of a trail less the home page's and the article's own."""
    names = [n for n in names if n]
    if names and names[0].casefold() in _HOME_WORDS:
        names = names[1:]
    if names and headline and names[-1].casefold() == headline.casefold():
        names = names[:-1]
    return names
