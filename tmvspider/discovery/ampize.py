"""The Ampize plugin's API (``/wp-json/ampize/v1/``), which the www front-end reads every article
from: its listing of items page by page, and each item as the project's record.

Pure readers, as discovery.wordpress is for WordPress's own API; the two give the same record.
The plugin writes the site's wall clock (``post_date``, Paris time) labelled ``+0000``
(SITE.md): its instants are read as wall clock in the site's ``timeZone``, never as UTC.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..loaders import ArticleLoader
from ..parsers.blocks import body_blocks, text
from ..processors import make_image, raw_text
from .wordpress import edited, fragment, ids_and_links, json_of, lead_of, route_url

NAMESPACE = "ampize/v1"
ITEMS_ROUTE, SITE_ROUTE = f"{NAMESPACE}/items", f"{NAMESPACE}/site"
PAGE_SIZE = 100  # items asked for at a time (the plugin's own default is 10; it sets no maximum)


def items_url(root: str, start: int = 0, limit: int = PAGE_SIZE) -> str:
    """Items *start* to *start* + *limit* - 1, newest first (the plugin orders by date only)."""
    return route_url(root, ITEMS_ROUTE, {"start": start, "limit": limit})


def site_url(root: str) -> str:
    return route_url(root, SITE_ROUTE, {})


def site_zone(body) -> ZoneInfo | None:
    """The ``timeZone`` ``/ampize/v1/site`` names (``Europe/Paris``), or None when it names none
    usable (an offset such as ``+01:00``, which says nothing of summer time)."""
    site = json_of(body)
    name = site.get("timeZone") if isinstance(site, dict) else None
    try:
        return ZoneInfo(name) if isinstance(name, str) and "/" in name else None
    except (ValueError, ZoneInfoNotFoundError):  # ValueError: a name no zone file may have ("../x")
        return None


def read_items(body) -> tuple[list[dict], int] | None:
    """(the listed items, how many there are in all) from an ``/items`` answer; None for
    what is not the plugin's listing. ``items`` is null past the last item."""
    listing = json_of(body)
    if not isinstance(listing, dict) or "items" not in listing or not isinstance(listing.get("numItems"), int):
        return None
    items = listing["items"] or []
    return ([item for item in items if isinstance(item, dict)] if isinstance(items, list) else []), listing["numItems"]


def listed_items(body) -> list[tuple[str, str | None]] | None:
    """(id, url) of each item an ``/items`` answer lists; None for what is not the plugin's listing."""
    listing = read_items(body)
    return None if listing is None else ids_and_links(listing[0], "url")


def wall_clock(value, zone: ZoneInfo) -> str | None:
    """The plugin's ``2024-03-26T07:27:07+0000`` as the instant it means: 07:27:07 in *zone*."""
    if not isinstance(value, str) or len(value) < 19:
        return None
    try:
        return datetime.fromisoformat(value[:19]).replace(tzinfo=zone).isoformat()
    except ValueError:
        return None


def _names(terms) -> list[str | None]:
    return [raw_text(term.get("name")) for term in terms or () if isinstance(term, dict) and term.get("name")]


def read_item(item: dict, zone: ZoneInfo) -> dict | None:
    """An item of ``/items`` or ``/item/<id>`` as the project's record (``related`` and
    ``crawled_at`` left empty), or None without an id, a URL or a headline."""
    if not (isinstance(item, dict) and item.get("id") and item.get("url") and item.get("headline")):
        return None
    body = fragment(item.get("body") if isinstance(item.get("body"), str) else None)
    blocks = body_blocks(body) if body is not None else []
    description = item.get("description")
    loader = ArticleLoader()
    for field, value in (
        ("url", item["url"]),
        ("post_id", item["id"]),
        ("title", text(fragment(str(item["headline"])))),
        ("lead", lead_of(description, blocks, item["url"]) if isinstance(description, str) else None),
        ("author", raw_text(item["authorName"]) if item.get("authorName") else None),
        ("published_at", published := wall_clock(item.get("datePublished"), zone)),
        ("modified_at", edited(published, wall_clock(item.get("dateModified"), zone))),
        ("categories", _names(item.get("categories"))),
        ("tags", _names(item.get("tags"))),
        ("image", make_image(item["image"], None) if isinstance(item.get("image"), str) else None),
        ("body", blocks),
        ("interview", blocks),
    ):
        loader.add_value(field, value)
    return dict(loader.load_item())


def related_urls(item: dict) -> list[str]:
    """The URLs of ``/item/<id>``'s ``relatedPosts`` (its "Vous aimerez aussi" block)."""
    related = item.get("relatedPosts") if isinstance(item, dict) else None
    return [post["url"] for post in related or () if isinstance(post, dict) and isinstance(post.get("url"), str)]


def next_start(start: int, listed: int, total: int) -> int | None:
    """Where the next page of items starts, or None when this one was the last."""
    following = start + listed
    return following if listed and following < total else None


__all__ = [
    "NAMESPACE",
    "items_url",
    "listed_items",
    "read_item",
    "read_items",
    "related_urls",
    "site_zone",
    "wall_clock",
]
