"""``podpath`` with no arguments (or ``podpath FILE``): the desktop app on the built-in demo or on FILE.

When no display can be opened (no ``DISPLAY``/``WAYLAND_DISPLAY`` and no ``QT_QPA_PLATFORM``), or Qt
cannot be imported, the demo runs headless and prints its summary instead; ``podpath FILE`` without a
display says which subcommands work headless.
"""

from __future__ import annotations

import importlib.util
import os
import sys


def _can_show() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def _has_desktop() -> bool:
    try:
        return importlib.util.find_spec("desktop.app") is not None and importlib.util.find_spec("PySide6") is not None
    except (ImportError, ValueError):
        return False


def launch_default(argv: list[str] | None = None) -> int:
    argv = list(argv or [])
    if _has_desktop() and _can_show():
        from desktop.app import main as desktop_main  # noqa: PLC0415  (Qt only when asked for)

        return int(desktop_main(argv))
    if argv:
        print("podpath: no display to open the desktop app on (DISPLAY is not set); headless commands: "
              "podpath validate|info|export|run|route|rules FILE (see podpath --help)", file=sys.stderr)
        return 2
    from core.cli.demo import run_demo_headless

    return run_demo_headless(sys.stdout)
