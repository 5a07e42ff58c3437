"""Writing a dataset version: what `facts run` does once documents are read.

Load inputs (rules, manifest, documents) / process (cached per document, on the chosen
executor; reconcile) / save outputs (a new immutable version folder, CHANGELOG.md, LATEST) --
or save nothing when documents, rules and code are all as they were.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from datetime import datetime, timezone
from functools import partial
from pathlib import Path

from ..documents import find_entry, list_documents, source_meta
from ..errors import FactpipeError, IngestError
from ..executors import Task, default_jobs, start_tasks
from ..forked import Forked
from ..extract.rules import load_rules
from ..manifest import load_manifest
from ..models import Observation
from ..reconcile import SourceInfo, group_observations, metric_origins, reconcile, reconcile_group, unresolved_values
from ..reconcile.resolutions import load_resolutions
from . import changelog
from .cache import CACHE_DIR, Cache, cache_key
from .datapackage import datapackage
from .diff import CHANGES, diff_facts, read_summaries
from .io import (CONFLICT_COLUMNS, FACT_COLUMNS, OBSERVATION_COLUMNS, SKIPPED_COLUMNS, document_rows, read_column,
                 read_csv, to_csv)
from .store import LATEST, clean_tmp, latest, locked, new_tmp_dir, next_version, publish, write_atomic

FILES = {"observations": "observations.csv", "facts": "facts.csv", "conflicts": "conflicts.csv",
         "skipped": "skipped.csv"}


def _checkpoint(stage: str) -> None:
    """Fault injection for the crash-safety tests: FACTPIPE_KILL_AT=<stage> makes the run SIGKILL
    itself there (stages: extracted, written, published, changelog)."""
    if os.environ.get("FACTPIPE_KILL_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _write_facts(folder: Path, facts, conflicts) -> None:
    (folder / FILES["facts"]).write_text(to_csv(facts, FACT_COLUMNS), encoding="utf-8")
    (folder / FILES["conflicts"]).write_text(to_csv(conflicts, CONFLICT_COLUMNS), encoding="utf-8")


def read_run(version_dir: Path) -> dict | None:
    try:
        return json.loads((version_dir / "run.json").read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_run(opts, progress):
    from ..run import EXTRACTION_CODE, DocResult, RunResult, code_version

    out = Path(opts.out_dir)
    raw = Path(opts.raw_dir)
    if not raw.is_dir():
        raise FactpipeError(raw, "raw folder not found")
    with locked(out):
        clean_tmp(out)
        rules = load_rules(opts.rules_dir, checked_dir=out / CACHE_DIR)
        resolutions = load_resolutions(opts.rules_dir)
        manifest = load_manifest(raw)
        prev = latest(out)
        prev_run = read_run(out / prev) if prev else None
        cache = Cache(out)
        cv = code_version()
        extraction_cv = code_version(EXTRACTION_CODE)
        paths = list_documents(raw)
        docs, keys, entries, results = [], {}, {}, {}
        for path in paths:
            name = path.relative_to(raw).as_posix()
            entry = find_entry(manifest, name)
            sha = _sha256_file(path)
            key = cache_key(sha, rules.hash, extraction_cv, entry.model_dump_json() if entry else "", opts.max_bytes)
            keys[name], entries[name] = key, entry
            doc = {"source": name, "sha256": sha, "title": entry.title if entry and entry.title else None,
                   "publisher": entry.publisher if entry else None, "url": entry.url if entry else None,
                   "published": entry.published.isoformat() if entry and entry.published else None,
                   "published_inferred": bool(entry and entry.published_inferred),
                   "as_of": entry.as_of.isoformat() if entry and entry.as_of else None,
                   "authority": entry.authority if entry else 0, "status": "processed", "error": None,
                   "pages": 0, "observations": 0}
            docs.append(doc)

        manifest_hash = hashlib.sha256(
            json.dumps([s.model_dump(mode="json", exclude={"retrieved"}) for s in manifest.sources],
                       sort_keys=True).encode()).hexdigest()
        signature = hashlib.sha256(json.dumps(
            {"docs": sorted((d["source"], d["sha256"]) for d in docs), "rules": rules.hash, "code": cv,
             "resolutions": [r.model_dump(mode="json") for r in resolutions],
             "manifest": manifest_hash, "max_bytes": opts.max_bytes}, sort_keys=True).encode()).hexdigest()
        if prev_run and prev_run.get("signature") == signature and \
                not any(d.get("status") in ("failed", "stale") for d in prev_run.get("documents", [])):
            # nothing to do: not even the cached results need reading
            return RunResult(prev, f"no changes: {out / prev} is current (same documents, rules and code)", [])

        def task(path, name):
            return Task(str(path), name, source_meta(entries[name]), str(opts.rules_dir), opts.max_bytes)

        cached = {d["source"] for d in docs if opts.use_cache and cache.has(keys[d["source"]])}
        tasks = [task(path, d["source"]) for path, d in zip(paths, docs) if d["source"] not in cached]
        if tasks:
            progress(f"processing {len(tasks)} of {len(paths)} documents "
                     f"({opts.executor}{', ' + str(opts.jobs) + ' jobs' if opts.jobs else ''})", 1)
        started = time.perf_counter()
        done = [0]

        def on_done(o):
            done[0] += 1
            if o.error:
                progress(f"[{done[0]}/{len(tasks)}] failed     {o.name}: {o.error}", 1)
            else:
                progress(f"[{done[0]}/{len(tasks)}] processed  {o.name} ({len(o.result.observations)} observations)", 2)
                if len(tasks) >= 20 and done[0] % max(1, len(tasks) // 10) == 0:
                    progress(f"  {done[0]}/{len(tasks)} documents ({time.perf_counter() - started:.0f}s)", 1)

        def start(batch):
            return start_tasks(batch, executor=opts.executor, jobs=opts.jobs, scheduler=opts.scheduler, on_done=on_done)

        # new documents are processed (in worker processes or on the cluster) while the cached
        # results of the others load
        wait = start(tasks)
        unreadable = []
        for path, doc in zip(paths, docs):
            name = doc["source"]
            if name not in cached:
                continue
            hit = cache.get(keys[name])
            if hit is None:
                unreadable.append(task(path, name))
                continue
            results[name] = DocResult(source=name, sha256=doc["sha256"], observations=hit.observations,
                                      skipped=hit.skipped, title=hit.title, pages=hit.pages, rows=hit.rows)
            doc["status"] = "reused"
            progress(f"reused     {name}", 2)
        # what the changelog compares with, read while the new documents are processed
        prev_facts = read_summaries(out / prev / FILES["facts"]) if prev else []
        open_before = {cid for cid, status in read_column(out / prev / FILES["conflicts"], "conflict_id", "status")
                       if status == "open"} if prev else set()
        sources = {d["source"]: SourceInfo(authority=d["authority"],
                                           published=datetime.fromisoformat(d["published"]).date() if d["published"] else None,
                                           publisher=d["publisher"] or "")
                   for d in docs}
        groups = group_observations(o for r in results.values() for o in r.observations)
        # the facts of the cached documents' observations, made now: only the groups the new
        # documents add to are reconciled again
        reconciled = {key: reconcile_group(key, obs, sources) for key, obs in groups.items()} if tasks else {}
        outcomes = wait()
        if unreadable:  # a damaged cache entry: process that document again
            tasks += unreadable
            outcomes += start(unreadable)()

        errors: list[FactpipeError] = []
        doc_by_name = {d["source"]: d for d in docs}
        for o in outcomes:
            doc = doc_by_name[o.name]
            if o.error:
                doc["status"], doc["error"] = "failed", o.error
                errors.append(IngestError(raw / o.name, o.error))
            else:
                results[o.name] = o.result
                cache.put(keys[o.name], o.result)
                group_observations(o.result.observations, groups)
        for doc in docs:
            r = results.get(doc["source"])
            if r is not None:
                doc["pages"], doc["observations"] = r.pages, len(r.observations)
                doc["title"] = doc["title"] or r.title

        if prev_run and prev_run.get("signature") == signature:  # failed again, nothing else changed
            return RunResult(prev, f"no changes: {out / prev} is current (same documents, rules and code)", errors)

        # A document that fails now keeps what the previous version knew of it, marked stale.
        failed = {d["source"] for d in docs if d["status"] == "failed"}
        prev_obs = read_csv(out / prev / FILES["observations"], Observation) if prev and failed else []
        stale = failed & {o.source for o in prev_obs}
        for d in docs:
            if d["source"] in stale:
                d["status"] = "stale"
        carried = [o for o in prev_obs if o.source in stale]
        observations = [o for r in results.values() for o in r.observations] + carried
        group_observations(carried, groups)
        # observations.csv and skipped.csv hold each document's rows in turn, by source (made
        # with its observations, and cached with them)
        rows = {name: r.rows or document_rows(r.observations, r.skipped) for name, r in results.items()}
        for name in stale:
            rows[name] = document_rows([o for o in carried if o.source == name], [])
        obs_csv = to_csv([], OBSERVATION_COLUMNS) + "".join(rows[n][0] for n in sorted(rows))
        skipped_csv = to_csv([], SKIPPED_COLUMNS) + "".join(rows[n][1] for n in sorted(rows))
        del rows
        for r in results.values():
            r.rows = None  # joined: the pieces are not needed again
        from ..report import ObservationData, write_version_report
        tmp = new_tmp_dir(out)
        pending = csv_writer = None
        try:
            (tmp / FILES["observations"]).write_text(obs_csv, encoding="utf-8")
            (tmp / FILES["skipped"]).write_text(skipped_csv, encoding="utf-8")
            del obs_csv, skipped_csv
            # the report's observations need only the file just written: with more than one
            # job, another process renders them while this one reconciles
            parallel = opts.executor == "local" and (opts.jobs or default_jobs()) > 1
            pending = ObservationData(tmp, raw, parallel)
            facts, conflicts = reconcile(observations, sources, resolutions, stale, groups=groups, done=reconciled)
            unresolved = unresolved_values(observations, set(rules.dimension_by_key))
            for u in unresolved:
                progress(f"no code for {u}: kept as printed", 2)
            del reconciled, groups
            _checkpoint("extracted")

            version = next_version(out)
            changes = diff_facts(prev_facts, facts)
            del prev_facts, prev_obs
            counts = {k: sum(1 for c in changes if c.change == k) for k in CHANGES}
            open_now = {c.conflict_id for c in conflicts if c.status == "open"}
            run = {
                "version": version, "previous": prev,
                "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                "code_version": cv, "rules_hash": rules.hash, "manifest_hash": manifest_hash, "signature": signature,
                "documents": docs,
                "counts": {"documents": len(docs), "observations": len(observations), "facts": len(facts),
                           "facts_by_status": {s: sum(1 for f in facts if f.status == s)
                                               for s in ("single", "agreed", "conflict", "resolved", "revised")},
                           "stale_facts": sum(1 for f in facts if f.stale),
                           "metric_ids": metric_origins(facts), "unresolved_values": unresolved,
                           "conflicts_open": len(open_now),
                           "conflicts_resolved": len({c.conflict_id for c in conflicts
                                                      if c.status == "resolved" and c.kind != "revision"}),
                           "revisions": len({c.conflict_id for c in conflicts if c.kind == "revision"})},
                "changes": counts,
            }
            n_observations, n_facts = len(observations), len(facts)
            # with more than one job, another process writes them while this one renders the report
            csv_writer = Forked(partial(_write_facts, tmp, facts, conflicts), parallel)
            (tmp / "datapackage.json").write_text(datapackage(version, FILES), encoding="utf-8")
            (tmp / "run.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
            # the report reads the observations from their file, one row at a time: free the
            # run's copies first
            del observations, results
            write_version_report(tmp / "report.html", tmp, raw_dir=raw, previous=out / prev if prev else None,
                                 changes=changes, facts=facts, observations=pending, conflicts=conflicts)
            if not csv_writer.join():
                _write_facts(tmp, facts, conflicts)
            del facts, conflicts
            _checkpoint("written")
            dest = publish(tmp, out, version)
        except BaseException:
            import shutil
            for job in (pending, csv_writer):
                if job is not None:
                    job.cancel()
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _checkpoint("published")
        changelog.prepend(out, changelog.entry(version, run, prev_run, counts, len(open_now - open_before),
                                               len(open_before - open_now)))
        _checkpoint("changelog")
        write_atomic(out / LATEST, version + "\n")
        n_reused = sum(1 for d in docs if d["status"] == "reused")
        n_failed = sum(1 for d in docs if d["status"] in ("failed", "stale"))
        summary = (f"wrote {dest}: {len(docs)} documents ({len(docs) - n_reused - n_failed} processed, {n_reused} reused, "
                   f"{n_failed} failed), {n_observations} observations, {n_facts} facts "
                   f"({counts['added']} added, {counts['removed']} removed, {counts['changed']} changed), "
                   f"{len(open_now)} open conflicts")
        return RunResult(version, summary, errors)
