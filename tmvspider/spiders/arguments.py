"""What the spiders take with ``-a``, checked before anything runs: a typo must be one clear
line, never another crawl than the one asked for."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError

from .. import LIVE_ROOT, urls

_TRUE, _FALSE = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")


def truthy(value) -> bool:
    return str(value or "").strip().lower() in _TRUE


def check_arguments(base_url: str = LIVE_ROOT, url: str | None = None, full=None, **others) -> None:
    """Raise UsageError with one clear line for arguments the spider cannot use. Names
    starting with "_" are left to tools (scrapyd's ``_job``)."""
    if unknown := sorted(name for name in others if not name.startswith("_")):
        raise UsageError(
            f"unknown argument {unknown[0]!r}: the tmv spider takes base_url, url and full "
            "(Scrapy's settings go with -s, e.g. -s USER_AGENT=…)"
        )
    given = None if full is None else str(full).strip().lower()
    if given is not None and (not given or given not in _TRUE + _FALSE):  # `-a full=` too
        raise UsageError(f"full takes 1 or 0 (true/false, yes/no, on/off), not {full!r}")
    if not urls.is_http_url(base_url.strip()):
        raise UsageError(f"base_url must be an http(s) URL such as {LIVE_ROOT}, not {base_url!r}")
    if url is not None and not url.replace(",", "").strip():  # `-a url=`: not the whole site
        raise UsageError("url is empty: give the page(s) to read, -a url=URL[,URL…] (http(s):// or file://)")
    for page in pages_of(url):
        if not (urls.is_http_url(page) or page.startswith("file://")):
            raise UsageError(f"url takes http(s):// or file:// URLs separated by commas, not {page!r}")


def pages_of(url: str | None) -> list[str]:
    """The single pages ``-a url=URL[,URL…]`` names."""
    return [u.strip() for u in (url or "").split(",") if u.strip()]


def site_hosts(root: str, pages: Sequence[str] = ()) -> frozenset[str]:
    """The site's hosts (tmv's three, or a mirror's own) and those of single pages."""
    return urls.hosts_of(root) | {urls.host_of(page) for page in pages if urls.is_http_url(page)}


def allowed_domains(hosts: frozenset[str], pages: Sequence[str] = ()) -> list[str]:
    """Scrapy's OffsiteMiddleware's list: the site's hosts; single pages' own hosts instead."""
    names = [urlsplit(page).hostname for page in pages] if pages else [urlsplit(f"//{host}").hostname for host in hosts]
    return sorted({name for name in names if name})
