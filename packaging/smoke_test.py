"""Smoke test of the built bundle: launch it offscreen on a lesson, run ten simulated seconds, expect exit 0.

    python packaging/smoke_test.py dist/podpath/podpath [LESSON]

Prints the bundle's size, the time from launch to the first shown window and the whole run's wall time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def run(exe: Path, lesson: str | None = None, seconds: float = 10.0) -> dict:
    bundle = exe.parent
    if lesson is None:
        found = sorted(bundle.rglob("resources/lessons/01-why-services.yaml"))
        if not found:
            raise SystemExit(f"smoke test: no built-in lesson inside {bundle}")
        lesson = str(found[0])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(bundle.parent / ".smoke-config"))
    start = time.perf_counter()
    shown = None
    lines = []
    with subprocess.Popen([str(exe), "--smoke", lesson, str(seconds)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            if line.startswith("window shown") and shown is None:
                shown = time.perf_counter() - start
        err = proc.stderr.read()
        code = proc.wait(timeout=300)
    total = time.perf_counter() - start
    return {"code": code, "stdout": lines, "stderr": err, "first_window_s": shown, "total_s": total,
            "size_bytes": folder_size(bundle)}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    r = run(Path(argv[0]).resolve(), argv[1] if len(argv) > 1 else None)
    for line in r["stdout"]:
        print("  " + line)
    ok = r["code"] == 0 and any(line.startswith("smoke ok") for line in r["stdout"]) and "Traceback" not in r["stderr"]
    shown = f"{r['first_window_s']:.2f} s" if r["first_window_s"] is not None else "never"
    print(f"bundle size {r['size_bytes'] / 1e6:.0f} MB; first window after {shown}; whole smoke run "
          f"{r['total_s']:.2f} s; exit {r['code']}: {'PASS' if ok else 'FAIL'}")
    if not ok:
        print(r["stderr"][-3000:], file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
