"""A run of a spider as the ``tmvspider`` commands set it up (cli.py, reextract.py, report.py):
the project's settings with ``-s`` on top, the folders, the CrawlerProcess, and the verdict.
``scrapy crawl`` (commands/crawl.py) keeps Scrapy's own process and shares the verdict."""

from __future__ import annotations

import sys
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from scrapy.exceptions import UsageError
from scrapy.settings import Settings

from . import outcome
from .preflight import check_values, command_line
from .state import output_dir, state_dir


def die(message: str, code: int = 1) -> NoReturn:
    """Bad input or a set-up that fails: one line on stderr and the exit code, never a traceback."""
    print(f"tmvspider: {message}", file=sys.stderr)
    sys.exit(code)


def check_base_url(base_url: str) -> None:
    """``--base-url`` as the tmv spider takes it, or one line and exit 2."""
    from .spiders.tmv import TmvSpider

    try:
        TmvSpider.check_arguments(base_url)
    except UsageError as error:
        die(str(error).replace("base_url", "--base-url"), 2)


def project_settings(pairs: list[str] | None = None, **fixed: Any) -> Settings:
    """settings.py, then *fixed*, then the command line's ``-s NAME=VALUE`` pairs; a malformed
    pair, a misspelt name or a value of the wrong type raises PreflightError (exit 2)."""
    command_line(pairs or [], "-s")
    settings = Settings()
    settings.setmodule("tmvspider.settings", priority="project")
    settings.setdict(fixed, priority="cmdline")
    for pair in pairs or []:
        name, _, value = pair.partition("=")
        settings.set(name, value, priority="cmdline")
    check_values(settings)  # every command the same: crawl, probe, reextract, report
    return settings


def folders(settings: Settings, output: str | Path, state: str | Path | None = None) -> tuple[Path, Path]:
    """``--output-dir`` and ``--state-dir`` into *settings* (over ``-s``), absolute; the output
    folder and the state's (state.state_dir: OUTPUT_DIR/state unless given)."""
    settings.setdict(
        {"TMV_OUTPUT_DIR": str(Path(output).resolve()), "TMV_STATE_DIR": str(Path(state).resolve()) if state else None},
        priority="cmdline",
    )
    return output_dir(settings), state_dir(settings)


@dataclass(frozen=True)
class Finished:
    """A run that is over: its crawler, and whether Scrapy started it at all (its bootstrap)."""

    crawler: Any
    started: bool

    @property
    def stats(self) -> dict:
        return self.crawler.stats.get_stats()

    def failure(self, could_not_start: str = "the crawl could not start (see the log)") -> str | None:
        """Why the run failed (outcome.failure), or None."""
        return outcome.failure(self.stats) if self.started else could_not_start

    def exit_code(self) -> int:
        return outcome.exit_code(self.stats) if self.started else 1


def start(
    settings: Settings,
    spider: str | type,
    log_file: str | None = None,
    ready: Callable[[Any], None] | None = None,
    **spider_args: Any,
) -> Finished:
    """Run one spider in a CrawlerProcess, to its end. *log_file*: the log goes there, rotated
    (progress.log_to_file), and a write to it that fails stops the run (disk.DiskGuard).
    *ready(crawler)*: called once Scrapy's logging is set up, before the crawl."""
    from scrapy.crawler import CrawlerProcess

    handler = None
    if log_file:  # Scrapy's LOG_FILE grows forever
        from .progress import log_to_file

        handler = log_to_file(log_file, settings)
        settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    if handler is not None:
        from .disk import stop_on_failed_write

        def stop_the_run(folder, error) -> None:
            with suppress(OSError):  # no DiskGuard: the log falls back to stderr all the same
                stop_on_failed_write(crawler, folder, error)

        handler.on_error = stop_the_run
    if ready is not None:
        ready(crawler)
    process.crawl(crawler, **spider_args)
    process.start()
    return Finished(crawler, not process.bootstrap_failed)
