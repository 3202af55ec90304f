"""The crawl's own records as the report reads them (report.py): every run's stats
(``<output>/tmv/*.stats.json``), the feeds (``<output>/tmv/*.jsonl``, read line by line)
and the state (``<output>/state/state.sqlite3``, read only)."""

from __future__ import annotations

import json
import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from . import statkeys
from .processors import now as clock

_FEED_TIME = re.compile(r"(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6})\+00-00")


def parse_moment(value) -> datetime | None:
    """A time of the stats (ISO 8601, read as UTC when naive), or None."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def started(stats: dict) -> datetime:
    """When a run that load_runs kept started."""
    moment = parse_moment(stats["start_time"])
    assert moment is not None  # load_runs keeps only the runs with a start time
    return moment


def load_runs(folder: Path) -> list[dict]:
    runs = []
    for path in sorted(folder.glob("*.stats.json")) if folder.is_dir() else []:
        try:
            stats = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(stats, dict) and parse_moment(stats.get("start_time")):
            runs.append(stats)
    return sorted(runs, key=started)


def feed_time(path: Path) -> datetime | None:
    found = _FEED_TIME.search(path.name)
    return datetime.strptime(found.group(1), "%Y-%m-%dT%H-%M-%S.%f").replace(tzinfo=UTC) if found else None


class Feed:
    """What the report needs of one feed file, read line by line (the whole dataset is
    never held): when its batch started, its item count, how many items fill each field,
    and the fields of the ten-newest table for each of its articles."""

    SHOWN = ("url", "title", "published_at", "author", "tags")

    def __init__(self, path: Path):
        from .items import FIELDS

        self.time = feed_time(path)
        self.items = 0
        self.filled: Counter[str] = Counter()
        self.articles: list[dict] = []
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(item, dict) or not isinstance(item.get("url"), str):
                    continue
                self.items += 1
                self.filled.update(f for f in set(FIELDS) | set(item) if filled(item.get(f)))
                self.articles.append({k: item.get(k) for k in self.SHOWN})


def load_feeds(folder: Path) -> list[Feed]:
    return [Feed(path) for path in sorted(folder.glob("*.jsonl"))] if folder.is_dir() else []


def filled(value) -> bool:
    return value not in (None, "", [], {})


def run_coverage(stats: dict, feeds: list[Feed], fields) -> dict[str, float]:
    """``tmv/coverage/<field>`` of the run's stats when present, else computed from the
    items of the feeds written during the run (nothing when it exported nothing)."""
    given = {k: float(v) for k, v in statkeys.family(stats, statkeys.COVERAGE).items()}
    if given:
        return given
    start, finish = started(stats), parse_moment(stats.get("finish_time")) or clock()
    mine = [feed for feed in feeds if feed.time and start <= feed.time <= finish]
    items = sum(feed.items for feed in mine)
    if not items:
        return {}
    return {f: 100.0 * sum(feed.filled[f] for feed in mine) / items for f in fields}


def load_state(path: Path) -> tuple[list[str], list[tuple[str, str, str, str]]]:
    """(published_at of every exported article, pending pages (url, kind, reason, failed_at))."""
    if not path.exists():
        return [], []
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        published = [row[0] for row in db.execute("SELECT published_at FROM articles") if row[0]]
        pending = list(db.execute("SELECT url, kind, reason, failed_at FROM pending ORDER BY failed_at, url"))
    finally:
        db.close()
    return published, pending


def latest_versions(feeds: list[Feed]) -> list[dict]:
    latest: dict[str, dict] = {}
    for feed in feeds:  # feeds in time order: a later line is a later version
        for item in feed.articles:
            latest[item["url"]] = item
    return list(latest.values())
