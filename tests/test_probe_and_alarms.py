"""`tmvspider probe` and the coverage alarms, on mirrors where a field, the sitemaps or the
article pages are taken away (the mirror's ``without=`` and ``sitemaps=``)."""

from __future__ import annotations

import subprocess

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site

from .conftest import PROJECT, run_crawl, tmvspider_command

N = 60  # over TMV_COVERAGE_MIN_ITEMS (50): the alarms may fire


def probe(root: str, *args: str) -> subprocess.CompletedProcess:
    polite_off = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TMV_RETRY_BACKOFF=0.05"]
    return subprocess.run(
        tmvspider_command("probe", "--base-url", root, *args, *polite_off),
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def whole():
    with MirrorServer(build_site(N, seed=21)) as server:
        yield server


def test_probe_reads_every_source_and_a_few_articles_politely(whole):
    start = len(whole.requests)
    done = probe(whole.root)
    assert done.returncode == 0, done.stderr
    assert len(whole.requests) - start <= 30
    out = done.stdout
    for source in ("robots.txt", "home page", "sitemap (robots.txt)", "next listing page", "feed"):
        assert source in out
    assert "1 sitemap(s) named" in out  # /sitemap.xml, from robots.txt
    # no /wp-json/ on the mirror: one line, each namespace's answer, as the crawl logs it
    assert [line for line in out.splitlines() if "API" in line] == [
        f"no API at {whole.root}/wp-json/ (wp/v2: 404; ampize/v1: 404): discovery through sitemaps, feed and "
        "listings (the home page names none)"
    ]
    lines = [line for line in out.splitlines() if line.startswith("/article/")]
    assert 3 <= len(lines) <= 5
    assert all(any(name in line for name in ("legacy", "current", "theme-free")) for line in lines)
    assert "title" in lines[0] and "published_at" in lines[0]
    assert out.rstrip().endswith("the site can be crawled")


def test_probe_within_a_budget_too_small_for_an_article_says_so_in_one_line(whole):
    start = len(whole.requests)
    done = probe(whole.root, "-s", "TMV_PROBE_REQUESTS=2")
    assert len(whole.requests) - start <= 2 + 1  # robots.txt aside
    assert done.returncode == 1 and done.stderr == "tmvspider: no article page asked: TMV_PROBE_REQUESTS (2) spent\n"


def test_probe_without_sitemaps_still_finds_articles_through_the_listings():
    with MirrorServer(build_site(N, seed=21, sitemaps="none")) as server:
        done = probe(server.root)
    assert done.returncode == 0, done.stderr
    assert "0 sitemap(s) named" in done.stdout
    assert "/wp-sitemap.xml" in done.stdout and "no (http_404)" in done.stdout  # the usual names tried in turn


def test_probe_finds_a_sitemap_robots_txt_does_not_name():
    with MirrorServer(build_site(N, seed=21, sitemaps="unnamed")) as server:
        done = probe(server.root)
    assert done.returncode == 0, done.stderr
    assert "/wp-sitemap.xml" in done.stdout and "index of" in done.stdout


def test_probe_says_in_one_line_when_the_pages_are_no_articles():
    with MirrorServer(build_site(N, seed=21, without={"dates"})) as server:
        done = probe(server.root)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "none read as an article" in done.stderr


def test_probe_of_a_site_that_is_not_up_is_one_line():
    done = probe("http://127.0.0.1:9")
    assert done.returncode == 1 and done.stderr.count("\n") == 1 and "cannot reach" in done.stderr
    assert done.stdout == ""


def test_probe_of_a_site_with_no_article_link_and_no_sitemap():
    site = build_site(N, seed=21, sitemaps="none")
    site.pages["/"] = site.pages["/wp-admin/"]  # a home page that links nothing
    for path in [p for p in site.pages if p.startswith("/page/") or p == "/feed/"]:
        del site.pages[path]
    with MirrorServer(site) as server:
        done = probe(server.root)
    assert done.returncode == 1 and "no sitemap and no article link found" in done.stderr


def test_a_whole_mirror_raises_no_alarm(whole, tmp_path):
    crawl = run_crawl(whole.root, tmp_path)
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert not [k for k in crawl.stats if k.startswith("tmv/alarm")]
    assert crawl.stats["tmv/coverage/title"] == 100.0 and crawl.stats["tmv/coverage/tags"] > 50


@pytest.mark.parametrize("field", ["tags", "categories", "author"])
def test_a_field_taken_away_raises_its_alarm(field, tmp_path):
    with MirrorServer(build_site(N, seed=21, without={field})) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 3, crawl.log[-2000:]
    errors = [line for line in crawl.log.splitlines() if "ERROR" in line and "coverage alarm" in line]
    assert len(errors) == 1 and f"{field} read on 0.0 % of {N} articles" in errors[0]
    assert errors[0].count(server.root + "/article/") == 3  # three sample URLs
    assert crawl.stats[f"tmv/alarm/{field}"] == 0.0
    assert f"ALARM: coverage alarm: {field} 0.0 %" in crawl.log  # in the summary line
    assert "tmv: coverage alarm" in crawl.log.splitlines()[-1]


def test_a_small_incremental_run_raises_no_alarm(tmp_path):
    """Under TMV_COVERAGE_MIN_ITEMS articles read, a run says nothing of coverage."""
    site = build_site(N, seed=21, without={"tags"})
    with MirrorServer(site) as server:
        assert run_crawl(server.root, tmp_path).returncode == 3
        server.site = build_site(N, seed=21, without={"tags"}, extra_articles=2)
        again = run_crawl(server.root, tmp_path)
    assert again.returncode == 0, again.log[-2000:]
    assert again.stats["tmv/new"] == 2 and not [k for k in again.stats if k.startswith("tmv/alarm")]


def test_a_full_walk_that_reads_no_article_raises_the_alarm(tmp_path):
    with MirrorServer(build_site(N, seed=21, without={"dates"})) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 3
    assert "coverage alarm: no article found" in crawl.log
    assert crawl.stats["tmv/alarm/no_article"] == 0.0 and crawl.stats["tmv/not_article"] >= N - 5


def test_thresholds_are_settings(whole, tmp_path):
    crawl = run_crawl(whole.root, tmp_path, "-s", 'TMV_COVERAGE_MIN={"lead": 100}')
    assert crawl.returncode == 3 and list(k for k in crawl.stats if k.startswith("tmv/alarm/")) == ["tmv/alarm/lead"]


def test_article_pages_that_no_longer_read_as_articles_raise_the_alarm(tmp_path):
    """A redesign the readers miss on most pages (a mirror whose pages show no date), while a
    few still read: the share of article pages read as no article is what tells."""
    site = build_site(N, seed=21, without={"dates"})
    whole = build_site(N, seed=21)
    for path in [a.path for a in whole.articles][:10]:  # a few pages as they were
        site.pages[path] = whole.pages[path]
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
    assert crawl.returncode == 3, crawl.log[-2000:]
    assert crawl.stats["tmv/alarm/not_article"] > 25 and "did not read as articles" in crawl.log
