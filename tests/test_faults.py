"""A hostile mirror: every fault of tmvmirror.faults at once, and a crawl that stays correct.

One crawl of a site whose plan puts each fault on its own page (plan_faults,
reproducible by seed); each test below checks what one fault must lead to.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest

from tmvmirror.faults import fault_truth, plan_faults
from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider import urls
from tmvspider.state import CrawlState

from .conftest import expected_by_url, run_crawl

N, SEED = 150, 11
# a stall must time out fast; transient faults fail twice, so three tries are enough
SETTINGS = ("-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=3", "-s", "TMV_FEED_BATCH=20")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    site = build_site(N, seed=SEED)
    faults = plan_faults(site, SEED, sitemaps=True)
    output = tmp_path_factory.mktemp("hostile")
    with MirrorServer(site, faults=faults) as server:
        crawl = run_crawl(server.root, output, *SETTINGS)
        requests = list(server.requests)
    by_kind = {}
    for path, fault in faults.items():
        by_kind.setdefault(fault.kind if fault.kind != "status" else f"status_{fault.status}_{fault.times}", []).append(
            path
        )
    return {
        "site": site,
        "faults": faults,
        "truth": fault_truth(site, faults),
        "crawl": crawl,
        "requests": requests,
        "root": server.root,
        "output": output,
        "by_kind": by_kind,
    }


def path_of(url):
    return urlsplit(url).path


def exported_paths(h):
    return Counter(path_of(item["url"]) for item in h["crawl"].items)


def failed_lines(h, path):
    """The log's "failed URL: reason" lines for the page at *path*, whatever spelling the crawl
    asked for it by (an amp article's /detail-article/ alias gets its faults too)."""
    wanted = urls.identity(urls.canonical(h["root"] + path))
    return [
        line
        for line in h["crawl"].log.splitlines()
        if (found := re.search(r"failed (\S+): ", line)) and urls.identity(urls.canonical(found[1])) == wanted
    ]


def test_the_run_completes_and_exports_exactly_what_survives(hostile):
    crawl = hostile["crawl"]
    assert crawl.returncode == 0, crawl.log[-3000:]
    exported = exported_paths(hostile)
    assert max(exported.values()) == 1
    assert set(exported) == set(hostile["truth"]["exported"])
    expected = expected_by_url(hostile["site"], hostile["root"])
    for item in crawl.items:
        assert {k: v for k, v in item.items() if k != "crawled_at"} == expected[item["url"]]


def test_feeds_and_state_stay_consistent(hostile):
    output = hostile["output"]
    assert not list(output.rglob("*.part"))
    lines = [line for feed in (output / "tmv").glob("*.jsonl") for line in feed.read_text("utf-8").splitlines()]
    assert all(json.loads(line) for line in lines)
    state = CrawlState(output / "state")
    assert state.count() == len(lines)
    state.close()


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_transient_http_errors_are_retried_until_the_page_comes(hostile, status):
    (path,) = hostile["by_kind"][f"status_{status}_2"]
    seen = [(r[2], r[3]) for r in hostile["requests"] if r[1] == path]
    assert [s for s, _ in seen] == [status, status, 200]
    assert path in exported_paths(hostile)
    fault = hostile["faults"][path]
    if fault.retry_after:  # the wait the server asked for, before each retry
        assert seen[1][1] - seen[0][1] >= 0.95 and seen[2][1] - seen[1][1] >= 0.95


@pytest.mark.parametrize("kind", ["reset", "stall", "truncated"])
def test_transient_network_faults_are_retried(hostile, kind):
    transient = [p for p in hostile["by_kind"][kind] if hostile["faults"][p].times]
    assert transient
    for path in transient:
        assert [r[1] for r in hostile["requests"]].count(path) == 3
        assert path in exported_paths(hostile)


@pytest.mark.parametrize(
    "kind, reason",
    [
        ("status_500_0", "http_500"),
        ("reset", "connection_lost"),
        ("gzip_bomb", "too_large"),
        ("huge", "too_large"),
        ("redirect_loop", "redirect_loop"),
        ("offsite_redirect", "offsite"),
        ("empty", "empty"),
    ],
)
def test_permanent_failures_are_logged_once_with_their_reason_and_counted(hostile, kind, reason):
    paths = [p for p in hostile["by_kind"][kind] if not hostile["faults"][p].times]
    assert paths
    for path in paths:
        assert path not in exported_paths(hostile)
        lines = failed_lines(hostile, path)
        assert len(lines) == 1 and f": {reason}" in lines[0]
    assert hostile["crawl"].stats[f"tmv/failed/{reason}"] >= len(paths)


def test_no_request_leaves_the_site_and_loops_end(hostile):
    stats = hostile["crawl"].stats
    assert not [k for k in stats if k.startswith(("tmv/failed/dns", "offsite/"))]  # nothing tried elsewhere
    (loop,) = hostile["by_kind"]["redirect_loop"]
    hops = [r for r in hostile["requests"] if r[1].startswith(loop)]
    assert len(hops) <= 6  # the first request and REDIRECT_MAX_TIMES hops


def test_unusable_sitemaps_are_said_and_discovery_goes_on(hostile):
    crawl = hostile["crawl"]
    bad = hostile["by_kind"]["entity_bomb"] + hostile["by_kind"].get("not_xml", [])
    assert len(bad) == 2
    for path in bad:
        assert any("lists nothing usable" in line and path in line for line in crawl.log.splitlines())
    assert crawl.stats["tmv/failed/sitemap_unusable"] == 2
    assert not hostile["truth"]["unreachable"] or set(hostile["truth"]["unreachable"]).isdisjoint(
        exported_paths(hostile)
    )


def test_a_page_sent_in_windows_1252_as_utf_8_is_read_right(hostile):
    (path,) = hostile["by_kind"]["mislabeled_encoding"]
    item = next(i for i in hostile["crawl"].items if path_of(i["url"]) == path)
    assert "\ufffd" not in json.dumps(item, ensure_ascii=False)
    assert hostile["crawl"].stats["tmv/encoding_fixed"] == 1


def test_malformed_html_is_extracted_all_the_same(hostile):
    (path,) = hostile["by_kind"]["malformed"]
    assert path in exported_paths(hostile)  # and equal to the truth, by the first test


def test_endless_pagination_stops(hostile):
    (last,) = hostile["by_kind"]["endless_pagination"]
    last_page = int(re.search(r"/page/(\d+)/", last).group(1))
    beyond = [
        r[1] for r in hostile["requests"] if (m := re.fullmatch(r"/page/(\d+)/", r[1])) and int(m.group(1)) > last_page
    ]
    assert len(beyond) <= 1
    assert hostile["crawl"].stats["tmv/pagination_stopped"] >= 1


def test_peak_memory_shows_no_bomb_was_held(hostile):
    # a 64 MiB bomb expanded, or a 3 MiB page kept, would show far above a crawl's usual ~100 MB
    assert hostile["crawl"].stats["tmv/peak_rss_mb"] < 160
