"""``scrapy crawl`` as Scrapy's, plus: bad arguments and a bad set-up (unreachable site,
unwritable folders, unusable state) are one line and a non-zero exit before Scrapy
even starts, and a run that failed exits 1 (Scrapy 2.19 exits 0)."""

from __future__ import annotations

import sys

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.settings import SETTINGS_PRIORITIES
from scrapy.spiderloader import get_spider_loader

from .. import LIVE_ROOT, statkeys
from ..outcome import alarms
from ..preflight import check as preflight, check_settings
from ..runs import Finished
from ..state import output_dir, state_dir
from . import check_command_line, one_line


class Command(ScrapyCrawlCommand):
    def process_options(self, args, opts):
        with one_line(args[0] if args else "crawl"):  # Scrapy's own refusal would be a usage screen
            check_command_line(opts)
            super().process_options(args, opts)
        if len(args) != 1:
            return
        assert self.settings is not None  # Scrapy's command line gives a command its settings first
        try:
            spidercls = get_spider_loader(self.settings).load(args[0])
        except KeyError:
            print(f"no spider named {args[0]!r} (scrapy list names them)", file=sys.stderr)
            sys.exit(2)
        check = getattr(spidercls, "check_arguments", None)
        with one_line(spidercls.name):
            if check is not None:
                check(**opts.spargs)
            if spidercls.name == "tmv" and not opts.spargs.get("url"):  # the crawl: its failures recorded
                from ..spiders.tmv import truthy

                preflight(
                    opts.spargs.get("base_url", LIVE_ROOT).strip(),
                    output_dir(self.settings),
                    state_dir(self.settings),
                    self.settings,
                    full=truthy(opts.spargs.get("full")),
                )
            else:
                check_settings(self.settings)

    def run(self, args, opts):
        if len(args) != 1:
            return super().run(args, opts)
        assert self.settings is not None and self.crawler_process is not None  # set by Scrapy's command line
        # the public way: Scrapy's private _create_crawler adds only a warning for a FeedExporter turned off
        crawler = self.crawler_process.create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        run = Finished(crawler, started=not self.crawler_process.bootstrap_failed)
        self.exitcode = run.exit_code()
        stats = run.stats
        if reason := run.failure("bootstrap failed"):
            print(f"{args[0]}: run failed: {reason}", file=sys.stderr)
        elif alarm := alarms(stats):
            print(f"{args[0]}: {alarm}", file=sys.stderr)
        elif (
            (known := stats.get(statkeys.STATE_ARTICLES))
            and not stats.get("item_scraped_count")
            and self.settings.getpriority("FEEDS") == SETTINGS_PRIORITIES["cmdline"]
        ):  # -o/-O: why empty
            print(
                f"{args[0]}: nothing exported: the state knows {known} articles, none new or changed; "
                "`tmvspider compact -o FILE` writes every one (-a full=1 fetches each again, exports "
                "only what changed)",
                file=sys.stderr,
            )
