"""Scheduled crawls: reruns fetch and export only what is new or changed."""

from __future__ import annotations

from urllib.parse import urlsplit

from tmvmirror.server import MirrorServer, crawl_command
from tmvmirror.site import build_site
from tmvspider import urls

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
    site = build_site(60, seed=3)  # one article of it is linked as /?p=<id> only: fetched again too
    with MirrorServer(site) as server:
        first = run_crawl(server.root, tmp_path)
        assert first.returncode == 0
        start = len(server.requests)
        full = run_crawl(server.root, tmp_path, "-a", "full=1")
        fetched = {urls.identity(urls.canonical(server.root + r[1])) for r in server.requests[start:] if r[2] == 200}
    assert full.returncode == 0
    assert {urls.identity(url) for url in expected_by_url(site, server.root)} <= fetched  # in whichever spelling
    assert full.items == []
    assert full.stats["tmv/unchanged"] == len(site.expected)


def test_a_lastmod_ahead_of_the_page_costs_one_fetch_then_none(tmp_path):
    """A sitemap whose <lastmod> moves while the page does not change (a comment, a plugin)
    gets the article fetched once, nothing exported, and that lastmod remembered."""
    import dataclasses
    import re

    site = build_site(60, seed=4)
    with MirrorServer(site) as server:
        assert run_crawl(server.root, tmp_path).returncode == 0
        path, page = next((p, pg) for p, pg in site.pages.items() if p.startswith("/post-sitemap"))
        entry = re.search(rb"<url><loc>([^<]+)</loc><lastmod>([^<]+)</lastmod></url>", page.body)
        bumped = entry.group(0).replace(entry.group(2), b"2030-01-01T00:00:00+00:00")
        server.site = dataclasses.replace(
            site, pages={**site.pages, path: dataclasses.replace(page, body=page.body.replace(entry.group(0), bumped))}
        )
        article = urlsplit(entry.group(1).decode()).path
        fetched = []
        for _ in range(2):
            start = len(server.requests)
            run = run_crawl(server.root, tmp_path)
            assert run.returncode == 0 and run.items == []
            fetched.append([urlsplit(r[1]).path for r in server.requests[start:] if urls.kind(r[1]) == "article"])
            # the sitemap changes elsewhere (no 304 next time): only the state can tell that
            # this article's lastmod was met already
            sitemap = server.site.pages[path]
            server.site.pages[path] = dataclasses.replace(
                sitemap, body=sitemap.body.replace(b"</urlset>", b"\n</urlset>")
            )
    assert fetched == [[article], []]


def test_what_failed_is_asked_for_again_and_a_killed_run_means_a_full_walk(tmp_path):
    """Nothing is lost: a page that failed is kept in the state and asked for again by every
    run until it comes (one request a run, no full walk); a run that was killed may have
    left holes nobody recorded, so the next one walks the archives too."""
    import signal
    import subprocess

    from tmvmirror.faults import Fault

    from .conftest import FAST, PROJECT

    base = build_site(N, seed=SEED)
    changed = build_site(N, seed=SEED, extra_articles=1)
    new = next(url for url in expected_by_url(changed, "") if url not in expected_by_url(base, ""))
    with MirrorServer(base) as server:
        assert not run_crawl(server.root, tmp_path).returncode
        server.site, server.faults = changed, {new: Fault("status", 0, 500)}
        runs, asked = [], []
        for fault in (True, True, False, False):
            server.faults = {new: Fault("status", 0, 500)} if fault else {}
            start = len(server.requests)
            runs.append(run_crawl(server.root, tmp_path))
            asked.append(sum(1 for r in server.requests[start:] if urlsplit(r[1]).path == new))
        assert [r.returncode for r in runs] == [0, 0, 0, 0]
        assert [bool(r.stats.get("tmv/full_walk")) for r in runs] == [False] * 4
        attempts = 1 + 4  # RETRY_TIMES: 4
        assert asked == [attempts, attempts, 1, 0]  # found in its sitemap, then asked for again, then done
        assert [r.stats.get("tmv/pending/added") for r in runs] == [1, 1, None, None]
        assert [[i["url"] for i in r.items] for r in runs] == [[], [], [server.root + new], []]

        start = len(server.requests)  # killed once its spider is open, then run again
        victim = subprocess.Popen(
            crawl_command(server.root, tmp_path, *FAST),
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert server.wait_for_requests(start + 1, timeout=120)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        after_kill = [run_crawl(server.root, tmp_path) for _ in range(2)]
        assert [bool(r.stats.get("tmv/full_walk")) for r in after_kill] == [True, False]
