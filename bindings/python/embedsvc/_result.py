# libembedsvc Python binding — results.
# SPDX-License-Identifier: MIT
"""Results of an evaluation (SPEC §6), batch error records (SPEC §7) and flat rows for tables."""

from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union
import copy
import html
import json

from . import _swig as _c
from ._errors import error_class

__all__ = [
    "Result",
    "RecordError",
    "Counts",
    "FunctionResult",
    "ClassSubsidy",
    "Subsidy",
    "Check",
    "Finding",
    "results_to_rows",
    "format_fen",
]

CLASS_CODES = ("basic_public", "inclusive", "commercial")  # in the order of embedsvc_class
SEVERITIES = ("info", "warning", "error")  # in the order of embedsvc_severity


def format_fen(fen: Optional[int]) -> str:
    """Formats an amount of fen as yuan with thousands separators, exactly: 187640000 -> '1,876,400.00'."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    yuan, cents = divmod(abs(int(fen)), 100)
    return "%s%s.%02d" % (sign, format(yuan, ","), cents)


def _wrap(value):
    if isinstance(value, dict):
        return Record(value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


class Record:
    """A read-only view of one JSON object of a result: its keys are attributes.

    ``to_dict()`` returns a copy of the object; ``record["key"]`` also works.
    """

    __slots__ = ("_data",)

    def __init__(self, data):
        self._data = data

    def __getattr__(self, name):
        try:
            return _wrap(self._data[name])
        except KeyError:
            raise AttributeError("%s has no attribute %r" % (type(self).__name__, name)) from None

    def __getitem__(self, key):
        return self._data[key]

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(self._data))

    def __eq__(self, other):
        return type(other) is type(self) and other._data == self._data

    __hash__ = None

    def __repr__(self):
        return "%s(%s)" % (type(self).__name__, ", ".join("%s=%r" % kv for kv in self._data.items()))

    def to_dict(self) -> Dict[str, Any]:
        """Returns the JSON object as a new dict."""
        return copy.deepcopy(self._data)


class Counts(Record):
    """Counts of a result: functions, valid_functions, distinct_scenarios, core_scenarios, preferred_scenarios."""

    __slots__ = ()


class FunctionResult(Record):
    """One function of a result: index, scenario, service_class, investment_fen, subsidy_fen.

    ``scenario`` and ``service_class`` are codes, or None when not determined (an invalid function).
    """

    __slots__ = ()


class ClassSubsidy(Record):
    """The subsidy of one service class: base_fen, rate_bp, amount_fen."""

    __slots__ = ()


class Subsidy(Record):
    """The subsidy of a result (SPEC §3.4).

    Attributes: total_fen, uncapped_fen, cap_fen (None without a cap), capped,
    cap_headroom_fen, and basic_public / inclusive / commercial (ClassSubsidy).
    """

    __slots__ = ()

    def __getattr__(self, name):
        if name in CLASS_CODES:
            return ClassSubsidy(self._data[name])
        return Record.__getattr__(self, name)

    @property
    def classes(self):
        """The ClassSubsidy of each class, by class code, in policy order."""
        return {code: ClassSubsidy(self._data[code]) for code in CLASS_CODES if code in self._data}


class Check(Record):
    """One project check (SPEC §3.2): rule, passed (True, False, or None when not evaluated), value,
    threshold, cite."""

    __slots__ = ()


class Finding(Record):
    """One finding: code, severity ('info', 'warning', 'error'), function (index or None), cite,
    message_zh, message_en."""

    __slots__ = ()

    def message(self, lang: str = "zh") -> str:
        """Returns the message in Chinese (``"zh"``) or English (``"en"``)."""
        return self._data["message_" + lang]


# The flat tuple a Result is built from (made in C by batch.i from the result accessors):
# project_id, eligible, subsidy_eligible, total_fen, the 5 counts, base/rate/amount of each class,
# uncapped_fen, cap_fen, capped, cap_headroom_fen, then the number of functions and 4 values each
# (scenario index in the policy, class index in CLASS_CODES, both -1 for none; investment_fen,
# subsidy_fen), the number of checks and 3 values each (passed, value, threshold), the
# number of findings and 4 values each (code, severity index in SEVERITIES, function, cite).
# The checks' rules and cites are the same for every result: _CHECKS.
_T_ID, _T_ELIGIBLE, _T_SUBSIDY_ELIGIBLE, _T_TOTAL, _T_COUNTS, _T_CLASSES = 0, 1, 2, 3, 4, 9
_T_UNCAPPED, _T_CAP, _T_CAPPED, _T_HEADROOM, _T_FUNCTIONS = 18, 19, 20, 21, 22
_COUNT_KEYS = ("functions", "valid_functions", "distinct_scenarios", "core_scenarios", "preferred_scenarios")
_CHECKS = _c.esv_py_check_table()  # ((rule, cite), ...) in table order


def _t_counts(t):
    return dict(zip(_COUNT_KEYS, t[_T_COUNTS:_T_COUNTS + 5]))


def _t_functions(t, scenarios):
    """The functions; ``scenarios`` are the policy's scenario codes."""
    start = _T_FUNCTIONS + 1
    return [{"index": k, "scenario": scenarios[t[i]] if t[i] >= 0 else None,
             "service_class": CLASS_CODES[t[i + 1]] if t[i + 1] >= 0 else None, "investment_fen": t[i + 2],
             "subsidy_fen": t[i + 3]} for k, i in enumerate(range(start, start + 4 * t[_T_FUNCTIONS], 4))]


