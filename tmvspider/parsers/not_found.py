"""A "soft 404": a page served with status 200 that says there is no such page. No article,
and no failure either: asking again would get the same answer (outcome.PERMANENT's 404)."""

from __future__ import annotations

import re

from lxml import etree

# the headline or title of a page that says no page was found ("Page introuvable", "Erreur 404" …)
NOT_FOUND = re.compile(
    r"page (?:introuvable|non trouv[ée]e|inexistante|not found)|(?:erreur|error)\s*404|404\s*(?:error|erreur|not found)"
    r"|\(404\)|^404$|page\b.{0,40}\bn['’]existe (?:pas|plus)|^not found$",
    re.IGNORECASE,
)
_HEADLINES = etree.XPath("(//title | //h1)[position() <= 3]")


def says_not_found(doc) -> bool:
    """Whether the page's ``<title>`` or first headline says there is no such page."""
    if doc is None:
        return False
    for el in _HEADLINES(doc):
        text = " ".join("".join(el.itertext()).split())
        # a site's name after the title: "Page introuvable - tmv Tours", "404 | tmv"
        if NOT_FOUND.search(text) or NOT_FOUND.search(re.split(r"\s+[-|–—]\s+", text)[0]):
            return True
    return False
