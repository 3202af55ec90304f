"""The `tmvspider` command: lock, summary and exit codes, compaction."""

from __future__ import annotations

import json
import subprocess

import pytest

from tmvmirror.server import MirrorServer, crawl_command
from tmvmirror.site import build_site
from tmvspider.cli import main
from tmvspider.outcome import exit_code, failure
from tmvspider.processors import parse_timestamp

from .conftest import PROJECT, expected_by_url, tmvspider_command

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TMV_RETRY_BACKOFF=0.05"]


def tree(folder):
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def test_crawl_prints_a_summary_and_a_concurrent_run_touches_nothing(tmp_path):
    site = build_site(40, seed=8)
    out = tmp_path / "out"
    with MirrorServer(site) as server:
        server.hold()  # the first run's requests wait until we let them go
        first = subprocess.Popen(
            tmvspider_command(
                "crawl",
                "--base-url",
                server.root,
                "--output-dir",
                str(out),
                "--log-file",
                str(tmp_path / "crawl.log"),
                *FAST,
            ),
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert server.wait_for_requests(1, timeout=60)  # the first run holds the lock
        before = tree(out)
        second = subprocess.run(
            tmvspider_command("crawl", "--base-url", server.root, "--output-dir", str(out), *FAST),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        after = tree(out)
        server.release()
        stdout, _ = first.communicate(timeout=120)
    assert second.returncode == 75
    assert "another crawl is running" in second.stderr and "Traceback" not in second.stderr
    assert after == before
    assert first.returncode == 0
    assert stdout.strip().startswith(f"tmvspider: {len(site.expected)} articles exported, {len(site.expected)} new")
    assert "Traceback" not in (tmp_path / "crawl.log").read_text()


def test_crawl_exit_codes_tell_the_truth(tmp_path):
    bad = subprocess.run(
        tmvspider_command("crawl", "--base-url", "ftp://example.org"), cwd=tmp_path, capture_output=True, text=True
    )
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1
    down = subprocess.run(
        tmvspider_command(
            "crawl",
            "--base-url",
            "http://127.0.0.1:9",
            "--output-dir",
            str(tmp_path),
            "--log-file",
            str(tmp_path / "log"),
            "-s",
            "RETRY_TIMES=0",
        ),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    line = "cannot reach http://127.0.0.1:9 (Connection refused): is the site up and the address right?"
    assert down.returncode == 1 and down.stderr == f"tmvspider: {line}\n"
    # what cron's operator reads the next morning: the log file and the run's stats; nothing else is made
    assert (tmp_path / "log").read_text().endswith(f" [tmvspider.preflight] ERROR: {line}\n")
    [record] = (tmp_path / "tmv").glob("tmv-*.stats.json")
    stats = json.loads(record.read_text())
    assert (failure(stats), exit_code(stats)) == (f"the crawl could not start: {line}", 1)
    assert sorted(p.name for p in tmp_path.rglob("*")) == sorted(["log", "tmv", record.name])
    report = subprocess.run(
        tmvspider_command("report", "--output-dir", str(tmp_path), "-o", str(tmp_path / "r.html")),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert report.returncode == 0 and f"FAILED: the crawl could not start: {line}" in (tmp_path / "r.html").read_text()
    (tmp_path / "r.html").unlink()
    nowhere = subprocess.run(
        tmvspider_command("crawl", "--base-url", "http://127.0.0.1:9", "--output-dir", "/proc/tmv"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (nowhere.returncode, nowhere.stderr) == (1, f"tmvspider: {line}\n")  # no folder to write to: stderr


def test_a_crawl_from_elsewhere_names_its_feeds_and_an_empty_O_says_why(tmp_path):
    site = build_site(12, seed=5)
    (tmp_path / "elsewhere").mkdir()
    with MirrorServer(site) as server:
        run = subprocess.run(
            tmvspider_command("crawl", "--base-url", server.root, "--output-dir", "../out", *FAST),
            cwd=tmp_path / "elsewhere",
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stderr[-2000:]
        feeds = tmp_path / "out" / "tmv"
        assert run.stdout.endswith(f"; feeds in {feeds}\n") and list(feeds.glob("*.jsonl"))
        mine = tmp_path / "mine.jsonl"
        again = subprocess.run(
            crawl_command(server.root, tmp_path / "out", *FAST, "-O", str(mine)),
            cwd=PROJECT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert again.returncode == 0 and mine.read_text() == ""
    assert again.stderr.splitlines()[-1] == (
        f"tmv: nothing exported: the state knows {len(site.expected)} articles, none new or changed; "
        "`tmvspider compact -o FILE` writes every one (-a full=1 fetches each again, exports only what changed)"
    )


@pytest.mark.parametrize("command", ["crawl", "probe", "compact", "reextract", "report", None])
def test_each_command_says_what_it_does_with_an_example(capsys, command):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"] if command else ["--help"])
    shown = capsys.readouterr().out
    assert done.value.code == 0
    description, epilog = shown.split("\n\n")[1], shown.split("\n\n")[-1]
    assert not description.startswith(("options:", "usage:")), shown
    assert epilog.startswith("example") and f"\n  tmvspider {command or 'crawl'}" in epilog, shown
    assert "``" not in shown  # no raw markup of a docstring


@pytest.mark.parametrize(
    "argv, error",
    [
        (["crawl", "--fulll"], "tmvspider crawl: error: unrecognized arguments: --fulll (did you mean --full?)"),
        (["crawl", "--ful"], "tmvspider crawl: error: unrecognized arguments: --ful (did you mean --full?)"),
        (
            ["compact", "-o", "x.jsonl", "--sinse", "2024-01-31"],
            "tmvspider compact: error: unrecognized arguments: --sinse 2024-01-31 (did you mean --since?)",
        ),
    ],
)
def test_a_mistyped_option_gets_its_commands_usage(capsys, argv, error):
    with pytest.raises(SystemExit) as done:
        main(argv)
    shown = capsys.readouterr().err
    assert done.value.code == 2
    assert shown.startswith(f"usage: tmvspider {argv[0]} ") and shown.splitlines()[-1] == error


def test_since_echoes_what_was_typed(tmp_path):
    done = subprocess.run(
        tmvspider_command("compact", "--since", "31/01/2024", "-o", "x.jsonl"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (
        2,
        "tmvspider: --since takes a date such as 2024-01-31 (or 2024-01-31T08:00), not '31/01/2024'\n",
    )


def test_compact_keeps_the_latest_version_of_each_article_once(tmp_path):
    base, changed = build_site(40, seed=9), build_site(40, seed=9, extra_articles=2, modified=3)
    out = tmp_path / "out"
    with MirrorServer(base) as server:
        for site in (base, changed):
            server.site = site
            run = subprocess.run(
                tmvspider_command("crawl", "--base-url", server.root, "--output-dir", str(out), *FAST),
                cwd=tmp_path,
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert run.returncode == 0, run.stderr[-2000:]
        root = server.root
    dataset = tmp_path / "dataset.jsonl"
    done = subprocess.run(
        tmvspider_command("compact", "--output-dir", str(out), "-o", str(dataset)),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in dataset.read_text("utf-8").splitlines()]
    expected = expected_by_url(changed, root)
    assert sorted(r["url"] for r in rows) == sorted(expected)  # each article once
    for row in rows:
        assert {k: v for k, v in row.items() if k != "crawled_at"} == expected[row["url"]]
    published = [parse_timestamp(r["published_at"]).at for r in rows]
    assert published == sorted(published)


@pytest.mark.parametrize(
    "line, message",
    [
        ("[1, 2]", "tmv/a.jsonl:2: not an article"),
        ('{"url": "http://x/article/b/", "title": "t"}', "tmv/a.jsonl:2: breaks the schema: "),
    ],
)
def test_compact_skips_a_foreign_line_with_a_warning(tmp_path, line, message):
    good = json.dumps(
        {
            "url": "http://x/article/a/",
            "post_id": None,
            "title": "A",
            "lead": None,
            "author": None,
            "published_at": "2015-01-29T10:50:11+01:00",
            "modified_at": None,
            "categories": [],
            "tags": [],
            "image": None,
            "body": "",
            "interview": None,
            "related": [],
            "crawled_at": "2026-11-27T03:00:00Z",
        }
    )
    (tmp_path / "out" / "tmv").mkdir(parents=True)
    (tmp_path / "out" / "tmv" / "a.jsonl").write_text(f"{good}\n{line}\n", encoding="utf-8")
    done = subprocess.run(
        tmvspider_command("compact", "--output-dir", str(tmp_path / "out"), "-o", str(tmp_path / "d.jsonl")),
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1 and message in done.stderr, done.stderr
    assert done.stdout.endswith("written to " + str(tmp_path / "d.jsonl") + " (1 bad line(s) skipped)\n")
    assert [json.loads(x) for x in (tmp_path / "d.jsonl").read_text("utf-8").splitlines()] == [json.loads(good)]
