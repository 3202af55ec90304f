"""End to end: `scrapy crawl tmv` on the project's mirror (both layouts, a few hundred articles)."""

from __future__ import annotations

import inspect
import json
import re
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft202012Validator
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.test import get_crawler

from tmvspider import PROJECT_URL, __version__, urls
from tmvspider.keeper import StateKeeper
from tmvspider.pipelines import load_schema
from tmvspider.spiders.tmv import TmvSpider

from .conftest import LIVE, expected_by_url, fed, run_crawl


@pytest.fixture(scope="module")
def full(mirror, tmp_path_factory):
    """One full crawl of the mirror, and the requests the server saw during it."""
    start = len(mirror.requests)
    crawl = run_crawl(mirror.root, tmp_path_factory.mktemp("full"))
    return crawl, mirror.requests[start:]


def test_the_crawl_succeeds_and_says_so(full, site):
    crawl, _ = full
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["finish_reason"] == "finished"
    n = len(site.expected)
    assert f"run finished: {n} articles exported, {n} new, 0 updated, 0 unchanged" in crawl.log
    assert crawl.stats["item_scraped_count"] == n  # the stats file beside the feeds


def test_feed_and_stats_names_carry_the_microsecond(full):
    """Two runs started within one second must not write the same file."""
    crawl, _ = full
    stamp = r"\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6}\+00-00"
    assert crawl.feeds and all(re.fullmatch(rf"tmv-{stamp}-\d{{5}}\.jsonl", f.name) for f in crawl.feeds)
    folder = crawl.feeds[0].parent
    assert [p.name for p in folder.glob("*.stats.json") if not re.fullmatch(rf"tmv-{stamp}\.stats\.json", p.name)] == []


def test_dash_big_o_writes_one_file_as_in_any_scrapy_project(mirror, site, tmp_path):
    target, everything = tmp_path / "articles.jsonl", sorted(expected_by_url(site, mirror.root))
    crawl = run_crawl(mirror.root, tmp_path / "out", "-O", str(target))
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert crawl.feeds == [] and not list(tmp_path.glob("*.part"))
    urls = [json.loads(line)["url"] for line in target.read_text("utf-8").splitlines()]
    assert sorted(urls) == everything
    # a file of one's own is not the crawl's record: the next run writes those articles to
    # the crawl's feeds (the dataset under output/tmv/ stays whole) …
    plain = run_crawl(mirror.root, tmp_path / "out")
    assert sorted(item["url"] for item in plain.items) == everything
    # … and -O overwrites, even when an incremental run finds nothing new to write
    again = run_crawl(mirror.root, tmp_path / "out", "-O", str(target))
    assert again.returncode == 0 and target.read_text("utf-8") == ""


def test_every_article_exported_exactly_once_equal_to_the_truth(full, site, mirror):
    crawl, _ = full
    expected = expected_by_url(site, mirror.root)
    items = crawl.items
    counts = Counter(item["url"] for item in items)
    assert [url for url, n in counts.items() if n > 1] == []
    assert set(counts) == set(expected)
    mismatches = [
        (item["url"], name) for item in items for name, value in expected[item["url"]].items() if item[name] != value
    ]
    assert mismatches == []


def test_the_three_layouts_and_the_discovery_traps_are_covered(site, full, mirror):
    crawl, _ = full
    exported = {urlsplit(item["url"]).path for item in crawl.items}
    layouts = Counter(site.truth["layouts"].values())
    assert layouts["legacy"] > 50 and layouts["current"] > 50 and layouts["amp"] > 50
    # articles only one discovery path knows are found all the same
    assert site.truth["only_sitemap"] and site.truth["only_archives"]
    paths = {a.slug: a.path for a in site.articles}
    for slug in site.truth["only_sitemap"] + site.truth["only_archives"]:
        assert paths[slug] in exported


