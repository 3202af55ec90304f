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


# ---------------------------------------------------------------- the forms listings and sitemaps take


def fed_json(spider, url: str, body: bytes, content_type: bytes = b"application/json"):
    """A listing page's JSON answer, as Scrapy gives it (a JsonResponse, or whatever its Content-Type says)."""
    from scrapy.http import Headers
    from scrapy.responsetypes import responsetypes

    request = spider.follow(url, "home")
    cls = responsetypes.from_args(headers=Headers({"Content-Type": content_type}), url=url, body=body)
    return cls(request.url, body=body, headers={"Content-Type": content_type}, request=request)


@pytest.mark.parametrize(
    "pagination, following",
    [
        ("<a class='z3' href='/liste?debut=10'>Charger plus</a>", "/liste?debut=10"),
        ("<a class='z3' href='/liste?debut=10'><span>Voir plus</span></a>", "/liste?debut=10"),
        ("<a class='z3' href='/liste?debut=10'>Plus d'articles</a>", "/liste?debut=10"),
        ("<a class='z3' href='/liste?debut=10'>Afficher plus d’actualités</a>", "/liste?debut=10"),
        ("<a class='z3' href='/liste?debut=10'>Load more</a>", "/liste?debut=10"),
        (  # a section's "Voir plus" leads to that section, not to the next page of this one
            "<h2>Culture</h2><a href='/category/culture/'>Voir plus</a> <a href='/liste?debut=10'>Charger plus</a>",
            "/liste?debut=10",
        ),
        ("<a href='/liste?debut=0'>&lt;&lt;</a> <a class='z3' href='/liste?debut=10'>&gt;&gt;</a>", "/liste?debut=10"),
        (
            "<a href='/liste?debut=0'>1</a> <span aria-current='page'>2</span> "
            "<a href='/liste?debut=20'>3</a> <a href='/liste?debut=30'>4</a>",
            "/liste?debut=20",
        ),
        ("<b>1</b> <a href='/liste?debut=10'>2</a> <a href='/liste?debut=20'>3</a>", "/liste?debut=10"),
    ],
)
def test_the_next_page_by_more_words_arrows_and_numbers(spider, pagination, following):
    spider.walk_archives = False
    page = fed(spider, ROOT + "/", "home", listing(entry("/article/un-article"), pagination))
    assert requested(spider, page)["parse_listing"] == [ROOT + following]


@pytest.mark.parametrize(
    "more, loaded",
    [
        (
            "<button class='k1' data-url='/wp-admin/admin-ajax.php?action=more&amp;page=2'>Charger plus</button>",
            "/wp-admin/admin-ajax.php?action=more&page=2",
        ),
        ("<a href='#' class='k1' data-href='/api/liste?page=2'>Voir plus</a>", "/api/liste?page=2"),
        ("<div class='k1' data-next-page='/api/liste?page=2'><span>Plus d'articles</span></div>", "/api/liste?page=2"),
        (
            "<amp-list src='/api/liste.json?page=1' layout='fixed-height' height='600' load-more='manual'>"
            "<template type='amp-mustache'><a href='{{url}}'>{{title}}</a></template></amp-list>",
            "/api/liste.json?page=1",
        ),
    ],
)
def test_a_load_more_element_s_data_url_is_a_listing_to_ask_for(spider, more, loaded):
    spider.walk_archives = False
    page = fed(spider, ROOT + "/", "home", listing(entry("/article/un-article"), more))
    out = requested(spider, page)
    assert out["parse_listing"] == [ROOT + loaded]
    assert out["parse_article"] == [ROOT + "/article/un-article"]


def test_a_data_url_of_something_else_is_no_listing(spider):
    spider.walk_archives = False
    extra = "<button data-url='/wp-admin/admin-ajax.php?action=like'>J'aime</button>"
    page = fed(spider, ROOT + "/", "home", listing(entry("/article/un-article"), extra))
    assert "parse_listing" not in requested(spider, page)


