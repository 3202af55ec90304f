"""Downloader middlewares."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from scrapy import signals
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.python import to_unicode
from twisted.internet import reactor, task
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, resolve_encoding
from w3lib.url import safe_url_string

from . import statkeys
from .processors import now as clock
from .scrapy_compat import hold_slot, without_referer_warning

logger = logging.getLogger(__name__)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked by a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or clock())).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, which waits before a retry: what ``Retry-After``
    asks (capped by ``TMV_RETRY_AFTER_MAX``), else an exponential backoff from
    ``TMV_RETRY_BACKOFF``. The wait holds back this request only, not the crawl.
    (Scrapy 2.19 retries at once and ignores Retry-After, upstream #3849.)"""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("TMV_RETRY_BACKOFF")
        self.max_wait = settings.getfloat("TMV_RETRY_AFTER_MAX")

    @classmethod
    def from_crawler(cls, crawler):
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        return middleware

    def response_downloaded(self, response, request, spider):
        """Hold the host back at once: by process_response, Scrapy may have sent the slot's next request."""
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is not None and response.status in self.retry_http_codes:
            self._hold_slot(request, min(asked, self.max_wait))

    async def process_response(self, request, response):  # type: ignore[override]  # Scrapy 2.13+ awaits a coroutine here
        retry = super().process_response(request, response)
        if retry is response:  # not a code to retry, dont_retry, or its retries used up
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is None:  # (a Retry-After also held the whole host: response_downloaded)
            asked = self.backoff * 2 ** (retry.meta.get("retry_times", 1) - 1)
        await self._wait(min(asked, self.max_wait))
        return retry

    def _hold_slot(self, request, seconds: float) -> None:
        """No request to the host's download slot before *seconds* from now."""
        slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
        if slot is not None:
            hold_slot(slot, seconds)

    async def process_exception(self, request, exception):  # type: ignore[override]  # Scrapy 2.13+ awaits a coroutine here
        retry = super().process_exception(request, exception)
        if isinstance(retry, type(request)):
            await self._wait(min(self.backoff * 2 ** (retry.meta.get("retry_times", 1) - 1), self.max_wait))
        return retry

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            # (Scrapy annotates a stat's count as int; a sum of floats is as good)
            self.crawler.stats.inc_value(statkeys.RETRY_WAIT_SECONDS, seconds)  # type: ignore[arg-type]
            await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))


class DeclaredEncodingMiddleware:
    """Text that is not in the encoding the HTTP header names.

    Scrapy trusts the header's charset over the page's ``<meta charset>``. When
    the body is not valid in the header's encoding but is in the one the page
    itself declares (an old page sent in windows-1252 as "utf-8"), the response
    is read in the page's encoding (``tmv/encoding_fixed``); when neither fits,
    it is counted (``tmv/encoding_errors``) and read with replacement characters.
    """

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_response(self, request, response):
        # a gzipped file sent as text (a sitemap.xml.gz as "application/xml") is no text to read otherwise
        if not isinstance(response, TextResponse) or not response.body or response.body[:2] == b"\x1f\x8b":
            return response
        declared = http_content_type_encoding(to_unicode(response.headers.get(b"Content-Type") or b""))
        if not declared or _decodes(response.body, declared):
            return response
        page = html_body_declared_encoding(response.body)
        page = resolve_encoding(page) if page else None
        if page and page != resolve_encoding(declared) and _decodes(response.body, page):
            self.stats.inc_value(statkeys.ENCODING_FIXED)
            logger.info("%s is not %s but %s, as the page says: read as %s", response.url, declared, page, page)
            return response.replace(encoding=page)
        self.stats.inc_value(statkeys.ENCODING_ERRORS)
        logger.warning("%s is not valid %s and says no better: undecodable bytes replaced", response.url, declared)
        return response


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(resolve_encoding(encoding) or encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


@without_referer_warning  # RefererMiddleware is off on purpose
class SameSiteRedirectMiddleware(RedirectMiddleware):
    """Scrapy's RedirectMiddleware, refusing a redirect that leaves the spider's domains.

    Scrapy drops such a request silently when it is scheduled (and follows it when
    the request has ``dont_filter``, as single pages on demand do); here it never
    becomes a request, and the page fails once, visibly (``tmv/failed/offsite``)."""

    def process_response(self, request, response, spider=None):
        location = response.headers.get(b"Location")
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if location and domains and 300 <= response.status < 400 and not request.meta.get("dont_redirect"):
            target = urljoin(request.url, safe_url_string(location.decode("latin-1")))
            host = (urlsplit(target).hostname or "").lower()
            if not any(host == d or host.endswith("." + d) for d in domains):
                raise IgnoreRequest(f"refused offsite redirect to {host}")
        return super().process_response(request, response)

    def handle_referer(self, request, response):
        """No Referer is sent (RefererMiddleware is off), on redirects either."""
        request.headers.pop(b"Referer", None)
