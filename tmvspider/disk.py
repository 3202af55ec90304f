"""A write that fails (full disk, quota, read-only disk …) stops the run, told once.

Every writer of a crawl's folders (the feeds, the state, the archive, the run's stats,
the log file) hands its ``OSError`` (or SQLite's "disk is full") to the crawler's
:class:`DiskGuard`, an extension (``crawler.get_extension(DiskGuard)``): the first one is
one ERROR line naming the folder and the disk, and the engine closes the spider (finish
reason ``disk_error``, exit 1); later ones are only DEBUG lines. What was in no finished feed is not recorded in the state, so the next run,
given space, fetches it again.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
from pathlib import Path

from . import statkeys

logger = logging.getLogger(__name__)

REASON = "disk_error"  # the finish_reason of a run stopped by a failed write
_SQLITE = {
    sqlite3.SQLITE_FULL: errno.ENOSPC,
    sqlite3.SQLITE_READONLY: errno.EROFS,
    sqlite3.SQLITE_IOERR: errno.EIO,
    sqlite3.SQLITE_CANTOPEN: errno.EACCES,
}
_ADVICE = {
    errno.ENOSPC: "free some space there",
    errno.EDQUOT: "free some space there (disk quota)",
    errno.EROFS: "it is read-only: make it writable",
    errno.EACCES: "give this user the right to write there",
    errno.EPERM: "give this user the right to write there",
}


class FeedNotStored(Exception):
    """A feed storage's store() that failed on its disk (told already by the DiskGuard)."""


def as_os_error(error: BaseException) -> OSError | None:
    """*error* as an OSError when it is a failed write to a disk (SQLite's own errors
    included: "database or disk is full" is ENOSPC), else None."""
    if isinstance(error, OSError):
        return error
    if isinstance(error, sqlite3.OperationalError):
        code = _SQLITE.get(getattr(error, "sqlite_errorcode", 0) & 0xFF)
        if code is not None:
            return OSError(code, os.strerror(code))
    return None


def advice(error: BaseException) -> str:
    """What to do about a failed write, in a few words."""
    return _ADVICE.get(getattr(error, "errno", 0), "check that disk")


def mount_point(path: Path) -> Path:
    """The mount point of the disk *path* is on (of its deepest existing folder)."""
    path = Path(os.path.abspath(path))
    while not path.exists() or not os.path.ismount(path):
        if path.parent == path:
            break
        path = path.parent
    return path


class DiskGuard:
    """The crawler's one record of a failed write; see the module's doc."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.error: str | None = None
        logging.getLogger("scrapy.extensions.feedexport").addFilter(_TOLD_ALREADY)  # once: the same filter

    @classmethod
    def from_crawler(cls, crawler) -> DiskGuard:
        return cls(crawler)

    def failed(self, folder: Path | str, error: BaseException) -> None:
        """A write to *folder* failed with *error*: the run stops (said once)."""
        cause = as_os_error(error) or error
        strerror = getattr(cause, "strerror", None) or str(cause)
        if self.error is not None:
            logger.debug("cannot write to %s either (%s)", folder, strerror)
            return
        mount = mount_point(Path(folder))
        self.error = f"cannot write to {folder} ({strerror}, on the disk mounted at {mount})"
        self.crawler.stats.set_value(statkeys.DISK_ERROR, self.error)  # outcome.failure says it
        logger.error("%s: the run stops; %s and run again", self.error, advice(cause))
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:  # not once the run has ended (its stats file)
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(engine.close_spider_async(reason=REASON))


class _ToldAlready(logging.Filter):
    """Scrapy's FeedExporter logs a failed store() as an ERROR with its traceback: for a
    disk the DiskGuard told already, and a feed storage that said what it dropped, that is
    one line too many (Scrapy's documented way: a filter on its logger)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], FeedNotStored))


_TOLD_ALREADY = _ToldAlready()


def stop_on_failed_write(crawler, folder: Path | str, error: BaseException) -> None:
    """Hand a failed write to the crawler's DiskGuard (asked now: it is built with the
    extensions); without one (taken out of EXTENSIONS, or no crawler) the error goes on up."""
    guard = crawler.get_extension(DiskGuard) if crawler is not None else None
    if guard is None:
        raise error
    guard.failed(folder, error)
