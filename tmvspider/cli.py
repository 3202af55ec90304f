"""``tmvspider``: what cron and analysts run.

    tmvspider crawl [--base-url URL] [--state-dir DIR] [--output-dir DIR] [--log-file FILE] [--full] [--report [FILE]]
    tmvspider probe [--base-url URL]
    tmvspider compact [--output-dir DIR] [--since DATE] -o FILE.jsonl|FILE.parquet|FILE.csv|-
    tmvspider reextract [--output-dir DIR]      (see reextract.py)
    tmvspider report [--output-dir DIR] [-o FILE]  (see report.py)

``crawl`` runs the incremental crawl under a lock (a second run exits at once,
code 75, touching nothing), logs to a file, prints one summary line and exits 1
when the run failed. ``compact`` merges every finished feed into one dataset:
the latest version of each article, one line per URL, sorted by publication.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

from . import LIVE_ROOT
from .outcome import feeds_folder, summary
from .preflight import PreflightError, check as preflight, writable_file
from .runs import check_base_url, die, folders, project_settings, start

# ---------------------------------------------------------------- crawl


def crawl(args) -> int:
    check_base_url(args.base_url)
    try:
        settings = project_settings(args.set)
        if args.report:  # a bad argument: refused before anything is fetched, like the other outputs
            writable_file(Path(args.report), "report")
    except PreflightError as error:
        die(str(error), error.exit_code if error.exit_code != 1 else 2)
    output, state_dir = folders(settings, args.output_dir, args.state_dir)
    if args.log_file:  # checked writable by the preflight, with the other outputs
        settings.set("LOG_FILE", args.log_file, priority="cmdline")
        settings.set("LOG_FILE_APPEND", True, priority="cmdline")
    try:
        preflight(args.base_url, output, state_dir, settings, full=args.full)  # takes the lock, held until exit
    except PreflightError as error:
        die(str(error), error.exit_code)

    run = start(settings, "tmv", log_file=args.log_file, base_url=args.base_url, full="1" if args.full else None)
    stats = run.stats
    reason = run.failure()
    where = feeds_folder(stats)
    print(f"tmvspider: {'FAILED, ' + reason + '; ' if reason else ''}{summary(stats)}{where}")
    if args.report is not None:  # the run report, whatever the verdict: a failed run is the one to read
        from .preflight import cannot_write
        from .report import write as write_report

        target = Path(args.report) if args.report else output / "report.html"
        try:
            print(f"tmvspider: report written to {write_report(output, target, settings)}")
        except ImportError:
            print("tmvspider: no report: it needs matplotlib (pip install 'tmvspider[report]')", file=sys.stderr)
        except OSError as error:  # the disk filled up since the check: the crawl's verdict stands
            print(f"tmvspider: {cannot_write('report', target, error)}", file=sys.stderr)
            reason = reason or "the report could not be written"
    return 1 if reason else run.exit_code()


# ---------------------------------------------------------------- probe


def probe(args) -> int:
    """A few polite requests to the API and each discovery source, and a few articles: does this site read?"""
    from .preflight import check_settings, reachable, warn_unknown
    from .spiders.probe import ProbeSpider, conclusion, report, verdict

    check_base_url(args.base_url)
    try:
        settings = project_settings(args.set, LOG_LEVEL="WARNING")
        check_settings(settings)
        reachable(args.base_url)
    except PreflightError as error:
        die(str(error), error.exit_code)

    # the probe has no RunReport to warn of unknown settings: said once the log is set up
    spider = start(settings, ProbeSpider, ready=lambda _: warn_unknown(settings), base_url=args.base_url).crawler.spider
    print(report(spider))
    if problem := verdict(spider):
        die(problem, 1)
    print(f"tmvspider: {conclusion(spider)}")
    return 0


# ---------------------------------------------------------------- compact


def _version_key(item: dict):
    from .processors import parse_timestamp

    stamp = parse_timestamp(item.get("modified_at") or item.get("published_at"))
    return (stamp.at.timestamp() if stamp else 0.0, item.get("crawled_at") or "")


def _published(row: dict) -> datetime:
    from .processors import parse_timestamp

    stamp = parse_timestamp(row["published_at"])
    assert stamp is not None  # the schema held every row to a paris_time
    return stamp.at


def compact(args) -> int:
    """Every finished feed into one dataset, one row per article (urls.identity). A line that
    is not an article of the schema is skipped with a warning naming its file and line;
    nothing readable at all is refused."""
    from .dataset import FormatError, format_of, since, write
    from .pipelines import schema_error, schema_validator
    from .preflight import cannot_write, writable_file
    from .urls import identity

    try:
        format_of(args.output)
        start = since(args.since) if args.since else None
        if args.output != "-":
            writable_file(Path(args.output), "dataset")
    except FormatError as error:
        die(str(error), 2)
    except PreflightError as error:
        die(str(error), error.exit_code)
    folder = Path(args.output_dir) / "tmv"
    feeds = sorted(folder.rglob("*.jsonl")) if folder.is_dir() else []
    if not feeds:
        die(f"no finished feed under {folder}: run 'tmvspider crawl' first")
    validate = schema_validator()
    latest: dict[str, dict] = {}
    skipped = 0
    for feed in feeds:
        with open(feed, encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, 1):
                try:
                    item = json.loads(line)
                    problem = None if isinstance(item, dict) else "not an article"
                except ValueError:
                    problem = "not JSON"
                if problem is None and (broken := schema_error(validate, item)):
                    problem = f"breaks the schema: {broken}"
                if problem:
                    skipped += 1
                    print(f"tmvspider: skipped {feed}:{number}: {problem}", file=sys.stderr)
                    continue
                key = identity(item["url"])  # one article, whatever spelling a version was exported under
                current = latest.get(key)
                if current is None or _version_key(item) >= _version_key(current):
                    latest[key] = item
    if not latest:
        die(
            f"nothing readable in the {len(feeds)} feed file(s) under {folder} ({skipped} bad line(s)): "
            "is another program writing there?"
        )
    rows = sorted(latest.values(), key=lambda row: (_published(row), row["url"]))
    if start is not None:
        rows = [row for row in rows if _published(row) >= start]
    try:
        write(rows, args.output)
    except FormatError as error:
        die(str(error))
    except OSError as error:  # a full or read-only disk: replaced() left no part and the old file whole
        if args.output == "-":  # stdout is closed or full: nothing to flush at exit (no second error)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        if isinstance(error, BrokenPipeError):  # the reader had enough (| head): quiet, with the 141 cat gets
            return 141  # (128 + SIGPIPE, as the shell shows cat killed by it, e.g. under set -o pipefail)
        die(cannot_write("dataset", "to stdout" if args.output == "-" else args.output, error))
    where = "stdout" if args.output == "-" else args.output
    print(
        f"tmvspider: {len(rows)} articles from {len(feeds)} feed file(s) written to {where}"
        + (f" ({skipped} bad line(s) skipped)" if skipped else ""),
        file=sys.stderr if args.output == "-" else sys.stdout,
    )
    return 0


# ---------------------------------------------------------------- entry point


class CommandParser(argparse.ArgumentParser):
    """A sub-command's: options typed in full, its --help's examples as written."""

    def __init__(self, **kwargs):
        super().__init__(allow_abbrev=False, formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tmvspider",
        description="What cron and analysts run: the incremental crawl, its probe, the dataset, the report.",
        epilog="example:\n  tmvspider crawl --output-dir /srv/tmv --log-file /srv/tmv/crawl.log --report\n"
        "  tmvspider compact --output-dir /srv/tmv -o dataset.parquet\n"
        "each command's --help says more",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # every sub-command's --help: what it does, then examples as written; options typed in full
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        parser_class=CommandParser,
    )
    run = commands.add_parser(
        "crawl",
        help="incremental crawl, for cron",
        description="The incremental crawl, for cron: new and changed articles into OUTPUT_DIR/tmv/, under a lock\n"
        "(a second crawl exits 75 at once), one summary line. Exit 0 ok, 1 failed or stopped, 2 bad\n"
        "arguments, 3 coverage alarm.",
        epilog="examples:\n"
        "  tmvspider crawl --output-dir /srv/tmv --log-file /srv/tmv/crawl.log --report\n"
        "  tmvspider crawl --base-url http://127.0.0.1:8000 -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False",
    )
    run.add_argument("--base-url", default=LIVE_ROOT, help=f"site root (default {LIVE_ROOT})")
    run.add_argument("--output-dir", default="output", help="feeds go to DIR/tmv/ (default output)")
    run.add_argument("--state-dir", help="crawl state (default OUTPUT_DIR/state)")
    run.add_argument("--log-file", help="log here instead of stderr")
    run.add_argument("--full", action="store_true", help="walk every archive and article again")
    run.add_argument(
        "--report",
        nargs="?",
        const="",
        metavar="FILE",
        help="after the run, write the HTML report (default OUTPUT_DIR/report.html)",
    )
    run.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    run.set_defaults(func=crawl)
    check = commands.add_parser(
        "probe",
        help="a few polite requests: can this site be crawled?",
        description="At most TMV_PROBE_REQUESTS polite requests: the CMS's API (namespaces, X-WP-Total, users,\n"
        "3 posts beside their pages, field by field), each discovery source of the pages (robots.txt,\n"
        "sitemaps, home, feed) and 3-5 sample articles: can this site be crawled? Writes nothing. Exit 0\n"
        "when the API lists posts or articles were read, else 1 with one line.",
        epilog="examples:\n  tmvspider probe\n  tmvspider probe --base-url http://127.0.0.1:8000 -s DOWNLOAD_DELAY=0",
    )
    check.add_argument("--base-url", default=LIVE_ROOT, help=f"site root (default {LIVE_ROOT})")
    check.add_argument("-s", "--set", action="append", metavar="NAME=VALUE", help="a Scrapy setting")
    check.set_defaults(func=probe)
    merge = commands.add_parser(
        "compact",
        help="merge the feeds: latest version of each article",
        description="Every finished feed into one dataset: the latest version of each article, one row each,\n"
        "sorted by publication; the format is the file's extension.",
        epilog="examples:\n"
        "  tmvspider compact -o dataset.parquet --since 2024-01-31\n"
        "  tmvspider compact --output-dir /srv/tmv -o - | head -1",
    )
    merge.add_argument("--output-dir", default="output", help="where the crawls wrote (default output)")
    merge.add_argument(
        "-o",
        "--output",
        required=True,
        help="the dataset: FILE.jsonl, FILE.parquet, FILE.csv, or - for JSON Lines on stdout",
    )
    merge.add_argument("--since", metavar="DATE", help="only articles published from DATE (2024-01-31)")
    merge.set_defaults(func=compact)
    from .reextract import add_command as add_reextract

    add_reextract(commands)
    from .report import add_command as add_report

    add_report(commands)
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # the sub-command's usage and error line, not the top level's
        command = commands.choices[args.command]
        options = re.findall(r"(?<![\w-])--?[a-z][\w-]*", command.format_help())  # read from its public help
        near = difflib.get_close_matches(unknown[0], options, n=1)
        command.error(f"unrecognized arguments: {' '.join(unknown)}" + (f" (did you mean {near[0]}?)" if near else ""))
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
