# libembedsvc Python binding — policies, projects, classification, evaluation.
# SPDX-License-Identifier: MIT
"""Policy, Project and Classification: the objects analysts work with."""

from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union
import datetime
import decimal
import itertools
import json
import os
import threading

from . import _swig as _c
from ._errors import ParseError as _ParseError, RangeError as _RangeError
from ._handle import _Handle
from ._result import Record, RecordError, Result

__all__ = ["Policy", "Project", "Classification", "StageReport", "Scenario", "ServiceClass", "Item", "disbursement"]


def _json_default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)  # a decimal input may be a JSON string (SPEC §2)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    raise TypeError("%s is not JSON serialisable" % type(value).__name__)


# json.dumps(ensure_ascii=False, separators=(",", ":")), reused; Decimal and dates as text.
_json_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default).encode
_dumps = _c.esv_py_dumps
_TEXT = (str, bytes, bytearray, memoryview)
# iter_many() evaluates this many projects at a time, iter_jsonl() about this many bytes of lines.
_CHUNK_RECORDS = 16384
_CHUNK_BYTES = 8 << 20


def _encode(project):
    """A dict as compact JSON: the same bytes as the json module's, made in C when the dict holds
    only JSON types (the common case), else by the json module."""
    data = _dumps(project)
    return _json_encode(project) if data is None else data


def _document(project):
    """A project as JSON text or bytes for the C parser."""
    if isinstance(project, dict):
        return _encode(project)
    if isinstance(project, _TEXT):
        return project
    raise TypeError("a project is a dict, JSON text (str or bytes) or an embedsvc.Project, not %s"
                    % type(project).__name__)


def _utf8_error(text, exc):
    """The ParseError of C's invalid UTF-8 for a str that cannot be encoded (an unpaired surrogate)."""
    prefix = text[:exc.start]
    line = prefix.count("\n") + 1
    column = exc.start - (prefix.rfind("\n") + 1) + 1
    if line == 1 and text.startswith("\ufeff"):
        column -= 1  # C skips a byte order mark
    return _ParseError("parse.encoding", "invalid UTF-8: unpaired surrogate U+%04X" % ord(text[exc.start]), line,
                       column, "", offset=len(prefix.encode("utf-8", "surrogatepass")), status=-3)


def _call(function, *args):
    """Calls C with the text as the last argument; an unencodable str raises ParseError as C would."""
    try:
        return function(*args)
    except UnicodeEncodeError as exc:
        raise _utf8_error(args[-1], exc) from None


class Project(_Handle):
    """A project application (``embedsvc.project/1``) parsed once by the C library.

    ``Project(data)`` takes a dict, JSON text (str) or UTF-8 bytes and raises
    ParseError with the position and JSON path of the first defect (SPEC §10).
    Evaluating a Project skips parsing, so it is the fastest input for
    repeated evaluations. A Project may be evaluated from several threads.
    """

    __slots__ = ("_handle", "_lock", "_source")

    def __init__(self, data: Union[Dict[str, Any], str, bytes]) -> None:
        self._handle = _c.embedsvc_project_new()
        self._lock = threading.Lock()
        self._source = data
        _call(_c.esv_py_parse, self._h, _document(data))

    @property
    def id(self):
        """The project's ``id``."""
        return _c.embedsvc_project_get_text(self._h, _c.EMBEDSVC_PROJECT_LEVEL, _c.EMBEDSVC_FIELD_ID)

    @property
    def function_count(self):
        """The number of functions of the project."""
        return _c.embedsvc_project_function_count(self._h)

    def to_dict(self) -> Dict[str, Any]:
        """Returns the project as given (text is parsed with the json module)."""
        src = self._source
        return src if isinstance(src, dict) else json.loads(src)

    def __repr__(self):
        return "<Project %s: %d function(s)>" % (self.id, self.function_count)


class Scenario(Record):
    """A service scenario of a policy: code, name_zh, name_en, core, preferred, allowed_classes, aliases."""

    __slots__ = ()


