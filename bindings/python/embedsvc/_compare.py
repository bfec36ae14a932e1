# libembedsvc Python binding — policy comparison (what-if).
# SPDX-License-Identifier: MIT
"""compare(): one portfolio under several policies (docs/compare.md), as rows for data frames
and a self-contained HTML report."""

import datetime
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Union
import json
import os
import tempfile
import threading

from . import _swig as _c
from ._policy import Policy, _encode, _pieces
from ._handle import _Handle
from ._result import RecordError

__all__ = ["compare", "Comparison"]

_LANGS = ("zh", "en")


def _lines(portfolio):
    """The portfolio as pieces for esv_py_compare_feed(): bytes-like buffers of whole lines, or
    lists of single lines (bytes)."""
    if isinstance(portfolio, str):
        if "\n" in portfolio or portfolio.lstrip().startswith(("{", "[")):
            # JSON Lines text; an unpaired surrogate becomes bytes C reports as parse.encoding
            yield portfolio.encode("utf-8", "surrogatepass")
        else:
            yield from _pieces(portfolio)
        return
    if isinstance(portfolio, (bytes, bytearray, memoryview, os.PathLike)) or hasattr(portfolio, "read"):
        for piece in _pieces(portfolio):
            yield piece.encode("utf-8", "surrogatepass") if isinstance(piece, str) else piece
        return
    try:
        items = iter(portfolio)
    except TypeError:
        raise TypeError("a portfolio is a path, bytes, JSON Lines text or an iterable of projects, not %s"
                        % type(portfolio).__name__) from None
    batch = []
    for item in items:
        if isinstance(item, dict):
            item = _encode(item)  # TypeError for what is not JSON
        if isinstance(item, str):
            item = item.encode("utf-8", "surrogatepass")
        elif isinstance(item, (bytearray, memoryview)):
            item = bytes(item)
        elif not isinstance(item, bytes):
            raise TypeError("a project of a portfolio is a dict, str or bytes, not %s" % type(item).__name__)
        batch.append(item)
        if len(batch) == 4096:
            yield batch
            batch = []
    if batch:
        yield batch


def compare(portfolio: Any, policies: Sequence[Policy], lang: str = "zh", caption: Optional[str] = None) -> "Comparison":
    """Evaluates one portfolio under several policies in one pass (docs/compare.md).

    Args:
        portfolio: a JSON Lines file's path (str or os.PathLike), its bytes,
            JSON Lines text (a str with a newline, or starting with ``{``), a
            binary file object, or an iterable of projects (dicts, or
            documents as str or bytes: one line each).
        policies: a list of Policy objects, 1 to 16; the first is the
            baseline every change is measured against. The same policy may
            be given twice.
        lang: ``"zh"`` or ``"en"``, the language of the HTML report
            (``_repr_html_``).
        caption: a line under the report's heading (e.g. the file name).

    Each project is parsed once and evaluated under every policy in C. A line
    that does not parse (or cannot be evaluated under one of the policies) is
    left out under all of them and listed in ``Comparison.errors``; blank
    lines are skipped (reference §7). Returns a Comparison.

    Raises TypeError when ``policies`` is not a list of Policy objects (or a
    project is neither a dict nor text), InvalidArgumentError when there are
    none or more than 16, ValueError for another ``lang``.
    """
    if lang not in _LANGS:
        raise ValueError("lang is 'zh' or 'en', not %r" % (lang,))
    if isinstance(policies, Policy) or not isinstance(policies, (list, tuple)):
        raise TypeError("policies is a list of Policy objects (the first is the baseline), not %s"
                        % type(policies).__name__)
    policies = tuple(policies)
    for p in policies:
        if not isinstance(p, Policy):
            raise TypeError("policies is a list of Policy objects, not of %s" % type(p).__name__)
    handle = _c.embedsvc_compare_new(policies)  # InvalidArgumentError for none or too many
    log = _c.esv_report_compare_log_new()  # the error lines and the reasons, for the HTML report
    errors = []
    for piece in _lines(portfolio):
        for line, code, message, path, error_line, error_column, text in _c.esv_py_compare_feed(handle, log, piece):
            errors.append(RecordError(line, {"code": code, "message": message, "path": path, "line": error_line,
                                             "column": error_column}, text))
    source = os.fsdecode(portfolio) if isinstance(portfolio, (os.PathLike, str)) and "\n" not in str(portfolio) \
        and not str(portfolio).lstrip().startswith(("{", "[")) else None
    return Comparison(handle, policies, errors, lang, caption, log, source)


