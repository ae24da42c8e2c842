"""Compiled loops for the few hot paths numpy cannot vectorise well, through numba when it is there.

Some per-request work is a chain of dependent integer operations (SipHash for IPVS ``mh``) or a hash-map
walk (IPVS connection pairs) that numpy can only express as many full passes over memory. numba compiles
a plain loop over the same arrays to machine code instead; the answers are the same integers.

Policy:

* ``kernel(func)`` wraps a plain-Python loop written in numba's subset. ``get()`` on the wrapper gives the
  compiled function, or ``None`` when numba is not importable (a platform without its wheels, a bundle
  built without it) or disabled with ``PODPATH_JIT=0``. Callers keep a numpy path for ``None`` and tests
  pin both paths to the same answers.
* numba is imported on the first ``get()``, never at import time: the desktop's first paint must not pay
  for it (about 0.17 s here), nor must commands that never reach a hot loop.
* compiled code is cached on disk (numba's ``cache=True``: beside the module, or numba's user cache when
  that is read-only), so only the first run on a machine pays the compile (0.2-1 s per kernel).
* kernels release the GIL (``nogil=True``) so the desktop can step the simulation off its GUI thread.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

_lock = threading.Lock()
_numba: Any = None
_tried = False


def enabled() -> bool:
    """True when compiled kernels will be used (numba importable and not disabled by ``PODPATH_JIT=0``)."""
    return _load() is not None


def _load():
    global _numba, _tried
    if _tried:
        return _numba
    with _lock:
        if not _tried:
            if os.environ.get("PODPATH_JIT", "1").strip().lower() not in ("0", "off", "no", "false"):
                try:
                    import numba  # noqa: PLC0415 - deliberately lazy, see the module docstring

                    _numba = numba
                except Exception:  # noqa: BLE001 - any import failure (missing, numpy too new) -> numpy path
                    _numba = None
            _tried = True
    return _numba


class Kernel:
    """A loop that runs compiled when numba is available; ``get()`` gives the compiled callable or None."""

    def __init__(self, func: Callable, **options):
        self.func = func
        self.options = {"nogil": True, "cache": True, **options}
        self._compiled: Callable | None = None
        self._done = False

    def get(self) -> Callable | None:
        if self._done:
            return self._compiled
        numba = _load()
        with _lock:
            if not self._done:
                self._compiled = None if numba is None else numba.njit(**self.options)(self.func)
                self._done = True
        return self._compiled

    def __call__(self, *args):
        """Run compiled if possible, else the plain-Python loop itself (slow: for tests and tiny inputs)."""
        compiled = self.get()
        return (compiled or self.func)(*args)


def kernel(func: Callable | None = None, **options):
    """Decorator: ``@kernel`` or ``@kernel(fastmath=False)`` over a loop in numba's subset."""
    if func is None:
        return lambda f: Kernel(f, **options)
    return Kernel(func, **options)

