"""The WARC archive of every page a crawl fetches, and `tmvspider reextract` from it (no request to the site)."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site
from tmvspider import urls

from .conftest import expected_by_url, run_crawl, tmvspider_command


@pytest.fixture(scope="module")
def mirror(site):
    """A mirror of this module's own: the shared one serves its one-time 503s to tests/test_crawl.py."""
    with MirrorServer(site) as server:
        yield server


def reextract(output: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        tmvspider_command("reextract", "--output-dir", str(output), *args),
        cwd=output.parent,
        capture_output=True,
        text=True,
        timeout=300,
    )


def records(path: Path) -> list:
    """Every record, read by warcio, which checks each one's block and payload digests."""
    with open(path, "rb") as stream:
        return [
            (
                r.rec_type,
                r.rec_headers.get_header("WARC-Target-URI"),
                r.rec_headers,
                r.http_headers,
                r.content_stream().read(),
            )
            for r in ArchiveIterator(stream, check_digests="raise")
        ]


def run_stats(output: Path) -> dict:
    return json.loads(sorted((output / "tmv").glob("*.stats.json"))[-1].read_text())


def feed_items(output: Path) -> list[dict]:
    return [
        json.loads(line)
        for feed in sorted((output / "tmv").glob("*.jsonl"))
        for line in feed.read_text("utf-8").splitlines()
    ]


def assert_equal_to_truth(items, site, root):
    expected = expected_by_url(site, root)
    counts = Counter(item["url"] for item in items)
    assert [url for url, n in counts.items() if n > 1] == []
    assert set(counts) == set(expected)
    assert [(i["url"], k) for i in items for k, v in expected[i["url"]].items() if i[k] != v] == []


@pytest.fixture(scope="module")
def archived(mirror, tmp_path_factory):
    """One crawl of the mirror (the archive is on by default), and the server's requests during it."""
    out = tmp_path_factory.mktemp("archived") / "out"
    start = len(mirror.requests)
    crawl = run_crawl(mirror.root, out)
    assert crawl.returncode == 0, crawl.log[-3000:]
    return out, crawl, mirror.requests[start:]


def copy_of(out: Path, tmp_path: Path, *keep: str) -> Path:
    target = tmp_path / "out"
    target.mkdir()
    for name in keep:
        shutil.copytree(out / name, target / name)
    return target


def test_every_page_fetched_is_in_one_finished_warc_file(archived, site, mirror):
    out, crawl, requests = archived
    files = sorted((out / "archive").iterdir())
    assert [f.name.endswith(".warc.gz") for f in files] == [True]  # one run, one file, no .part left
    found = records(files[0])
    assert found[0][0] == "warcinfo" and b"software: tmvspider/" in found[0][4]
    assert {h.protocol for _, _, h, _, _ in found} == {"WARC/1.1"}
    assert all(h.get_header("WARC-Payload-Digest") for kind, _, h, _, _ in found if kind != "warcinfo")
    responses = {uri: (http, body) for kind, uri, _, http, body in found if kind == "response"}
    answered = [path for _, path, status, _, _ in requests if status == 200]
    assert len(responses) == len(answered) == len(set(answered))  # every 200 of the site, once
    assert {mirror.root + "/robots.txt", mirror.root + "/sitemap.xml", mirror.root + "/"} <= set(responses)
    # every article, in whichever of its spellings it was read
    assert set(map(urls.identity, expected_by_url(site, mirror.root))) <= set(map(urls.identity, responses))
    # each response has its request, linked, and keeps its headers (the encoding is known again)
    ids = {headers.get_header("WARC-Record-ID"): uri for kind, uri, headers, _, _ in found if kind == "response"}
    linked = {ids[h.get_header("WARC-Concurrent-To")] for kind, _, h, _, _ in found if kind == "request"}
    assert linked == set(responses)
    http, body = responses[mirror.root + "/"]
    assert http.get_statuscode() == "200" and "charset" in http.get_header("Content-Type")
    assert b"</html>" in body and int(http.get_header("Content-Length")) == len(body)
    # the framing the download handler undid is not kept: one Content-Length, the stored body's
    names = [name.lower() for name, _ in http.headers]
    assert names.count("content-length") == 1 and not {"transfer-encoding", "connection"} & set(names)
    assert crawl.stats["tmv/archive/pages"] == len(responses)


