"""The crawl state that survives runs: what was exported, and what the server said last time.

An embedded SQLite database (``<TMV_STATE_DIR>/state.sqlite3``, no server). The
finished feeds are the truth and the state follows them: an article counts as
exported only once the ``.jsonl`` file holding it is in place (see
feedstorage.py), and at start-up every finished feed the state does not know
yet (a run killed between the rename and the record) is read back into it,
while unfinished ``.part`` files are removed. So a run killed at any moment and
run again exports every article exactly once. In a crawl, its one owner is
keeper.StateKeeper.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from .disk import advice, as_os_error
from .items import filled_fields
from .processors import now as clock, parse_timestamp
from .urls import identity

logger = logging.getLogger(__name__)

# 2: articles keyed by urls.identity (one row per article, whatever its spelling);
# 3: each article's filled fields (articles.filled), the history coverage alarms are held to
SCHEMA_VERSION = 3
PART_SUFFIX = ".part"  # a feed being written; renamed to .jsonl when complete

_TABLES = """
CREATE TABLE IF NOT EXISTS articles (
    key TEXT PRIMARY KEY,  -- urls.identity(url): article:<slug>
    url TEXT NOT NULL,  -- as last exported
    post_id INTEGER,
    published_at TEXT,
    modified_at TEXT,
    content_hash TEXT NOT NULL,
    exported_at TEXT NOT NULL,
    feed TEXT NOT NULL,
    lastmod TEXT,  -- the sitemap <lastmod> last seen for this very version, if any
    filled TEXT  -- the fields this version has a value for, space-separated (items.filled_fields)
);
CREATE INDEX IF NOT EXISTS articles_exported_at ON articles (exported_at);
CREATE INDEX IF NOT EXISTS articles_post_id ON articles (post_id);
CREATE TABLE IF NOT EXISTS feeds (path TEXT PRIMARY KEY, signature TEXT NOT NULL, items INTEGER NOT NULL,
                                  recorded_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT);
CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS pending (url TEXT PRIMARY KEY, kind TEXT NOT NULL, reason TEXT NOT NULL,
                                    failed_at TEXT NOT NULL);  -- asked for again by the next run