def test_one_request_per_article_whatever_the_spellings_the_site_uses(full, site):
    """Listings and sitemaps name amp articles as /article/<slug>, /article/<slug>/,
    /detail-article/article%252F<slug> and /?p=<id>: each article is asked for once."""
    _, requests = full
    assert site.truth["aliases"]
    asked = Counter(
        urls.identity(urls.canonical("http://x" + r[1]))
        for r in requests
        if r[2] == 200 and urls.kind(urls.canonical("http://x" + r[1])) == "article"
    )
    assert [key for key, n in asked.items() if n > 1] == []
    assert len(asked) == len(site.expected)


def test_every_line_is_valid_against_the_schema(full):
    crawl, _ = full
    validator = Draft202012Validator(load_schema())
    lines = [line for feed in crawl.feeds for line in feed.read_text("utf-8").splitlines()]
    assert lines
    for line in lines:
        assert list(validator.iter_errors(json.loads(line))) == []


def test_nothing_disallowed_or_off_site_is_fetched(full):
    _, requests = full
    paths = [r[1] for r in requests]
    assert not [p for p in paths if p.startswith(("/wp-admin/", "/recherche/")) or "replytocom" in p]
    assert not [p for p in paths if "utm_" in p or "fbclid" in p or p.endswith("/amp/")]


def test_discovery_reads_only_sitemaps_home_pages_monthly_archives_and_the_feed(full):
    """No tag, author, category, search or AMP page: the four sources cover the site, once the
    API (which this mirror does not serve) was asked for, once per namespace."""
    _, requests = full
    paths = {r[1] for r in requests}
    asked = sorted(p.split("?")[0] for p in paths if p.startswith("/wp-json/"))
    assert asked == ["/wp-json/ampize/v1/site", "/wp-json/wp/v2/posts"]
    extra = [
        p
        for p in paths
        if p != "/robots.txt"
        and not p.startswith("/wp-json/")
        and not re.fullmatch(r"/(sitemap_index|sitemap|post-sitemap\d+)\.xml", p)
        and urls.kind("http://x" + p) not in ("article", "post", "home", "archive", "feed")
    ]
    assert extra == []
    assert {urls.kind("http://x" + p) for p in paths} >= {"article", "home", "archive", "feed"}


def test_every_request_names_the_project(full):
    _, requests = full
    assert {r[4].get("User-Agent") for r in requests} == {f"tmvspider/{__version__} (+{PROJECT_URL})"}


def test_no_page_is_fetched_twice_and_the_503_is_recovered(full, site):
    _, requests = full
    ok = Counter(r[1] for r in requests if r[2] == 200)
    assert [p for p, n in ok.items() if n > 1] == []
    flaky = site.truth["flaky"]
    assert flaky
    for path in flaky:
        statuses = [(r[2], r[3]) for r in requests if r[1] == path]
        assert [s for s, _ in statuses] == [503, 200]
        # Retry-After: 1 was honoured before the retry
        assert statuses[1][1] - statuses[0][1] >= 0.95


def test_discovery_needs_little_more_than_one_request_per_article(full, site):
    crawl, requests = full
    assert len(requests) < len(site.expected) * 1.35  # each article once, ~0.25 listing page per article, a few hops
    assert [k for k in crawl.stats if k.startswith("tmv/failed/")] == []


def test_single_pages_on_demand_including_a_dead_link(mirror, site, tmp_path):
    good = next(item["url"] for item in site.expected if item["interview"])
    dead = site.truth["dead_links"][0]
    crawl = run_crawl(mirror.root, tmp_path, "-a", f"url={good.replace(LIVE, mirror.root)},{mirror.root}{dead}")
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert [i["url"] for i in crawl.items] == [good.replace(LIVE, mirror.root)]
    # apart from the crawls' feeds, which the state reads back: a page tried by hand is no export
    assert [feed.parent.name for feed in crawl.feeds] == ["dev"] and not (tmp_path / "tmv").exists()
    assert crawl.stats["tmv/failed/http_404"] == 1
    assert "failed " + mirror.root + dead + ": http_404" in crawl.log


def test_single_pages_with_dash_big_o_write_where_asked(mirror, site, tmp_path):
    page = site.expected[0]["url"].replace(LIVE, mirror.root)
    target = tmp_path / "mine.jsonl"
    crawl = run_crawl(mirror.root, tmp_path, "-a", f"url={page}", "-O", str(target))
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert [json.loads(line)["url"] for line in target.read_text("utf-8").splitlines()] == [page]
    assert crawl.feeds == []  # no default feed beside the one asked for


