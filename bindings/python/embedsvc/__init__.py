# libembedsvc Python binding.
# SPDX-License-Identifier: MIT
"""libembedsvc for Python: Beijing community embedded service facility policy as code.

Decide whether a project (社区嵌入式服务设施项目) may apply for municipal
funding and how much subsidy it gets, to the fen, with every reason cited to
the policy text — with exactly the results of the C library, which does the
work::

    import embedsvc
    policy = embedsvc.Policy.default()
    result = policy.evaluate(open("project.json").read())   # or a dict, or bytes
    result.eligible, result.subsidy.total_fen, result.findings
    results = policy.evaluate_jsonl("portfolio.jsonl")       # or evaluate_many(dicts)
    rows = embedsvc.results_to_rows(results)                 # pandas.DataFrame(rows)
    reform = embedsvc.Policy.from_file("policies/reform-cap-3000wan.json")
    c = embedsvc.compare("portfolio.jsonl", [policy, reform]) # c.totals, c.districts, c.changes
    frame = policy.evaluate_frame("portfolio.jsonl")          # pandas, columns filled in C
    cheaper = policy.derive(cap_fen=30_000_000_00)            # a reform in code
    curve = embedsvc.sweep("portfolio.jsonl", policy, "cap_fen", [10**9, 2 * 10**9])

The batch calls release the GIL and evaluate on os.cpu_count() threads
(``workers=``); their results hold the figures and make the full result
JSON (with the messages) only when asked for.

Money is an exact integer number of fen (分). Errors raise EmbedsvcError
subclasses carrying the code, message, line, column and JSON path.
"""

from . import _swig as _c
from ._errors import (EmbedsvcError, FileError, InvalidArgumentError, OutOfMemoryError, ParseError, PolicyError,
                      RangeError, StateError, from_c as _from_c)
from ._policy import Classification, Item, Policy, Project, Scenario, ServiceClass, StageReport, disbursement
from ._result import (Check, ClassSubsidy, Counts, Finding, FunctionResult, RecordError, Result, Subsidy, format_fen,
                      results_to_rows)
from ._compare import Comparison, compare
from ._handle import ClosedError
from ._sweep import portfolio_totals, sweep

_c.esv_py_set_error_factory(_from_c)
_c.esv_py_set_classes(Result, RecordError)

#: The version of the linked libembedsvc, e.g. "0.1.0" (the binding is built with it).
__version__ = _c.embedsvc_version_string()

#: The ABI version of the linked library (the N of libembedsvc.so.N).
ABI_VERSION = _c.embedsvc_abi_version()

__all__ = [
    "Policy", "Project", "Classification", "Scenario", "ServiceClass", "Item", "StageReport", "disbursement",
    "Result", "RecordError", "Counts", "FunctionResult", "ClassSubsidy", "Subsidy", "Check", "Finding",
    "results_to_rows", "format_fen", "compare", "Comparison", "sweep", "portfolio_totals",
    "EmbedsvcError", "ParseError", "PolicyError", "InvalidArgumentError", "OutOfMemoryError", "FileError",
    "RangeError", "StateError", "ClosedError",
    "__version__", "ABI_VERSION",
]
