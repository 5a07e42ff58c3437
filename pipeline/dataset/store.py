"""The output folder: versions named v0001, v0002..., LATEST, a lock, atomic file writes.

A version folder is written under a temporary name and renamed into place in one step; LATEST
and CHANGELOG.md are replaced atomically after it. A run killed at any moment leaves every
earlier version and LATEST as they were; its temporary folder is removed by the next run.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable

from ..errors import DatasetError, LockedError

VERSION = re.compile(r"^v(\d{4,})$")
LATEST = "LATEST"
CHANGELOG = "CHANGELOG.md"
LOCK = ".lock"
TMP_PREFIX = ".tmp-"


def list_versions(out_dir: Path) -> list[str]:
    """Complete versions, oldest first (a version is complete once it has been renamed into place)."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return []
    names = [p.name for p in out_dir.iterdir() if p.is_dir() and VERSION.match(p.name)]
    return sorted(names, key=lambda n: int(VERSION.match(n).group(1)))


def latest(out_dir: Path) -> str | None:
    p = Path(out_dir) / LATEST
    try:
        name = p.read_text().strip()
    except FileNotFoundError:
        return None
    return name if name and (Path(out_dir) / name).is_dir() else None


def next_version(out_dir: Path) -> str:
    versions = list_versions(out_dir)
    n = int(VERSION.match(versions[-1]).group(1)) + 1 if versions else 1
    return f"v{n:04d}"


def resolve_version(out_dir: Path, name: str) -> str:
    """A version by name ("v0002", "2", "LATEST")."""
    out_dir = Path(out_dir)
    if name.upper() == "LATEST":
        v = latest(out_dir)
        if v is None:
            raise DatasetError(out_dir / LATEST, "no dataset version yet")
        return v
    if name.isdigit():
        name = f"v{int(name):04d}"
    if not (out_dir / name).is_dir() or not VERSION.match(name):
        have = ", ".join(list_versions(out_dir)) or "none"
        raise DatasetError(out_dir / name, f"no such version (have: {have})")
    return name


_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: Path, data: str | bytes | Iterable[str | bytes]) -> None:
    """Write a file whole or not at all: a temporary file, fsync, rename. `data` may be chunks
    (text, or UTF-8 bytes)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, (str, bytes)):
                fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            else:
                for chunk in data:
                    fh.write(chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
            os.fchmod(fh.fileno(), 0o666 & ~_UMASK)  # mkstemp makes it private; give it the usual mode
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def new_tmp_dir(out_dir: Path) -> Path:
    d = Path(tempfile.mkdtemp(dir=out_dir, prefix=TMP_PREFIX))
    d.chmod(0o755)  # mkdtemp makes it private; a version folder is for everyone to read
    return d


def publish(tmp: Path, out_dir: Path, name: str) -> Path:
    """Rename a fully written temporary folder to its version name (atomic on one filesystem)."""
    for p in tmp.iterdir():
        with open(p, "rb") as fh:
            os.fsync(fh.fileno())
    _fsync_dir(tmp)
    dest = Path(out_dir) / name
    os.rename(tmp, dest)
    _fsync_dir(Path(out_dir))
    return dest


def clean_tmp(out_dir: Path) -> None:
    for p in Path(out_dir).glob(TMP_PREFIX + "*"):
        shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
    for p in Path(out_dir).glob(".*.part"):
        p.unlink(missing_ok=True)


_HELD: list = []  # the lock file this process holds (one at a time)


def release_inherited_lock() -> None:
    """In a forked child: close the inherited lock file, so the lock ends with its parent
    (flock locks live as long as any descriptor of them stays open)."""
    for fh in _HELD:
        os.close(fh.fileno())
    _HELD.clear()


@contextmanager
def locked(out_dir: Path):
    """An exclusive lock on the output folder; released by the kernel even if the run is killed."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fh = open(out_dir / LOCK, "a+")
    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as e:
        fh.seek(0)
        holder = fh.read().strip()
        fh.close()
        if e.errno in (errno.EAGAIN, errno.EACCES):
            raise LockedError(out_dir, f"another `facts run` is writing here{f' ({holder})' if holder else ''}; "
                                       "wait for it to finish") from None
        raise
    try:
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}\n")
        fh.flush()
        _HELD.append(fh)
        yield
    finally:
        if fh in _HELD:
            _HELD.remove(fh)
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        fh.close()
