"""``make bench``: how fast and how right tmvspider is, measured on this machine in one run.

Headline, per size: the **floor ratio**, the crawl's CPU per article over the CPU per page
of a Scrapy spider that fetches the same article pages and does nothing
(benchmarks/floor_spider.py, Scrapy's default components), start-up included in both and
both measured in the same run; beside it the least floor ratio a crawl fetching the same
pages could have (``add_bound``), articles/s, their ratio to ``scrapy bench`` pages/s of
the same run, and the crawl's peak RSS.

1. Crawl: a mirror of N articles (default 2,000) on loopback, a full ``scrapy crawl tmv``
   as shipped (its defaults: WARC archive, progress lines) with politeness delays off;
   articles/s, requests, CPU ms per article (user+sys of the crawl process), peak RSS;
   then ``scrapy bench``, then the floor spider (with Scrapy's default components, with
   none, and its start-up alone). Three such runs per size (--runs), medians reported and
   every run's figures kept; then one extraction pass over the same pages, for the run's
   least floor ratio (``add_bound``). One more crawl with the archive off, for information
   (--no-archive-line to skip it).
2. Extraction: ``tmvspider.parsers.read_article`` on every article page of the mirror,
   grouped by the page's layout (legacy, current, and amp, read by the theme-free reader),
   ms/page as the best of --passes passes, each on fresh responses (no cached selector),
   and every field's accuracy against the mirror's truth per layout.
   ``--trafilatura``: trafilatura's ``bare_extraction`` beside it, for comparison.
3. Requests per article (benchmarks/api_requests.py): through the pages, through the CMS's
   API alone and through the API with each page (the default), a full walk and a day of one
   new and one changed article, and the hours 20,000 articles take at the default delay.
   Targets (issue 21): the API alone ≤ 0.02 requests per article and ≤ 3 for that day, the
   default ≤ 1.02 per article, every field exact.

Targets (issue #13, 2 cores): floor ratio ≤ 1.3 at 2,000 and 10,000 articles; articles/s
≥ 2.5 × scrapy bench pages/s in every run; extraction ≤ 1.0 ms/page on the two known
layouts, ≤ 1.5 ms on the theme-free reader's pages (issue 22), every field exact; peak RSS ≤ 150 MB
at 2,000 articles and ≤ 1.5 × that at 10,000.

    make bench                       # 2,000 articles, 3 runs: RESULTS.md
    make bench N="2000 10000"
    .venv/bin/python benchmarks/bench.py --quick   # 500 articles, 1 run, RESULTS.quick.md

Where the time goes: benchmarks/PROFILE.md and the profile_*.py scripts beside this one.

Writes benchmarks/RESULTS.md (this run in full, and every earlier run's figures, kept in
benchmarks/results.jsonl, one line a run).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import api_requests
import scrapy
from scrapy.http import HtmlResponse

from tmvmirror.server import MirrorServer, crawl_command
from tmvmirror.site import ROOT as LIVE, build_site
from tmvspider import urls
from tmvspider.parsers import read_article
from tmvspider.processors import clean_text

PROJECT = Path(__file__).resolve().parents[1]
FAST = [
    "-s",
    "DOWNLOAD_DELAY=0",
    "-s",
    "AUTOTHROTTLE_ENABLED=False",
    "-s",
    "LOG_LEVEL=WARNING",
    "-s",
    "TMV_RETRY_BACKOFF=0.05",
]
NO_ARCHIVE = ["-s", "TMV_ARCHIVE_ENABLED=False"]
# Scrapy's engine alone: every optional downloader/spider middleware, extension and the stats off
BARE = [
    "-s",
    "DOWNLOADER_MIDDLEWARES_BASE={}",
    "-s",
    "SPIDER_MIDDLEWARES_BASE={}",
    "-s",
    "EXTENSIONS_BASE={}",
    "-s",
    "STATS_CLASS=scrapy.statscollectors.DummyStatsCollector",
]
LAYOUT_NAMES = ("legacy", "current", "amp")
TARGETS = {"floor_ratio": 1.3, "bench_ratio": 2.5, "known_ms": 1.0, "amp_ms": 1.5, "rss_2000": 150.0, "rss_growth": 1.5}


def run_measured(command: list[str], cwd: Path) -> tuple[float, float, float, str]:
    """Run *command*; return (wall s, user+sys CPU s, peak RSS MB, stderr) of that process alone."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        log = err.read().decode("utf-8", "replace")
    if process.returncode:
        sys.exit(f"bench: {command[:4]} failed ({process.returncode}):\n{log[-3000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, log


def crawl_once(site, out: Path, extra: list[str] = ()) -> dict:
    """One full ``scrapy crawl tmv`` of *site* on a fresh server (its 503-once paths fail again)."""
    with MirrorServer(site) as server:
        command = crawl_command(server.root, out, *FAST, *extra)
        wall, cpu, rss, _ = run_measured(command, PROJECT)
    stats = json.loads(next(Path(out, "tmv").glob("*.stats.json")).read_text())
    items = sum(1 for f in Path(out, "tmv").glob("*.jsonl") for _ in f.open())
    return {
        "exported": items,
        "requests": stats["downloader/request_count"],
        # pages that came (200): the crawl's own plan, less the mirror's redirects and 503s
        "pages": stats.get("downloader/response_status_count/200", stats["downloader/request_count"]),
        "articles_per_s": items / stats["elapsed_time_seconds"],
        "crawl_cpu_s": cpu,
        "crawl_wall_s": wall,
        "cpu_ms_per_article": 1000 * cpu / items,
        # the crawl's own peak (VmHWM since its exec); ru_maxrss would include the
        # mirror this process holds, counted in the child at fork time
        "peak_rss_mb": stats.get("tmv/peak_rss_mb", rss),
    }


def crawl_bench(n: int, seed: int, repeat: int, archive_line: bool) -> dict:
    """*repeat* runs on an n-article mirror, each: a full crawl, ``scrapy bench`` right after
    it, then the floor spiders (this machine's speed drifts within minutes, and other work
    shares its 2 cores: the figures of one run share their conditions, and the ratios are
    taken within a run). Returns medians of each figure over the runs, every run, and the
    highest peak RSS."""
    site = build_site(n, seed=seed)
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for number in range(repeat):
            run = crawl_once(site, Path(work, f"run{number}"))
            run["bench_pps"] = scrapy_bench()
            run["bench_ratio"] = run["articles_per_s"] / run["bench_pps"]
            run.update(floor_bench(site, Path(work)))
            run["floor_ratio"] = run["cpu_ms_per_article"] / run["floor_defaults"]
            run["floor_ratio_bare"] = run["cpu_ms_per_article"] / run["floor_bare"]
            run["extraction_ms"] = extraction_pass(site)
            add_bound(run, n)
            runs.append(run)
            print(f"  run {number + 1}: {headline_of(n, run)}", flush=True)
        no_archive = None
        if archive_line:  # for information: the crawl without its WARC archive, against a floor of its own
            no_archive = crawl_once(site, Path(work, "no-archive"), NO_ARCHIVE)
            no_archive.update(floor_bench(site, Path(work), only_defaults=True))
            no_archive["floor_ratio"] = no_archive["cpu_ms_per_article"] / no_archive["floor_defaults"]
            print(
                f"  archive off: floor ratio {no_archive['floor_ratio']:.2f}, "
                f"{no_archive['cpu_ms_per_article']:.2f} ms/article, {no_archive['articles_per_s']:.0f} articles/s",
                flush=True,
            )
    keys = (
        "floor_ratio",
        "bound_ratio",
        "bound_ms",
        "floor_ratio_bare",
        "bench_ratio",
        "articles_per_s",
        "bench_pps",
        "cpu_ms_per_article",
        "floor_defaults",
        "floor_bare",
        "startup_s",
        "requests",
        "exported",
    )
    return {
        "articles": n,
        "runs": runs,
        "no_archive": no_archive,
        **{key: statistics.median(r[key] for r in runs) for key in keys},
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "exported_all": [r["exported"] for r in runs],
    }


def add_bound(run: dict, n: int) -> None:
    """The least floor ratio a crawl with this run's plan could have: Scrapy's engine alone
    (the floor spider with every optional component off, this run) for the pages this crawl
    fetched per article (robots.txt, sitemaps, feed, home and monthly listings, articles;
    not the mirror's redirects and 503s), plus extraction alone (this run), over the floor
    with default components. It leaves out everything else a crawler of the site does
    (robots.txt rules, retries, compression, validation, dedup, export, state, archive)."""
    startup_ms = 1000 * run["startup_s"] / n  # floor_bare is per page of n, start-up included
    per_page = run["floor_bare"] - startup_ms
    run["bound_ms"] = (
        1000 * run["startup_s"] / run["exported"] + run["pages"] / run["exported"] * per_page + run["extraction_ms"]
    )
    run["bound_ratio"] = run["bound_ms"] / run["floor_defaults"]


def headline_of(n: int, c: dict) -> str:
    return (
        f"{n} articles: floor ratio {c['floor_ratio']:.2f}, least for its plan {c['bound_ratio']:.2f} "
        f"({c['cpu_ms_per_article']:.2f} ms/article "
        f"/ {c['floor_defaults']:.2f} ms/page) | {c['articles_per_s']:.0f} articles/s = "
        f"{c['bench_ratio']:.2f} × scrapy bench ({c['bench_pps']:.0f} pages/s) | peak RSS {c['peak_rss_mb']:.0f} MB"
    )


def floor_bench(site, work: Path, only_defaults: bool = False) -> dict:
    """CPU of a spider that fetches the site's article pages and does nothing
    (floor_spider.py), per page, start-up included, as the crawl's CPU per article is:
    with Scrapy's default components, and with none; and its start-up alone (no page)."""
    spider = PROJECT / "benchmarks" / "floor_spider.py"
    result = {}
    variants = (("floor_defaults", [], None), ("floor_bare", BARE, None), ("startup_s", BARE, 0))
    for key, settings, count in variants[:1] if only_defaults else variants:
        with MirrorServer(site) as server:
            pages = [item["url"].replace(LIVE, server.root) for item in site.expected][:count]
            listing = work / "floor-urls.txt"
            listing.write_text("".join(f"{url}\n" for url in pages), encoding="utf-8")
            # run outside the project: Scrapy's defaults, not tmvspider's settings
            _, cpu, _, _ = run_measured(
                [sys.executable, "-m", "scrapy", "runspider", str(spider), "-a", f"urls={listing}", *settings], work
            )
        result[key] = cpu if count == 0 else 1000 * cpu / len(pages)
    return result


def scrapy_bench() -> float:
    """pages/s of Scrapy's own benchmark spider on this machine, now."""
    with tempfile.TemporaryDirectory() as empty:  # outside the project: Scrapy's defaults
        _, _, _, log = run_measured([sys.executable, "-m", "scrapy", "bench", "-s", "LOG_LEVEL=INFO"], Path(empty))
    pages = int(re.search(r"'response_received_count': (\d+)", log).group(1))
    elapsed = float(re.search(r"'elapsed_time_seconds': ([\d.]+)", log).group(1))
    return pages / elapsed


# ---------------------------------------------------------------- extraction


def _fold(text):
    return clean_text(text) or None


def _same(field: str, ours, truth) -> bool:
    if field == "body":
        return _fold(ours) == _fold(truth)
    if field == "post_id":
        return (None if ours is None else str(ours)) == (None if truth is None else str(truth))
    return ours == truth


def accuracy_ours(item: dict, truth: dict) -> dict:
    """Every field of the truth (all but crawled_at), exact (the body's text folded)."""
    return {field: _same(field, item.get(field), truth[field]) for field in truth if field != "crawled_at"}


def accuracy_trafilatura(doc: dict, truth: dict) -> dict:
    tags = doc.get("tags") or []
    tags = [t.strip() for t in (tags.split(",") if isinstance(tags, str) else tags) if t.strip()]
    return {
        "title": _fold(doc.get("title")) == truth["title"],
        "author": _fold(doc.get("author")) == truth["author"],
        "published": (doc.get("date") or "")[:10] == truth["published_at"][:10],  # day only: all it gives
        "tags": tags == truth["tags"],
        "body": _fold(doc.get("text")) == _fold(truth["body"]),
        "interview": truth["interview"] is None,  # it has no notion of one: right only when there is none
    }


def _slug(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def fresh_responses(rows) -> list[HtmlResponse]:
    """Responses built afresh from (url, page, …) rows: a parsed selector is cached on its response."""
    return [
        HtmlResponse(row[0], body=row[1].body, headers={"Content-Type": f"text/html; charset={row[1].charset}"})
        for row in rows
    ]


def timed_pass(responses, hosts) -> tuple[float, list]:
    """CPU ms per page of ``read_article`` over *responses*, and what it read."""
    gc.collect()  # the last pass's trees are not this pass's garbage
    started = time.process_time()  # this process's CPU: other work on the machine counts less
    read = [read_article(r, hosts=hosts) for r in responses]
    return 1000 * (time.process_time() - started) / len(responses), read


def extraction_pass(site, pages: int = 2000, chunk: int = 500) -> float:
    """One pass of extraction over the first *pages* article pages of *site*, ms/page (for a
    run's bound), *chunk* fresh responses at a time: a crawl holds a few responses at once,
    and ten thousand held together would slow every garbage collection."""
    rows = [(item["url"], site.pages[item["url"].removeprefix(LIVE)]) for item in site.expected[:pages]]
    hosts = urls.hosts_of(LIVE)
    chunks = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
    return sum(timed_pass(fresh_responses(part), hosts)[0] * len(part) for part in chunks) / len(rows)


def extraction_bench(n: int, seed: int, passes: int, with_trafilatura: bool) -> dict:
    """``read_article`` on every article page of an n-article mirror, per layout (the mirror's
    truth): ms/page, the best of *passes* passes, each on responses built afresh (a parsed
    selector is cached on its response); which parser read the pages; field accuracy."""
    site = build_site(n, seed=seed)
    layout_of = site.truth["layouts"]
    hosts = urls.hosts_of(LIVE)
    pages = defaultdict(list)  # layout -> [(url, Page, truth)]
    for item in site.expected:
        pages[layout_of[_slug(item["url"])]].append((item["url"], site.pages[item["url"].removeprefix(LIVE)], item))

    result = {"pages": sum(map(len, pages.values())), "passes": passes, "layouts": {}}
    for layout in [name for name in LAYOUT_NAMES if name in pages] + sorted(set(pages) - set(LAYOUT_NAMES)):
        rows = pages[layout]
        times, read = [], None
        for _ in range(passes):
            read = None
            ms, read = timed_pass(fresh_responses(rows), hosts)
            times.append(ms)
        parsers = defaultdict(int)
        for parser, _ in read:
            parsers[parser.name if parser is not None else "none"] += 1
        accuracy = _mean(
            [
                accuracy_ours(dict(item) if item is not None else {}, truth)
                for (_, item), (_, _, truth) in zip(read, rows)
            ]
        )
        wrong = [
            (truth["url"], field)
            for (_, item), (_, _, truth) in zip(read, rows)
            for field, ok in accuracy_ours(dict(item) if item is not None else {}, truth).items()
            if not ok
        ]
        result["layouts"][layout] = {
            "pages": len(rows),
            "ms": min(times),
            "ms_passes": times,
            "parsers": dict(parsers),
            "accuracy": accuracy,
            "wrong": wrong[:5],
            "wrong_count": len(wrong),
        }
    if with_trafilatura:
        result["trafilatura"] = trafilatura_bench([row for rows in pages.values() for row in rows])
    return result


def trafilatura_bench(rows) -> dict | None:
    try:
        import trafilatura
    except ImportError:
        return None
    texts = [(url, page.body.decode(page.charset, "replace"), truth) for url, page, truth in rows]
    started = time.perf_counter()
    docs = [trafilatura.bare_extraction(t, url=url, with_metadata=True) for url, t, _ in texts]
    ms = 1000 * (time.perf_counter() - started) / len(texts)
    docs = [d.as_dict() if hasattr(d, "as_dict") else (d or {}) for d in docs]
    return {
        "ms": ms,
        "version": getattr(trafilatura, "__version__", "?"),
        "accuracy": _mean([accuracy_trafilatura(d, truth) for d, (_, _, truth) in zip(docs, texts)]),
    }


def _mean(rows: list[dict]) -> dict:
    return {k: 100 * sum(r[k] for r in rows) / len(rows) for k in rows[0]}


# ---------------------------------------------------------------- report


def _ok(value: float, limit: float, below: bool = True) -> str:
    return "✓" if (value <= limit if below else value >= limit) else "✗"


def headline(crawls: list[dict], extraction: dict) -> list[str]:
    """The lines `make bench` prints first: per size the floor ratio beside articles/s, the
    scrapy bench ratio and peak RSS, against issue #13's targets; then extraction per layout."""
    lines = []
    base_rss = next((c["peak_rss_mb"] for c in crawls if c["articles"] == 2000), None)
    for c in crawls:
        every = all(r["bench_ratio"] >= TARGETS["bench_ratio"] for r in c["runs"])
        rss_limit = (
            TARGETS["rss_2000"] if c["articles"] <= 2000 else TARGETS["rss_growth"] * (base_rss or TARGETS["rss_2000"])
        )
        lines.append(
            f"{headline_of(c['articles'], c)}  [targets: floor ≤ {TARGETS['floor_ratio']} "
            f"{_ok(c['floor_ratio'], TARGETS['floor_ratio'])}, bench ≥ {TARGETS['bench_ratio']} in every run "
            f"{'✓' if every else '✗'}, RSS ≤ {rss_limit:.0f} {_ok(c['peak_rss_mb'], rss_limit)}]"
        )
    for layout, e in extraction["layouts"].items():
        limit = TARGETS["amp_ms"] if layout == "amp" else TARGETS["known_ms"]
        exact = all(v == 100 for v in e["accuracy"].values())
        lines.append(
            f"extraction {layout}: {e['ms']:.2f} ms/page (target ≤ {limit} {_ok(e['ms'], limit)}), "
            f"{'every field exact' if exact else 'NOT exact: ' + str(e['wrong_count']) + ' fields wrong'}"
        )
    return lines


def report(crawls: list[dict], extraction: dict, history: list[dict], args, plans: list[dict]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"Scrapy {scrapy.__version__}; load average at the start {os.getloadavg()[0]:.2f}. "
        f"Run on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with `make bench`"
        + (f' (N="{" ".join(str(c["articles"]) for c in crawls)}")' if len(crawls) > 1 else "")
        + f", {len(crawls[0]['runs'])} run(s) per size.",
        "",
        "## Headline",
        "",
        "Floor ratio: the crawl's CPU per article (the whole `scrapy crawl tmv` process, start-up included, "
        "as shipped: WARC archive and progress on) over the CPU per page of `benchmarks/floor_spider.py` "
        "(Scrapy's default components, start-up included) on the same article pages, in the same run. "
        "Medians over the runs; peak RSS the highest. *Least for its plan*: the floor ratio of a crawl that "
        "would do nothing but Scrapy's engine alone (every optional component off) for the pages this crawl "
        "fetched per article, and extraction alone, both measured in the run (`add_bound`).",
        "",
        "```",
        *headline(crawls, extraction),
        *api_requests.headline(plans),
        "```",
        "",
        "| articles | floor ratio | least for its plan | crawl CPU ms/article | floor ms/page | articles/s "
        "| scrapy bench pages/s | bench ratio | bench ratio, worst run | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in crawls:
        lines.append(
            f"| {c['articles']} | **{c['floor_ratio']:.2f}** | {c['bound_ratio']:.2f} | "
            f"{c['cpu_ms_per_article']:.2f} | "
            f"{c['floor_defaults']:.2f} | {c['articles_per_s']:.0f} | {c['bench_pps']:.0f} | "
            f"{c['bench_ratio']:.2f} | {min(r['bench_ratio'] for r in c['runs']):.2f} | "
            f"{c['peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        f"Targets (issue #13): floor ratio ≤ {TARGETS['floor_ratio']}; bench ratio ≥ "
        f"{TARGETS['bench_ratio']} in every run; peak RSS ≤ {TARGETS['rss_2000']:.0f} MB at 2,000 "
        f"articles, ≤ {TARGETS['rss_growth']} × that at 10,000.",
    ]
    if any(c["no_archive"] for c in crawls):
        lines += [
            "",
            "For information, one crawl with the WARC archive off (`-s TMV_ARCHIVE_ENABLED=False`), "
            "against a floor spider run of its own:",
            "",
            "| articles | floor ratio | crawl CPU ms/article | floor ms/page | articles/s | peak RSS MB |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for c in crawls:
            if n := c["no_archive"]:
                lines.append(
                    f"| {c['articles']} | {n['floor_ratio']:.2f} | {n['cpu_ms_per_article']:.2f} | "
                    f"{n['floor_defaults']:.2f} | {n['articles_per_s']:.0f} | {n['peak_rss_mb']:.0f} |"
                )
    if any(len(set(c["exported_all"])) > 1 for c in crawls):
        lines += [
            "",
            "Runs exported different counts: "
            + "; ".join(f"{c['articles']}: {c['exported_all']}" for c in crawls)
            + ".",
        ]
    lines += [
        "",
        "## Every run of this bench, in run order",
        "",
        "Each run: a crawl, `scrapy bench`, then the floor spider with Scrapy's default components, with "
        "none (engine alone: every optional middleware, extension and the stats off) and on no page "
        "(start-up alone). The machine is shared (2 cores): read a run's figures together.",
        "",
        "| articles | run | floor ratio | least for its plan | engine-alone ratio | crawl CPU ms/article "
        "| floor ms/page "
        "| engine alone ms/page | engine-alone start-up s | articles/s | scrapy bench pages/s | bench ratio "
        "| requests | pages (200) | exported | extraction ms/page | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in crawls:
        for number, r in enumerate(c["runs"], 1):
            lines.append(
                f"| {c['articles']} | {number} | {r['floor_ratio']:.2f} | {r['bound_ratio']:.2f} | "
                f"{r['floor_ratio_bare']:.2f} | "
                f"{r['cpu_ms_per_article']:.2f} | {r['floor_defaults']:.2f} | {r['floor_bare']:.2f} | "
                f"{r['startup_s']:.2f} | {r['articles_per_s']:.0f} | {r['bench_pps']:.0f} | "
                f"{r['bench_ratio']:.2f} | {r['requests']} | {r['pages']} | {r['exported']} | "
                f"{r['extraction_ms']:.2f} | {r['peak_rss_mb']:.0f} |"
            )
    spread = [
        f"{c['articles']}: floor ratio {min(r['floor_ratio'] for r in c['runs']):.2f}–"
        f"{max(r['floor_ratio'] for r in c['runs']):.2f}, crawl CPU "
        f"{min(r['cpu_ms_per_article'] for r in c['runs']):.2f}–{max(r['cpu_ms_per_article'] for r in c['runs']):.2f}"
        f" ms/article, floor {min(r['floor_defaults'] for r in c['runs']):.2f}–"
        f"{max(r['floor_defaults'] for r in c['runs']):.2f} ms/page"
        for c in crawls
    ]
    lines += ["", "Spread over the runs (noise): " + "; ".join(spread) + "."]
    lines += [
        "",
        f"## Requests per article: the pages and the CMS's API ({plans[0]['articles']} articles)",
        "",
        "Scrapy's `downloader/request_count` of each crawl (robots.txt, redirects and retries included), "
        "a full walk, then a day on the same folders after the site gained one article and changed another; "
        "hours: the full walk's requests per article × 20,000 articles × `DOWNLOAD_DELAY` (the least "
        "AutoThrottle waits). API alone: every field but `related` (only the page shows it).",
        "",
        *api_requests.table(plans),
    ]
    e = extraction
    fields = list(next(iter(e["layouts"].values()))["accuracy"])
    lines += [
        "",
        f"## Extraction ({e['pages']} article pages of the mirror, by layout)",
        "",
        f"`tmvspider.parsers.read_article`, CPU ms/page: the best of {e['passes']} passes, each on responses "
        "built afresh (the HTML parse of `response.selector` included, as in the crawl). Accuracy: the share "
        "of pages whose field equals the mirror's truth exactly (the body's text folded).",
        "",
        "| layout | pages | read by | ms/page (best) | every pass | target | " + " | ".join(fields) + " |",
        "|---|---:|---|---:|---|---:|" + "---:|" * len(fields),
    ]
    for layout, x in e["layouts"].items():
        limit = TARGETS["amp_ms"] if layout == "amp" else TARGETS["known_ms"]
        lines.append(
            f"| {layout} | {x['pages']} | "
            + ", ".join(f"{k} {v}" for k, v in x["parsers"].items())
            + f" | **{x['ms']:.2f}** | "
            + ", ".join(f"{t:.2f}" for t in x["ms_passes"])
            + f" | ≤ {limit} | "
            + " | ".join(f"{x['accuracy'][k]:.0f} %" for k in fields)
            + " |"
        )
    for layout, x in e["layouts"].items():
        if x["wrong"]:
            lines += [
                "",
                f"{layout}: {x['wrong_count']} wrong fields, e.g. "
                + ", ".join(f"{field} of {url}" for url, field in x["wrong"])
                + ".",
            ]
    if t := e.get("trafilatura"):
        lines += [
            "",
            f"trafilatura {t['version']} `bare_extraction`, every page, for comparison: {t['ms']:.2f} "
            "ms/page; "
            + ", ".join(f"{k} {v:.0f} %" for k, v in t["accuracy"].items())
            + " (its date compared to the day only, its interview right when there is none).",
        ]
    lines += [
        "",
        "## Every bench run so far (benchmarks/results.jsonl)",
        "",
        "| date (UTC) | commit | articles | runs | floor ratio per run | crawl CPU ms/article per run "
        "| floor ms/page per run | bench ratio per run | peak RSS MB | extraction ms/page legacy, current, amp |",
        "|---|---|---:|---:|---|---|---|---|---:|---|",
    ]
    for h in history:
        ext = ", ".join(f"{h['extraction'][k]:.2f}" if k in h["extraction"] else "–" for k in LAYOUT_NAMES)
        for c in h["crawls"]:
            lines.append(
                f"| {h['date']} | {h['commit']} | {c['articles']} | {len(c['runs'])} | "
                + ", ".join(f"{r['floor_ratio']:.2f}" for r in c["runs"])
                + " | "
                + ", ".join(f"{r['cpu_ms_per_article']:.2f}" for r in c["runs"])
                + " | "
                + ", ".join(f"{r['floor_defaults']:.2f}" for r in c["runs"])
                + " | "
                + ", ".join(f"{r['bench_ratio']:.2f}" for r in c["runs"])
                + f" | {c['peak_rss_mb']:.0f} | {ext} |"
            )
    return "\n".join(lines) + "\n"


STORY = "# What the figures mean, and what was tried"  # RESULTS.md from here on is written by hand


def kept_story(output: Path) -> str:
    """The hand-written part of RESULTS.md (from STORY on), kept across runs."""
    if output.name != "RESULTS.md" or not output.exists():
        return ""
    text = output.read_text(encoding="utf-8")
    return "\n" + text[text.index(STORY) :] if STORY in text else ""


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "tmvspider"], cwd=PROJECT, capture_output=True, text=True
        ).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=None, help="sizes (default 2000; --quick 500)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--runs",
        "--repeat",
        dest="runs",
        type=int,
        default=None,
        help="runs per size, each a crawl, scrapy bench and the floor spiders (default 3)",
    )
    parser.add_argument("--passes", type=int, default=None, help="extraction passes, the best kept (default 5)")
    parser.add_argument("--no-archive-line", action="store_true", help="skip the extra crawl with the archive off")
    parser.add_argument("--trafilatura", action="store_true", help="time trafilatura on the same pages too")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="for development: 500 articles, 1 run, 2 passes, no archive-off line, "
        "written to RESULTS.quick.md and kept out of the history",
    )
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    quick = args.quick
    sizes = args.articles or ([500] if quick else [2000])
    runs = max(1, args.runs or (1 if quick else 3))
    passes = max(1, args.passes or (2 if quick else 5))
    output = Path(args.output or PROJECT / "benchmarks" / ("RESULTS.quick.md" if quick else "RESULTS.md"))
    history_file = PROJECT / "benchmarks" / "results.jsonl"
    crawls = []
    for n in sizes:
        print(f"{n} articles: {runs} run(s) of a crawl, scrapy bench and the floor spiders …", flush=True)
        crawls.append(crawl_bench(n, args.seed, runs, archive_line=not (quick or args.no_archive_line)))
    print("extraction …", flush=True)
    extraction = extraction_bench(min(sizes[0], 2000), args.seed, passes, args.trafilatura)
    print("requests per article, pages and API …", flush=True)
    plans = api_requests.request_plans(min(sizes[0], 2000), args.seed)
    record = {
        "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()),
        "commit": git_commit(),
        "crawls": crawls,
        "extraction": {k: v["ms"] for k, v in extraction["layouts"].items()},
        "extraction_accuracy": {k: v["accuracy"] for k, v in extraction["layouts"].items()},
        "requests": plans,
    }
    history = (
        [json.loads(line) for line in history_file.read_text().splitlines() if line.strip()]
        if history_file.exists()
        else []
    )
    if not quick:
        with history_file.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        history.append(record)
    text = report(crawls, extraction, history if not quick else [*history, record], args, plans)
    output.write_text(text + kept_story(output), encoding="utf-8")
    print("\n".join(["", *headline(crawls, extraction), *api_requests.headline(plans), "", f"(full report: {output})"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