def test_archive_disk_cost_per_thousand_articles(archived, site):
    """The figure the README quotes: the whole archive (listings, sitemaps included) per 1,000 articles."""
    out, _, _ = archived
    size = sum(f.stat().st_size for f in (out / "archive").glob("*.warc.gz"))
    per_thousand = size / len(site.expected) * 1000
    feeds = sum(f.stat().st_size for f in (out / "tmv").glob("*.jsonl")) / len(site.expected) * 1000
    print(
        f"\narchive: {size} bytes for {len(site.expected)} articles, {per_thousand / 1e6:.1f} MB per 1,000 "
        f"articles (feeds: {feeds / 1e6:.1f} MB per 1,000)"
    )
    assert 1e6 < per_thousand < 20e6


def test_archive_can_be_turned_off(mirror, tmp_path):
    crawl = run_crawl(mirror.root, tmp_path / "out", "-s", "TMV_ARCHIVE_ENABLED=False", "-a", "full=1")
    assert crawl.returncode == 0, crawl.log[-2000:]
    assert not (tmp_path / "out" / "archive").exists()


def test_reextract_rebuilds_the_whole_dataset_without_a_request(archived, site, mirror, tmp_path):
    out, _, _ = archived
    target = copy_of(out, tmp_path, "archive")  # the feeds and the state are gone
    before = len(mirror.requests)
    done = reextract(target)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(mirror.requests) == before  # not one request reached the site
    n = len(site.expected)
    assert f"re-extracted {n} archived article(s): {n} articles exported, {n} new" in done.stdout
    assert ", 0 requests" in done.stdout
    assert_equal_to_truth(feed_items(target), site, mirror.root)
    stats = run_stats(target)
    assert stats["tmv/new"] == n and stats.get("downloader/request_count", 0) == 0
    # the same dedup as a crawl: a second pass exports nothing
    feeds = sorted((target / "tmv").glob("*.jsonl"))
    again = reextract(target)
    assert again.returncode == 0, again.stderr[-2000:]
    assert sorted((target / "tmv").glob("*.jsonl")) == feeds
    assert run_stats(target)["tmv/unchanged"] == n and "tmv/new" not in run_stats(target)
    assert len(mirror.requests) == before
    # and the next crawl goes on incrementally from the rebuilt state: nothing new to export
    crawl = run_crawl(mirror.root, target)
    assert crawl.returncode == 0 and crawl.items == [], crawl.log[-2000:]


