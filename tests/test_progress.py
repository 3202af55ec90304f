"""Progress lines of a real crawl, in the log and in `tmvspider crawl --log-file`, and that file's rotation."""

from __future__ import annotations

import re
import subprocess

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.progress import progress_line

from .conftest import run_crawl, tmvspider_command


@pytest.fixture(scope="module")
def mirror(site):
    """A mirror of this module's own: the shared one serves its one-time 503s to tests/test_crawl.py."""
    with MirrorServer(site) as server:
        yield server


FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TMV_RETRY_BACKOFF=0.05"]
LINE = re.compile(
    r"progress: (\d+) articles exported, (\d+) unchanged, of (\d+) known so far \((\d+) known, "
    r"not fetched again\); (\d+) to go; (\d+) requests, (\d+) failed.*; [\d.]+ articles/min, "
    r"(about .+ left|nothing left that is known|no article read yet, no estimate)$",
    re.M,
)
END = re.compile(
    r"progress \(end\): (\d+) articles exported, (\d+) unchanged, of (\d+) known so far "
    r"\((\d+) known, not fetched again\); 0 to go; (\d+) requests, (\d+) failed.*; "
    r"[\d.]+ articles/min, took \d+ s$",
    re.M,
)


def test_a_crawl_logs_its_progress_periodically_and_at_the_end(mirror, site, tmp_path):
    crawl = run_crawl(mirror.root, tmp_path / "out", "-s", "TMV_PROGRESS_INTERVAL=0.1")
    assert crawl.returncode == 0, crawl.log[-2000:]
    n = len(site.expected)
    periodic = [tuple(map(int, m.groups()[:7])) for m in LINE.finditer(crawl.log)]
    assert periodic, crawl.log[-3000:]
    exported = [p[0] for p in periodic]
    assert exported == sorted(exported) and all(p[0] <= p[2] <= n for p in periodic)
    end = END.findall(crawl.log)
    assert len(end) == 1
    exported, unchanged, known, skipped, requests, failed = map(int, end[0])
    assert (exported, unchanged, known, skipped) == (n, 0, n, 0)
    assert requests == crawl.stats["downloader/request_count"]
    assert failed == sum(v for k, v in crawl.stats.items() if k.startswith("tmv/failed/"))
    # an incremental rerun on the unchanged site: its sitemaps and listings answer 304, naming no article
    again = run_crawl(mirror.root, tmp_path / "out", "-s", "TMV_PROGRESS_INTERVAL=0.1")
    assert again.stats.get("tmv/skipped/known", 0) + again.stats.get("tmv/requests/article", 0) == 0
    assert (
        "progress (end): 0 articles exported, 0 unchanged, no article named by the pages read; 0 to go; " in again.log
        and "known so far" not in again.log
    )


def test_the_estimate_is_what_is_left_at_the_rate_so_far():
    stats = {
        "tmv/requests/article": 300,
        "tmv/skipped/known": 100,
        "item_scraped_count": 90,
        "item_dropped_count": 10,
        "downloader/request_count": 150,
        "tmv/failed/http_404": 2,
    }
    line = progress_line(stats, elapsed=60.0)
    assert line == (
        "progress: 90 articles exported, 0 unchanged, of 400 known so far (100 known, not fetched "
        "again); 198 to go; 150 requests, 2 failed (http_404 2); 100.0 articles/min, about 1 min 59 s left"
    )
    assert progress_line({}, elapsed=5.0).endswith("nothing left that is known")
    assert "no article read yet" in progress_line({"tmv/requests/article": 5}, elapsed=5.0)
    assert progress_line(stats, elapsed=3700, final=True).endswith("took 1 h 1 min")
    # an unchanged site: its sitemaps and listings answer 304, and name no article
    assert progress_line({"downloader/request_count": 4}, elapsed=1.0, final=True).startswith(
        "progress (end): 0 articles exported, 0 unchanged, no article named by the pages read; 0 to go; 4 requests"
    )


def test_crawl_log_file_gets_the_progress_and_rotates(tmp_path):
    site = build_site(60, seed=12)
    log = tmp_path / "logs" / "crawl.log"
    with MirrorServer(site) as server:
        done = subprocess.run(
            tmvspider_command(
                "crawl",
                "--base-url",
                server.root,
                "--output-dir",
                str(tmp_path / "out"),
                "--log-file",
                str(log),
                *FAST,
                "-s",
                "LOG_LEVEL=DEBUG",
                "-s",
                "TMV_PROGRESS_INTERVAL=0.1",
                "-s",
                "TMV_LOG_MAX_BYTES=20000",
                "-s",
                "TMV_LOG_BACKUPS=2",
            ),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stderr == ""  # everything goes to the file
    files = sorted(p.name for p in log.parent.iterdir())
    assert files == ["crawl.log", "crawl.log.1", "crawl.log.2"]  # rotated, two old files kept, no more
    assert all(p.stat().st_size <= 20000 + 5000 for p in log.parent.iterdir())  # one record may overshoot
    text = "".join((log.parent / name).read_text("utf-8") for name in reversed(files))  # oldest first
    assert "[tmvspider.progress] INFO: progress (end): 60 articles exported" in text
    assert "[tmvspider.extensions] INFO: run finished: 60 articles exported" in text
    assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \[", text)  # Scrapy's own format


@pytest.mark.parametrize("setting", ["TMV_PROGRESS_INTERVAL=soon", "TMV_LOG_MAX_BYTES=-1", "TMV_LOG_BACKUPS=two"])
def test_a_bad_progress_or_log_setting_is_one_line_and_exit_2(tmp_path, setting):
    done = subprocess.run(
        tmvspider_command("crawl", "--base-url", "http://127.0.0.1:9", "--output-dir", str(tmp_path), "-s", setting),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.startswith(f"tmvspider: setting {setting.split('=')[0]} must be")
    assert len(done.stderr.strip().splitlines()) == 1
