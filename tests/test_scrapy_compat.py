"""What scrapy_compat.py relies on of Scrapy's private parts still holds (fails on a Scrapy that changed it)."""

from scrapy.core.downloader import Downloader, Slot
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.test import get_crawler

from tmvspider import scrapy_compat
from tmvspider.middlewares import SameSiteRedirectMiddleware


def test_robots_sitemaps_of_scrapy_s_default_parser():
    robots = b"User-agent: *\nDisallow: /wp-admin/\nSitemap: https://www.tmvtours.fr/sitemap.xml\n"
    parser = ProtegoRobotParser.from_crawler(get_crawler(), robots)
    assert scrapy_compat.robots_sitemaps(parser) == ["https://www.tmvtours.fr/sitemap.xml"]


def test_the_downloader_s_delays_and_a_slot_s_last_request():
    downloader = Downloader(get_crawler(settings_dict={"DOWNLOAD_DELAY": 0.25, "DOWNLOAD_DELAY_JITTER": 0.5}))
    assert (downloader._delay, downloader._jitter) == (0.25, 0.5)  # what new slots start from
    downloader.slots["a"] = Slot(concurrency=1, delay=0.25, jitter=0.5)
    scrapy_compat.raise_download_delay(downloader, 2.0)
    assert (downloader._delay, downloader._jitter) == (2.0, 0.0)
    assert (downloader.slots["a"].delay, downloader.slots["a"].jitter) == (2.0, 0.0)
    slot = downloader.slots["a"]
    before = slot.lastseen
    scrapy_compat.hold_slot(slot, 10)
    assert slot.lastseen > before + 7  # held ~10 s less the slot's own delay


def test_the_redirect_middleware_s_startup_hook_is_the_one_silenced():
    assert callable(getattr(RedirectMiddleware, scrapy_compat.REDIRECT_STARTUP_HOOK, None))
    assert scrapy_compat.REDIRECT_STARTUP_HOOK in vars(SameSiteRedirectMiddleware)


def test_the_base_lists_and_ignore_request_messages_it_reads():
    from scrapy.settings import default_settings

    base = scrapy_compat.base_without("EXTENSIONS_BASE", {"scrapy.extensions.remote_control.RemoteControl"})
    assert "scrapy.extensions.remote_control.RemoteControl" in default_settings.EXTENSIONS_BASE
    assert set(default_settings.EXTENSIONS_BASE) - set(base) == {"scrapy.extensions.remote_control.RemoteControl"}
    from scrapy.exceptions import IgnoreRequest

    assert scrapy_compat.ignored_reason(IgnoreRequest("Forbidden by robots.txt")) == "robots"
