"""Tests of the mirror's fault mode (tmvmirror.faults): the plan, its truth and every
kind of faulty answer, read with http.client or a raw socket.  Fast and deterministic:
no sleeps, socket timeouts and server.wait_for_requests instead."""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zlib
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tmvmirror import ROOT, MirrorServer, build_site
from tmvmirror.faults import KINDS, STATUSES, Fault, fault_truth, plan_faults, reply

from .test_mirror import SEED_PATH, read_article, wordpress_site

N = 120


@pytest.fixture(scope="module")
def site():
    return wordpress_site(N, seed=1)


@pytest.fixture(scope="module")
def plan(site):
    return plan_faults(site, seed=1, sitemaps=True)


@pytest.fixture(scope="module")
def server(site, plan):
    with MirrorServer(site, faults=plan) as running:
        yield running


def path_with(plan, kind, **attributes) -> str:
    """The first planned path with a fault of this kind (and these attributes)."""
    return next(
        path
        for path, fault in plan.items()
        if fault.kind == kind and all(getattr(fault, k) == v for k, v in attributes.items())
    )


def connect(server) -> http.client.HTTPConnection:
    return http.client.HTTPConnection(*server.server_address[:2], timeout=5)


def fetch(server, path, method="GET"):
    conn = connect(server)
    try:
        conn.request(method, path)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def normal_body(server, site, path) -> bytes:
    return site.pages[path].body.replace(ROOT.encode(), server.root.encode())


# --- the plan --------------------------------------------------------------------------------


def test_plan_is_reproducible_and_covers_every_kind(site, plan):
    assert plan_faults(site, seed=1, sitemaps=True) == plan
    assert plan_faults(site, seed=2, sitemaps=True) != plan
    assert {fault.kind for fault in plan.values()} == set(KINDS)
    assert {fault.status for fault in plan.values() if fault.kind == "status"} == set(STATUSES)
    assert any(fault.retry_after for fault in plan.values())
    assert Fault("status", 0, 500) in plan.values() and Fault("reset", 0) in plan.values()
    assert all(path in site.pages for path in plan) and SEED_PATH not in plan
    articles = [path for path in plan if path.startswith("/article/")]
    assert len(articles) == len(plan) - 3  # the last home page and two sitemaps
    assert plan[path_with(plan, "endless_pagination")] == Fault("endless_pagination")
    assert plan["/post-sitemap1.xml"].kind == "entity_bomb" and plan["/post-sitemap2.xml"].kind == "not_xml"
    assert site.pages[path_with(plan, "mislabeled_encoding")].charset == "windows-1252"
    without = plan_faults(site, seed=1)
    assert without == {path: fault for path, fault in plan.items() if not path.endswith(".xml")}


def test_fault_truth_splits_the_articles(site, plan):
    truth = fault_truth(site, plan)
    everything = [item["url"].removeprefix(ROOT) for item in site.expected]
    assert sorted(truth["exported"] + truth["lost"] + truth["unreachable"]) == sorted(everything)
    assert len(set(truth["exported"]) | set(truth["lost"]) | set(truth["unreachable"])) == N
    lost_kinds = {plan[path].kind for path in truth["lost"]}
    assert lost_kinds == {"status", "reset", "gzip_bomb", "huge", "empty", "redirect_loop", "offsite_redirect"}
    assert all(plan[path].times == 0 for path in truth["lost"])
    for kind in ("malformed", "mislabeled_encoding", "stall", "truncated"):
        assert path_with(plan, kind) in truth["exported"]
    assert path_with(plan, "status", status=503) in truth["exported"]
    # only-sitemap articles listed in the faulty sitemaps can be found nowhere else
    bad_sitemaps = site.pages["/post-sitemap1.xml"].body + site.pages["/post-sitemap2.xml"].body
    only_sitemap = [f"/article/{slug}/" for slug in site.truth["only_sitemap"]]
    assert truth["unreachable"] == [path for path in only_sitemap if (ROOT + path).encode() in bad_sitemaps] != []
    assert fault_truth(site, plan_faults(site, seed=1))["unreachable"] == []


