"""Render a version folder into one HTML page (placeholder until the full report lands)."""

from __future__ import annotations

import html
import json
from pathlib import Path


def render(version_dir: Path, raw_dir: Path | None = None, previous: Path | None = None) -> str:
    run = json.loads((version_dir / "run.json").read_text())
    return f"<!doctype html><meta charset=utf-8><title>{html.escape(run['version'])}</title><h1>{html.escape(run['version'])}</h1>"
