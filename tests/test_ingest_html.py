"""HTML ingestion on the real pages: main content, tables (spans, infobox), dates, encodings."""

from __future__ import annotations

import re

import pytest


def _norm(s):
    return re.sub(r"\s+", " ", s)


def _rows(doc):
    return [(b, r) for b in doc.blocks if b.table for r in b.table.rows]


def test_wikipedia_infobox_and_urban_table(ingested):
    doc = ingested("html/wikipedia-new-zealand.html")
    rows = {r.label: (b, r) for b, r in _rows(doc)}
    b, r = rows["September 2019 estimate"]
    assert r.cells[0].text.startswith("4,933,210") and r.section == "Population"
    b, r = rows["Ethnic groups ( 2018 )"]
    assert [c.text for c in r.cells][:2] == ["70.2% European", "16.5% Māori"]
    _, r = rows["Per capita"] if "Per capita" in rows else (None, None)
    assert r is not None
    # side-by-side column groups of the largest-urban-areas table become separate rows
    assert rows["11 Whangarei"][1].cells[-1].text == "58,800"
    assert rows["1 Auckland"][1].cells[-1].text == "1,628,900"
    assert doc.published.isoformat() == "2019-09-26"


def test_wikipedia_navigation_dropped(ingested):
    doc = ingested("html/wikipedia-new-zealand.html")
    text = _norm(doc.text)
    assert "Jump to navigation" not in text
    assert "Members of the Commonwealth of Nations" not in text  # a navbox
    assert "Personal tools" not in text
    assert "New Zealand has six international airports" in text  # a paragraph stays


def test_nz_treasury_tables_and_prose(ingested):
    doc = ingested("html/nz-treasury-prefu-1999-economic-fiscal-summary.html")
    tables = [b for b in doc.blocks if b.table]
    assert len(tables) == 2
    econ = tables[0].table
    assert econ.columns[0] == "1999 Actual" and "March years" in (econ.stub_header or "")
    row = next(r for r in econ.rows if r.label == "Public Consumption")
    assert [c.text for c in row.cells] == ["(0.4)", "6.4", "(3.7)", "(0.9)", "1.0"]
    text = _norm(doc.text)
    assert "Annual average growth is expected to be around 2½% in the year to March 2000" in text
    assert "About Treasury" not in text and "Previous Budgets" not in text


def test_guardian_latin1_article_without_ads(ingested):
    doc = ingested("html/guardian-society-child-tax-credits-2005.html")
    text = _norm(doc.text)
    assert "£1bn giveaway over the next three years" in text  # the pound sign decoded
    assert "Ms Forbes joined about 78,000 claimants" in text  # the sidebar story stays
    assert "spacedesc" not in text and "<a href" not in text  # raw ad markup dropped
    assert "Printable version" not in text


def test_avert_items_with_datelines(ingested):
    doc = ingested("html/avert-uk-hiv-aids-news-2006.html")
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert "Around 63,500 adults now living with HIV in the UK" in heads
    assert any(b.text == "24th November 2006" for b in doc.blocks)
    assert "Lost? Search here" not in doc.text and "site guide" not in doc.text


@pytest.mark.parametrize("name", ["html/wikipedia-new-zealand.html", "html/avert-uk-hiv-aids-news-2006.html",
                                  "html/guardian-society-child-tax-credits-2005.html",
                                  "html/nz-treasury-prefu-1999-economic-fiscal-summary.html"])
def test_offsets(ingested, name):
    doc = ingested(name)
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
        for r in (b.table.rows if b.table else []):
            for c in r.cells:
                assert doc.text[c.start:c.end] == c.text


def test_lines_broken_by_br_that_hold_figures_are_a_table(tmp_path):
    from pipeline.ingest import ingest_file

    p = tmp_path / "review.html"
    p.write_text("<html><body><p>We raised £2.3m last year.</p><p><b>Where the money went</b><br>"
                 "Helpline: 62%<br>Family support: 25%<br>Campaigns: 13%</p></body></html>", encoding="utf-8")
    doc = ingest_file(p)
    [t] = [b.table for b in doc.blocks if b.table]
    assert t.caption == "Where the money went"
    assert [(r.label, r.cells[0].text) for r in t.rows] == [("Helpline", "62%"), ("Family support", "25%"),
                                                            ("Campaigns", "13%")]
    for r in t.rows:
        assert doc.text[r.cells[0].start:r.cells[0].end] == r.cells[0].text
    assert any(b.kind == "paragraph" and b.text == "We raised £2.3m last year." for b in doc.blocks)