def _t_subsidy(t):
    d = {}
    for k, code in enumerate(CLASS_CODES):
        i = _T_CLASSES + 3 * k
        d[code] = {"base_fen": t[i], "rate_bp": t[i + 1], "amount_fen": t[i + 2]}
    d["uncapped_fen"] = t[_T_UNCAPPED]
    d["cap_fen"] = t[_T_CAP]
    d["capped"] = t[_T_CAPPED]
    d["cap_headroom_fen"] = t[_T_HEADROOM]
    d["total_fen"] = t[_T_TOTAL]
    return d


def _t_checks_at(t):
    i = _T_FUNCTIONS + 1 + 4 * t[_T_FUNCTIONS]
    return i + 1, t[i]


def _t_checks(t):
    i, n = _t_checks_at(t)
    return [{"rule": rule, "passed": t[j], "value": t[j + 1], "threshold": t[j + 2], "cite": cite}
            for (rule, cite), j in zip(_CHECKS, range(i, i + 3 * n, 3))]


def _t_findings_at(t):
    i, n = _t_checks_at(t)
    i += 3 * n
    return i + 1, t[i]


def _t_findings(t):
    """The findings without their messages: code, severity, function, cite."""
    i, n = _t_findings_at(t)
    return [{"code": t[j], "severity": SEVERITIES[t[j + 1]], "function": t[j + 2], "cite": t[j + 3]}
            for j in range(i, i + 4 * n, 4)]


def _t_summary(t, scenarios):
    """The fields of SPEC §6 a Result holds without JSON: all but schema, policy, engine, the
    findings' messages and the process section."""
    return {"project_id": t[_T_ID], "eligible": t[_T_ELIGIBLE], "subsidy_eligible": t[_T_SUBSIDY_ELIGIBLE],
            "counts": _t_counts(t), "functions": _t_functions(t, scenarios), "subsidy": _t_subsidy(t),
            "checks": _t_checks(t), "findings": _t_findings(t)}


