# libembedsvc Python binding — columnar results for pandas.
# SPDX-License-Identifier: MIT
"""``Policy.evaluate_frame``: a portfolio in, one pandas DataFrame of results out.

The columns are filled in C (src/columnar.c) into buffers that numpy views
without copying; no Python object is made per field except for the texts that
are values of their own (project id, name, error message and path).

Result columns (one row per project; see docs/python.md):

- ``line`` (JSON Lines input only): the physical line, int64;
- ``ok``: False for a record that could not be evaluated (an error row);
- ``project_id``, ``name`` (object, str), ``district``, ``street``,
  ``community``, ``build_mode`` (category, as given / the build-mode code);
- ``eligible``, ``subsidy_eligible``, ``capped`` (bool; False on error rows);
- money in integer fen, pandas ``Int64``: ``total_fen``, ``uncapped_fen``,
  ``cap_fen`` (NA without a cap), ``cap_headroom_fen`` (NA when none), and
  ``<class>_base_fen``, ``<class>_rate_bp``, ``<class>_amount_fen`` for
  basic_public, inclusive and commercial; the counts ``functions``,
  ``valid_functions``, ``distinct_scenarios``, ``core_scenarios``,
  ``preferred_scenarios`` and the number of findings by severity ``errors``,
  ``warnings``, ``infos`` (``Int64`` too). Every one of them is NA on an
  error row: an error row never turns a money column into float, and a sum
  skips it (as the C batch counts no subsidy for an error line);
- ``error_code`` (category), ``error_message``, ``error_path`` (object),
  ``error_line``, ``error_column`` (``Int64``): set on error rows only;
- with ``yuan=True``: ``total_yuan``, ``uncapped_yuan``, ``cap_yuan`` and the
  class amounts as exact ``decimal.Decimal`` (object columns, None on NA).

Findings (``findings=True``): a second, long-format frame, one row per
finding, indexed like the result frame's row it belongs to: ``project_id``,
``code``, ``severity`` (ordered category info < warning < error),
``function`` (``Int64``, NA for a project-level finding), ``cite``
(category); with ``line`` for JSON Lines input.
"""

from __future__ import annotations

import datetime
import decimal
import os
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _swig as _c

if TYPE_CHECKING:  # pragma: no cover
    import pandas

__all__ = ["FRAME_MONEY_COLUMNS", "evaluate_frame", "encode_projects"]

_CLASSES = ("basic_public", "inclusive", "commercial")
#: The money columns (integer fen, pandas Int64) of a result frame.
FRAME_MONEY_COLUMNS = ("total_fen", "uncapped_fen", "cap_fen", "cap_headroom_fen") + tuple(
    "%s_%s" % (c, k) for c in _CLASSES for k in ("base_fen", "amount_fen"))
_INT_COLUMNS = ("total_fen", "uncapped_fen", "cap_fen", "cap_headroom_fen") + tuple(
    "%s_%s" % (c, k) for c in _CLASSES for k in ("base_fen", "rate_bp", "amount_fen")) + (
    "functions", "valid_functions", "distinct_scenarios", "core_scenarios", "preferred_scenarios",
    "errors", "warnings", "infos")
_ORDER = (("ok", "project_id", "name", "district", "street", "community", "build_mode", "eligible",
           "subsidy_eligible", "capped") + _INT_COLUMNS +
          ("error_code", "error_message", "error_path", "error_line", "error_column"))
_YUAN = ("total_fen", "uncapped_fen", "cap_fen") + tuple("%s_amount_fen" % c for c in _CLASSES)
_SEVERITIES = ("info", "warning", "error")

_setup_done = False
_arrays_ok = False  # whether C reads object arrays in place (built with numpy's headers)


def _modules():
    global _setup_done, _arrays_ok
    import numpy as np
    import pandas as pd
    if not _setup_done:
        _arrays_ok = bool(_c.esv_py_frame_setup((pd.NA, pd.NaT, np.nan), np.bool_, _fallback))
        _setup_done = True
    return np, pd


def _object_values(np, series):
    values = np.ascontiguousarray(series.to_numpy(dtype=object))
    return values if _arrays_ok else values.tolist()


def _fallback(value: Any) -> Any:
    """What the C encoder writes for a value of another type (or TypeError)."""
    import numpy as np
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise TypeError("%s is not a number of yuan" % value)
        return str(value)  # a decimal is exact as JSON text
    if isinstance(value, datetime.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.floating):
        raise TypeError("%s is not exact; give float64, int, Decimal or str" % type(value).__name__)
    if isinstance(value, dict):  # a dict subclass that PyDict_Check missed cannot happen; mappings:
        return dict(value)
    if hasattr(value, "keys") and hasattr(value, "__getitem__"):
        return {k: value[k] for k in value.keys()}
    raise TypeError("%s is not JSON" % type(value).__name__)


