"""Shared test setup: headless Qt before any QApplication exists, paths to the test data kept in this repo."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = ROOT / "tests" / "data" / "manifests"  # real public manifests: sources and licence in its README.md


@pytest.fixture
def shared_manifests() -> Path:
    """The directory of real manifests (tests/data/manifests); never skipped: it is part of the checkout."""
    assert MANIFESTS.is_dir(), f"{MANIFESTS} is missing from this checkout"
    return MANIFESTS
