"""Text and markdown: headings, markup removed with offsets mappable, mojibake, glued words."""

from __future__ import annotations

from conftest import CORPUS
from pipeline.ingest import ingest_file


def test_markdown_emphasis_removed_and_mappable(ingested):
    doc = ingested("003_e4de62413ed41204.txt")
    assert doc.format == "markdown"
    i = doc.text.index("In 2021, NCMEC's call center received 94,428 calls.")
    original = (CORPUS / "003_e4de62413ed41204.txt").read_text(encoding="utf-8")
    j = doc.text.index("94,428", i)
    o = doc.original_offset(j)
    assert original[o:o + 6] == "94,428" and original[o - 2:o] == "**"
    assert "**" not in doc.text


def test_headings_and_list_items(ingested):
    doc = ingested("000_30a837135126b02b.txt")
    heads = [b.text for b in doc.blocks if b.kind == "heading"]
    assert heads[:4] == ["NCMEC Statistics Report", "Aims", "Key Findings", "Since the organisation was launched"]
    items = [b.text for b in doc.blocks if b.kind == "list_item"]
    assert items[0] == "4,910 children have been identified in images and safeguarded."
    assert doc.title == "NCMEC Statistics Report"


def test_mojibake_repaired(ingested):
    doc = ingested("001_f37116a4be8a75c9.txt")
    assert "We\u2019ve reviewed" in doc.text
    assert "a€" not in doc.text


def test_glued_words_and_nbsp_left_for_extraction(ingested):
    doc = ingested("004_aca1b918c746b9b0.txt")
    assert "over82 million reports" in doc.text
    assert "\u00a0" not in doc.text


def test_latin1_text_detected(tmp_path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Les dépenses ont atteint 12 millions d’euros en 2020 à Montréal.\n".encode("cp1252"))
    doc = ingest_file(p)
    assert "dépenses" in doc.text and "Montréal" in doc.text


TEXT_TABLE = """Annual figures

Reports by incident type
Incident type 2021 Reports 2022 Reports 2023 Reports
Online Enticement of Children 44,155 80,524 186,819
Child Sex Trafficking 16,032 18,336 17,353
Unsolicited Obscene Material Sent to a
Child 5,177 35,624 21,904
Grand Total 29,397,681 32,059,029 36,210,368
The totals include reports of every type.
"""

MARKDOWN_TABLE = """# Reports

## Top reporting companies, 2023

| Company | Reports | Share |
|:--------|--------:|------:|
| **ExampleBook** | 17,838,422 | 49.3% |
| Photogram | 11,430,007 | 31.6% |
"""


def _one_table(path, text):
    """The document of `text` written at `path`, and its one table."""
    path.write_text(text, encoding="utf-8")
    doc = ingest_file(path)
    [block] = [b for b in doc.blocks if b.kind == "table"]
    return doc, block.table


def test_plain_text_table_rows_with_year_columns(tmp_path):
    p = tmp_path / "table.txt"
    doc, t = _one_table(p, TEXT_TABLE)
    assert t.caption == "Reports by incident type"
    assert t.stub_header == "Incident type"
    assert t.columns == ["2021 Reports", "2022 Reports", "2023 Reports"]
    labels = [r.label for r in t.rows]
    # a label wrapped onto two lines is one row label
    assert labels == ["Online Enticement of Children", "Child Sex Trafficking",
                      "Unsolicited Obscene Material Sent to a Child", "Grand Total"]
    original = p.read_text(encoding="utf-8")
    for row in t.rows:
        for cell in row.cells:
            assert doc.text[cell.start:cell.end] == cell.text
            o = doc.original_offset(cell.start)
            assert original[o:o + len(cell.text)] == cell.text
    # the sentence after the table stays prose
    assert any(b.kind == "paragraph" and b.text == "The totals include reports of every type." for b in doc.blocks)


def test_markdown_pipe_table(tmp_path):
    p = tmp_path / "table.md"
    doc, t = _one_table(p, MARKDOWN_TABLE)
    assert t.caption == "Top reporting companies, 2023"  # the heading above it
    assert t.stub_header == "Company" and t.columns == ["Reports", "Share"]
    assert [(r.label, [c.text for c in r.cells]) for r in t.rows] == [
        ("ExampleBook", ["17,838,422", "49.3%"]), ("Photogram", ["11,430,007", "31.6%"])]
    original = p.read_text(encoding="utf-8")
    cell = t.rows[0].cells[0]
    o = doc.original_offset(cell.start)
    assert original[o:o + len(cell.text)] == "17,838,422"


def test_prose_lines_ending_in_figures_are_no_table(tmp_path):
    p = tmp_path / "prose.txt"
    p.write_text("In 2021 the hotline took calls from more than\n"
                 "Our volunteers answered 1,200\nThe helpline received a total of 5,000\n", encoding="utf-8")
    doc = ingest_file(p)
    assert not [b for b in doc.blocks if b.kind == "table"]
