"""Run per-document work (ingest + extract) in this process, a local process pool, or on Dask.

Each task is `(path, name, meta, rules_dir, max_bytes)`; each outcome is a DocResult or an
error message for that document. Results come back in task order whatever the executor, so a
run's outputs do not depend on how many workers did the work.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Callable, Iterable

from .errors import FactpipeError


@dataclass
class Task:
    path: str
    name: str
    meta: object
    rules_dir: str
    max_bytes: int | None


@dataclass
class Outcome:
    name: str
    result: object | None = None  # DocResult
    error: str | None = None  # "reason" of a FactpipeError, for that document


def run_task(task: Task) -> Outcome:
    """The unit of work; module-level so that process pools and Dask workers can pickle it."""
    from .run import process_document

    try:
        res = process_document(Path(task.path), task.name, task.meta, task.rules_dir, task.max_bytes, with_rows=True)
        return Outcome(task.name, result=res)
    except FactpipeError as e:
        return Outcome(task.name, error=e.reason)
    except Exception as e:  # noqa: BLE001 - a bug on one document must not lose the others
        return Outcome(task.name, error=f"internal error: {type(e).__name__}: {e}")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def start_local(tasks: list[Task], jobs: int, on_done: Callable[[Outcome], None]) -> Callable[[], list[Outcome]]:
    """Start the tasks in a pool of `jobs` worker processes (one job: one worker, so that this
    process holds only the results, and loads the cached ones while the worker works) and return
    the function that waits for them."""
    if not tasks:
        return lambda: []
    if len(tasks) > jobs:
        # import spaCy once, here: the forked workers inherit it instead of each importing it
        # (with a worker per task, each imports it while this process loads the cached results)
        import_module(f"{__package__}.extract.extractor")
    pool = ProcessPoolExecutor(max_workers=max(1, min(jobs, len(tasks))))
    futures = [pool.submit(run_task, t) for t in tasks]

    def wait() -> list[Outcome]:
        with pool:
            index = {f: i for i, f in enumerate(futures)}
            results: dict[int, Outcome] = {}
            for fut in as_completed(futures):
                results[index[fut]] = fut.result()
                on_done(results[index[fut]])
            return [results[i] for i in range(len(tasks))]
    return wait


def start_dask(tasks: list[Task], scheduler: str | object, on_done: Callable[[Outcome], None]) -> Callable[[], list[Outcome]]:
    """Send tasks to a Dask cluster; `scheduler` is an address ("tcp://host:8786") or a Client."""
    try:
        from dask.distributed import Client
        from dask.distributed import as_completed as dask_completed
    except ImportError:  # pragma: no cover - an optional extra
        raise FactpipeError(None, "the dask executor needs the 'dask' extra: pip install 'factpipe[dask]'") from None
    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    except (OSError, TimeoutError) as e:
        raise FactpipeError(None, f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    futures = client.map(run_task, tasks, pure=False)

    def wait() -> list[Outcome]:
        try:
            index = {f.key: i for i, f in enumerate(futures)}
            results: dict[int, Outcome] = {}
            for fut in dask_completed(futures):
                results[index[fut.key]] = fut.result()
                on_done(results[index[fut.key]])
            return [results[i] for i in range(len(tasks))]
        finally:
            if client is not scheduler:
                client.close()
    return wait


def start_tasks(tasks: Iterable[Task], *, executor: str = "local", jobs: int | None = None, scheduler=None,
                on_done: Callable[[Outcome], None] = lambda o: None) -> Callable[[], list[Outcome]]:
    """Start per-document work; returns the function that waits for the outcomes, in task order."""
    tasks = list(tasks)
    if executor == "dask":
        if scheduler is None:
            raise FactpipeError(None, "--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return start_dask(tasks, scheduler, on_done)
    return start_local(tasks, jobs or default_jobs(), on_done)
