"""Where the shared corpus and gold are: `../shared` beside this checkout, or beside the
checkout it was cloned from (a clone made elsewhere, e.g. in /tmp), or $FACTPIPE_SHARED.

    python scripts/shared.py corpus   # prints the folder (used by the Makefile)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    if os.environ.get("FACTPIPE_SHARED"):
        return Path(os.environ["FACTPIPE_SHARED"])
    beside = ROOT.parent / "shared"
    if beside.is_dir():
        return beside
    try:
        origin = subprocess.run(["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        origin = ""
    if origin and "://" not in origin and ":" not in origin.split("/")[0]:  # a local path
        cloned_from = (ROOT / origin).resolve().parent / "shared"
        if cloned_from.is_dir():
            return cloned_from
    return beside


if __name__ == "__main__":
    print(shared_dir() / (sys.argv[1] if len(sys.argv) > 1 else ""))
