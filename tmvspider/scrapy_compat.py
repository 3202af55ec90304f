"""What the project reads or writes of Scrapy that Scrapy does not offer publicly, in one place.

Each function here names the private detail it relies on; tests/test_scrapy_compat.py
fails when a Scrapy release changes one (pyproject pins scrapy <2.20).
"""

from __future__ import annotations

import time


def robots_sitemaps(robotparser) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt Scrapy parsed. Scrapy's ``RobotParser``
    interface offers only ``allowed()`` and ``crawl_delay()``; its Protego implementation
    (the default, ``ROBOTSTXT_PARSER``) keeps the Protego object, whose ``sitemaps`` is
    public, as ``rp``."""
    return list(getattr(getattr(robotparser, "rp", None), "sitemaps", None) or [])


def raise_download_delay(downloader, delay: float) -> None:
    """Make *delay* the floor of every download slot, those to come too, without jitter.
    Slots are public (``Downloader.slots``, ``Slot.delay``, ``Slot.jitter``); the values
    new slots start from are the Downloader's private ``_delay`` and ``_jitter``."""
    for slot in downloader.slots.values():
        slot.delay, slot.jitter = max(slot.delay, delay), 0.0
    downloader._delay = max(downloader._delay, delay)
    downloader._jitter = 0.0


def hold_slot(slot, seconds: float) -> None:
    """No request from download *slot* before *seconds* from now. Scrapy spaces a slot's
    requests by its delay × (1 ± jitter) from its private ``lastseen``; a slot with no delay
    is not held."""
    shortest = slot.delay * (1 - slot.jitter)
    slot.lastseen = max(slot.lastseen, time.monotonic() + seconds - shortest)


# RedirectMiddleware warns from this private hook, at engine start, when RefererMiddleware is
# off; the project turns it off on purpose (middlewares.SameSiteRedirectMiddleware silences it).
REDIRECT_STARTUP_HOOK = "_engine_started"
