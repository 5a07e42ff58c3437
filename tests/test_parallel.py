"""Parallel and distributed runs write the same dataset as a serial run."""

from __future__ import annotations

import sys

import pytest

from conftest import BY_ESP, PAGE_2020, PAGE_2021, facts, make_raw

DATA_FILES = ("observations.csv", "facts.csv", "conflicts.csv", "skipped.csv", "datapackage.json")
DOCS = [PAGE_2020, PAGE_2021, "002_0a1c537e7b82efe0.txt", BY_ESP, "html/wikipedia-new-zealand.html"]


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serial")
    raw, out = make_raw(tmp, DOCS), tmp / "extracted"
    r = facts("run", "--raw", raw, "--out", out, "--jobs", "1")
    assert r.returncode == 0, r.stderr
    return raw, out / "v0001"


def assert_same_data(a, b):
    for name in DATA_FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_jobs_do_not_change_outputs(serial, tmp_path):
    raw, expected = serial
    out = tmp_path / "extracted"
    r = facts("run", "--raw", raw, "--out", out, "--jobs", "3", "-v")
    assert r.returncode == 0, r.stderr
    assert "3 jobs" in r.stderr + r.stdout
    assert_same_data(expected, out / "v0001")


def test_dask_cluster_run_equals_local_run(serial, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    raw, expected = serial
    out = tmp_path / "extracted"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        r = facts("run", "--raw", raw, "--out", out, "--executor", "dask", "--scheduler", cluster.scheduler_address, "-v")
        assert r.returncode == 0, r.stderr
        # the documents were processed by the cluster's scheduler and workers
        with distributed.Client(cluster) as client:
            prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
    assert "run_task" in prefixes, prefixes
    assert_same_data(expected, out / "v0001")


def test_dask_without_scheduler_is_a_clear_error(tmp_path):
    raw = make_raw(tmp_path, [PAGE_2020])
    r = facts("run", "--raw", raw, "--out", tmp_path / "out", "--executor", "dask",
              "--scheduler", "tcp://127.0.0.1:1", env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}, timeout=120)
    assert r.returncode != 0
    assert r.stderr.startswith("Error:") and "127.0.0.1:1" in r.stderr, r.stderr
    assert not (tmp_path / "out" / "LATEST").exists()


def test_one_extractor_shared_by_threads_gives_what_it_gives_alone(extractor, ingested):
    """Dask workers run tasks in threads that share a process's Extractor: extracting the
    corpus in parallel threads gives exactly the observations of one document at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from conftest import CORPUS

    docs = [ingested(p.relative_to(CORPUS).as_posix()) for p in sorted(CORPUS.rglob("*"))
            if p.suffix in (".txt", ".pdf", ".html")] * 2

    def run(doc):
        return [o.model_dump() for o in extractor.extract(doc).observations]

    alone = [run(d) for d in docs]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch often, so state they share shows
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(run, docs))
    finally:
        sys.setswitchinterval(interval)
    assert together == alone
