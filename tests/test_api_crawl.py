"""The tmv spider through the CMS's API, on the mirror serving it as WordPress and the Ampize plugin
do: every article exact with far fewer requests, incremental runs asking for the changes only,
the pages as a check, and the pages alone when the API is closed, with the same items."""

from __future__ import annotations

import pytest

from tmvmirror.api import Answer
from tmvmirror.faults import Fault
from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site

from .conftest import expected_by_url, run_crawl

N = 60
BOTH = ("wp/v2", "ampize/v1")
API_ALONE = ("-s", "TMV_ARTICLE_PAGES=False")


def as_the_api_gives(expected: dict) -> dict:
    """An expected item as the API alone gives it: no related block, no modification date for a post
    never edited (the seed's page shows one equal to its publication), no crawl time to compare."""
    item = {**expected, "related": []}
    if item["modified_at"] == item["published_at"]:
        item["modified_at"] = None
    return item


def without_crawl_time(items: list[dict]) -> dict[str, dict]:
    by_url = {item["url"]: {k: v for k, v in item.items() if k != "crawled_at"} for item in items}
    assert len(by_url) == len(items)  # each article once
    return by_url


def expected(site, root: str, api_alone: bool = False) -> dict[str, dict]:
    return {
        url: {k: v for k, v in (as_the_api_gives(item) if api_alone else item).items() if k != "crawled_at"}
        for url, item in expected_by_url(site, root).items()
    }


@pytest.fixture(scope="module")
def api_site():
    return build_site(N, seed=5, api=BOTH)


def test_through_the_api_alone_every_article_is_exact_for_a_few_requests(api_site, tmp_path):
    with MirrorServer(api_site) as server:
        crawl = run_crawl(server.root, tmp_path, *API_ALONE)
        paths = [path for _, path, *_ in server.requests]
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["tmv/api/used"] == "wp/v2"
    assert without_crawl_time(crawl.items) == expected(api_site, server.root, api_alone=True)
    assert paths[0] == "/robots.txt" and [p.split("?")[0] for p in paths[1:]] == ["/wp-json/wp/v2/posts"]
    assert "through the API (wp/v2)" in crawl.log


def test_by_default_each_page_is_read_too_and_the_items_are_the_pages_own(api_site, tmp_path):
    with MirrorServer(api_site) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert without_crawl_time(crawl.items) == expected(api_site, server.root)
    # one listing request and one page per article: no sitemap, feed or listing page
    assert crawl.stats["tmv/requests/api"] == 1 and crawl.stats["tmv/requests/article"] == N
    assert not [key for key in crawl.stats if key.startswith("tmv/disagree/")], crawl.log[-3000:]


def test_a_day_later_only_the_new_and_the_changed_articles_are_asked_for(tmp_path):
    with MirrorServer(build_site(N, seed=5, api=BOTH)) as server:
        assert run_crawl(server.root, tmp_path, *API_ALONE).returncode == 0
        server.site = day = build_site(N, seed=5, extra_articles=1, modified=1, api=BOTH)
        del server.requests[:]
        crawl = run_crawl(server.root, tmp_path, *API_ALONE)
        asked = [path for _, path, *_ in server.requests]
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert (crawl.stats["tmv/new"], crawl.stats["tmv/updated"]) == (1, 1)
    assert asked[0] == "/robots.txt" and len(asked) == 2
    assert "modified_after=" in asked[1] and "orderby=modified" in asked[1]
    want = expected(day, server.root, api_alone=True)
    new = day.articles[-1]
    changed = max((a for a in day.articles[:-1] if a.modified), key=lambda a: a.modified)  # the day's edit
    urls = {f"{server.root}{a.path}" for a in (new, changed)}
    assert without_crawl_time(crawl.items) == {url: want[url] for url in urls}


