"""The floor under any Scrapy crawl on this machine: a spider that does nothing.

``scrapy runspider benchmarks/floor_spider.py -a urls=FILE`` fetches each URL of FILE
(one per line) once and does nothing with the pages, with Scrapy's default components.
`make bench` runs it after each crawl, on the same article pages: as is, and with
every optional middleware, extension and the stats switched off (``-s`` options, see
bench.py), which leaves Scrapy's engine, scheduler and HTTP client; and once on no
page at all, for Scrapy's start-up alone.
"""

import scrapy


class FloorSpider(scrapy.Spider):
    name = "floor"
    custom_settings = {
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 4,  # as tmvspider's crawl
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_ITEMS": 1,
    }

    def __init__(self, urls: str, **kwargs):
        super().__init__(**kwargs)
        self.urls_file = urls

    async def start(self):
        with open(self.urls_file, encoding="utf-8") as lines:
            for url in lines:
                if url.strip():
                    yield scrapy.Request(url.strip())

    def parse(self, response):
        return None
