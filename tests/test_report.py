"""`tmvspider report`: one self-contained page from the crawl's records, checked in a real headless Chromium."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from tmvmirror.faults import Fault
from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider.report import COVERAGE_MIN_DEFAULT, build

from .browser import Browser
from .conftest import expected_by_url

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TMV_RETRY_BACKOFF=0.05"]
CHARTS = ["months", "versions", "failures", "coverage"]


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "tmvspider.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    """Two real runs of `tmvspider crawl --report` on a mirror where two articles always fail (500)."""
    tmp = tmp_path_factory.mktemp("report")
    site = build_site(60, seed=11)
    expected = sorted(site.expected, key=lambda i: i["published_at"], reverse=True)
    broken = [urlsplit(i["url"]).path for i in expected[3:5]]  # two of the newest: pending, not listed
    out = tmp / "out"
    with MirrorServer(site, faults={p: Fault("status", status=500) for p in broken}) as server:
        runs = [cli("crawl", "--base-url", server.root, "--output-dir", str(out), "--report", *FAST,
                    "-s", "RETRY_TIMES=0", cwd=tmp) for _ in range(2)]
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
        pending = browser.evaluate("[...document.querySelectorAll('table.pending tbody tr')].map(r => r.cells[0].textContent)")
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
    assert [r["cells"][1:] for r in newest] == [[i["published_at"], i["author"] or "", ", ".join(i["tags"])]
                                               for i in expected]
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
