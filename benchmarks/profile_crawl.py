"""Where a crawl's CPU goes: py-spy samples of a full ``scrapy crawl tmv`` of an
N-article mirror (defaults, as shipped: WARC archive and progress on), and of the floor
spider on the same article pages, each sample charged to one component.

    .venv/bin/python benchmarks/profile_crawl.py --articles 2000 --out /tmp/prof
    .venv/bin/python benchmarks/profile_crawl.py --summarize /tmp/prof/crawl.txt  # again, no crawl

Needs py-spy (``pip install py-spy``). A sample's component is the first frame, from
the innermost outwards, that one of COMPONENTS' rules claims (so lxml and ``re`` called by
a parser count for the parser, the processors called by itemloaders for the loader);
what no rule claims is Scrapy/Twisted's own work ("engine"). Imports anywhere are
"start-up". Figures are ms of CPU per article: a component's share of the samples times
the process's user+sys CPU over the articles exported.
"""

from __future__ import annotations

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "benchmarks"))

# (component, substrings of a py-spy frame "function (file:line)"), the first match from the leaf wins
COMPONENTS: list[tuple[str, tuple[str, ...]]] = [
    (
        "start-up (imports, settings, components built)",
        (
            "_find_and_load",
            "_call_with_frames_removed",
            "fastjsonschema/generator",
            "fastjsonschema/draft",
            "compile (fastjsonschema",
            "load_object",
        ),
    ),
    (
        "validation (fastjsonschema + ValidationPipeline)",
        ("fastjsonschema", "validate_", "ValidationPipeline", "schema_failure", "pipelines.py:process_item ("),
    ),
    ("loader (itemloaders + processors)", ("itemloaders/", "loaders.py", "scrapy/loader/", "itemadapter/")),
    ("state (SQLite, state.py, keeper.py)", ("tmvspider/state.py", "tmvspider/keeper.py", "sqlite3")),
    ("dedup (DedupPipeline)", ("DedupPipeline", "pipelines.py")),
    ("WARC archive (archive.py, warcio)", ("tmvspider/archive.py", "warcio/")),
    ("progress (progress.py)", ("tmvspider/progress.py",)),
    ("coverage / run report / extensions.py", ("tmvspider/coverage.py", "tmvspider/extensions.py")),
    (
        "feed export (exporters, feedstorage)",
        ("scrapy/exporters.py", "scrapy/extensions/feedexport.py", "tmvspider/feedstorage.py", "json/encoder.py"),
    ),
    ("parser (tmvspider/parsers)", ("tmvspider/parsers/",)),
    (
        "spider discovery (spiders/, discovery/, urls.py)",
        ("tmvspider/spiders/", "tmvspider/discovery/", "tmvspider/urls.py", "sitemap.py"),
    ),
    ("our middlewares (middlewares.py)", ("tmvspider/middlewares.py",)),
    ("HTML parse for response.selector (parsel/lxml)", ("parsel/",)),
    ("stats (statscollectors)", ("statscollectors.py",)),
    ("logging", ("logging/", "scrapy/utils/log.py", "logformatter.py")),
    ("robots.txt (protego)", ("protego", "robotstxt.py")),
    ("Scrapy downloader middlewares", ("scrapy/downloadermiddlewares/",)),
    ("Scrapy spider middlewares", ("scrapy/spidermiddlewares/",)),
    ("Scrapy extensions (memusage, logstats, corestats …)", ("scrapy/extensions/",)),
    (
        "HTTP client (Twisted web, scrapy/core/downloader/handlers)",
        (
            "core/downloader/handlers",
            "twisted/web/",
            "scrapy/core/http2",
            "twisted/internet/tcp.py",
            "twisted/protocols/",
        ),
    ),
    (
        "Scrapy engine, scheduler, signals, Request/Response objects",
        ("scrapy/", "twisted/", "asyncio/", "pydispatch", "w3lib/", "parsel"),
    ),
]
OTHER = "other (interpreter, GC, unattributed)"


def component(stack: list[str]) -> str:
    if any(rule in frame for frame in stack for rule in COMPONENTS[0][1]):
        return COMPONENTS[0][0]
    for frame in reversed(stack):  # leaf last in py-spy's raw format
        for name, rules in COMPONENTS[1:]:
            if any(rule in frame for rule in rules):
                return name
    return OTHER


