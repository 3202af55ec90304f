"""Every mistake on the command line is one line and an exit code, before anything is fetched:
bad values, unknown TMV_ names, malformed -s/-a, empty arguments, unwritable outputs,
and a second site on the folders of another."""

from __future__ import annotations

import json
import subprocess

import pytest

from tmvmirror.server import MirrorServer
from tmvmirror.site import build_site

from .conftest import LIVE, run_crawl, tmvspider_command

FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=False"]


@pytest.mark.parametrize(
    "args, line, code",
    [
        (
            ["-s", "LOG_LEVEL=VERBOSE"],
            "tmv: setting LOG_LEVEL must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG, not 'VERBOSE'",
            2,
        ),
        (
            ["-s", "ROBOTSTXT_OBEY=maybe"],
            "tmv: setting ROBOTSTXT_OBEY takes True or False (also 1/0, true/false), not 'maybe'",
            2,
        ),
        (
            ["-s", "AUTOTHROTTLE_ENABLED=yes please"],
            "tmv: setting AUTOTHROTTLE_ENABLED takes True or False (also 1/0, true/false), not 'yes please'",
            2,
        ),
        (["-s", "AUTOTHROTTLE_MAX_DELAY=soon"], "tmv: setting AUTOTHROTTLE_MAX_DELAY takes a number, not 'soon'", 2),
        (["-s", "DOWNLOAD_TIMEOUT=-3"], "tmv: setting DOWNLOAD_TIMEOUT must be a number of at least 0, not '-3'", 2),
        (
            ["-s", "FEED_EXPORTERS=jsonl"],
            "tmv: setting FEED_EXPORTERS takes a JSON object (e.g. '{\"key\": 1}'), not 'jsonl'",
            2,
        ),
        (["-s", "TMV_OUPUT_DIR=elsewhere"], "tmv: unknown setting TMV_OUPUT_DIR: did you mean TMV_OUTPUT_DIR?", 2),
        (["-s", "TMV_STATEDIR=elsewhere"], "tmv: unknown setting TMV_STATEDIR: did you mean TMV_STATE_DIR?", 2),
        (["-s", "DOWNLAOD_DELAY=0"], "tmv: unknown setting DOWNLAOD_DELAY: did you mean DOWNLOAD_DELAY?", 2),
        (["-s", "download_delay=0"], "tmv: unknown setting download_delay: did you mean DOWNLOAD_DELAY?", 2),
        (["-s", "LOG_LEVEL"], "tmv: -s takes NAME=VALUE, not 'LOG_LEVEL' (for an empty value: -s LOG_LEVEL=)", 2),
        (["-s", "=DEBUG"], "tmv: -s takes NAME=VALUE, not '=DEBUG'", 2),
        (["-a", "full"], "tmv: -a takes NAME=VALUE, not 'full' (for an empty value: -a full=)", 2),
        (["-a", "url="], "tmv: url is empty: give the page(s) to read, -a url=URL[,URL…] (http(s):// or file://)", 2),
        (
            ["-a", "url= , "],
            "tmv: url is empty: give the page(s) to read, -a url=URL[,URL…] (http(s):// or file://)",
            2,
        ),
        (["-a", "full="], "tmv: full takes 1 or 0 (true/false, yes/no, on/off), not ''", 2),
        (
            ["-O", "/proc/x.jsonl"],
            "tmv: cannot write the feed /proc/x.jsonl (No such file or directory): choose another",
            1,
        ),
        (
            ["-o", "/proc/x.jsonl"],
            "tmv: cannot write the feed /proc/x.jsonl (No such file or directory): choose another",
            1,
        ),
        (
            ["-s", "LOG_FILE=/proc/tmv/crawl.log"],
            "tmv: cannot write the log file /proc/tmv/crawl.log (No such file or directory): choose another",
            1,
        ),
        (
            ["--logfile", "/proc/tmv/crawl.log"],
            "tmv: cannot write the log file /proc/tmv/crawl.log (No such file or directory): choose another",
            1,
        ),
    ],
)
def test_a_mistake_is_one_line_and_nothing_is_fetched(tmp_path, mirror, args, line, code):
    before = len(mirror.requests)
    crawl = run_crawl(mirror.root, tmp_path / "out", *args)
    assert (crawl.returncode, crawl.log) == (code, line + "\n")
    assert len(mirror.requests) == before
    if code == 2:
        assert not (tmp_path / "out").exists()  # nothing created either
    else:  # a set-up that fails is recorded for cron's operator, and nothing else is created
        assert [p.parent.name for p in (tmp_path / "out").rglob("*") if p.is_file()] == ["tmv"]
        assert crawl.stats["finish_reason"] == "preflight_failed"
        assert crawl.stats["tmv/preflight_error"] == line.removeprefix("tmv: ")


