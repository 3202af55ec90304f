"""The related block ("Vous aimerez aussi", "À lire aussi", "Sur le même sujet" …): its title,
wherever it stands and whatever its tag, and the articles its cards link."""

from __future__ import annotations

import re
from itertools import islice

from lxml import etree

from ..processors import clean_text
from . import left_out, visible
from .blocks import BLOCK_TAGS, HEADINGS, UNSEEN, element_text, has_links, in_sidebar, text

_LOOK_AFTER_TEXT = 60  # elements after the text that may title its related block
_TITLE = 80
_NAVIGATION = {"navigation", "post-navigation", "nav-links", "nav-previous", "nav-next"}


def _navigation(block) -> bool:
    """The previous and next posts' links (WordPress's classes, or rel=prev/next)."""
    return any(
        _NAVIGATION & set((el.get("class") or "").split()) or (el.get("rel") or "") in ("prev", "next")
        for el in block.iter()
        if isinstance(el.tag, str)
    )


_RELATED_WORDS = etree.XPath(
    '//body//*[text()[contains(translate(., "VOUSAIMERZ", "vousaimerz"), "vous aimerez aussi")]]'
)
_RELATED_TITLE = re.compile(r"vous aimerez aussi\s*[:!.…]*", re.IGNORECASE)
# the block's other titles: "À lire aussi", "Sur le même sujet", "Dans la même rubrique" …
_OTHER_TITLE = re.compile(rf"{left_out.RELATED}\s*[:!.…]*", re.IGNORECASE)
_OTHER_WORDS = etree.XPath(
    "//body//*[text()[contains(translate(., 'LIREAUSVOÊMJTBQDN', 'lireausvoêmjtbqdn'), 'lire aussi') or "
    "contains(translate(., 'LIREAUSVOÊMJTBQDN', 'lireausvoêmjtbqdn'), 'voir aussi') or "
    "contains(translate(., 'LIREAUSVOÊMJTBQDN', 'lireausvoêmjtbqdn'), 'même sujet') or "
    "contains(translate(., 'LIREAUSVOÊMJTBQDN', 'lireausvoêmjtbqdn'), 'même rubrique')]]"
)
_OTHER_HINTS = ("ire aussi", "oir aussi", "ême sujet", "ême rubrique")  # capitals are CSS's, not the page's
# a heading's looser title, when no element has the strict one: "Vous aimerez aussi ces articles"
_RELATED_HEADING = re.compile(r"vous aimerez aussi (?:ces|nos|les|ceux-ci|celui-ci|lire|sur)\b.{0,20}", re.IGNORECASE)


def related_heading(root, page_text: str):
    """The element that titles the "Vous aimerez aussi" block (or "À lire aussi", "Sur le même
    sujet" …: in a heading, or alone in a block of its own), whatever its tag or case:
    the outermost one that holds those words alone (``<header><h3><em>…``), or None.
    A heading first (lxml's walk); any element (an XPath over every text, ~10× dearer)
    only on a page whose *page_text* has the words at all."""

    def candidates():
        yield from root.iter("h2", "h3", "h4", "h5", "h6")
        if "imerez" in page_text or "IMEREZ" in page_text:
            yield from _RELATED_WORDS(root)
        if any(hint in page_text for hint in _OTHER_HINTS):
            yield from _OTHER_WORDS(root)

    # a heading's strict title, a heading's looser one, others, others' other titles
    ranked: dict[int, list] = {1: [], 2: [], 3: []}
    for el in candidates():
        words = clean_text(element_text(el)) or ""
        if in_sidebar(el):
            continue
        heading = el.tag in HEADINGS
        if _RELATED_TITLE.fullmatch(words) or (heading and _OTHER_TITLE.fullmatch(words)):
            if heading:
                return _outermost(el)
            ranked[2].append(el)
        elif heading and _RELATED_HEADING.fullmatch(words):
            ranked[1].append(el)
        elif _OTHER_TITLE.fullmatch(words) and (outer := _outermost(el)).tag in BLOCK_TAGS:
            ranked[3].append(outer)  # a title of its own, not a cross-link's words before its link
    best = ranked[1] or ranked[2] or ranked[3]
    return _outermost(best[0]) if best else None


def _outermost(el):
    """*el*, or the wrapper it stands alone in (``<header><span class=icon></span><h3>…``):
    the other children hold no text and no link."""
    while (
        (parent := el.getparent()) is not None
        and parent.tag != "body"
        and not clean_text(parent.text)
        and not clean_text(el.tail)
        and all(
            child is el
            or not isinstance(child.tag, str)
            or (not has_links(child) and not clean_text(element_text(child)) and not clean_text(child.tail))
            for child in parent
        )
    ):
        el = parent
    return el


def title_after_text(body, article_link):
    """The title of a block of links to other articles after the text *body*, whatever its
    words ("Sur le même sujet", "Dans la même rubrique" …): the first short line with no link
    whose next element links other articles of the site (*article_link* tells their
    addresses: a list, cards); or None."""
    if body is None:
        return None
    for el in islice(visible.elements_after(body), _LOOK_AFTER_TEXT):
        following = el.getnext()  # the cheap tests first: most elements are no such title
        if (
            following is None
            or not isinstance(following.tag, str)
            or el.tag in UNSEEN
            or next(following.iter("a"), None) is None
            or next(el.iter("a"), None) is not None
            or len(words := text(el) or "") > _TITLE
        ):
            continue
        if (
            words
            and not in_sidebar(el)
            and any(article_link(a.get("href")) for a in following.iter("a") if a.get("href"))
            and not _navigation(following)
        ):
            return el
    return None


def links_after(heading, article_url, ad_class: str = "") -> list[str]:
    """The articles linked after the block's title *heading* (a heading or not, in any case),
    wherever the block sits: the elements that follow the title, while they link other
    articles of the site (*article_url* gives their canonical address, else None); share
    links, comments, text or a heading end the block."""
    if heading is None:
        return []
    found: list[str] = []
    intro = True  # one line introducing the list may come first: "Notre sélection :"
    for block in heading.itersiblings():
        if (
            not isinstance(block.tag, str)
            or block.tag in UNSEEN
            or (ad_class and ad_class in (block.get("class") or "").split())
        ):
            continue  # a comment, a script, an ad slot
        if _navigation(block):
            break  # the previous and next posts: no related list
        hrefs = [a.get("href") for a in block.iter("a") if a.get("href")]
        links = [url for url in map(article_url, hrefs) if url]
        line = None if links or hrefs else text(block)
        if links:  # a list, or one card (its own heading included)
            found.extend(links)
        elif hrefs or block.tag in HEADINGS or line:
            if found or hrefs or block.tag in HEADINGS or not (intro and line and line.endswith(":")):
                break  # share or comment links, another heading, text: the block is over
        else:
            continue  # an empty element (a clearing <div>, a <br>) uses no allowance
        intro = False
    return found
