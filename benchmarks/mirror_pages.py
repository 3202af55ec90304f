"""The mirror's article pages by layout, for the profiling scripts beside it."""

from collections import defaultdict

from scrapy.http import HtmlResponse

from tmvmirror import build_site
from tmvmirror.site import ROOT


def pages_by_layout(n: int = 2000, seed: int = 1) -> dict[str, list]:
    """layout -> [(URL, Page)] of every article page of a mirror of *n* articles."""
    site = build_site(n, seed=seed)
    rows = defaultdict(list)
    for item in site.expected:
        slug = item["url"].rstrip("/").rsplit("/", 1)[-1]
        rows[site.truth["layouts"][slug]].append((item["url"], site.pages[item["url"].removeprefix(ROOT)]))
    return rows


def fresh(rows: list) -> list[HtmlResponse]:
    """Responses built afresh (no cached selector) for these (URL, Page) rows."""
    return [HtmlResponse(u, body=p.body, headers={"Content-Type": f"text/html; charset={p.charset}"}) for u, p in rows]
