"""``python _cpu_of.py FILE ARGS…``: run ``python ARGS…``, write its user+sys CPU seconds to FILE
(profile_crawl.py: the CPU of the profiled process alone, not py-spy's)."""

import os
import subprocess
import sys

process = subprocess.Popen([sys.executable, *sys.argv[2:]])
_, status, usage = os.wait4(process.pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_utime + usage.ru_stime}\n")
sys.exit(os.waitstatus_to_exitcode(status))
