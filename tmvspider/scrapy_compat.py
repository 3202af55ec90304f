"""What the project reads or writes of Scrapy that Scrapy does not offer publicly, in one place.

Each function here names the private detail it relies on; tests/test_scrapy_compat.py
fails when a Scrapy release changes one (pyproject pins scrapy <2.20).
"""

from __future__ import annotations

import time

from scrapy.settings import default_settings


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
# off; the project turns it off on purpose.
REDIRECT_STARTUP_HOOK = "_engine_started"


def without_referer_warning(redirect_middleware: type) -> type:
    """A RedirectMiddleware subclass whose start-up hook does not warn that RefererMiddleware is off."""
    setattr(redirect_middleware, REDIRECT_STARTUP_HOOK, lambda self: None)
    return redirect_middleware


def base_without(name: str, left_out: set[str]) -> dict:
    """Scrapy's ``<name>`` (``EXTENSIONS_BASE``, ``DOWNLOADER_MIDDLEWARES_BASE``) without the
    classes *left_out*. Scrapy documents the ``*_BASE`` settings as not meant to be overridden;
    it imports every class a components setting names, even one set to None, before dropping
    the disabled ones, so leaving a class out of the base list is the only way not to import it."""
    return {k: v for k, v in getattr(default_settings, name).items() if k not in left_out}


# IgnoreRequest has no subclass per cause: robots.txt, the offsite filter, DOWNLOAD_MAXSIZE and
# RedirectMiddleware all raise it, told apart by words of their messages (lower-cased)
_IGNORED = (("redirection", "redirect_loop"), ("maxsize", "too_large"), ("offsite", "offsite"), ("robots", "robots"))


def ignored_reason(error: Exception) -> str:
    """Why Scrapy ignored a request (an IgnoreRequest), as ``tmv/failed/<reason>`` names it."""
    message = str(error).lower()
    return next((reason for needle, reason in _IGNORED if needle in message), "ignored")
