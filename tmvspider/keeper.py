"""The crawl state's one owner in a crawl (moved out of state.py, which keeps the database)."""

from __future__ import annotations

import logging
import sqlite3
import weakref
from contextlib import contextmanager
from pathlib import Path

from scrapy import signals

from .disk import DiskGuard, as_os_error
from .state import NO_HOLES, CrawlState, StateError, lock, now_iso, output_dir, state_dir
from .urls import identity

logger = logging.getLogger(__name__)

_KEEPERS: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # crawler -> its StateKeeper


class StateKeeper:
    """The crawl state's one owner in a crawl: lock → open → recover → record → close.

    Built once per crawler (``StateKeeper.from_crawler`` gives every component the same
    one; it is also the extension that hears the feeds close and the engine stop). The
    spider opens it when it walks the site and asks it what is exported, what failed last
    time and which validators to send; the dedup pipeline asks it for each item's last
    version; nothing reads the state off the spider. A finished feed of the crawl's own
    folder (``<TMV_OUTPUT_DIR>/<spider>/``) is recorded as soon as it is in place; once the
    engine stops, a run that walked the site and left no hole (outcome.complete) saves the
    validators it met and its "no holes" mark; then the database is closed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.db: CrawlState | None = None  # None: single pages, `scrapy parse`, or another crawl holds it
        self.walking = False  # the run walks the site (begin_walk), not single pages or `scrapy parse`
        self.pending: dict[str, str] = {}  # URL -> kind: what an earlier run could not fetch
        self._validators: dict[str, tuple[str | None, str | None]] = {}  # saved at a clean finish
        self._lastmods: dict[str, str] = {}  # article identity -> the sitemap lastmod it was fetched for
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler) -> "StateKeeper":
        keeper = _KEEPERS.get(crawler)
        if keeper is None:
            keeper = _KEEPERS[crawler] = cls(crawler)
        return keeper

    # ------------------------------------------------------------ life cycle

    def open(self) -> bool:
        """Take the locks, open the database, finish what a killed run left. False, with a
        warning, when another process holds the locks (`scrapy parse` while cron crawls):
        this run then goes without the state and leaves it alone."""
        settings = self.crawler.settings
        try:  # held already under `scrapy crawl` and `tmvspider crawl` (preflight.py)
            lock(state_dir(settings))
            lock(output_dir(settings))
        except StateError as error:
            logger.warning("%s: this run goes without the crawl state", error)
            return False
        self.db = CrawlState(state_dir(settings))
        self.db.recover(self.feeds_dir)
        self.pending = self.db.pending()
        return True

    @property
    def active(self) -> bool:
        return self.db is not None

    @property
    def feeds_dir(self) -> Path:
        """The crawl's own feeds, the ones the state reads back."""
        return output_dir(self.crawler.settings) / self.crawler.spidercls.name

    @property
    def feed_folder(self) -> str:
        """Where a run's default feeds and stats go under TMV_OUTPUT_DIR: the crawl's folder for
        a run that holds the state, else dev/ (single pages, `scrapy parse` while cron crawls)."""
        return self.crawler.spidercls.name if self.active else "dev"

    def begin_walk(self, full: bool) -> bool:
        """The run walks the site; whether it must walk the monthly archives too: asked
        (*full*), the first run, or the one after a run that left holes no record names. The
        "no holes" mark is removed now and set again only if this run finishes cleanly."""
        self.walking = True
        walk_archives = full or not self.db.get(NO_HOLES)
        with self.writing():
            self.db.set(NO_HOLES, None)
        return walk_archives

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None

    # ------------------------------------------------------------ what was exported

    def count(self) -> int:
        return self.db.count() if self.db else 0

    def exported(self, url: str):
        return self.db.exported(url) if self.db else None

    def is_current(self, url: str, lastmod: str | None = None) -> bool:
        return bool(self.db) and self.db.is_current(url, lastmod)

    def knows_post(self, post_id) -> bool:
        return bool(self.db) and self.db.knows_post(post_id)

    def fetched_for(self, url: str, lastmod: str) -> None:
        """The article at *url* was fetched because its sitemap ``lastmod`` moved to *lastmod*."""
        self._lastmods[identity(url)] = lastmod

    def take_lastmod(self, url: str) -> str | None:
        """The sitemap lastmod the article at *url* was fetched for, if any (asked once per item)."""
        return self._lastmods.pop(identity(url), None)

    def note_lastmod(self, url: str, lastmod: str, item: dict) -> None:
        if self.db:
            with self.writing():
                self.db.note_lastmod(url, lastmod, item)

    # ------------------------------------------------------------ conditional requests

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self.db.validators(url) if self.db else (None, None)

    def keep_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        """Validators of a listing or sitemap read through: saved if the run finishes cleanly."""
        self._validators[url] = (etag, last_modified)

    # ------------------------------------------------------------ what a run could not fetch

    def add_pending(self, url: str, kind: str, reason: str) -> None:
        if self.walking:  # single pages and `scrapy parse` leave the state's pages alone
            self.pending[url] = kind
            with self.writing():
                self.db.add_pending(url, kind, reason)

    def forget_pending(self, url: str) -> bool:
        """Whether *url* was pending; it is not any more (only while the run walks the site)."""
        if self.walking and self.pending.pop(url, None):
            with self.writing():
                self.db.remove_pending(url)
            return True
        return False

    # ------------------------------------------------------------ signals

    def feed_slot_closed(self, slot):
        """Record a finished feed of the crawl's own folder, the one the state reads back. An
        -O/-o file elsewhere is not: it may be overwritten or moved, so its articles count as
        not exported and the next run writes them to the crawl's feeds."""
        path = getattr(slot.storage, "path", None)
        if self.db is None or not path or not str(path).endswith(".jsonl"):
            return
        if Path(path).resolve().parent != self.feeds_dir.resolve():
            return
        count = None
        try:
            with self.writing():
                count = self.db.record_feed(path)
        except FileNotFoundError:  # the storage failed: nothing to record, the items come again
            return
        if count is None:  # not recorded (a full disk): the next run reads the feed back
            return
        self.crawler.stats.inc_value("tmv/feeds_recorded")
        self.crawler.stats.inc_value("tmv/items_recorded", count)
        logger.debug("state: recorded %d item(s) of %s", count, path)

    def engine_stopped(self):
        from .outcome import complete

        if self.db is None:
            return
        if self.walking and complete(self.crawler.stats.get_stats()):
            with self.writing():
                self.db.save_validators(self._validators)
                self.db.set(NO_HOLES, now_iso())
        self.close()

    @contextmanager
    def writing(self):
        """A write to the database that fails on its disk stops the run (disk.DiskGuard)."""
        try:
            yield
        except (OSError, sqlite3.OperationalError) as error:
            if isinstance(error, FileNotFoundError) or as_os_error(error) is None:
                raise
            self.crawler.get_extension(DiskGuard).failed(self.db.directory, error)
