"""Item pipelines: validate → dedup. The feed exporter (FEEDS) writes what passes."""

from __future__ import annotations

import json
import logging
from importlib import resources

import fastjsonschema
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem
from scrapy.logformatter import LogFormatter

from . import statkeys
from .items import ESSENTIAL, FIELDS, LIST_FIELDS, empty, filled_fields
from .keeper import NEW, UNCHANGED, keeper_of
from .urls import identity

logger = logging.getLogger(__name__)


def plain(item) -> dict:
    """The item as the feed writes it (its exported fields), as a dict. Its values are JSON
    types already: ItemAdapter.asdict() would walk every nested value looking for items, at
    a cost that showed in profiles."""
    adapter = ItemAdapter(item)
    return {field: adapter[field] for field in FIELDS if field in adapter}


def load_schema() -> dict:
    return json.loads(resources.files("tmvspider").joinpath("schema/article.schema.json").read_text("utf-8"))


def schema_validator():
    """The schema compiled to a function (fastjsonschema: ~15× faster than jsonschema here)."""
    return fastjsonschema.compile(load_schema())


def schema_error(validate, item: dict) -> str | None:
    """None for a valid item, else one readable line, e.g. ``published_at must match pattern …``."""
    failure = schema_failure(validate, item)
    return failure and failure[1]


def schema_failure(validate, item: dict) -> tuple[list, str] | None:
    """None for a valid item, else (the path to what is at fault, as ``["interview"]`` or
    ``["tags", 2]``, and one readable line)."""
    try:
        validate(item)
    except fastjsonschema.JsonSchemaValueException as error:
        path = [int(p) if p.isdigit() else p for p in (error.path or [])[1:]]
        return path, error.message.removeprefix("data.")
    return None


class ValidationPipeline:
    """Count unreadable fields (``tmv/missing/<field>``), log and count the fields on which two
    sources disagree (``tmv/disagree/<field>``: a page's structured data and its byline, the
    API and the page), and hold every item to the schema.

    What breaks it is left out and counted (``tmv/invalid/<field>``), so that one odd block
    never loses the article: a bad entry of a list (a tag, a related link) is dropped from
    the list, any other field is exported empty (null, or "" for the body). An item whose
    url, title, published_at or crawled_at breaks it is dropped (``tmv/invalid``)."""

    def __init__(self, stats):
        self.stats = stats
        self.validate = schema_validator()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def sample(self, key: str, line) -> None:
        """Keep *line* among the first three under *key* (the stats JSON, the report)."""
        samples = self.stats.get_value(key)
        if samples is None:
            self.stats.set_value(key, samples := [])
        if len(samples) < 3:
            samples.append(line)

    def process_item(self, item):
        values = plain(item)
        self.stats.inc_value(statkeys.ITEMS_READ)  # every article read, exported or not: coverage.py
        have = filled_fields(values)
        for field in FIELDS:
            if field != "interview" and field not in have:
                self.stats.inc_value(statkeys.key(statkeys.MISSING, field))
                self.sample(statkeys.key(statkeys.MISSING_SAMPLES, field), values.get("url"))
        for field, (one, said, other, shown) in (ItemAdapter(item).get("disagreements") or {}).items():
            self.stats.inc_value(statkeys.key(statkeys.DISAGREE, field))
            told = f"{one} says {said}, {other} {shown}"
            logger.warning("%s: %s: %s; exported: %s", values.get("url"), field, told, values.get(field))
            self.sample(statkeys.key(statkeys.DISAGREE_SAMPLES, field), f"{values.get('url')}: {told}")
        while failure := schema_failure(self.validate, values):
            path, error = failure
            broken = path[0] if path else None
            if broken in ESSENTIAL or broken not in FIELDS or values[broken] == empty(broken):
                self.stats.inc_value(statkeys.INVALID)
                raise DropItem(f"invalid item {values.get('url')}: {error}")
            if broken in LIST_FIELDS and len(path) > 1 and isinstance(path[1], int):
                values[broken] = [v for i, v in enumerate(values[broken]) if i != path[1]]
            else:
                values[broken] = empty(broken)
            ItemAdapter(item)[broken] = values[broken]
            self.stats.inc_value(statkeys.key(statkeys.INVALID_FIELD, broken))
            logger.warning("%s: %s breaks the schema (%s): left out", values.get("url"), broken, error)
        return item


class DedupPipeline:
    """One item per canonical ``url`` in a run, and across runs one line per version.

    With a crawl state (keeper.StateKeeper), an article whose content is the one last
    exported is dropped (``tmv/unchanged``), and the sitemap ``lastmod`` it was fetched for
    (the item's, not exported) is remembered for it; a new article (``tmv/new``) or a new
    version of a known one (``tmv/updated``) goes on to the feed.
    """

    def __init__(self, keeper, stats):
        self.keeper = keeper
        self.stats = stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(keeper_of(crawler), crawler.stats)

    def process_item(self, item):
        values = plain(item)  # as validated: what the feed gets
        url = values["url"]
        key = identity(url)  # one article, whatever its spelling
        if key in self.seen:
            self.stats.inc_value(statkeys.DUPLICATE)
            raise DropItem(f"duplicate {url}", log_level="INFO")
        self.seen.add(key)
        change = self.keeper.change(values, ItemAdapter(item).get("lastmod"))
        if change is None:  # single pages, `scrapy parse`: no record to hold the item to
            return item
        if change == UNCHANGED:
            self.stats.inc_value(statkeys.UNCHANGED)
            raise DropItem(f"unchanged since its last export: {url}", log_level="DEBUG")
        self.stats.inc_value(statkeys.NEW if change == NEW else statkeys.UPDATED)
        return item


class ShortDropLogFormatter(LogFormatter):
    """A dropped item is one log line with the reason, not the whole item; and the
    per-page "Crawled (200)" debug line is not even built when LOG_LEVEL hides it."""

    def __init__(self, debug: bool = True):
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler):
        level = crawler.settings.get("LOG_LEVEL")
        return cls(debug=str(level).upper() in ("DEBUG", "10") or not crawler.settings.getbool("LOG_ENABLED"))

    def crawled(self, request, response, spider):
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item, response, spider):
        return super().scraped(item, response, spider) if self.debug else None

    def dropped(self, item, exception, response, spider):
        entry = super().dropped(item, exception, response, spider)
        entry["msg"] = "Dropped: %(exception)s"
        entry["args"] = {"exception": exception}
        return entry
