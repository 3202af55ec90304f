"""WordPress's REST API: where it is, which namespaces answer, its listing of posts page by page,
and each post as the project's record.

Pure readers of what the API answers (headers, bodies, parsed JSON); what to ask for and when is
the spider's decision. A post goes through the readers and the loader the pages go through
(``parsers.blocks``, ``loaders.ArticleLoader``), so that the API and the pages give the same item.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from lxml import etree

from ..loaders import ArticleLoader
from ..parsers.blocks import body_blocks, text
from ..processors import Block, make_image, raw_text

API_REL = "https://api.w.org/"
PER_PAGE_MAX = 100  # WordPress refuses more (rest_invalid_param)
NAMESPACE = "wp/v2"
POSTS_ROUTE = f"{NAMESPACE}/posts"
# Embedded in the listing itself, so that 100 posts cost one request: their authors, terms and
# featured images (``_fields`` would leave ids to look up, a request per term, author and image).
# Naming them leaves out the comments ("replies"), which ``_embed`` alone brings too.
EMBEDS = "author,wp:term,wp:featuredmedia"

_API_LINKS = etree.XPath(
    f"//link[contains(concat(' ', normalize-space(@rel), ' '), ' {API_REL} ')]/@href", smart_strings=False
)
_HTML = etree.HTMLParser(recover=True, encoding="utf-8")
# one link of a Link header: "<https://…/wp-json/>; rel="https://api.w.org/""
_LINK = re.compile(r"<([^>]*)>([^<]*)")
_REL = re.compile(r'\brel\s*=\s*(?:"([^"]*)"|([^\s;,]+))', re.IGNORECASE)
# what WordPress ends an excerpt it cut with ("[…]" by default, "…" or "..." in some themes)
# a shortcode or a tag left open at the end of a cut excerpt, and what follows it
_OPEN_TAIL = re.compile(r"\s*(?:\[[a-z_][\w-]*|<[a-z])[^\[<]*$", re.IGNORECASE)
_CUT_MARK = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)$")


# ---------------------------------------------------------------- finding the API


def json_of(body) -> Any:
    """The JSON value of an answer's body, or None for what is no JSON (an HTML error page)."""
    try:
        return json.loads(body)
    except ValueError:
        return None


def _header_values(headers, name: str) -> list[str]:
    """Every value of a header, as text, from Scrapy's Headers, an email Message (urllib) or a dict."""
    if hasattr(headers, "getlist"):
        values = headers.getlist(name)
    elif hasattr(headers, "get_all"):
        values = headers.get_all(name) or []
    else:
        found = {str(key).lower(): value for key, value in (headers or {}).items()}.get(name.lower())
        values = [] if found is None else found if isinstance(found, list) else [found]
    return [value.decode("latin-1") if isinstance(value, bytes) else str(value) for value in values]


def links(headers, rel: str) -> list[str]:
    """The addresses a response's ``Link`` headers give for *rel*, in their order."""
    found = []
    for value in _header_values(headers, "Link"):
        for url, params in _LINK.findall(value):
            rels = _REL.search(params)
            if rels and rel in (rels[1] or rels[2] or "").split():
                found.append(url.strip())
    return found


def api_root(headers, html=None, base: str = "") -> str | None:
    """The API's root (``…/wp-json/``, or ``…/?rest_route=/`` without pretty permalinks) as
    WordPress announces it: a ``Link: <…>; rel="https://api.w.org/"`` header, else a page's
    ``<link rel="https://api.w.org/" href>`` (*html*: its bytes, text or lxml tree); relative
    addresses resolved against *base*. None when neither names it."""
    for href in links(headers, API_REL):
        return urljoin(base, href)
    if isinstance(html, str | bytes):
        html = fragment(html)
    for href in _API_LINKS(html) if html is not None else ():
        if href.strip():
            return urljoin(base, href.strip())
    return None


def namespaces(index) -> list[str]:
    """The namespaces an API root (``/wp-json/``) lists (``wp/v2``, ``ampize/v1`` …): [] for
    what is not WordPress's index (no JSON, no list)."""
    if isinstance(index, str | bytes):
        index = json_of(index)
    found = index.get("namespaces") if isinstance(index, dict) else None
    return [name for name in found if isinstance(name, str)] if isinstance(found, list) else []


# ---------------------------------------------------------------- the listing of posts