@pytest.mark.parametrize(
    "body, articles, following",
    [
        (  # AMP's amp-list: items, and the next items at load-more-src
            b'{"items": [{"url": "/article/a", "title": "A"}, {"url": "' + ROOT.encode() + b'/article/b"}],'
            b' "load-more-src": "/api/liste.json?page=3"}',
            ["/article/a", "/article/b"],
            ["/api/liste.json?page=3"],
        ),
        (  # a bare list of posts, no next page
            b'[{"id": 3, "link": "' + ROOT.encode() + b'/article/c", "image": "/wp-content/uploads/c.jpg"}]',
            ["/article/c"],
            [],
        ),
        (  # a load-more endpoint that answers HTML inside JSON, and the next page's number
            b'{"success": true, "data": {"html": "<article><h2><a href=\\"/article/d\\">D</a></h2></article>",'
            b' "next_page": 3}}',
            ["/article/d"],
            ["/api/liste.json?page=3"],
        ),
        (  # a cursor
            b'{"posts": [{"permalink": "/article/e"}], "meta": {"next_cursor": "YWJj"}}',
            ["/article/e"],
            ["/api/liste.json?page=2&cursor=YWJj"],
        ),
        (  # a page number, and whether there are more
            b'{"page": 2, "has_more": true, "data": [{"url": "/article/g"}]}',
            ["/article/g"],
            ["/api/liste.json?page=3"],
        ),
        (  # the last page
            b'{"current_page": 2, "last_page": 2, "data": [{"url": "/article/h"}]}',
            ["/article/h"],
            [],
        ),
        (  # a next URL under "next"
            b'{"results": [{"href": "/article/f"}], "next": "' + ROOT.encode() + b'/api/liste.json?page=3"}',
            ["/article/f"],
            ["/api/liste.json?page=3"],
        ),
    ],
)
def test_a_json_listing_is_read_as_json(spider, body, articles, following):
    spider.walk_archives = False
    page = fed_json(spider, ROOT + "/api/liste.json?page=2", body)
    out = requested(spider, page)
    assert out["parse_article"] == [ROOT + a for a in articles]
    assert out.get("parse_listing", []) == [ROOT + f for f in following]


def test_a_json_listing_served_as_html_is_read_as_json(spider):
    spider.walk_archives = False
    page = fed_json(
        spider,
        ROOT + "/liste-ajax",
        b'{"items": [{"url": "/article/a"}], "next": "/liste-ajax?p2=1"}',
        b"text/html; charset=utf-8",
    )
    out = requested(spider, page)
    assert out["parse_article"] == [ROOT + "/article/a"]
    assert out["parse_listing"] == [ROOT + "/liste-ajax?p2=1"]


def test_a_json_listing_of_nothing_new_ends_its_series(spider):
    from scrapy.http import JsonResponse

    spider.walk_archives = False
    body = b'{"items": [{"url": "/article/a"}], "next": "/api/liste.json?page=%d"}'
    [*_, following] = spider.parse_listing(fed_json(spider, ROOT + "/api/liste.json?page=1", body % 2))
    assert following.url == ROOT + "/api/liste.json?page=2"
    again = JsonResponse(following.url, body=body % 3, request=following)  # the same article again
    assert list(spider.parse_listing(again)) == []
    assert spider.crawler.stats.get_value("tmv/pagination_stopped") == 1


def test_a_gzipped_sitemap_is_read_whatever_its_content_type(spider):
    import gzip

    from scrapy.http import Response

    index = gzip.compress(
        b'<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<sitemap><loc>" + ROOT.encode() + b"/post-sitemap1.xml.gz</loc></sitemap></sitemapindex>"
    )
    request = spider.follow(ROOT + "/sitemap.xml.gz", "sitemap_index")
    for content_type in (b"application/x-gzip", b"application/octet-stream", b"text/xml"):
        page = Response(request.url, body=index, headers={"Content-Type": content_type}, request=request)
        [child] = spider.parse_sitemap(page)
        assert (child.url, child.callback.__name__) == (ROOT + "/post-sitemap1.xml.gz", "parse_sitemap")
        spider.seen.clear()
    page = Response(child.url, body=gzip.compress(sitemap(ROOT + "/article/a")), request=child)
    assert [r.url for r in spider.parse_sitemap(page)] == [ROOT + "/article/a"]