def test_start_up_does_not_import_the_components_left_off(mirror, site, tmp_path):
    """Scrapy imports every class a setting names, even one set to None: the remote control
    (aiohttp) and cookies (tldextract, requests) are kept out of the base lists instead."""
    page = site.expected[0]["url"].replace(LIVE, mirror.root)
    crawl = run_crawl(mirror.root, tmp_path, "-a", f"url={page}", python=("-X", "importtime"))
    assert crawl.returncode == 0, crawl.log[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in crawl.log.splitlines() if line.startswith("import time:")}
    assert {"scrapy.extensions.feedexport", "scrapy.downloadermiddlewares.redirect"} <= imported
    assert (
        imported
        & {
            "aiohttp",
            "tldextract",
            "requests",
            "scrapy.extensions.remote_control",
            "scrapy.downloadermiddlewares.cookies",
        }
        == set()
    )
    assert "CookiesMiddleware" not in crawl.log and "RemoteControl" not in crawl.log


def test_no_callback_is_a_generator_returning_a_value():
    """Scrapy's own check, switched off at run time (WARN_ON_GENERATOR_RETURN_VALUE) for its cost."""
    generators = dict(inspect.getmembers(TmvSpider, inspect.isgeneratorfunction))
    assert {"parse_article", "parse_listing", "parse_sitemap"} <= set(generators)
    assert [name for name, method in generators.items() if is_generator_with_return_value(method)] == []


def test_a_malformed_link_on_a_listing_page_is_skipped(spider):
    links = "".join(
        f'<h2 class="entry-title"><a href="{href}">x</a></h2>'
        for href in ("http://[oops/", "//[oops/", "/article/bon-article/")
    )
    page = fed(spider, "http://127.0.0.1:9/", "home", f"<html><body><main>{links}</main></body></html>".encode())
    assert [r.url for r in spider.parse_listing(page) if r.callback == spider.parse_article] == [
        "http://127.0.0.1:9/article/bon-article/"
    ]


def test_markup_nested_too_deep_to_read_is_a_counted_failure_not_a_crash(spider):
    deep = "<span>" * 3000 + "x" + "</span>" * 3000
    html = (
        '<html><body class="page-article"><main><article><h1 class="article-title">T</h1><p class="article-meta">'
        f'Publié le 29-01-2015 10:50:11</p><div class="article-body"><p>{deep}</p></div></article></main></body></html>'
    )
    page = fed(spider, "http://127.0.0.1:9/article/x/", "article", html.encode())
    assert list(spider.parse_article(page)) == []
    assert spider.crawler.stats.get_value("tmv/failed/too_deep") == 1
    assert spider.keeper.db.pending() == {}  # it would fail again: not asked for next time


def test_an_empty_listing_page_is_a_counted_failure_not_a_silent_end(spider):
    page = fed(spider, "http://127.0.0.1:9/page/2/", "home", b" \x00 ")
    assert list(spider.parse_listing(page)) == []
    assert spider.crawler.stats.get_value("tmv/failed/empty") == 1
    assert spider.keeper.db.pending() == {"http://127.0.0.1:9/page/2/": "home"}  # asked for again next run


ARCHIVE = "http://127.0.0.1:9/article/2015/03/"
MONTH = (
    b'<html><body><main><h2 class="entry-title"><a href="/article/a1/">A1</a></h2>'
    b'<h2 class="entry-title"><a href="/article/a2/">A2</a></h2><a class="page-numbers" href="page/2/">2</a>'
    b'<a class="page-numbers" href="page/3/">3</a><a class="next page-numbers" href="page/2/">Suivant</a>'
    b'<a href="/article/2015/04/">avril</a></main></body></html>'
)


def pending_page(spider, url, kind):
    """*url* as an earlier run left it (failed), met by an incremental run that asks for it again."""
    spider.walk_archives = False
    spider.keeper.db.add_pending(url, kind, "http_503")
    spider.keeper.pending = spider.keeper.db.pending()
    return spider.follow(url, kind, again=True)


def test_a_month_page_that_failed_is_read_on_through_its_month(spider):
    request = pending_page(spider, ARCHIVE, "archive")
    assert "If-None-Match" not in request.headers
    out = list(spider.parse_listing(HtmlResponse(request.url, body=MONTH, encoding="utf-8", request=request)))
    assert [r.url for r in out] == [
        "http://127.0.0.1:9/article/a1/",
        "http://127.0.0.1:9/article/a2/",
        ARCHIVE + "page/2/",
        ARCHIVE + "page/3/",
    ]  # not April: not a full walk
    assert all(r.meta.get("whole_series") for r in out[2:])
    assert spider.keeper.db.pending() == {}


def test_a_pending_article_that_answers_with_no_article_stays_pending(spider):
    request = pending_page(spider, "http://127.0.0.1:9/article/a1/", "article")
    maintenance = b"<html><body><h1>Site en maintenance</h1></body></html>"
    assert (
        list(spider.parse_article(HtmlResponse(request.url, body=maintenance, encoding="utf-8", request=request))) == []
    )
    assert spider.keeper.db.pending() == {"http://127.0.0.1:9/article/a1/": "article"}


def test_a_pending_page_redirected_to_one_read_already_is_no_longer_pending(spider):
    request = pending_page(spider, "http://127.0.0.1:9/article/ancien/", "article")
    redirected = request.replace(url="http://127.0.0.1:9/", meta={**request.meta, "redirect_urls": [request.url]})
    spider.request_dropped(redirected)  # Scrapy's dupefilter dropped the hop: the home page was read
    assert spider.keeper.db.pending() == {}


def test_scrapy_parse_leaves_the_pending_pages_alone(spider):
    request = pending_page(spider, ARCHIVE, "archive")
    spider.keeper.walking = False  # `scrapy parse` runs its own start(), not the spider's walk
    list(spider.parse_listing(HtmlResponse(request.url, body=MONTH, encoding="utf-8", request=request)))
    assert spider.keeper.db.pending() == {ARCHIVE: "archive"}


def test_a_spider_started_while_another_crawl_holds_the_state_goes_without_it(tmp_path):
    import subprocess
    import sys

    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from tmvspider.state import lock; "
            f"lock(__import__('pathlib').Path({str(tmp_path / 'state')!r})); print('held', flush=True); "
            "sys.stdin.read()",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        crawler = get_crawler(TmvSpider, {"TMV_OUTPUT_DIR": str(tmp_path)})
        crawler.settings = crawler.settings.copy()  # as in a crawl: not frozen before the spider is made
        crawler.settings.frozen = False
        TmvSpider.update_settings(crawler.settings)  # the crawl's default feeds, as for a crawl
        crawler.spider = TmvSpider.from_crawler(crawler, base_url="http://127.0.0.1:9")
        with pytest.raises(NotConfigured):  # no keeper: the run goes without the state
            StateKeeper.from_crawler(crawler)  # built after the spider, as in a crawl
        assert not list((tmp_path / "state").glob("*.sqlite3"))
        # its feeds, if any, go apart from the crawl's, which the state reads back
        assert [Path(uri).parent.name for uri in crawler.settings.getdict("FEEDS")] == ["dev"]
    finally:
        holder.communicate("")


def test_an_article_this_run_asked_for_keeps_the_home_walk_going(spider, tmp_path):
    """An incremental home walk goes on while a page lists an article new to the state before
    this run, even once this run has exported it (its batch recorded): it is still news."""
    article = "http://127.0.0.1:9/article/a1/"
    feed = tmp_path / "tmv" / "batch.jsonl"
    feed.parent.mkdir(exist_ok=True)
    feed.write_text(
        json.dumps({"url": article, "published_at": "2015-01-29T10:50:11+01:00", "crawled_at": "2026-11-27T03:00:00Z"})
        + "\n",
        encoding="utf-8",
    )
    spider.keeper.db.record_feed(feed)  # exported and recorded by this very run …
    spider.seen.add(urls.identity(article))  # … which asked for it (from a sitemap, say)
    spider.walk_archives = False
    home = (
        b'<html><body><main><h2 class="entry-title"><a href="/article/a1/">A1</a></h2>'
        b'<a class="next page-numbers" href="/page/2/">Suivant</a></main></body></html>'
    )
    out = [
        r
        for r in spider.parse_listing(fed(spider, "http://127.0.0.1:9/", "home", home))
        if r.callback != spider.parse_feed
    ]
    assert [r.url for r in out] == ["http://127.0.0.1:9/page/2/"]
    assert not spider.crawler.stats.get_value("tmv/skipped/known")


