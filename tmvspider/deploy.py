"""Running under scrapyd (1.6): the crawl keeps its own record.

scrapyd passes ``-s FEEDS=<items_dir>/<project>/<spider>/<job>.jl`` when its
``items_dir`` is set (and deletes those files beyond ``jobs_to_keep``). The crawl's
feeds under ``<TMV_OUTPUT_DIR>/tmv/`` are what the state reads back, so a job that
wrote only scrapyd's file would leave the state thinking nothing was exported and
the next job would export everything again. Under scrapyd (the spider gets a
``_job`` argument), the crawl's own feeds are therefore written too, beside
scrapyd's file. The egg itself names its settings through the ``scrapy`` entry
point of pyproject.toml (``settings = tmvspider.settings``), which scrapyd reads.
"""

from __future__ import annotations

from scrapy.settings import SETTINGS_PRIORITIES


def keep_crawl_feeds(spider, settings) -> None:
    """Add the crawl's default feeds to those scrapyd asked for (called by the crawl state's
    keeper once it holds the state, before the settings freeze)."""
    if settings.getpriority("FEEDS") <= SETTINGS_PRIORITIES["spider"]:  # no feed of scrapyd's: ours already
        return
    ours = spider.default_feeds(settings, spider.name)
    settings.set("FEEDS", {**settings.getdict("FEEDS"), **ours}, priority=settings.getpriority("FEEDS"))
