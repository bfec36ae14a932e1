# libembedsvc Python binding — objects that own a C handle.
# SPDX-License-Identifier: MIT
"""close(), context managers and use-after-close checks for Policy, Project and Comparison.

A handle object keeps its low-level SWIG handle in the slot ``_handle``;
``close()`` drops that reference (the C object is freed when no call in
progress, in any thread, still holds it: a call keeps its arguments alive), so
closing twice is harmless and using a closed object raises ClosedError instead
of touching freed memory.
"""

from __future__ import annotations

from typing import Any, Optional, TypeVar

from ._errors import StateError

__all__ = ["ClosedError"]

_T = TypeVar("_T", bound="_Handle")


class ClosedError(StateError, ValueError):
    """The object was closed (``close()`` or the end of its ``with`` block)."""


class _Handle:
    __slots__ = ()
    _handle: Any

    @property
    def _h(self) -> Any:
        h = self._handle
        if h is None:
            raise ClosedError("closed", "this %s is closed" % type(self).__name__)
        return h

    @property
    def closed(self) -> bool:
        """True once ``close()`` was called."""
        return self._handle is None

    def close(self) -> None:
        """Releases the C object now (it is also released when this object is collected).

        Calling it again does nothing; any other use afterwards raises ClosedError."""
        self._handle = None

    def __enter__(self: _T) -> _T:
        self._h  # a closed object cannot be entered
        return self

    def __exit__(self, *exc: Optional[object]) -> None:
        self.close()
