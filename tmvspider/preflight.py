"""Checks before a crawl starts, so that a bad set-up is one clear line, not a traceback.

Used by ``scrapy crawl tmv`` (commands/crawl.py) and ``tmvspider crawl`` (cli.py).
"""

from __future__ import annotations

import math
import socket
from pathlib import Path
from urllib.parse import urlsplit

from .state import CrawlState, StateError, lock

# settings read as numbers, with their least value, checked here so that a typo is one
# line, not a traceback or a crawl that quietly does something else
NUMBERS = {"TMV_FEED_BATCH": (int, 1), "TMV_MAX_LISTING_PAGES": (int, 1), "TMV_RETRY_BACKOFF": (float, 0),
           "TMV_RETRY_AFTER_MAX": (float, 0), "DOWNLOAD_DELAY": (float, 0), "DOWNLOAD_MAXSIZE": (int, 0),
           "RETRY_TIMES": (int, 0), "CONCURRENT_REQUESTS": (int, 1)}
NUMBERS.update({"TMV_PROGRESS_INTERVAL": (float, 0), "TMV_LOG_MAX_BYTES": (int, 0),  # issue 11 (progress.py)
                "TMV_LOG_BACKUPS": (int, 0)})


class PreflightError(Exception):
    """What is wrong and what to do, in one line."""

    exit_code = 1


class BadSetting(PreflightError):
    exit_code = 2


class Locked(PreflightError):
    exit_code = 75  # EX_TEMPFAIL: try later


def numbers(settings) -> None:
    for name, (kind, least) in NUMBERS.items():
        value = settings.get(name)
        try:
            number = kind(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not math.isfinite(number) or number < least:
            raise BadSetting(f"setting {name} must be a {'whole ' if kind is int else ''}number of at "
                             f"least {least}, not {value!r}") from None


def writable_folder(folder: Path, what: str, option: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".tmvspider-write-test"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise PreflightError(f"cannot write the {what} folder {folder} ({error.strerror}): "
                             f"choose another with {option}") from None


def usable_state(folder: Path) -> None:
    """The state opens, and this process holds its lock (no other crawl uses it)."""
    try:
        lock(folder)  # held until the process exits
    except StateError as error:
        raise Locked(str(error)) from None
    try:
        CrawlState(folder).close()
    except StateError as error:
        raise PreflightError(str(error)) from None


def reachable(base_url: str, timeout: float = 15.0) -> None:
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PreflightError(f"cannot reach {parts.scheme}://{parts.netloc} ({reason}): "
                             "is the site up and the address right?") from None


def check(base_url: str, output_dir: Path, state_dir: Path, settings=None) -> None:
    """In this order: nothing is created for a crawl that cannot reach its site."""
    if settings is not None:
        numbers(settings)
    reachable(base_url)
    writable_folder(state_dir, "state", "-s TMV_STATE_DIR=DIR (--state-dir)")
    usable_state(state_dir)  # the lock first: a second crawl leaves the output alone
    writable_folder(output_dir, "output", "-s TMV_OUTPUT_DIR=DIR (--output-dir)")
    try:  # and the feeds' folder: a crawl with another state must not clean up our .part files
        lock(output_dir)
    except StateError as error:
        raise Locked(str(error)) from None
