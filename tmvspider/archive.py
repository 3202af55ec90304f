"""Every page a crawl fetches, kept in a standard web archive to re-extract from.

One WARC file per run (``<TMV_ARCHIVE_DIR>/tmv-<start>.warc.gz``, default
``<TMV_OUTPUT_DIR>/archive/``): for each 200 response of the site (articles,
listings, sitemaps, robots.txt, the CMS's API wherever it is) a ``request`` and a
``response`` record, gzip per record, the response as it came off the wire
(headers included, body still content-encoded), so that replaying it goes
through the same decompression and encoding fixes as the live page did.

Crash safety, as the feeds: the file is written as ``….warc.gz.part`` and, when
the run ends, flushed to disk and renamed. A ``.part`` left by a killed run is
recovered by the next crawl or re-extraction (cut after its last whole record,
then renamed); readers never open a ``.part``. Records are written by
:func:`warc_record` and read with warcio, the WARC library of the web archives.
Reading the archive back (``tmvspider reextract``) is replay.py's.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import uuid
import zlib
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO

from scrapy import signals
from scrapy.exceptions import NotConfigured

from . import statkeys, urls
from .disk import stop_on_failed_write
from .feedstorage import publish, stamp
from .keeper import keeper_of
from .processors import now as clock
from .state import PART_SUFFIX, output_dir

logger = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
# hop-by-hop framing the download handler already undid: the stored body is not chunked
DROPPED_HEADERS = {"transfer-encoding", "content-length", "connection", "keep-alive"}
_DROPPED_NAMES = frozenset(name.encode("ascii") for name in DROPPED_HEADERS)  # as Scrapy's headers spell them


def archive_dir(settings) -> Path:
    return Path(settings.get("TMV_ARCHIVE_DIR") or output_dir(settings) / "archive")


# ---------------------------------------------------------------- writing


def _sha1(*parts: bytes) -> str:
    """A WARC digest: ``sha1:`` and the base32 of the SHA-1 of *parts*, as warcio and Heritrix write it."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def warc_record(
    kind: str, fields: list[tuple[str, str]], content_type: str, head: bytes = b"", payload: bytes = b""
) -> tuple[str, bytes]:
    """One WARC/1.1 record (ISO 28500:2017) whose block is *head* (an HTTP message's start
    line and headers) then *payload*: its WARC-Record-ID and its bytes, compressed as a gzip
    member of its own (what makes a .warc.gz readable from any record's offset).

    Written here, not by warcio: warcio's writer builds each record through header objects,
    stream copies and chunked digests (0.33 against 0.25 ms a page inside a crawl). A record
    is a text header and a block; every file is read back by warcio (recovery,
    re-extraction), and tests/test_archive.py checks each record's digests with it."""
    record_id = f"<{uuid.uuid4().urn}>"
    lines = [
        "WARC/1.1",
        f"WARC-Type: {kind}",
        f"WARC-Record-ID: {record_id}",
        *(f"{name}: {value}" for name, value in fields),
        f"Content-Type: {content_type}",
    ]
    if kind != "warcinfo":
        lines.append(f"WARC-Payload-Digest: {_sha1(payload)}")
    lines += [f"WARC-Block-Digest: {_sha1(head, payload)}", f"Content-Length: {len(head) + len(payload)}", "", ""]
    member = zlib.compressobj(1, zlib.DEFLATED, zlib.MAX_WBITS + 16)  # level 1: ~5 % larger than 9, 2× faster
    data = b"".join(
        (
            member.compress("\r\n".join(lines).encode("utf-8")),
            member.compress(head),
            member.compress(payload),
            member.compress(b"\r\n\r\n"),
            member.flush(),
        )
    )
    return record_id, data


def _warc_date() -> str:
    return clock().strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # UTC, to the microsecond (WARC 1.1)


def _header_lines(headers, leave_out: frozenset[bytes] = frozenset()) -> bytes:
    """Scrapy headers as HTTP header lines, those named in *leave_out* left out."""
    return b"".join(
        b"%s: %s\r\n" % (name, value)
        for name, values in headers.items()
        if name.lower() not in leave_out
        for value in values
    )


