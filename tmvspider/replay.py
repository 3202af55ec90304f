"""Reading the archive back: ``tmvspider reextract`` (see reextract.py).

The tmv spider's own callbacks, pipelines and feeds, fed from the archive (archive.py) with
zero requests to the site: :func:`replay_requests` are its start requests, :class:`ArchiveReplay`
answers every request from the archive or refuses it, :class:`ArchiveOnly` keeps callbacks
from discovering anything but the archived pages of the API's posts.

What the crawls read through the CMS's API is read again the same way: each archived page of
the API's listing goes through the spider's callback for it, for the posts whose newest
archived record it holds (a post changed between two runs is in both runs' listings), and
each post's page, if archived, is answered from the archive and combined with the record.
An article page read for no API record is re-extracted from its page alone.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from . import statkeys, urls
from .archive import DROPPED_HEADERS, archive_dir, archive_files
from .discovery import ampize, wordpress

logger = logging.getLogger(__name__)
Where = tuple[str, int]  # a response record: its file, its offset
_CAPTURE = "archived_capture"  # a request's meta: the response record (Where) that answers it


@lru_cache(maxsize=4)
def _index(folder: Path) -> tuple[dict[str, Where], list[tuple[Where, str]]]:
    """(URL -> its latest response record, every response record of the API's listing with its
    URL) across the archive, oldest first: each run's listing is a snapshot of its own, whatever
    its address (an incremental run asks the plugin for the same first page as a full walk)."""
    from warcio.archiveiterator import ArchiveIterator

    latest: dict[str, Where] = {}
    listings: list[tuple[Where, str]] = []
    for path in archive_files(folder):
        with open(path, "rb") as stream:
            iterator = ArchiveIterator(stream)
            try:
                for record in iterator:
                    if record.rec_type == "response":
                        url = record.rec_headers.get_header("WARC-Target-URI")
                        latest[url] = (str(path), iterator.get_record_offset())
                        if _listing_of(url):
                            listings.append((latest[url], url))
            except Exception as error:  # a damaged file: what was read before the damage still counts
                logger.warning("archive: %s is damaged after %d captures (%s)", path, len(latest), error)
    return latest, listings


def captures(folder: Path) -> dict[str, Where]:
    """URL -> (file, offset) of its latest 200 response record across the archive."""
    return _index(Path(folder))[0]


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


def read_payload(path: str, offset: int) -> bytes | None:
    """The body of the response record at *offset* as a client reads it (decompressed), or None
    for a record that cannot be read."""
    from warcio.archiveiterator import ArchiveIterator

    try:
        with open(path, "rb") as stream:
            stream.seek(offset)
            return next(iter(ArchiveIterator(stream))).content_stream().read()
    except Exception as error:  # a damaged record, an encoding warcio does not know
        logger.warning("archive: the record at %d of %s cannot be read (%s)", offset, path, error)
        return None


def archived_root(folder: Path) -> str | None:
    """The site root most captures belong to (the crawl's ``base_url``)."""
    roots = Counter(urls.root_of(url) for url in captures(Path(folder)))
    return roots.most_common(1)[0][0].lower() if roots else None


@lru_cache(maxsize=4)
def article_pages(folder: Path) -> dict[str, str]:
    """identity -> URL of the archived pages that today's URL rules call articles, one per
    article (of its spellings, the one captured last)."""
    found: dict[str, tuple[Where, str]] = {}  # identity -> (where its capture is, URL)
    for url, where in captures(Path(folder)).items():
        if urls.kind(url) in ("article", "post"):  # a /?p=<id> answered with the page itself too
            key = urls.identity(url)
            if key not in found or where > found[key][0]:  # files named by run start, records in order
                found[key] = (where, url)
    return {key: url for key, (_, url) in found.items()}


def article_urls(folder: Path) -> list[str]:
    """The archived article pages (article_pages), in a stable order."""
    return sorted(article_pages(Path(folder)).values())


# ---------------------------------------------------------------- the API's records


@dataclass(frozen=True)
class ApiListing:
    """An archived page of the API's listing of posts, to be read again."""

    url: str
    where: Where  # its capture (the same address may have others, older or newer)
    namespace: str  # wp/v2, ampize/v1
    position: int  # its page (wp/v2), its first item (ampize/v1)
    zone: ZoneInfo | None  # the time zone the Ampize plugin's dates are read in
    posts: dict[str, str | None]  # post id -> its archived page (None: none), for the posts it has the newest record of


_LISTED = {wordpress.NAMESPACE: wordpress.listed_posts, ampize.NAMESPACE: ampize.listed_items}


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def _listing_of(url: str) -> tuple[str, int] | None:
    """(namespace, position) of an address of the API's listing of posts, else None."""
    if (params := wordpress.route_params(url, wordpress.POSTS_ROUTE)) is not None:
        return wordpress.NAMESPACE, _number(params.get("page"), 1)
    if (params := wordpress.route_params(url, ampize.ITEMS_ROUTE)) is not None:
        return ampize.NAMESPACE, _number(params.get("start"), 0)
    return None


def _ampize_zone(found: dict[str, Where]) -> ZoneInfo | None:
    """The time zone of the latest archived answer of the plugin's ``site`` route."""
    sites = [where for url, where in found.items() if wordpress.route_params(url, ampize.SITE_ROUTE) is not None]
    return ampize.site_zone(read_payload(*max(sites)) or b"") if sites else None


def _page_of(post: str, link: str | None, found: dict[str, Where], pages: dict[str, str]) -> str | None:
    """The archived page of a post: its link as captured, else a capture of the same article
    (another spelling or host, a ``/?p=<id>``)."""
    url = urls.canonical(link) if link else None
    if url in found:
        return url
    return (pages.get(urls.identity(url)) if url else None) or pages.get(f"post:{post}")


@lru_cache(maxsize=4)
def api_listings(folder: Path) -> tuple[ApiListing, ...]:
    """The archived pages of the API's listing (every capture) that hold the newest archived
    record of a post, oldest first, each with those posts."""
    found, every = _index(Path(folder))
    zone = _ampize_zone(found)
    asked = [(where, url, kind) for where, url in every if (kind := _listing_of(url))]
    newest: dict[str, tuple[Where, str | None]] = {}  # post id -> (its newest listing, its link)
    for where, url, (namespace, _) in asked:
        if namespace == ampize.NAMESPACE and zone is None:
            logger.warning("archive: %s left out: no archived answer of %s to date its items", url, ampize.SITE_ROUTE)
            continue
        # None: an answer that is no listing (an error with a 200, after which the crawl fell back)
        for post, link in _LISTED[namespace](read_payload(*where) or b"") or ():
            newest[post] = (where, link)
    posts: dict[Where, dict[str, str | None]] = defaultdict(dict)
    pages = article_pages(Path(folder))
    for post, (where, link) in newest.items():
        posts[where][post] = _page_of(post, link, found, pages)
    return tuple(
        ApiListing(url, where, namespace, position, zone if namespace == ampize.NAMESPACE else None, posts[where])
        for where, url, (namespace, position) in asked
        if where in posts
    )


def replay_requests(spider):
    """The start requests of a re-extraction: the archived pages of the API's listing, then
    one per archived article page (its latest capture) read for no API record, each handled
    by the spider's own callback. Called from TmvSpider.start()."""
    folder = archive_dir(spider.settings)
    listings = api_listings(folder)
    through_api = {f"post:{post}" for listing in listings for post in listing.posts} | {
        urls.identity(page) for listing in listings for page in listing.posts.values() if page
    }
    pages = [url for url in article_urls(folder) if urls.identity(url) not in through_api]
    spider.seen.update(map(urls.identity, pages))  # a related link to an archived page is not asked for twice
    records = sum(len(listing.posts) for listing in listings)
    spider.crawler.stats.set_value(statkeys.REEXTRACT_PAGES, len(pages))
    spider.crawler.stats.set_value(statkeys.REEXTRACT_RECORDS, records)
    spider.logger.info(
        "re-extracting %d post(s) from %d archived page(s) of the API's listing and %d archived article page(s) "
        "from %s (no request to the site)",
        records,
        len(listings),
        len(pages),
        folder,
    )
    for listing in listings:
        request = spider.replayed_listing(listing)
        request.meta[_CAPTURE] = listing.where  # that capture, not the latest of its address
        yield request
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
    archive (the capture replay_requests named, else its address's latest, as downloaded) or
    refused; nothing reaches the network."""

    def __init__(self, crawler):
        self.folder = archive_dir(crawler.settings)
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TMV_REEXTRACT"):
            raise NotConfigured  # a crawl: not in the chain at all
        return cls(crawler)

    def process_request(self, request, spider=None):
        found = request.meta.get(_CAPTURE) or captures(self.folder).get(request.url)
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
    link would be a request to the site) but the pages of the API's posts; items pass."""

    @classmethod
    def from_crawler(cls, crawler):
        if not crawler.settings.getbool("TMV_REEXTRACT"):
            raise NotConfigured
        return cls()

    def process_spider_output(self, response, result, spider=None):
        for entry in result:
            if _passes(entry):
                yield entry

    async def process_spider_output_async(self, response, result, spider=None):
        async for entry in result:
            if _passes(entry):
                yield entry


def _passes(entry) -> bool:
    """An item, or the request for an archived post's page (replay_requests named it)."""
    return not isinstance(entry, Request) or "api_record" in entry.meta
