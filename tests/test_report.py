"""`tmvspider report`: one self-contained page from the crawl's records, checked in a real headless Chromium."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from tmvmirror.faults import Fault
from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.report import COVERAGE_MIN_DEFAULT, build

from .browser import Browser
from .conftest import expected_by_url, fill, tmvspider_command

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TMV_RETRY_BACKOFF=0.05"]
CHARTS = ["months", "versions", "failures", "coverage"]


def cli(*args, cwd):
    return subprocess.run(tmvspider_command(*args), cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """Two real runs of `tmvspider crawl --report` on a mirror where two articles always fail (500)."""
    tmp = tmp_path_factory.mktemp("report")
    site = build_site(60, seed=11)
    expected = sorted(site.expected, key=lambda i: i["published_at"], reverse=True)
    broken = [urlsplit(i["url"]).path for i in expected[3:5]]  # two of the newest: pending, not listed
    out = tmp / "out"
    with MirrorServer(site, faults={p: Fault("status", status=500) for p in broken}) as server:
        runs = [
            cli(
                "crawl",
                "--base-url",
                server.root,
                "--output-dir",
                str(out),
                "--report",
                *FAST,
                "-s",
                "RETRY_TIMES=0",
                cwd=tmp,
            )
            for _ in range(2)
        ]
        root = server.root
    return out, site, root, broken, runs


def test_crawl_report_writes_the_page_after_each_run(records):
    out, _, _, _, runs = records
    for run in runs:
        assert run.returncode == 0, run.stderr[-2000:]
        assert f"report written to {out / 'report.html'}" in run.stdout
    assert (out / "report.html").is_file() and not list(out.glob("*.part"))


def test_the_page_is_self_contained(records, tmp_path):
    out, _, root, _, _ = records
    done = cli("report", "--output-dir", str(out), "-o", str(tmp_path / "r.html"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "r.html").read_text("utf-8")
    assert not re.search(r"<script|<link|<img|<iframe|@import|url\((?!#)", page, re.I)
    assert re.findall(r"\bsrc=", page) == []
    # the only links are the articles' own; other URLs are the site's pending pages (text) and XML namespaces
    assert {h for h in re.findall(r'href="([^"#][^"]*)"', page)} <= set(expected_by_url(records[1], root))
    others = set(re.findall(r"https?://[^\"'<> ]+", page))
    assert {urlsplit(u).hostname for u in others} <= {"www.w3.org", urlsplit(root).hostname}
    assert page.count("<svg") == len(CHARTS)


def test_the_report_renders_offline_in_chromium(records, tmp_path):
    out, site, root, broken, _ = records
    page = out / "report.html"
    with Browser() as browser:
        browser.open_offline(page.as_uri())
        charts = browser.evaluate("""[...document.querySelectorAll('figure.chart')].map(f => {
            const svg = f.querySelector('svg'), box = svg ? svg.getBoundingClientRect() : null;
            return {id: f.id, svg: !!svg, width: box ? box.width : 0, height: box ? box.height : 0,
                    paths: svg ? svg.querySelectorAll('path').length : 0};
        })""")
        newest = browser.evaluate("""[...document.querySelectorAll('table.newest tbody tr')].map(r => ({
            href: r.querySelector('a').getAttribute('href'), title: r.querySelector('a').textContent,
            cells: [...r.cells].map(c => c.textContent)}))""")
        pending = browser.evaluate(
            "[...document.querySelectorAll('table.pending tbody tr')].map(r => r.cells[0].textContent)"
        )
        verdict = browser.evaluate("document.querySelector('table.summary').textContent")
        shot = browser.screenshot(tmp_path / "report.png")
        errors, requested = browser.console_errors(), browser.requested()
    print(f"\nscreenshot of the report: {shot}")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
    assert [c["id"] for c in charts] == [f"chart-{name}" for name in CHARTS]
    for chart in charts:  # in the DOM, drawn, and sized
        assert chart["svg"] and chart["width"] > 300 and chart["height"] > 150 and chart["paths"] > 20, chart
    assert errors == []
    assert all(url.startswith("file://") for url in requested), requested
    # the ten newest articles, title linked, date, author, tags
    expected = sorted(expected_by_url(site, root).values(), key=lambda i: i["published_at"], reverse=True)
    expected = [i for i in expected if urlsplit(i["url"]).path not in broken][:10]
    assert [(r["href"], r["title"]) for r in newest] == [(i["url"], i["title"]) for i in expected]
    assert [r["cells"][1:] for r in newest] == [
        [i["published_at"], i["author"] or "", ", ".join(i["tags"])] for i in expected
    ]
    assert sorted(urlsplit(u).path for u in pending) == sorted(broken)
    assert "requests" in verdict and "ok" in verdict


def test_coverage_comes_from_the_stats_when_given_else_from_the_feeds(records, tmp_path):
    out, site, _, _, _ = records
    page = build(out)
    table = re.search(r'<table class="coverage">.*?</table>', page, re.S).group(0)
    assert all(f"<td>{field}</td>" in table for field in COVERAGE_MIN_DEFAULT)
    assert "100.0 %" in table and "ALARM" not in table  # the mirror's items are complete
    # a run whose stats carry the coverage figures (and one alarm): those are drawn
    copy = tmp_path / "out"
    (copy / "tmv").mkdir(parents=True)
    stats = json.loads(sorted((out / "tmv").glob("*.stats.json"))[0].read_text())
    stats.update({"tmv/coverage/author": 31.5, "tmv/coverage/title": 100.0, "tmv/alarm/author": 31.5})
    (copy / "tmv" / "tmv-x.stats.json").write_text(json.dumps(stats))
    table = re.search(r'<table class="coverage">.*?</table>', build(copy), re.S).group(0)
    assert "31.5 % ALARM" in table and "100.0 %" in table
    # an alarm held to the site's history: both figures, in the verdict and the table
    stats.update({"tmv/alarm_history/author": 96.0, "tmv/history_articles": 500, "tmv/items_read": 9})
    stats.update({"tmv/missing/author": 8, "tmv/coverage/author": 11.1, "tmv/alarm/author": 11.1})
    (copy / "tmv" / "tmv-x.stats.json").write_text(json.dumps(stats))
    page = build(copy)
    table = re.search(r'<table class="coverage">.*?</table>', page, re.S).group(0)
    assert "11.1 % ALARM against 96.0 % over the last 500" in table
    told = "ALARM: coverage alarm: author 11.1 % (1 of 9) against 96.0 % over the last 500 articles"
    assert dict(rows_of(page, "summary"))["verdict"] == told


@pytest.fixture(scope="module")
def alarmed(tmp_path_factory):
    """Two runs, seconds apart, on a mirror whose articles name no author: both exit 3 (author
    coverage alarm); the second (--full) exports nothing, its articles unchanged. One page fails."""
    tmp = tmp_path_factory.mktemp("alarmed")
    site = build_site(12, seed=11, without={"author"})
    broken = urlsplit(site.expected[0]["url"]).path
    out = tmp / "out"
    with MirrorServer(site, faults={broken: Fault("status", status=500)}) as server:
        runs = [
            cli(
                "crawl",
                "--base-url",
                server.root,
                "--output-dir",
                str(out),
                *FAST,
                *extra,
                "-s",
                "RETRY_TIMES=0",
                "-s",
                "TMV_COVERAGE_MIN_ITEMS=5",
                cwd=tmp,
            )
            for extra in ([], ["--full"])
        ]
    assert [run.returncode for run in runs] == [3, 3], runs[-1].stderr[-2000:]
    done = cli("report", "--output-dir", str(out), cwd=tmp)
    assert done.returncode == 0, done.stderr
    stats = [json.loads(p.read_text()) for p in sorted((out / "tmv").glob("*.stats.json"))]
    return out, stats, (out / "report.html").read_text("utf-8")


def rows_of(page: str, css: str) -> list[list[str]]:
    table = re.search(rf'<table class="{css}">(.*?)</table>', page, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[dh]>(.*?)</t[dh]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def ticks(page: str, chart: str, axis: str) -> list[str]:
    """The tick labels of a chart (matplotlib draws text as paths, each after a comment of its text)."""
    svg = re.search(rf'<figure class="chart" id="chart-{chart}">(.*?)</figure>', page, re.S).group(1)
    return re.findall(rf'<g id="{axis}tick_\d+">.*?<!-- (.*?) -->', svg, re.S)


def test_the_last_runs_verdict_is_the_alarm_it_exited_with(alarmed):
    _, _, page = alarmed
    summary = dict(rows_of(page, "summary"))
    assert summary["verdict"] == "ALARM: coverage alarm: author 0.0 %"
    assert "<span class='bad'>ALARM" in page and "<span class='ok'>ok</span>" not in page


def test_a_run_whose_stats_say_it_failed_shows_as_failed(alarmed, tmp_path):
    out, stats, _ = alarmed
    shutil.copytree(out / "tmv", tmp_path / "tmv")
    down = {k: v for k, v in stats[-1].items() if not k.startswith(("tmv/alarm", "tmv/coverage", "response_"))}
    down.update(
        {"start_time": "2099-01-01T00:00:00+00:00", "finish_time": "2099-01-01T00:00:01+00:00", "log_count/ERROR": 1}
    )  # what a run that reached nothing records
    (tmp_path / "tmv" / "tmv-2099.stats.json").write_text(json.dumps(down))
    summary = dict(rows_of(build(tmp_path), "summary"))
    assert summary["verdict"] == "FAILED: nothing could be fetched (is the site reachable, are the pages there?)"


def test_runs_are_told_apart_to_the_second_and_no_microsecond_is_shown(alarmed):
    _, stats, page = alarmed
    starts = [f"{datetime.fromisoformat(s['start_time']).astimezone(UTC):%m-%d %H:%M:%S}" for s in stats]
    labels = ticks(page, "versions", "x")
    assert labels[0] == starts[0] and labels[1] in (starts[1], f"{starts[1]} (2)")  # (2): the same second
    assert len(set(labels)) == len(stats) == 2 and rows_of(page, "coverage")[0][2:] == labels
    assert ticks(page, "failures", "x") == ticks(page, "coverage", "x") == labels
    started = datetime.fromisoformat(stats[-1]["start_time"]).astimezone(UTC)
    assert dict(rows_of(page, "summary"))["started"] == f"{started:%Y-%m-%d %H:%M:%S} UTC"
    assert not re.search(r"\d:\d\d\.\d", page)


def test_counts_have_whole_number_ticks(alarmed):
    _, stats, page = alarmed
    assert max(s.get("tmv/failed/http_500", 0) for s in stats) == 1  # a chart up to 1: no 0.5 between
    for chart in ("months", "versions", "failures"):
        labels = ticks(page, chart, "y")
        assert labels and all(re.fullmatch(r"\d+", label) for label in labels), (chart, labels)


def test_no_row_is_empty(alarmed, tmp_path):
    out, stats, page = alarmed
    # a run whose settings measured one field only: no row of dashes for the others
    (tmp_path / "tmv").mkdir()
    one = {k: v for k, v in stats[0].items() if not k.startswith("tmv/coverage/") or k == "tmv/coverage/author"}
    (tmp_path / "tmv" / "tmv-x.stats.json").write_text(json.dumps(one))
    for shown in (page, build(tmp_path)):
        rows = [
            row
            for css in ("summary", "pending", "coverage", "newest")
            if f'class="{css}"' in shown
            for row in rows_of(shown, css)
        ]
        assert rows and all(any(cell.strip() not in ("", "–") for cell in row) for row in rows)
    assert [row[0] for row in rows_of(build(tmp_path), "coverage")] == ["field", "author"]


@pytest.mark.parametrize("full, reason", [(True, "No space left on device"), (False, "Read-only file system")])
def test_a_report_on_a_full_or_read_only_disk_is_one_line_and_no_partial_page(alarmed, tmpfs, tmp_path, full, reason):
    out, _, _ = alarmed
    disk = tmpfs(64, readonly=not full)
    target = disk / "report.html"
    if full:
        target.write_text("the last page\n")
        fill(disk)
    before = {p.name: p.read_bytes() for p in disk.iterdir() if p.name != "filler"}
    done = cli("report", "--output-dir", str(out), "-o", str(target), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"tmvspider: cannot write the report {target} ({reason}): choose another\n"
    assert {p.name: p.read_bytes() for p in disk.iterdir() if p.name != "filler"} == before


def test_a_report_of_a_folder_with_no_crawl_is_one_line_and_exit_1(tmp_path):
    done = cli("report", "--output-dir", str(tmp_path / "typo"), cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr == f"tmvspider: no crawl on record under {tmp_path / 'typo'}: run 'tmvspider crawl' first\n"
    assert not (tmp_path / "typo").exists()