class WarcArchive:
    """Scrapy extension: the run's WARC file (off with ``TMV_ARCHIVE_ENABLED = False``).

    Only crawls that hold the state archive (not ``-a url=`` single pages, not
    ``scrapy parse`` beside a running crawl, not a re-extraction)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.folder = archive_dir(crawler.settings)
        self.file: BinaryIO | None = None  # open while this crawl holds the state
        self.path: Path  # the archive, and its .part while written: named by spider_opened
        self.part: Path
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TMV_ARCHIVE_ENABLED", True) or crawler.settings.getbool("TMV_REEXTRACT"):
            raise NotConfigured
        return cls(crawler)

    def spider_opened(self, spider):
        if not keeper_of(self.crawler).active:  # single pages, or another crawl holds the state
            return
        name = f"{spider.name}-{stamp(clock())}{SUFFIX}"
        self.path = self.folder / name
        self.part = self.folder / (name + PART_SUFFIX)
        from . import __version__

        info = {
            "software": f"tmvspider/{__version__}",
            "format": "WARC File Format 1.1",
            "robots": "obey",
            "http-header-user-agent": self.crawler.settings.get("USER_AGENT"),
        }
        try:
            recover_parts(self.folder)  # we hold the output folder's lock (keeper.open_state)
            self.folder.mkdir(parents=True, exist_ok=True)
            self.file = open(self.part, "xb")
            self.file.write(
                warc_record(
                    "warcinfo",
                    [("WARC-Date", _warc_date()), ("WARC-Filename", name)],
                    "application/warc-fields",
                    payload="".join(f"{k}: {v}\r\n" for k, v in info.items()).encode("utf-8"),
                )[1]
            )
        except OSError as error:
            self.failed(error)
            return
        self.hosts = getattr(spider, "hosts", None)  # the site's: nothing fetched elsewhere is kept

    def response_downloaded(self, response, request, spider):
        if self.file is None or response.status != 200:
            return
        if self.hosts and urls.host_of(response.url) not in self.hosts and "api" not in request.meta:
            return  # the API is the site's, wherever TMV_API_ROOT puts it
        try:
            self.write(response, request)
        except OSError as error:
            self.failed(error)

    def write(self, response, request) -> None:
        """The response as it came (headers included, body still content-encoded), then the
        request that asked for it, linked to it by WARC-Concurrent-To."""
        body = response.body
        protocol = (response.protocol or "HTTP/1.1").encode("ascii")
        head = b"%s 200 OK\r\n%sContent-Length: %d\r\n\r\n" % (
            protocol,
            _header_lines(response.headers, _DROPPED_NAMES),
            len(body),
        )
        date = _warc_date()
        fields = [("WARC-Target-URI", response.url), ("WARC-Date", date)]
        if response.ip_address is not None:
            fields.append(("WARC-IP-Address", str(response.ip_address)))
        response_id, answered = warc_record("response", fields, "application/http; msgtype=response", head, body)
        path = request.url.split("/", 3)[3] if request.url.count("/") >= 3 else ""
        asked_head = b"%s /%s %s\r\n%s\r\n" % (
            request.method.encode("ascii"),
            path.encode("ascii"),
            protocol,
            _header_lines(request.headers),
        )
        _, asked = warc_record(
            "request",
            [("WARC-Target-URI", request.url), ("WARC-Date", date), ("WARC-Concurrent-To", response_id)],
            "application/http; msgtype=request",
            asked_head,
            request.body or b"",
        )
        assert self.file is not None  # response_downloaded writes to an open archive only
        self.file.write(answered + asked)
        self.file.flush()  # a killed process loses no finished record (the OS has it)
        self.crawler.stats.inc_value(statkeys.ARCHIVE_PAGES)

    def spider_closed(self, spider, reason):
        self.close()

    def close(self) -> None:
        if self.file is None:
            return
        try:
            self.file.flush()
            os.fsync(self.file.fileno())
            self.file.close()
            self.file = None
            publish(self.part, self.path)
            self.crawler.stats.set_value(statkeys.ARCHIVE_BYTES, self.path.stat().st_size)
            self.crawler.stats.set_value(statkeys.ARCHIVE_FILE, str(self.path))
        except OSError as error:
            self.failed(error)

    def failed(self, error: OSError) -> None:
        """A write failed (a full disk …): the run stops; the .part, whole up to its last
        record, is recovered by the next run."""
        stop_on_failed_write(self.crawler, self.folder, error)
        file, self.file = self.file, None
        if file is not None:
            with suppress(OSError):
                file.close()


def recover_parts(folder: Path) -> int:
    """Finish the ``.part`` files a killed run left: cut after the last whole record, rename.

    Only with the output folder's lock held (no run is writing them). Returns how many."""
    from warcio.archiveiterator import ArchiveIterator

    done = 0
    for part in sorted(Path(folder).glob(f"*{SUFFIX}{PART_SUFFIX}")) if Path(folder).is_dir() else []:
        end, records, size = 0, 0, part.stat().st_size
        try:
            with open(part, "rb") as stream:
                iterator = ArchiveIterator(stream)
                for record in iterator:
                    record.raw_stream.read()
                    iterator.read_to_end(record)
                    start = iterator.get_record_offset()
                    stop = start + iterator.get_record_length()
                    if stop > size or not _whole_member(part, start, stop):  # warcio reads a cut one through
                        break
                    end, records = stop, records + 1
        except Exception:  # the record the kill cut short: what came before it is whole
            pass
        if records <= 1:  # nothing but the warcinfo record
            part.unlink(missing_ok=True)
            continue
        with open(part, "r+b") as stream:
            stream.truncate(end)
            stream.flush()
            os.fsync(stream.fileno())
        publish(part, part.with_name(part.name.removesuffix(PART_SUFFIX)))
        logger.info("archive: recovered %s (%d whole records) from a run that did not finish", part.name, records)
        done += 1
    return done


def _whole_member(path: Path, start: int, stop: int) -> bool:
    """Whether bytes [start, stop) of *path* are one whole gzip member (its trailer included)."""
    with open(path, "rb") as stream:
        stream.seek(start)
        data = stream.read(stop - start)
    inflater = zlib.decompressobj(wbits=31)
    try:
        inflater.decompress(data)
    except zlib.error:
        return False
    return inflater.eof


def archive_files(folder: Path) -> list[Path]:
    """The finished WARC files, oldest first (their names carry the start time)."""
    return sorted(Path(folder).glob(f"*{SUFFIX}")) if Path(folder).is_dir() else []