def test_lenient_faults_still_read_as_the_expected_item(site, plan):
    items = {item["url"].removeprefix(ROOT): item for item in site.expected}
    malformed = path_with(plan, "malformed")
    assert read_article(reply(plan[malformed], site, malformed).page) == items[malformed]
    mislabeled = path_with(plan, "mislabeled_encoding")
    page = reply(plan[mislabeled], site, mislabeled).page
    assert read_article(replace(page, charset="windows-1252")) == items[mislabeled]  # as <meta> says


# --- the answers -------------------------------------------------------------------------------


def test_status_with_retry_after_then_recovery(server, site, plan):
    path = path_with(plan, "status", status=503)
    for _ in range(plan[path].times):
        status, headers, body = fetch(server, path)
        assert status == 503 and headers["Retry-After"] == "1" and b"<html>" in body
    status, _, body = fetch(server, path)
    assert status == 200 and body == normal_body(server, site, path)
    assert [r[2] for r in server.requests if r[1] == path] == [503, 503, 200]
    assert server.fault_counts[path] == 2


def test_permanent_status_and_faults_changed_while_running(server, site, plan):
    path = next(p for p in plan if plan[p] == Fault("status", 0, 500))
    assert [fetch(server, path)[0] for _ in range(3)] == [500] * 3
    other = next(
        item["url"].removeprefix(ROOT) for item in reversed(site.expected) if item["url"].removeprefix(ROOT) not in plan
    )
    server.faults[other] = Fault("status", times=1, status=429)
    status, headers, _ = fetch(server, other)
    assert status == 429 and "Retry-After" not in headers
    assert fetch(server, other)[0] == 200
    del server.faults[other]


def test_reset_is_a_connection_error_then_recovery(server, site, plan):
    path = path_with(plan, "reset", times=2)
    for _ in range(2):
        with pytest.raises(ConnectionResetError):
            fetch(server, path)
    assert fetch(server, path)[0] == 200
    assert [r[2] for r in server.requests if r[1] == path] == [0, 0, 200]
    forever = path_with(plan, "reset", times=0)
    for _ in range(3):  # a RST, not a FIN: recv() fails instead of returning b""
        with socket.create_connection(server.server_address[:2], timeout=5) as client:
            client.sendall(f"GET {forever} HTTP/1.1\r\nHost: mirror\r\n\r\n".encode())
            with pytest.raises(ConnectionResetError):
                client.recv(1024)


def test_truncated_body_is_shorter_than_its_content_length(server, site, plan):
    path = path_with(plan, "truncated")
    conn = connect(server)
    conn.request("GET", path)
    response = conn.getresponse()
    assert response.status == 200
    with pytest.raises(http.client.IncompleteRead) as error:
        response.read()
    conn.close()
    expected = normal_body(server, site, path)
    assert int(response.headers["Content-Length"]) == len(expected) + 1000
    assert error.value.partial == expected


def test_gzip_bomb_decompresses_to_more_than_50_mib(server, plan):
    status, headers, body = fetch(server, path_with(plan, "gzip_bomb"))
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert headers["Content-Type"].startswith("text/html") and len(body) < 200_000
    inflater, pending, total = zlib.decompressobj(wbits=31), body, 0
    while pending and total <= 50 * 2**20:
        total += len(inflater.decompress(pending, 2**20))  # at most 1 MiB held at a time
        pending = inflater.unconsumed_tail
    assert total > 50 * 2**20


def test_sitemap_faults(server):
    status, headers, body = fetch(server, "/post-sitemap1.xml")
    assert status == 200 and headers["Content-Type"] == "application/xml; charset=utf-8"
    assert body.count(b"<!ENTITY") == 10 and b"&lol9;" in body
    status, headers, body = fetch(server, "/post-sitemap2.xml")
    assert status == 200 and headers["Content-Type"].startswith("application/xml")
    assert b"<html>" in body and b"<urlset" not in body