def test_reextract_exports_what_a_parser_fix_changes(archived, site, mirror, tmp_path):
    """The feeds hold what an older parser got wrong (an author lost for ten articles):
    re-extraction exports those ten again, as new versions, and nothing else."""
    out, _, _ = archived
    target = copy_of(out, tmp_path, "archive", "tmv")
    wrong = set(sorted(expected_by_url(site, mirror.root))[:10])
    for feed in (target / "tmv").glob("*.jsonl"):
        lines = [json.loads(line) for line in feed.read_text("utf-8").splitlines()]
        for item in lines:
            if item["url"] in wrong:
                item["author"] = "Rédaction (ancien parseur)"
        feed.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in lines), "utf-8")
    # the state is rebuilt from those feeds at start-up, as after any loss of the state
    before, feeds = len(mirror.requests), set((target / "tmv").glob("*.jsonl"))
    done = reextract(target)
    assert done.returncode == 0, done.stderr[-3000:]
    assert len(mirror.requests) == before
    stats = run_stats(target)
    assert stats["tmv/updated"] == 10 and stats["tmv/unchanged"] == len(site.expected) - 10
    new = [
        json.loads(line)
        for feed in set((target / "tmv").glob("*.jsonl")) - feeds
        for line in feed.read_text("utf-8").splitlines()
    ]
    assert {i["url"] for i in new} == wrong
    expected = expected_by_url(site, mirror.root)
    assert all(i["author"] == expected[i["url"]]["author"] for i in new)
    # compact now gives the truth for every article
    dataset = target / "dataset.jsonl"
    compact = subprocess.run(
        tmvspider_command("compact", "--output-dir", str(target), "-o", str(dataset)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert compact.returncode == 0, compact.stderr
    assert_equal_to_truth([json.loads(line) for line in dataset.read_text("utf-8").splitlines()], site, mirror.root)
    with sqlite3.connect(target / "state" / "state.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == len(site.expected)


def test_a_killed_runs_part_file_is_recovered_up_to_its_last_whole_record(archived, site, mirror, tmp_path):
    out, _, _ = archived
    target = tmp_path / "out"
    (target / "archive").mkdir(parents=True)
    whole = sorted((out / "archive").glob("*.warc.gz"))[0]
    data = whole.read_bytes()
    cut = len(data) // 2
    part = target / "archive" / (whole.name + ".part")
    part.write_bytes(data[:cut])  # killed in the middle of a record
    with open(whole, "rb") as stream:  # the article pages whose records end before the cut
        iterator = ArchiveIterator(stream)
        kept = set()
        for record in iterator:
            uri = record.rec_headers.get_header("WARC-Target-URI")
            kind = record.rec_type
            record.content_stream().read()
            iterator.read_to_end(record)
            if (
                iterator.get_record_offset() + iterator.get_record_length() <= cut
                and kind == "response"
                and urls.kind(uri) == "article"
            ):
                kept.add(uri)
    assert 10 < len(kept) < len(site.expected)
    done = reextract(target)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not part.exists() and (target / "archive" / whole.name).exists()
    gzip.decompress((target / "archive" / whole.name).read_bytes())  # cut after a whole record: no error
    assert {urls.identity(i["url"]) for i in feed_items(target)} == set(map(urls.identity, kept))


def test_reextract_without_an_archive_says_so(tmp_path):
    done = reextract(tmp_path / "out")
    assert done.returncode == 1 and "no archived article page" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()  # refused before anything is created


def test_reextract_refuses_a_misspelt_setting_as_crawl_does(archived, tmp_path):
    out, _, _ = archived
    target = copy_of(out, tmp_path, "archive")
    for setting, line in (
        ("DOWNLAOD_DELAY=0", "did you mean DOWNLOAD_DELAY?"),
        ("TMV_OUPUT_DIR=x", "did you mean TMV_OUTPUT_DIR?"),
    ):
        done = reextract(target, "-s", setting)
        assert done.returncode == 2 and done.stderr.strip().endswith(line), done.stderr
        assert "Traceback" not in done.stderr and sorted(p.name for p in target.iterdir()) == ["archive"]


def test_reextract_rebuilds_an_article_archived_under_its_shortlink(tmp_path):
    from tmvmirror.site import build_site

    site = build_site(60, seed=2)  # an article read from its /?p=<id> page, which answers with the page itself
    with MirrorServer(site) as server:
        crawl = run_crawl(server.root, tmp_path / "crawled")
        assert crawl.returncode == 0, crawl.log[-2000:]
        assert [path for _, path, status, *_ in server.requests if path.startswith("/?p=") and status == 200]
        target = copy_of(tmp_path / "crawled", tmp_path, "archive")
        done = reextract(target)
        assert done.returncode == 0, done.stderr[-3000:]
        assert_equal_to_truth(feed_items(target), site, server.root)


def test_reextract_exits_3_on_a_coverage_alarm_as_a_crawl_does(tmp_path):
    """A re-extraction that still reads too little (here: a site without tags) says so as a crawl."""
    output = tmp_path / "out"
    with MirrorServer(build_site(60, seed=2, without={"tags"})) as server:
        crawl = run_crawl(server.root, output)
    assert crawl.returncode == 3, crawl.log[-2000:]
    again = reextract(output, "--base-url", server.root)
    assert again.returncode == 3, again.stderr[-2000:]
    assert "ALARM: coverage alarm: tags" in again.stdout
