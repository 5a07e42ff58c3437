"""The CLI as users call it: every command documented with an example, errors as one line."""

from __future__ import annotations

import json

import pytest

from conftest import facts
from pipeline.cli import main

COMMANDS = ["run", "extract", "ingest", "diff", "fetch", "report"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    assert command in main.commands
    r = facts(command, "--help")
    assert r.returncode == 0 and "Example" in r.stdout


def test_ingest_prints_structure_and_json(tmp_path):
    p = tmp_path / "note.md"
    p.write_text("# Annual figures\n\nIn 2021 we answered **94,428** calls.\n\n- item one\n")
    r = facts("ingest", p)
    assert r.returncode == 0 and "heading h1" in r.stdout and "94,428" in r.stdout
    doc = json.loads(facts("ingest", p, "--format", "json").stdout)
    b = doc["blocks"][1]
    assert doc["text"][b["start"]:b["end"]] == b["text"] == "In 2021 we answered 94,428 calls."


def test_missing_file_is_one_error_line(tmp_path):
    r = facts("ingest", tmp_path / "nope.pdf")
    assert r.returncode != 0
    assert r.stderr.strip().splitlines()[-1].startswith("Error: ")


def test_broken_rules_file_names_file_and_rule(tmp_path):
    import shutil
    from conftest import RULES
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "metrics").mkdir(exist_ok=True)
    (rules / "metrics" / "zz_broken.yaml").write_text(
        "rules:\n  - id: broken.rule.v1\n    metric: broken\n    label: x\n"
        "    patterns:\n      - tokens: [{NOT_AN_ATTR: 1}]\n")
    r = facts("extract", "--rules", rules, tmp_path / "nothing.txt")
    assert r.returncode != 0
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith(f"Error: {rules / 'metrics' / 'zz_broken.yaml'}: rule broken.rule.v1: patterns[0]")
