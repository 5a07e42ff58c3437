"""Domain errors. The CLI turns each into one `Error: <file>: <reason>` line and an exit code."""

from __future__ import annotations

from pathlib import Path


class FactpipeError(Exception):
    """Base class: an error about one file (or none) with a human-readable reason."""

    def __init__(self, path: str | Path | None, reason: str):
        self.path = str(path) if path is not None else None
        self.reason = reason
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return f"{self.path}: {self.reason}" if self.path else self.reason


class IngestError(FactpipeError):
    """A document could not be read: corrupt, encrypted, empty, too big, unknown format..."""


class ManifestError(FactpipeError):
    """raw/sources.yaml is missing fields, malformed or inconsistent."""


class RulesError(FactpipeError):
    """A rules file in rules/ is malformed; the reason names the rule and the problem."""


class FetchError(FactpipeError):
    """A listed document could not be fetched (HTTP error, checksum mismatch, missing in mirror)."""


class DatasetError(FactpipeError):
    """A dataset version is missing or unreadable, or the output folder is locked."""


class LockedError(DatasetError):
    """Another `facts run` holds the lock on the output folder."""
