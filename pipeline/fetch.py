"""`facts fetch`: bring every document raw/sources.yaml lists with a `url` into the raw folder.

From the URL, or from a local mirror folder holding the files by name (this machine has no
internet). Each file is checked against the manifest's sha256 before it is written (atomically),
and the time it was retrieved is recorded in raw/.retrieved.json. One document failing does not
stop the others.
"""

from __future__ import annotations

import hashlib
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from .dataset.store import write_atomic
from .errors import FetchError
from .manifest import RETRIEVED_LOG, Source, load_manifest

USER_AGENT = "factpipe/0.1 (+https://example.org/factpipe)"


@dataclass
class FetchResult:
    file: str
    status: str  # fetched, present, failed
    detail: str = ""
    error: FetchError | None = None


def _read_url(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - manifest URLs
        return resp.read()


def _from_mirror(mirror: Path, source: Source) -> bytes | None:
    for cand in (mirror / source.file, mirror / Path(source.file).name):
        if cand.is_file():
            return cand.read_bytes()
    return None


def fetch(raw_dir: str | Path, mirror: str | Path | None = None, *, timeout: float = 30.0,
          force: bool = False) -> list[FetchResult]:
    raw_dir = Path(raw_dir)
    manifest = load_manifest(raw_dir)
    mirror = Path(mirror) if mirror else None
    log_path = raw_dir / RETRIEVED_LOG
    try:
        log = json.loads(log_path.read_text()) if log_path.exists() else {}
    except json.JSONDecodeError:
        log = {}
    results = []
    for src in manifest.sources:
        if not src.url:
            continue
        dest = raw_dir / src.file
        if dest.exists() and not force:
            have = hashlib.sha256(dest.read_bytes()).hexdigest()
            if src.sha256 is None or have == src.sha256:
                results.append(FetchResult(src.file, "present", "already in the raw folder"))
                continue
        try:
            data, via = None, src.url
            if mirror is not None:
                data = _from_mirror(mirror, src)
                via = f"mirror {mirror}"
            if data is None:
                via = src.url
                try:
                    data = _read_url(src.url, timeout)
                except urllib.error.HTTPError as e:
                    raise FetchError(dest, f"HTTP {e.code} {e.reason} from {src.url}") from None
                except (urllib.error.URLError, OSError, TimeoutError) as e:
                    reason = getattr(e, "reason", e)
                    where = f"not in mirror {mirror} and " if mirror else ""
                    raise FetchError(dest, f"{where}cannot download {src.url}: {reason}") from None
            got = hashlib.sha256(data).hexdigest()
            if src.sha256 and got != src.sha256:
                raise FetchError(dest, f"sha256 mismatch: expected {src.sha256[:12]}…, got {got[:12]}… (from {via}); not written")
            write_atomic(dest, data)
            now = datetime.now(timezone.utc).replace(microsecond=0)
            log[src.file] = {"retrieved": now.isoformat(), "via": via, "sha256": got, "bytes": len(data)}
            results.append(FetchResult(src.file, "fetched", f"{len(data):,} bytes from {via}"))
        except FetchError as e:
            results.append(FetchResult(src.file, "failed", e.reason, e))
    if any(r.status == "fetched" for r in results):
        write_atomic(log_path, (json.dumps(log, indent=2, sort_keys=True) + "\n").encode())
    return results
