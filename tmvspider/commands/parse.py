"""``scrapy parse`` as Scrapy's, for the tmv spider as a Scrapy user types it::

    scrapy parse --spider tmv https://www.tmvtours.fr/article/<slug>/
    scrapy parse --spider tmv http://127.0.0.1:8000/          # a mirror: its host is the site

The page is read as a single page (``-a url=``): the spider allows the URL's own host (the
site is the URL's root unless ``-a base_url=`` says otherwise), opens no crawl state, and
nothing is written to the crawl's output (no feed unless ``-o``/``-O``, no stats file). The
callback is the spider's ``parse``, which picks the one the URL's kind calls for. Bad options
are one line and exit 2, as for ``scrapy crawl``; the command exits 1 when the page could not
be read or gave nothing (not an article, an empty listing).
"""

from __future__ import annotations

import sys
import warnings

from scrapy.commands.parse import Command as ScrapyParseCommand
from scrapy.exceptions import ScrapyDeprecationWarning

from ..preflight import check_settings
from . import check_command_line, one_line

# the project's bookkeeping: the crawl state's records and the run's stats file beside the feeds
NOT_FOR_ONE_PAGE = ("tmvspider.keeper.StateKeeper", "tmvspider.extensions.RunReport")


class Command(ScrapyParseCommand):
    def process_options(self, args, opts):
        name = opts.spider or "tmv"
        with one_line(name):
            check_command_line(opts)
            super().process_options(args, opts)
        if name != "tmv" or len(args) != 1:
            return
        opts.spider = name  # the project's one spider: `scrapy parse URL` works too
        assert self.settings is not None  # Scrapy's command line gives a command its settings first
        from .. import urls
        from ..spiders.tmv import TmvSpider

        page = args[0]
        opts.spargs.setdefault("url", page)
        if urls.is_http_url(page):
            opts.spargs.setdefault("base_url", urls.root_of(page))
        with one_line(name):
            TmvSpider.check_arguments(**opts.spargs)
            check_settings(self.settings)
        # Scrapy's own parse command wraps every callback in one returning a Deferred, and Scrapy
        # 2.19 then warns about it (naming our callback): not the user's doing, so not shown
        warnings.filterwarnings("ignore", message=r".* returned a Deferred\.", category=ScrapyDeprecationWarning)
        if not (opts.output or opts.overwrite_output):
            self.settings.set("FEEDS", {}, priority="cmdline")
        extensions = self.settings.getdict("EXTENSIONS")
        self.settings.set("EXTENSIONS", {**extensions, **dict.fromkeys(NOT_FOR_ONE_PAGE)}, priority="cmdline")

    def run(self, args, opts):
        super().run(args, opts)
        if opts.spider != "tmv" or self.spidercls is None:
            return
        stats = self.pcrawler.stats.get_stats() if getattr(self, "pcrawler", None) else {}
        found = sum(map(len, self.items.values())) + sum(map(len, self.requests.values()))
        if self.first_response is None:
            print(f"tmv: could not read {args[0]} ({why(stats)})", file=sys.stderr)
            self.exitcode = 1
        elif not found:
            print(
                f"tmv: {args[0]} gave nothing: not an article (nor a listing or sitemap it can read)", file=sys.stderr
            )
            self.exitcode = 1


def why(stats: dict) -> str:
    """The reason Scrapy's stats give for a page that never reached its callback."""
    for prefix, say in (
        ("httperror/response_ignored_status_count/", "HTTP {}"),
        ("downloader/exception_type_count/", "{}"),
        ("offsite/", "off-site: {}"),
    ):
        for key in sorted(stats):
            if key.startswith(prefix):
                return say.format(key[len(prefix) :].rsplit(".", 1)[-1])
    return "see the log"
