"""Checks before a crawl starts, so that a bad set-up is one clear line, not a traceback.

Used by ``scrapy crawl tmv`` (commands/crawl.py) and ``tmvspider crawl`` (cli.py).
"""

from __future__ import annotations

import ast
import difflib
import functools
import json
import logging
import math
import os
import re
import socket
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from scrapy.settings import SETTINGS_PRIORITIES, default_settings as scrapy_defaults

from . import settings as project_settings, urls
from .state import SITE_ROOT, CrawlState, StateError, lock

logger = logging.getLogger(__name__)

# settings read as numbers, with their least value, checked here so that a typo is one
# line, not a traceback or a crawl that quietly does something else
NUMBERS = {
    "TMV_FEED_BATCH": (int, 1),
    "TMV_MAX_LISTING_PAGES": (int, 1),
    "TMV_API_OVERLAP_HOURS": (float, 0),
    "TMV_API_MAXSIZE": (int, 0),
    "TMV_RETRY_BACKOFF": (float, 0),
    "TMV_RETRY_AFTER_MAX": (float, 0),
    "DOWNLOAD_DELAY": (float, 0),
    "DOWNLOAD_MAXSIZE": (int, 0),
    "RETRY_TIMES": (int, 0),
    "CONCURRENT_REQUESTS": (int, 1),
    "CONCURRENT_REQUESTS_PER_DOMAIN": (int, 1),
    "REDIRECT_MAX_TIMES": (int, 0),
    "DEPTH_LIMIT": (int, 0),
    "DOWNLOAD_TIMEOUT": (float, 0),
    "TMV_PROGRESS_INTERVAL": (float, 0),
    "TMV_LOG_MAX_BYTES": (int, 0),
    "TMV_LOG_BACKUPS": (int, 0),
    "TMV_COVERAGE_MIN_ITEMS": (int, 1),
    "TMV_COVERAGE_HISTORY": (int, 1),
    "TMV_COVERAGE_SIGNIFICANCE": (float, 0),
    "TMV_PROBE_REQUESTS": (int, 1),
    "TMV_NOT_ARTICLE_MAX": (float, 0),
}
LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
JSON_OBJECT = "a JSON object (e.g. '{\"key\": 1}')"
# settings naming a file or folder the run writes: checked writable before anything is fetched
PATHS = {"LOG_FILE": "log file", "JOBDIR": "job folder"}


def defaults() -> dict:
    """Every setting's default, Scrapy's then the project's: a value must read as its default's
    type. Read from settings.py when asked, so that a setting added there is typed at once."""
    return {
        name: value
        for module in (scrapy_defaults, project_settings)
        for name, value in vars(module).items()
        if name.isupper()
    }


def known_tmv() -> list[str]:
    """The project's own settings: every TMV_ name of settings.py (even one defaulting to None)."""
    return sorted(name for name in vars(project_settings) if name.startswith("TMV_"))


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
            raise BadSetting(
                f"setting {name} must be a {'whole ' if kind is int else ''}number of at least {least}, not {value!r}"
            ) from None


def command_line(pairs: list[str], option: str) -> None:
    """``-s NAME=VALUE`` / ``-a NAME=VALUE`` as typed: Scrapy's own refusal is a usage screen."""
    for pair in pairs or []:
        name, equals, value = pair.partition("=")
        if not equals or not name.strip():
            raise BadSetting(
                f"{option} takes NAME=VALUE, not {pair!r}"
                + (f" (for an empty value: {option} {pair}=)" if not equals and pair else "")
            )
        if option == "-s" and isinstance(defaults().get(name), dict):  # else Scrapy's "Invalid -s value"
            try:
                if not isinstance(json.loads(value), dict):
                    raise ValueError
            except ValueError:
                raise BadSetting(f"setting {name} takes {JSON_OBJECT}, not {value!r}") from None


# how near an unknown name must be to a known one to be a slip of it (difflib's ratio): DOWNLAOD_DELAY
# 0.93, LOG_LVL 0.88; not another component's setting (scrapy-redis's DUPEFILTER_KEY: 0.8 to DUPEFILTER_DEBUG)
NEAR = 0.85
# the Settings getters a component reads a setting with; get and [] only on something named *settings*
GETTERS = {"getbool", "getint", "getfloat", "getlist", "getdict", "getdictorlist", "getwithbase", "getpriority"}


