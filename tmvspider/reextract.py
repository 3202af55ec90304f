"""``tmvspider reextract``: rebuild the items of every archived article with today's parsers.

    tmvspider reextract [--output-dir DIR] [--state-dir DIR] [--base-url URL] [--log-file FILE]

The real ``tmv`` spider runs through Scrapy with ``TMV_REEXTRACT`` set: its start
requests are the archived pages of the CMS's API listing and the latest capture of
each archived article page (replay.py), a downloader middleware answers them from
the WARC files and refuses anything else, so that not one request reaches the
site; the items go through the same validation, dedup against the state and feeds
as a crawl's. What changed since
the last export is written as new versions; with the feeds and the state gone,
the whole dataset is rebuilt. A parser fix after a redesign: fix, re-extract, done.
"""

from __future__ import annotations

from . import statkeys
from .outcome import summary
from .runs import check_base_url, die, folders, project_settings, start


def add_command(commands) -> None:
    """Register the sub-command on ``tmvspider``'s argparse sub-parsers (cli.main)."""
    cmd = commands.add_parser(
        "reextract",
        help="rebuild the items of the archived articles with today's parsers",
        description="Rebuild the items of every archived article (its API record, its page) with today's parsers,\n"
        "through the crawl's pipelines and state: not one request to the site; what changed comes out as new\n"
        "versions.",
        epilog="example, after a parser fix:\n"
        "  tmvspider reextract --output-dir /srv/tmv --log-file /srv/tmv/reextract.log",
    )
    cmd.add_argument("--output-dir", default="output", help="feeds and archive under DIR (default output)")
    cmd.add_argument("--state-dir", help="crawl state (default OUTPUT_DIR/state)")
    cmd.add_argument("--base-url", help="the site root of the archived pages (default: the archive's own)")
    cmd.add_argument("--log-file", help="log here instead of stderr")
    cmd.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    cmd.set_defaults(func=run)


def run(args) -> int:
    from . import archive, replay
    from .preflight import PreflightError, usable_state, writable_folder
    from .state import StateError, lock

    try:
        settings = project_settings(args.set)
    except PreflightError as error:
        die(str(error), error.exit_code)
    output, state_dir = folders(settings, args.output_dir, args.state_dir)
    folder = archive.archive_dir(settings).resolve()
    if not (folder.is_dir() and any(folder.glob(f"*{archive.SUFFIX}*"))):  # no archive at all (read later, locked)
        die(f"no archived article page under {folder}: crawl first (TMV_ARCHIVE_ENABLED is on by default)")
    try:  # nothing created before this point
        writable_folder(state_dir, "state", "--state-dir")
        usable_state(state_dir)  # the state's lock, held until exit: no crawl meanwhile
        writable_folder(output, "output", "--output-dir")
        lock(output)
    except PreflightError as error:
        die(str(error), error.exit_code)
    except StateError as error:
        die(str(error), 75)
    archive.recover_parts(folder)  # with the output folder's lock held
    if not (replay.article_urls(folder) or replay.api_listings(folder)):
        die(f"no archived article page under {folder}: crawl first (TMV_ARCHIVE_ENABLED is on by default)")
    root = args.base_url or replay.archived_root(folder)
    assert root is not None  # an archived article or listing: its capture names a root
    root = root.rstrip("/")

    settings.setdict(
        {
            "TMV_ARCHIVE_DIR": str(folder),
            "TMV_REEXTRACT": True,
            "TMV_ARCHIVE_ENABLED": False,
            # nothing is fetched: no robots.txt, no delays
            "ROBOTSTXT_OBEY": False,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "CONCURRENT_REQUESTS": 16,
        },
        priority="cmdline",
    )
    # the archive's middlewares (settings.py) answer every request; make sure nobody took them out
    for name, kind in (
        ("tmvspider.replay.ArchiveReplay", "DOWNLOADER_MIDDLEWARES"),
        ("tmvspider.replay.ArchiveOnly", "SPIDER_MIDDLEWARES"),
    ):
        if settings.getdict(kind).get(name) is None:
            die(f"{kind} must keep {name}: without it re-extraction would ask the site", 2)
    check_base_url(root)
    done = start(settings, "tmv", log_file=args.log_file, base_url=root)
    stats = done.stats
    reason = done.failure("the re-extraction could not start (see the log)")
    records = stats.get(statkeys.REEXTRACT_RECORDS, 0)
    print(
        f"tmvspider: re-extracted {stats.get(statkeys.REEXTRACT_PAGES, 0) + records} archived article(s)"
        f"{f' ({records} from the API)' if records else ''}: "
        f"{'FAILED, ' + reason + '; ' if reason else ''}{summary(stats)}"
    )
    return 1 if reason else done.exit_code()  # 3 on a coverage alarm, as a crawl
