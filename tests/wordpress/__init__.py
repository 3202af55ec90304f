"""A real WordPress on loopback for the end-to-end tests: Debian's ``wordpress`` package served by
PHP's built-in server over MariaDB, everything in a temporary directory, on ports chosen at run
time, set up from a model by ``setup.php`` (``wp_install``, then ``wp_insert_post`` for each entry).

The model is JSON (a dict here); every key but a post's ``slug``, ``title`` and ``date`` is optional::

    {"site": {"title": "tmv", "description": "", "language": "fr_FR", "timezone": "Europe/Paris",
              "permalinks": "/article/%postname%/", "theme": null},       # the defaults; the theme:
                                  # null for WordPress's default (twentytwentythree), or "twentytwentyone"
     "posts": [{"slug": "…", "title": "…", "content": "<p>…</p>", "excerpt": "the hand-written one",
                "author": "Aurélien Germain",                  # or {"name": …, "slug": …}, as the terms
                "categories": ["Culture"], "tags": ["Concert", {"name": "Tours", "slug": "tours"}],
                "date": "2024-03-26 07:27:07",                 # the site's local time (Paris)
                "modified": "2024-03-26 10:48:38",             # local time too; else the date
                "status": "publish",                           # or draft, private, pending
                "id": 46355,                                   # the post's id, when free
                "image": {"caption": "…", "alt": "…", "file": "x.jpg", "width": 800, "height": 600}}],
     "pages": [{"slug": …, "title": …, "content": …, "date": …, "status": …}]}

Why a directory of links and not Debian's own set-up: Debian's ``wp-config.php`` reads
``/etc/wordpress/config-<host>.php``, and PHP resolves links, so a copy of the tree made of links
would still find it. The site's directory links every entry of ``/usr/share/wordpress`` but
``wp-config.php`` (its own, written here) and ``wp-content`` (its own, for uploads); the router and
the set-up script define ``ABSPATH`` as that directory before WordPress loads, so WordPress reads
the site's ``wp-config.php``. Nothing is written outside the temporary directory.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

from tests.prerequisites import WORDPRESS as WORDPRESS_FOLDER, WORDPRESS_TESTS

HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample.json"
WORDPRESS = Path(WORDPRESS_FOLDER)
MARIADBD = shutil.which("mariadbd") or "/usr/sbin/mariadbd"
# In memory where the machine allows: MariaDB's first start syncs its files to disk, seconds on a busy one.
TEMPORARY = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
STARTUP_TIMEOUT = 60  # seconds for each server to say it is ready; a few are needed
# InnoDB sized for a few hundred posts, so that the data directory is made in a second.
INNODB = ["--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M"]


class HarnessError(RuntimeError):
    """The test WordPress could not be started; the message says which step and quotes its output."""


def missing() -> str | None:
    """Why this machine cannot run the test WordPress (a Debian package absent), else None."""
    from tests.prerequisites import missing as absent_packages  # the one list of what the tests need

    absent = [p.package for p in absent_packages(needed_by=WORDPRESS_TESTS)]
    return (
        f"Debian packages missing for the real WordPress: {' '.join(absent)} (.ci/run installs them)"
        if absent
        else None
    )


def free_port() -> int:
    """A loopback port free now (MariaDB, unlike PHP's server, cannot be told to take any)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


LIBC = ctypes.CDLL(None, use_errno=True)
PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """In a server, before it runs: SIGTERM when the Python that started it ends, even killed, so
    that none outlives a test run (hence one PHP process: its workers would not get the signal)."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Server:
    """A server in its own process group, its output copied to a log file by a thread that also
    watches for the line saying it is ready (no polling)."""

    def __init__(self, command: list[str], log: Path, ready: str):
        self.command, self.log, self._ready = command, log, re.compile(ready)
        self.ready: re.Match | None = None
        self._done = threading.Event()
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            errors="replace",
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self._copier = threading.Thread(target=self._copy, daemon=True)
        self._copier.start()

    def _copy(self) -> None:
        with self.log.open("w") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                if self.ready is None:
                    self.ready = self._ready.search(line)
                    if self.ready:
                        self._done.set()
        self._done.set()  # it ended: whoever waits stops waiting

    def wait_ready(self) -> re.Match:
        self._done.wait(STARTUP_TIMEOUT)
        if self.ready is None:
            self.stop()
            raise HarnessError(f"{self.command[0]} did not start:\n{tail(self.log)}")
        return self.ready

    def stop(self) -> None:
        """SIGTERM to its process group; SIGKILL if it has not ended 20 s later."""
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self._copier.join(5)


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


def sweep(parent: Path) -> None:
    """Removes the directories of test WordPresses whose Python was killed (in memory, they would stay
    until the machine restarts); their servers died with it. A directory's name holds its Python's pid."""
    for left in parent.glob("tmv-wordpress-*-*"):
        pid = left.name.split("-")[2]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(left, ignore_errors=True)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        pass
    return True


def as_root() -> list[str]:
    """mariadbd refuses to run as root unless told to."""
    return ["--user=root"] if os.geteuid() == 0 else []


class WordPress:
    """The test WordPress for *model*: ``with WordPress(model) as site: site.url``.

    ``ids`` maps ``posts``, ``pages`` and ``media`` to {slug: id}; ``timings`` holds the seconds each
    step took; ``directory`` the site, the database and the servers' logs (removed by ``stop``).
    """

    def __init__(self, model: dict):
        self.model = model
        self.url = ""
        self.ids: dict[str, dict[str, int]] = {}
        self.timings: dict[str, float] = {}
        self.directory: Path | None = None
        self.servers: list[Server] = []

    def __enter__(self) -> WordPress:
        sweep(Path(TEMPORARY or tempfile.gettempdir()))
        self.directory = Path(tempfile.mkdtemp(prefix=f"tmv-wordpress-{os.getpid()}-", dir=TEMPORARY))
        try:
            self._timed("database files", self._make_database)
            db_host = self._timed("database start", self._start_database)
            self.url = self._timed("server", self._start_php)
            self._write_site(db_host)
            self.ids = self._timed("install", self._install)
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        for server in reversed(self.servers):
            server.stop()
        self.servers.clear()
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def _timed(self, step: str, start):
        began = time.perf_counter()
        result = start()
        self.timings[step] = round(time.perf_counter() - began, 2)
        return result

    def _make_database(self) -> None:
        made = subprocess.run(
            [
                "mariadb-install-db",
                "--no-defaults",
                f"--datadir={self.directory / 'db'}",
                *INNODB,
                *as_root(),
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            capture_output=True,
            text=True,
            timeout=STARTUP_TIMEOUT,
        )
        if made.returncode:
            raise HarnessError(f"mariadb-install-db failed:\n{made.stdout}{made.stderr}")

    def _start_database(self) -> str:
        port, init = free_port(), self.directory / "init.sql"
        init.write_text("CREATE DATABASE wordpress;\n")
        server = Server(
            [
                MARIADBD,
                "--no-defaults",
                f"--datadir={self.directory / 'db'}",
                *INNODB,
                *as_root(),
                "--bind-address=127.0.0.1",
                f"--port={port}",
                f"--socket={self.directory / 'db.sock'}",
                f"--pid-file={self.directory / 'db.pid'}",
                f"--init-file={init}",
                "--skip-name-resolve",
                "--skip-log-bin",
                "--performance-schema=OFF",
                # a throw-away database need not survive a crash of the machine
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
            ],
            self.directory / "mariadb.log",
            r"ready for connections",
        )
        self.servers.append(server)
        server.wait_ready()
        return f"127.0.0.1:{port}"

    def _start_php(self) -> str:
        site = self.directory / "site"
        site.mkdir()
        server = Server(
            ["php", "-d", "display_errors=stderr", "-S", "127.0.0.1:0", "-t", str(site), str(HERE / "router.php")],
            self.directory / "php.log",
            r"Development Server \((http://127\.0\.0\.1:\d+)\) started",
        )
        self.servers.append(server)
        return server.wait_ready()[1]

    def _write_site(self, db_host: str) -> None:
        """The site's directory: links to Debian's WordPress, its own wp-config.php and wp-content."""
        site = self.directory / "site"
        for entry in WORDPRESS.iterdir():
            if entry.name not in ("wp-config.php", "wp-content"):
                (site / entry.name).symlink_to(entry)
        (site / "wp-content").mkdir()
        for entry in (WORDPRESS / "wp-content").iterdir():
            (site / "wp-content" / entry.name).symlink_to(entry)
        (site / "wp-content" / "uploads").mkdir()
        (site / "wp-config.php").write_text(
            "<?php\n// Written by tests/wordpress for one run.\n"
            f"define('DB_HOST', '{db_host}');\n"
            f"define('WP_HOME', '{self.url}');\n"
            f"require '{HERE / 'config.php'}';\n"
        )

    def update_post(self, slug: str, **fields) -> None:
        """Changes a post as an editor would (``wp_update_post``'s *fields*; its modified date is now)."""
        assert self.directory is not None
        done = subprocess.run(
            ["php", "-d", "display_errors=stderr", str(HERE / "update.php"), str(self.directory / "site"), slug]
            + [json.dumps(fields, ensure_ascii=False)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode:
            raise HarnessError(f"update.php failed:\n{done.stdout}{done.stderr}")

    def _install(self) -> dict[str, dict[str, int]]:
        model = self.directory / "model.json"
        model.write_text(json.dumps(self.model, ensure_ascii=False), "utf-8")
        done = subprocess.run(
            ["php", "-d", "display_errors=stderr", str(HERE / "setup.php"), str(self.directory / "site"), str(model)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode:
            raise HarnessError(f"setup.php failed:\n{done.stdout}{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])