def _names_read(source: bytes):
    """Upper-case names passed as string literals to a Settings getter in *source*."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            owner, key, method = node.func.value, node.args[0], node.func.attr
        elif isinstance(node, ast.Subscript):
            owner, key, method = node.value, node.slice, "[]"
        else:
            continue
        owner_name = getattr(owner, "attr", "") or getattr(owner, "id", "")
        named = method in GETTERS or (method in ("get", "[]") and "settings" in owner_name.lower())
        if named and isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.isupper():
            yield key.value


@functools.cache
def read_by_components() -> frozenset[str]:
    """Settings that installed Scrapy code reads beyond Scrapy's defaults (a deprecated one, an
    add-on's own): the names it passes to a Settings getter, in Scrapy and in every installed
    distribution that requires Scrapy. Read from their source (~0.4 s): only when a name is
    not among the defaults."""
    found = set()
    requires_scrapy = re.compile(r"scrapy\s*(?:[\[(<>=!~;]|$)", re.IGNORECASE)
    for dist in metadata.distributions():
        if dist.metadata["Name"].lower() != "scrapy" and not any(map(requires_scrapy.match, dist.requires or [])):
            continue
        for file in dist.files or []:
            if file.suffix == ".py":
                try:
                    found.update(_names_read(Path(file.locate()).read_bytes()))
                except (OSError, SyntaxError, ValueError):
                    continue  # a file gone or not Python 3: nothing read from it
    return frozenset(found)


def unknown_settings(settings) -> list[tuple[str, str | None]]:
    """Each setting nobody is known to read, with the known name it is a slip of (or None):
    Scrapy's defaults, the project's, those installed components read. Settings are
    upper-case (Scrapy reads none other): ``download_delay`` is a slip of DOWNLOAD_DELAY."""
    known = set(defaults())  # project priority aside: settings.py, and Scrapy's SCRAPY_ environment variables
    given = [
        name
        for name in settings
        if name not in known and (settings.getpriority(name) or 0) > SETTINGS_PRIORITIES["project"]
    ]
    if not given:
        return []
    known |= read_by_components()
    unknown = []
    for name in (name for name in given if name not in known):
        upper = name.upper()
        if upper.startswith("TMV_"):  # the project's own: near among them, whatever the ratio
            near = difflib.get_close_matches(upper, known_tmv(), n=1)
        else:
            near = difflib.get_close_matches(upper, sorted(known), n=1, cutoff=NEAR)
        unknown.append((name, near[0] if near else None))
    return unknown


def warn_unknown(settings) -> None:
    """A WARNING in the run's log for each unknown setting near no known one (``names`` refused the
    others): not refused, as a component we cannot see may read it. Once the log is set up."""
    for name, _ in unknown_settings(settings):
        logger.warning(
            "unknown setting %s: Scrapy, the project and the installed Scrapy components read no %s",
            name,
            "such name (a typo?)" if name.isupper() else "lower-case setting (Scrapy's are upper-case)",
        )


def names(settings) -> None:
    """A slip of a known name, or a TMV_ name the project does not know, is refused: it would
    be silently ignored."""
    for name, near in unknown_settings(settings):
        if near:
            raise BadSetting(f"unknown setting {name}: did you mean {near}?")
        if name.upper().startswith("TMV_"):
            raise BadSetting(f"unknown setting {name}: the project's are {', '.join(known_tmv())}")


def typed(settings) -> None:
    """Each value as its default's type reads it: a boolean, a number, a dict; and the log level."""
    level = settings.get("LOG_LEVEL")
    if not isinstance(level, int) and level not in LOG_LEVELS:
        raise BadSetting(f"setting LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
    for name, default in defaults().items():
        if (settings.getpriority(name) or 0) <= SETTINGS_PRIORITIES["default"]:
            continue  # Scrapy's own default (and no deprecation warning for reading it)
        value = settings.get(name)
        if value is None or default is None or type(value) is type(default):
            continue
        try:
            if isinstance(default, bool):
                settings.getbool(name)
            elif isinstance(default, int) and name.startswith("TMV_"):
                int(value)
            elif isinstance(default, (int, float)):
                if not math.isfinite(float(value)):
                    raise ValueError
            elif isinstance(default, dict):
                settings.getdict(name)
        except (TypeError, ValueError):
            what = (
                "True or False (also 1/0, true/false)"
                if isinstance(default, bool)
                else "a whole number"
                if isinstance(default, int) and name.startswith("TMV_")
                else "a number"
                if isinstance(default, (int, float))
                else JSON_OBJECT
            )
            raise BadSetting(f"setting {name} takes {what}, not {value!r}") from None


def writable_file(path: Path, what: str) -> None:
    """*path* can be written: its deepest existing folder takes a new file (nothing is left
    behind, no folder is made: a crawl that fails its checks creates nothing)."""
    if path.is_dir():
        raise PreflightError(f"cannot write the {what} {path}: it is a folder")
    if path.exists():
        if not os.access(path, os.W_OK):
            raise PreflightError(f"cannot write the {what} {path} (Permission denied): choose another")
        return
    folder = path.parent
    while not folder.exists():
        folder = folder.parent
    probe = folder / f".tmvspider-write-test-{os.getpid()}"
    try:
        if not folder.is_dir():
            raise NotADirectoryError(20, "Not a directory")
        probe.touch(exist_ok=False)
        probe.unlink()
    except OSError as error:
        raise PreflightError(cannot_write(what, path, error)) from None


def cannot_write(what: str, path, error: OSError) -> str:
    """The one line for a file that cannot be written, before or while writing it (a full or read-only disk)."""
    reason = os.strerror(error.errno) if error.errno else str(error)  # pyarrow's own strerror is a paragraph
    return f"cannot write the {what} {path} ({reason}): choose another"


def feed_paths(settings):
    """The local files of FEEDS (-o, -O, -s FEEDS=), up to their first %(…)s placeholder."""
    for uri in settings.getdict("FEEDS"):
        uri = str(uri)
        parts = urlsplit(uri)
        if uri in ("-", "stdout:") or parts.scheme not in ("", "file") and len(parts.scheme) > 1:
            continue  # stdout, s3://, ftp:// …: not ours to probe
        path = unquote(parts.path) if parts.scheme == "file" else uri
        if "%(" in path:
            path = path[: path.index("%(")].rpartition("/")[0] + "/.feed"
        yield Path(path)


def outputs(settings) -> None:
    for path in feed_paths(settings):
        writable_file(path, "feed")
    for name, what in PATHS.items():
        if value := settings.get(name):
            writable_file(Path(value) / ".probe" if name == "JOBDIR" else Path(value), what)


def check_values(settings) -> None:
    """The settings' names and values: a misspelt name, a number out of range, a value its
    default's type cannot read is one line and exit 2, before anything is fetched or created."""
    names(settings)
    numbers(settings)  # first: the numbers it knows get their range in the message
    typed(settings)


def check_settings(settings) -> None:
    """Every check that reads only the settings (an unwritable output: exit 1)."""
    check_values(settings)
    outputs(settings)


def writable_folder(folder: Path, what: str, option: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".tmvspider-write-test"
        probe.touch()
        probe.unlink()
    except OSError as error:
        raise PreflightError(
            f"cannot write the {what} folder {folder} ({error.strerror}): choose another with {option}"
        ) from None


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


def same_site(one: str, other: str) -> bool:
    """Two roots of one site: equal, or both hosts of the live site (urls.SITE_HOSTS)."""
    return one == other or {urlsplit(one).hostname, urlsplit(other).hostname} <= urls.SITE_HOSTS


def one_site(base_url: str, output_dir: Path, state_dir: Path, full: bool = False) -> None:
    """The state remembers the root it was made for; another site on the same folders would
    double the dataset (every URL under two roots). Allowed only as a fresh start: a full walk
    (``-a full=1``) whose feed folder holds no feed yet."""
    root = urls.root_of(base_url.strip()).lower()
    try:
        state = CrawlState(state_dir)
    except StateError as error:
        raise PreflightError(str(error)) from None
    try:
        known = state.get(SITE_ROOT) or state.first_root()  # a state from before it was remembered
        if known and not same_site(known, root):
            feeds = output_dir / "tmv"
            if not full or feeds.is_dir() and any(feeds.glob("*.jsonl")):
                raise BadSetting(
                    f"{state_dir} holds the crawl of {known}, not {root}: give {root} its own "
                    "folders (-s TMV_OUTPUT_DIR=DIR, --output-dir), or start afresh with -a full=1 "
                    "(--full) and no feed left in " + str(feeds)
                )
        if known and not same_site(known, root):  # a fresh start: nothing of the other site counts
            state.reset()
        if not known or not same_site(known, root):  # a new state, or a fresh start
            known = root
        if state.get(SITE_ROOT) != known:
            state.set(SITE_ROOT, known)
    finally:
        state.close()


def reachable(base_url: str, timeout: float = 15.0) -> None:
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        socket.create_connection((parts.hostname, port), timeout=timeout).close()
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise PreflightError(
            f"cannot reach {parts.scheme}://{parts.netloc} ({reason}): is the site up and the address right?"
        ) from None


def check(base_url: str, output_dir: Path, state_dir: Path, settings=None, full: bool = False) -> None:
    """In this order: nothing is created for a crawl that cannot reach its site. A set-up that
    fails (exit 1: not a bad argument, nor another crawl at work) is recorded for cron's
    operator (extensions.record_failed_start)."""
    try:
        _check(base_url, output_dir, state_dir, settings, full)
    except PreflightError as error:
        if error.exit_code == 1 and settings is not None:
            from .extensions import record_failed_start

            record_failed_start(settings, output_dir, str(error))
        raise


def _check(base_url: str, output_dir: Path, state_dir: Path, settings, full: bool) -> None:
    if settings is not None:
        check_settings(settings)
    reachable(base_url)
    writable_folder(state_dir, "state", "-s TMV_STATE_DIR=DIR (--state-dir)")
    usable_state(state_dir)  # the lock first: a second crawl leaves the output alone
    one_site(base_url, output_dir, state_dir, full)
    writable_folder(output_dir, "output", "-s TMV_OUTPUT_DIR=DIR (--output-dir)")
    try:  # and the feeds' folder: a crawl with another state must not clean up our .part files
        lock(output_dir)
    except StateError as error:
        raise Locked(str(error)) from None
