"""`tmvspider compact` for analysts: the format follows the extension, `-o -` is
stdout, `--since`, bad lines skipped and counted; Parquet read back with pandas and DuckDB."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import shutil
import subprocess
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site

from .conftest import fill, tmvspider_command

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "TMV_RETRY_BACKOFF=0.05"]
TIMESTAMPS = ("published_at", "modified_at", "crawled_at")


def cli(*args, cwd):
    return subprocess.run(tmvspider_command(*args), cwd=cwd, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The output folder of one crawl of a small mirror, and its JSON Lines dataset (rows)."""
    out = tmp_path_factory.mktemp("compact") / "out"
    with MirrorServer(build_site(30, seed=11)) as server:
        run = cli("crawl", "--base-url", server.root, "--output-dir", str(out), *FAST, cwd=out.parent)
    assert run.returncode == 0, run.stderr[-2000:]
    done = cli("compact", "--output-dir", str(out), "-o", str(out.parent / "dataset.jsonl"), cwd=out.parent)
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in (out.parent / "dataset.jsonl").read_text("utf-8").splitlines()]
    assert len(rows) == 30 and any(r["interview"] for r in rows) and any(r["image"] for r in rows)
    return out, rows


def instant(value):
    return None if value is None else datetime.fromisoformat(value.replace("Z", "+00:00"))


