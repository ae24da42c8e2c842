"""The live view: play the cluster, watch packets take their real path, change it while it runs.

``install(window)`` adds the live view to a MainWindow (called after the first paint through
``window.install_late("live", install)``); see ``desktop.live.view.LiveView``.
"""

from __future__ import annotations


def install(window, *, charts: bool = True):
    """Create the live view in ``window`` and return it."""
    from desktop.live.view import LiveView  # noqa: PLC0415  (after the first paint: pyqtgraph is slow to import)

    return LiveView(window, charts=charts)
