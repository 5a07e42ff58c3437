"""CHANGELOG.md: one entry per version saying what changed and why (inputs, rules, code)."""

from __future__ import annotations

from pathlib import Path

from .store import CHANGELOG, write_atomic

HEADER = "# Dataset changelog\n\nOne entry per version, newest first. Written by `facts run`.\n"


# the first version written after the interface gained these names (CONTRACT.md)
MIGRATION_EDITIONS = (
    "- migration: facts.csv and observations.csv gain `dimension_codes` (the identity of a breakdown value: "
    "ISO 3166-1 alpha-3 for countries), facts a status `revised` and derived metric ids (`derived.*`) for "
    "figures no rule attributes; conflicts.csv a kind `revision`; `facts diff` the changes `agreed`, `revised` "
    "and `status` beside `added`, `removed` and `changed`. Fact ids of coded breakdowns change once.")


def entry(version: str, run: dict, prev_run: dict | None, fact_counts: dict[str, int],
          opened: int, closed: int) -> str:
    docs = {d["source"]: d for d in run["documents"]}
    before = {d["source"]: d for d in (prev_run or {}).get("documents", [])}
    added = [d for s, d in docs.items() if s not in before]
    removed = [d for s, d in before.items() if s not in docs]
    changed = [(before[s], d) for s, d in docs.items() if s in before and before[s]["sha256"] != d["sha256"]]
    failed = [d for d in docs.values() if d["status"] in ("failed", "stale")]
    lines = [f"## {version} ({run['created']})", ""]
    if prev_run is None:
        lines.append("- first version")
    else:
        lines.append(f"- previous version: {prev_run['version']}")
    for d in added:
        lines.append(f"- document added: `{d['source']}` (sha256 {d['sha256'][:12]})")
    for d in removed:
        lines.append(f"- document removed: `{d['source']}` (sha256 {d['sha256'][:12]})")
    for old, new in changed:
        lines.append(f"- document changed: `{new['source']}` (sha256 {old['sha256'][:12]} -> {new['sha256'][:12]})")
    for d in failed:
        carried = " ; its facts from the previous version are carried over, marked stale" if d["status"] == "stale" else ""
        lines.append(f"- document failed: `{d['source']}`: {d.get('error')}{carried}")
    rules_note = "changed" if prev_run and prev_run.get("rules_hash") != run["rules_hash"] else "unchanged"
    code_note = "changed" if prev_run and prev_run.get("code_version") != run["code_version"] else "unchanged"
    lines.append(f"- rules: {run['rules_hash'][:12]} ({rules_note if prev_run else 'initial'})")
    lines.append(f"- code: {run['code_version']} ({code_note if prev_run else 'initial'})")
    lines.append(f"- facts: {fact_counts.get('added', 0)} added, {fact_counts.get('removed', 0)} removed, "
                 f"{fact_counts.get('agreed', 0)} agreed by a new source, {fact_counts.get('revised', 0)} revised "
                 f"by a later edition, {fact_counts.get('changed', 0)} changed, {fact_counts.get('status', 0)} "
                 f"changed status ({run['counts']['facts']} in all)")
    lines.append(f"- conflicts: {opened} opened, {closed} closed ({run['counts']['conflicts_open']} open)")
    if run["counts"].get("revisions"):
        lines.append(f"- revisions: {run['counts']['revisions']} facts restated by a later edition (status `revised`)")
    if prev_run and "revised" not in prev_run.get("counts", {}).get("facts_by_status", {}):
        lines.append(MIGRATION_EDITIONS)
    return "\n".join(lines) + "\n"


def prepend(out_dir: Path, text: str) -> None:
    path = Path(out_dir) / CHANGELOG
    old = path.read_text(encoding="utf-8") if path.exists() else HEADER
    body = old[len(HEADER):] if old.startswith(HEADER) else "\n" + old
    write_atomic(path, HEADER + "\n" + text + body)
