"""PDF ingestion on the real NCMEC PDFs: tables without ruling lines, furniture, footnotes."""

from __future__ import annotations

import pytest

from conftest import BY_COUNTRY, BY_ESP, TRANSPARENCY


def _tables(doc, page=None):
    return [b for b in doc.blocks if b.kind == "table" and (page is None or b.page == page)]


def _row(doc, label, page=None):
    for b in _tables(doc, page):
        for r in b.table.rows:
            if r.label == label:
                return b, r
    raise AssertionError(f"no row {label!r} on page {page}")


def test_offsets_slice_back_to_block_and_cell_text(ingested):
    doc = ingested(TRANSPARENCY)
    for b in doc.blocks:
        assert doc.text[b.start:b.end] == b.text
        if b.table:
            for r in b.table.rows:
                for c in r.cells:
                    assert doc.text[c.start:c.end] == c.text
    for p in doc.pages:
        assert p.start <= p.end
    assert [p.number for p in doc.pages] == list(range(1, 20))


def test_transparency_cy_rows_with_headers(ingested):
    doc = ingested(TRANSPARENCY)
    block, row = _row(doc, "Total CyberTipline Reports", page=4)
    assert block.table.columns == ["CY 2020", "CY 2021", "CY 2022"]
    assert [c.text for c in row.cells] == ["21,751,085", "29,397,681", "32,059,029"]
    assert "Members of the Public and ESPs" in block.table.stub_header
    assert row.cells[0].bbox is not None and row.cells[0].page == 4


def test_transparency_multiline_label_and_value_printed_higher(ingested):
    doc = ingested(TRANSPARENCY)
    # "Child Pornography / (possession, manufacture, distribution)" around its numbers
    _, row = _row(doc, "Child Pornography (possession, manufacture, distribution)", page=5)
    assert [c.text for c in row.cells] == ["21,669,264", "29,309,106", "31,901,234"]
    # the CY 2022 column of "Files Uploaded" is printed two points above the others
    _, row = _row(doc, "Images", page=5)
    assert [c.text for c in row.cells] == ["33,690,561", "39,939,298", "49,404,779"]


def test_transparency_label_value_cells_split(ingested):
    doc = ingested(TRANSPARENCY)
    block = _tables(doc, 8)[1]
    rows = [r for r in block.table.rows if r.label == "International Law Enforcement"]
    assert [c.label for c in rows[1].cells] == ["Informational"] * 3
    assert rows[1].cells[0].text.endswith("11,380,684")
    icac = [r for r in block.table.rows if r.label.startswith("Internet Crimes Against Children")]
    assert [c.label for r in icac for c in r.cells][:3] == ["Actionable"] * 3
    assert icac[0].cells[0].text == "Actionable: 273,619"


def test_transparency_six_column_header_and_appendix(ingested):
    doc = ingested(TRANSPARENCY)
    block = _tables(doc, 7)[0]
    assert len(block.table.columns) == 6
    assert block.table.columns[1].startswith("CY 2020") and "PhotoDNA" in block.table.columns[1]
    _, row = _row(doc, "CY1998 (1/1/98-12/31/98)", page=19)
    assert row.cells[0].text == "4,560"


def test_transparency_furniture_and_footnote_markers(ingested):
    doc = ingested(TRANSPARENCY)
    furniture = [b for b in doc.blocks if b.kind == "furniture"]
    assert any(b.text.startswith("Copyright ©") for b in furniture)
    prose = " ".join(b.text for b in doc.blocks if b.kind == "paragraph")
    assert "Copyright ©" not in prose
    # "over 32 million. 2 Appendix A": the footnote mark kept apart from the figure
    i = doc.text.index("32 million.")
    marks = [doc.text[m.start:m.end] for m in doc.markers if i < m.start < i + 20]
    assert marks == ["2"]
    assert any(b.kind == "footnote" and b.text.startswith("2 References to CY 2020") for b in doc.blocks)


def test_by_esp_wrapped_company_names(ingested):
    doc = ingested(BY_ESP)
    _, row = _row(doc, "Deluxe Corporation/ColoCrossing/HudsonValleyHost", page=2)
    assert row.cells[0].text == "14"
    _, row = _row(doc, "Multi Media, LLC/Zmedianow, LLC/Chaturbate", page=4)
    assert row.cells[0].text == "1,367"
    _, row = _row(doc, "Totals:", page=6)
    assert row.cells[0].text == "21,447,786"
    rows = sum(len(b.table.rows) for b in _tables(doc))
    assert rows == 169  # 168 companies and the total


def test_by_country_side_by_side_pairs(ingested):
    doc = ingested(BY_COUNTRY)
    block, row = _row(doc, "Algeria", page=2)
    assert row.cells[0].text == "700,535"
    assert block.table.stub_header == "Country" and block.table.columns == ["Total Reports"]
    _, row = _row(doc, "Congo, The Democratic Republic of the", page=2)
    assert row.cells[0].text == "3,856"
    _, row = _row(doc, "Saint Helena, Ascension and Tristan da Cunha", page=4)
    assert row.cells[0].text == "2"
    _, row = _row(doc, "TOTAL", page=5)
    assert row.cells[0].text == "16,987,361"
    # the running footer "2019 Reports by ESP" is furniture, not a table row
    assert all(not r.label.startswith("2019 Reports") for b in _tables(doc) for r in b.table.rows)
    assert sum(len(b.table.rows) for b in _tables(doc)) == 243


@pytest.mark.parametrize("name", [TRANSPARENCY, BY_ESP, BY_COUNTRY])
def test_pdf_metadata(ingested, name):
    doc = ingested(name)
    assert doc.format == "pdf" and doc.title and len(doc.sha256) == 64
