# libembedsvc Python binding — results.
# SPDX-License-Identifier: MIT
"""Results of an evaluation (SPEC §6), batch error records (SPEC §7) and flat rows for tables."""

import copy
import html
import json

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

CLASS_CODES = ("basic_public", "inclusive", "commercial")


def format_fen(fen):
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

    def to_dict(self):
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

    def message(self, lang="zh"):
        """Returns the message in Chinese (``"zh"``) or English (``"en"``)."""
        return self._data["message_" + lang]


class Result:
    """The outcome of evaluating one project (SPEC §6), identical to the C library's.

    The headline figures are plain attributes, read from C without parsing
    JSON: ``project_id``, ``eligible``, ``subsidy_eligible``, ``total_fen``.
    The rest comes from the result JSON, parsed on first use: ``counts``,
    ``functions``, ``subsidy``, ``checks``, ``findings``, ``policy``,
    ``engine`` (and any key a later library version adds). ``to_dict()`` is
    the parsed ``embedsvc.result/1`` JSON; ``json`` is its exact text.

    ``line`` is the record's line (batch) or position (``evaluate_many``,
    1-based), None for a single evaluation; ``project`` is the input.
    ``ok`` is True (False for a RecordError).
    """

    __slots__ = ("_json", "_doc", "_source", "project_id", "eligible", "subsidy_eligible", "total_fen", "line")
    ok = True

    def __init__(self, json_bytes, eligible, subsidy_eligible, total_fen, project_id, line=None, source=None):
        self._json = json_bytes
        self._doc = None
        self._source = source
        self.eligible = eligible
        self.subsidy_eligible = subsidy_eligible
        self.total_fen = total_fen
        self.project_id = project_id
        self.line = line

    @property
    def _d(self):
        doc = self._doc
        if doc is None:
            doc = self._doc = json.loads(self._json)
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
        """The result as the C library wrote it: compact ``embedsvc.result/1`` JSON text."""
        return self._json.decode("utf-8")

    @property
    def counts(self):
        """The Counts of the result."""
        return Counts(self._d["counts"])

    @property
    def functions(self):
        """A FunctionResult per function of the project, in order."""
        return [FunctionResult(f) for f in self._d["functions"]]

    @property
    def subsidy(self):
        """The Subsidy: per-class bases, rates and amounts, the cap and ``total_fen``."""
        return Subsidy(self._d["subsidy"])

    @property
    def checks(self):
        """Every Check of SPEC §3.2, in table order."""
        return [Check(c) for c in self._d["checks"]]

    @property
    def findings(self):
        """Every Finding (the reasons), in the order of SPEC §6."""
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
        return src

    def to_dict(self):
        """Returns the result as a new dict, equal to ``json.loads`` of the C library's output."""
        return json.loads(self._json)

    def to_json(self):
        """Returns the result's JSON text (compact, deterministic, as the C library wrote it)."""
        return self.json

    def __eq__(self, other):
        return isinstance(other, Result) and other._json == self._json

    __hash__ = None

    def __repr__(self):
        state = "eligible" if self.eligible else "not eligible"
        return "<Result %s: %s, subsidy %s yuan (%d fen), %d finding(s)>" % (
            self.project_id, state, format_fen(self.total_fen), self.total_fen, len(self._d["findings"]))

    def _repr_html_(self):
        return _result_html(self)


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

    def exception(self):
        """Returns (does not raise) the EmbedsvcError subclass instance describing this error."""
        e = self._error
        return error_class(e["code"])(e["code"], e["message"], e["line"], e["column"], e["path"])

    def to_dict(self):
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


def results_to_rows(results, kind="projects", project_fields=PROJECT_FIELDS):
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
                for f in r._d["functions"]:
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


_COUNT_KEYS = ("functions", "valid_functions", "distinct_scenarios", "core_scenarios", "preferred_scenarios")
_SUBSIDY_KEYS = ("uncapped_fen", "cap_fen", "capped", "cap_headroom_fen")


def _project_row(r, row):
    row["ok"] = r.ok
    if r.ok:
        d = r._d
        s = d["subsidy"]
        row["eligible"] = d["eligible"]
        row["subsidy_eligible"] = d["subsidy_eligible"]
        row["total_fen"] = s["total_fen"]
        for k in _SUBSIDY_KEYS:
            row[k] = s[k]
        for code in CLASS_CODES:
            for k in ("base_fen", "rate_bp", "amount_fen"):
                row["%s_%s" % (code, k)] = s[code][k]
        for k in _COUNT_KEYS:
            row[k] = d["counts"][k]
        sev = [f["severity"] for f in d["findings"]]
        row["errors"] = sev.count("error")
        row["warnings"] = sev.count("warning")
        row["infos"] = sev.count("info")
        row["finding_codes"] = ";".join(f["code"] for f in d["findings"])
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


def _result_html(r):
    d = r._d
    s = d["subsidy"]
    parts = ["<div class='embedsvc-result'>"]
    parts.append(_table("%s — %s" % (d["project_id"], "eligible" if d["eligible"] else "not eligible"),
                        ["eligible", "subsidy eligible", "total subsidy (yuan)", "total_fen", "policy"],
                        [[d["eligible"], d["subsidy_eligible"], format_fen(s["total_fen"]), s["total_fen"],
                          "%s v%s" % (d["policy"]["id"], d["policy"]["version"])]], right=(2, 3)))
    parts.append(_table("Functions", ["#", "scenario", "class", "investment (yuan)", "subsidy (yuan)"],
                        [[f["index"], f["scenario"], f["service_class"], format_fen(f["investment_fen"]),
                          format_fen(f["subsidy_fen"])] for f in d["functions"]], right=(3, 4)))
    rows = [[c, format_fen(s[c]["base_fen"]), "%.2f%%" % (s[c]["rate_bp"] / 100), format_fen(s[c]["amount_fen"])]
            for c in CLASS_CODES]
    rows.append(["uncapped", "", "", format_fen(s["uncapped_fen"])])
    rows.append(["cap" + (" (bound)" if s["capped"] else ""), "", "", format_fen(s["cap_fen"])])
    rows.append(["total", "", "", format_fen(s["total_fen"])])
    parts.append(_table("Subsidy", ["class", "base (yuan)", "rate", "amount (yuan)"], rows, right=(1, 2, 3)))
    parts.append(_table("Checks", ["rule", "passed", "value", "threshold", "cite"],
                        [[c["rule"], c["passed"], c["value"], c["threshold"], c["cite"]] for c in d["checks"]]))
    if d["findings"]:
        parts.append(_table("Findings", ["severity", "code", "function", "cite", "message"],
                            [[f["severity"], f["code"], f["function"], f["cite"],
                              "%s / %s" % (f["message_zh"], f["message_en"])] for f in d["findings"]]))
    else:
        parts.append("<p>No findings.</p>")
    parts.append("</div>")
    return "".join(parts)
