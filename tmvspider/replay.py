"""Reading the archive back: ``tmvspider reextract`` (see reextract.py).

The tmv spider's own callbacks, pipelines and feeds, fed from the archive (archive.py) with
zero requests to the site: :func:`replay_requests` are its start requests, :class:`ArchiveReplay`
answers every request from the archive or refuses it, :class:`ArchiveOnly` keeps callbacks
from discovering anything.
"""

from __future__ import annotations

import logging
from collections import Counter
from functools import lru_cache
from pathlib import Path

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from . import statkeys, urls
from .archive import DROPPED_HEADERS, archive_dir, archive_files

logger = logging.getLogger(__name__)


@lru_cache(maxsize=4)
def captures(folder: Path) -> dict[str, tuple[str, int]]:
    """URL -> (file, offset) of its latest 200 response record across the archive."""
    from warcio.archiveiterator import ArchiveIterator

    latest: dict[str, tuple[str, int]] = {}
    for path in archive_files(folder):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            try:
                for record in iterator:
                    if record.rec_type == "response":
                        latest[record.rec_headers.get_header("WARC-Target-URI")] = (
                            str(path),
                            iterator.get_record_offset(),
                        )
            except Exception as error:  # a damaged file: what was read before the damage still counts
                logger.warning("archive: %s is damaged after %d captures (%s)", path, len(latest), error)
    return latest


def read_capture(path: str, offset: int):
    """(URL, status line, headers, raw body, WARC-Date) of the response record at *offset*."""
    from warcio.archiveiterator import ArchiveIterator

    with open(path, "rb") as stream:
        stream.seek(offset)
        record = next(iter(ArchiveIterator(stream)))
        http = record.http_headers
        return (
            record.rec_headers.get_header("WARC-Target-URI"),
            http.get_statuscode(),
            http.headers,
            record.raw_stream.read(),
            record.rec_headers.get_header("WARC-Date"),
        )


def archived_root(folder: Path) -> str | None:
    """The site root most captures belong to (the crawl's ``base_url``)."""
    roots = Counter(urls.root_of(url) for url in captures(Path(folder)))
    return roots.most_common(1)[0][0].lower() if roots else None


def article_urls(folder: Path) -> list[str]:
    """The archived pages that today's URL rules call articles, one per article (of its
    spellings, the one captured last), in a stable order."""
    found: dict[str, tuple[tuple[str, int], str]] = {}  # identity -> (where its capture is, URL)
    for url, where in captures(Path(folder)).items():
        if urls.kind(url) in ("article", "post"):  # a /?p=<id> answered with the page itself too
            key = urls.identity(url)
            if key not in found or where > found[key][0]:  # files named by run start, records in order
                found[key] = (where, url)
    return sorted(url for _, url in found.values())


def replay_requests(spider):
    """The start requests of a re-extraction: one per archived article page (its latest
    capture), handled by the spider's own callback. Called from TmvSpider.start()."""
    folder = archive_dir(spider.settings)
    pages = article_urls(folder)
    spider.seen.update(map(urls.identity, pages))  # a related link to an archived page is not asked for twice
    spider.crawler.stats.set_value(statkeys.REEXTRACT_PAGES, len(pages))
    spider.logger.info("re-extracting %d archived article page(s) from %s (no request to the site)", len(pages), folder)
    for url in pages:
        yield Request(
            url,
            callback=spider.parse_article,
            errback=spider.failed,
            dont_filter=True,
            meta={"tmv": (url, "article")},
            priority=20,
        )


class ArchiveReplay:
    """Downloader middleware of ``tmvspider reextract``: every request is answered from the
    archive (its latest capture, as downloaded) or refused; nothing reaches the network."""

    def __init__(self, crawler):
        self.folder = archive_dir(crawler.settings)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TMV_REEXTRACT"):
            raise NotConfigured  # a crawl: not in the chain at all
        return cls(crawler)

    def process_request(self, request, spider=None):
        found = captures(self.folder).get(request.url)
        if found is None:
            self.stats.inc_value(statkeys.REEXTRACT_NOT_ARCHIVED)
            raise IgnoreRequest(f"not in the archive: {request.url}")
        url, status, headers, body, _ = read_capture(*found)
        headers = Headers([(k, v) for k, v in headers if k.lower() not in DROPPED_HEADERS])
        cls = responsetypes.from_args(headers=headers, url=url, body=body)
        self.stats.inc_value(statkeys.REEXTRACT_REPLAYED)
        return cls(
            url=url,
            status=int(status),
            headers=headers,
            body=body,
            request=request,
            flags=["archive"],
            protocol="HTTP/1.1",
        )


class ArchiveOnly:
    """Spider middleware of ``tmvspider reextract``: callbacks discover nothing (a related
    link would be a request to the site); items pass."""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TMV_REEXTRACT"):
            raise NotConfigured
        return cls()

    def process_spider_output(self, response, result, spider=None):
        for entry in result:
            if not isinstance(entry, Request):
                yield entry

    async def process_spider_output_async(self, response, result, spider=None):
        async for entry in result:
            if not isinstance(entry, Request):
                yield entry
