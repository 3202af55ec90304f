"""Downloader middlewares."""

from __future__ import annotations

import logging
from email.utils import parsedate_to_datetime
from datetime import datetime, timezone

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.response import response_status_message
from twisted.internet import reactor, task

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
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, which waits before a retry: what ``Retry-After``
    asks (capped by ``TMV_RETRY_AFTER_MAX``), else an exponential backoff from
    ``TMV_RETRY_BACKOFF``. The wait holds back this request only, not the crawl.
    (Scrapy 2.19 retries at once and ignores Retry-After, upstream #3849.)"""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("TMV_RETRY_BACKOFF")
        self.max_wait = settings.getfloat("TMV_RETRY_AFTER_MAX")

    async def process_response(self, request, response):
        if request.meta.get("dont_retry") or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if asked is None:
            asked = self.backoff * 2 ** (retry.meta.get("retry_times", 1) - 1)
        await self._wait(min(asked, self.max_wait))
        return retry

    async def process_exception(self, request, exception):
        retry = super().process_exception(request, exception)
        if isinstance(retry, type(request)):
            await self._wait(min(self.backoff * 2 ** (retry.meta.get("retry_times", 1) - 1), self.max_wait))
        return retry

    async def _wait(self, seconds: float) -> None:
        if seconds > 0:
            self.crawler.stats.inc_value("tmv/retry_wait_seconds", seconds)
            await maybe_deferred_to_future(task.deferLater(reactor, seconds, lambda: None))