def test_a_feed_under_a_file_is_refused_for_single_pages_too(tmp_path, mirror):
    (tmp_path / "a-file").write_text("")
    crawl = run_crawl(mirror.root, tmp_path / "out", "-a", f"url={mirror.root}/", "-O", f"{tmp_path}/a-file/x.jsonl")
    assert crawl.returncode == 1
    assert crawl.log == f"tmv: cannot write the feed {tmp_path}/a-file/x.jsonl (Not a directory): choose another\n"


def test_fine_values_pass_the_checks():
    from scrapy.settings import Settings

    from tmvspider import settings as project
    from tmvspider.preflight import check_settings

    settings = Settings()
    settings.setmodule(project, priority="project")
    check_settings(settings)
    for name, value in (
        ("LOG_LEVEL", "DEBUG"),
        ("ROBOTSTXT_OBEY", "false"),
        ("AUTOTHROTTLE_ENABLED", "0"),
        ("DOWNLOAD_TIMEOUT", "7.5"),
        ("TMV_FEED_BATCH", "10"),
        ("TMV_STATE_DIR", "/tmp/s"),
        ("FEEDS", '{"-": {"format": "jsonlines"}}'),
        ("MY_OWN_SETTING", "anything"),
    ):
        settings.set(name, value, priority="cmdline")
    check_settings(settings)


def test_setting_names_are_known_from_what_scrapy_and_its_components_read():
    """Not a hand list: Scrapy's defaults, settings.py, and the names that Scrapy (and any installed
    distribution requiring it) reads with a Settings getter. A slip of one is refused; a name near
    none is left to the crawl's WARNING (a component we cannot see may read it)."""
    from scrapy.settings import Settings, default_settings

    from tmvspider import settings as project
    from tmvspider.preflight import unknown_settings

    read_not_default = ("CONCURRENT_REQUESTS_PER_IP", "META_COPY_WARN_SKIP_KEYS")  # Scrapy 2.19 reads both
    assert not set(read_not_default) & set(vars(default_settings))
    settings = Settings()
    settings.setmodule(project, priority="project")
    for name in (*read_not_default, "DOWNLAOD_DELAY", "LogLevel", "tmv_state_dir", "MY_OWN_SETTING", "my_own"):
        settings.set(name, "1", priority="cmdline")
    assert dict(unknown_settings(settings)) == {
        "DOWNLAOD_DELAY": "DOWNLOAD_DELAY",
        "LogLevel": "LOG_LEVEL",
        "tmv_state_dir": "TMV_STATE_DIR",
        "MY_OWN_SETTING": None,
        "my_own": None,
    }