"""
# In ``runs``: set when a run finishes cleanly, removed when one starts discovery. Without it
# (the first run, or after one killed, stopped or with errors) pages may have been missed that no
# record names (a home page never reached): the next run walks the monthly archives too. The
# stored key is kept as it is so that existing states still read.
FINISHED_CLEANLY = "full_walk_done"
# In ``runs``: the site root (scheme://host[:port]) the state and its feeds were made for. A crawl
# of another site on the same folders would mix two datasets (preflight.one_site refuses it).
SITE_ROOT = "site_root"


class StateError(Exception):
    """The state cannot be used; the message says what to do (one line)."""


class Exported(NamedTuple):
    """The version of an article last exported, as the state holds it."""

    published_at: str | None
    modified_at: str | None
    content_hash: str
    lastmod: str | None  # the sitemap <lastmod> last met for this very version
    url: str  # as exported: the feed's spelling


def content_hash(item: dict) -> str:
    """A fingerprint of what the article says (everything but when we fetched it)."""
    content = {k: v for k, v in item.items() if k != "crawled_at"}
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:32]


def now_iso() -> str:
    return clock().isoformat(timespec="seconds")


def _instant(value: str | None):
    stamp = parse_timestamp(value) if value else None
    return stamp.at if stamp else None


class CrawlState:
    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.path = self.directory / "state.sqlite3"
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StateError(
                    f"the state {self.path} was written by a newer tmvspider "
                    f"(state version {version}, this one reads {SCHEMA_VERSION}): upgrade tmvspider"
                )
            with self.db:
                self.db.execute("BEGIN")
                if version == 1:
                    self._from_version_1()
                elif version == 2:
                    self.db.execute("ALTER TABLE articles ADD COLUMN filled TEXT")
                    self.db.execute("DELETE FROM feeds")  # recover() reads every feed again: the fields come back
                for statement in _TABLES.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
            # every URL exported so far (this process alone writes, under the lock): a new
            # article, most of a first crawl, is answered without a query
            self._keys: set[str] = set()
            self._posts: set[int] = set()
            for key, post_id in self.db.execute("SELECT key, post_id FROM articles"):
                self._keys.add(key)
                if post_id:
                    self._posts.add(post_id)
        except (OSError, sqlite3.DatabaseError) as error:
            if (cause := as_os_error(error)) is None:  # not its disk: the file itself
                raise StateError(
                    f"the state {self.path} is unreadable ({error}): move it away and run "
                    "again; a full crawl rebuilds it from the feeds"
                ) from None
            raise StateError(
                f"cannot write the state folder {self.directory} ({cause.strerror}): "
                f"{advice(cause)}, or choose another with -s TMV_STATE_DIR=DIR"
            ) from None

    def close(self) -> None:
        self.db.close()

    def reset(self) -> None:
        """Forget every article, feed, validator, pending page and run mark: a fresh start."""
        with self.db:
            self.db.execute("BEGIN")
            for table in ("articles", "feeds", "validators", "pending", "runs"):
                self.db.execute(f"DELETE FROM {table}")
        self._keys.clear()
        self._posts.clear()

    def _from_version_1(self) -> None:
        """Version 1 kept one row per URL: rows become one per article (urls.identity); of two
        spellings of one article, the latest export wins."""
        old = self.db.execute(
            "SELECT url, published_at, modified_at, content_hash, exported_at, feed, lastmod "
            "FROM articles ORDER BY exported_at"
        ).fetchall()
        self.db.execute("DROP TABLE articles")
        self.db.execute(_TABLES.split(";")[0])
        self.db.executemany(
            "INSERT OR REPLACE INTO articles (key, url, published_at, modified_at, content_hash, exported_at, feed, "
            "lastmod) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(identity(row[0]), *row) for row in old],
        )
        self.db.execute("DELETE FROM feeds")  # recover() reads every feed again: the post ids come back

    # ------------------------------------------------------------ articles

    def exported(self, url: str) -> Exported | None:
        """The version last exported of the article *url* names in any spelling, or None."""
        key = identity(url)
        if key not in self._keys:
            return None
        row = self.db.execute(
            "SELECT published_at, modified_at, content_hash, lastmod, url FROM articles WHERE key = ?", (key,)
        ).fetchone()
        return Exported._make(row) if row else None

    def knows_post(self, post_id: int | str) -> bool:
        """Whether an exported article has this CMS post id (``/?p=<id>`` needs no fetch then)."""
        try:
            return int(post_id) in self._posts
        except (TypeError, ValueError):
            return False

    def is_current(self, url: str, lastmod: str | None = None) -> bool:
        """Known, and not modified since (by the sitemap's ``lastmod``, when given): the
        ``lastmod`` is no later than what the exported version shows, or than the
        ``lastmod`` already met for that version."""
        row = self.exported(url)
        if row is None:
            return False
        if not lastmod:
            return True
        told = _instant(lastmod)
        # what the exported version shows (a modification may be dated before the publication)
        seen = [t for t in map(_instant, (row.published_at, row.modified_at, row.lastmod)) if t]
        return bool(told and seen and told <= max(seen))

    def note_lastmod(self, url: str, lastmod: str, fingerprint: str) -> None:
        """Remember the sitemap ``lastmod`` an article was fetched for, if the version exported
        is the one of content_hash *fingerprint* (a page whose lastmod runs ahead of the date
        it shows is then not fetched again)."""
        self.db.execute(
            "UPDATE articles SET lastmod = ? WHERE key = ? AND content_hash = ?", (lastmod, identity(url), fingerprint)
        )

    def record_feed(self, path: str | Path) -> int:
        """Mark every item of a finished feed file as exported (idempotent). Returns its item count."""
        path = str(Path(path).resolve())
        info = os.stat(path)
        signature = f"{info.st_size}:{info.st_mtime_ns}"  # a file rewritten in place (-O) is a new feed
        if self.db.execute("SELECT 1 FROM feeds WHERE path = ? AND signature = ?", (path, signature)).fetchone():
            return 0
        rows = []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    item = json.loads(line)
                except ValueError:  # cannot happen in a finished feed; never trust it to
                    logger.warning("skipping an unreadable line in %s", path)
                    continue
                post_id = item.get("post_id") if isinstance(item.get("post_id"), int) else None
                rows.append(
                    (
                        identity(item["url"]),
                        item["url"],
                        post_id,
                        item.get("published_at"),
                        item.get("modified_at"),
                        content_hash(item),
                        item.get("crawled_at") or now_iso(),
                        path,
                        " ".join(filled_fields(item)),
                    )
                )
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?) ON CONFLICT(key) DO UPDATE SET "
                "url=excluded.url, post_id=excluded.post_id, published_at=excluded.published_at, modified_at=excluded.modified_at, "
                "content_hash=excluded.content_hash, exported_at=excluded.exported_at, feed=excluded.feed, "
                "filled=excluded.filled, lastmod=CASE WHEN content_hash = excluded.content_hash THEN lastmod END "
                "WHERE excluded.exported_at >= articles.exported_at",  # an old feed met again changes nothing
                rows,
            )
            self.db.execute("INSERT OR REPLACE INTO feeds VALUES (?, ?, ?, ?)", (path, signature, len(rows), now_iso()))
        self._keys.update(row[0] for row in rows)
        self._posts.update(row[2] for row in rows if row[2])
        return len(rows)

    def recover(self, output_dir: str | Path) -> tuple[int, int]:
        """Finish what a killed run left: record unknown finished feeds, remove partial ones.

        Returns (feeds recorded, partial files removed)."""
        output_dir = Path(output_dir)
        if not output_dir.is_dir():
            return 0, 0
        removed = 0
        for part in output_dir.rglob(f"*{PART_SUFFIX}"):
            part.unlink(missing_ok=True)
            removed += 1
        recorded = sum(1 for feed in sorted(output_dir.rglob("*.jsonl")) if self.record_feed(feed))
        if recorded or removed:
            logger.info("state: recovered %d finished feed(s), removed %d partial file(s)", recorded, removed)
        return recorded, removed

    def first_root(self) -> str | None:
        """The root (scheme://host[:port]) of an article it holds, if any."""
        row = self.db.execute("SELECT url FROM articles LIMIT 1").fetchone()
        if row is None:
            return None
        scheme, _, rest = row[0].partition("://")
        return f"{scheme}://{rest.split('/', 1)[0]}".lower()

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def newest_change(self):
        """The latest instant an exported article was published or modified at (aware), or None:
        what an incremental run asks the CMS's API for changes since."""
        instants = (
            _instant(value)
            for row in self.db.execute("SELECT published_at, modified_at FROM articles")
            for value in row
            if value
        )
        return max(filter(None, instants), default=None)

    def field_history(self, last: int) -> tuple[int, dict[str, int]]:
        """(n, {field: how many have it}) over the *last* articles exported (their latest
        versions, by export time): what a run's coverage is held to (coverage.py)."""
        rows = self.db.execute(
            "SELECT filled FROM articles WHERE filled IS NOT NULL ORDER BY exported_at DESC LIMIT ?", (last,)
        ).fetchall()
        counts: dict[str, int] = {}
        for (filled,) in rows:
            for field in filled.split():
                counts[field] = counts.get(field, 0) + 1
        return len(rows), counts

    # ------------------------------------------------------------ conditional requests

    def validators(self, url: str) -> tuple[str | None, str | None]:
        row = self.db.execute("SELECT etag, last_modified FROM validators WHERE url = ?", (url,)).fetchone()
        return row or (None, None)

    def save_validators(self, values: dict[str, tuple[str | None, str | None]]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?)",
                [(url, etag, lm) for url, (etag, lm) in values.items()],
            )

    # ------------------------------------------------------------ what a run could not fetch

    def pending(self) -> dict[str, str]:
        """URL -> kind ('article', 'home', 'archive', 'sitemap' …) of what failed and was not fetched since."""
        return dict(self.db.execute("SELECT url, kind FROM pending"))

    def add_pending(self, url: str, kind: str, reason: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO pending VALUES (?, ?, ?, ?)", (url, kind, reason, now_iso()))

    def remove_pending(self, url: str) -> None:
        self.db.execute("DELETE FROM pending WHERE url = ?", (url,))

    # ------------------------------------------------------------ runs

    def get(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM runs WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set(self, key: str, value: str | None) -> None:
        """Set *key* to *value*; None removes it."""
        if value is None:
            self.db.execute("DELETE FROM runs WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO runs VALUES (?, ?)", (key, value))


def output_dir(settings) -> Path:
    return Path(settings.get("TMV_OUTPUT_DIR") or "output")


def state_dir(settings) -> Path:
    return Path(settings.get("TMV_STATE_DIR") or output_dir(settings) / "state")


# folder -> the open lock file this process holds: the lock is the process's (flock), taken by the
# checks before Scrapy starts and held until exit, so no crawl component could own it
_LOCKS: dict[Path, object] = {}


def lock(folder: Path):
    """Hold the folder's lock for this process (released when it exits); asking again is
    a no-op. Two crawls on one state or output folder never overlap: the second gets
    StateError at once."""
    folder = Path(folder).resolve()
    if folder in _LOCKS:
        return _LOCKS[folder]
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / ".lock", "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise StateError(f"another crawl is running (lock {folder / '.lock'}); nothing done") from None
    _LOCKS[folder] = handle
    return handle
