"""The built bundle starts offscreen, opens a lesson, runs ten simulated seconds and exits 0.

Building takes minutes, so this runs only with PODPATH_BUNDLE_TEST=1 (after packaging/build.sh, or it builds).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXE = ROOT / "dist" / "podpath" / "podpath"

pytestmark = pytest.mark.skipif(os.environ.get("PODPATH_BUNDLE_TEST") != "1",
                                reason="slow: set PODPATH_BUNDLE_TEST=1 to build and smoke-test the bundle")


def test_bundle_smoke():
    if not EXE.exists():
        subprocess.run(["bash", str(ROOT / "packaging" / "build.sh")], check=True, cwd=ROOT, timeout=1800)
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import smoke_test
    finally:
        sys.path.pop(0)
    r = smoke_test.run(EXE)
    assert r["code"] == 0, r["stderr"][-2000:]
    assert any(line.startswith("smoke ok: lesson why-services at t=10.0 s") for line in r["stdout"]), r["stdout"]
    assert "Traceback" not in r["stderr"]
