"""One response of the mirror (`Page`), and the two kinds a site is mostly made of:
HTML pages and permanent redirects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass
class Page:
    """One response body, as the live site would send it (root: ROOT)."""

    status: int
    content_type: str
    charset: str
    body: bytes
    last_modified: datetime | None = None
    location: str | None = None  # redirects (status 301): where to (an absolute URL under ROOT)
    gzipped: bool = False  # a .gz file: the body is gzipped as it is sent (after the root is put in)


def html_page(text: str, charset: str = "utf-8", last_modified: datetime | None = None, status: int = 200) -> Page:
    return Page(status, "text/html", charset, text.encode(charset, errors="xmlcharrefreplace"), last_modified)


def redirect_page(location: str) -> Page:
    body = f'<html><body><a href="{location}">Moved Permanently</a></body></html>'
    return Page(301, "text/html", "utf-8", body.encode(), location=location)