def test_scrapy_parse_reads_its_page_only(spider):
    """`scrapy parse` runs its own start(): robots.txt's sitemaps are not walked from it."""
    from scrapy.http import Request

    class Robots:
        rp = type("rp", (), {"sitemaps": ["http://127.0.0.1:9/sitemap_index.xml"]})()

    spider.keeper.walking = False
    spider.robots_parsed(Robots(), Request("http://127.0.0.1:9/robots.txt"))  # no engine to crawl with
    assert spider.robots is not None and "http://127.0.0.1:9/sitemap_index.xml" not in spider.seen


def test_a_mirror_built_from_another_seed_is_crawled_exactly(tmp_path):
    """Other class names, other spellings, other pagination styles: rules, not lookups."""
    from tmvmirror.server import MirrorServer
    from tmvmirror.site import build_site

    site = build_site(80, seed=1234)
    assert set(site.truth["layouts"].values()) == {"legacy", "current", "amp"}
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
        expected = expected_by_url(site, server.root)
    assert crawl.returncode == 0, crawl.log[-2000:]
    got = {item["url"]: {k: v for k, v in item.items() if k != "crawled_at"} for item in crawl.items}
    assert len(crawl.items) == len(got) == len(expected)
    assert [(url, k) for url, item in got.items() for k in item if item[k] != expected[url][k]] == []


@pytest.mark.parametrize("style", ["loadmore", "amp-list"])
def test_listings_filled_from_json_are_walked_through(tmp_path, style):
    """Past their first page, the listings' entries are JSON a script fetches (a "Charger plus"
    button's data-url, an amp-list's src), and there is no sitemap: every article a listing shows is
    found all the same (not those only a sitemap lists), each JSON page of the home and the months
    (those discovery walks) asked for once."""
    from tmvmirror.server import MirrorServer
    from tmvmirror.site import build_site

    site = build_site(60, seed=5, layouts=("legacy", "current"), sitemaps="none", listings=style)
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
        expected = expected_by_url(site, server.root)
        loaded = [path for _, path, *_ in server.requests if path.startswith("/charger-plus/")]
    assert crawl.returncode == 0, crawl.log[-2000:]
    listed = {url for url in expected if url.rstrip("/").rpartition("/")[2] not in site.truth["only_sitemap"]}
    assert {item["url"] for item in crawl.items} == listed
    walked = re.compile(r"^/charger-plus(?:/|/article/\d{4}/\d{2}/)\d+\.json$")
    assert sorted(loaded) == sorted(path for path in site.pages if walked.match(path))
    assert not [key for key in crawl.stats if key.startswith("tmv/failed/")]


def test_gzipped_sitemaps_are_read_whatever_their_content_type(tmp_path):
    """robots.txt names /sitemap.xml.gz (application/x-gzip), whose sitemaps are gzipped too but
    sent as application/xml: the articles only a sitemap lists are found, no page is garbled text."""
    from tmvmirror.server import MirrorServer
    from tmvmirror.site import build_site

    site = build_site(60, seed=5, layouts=("legacy", "current"), sitemaps="gzip")
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
        expected = expected_by_url(site, server.root)
        asked = {path for _, path, status, *_ in server.requests if path.endswith(".gz") and status == 200}
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert asked == {path for path in site.pages if path.endswith(".xml.gz")} and len(asked) >= 2
    assert {item["url"] for item in crawl.items} == set(expected)  # those only a sitemap lists too
    assert not [key for key in crawl.stats if key.startswith("tmv/failed/") or key == "tmv/encoding_errors"]