def test_an_unknown_setting_near_none_is_one_warning_and_the_probe_refuses_a_slip(tmp_path, mirror, site):
    page = site.expected[0]["url"].replace(LIVE, mirror.root)
    crawl = run_crawl(mirror.root, tmp_path / "out", "-a", f"url={page}", "-s", "MY_OWN_SETTING=1")
    assert crawl.returncode == 0, crawl.log[-2000:]
    warnings = [line for line in crawl.log.splitlines() if "WARNING" in line]
    assert len(warnings) == 1 and warnings[0].endswith(
        "[tmvspider.preflight] WARNING: unknown setting MY_OWN_SETTING: Scrapy, the project and the installed "
        "Scrapy components read no such name (a typo?)"
    ), warnings
    before = len(mirror.requests)
    probe = subprocess.run(
        tmvspider_command("probe", "--base-url", mirror.root, "-s", "DOWNLAOD_DELAY=0"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (probe.returncode, probe.stderr) == (
        2,
        "tmvspider: unknown setting DOWNLAOD_DELAY: did you mean DOWNLOAD_DELAY?\n",
    )
    assert len(mirror.requests) == before


def test_the_known_tmv_names_are_those_of_settings_py(monkeypatch):
    """Derived, not listed: a setting added to settings.py (even one defaulting to None) is known,
    and typed by its default."""
    from scrapy.settings import Settings

    from tmvspider import settings as project
    from tmvspider.preflight import BadSetting, check_settings, known_tmv

    assert known_tmv() == sorted(name for name in dir(project) if name.startswith("TMV_"))
    assert "TMV_STATE_DIR" in known_tmv()  # None by default
    monkeypatch.setattr(project, "TMV_COVERAGE_MIN", {"author": 50}, raising=False)  # as another branch adds
    monkeypatch.setattr(project, "TMV_COVERAGE_MIN_ITEMS", 20, raising=False)
    for name, value, error in (
        ("TMV_COVERAGE_MIN", '{"author": 60}', None),
        ("TMV_COVERAGE_MIN_ITEMS", "30", None),
        ("TMV_COVERAGE_MIN_ITEMS", "lots", "TMV_COVERAGE_MIN_ITEMS (takes|must be) a whole number"),
        ("TMV_COVERAGE_MIN", "author", "TMV_COVERAGE_MIN takes a JSON object"),
        ("TMV_COVERAGE_MINIMUM", "1", "did you mean TMV_COVERAGE_MIN"),
    ):
        settings = Settings()
        settings.setmodule(project, priority="project")
        settings.set(name, value, priority="cmdline")
        if error is None:
            check_settings(settings)
        else:
            with pytest.raises(BadSetting, match=error):
                check_settings(settings)


@pytest.mark.parametrize(
    "args, line, code",
    [
        (["-s", "TMV_OUPUT_DIR=x"], "tmvspider: unknown setting TMV_OUPUT_DIR: did you mean TMV_OUTPUT_DIR?", 2),
        (["-s", "LOG_LEVEL"], "tmvspider: -s takes NAME=VALUE, not 'LOG_LEVEL' (for an empty value: -s LOG_LEVEL=)", 2),
        (
            ["--log-file", "/proc/tmv/crawl.log"],
            "tmvspider: cannot write the log file /proc/tmv/crawl.log (No such file or directory): choose another",
            1,
        ),
        (
            ["--report", "/proc/tmv/report.html"],
            "tmvspider: cannot write the report /proc/tmv/report.html (No such file or directory): choose another",
            2,
        ),
        (["-s", "DOWNLAOD_DELAY=0"], "tmvspider: unknown setting DOWNLAOD_DELAY: did you mean DOWNLOAD_DELAY?", 2),
    ],
)
def test_the_cron_command_refuses_the_same_mistakes(tmp_path, mirror, args, line, code):
    before = len(mirror.requests)
    done = subprocess.run(
        tmvspider_command("crawl", "--base-url", mirror.root, "--output-dir", str(tmp_path / "out"), *args),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stderr) == (code, line + "\n")
    assert len(mirror.requests) == before
    if code == 2:
        assert not (tmp_path / "out").exists()
    else:  # recorded in the stats JSON (the log file is what cannot be written)
        stats = [json.loads(p.read_text()) for p in (tmp_path / "out" / "tmv").glob("*.stats.json")]
        assert [s["tmv/preflight_error"] for s in stats] == [line.removeprefix("tmvspider: ")]


def test_one_site_per_output_folder(tmp_path):
    """A mirror on a new port (or any other root) on the folders of another site would double the
    dataset: refused, unless it starts afresh (a full walk, no feed left)."""
    site = build_site(12, seed=3)
    out = tmp_path / "out"
    with MirrorServer(site) as first:
        assert run_crawl(first.root, out).returncode == 0
        old = first.root
    with MirrorServer(site) as second:
        refused = run_crawl(second.root, out)
        assert refused.returncode == 2 and refused.log.count("\n") == 1
        assert refused.log.startswith(f"tmv: {out}/state holds the crawl of {old}, not {second.root}: "), refused.log
        assert not second.requests
        cron = subprocess.run(
            tmvspider_command("crawl", "--base-url", second.root, "--output-dir", str(out), "--full"),
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert cron.returncode == 2 and cron.stderr.startswith(f"tmvspider: {out}/state holds the crawl of {old}")
        refused_full = run_crawl(second.root, out, "-a", "full=1")  # feeds of the other site are still there
        assert refused_full.returncode == 2 and not second.requests
        for feed in (out / "tmv").glob("*.jsonl"):
            feed.unlink()
        fresh = run_crawl(second.root, out, "-a", "full=1")
        assert fresh.returncode == 0, fresh.log[-2000:]
        assert len(fresh.items) == len(site.expected)
        again = run_crawl(second.root, out)  # the folders now belong to this root
        assert again.returncode == 0, again.log[-2000:]


def test_a_state_from_before_the_rule_is_taken_for_the_site_of_its_articles(tmp_path):
    from tmvspider.preflight import BadSetting, one_site
    from tmvspider.state import CrawlState

    feed = tmp_path / "tmv" / "old.jsonl"
    feed.parent.mkdir()
    feed.write_text('{"url": "http://127.0.0.1:8000/article/a/", "published_at": null}\n', encoding="utf-8")
    state = CrawlState(tmp_path / "state")
    state.record_feed(feed)
    state.close()
    with pytest.raises(BadSetting, match="holds the crawl of http://127.0.0.1:8000, not http://127.0.0.1:8001"):
        one_site("http://127.0.0.1:8001", tmp_path, tmp_path / "state")
    one_site("http://127.0.0.1:8000", tmp_path, tmp_path / "state")


def test_the_hosts_of_the_live_site_are_one_site(tmp_path):
    from tmvspider.preflight import one_site
    from tmvspider.state import SITE_ROOT, CrawlState

    one_site("https://www.tmvtours.fr", tmp_path, tmp_path / "state")
    one_site("http://tmv.tmvtours.fr", tmp_path, tmp_path / "state")  # the older host: the same site
    state = CrawlState(tmp_path / "state")
    assert state.get(SITE_ROOT) == "https://www.tmvtours.fr"
    state.close()
