"""Shared test setup: headless Qt before any QApplication exists, paths to shared test data."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture
def shared_manifests() -> Path:
    path = SHARED / "manifests"
    if not path.is_dir():
        pytest.skip("../shared/manifests is not beside this checkout")
    return path
