"""The RSS or Atom feed: where the home page says it is, and the articles it links."""

from __future__ import annotations

from lxml import etree

from .. import urls

# the home page's <link rel="alternate" type="application/rss+xml">
FEED_LINKS = etree.XPath(
    "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')]"
    "[contains(@type, 'rss') or contains(@type, 'atom')]/@href",
    smart_strings=False,
)
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def feed_address(doc, base: str, hosts: frozenset[str]) -> str | None:
    """The site's feed as a page names it (``rel=alternate``), not its comments' feed; None if it names none."""
    for href in FEED_LINKS(doc):
        url = urls.resolve(href, base)
        if url and urls.host_of(url) in hosts and "comments" not in url:
            return url
    return None


def article_links(body: bytes) -> list[str]:
    """The links of a feed's items (RSS) or entries (Atom); [] for what is neither."""
    try:
        root = etree.fromstring(body, _SAFE_XML)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    return [
        href.strip()
        for href in (
            *root.xpath("//item/link/text()", smart_strings=False),
            *root.xpath("//*[local-name()='entry']/*[local-name()='link']/@href", smart_strings=False),
        )
    ]
