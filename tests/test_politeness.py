"""Politeness and plain failures: Crawl-delay, Retry-After, robots.txt, dropped items."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.middlewares import retry_after_seconds

from .conftest import run_crawl


def test_retry_after_header_forms():
    now = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds(format_datetime(now + timedelta(seconds=30), usegmt=True), now=now) == 30
    assert retry_after_seconds(format_datetime(now - timedelta(seconds=30), usegmt=True), now=now) == 0
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_robots_crawl_delay_spaces_every_request(tmp_path):
    site = build_site(4, seed=2)
    robots = site.pages["/robots.txt"]
    site.pages["/robots.txt"] = replace(
        robots, body=robots.body.replace(b"User-agent: *\n", b"User-agent: *\nCrawl-delay: 0.3\n")
    )
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path)
        times = [r[3] for r in server.requests if r[1] != "/robots.txt"]
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert crawl.stats["tmv/robots_crawl_delay"] == 0.3
    assert len(times) > 5
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.28


def test_an_item_that_breaks_the_schema_is_dropped_with_one_line_and_counted(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><link rel="canonical" href="https://www.tmvtours.fr/article/sans-date/"></head>'
        '<body class="page-article"><h1 class="article-title">Sans date</h1>'
        '<p class="article-meta">Publié le bientôt</p></body></html>',
        encoding="utf-8",
    )
    crawl = run_crawl("https://www.tmvtours.fr", tmp_path / "out", "-a", f"url={page.as_uri()}")
    assert crawl.stats["tmv/invalid"] == 1 and crawl.stats["tmv/missing/published_at"] == 1
    assert crawl.feeds == []
    dropped = [line for line in crawl.log.splitlines() if "Dropped:" in line]
    assert len(dropped) == 1 and "published_at" in dropped[0]
    assert "Sans date" not in crawl.log  # the reason, not the whole item


def test_bad_spider_arguments_are_one_line_and_exit_2(tmp_path):
    crawl = run_crawl("ftp://nowhere", tmp_path)
    assert crawl.returncode == 2
    assert crawl.log.strip().splitlines()[-1] == (
        "tmv: base_url must be an http(s) URL such as https://www.tmvtours.fr, not 'ftp://nowhere'"
    )
    assert "Traceback" not in crawl.log


def corrupt_state(folder):
    folder.mkdir()
    (folder / "state.sqlite3").write_bytes(b"not a database at all" * 200)


def newer_state(folder):
    import sqlite3

    from tmvspider.state import CrawlState

    CrawlState(folder).close()
    db = sqlite3.connect(folder / "state.sqlite3")
    db.execute("PRAGMA user_version=99")
    db.close()  # and its WAL files with it


@pytest.mark.parametrize(
    "case, message",
    [
        ("unreachable", "cannot reach http://127.0.0.1:9 (Connection refused)"),
        ("output_is_a_file", "cannot write the state folder"),  # the state lives in the output folder
        ("corrupt_state", "is unreadable (file is not a database): move it away"),
        ("newer_state", "was written by a newer tmvspider"),
    ],
)
def test_a_bad_setup_is_one_line_and_exit_1_before_anything_is_touched(tmp_path, mirror, case, message):
    output, root = tmp_path / "out", mirror.root
    if case == "unreachable":
        root = "http://127.0.0.1:9"
    elif case == "output_is_a_file":
        output.write_text("a file, not a folder")
    elif case == "corrupt_state":
        output.mkdir()
        corrupt_state(output / "state")
    else:
        output.mkdir()
        newer_state(output / "state")
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    crawl = run_crawl(root, output)
    assert crawl.returncode == 1
    assert crawl.log.count("\n") == 1 and message in crawl.log, crawl.log
    made = {
        p.relative_to(output).parent
        for p in {p for p in tmp_path.rglob("*") if p.is_file()} - before
        if p.name != ".lock"
    }
    # the lock file aside, only the failed run's record, where the output takes it
    assert made == (set() if case == "output_is_a_file" else {Path("tmv")})
    if made:
        assert crawl.stats["finish_reason"] == "preflight_failed"
        assert f"tmv: {crawl.stats['tmv/preflight_error']}\n" == crawl.log


def test_a_bad_number_setting_is_one_line_and_exit_2(tmp_path, mirror):
    crawl = run_crawl(mirror.root, tmp_path, "-s", "TMV_FEED_BATCH=lots")
    assert crawl.returncode == 2
    assert crawl.log == "tmv: setting TMV_FEED_BATCH must be a whole number of at least 1, not 'lots'\n"


@pytest.mark.parametrize(
    "setting, message",
    [
        ("TMV_MAX_LISTING_PAGES=0", "TMV_MAX_LISTING_PAGES must be a whole number of at least 1, not '0'"),
        ("TMV_FEED_BATCH=-5", "TMV_FEED_BATCH must be a whole number of at least 1, not '-5'"),
        ("DOWNLOAD_DELAY=-1", "DOWNLOAD_DELAY must be a number of at least 0, not '-1'"),
        ("TMV_RETRY_AFTER_MAX=inf", "TMV_RETRY_AFTER_MAX must be a number of at least 0, not 'inf'"),
        ("DOWNLOAD_DELAY=nan", "DOWNLOAD_DELAY must be a number of at least 0, not 'nan'"),
    ],
)
def test_a_number_setting_out_of_range_is_refused(setting, message):
    from scrapy.settings import Settings

    from tmvspider import settings as project
    from tmvspider.preflight import BadSetting, numbers

    settings = Settings()
    settings.setmodule(project)
    numbers(settings)  # the defaults pass
    name, value = setting.split("=")
    settings.set(name, value, priority="cmdline")
    with pytest.raises(BadSetting, match=message):
        numbers(settings)


@pytest.mark.parametrize(
    "arguments, message",
    [
        (
            {"fulll": "1"},
            "unknown argument 'fulll': the tmv spider takes base_url, url and full "
            "(Scrapy's settings go with -s, e.g. -s USER_AGENT=…)",
        ),
        # spider attributes Scrapy 2.19 reads only with a deprecation warning, and after the checks
        (
            {"download_delay": "nan"},
            "unknown argument 'download_delay': the tmv spider takes base_url, url and full "
            "(Scrapy's settings go with -s, e.g. -s USER_AGENT=…)",
        ),
        ({"full": "maybe"}, "full takes 1 or 0 (true/false, yes/no, on/off), not 'maybe'"),
    ],
)
def test_an_unknown_or_unclear_spider_argument_is_refused(arguments, message):
    from scrapy.exceptions import UsageError

    from tmvspider.spiders.tmv import TmvSpider

    for fine in ({}, {"full": "1"}, {"full": "no"}, {"_job": "abc"}):  # _job: scrapyd's
        TmvSpider.check_arguments(**fine)
    with pytest.raises(UsageError) as refused:
        TmvSpider.check_arguments(**arguments)
    assert str(refused.value) == message


def test_a_misspelt_argument_is_one_line_and_exit_2(tmp_path, mirror):
    crawl = run_crawl(mirror.root, tmp_path, "-a", "fulll=1")
    assert crawl.returncode == 2
    assert crawl.log == (
        "tmv: unknown argument 'fulll': the tmv spider takes base_url, url and full "
        "(Scrapy's settings go with -s, e.g. -s USER_AGENT=…)\n"
    )


def test_scrapy_crawl_takes_the_same_lock_as_the_cron_command(tmp_path, mirror):
    from tmvspider.state import lock

    held = lock(tmp_path / "state")
    try:
        crawl = run_crawl(mirror.root, tmp_path)
    finally:
        held.close()
    assert crawl.returncode == 75
    assert "another crawl is running" in crawl.log and not (tmp_path / "tmv").exists()


def test_retry_after_holds_back_the_whole_host(tmp_path):
    site = build_site(60, seed=1)
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path, "-s", "DOWNLOAD_DELAY=0.01", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=1")
        requests = list(server.requests)
    assert crawl.returncode == 0, crawl.log[-2000:]
    unavailable = [i for i, r in enumerate(requests) if r[2] == 503]
    assert unavailable
    for i in unavailable:
        if i + 1 < len(requests):  # the next request to the host waited what Retry-After asked
            assert requests[i + 1][3] - requests[i][3] >= 0.95


def test_a_bad_number_setting_is_caught_for_single_pages_too(tmp_path):
    crawl = run_crawl(
        "https://www.tmvtours.fr", tmp_path, "-a", "url=file:///nowhere.html", "-s", "TMV_RETRY_BACKOFF=soon"
    )
    assert (
        crawl.returncode == 2
        and crawl.log == "tmv: setting TMV_RETRY_BACKOFF must be a number of at least 0, not 'soon'\n"
    )


def test_the_feeds_folder_is_locked_too(tmp_path, mirror):
    """Another crawl with its own state must not clean up this one's unfinished files."""
    from tmvspider.state import lock

    held = lock(tmp_path)  # the output folder of a running crawl
    try:
        crawl = run_crawl(mirror.root, tmp_path, "-s", f"TMV_STATE_DIR={tmp_path / 'other-state'}")
    finally:
        held.close()
    assert crawl.returncode == 75 and "another crawl is running" in crawl.log
