"""What a tmv URL is, and its one canonical spelling.

Every link goes through :func:`canonical` before the spider thinks of making a
request, so that the same article reached through a sidebar (``?utm_source=``),
a comment link (``#respond``, ``?replytocom=``), an AMP copy or the older host
is one URL, fetched once.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Hosts of the live site: the older years live on tmv.tmvtours.fr, same paths.
SITE_HOSTS = frozenset({"www.tmvtours.fr", "tmvtours.fr", "tmv.tmvtours.fr"})

# tracking and comment parameters; relatedposts_*: WordPress's (Jetpack) related posts
_TRACKING = re.compile(r"^(utm_\w*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|replytocom|relatedposts_\w+)$", re.I)

ARTICLE = re.compile(r"^/article/(?!tag/|author/|\d{4}/)[^/]+/$")
AMP = re.compile(r"^(/article/(?!tag/|author/|\d{4}/)[^/]+/)amp/?$")
HOME = re.compile(r"^/(?:page/\d+/)?$")
ARCHIVE = re.compile(r"^/article/\d{4}/\d{2}/(?:page/\d+/)?$")


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def root_of(url: str) -> str:
    """``scheme://host[:port]`` of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def canonical(url: str, root: str | None = None) -> str | None:
    """Fragment, tracking and comment parameters removed, AMP copies folded into
    their page, and (when *root* is given: a crawl) the site's other hosts moved under
    *root*. None for a link that is no URL at all (``http://[oops/``)."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    scheme, netloc = parts.scheme.lower(), parts.netloc.lower()
    if root and netloc in SITE_HOSTS:
        scheme, netloc = urlsplit(root)[:2]
    path = parts.path or "/"
    if amp := AMP.match(path):
        path = amp.group(1)
    query = parts.query
    if query:
        query = urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
                           if not _TRACKING.match(k)])
    return urlunsplit((scheme, netloc, path, query, ""))


def resolve(href: str, base: str, root: str | None = None) -> str | None:
    """A link *href* found on page *base*, absolute and canonical; None if it is no URL."""
    try:
        return canonical(urljoin(base, href), root)
    except ValueError:
        return None


def same_site(url: str, root: str) -> bool:
    """Whether *url* (already canonical under *root*) lies on the site rooted at *root*."""
    return url == root or url.startswith(root + "/")


def kind(url: str) -> str | None:
    """'article', 'home' or 'archive' for the pages discovery follows, else None."""
    parts = urlsplit(url)
    if parts.query:
        return None
    for name, pattern in (("article", ARTICLE), ("home", HOME), ("archive", ARCHIVE)):
        if pattern.match(parts.path):
            return name
    return None


_PAGE = re.compile(r"page/(\d+)/$")


def listing_series(url: str) -> str:
    """The listing a paginated page belongs to: ``…/page/3/`` -> ``…/``."""
    return _PAGE.sub("", url)


def page_number(url: str) -> int:
    """A listing page's number in its series: ``…/page/3/`` -> 3, the first page 1."""
    found = _PAGE.search(url)
    return int(found.group(1)) if found else 1
