"""Whether a finished crawl succeeded, read from its stats (shared by ``scrapy crawl`` and the CLI).

Scrapy 2.19 exits 0 even when callbacks raised or nothing could be fetched;
the project's commands exit 1 when :func:`failure` names a reason.
"""

from __future__ import annotations


def failure(stats: dict) -> str | None:
    """Why the run failed, in a few words, or None when it went well."""
    reason = stats.get("finish_reason")
    if reason not in (None, "finished", "shutdown"):
        return f"the crawl stopped early ({reason})"
    errors = sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))
    if errors:
        return f"{errors} spider error(s), see the log"
    if not stats.get("response_received_count"):
        return "nothing could be fetched (is the site reachable?)"
    if stats.get("log_count/ERROR"):
        return f"{stats['log_count/ERROR']} error(s) in the log"
    return None


def summary(stats: dict) -> str:
    """One line for people and cron mail."""
    failed = {k.removeprefix("tmv/failed/"): v for k, v in stats.items() if k.startswith("tmv/failed/")}
    parts = [
        f"{stats.get('item_scraped_count', 0)} articles exported",
        f"{stats.get('tmv/new', 0)} new",
        f"{stats.get('tmv/updated', 0)} updated",
        f"{stats.get('tmv/unchanged', 0)} unchanged",
        f"{stats.get('downloader/request_count', 0)} requests",
    ]
    if failed:
        parts.append("failed: " + ", ".join(f"{k} {v}" for k, v in sorted(failed.items())))
    return ", ".join(parts)
