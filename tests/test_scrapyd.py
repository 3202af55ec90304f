"""Deploying to a real scrapyd 1.6, as Scrapy users do: build the egg, addversion.json, schedule.json twice."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
import requests

from tmvmirror.server import MirrorServer

from .conftest import PROJECT, expected_by_url
from .test_dev import contract_pages


@pytest.fixture(scope="module")
def mirror(site):
    """A mirror of this module's own: the shared one serves its one-time 503s to tests/test_crawl.py."""
    with MirrorServer(site) as server:
        yield server


TIMEOUT = 180


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def scrapyd(tmp_path_factory):
    home = tmp_path_factory.mktemp("scrapyd")
    port = free_port()
    (home / "scrapyd.conf").write_text(f"""[scrapyd]
bind_address = 127.0.0.1
http_port = {port}
eggs_dir = {home / "eggs"}
logs_dir = {home / "logs"}
items_dir = {home / "items"}
dbs_dir = {home / "dbs"}
jobs_to_keep = 5
max_proc = 1
poll_interval = 0.2
""")
    bindir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bindir / "scrapyd")], cwd=home, stdout=subprocess.DEVNULL, stderr=open(home / "scrapyd.err", "w")
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"{url}/daemonstatus.json", timeout=2).json()["status"] == "ok":
                break
        except requests.RequestException:
            pass
        assert server.poll() is None and time.monotonic() < deadline, (home / "scrapyd.err").read_text()[-2000:]
        time.sleep(0.1)
    yield url, home
    server.terminate()
    server.wait(timeout=30)


def build_egg(target: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(Path(sys.executable).parent / "scrapyd-deploy"), "--build-egg", str(target)],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def wait_finished(url: str, job: str) -> dict:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        jobs = requests.get(f"{url}/listjobs.json", params={"project": "tmvspider"}, timeout=10).json()
        for done in jobs.get("finished", []):
            if done["id"] == job:
                return done
        time.sleep(0.2)
    raise AssertionError(f"job {job} did not finish within {TIMEOUT} s")


def test_scrapyd_deploy_builds_an_egg_with_the_settings_entry_point(tmp_path):
    egg = tmp_path / "tmvspider.egg"
    done = build_egg(egg)
    assert done.returncode == 0, done.stderr[-3000:]
    import zipfile

    with zipfile.ZipFile(egg) as archive:
        assert "settings = tmvspider.settings" in archive.read("EGG-INFO/entry_points.txt").decode()
        assert "tmvspider/schema/article.schema.json" in archive.namelist()
        assert {f"tmvspider/pages/{name}" for name in contract_pages()} <= set(archive.namelist())  # scrapy check


def test_two_scheduled_jobs_export_every_article_once_and_the_second_is_incremental(scrapyd, mirror, site, tmp_path):
    url, home = scrapyd
    egg = tmp_path / "tmvspider.egg"
    assert build_egg(egg).returncode == 0
    with open(egg, "rb") as payload:
        added = requests.post(
            f"{url}/addversion.json", data={"project": "tmvspider", "version": "1"}, files={"egg": payload}, timeout=60
        ).json()
    assert added["status"] == "ok" and added["spiders"] == 2, added  # tmv and probe
    output = tmp_path / "output"
    stats = []
    for _ in range(2):
        scheduled = requests.post(
            f"{url}/schedule.json",
            timeout=10,
            data=[
                ("project", "tmvspider"),
                ("spider", "tmv"),
                ("base_url", mirror.root),
                ("setting", f"TMV_OUTPUT_DIR={output}"),
                ("setting", "DOWNLOAD_DELAY=0"),
                ("setting", "AUTOTHROTTLE_ENABLED=False"),
                ("setting", "TMV_RETRY_BACKOFF=0.05"),
            ],
        ).json()
        assert scheduled["status"] == "ok", scheduled
        job = scheduled["jobid"]
        wait_finished(url, job)
        log = (home / "logs" / "tmvspider" / "tmv" / f"{job}.log").read_text("utf-8")
        assert "Spider closed (finished)" in log and "Traceback" not in log, log[-3000:]
        runs = sorted((output / "tmv").glob("*.stats.json"))
        stats.append(json.loads(runs[-1].read_text()))
        assert len(runs) == len(stats)
        # scrapyd's own items file is written too (its web UI links it)
        assert (home / "items" / "tmvspider" / "tmv" / f"{job}.jl").exists()
    expected = expected_by_url(site, mirror.root)
    items = [
        json.loads(line)
        for feed in sorted((output / "tmv").glob("*.jsonl"))
        for line in feed.read_text("utf-8").splitlines()
    ]
    counts = Counter(item["url"] for item in items)
    assert set(counts) == set(expected) and max(counts.values()) == 1  # every article once, across both jobs
    first, second = stats
    assert first["tmv/new"] == len(expected) and first["finish_reason"] == "finished"
    assert second.get("tmv/new", 0) == 0 and second.get("item_scraped_count", 0) == 0  # incremental
    assert second["downloader/request_count"] < first["downloader/request_count"] / 5
    assert (output / "state" / "state.sqlite3").exists()