def _column(np, pd, key: str, series: Any) -> tuple:
    """(key, kind, values[, mask]) of one DataFrame column for the C encoder."""
    dtype = series.dtype
    arr = series.array
    if isinstance(dtype, pd.CategoricalDtype):
        return (key, "o", _object_values(np, series))
    if pd.api.types.is_extension_array_dtype(dtype):
        kind = dtype.kind
        if kind in "iu" and hasattr(arr, "_mask"):
            return (key, "i", np.ascontiguousarray(arr._data, dtype=np.int64), np.ascontiguousarray(arr._mask))
        if kind == "b" and hasattr(arr, "_mask"):
            return (key, "b", np.ascontiguousarray(arr._data, dtype=np.bool_), np.ascontiguousarray(arr._mask))
        return (key, "o", _object_values(np, series))
    kind = dtype.kind
    if kind in "iu":
        return (key, "i", np.ascontiguousarray(series.to_numpy(), dtype=np.int64))
    if kind == "f" and dtype.itemsize == 8:
        return (key, "f", np.ascontiguousarray(series.to_numpy()))
    if kind == "b":
        return (key, "b", np.ascontiguousarray(series.to_numpy()))
    if kind == "M":
        return (key, "o", [None if v is pd.NaT else v for v in series.tolist()])
    return (key, "o", _object_values(np, series))  # read in place by C


def encode_projects(projects: Any, functions: Any = None, *, key: str = "id") -> bytes:
    """Writes projects as JSON Lines (one document per row), in C: a DataFrame (with a
    ``functions`` list column, or a separate ``functions`` frame whose ``key`` column holds the
    project's ``id``), or a list of dicts / JSON documents. Absent values (None, NaN, pandas.NA)
    leave their key out."""
    np, pd = _modules()
    if isinstance(projects, pd.DataFrame):
        cols = [_column(np, pd, str(k), projects[k]) for k in projects.columns]
        spec = None
        if functions is not None:
            if "functions" in projects.columns:
                raise ValueError("give the functions either as a column or as a frame, not both")
            if key not in functions.columns or "id" not in projects.columns:
                raise ValueError("the functions frame needs a %r column and the projects an 'id' column" % key)
            codes = pd.Index(projects["id"]).get_indexer(functions[key])
            if (codes < 0).any():
                missing = functions[key][codes < 0].iloc[0]
                raise ValueError("the functions frame names project %r, which is not in the projects" % (missing,))
            if not pd.Index(projects["id"]).is_unique:
                raise ValueError("project ids must be unique to key a functions frame")
            order = np.argsort(codes, kind="stable").astype(np.int64)
            offsets = np.zeros(len(projects) + 1, dtype=np.int64)
            np.cumsum(np.bincount(codes, minlength=len(projects)), out=offsets[1:])
            fcols = [_column(np, pd, str(k), functions[k]) for k in functions.columns if k != key]
            spec = (fcols, order, offsets)
        return _c.esv_py_frame_encode(cols, len(projects), spec)
    if functions is not None:
        raise TypeError("a functions frame goes with a projects DataFrame")
    if not isinstance(projects, list):
        projects = list(projects)
    return _c.esv_py_frame_encode(projects, -1, None)


def _int_array(np, pd, buf, mask):
    return pd.arrays.IntegerArray(np.frombuffer(buf, dtype=np.int64), mask, copy=False)


def _objects(np, values):
    """An object array of a list (C makes arrays directly when built with numpy's headers)."""
    if isinstance(values, np.ndarray):
        return values
    a = np.empty(len(values), dtype=object)
    a[:] = values
    return a


def _categorical(np, pd, pair):
    codes, categories = pair
    codes = np.frombuffer(codes, dtype=np.int32)
    index = pd.Index(_objects(np, categories), dtype=object, copy=False)
    try:  # the categories are distinct by construction (interned in C): skip pandas' checks
        dtype = pd.CategoricalDtype._from_fastpath(index, False)
        return pd.Categorical._simple_new(codes, dtype)
    except (AttributeError, TypeError):  # another pandas version
        return pd.Categorical.from_codes(codes, categories=index)


