"""Discovery without assumed names: listings read by URL shape, next pages however spelled,
one request per article whatever its spelling, ``/?p=<id>`` asked for last (spiders/tmv.py)."""

from __future__ import annotations

import pytest

from tmvspider import urls

from .conftest import fed

ROOT = "http://127.0.0.1:9"


def listing(entries: str, extra: str = "", head: str = "") -> bytes:
    """A listing page of a theme never seen: generated class names, entries under headings."""
    return (
        f"<html><head>{head}</head><body><div class='x9a'><div class='k2p'>{entries}</div>{extra}</div></body></html>"
    ).encode()


def entry(href: str, title: str = "Un article") -> str:
    return f"<div class='q7z'><h3 class='m1'><a href='{href}'>{title}</a></h3><a href='{href}'>Lire la suite</a></div>"


def requested(spider, page) -> dict[str, list[str]]:
    """The requests a listing page gives, by callback."""
    out: dict[str, list[str]] = {}
    for request in spider.parse_listing(page):
        out.setdefault(request.callback.__name__, []).append(request.url)
    return out


@pytest.mark.parametrize(
    "pagination, following",
    [
        ("<a class='z3' href='/page/2/'>Suivant »</a>", "/page/2/"),
        ("<a class='z3' href='/page/2'>Page suivante</a>", "/page/2"),
        ("<a class='z3' href='/?page=2'>›</a>", "/?page=2"),
        ("<a class='z3' href='/liste?debut=10'>Articles plus anciens</a>", "/liste?debut=10"),
        ("<span>1</span> <a href='/page/2/'>2</a> <a href='/page/3/'>3</a>", "/page/2/"),
    ],
)
def test_the_next_page_however_it_is_spelled(spider, pagination, following):
    spider.walk_archives = False  # an incremental walk asks for the next page only
    page = fed(spider, ROOT + "/", "home", listing(entry("/article/un-article"), pagination))
    assert requested(spider, page)["parse_listing"] == [ROOT + following]


def test_the_next_page_named_in_the_head(spider):
    spider.walk_archives = False
    page = fed(spider, ROOT + "/", "home", listing(entry("/article/un-article"), head="<link rel='next' href='/p/2'>"))
    assert requested(spider, page)["parse_listing"] == [ROOT + "/p/2"]


def test_one_request_per_article_whatever_its_spelling(spider):
    spellings = [
        "/article/un-article",
        "/article/un-article/",
        "/detail-article/article%252Fun-article",
        "/detail-article/article%2Fun-article",
        "/article/un-article/amp/",
        "/article/un-article?utm_source=x",
    ]
    page = fed(spider, ROOT + "/", "home", listing("".join(entry(s) for s in spellings)))
    assert requested(spider, page)["parse_article"] == [ROOT + "/article/un-article"]
    # a sitemap naming it under another spelling later costs nothing either
    assert spider.follow(ROOT + "/article/un-article/", "article") is None


def test_shortlinks_wait_for_the_end_and_are_skipped_when_their_post_is_known(spider):
    page = fed(spider, ROOT + "/", "home", listing(entry("/?p=123") + entry("/?p=456") + entry("/article/a")))
    assert requested(spider, page)["parse_article"] == [ROOT + "/article/a"]  # not the /?p= ones yet
    spider.seen.add("post:123")  # a page read meanwhile showed post id 123
    assert [r.url for r in spider.shortlink_requests()] == [ROOT + "/?p=456"]
    assert spider.shortlink_requests() == []


