"""Crash safety: kill -9 at any moment, run again, every article exactly once, no partial line."""

from __future__ import annotations

import gzip
import json
import signal
import subprocess
from collections import Counter

import pytest

from tmvmirror.server import MirrorServer, crawl_command
from tmvmirror.site import build_site

from .conftest import FAST, PROJECT, expected_by_url, run_crawl

N, SEED, BATCH = 120, 5, 7


@pytest.mark.parametrize("kill_after_requests", [4, 40, 110])  # early, mid-crawl, near the end
def test_kill_9_then_the_same_command_exports_every_article_once(tmp_path, kill_after_requests):
    site = build_site(N, seed=SEED)
    args = ("-s", f"TMV_FEED_BATCH={BATCH}")
    with MirrorServer(site) as server:
        command = crawl_command(server.root, tmp_path, *FAST, *args)
        victim = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert server.wait_for_requests(kill_after_requests, timeout=120)
        finally:
            victim.send_signal(signal.SIGKILL)
            victim.wait()
        again = run_crawl(server.root, tmp_path, *args)
        assert again.returncode == 0, again.log[-2000:]

    assert not list(tmp_path.rglob("*.part"))
    # the archive too: the killed run's file was recovered (or dropped, holding no page), every record whole
    archives = sorted((tmp_path / "archive").iterdir())
    assert 1 <= len(archives) <= 2 and all(a.name.endswith(".warc.gz") for a in archives)
    for archive in archives:
        assert gzip.decompress(archive.read_bytes()).startswith(b"WARC/1.")  # raises on a cut member
    urls = []
    for feed in (tmp_path / "tmv").glob("*.jsonl"):
        text = feed.read_text("utf-8")
        assert text.endswith("\n")
        urls += [json.loads(line)["url"] for line in text.splitlines()]  # every line whole
    counts = Counter(urls)
    assert [u for u, n in counts.items() if n > 1] == []
    assert set(counts) == set(expected_by_url(site, server.root))


def union_of_feeds(folder):
    urls = []
    for feed in (folder / "tmv").glob("*.jsonl"):
        text = feed.read_text("utf-8")
        assert text.endswith("\n")
        urls += [json.loads(line)["url"] for line in text.splitlines()]
    return Counter(urls)


def start_crawl(root, output, *args):
    command = crawl_command(root, output, *FAST, *args)
    return subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def test_sigterm_finishes_the_batch_and_saves_the_state(tmp_path):
    site = build_site(N, seed=SEED)
    with MirrorServer(site) as server:
        crawl = start_crawl(server.root, tmp_path, "-s", f"TMV_FEED_BATCH={BATCH}")
        assert server.wait_for_requests(60, timeout=120)
        crawl.send_signal(signal.SIGTERM)
        _, log = crawl.communicate(timeout=120)
        assert crawl.returncode == 1, log[-2000:]  # stopped: not a whole run, cron can tell
        assert "run failed: the crawl was stopped before its end (shutdown)" in log
        stopped = union_of_feeds(tmp_path)
        assert 0 < len(stopped) < N and max(stopped.values()) == 1
        assert not list(tmp_path.rglob("*.part"))
        from tmvspider.state import CrawlState

        state = CrawlState(tmp_path / "state")
        assert state.count() == len(stopped)  # everything in the feeds is recorded, nothing more
        state.close()
        again = run_crawl(server.root, tmp_path)
        assert again.returncode == 0
    final = union_of_feeds(tmp_path)
    assert max(final.values()) == 1 and set(final) == set(expected_by_url(site, server.root))


def test_jobdir_pause_and_resume_after_a_clean_stop(tmp_path):
    site = build_site(N, seed=SEED)
    job = ("-a", "full=1", "-s", f"JOBDIR={tmp_path / 'job'}")
    with MirrorServer(site) as server:
        crawl = start_crawl(server.root, tmp_path, *job)
        assert server.wait_for_requests(50, timeout=120)
        crawl.send_signal(signal.SIGINT)  # Ctrl-C: Scrapy saves the queue on its way out
        _, log = crawl.communicate(timeout=120)
        assert crawl.returncode == 1 and "stopped before its end" in log, log[-2000:]
        before = {r[1] for r in server.requests}
        resumed = run_crawl(server.root, tmp_path, *job)
        assert resumed.returncode == 0, resumed.log[-2000:]
        after = {r[1] for r in server.requests[len(before) :]}
    final = union_of_feeds(tmp_path)
    assert max(final.values()) == 1 and set(final) == set(expected_by_url(site, server.root))
    # the resumed job went on from its queue: it fetched again at most what was in flight at the stop
    assert len((before & after) - {"/robots.txt"}) <= 8
    assert resumed.stats["dupefilter/filtered"] > 0
