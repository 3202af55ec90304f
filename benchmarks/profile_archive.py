"""The time of tmvspider.archive.WarcArchive.write per article page, with warcio as is (gzip level 9) and with gzip levels 6 and 1 and none (``python benchmarks/profile_archive.py``); nothing of the crawler changed, warcio patched in this process only."""

import tempfile
import time
import zlib

import warcio.warcwriter as ww
from scrapy.http import HtmlResponse, Request

from tmvmirror import build_site
from tmvmirror.site import ROOT
from tmvspider import archive

site = build_site(2000, seed=1)
pairs = []
for item in site.expected:
    page = site.pages[item["url"].removeprefix(ROOT)]
    req = Request(
        item["url"], headers={"User-Agent": "tmvspider/x", "Accept": "text/html", "Accept-Encoding": "gzip, deflate"}
    )
    resp = HtmlResponse(
        item["url"],
        body=page.body,
        headers={
            "Content-Type": "text/html; charset=utf-8",
            "Server": "mirror",
            "Date": "Wed, 02 Dec 2026 05:00:00 GMT",
            "ETag": '"abc"',
            "Last-Modified": "Wed, 02 Dec 2026 05:00:00 GMT",
        },
        request=req,
    )
    pairs.append((resp, req))


class Stats:
    def inc_value(self, *a):
        pass


class Crawler:
    stats = Stats()


def run(level):
    orig = ww.GzippingWrapper.__init__

    def init(self, out, level=level):
        self.compressor = zlib.compressobj(level, zlib.DEFLATED, zlib.MAX_WBITS + 16)
        self.out = out

    ww.GzippingWrapper.__init__ = init
    a = archive.WarcArchive.__new__(archive.WarcArchive)
    a.crawler = Crawler()
    a.file = open(tempfile.gettempdir() + "/tmv-profile-x.warc.gz", "wb")
    a.writer = ww.WARCWriter(a.file, gzip=True)
    t = time.process_time()
    for resp, req in pairs:
        a.write(resp, req)
    ms = 1000 * (time.process_time() - t) / len(pairs)
    a.file.close()
    ww.GzippingWrapper.__init__ = orig
    import os

    return ms, os.path.getsize(tempfile.gettempdir() + "/tmv-profile-x.warc.gz") / len(pairs)


def run_plain():
    a = archive.WarcArchive.__new__(archive.WarcArchive)
    a.crawler = Crawler()
    a.file = open(tempfile.gettempdir() + "/tmv-profile-x.warc", "wb")
    a.writer = ww.WARCWriter(a.file, gzip=False)
    t = time.process_time()
    for resp, req in pairs:
        a.write(resp, req)
    ms = 1000 * (time.process_time() - t) / len(pairs)
    a.file.close()
    import os

    return ms, os.path.getsize(tempfile.gettempdir() + "/tmv-profile-x.warc") / len(pairs)


for rep in range(3):
    for level in (9, 6, 1):
        ms, size = run(level)
        print(f"gzip level {level}: {ms:.3f} ms/page, {size / 1024:.1f} kB/page")
    ms, size = run_plain()
    print(f"no gzip (records only: headers, digests): {ms:.3f} ms/page, {size / 1024:.1f} kB/page")
