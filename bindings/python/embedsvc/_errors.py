# libembedsvc Python binding — exceptions.
# SPDX-License-Identifier: MIT
"""The exceptions of the embedsvc package, one per error family of the C library."""

__all__ = [
    "EmbedsvcError",
    "ParseError",
    "PolicyError",
    "InvalidArgumentError",
    "OutOfMemoryError",
    "FileError",
    "RangeError",
    "StateError",
]

# embedsvc_status values (embedsvc.h).
_EINVAL, _ENOMEM, _EPARSE, _EPOLICY, _EIO, _ERANGE, _ESTATE = -1, -2, -3, -4, -5, -6, -7


class EmbedsvcError(Exception):
    """An error reported by libembedsvc.

    Attributes:
        code: the machine-readable code of reference §10, e.g. ``"parse.syntax"``,
            ``"money.precision"``, ``"policy.invalid"``.
        message: the English message.
        line, column: the 1-based position in the input (column counts code
            points); 0 when the error is not about a position.
        path: the JSON pointer (RFC 6901) of the offending value, ``""`` for
            the whole document.
        offset: the byte offset of the error in the input.
        status: the C ``embedsvc_status`` (a negative int), or None when the
            error comes from a batch error line.
    """

    def __init__(self, code, message, line=0, column=0, path="", *, offset=0, status=None):
        # Exception.__init__ directly: OSError.__init__ would read these as errno, strerror, ...
        Exception.__init__(self, code, message, line, column, path)
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.path = path
        self.offset = offset
        self.status = status

    def __str__(self):
        text = "%s: %s" % (self.code, self.message)
        if self.line:
            text = "%d:%d: %s" % (self.line, self.column, text)
        if self.path:
            text += " (at %s)" % self.path
        return text

    def __reduce__(self):
        return (_rebuild, (type(self), self.args, self.offset, self.status))


def _rebuild(cls, args, offset, status):
    return cls(*args, offset=offset, status=status)


class ParseError(EmbedsvcError, ValueError):
    """A document does not parse or does not validate (``parse.*``, ``money.*``)."""


class PolicyError(EmbedsvcError, ValueError):
    """A policy parses but is inconsistent (``policy.invalid``); ``path`` names the value."""


class InvalidArgumentError(EmbedsvcError, ValueError):
    """An argument is invalid (a bad enumeration value, an index out of range)."""


class OutOfMemoryError(EmbedsvcError, MemoryError):
    """The library could not allocate memory; nothing was changed or leaked."""


class FileError(EmbedsvcError, OSError):
    """The library could not read a file (``io``)."""


class RangeError(EmbedsvcError, ValueError):
    """A value is out of range, or an arithmetic result does not fit (``overflow``)."""


class StateError(EmbedsvcError):
    """The operation does not apply in this state (e.g. disbursed above approved)."""


_BY_STATUS = {
    _EINVAL: InvalidArgumentError,
    _ENOMEM: OutOfMemoryError,
    _EPARSE: ParseError,
    _EPOLICY: PolicyError,
    _EIO: FileError,
    _ERANGE: RangeError,
    _ESTATE: StateError,
}

_BY_CODE = {
    "policy.invalid": PolicyError,
    "invalid_argument": InvalidArgumentError,
    "nomem": OutOfMemoryError,
    "io": FileError,
    "overflow": RangeError,
    "process.progress_range": RangeError,
    "process.overdisbursed": StateError,
}


def error_class(code, status=None):
    """Returns the exception class of a C status, or of an error code when there is no status."""
    if status is not None and status in _BY_STATUS:
        return _BY_STATUS[status]
    if code.startswith(("parse.", "money.")):
        return ParseError
    return _BY_CODE.get(code, EmbedsvcError)


def from_c(status, code, message, path, line, column, offset):
    """Builds the exception for a failed C call (registered with the SWIG module)."""
    return error_class(code, status)(code, message, line, column, path, offset=offset, status=status)
