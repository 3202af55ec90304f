"""``make demo``: serve an offline tmv mirror on a free loopback port and crawl it.

Runs exactly what a user runs (``scrapy crawl tmv -a base_url=…``) in a
subprocess, into output/demo/ (wiped first, so every demo starts afresh), then
says where the feed is and how many articles it holds. The mirror serves the CMS's
API as the live WordPress host does (``--no-api``: none, the crawl walks the pages).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tmvspider.outcome import summary

from .server import MirrorServer, crawl_command
from .site import build_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tmvmirror.demo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--output-dir", default="output/demo")
    parser.add_argument("--no-api", action="store_true", help="serve no /wp-json/: discovery through the pages")
    args = parser.parse_args(argv)
    output = Path(args.output_dir)
    shutil.rmtree(output, ignore_errors=True)
    site = build_site(args.articles, api=() if args.no_api else ("wp/v2", "ampize/v1"))
    with MirrorServer(site) as server:
        print(f"mirror: {len(site.expected)} articles served at {server.root}")
        polite_off = ("DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=False", "TMV_RETRY_BACKOFF=0.1", "LOG_LEVEL=WARNING")
        command = crawl_command(server.root, output, *(arg for value in polite_off for arg in ("-s", value)))
        print("crawl: " + " ".join(command[2:]))
        code = subprocess.call(command)
    feeds = sorted((output / "tmv").glob("*.jsonl"))
    count = sum(1 for feed in feeds for _ in feed.open(encoding="utf-8"))
    for stats in (output / "tmv").glob("*.stats.json"):
        print("run: " + summary(json.loads(stats.read_text(encoding="utf-8"))))
    print(
        f"feed: {count} articles in {len(feeds)} file(s) under {output / 'tmv'}/"
        f" (of {len(site.expected)} on the mirror)"
    )
    for feed in feeds[:3]:
        print(f"  {feed}")
    return code


if __name__ == "__main__":
    sys.exit(main())
