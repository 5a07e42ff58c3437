"""Several editions of one series make one dataset: one identity per series, totals that agree
across editions and with the transparency report, sum checks that hold on every real table."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import RAW, TRANSPARENCY, corpus_file, make_raw, run_facts
from pipeline.models import Observation
from pipeline.reconcile import reconcile

BY_COUNTRY = [f"ncmec-cybertipline-reports-by-country-{y}.pdf" for y in (2019, 2020, 2022)]
BY_ESP = [f"ncmec-cybertipline-reports-by-esp-{y}.pdf" for y in (2019, 2020, 2022)]


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _latest(out: Path) -> Path:
    return out / (out / "LATEST").read_text().strip()


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """A run over the first two editions of each series and the transparency report, then a
    rerun after the third edition of each series is added."""
    tmp = tmp_path_factory.mktemp("editions")
    later = [BY_COUNTRY[-1], BY_ESP[-1]]
    raw = make_raw(tmp, [n for n in BY_COUNTRY + BY_ESP + [TRANSPARENCY] if n not in later])
    out = tmp / "extracted"
    r1 = run_facts(raw, out)
    assert r1.returncode == 0, r1.stderr
    first = _latest(out)
    entries = {s["file"]: s for s in yaml.safe_load((RAW / "sources.yaml").read_text())["sources"]}
    manifest = yaml.safe_load((raw / "sources.yaml").read_text())
    for name in later:
        shutil.copy(corpus_file(name), raw / name)
        manifest["sources"].append(entries[name])
    (raw / "sources.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False))
    r2 = run_facts(raw, out)
    assert r2.returncode == 0, r2.stderr
    return {"first": first, "last": _latest(out)}


def test_every_table_of_every_edition_sums_to_its_total(editions):
    kinds = {r["kind"] for v in ("first", "last") for r in _rows(editions[v] / "conflicts.csv")}
    assert "sum_mismatch" not in kinds


@pytest.mark.parametrize("names,metric,key", [(BY_COUNTRY, "ncmec.cybertipline.reports", "country"),
                                              (BY_ESP, "ncmec.cybertipline.reports.esp", "esp")])
def test_each_series_keeps_one_metric_and_one_dimension_key(editions, names, metric, key):
    rows = [o for o in _rows(editions["last"] / "observations.csv") if o["source"] in names and o["kind"] == "table"]
    assert {o["source"] for o in rows} == set(names)
    assert {o["metric"] for o in rows} == {metric}
    # every row is keyed by the dimension; the total rows carry none
    assert {o["dimensions"].split("=")[0] for o in rows} == {key, ""}
    totals = [o for o in rows if not o["dimensions"]]
    assert sorted(o["period_end"][:4] for o in totals) == ["2019", "2020", "2022"]


def test_a_company_name_is_not_a_metric_pattern(editions):
    # a row whose company name holds a word of another rule's patterns ("International") stays
    # one of the ESP rows
    rows = [o for o in _rows(editions["last"] / "observations.csv") if o["source"] == BY_ESP[-1]]
    named = [o for o in rows if "International" in o["dimensions"]]
    assert named and {o["metric"] for o in named} == {"ncmec.cybertipline.reports.esp"}


def test_totals_agree_across_editions_and_with_the_transparency_report(editions):
    facts = _rows(editions["last"] / "facts.csv")
    for metric, year in [("ncmec.cybertipline.reports", "2020"), ("ncmec.cybertipline.reports", "2022"),
                         ("ncmec.cybertipline.reports.esp", "2020"), ("ncmec.cybertipline.reports.esp", "2022")]:
        [total] = [f for f in facts if f["metric"] == metric and not f["dimensions"]
                   and f["period_end"] == f"{year}-12-31" and f["period_type"] == "calendar_year"]
        assert total["status"] == "agreed" and int(total["n_sources"]) >= 2, total


def test_adding_an_edition_adds_facts_and_no_conflict(editions):
    before = _rows(editions["first"] / "facts.csv")
    after = _rows(editions["last"] / "facts.csv")
    assert len(after) > len(before)
    assert {r["conflict_id"] for r in _rows(editions["last"] / "conflicts.csv")} <= \
        {r["conflict_id"] for r in _rows(editions["first"] / "conflicts.csv")}
    assert sum(f["status"] == "conflict" for f in after) < 0.01 * len(after)


def _printed(source: str, at: int, value: float, dims: str = "") -> Observation:
    return Observation(observation_id=f"{source}-{at}", source=source, source_sha256="0" * 64, char_start=at,
                       char_end=at + 3, quote="a row of a table", surface=f"{value:,.0f}", value=value, unit="count",
                       metric="example.widgets", metric_label="widgets", dimensions=dims,
                       period_start=date(2020, 1, 1), period_end=date(2020, 12, 31), period_type="calendar_year",
                       rule="example.widgets.v1", kind="table")


def test_sum_check_compares_one_documents_parts_with_its_own_total():
    # two editions print the same table: each adds up, and restated parts are not counted twice
    edition = [[_printed(src, 0, 30), _printed(src, 10, 10, "region=North"), _printed(src, 20, 20, "region=South")]
               for src in ("a.pdf", "b.pdf")]
    _, members = reconcile(edition[0] + edition[1])
    assert not [m for m in members if m.kind == "sum_mismatch"]
    # a document whose parts do not add up to its own total is flagged, and only that document
    wrong = [_printed("c.pdf", 0, 30), _printed("c.pdf", 10, 10, "region=North"),
             _printed("c.pdf", 20, 25, "region=South")]
    _, members = reconcile(wrong + [_printed("d.pdf", 0, 35)])
    sums = [m for m in members if m.kind == "sum_mismatch"]
    assert sums and {m.source for m in sums} == {"c.pdf"}


def test_a_company_printed_with_and_without_its_legal_form_is_one_series(editions):
    facts = [f for f in _rows(editions["last"] / "facts.csv")
             if f["metric"] == "ncmec.cybertipline.reports.esp" and f["dimensions"].startswith("esp=")]
    names = {f["dimensions"] for f in facts}
    assert not [n for n in names if n.endswith(("*", "Inc.", "LLC", "Ltd."))]
    years: dict[str, set] = {}
    for f in facts:
        years.setdefault(f["dimensions"], set()).add(f["period_end"][:4])
    # a company in every edition is one series of three years (before folding: 40 of them)
    assert sum(len(y) == 3 for y in years.values()) >= 60


def test_dimension_values_fold_marks_suffixes_and_aliases():
    from pipeline.extract.rules import Dimension

    d = Dimension(key="esp", headers=["Provider"], strip_marks="*", strip_suffixes=["Inc", "LLC", "Limited"],
                  aliases={"Acme Widgets": "Acme"})
    assert d.fold("Example Web, Inc.") == d.fold("Example Web LLC*") == d.fold("Example Web") == "Example Web"
    assert d.fold("Acme Widgets, Inc.") == "Acme"
    assert d.fold("Northwind Limited (Tailspin)") == "Northwind Limited (Tailspin)"  # a brand keeps its name
    assert d.fold("Inc") == "Inc"  # nothing left: the value stays as printed
