"""A full disk: the run stops at the first failed write, says so in one line, exits 1,
counts only what reached finished feeds; given space, the next run exports the rest once."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site

from .conftest import FAST, PROJECT, expected_by_url, run_crawl, tmvspider_command

N, SEED, BATCH = 60, 11, 10  # small batches: some feeds are finished before the disk fills


def finished_lines(output) -> list[str]:
    lines = []
    for feed in (output / "tmv").glob("*.jsonl"):
        text = feed.read_text("utf-8")
        assert text.endswith("\n")  # whole lines only
        lines += [json.loads(line)["url"] for line in text.splitlines()]
    return lines


def disk_errors(log: str, disk) -> list[str]:
    errors = [line for line in log.splitlines() if "ERROR" in line and not line.startswith(" '")]  # not the stats dump
    assert len(errors) == 1, errors
    assert re.search(
        rf"cannot write to {re.escape(str(disk))}(/\w+)? \(No space left on device, on the disk "
        rf"mounted at {re.escape(str(disk))}\): the run stops; free some space",
        errors[0],
    ), errors
    return errors


@pytest.mark.parametrize("full", ["output", "state"])  # the crawl's every folder on it; its state alone
def test_a_full_disk_stops_the_run_in_one_line_and_a_rerun_with_space_exports_every_article_once(tmpfs, tmp_path, full):
    site = build_site(N, seed=SEED)
    disk = tmpfs(256 if full == "output" else 192)  # the state alone fills 192 KB before the run's end
    output = disk if full == "output" else tmp_path / "output"
    args = ("-s", f"TMV_FEED_BATCH={BATCH}", *(("-s", f"TMV_STATE_DIR={disk}") if full == "state" else ()))
    with MirrorServer(site) as server:
        stopped = run_crawl(server.root, output, *args)
        assert stopped.returncode == 1, stopped.log[-3000:]
        assert "Traceback" not in stopped.log
        disk_errors(stopped.log, disk)
        assert f"tmv: run failed: cannot write to {disk}" in stopped.log
        exported = finished_lines(output)
        said = re.search(r"run disk_error: (\d+) articles? exported", stopped.log)
        assert said and int(said[1]) == len(exported)
        assert not list((output / "tmv").glob("*.part"))  # an unfinished feed is dropped, not left

        subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)  # space freed
        again = run_crawl(server.root, output, *args)
        assert again.returncode == 0, again.log[-3000:]
        assert "Traceback" not in again.log and "ERROR" not in again.log
    counts = Counter(finished_lines(output))
    assert [url for url, n in counts.items() if n > 1] == []
    assert set(counts) == set(expected_by_url(site, server.root))
    assert again.stats["tmv/items_in_feeds"] == N - len(exported)


def test_tmvspider_crawl_on_a_full_disk_with_its_log_there(tmpfs):
    output = tmpfs(256)
    log = output / "crawl.log"
    with MirrorServer(build_site(N, seed=SEED)) as server:
        done = subprocess.run(
            tmvspider_command(
                "crawl", "--base-url", server.root, "--output-dir", str(output), "--log-file", str(log), *FAST
            ),
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stdout.startswith(f"tmvspider: FAILED, cannot write to {output}/")
    assert re.search(r"; 0 articles exported \(\d+ read, in no finished feed\)", done.stdout)
    # the log file takes what it can; what it cannot goes to stderr: the one ERROR is in one of them
    assert "Traceback" not in done.stderr + log.read_text()
    disk_errors(log.read_text() + done.stderr, output)


def test_a_report_that_no_longer_fits_after_the_crawl_is_one_line_and_exit_1(tmpfs, tmp_path):
    small = tmpfs(16)  # takes the preflight's empty probe file, not the report's charts
    with MirrorServer(build_site(N, seed=SEED)) as server:
        done = subprocess.run(
            tmvspider_command(
                "crawl",
                "--base-url",
                server.root,
                "--output-dir",
                str(tmp_path / "out"),
                "--report",
                str(small / "report.html"),
                *FAST,
            ),
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 1, done.stderr[-2000:]
    assert f"{N} articles exported" in done.stdout and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith(f"tmvspider: cannot write the report {small}/report.html")
    assert list(small.iterdir()) == []  # no part left