class Result:
    """The outcome of evaluating one project (SPEC §6), identical to the C library's.

    Every figure is read from the C result's accessors, without JSON:
    ``project_id``, ``eligible``, ``subsidy_eligible``, ``total_fen``,
    ``counts``, ``functions``, ``subsidy``, ``checks``, and the findings'
    codes (``finding_codes``); ``summary()`` is all of them as a dict. The
    ``embedsvc.result/1`` document with the findings' messages in Chinese
    and English is made only when asked for: ``to_dict()``, ``json``,
    ``findings``, ``errors``, ``policy``, ``engine`` (and any key a later
    library version adds). A result of ``evaluate`` has it at once; one of
    ``evaluate_many`` / ``evaluate_jsonl`` keeps its input record and
    evaluates it again to make it (the same bytes as the C library's).

    ``line`` is the record's line (batch) or position (``evaluate_many``,
    1-based), None for a single evaluation; ``project`` is the input.
    ``ok`` is True (False for a RecordError).
    """

    # Set by C (batch.i esv_py_new_result) as well as by _make().
    __slots__ = ("_t", "_json", "_doc", "_source", "_text", "_policy", "_line")
    ok = True

    def __init__(self, *args, **kwargs):
        raise TypeError("Results are made by Policy.evaluate(), evaluate_many() and evaluate_jsonl()")

    @classmethod
    def _make(cls, t, json_bytes, line, source, policy):
        r = object.__new__(cls)
        r._t = t
        r._json = json_bytes
        r._doc = None
        r._source = source
        r._text = None
        r._policy = policy
        r._line = line
        return r

    line = property(lambda self: self._line, doc="The record's line (batch) or 1-based position (evaluate_many); "
                                                 "None for a single evaluation.")
    project_id = property(lambda self: self._t[_T_ID], doc="The project's ``id``.")
    eligible = property(lambda self: self._t[_T_ELIGIBLE], doc="True when no finding is an error.")
    subsidy_eligible = property(lambda self: self._t[_T_SUBSIDY_ELIGIBLE],
                                doc="True when eligible and built in a subsidised build mode.")
    total_fen = property(lambda self: self._t[_T_TOTAL], doc="The total subsidy in fen (``subsidy.total_fen``).")

    @property
    def _d(self):
        """The whole result document (made by evaluating the record again for a batch result)."""
        doc = self._doc
        if doc is None:
            doc = self._doc = json.loads(self.json)
        return doc

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return _wrap(self._d[name])
        except KeyError:
            raise AttributeError("Result has no attribute %r" % name) from None

    def __dir__(self):
        return sorted(set(object.__dir__(self)) | set(self._d))

    @property
    def json(self):
        """The result as the C library writes it: compact ``embedsvc.result/1`` JSON text."""
        data = self._json
        if data is None:
            data = self._json = self._policy._result_json(self._text)
        return data.decode("utf-8")

    @property
    def counts(self):
        """The Counts of the result."""
        return Counts(_t_counts(self._t))

    @property
    def functions(self):
        """A FunctionResult per function of the project, in order."""
        return [FunctionResult(f) for f in _t_functions(self._t, self._policy._scenario_codes)]

    @property
    def subsidy(self):
        """The Subsidy: per-class bases, rates and amounts, the cap and ``total_fen``."""
        return Subsidy(_t_subsidy(self._t))

    @property
    def checks(self):
        """Every Check of SPEC §3.2, in table order."""
        return [Check(c) for c in _t_checks(self._t)]

    @property
    def finding_codes(self):
        """The findings' codes, in order (without making their messages)."""
        i, n = _t_findings_at(self._t)
        return list(self._t[i:i + 4 * n:4])

    @property
    def findings(self):
        """Every Finding (the reasons, with their messages), in the order of SPEC §6."""
        return [Finding(f) for f in self._d["findings"]]

    @property
    def errors(self):
        """The findings of severity ``error``: why the project is not eligible."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def project(self):
        """The project as given (a dict; text is parsed), or None when unknown."""
        src = self._source
        if src is None or isinstance(src, dict):
            return src
        if hasattr(src, "_source"):  # a Project
            return src.to_dict()
        self._source = src = json.loads(src)
        _c.esv_py_gc_track(self)  # it now refers to a dict (see batch.i)
        return src

    def summary(self) -> Dict[str, Any]:
        """Returns what the result holds without its JSON, as a new dict: the keys of SPEC §6 but
        schema, policy, engine and process, and the findings without their messages."""
        return _t_summary(self._t, self._policy._scenario_codes)

    def to_dict(self) -> Dict[str, Any]:
        """Returns the result as a new dict, equal to ``json.loads`` of the C library's output."""
        return json.loads(self.json)

    def to_json(self) -> str:
        """Returns the result's JSON text (compact, deterministic, as the C library writes it)."""
        return self.json

    def __eq__(self, other):
        return isinstance(other, Result) and other.json == self.json

    __hash__ = None

    def __repr__(self):
        state = "eligible" if self.eligible else "not eligible"
        return "<Result %s: %s, subsidy %s yuan (%d fen), %d finding(s)>" % (
            self.project_id, state, format_fen(self.total_fen), self.total_fen, _t_findings_at(self._t)[1])

    def _repr_html_(self):
        return _result_html(self)

    def __reduce__(self):
        # Pickled with its JSON (made now if need be) and the policy's scenario codes, not the policy.
        source = self._source
        if hasattr(source, "_h"):  # a Project: its document
            source = source.to_dict()
        return _unpickle_result, (self._t, self.json.encode("utf-8"), self._line, source,
                                  self._policy._scenario_codes)


