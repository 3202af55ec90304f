"""Crash safety: kill -9 at any moment, run again, every article exactly once, no partial line."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections import Counter

import pytest

from tmvspider.mirror.server import MirrorServer
from tmvspider.mirror.site import build_site

from .conftest import FAST, PROJECT, expected_by_url, run_crawl

N, SEED, BATCH = 120, 5, 7


@pytest.mark.parametrize("kill_after_requests", [4, 40, 110])  # early, mid-crawl, near the end
def test_kill_9_then_the_same_command_exports_every_article_once(tmp_path, kill_after_requests):
    site = build_site(N, seed=SEED)
    args = ("-s", f"TMV_FEED_BATCH={BATCH}")
    with MirrorServer(site) as server:
        command = [sys.executable, "-m", "scrapy", "crawl", "tmv", "-a", f"base_url={server.root}",
                   "-s", f"TMV_OUTPUT_DIR={tmp_path}", *FAST, *args]
        victim = subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert server.wait_for_requests(kill_after_requests, timeout=120)
        finally:
            victim.send_signal(signal.SIGKILL)
            victim.wait()
        again = run_crawl(server.root, tmp_path, *args)
        assert again.returncode == 0, again.log[-2000:]

    assert not list(tmp_path.rglob("*.part"))
    urls = []
    for feed in (tmp_path / "tmv").glob("*.jsonl"):
        text = feed.read_text("utf-8")
        assert text.endswith("\n")
        urls += [json.loads(line)["url"] for line in text.splitlines()]  # every line whole
    counts = Counter(urls)
    assert [u for u, n in counts.items() if n > 1] == []
    assert set(counts) == set(expected_by_url(site, server.root))
