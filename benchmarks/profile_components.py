"""``python benchmarks/profile_components.py``: Floor spider with the crawl's component set (defaults minus what tmvspider already drops) vs that set
minus HttpProxy, Offsite (downloader), DownloaderStats, DefaultHeaders, LogStats, LogCount, CloseSpider, MemoryUsage;
3 alternated pairs, 2000 article pages."""

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, "/work/wt-bench/benchmarks")
import bench
from scrapy.settings import default_settings as d

from tmvmirror import build_site
from tmvmirror.site import ROOT

site = build_site(2000, seed=1)
crawl_drop_dl = {
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware",
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
}
crawl_drop_sp = {
    "scrapy.spidermiddlewares.referer.RefererMiddleware",
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
}
crawl_drop_ext = {"scrapy.extensions.remote_control.RemoteControl", "scrapy.extensions.telnet.TelnetConsole"}
more_dl = {
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware",
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
    "scrapy.downloadermiddlewares.stats.DownloaderStats",
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware",
}
more_ext = {
    "scrapy.extensions.logstats.LogStats",
    "scrapy.extensions.logcount.LogCount",
    "scrapy.extensions.closespider.CloseSpider",
    "scrapy.extensions.memusage.MemoryUsage",
}


def opts(dl, sp, ext):
    return [
        "-s",
        "DOWNLOADER_MIDDLEWARES_BASE="
        + json.dumps({k: v for k, v in d.DOWNLOADER_MIDDLEWARES_BASE.items() if k not in dl}),
        "-s",
        "SPIDER_MIDDLEWARES_BASE=" + json.dumps({k: v for k, v in d.SPIDER_MIDDLEWARES_BASE.items() if k not in sp}),
        "-s",
        "EXTENSIONS_BASE=" + json.dumps({k: v for k, v in d.EXTENSIONS_BASE.items() if k not in ext}),
    ]


A = opts(crawl_drop_dl, crawl_drop_sp, crawl_drop_ext)
B = opts(crawl_drop_dl | more_dl, crawl_drop_sp, crawl_drop_ext | more_ext)
with tempfile.TemporaryDirectory() as work:
    for rep in range(4):
        for label, o in (("crawl's set", A), ("crawl's set minus 8 more", B)):
            with bench.MirrorServer(site) as server:
                listing = Path(work, "u.txt")
                listing.write_text("".join(f"{i['url'].replace(ROOT, server.root)}\n" for i in site.expected))
                _, cpu, _, _ = bench.run_measured(
                    [
                        sys.executable,
                        "-m",
                        "scrapy",
                        "runspider",
                        str(bench.PROJECT / "benchmarks/floor_spider.py"),
                        "-a",
                        f"urls={listing}",
                        *o,
                    ],
                    Path(work),
                )
            print(f"rep {rep} {label}: {1000 * cpu / 2000:.3f} ms/page", flush=True)
