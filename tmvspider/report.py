"""``tmvspider report``: one self-contained HTML page from the crawl's own records.

    tmvspider report [--output-dir DIR] [-o FILE]        (default DIR/report.html)

It reads the state (``<output>/state/state.sqlite3``: articles, pending pages), every
run's stats (``<output>/tmv/*.stats.json``) and the feeds (``<output>/tmv/*.jsonl``)
(report_records.py), and draws with matplotlib to inline SVG (text as paths: no font, script or stylesheet to
fetch, the page reads the same offline anywhere). Charts: articles per month of
publication; new / updated / unchanged per run; failures by reason per run; field
coverage per run with the alarm thresholds; then the pages still pending, the last
run's summary and verdict, and the ten newest articles.
"""

from __future__ import annotations

import html
import io
import re
import sys
from collections import Counter
from datetime import UTC
from pathlib import Path

from . import statkeys
from .feedstorage import replaced
from .outcome import alarms, failure, summary
from .processors import now as clock
from .report_records import latest_versions, load_feeds, load_runs, load_state, parse_moment, run_coverage, started
from .runs import folders, project_settings
from .state import state_dir

# The alarm thresholds (percent of a run's items with the field non-empty) when the
# project's settings define none (TMV_COVERAGE_MIN): the one place this default lives.
COVERAGE_MIN_DEFAULT = {
    "url": 99,
    "title": 99,
    "published_at": 99,
    "body": 99,
    "author": 50,
    "tags": 50,
    "categories": 50,
}
LAST_RUNS = 30  # runs shown in the per-run charts
NEWEST = 10


def coverage_thresholds(settings) -> dict[str, float]:
    configured = settings.getdict("TMV_COVERAGE_MIN") if settings.get("TMV_COVERAGE_MIN") else {}
    return {k: float(v) for k, v in (configured or COVERAGE_MIN_DEFAULT).items()}


# ---------------------------------------------------------------- charts


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg") :]  # no XML declaration or DOCTYPE inside HTML
    return re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)  # its RDF names matplotlib.org


def _figure(width=9.0, height=3.2):
    import matplotlib

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "path",
            "svg.hashsalt": "tmvspider",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    figure = Figure(figsize=(width, height))
    return figure, figure.add_subplot()


def _empty(axes, message: str) -> None:
    axes.text(0.5, 0.5, message, ha="center", va="center", transform=axes.transAxes, color="#666")
    axes.set_xticks([])
    axes.set_yticks([])


def _counts(axes, noun: str) -> None:
    """A y axis of whole numbers (no half-article ticks)."""
    from matplotlib.ticker import MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel(noun)


def run_labels(runs: list[dict]) -> list[str]:
    """Each run's start, to the second (runs a minute apart are common); (2), (3)… for runs
    started within the same second, (re) for a re-extraction."""
    seen: Counter[str] = Counter()
    labels = []
    for stats in runs:
        start = started(stats).strftime("%m-%d %H:%M:%S")
        seen[start] += 1
        labels.append(
            start
            + (f" ({seen[start]})" if seen[start] > 1 else "")
            + (" (re)" if stats.get(statkeys.REEXTRACT_PAGES) is not None else "")
        )
    return labels


def chart_months(published: list[str]) -> str:
    figure, axes = _figure()
    months = Counter(p[:7] for p in published if re.match(r"\d{4}-\d\d", p))
    if months:
        first, last = min(months), max(months)
        keys, (year, month) = [], map(int, first.split("-"))
        while f"{year:04d}-{month:02d}" <= last:
            keys.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        axes.bar(range(len(keys)), [months.get(k, 0) for k in keys], color="#3b6ea5")
        step = max(1, len(keys) // 24)
        axes.set_xticks(range(0, len(keys), step), keys[::step], rotation=60, ha="right")
        _counts(axes, "articles")
    else:
        _empty(axes, "no article exported yet")
    axes.set_title("Articles per month of publication")
    return _svg(figure)


def _stacked(axes, labels, series: dict[str, list[float]], colors=None) -> None:
    bottom = [0.0] * len(labels)
    for index, (name, values) in enumerate(series.items()):
        color = (colors or {}).get(name, f"C{index}")
        axes.bar(range(len(labels)), values, bottom=bottom, label=name, color=color)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)