class _Codes:
    """What an unpickled Result keeps of its policy: the scenario codes."""

    __slots__ = ("_scenario_codes",)

    def __init__(self, codes):
        self._scenario_codes = codes


def _unpickle_result(t, json_bytes, line, source, codes):
    return Result._make(t, json_bytes, line, source, _Codes(codes))


class RecordError:
    """A record of a batch that could not be evaluated (the error line of SPEC §7).

    Nothing is dropped: ``evaluate_many`` and ``evaluate_jsonl`` return one of
    these in the record's place. Attributes: ``line`` (the record's line or
    position, 1-based), ``code``, ``message``, ``path`` (JSON pointer),
    ``error_line`` and ``error_column`` (within the record's document), and
    ``project`` (the input). ``ok``, ``eligible`` and ``subsidy_eligible`` are
    False, ``total_fen`` is 0 and ``project_id`` None, so that totals over a
    list of results count no subsidy for bad records (as the C batch does).
    ``to_dict()`` is the error line; ``exception()`` the matching EmbedsvcError.
    """

    __slots__ = ("_error", "_source", "line")
    ok = False
    eligible = False
    subsidy_eligible = False
    total_fen = 0
    project_id = None

    def __init__(self, line, error, source=None):
        self.line = line
        self._error = error
        self._source = source

    @classmethod
    def _from_line(cls, json_bytes, line, source):
        doc = json.loads(json_bytes)
        return cls(line, doc["error"], source)

    @classmethod
    def _from_exception(cls, line, exc, source):
        return cls(line, {"code": exc.code, "message": exc.message, "path": exc.path, "line": exc.line,
                          "column": exc.column}, source)

    code = property(lambda self: self._error["code"], doc="The error code, e.g. 'parse.syntax'.")
    message = property(lambda self: self._error["message"], doc="The English message.")
    path = property(lambda self: self._error["path"], doc="The JSON pointer of the offending value.")
    error_line = property(lambda self: self._error["line"], doc="The line of the error within the record.")
    error_column = property(lambda self: self._error["column"], doc="The column of the error within the record.")

    @property
    def project(self):
        """The record as given (raw text is returned as is: it may not be JSON)."""
        src = self._source
        return src.to_dict() if hasattr(src, "_source") else src

    def exception(self) -> Exception:
        """Returns (does not raise) the EmbedsvcError subclass instance describing this error."""
        e = self._error
        return error_class(e["code"])(e["code"], e["message"], e["line"], e["column"], e["path"])

    def to_dict(self) -> Dict[str, Any]:
        """Returns the error line of SPEC §7 as a dict."""
        return {"schema": "embedsvc.result/1", "line": self.line, "error": dict(self._error)}

    def __repr__(self):
        return "<RecordError line %s: %s>" % (self.line, self.exception())

    def _repr_html_(self):
        return "<p><b>line %s</b>: %s</p>" % (self.line, _esc(str(self.exception())))


# ---- flat rows ----------------------------------------------------------------------------

PROJECT_FIELDS = ("name", "district", "street", "community")


def _project_values(r, project_fields):
    if not project_fields:
        return {}
    try:
        p = r.project
    except ValueError:  # a bad record that is not JSON
        p = None
    if not isinstance(p, dict):
        p = {}
    return {k: p.get(k) for k in project_fields}