def plain(value):
    """pandas/pyarrow values as Python's: lists, dicts, None."""
    if hasattr(value, "tolist") and not hasattr(value, "tzinfo"):
        value = value.tolist()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def test_parquet_is_typed_and_reads_back_row_for_row_with_pandas_and_duckdb(crawled, tmp_path):
    import duckdb
    import pandas as pd

    out, rows = crawled
    target = tmp_path / "dataset.parquet"
    done = cli("compact", "--output-dir", str(out), "-o", str(target), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert target.read_bytes()[:4] == b"PAR1" and not list(tmp_path.glob("*.part"))

    frame = pd.read_parquet(target, dtype_backend="pyarrow")
    assert str(frame["published_at"].dtype).startswith("timestamp[") and "tz=Europe/Paris" in str(
        frame["published_at"].dtype
    )
    assert "tz=UTC" in str(frame["crawled_at"].dtype)
    assert str(frame["tags"].dtype).startswith("list<") and str(frame["image"].dtype).startswith("struct<")
    read = frame.to_dict("records")
    assert len(read) == len(rows)
    for got, want in zip(read, rows):
        for name, value in want.items():
            if name in TIMESTAMPS:
                # as instants (a Paris time of the night summer time ends is ambiguous to datetime's ==)
                assert (None if pd.isna(got[name]) else got[name].timestamp()) == (
                    value and instant(value).timestamp()
                ), name
                if name == "published_at":  # the Paris offset of the instant, as in the feed
                    assert got[name].utcoffset() == instant(value).utcoffset()
            else:
                assert plain(got[name]) == value, name

    types = dict(duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{target}')").fetchall()[i][:2] for i in range(14))
    assert types["published_at"] == types["crawled_at"] == "TIMESTAMP WITH TIME ZONE"
    assert types["tags"] == "VARCHAR[]" and types["post_id"] == "BIGINT"
    assert types["image"] == "STRUCT(url VARCHAR, caption VARCHAR, credit VARCHAR)"
    assert types["interview"] == "STRUCT(interviewer VARCHAR, qa STRUCT(question VARCHAR, answer VARCHAR)[])"
    con = duckdb.connect()
    cursor = con.execute(f"SELECT * FROM read_parquet('{target}')")
    names = [d[0] for d in cursor.description]
    for got, want in zip((dict(zip(names, r)) for r in cursor.fetchall()), rows, strict=True):
        for name, value in want.items():
            assert got[name] == (instant(value) if name in TIMESTAMPS else value), name


def test_csv_holds_lists_and_objects_as_json_text(crawled, tmp_path):
    out, rows = crawled
    target = tmp_path / "dataset.csv"
    assert cli("compact", "--output-dir", str(out), "-o", str(target), cwd=tmp_path).returncode == 0
    with open(target, encoding="utf-8", newline="") as file:
        read = list(csv.DictReader(file))
    assert len(read) == len(rows)
    for got, want in zip(read, rows):
        for name in ("categories", "tags", "image", "interview", "related"):
            assert json.loads(got[name]) == want[name]
        assert got["url"] == want["url"] and got["body"] == want["body"]
        assert got["published_at"] == want["published_at"] and got["post_id"] == str(want["post_id"])
        assert got["lead"] == (want["lead"] or "")


def test_dash_writes_json_lines_to_stdout_and_no_file(crawled, tmp_path):
    out, rows = crawled
    done = cli("compact", "--output-dir", str(out), "-o", "-", cwd=tmp_path)
    assert done.returncode == 0
    assert [json.loads(line) for line in done.stdout.splitlines()] == rows
    assert done.stderr.startswith("tmvspider: 30 articles") and not list(tmp_path.iterdir())


def test_since_keeps_the_articles_published_from_that_date(crawled, tmp_path):
    out, rows = crawled
    middle = sorted(r["published_at"] for r in rows)[len(rows) // 2][:10]
    done = cli("compact", "--output-dir", str(out), "-o", "-", "--since", middle, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    start = datetime.fromisoformat(middle).replace(tzinfo=ZoneInfo("Europe/Paris"))
    kept = [r for r in rows if instant(r["published_at"]) >= start]
    assert [json.loads(line) for line in done.stdout.splitlines()] == kept and 0 < len(kept) < len(rows)
    bad = cli("compact", "--output-dir", str(out), "-o", "-", "--since", "last week", cwd=tmp_path)
    assert (bad.returncode, bad.stderr) == (
        2,
        "tmvspider: --since takes a date such as 2024-01-31 (or 2024-01-31T08:00), not 'last week'\n",
    )


def test_bad_lines_are_skipped_named_and_counted(crawled, tmp_path):
    out, rows = crawled
    copy = tmp_path / "out"
    shutil.copytree(out / "tmv", copy / "tmv")
    feed = sorted((copy / "tmv").glob("*.jsonl"))[0]
    lines = feed.read_text("utf-8").splitlines()
    dropped = json.loads(lines[1])["url"]
    lines[1] = lines[1][:40]  # a cut line
    lines.append("[1, 2]")
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = cli("compact", "--output-dir", str(copy), "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    warnings = done.stderr.splitlines()
    assert warnings[:2] == [
        f"tmvspider: skipped {feed}:2: not JSON",
        f"tmvspider: skipped {feed}:{len(lines)}: not an article",
    ]
    assert warnings[2].endswith("(2 bad line(s) skipped)")
    assert [json.loads(line) for line in done.stdout.splitlines()] == [r for r in rows if r["url"] != dropped]


def test_nothing_readable_is_refused(tmp_path):
    (tmp_path / "out" / "tmv").mkdir(parents=True)
    (tmp_path / "out" / "tmv" / "a.jsonl").write_text("not json\n", encoding="utf-8")
    done = cli("compact", "--output-dir", str(tmp_path / "out"), "-o", str(tmp_path / "d.jsonl"), cwd=tmp_path)
    assert done.returncode == 1 and not (tmp_path / "d.jsonl").exists()
    assert done.stderr.splitlines()[-1] == (
        f"tmvspider: nothing readable in the 1 feed file(s) under "
        f"{tmp_path / 'out' / 'tmv'} (1 bad line(s)): is another program "
        "writing there?"
    )


@pytest.mark.parametrize(
    "target, line, code",
    [
        (
            "x.txt",
            "tmvspider: cannot tell the format of 'x.txt' from its extension: name it .jsonl, .ndjson, "
            ".parquet, .csv (or -o - for JSON Lines on stdout)",
            2,
        ),
        (
            "/proc/x.parquet",
            "tmvspider: cannot write the dataset /proc/x.parquet (No such file or directory): choose another",
            1,
        ),
    ],
)
def test_an_unusable_target_is_refused_before_reading(crawled, tmp_path, target, line, code):
    done = cli("compact", "--output-dir", str(crawled[0]), "-o", target, cwd=tmp_path)
    assert (done.returncode, done.stderr) == (code, line + "\n")
    assert not list(tmp_path.iterdir())


def test_dash_into_a_reader_that_stops_early_is_quiet_as_cat(crawled, tmp_path):
    """`tmvspider compact -o - | head -1`: the pipe closes mid-write; no traceback, no message."""
    out, rows = crawled
    read, write = os.pipe()
    fcntl.fcntl(read, fcntl.F_SETPIPE_SZ, 4096)  # the dataset cannot all fit in the pipe before it closes
    assert sum(len(json.dumps(row)) for row in rows) > 8 * 4096
    with subprocess.Popen(
        tmvspider_command("compact", "--output-dir", str(out), "-o", "-"),
        cwd=tmp_path,
        stdout=write,
        stderr=subprocess.PIPE,
        text=True,
    ) as done:
        os.close(write)
        first = os.read(read, 200)
        os.close(read)
        stderr = done.stderr.read()
    assert first.startswith(b'{"url": ')
    assert (done.returncode, stderr) == (141, "")  # the 141 a shell shows for cat here (set -o pipefail)


@pytest.mark.parametrize("name", ["dataset.jsonl", "dataset.parquet"])
def test_a_full_disk_is_one_line_and_leaves_the_old_dataset_whole(crawled, tmpfs, tmp_path, name):
    disk = tmpfs(64)
    target = disk / name
    target.write_bytes(b"the last dataset\n")
    fill(disk)
    done = cli("compact", "--output-dir", str(crawled[0]), "-o", str(target), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"tmvspider: cannot write the dataset {target} (No space left on device): choose another\n"
    assert sorted(p.name for p in disk.iterdir()) == sorted([name, "filler"])
    assert target.read_bytes() == b"the last dataset\n"


def test_dash_onto_a_full_disk_is_one_line(crawled, tmpfs, tmp_path):
    disk = tmpfs(64)
    fill(disk)
    with open(disk / "filler", "ab") as stdout:
        done = subprocess.run(
            tmvspider_command("compact", "--output-dir", str(crawled[0]), "-o", "-"),
            cwd=tmp_path,
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert (done.returncode, done.stderr) == (
        1,
        "tmvspider: cannot write the dataset to stdout (No space left on device): choose another\n",
    )


def test_a_read_only_disk_is_one_line_and_no_file(crawled, tmpfs, tmp_path):
    disk = tmpfs(64, readonly=True)
    done = cli("compact", "--output-dir", str(crawled[0]), "-o", str(disk / "dataset.jsonl"), cwd=tmp_path)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"tmvspider: cannot write the dataset {disk / 'dataset.jsonl'} (Read-only file system): choose another\n"
    )
    assert list(disk.iterdir()) == []
