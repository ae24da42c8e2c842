"""``podpath`` with no arguments: the desktop app on the built-in demo, or, until the desktop exists or
when no display can be opened, a headless run of the demo that prints its summary."""

from __future__ import annotations

import importlib.util
import os
import sys


def launch_default() -> int:
    if importlib.util.find_spec("desktop.app") is not None and (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        from desktop.app import main as desktop_main  # noqa: PLC0415  (Qt only when asked for)

        return int(desktop_main([]))
    from core.cli.demo import run_demo_headless

    return run_demo_headless(sys.stdout)
