# libembedsvc Python binding — portfolios and policy sweeps on Dask.
# SPDX-License-Identifier: MIT
"""``embedsvc.dask``: evaluate a partitioned portfolio, and sweep policy variants, on Dask.

Each partition is evaluated in C by the columnar path of ``Policy.evaluate_frame``
(one task per partition, ``threads`` threads inside it); Dask spreads the
partitions over its workers — threads, processes or a ``distributed`` cluster,
whatever scheduler is active.

A portfolio is any of:

- a glob (or a list) of JSON Lines files — one partition per file, the
  physical line numbers those of the file, and a ``source`` column naming it;
- a Dask Bag of projects (dicts or JSON documents) — one partition per bag
  partition;
- a Dask DataFrame of projects (the row layout of ``Policy.evaluate_frame``:
  ``functions`` a list column of dicts) — one partition per frame partition,
  its index kept.

Policies travel to the workers once: each policy is one key of the task graph
holding its canonical JSON (``Policy.to_json()``), which every task of that
policy depends on; a worker process loads it into a ``Policy`` the first
time it needs it and keeps it (by the SHA-256 of the JSON). Results are those
of a single-process run: partition ``i`` of ``evaluate(...)`` equals
``policy.evaluate_frame(partition_i)``, and ``sweep(...)`` equals
``embedsvc.sweep`` over the whole portfolio.
"""

from __future__ import annotations

import glob as _glob
import hashlib
import os
import threading
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

import dask
import dask.bag
import dask.dataframe

from ._policy import Policy
from ._sweep import _changes, _run, _sums, portfolio_bytes

__all__ = ["evaluate", "totals", "sweep", "partitions"]

_TOTAL_KEYS = ("lines", "projects", "error_lines", "eligible", "subsidy_eligible", "capped", "total_fen")

# ---- policies: one graph key each, loaded once per worker process ----

_loaded: Dict[str, Policy] = {}
_loaded_lock = threading.Lock()


def _policy(text: str) -> Policy:
    """The Policy of a canonical JSON text, loaded once per process."""
    key = hashlib.sha256(text.encode("utf-8")).hexdigest()
    with _loaded_lock:
        policy = _loaded.get(key)
        if policy is None:
            policy = Policy.from_json(text)
            _loaded[key] = policy
        return policy


def _policy_key(policy: Policy):
    """A Delayed holding the policy's canonical JSON, named by its hash (one key in the graph)."""
    text = policy.to_json()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return dask.delayed(text, name="embedsvc-policy-" + digest, pure=True)


# ---- portfolios: a list of Delayed partitions, each something evaluate_frame takes ----