def results_to_rows(results: Iterable[Any], kind: str = "projects",
                    project_fields: Optional[Sequence[str]] = PROJECT_FIELDS) -> List[Dict[str, Any]]:
    """Flattens results into a list of dicts ready for ``pandas.DataFrame`` (pandas is not needed).

    Args:
        results: Result and RecordError objects (e.g. from ``evaluate_many``).
        kind: ``"projects"`` (one row per result), ``"functions"`` (one per
            function) or ``"findings"`` (one per finding; a RecordError gives
            one row with its error code).
        project_fields: fields copied from each input project (None for none).

    Money stays in exact integer fen (``*_fen`` columns). Every row of a kind
    has the same keys; a RecordError's result columns are None and its
    ``error_*`` columns are set.
    """
    rows = []
    for r in results:
        base = {"line": r.line, "project_id": r.project_id}
        base.update(_project_values(r, project_fields))
        if kind == "projects":
            rows.append(_project_row(r, base))
        elif kind == "functions":
            if r.ok:
                labels = _labels(r)
                for f in _t_functions(r._t, r._policy._scenario_codes):
                    row = dict(base)
                    row["index"] = f["index"]
                    row["label"] = labels[f["index"]] if f["index"] < len(labels) else None
                    for k in ("scenario", "service_class", "investment_fen", "subsidy_fen"):
                        row[k] = f[k]
                    rows.append(row)
        elif kind == "findings":
            if r.ok:
                for f in r._d["findings"]:
                    row = dict(base)
                    for k in ("code", "severity", "function", "cite", "message_zh", "message_en"):
                        row[k] = f.get(k)
                    rows.append(row)
            else:
                row = dict(base)
                row.update(code=r.code, severity="error", function=None, cite=None, message_zh=None,
                           message_en=r.message)
                rows.append(row)
        else:
            raise ValueError("kind must be 'projects', 'functions' or 'findings', not %r" % (kind,))
    return rows


def _labels(r):
    try:
        p = r.project
    except ValueError:
        return []
    if not isinstance(p, dict) or not isinstance(p.get("functions"), list):
        return []
    return [f.get("label") if isinstance(f, dict) else None for f in p["functions"]]


_SUBSIDY_KEYS = ("uncapped_fen", "cap_fen", "capped", "cap_headroom_fen")


def _project_row(r, row):
    row["ok"] = r.ok
    if r.ok:
        t = r._t
        s = _t_subsidy(t)
        row["eligible"] = t[_T_ELIGIBLE]
        row["subsidy_eligible"] = t[_T_SUBSIDY_ELIGIBLE]
        row["total_fen"] = s["total_fen"]
        for k in _SUBSIDY_KEYS:
            row[k] = s[k]
        for code in CLASS_CODES:
            for k in ("base_fen", "rate_bp", "amount_fen"):
                row["%s_%s" % (code, k)] = s[code][k]
        row.update(_t_counts(t))
        findings = _t_findings(t)
        sev = [f["severity"] for f in findings]
        row["errors"] = sev.count("error")
        row["warnings"] = sev.count("warning")
        row["infos"] = sev.count("info")
        row["finding_codes"] = ";".join(f["code"] for f in findings)
        row.update(error_code=None, error_message=None, error_path=None, error_line=None, error_column=None)
    else:
        for k in ("eligible", "subsidy_eligible", "total_fen") + _SUBSIDY_KEYS:
            row[k] = None
        for code in CLASS_CODES:
            for k in ("base_fen", "rate_bp", "amount_fen"):
                row["%s_%s" % (code, k)] = None
        for k in _COUNT_KEYS + ("errors", "warnings", "infos", "finding_codes"):
            row[k] = None
        row.update(error_code=r.code, error_message=r.message, error_path=r.path, error_line=r.error_line,
                   error_column=r.error_column)
    return row


# ---- HTML for notebooks -------------------------------------------------------------------

def _esc(value):
    if value is None:
        return "—"
    if value is True:
        return "✓"
    if value is False:
        return "✗"
    return html.escape(str(value))


def _table(caption, header, rows, right=()):
    out = ["<table><caption style='text-align:left;font-weight:bold'>%s</caption><tr>" % _esc(caption)]
    out += ["<th>%s</th>" % _esc(h) for h in header]
    out.append("</tr>")
    for row in rows:
        out.append("<tr>")
        for i, v in enumerate(row):
            style = " style='text-align:right'" if i in right else ""
            out.append("<td%s>%s</td>" % (style, _esc(v)))
        out.append("</tr>")
    out.append("</table>")
    return "".join(out)


