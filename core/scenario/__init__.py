"""Scenario files: YAML in and out, the editable Document, validation, and the build into core.model.

Pipeline: ``load_document`` (safe YAML with line marks) -> ``build_model`` (validate every object, build
the typed model, allocate addresses and ports) -> ``ClusterModel``. The schema is in docs/scenario-format.md.
"""

from __future__ import annotations

from pathlib import Path

from core.scenario.build import build_model
from core.scenario.document import Document, DocumentEvent
from core.scenario.errors import Diagnostic, ScenarioError
from core.scenario.files import (
    dumps_document,
    export_manifests,
    load_document,
    load_model,
    load_model_with_warnings,
    loads_document,
    save_document,
)
from core.scenario.targets import Target, parse_target
from core.scenario.writing import WriteError, write_file

DEMO_SCENARIO = Path(__file__).resolve().parents[2] / "resources" / "scenarios" / "demo.yaml"

__all__ = [
    "DEMO_SCENARIO",
    "Diagnostic",
    "Document",
    "DocumentEvent",
    "ScenarioError",
    "Target",
    "WriteError",
    "build_model",
    "dumps_document",
    "export_manifests",
    "load_document",
    "load_model",
    "load_model_with_warnings",
    "loads_document",
    "parse_target",
    "save_document",
    "write_file",
]