class ServiceClass(Record):
    """A service class of a policy: code, name_zh, name_en, rate_bp, rate_is_max."""

    __slots__ = ()


class Item(Record):
    """A service item of a policy: name_zh, name_en, class, scenario, aliases."""

    __slots__ = ()


_MATCH = ("none", "exact", "contains", "ambiguous")


class Classification:
    """What ``Policy.classify`` found for a text (SPEC §4).

    Attributes: ``text``; ``match`` ('none', 'exact', 'contains' or
    'ambiguous'); ``scenario`` (a code or None); ``item`` (the item's Chinese
    name or None); ``service_class`` (a code or None); ``term`` (the matched
    term or None); ``candidates`` (for an ambiguous match, a list of
    (scenario, item) pairs in policy order).
    """

    __slots__ = ("text", "match", "scenario", "item", "service_class", "term", "candidates")

    def __init__(self, text, match, scenario, item, service_class, term, candidates):
        self.text = text
        self.match = match
        self.scenario = scenario
        self.item = item
        self.service_class = service_class
        self.term = term
        self.candidates = candidates

    def to_dict(self) -> Dict[str, Any]:
        """Returns the classification as ``embedsvc classify --json`` prints it."""
        d = {"text": self.text, "match": self.match, "scenario": self.scenario,
             "service_class": self.service_class, "term": self.term}
        if self.match == "ambiguous":
            d["candidates"] = [{"scenario": s, "item": i} for s, i in self.candidates]
        return d

    def __eq__(self, other):
        return isinstance(other, Classification) and other.to_dict() == self.to_dict() and other.item == self.item

    __hash__ = None

    def __repr__(self):
        return "Classification(text=%r, match=%r, scenario=%r, item=%r, service_class=%r, term=%r%s)" % (
            self.text, self.match, self.scenario, self.item, self.service_class, self.term,
            ", candidates=%r" % (self.candidates,) if self.candidates else "")


class StageReport:
    """Whether a project may move to a stage of the funding process (SPEC §9).

    Attributes: ``allowed``; ``current`` and ``target`` (stage codes);
    ``unmet``: the unmet preconditions, each a dict with code, cite,
    message_zh and message_en.
    """

    __slots__ = ("allowed", "current", "target", "unmet")

    def __init__(self, allowed, current, target, unmet):
        self.allowed = allowed
        self.current = current
        self.target = target
        self.unmet = unmet

    def __repr__(self):
        return "<StageReport %s -> %s: %s>" % (
            self.current, self.target,
            "allowed" if self.allowed else "not allowed (%s)" % ", ".join(u["code"] for u in self.unmet))


def _stage(stage):
    if isinstance(stage, int):
        if _c.embedsvc_enum_code(_c.EMBEDSVC_ENUM_STAGE, stage) is None:
            raise ValueError("no stage %d" % stage)
        return stage
    value = _c.embedsvc_enum_parse(_c.EMBEDSVC_ENUM_STAGE, stage)
    if value < 0:
        raise ValueError("unknown stage %r" % (stage,))
    return value


def disbursement(approved_fen: int, progress_bp: int, disbursed_fen: int) -> int:
    """Returns the amount (fen) that may be disbursed now (SPEC §9):
    floor(approved × progress / 10000) − disbursed, never negative.

    Raises RangeError for a value out of range and StateError when
    ``disbursed_fen`` is above ``approved_fen``.
    """
    return _c.embedsvc_disbursement(approved_fen, progress_bp, disbursed_fen)


class _Unset:
    """The default of Policy.derive's keywords: the value stays (None means null, e.g. no cap)."""

    __slots__ = ()

    def __repr__(self):
        return "<unchanged>"


_UNSET = _Unset()