def test_redirects(server, plan):
    path = path_with(plan, "redirect_loop")
    status, headers, _ = fetch(server, path)
    assert status == 302 and headers["Location"] == f"{server.root}{path}?loop=1"
    status, headers, _ = fetch(server, urlsplit(headers["Location"]).path + "?loop=1")
    assert status == 302 and headers["Location"] == f"{server.root}{path}?loop=2"
    path = path_with(plan, "offsite_redirect")
    status, headers, _ = fetch(server, path)
    location = urlsplit(headers["Location"])
    assert status == 301 and location.hostname == "offsite.invalid" and location.path == path


def test_huge_page(server, site, plan):
    path = path_with(plan, "huge")
    status, _, body = fetch(server, path)
    assert status == 200 and len(body) > 2.5 * 2**20
    assert body.count(b"<p>") > 10_000 and body.endswith(normal_body(server, site, path)[-500:])


def test_mislabeled_encoding(server, plan):
    status, headers, body = fetch(server, path_with(plan, "mislabeled_encoding"))
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    assert b'<meta charset="windows-1252">' in body and "Publié le".encode("cp1252") in body


def test_malformed_page(server, site, plan):
    path = path_with(plan, "malformed")
    status, _, body = fetch(server, path)
    assert status == 200 and b"</p>" not in body and b"</li>" not in body and b"</body>" not in body
    expected = normal_body(server, site, path)
    for tag in (b"</p>", b"</li>", b"</body>", b"</html>"):
        expected = expected.replace(tag, b"")
    assert body == expected


def test_empty_page(server, plan):
    status, headers, body = fetch(server, path_with(plan, "empty"))
    assert status == 200 and headers["Content-Length"] == "0" and body == b""
    assert headers["Content-Type"] == "text/html; charset=utf-8"


def test_endless_pagination(server, site, plan):
    last = path_with(plan, "endless_pagination")
    k = int(re.fullmatch(r"/page/(\d+)/", last)[1])
    assert f"/page/{k + 1}/" not in site.pages
    articles = re.compile(rb'<h2 class="entry-title"><a href="([^"]+)"')
    status, _, body = fetch(server, last)
    assert status == 200 and f'class="next page-numbers" href="{server.root}/page/{k + 1}/"'.encode() in body
    status, _, far = fetch(server, f"/page/{k + 5}/")
    assert status == 200 and f'class="next page-numbers" href="{server.root}/page/{k + 6}/"'.encode() in far
    assert articles.findall(far) == articles.findall(body) != []
    assert fetch(server, "/page/2/")[2] == normal_body(server, site, "/page/2/")  # the others are untouched


def test_stall_times_out_and_stop_returns_promptly(site):
    path = site.expected[-1]["url"].removeprefix(ROOT)
    stalling = MirrorServer(site, faults={path: Fault("stall")}).start()
    try:
        client = socket.create_connection(stalling.server_address[:2], timeout=5)
        client.settimeout(0.5)
        client.sendall(f"GET {path} HTTP/1.1\r\nHost: mirror\r\n\r\n".encode())
        with pytest.raises(TimeoutError):
            client.recv(1024)
        assert stalling.wait_for_requests(1, timeout=5) and stalling.requests[0][2] == 0
    finally:
        started = time.monotonic()
        stalling.stop()
        assert time.monotonic() - started < 2
    client.settimeout(5)
    assert client.recv(1024) == b""  # closed by stop(), not after STALL_SECONDS
    client.close()


# --- the command line ----------------------------------------------------------------------------


def test_cli_serve_prints_the_fault_plan():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    process = subprocess.Popen(
        [sys.executable, "-m", "tmvmirror", "serve", "--articles", "60", "--faults", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    planned = plan_faults(build_site(60, seed=1), 1, sitemaps=True)
    try:
        assert process.stdout.readline().decode().startswith("serving 60 articles at http://")
        lines = [process.stdout.readline().decode().rstrip("\n") for _ in planned]
        assert lines == [f"{path}: {fault.describe()}" for path, fault in planned.items()]
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=10)
    assert process.returncode == 0