def summarize(raw: Path) -> collections.Counter:
    """Samples per component from py-spy's raw (collapsed) output: ``frame;frame;… count``."""
    counts: collections.Counter = collections.Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not stack or not n.isdigit():
            continue
        frames = stack.split(";")
        if frames and frames[0].startswith("process "):  # --subprocesses prefix
            frames = frames[1:]
        counts[component(frames)] += int(n)
    return counts


def top_functions(raw: Path, count: int = 40) -> list[tuple[str, int]]:
    """Self samples by leaf frame, and inclusive by our own functions."""
    own: collections.Counter = collections.Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if not n.isdigit():
            continue
        seen = set()
        for frame in stack.split(";"):
            if (
                "tmvspider/" in frame
                or "itemloaders" in frame
                or "fastjsonschema" in frame
                or "feedexport" in frame
                or "exporters" in frame
            ) and frame not in seen:
                seen.add(frame)
                own[frame.split(" (")[0] + " (" + frame.split(" (")[-1].rsplit(":", 1)[0] + ")"] += int(n)
    return own.most_common(count)


def profiled(command: list[str], out: Path, cwd: Path, rate: int) -> tuple[float, float]:
    """Run *command* under py-spy; return (its user+sys CPU s from py-spy's child, wall s)."""
    spy = Path(sys.executable).with_name("py-spy")
    started = time.perf_counter()
    wrapper = [
        str(spy),
        "record",
        "--subprocesses",
        "--rate",
        str(rate),
        "--format",
        "raw",
        "--nonblocking",
        "-o",
        str(out),
        "--",
        sys.executable,
        str(PROJECT / "benchmarks" / "_cpu_of.py"),
        str(out) + ".cpu",
        *command,
    ]
    subprocess.run(wrapper, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return float(Path(str(out) + ".cpu").read_text()), time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--out", default=None, help="folder for crawl.txt, floor.txt (default: a temporary one)")
    parser.add_argument("--summarize", nargs="*", help="only summarize these raw files (CPU s in FILE.cpu)")
    args = parser.parse_args()
    if args.summarize:
        for raw in map(Path, args.summarize):
            print_summary(raw, float(Path(str(raw) + ".cpu").read_text()), None)
        return 0
    from bench import FAST, LIVE

    from tmvmirror import MirrorServer, build_site

    site = build_site(args.articles, seed=args.seed)
    out = Path(args.out or tempfile.mkdtemp(prefix="tmv-profile-"))
    out.mkdir(parents=True, exist_ok=True)
    with MirrorServer(site) as server:
        feeds = out / "crawl-output"
        cpu, wall = profiled(
            ["-m", "scrapy", "crawl", "tmv", "-a", f"base_url={server.root}", "-s", f"TMV_OUTPUT_DIR={feeds}", *FAST],
            out / "crawl.txt",
            PROJECT,
            args.rate,
        )
    items = sum(1 for f in Path(feeds, "tmv").glob("*.jsonl") for _ in f.open())
    print_summary(out / "crawl.txt", cpu, items, wall)
    with MirrorServer(site) as server:
        listing = out / "floor-urls.txt"
        listing.write_text("".join(f"{i['url'].replace(LIVE, server.root)}\n" for i in site.expected), encoding="utf-8")
        cpu, wall = profiled(
            ["-m", "scrapy", "runspider", str(PROJECT / "benchmarks" / "floor_spider.py"), "-a", f"urls={listing}"],
            out / "floor.txt",
            out,
            args.rate,
        )
    print_summary(out / "floor.txt", cpu, len(site.expected), wall)
    return 0


def print_summary(raw: Path, cpu: float, items: int | None, wall: float | None = None) -> None:
    counts = summarize(raw)
    total = sum(counts.values())
    items = (
        items or int(json.loads(Path(str(raw) + ".meta").read_text())["items"])
        if Path(str(raw) + ".meta").exists()
        else items
    )
    if items:
        Path(str(raw) + ".meta").write_text(json.dumps({"items": items, "cpu": cpu}))
    per = 1000 * cpu / items if items else float("nan")
    print(
        f"\n{raw}: {total} samples, CPU {cpu:.2f} s"
        + (f" (wall {wall:.1f} s)" if wall else "")
        + f", {items} articles: {per:.2f} ms/article"
    )
    print(f"{'component':<62} {'share':>6} {'ms/article':>10}")
    for name, n in counts.most_common():
        print(f"{name:<62} {100 * n / total:5.1f}% {per * n / total:10.3f}")
    print("\ninclusive samples of our and per-item library functions (ms/article):")
    for name, n in top_functions(raw, 35):
        print(f"  {per * n / total:7.3f}  {name}")


if __name__ == "__main__":
    sys.exit(main())
