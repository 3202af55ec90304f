"""The crawl state's one owner in a crawl, and what a run without the state gets instead.

:class:`StateKeeper` is a Scrapy extension (EXTENSIONS), built once per crawl; every
component gets it from the crawler (:func:`keeper_of`, Scrapy's ``crawler.get_extension``).
A run that goes without the state (single pages, ``scrapy parse``, ``scrapy shell``,
``scrapy check``, a run beside a crawl that holds the state) has no keeper: it gets
:class:`NoState`, which knows nothing and records nothing.
"""

from __future__ import annotations

import logging
import sqlite3
from contextlib import contextmanager
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.settings import SETTINGS_PRIORITIES

from . import statkeys
from .deploy import keep_crawl_feeds
from .disk import as_os_error, stop_on_failed_write
from .outcome import failure
from .state import FINISHED_CLEANLY, CrawlState, StateError, content_hash, lock, now_iso, output_dir, state_dir

logger = logging.getLogger(__name__)

# What an item is to the version last exported (StateKeeper.change)
NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"


def keeper_of(crawler) -> StateKeeper | NoState:
    """The crawl's StateKeeper, or NoState for a run without the state. Ask once the
    extensions exist: in a pipeline's or feed storage's from_crawler, or at spider_opened
    (the spider and the extensions themselves are built before)."""
    return crawler.get_extension(StateKeeper) or NoState()


def feeds_dir(crawler) -> Path:
    """The crawl's own feeds, the ones the state reads back."""
    return output_dir(crawler.settings) / crawler.spidercls.name


def open_state(settings, feeds: Path) -> CrawlState | None:
    """Take the locks, open the database, finish what a killed run left in *feeds*. None, with
    a warning, when another process holds the locks (`scrapy parse` while cron crawls): this
    run then goes without the state and leaves it alone."""
    try:  # held already under `scrapy crawl` and `tmvspider crawl` (preflight.py)
        lock(state_dir(settings))
        lock(output_dir(settings))
    except StateError as error:
        logger.warning("%s: this run goes without the crawl state", error)
        return None
    db = CrawlState(state_dir(settings))
    db.recover(feeds)
    return db


def left_holes(stats: dict, exported: int, recorded: int) -> bool:
    """Whether a run may have left holes that no record names: it did not finish (killed,
    stopped), it failed, a feed failed, or an article it exported (*exported*) is in no feed
    the state recorded (*recorded*: not only in an ``-o x.json`` the state cannot read). A
    page that failed is no hole: the state keeps it for the next run to ask for again; a page of
    the API's listing that failed is one (the posts it held are in no record)."""
    return (
        stats.get("finish_reason") != "finished"
        or bool(stats.get(statkeys.API_INCOMPLETE))
        or failure(stats) is not None
        or any(k.startswith("feedexport/failed_count") for k in stats)
        or recorded < exported
    )


