"""`facts fetch` over HTTP (a local http.server on 127.0.0.1 serving the mirror) and from a mirror."""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import threading

import pytest
import yaml

from conftest import BY_COUNTRY, BY_ESP, CORPUS, facts


@pytest.fixture
def server():
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(CORPUS))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def _sha(name):
    return hashlib.sha256((CORPUS / name).read_bytes()).hexdigest()


def _manifest(raw, entries):
    raw.mkdir(parents=True, exist_ok=True)
    (raw / "sources.yaml").write_text(yaml.safe_dump({"sources": entries}, sort_keys=False))


def test_http_fetch_with_404_and_bad_checksum(tmp_path, server):
    if not (CORPUS / BY_ESP).exists():
        pytest.skip("corpus not available")
    raw = tmp_path / "raw"
    _manifest(raw, [
        {"file": BY_ESP, "url": f"{server}/{BY_ESP}", "sha256": _sha(BY_ESP)},
        {"file": "missing.pdf", "url": f"{server}/no-such-file.pdf"},
        {"file": BY_COUNTRY, "url": f"{server}/{BY_COUNTRY}", "sha256": "0" * 64},
    ])
    r = facts("fetch", "--raw", raw)
    assert r.returncode != 0
    assert f"fetched  {BY_ESP}" in r.stdout
    assert f"Error: {raw / 'missing.pdf'}: HTTP 404" in r.stderr
    assert f"Error: {raw / BY_COUNTRY}: sha256 mismatch" in r.stderr
    assert (raw / BY_ESP).read_bytes() == (CORPUS / BY_ESP).read_bytes()
    assert not (raw / BY_COUNTRY).exists()  # a file that fails its checksum is not written
    log = json.loads((raw / ".retrieved.json").read_text())
    assert log[BY_ESP]["sha256"] == _sha(BY_ESP) and log[BY_ESP]["retrieved"]
    # a second fetch finds it present and does nothing
    r = facts("fetch", "--raw", raw)
    assert f"present  {BY_ESP}" in r.stdout


def test_mirror_fetch_of_the_shipped_manifest(tmp_path):
    from conftest import RAW, corpus_file
    corpus_file("ncmec-ojjdp-transparency-cy2022.pdf")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sources.yaml").write_text((RAW / "sources.yaml").read_text())
    r = facts("fetch", "--raw", raw, "--mirror", CORPUS)
    assert r.returncode == 0, r.stderr
    assert (raw / "html" / "wikipedia-new-zealand.html").exists()
    assert (raw / "ncmec-ojjdp-transparency-cy2022.pdf").exists()
    from pipeline.manifest import load_manifest
    m = load_manifest(raw)
    assert m.get("ncmec-ojjdp-transparency-cy2022.pdf").retrieved is not None


def test_broken_manifest_names_the_entry(tmp_path):
    raw = tmp_path / "raw"
    _manifest(raw, [{"file": "a.pdf", "url": "http://x/a.pdf"},
                    {"file": "b.pdf", "published": "not a date"}])
    r = facts("fetch", "--raw", raw)
    assert r.returncode != 0
    assert "entry 2 (b.pdf): published" in r.stderr and r.stderr.startswith("Error: ")
