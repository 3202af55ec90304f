"""``make bench``: how fast and how right tmvspider is, measured on this machine in one run.

1. Crawl: a mirror of N articles (default 2,000) on loopback, a full ``scrapy crawl
   tmv`` with politeness delays off; articles/s, requests, CPU ms per article
   (user+sys of the crawl process), peak RSS; ``scrapy bench`` pages/s in the same
   run, for the ratio; and the floor: the CPU of a Scrapy spider that fetches the same
   article pages and does nothing (floor_spider.py), with Scrapy's default components,
   with none, and its start-up alone. Three runs per size (--repeat), medians reported.
2. Extraction: the project's ``parse_article`` on every article page of the mirror,
   ms/page, beside ``trafilatura.bare_extraction(..., with_metadata=True)``, and the
   field accuracy of both against the mirror's truth.

Writes benchmarks/RESULTS.md. Targets (2 cores): articles/s ≥ 2 × scrapy bench
pages/s; crawl CPU per article ≤ 1/5 of trafilatura's time per page; peak RSS
≤ 150 MB at 2,000 articles.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import scrapy
from scrapy.http import HtmlResponse

from tmvspider.mirror.server import MirrorServer
from tmvspider.mirror.site import ROOT as LIVE, build_site
from tmvspider import urls
from tmvspider.parsers import parse_article
from tmvspider.processors import clean_text

PROJECT = Path(__file__).resolve().parents[1]
FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "LOG_LEVEL=WARNING",
        "-s", "TMV_RETRY_BACKOFF=0.05"]
# Scrapy's engine alone: every optional downloader/spider middleware, extension and the stats off
BARE = ["-s", "DOWNLOADER_MIDDLEWARES_BASE={}", "-s", "SPIDER_MIDDLEWARES_BASE={}", "-s", "EXTENSIONS_BASE={}",
        "-s", "STATS_CLASS=scrapy.statscollectors.DummyStatsCollector"]


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


def crawl_bench(n: int, seed: int, repeat: int) -> dict:
    """*repeat* runs on an n-article mirror, each: a full crawl, ``scrapy bench`` right after
    it (this machine's speed drifts within minutes: a pair shares its conditions), then the
    floor spiders. Every crawl meets a fresh server, whose 503-once paths fail again.
    Returns the run with the median ratio, with the median CPU figures and the highest peak."""
    site = build_site(n, seed=seed)
    runs = []
    with tempfile.TemporaryDirectory() as work:
        for number in range(repeat):
            out = Path(work, f"run{number}")
            with MirrorServer(site) as server:
                command = [sys.executable, "-m", "scrapy", "crawl", "tmv", "-a", f"base_url={server.root}",
                           "-s", f"TMV_OUTPUT_DIR={out}", *FAST]
                _, cpu, rss, _ = run_measured(command, PROJECT)
            stats = json.loads(next(Path(out, "tmv").glob("*.stats.json")).read_text())
            items = sum(1 for f in Path(out, "tmv").glob("*.jsonl") for _ in f.open())
            pps = scrapy_bench()
            elapsed = stats["elapsed_time_seconds"]
            runs.append({"exported": items, "requests": stats["downloader/request_count"],
                         "articles_per_s": items / elapsed, "bench_pps": pps, "ratio": items / elapsed / pps,
                         "cpu_ms_per_article": 1000 * cpu / items,
                         # the crawl's own peak (VmHWM since its exec); ru_maxrss would include the
                         # mirror this process holds, counted in the child at fork time
                         "peak_rss_mb": stats.get("tmv/peak_rss_mb", rss),
                         **floor_bench(site, Path(work))})
            print(json.dumps(runs[-1]), flush=True)
    median = sorted(runs, key=lambda r: r["ratio"])[len(runs) // 2]
    return {**median, "articles": n, "runs": runs, "exported_all": [r["exported"] for r in runs],
            "ratios": [r["ratio"] for r in runs], "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
            **{key: statistics.median(r[key] for r in runs)
               for key in ("cpu_ms_per_article", "floor_defaults", "floor_bare", "startup_s")}}


def floor_bench(site, work: Path) -> dict:
    """CPU of a spider that fetches the site's article pages and does nothing
    (floor_spider.py), per page, start-up included, as the crawl's CPU per article is:
    with Scrapy's default components, and with none; and its start-up alone (no page)."""
    spider = PROJECT / "benchmarks" / "floor_spider.py"
    result = {}
    for key, settings, count in (("floor_defaults", [], None), ("floor_bare", BARE, None), ("startup_s", BARE, 0)):
        with MirrorServer(site) as server:
            pages = [item["url"].replace(LIVE, server.root) for item in site.expected][:count]
            listing = work / "floor-urls.txt"
            listing.write_text("".join(f"{url}\n" for url in pages), encoding="utf-8")
            # run outside the project: Scrapy's defaults, not tmvspider's settings
            _, cpu, _, _ = run_measured([sys.executable, "-m", "scrapy", "runspider", str(spider),
                                         "-a", f"urls={listing}", *settings], work)
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


def accuracy_ours(item: dict, truth: dict) -> dict:
    return {
        "title": item["title"] == truth["title"],
        "author": item["author"] == truth["author"],
        "published": item["published_at"] == truth["published_at"],
        "tags": item["tags"] == truth["tags"],
        "body": _fold(item["body"]) == _fold(truth["body"]),
        "interview": item["interview"] == truth["interview"],
    }


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


def extraction_bench(n: int, seed: int) -> dict:
    site = build_site(n, seed=seed)
    truth = {item["url"]: item for item in site.expected}
    pages = []
    for url in truth:
        page = site.pages[url.removeprefix(LIVE)]
        pages.append((url, page))
    responses = [HtmlResponse(url, body=page.body, headers={"Content-Type": f"text/html; charset={page.charset}"})
                 for url, page in pages]
    started = time.perf_counter()
    ours = [parse_article(r, hosts=urls.hosts_of(LIVE)) for r in responses]
    ours_ms = 1000 * (time.perf_counter() - started) / len(responses)
    result = {"pages": len(responses), "ours_ms": ours_ms,
              "ours_acc": _mean([accuracy_ours(dict(i), truth[r.url]) for i, r in zip(ours, responses)])}
    try:
        import trafilatura
    except ImportError:
        result["trafilatura_ms"] = None
        return result
    texts = [r.text for r in responses]
    started = time.perf_counter()
    docs = [trafilatura.bare_extraction(t, url=r.url, with_metadata=True) for t, r in zip(texts, responses)]
    result["trafilatura_ms"] = 1000 * (time.perf_counter() - started) / len(responses)
    docs = [d.as_dict() if hasattr(d, "as_dict") else (d or {}) for d in docs]
    result["trafilatura_acc"] = _mean([accuracy_trafilatura(d, truth[r.url]) for d, r in zip(docs, responses)])
    result["trafilatura_version"] = trafilatura.__version__ if hasattr(trafilatura, "__version__") else "?"
    return result


def _mean(rows: list[dict]) -> dict:
    return {k: 100 * sum(r[k] for r in rows) / len(rows) for k in rows[0]}


# ---------------------------------------------------------------- report


def report(crawls: list[dict], extraction: dict) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"Scrapy {scrapy.__version__}. Run on {time.strftime('%Y-%m-%d')} with `make bench`"
        + (f" (N=\"{' '.join(str(c['articles']) for c in crawls)}\")." if crawls else "."),
        "",
        "## Crawl (mirror on loopback, politeness delays off)",
        "",
        "| articles | exported | requests | articles/s | scrapy bench pages/s | ratio | CPU ms/article | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for c in crawls:
        lines.append(f"| {c['articles']} | {c['exported']} | {c['requests']} | {c['articles_per_s']:.0f} | "
                     f"{c['bench_pps']:.0f} | {c['ratio']:.2f} | {c['cpu_ms_per_article']:.2f} | "
                     f"{c['peak_rss_mb']:.0f} |")
    lines += ["", f"Each row: {len(crawls[0]['ratios'])} run(s), each a crawl followed by a `scrapy bench` run; "
                  "the run with the median ratio, the median CPU and the highest peak. Ratios, in run order: "
                  + "; ".join(f"{c['articles']}: " + ", ".join(f"{r:.2f}" for r in c["ratios"]) for c in crawls)
                  + "."]
    if any(len(set(c["exported_all"])) > 1 for c in crawls):
        lines += ["", "Runs exported different counts: "
                  + "; ".join(f"{c['articles']}: {c['exported_all']}" for c in crawls) + "."]
    lines += ["", "## What Scrapy itself costs here (the same article pages, a spider that does nothing)", "",
              "CPU of the whole process over pages, start-up included, as the crawl's CPU per article is "
              "(benchmarks/floor_spider.py; medians of the runs).", "",
              "| articles | engine alone: ms/page | Scrapy's default components: ms/page "
              "| start-up alone: s | tmvspider: ms/article |",
              "|---:|---:|---:|---:|---:|"]
    for c in crawls:
        lines.append(f"| {c['articles']} | {c['floor_bare']:.2f} | {c['floor_defaults']:.2f} | "
                     f"{c['startup_s']:.2f} | {c['cpu_ms_per_article']:.2f} |")
    lines += ["", "Every run, in run order (the machine's speed drifts between runs: read a run's figures together):", "",
              "| articles | run | articles/s | scrapy bench pages/s | ratio | CPU ms/article | engine alone ms/page "
              "| default components ms/page | start-up s |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for c in crawls:
        for number, r in enumerate(c["runs"], 1):
            lines.append(f"| {c['articles']} | {number} | {r['articles_per_s']:.0f} | {r['bench_pps']:.0f} | "
                         f"{r['ratio']:.2f} | {r['cpu_ms_per_article']:.2f} | {r['floor_bare']:.2f} | "
                         f"{r['floor_defaults']:.2f} | {r['startup_s']:.2f} |")
    lines += ["", "## Extraction (every article page of the mirror)", "",
              "| extractor | ms/page | title | author | published | tags | body | interview |",
              "|---|---:|---:|---:|---:|---:|---:|---:|"]
    acc = extraction["ours_acc"]
    lines.append(f"| tmvspider `parse_article` | {extraction['ours_ms']:.2f} | "
                 + " | ".join(f"{acc[k]:.0f} %" for k in acc) + " |")
    if extraction.get("trafilatura_ms"):
        acc = extraction["trafilatura_acc"]
        lines.append(f"| trafilatura {extraction['trafilatura_version']} `bare_extraction` | "
                     f"{extraction['trafilatura_ms']:.2f} | " + " | ".join(f"{acc[k]:.0f} %" for k in acc) + " |")
        ratio = extraction["trafilatura_ms"] / crawls[0]["cpu_ms_per_article"]
        target = extraction["trafilatura_ms"] / 5
        lines += ["", f"Crawl CPU per article is 1/{ratio:.1f} of trafilatura's extraction time per page "
                      f"(target: at most 1/5, {target:.2f} ms)."]
    lines += ["", "Accuracy: share of articles whose field equals the mirror's truth exactly (text folded); "
                  "trafilatura's date is compared to the day only, its interview counted right when there is none."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[2000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="paired crawl + scrapy bench runs per size")
    parser.add_argument("--output", default=str(PROJECT / "benchmarks" / "RESULTS.md"))
    args = parser.parse_args()
    crawls = []
    for n in args.articles:
        print(f"{n} articles: {args.repeat} run(s) of a crawl, scrapy bench and the floor spiders …", flush=True)
        crawls.append(crawl_bench(n, args.seed, max(1, args.repeat)))
    print("extraction …", flush=True)
    extraction = extraction_bench(min(args.articles[0], 1000), args.seed)
    text = report(crawls, extraction)
    Path(args.output).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
