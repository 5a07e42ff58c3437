"""Bytes to text: encoding detection, mojibake repair and whitespace normalisation."""

from __future__ import annotations

import codecs
import re

import charset_normalizer
import ftfy

from ..errors import IngestError

# "â€™" with its "â" folded to ASCII "a": a lossy mojibake that ftfy cannot undo, seen in copies of
# web pages that went through UTF-8 -> cp1252 -> ASCII.
_FOLDED_MOJIBAKE = re.compile(r"a€(™|˜|œ|\?|\x9d|“|”|\"|¦|\")")
_FOLDED_MAP = {"™": "\u2019", "˜": "\u2018", "œ": "\u201c", "?": "\u201d", "\x9d": "\u201d",
               "“": "\u201c", "”": "\u201d", '"': "\u201d", "¦": "\u2026"}


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 8 KB mean this is not text."""
    head = data[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > max(8, len(head) // 50)


def decode_bytes(data: bytes, path, declared: str | None = None) -> tuple[str, str]:
    """Decode text of unknown encoding; returns (text, encoding). Raises IngestError if unsure."""
    if looks_binary(data):
        raise IngestError(path, "binary content, not a text document")
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared), declared.lower()
        except (LookupError, UnicodeDecodeError):
            pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > 0.25:
        raise IngestError(path, "unknown text encoding (not UTF-8 and no confident guess)")
    return str(best), best.encoding


def repair_text(text: str) -> str:
    """Fix mojibake (ftfy, then the folded 'a€™' form) without touching anything else."""
    if any(ch in text for ch in "ÃâÂ€") or "\ufffd" in text:
        text = ftfy.fix_text(text, normalization=None, uncurl_quotes=False, fix_line_breaks=False,
                             fix_latin_ligatures=False, fix_character_width=False,
                             remove_terminal_escapes=False)
    if "a€" in text:
        text = _FOLDED_MOJIBAKE.sub(lambda m: _FOLDED_MAP.get(m.group(1), "\u2019"), text)
    return text.replace("A®", "®")