def route_url(root: str, route: str, params: dict) -> str:
    """The address of *route* (``wp/v2/posts``) under an API *root*, with *params*."""
    scheme, host, path, query, _ = urlsplit(root)
    pairs = parse_qsl(query)
    if any(name == "rest_route" for name, _ in pairs):  # ?rest_route=/: the route is a parameter
        pairs = [(n, v.rstrip("/") + "/" + route if n == "rest_route" else v) for n, v in pairs]
    else:
        path = path.rstrip("/") + "/" + route
    return urlunsplit((scheme, host, path, urlencode([*pairs, *params.items()]), ""))


def route_params(url: str, route: str) -> dict[str, str] | None:
    """The parameters of *url* if it asks for *route* under some API root (route_url's inverse:
    ``…/wp-json/wp/v2/posts?page=2`` or ``…/?rest_route=/wp/v2/posts&page=2``), else None."""
    _, _, path, query, _ = urlsplit(url)
    params = dict(parse_qsl(query))
    asked = params.pop("rest_route", path)
    return params if asked.rstrip("/").endswith("/" + route) else None


def posts_url(root: str, page: int = 1, per_page: int = PER_PAGE_MAX, modified_after: datetime | None = None) -> str:
    """Page *page* of the published posts, their author, terms and image embedded. With
    *modified_after* (an aware instant), only the posts changed since, most recently changed
    first; WordPress (5.7 and later) reads the instant's offset, so it is written in UTC."""
    params: dict = {"per_page": per_page, "page": page, "_embed": EMBEDS}
    if modified_after is not None:
        params["modified_after"] = modified_after.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        params["orderby"] = "modified"
    return route_url(root, POSTS_ROUTE, params)


def ids_and_links(entries: list, link: str) -> list[tuple[str, str | None]]:
    """(id, the address under *link*) of each entry of a listing, without reading the entries."""
    return [
        (str(entry["id"]), entry[link] if isinstance(entry.get(link), str) else None)
        for entry in entries
        if isinstance(entry, dict) and entry.get("id")
    ]


def listed_posts(body) -> list[tuple[str, str | None]] | None:
    """(id, link) of each post a page of ``wp/v2/posts`` lists; None for what is no such page."""
    posts = json_of(body)
    return ids_and_links(posts, "link") if isinstance(posts, list) else None


def next_page(headers, page: int) -> int | None:
    """The page after *page*, or None when *page* was the last: ``X-WP-TotalPages`` says how many
    there are, else a ``Link: rel="next"`` that there is one more."""
    total = next(iter(_header_values(headers, "X-WP-TotalPages")), "").strip()
    if total.isdigit():
        return page + 1 if page < int(total) else None
    return page + 1 if links(headers, "next") else None


def past_last_page(status: int, body: bytes) -> bool:
    """WordPress's answer to a page past the last (400 ``rest_post_invalid_page_number``): the
    listing's end (the posts were fewer when the page was asked for), no failure."""
    error = json_of(body) if status == 400 else None
    return isinstance(error, dict) and error.get("code") == "rest_post_invalid_page_number"


# ---------------------------------------------------------------- a post


def fragment(html: str | bytes | None):
    """The ``<body>`` holding an HTML fragment (a rendered field of the API), or None for none."""
    if not html or not (html.strip() if isinstance(html, str) else html.strip()):
        return None
    data = html.encode("utf-8") if isinstance(html, str) else html
    root = etree.fromstring(b"<body>" + data.replace(b"\x00", b"") + b"</body>", _HTML)
    return root.find("body") if root is not None else None


def _rendered(post: dict, field: str) -> str:
    value = post.get(field)
    rendered = value.get("rendered") if isinstance(value, dict) else None
    return rendered if isinstance(rendered, str) else ""


def _instant(post: dict, field: str, zone: ZoneInfo) -> str | None:
    """``date``/``modified`` as an ISO 8601 instant: ``<field>_gmt`` is UTC; without it the
    site's wall clock (``<field>``) in *zone*."""
    gmt, local = post.get(f"{field}_gmt"), post.get(field)
    try:
        if isinstance(gmt, str) and gmt:
            return datetime.fromisoformat(gmt).replace(tzinfo=UTC).isoformat()
        if isinstance(local, str) and local:
            return datetime.fromisoformat(local).replace(tzinfo=zone).isoformat()
    except ValueError:  # "0000-00-00T00:00:00", what an unpublished post can hold
        pass
    return None


def edited(published: str | None, modified: str | None) -> str | None:
    """The modification instant, or None for a post never edited: WordPress writes its
    publication time there, where a page shows no modification date."""
    return None if modified == published else modified


