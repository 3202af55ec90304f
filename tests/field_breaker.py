"""Scrapy add-ons for the tests: one field reader of every parser raises on every page, as a
reader's bug on an odd page would (``-s 'ADDONS={"tests.field_breaker.BreakTags": 0}'``)."""

from tmvspider.parsers.base import ArticleParser


def odd_page(parser):
    raise ValueError(f"odd page {parser.response.url}")


class BreakTags:
    field = "tags"

    def update_settings(self, settings):
        setattr(ArticleParser, self.field, odd_page)  # in the crawl's own process: gone with it


class BreakLead(BreakTags):
    field = "lead"
