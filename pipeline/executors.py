"""Run per-document work (ingest + extract) in this process, a local process pool, or on Dask.

Each task is `(path, name, meta, rules_dir, max_bytes)`; each outcome is a DocResult or an
error message for that document. Results come back in task order whatever the executor, so a
run's outputs do not depend on how many workers did the work.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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
        res = process_document(Path(task.path), task.name, task.meta, task.rules_dir, task.max_bytes)
        return Outcome(task.name, result=res)
    except FactpipeError as e:
        return Outcome(task.name, error=e.reason)
    except Exception as e:  # noqa: BLE001 - a bug on one document must not lose the others
        return Outcome(task.name, error=f"internal error: {type(e).__name__}: {e}")


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run_local(tasks: list[Task], jobs: int, on_done: Callable[[Outcome], None]) -> list[Outcome]:
    if jobs <= 1 or len(tasks) <= 1:
        out = []
        for t in tasks:
            o = run_task(t)
            on_done(o)
            out.append(o)
        return out
    results: dict[int, Outcome] = {}
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        futures = {pool.submit(run_task, t): i for i, t in enumerate(tasks)}
        from concurrent.futures import as_completed
        for fut in as_completed(futures):
            o = fut.result()
            results[futures[fut]] = o
            on_done(o)
    return [results[i] for i in range(len(tasks))]


def run_dask(tasks: list[Task], scheduler: str | object, on_done: Callable[[Outcome], None]) -> list[Outcome]:
    """Send tasks to a Dask cluster; `scheduler` is an address ("tcp://host:8786") or a Client."""
    try:
        from dask.distributed import Client, as_completed
    except ImportError:  # pragma: no cover - an optional extra
        raise FactpipeError(None, "the dask executor needs the 'dask' extra: pip install 'factpipe[dask]'") from None
    try:
        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    except (OSError, TimeoutError) as e:
        raise FactpipeError(None, f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    try:
        futures = client.map(run_task, tasks, pure=False)
        index = {f.key: i for i, f in enumerate(futures)}
        results: dict[int, Outcome] = {}
        for fut in as_completed(futures):
            o = fut.result()
            results[index[fut.key]] = o
            on_done(o)
        return [results[i] for i in range(len(tasks))]
    finally:
        if client is not scheduler:
            client.close()


def run_tasks(tasks: Iterable[Task], *, executor: str = "local", jobs: int | None = None, scheduler=None,
              on_done: Callable[[Outcome], None] = lambda o: None) -> list[Outcome]:
    tasks = list(tasks)
    if executor == "dask":
        if scheduler is None:
            raise FactpipeError(None, "--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
        return run_dask(tasks, scheduler, on_done)
    return run_local(tasks, jobs or default_jobs(), on_done)
