"""The crawl state: recording finished feeds, recovery after a kill, bad databases."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest

from tmvspider.feedstorage import AtomicFileFeedStorage
from tmvspider.state import CrawlState, StateError, content_hash


def item(url, modified="2015-01-29T10:50:11+01:00", body="Texte."):
    return {
        "url": url,
        "published_at": "2015-01-29T10:50:11+01:00",
        "modified_at": modified,
        "body": body,
        "crawled_at": "2026-11-27T03:00:00Z",
    }


def write_feed(path, items):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def test_record_feed_marks_items_exported_once(tmp_path):
    state = CrawlState(tmp_path / "state")
    feed = write_feed(tmp_path / "out/tmv/a.jsonl", [item("http://x/article/a/"), item("http://x/article/b/")])
    assert state.record_feed(feed) == 2
    assert state.record_feed(feed) == 0  # idempotent
    assert state.count() == 2
    assert state.exported("http://x/article/a/")[2] == content_hash(item("http://x/article/a/"))


def test_a_feed_rewritten_in_place_is_recorded_again(tmp_path):
    """-O articles.jsonl: every run replaces the file; each version of it counts."""
    state = CrawlState(tmp_path / "state")
    feed = write_feed(tmp_path / "articles.jsonl", [item("u1")])
    assert state.record_feed(feed) == 1
    write_feed(feed, [item("u1", body="Nouveau."), item("u2")])
    assert state.record_feed(feed) == 2
    assert state.exported("u1")[2] == content_hash(item("u1", body="Nouveau."))


def test_content_hash_ignores_crawl_time_but_not_content():
    a = item("u")
    assert content_hash(a) == content_hash({**a, "crawled_at": "2030-01-01T00:00:00Z"})
    assert content_hash(a) != content_hash({**a, "body": "Autre."})


def test_is_current_follows_the_sitemap_lastmod(tmp_path):
    state = CrawlState(tmp_path / "state")
    state.record_feed(write_feed(tmp_path / "f.jsonl", [item("u")]))
    assert state.is_current("u")
    assert state.is_current("u", "2015-01-29T09:50:11+00:00")  # the same instant in UTC
    assert not state.is_current("u", "2015-02-01T08:00:00+01:00")
    assert not state.is_current("v")


def test_a_lastmod_ahead_of_the_page_is_remembered_for_that_version_only(tmp_path):
    """WordPress may date a sitemap entry later than any date the page shows."""
    state = CrawlState(tmp_path / "state")
    state.record_feed(write_feed(tmp_path / "f.jsonl", [item("u")]))
    later = "2015-03-01T10:00:00+01:00"
    assert not state.is_current("u", later)
    state.note_lastmod("u", later, content_hash({**item("u"), "body": "Autre."}))  # another version: ignored
    assert not state.is_current("u", later)
    state.note_lastmod("u", later, content_hash(item("u")))  # fetched again, unchanged
    assert state.is_current("u", later)
    assert not state.is_current("u", "2015-04-01T10:00:00+02:00")
    state.record_feed(write_feed(tmp_path / "g.jsonl", [item("u", body="Nouveau.")]))  # a new version
    assert not state.is_current("u", later)


def test_recovery_records_finished_feeds_and_removes_partial_ones(tmp_path):
    """A run killed between the rename and the record, and one killed mid-batch."""
    out = tmp_path / "out/tmv"
    write_feed(out / "tmv-1-00001.jsonl", [item("u1")])
    (out / "tmv-1-00002.jsonl.part").write_text('{"url": "u2", "cut', encoding="utf-8")
    state = CrawlState(tmp_path / "state")
    assert state.recover(out) == (1, 1)
    assert state.is_current("u1") and not state.is_current("u2")
    assert not list(out.glob("*.part"))
    assert state.recover(out) == (0, 0)


def test_atomic_storage_shows_a_jsonl_only_when_complete(tmp_path):
    target = tmp_path / "tmv" / "feed.jsonl"
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": True})
    file = storage.open(None)
    file.write(b'{"url": "u"}\n')
    assert not target.exists() and target.with_name("feed.jsonl.part").exists()
    storage.store(file)
    assert target.read_bytes() == b'{"url": "u"}\n'
    assert not target.with_name("feed.jsonl.part").exists()


def test_a_state_from_a_newer_version_is_refused(tmp_path):
    CrawlState(tmp_path).close()
    db = sqlite3.connect(tmp_path / "state.sqlite3")
    db.execute("PRAGMA user_version=99")
    db.close()  # and its WAL files with it
    with pytest.raises(StateError, match="newer tmvspider"):
        CrawlState(tmp_path)


def test_a_corrupt_state_is_one_clear_error(tmp_path):
    (tmp_path / "state.sqlite3").write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match="unreadable"):
        CrawlState(tmp_path)


def test_an_unwritable_state_folder_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StateError, match="cannot write"):
        CrawlState(blocker / "state")


def test_an_old_feed_met_again_never_rolls_an_article_back(tmp_path):
    state = CrawlState(tmp_path / "state")
    old = write_feed(tmp_path / "old.jsonl", [item("u")])
    state.record_feed(old)
    newer = {**item("u", body="Nouveau."), "crawled_at": "2026-11-28T03:00:00Z"}
    state.record_feed(write_feed(tmp_path / "new.jsonl", [newer]))
    os.utime(old, ns=(1, 1))  # touched, copied, restored: it looks like another feed
    state.record_feed(old)
    assert state.exported("u")[2] == content_hash(newer)


def test_pending_pages_survive_until_fetched(tmp_path):
    state = CrawlState(tmp_path / "state")
    state.add_pending("http://x/article/a/", "article", "timeout")
    state.add_pending("http://x/page/3/", "home", "http_503")
    state.add_pending("http://x/article/a/", "article", "http_500")  # failed again: still one entry
    state.close()
    state = CrawlState(tmp_path / "state")
    assert state.pending() == {"http://x/article/a/": "article", "http://x/page/3/": "home"}
    state.remove_pending("http://x/article/a/")
    assert state.pending() == {"http://x/page/3/": "home"}


def test_a_version_1_state_is_migrated_one_row_per_article(tmp_path):
    """Version 1 kept a row per URL: two spellings of one article become one row, the latest wins."""
    import sqlite3

    db = sqlite3.connect(tmp_path / "state.sqlite3")
    db.executescript("""
        CREATE TABLE articles (url TEXT PRIMARY KEY, published_at TEXT, modified_at TEXT, content_hash TEXT NOT NULL,
                               exported_at TEXT NOT NULL, feed TEXT NOT NULL, lastmod TEXT);
        CREATE TABLE feeds (path TEXT PRIMARY KEY, signature TEXT NOT NULL, items INTEGER NOT NULL, recorded_at TEXT NOT NULL);
        CREATE TABLE runs (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO articles VALUES ('https://www.tmvtours.fr/article/a/', '2015-01-29T10:50:11+01:00', NULL, 'h1',
                                     '2026-01-01T00:00:00+00:00', 'f1', NULL);
        INSERT INTO articles VALUES ('https://www.tmvtours.fr/article/a', '2015-01-29T10:50:11+01:00', NULL, 'h2',
                                     '2026-02-01T00:00:00+00:00', 'f2', NULL);
        INSERT INTO runs VALUES ('full_walk_done', '2026-02-01T00:00:00+00:00');
        PRAGMA user_version=1;
    """)
    db.close()
    state = CrawlState(tmp_path)
    assert state.count() == 1
    assert state.exported("https://tmv.tmvtours.fr/article/a/")[2:] == ("h2", None, "https://www.tmvtours.fr/article/a")
    assert state.get("full_walk_done")  # the rest of the state is kept
    state.close()
    assert sqlite3.connect(tmp_path / "state.sqlite3").execute("PRAGMA user_version").fetchone()[0] == 3


def test_the_keeper_holds_an_item_to_its_exported_version_in_any_spelling(spider, tmp_path):
    """One check of the content hash, under the URL as exported: another spelling of the
    content exported is unchanged, and the sitemap lastmod it was fetched for is kept."""
    from tmvspider.keeper import NEW, UNCHANGED, UPDATED

    exported = item("http://127.0.0.1:9/article/a/")
    spider.keeper.db.record_feed(write_feed(tmp_path / "tmv" / "f.jsonl", [exported]))
    later = "2030-01-01T00:00:00+00:00"
    assert not spider.keeper.is_current(exported["url"], later)
    assert spider.keeper.change({**exported, "url": "https://127.0.0.1:9/article/a"}, later) == UNCHANGED
    assert spider.keeper.is_current(exported["url"], later)  # not fetched again for that lastmod
    assert spider.keeper.change({**exported, "body": "Autre."}) == UPDATED
    assert spider.keeper.change(item("http://127.0.0.1:9/article/b/")) == NEW


def test_a_version_2_state_opens_and_gets_each_articles_fields_back_from_its_feeds(tmp_path):
    """Version 3 keeps which fields each article has (the coverage alarms' history): a version 2
    state keeps its articles and run marks, and reads its feeds again for the fields."""
    feed = write_feed(tmp_path / "out/tmv/a.jsonl", [{**item("http://x/article/a/"), "title": "T", "tags": ["x"]}])
    (tmp_path / "state").mkdir()
    db = sqlite3.connect(tmp_path / "state/state.sqlite3")  # as version 2 left it
    db.executescript(f"""
        CREATE TABLE articles (key TEXT PRIMARY KEY, url TEXT NOT NULL, post_id INTEGER, published_at TEXT,
                               modified_at TEXT, content_hash TEXT NOT NULL, exported_at TEXT NOT NULL,
                               feed TEXT NOT NULL, lastmod TEXT);
        CREATE TABLE feeds (path TEXT PRIMARY KEY, signature TEXT NOT NULL, items INTEGER NOT NULL, recorded_at TEXT NOT NULL);
        CREATE TABLE runs (key TEXT PRIMARY KEY, value TEXT);
        INSERT INTO articles VALUES ('article:a', 'http://x/article/a/', NULL, '2015-01-29T10:50:11+01:00', NULL, 'h',
                                     '2026-11-27T03:00:00Z', '{feed.resolve()}', NULL);
        INSERT INTO feeds VALUES ('{feed.resolve()}', '1:1', 1, '2026-11-27T03:00:00Z');
        INSERT INTO runs VALUES ('full_walk_done', '2026-02-01T00:00:00+00:00');
        PRAGMA user_version=2;
    """)
    db.close()
    state = CrawlState(tmp_path / "state")
    assert state.count() == 1 and state.get("full_walk_done") and state.field_history(10) == (0, {})
    assert state.recover(tmp_path / "out") == (1, 0)  # what a crawl does as it opens the state
    assert state.field_history(10) == (
        1,
        {"url": 1, "title": 1, "published_at": 1, "modified_at": 1, "tags": 1, "body": 1, "crawled_at": 1},
    )
    state.close()
    assert sqlite3.connect(tmp_path / "state/state.sqlite3").execute("PRAGMA user_version").fetchone()[0] == 3
