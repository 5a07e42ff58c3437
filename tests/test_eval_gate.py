"""The gold-fact gate: every gold file at or above the floors pinned in tests/eval_floors.json."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import CORPUS, GOLD, ROOT


def test_gold_gate(tmp_path):
    if not GOLD.exists() or not CORPUS.exists():
        pytest.skip(f"gold ({GOLD}) or corpus ({CORPUS}) not available")
    out = tmp_path / "scores.json"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval.py"), "--json", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=900)
    print(r.stdout)
    assert r.returncode == 0, r.stdout + r.stderr
    floors = json.loads((ROOT / "tests" / "eval_floors.json").read_text())
    scores = json.loads(out.read_text())
    assert set(floors) <= set(scores), "a floor names a gold file that is not scored"
    assert len(floors) == len(scores), "every gold file has pinned floors"
