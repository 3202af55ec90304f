"""The CMS's API archived as the pages are, and `tmvspider reextract` rebuilding the articles read
through it as the crawls last exported them, without a single request: a WordPress of this
module's own crawled through its API, with each post's page and without, twice (a post retitled
in between), then stopped; the mirror through each of its two APIs; the Ampize plugin's answers
dated in their site's own time zone."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from .conftest import run_crawl
from .test_archive import copy_of, feed_items, records, reextract, run_stats
from .test_wordpress import published
from .wordpress import SAMPLE, WordPress

CHANGED, NEW_TITLE = "interview-un-chef-tourangeau", "Un chef tourangeau, dix ans après"
MODES = ("pages", "records")


def options(mode: str, root: str) -> tuple[str, ...]:
    """Each post's page read too ("pages"), or not; then the API is asked for under another name of
    its host (TMV_API_ROOT, as a site whose API is on a host of its own): archived all the same."""
    if mode == "pages":
        return ()
    return (
        "-s",
        "TMV_ARTICLE_PAGES=False",
        "-s",
        f"TMV_API_ROOT={root.replace('//127.0.0.1', '//localhost')}/wp-json/",
    )


@pytest.fixture(scope="module")
def crawled(wordpress, tmp_path_factory):
    """{mode: output folder} of two runs of each mode; the WordPress, stopped, and its model."""
    model = json.loads(SAMPLE.read_text("utf-8"))
    outputs = {mode: tmp_path_factory.mktemp(mode) / "out" for mode in MODES}
    with WordPress(model) as site:
        for mode, out in outputs.items():
            first = run_crawl(site.url, out, *options(mode, site.url))
            assert first.returncode == 0 and first.stats["tmv/api/used"] == "wp/v2", first.log[-3000:]
        site.update_post(CHANGED, post_title=NEW_TITLE)
        for mode, out in outputs.items():
            second = run_crawl(site.url, out, *options(mode, site.url))  # incremental: the posts changed since
            assert second.returncode == 0, second.log[-3000:]
            assert [item["title"] for item in second.items] == [NEW_TITLE]
    return outputs, site.url, model


def by_url(items: list[dict]) -> dict[str, dict]:
    """url -> its item but crawled_at; of two versions, the later in *items* (feeds in the order written)."""
    assert all(item["crawled_at"] for item in items)
    return {item["url"]: {k: v for k, v in item.items() if k != "crawled_at"} for item in items}


@pytest.mark.parametrize("mode", MODES)
def test_reextract_rebuilds_the_articles_read_through_the_api_without_the_site(crawled, mode, tmp_path):
    outputs, root, model = crawled
    out = outputs[mode]
    # each run's page of the API's listing is archived as the pages are
    archived = [u for f in sorted((out / "archive").glob("*.warc.gz")) for k, u, *_ in records(f) if k == "response"]
    listings = [uri for uri in archived if "/wp-json/wp/v2/posts?" in uri]
    assert len(listings) == len(set(listings)) == 2  # the first run's, all posts; the second's, those changed
    assert {urlsplit(uri).hostname for uri in listings} == {"localhost" if mode == "records" else "127.0.0.1"}
    target = copy_of(out, tmp_path, "archive")  # the feeds and the state are gone, and the WordPress
    done = reextract(target)
    assert done.returncode == 0, done.stderr[-3000:]
    n = len(published(model))
    assert f"re-extracted {n} archived article(s) ({n} from the API): {n} articles exported, {n} new" in done.stdout
    assert ", 0 requests" in done.stdout and run_stats(target).get("downloader/request_count", 0) == 0
    items = feed_items(target)
    assert len({item["url"] for item in items}) == len(items) == n  # each post once, from its newest record
    rebuilt = by_url(items)
    assert rebuilt == by_url(feed_items(out))
    assert rebuilt[f"{root}/article/{CHANGED}/"]["title"] == NEW_TITLE
    # answered from the archive: the two listings, and in "pages" each post's latest page
    assert run_stats(target)["tmv/reextract/replayed"] == 2 + (n if mode == "pages" else 0)


def test_reextract_honours_article_pages_off_with_the_pages_archived(crawled, tmp_path):
    """The pages are in the archive, but TMV_ARTICLE_PAGES is off: each post from its record alone,
    as a crawl through the API alone exports it."""
    outputs, _, _ = crawled
    target = copy_of(outputs["pages"], tmp_path, "archive")
    done = reextract(target, "-s", "TMV_ARTICLE_PAGES=False")
    assert done.returncode == 0, done.stderr[-3000:]
    assert run_stats(target)["tmv/reextract/replayed"] == 2  # the listings, no page
    assert by_url(feed_items(target)) == by_url(feed_items(outputs["records"]))


def test_a_second_reextract_finds_every_api_article_unchanged(crawled, tmp_path):
    outputs, _, model = crawled
    target = copy_of(outputs["pages"], tmp_path, "archive", "tmv", "state")  # the crawl's own state and feeds
    feeds = sorted((target / "tmv").glob("*.jsonl"))
    done = reextract(target)
    assert done.returncode == 0, done.stderr[-3000:]
    assert sorted((target / "tmv").glob("*.jsonl")) == feeds  # nothing exported again
    assert run_stats(target)["tmv/unchanged"] == len(published(model))


def archived_run(folder, name: str, answers: dict[str, object]) -> None:
    """A run's WARC file holding *answers* (URL -> JSON), as a crawl archives them (archive.warc_record)."""
    from tmvspider.archive import warc_record

    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"tmv-{name}.warc.gz", "wb") as out:
        for url, answer in answers.items():
            body = json.dumps(answer).encode("utf-8")
            head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
            fields = [("WARC-Target-URI", url), ("WARC-Date", "2026-01-01T00:00:00.000000Z")]
            out.write(warc_record("response", fields, "application/http; msgtype=response", head, body)[1])