def _umask() -> int:
    """The process's umask, read without changing it where Linux shows it (/proc/self/status)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _report_date():
    """The report's date: SOURCE_DATE_EPOCH when set (reproducible output), else now; in UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    try:
        t = int(epoch) if epoch else None
    except ValueError:
        t = None
    moment = datetime.datetime.fromtimestamp(t, datetime.timezone.utc) if t is not None and t >= 0 \
        else datetime.datetime.now(datetime.timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


class Comparison(_Handle):
    """A portfolio evaluated under several policies (made by ``embedsvc.compare``).

    The rows of ``embedsvc.compare/1`` (docs/compare.md), each list ready for
    ``pandas.DataFrame(rows)``; money in exact fen:

    - ``totals``: one row per policy (``policy``, ``policy_index``,
      ``projects``, ``eligible``, ``subsidy_eligible``, ``capped``,
      ``total_fen``, the three class sums, and against the baseline
      ``lost_eligible``, ``gained_eligible``, ``lost_subsidy_eligible``,
      ``gained_subsidy_eligible``, ``subsidy_down``, ``subsidy_up``,
      ``changed``, ``delta_fen``);
    - ``districts``: one row per district and policy (with ``district``,
      None for the projects without one);
    - ``changes``: one row per policy for each project whose eligibility,
      subsidy eligibility or total changes under some policy (with
      ``project_id``, ``name``, ``district``, ``line``).

    ``policies`` are the Policy objects (the first is the baseline),
    ``lines``, ``projects`` the counts of the input, ``errors`` a RecordError
    per line that was left out. ``to_dict()`` is the whole document;
    ``to_html()`` and ``_repr_html_()`` (a notebook shows it) the
    self-contained HTML report with inline SVG charts.
    """

    __slots__ = ("_handle", "_policies", "_errors", "_lang", "_caption", "_doc", "_lock", "_log", "_source")

    def __init__(self, handle, policies, errors, lang="zh", caption=None, log=None, source=None):
        self._handle = handle
        self._log = log  # report/'s log: error lines and reasons (None: the report shows neither)
        self._source = source
        self._policies = policies  # the comparison refers to their handles: keep them alive
        self._errors = errors
        self._lang = lang
        self._caption = caption
        self._doc = None
        self._lock = threading.Lock()  # to_json/to_html write into a buffer of the comparison

    @property
    def policies(self):
        """The Policy objects compared, the baseline first."""
        return list(self._policies)

    @property
    def lines(self):
        """The physical lines read (projects added from an iterable count one line each)."""
        return _c.embedsvc_compare_stat(self._h, _c.EMBEDSVC_COMPARE_STAT_LINES)

    @property
    def projects(self):
        """The projects evaluated under every policy."""
        return _c.embedsvc_compare_stat(self._h, _c.EMBEDSVC_COMPARE_STAT_PROJECTS)

    @property
    def errors(self):
        """A RecordError for each line left out (it did not parse, or could not be evaluated)."""
        return list(self._errors)

    def to_json(self) -> str:
        """The ``embedsvc.compare/1`` document: compact, deterministic JSON text."""
        with self._lock:
            return _c.embedsvc_compare_to_json(self._h)

    def write_json(self, file: Union[str, "os.PathLike[str]", Any]) -> None:
        """Writes the text of :meth:`to_json` to ``file`` (a path, or a file object open for text)
        in pieces of about 256 KiB, so that the whole text is never held in memory at once, as
        ``embedsvc compare --json`` writes it (without its final newline). A path is written as
        ``embedsvc batch -o`` writes: to a temporary file beside it, with the mode the file has
        (or would have), renamed over it at the end; on any error the temporary file is removed
        and an existing file is left as it was."""
        if isinstance(file, (str, os.PathLike)):
            path = os.fspath(file)
            folder, name = os.path.split(path)
            fd, tmp = tempfile.mkstemp(prefix="." + name + ".", suffix=".embedsvc", dir=folder or ".")
            try:
                try:
                    mode = os.stat(path).st_mode & 0o7777
                except FileNotFoundError:
                    mode = 0o666 & ~_umask()
                os.fchmod(fd, mode)
                with open(fd, "w", encoding="utf-8", newline="", closefd=False) as f:
                    self.write_json(f)
                os.close(fd)
                fd = -1
                os.replace(tmp, path)
            except BaseException:
                if fd >= 0:
                    os.close(fd)
                os.unlink(tmp)
                raise
            return
        at = 0
        while True:
            with self._lock:  # each piece is written into the comparison's buffer
                piece, at = _c.embedsvc_compare_to_json_next(self._h, at)
            if not piece:
                return
            file.write(piece)

    @property
    def _d(self):
        if self._doc is None:
            self._doc = json.loads(self.to_json())
        return self._doc

    def to_dict(self) -> Dict[str, Any]:
        """The ``embedsvc.compare/1`` document as a new dict."""
        return json.loads(self.to_json())

    @property
    def totals(self):
        """One flat row per policy, as new dicts."""
        return [dict(r) for r in self._d["totals"]]

    @property
    def districts(self):
        """One flat row per district and policy (districts in first-seen order), as new dicts."""
        return [dict(r) for r in self._d["districts"]]

    @property
    def changes(self):
        """One flat row per policy for each changed project, in input order, as new dicts."""
        return [dict(r) for r in self._d["changes"]]

    def to_html(self, lang: Optional[str] = None, caption: Optional[str] = None) -> str:
        """The HTML report (one self-contained document, inline SVG, no script) in ``lang``
        (default: the comparison's) with ``caption`` under the heading (default: the comparison's):
        the charts, every changed project with the reason (the findings that appeared or
        disappeared), the error lines, and a footer with the date (``SOURCE_DATE_EPOCH`` when
        set), the portfolio and where each policy came from (docs/compare.md)."""
        lang = self._lang if lang is None else lang
        if lang not in _LANGS:
            raise ValueError("lang is 'zh' or 'en', not %r" % (lang,))
        sources = [getattr(p, "_source", None) for p in self._policies]
        with self._lock:
            return _c.esv_py_compare_html(self._h, self._log, lang, self._caption if caption is None else caption,
                                          self._source, _report_date(), sources)

    def _repr_html_(self):
        return self.to_html()

    def __repr__(self):
        return "<Comparison of %d policies (baseline %s) over %d projects, %d error line(s)>" % (
            len(self._policies), self._policies[0].id, self.projects, len(self._errors))
