"""Whether a finished crawl succeeded, read from its stats (shared by ``scrapy crawl`` and the CLI).

Scrapy 2.19 exits 0 even when callbacks raised or nothing could be fetched;
the project's commands exit 1 when :func:`failure` names a reason.
"""

from __future__ import annotations

from . import statkeys

ALARM_EXIT = 3  # the run went through, but read too little of the pages (coverage.py)
# the finish_reason of a crawl that failed its checks (preflight.py), its one line in tmv/preflight_error
PREFLIGHT_FAILED = "preflight_failed"


def failure(stats: dict) -> str | None:
    """Why the run failed, in a few words, or None when it went well."""
    reason = stats.get("finish_reason")
    if stats.get(statkeys.DISK_ERROR):  # the run stopped there (or its stats file could not be written)
        return stats[statkeys.DISK_ERROR]
    if reason is None:  # Ctrl-C twice: Scrapy's "unclean shutdown" never gets to set one
        return "the crawl was stopped before its end (forced)"
    if reason == "shutdown":  # Ctrl-C, SIGTERM: what it exported is kept, the rest comes next run
        return "the crawl was stopped before its end (shutdown)"
    if reason == PREFLIGHT_FAILED:
        return f"the crawl could not start: {stats.get(statkeys.PREFLIGHT_ERROR, 'see the log')}"
    if reason != "finished":
        return f"the crawl stopped early ({reason})"
    errors = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
    if errors:
        return f"{errors} spider error(s), see the log"
    if not stats.get("response_received_count"):
        return "nothing could be fetched (is the site reachable, are the pages there?)"
    errors = stats.get("log_count/ERROR", 0) - stats.get(statkeys.ALARM_COUNT, 0)  # alarms have their own code
    if errors > 0:
        return f"{errors} error(s) in the log"
    return None


def alarms(stats: dict) -> str | None:
    """The coverage alarms of a run (coverage.py), in a few words, or None."""
    found = statkeys.family(stats, statkeys.ALARM)
    if not found:
        return None
    if "no_article" in found:
        return "no article found (is it the tmv site, and do its pages read as articles? try tmvspider probe)"
    history = statkeys.family(stats, statkeys.ALARM_HISTORY)
    read = stats.get(statkeys.ITEMS_READ, 0)

    def told(field: str, coverage) -> str:
        if field not in history:  # a fixed threshold's alarm (a first full walk), or not_article
            return f"{field} {coverage} %"
        filled = read - stats.get(statkeys.key(statkeys.MISSING, field), 0)
        return (
            f"{field} {coverage} % ({filled} of {read}) against {history[field]} % "
            f"over the last {stats.get(statkeys.HISTORY_ARTICLES)} articles"
        )

    return "coverage alarm: " + ", ".join(told(k, v) for k, v in sorted(found.items()))


def exit_code(stats: dict) -> int:
    """0 a run that went well, 1 a failed or stopped one, 3 one that went through but read too little."""
    return 1 if failure(stats) else ALARM_EXIT if alarms(stats) else 0


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _by_name(stats: dict, family: str) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(statkeys.family(stats, family).items()))


def summary(stats: dict) -> str:
    """One line for people and cron mail."""
    scraped = stats.get("item_scraped_count", 0)
    exported = stats.get(statkeys.ITEMS_IN_FEEDS, scraped)  # (stats files from before it was counted)
    parts = [
        f"{_count(exported, 'article')} exported"
        + (f" ({scraped - exported} read, in no finished feed)" if scraped > exported else ""),
        f"{stats.get(statkeys.NEW, 0)} new",
        f"{stats.get(statkeys.UPDATED, 0)} updated",
        f"{stats.get(statkeys.UNCHANGED, 0)} unchanged",
        f"{stats.get('downloader/request_count', 0)} requests",
    ]
    if stats.get(statkeys.API_USED):
        parts.append(f"through the API ({stats[statkeys.API_USED]})")
    elif stats.get(statkeys.API_CLOSED):
        parts.append(f"through the pages (no API: {stats[statkeys.API_CLOSED]})")
    if disagree := _by_name(stats, statkeys.DISAGREE):
        parts.append(f"sources disagree (see the log): {disagree}")
    if failed := _by_name(stats, statkeys.FAILED):
        parts.append(f"failed: {failed}")
    if missing := _by_name(stats, statkeys.MISSING):
        parts.append(f"fields missing: {missing}")
    if broken := _by_name(stats, statkeys.FIELD_ERRORS):
        parts.append(f"fields whose reader raised (left empty, see the log): {broken}")
    if emptied := _by_name(stats, statkeys.INVALID_FIELD):
        parts.append(f"fields left out, whole or in part (they broke the schema): {emptied}")
    if stats.get(statkeys.INVALID):
        parts.append(f"articles dropped (their url, title or a date broke the schema): {stats[statkeys.INVALID]}")
    if alarm := alarms(stats):
        parts.append(f"ALARM: {alarm}")
    return ", ".join(parts)


# failure reasons that come again whatever the run: not worth asking for again next time
PERMANENT = frozenset({"http_404", "http_410", "robots", "offsite", "too_large", "too_deep"})


def feeds_folder(stats: dict) -> str:
    """ "; feeds in DIR" for a run that wrote the default feeds, to end its summary with."""
    return f"; feeds in {stats[statkeys.FEEDS_DIR]}" if statkeys.FEEDS_DIR in stats else ""


def failure_reason(error: BaseException) -> str:
    """A short stable name for why a request failed, for ``tmv/failed/<reason>``: from
    Scrapy 2.19's download exception classes (which wrap Twisted's), and Twisted's own for
    a connection lost mid-response, which Scrapy passes through."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    if isinstance(error, HttpError):
        return f"http_{error.response.status}"
    if isinstance(error, IgnoreRequest):
        from .scrapy_compat import ignored_reason

        return ignored_reason(error)
    for classes, reason in _download_errors():
        if isinstance(error, classes):
            if reason == "connection_lost" and "data loss" in repr(error).lower().replace("_", " "):
                return "truncated"  # a ResponseFailed around Twisted's _DataLoss
            return reason
    return type(error).__name__.lower()


def failure_detail(error: BaseException) -> str:
    """The first line of what *error* says, cut to 200 characters: the log's detail of a failure."""
    said = str(error).strip()
    return said.splitlines()[0][:200] if said else ""


def _download_errors():
    from scrapy.exceptions import (
        CannotResolveHostError,
        DownloadCancelledError,
        DownloadConnectionRefusedError,
        DownloadFailedError,
        DownloadTimeoutError,
        ResponseDataLossError,
    )
    from twisted.internet import error as tx
    from twisted.web.client import ResponseFailed

    return (
        ((ResponseDataLossError,), "truncated"),
        ((DownloadCancelledError,), "too_large"),  # the download stopped at DOWNLOAD_MAXSIZE
        ((DownloadTimeoutError, tx.TimeoutError), "timeout"),
        ((DownloadConnectionRefusedError, tx.ConnectionRefusedError), "connection_refused"),
        ((CannotResolveHostError, tx.DNSLookupError), "dns"),
        (
            (DownloadFailedError, ResponseFailed, tx.ConnectionLost, tx.ConnectionDone, ConnectionError),
            "connection_lost",
        ),
    )
