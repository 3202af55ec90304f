"""What a tmv URL is, its one canonical spelling, and the article it names.

The live site spells one article many ways: ``/article/<slug>`` on the www
front-end (no trailing slash), ``/article/<slug>/`` on tmv.tmvtours.fr (the
WordPress site), ``/detail-article/article%252F<slug>`` (the path URL-encoded
twice, or once), an AMP copy ``…/amp/``, ``/?p=<id>``, and every link may carry
tracking parameters or a fragment. Two functions sort that out:

- :func:`canonical`: the URL to request, without fragment and tracking
  parameters, AMP copies folded into their page. Hosts are never folded onto
  one another here: only a page's own ``rel=canonical`` says where it lives.
- :func:`identity`: one key per page whatever the spelling and the host of the
  site (``article:<slug>``, ``post:<id>``, ``page:/article/2015/03/``), so that
  one article is asked for once in a run and exported once across runs.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import url_query_cleaner

# The live site's hosts: www (and the bare domain) is the AMP front-end, tmv. the
# WordPress site of older years. A crawl of one of them may follow links to the others.
SITE_HOSTS = frozenset({"www.tmvtours.fr", "tmvtours.fr", "tmv.tmvtours.fr"})

# tracking and comment parameters; relatedposts_*: WordPress's (Jetpack) related posts
_TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|replytocom|relatedposts_\w+|amp)$", re.I)

# Path segments after /article/ that are listings, not articles.
_RESERVED = r"(?:tag|author|category|page|feed|amp|\d{4})"
_PAGED = r"(?:page/\d+/?)?"
ARTICLE = re.compile(rf"^/article/(?!{_RESERVED}(?:/|$))(?P<slug>[^/]+)(?:/amp)?/?$")
AMP = re.compile(r"^(/article/[^/]+/)amp/?$")  # the slash: /article/le-camp is an article
DETAIL = re.compile(r"^/detail-article/(?P<path>[^/]+)/?$")
_DETAIL_TARGET = re.compile(r"^article/(?P<slug>[^/]+?)/?$")
HOME = re.compile(rf"^/{_PAGED}$")
ARCHIVE = re.compile(rf"^/article/\d{{4}}/\d{{2}}/?{_PAGED}$")
LISTINGS = {
    "home": HOME,
    "archive": ARCHIVE,
    "tag": re.compile(rf"^/article/tag/[^/]+/?{_PAGED}$"),
    "author": re.compile(rf"^/article/author/[^/]+/?{_PAGED}$"),
    "category": re.compile(rf"^/category/[^/]+/?{_PAGED}$"),
}
FEED = re.compile(r"^/feed/?$")
_PAGE_PATH = re.compile(r"page/(\d+)/?$")
_NUMBER = re.compile(r"^\d+$")


def is_http_url(value: str) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def root_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def hosts_of(root: str) -> frozenset[str]:
    """The hosts of the site at *root*: tmv's three for the live site, else *root*'s alone
    (a mirror on 127.0.0.1:8000 is a site of its own)."""
    host = host_of(root)
    return SITE_HOSTS if host in SITE_HOSTS else frozenset({host})


@lru_cache(maxsize=1 << 16)  # sidebars repeat the same links on every page
def canonical(url: str) -> str | None:
    """*url* without fragment and tracking parameters, scheme and host in lower case, an
    AMP copy folded into its page; None for a link that is no URL at all (``http://[oops/``)."""
    try:
        parts = urlsplit(url.strip())
        netloc = parts.netloc.lower()
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
    except ValueError:
        return None
    path = parts.path or "/"
    if amp := AMP.match(path):
        path = amp.group(1)
    url = urlunsplit((parts.scheme.lower(), netloc, path, parts.query, ""))
    tracking = (
        [k for k, _ in parse_qsl(parts.query, keep_blank_values=True) if _TRACKING.match(k)] if parts.query else []
    )
    return url_query_cleaner(url, tracking, remove=True, unique=False) if tracking else url


def resolve(href: str, base: str) -> str | None:
    """A link *href* found on page *base*, absolute and canonical; None if it is no URL."""
    try:
        # an absolute link (nearly all of them) needs no urljoin, which would only reassemble
        # it, and hits canonical()'s cache: sidebars repeat the same links on every page
        return canonical(href if href.startswith(("http://", "https://")) else urljoin(base, href))
    except ValueError:
        return None


def _unquoted(text: str) -> str:
    """Percent escapes undone however many times the text was encoded (``%252F`` -> ``/``)."""
    for _ in range(3):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return text


def article_slug(path: str) -> str | None:
    """The slug of an article path in any of its spellings, or None: percent escapes undone
    (``f%C3%AAte`` is ``fête``) and in lower case, as WordPress writes every slug (sanitize_title):
    ``/article/La-Fete`` is a link to ``/article/la-fete``, never an article of its own."""
    if found := ARTICLE.match(path):
        return _unquoted(found["slug"]).lower()
    if found := DETAIL.match(path):
        target = _DETAIL_TARGET.match(_unquoted(found["path"]))
        if target and "/" not in target["slug"]:
            return target["slug"].lower()
    return None


def _query(url_query: str) -> dict[str, str]:
    return dict(parse_qsl(url_query, keep_blank_values=True))


@lru_cache(maxsize=1 << 16)
def kind(url: str) -> str | None:
    """What a (canonical) URL of the site is: 'article', 'post' (a ``/?p=<id>`` shortlink),
    a listing ('home', 'archive', 'tag', 'author', 'category'), 'feed', or None."""
    parts = urlsplit(url)
    query = _query(parts.query) if parts.query else {}
    if article_slug(parts.path):
        return "article" if not query else None
    if parts.path == "/" and set(query) == {"p"}:
        return "post" if _NUMBER.match(query["p"]) else None
    if query and (set(query) != {"page"} or not _NUMBER.match(query["page"])):
        return None
    for name, pattern in LISTINGS.items():
        if pattern.match(parts.path):
            return name
    if FEED.match(parts.path) and not query:
        return "feed"
    return None


@lru_cache(maxsize=1 << 16)
def identity(url: str) -> str:
    """One key per page of the site whatever its spelling and host: ``article:<slug>``,
    ``post:<id>``, else ``page:<path with a trailing slash>[?query]``."""
    parts = urlsplit(url)
    if slug := article_slug(parts.path):
        return f"article:{slug}"
    query = _query(parts.query) if parts.query else {}
    if parts.path == "/" and "p" in query:
        return f"post:{query['p']}"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return f"page:{path}" + (f"?{parts.query}" if parts.query else "")


def listing_series(url: str) -> str:
    """The listing a paginated page belongs to, as a key: ``…/page/3/`` and ``…?page=3`` -> ``…/``."""
    parts = urlsplit(url)
    path = _PAGE_PATH.sub("", parts.path)
    return urlunsplit(("", "", path if path.endswith("/") else path + "/", "", ""))


def page_number(url: str) -> int:
    """A listing page's number in its series: ``…/page/3/`` or ``…?page=3`` -> 3, the first page 1."""
    parts = urlsplit(url)
    if found := _PAGE_PATH.search(parts.path):
        return int(found.group(1))
    number = _query(parts.query).get("page", "") if parts.query else ""
    return int(number) if _NUMBER.match(number) else 1
