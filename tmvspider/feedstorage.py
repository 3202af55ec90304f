"""Local feeds that are complete or absent: never a half-written ``.jsonl``.

Scrapy's FileFeedStorage writes in place with ordinary buffering, so a killed
run leaves a cut line. This storage writes ``<name>.part``, flushes it to disk
and renames it to ``<name>`` when the batch (``batch_item_count``) or the run
ends; a ``.jsonl`` file is therefore always whole. Appending feeds (``-o``) are
written in place, as Scrapy does, since a rename would drop what they held.
"""

from __future__ import annotations

import io
import json
import logging
import os
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from scrapy.exporters import JsonLinesItemExporter
from scrapy.extensions.feedexport import FileFeedStorage

from .disk import FeedNotStored, stop_on_failed_write
from .processors import now as clock
from .state import PART_SUFFIX, output_dir

logger = logging.getLogger(__name__)


class AtomicFileFeedStorage(FileFeedStorage):
    """A failed write (full disk …) stops the run (disk.DiskGuard) and drops the feed: no
    ``.part`` left, an appended feed cut back to what it held; its articles come again."""

    def __init__(self, uri, *, feed_options=None, crawler=None):
        super().__init__(uri, feed_options=feed_options)
        self.crawler = crawler  # its DiskGuard hears a failed write (without a crawler, it is raised)
        self.atomic = self.write_mode == "wb"
        self.part = Path(self.path + PART_SUFFIX) if self.atomic else Path(self.path)
        self.stored = False  # the feed is in place, whole (RunReport counts its items)
        self.size_before = 0  # what an appended feed held before this run

    @classmethod
    def from_crawler(cls, crawler, uri, *, feed_options=None):
        return cls(uri, feed_options=feed_options, crawler=crawler)

    def open(self, spider):
        try:
            self.part.parent.mkdir(parents=True, exist_ok=True)
            raw = io.FileIO(self.part, self.write_mode)
        except OSError as error:
            self.failed(error)
            return PartFile(io.FileIO(os.devnull, "wb"), self.failed, error)
        self.size_before = raw.seek(0, os.SEEK_END)
        return PartFile(raw, self.failed)

    def store(self, file):
        try:
            file.flush()
            if file.error is None:
                os.fsync(file.fileno())
            file.close()
            if file.error is not None:
                raise file.error
            if self.atomic:
                publish(self.part, Path(self.path))
        except OSError as error:
            file.close()
            try:
                self.failed(error)
            finally:
                self.discard()
            raise FeedNotStored(self.path) from None
        self.stored = True

    def failed(self, error: OSError) -> None:
        stop_on_failed_write(self.crawler, self.part.parent, error)

    def discard(self) -> None:
        """Leave no trace of the unfinished feed (an appended one keeps what it held)."""
        try:
            if self.atomic:
                self.part.unlink(missing_ok=True)
            elif self.part.exists():
                os.truncate(self.part, self.size_before)
        except OSError:
            pass  # a read-only disk: the next run's recovery removes the .part
        logger.info("feed %s not stored: its articles come again next run", self.path)


class PartFile(io.BufferedWriter):
    """A feed file whose first failed write goes to *on_error* (the storage's), not to the
    exporter: the run stops then, and later writes go nowhere (the feed is dropped)."""

    def __init__(self, raw, on_error, error: OSError | None = None):
        super().__init__(raw)
        self.on_error = on_error
        self.error = error

    def write(self, data):
        if self.error is None:
            try:
                return super().write(data)
            except OSError as error:
                self.error = error
                self.on_error(error)
        return len(data)

    def flush(self):
        if self.error is None:
            try:
                super().flush()
            except OSError as error:
                self.error = error
                self.on_error(error)


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
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H-%M-%S.%f+00-00")


def default_feeds(settings, folder: str) -> dict:
    """The project's FEEDS for a run writing under <TMV_OUTPUT_DIR>/<folder>/."""
    root = str(output_dir(settings)).rstrip("/")
    feed = {
        "format": "jsonlines",
        "overwrite": True,
        "store_empty": False,  # nothing new: no file
        "batch_item_count": settings.getint("TMV_FEED_BATCH"),
        "uri_params": "tmvspider.feedstorage.uri_params",
    }
    return {f"{root}/{folder}/%(name)s-%(time)s-%(batch_id)05d.jsonl": feed}


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
