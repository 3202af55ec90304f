"""python -m tests.wordpress serve [MODEL.json]: the tests' real WordPress, by hand, until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import signal
import threading
from pathlib import Path

from tests.wordpress import SAMPLE, HarnessError, WordPress, missing


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.wordpress", description="Debian's WordPress on loopback, set up from a model."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="start it, print its URL, stop and remove it on Ctrl-C")
    serve.add_argument(
        "model",
        nargs="?",
        type=Path,
        default=SAMPLE,
        help="the model, JSON (default: the tests' sample, tests/wordpress/sample.json)",
    )
    args = parser.parse_args(argv)
    if reason := missing():
        parser.exit(1, f"{reason}\n")
    try:
        model = json.loads(args.model.read_text("utf-8"))
    except (OSError, ValueError) as error:
        parser.exit(1, f"cannot read the model {args.model}: {error}\n")
    # Ctrl-C or a kill ends the wait below (once the site is up), then the servers stop and their files go.
    stopping = threading.Event()
    for stop in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop, lambda *_: stopping.set())
    try:
        with WordPress(model) as site:
            print(
                f"WordPress at {site.url}/ (log in at {site.url}/wp-admin/ as admin, password admin)\n"
                f"started in {sum(site.timings.values()):.1f} s {site.timings}; files and logs in {site.directory}\n"
                "Ctrl-C stops it and removes them.",
                flush=True,
            )
            stopping.wait()
    except HarnessError as error:
        parser.exit(1, f"{error}\n")


if __name__ == "__main__":
    main()
