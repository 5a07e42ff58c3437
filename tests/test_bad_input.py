"""Bad input: one clear error naming the file and the reason; the other documents still run."""

from __future__ import annotations

import shutil

import pytest

from conftest import corpus_file, facts
from pipeline.errors import IngestError
from pipeline.ingest import ingest_file


def _encrypted_pdf(path):
    """A real corpus PDF encrypted with a user password (pypdf, a test dependency)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for page in PdfReader(corpus_file("ncmec-cybertipline-reports-by-esp-2020.pdf")).pages[:1]:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with path.open("wb") as fh:
        writer.write(fh)


CASES = {
    "corrupt.pdf": (lambda p: p.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20), "corrupt"),
    "encrypted.pdf": (_encrypted_pdf, "encrypted"),
    "empty.txt": (lambda p: p.write_bytes(b""), "empty file"),
    "binary.html": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8), "binary"),
    "unknown.txt": (lambda p: p.write_bytes(bytes([0x81, 0x8d, 0x8f, 0x90, 0x9d, 0xfe, 0xff, 0x98]) * 300), "encoding"),
    "notes.docx": (lambda p: p.write_bytes(b"PK\x03\x04 not supported"), "unsupported file type"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_bad_file_gets_a_clear_error(tmp_path, name):
    make, reason = CASES[name]
    p = tmp_path / name
    make(p)
    with pytest.raises(IngestError) as e:
        ingest_file(p)
    assert str(p) in e.value.message and reason in e.value.reason.lower()


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("In 2021 there were 5 reports.\n" * 1000)
    with pytest.raises(IngestError, match="above the size limit"):
        ingest_file(p, max_bytes=1000)


def test_cli_reports_every_bad_file_and_still_extracts_the_good_one(tmp_path):
    for name, (make, _) in CASES.items():
        make(tmp_path / name)
    good = tmp_path / "000_30a837135126b02b.txt"
    shutil.copy(corpus_file(good.name), good)
    files = sorted(tmp_path.iterdir())
    r = facts("extract", "--format", "csv", *files)
    assert r.returncode != 0
    errors = [l for l in r.stderr.splitlines() if l.startswith("Error: ")]
    assert len(errors) == len(CASES)
    for name in CASES:
        assert any(name in l for l in errors), name
    assert "4,910" in r.stdout  # the good document still produced its observations
