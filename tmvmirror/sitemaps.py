"""What lists a site for machines: the sitemaps (`sitemap_pages`: an index named in robots.txt,
a dated index, WordPress's own unnamed one, or none), the RSS feed and robots.txt."""

from __future__ import annotations

from datetime import datetime
from html import escape

from .chrome import rfc822
from .listings import Www
from .model import AMP, ONLY_ARCHIVES, ROOT, Article, detail_path, iso
from .page import Page

PER_SITEMAP = 100  # urls per post-sitemapN.xml

ROBOTS = f"""User-agent: *
Disallow: /wp-admin/
Disallow: /recherche/
Disallow: /*?replytocom=
Allow: /wp-admin/admin-ajax.php

Sitemap: {ROOT}/sitemap_index.xml
"""


def robots(sitemaps: str = "index") -> str:
    """robots.txt: names /sitemap_index.xml ("index"), /sitemap.xml ("robots"), or no sitemap."""
    if sitemaps == "index":
        return ROBOTS
    body = ROBOTS.split("\nSitemap:")[0]
    named = {"robots": "/sitemap.xml", "gzip": "/sitemap.xml.gz"}.get(sitemaps)
    return body + (f"\nSitemap: {ROOT}{named}\n" if named else "")


def feed(articles: list[Article]) -> str:
    items = "".join(
        f"<item><title>{escape(a.title)}</title><link>{a.url}</link>"
        f"<pubDate>{rfc822(a.published)}</pubDate>"
        f'<guid isPermaLink="false">{ROOT}/?p={a.post_id}</guid>'
        f"<description>{escape(a.summary())}</description></item>"
        for a in articles
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0"><channel><title>tmv Tours</title><link>{ROOT}/</link>'
        f"<language>fr-FR</language>{items}</channel></rss>\n"
    )


def sitemap_index(paths: list[str]) -> str:
    entries = "".join(f"<sitemap><loc>{ROOT}{path}</loc></sitemap>" for path in paths)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n'
    )


def sitemap_at(entries: list[tuple[str, datetime]]) -> str:
    """A urlset of (loc, lastmod) pairs."""
    urls = "".join(f"<url><loc>{loc}</loc><lastmod>{iso(moment)}</lastmod></url>" for loc, moment in entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>\n'
    )


def dated_sitemap_index(entries: list[tuple[str, datetime]]) -> str:
    """A sitemap index whose entries carry <loc> and <lastmod>."""
    items = "".join(
        f"<sitemap><loc>{ROOT}{path}</loc><lastmod>{iso(moment)}</lastmod></sitemap>" for path, moment in entries
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{items}</sitemapindex>\n'
    )


def _sitemap_loc(a: Article, www: Www | None) -> str:
    if www is None or a.layout != AMP or a.sitemap_spelling == "canonical":
        return a.url
    return ROOT + (f"/article/{a.slug}/" if a.sitemap_spelling == "slash" else detail_path(a.slug))


def sitemap_pages(
    pages: dict[str, Page], articles: list[Article], style: str = "index", www: Www | None = None
) -> None:
    """index: /sitemap_index.xml -> /post-sitemapN.xml; robots: /sitemap.xml (lastmods) -> the same;
    unnamed: /wp-sitemap.xml -> /wp-sitemap-posts-post-N.xml; gzip: robots's, gzipped (.xml.gz); none: no sitemap."""
    if style == "none":
        return
    mapped = [a for a in articles if a.visibility != ONLY_ARCHIVES]
    children = []
    for start in range(0, len(mapped), PER_SITEMAP):
        chunk = mapped[start : start + PER_SITEMAP]
        number = len(children) + 1
        path = f"/wp-sitemap-posts-post-{number}.xml" if style == "unnamed" else f"/post-sitemap{number}.xml"
        path += ".gz" if style == "gzip" else ""
        newest = max(a.last_change for a in chunk)
        children.append((path, newest))
        body = sitemap_at([(_sitemap_loc(a, www), a.last_change) for a in chunk])
        # gzip: served as "application/xml" all the same, as a server may (the bytes say what it is)
        pages[path] = Page(200, "application/xml", "utf-8", body.encode(), newest, gzipped=style == "gzip")
    newest = max((a.last_change for a in mapped), default=None)
    if style in ("robots", "gzip"):
        index = dated_sitemap_index(children).encode()
        if style == "gzip":
            pages["/sitemap.xml.gz"] = Page(200, "application/x-gzip", "utf-8", index, newest, gzipped=True)
        else:
            pages["/sitemap.xml"] = Page(200, "application/xml", "utf-8", index, newest)
    else:
        index = sitemap_index([path for path, _ in children]).encode()
        pages["/wp-sitemap.xml" if style == "unnamed" else "/sitemap_index.xml"] = Page(
            200, "application/xml", "utf-8", index, newest
        )
