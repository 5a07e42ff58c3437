"""Several editions of one series make one dataset: one identity per series, totals that agree
across editions and with the transparency report, sum checks that hold on every real table."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import PAGE_2020, PAGE_2021, RAW, TRANSPARENCY, corpus_file, facts, make_raw, run_facts
from pipeline.models import Observation
from pipeline.reconcile import SourceInfo, reconcile

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
    return {"first": first, "last": _latest(out), "out": out, "r2": r2}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory):
    """One run over every document of the shipped corpus (raw/sources.yaml)."""
    tmp = tmp_path_factory.mktemp("shipped")
    names = [s["file"] for s in yaml.safe_load((RAW / "sources.yaml").read_text())["sources"]]
    out = tmp / "extracted"
    r = run_facts(make_raw(tmp, names), out, "-v")
    assert r.returncode == 0, r.stderr
    return {"version": _latest(out), "stderr": r.stderr}


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


def test_every_country_is_one_series_with_one_code_across_editions(editions):
    rows = [o for o in _rows(editions["last"] / "observations.csv")
            if o["source"] in BY_COUNTRY and o["dimensions"].startswith("country=")]
    by_code: dict[str, set] = {}
    for o in rows:
        assert o["metric"] == "ncmec.cybertipline.reports", o
        by_code.setdefault(o["dimension_codes"], set()).add(o["source"])
    # a country in two or more editions is one code (ISO 3166-1 alpha-3, or `unknown`)
    assert sum(len(s) >= 2 for s in by_code.values()) >= 235
    assert {"country=USA", "country=IND", "country=XKX", "country=unknown"} <= set(by_code)
    facts_ = [f for f in _rows(editions["last"] / "facts.csv") if f["metric"] == "ncmec.cybertipline.reports"]
    years: dict[str, set] = {}
    for f in facts_:
        if f["dimension_codes"]:
            assert f["dimensions"].split("=")[0] == "country"
            years.setdefault(f["dimension_codes"], set()).add(f["period_end"][:4])
    assert years["country=IND"] == years["country=BHR"] == {"2019", "2020", "2022"}
    assert sum(y == {"2019", "2020", "2022"} for y in years.values()) >= 235


def test_values_without_a_code_are_listed(shipped):
    # "Europe" resolves to no country: kept as printed, and named in the run's output (-v)
    assert "no code for country=Europe" in shipped["stderr"]
    run = yaml.safe_load((shipped["version"] / "run.json").read_text())
    assert any(u.startswith("country=Europe ") for u in run["counts"]["unresolved_values"])


def test_diff_after_an_edition_lists_new_facts_and_agreements_apart(editions):
    r = facts("diff", "--out", editions["out"], "--format", "csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(r.stdout.splitlines()))
    kinds = {x["change"] for x in rows}
    assert {"added", "agreed"} <= kinds and "changed" not in kinds
    # the 2022 totals of the new editions agree with the transparency report's
    agreed = [x for x in rows if x["change"] == "agreed"]
    assert {x["metric"] for x in agreed} >= {"ncmec.cybertipline.reports", "ncmec.cybertipline.reports.esp"}


# the open conflicts of the shipped corpus, each a real disagreement of its sources
REAL_CONFLICTS = {
    # "29,397,681 million": a scale word on a precise figure (the 2021 page)
    ("scale_anomaly", "ncmec.cybertipline.reports", "2021-12-31"),
    # the 2020 page says 3,220 requests from law enforcement, the transparency report 3,147
    ("value_mismatch", "ncmec.cvip.le_requests", "2020-12-31"),
    # attempted abductions since 2005: 18,335 by the end of 2020 (2020 page), 14,902 by 2021
    ("non_monotone", "ncmec.attempted_abductions", "2021-12-31"),
}


def test_the_only_open_conflicts_on_the_shipped_corpus_are_real(shipped):
    v = shipped["version"]
    facts_ = {f["fact_id"]: f for f in _rows(v / "facts.csv")}
    open_ = {(c["kind"], facts_[c["fact_id"]]["metric"], facts_[c["fact_id"]]["period_end"])
             for c in _rows(v / "conflicts.csv") if c["status"] == "open"}
    found = {k for k in open_ if k[0] != "non_monotone"} | {
        k[:2] + ("2021-12-31",) for k in open_ if k[0] == "non_monotone"}
    assert found == REAL_CONFLICTS
    assert sum(f["status"] == "conflict" for f in facts_.values()) < 0.01 * len(facts_)


def test_almost_every_fact_has_a_metric_id(shipped):
    ids = yaml.safe_load((shipped["version"] / "run.json").read_text())["counts"]["metric_ids"]
    assert ids["curated"] > 1000 and ids["derived"] > 500
    rows = _rows(shipped["version"] / "facts.csv")
    ncmec = [f for f in rows if f["metric"] == "" and "ncmec" in f["observation_ids"]]  # none of NCMEC's
    assert not ncmec
    derived = [f for f in rows if f["metric"].startswith("derived.")]
    assert all(f["status"] in ("single", "agreed") for f in derived)  # a derived id never conflicts


def _edition(source: str, value: float, at: int = 0, metric: str = "example.widgets") -> Observation:
    return Observation(observation_id=f"{source}-{at}", source=source, source_sha256="0" * 64, char_start=at,
                       char_end=at + 3, quote="a row of a table", surface=f"{value:,.0f}", value=value, unit="count",
                       metric=metric, metric_label="widgets sold", period_start=date(2020, 1, 1),
                       period_end=date(2020, 12, 31), period_type="calendar_year", rule="example.widgets.v1",
                       kind="table")


def _sources(**published) -> dict[str, SourceInfo]:
    return {f"{k}.pdf": SourceInfo(published=date.fromisoformat(v), publisher="Example Board")
            for k, v in published.items()}


def test_a_later_edition_revises_a_figure():
    sources = _sources(ed2021="2021-03-01", ed2022="2022-03-01", ed2023="2023-03-01")
    [fact], members = reconcile([_edition("ed2021.pdf", 100), _edition("ed2022.pdf", 100),
                                 _edition("ed2023.pdf", 104)], sources)
    assert fact.status == "revised" and fact.value == 104 and fact.n_sources == 3
    assert "ed2023.pdf" in fact.chosen_reason and "revised" in fact.chosen_reason
    assert {m.kind for m in members} == {"revision"} and {m.status for m in members} == {"resolved"}
    assert sorted(m.detail.split(":")[0] for m in members) == ["vintage 1 of 3", "vintage 2 of 3", "vintage 3 of 3"]


@pytest.mark.parametrize("case", ["same date", "other publisher", "no date", "self-contradiction"])
def test_disagreements_that_are_not_revisions_stay_conflicts(case):
    sources = _sources(a="2021-03-01", b="2022-03-01")
    obs = [_edition("a.pdf", 100), _edition("b.pdf", 104)]
    if case == "same date":
        sources["b.pdf"] = SourceInfo(published=date(2021, 3, 1), publisher="Example Board")
    elif case == "other publisher":
        sources["b.pdf"] = SourceInfo(published=date(2022, 3, 1), publisher="A Newspaper")
    elif case == "no date":
        sources["b.pdf"] = SourceInfo(publisher="Example Board")
    else:
        obs.append(_edition("b.pdf", 100, at=50))  # the later edition says both
    [fact], members = reconcile(obs, sources)
    assert fact.status == "conflict"
    assert {m.kind for m in members} == {"value_mismatch"} and {m.status for m in members} == {"open"}


def test_a_derived_series_merges_agreeing_figures_and_never_conflicts():
    sources = _sources(a="2021-03-01", b="2022-03-01", c="2022-03-01")
    obs = [_edition(s, v, metric="") for s, v in (("a.pdf", 100), ("b.pdf", 100), ("c.pdf", 7))]
    facts_, members = reconcile(obs, sources)
    assert not members
    assert sorted((f.metric, f.value, f.status) for f in facts_) == [
        ("derived.widgets_sold", 7, "single"), ("derived.widgets_sold", 100, "agreed")]


def test_entity_codes():
    from pipeline.extract.rules import Dimension

    country = Dimension(key="country", headers=["Country"], codes="iso3166_alpha3", aliases={"Bahrein": "Bahrain"},
                        extra_codes={"Netherlands Antilles": "ANT"}, unknown=["No Country Listed"])
    assert [country.code(country.fold(n)) for n in ("Bahrein", "Bahrain", "Namibia", "Kosovo", "Netherlands Antilles",
                                                     "NO COUNTRY LISTED", "Atlantis")] == \
        ["BHR", "BHR", "NAM", "XKX", "ANT", "unknown", ""]
    esp = Dimension(key="esp", headers=["ESP"], strip_suffixes=["Inc", "Ltd"], brand_clause=True,
                    strip_prefixes=["The"], strip_endings=[".com"], aliases={"Oldname": "Newname"})
    assert {esp.code(esp.fold(n)) for n in ("Northwind, Inc. (dba Tailspin)", "Northwind Inc, d/b/a Tailspin",
                                            "NORTHWIND", "The Northwind", "Northwind.com")} == {"northwind"}
    assert esp.code("Oldname") == esp.code("Newname") == "newname"
    assert esp.code("Northwind Ltd (dba One)", keep_brand=True) == "northwind ltd dba one"
