"""``scrapy crawl`` as Scrapy's, plus: bad spider arguments are one line and exit 2
(no traceback), and a run that failed exits 1 (Scrapy 2.19 exits 0)."""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.exceptions import UsageError

from ..outcome import failure


class Command(ScrapyCrawlCommand):
    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)
        spidercls = self.crawler_process.spider_loader.load(args[0])
        check = getattr(spidercls, "check_arguments", None)
        if check is not None:
            try:
                check(**opts.spargs)
            except UsageError as error:
                print(f"{spidercls.name}: {error}", file=sys.stderr)
                self.exitcode = 2
                return
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        reason = "bootstrap failed" if self.crawler_process.bootstrap_failed else failure(crawler.stats.get_stats())
        if reason:
            print(f"{spidercls.name}: run failed: {reason}", file=sys.stderr)
            self.exitcode = 1