def test_with_the_api_closed_the_pages_give_the_same_items_and_say_why(api_site, tmp_path):
    closed = {
        "/wp-json/wp/v2/posts": Fault("status", status=401),
        "/wp-json/ampize/v1/site": Fault("status", status=403),
    }
    with MirrorServer(api_site, faults=closed) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["tmv/api/closed"] == "wp/v2: 401 rest_cannot_access; ampize/v1: 403 rest_cannot_access"
    assert "tmv/api/used" not in crawl.stats and crawl.stats["tmv/requests/sitemap_index"] >= 1
    assert without_crawl_time(crawl.items) == expected(api_site, server.root)
    (said,) = [line for line in crawl.log.splitlines() if "discovery through sitemaps, feed and listings" in line]
    assert "no API at" in said


def test_without_wp_v2_the_ampize_items_serve_and_their_dates_are_paris_time(tmp_path):
    site = build_site(N, seed=5, api=("ampize/v1",))
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path, *API_ALONE)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["tmv/api/used"] == "ampize/v1"
    want = expected(site, server.root, api_alone=True)
    got = without_crawl_time(crawl.items)
    assert got.keys() == want.keys()
    for url, item in got.items():  # the plugin gives no caption or credit: the page does
        assert {**item, "image": None} == {**want[url], "image": None}, url
        assert (item["image"] or {}).get("url") == (want[url]["image"] or {}).get("url")


def test_a_page_that_says_another_title_is_a_warning_the_api_s_title_is_exported_and_the_report_shows_it(tmp_path):
    from dataclasses import replace

    from tmvspider.report import build

    site = build_site(N, seed=5, api=BOTH)
    article = site.articles[-1]
    title = article.title
    page = site.pages[article.path]
    site.pages[article.path] = replace(page, body=page.body.replace(title.encode(), b"Un autre titre"))
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["tmv/disagree/title"] == 1 and "tmv/disagree/body" not in crawl.stats
    (warning,) = [line for line in crawl.log.splitlines() if "WARNING" in line and ": title: " in line]
    assert f"the API says {title}, the page Un autre titre; exported: {title}" in warning
    (item,) = [item for item in crawl.items if item["post_id"] == article.post_id]
    assert item["title"] == title
    report = build(tmp_path)
    assert "Discovery through the CMS&#x27;s API (wp/v2)." in report
    assert f"the API says {title}, the page Un autre titre" in report.replace("&#x27;", "'")


def test_a_page_of_the_listing_that_fails_is_a_hole_the_next_run_walks_again(tmp_path):
    site = build_site(150, seed=5, api=("wp/v2",))
    served = site.api.answer

    def page_2_fails(path: str, query: str):
        if path == "/wp-json/wp/v2/posts" and "page=2" in query.split("&"):
            return Answer(500, {}, {"code": "internal_server_error", "message": "", "data": {"status": 500}})
        return served(path, query)

    site.api.answer = page_2_fails
    with MirrorServer(site) as server:
        first = run_crawl(server.root, tmp_path, *API_ALONE, "-s", "RETRY_TIMES=0")
        site.api.answer = served
        second = run_crawl(server.root, tmp_path, *API_ALONE)
    assert first.stats["tmv/api/incomplete"] is True and len(first.items) == 100
    assert "the next run walks the whole listing" in first.log
    # the posts of page 2 are in no record: the next run is a full walk, not changes since the newest
    assert second.returncode == 0 and second.stats["tmv/full_walk"] is True
    assert second.stats["tmv/new"] == 50 and second.stats["tmv/skipped/known"] == 100
    exported = without_crawl_time(first.items) | without_crawl_time(second.items)
    assert exported == expected(site, server.root, api_alone=True)


def test_a_full_walk_whose_listing_shows_no_post_falls_back_to_the_pages(tmp_path):
    site = build_site(N, seed=5, api=("wp/v2",))
    served = site.api.answer
    site.api.answer = lambda path, query: (
        Answer(200, {"X-WP-Total": "0", "X-WP-TotalPages": "0"}, [])
        if path == "/wp-json/wp/v2/posts"
        else served(path, query)
    )
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert crawl.stats["tmv/api/closed"] == "wp/v2: lists no public post; ampize/v1: 404 rest_no_route"
    assert without_crawl_time(crawl.items) == expected(site, server.root)