def _plain(value):
    """A derive() value as JSON types: numpy scalars as int/bool, dates as text, mappings as dicts."""
    if isinstance(value, (str, bool, int, float)) or value is None:
        return value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()[:10] if not isinstance(value, datetime.datetime) else value.date().isoformat()
    if hasattr(value, "keys"):
        return {str(k): _plain(value[k]) for k in value.keys()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "dtype") and hasattr(value, "item"):  # a numpy scalar
        return value.item()
    if hasattr(value, "__index__"):
        return value.__index__()
    return value  # the encoder reports the type


class Policy(_Handle):
    """An immutable policy: rules, rates and vocabulary (SPEC §8). Share it freely between threads.

    Make one with ``Policy.default()`` (the compiled-in Beijing policy),
    ``Policy.from_file(path)`` or ``Policy.from_json(text)``. Then
    ``classify(text)``, ``evaluate(project)``, ``evaluate_many(projects)``
    and ``evaluate_jsonl(path_or_bytes)``.
    """

    __slots__ = ("_handle", "_local", "_doc", "_codes", "_source", "__weakref__")

    def __init__(self, handle):
        """Wraps a low-level handle; use default(), from_file() or from_json()."""
        if not isinstance(handle, _c.embedsvc_policy):
            raise TypeError("use Policy.default(), Policy.from_file() or Policy.from_json()")
        self._handle = handle
        self._local = threading.local()
        self._doc = None
        self._codes = None
        self._source = None  # the file it was loaded from (from_file), named in reports

    @classmethod
    def default(cls) -> "Policy":
        """Returns the compiled-in default policy (``beijing-2024-trial``)."""
        return cls(_c.embedsvc_policy_default())

    @classmethod
    def from_json(cls, text: Union[str, bytes, Dict[str, Any]]) -> "Policy":
        """Loads an ``embedsvc.policy/1`` document (str, bytes, or a dict).

        Raises ParseError (``parse.*``) or PolicyError (``policy.invalid``,
        with the JSON path of the inconsistency).
        """
        if isinstance(text, dict):
            text = _encode(text)
        return cls(_call(_c.embedsvc_policy_load_buffer, text))

    @classmethod
    def from_file(cls, path: Union[str, "os.PathLike[str]"]) -> "Policy":
        """Loads a policy file; OSError (e.g. FileNotFoundError) when it cannot be read."""
        with open(path, "rb") as f:
            data = f.read()
        policy = cls.from_json(data)
        policy._source = os.fsdecode(path)
        return policy

    def derive(self, *, id: Any = _UNSET, version: Any = _UNSET, title_zh: Any = _UNSET, title_en: Any = _UNSET,
               effective_from: Any = _UNSET, effective_to: Any = _UNSET, min_functions: Any = _UNSET,
               min_core_functions: Any = _UNSET, preferred_severity: Any = _UNSET, subsidy_build_modes: Any = _UNSET,
               max_walk_minutes: Any = _UNSET, cap_fen: Any = _UNSET, cap_allocation: Any = _UNSET,
               rates: Any = _UNSET, rate_is_max: Any = _UNSET) -> "Policy":
        """Returns a new Policy: this one with the given values changed (a reform in code).

        Every keyword is optional: ``id``, ``version``, ``title_zh``,
        ``title_en`` (str); ``effective_from``, ``effective_to`` (a date, an
        ISO date str, or None); ``min_functions``, ``min_core_functions``
        (int); ``preferred_severity`` (str); ``subsidy_build_modes`` (build
        mode codes); ``max_walk_minutes`` (int or None); ``cap_fen`` (int, or
        None for no cap); ``cap_allocation`` (str); ``rates`` (class code →
        rate in basis points) and ``rate_is_max`` (class code → bool), which
        change only the classes named. numpy integers are accepted.

        The result is loaded and checked exactly as a policy file by the C
        library (``embedsvc_policy_derive``): an impossible reform raises
        PolicyError with the path of the rule (e.g. ``/rules/min_functions``),
        a wrong type ParseError (``parse.type``). Unless given, ``id`` stays,
        ``version`` becomes ``<version>+derived`` and the titles name the
        changed keys, e.g. `` (derived: cap_fen, rates)``.

        Example: ``reform = policy.derive(cap_fen=30_000_000_00, rates={"inclusive": 2500})``.
        """
        given = dict(id=id, version=version, title_zh=title_zh, title_en=title_en, effective_from=effective_from,
                     effective_to=effective_to, min_functions=min_functions, min_core_functions=min_core_functions,
                     preferred_severity=preferred_severity, subsidy_build_modes=subsidy_build_modes,
                     max_walk_minutes=max_walk_minutes, cap_fen=cap_fen, cap_allocation=cap_allocation, rates=rates,
                     rate_is_max=rate_is_max)
        changes = {k: _plain(v) for k, v in given.items() if v is not _UNSET}
        return type(self)(_c.embedsvc_policy_derive(self._h, _json_encode(changes)))

    # ---- properties ----

    def _text(self, field):
        return _c.embedsvc_policy_text(self._h, field)

    id = property(lambda self: self._text("id"), doc="The policy's id, e.g. 'beijing-2024-trial'.")
    version = property(lambda self: self._text("version"), doc="The policy's version.")
    title_zh = property(lambda self: self._text("title_zh"), doc="The Chinese title, or None.")
    title_en = property(lambda self: self._text("title_en"), doc="The English title, or None.")
    effective_from = property(lambda self: self._text("effective_from"), doc="First day in force, or None.")
    effective_to = property(lambda self: self._text("effective_to"), doc="Last day in force, or None.")

    def to_json(self) -> str:
        """Returns the policy as canonical ``embedsvc.policy/1`` JSON text (it loads back to an equal policy)."""
        return _c.embedsvc_policy_to_json(self._h)

    def to_dict(self) -> Dict[str, Any]:
        """Returns the policy document as a new dict."""
        return json.loads(self.to_json())

    @property
    def _d(self):
        if self._doc is None:
            self._doc = self.to_dict()
        return self._doc

    @property
    def _scenario_codes(self):
        """The scenario codes, by index (results store indexes)."""
        codes = self._codes
        if codes is None:
            h = self._h
            codes = self._codes = tuple(_c.embedsvc_policy_scenario_name(h, i, _c.EMBEDSVC_NAME_CODE)
                                        for i in range(_c.embedsvc_policy_scenario_count(h)))
        return codes

    @property
    def scenarios(self):
        """The service scenarios (Scenario records), in policy order."""
        return [Scenario(s) for s in self._d["scenarios"]]

    @property
    def classes(self):
        """The service classes (ServiceClass records): basic_public, inclusive, commercial."""
        return [ServiceClass(c) for c in self._d["classes"]]

    @property
    def items(self):
        """The service items (Item records), in policy order."""
        return [Item(i) for i in self._d["items"]]

    @property
    def rules(self):
        """The ``rules`` of the policy as a dict (min_functions, min_core_functions, ...)."""
        return dict(self._d["rules"])

    @property
    def subsidy_rules(self):
        """The ``subsidy`` section of the policy as a dict (cap_fen, cap_allocation)."""
        return dict(self._d["subsidy"])

    def __repr__(self):
        return "<Policy %s version %s>" % (self.id, self.version)

    # ---- classification ----

    def classify(self, text: Union[str, bytes]) -> "Classification":
        """Maps a facility or service name to a scenario and, where known, a class (SPEC §4).

        Returns a Classification; raises ParseError for invalid UTF-8 bytes.
        """
        h = self._h
        c = _c.embedsvc_classification_new()
        try:
            _c.embedsvc_classify(h, text, c)
        except UnicodeEncodeError as exc:
            raise _utf8_error(text, exc) from None
        m = _c.embedsvc_classification_match(c)
        s = _c.embedsvc_classification_scenario(c)
        i = _c.embedsvc_classification_item(c)
        cls = _c.embedsvc_classification_class(c)
        candidates = []
        for k in range(_c.embedsvc_classification_candidate_count(c)):
            cs, ci = _c.embedsvc_classification_candidate(c, k)
            candidates.append((self._scenario_code(cs), self._item_name(ci)))
        if isinstance(text, (bytes, bytearray, memoryview)):
            text = bytes(text).decode("utf-8")
        return Classification(text, _MATCH[m], self._scenario_code(s), self._item_name(i),
                              _c.embedsvc_enum_code(_c.EMBEDSVC_ENUM_CLASS, cls) if cls >= 0 else None,
                              _c.embedsvc_classification_term(c), candidates)

    def _scenario_code(self, index):
        return _c.embedsvc_policy_scenario_name(self._h, index, _c.EMBEDSVC_NAME_CODE) if index >= 0 else None

    def _item_name(self, index):
        return _c.embedsvc_policy_item_name(self._h, index, _c.EMBEDSVC_NAME_ZH) if index >= 0 else None

    # ---- evaluation ----

    def _scratch(self):
        """This thread's reusable project and result objects (a policy may be shared by threads)."""
        local = self._local
        try:
            return local.project, local.result
        except AttributeError:
            local.project = _c.embedsvc_project_new()
            local.result = _c.embedsvc_result_new()
            return local.project, local.result

    def evaluate(self, project: Union[Dict[str, Any], str, bytes, "Project"], *, line: Optional[int] = None) -> Result:
        """Evaluates one project (SPEC §3) and returns its Result.

        ``project`` is a dict, JSON text (str or bytes) or a Project; ``line``
        is stored as the Result's ``line``. Raises ParseError for a document
        that does not parse or validate, with its position and JSON path.
        """
        return self._evaluate(project, line, None)

    def _evaluate(self, project, line, text):
        if isinstance(project, Project):
            with project._lock:
                _, result = self._scratch()
                json_bytes, t = _c.esv_py_evaluate(self._h, project._h, result)
        else:
            if text is None:
                text = _document(project)
            scratch_project, result = self._scratch()
            json_bytes, t = _call(_c.esv_py_parse_evaluate, self._h, scratch_project, result, text)
        return Result._make(t, json_bytes, line, project, self)

    def _result_json(self, text):
        """The result JSON of a document that evaluated before (a batch Result's messages)."""
        project, result = self._scratch()
        return _c.esv_py_parse_evaluate(self._h, project, result, text)[0]

    def _evaluate_record(self, project, line, text=None):
        try:
            return self._evaluate(project, line, text)
        except (_ParseError, _RangeError) as exc:
            return RecordError._from_exception(line, exc, project)

    def _run(self, records, first_line, jsonl, workers):
        """Evaluates records in C (esv_py_run_records) and completes what C leaves to Python."""
        out, fix, count = _c.esv_py_run_records(self._h, self, records, first_line, jsonl, workers)
        for k in fix:
            i = out[k]
            out[k] = self._python_record(records[i], first_line + i)
        return out, count

    def _python_record(self, project, line):
        """The Result or RecordError of a record C did not take: a Project, a dict the json module
        must write, a str that is not UTF-8, or a value of another type."""
        if isinstance(project, Project):
            return self._evaluate_record(project, line)
        if isinstance(project, dict):
            try:
                text = _encode(project)
            except (TypeError, ValueError) as exc:
                return RecordError(line, {"code": "parse.type", "message": str(exc), "path": "", "line": 0,
                                          "column": 0}, project)
            return self._evaluate_record(project, line, text)
        if isinstance(project, _TEXT):
            try:
                return self._evaluate_record(project, line)
            except UnicodeEncodeError as exc:
                return RecordError._from_exception(line, _utf8_error(project, exc), project)
        return RecordError(line, {"code": "parse.type", "message": "a project is a dict, JSON text or bytes, not %s"
                                  % type(project).__name__, "path": "", "line": 0, "column": 0}, project)

    def iter_many(self, projects: Iterable[Any], *, workers: Optional[int] = None) -> Iterator[Union[Result, RecordError]]:
        """The lazy form of evaluate_many(): yields a Result or RecordError per project, evaluating
        16384 projects at a time."""
        workers = _workers(workers)
        it = iter(projects)
        line = 1
        while True:
            chunk = list(itertools.islice(it, _CHUNK_RECORDS))
            if not chunk:
                return
            yield from self._run(chunk, line, 0, workers)[0]
            line += len(chunk)

    def evaluate_many(self, projects: Iterable[Any], *, workers: Optional[int] = None) -> List[Union[Result, RecordError]]:
        """Evaluates every project of an iterable in C and returns the results in order.

        Each project is a dict (written as JSON in C), JSON text or bytes
        (passed straight to C), or a Project. A record that fails gives a
        RecordError in its place; nothing is dropped. Each Result's ``line``
        is its 1-based position.

        The GIL is released while C evaluates, with ``workers`` threads (the
        calling thread included; None: ``os.cpu_count()``; 1: none but the
        caller); the order of the results is the input's. A Result holds its
        figures, not its JSON: ``to_dict()``, ``json`` and the findings'
        messages evaluate its record again when first asked for.
        """
        if isinstance(projects, list):
            return self._run(projects, 1, 0, _workers(workers))[0]
        return list(self.iter_many(projects, workers=workers))

    def iter_jsonl(self, source: Any, *, workers: Optional[int] = None) -> Iterator[Union[Result, RecordError]]:
        """The lazy form of evaluate_jsonl(): yields a Result or RecordError per non-blank line,
        evaluating about 8 MiB of lines at a time."""
        workers = _workers(workers)
        line = 1
        for piece in _pieces(source):
            if isinstance(piece, str):  # a text-mode file: lines as str
                piece = piece.split("\n")
                if piece[-1] == "":
                    piece.pop()
            results, count = self._run(piece, line, 1, workers)
            yield from results
            line += count

    def evaluate_jsonl(self, source: Any, *, workers: Optional[int] = None) -> List[Union[Result, RecordError]]:
        """Evaluates a JSON Lines portfolio (SPEC §7) in C and returns the results in order.

        ``source`` is a path (str or os.PathLike), the file's bytes, or a
        binary file object. Blank lines are skipped; a line that fails gives a
        RecordError (as the C batch's error line); ``line`` is the physical
        line number. ``workers`` and the results are as for evaluate_many().
        """
        return list(self.iter_jsonl(source, workers=workers))

    def evaluate_frame(self, projects: Any, *, functions: Any = None, key: str = "id", workers: Optional[int] = None,
                       findings: bool = False, yuan: bool = False, first_line: int = 1) -> Any:
        """Evaluates a portfolio into a pandas DataFrame, one row per project, filled in C.

        ``projects`` is a DataFrame (one row per project; ``functions`` a
        list column of dicts, or give the functions as a separate DataFrame
        ``functions=`` whose ``key`` column holds the project's ``id``), a
        list of dicts (or JSON documents), JSON Lines bytes, or the path of a
        JSON Lines file. Absent values (None, NaN, pandas.NA) leave the field
        out; numpy scalars are accepted; a float that is a whole number is
        written as an integer.

        Money is integer fen in pandas ``Int64`` columns, NA on error rows
        (``ok`` False, with ``error_code``, ``error_message``, ``error_path``,
        ``error_line``, ``error_column``); booleans are bool, codes and
        districts ``category``. The frame keeps the index of a DataFrame
        input; JSON Lines input gets a ``line`` column (physical lines,
        counted from ``first_line``). ``yuan=True`` adds exact Decimal yuan
        columns. ``findings=True`` returns ``(frame, findings_frame)``, the
        second one row per finding. ``workers`` threads evaluate (None:
        os.cpu_count()). Each call depends only on its input, so partitions
        of a portfolio can be evaluated independently and concatenated.
        See embedsvc/_frame.py and docs/python.md for every column.
        """
        from ._frame import evaluate_frame
        return evaluate_frame(self, projects, functions=functions, key=key, workers=workers, findings=findings,
                              yuan=yuan, first_line=first_line)

    def iter_frames(self, source: Any, *, chunk_bytes: int = 64 << 20, workers: Optional[int] = None,
                    findings: bool = False, yuan: bool = False) -> Iterator[Any]:
        """evaluate_frame() of a large JSON Lines file (or bytes, or binary file object) piece by
        piece: yields one frame (or (frame, findings) pair) per about ``chunk_bytes`` of whole
        lines, with ``line`` numbers and a RangeIndex that continue from piece to piece, so that
        ``pandas.concat`` of the pieces equals evaluate_frame() of the whole (categories aside)."""
        from ._frame import evaluate_frame
        line, row = 1, 0
        for piece in _pieces(source, chunk_bytes):
            piece = piece.encode("utf-8") if isinstance(piece, str) else bytes(piece)
            out = evaluate_frame(self, piece, workers=workers, findings=findings, yuan=yuan, first_line=line)
            frame = out[0] if findings else out
            n = len(frame)
            frame.index = range(row, row + n)
            if findings:
                out[1].index = frame.index[out[1].index] if len(out[1]) else frame.index[:0]
            row += n
            line += piece.count(b"\n") + (0 if piece.endswith(b"\n") else 1)
            yield out

    # ---- funding process ----

    def stage_check(self, project: Any, target: Union[str, int]) -> "StageReport":
        """Checks whether a project may move to stage ``target`` (a code, Chinese name or int; SPEC §9).

        Returns a StageReport listing every unmet precondition.
        """
        if not isinstance(project, Project):
            project = Project(project)
        report = _c.embedsvc_stage_report_new()
        with project._lock:
            _c.embedsvc_stage_check(self._h, project._h, _stage(target), report)
        unmet = []
        for k in range(_c.embedsvc_stage_report_count(report)):
            unmet.append({"code": _c.embedsvc_stage_report_code(report, k),
                          "cite": _c.embedsvc_stage_report_cite(report, k),
                          "message_zh": _c.embedsvc_stage_report_message(report, k, "zh"),
                          "message_en": _c.embedsvc_stage_report_message(report, k, "en")})
        code = lambda v: _c.embedsvc_enum_code(_c.EMBEDSVC_ENUM_STAGE, v)  # noqa: E731
        return StageReport(bool(_c.embedsvc_stage_report_allowed(report)),
                           code(_c.embedsvc_stage_report_current(report)),
                           code(_c.embedsvc_stage_report_target(report)), unmet)


