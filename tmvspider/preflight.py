"""Checks before a crawl starts, so that a bad set-up is one clear line, not a traceback.

Used by ``scrapy crawl tmv`` (commands/crawl.py) and ``tmvspider crawl`` (cli.py).
"""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

from .state import CrawlState, StateError


class PreflightError(Exception):
    """What is wrong and what to do, in one line."""


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


def check(base_url: str, output_dir: Path, state_dir: Path) -> None:
    """In this order: nothing is created for a crawl that cannot reach its site."""
    reachable(base_url)
    writable_folder(output_dir, "output", "-s TMV_OUTPUT_DIR=DIR (--output-dir)")
    writable_folder(state_dir, "state", "-s TMV_STATE_DIR=DIR (--state-dir)")
    usable_state(state_dir)
