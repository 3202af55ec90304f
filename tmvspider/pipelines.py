"""Item pipelines: validate → dedup. The feed exporter (FEEDS) writes what passes."""

from __future__ import annotations

import json
import logging
from importlib import resources

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter

from .items import FIELDS
from .state import content_hash

logger = logging.getLogger(__name__)


def load_schema() -> dict:
    return json.loads(resources.files("tmvspider").joinpath("schema/article.schema.json").read_text("utf-8"))


def schema_errors(validator: Draft202012Validator, item: dict) -> list[str]:
    """One readable line per violation, e.g. ``published_at: '2015' does not match …``."""
    errors = sorted(validator.iter_errors(item), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}" for e in errors]


class ValidationPipeline:
    """Count unreadable fields (``tmv/missing/<field>``) and drop items that break the schema."""

    def __init__(self, stats):
        self.stats = stats
        self.validator = Draft202012Validator(load_schema())

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        for field in FIELDS:  # an interview is null in an ordinary article: not a miss
            if field != "interview" and adapter.get(field) in (None, "", []):
                self.stats.inc_value(f"tmv/missing/{field}")
        errors = schema_errors(self.validator, adapter.asdict())
        if errors:
            self.stats.inc_value("tmv/invalid")
            raise DropItem(f"invalid item {adapter.get('url')}: {'; '.join(errors)}")
        return item


class DedupPipeline:
    """One item per canonical ``url`` in a run, and across runs one line per version.

    With a crawl state (tmvspider.state), an article whose content is the one
    last exported is dropped (``tmv/unchanged``); a new article (``tmv/new``) or
    a new version of a known one (``tmv/updated``) goes on to the feed.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        url = adapter["url"]
        if url in self.seen:
            self.stats.inc_value("tmv/duplicate")
            raise DropItem(f"duplicate {url}", log_level="INFO")
        self.seen.add(url)
        state = getattr(self.crawler.spider, "crawl_state", None)
        if state is None:
            return item
        last = state.exported(url)
        if last is None:
            self.stats.inc_value("tmv/new")
        elif last[2] == content_hash(adapter.asdict()):
            self.stats.inc_value("tmv/unchanged")
            raise DropItem(f"unchanged since its last export: {url}", log_level="DEBUG")
        else:
            self.stats.inc_value("tmv/updated")
        return item


class ShortDropLogFormatter(LogFormatter):
    """A dropped item is one log line with the reason, not the whole item."""

    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry
