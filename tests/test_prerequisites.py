"""`make test` says in one line which Debian package is missing, before running anything."""

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).with_name("prerequisites.py")


def run(*args: str, path: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "TMV_CHROMIUM"} | {"PATH": path}
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True, text=True, timeout=30)


def test_nothing_on_the_path_names_every_package_in_one_line(tmp_path):
    done = run(path=str(tmp_path))
    assert done.returncode == 1 and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("make test needs Debian's chromium (the report's browser test)")
    assert line.endswith(": sudo apt-get install " + run("--packages", path=str(tmp_path)).stdout.strip())


def test_a_program_on_the_path_is_enough(tmp_path):
    (tmp_path / "chromium").write_text("#!/bin/sh\n")
    (tmp_path / "chromium").chmod(0o755)
    assert "chromium" not in run("--packages", path=str(tmp_path)).stdout.split()
