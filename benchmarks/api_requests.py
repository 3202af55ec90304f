"""Requests per article through the pages and through the CMS's API (issue 21, section 7).

For each path, on a mirror of *n* articles: a full walk, then an incremental run on the same
folders after the site gained one article and changed another; the requests each made (Scrapy's
``downloader/request_count``, robots.txt and redirects included, less the retries of the pages
the mirror answers 503 once on purpose, shown apart), what they exported,
whether every field is what the mirror says, and what a full walk of 20,000 articles costs at
the default politeness (one request per ``DOWNLOAD_DELAY``, the least AutoThrottle waits).
"""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

from tmvmirror.server import MirrorServer, crawl_command
from tmvmirror.site import build_site
from tmvspider import LIVE_ROOT, settings as project_settings

PROJECT = Path(__file__).resolve().parents[1]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING"]
LIVE_SIZE = 20_000
# (name, the namespaces the mirror serves, the crawl's settings, the fields held to the mirror's items)
PATHS = (
    ("pages", (), ["-s", "TMV_API=False"], None),
    ("API alone", ("wp/v2",), ["-s", "TMV_ARTICLE_PAGES=False"], ("related", "crawled_at")),
    ("API + pages (default)", ("wp/v2",), [], None),
)
TARGETS = {"API alone": (0.02, 3), "API + pages (default)": (1.02, None)}  # per article full, incremental requests


def _crawl(server: MirrorServer, out: Path, extra: list[str]) -> tuple[dict, list[dict]]:
    before = set(Path(out, "tmv").glob("*.stats.json")) if Path(out, "tmv").exists() else set()
    lines_before = {f: sum(1 for _ in f.open()) for f in Path(out, "tmv").glob("*.jsonl")} if before else {}
    done = subprocess.run(
        crawl_command(server.root, out, *FAST, *extra), cwd=PROJECT, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise SystemExit(f"bench: crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
    (stats_file,) = set(Path(out, "tmv").glob("*.stats.json")) - before
    items = [
        json.loads(line)
        for feed in sorted(Path(out, "tmv").glob("*.jsonl"))
        for number, line in enumerate(feed.open())
        if number >= lines_before.get(feed, 0)
    ]
    return json.loads(stats_file.read_text()), items


def _exact(items: list[dict], expected: list[dict], root: str, left_out: tuple[str, ...] | None) -> bool:
    """Every article once, every field but *left_out* (and crawled_at) what the mirror says
    (its expected items name the live root: held to the mirror's)."""
    ignored = {"crawled_at", *(left_out or ())}
    served = json.loads(json.dumps(expected).replace(LIVE_ROOT, root))
    if left_out:  # the API alone: a post never edited has no modification date, whatever its page shows
        for item in served:
            item["modified_at"] = None if item["modified_at"] == item["published_at"] else item["modified_at"]
    want = {e["url"]: {k: v for k, v in e.items() if k not in ignored} for e in served}
    got = {i["url"]: {k: v for k, v in i.items() if k not in ignored} for i in items}
    return len(got) == len(items) and got == want


def request_plans(n: int, seed: int = 1) -> list[dict]:
    """One row per path: its full walk and its incremental run."""
    rows = []
    for name, api, extra, left_out in PATHS:
        site = build_site(n, seed, api=api)
        with tempfile.TemporaryDirectory() as work, MirrorServer(site) as server:
            full, items = _crawl(server, Path(work), extra)
            exact = _exact(items, site.expected, server.root, left_out)
            server.site = build_site(n, seed, extra_articles=1, modified=1, api=api)
            incremental, day_items = _crawl(server, Path(work), extra)
        # the crawl's own plan: less the retries of the pages the mirror answers 503 once on purpose
        full_requests = full["downloader/request_count"] - full.get("retry/count", 0)
        rows.append(
            {
                "path": name,
                "articles": len(items),
                "exact": exact,
                "full_requests": full_requests,
                "per_article": full_requests / max(1, len(items)),
                "incremental_requests": incremental["downloader/request_count"] - incremental.get("retry/count", 0),
                "retries": full.get("retry/count", 0),
                "incremental_new": incremental.get("tmv/new", 0),
                "incremental_updated": incremental.get("tmv/updated", 0),
                "live_hours": full_requests / max(1, len(items)) * LIVE_SIZE * project_settings.DOWNLOAD_DELAY / 3600,
            }
        )
    return rows


def verdict(row: dict) -> str:
    per_article, incremental = TARGETS.get(row["path"], (None, None))
    marks = []
    if per_article is not None:
        marks.append(f"≤ {per_article} per article {'✓' if row['per_article'] <= per_article else '✗'}")
    if incremental is not None:
        marks.append(f"incremental ≤ {incremental} {'✓' if row['incremental_requests'] <= incremental else '✗'}")
    return ", ".join(marks) or "—"


def table(rows: list[dict]) -> list[str]:
    lines = [
        "| path | articles | every field exact | requests, full walk | per article | 20,000 articles at the default "
        "delay | retries of the mirror's 503s | incremental (1 new, 1 changed): requests | new, updated | targets |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['path']} | {r['articles']} | {'yes' if r['exact'] else 'NO'} | {r['full_requests']} | "
            f"{r['per_article']:.3f} | {r['live_hours']:.1f} h | {r['retries']} | {r['incremental_requests']} | "
            f"{r['incremental_new']}, {r['incremental_updated']} | {verdict(r)} |"
        )
    return lines


def headline(rows: list[dict]) -> list[str]:
    return [
        f"requests {r['path']}: {r['per_article']:.3f}/article full walk ({r['live_hours']:.1f} h for 20,000), "
        f"{r['incremental_requests']} for a day of 1 new + 1 changed{'' if r['exact'] else ', NOT exact'}  "
        f"[{verdict(r)}]"
        for r in rows
    ]


if __name__ == "__main__":
    import sys

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    print("\n".join(table(request_plans(size))))