def chart_versions(runs: list[dict]) -> str:
    figure, axes = _figure()
    if runs:
        series = {
            name: [r.get(key, 0) for r in runs]
            for name, key in (("new", statkeys.NEW), ("updated", statkeys.UPDATED), ("unchanged", statkeys.UNCHANGED))
        }
        _stacked(axes, run_labels(runs), series, {"new": "#2e8540", "updated": "#f0a30a", "unchanged": "#b0b7c0"})
        _counts(axes, "articles")
    else:
        _empty(axes, "no run yet")
    axes.set_title(f"New, updated and unchanged articles per run (last {LAST_RUNS} runs)")
    return _svg(figure)


def chart_failures(runs: list[dict]) -> str:
    figure, axes = _figure()
    reasons = sorted({reason for r in runs for reason in statkeys.family(r, statkeys.FAILED)})
    if runs and reasons:
        _stacked(
            axes, run_labels(runs), {x: [r.get(statkeys.key(statkeys.FAILED, x), 0) for r in runs] for x in reasons}
        )
        _counts(axes, "pages")
    else:
        _empty(axes, "no failure in these runs" if runs else "no run yet")
    axes.set_title("Failures by reason per run")
    return _svg(figure)


def chart_coverage(runs: list[dict], coverage: list[dict[str, float]], thresholds: dict[str, float]) -> str:
    figure, axes = _figure(9.0, 3.8)
    fields = list(thresholds) + sorted({f for c in coverage for f in c} - set(thresholds))
    labels = run_labels(runs)
    drawn = False
    for index, name in enumerate(fields):
        points = [(i, c[name]) for i, c in enumerate(coverage) if name in c]
        if not points:
            continue
        color = f"C{index % 10}"
        axes.plot([p[0] for p in points], [p[1] for p in points], marker="o", markersize=3, label=name, color=color)
        if name in thresholds:
            axes.axhline(thresholds[name], color=color, linestyle="--", linewidth=0.8, alpha=0.8)
        drawn = True
    if drawn:
        axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
        axes.set_ylim(0, 102)
        axes.set_ylabel("% of the run's items")
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, title="dashed: alarm below")
    else:
        _empty(axes, "no run exported any item yet")
    axes.set_title("Field coverage per run, with the alarm thresholds")
    return _svg(figure)