def _embedded(post: dict, relation: str) -> list:
    """What ``_embed`` put under *relation*; an embedded error (a closed ``users`` route) is
    a dict without the fields, which the readers below pass over."""
    embedded = post.get("_embedded")
    found = embedded.get(relation) if isinstance(embedded, dict) else None
    return found if isinstance(found, list) else []


def _terms(post: dict, taxonomy: str) -> list[str | None]:
    return [
        raw_text(term.get("name"))
        for group in _embedded(post, "wp:term")
        if isinstance(group, list)
        for term in group
        if isinstance(term, dict) and term.get("taxonomy") == taxonomy and term.get("name")
    ]


def _author(post: dict) -> str | None:
    authors = [a for a in _embedded(post, "author") if isinstance(a, dict) and a.get("name")]
    return raw_text(authors[0]["name"]) if authors else None


def _image(post: dict) -> dict | None:
    """The featured image: its address, its caption and the credit the caption ends with."""
    media = next(iter(_embedded(post, "wp:featuredmedia")), None)
    if not isinstance(media, dict) or not isinstance(media.get("source_url"), str):
        return None
    return make_image(media["source_url"], text(fragment(_rendered(media, "caption"))))


def _squeezed(value: str) -> str:
    return "".join(value.split())


def made_from_text(excerpt: str, content: str) -> bool:
    """Whether *excerpt* is WordPress's automatic one, made from the post's *text* (both as the
    readers read them): the *content*'s first words followed by the cut mark ("[…]", "…"), or, for a
    text shorter than the excerpt's length (55 words), the whole text and no mark. Compared
    without white space: the excerpt is stripped of tags, the text read block by block."""
    uncut = _CUT_MARK.sub("", excerpt)
    start, whole = _squeezed(uncut), _squeezed(content)
    if not start:
        return True
    if uncut == excerpt:
        return whole == start
    # cut inside a shortcode or a tag printed as text ("[nrm_embed]<iframe src=… […]"): no text of the post
    return whole.startswith(start) or whole.startswith(_squeezed(_OPEN_TAIL.sub("", uncut)))


def lead_of(excerpt_html: str | None, blocks: list[Block], link: str | None = None) -> str | None:
    """The hand-written excerpt; None for WordPress's automatic one (``made_from_text``). A
    theme's "Continue reading" link to the post itself (*link*) is no excerpt text."""
    excerpt = fragment(excerpt_html)
    if excerpt is None:
        return None
    for more in [a for a in excerpt.iter("a") if link and a.get("href") == link]:
        _drop(more)
    lead = raw_text(" ".join(block.text for block in body_blocks(excerpt)))
    if not lead or made_from_text(lead, " ".join(block.text for block in blocks)):
        return None
    return lead


def _drop(el) -> None:
    """Remove *el* and its content, keeping the text after it."""
    parent, previous = el.getparent(), el.getprevious()
    if el.tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def is_public_post(post) -> bool:
    """A published post (not a page, a draft, a private or password-protected post). The
    public API lists no draft and no private post, but says so anyway."""
    return (
        isinstance(post, dict)
        and post.get("status") == "publish"
        and post.get("type") == "post"
        and not (post.get("content") or {}).get("protected", False)
    )


def read_post(post: dict, site_timezone: str = "Europe/Paris") -> dict | None:
    """A post of ``/wp/v2/posts?_embed`` as the project's record (items.ArticleItem's fields,
    ``crawled_at`` and ``related`` left empty: the crawl and the page give them), or None for
    what is not a public post (``is_public_post``). Instants come from ``*_gmt`` (UTC), else
    from the site's wall clock in *site_timezone*; the loader writes them in Paris time."""
    if not is_public_post(post):
        return None
    zone = ZoneInfo(site_timezone)
    blocks = body_blocks(content) if (content := fragment(_rendered(post, "content"))) is not None else []
    loader = ArticleLoader()
    values: Iterable[tuple[str, object]] = (
        ("url", post.get("link")),
        ("post_id", post.get("id")),
        ("title", text(fragment(_rendered(post, "title")))),
        ("lead", lead_of(_rendered(post, "excerpt"), blocks, post.get("link"))),
        ("author", _author(post)),
        ("published_at", published := _instant(post, "date", zone)),
        ("modified_at", edited(published, _instant(post, "modified", zone))),
        ("categories", _terms(post, "category")),
        ("tags", _terms(post, "post_tag")),
        ("image", _image(post)),
        ("body", blocks),
        ("interview", blocks),
    )
    for field, value in values:
        loader.add_value(field, value)
    return dict(loader.load_item())
