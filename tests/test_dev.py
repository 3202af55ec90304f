"""The tools developers reach for: `scrapy parse`, `scrapy shell`, `scrapy check`,
run as a Scrapy user types them, against the project's mirror or its saved pages."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

import tmvspider
from tmvspider import contracts
from tmvspider.spiders import tmv

from .conftest import FIXTURES, LIVE, PROJECT

PAGES = FIXTURES / "pages"


def contract_pages() -> set[str]:
    """The NAMEs of every `@page NAME` in the spider's contracts (its callbacks' own or inherited)."""
    callbacks = inspect.getmembers(tmv.TmvSpider, inspect.isfunction)
    return {name for _, callback in callbacks for name in re.findall(r"@page (\S+)", callback.__doc__ or "")}


def scrapy(*args, output):
    """A scrapy command in the project, its output folder set to *output* (to see it stays empty)."""
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args, "-s", f"TMV_OUTPUT_DIR={output}"],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def paths(mirror, since):
    return [r[1] for r in mirror.requests[since:]]


@pytest.mark.parametrize("spider", [["--spider", "tmv"], []])
def test_scrapy_parse_prints_the_article_of_a_mirror_page(tmp_path, mirror, site, spider):
    article = site.expected[0]
    before = len(mirror.requests)
    done = scrapy("parse", *spider, article["url"].replace(LIVE, mirror.root), "--nocolour", output=tmp_path / "out")
    assert done.returncode == 0, done.stderr[-3000:]
    assert repr(article["title"]) in done.stdout and "# Scraped Items" in done.stdout
    assert "Traceback" not in done.stderr and "WARNING" not in done.stderr, done.stderr[-3000:]
    assert paths(mirror, before) == ["/robots.txt", article["url"].replace(LIVE, "")]  # that page only
    assert not (tmp_path / "out").exists()  # no state, no feed, no stats


def test_scrapy_parse_of_a_listing_prints_its_links(tmp_path, mirror):
    done = scrapy("parse", "--spider", "tmv", mirror.root + "/", "--nocolour", output=tmp_path / "out")
    assert done.returncode == 0, done.stderr[-3000:]
    assert f"<GET {mirror.root}/article/" in done.stdout
    assert not (tmp_path / "out").exists()


def test_scrapy_parse_exits_1_when_the_page_failed(tmp_path, mirror):
    url = mirror.root + "/article/no-such-article/"
    done = scrapy("parse", "--spider", "tmv", url, output=tmp_path / "out")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == f"tmv: could not read {url} (HTTP 404)"
    assert not (tmp_path / "out").exists()


def test_scrapy_parse_exits_1_for_a_page_that_is_no_article(tmp_path):
    url = (PAGES / "home-listing.html").as_uri()  # a saved listing: no kind of its own, read as an article
    done = scrapy("parse", "--spider", "tmv", url, output=tmp_path / "out")
    assert done.returncode == 1
    assert done.stderr.splitlines()[-1] == (
        f"tmv: {url} gave nothing: not an article (nor a listing or sitemap it can read)"
    )


def test_scrapy_parse_refuses_a_bad_setting_in_one_line(tmp_path, mirror):
    before = len(mirror.requests)
    done = scrapy("parse", "--spider", "tmv", mirror.root + "/", "-s", "LOG_LEVEL=VERBOSE", output=tmp_path)
    assert (done.returncode, done.stderr) == (
        2,
        "tmv: setting LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG, not 'VERBOSE'\n",
    )
    assert len(mirror.requests) == before


def test_scrapy_shell_reads_a_page_with_parse_article(tmp_path, mirror, site):
    """As the README's hint types it: the project's parsers are in the shell."""
    article = site.expected[0]
    done = scrapy(
        "shell",
        "--spider",
        "tmv",
        article["url"].replace(LIVE, mirror.root),
        "-c",
        "parsers.parse_article(response)['title']",
        output=tmp_path / "out",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == article["title"]
    assert not (tmp_path / "out").exists()


def test_scrapy_check_runs_and_passes_the_spiders_contracts(tmp_path):
    """Every callback carries contracts on pages the package ships (the mirror's, tmvspider/pages)."""
    listed = scrapy("check", "-l", output=tmp_path / "out")
    assert listed.stdout.split() == [
        "tmv",
        "*",
        "parse",
        "*",
        "parse_article",
        "*",
        "parse_listing",
        "*",
        "parse_sitemap",
    ]
    done = scrapy("check", "tmv", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", output=tmp_path / "out")
    assert done.returncode == 0, done.stderr
    ran = re.search(r"Ran (\d+) contracts", done.stderr)
    assert ran and int(ran.group(1)) >= 8 and done.stderr.rstrip().endswith("OK"), done.stderr
    assert not (tmp_path / "out").exists()  # no state, no stats


def test_the_pages_the_contracts_name_are_in_the_package_as_the_fixtures_hold_them():
    """`scrapy check` reads them where tmvspider is installed; make_fixtures.py writes both copies."""
    names = contract_pages()
    assert {"seed.html", "sitemap-index.xml"} <= names
    assert contracts.PAGES.is_relative_to(Path(tmvspider.__file__).resolve().parent)  # not tests/: a checkout only
    for name in names:
        shipped = (contracts.PAGES / name).read_bytes()
        if (PAGES / name).exists():
            assert shipped == (PAGES / name).read_bytes(), name


def test_scrapy_shell_with_the_tmv_spider_leaves_the_crawl_state_alone(tmp_path, mirror, site):
    """`scrapy shell --spider tmv URL` while cron crawls: no state opened, no lock taken, nothing written."""
    article = site.expected[0]
    done = scrapy(
        "shell",
        "--spider",
        "tmv",
        article["url"].replace(LIVE, mirror.root),
        "-c",
        "(spider.keeper.active, spider.parse_article.__name__)",
        output=tmp_path / "out",
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "(False, 'parse_article')"
    assert not (tmp_path / "out").exists()