def test_reextract_reads_the_ampize_plugin_s_items_in_its_site_s_time_zone(tmp_path):
    """No server here serves the plugin: its answers, shaped as its public code writes them
    (tests/test_api_records.py), archived by a full walk, then by an incremental run that asks
    for the same first page and finds one item retitled: each item from its newest capture."""
    from tmvspider.discovery import ampize

    from .test_api_records import item

    root, site = "http://127.0.0.1:9/wp-json/", {"timeZone": "America/New_York"}  # a zone of its own
    a, b = (item(id=n, url=f"http://127.0.0.1:9/article/{n}/") for n in (7, 8))
    archive = tmp_path / "out" / "archive"
    archived_run(archive, "1", {ampize.site_url(root): site, ampize.items_url(root): {"numItems": 2, "items": [a, b]}})
    retitled = {"numItems": 2, "items": [{**a, "headline": "Retitré"}]}
    archived_run(archive, "2", {ampize.site_url(root): site, ampize.items_url(root): retitled})
    done = reextract(tmp_path / "out")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "re-extracted 2 archived article(s) (2 from the API)" in done.stdout
    # 07:27:07 in New York (the plugin's wall clock, in the site's zone), written in Paris time
    assert {i["url"]: (i["title"], i["published_at"]) for i in feed_items(tmp_path / "out")} == {
        a["url"]: ("Retitré", "2024-03-26T12:27:07+01:00"),
        b["url"]: (b["headline"], "2024-03-26T12:27:07+01:00"),
    }


@pytest.mark.parametrize("namespace", ["wp/v2", "ampize/v1"])
def test_reextract_rebuilds_a_mirror_read_through_its_api_page_by_page(namespace, tmp_path):
    """The mirror's API, two pages of it, then an article added and one edited, read by an
    incremental run: re-extraction gives what the crawls last exported, not one request."""
    from tmvmirror import MirrorServer, build_site

    base = build_site(110, seed=3, api=(namespace,))
    with MirrorServer(base) as server:
        out = tmp_path / "crawled"
        first = run_crawl(server.root, out)
        assert first.returncode == 0 and first.stats["tmv/api/used"] == namespace, first.log[-3000:]
        server.site = build_site(110, seed=3, extra_articles=1, modified=1, api=(namespace,))
        second = run_crawl(server.root, out)
        assert second.returncode == 0 and second.items, second.log[-3000:]
        asked = len(server.requests)
        target = copy_of(out, tmp_path, "archive")
        done = reextract(target)
        assert done.returncode == 0, done.stderr[-3000:]
        assert len(server.requests) == asked
    items = feed_items(target)
    assert len(items) == len(server.site.expected) == len(by_url(items))
    assert by_url(items) == by_url(feed_items(out))