# ---------------------------------------------------------------- page

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1b1f24;line-height:1.4}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
figure.chart{margin:1rem 0}figure.chart svg{max-width:100%;height:auto;display:block}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.25rem .5rem;
border-bottom:1px solid #eee;vertical-align:top}th{background:#f6f8fa}.ok{color:#2e8540}.bad{color:#b00020}
.muted{color:#666}code{font-size:.85rem}
"""


def _table(headers: list[str] | None, rows: list[list[str]], css: str = "") -> str:
    """*headers* None: a table of names and values, with no empty header row."""
    head = "<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in headers) + "</tr></thead>" if headers else ""
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="{css}">{head}<tbody>{body}</tbody></table>'


def _moment(value) -> str:
    moment = parse_moment(value)
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if moment else "?"


def verdict(stats: dict) -> str:
    """The run's verdict as its exit code tells it (outcome.exit_code: a failure first, then
    alarms), in a coloured line."""
    if reason := failure(stats):
        return f"<span class='bad'>FAILED: {html.escape(reason)}</span>"
    if alarm := alarms(stats):
        return f"<span class='bad'>ALARM: {html.escape(alarm)}</span>"
    return "<span class='ok'>ok</span>"


def _duration(seconds) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(float(seconds)))
    hours, rest = divmod(seconds, 3600)
    return (f"{hours} h " if hours else "") + f"{rest // 60} min {rest % 60} s"


def sources(run: dict) -> list[str]:
    """The last run's discovery (the API, or the pages and why) and the fields on which two sources
    disagreed (the API and the page, structured data and the byline), with a few examples."""
    e = html.escape
    if run.get(statkeys.API_USED):
        said = f"through the CMS's API ({run[statkeys.API_USED]})"
    elif run.get(statkeys.API_CLOSED):
        said = f"through the pages: no API ({run[statkeys.API_CLOSED]})"
    else:
        said = "through the pages"
    parts = ["<h2>Sources</h2>", f"<p>Discovery {e(said)}.</p>"]
    disagree = statkeys.family(run, statkeys.DISAGREE)
    if not disagree:
        return [*parts, "<p>No field on which two sources disagreed.</p>"]
    rows = [
        [
            e(field),
            str(count),
            "<br>".join(e(str(line)) for line in run.get(statkeys.key(statkeys.DISAGREE_SAMPLES, field), [])),
        ]
        for field, count in sorted(disagree.items())
    ]
    return [*parts, _table(["field", "articles whose sources disagree", "for example"], rows, "disagree")]


def build(output: Path, settings=None) -> str:
    output = Path(output)
    runs_all = load_runs(output / "tmv")
    runs = runs_all[-LAST_RUNS:]
    feeds = load_feeds(output / "tmv")
    if settings is None:
        settings = project_settings()
        folders(settings, output)
    published, pending = load_state(state_dir(settings) / "state.sqlite3")
    thresholds = coverage_thresholds(settings)
    coverage = [run_coverage(r, feeds, list(thresholds)) for r in runs]
    charts = [
        ("months", chart_months(published)),
        ("versions", chart_versions(runs)),
        ("failures", chart_failures(runs)),
        ("coverage", chart_coverage(runs, coverage, thresholds)),
    ]
    figure = {name: f'<figure class="chart" id="chart-{name}">{svg}</figure>' for name, svg in charts}

    e = html.escape
    parts = [
        f"<h1>tmvspider: crawl report</h1><p class='muted'>{e(str(output.resolve()))}, written "
        f"{clock():%Y-%m-%d %H:%M} UTC: {len(published)} articles in the state, "
        f"{len(runs_all)} run(s) on record, {len(pending)} page(s) pending.</p>"
    ]
    parts.append("<h2>Last run</h2>")
    if runs_all:
        last = runs_all[-1]
        rows = [
            ["started", _moment(last.get("start_time"))],
            ["finished", _moment(last.get("finish_time"))],
            ["duration", _duration(last.get("elapsed_time_seconds"))],
            ["requests", str(last.get("downloader/request_count", 0))],
            ["verdict", verdict(last)],
            ["summary", e(summary(last))],
        ]
        parts.append(_table(None, rows, "summary"))
    else:
        parts.append("<p>No run on record yet.</p>")
    parts += ["<h2>Articles</h2>", figure["months"], figure["versions"], "<h2>Failures</h2>", figure["failures"]]
    parts.append(f"<h3>Pages still pending ({len(pending)})</h3>")
    if pending:
        by_reason = Counter(reason for _, _, reason, _ in pending)
        parts.append("<p>" + e(", ".join(f"{r} {n}" for r, n in sorted(by_reason.items()))) + "</p>")
        parts.append(
            _table(
                ["page", "kind", "reason", "failed at"],
                [[f"<code>{e(u)}</code>", e(k), e(r), e(t)] for u, k, r, t in pending[:50]],
                "pending",
            )
        )
    else:
        parts.append("<p>None: every page the runs could not fetch has come since.</p>")
    if runs_all:
        parts += sources(runs_all[-1])
    parts += ["<h2>Field coverage</h2>", figure["coverage"]]
    recent = [(label, c, run) for label, c, run in zip(run_labels(runs), coverage, runs) if c][-5:]
    if recent:
        shown = {f for _, c, _ in recent for f in c}  # a field no run measured would be a row of dashes
        fields = [f for f in thresholds if f in shown] + sorted(shown - set(thresholds))

        def cell(c, f, run):
            if f not in c:
                return "<span class='muted'>–</span>"
            low = f in thresholds and c[f] < thresholds[f] or f in statkeys.family(run, statkeys.ALARM)
            history = statkeys.family(run, statkeys.ALARM_HISTORY).get(f)  # what an alarm held the run to
            told = (
                f" against {history:.1f} % over the last {run.get(statkeys.HISTORY_ARTICLES)}"
                if history is not None
                else ""
            )
            return f"<span class='{'bad' if low else 'ok'}'>{c[f]:.1f} %{' ALARM' if low else ''}{told}</span>"

        rows = [
            [e(f), f"{thresholds[f]:g} %" if f in thresholds else "–", *(cell(c, f, run) for _, c, run in recent)]
            for f in fields
        ]
        parts.append(_table(["field", "alarm below", *(label for label, _, _ in recent)], rows, "coverage"))
    newest = sorted(latest_versions(feeds), key=lambda i: (str(i.get("published_at") or ""), i["url"]), reverse=True)
    parts.append(f"<h2>The {NEWEST} newest articles</h2>")
    rows = [
        [
            f'<a href="{e(i["url"])}">{e(i.get("title") or i["url"])}</a>',
            e(str(i.get("published_at") or "")),
            e(i.get("author") or ""),
            e(", ".join(i.get("tags") or [])),
        ]
        for i in newest[:NEWEST]
    ]
    parts.append(_table(["title", "published", "author", "tags"], rows, "newest") if rows else "<p>None yet.</p>")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>tmvspider report</title><style>{_CSS}</style></head><body>\n" + "\n".join(parts) + "\n</body></html>\n"
    )


def write(output: Path, target: Path, settings=None) -> Path:
    """Write the report to *target* (as ``.part``, then renamed: never half a page)."""
    page = build(output, settings)
    target = Path(target)
    with replaced(target) as part:
        part.write_text(page, encoding="utf-8")
    return target


def add_command(commands) -> None:
    cmd = commands.add_parser(
        "report",
        help="one self-contained HTML page on the crawls",
        description="One self-contained HTML page from the crawls' own records: articles per month, each run's\n"
        "new, updated, unchanged, failures and coverage, pending pages, the last run, the newest\n"
        "articles. Nothing is fetched to draw or read it.",
        epilog="example:\n  tmvspider report --output-dir /srv/tmv -o /var/www/tmv/report.html",
    )
    cmd.add_argument("--output-dir", default="output", help="where the crawls wrote (default output)")
    cmd.add_argument("--state-dir", help="crawl state (default OUTPUT_DIR/state)")
    cmd.add_argument("-o", "--output", help="the page to write (default OUTPUT_DIR/report.html)")
    cmd.set_defaults(func=run)


def run(args) -> int:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        print("tmvspider: the report needs matplotlib: pip install 'tmvspider[report]'", file=sys.stderr)
        return 2
    settings = project_settings()
    output, state = folders(settings, args.output_dir, args.state_dir)
    if not (any((output / "tmv").glob("*.stats.json")) or (state / "state.sqlite3").exists()):
        print(f"tmvspider: no crawl on record under {output}: run 'tmvspider crawl' first", file=sys.stderr)
        return 1  # as compact on a folder without feeds: a typo must not give an empty report
    target = Path(args.output) if args.output else Path(args.output_dir) / "report.html"
    try:
        write(output, target, settings)
    except OSError as error:  # a full or read-only disk: replaced() left no part and the old page whole
        from .preflight import cannot_write

        print(f"tmvspider: {cannot_write('report', target, error)}", file=sys.stderr)
        return 1
    print(f"tmvspider: report written to {target}")
    return 0
