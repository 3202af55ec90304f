"""What `make test` needs beyond Python and make, checked before anything runs (standard library only).

    python3 tests/prerequisites.py             # silent when all is there, else one line and exit 1
    python3 tests/prerequisites.py --packages  # the Debian packages missing, for .ci/run's apt-get
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Prerequisite:
    package: str  # Debian's name
    needed_by: str
    programs: tuple[str, ...] = ()  # any one on PATH shows it is there
    paths: tuple[str, ...] = ()  # every one exists
    override: str = ""  # an environment variable naming the program instead

    def present(self) -> bool:
        if self.override and os.environ.get(self.override):
            return True
        return (not self.programs or any(shutil.which(p) for p in self.programs)) and \
            all(os.path.exists(p) for p in self.paths)


PREREQUISITES = (
    Prerequisite("chromium", "the report's browser test", programs=("chromium", "chromium-browser"),
                 override="TMV_CHROMIUM"),
)


def missing() -> list[Prerequisite]:
    return [p for p in PREREQUISITES if not p.present()]


def main(argv: list[str]) -> int:
    absent = missing()
    if "--packages" in argv:
        print(" ".join(p.package for p in absent))
        return 0
    if not absent:
        return 0
    needs = ", ".join(f"{p.package} ({p.needed_by})" for p in absent)
    print(f"make test needs Debian's {needs}: sudo apt-get install {' '.join(p.package for p in absent)}",
          file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