def test_the_sidebar_does_not_keep_an_incremental_home_walk_going(spider, tmp_path):
    """A page whose own entries are all known ends the walk, whatever its sidebar shows."""
    import json

    known = [f"{ROOT}/article/vieux-{n}" for n in range(3)]
    feed = tmp_path / "tmv" / "old.jsonl"
    feed.parent.mkdir(exist_ok=True)
    feed.write_text(
        "".join(
            json.dumps({"url": u, "published_at": "2015-01-29T10:50:11+01:00", "crawled_at": "2026-11-27T03:00:00Z"})
            + "\n"
            for u in known
        ),
        "utf-8",
    )
    spider.keeper.db.record_feed(feed)
    spider.walk_archives = False
    sidebar = (
        "<aside><h2>Derniers</h2><ul><li><a href='/article/tout-neuf?utm_source=sidebar'>Neuf</a></li></ul></aside>"
    )
    page = fed(
        spider,
        ROOT + "/page/2/",
        "home",
        listing("".join(entry(u) for u in known), sidebar + "<a href='/page/3/'>Suivant</a>"),
    )
    out = requested(spider, page)
    assert "parse_listing" not in out  # the walk stops here …
    assert out["parse_article"] == [ROOT + "/article/tout-neuf"]  # … and the new article is read all the same
    assert spider.crawler.stats.get_value("tmv/pagination_stopped") == 1


def test_links_to_the_site_s_other_hosts_are_followed_once(tmp_path):
    """A crawl of www follows tmv.tmvtours.fr's links too: one site, one identity per article."""
    from scrapy.utils.test import get_crawler

    from tmvspider import settings as project
    from tmvspider.spiders.tmv import TmvSpider

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    spider = TmvSpider.from_crawler(get_crawler(TmvSpider, {**values, "TMV_OUTPUT_DIR": str(tmp_path)}))
    assert set(spider.allowed_domains) == urls.SITE_HOSTS
    first = spider.follow("https://tmv.tmvtours.fr/article/un-article/", "article")
    assert first.url == "https://tmv.tmvtours.fr/article/un-article/"
    assert spider.follow("https://www.tmvtours.fr/article/un-article", "article") is None
    assert spider.follow("https://example.org/article/ailleurs", "article") is None


@pytest.mark.parametrize(
    "sidebar",
    [
        "<div class='widget-area sidebar'><ul><li><a href='/article/tout-neuf'>N</a></li></ul></div>",
        "<div id='secondary'><div class='widget'><a href='/article/tout-neuf'>N</a></div></div>",
    ],
)
def test_a_sidebar_that_is_no_aside_is_no_entry_of_the_listing(sidebar):
    from lxml import etree

    from tmvspider.discovery.listings import PageLinks

    doc = etree.HTML(listing(entry("/article/un-article"), sidebar).decode())
    links = PageLinks.of(doc)
    assert "/article/tout-neuf" in links.hrefs and "/article/tout-neuf" not in links.entries
    assert "/article/un-article" in links.entries


def sitemap(*locs: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{loc}</loc></url>" for loc in locs)
        + "</urlset>"
    ).encode()


@pytest.mark.parametrize(
    "body, why",
    [
        (sitemap("https://elsewhere.example/article/un-article", "mailto:x@example.org"), "none of its 2 entries"),
        (
            b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY e "x">]><urlset '
            b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>' + ROOT.encode() + b"/article/a&e;</loc>"
            b"</url></urlset>",
            "declares XML entities",
        ),
        (b"<html><body>Maintenance</body></html>", "not XML, empty or refused"),
        (b"\x1f\x8b\x08\x00broken", "a gzip that does not open"),
    ],
)
def test_a_sitemap_listing_none_of_the_sites_pages_is_said(spider, body, why, caplog):
    page = fed(spider, ROOT + "/post-sitemap.xml", "sitemap", body)
    assert list(spider.parse_sitemap(page)) == []
    assert spider.crawler.stats.get_value("tmv/failed/sitemap_unusable") == 1
    assert any("lists nothing usable" in r.message and why in r.message for r in caplog.records)


def test_a_sitemap_with_one_page_of_the_site_is_read(spider):
    page = fed(
        spider,
        ROOT + "/post-sitemap.xml",
        "sitemap",
        sitemap("https://elsewhere.example/article/x", ROOT + "/article/un-article"),
    )
    assert [r.url for r in spider.parse_sitemap(page)] == [ROOT + "/article/un-article"]
    assert spider.crawler.stats.get_value("tmv/failed/sitemap_unusable") is None
