"""Local feeds that are complete or absent: never a half-written ``.jsonl``.

Scrapy's FileFeedStorage writes in place with ordinary buffering, so a killed
run leaves a cut line. This storage writes ``<name>.part``, flushes it to disk
and renames it to ``<name>`` when the batch (``batch_item_count``) or the run
ends; a ``.jsonl`` file is therefore always whole. Appending feeds (``-o``) are
written in place, as Scrapy does, since a rename would drop what they held.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from scrapy.exporters import JsonLinesItemExporter
from scrapy.extensions.feedexport import FileFeedStorage

from .processors import now as clock
from .state import PART_SUFFIX


class AtomicFileFeedStorage(FileFeedStorage):
    def __init__(self, uri, *, feed_options=None):
        super().__init__(uri, feed_options=feed_options)
        self.atomic = self.write_mode == "wb"
        self.part = Path(self.path + PART_SUFFIX) if self.atomic else Path(self.path)

    def open(self, spider):
        self.part.parent.mkdir(parents=True, exist_ok=True)
        return self.part.open(self.write_mode)

    def store(self, file):
        file.flush()
        os.fsync(file.fileno())
        file.close()
        if self.atomic:
            publish(self.part, Path(self.path))


def publish(part: Path, target: Path) -> None:
    """*part*, written and flushed to disk, becomes *target* at once (and the rename reaches the disk)."""
    os.replace(part, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


@contextmanager
def replaced(target: Path):
    """Write *target* whole or not at all: the body writes the path yielded (``<target>.part``),
    which is flushed to disk and renamed to *target* when the body ends; removed if it fails."""
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(target.name + PART_SUFFIX)
    try:
        yield part
        with open(part, "rb+") as written:
            os.fsync(written.fileno())
        publish(part, target)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def stamp(moment: datetime) -> str:
    """A UTC instant as it appears in feed and stats file names, to the microsecond:
    two runs started within the same second must never write the same file."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H-%M-%S.%f+00-00")


def uri_params(params: dict, spider) -> dict:
    """``%(time)s`` of the project's default feeds: when the batch starts, to the microsecond
    (Scrapy's own is to the second)."""
    return {**params, "time": stamp(clock())}


class JsonLinesExporter(JsonLinesItemExporter):
    """Scrapy's JSON Lines exporter, for items whose values are JSON already (the pipelines
    hold them to the schema): the fields in their export order (FEED_EXPORT_FIELDS), one
    ``json.dumps`` a line, no per-field serializer or encoder hook to call."""

    def export_item(self, item):
        fields = self.fields_to_export
        if not isinstance(fields, (list, tuple)) or any(name not in item for name in fields):
            return super().export_item(item)  # another item or field list: Scrapy's own way
        line = json.dumps({name: item.get(name) for name in fields}, ensure_ascii=self.encoding is None)
        self.file.write(line.encode(self.encoding or "utf-8") + b"\n")
