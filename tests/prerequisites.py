"""What `make test` needs beyond Python and make, checked before anything runs (standard library only).

python3 tests/prerequisites.py             # silent when all is there, else one line and exit 1
python3 tests/prerequisites.py --packages  # the Debian packages missing, for .ci/run's apt-get
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass

WORDPRESS = "/usr/share/wordpress"


@dataclass(frozen=True)
class Prerequisite:
    package: str  # Debian's name
    needed_by: str
    programs: tuple[str, ...] = ()  # any one on PATH (or in /usr/sbin) shows it is there
    paths: tuple[str, ...] = ()  # every one exists
    php_extension: str = ""  # loaded by the php on PATH
    override: str = ""  # an environment variable naming the program instead

    def present(self) -> bool:
        if self.override and os.environ.get(self.override):
            return True
        path = os.environ.get("PATH", "") + os.pathsep + "/usr/sbin"
        return (
            (not self.programs or any(shutil.which(p, path=path) for p in self.programs))
            and all(os.path.exists(p) for p in self.paths)
            and (not self.php_extension or php_has(self.php_extension))
        )


def php_has(extension: str) -> bool:
    php = shutil.which("php")
    return (
        bool(php)
        and subprocess.run(
            [php, "-r", f"exit(extension_loaded('{extension}') ? 0 : 1);"], capture_output=True, timeout=30
        ).returncode
        == 0
    )


WORDPRESS_TESTS = "the real WordPress's tests"
PREREQUISITES = (
    Prerequisite(
        "chromium", "the report's browser test", programs=("chromium", "chromium-browser"), override="TMV_CHROMIUM"
    ),
    Prerequisite("wordpress", WORDPRESS_TESTS, paths=(f"{WORDPRESS}/wp-settings.php",)),
    Prerequisite("wordpress-l10n", WORDPRESS_TESTS, paths=(f"{WORDPRESS}/wp-content/languages/fr_FR.mo",)),
    Prerequisite(
        "wordpress-theme-twentytwentythree",
        WORDPRESS_TESTS,
        paths=(f"{WORDPRESS}/wp-content/themes/twentytwentythree",),
    ),
    Prerequisite(
        "wordpress-theme-twentytwentyone", WORDPRESS_TESTS, paths=(f"{WORDPRESS}/wp-content/themes/twentytwentyone",)
    ),
    Prerequisite("mariadb-server", WORDPRESS_TESTS, programs=("mariadbd",), paths=("/usr/bin/mariadb-install-db",)),
    Prerequisite("php-cli", WORDPRESS_TESTS, programs=("php",)),
    Prerequisite("php-mysql", WORDPRESS_TESTS, php_extension="mysqli"),
    Prerequisite("php-xml", WORDPRESS_TESTS, php_extension="dom"),  # WordPress's sitemaps answer 501 without it
    Prerequisite("php-mbstring", WORDPRESS_TESTS, php_extension="mbstring"),
)


def missing(needed_by: str | None = None) -> list[Prerequisite]:
    return [p for p in PREREQUISITES if (needed_by is None or p.needed_by == needed_by) and not p.present()]


def main(argv: list[str]) -> int:
    absent = missing()
    if "--packages" in argv:
        print(" ".join(p.package for p in absent))
        return 0
    if not absent:
        return 0
    needs: dict[str, list[str]] = {}
    for p in absent:
        needs.setdefault(p.needed_by, []).append(p.package)
    said = ", ".join(f"{' '.join(packages)} ({why})" for why, packages in needs.items())
    print(
        f"make test needs Debian's {said}: sudo apt-get install {' '.join(p.package for p in absent)}", file=sys.stderr
    )
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
