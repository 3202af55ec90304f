"""Scheduled crawls: reruns fetch and export only what is new or changed (issue: incremental runs)."""

from __future__ import annotations

from urllib.parse import urlsplit

from tmvspider import urls
from tmvspider.mirror.server import MirrorServer
from tmvspider.mirror.site import build_site

from .conftest import expected_by_url, run_crawl

N, SEED = 150, 3


def test_rerun_exports_nothing_then_exactly_the_new_and_the_modified_article(tmp_path):
    base = build_site(N, seed=SEED)
    changed = build_site(N, seed=SEED, extra_articles=1, modified=1)
    with MirrorServer(base) as server:
        first = run_crawl(server.root, tmp_path)
        assert first.returncode == 0, first.log[-2000:]
        assert len(first.items) == len(base.expected)
        first_requests = first.stats["downloader/request_count"]

        again = run_crawl(server.root, tmp_path)
        assert again.returncode == 0, again.log[-2000:]
        assert again.items == [] and again.feeds == []
        assert again.stats["downloader/request_count"] <= first_requests * 0.10

        server.site = changed
        start = len(server.requests)
        third = run_crawl(server.root, tmp_path)
        assert third.returncode == 0, third.log[-2000:]
        home = [urlsplit(r[1]).path for r in server.requests[start:] if urls.kind(r[1].split("?")[0]) == "home"]
    # the new article is on the first home page: the walk reads the next one, finds
    # nothing new there and stops (not every page number the first page links to)
    assert home == ["/", "/page/2/"]

    old, new = expected_by_url(base, server.root), expected_by_url(changed, server.root)
    differ = {url for url, item in new.items() if old.get(url) != item}
    assert len(differ) == 2
    assert {item["url"] for item in third.items} == differ
    for item in third.items:
        assert {k: v for k, v in item.items() if k != "crawled_at"} == new[item["url"]]
    modified = next(url for url in differ if url in old)
    assert new[modified]["modified_at"] != old[modified]["modified_at"]
    assert new[modified]["body"] != old[modified]["body"]
    assert third.stats["tmv/new"] == 1 and third.stats["tmv/updated"] == 1
    assert third.stats["downloader/request_count"] <= first_requests * 0.10


def test_full_walk_fetches_every_article_but_exports_only_changes(tmp_path):
    site = build_site(60, seed=4)
    with MirrorServer(site) as server:
        first = run_crawl(server.root, tmp_path)
        assert first.returncode == 0
        start = len(server.requests)
        full = run_crawl(server.root, tmp_path, "-a", "full=1")
        fetched = {urlsplit(r[1]).path for r in server.requests[start:] if r[2] == 200}
    assert full.returncode == 0
    assert {urlsplit(url).path for url in expected_by_url(site, server.root)} <= fetched
    assert full.items == []
    assert full.stats["tmv/unchanged"] == len(site.expected)
