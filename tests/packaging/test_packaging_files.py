"""The packaging sources: .desktop entry, icon, PyInstaller spec, build script, the `bundle` extra."""

from __future__ import annotations

import configparser
import re
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "packaging"


def test_desktop_entry_has_the_keys_a_menu_needs():
    cp = configparser.ConfigParser(interpolation=None, strict=True)
    cp.optionxform = str
    cp.read(PKG / "podpath.desktop", encoding="utf-8")
    entry = cp["Desktop Entry"]
    assert entry["Type"] == "Application" and entry["Name"] == "PodPath"
    assert entry["Exec"].split()[0] == "podpath" and entry["Icon"] == "podpath"
    assert entry["Terminal"] == "false" and entry["Categories"].endswith(";")
    assert re.search(r"[\uac00-\ud7a3]", entry["Comment[ko]"])


def test_icon_is_an_svg_with_a_256_pixel_png(qtbot):
    root = ET.parse(ROOT / "resources/icons/podpath.svg").getroot()
    assert root.tag.endswith("svg") and root.get("viewBox") == "0 0 256 256"
    png = QImage(str(ROOT / "resources/icons/podpath.png"))
    assert (png.width(), png.height()) == (256, 256)
    assert png.pixelColor(128, 20).name() == "#0072b2"  # the blue tile behind the path


def test_spec_keeps_only_the_qt_modules_podpath_uses():
    spec = (PKG / "podpath.spec").read_text(encoding="utf-8")
    excluded = set(re.findall(r'"(PySide6\.Qt\w+)"', spec))
    for unused in ("PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtNetwork", "PySide6.QtSql", "PySide6.QtDesigner"):
        assert unused in excluded
    used = {m for p in (ROOT / "desktop").rglob("*.py") for m in re.findall(r"PySide6\.(Qt\w+)",
                                                                             p.read_text(encoding="utf-8"))}
    assert not {f"PySide6.{m}" for m in used} & excluded, "the spec must not exclude a module desktop/ imports"
    for data in ("resources/lessons", "resources/scenarios", "resources/icons", "resources/fonts"):
        assert data in spec


def test_build_script_installs_the_bundle_extra_and_smoke_tests():
    build = (PKG / "build.sh").read_text(encoding="utf-8")
    assert '-e ".[bundle]"' in build and "packaging/podpath.spec" in build and "smoke_test.py" in build
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(req.startswith("pyinstaller") for req in extras["bundle"])
