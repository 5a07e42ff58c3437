"""Ingestion: any supported file becomes a `Document` with blocks and offsets.

`ingest_file` checks what every format shares (exists, not empty, not above the size limit, a
supported extension) and hands the bytes to the format's ingester.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..errors import IngestError
from ..models import Document

FORMATS = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html",
           ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown"}
DEFAULT_MAX_BYTES = int(os.environ.get("FACTPIPE_MAX_BYTES", 100 * 1024 * 1024))


def file_format(path: str | Path) -> str | None:
    return FORMATS.get(Path(path).suffix.lower())


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def ingest_file(path: str | Path, *, source: str | None = None,
                max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document. `source` is the name recorded on it (default: the path)."""
    path = Path(path)
    source = source or str(path)
    fmt = file_format(path)
    if fmt is None:
        supported = ", ".join(sorted(FORMATS))
        raise IngestError(path, f"unsupported file type '{path.suffix or '(none)'}' (supported: {supported})")
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IngestError(path, "no such file") from None
    if path.is_dir():
        raise IngestError(path, "is a directory, not a document")
    if size == 0:
        raise IngestError(path, "empty file (0 bytes)")
    if size > max_bytes:
        raise IngestError(path, f"file is {size:,} bytes, above the size limit of {max_bytes:,} bytes")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise IngestError(path, f"cannot read: {e.strerror or e}") from None
    return ingest_bytes(data, fmt, path=path, source=source)


def ingest_bytes(data: bytes, fmt: str, *, path, source: str) -> Document:
    sha = sha256_bytes(data)
    if fmt == "pdf":
        from .pdf import ingest_pdf
        return ingest_pdf(data, path, source, sha)
    if fmt == "html":
        from .html import ingest_html
        return ingest_html(data, path, source, sha)
    from .text import ingest_text
    return ingest_text(data, path, source, sha, markdown=True if fmt == "markdown" else None)
