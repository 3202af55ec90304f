"""Listings a script fills from JSON (an ``amp-list``'s ``src``, a "Charger plus" button's
data URL): any JSON object or list whose strings name the site's articles, whatever its keys.

A string that is a URL is a link; one that holds HTML (a load-more endpoint's rendered
entries) is read as a page; a URL under a key that says "next" or "more" (``next``,
``next_page_url``, AMP's ``load-more-src``) is the next page, and a value that is no URL under
such a key (``next_cursor``, ``next_page: 3``) is the next page's parameter. These links go
through the same rules as a page's (listings.PageLinks).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from .listings import PageLinks

_NEXT_KEY = re.compile(r"next|more|cursor", re.IGNORECASE)  # but not has_more, more_count: no URL, no text
_FLAG_KEY = re.compile(r"^(?:has|is|show|total|count)|count$|total$", re.IGNORECASE)
_HTML = etree.HTMLParser(no_network=True, recover=True)
_LAST_PAGE = ("lastpage", "totalpages", "pages", "maxnumpages", "pagecount", "numpages")


def json_listing(body: bytes) -> dict | list | None:
    """The JSON object or list a listing URL answered, whatever its Content-Type; None for what is no JSON."""
    text = body.lstrip()
    if text[:1] not in (b"{", b"["):
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested thousands deep, a hostile answer
        return None
    return data if isinstance(data, (dict, list)) else None


def json_links(data: Any, url: str) -> PageLinks:
    """The links of a JSON listing answered at *url*, as a page's: every URL and every link of its
    HTML strings are entries; its next page as the JSON says it (a URL, else a cursor or a number)."""
    hrefs: list[str] = []
    named: list[str] = []
    loaded: list[str] = []
    for key, value in _leaves(data):
        if isinstance(value, str) and "<" in value:
            fragment = PageLinks.of(etree.fromstring(f"<div>{value}</div>", _HTML))
            hrefs += fragment.hrefs
            named += fragment.named_next
            loaded += fragment.loaded
        elif isinstance(value, str) and value.strip().startswith(("/", "http://", "https://")):
            hrefs.append(value.strip())  # under "read_more" too: an article is no next page (next_page())
            if key and _NEXT_KEY.search(key):
                named.append(value.strip())
        elif key and _NEXT_KEY.search(key) and not _FLAG_KEY.search(key) and _is_token(value):
            named.append(_with_parameter(url, key, str(value)))
    if not named and (following := _next_number(data, url)):
        named.append(following)
    return PageLinks(hrefs, hrefs, named, loaded)


def _next_number(data: Any, url: str) -> str | None:
    """The next page by number: ``{"page": 2, "has_more": true}``, ``{"current_page": 2, "last_page": 5}``
    (at the top or in a ``meta``/``pagination`` object) -> *url* with ``page=3``; None on the last page."""
    for box in [data, *(data.values() if isinstance(data, dict) else ())]:
        if not isinstance(box, dict):
            continue
        fields = {re.sub(r"[_-]", "", str(k)).lower(): v for k, v in box.items()}
        page = next((fields[k] for k in ("page", "currentpage", "paged") if type(fields.get(k)) is int), None)
        last = next((fields[k] for k in _LAST_PAGE if type(fields.get(k)) is int), None)
        if page is not None and (fields.get("hasmore") is True or (last is not None and page < last)):
            name = next((k for k, _ in parse_qsl(urlsplit(url).query) if k in ("page", "paged")), "page")
            return _with_parameter(url, name, str(page + 1))
    return None


def _leaves(data: Any, key: str | None = None):
    """(the key it is under, value) of every scalar in *data*, depth first."""
    if isinstance(data, dict):
        for name, value in data.items():
            yield from _leaves(value, str(name))
    elif isinstance(data, list):
        for value in data:
            yield from _leaves(value, key)
    else:
        yield key, data


def _is_token(value: Any) -> bool:
    """A cursor or a page number: a short string or a number, not a flag."""
    if isinstance(value, bool) or value is None:
        return False
    return isinstance(value, int) or (isinstance(value, str) and 0 < len(value) < 200 and " " not in value)


def _with_parameter(url: str, key: str, value: str) -> str:
    """*url* asking for *value*: ``next_page: 3`` sets ``page=3``, ``next_cursor: "x"`` sets ``cursor=x``
    (the parameter the URL already has of that name, or a new one)."""
    name = re.sub(r"^next[_-]?|[_-]?next$", "", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", key), flags=re.IGNORECASE)
    name = name.lower() or "cursor"
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(k.lower() == name for k, _ in query):
        query = [(k, value if k.lower() == name else v) for k, v in query]
    else:
        query.append((name, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))