class StateKeeper:
    """The crawl state's one owner in a crawl: lock → open → recover → record → close.

    Built after the spider and before the settings freeze (Scrapy's Crawler.crawl), it opens
    the state for a spider that keeps it (``spider.keeps_state``). The spider asks it what
    is exported, what failed last time and which validators to send; the dedup pipeline
    holds each item to its last version. A finished feed of the crawl's own folder
    (``<TMV_OUTPUT_DIR>/<spider>/``) is recorded as soon as it is in place; once the engine
    stops, a run that walked the site and left no hole (:func:`left_holes`) saves the
    validators it met and marks it finished cleanly; then the database is closed.
    """

    active = True  # it holds the state

    def __init__(self, crawler, db: CrawlState):
        self.crawler = crawler
        self.db = db
        self.walking = False  # the run walks the site (begin_walk), not single pages or `scrapy parse`
        self.pending: dict[str, str] = db.pending()  # URL -> kind: what an earlier run could not fetch
        self._validators: dict[str, tuple[str | None, str | None]] = {}  # saved at a clean finish
        self.items_exported = 0  # this run's, to any feed
        self.items_recorded = 0  # this run's, from the finished feeds of the crawl's own folder
        # taken before this run records a feed: its coverage is held to what came before it
        self.history = db.field_history(crawler.settings.getint("TMV_COVERAGE_HISTORY"))
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.feed_slot_closed, signal=signals.feed_slot_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)

    @classmethod
    def from_crawler(cls, crawler) -> StateKeeper:
        """The keeper of a run that holds the state; else NotConfigured, and the run's default
        feeds go to dev/, apart from the crawl's, which the state reads back."""
        settings = crawler.settings
        spider = crawler.spider  # None under `scrapy shell`, which builds it later
        db = open_state(settings, feeds_dir(crawler)) if getattr(spider, "keeps_state", False) else None
        if db is None:
            if not settings.frozen and settings.getpriority("FEEDS") == SETTINGS_PRIORITIES["spider"]:
                settings.set(
                    "FEEDS", crawler.spidercls.default_feeds(settings, NoState.feed_folder), priority="spider"
                )  # settings freeze after the extensions
            raise NotConfigured
        if getattr(spider, "_job", None):  # scrapyd with items_dir: the crawl's own feeds too
            keep_crawl_feeds(spider, settings)
        return cls(crawler, db)

    # ------------------------------------------------------------ life cycle

    @property
    def feed_folder(self) -> str:
        """Where the run's default feeds and stats go under TMV_OUTPUT_DIR: the crawl's folder."""
        return self.crawler.spidercls.name

    def begin_walk(self, full: bool) -> bool:
        """The run walks the site; whether it must walk the monthly archives too: asked
        (*full*), the first run, or the one after a run that did not finish cleanly (it may have
        missed pages no record names). The mark is removed now, set again at a clean finish."""
        self.walking = True
        walk_archives = full or not self.db.get(FINISHED_CLEANLY)
        with self.writing():
            self.db.set(FINISHED_CLEANLY, None)
        return walk_archives

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ what was exported

    def count(self) -> int:
        return self.db.count()

    def is_current(self, url: str, lastmod: str | None = None) -> bool:
        return self.db.is_current(url, lastmod)

    def newest_change(self):
        return self.db.newest_change()

    def knows_post(self, post_id) -> bool:
        return self.db.knows_post(post_id)

    def change(self, item: dict, lastmod: str | None = None) -> str:
        """What *item* (its exported fields) is to the version last exported: NEW, UPDATED or
        UNCHANGED, compared under the URL as exported (another spelling of the same content is
        unchanged). An unchanged one keeps the sitemap *lastmod* it was fetched for: a lastmod
        ahead of what the page shows is then no reason to fetch it again."""
        last = self.db.exported(item["url"])
        if last is None:
            return NEW
        fingerprint = content_hash({**item, "url": last.url})
        if fingerprint != last.content_hash:
            return UPDATED
        if lastmod:
            with self.writing():
                self.db.note_lastmod(item["url"], lastmod, fingerprint)
        return UNCHANGED

    # ------------------------------------------------------------ conditional requests

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self.db.validators(url)

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
        if self.walking and self.pending.pop(url, None) is not None:
            with self.writing():
                self.db.remove_pending(url)
            return True
        return False

    # ------------------------------------------------------------ signals

    def item_scraped(self, item):
        self.items_exported += 1

    def feed_slot_closed(self, slot):
        """Record a finished feed of the crawl's own folder, the one the state reads back. An
        -O/-o file elsewhere is not: it may be overwritten or moved, so its articles count as
        not exported and the next run writes them to the crawl's feeds."""
        path = getattr(slot.storage, "path", None)
        if not path or not str(path).endswith(".jsonl"):
            return
        if Path(path).resolve().parent != feeds_dir(self.crawler).resolve():
            return
        count = None
        try:
            with self.writing():
                count = self.db.record_feed(path)
        except FileNotFoundError:  # the storage failed: nothing to record, the items come again
            return
        if count is None:  # not recorded (a full disk): the next run reads the feed back
            return
        self.items_recorded += count
        self.crawler.stats.inc_value(statkeys.FEEDS_RECORDED)
        self.crawler.stats.inc_value(statkeys.ITEMS_RECORDED, count)
        logger.debug("state: recorded %d item(s) of %s", count, path)

    def engine_stopped(self):
        if self.walking and not left_holes(self.crawler.stats.get_stats(), self.items_exported, self.items_recorded):
            with self.writing():
                self.db.save_validators(self._validators)
                self.db.set(FINISHED_CLEANLY, now_iso())
        self.close()

    @contextmanager
    def writing(self):
        """A write to the database that fails on its disk stops the run (disk.DiskGuard)."""
        try:
            yield
        except (OSError, sqlite3.OperationalError) as error:
            if isinstance(error, FileNotFoundError) or as_os_error(error) is None:
                raise
            stop_on_failed_write(self.crawler, self.db.directory, error)


class NoState:
    """The keeper of a run without the state: it knows nothing and records nothing."""

    active = False
    feed_folder = "dev"  # the run's default feeds and stats go apart from the crawl's

    def __init__(self):
        self.walking = False
        self.pending: dict[str, str] = {}
        self.history: tuple[int, dict[str, int]] = (0, {})  # no history: the fixed thresholds

    def begin_walk(self, full: bool) -> bool:
        self.walking = True
        return True  # nothing known: the monthly archives too

    def count(self) -> int:
        return 0

    def is_current(self, url: str, lastmod: str | None = None) -> bool:
        return False

    def newest_change(self):
        return None

    def knows_post(self, post_id) -> bool:
        return False

    def change(self, item: dict, lastmod: str | None = None) -> None:
        return None  # no version to hold the item to

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return None, None

    def keep_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        pass

    def add_pending(self, url: str, kind: str, reason: str) -> None:
        pass

    def forget_pending(self, url: str) -> bool:
        return False
