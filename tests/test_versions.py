"""Versioned datasets on real documents: the 2020/2021 web pages, then the CY 2022 report."""

from __future__ import annotations

import csv
import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import PAGE_2020, PAGE_2021, RULES, TRANSPARENCY, corpus_file, facts, run_facts as _run


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _fingerprint(out: Path) -> dict[str, str]:
    """sha256 of every file of every complete version, plus LATEST."""
    fp = {}
    for p in sorted(out.rglob("*")):
        if p.is_file() and (p.parent.name.startswith("v0") or p.name == "LATEST"):
            fp[str(p.relative_to(out))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return fp


def _fact(version: Path, metric: str, end: str, dims: str = "", ptype: str = "calendar_year") -> dict:
    rows = [f for f in _rows(version / "facts.csv") if f["metric"] == metric and f["period_end"] == end
            and f["dimensions"] == dims and f["period_type"] == ptype]
    assert len(rows) == 1, rows
    return rows[0]


def test_first_and_second_version(scenario):
    out = scenario["out"]
    assert (out / "LATEST").read_text().strip() == "v0002"
    assert sorted(p.name for p in out.iterdir() if p.name.startswith("v")) == ["v0001", "v0002"]
    for v in ("v0001", "v0002"):
        for f in ("observations.csv", "facts.csv", "conflicts.csv", "datapackage.json", "report.html"):
            assert (out / v / f).stat().st_mode & 0o044 == 0o044, f"{f} is not readable by others"
    assert (out / "LATEST").stat().st_mode & 0o044 == 0o044
    # the second run reused the two pages and processed only the new report
    assert "reused     001_f37116a4be8a75c9.txt" in scenario["r2"].stdout + scenario["r2"].stderr
    assert f"processed  {TRANSPARENCY}" in scenario["r2"].stdout + scenario["r2"].stderr


def test_changelog_names_the_new_source(scenario):
    log = (scenario["out"] / "CHANGELOG.md").read_text()
    assert log.index("## v0002") < log.index("## v0001")
    v2 = log.split("## v0001")[0]
    assert f"document added: `{TRANSPARENCY}`" in v2
    assert "facts:" in v2 and "conflicts:" in v2


def test_truncated_copies_agree_with_the_exact_figure(scenario):
    v2 = scenario["out"] / "v0002"
    fact = _fact(v2, "ncmec.cybertipline.reports", "2020-12-31")
    assert fact["status"] == "agreed"
    assert float(fact["value"]) == 21751085
    obs = {o["observation_id"]: o for o in _rows(v2 / "observations.csv")}
    members = [obs[i] for i in fact["observation_ids"].split(";")]
    sources = {o["source"] for o in members}
    assert {PAGE_2020, TRANSPARENCY} <= sources
    web = next(o for o in members if o["source"] == PAGE_2020)
    assert web["qualifier"] == "over" and float(web["value"]) == 21_700_000  # "well over 21.7 million"
    assert fact["chosen_observation"] in {o["observation_id"] for o in members if o["source"] == TRANSPARENCY}


def test_scale_anomaly_is_a_conflict(scenario):
    v2 = scenario["out"] / "v0002"
    fact = _fact(v2, "ncmec.cybertipline.reports", "2021-12-31")
    assert fact["status"] == "conflict" and float(fact["value"]) == 29397681
    members = [c for c in _rows(v2 / "conflicts.csv") if c["kind"] == "scale_anomaly"]
    assert any(c["surface"] == "29,397,681 million" and c["source"] == PAGE_2021 for c in members)
    assert any(c["source"] == TRANSPARENCY for c in members)


def test_diff_lists_added_facts(scenario):
    r = facts("diff", "--out", scenario["out"])
    assert r.returncode == 0, r.stderr
    first = r.stdout.splitlines()[0]
    assert first.startswith("facts diff v0001 -> v0002:") and "added" in first
    assert any(l.startswith("+ ") for l in r.stdout.splitlines())
    r = facts("diff", "v0001", "v0002", "--out", scenario["out"], "--format", "csv")
    rows = list(csv.DictReader(r.stdout.splitlines()))
    assert any(x["change"] == "added" and x["metric"] == "ncmec.cybertipline.reports.public" for x in rows)
    assert any(x["change"] == "agreed" and x["old_status"] == "single" for x in rows)  # the 2020 total


def test_unchanged_rerun_writes_no_version(scenario):
    before = _fingerprint(scenario["out"])
    r = _run(scenario["raw"], scenario["out"])
    assert r.returncode == 0 and "no changes" in r.stdout
    assert _fingerprint(scenario["out"]) == before


def test_every_version_is_a_valid_data_package(scenario):
    frictionless = pytest.importorskip("frictionless")
    for v in ("v0001", "v0002"):
        report = frictionless.validate(str(scenario["out"] / v / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_manual_resolution(scenario, tmp_path):
    out = tmp_path / "extracted"
    shutil.copytree(scenario["out"], out)
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    v2 = out / "v0002"
    fact = _fact(v2, "ncmec.cybertipline.reports", "2021-12-31")
    (rules / "resolutions.yaml").write_text(yaml.safe_dump({"resolutions": [{
        "id": "res-2021-total", "fact": {"metric": "ncmec.cybertipline.reports", "period_end": "2021-12-31"},
        "kind": "scale_anomaly", "value": 29397681,
        "reason": "'29,397,681 million' on the 2021 impact page is a typo; the report to Congress gives 29,397,681",
        "by": "Test Analyst", "date": "2026-11-25", "evidence": fact["observation_ids"].split(";")}]}))
    r = _run(scenario["raw"], out, rules=rules)
    assert r.returncode == 0, r.stderr
    v3 = out / "v0003"
    resolved = _fact(v3, "ncmec.cybertipline.reports", "2021-12-31")
    assert resolved["status"] == "resolved" and "res-2021-total" in resolved["chosen_reason"]
    members = [c for c in _rows(v3 / "conflicts.csv") if c["fact_id"] == resolved["fact_id"]]
    assert members and all(c["status"] == "resolved" for c in members)
    assert "1 closed" in (out / "CHANGELOG.md").read_text().split("## v0002")[0]


def test_broken_resolution_names_file_and_entry(scenario, tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "resolutions.yaml").write_text("resolutions:\n  - id: r1\n    fact: {metric: x}\n    value: 1\n")
    r = _run(scenario["raw"], tmp_path / "out", rules=rules)
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1].startswith(f"Error: {rules / 'resolutions.yaml'}: resolution r1:")


def test_failed_document_is_carried_over_stale(scenario, tmp_path):
    out = tmp_path / "extracted"
    shutil.copytree(scenario["out"], out)
    raw = tmp_path / "raw"
    shutil.copytree(scenario["raw"], raw)
    (raw / TRANSPARENCY).write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 1000)  # now corrupt
    r = _run(raw, out)
    assert r.returncode != 0
    assert f"Error: {raw / TRANSPARENCY}:" in r.stderr
    v3 = out / "v0003"
    obs = _rows(v3 / "observations.csv")
    assert any(o["source"] == TRANSPARENCY for o in obs)  # what v0002 knew is still there
    source_of = {o["observation_id"]: o["source"] for o in obs}
    stale = [f for f in _rows(v3 / "facts.csv") if f["stale"] == "true"]
    assert stale and all({source_of[i] for i in f["observation_ids"].split(";")} == {TRANSPARENCY} for f in stale)
    log = (out / "CHANGELOG.md").read_text().split("## v0002")[0]
    assert f"document failed: `{TRANSPARENCY}`" in log and "stale" in log


def test_damaged_cache_entries_are_processed_again(scenario, tmp_path):
    out = tmp_path / "extracted"
    shutil.copytree(scenario["out"], out)
    raw = tmp_path / "raw"
    shutil.copytree(scenario["raw"], raw)
    damaged = [p for p in (out / ".cache").rglob("*.json")]
    assert damaged
    for p in damaged:
        p.write_text('{"source": "trunc')
    shutil.copy(corpus_file("000_30a837135126b02b.txt"), raw / "000_30a837135126b02b.txt")
    r = _run(raw, out, "-v")
    assert r.returncode == 0, r.stderr
    assert f"processed  {TRANSPARENCY}" in r.stderr + r.stdout
    before = {f["fact_id"]: f["value"] for f in _rows(out / "v0002" / "facts.csv")}
    after = {f["fact_id"]: f["value"] for f in _rows(out / "v0003" / "facts.csv")}
    assert before.items() <= after.items()  # nothing lost, the new page only added


def test_second_run_is_locked_out(scenario, tmp_path):
    from pipeline.dataset.store import locked

    out = tmp_path / "extracted"
    with locked(out):
        r = _run(scenario["raw"], out)
    assert r.returncode != 0
    assert "another `facts run` is writing here" in r.stderr


@pytest.mark.parametrize("stage, jobs", [("extracted", "1"), ("written", "1"), ("published", "1"), ("changelog", "1"),
                                         ("extracted", "2"), ("written", "2")])
def test_sigkill_at_any_stage_loses_nothing(scenario, tmp_path, stage, jobs):
    # with two jobs a second process renders the report's observations while the run
    # reconciles: killed with the run, it must not keep the lock or leave files behind
    out = tmp_path / "extracted"
    shutil.copytree(scenario["out"], out)
    raw = tmp_path / "raw"
    shutil.copytree(scenario["raw"], raw)
    (raw / "extra.md").write_text("# Note\n\nIn 2021 the hotline answered 94,428 calls.\n")
    before = _fingerprint(out)
    r = _run(raw, out, "--jobs", jobs, env={"FACTPIPE_KILL_AT": stage})
    assert r.returncode == -9  # killed by SIGKILL
    after = _fingerprint(out)
    assert {k: v for k, v in after.items() if k in before} == before  # earlier versions and LATEST intact
    assert (out / "LATEST").read_text().strip() == "v0002"
    r = _run(raw, out, "--jobs", jobs)
    assert r.returncode == 0, r.stderr
    latest = (out / "LATEST").read_text().strip()
    assert latest in ("v0003", "v0004") and (out / latest / "facts.csv").exists()
    assert not list(out.glob(".tmp-*"))


def test_a_forked_helper_does_not_keep_the_lock_of_a_killed_run(tmp_path):
    """A run's helper process (the report's observations, rendered while the run reconciles)
    lets go of the lock it inherited: once the run is killed, the next run can start."""
    import subprocess
    import sys
    import time

    from pipeline.dataset.store import locked

    out = tmp_path / "extracted"
    script = (
        "import os, signal, sys, time\n"
        "from pipeline.dataset.store import locked\n"
        "from pipeline.forked import Forked\n"
        "with locked(sys.argv[1]):\n"
        "    Forked(lambda: time.sleep(5), parallel=True)\n"
        "    time.sleep(0.2)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")
    # no pipes: the helper would hold them open, and run() would wait for it
    r = subprocess.run([sys.executable, "-c", script, str(out)], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=60)
    assert r.returncode == -9
    started = time.monotonic()
    with locked(out):  # the helper still sleeps, the lock is free
        assert time.monotonic() - started < 4