def _read(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read()


def _records(part: Any) -> List[Any]:
    return list(part)


def partitions(portfolio: Any) -> Tuple[List[Any], Optional[List[str]]]:
    """The portfolio as a list of Delayed partitions and, for files, their paths.

    A partition computes to JSON Lines bytes (files), a list of records (a Bag) or a
    pandas DataFrame (a Dask DataFrame)."""
    if isinstance(portfolio, (str, os.PathLike)) or (
            isinstance(portfolio, (list, tuple)) and portfolio and all(
                isinstance(p, (str, os.PathLike)) for p in portfolio)):
        names = [os.fspath(portfolio)] if isinstance(portfolio, (str, os.PathLike)) else [
            os.fspath(p) for p in portfolio]
        paths: List[str] = []
        for name in names:
            found = sorted(_glob.glob(name)) if _glob.has_magic(name) else [name]
            if not found:
                raise FileNotFoundError("no file matches %r" % name)
            paths.extend(found)
        return [dask.delayed(_read, pure=True)(p, dask_key_name="embedsvc-read-%d-%s" % (
            i, hashlib.sha256(p.encode()).hexdigest()[:12])) for i, p in enumerate(paths)], paths
    if isinstance(portfolio, dask.bag.Bag):
        return [dask.delayed(_records)(d) for d in portfolio.to_delayed()], None
    if isinstance(portfolio, dask.dataframe.DataFrame):
        return list(portfolio.to_delayed()), None
    raise TypeError("a portfolio for embedsvc.dask is a glob or list of JSON Lines files, a dask Bag or a "
                    "dask DataFrame, not %s" % type(portfolio).__name__)


# ---- evaluation ----

def _evaluate_part(policy_text: str, part: Any, source: Optional[str], threads: int):
    frame = _policy(policy_text).evaluate_frame(part, workers=threads)
    if source is not None:
        frame.insert(0, "source", source)
        frame["source"] = frame["source"].astype("category")
    return frame


def _meta(policy: Policy, files: bool):
    """An empty frame with the columns and dtypes of a result partition."""
    frame = policy.evaluate_frame(b"", workers=1)
    if files:
        frame.insert(0, "source", "")
        frame["source"] = frame["source"].astype("category")
    from dask.dataframe.utils import clear_known_categories
    return clear_known_categories(frame.iloc[:0])


def evaluate(portfolio: Any, policy: Optional[Policy] = None, *, threads: int = 1):
    """Evaluates a portfolio partition by partition; returns a Dask DataFrame of results.

    The columns are those of ``Policy.evaluate_frame`` (plus ``source`` for files).
    ``policy`` defaults to the compiled-in one; ``threads`` is the number of C threads
    inside each task (1: let Dask's workers give the parallelism). Nothing is computed
    until the frame is."""
    policy = policy or Policy.default()
    parts, paths = partitions(portfolio)
    key = _policy_key(policy)
    meta = _meta(policy, paths is not None)
    tasks = [dask.delayed(_evaluate_part, pure=True)(key, part, paths[i] if paths else None, threads)
             for i, part in enumerate(parts)]
    if isinstance(portfolio, dask.dataframe.DataFrame) and portfolio.known_divisions:
        return dask.dataframe.from_delayed(tasks, meta=meta, divisions=portfolio.divisions, verify_meta=False)
    # each partition's category columns have the categories of its own rows (unknown to the meta)
    return dask.dataframe.from_delayed(tasks, meta=meta, verify_meta=False)


# ---- totals and sweeps: per-partition sums reduced in the graph ----

def _as_bytes(part: Any) -> bytes:
    return portfolio_bytes(part)


def _part_columns(policy_text: str, data: bytes, threads: int):
    return _run(_policy(policy_text), data, threads)


def _part_sums(policy_text: str, data: bytes, base: Any, threads: int) -> Dict[str, int]:
    a = _run(_policy(policy_text), data, threads)
    sums = _sums(a)
    if base is not None:
        sums["changed"] = int(((a["eligible"] != base["eligible"]) | (a["subsidy_eligible"] != base["subsidy_eligible"])
                               | (a["total_fen"] != base["total_fen"])).sum())
    return sums


def _add(*parts: Dict[str, int]) -> Dict[str, int]:
    out: Dict[str, int] = {}
    for p in parts:
        for k, v in p.items():
            out[k] = out.get(k, 0) + v
    return out


def _reduce(sums: List[Any], fan_in: int = 8):
    """A tree of additions over Delayed dicts of sums."""
    if not sums:
        return dask.delayed(_add)()
    while len(sums) > 1:
        sums = [dask.delayed(_add, pure=True)(*sums[i:i + fan_in]) for i in range(0, len(sums), fan_in)]
    return sums[0]


def _byte_parts(portfolio: Any) -> List[Any]:
    parts, paths = partitions(portfolio)
    return parts if paths is not None else [dask.delayed(_as_bytes, pure=True)(p) for p in parts]


def totals(portfolio: Any, policy: Optional[Policy] = None, *, threads: int = 1) -> Dict[str, int]:
    """The sums of ``embedsvc.portfolio_totals`` (lines, projects, error_lines, eligible,
    subsidy_eligible, capped, total_fen — exact ints), computed on Dask."""
    policy = policy or Policy.default()
    key = _policy_key(policy)
    parts = _byte_parts(portfolio)
    total = _reduce([dask.delayed(_part_sums, pure=True)(key, p, None, threads) for p in parts])
    (result,) = dask.compute(total)
    return {k: int(result.get(k, 0)) for k in _TOTAL_KEYS}


def sweep(portfolio: Any, policy: Policy, parameter: str, values: Iterable[Any], *, threads: int = 1):
    """``embedsvc.sweep`` on Dask: one task per (value, partition), totals reduced per value.

    Returns the same pandas DataFrame as ``embedsvc.sweep(portfolio, policy, parameter,
    values)`` (one row per value, with the change against ``policy``). Each partition is
    read once and evaluated once under the base policy; every variant's task of that
    partition compares its rows with the base's."""
    import pandas as pd

    values = [v.item() if hasattr(v, "item") and hasattr(v, "dtype") else v for v in values]
    variants = [policy.derive(**_changes(parameter, v)) for v in values]  # validated here, before any task
    try:
        parts = _byte_parts(portfolio)
        base_key = _policy_key(policy)
        base_cols = [dask.delayed(_part_columns, pure=True)(base_key, p, threads) for p in parts]
        base_total = _reduce([dask.delayed(_part_sums, pure=True)(base_key, p, None, threads) for p in parts])
        variant_totals = []
        for variant in variants:
            key = _policy_key(variant)
            variant_totals.append(_reduce([dask.delayed(_part_sums, pure=True)(key, p, base_cols[i], threads)
                                           for i, p in enumerate(parts)]))
        base_sums, *sums = dask.compute(base_total, *variant_totals)
        rows = []
        for value, variant, s in zip(values, variants, sums):
            row = {"parameter": parameter, "value": value, "policy_version": variant.version}
            row.update({k: int(s.get(k, 0)) for k in ("projects", "error_lines", "eligible", "subsidy_eligible",
                                                       "capped", "total_fen")})
            row["delta_eligible"] = row["eligible"] - base_sums.get("eligible", 0)
            row["delta_subsidy_eligible"] = row["subsidy_eligible"] - base_sums.get("subsidy_eligible", 0)
            row["delta_fen"] = row["total_fen"] - base_sums.get("total_fen", 0)
            row["changed"] = int(s.get("changed", 0))
            rows.append(row)
    finally:
        for variant in variants:
            variant.close()
    columns = ["parameter", "value", "policy_version", "projects", "error_lines", "eligible", "subsidy_eligible",
               "capped", "total_fen", "delta_eligible", "delta_subsidy_eligible", "delta_fen", "changed"]
    frame = pd.DataFrame(rows, columns=columns)
    if any(not isinstance(r["value"], int) or isinstance(r["value"], bool) for r in rows):
        frame["value"] = pd.Series([r["value"] for r in rows], dtype=object)
    frame.attrs["base"] = dict({k: int(base_sums.get(k, 0)) for k in _TOTAL_KEYS}, policy=policy.id,
                               version=policy.version)
    return frame