def _decimal_yuan(values) -> List[Optional[decimal.Decimal]]:
    out: List[Optional[decimal.Decimal]] = []
    for v in values:
        out.append(None if v is None else decimal.Decimal(int(v)).scaleb(-2))
    return out


def frame_from_buffers(cols: Dict[str, Any], index: Any = None, *, line: bool = True, findings: bool = False,
                       yuan: bool = False) -> Any:
    """The result frame (and findings frame) from the buffers of esv_py_frame_eval."""
    np, pd = _modules()
    ok = np.frombuffer(cols["ok"], dtype=np.bool_)
    bad = ~ok
    if index is None:
        index = pd.RangeIndex(len(ok))
    data: Dict[str, Any] = {}
    if line:
        data["line"] = np.frombuffer(cols["line"], dtype=np.int64)
    for name in _ORDER:
        if name in ("ok", "eligible", "subsidy_eligible", "capped"):
            data[name] = np.frombuffer(cols[name], dtype=np.bool_)
        elif name in ("project_id", "name", "error_message", "error_path"):
            # a Series of dtype object: pandas takes it as is, where it would scan a bare object
            # array to the end for dates (every row of an error column without errors)
            data[name] = pd.Series(_objects(np, cols[name]), index=index, dtype=object, copy=False)
        elif name in ("district", "street", "community", "build_mode", "error_code"):
            data[name] = _categorical(np, pd, cols[name])
        elif name == "cap_fen":
            data[name] = _int_array(np, pd, cols[name], ~(ok & np.frombuffer(cols["has_cap"], dtype=np.bool_)))
        elif name == "cap_headroom_fen":
            data[name] = _int_array(np, pd, cols[name], ~(ok & np.frombuffer(cols["has_headroom"], dtype=np.bool_)))
        elif name in ("error_line", "error_column"):
            data[name] = _int_array(np, pd, cols[name], ok.copy())
        else:
            data[name] = _int_array(np, pd, cols[name], bad)
    if yuan:
        for name in _YUAN:
            data[name[:-4] + "_yuan"] = _decimal_yuan(data[name].to_numpy(dtype=object, na_value=None))
    frame = pd.DataFrame(data, index=index, copy=False)
    if not findings:
        return frame
    row = np.frombuffer(cols["f_row"], dtype=np.int64)
    function = np.frombuffer(cols["f_function"], dtype=np.int64)
    sev_codes = np.frombuffer(cols["f_severity"], dtype=np.int32)
    fdata: Dict[str, Any] = {}
    if line:
        fdata["line"] = data["line"][row]
    fdata["project_id"] = np.asarray(data["project_id"], dtype=object)[row]
    fdata["code"] = _categorical(np, pd, cols["f_code"])
    fdata["severity"] = pd.Categorical.from_codes(sev_codes, categories=list(_SEVERITIES), ordered=True)
    fdata["function"] = pd.arrays.IntegerArray(function, function < 0, copy=False)
    fdata["cite"] = _categorical(np, pd, cols["f_cite"])
    findex = frame.index[row] if len(row) else frame.index[:0]
    return frame, pd.DataFrame(fdata, index=findex, copy=False)


ProjectsInput = Union["pandas.DataFrame", Sequence[Any], bytes, bytearray, memoryview, str, "os.PathLike[str]"]


def evaluate_frame(policy: Any, projects: ProjectsInput, *, functions: Any = None, key: str = "id",
                   workers: Optional[int] = None, findings: bool = False, yuan: bool = False,
                   first_line: int = 1) -> Any:
    """See Policy.evaluate_frame."""
    np, pd = _modules()
    from ._policy import _workers
    index = None
    line = False
    if isinstance(projects, pd.DataFrame):
        data = encode_projects(projects, functions, key=key)
        index = projects.index
    elif isinstance(projects, (bytes, bytearray, memoryview)):
        data, line = projects, True
    elif isinstance(projects, (str, os.PathLike)):
        with open(projects, "rb") as f:
            data = f.read()
        line = True
    elif functions is not None:
        raise TypeError("a functions frame goes with a projects DataFrame")
    else:
        if not isinstance(projects, list):
            projects = list(projects)
        data = encode_projects(projects)
        line = False
    cols = _c.esv_py_frame_eval(policy._h, data, first_line, _workers(workers), 1 if findings else 0)
    if not line and len(np.frombuffer(cols["line"], dtype=np.int64)) != (len(index) if index is not None
                                                                          else len(projects)):
        raise AssertionError("one result per project")  # a blank document cannot come from the encoder
    return frame_from_buffers(cols, index, line=line, findings=findings, yuan=yuan)
