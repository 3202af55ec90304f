"""Scrapy commands of the project (``COMMANDS_MODULE``): ``crawl`` with truthful exit codes."""

import sys
from contextlib import contextmanager

from scrapy.exceptions import UsageError

from ..preflight import PreflightError, command_line


@contextmanager
def one_line(name: str):
    """A bad argument or set-up inside is one line on stderr and its exit code (2 for usage),
    never a traceback nor Scrapy's usage screen."""
    try:
        yield
    except UsageError as error:
        print(f"{name}: {error}", file=sys.stderr)
        sys.exit(2)
    except PreflightError as error:
        print(f"{name}: {error}", file=sys.stderr)
        sys.exit(error.exit_code)


def check_command_line(opts) -> None:
    """``-s NAME=VALUE`` and ``-a NAME=VALUE`` well formed (before Scrapy reads them)."""
    command_line(opts.set, "-s")
    command_line(opts.spargs, "-a")
