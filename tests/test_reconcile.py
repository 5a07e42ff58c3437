"""Reconciliation done in two steps, as a rerun does it, gives what it gives in one."""

from __future__ import annotations

from conftest import PAGE_2020, PAGE_2021, TRANSPARENCY
from pipeline.reconcile import group_observations, reconcile, reconcile_group


def test_groups_reconciled_before_new_documents_arrive_are_reused_only_while_unchanged(extractor, ingested):
    old = [o for name in (PAGE_2020, PAGE_2021) for o in extractor.extract(ingested(name)).observations]
    new = extractor.extract(ingested(TRANSPARENCY)).observations
    # what a rerun does: group and reconcile the cached documents while the new one is read
    groups = group_observations(old)
    done = {key: reconcile_group(key, obs) for key, obs in groups.items()}
    group_observations(new, groups)
    assert any(len(groups[k]) > len(done[k][2]) for k in done)  # the new report adds to old facts
    two_steps = reconcile(old + new, groups=groups, done=done)
    assert two_steps == reconcile(old + new)
