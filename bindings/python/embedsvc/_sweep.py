# libembedsvc Python binding — parameter sweeps of a portfolio.
# SPDX-License-Identifier: MIT
"""``embedsvc.sweep``: the "what if the cap were X" curve, one row per value.

The portfolio is written as JSON Lines once; each value derives a policy
(``Policy.derive``) and evaluates the portfolio in C into columns
(``esv_py_frame_eval``), of which only sums are kept. ``portfolio_totals``
is the same sum for one policy, to add up over partitions (Dask).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterable, Optional

from . import _swig as _c
from ._frame import _modules, encode_projects

__all__ = ["sweep", "portfolio_totals", "portfolio_bytes"]

_TOTALS = ("lines", "projects", "error_lines", "eligible", "subsidy_eligible", "capped", "total_fen")


def portfolio_bytes(portfolio: Any) -> bytes:
    """A portfolio (JSON Lines path or bytes, DataFrame, or list of dicts/documents) as JSON Lines bytes."""
    _, pd = _modules()
    if isinstance(portfolio, (bytes, bytearray, memoryview)):
        return bytes(portfolio)
    if isinstance(portfolio, (str, os.PathLike)):
        with open(portfolio, "rb") as f:
            return f.read()
    return encode_projects(portfolio)


def _run(policy: Any, data: bytes, workers: Optional[int]):
    np, _ = _modules()
    from ._policy import _workers
    cols = _c.esv_py_frame_eval(policy._h, data, 1, _workers(workers), 0)
    ok = np.frombuffer(cols["ok"], dtype=np.bool_)
    arrays = {k: np.frombuffer(cols[k], dtype=np.bool_) for k in ("eligible", "subsidy_eligible", "capped")}
    arrays["total_fen"] = np.frombuffer(cols["total_fen"], dtype=np.int64)
    arrays["ok"] = ok
    return arrays


def _sums(a) -> Dict[str, int]:
    ok = a["ok"]
    total = 0
    # exact: Python ints over int64 chunks that cannot overflow (each total is below 2**53 fen here,
    # but a sum of many may not be; numpy would wrap)
    t = a["total_fen"]
    for start in range(0, len(t), 1 << 16):
        total += int(t[start:start + (1 << 16)].sum(dtype=object)) if len(t) > start else 0
    return {"lines": int(len(ok)), "projects": int(ok.sum()), "error_lines": int((~ok).sum()),
            "eligible": int(a["eligible"].sum()), "subsidy_eligible": int(a["subsidy_eligible"].sum()),
            "capped": int((a["capped"] & a["subsidy_eligible"]).sum()), "total_fen": total}


def portfolio_totals(policy: Any, portfolio: Any, *, workers: Optional[int] = None) -> Dict[str, int]:
    """Sums of one evaluation, as ``embedsvc batch`` prints them: lines (non-blank records),
    projects (evaluated), error_lines, eligible, subsidy_eligible, capped (subsidy-eligible projects
    whose subsidy the cap reduced, as ``embedsvc compare`` counts them) and total_fen (exact int).
    The sums of partitions add up to the sums of the whole."""
    return _sums(_run(policy, portfolio_bytes(portfolio), workers))


def _changes(parameter: str, value: Any) -> Dict[str, Any]:
    if "." in parameter:  # rates.inclusive, rate_is_max.commercial
        head, _, tail = parameter.partition(".")
        return {head: {tail: value}}
    return {parameter: value}


def sweep(portfolio: Any, policy: Any, parameter: str, values: Iterable[Any], *,
          workers: Optional[int] = None) -> "Any":
    """Evaluates ``portfolio`` under ``policy`` with ``parameter`` set to each of ``values``.

    ``parameter`` is a keyword of ``Policy.derive`` (``"cap_fen"``,
    ``"min_functions"``, ``"max_walk_minutes"`` …) or ``"rates.<class>"`` /
    ``"rate_is_max.<class>"`` for one class. Returns a DataFrame with one row
    per value: ``value``, ``policy_version``, ``projects``, ``error_lines``,
    ``eligible``, ``subsidy_eligible``, ``capped``, ``total_fen`` and, against
    the base ``policy``, ``delta_eligible``, ``delta_subsidy_eligible``,
    ``delta_fen`` and ``changed`` (projects whose eligibility, subsidy
    eligibility or total differ). Money is exact integer fen.
    """
    np, pd = _modules()
    data = portfolio_bytes(portfolio)
    base = _run(policy, data, workers)
    base_sums = _sums(base)
    rows = []
    for value in values:
        if hasattr(value, "item") and hasattr(value, "dtype"):
            value = value.item()
        variant = policy.derive(**_changes(parameter, value))
        try:
            a = _run(variant, data, workers)
            sums = _sums(a)
            changed = int(((a["eligible"] != base["eligible"]) | (a["subsidy_eligible"] != base["subsidy_eligible"])
                           | (a["total_fen"] != base["total_fen"])).sum())
            row = {"parameter": parameter, "value": value, "policy_version": variant.version}
            row.update({k: sums[k] for k in ("projects", "error_lines", "eligible", "subsidy_eligible", "capped",
                                             "total_fen")})
            row["delta_eligible"] = sums["eligible"] - base_sums["eligible"]
            row["delta_subsidy_eligible"] = sums["subsidy_eligible"] - base_sums["subsidy_eligible"]
            row["delta_fen"] = sums["total_fen"] - base_sums["total_fen"]
            row["changed"] = changed
            rows.append(row)
        finally:
            variant.close()
    columns = ["parameter", "value", "policy_version", "projects", "error_lines", "eligible", "subsidy_eligible",
               "capped", "total_fen", "delta_eligible", "delta_subsidy_eligible", "delta_fen", "changed"]
    frame = pd.DataFrame(rows, columns=columns)
    if any(not isinstance(r["value"], int) or isinstance(r["value"], bool) for r in rows):
        frame["value"] = pd.Series([r["value"] for r in rows], dtype=object)  # None (no cap) stays None
    frame.attrs["base"] = dict(base_sums, policy=policy.id, version=policy.version)
    return frame