def _names(policy):
    """code -> "中文名 / English name" for the scenarios and classes of a result's policy (codes when
    the policy is not at hand, e.g. an unpickled result)."""
    try:
        d = policy._d
    except (AttributeError, Exception):  # an unpickled result keeps only codes; a closed policy raises
        return {}
    names = {}
    for key in ("scenarios", "classes"):
        for x in d.get(key, ()):
            names[x["code"]] = "%s / %s" % (x.get("name_zh") or x["code"], x.get("name_en") or x["code"])
    return names


_CHECK_NAMES = {
    "min_functions": "功能数量 / Functions",
    "min_core_functions": "核心功能 / Core functions",
    "preferred_function": "优先功能 / Preferred function",
    "investment_split": "投资拆分 / Investment split",
    "inclusive_rate": "普惠价格 / Inclusive rate",
    "subsidy_build_mode": "建设方式 / Build mode",
    "max_walk_minutes": "步行时间 / Walking time",
}
_SEVERITY_NAMES = {"error": "错误 / error", "warning": "提示 / warning", "info": "信息 / info"}

_STYLE = ("<style>.embedsvc-result table{border-collapse:collapse;margin:0.4em 0 0.8em}"
          ".embedsvc-result th,.embedsvc-result td{border-bottom:1px solid #ddd;padding:2px 8px;text-align:left}"
          ".embedsvc-result caption{text-align:left;font-weight:bold;padding:2px 0}</style>")


def _result_html(r):
    d = r._d
    s = d["subsidy"]
    names = _names(r._policy)
    name = lambda code: names.get(code, code)  # noqa: E731
    parts = ["<div class='embedsvc-result'>", _STYLE]
    verdict = "符合条件 / eligible" if d["eligible"] else "不符合条件 / not eligible"
    parts.append(_table("%s — %s" % (d["project_id"], verdict),
                        ["可申请 / eligible", "可申请补助 / subsidy eligible", "补助（元）/ subsidy (yuan)", "total_fen",
                         "政策 / policy"],
                        [[d["eligible"], d["subsidy_eligible"], format_fen(s["total_fen"]), s["total_fen"],
                          "%s v%s" % (d["policy"]["id"], d["policy"]["version"])]], right=(2, 3)))
    parts.append(_table("功能 / Functions", ["#", "场景 / scenario", "类别 / class", "投资（元）/ investment (yuan)",
                                            "补助（元）/ subsidy (yuan)"],
                        [[f["index"], name(f["scenario"]) if f["scenario"] else None,
                          name(f["service_class"]) if f["service_class"] else None, format_fen(f["investment_fen"]),
                          format_fen(f["subsidy_fen"])] for f in d["functions"]], right=(3, 4)))
    rows = [[name(c), format_fen(s[c]["base_fen"]), "%.2f%%" % (s[c]["rate_bp"] / 100), format_fen(s[c]["amount_fen"])]
            for c in CLASS_CODES]
    rows.append(["未封顶 / uncapped", "", "", format_fen(s["uncapped_fen"])])
    rows.append(["上限 / cap" + ("（已封顶 / bound）" if s["capped"] else ""), "", "", format_fen(s["cap_fen"])])
    rows.append(["合计 / total", "", "", format_fen(s["total_fen"])])
    parts.append(_table("补助 / Subsidy", ["类别 / class", "基数（元）/ base (yuan)", "比例 / rate", "金额（元）/ amount (yuan)"],
                        rows, right=(1, 2, 3)))
    parts.append(_table("审查 / Checks", ["规则 / rule", "通过 / passed", "值 / value", "标准 / threshold", "依据 / cite"],
                        [[_CHECK_NAMES.get(c["rule"], c["rule"]), c["passed"], c["value"], c["threshold"], c["cite"]]
                         for c in d["checks"]]))
    if d["findings"]:
        parts.append(_table("发现 / Findings", ["级别 / severity", "代码 / code", "功能 / function", "依据 / cite",
                                               "说明 / message"],
                            [[_SEVERITY_NAMES.get(f["severity"], f["severity"]), f["code"], f["function"], f["cite"],
                              "%s / %s" % (f["message_zh"], f["message_en"])] for f in d["findings"]]))
    else:
        parts.append("<p>无发现 / No findings.</p>")
    parts.append("</div>")
    return "".join(parts)
