"""A field whose reader raises on an odd page costs that field, not the article nor the run."""

from __future__ import annotations

import logging

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.items import ArticleItem, empty
from tmvspider.outcome import exit_code, summary
from tmvspider.parsers import parse_article
from tmvspider.parsers.base import ArticleParser

from .conftest import expected_by_url, fed, run_crawl
from .field_breaker import odd_page
from .test_mirror import SEED_ITEM
from .test_parsers import HOSTS, PAGES, extracted, saved

N = 60  # over TMV_COVERAGE_MIN_ITEMS (50): the coverage alarms may fire
SEED = (PAGES / "seed.html").read_bytes()
URL = "http://127.0.0.1:9/article/seed/"


def test_a_field_whose_reader_raises_is_left_empty_and_the_rest_is_exact(monkeypatch):
    monkeypatch.setattr(ArticleParser, "tags", odd_page)
    assert extracted(saved("seed")[0], hosts=HOSTS) == {**SEED_ITEM, "tags": []}


def test_the_spider_exports_the_article_and_says_which_field_broke_once(spider, monkeypatch, caplog):
    whole = list(spider.parse_article(fed(spider, URL, "article", SEED)))
    spider.seen.clear()
    monkeypatch.setattr(ArticleParser, "tags", odd_page)
    with caplog.at_level(logging.DEBUG, logger="tmv"):
        broken = list(spider.parse_article(fed(spider, URL, "article", SEED)))
    whole, broken = (
        [dict(x) | {"crawled_at": 0} for x in out if isinstance(x, ArticleItem)] for out in (whole, broken)
    )
    assert whole[0]["tags"]  # the page has tags: the broken reader lost them, and only them
    assert broken == [{**whole[0], "tags": []}]
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warnings == [f"{URL}: tags could not be read, left empty (ValueError: odd page {URL})"]
    debug = [r.getMessage() for r in caplog.records if r.levelname == "DEBUG" and "Traceback" in r.getMessage()]
    assert len(debug) == 1 and "in odd_page" in debug[0] and debug[0].startswith(f"{URL}: tags")
    assert spider.crawler.stats.get_value("tmv/field_errors/tags") == 1
    assert spider.crawler.stats.get_value("tmv/not_article") is None


@pytest.mark.parametrize("field", ["url", "title", "published_at"])
def test_a_page_whose_essential_field_broke_is_no_article_not_a_crash(spider, monkeypatch, field):
    monkeypatch.setattr(ArticleParser, field, odd_page)
    assert parse_article(saved("seed")[0], hosts=HOSTS) is None
    assert list(spider.parse_article(fed(spider, URL, "article", SEED))) == []
    stats = spider.crawler.stats
    assert stats.get_value("tmv/not_article") == 1 and stats.get_value(f"tmv/field_errors/{field}") == 1


def test_markup_nested_too_deep_in_one_field_still_fails_the_page(spider, monkeypatch):
    def too_deep(parser):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(ArticleParser, "body", too_deep)
    assert list(spider.parse_article(fed(spider, URL, "article", SEED))) == []
    assert spider.crawler.stats.get_value("tmv/failed/too_deep") == 1
    assert spider.crawler.stats.get_value("tmv/field_errors/body") is None


@pytest.fixture(scope="module")
def mirror60():
    site = build_site(N, seed=21)
    with MirrorServer(site) as server:
        yield site, server


@pytest.mark.parametrize(
    ("breaker", "field", "code"),
    [("BreakTags", "tags", 3), ("BreakLead", "lead", 0)],  # tags have a coverage threshold, the lead none
)
def test_a_crawl_where_a_field_breaks_on_every_page_exports_every_article(mirror60, tmp_path, breaker, field, code):
    site, server = mirror60
    crawl = run_crawl(server.root, tmp_path, "-s", f'ADDONS={{"tests.field_breaker.{breaker}": 0}}')
    assert crawl.returncode == code, crawl.log[-3000:]
    assert exit_code(crawl.stats) == code
    expected = expected_by_url(site, server.root)
    got = {item["url"]: item for item in crawl.items}
    assert len(crawl.items) == len(expected) == N
    assert {url: {name: got[url][name] for name in item} for url, item in expected.items()} == {
        url: {**item, field: empty(field)} for url, item in expected.items()
    }
    assert crawl.stats[f"tmv/field_errors/{field}"] == N
    warned = [line for line in crawl.log.splitlines() if f"{field} could not be read" in line]
    assert len(warned) == N and all("WARNING" in line and "ValueError: odd page" in line for line in warned)
    assert "Traceback" not in crawl.log  # at DEBUG only
    assert f"fields whose reader raised (left empty, see the log): {field} {N}" in summary(crawl.stats)
    alarms = sorted(k for k in crawl.stats if k.startswith("tmv/alarm/"))
    assert alarms == (["tmv/alarm/tags"] if field == "tags" else [])
