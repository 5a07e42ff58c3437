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
