"""Diagnostics (file:line:column, object, field path, bad value, what is allowed) and ScenarioError."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


def format_value(value: object) -> str:
    """A bad value the way kube-apiserver prints it: strings quoted, numbers bare, true/false/null."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    try:
        text = json.dumps(value, ensure_ascii=False, default=str, sort_keys=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a scenario; ``format()`` gives the one-line report."""

    severity: Severity
    message: str
    file: str = "<string>"
    line: int = 0
    column: int = 0
    object: str = ""  # e.g. "Service default/web"
    path: str = ""  # e.g. "spec.ports[0].nodePort"
    value: object = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        parts = [f"{where}: {self.severity}"]
        if self.object:
            parts.append(self.object)
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        return ": ".join(parts)

    def to_dict(self) -> dict[str, object]:
        return {"severity": self.severity, "file": self.file, "line": self.line, "column": self.column,
                "object": self.object, "path": self.path, "message": self.message,
                "value": self.value if isinstance(self.value, (str, int, float, bool, type(None)))
                else format_value(self.value)}


class ScenarioError(Exception):
    """A scenario could not be loaded or built; ``diagnostics`` holds every problem found."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic):
        if isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics = list(diagnostics)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]