def _workers(workers):
    """The number of threads evaluating a batch: ``workers``, or os.cpu_count() for None."""
    if workers is None:
        return os.cpu_count() or 1
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError("workers must be a positive int or None, not %r" % (workers,))
    return workers


def _pieces(source, chunk_bytes=None):
    """A JSON Lines source as pieces that end at a line end: bytes-like objects (or str for a
    text-mode file object) of about ``chunk_bytes`` (default _CHUNK_BYTES) each."""
    size_limit = chunk_bytes or _CHUNK_BYTES
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source) if isinstance(source, memoryview) else source
        view = memoryview(data)
        pos, size = 0, len(data)
        while pos < size:
            end = data.find(b"\n", pos + size_limit)
            end = size if end < 0 else end + 1
            yield view[pos:end] if pos or end < size else data
            pos = end
        return
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as f:
            yield from _file_pieces(f, size_limit)
        return
    if hasattr(source, "read"):
        yield from _file_pieces(source, size_limit)
        return
    raise TypeError("source is a path, bytes or a binary file object, not %s" % type(source).__name__)


def _file_pieces(f, size_limit=None):
    tail = None
    while True:
        block = f.read(size_limit or _CHUNK_BYTES)
        if not block:
            break
        buf = block if tail is None else tail + block
        newline = "\n" if isinstance(buf, str) else b"\n"
        cut = buf.rfind(newline) + 1
        if cut:
            yield buf[:cut]
            tail = buf[cut:]
        else:
            tail = buf
    if tail:
        yield tail
