"""``scrapy shell`` as Scrapy's, with the tmv spider (``--spider tmv``) on its own: a shell
looks at pages, it never opens nor locks the crawl state that cron's crawl holds. The
project's parsers are at hand: ``parsers.parse_article(response)`` is the page's item."""

from __future__ import annotations

from scrapy.commands.shell import Command as ScrapyShellCommand


class Command(ScrapyShellCommand):
    def process_options(self, args, opts):
        super().process_options(args, opts)
        assert self.settings is not None  # Scrapy's command line gives a command its settings first
        self.settings.set("TMV_WITHOUT_STATE", True, priority="cmdline")

    def update_vars(self, vars):  # noqa: A002 (Scrapy's name): what the shell's namespace holds
        from .. import parsers

        vars["parsers"] = parsers
