#!/usr/bin/env bash
# Sets PodPath up on a fresh Debian/Ubuntu machine: system packages (as root; otherwise prints the
# apt-get line), a virtual environment in .venv, and the Python packages from pyproject.toml.
# Idempotent and quick when nothing changed. Sourced by run.sh and run-tests.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

# Qt's xcb platform (a real window), Xvfb for screenshots and GUI runs without a display, a CJK font for
# the Korean UI, and the libraries PySide6 wheels link against.
SYSTEM_PACKAGES=(libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libglib2.0-0
  libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxcb-image0 libxcb-render-util0 libxcb-shape0
  libxcb-randr0 libxcb-xinerama0 libxcb-xkb1 xvfb xauth fonts-nanum)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "podpath setup: installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
      echo "podpath setup: apt-get install failed; install by hand: apt-get install -y ${missing[*]}" >&2; }
  else
    echo "podpath setup: missing system packages; run as root:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

say() { echo "podpath setup: $*" >&2; }
trap 'say "failed at line $LINENO (exit $?): see the messages above"' ERR

# Python >= 3.11: $PYTHON if given, else the distro's python3 first (its venv module comes from apt), then
# versioned interpreters on PATH.
py_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }
PY="${PYTHON:-}"
if [ -n "$PY" ] && ! py_ok "$PY"; then
  say "PYTHON=$PY is not a working Python >= 3.11"; exit 1
fi
if [ -z "$PY" ]; then
  for cand in /usr/bin/python3 python3 python3.13 python3.12 python3.11; do
    if command -v "$cand" >/dev/null 2>&1 && py_ok "$cand"; then
      PY="$cand"; break
    fi
  done
fi
if [ -z "$PY" ]; then
  say "Python >= 3.11 is required (sudo apt-get install -y python3 python3-venv)"
  exit 1
fi
pyver="$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"

venv_ok() { [ -x .venv/bin/python ] && .venv/bin/python -m pip --version >/dev/null 2>&1; }
make_venv() {
  rm -rf .venv
  "$PY" -m venv .venv >/dev/null 2>&1 && venv_ok
}
if ! venv_ok; then
  if [ -e .venv ]; then
    say "the virtual environment in .venv is broken (no working python -m pip); recreating it with $PY"
  fi
  if ! make_venv; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      say "cannot create a virtual environment with $PY; installing python3-venv python$pyver-venv"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null 2>&1 || say "apt-get update failed; trying the install anyway"
      apt-get install -y -qq --no-install-recommends python3-venv "python$pyver-venv" >/dev/null 2>&1 \
        || apt-get install -y -qq --no-install-recommends python3-venv >/dev/null 2>&1 \
        || say "apt-get install python3-venv python$pyver-venv failed"
      if ! make_venv; then
        say "still cannot create a virtual environment with $PY (python$pyver -m venv .venv fails)"
        exit 1
      fi
    else
      say "cannot create a virtual environment with $PY; as root run:"
      say "  sudo apt-get install -y python3-venv python$pyver-venv"
      exit 1
    fi
  fi
fi
stamp=".venv/.podpath-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || say "could not upgrade pip; continuing with $(.venv/bin/python -m pip --version 2>/dev/null | cut -d' ' -f2)"
  if ! .venv/bin/python -m pip install -q -e ".[test]"; then
    say "pip install -e .[test] failed (network? see pip's message above); run tools/setup.sh again when fixed"
    exit 1
  fi
  echo "$want" > "$stamp"
fi

# Korean/English UI: compile the translation sources (resources/translations/*.ts) into the .qm files Qt loads,
# whenever a .ts is newer than its .qm (pyside6-lrelease ships in PySide6-Essentials).
for ts in resources/translations/*.ts; do
  [ -e "$ts" ] || continue
  qm="${ts%.ts}.qm"
  if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
    .venv/bin/pyside6-lrelease -silent "$ts" -qm "$qm" || say "could not compile $ts (the UI stays in English)"
  fi
done