def test_a_google_news_sitemap_dates_its_articles_by_their_publication(spider):
    news = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
        f"<url><loc>{ROOT}/article/a</loc><news:news><news:publication><news:name>tmv</news:name>"
        "<news:language>fr</news:language></news:publication>"
        "<news:publication_date>2024-03-26T07:27:07+01:00</news:publication_date>"
        "<news:title>A</news:title></news:news></url>"
        f"<url><loc>{ROOT}/article/b</loc><lastmod>2024-03-27T10:00:00+01:00</lastmod><news:news>"
        "<news:publication_date>2024-03-26</news:publication_date></news:news></url>"
        "</urlset>"
    ).encode()
    page = fed(spider, ROOT + "/news-sitemap.xml", "sitemap", news)
    asked = {r.url: r.meta.get("lastmod") for r in spider.parse_sitemap(page)}
    assert asked == {ROOT + "/article/a": "2024-03-26T07:27:07+01:00", ROOT + "/article/b": "2024-03-27T10:00:00+01:00"}


def test_an_article_linked_in_capitals_or_with_encoded_accents_is_one_article(spider):
    spellings = [
        "/article/la-fete-a-tours",
        "/article/La-Fete-A-Tours",
        "/ARTICLE/la-fete-a-tours",
        "/article/la-f%C3%AAte-%C3%A0-tours",
        "/article/la-f%c3%aate-%c3%a0-tours/",
        "/article/la-fête-à-tours",
        "/article/LA-F%C3%8ATE-%C3%80-TOURS",
        "/detail-article/article%252FLa-F%25C3%25AAte-%25C3%25A0-Tours",
    ]
    page = fed(spider, ROOT + "/", "home", listing("".join(entry(s) for s in spellings)))
    assert requested(spider, page)["parse_article"] == [
        ROOT + "/article/la-fete-a-tours",
        ROOT + "/article/la-f%C3%AAte-%C3%A0-tours",
    ]


@pytest.mark.parametrize(
    "page, soft_404",
    [
        (  # WordPress's own "not found" page, served with status 200
            "<html><head><title>Page introuvable - tmv</title></head><body><article id='post-0' class='error404'>"
            "<h1 class='entry-title'>Page introuvable</h1><p>Rien ici.</p></article></body></html>",
            True,
        ),
        (
            "<html><head><title>Oups | tmv</title></head><body><main><h1>Page not found</h1>"
            "<p>Try the <a href='/'>home page</a>.</p></main></body></html>",
            True,
        ),
        (
            "<html><head><title>Maintenance en cours</title></head><body><h1>Revenez dans quelques minutes</h1>"
            "</body></html>",
            False,
        ),
    ],
)
def test_a_soft_404_is_no_item_no_failure_and_no_longer_pending(spider, page, soft_404):
    url = ROOT + "/article/disparu"
    spider.keeper.add_pending(url, "article", "http_503")  # it failed last run
    response = fed(spider, url, "article", page.encode())
    assert list(spider.parse_article(response)) == []
    stats = spider.crawler.stats.get_stats()
    assert stats.get("tmv/not_article") == 1 and not [key for key in stats if key.startswith("tmv/failed/")]
    assert (url in spider.keeper.pending) is not soft_404  # the site's error page of the moment: asked again


def test_json_nested_beyond_reason_is_read_as_nothing(spider):
    page = fed_json(spider, ROOT + "/api/liste.json", b"[" * 100_000 + b"]" * 100_000)
    assert set(requested(spider, page)) <= {"parse_feed"}  # read as a page (of nothing): no crash
