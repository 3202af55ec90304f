"""Scrapy contracts for the tmv spider's callbacks (``scrapy check tmv``).

Scrapy's ``@url`` takes a fixed URL, but the pages the tests serve come from a mirror on a
port chosen at run time, and the live site is out of reach of the tests. ``@page NAME`` asks
instead for a page the package ships: ``tmvspider/pages/NAME``, pages the mirror renders
(``tests/fixtures/make_fixtures.py`` writes them), read through Scrapy's ``file://`` handler::

    def parse_article(self, response):
        \"\"\"
        @page seed.html
        @returns items 1 1
        @scrapes url title published_at body
        \"\"\"
"""

from __future__ import annotations

from pathlib import Path

from scrapy.contracts import Contract

PAGES = Path(__file__).resolve().parent / "pages"  # package data: `scrapy check` works where installed


class PageContract(Contract):
    """``@page NAME``: the request is for the saved page NAME (as ``@url file://…/NAME``)."""

    name = "page"

    def adjust_request_args(self, args):
        page = PAGES / self.args[0]
        if not page.is_file():
            raise FileNotFoundError(f"@page {self.args[0]}: no such page in {PAGES}")
        args["url"] = page.as_uri()
        return args
