"""Scenario format versions and numbered migrations.

The format version is the annotation ``podpath.dev/format-version`` on the Simulation object; a file
without it (any plain Kubernetes manifest) is the current version. ``MIGRATIONS[n]`` turns a version-``n``
file into version ``n + 1``; loading applies them in order. A file from a newer version is refused.

Version 0 was PodPath's pre-release draft: Traffic had ``spec.keepAlive: true|false`` instead of
``spec.connection``, Simulation had ``spec.timingPreset`` instead of ``spec.preset``.
"""

from __future__ import annotations

from collections.abc import Callable

from core.scenario.kinds import ANN_FORMAT_VERSION, PODPATH_API

CURRENT_FORMAT_VERSION = 1


def _v0_to_v1(objects: list[dict]) -> list[dict]:
    for obj in objects:
        if obj.get("apiVersion") != PODPATH_API or not isinstance(obj.get("spec"), dict):
            continue
        spec = obj["spec"]
        if obj.get("kind") == "Traffic" and "keepAlive" in spec:
            spec["connection"] = "keepalive" if spec.pop("keepAlive") else "new"
        if obj.get("kind") == "Simulation" and "timingPreset" in spec:
            spec["preset"] = spec.pop("timingPreset")
    return objects


MIGRATIONS: dict[int, Callable[[list[dict]], list[dict]]] = {
    0: _v0_to_v1,
}


def declared_version(objects: list[dict]) -> tuple[int | None, int | None, str | None]:
    """(version, index of the Simulation object carrying it, raw text if it is not an integer)."""
    for i, obj in enumerate(objects):
        if obj.get("kind") != "Simulation" or obj.get("apiVersion") != PODPATH_API:
            continue
        meta = obj.get("metadata")
        ann = meta.get("annotations") if isinstance(meta, dict) else None
        if not isinstance(ann, dict) or ANN_FORMAT_VERSION not in ann:
            continue
        text = ann[ANN_FORMAT_VERSION]
        try:
            return int(str(text).strip()), i, None
        except ValueError:
            return None, i, str(text)
    return None, None, None


def migrate(objects: list[dict], version: int) -> list[dict]:
    """Apply migrations ``version`` .. CURRENT-1 in order and stamp the current version."""
    for n in range(version, CURRENT_FORMAT_VERSION):
        objects = MIGRATIONS[n](objects)
    for obj in objects:
        if obj.get("kind") == "Simulation" and obj.get("apiVersion") == PODPATH_API:
            meta = obj.get("metadata")
            if isinstance(meta, dict) and isinstance(meta.get("annotations"), dict) \
                    and ANN_FORMAT_VERSION in meta["annotations"]:
                meta["annotations"][ANN_FORMAT_VERSION] = str(CURRENT_FORMAT_VERSION)
    return objects
