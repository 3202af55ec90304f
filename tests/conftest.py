"""Shared fixtures: the project's own mirror on a free loopback port, a real WordPress, and a crawl runner."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tmvmirror.server import MirrorServer, crawl_command
from tmvmirror.site import ROOT as LIVE, build_site

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE_ARTICLES = 300
SITE_SEED = 7
# A local mirror needs no politeness delays; retries wait what Retry-After says.
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "TMV_RETRY_BACKOFF=0.05",
    "-s",
    "LOG_LEVEL=INFO",
]


@pytest.fixture(scope="session")
def site():
    return build_site(SITE_ARTICLES, seed=SITE_SEED)


@pytest.fixture(scope="session")
def mirror(site):
    with MirrorServer(site) as server:
        yield server


@pytest.fixture(scope="session")
def wordpress():
    """Debian's WordPress on loopback, set up from tests/wordpress/sample.json; skipped where its
    packages are missing (.ci/run installs them)."""
    from .wordpress import SAMPLE, WordPress, missing

    if reason := missing():
        pytest.skip(reason)
    with WordPress(json.loads(SAMPLE.read_text("utf-8"))) as server:
        yield server


def localise(value, root: str):
    """An expected item (named after the live host) as the mirror at *root* serves it."""
    return json.loads(json.dumps(value).replace(LIVE, root))


def expected_by_url(site, root: str) -> dict[str, dict]:
    return {item["url"]: item for item in localise(site.expected, root)}


@dataclass
class Crawl:
    returncode: int
    log: str
    stats: dict
    feeds: list[Path] = field(default_factory=list)

    @property
    def items(self) -> list[dict]:
        return [json.loads(line) for feed in self.feeds for line in feed.read_text("utf-8").splitlines()]


FOLDERS = ("tmv", "dev")  # the crawls' feeds and stats; those of single pages (-a url=)


def feed_files(output: Path, pattern: str = "*.jsonl") -> set[Path]:
    return {path for folder in FOLDERS for path in (output / folder).glob(pattern)}


def tmvspider_command(*args: str) -> list[str]:
    """``tmvspider ARGS`` as a user types it, run by this interpreter."""
    return [sys.executable, "-m", "tmvspider.cli", *args]


def run_crawl(root: str, output: Path, *args: str, timeout: float = 300, python: tuple[str, ...] = ()) -> Crawl:
    """``scrapy crawl tmv`` as a user runs it, against *root*, feeds and state under *output*
    (*python*: options for the interpreter itself)."""
    before = feed_files(output)
    stats_before = feed_files(output, "*.stats.json")
    command = crawl_command(root, output, *FAST, *args, python=python)
    done = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=timeout)
    new_stats = sorted(feed_files(output, "*.stats.json") - stats_before)
    stats = json.loads(new_stats[-1].read_text()) if new_stats else {}
    return Crawl(done.returncode, done.stderr, stats, sorted(feed_files(output) - before))


@pytest.fixture
def spider(tmp_path):
    """The tmv spider on its own, no crawl: its callbacks fed pages by hand."""
    from scrapy.utils.test import get_crawler

    from tmvspider import settings as project
    from tmvspider.keeper import StateKeeper
    from tmvspider.spiders.tmv import TmvSpider

    values = {name: getattr(project, name) for name in dir(project) if name.isupper()}
    crawler = get_crawler(TmvSpider, {**values, "TMV_OUTPUT_DIR": str(tmp_path)})
    crawler.spider = spider = TmvSpider.from_crawler(crawler, base_url="http://127.0.0.1:9")
    spider.keeper = StateKeeper.from_crawler(crawler)  # as a crawl builds it: after its spider
    spider.keeper.walking = True  # as start() has it when it walks the site
    yield spider
    spider.keeper.close()


def fed(spider, url: str, kind: str, body: bytes):
    """The response a crawl would give the spider's own request for *url*."""
    from scrapy.http import HtmlResponse

    request = spider.follow(url, kind)
    return HtmlResponse(request.url, body=body, encoding="utf-8", request=request)


@pytest.fixture
def tmpfs(tmp_path):
    """``tmpfs(size_kb, readonly=False)``: a small disk of its own (a tmpfs mounted under
    tmp_path), to fill or to find read-only as a user's may be; unmounted whatever happens.
    Skips, with the reason, where mounting is not allowed (not root, or refused)."""
    mounted = []

    def mount(size_kb: int, readonly: bool = False) -> Path:
        if os.geteuid() != 0:  # a real mount: chmod does not stop root, which the tests run as in CI
            pytest.skip("a small or read-only disk needs mount, that is root (CI runs the tests as root)")
        folder = tmp_path / f"disk{len(mounted)}"
        folder.mkdir()
        options = f"size={size_kb}k" + (",ro" if readonly else "")
        try:
            done = subprocess.run(
                ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                capture_output=True,
                text=True,
                timeout=30,
            )
        except OSError as error:
            pytest.skip(f"cannot run mount: {error}")
        if done.returncode:
            pytest.skip(f"mount refused: {(done.stderr.strip() or done.returncode)!s:.200}".splitlines()[0])
        mounted.append(folder)
        return folder

    try:
        yield mount
    finally:
        if mounted:
            # lazy: detached even while a killed test's process still holds a file there
            subprocess.run(["umount", "--lazy", *map(str, reversed(mounted))], check=True, timeout=30)


def fill(folder: Path) -> None:
    """Fill the disk of *folder* to the brim (a ``filler`` file takes what space is left)."""
    with open(folder / "filler", "wb", buffering=0) as filler:
        try:
            while filler.write(bytes(4096)):
                pass
        except OSError as error:
            assert error.errno == errno.ENOSPC, error
