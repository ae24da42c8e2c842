"""Translations workflow: extract with pyside6-lupdate, fill from the glossary, compile with pyside6-lrelease.

    python packaging/translations.py update    # lupdate over desktop/ -> resources/translations/podpath_{ko,en}.ts,
                                               # then fill: en = the source text, ko = resources/translations/ko.yaml
    python packaging/translations.py missing   # the Korean entries the glossary does not cover yet
    python packaging/translations.py release [OUTDIR]   # .ts -> .qm (what tools/setup.sh and the bundle build run)

``ko.yaml`` maps an English source text to its Korean text (``"Context|source"`` keys for the few texts that
need a different word in one place). It uses the lecture's own terms (서비스, 파드, 노드, 인그레스,
로드밸런서, 엔드포인트, …). A Korean entry the glossary lacks stays ``type="unfinished"`` — and the test
``tests/desktop/test_i18n_files.py`` fails until it is translated.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LANGS = ("ko", "en")


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    return str(exe) if exe.exists() else name


def sources() -> list[Path]:
    return sorted(p for p in (ROOT / "desktop").rglob("*.py") if "__pycache__" not in p.parts)


def glossary() -> dict[str, str]:
    path = TS_DIR / "ko.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {str(k): str(v) for k, v in (data or {}).items()}


_HELPER = re.compile(r"^def (\w+)\(\w+(?:: str)?\)(?: -> str)?:\s*\n\s+return QCoreApplication\.translate\(\"([^\"]+)\"",
                     re.M)


def helper_contexts(path: Path) -> dict[str, str]:
    """A module's translate helpers, e.g. ``def tr(text): return QCoreApplication.translate("Editor", text)``:
    helper name -> context. lupdate files such calls under the empty context; Qt looks them up under "Editor"."""
    return {m.group(1): m.group(2) for m in _HELPER.finditer(path.read_text(encoding="utf-8"))}


def extract(ts: Path, lang: str = "en") -> None:
    """lupdate over desktop/ into ``ts`` (merging what it holds), with helper-call texts moved to their real
    context and without source locations (so the files diff only when texts change)."""
    files = [str(p.relative_to(ROOT)) for p in sources()]
    subprocess.run([_tool("pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "relative",
                    "-target-language", "ko_KR" if lang == "ko" else "en_US", *files, "-ts", str(ts)],
                   check=True, cwd=ROOT)
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name", ""): c for c in root.findall("context")}
    empty = contexts.get("")
    if empty is not None:
        current = ""  # relative locations name the file only when it changes
        for msg in list(empty.findall("message")):
            files = []
            for loc in msg.findall("location"):
                current = loc.get("filename") or current
                files.append(current)
            found = set()
            for name in files:
                found |= set(helper_contexts((ts.parent / name).resolve()).values())
            target = next(iter(found)) if len(found) == 1 else None
            if target is None:
                continue
            ctx = contexts.get(target)
            if ctx is None:
                ctx = ET.SubElement(root, "context")
                ET.SubElement(ctx, "name").text = target
                contexts[target] = ctx
            source = msg.findtext("source", "")
            empty.remove(msg)
            if not any(m.findtext("source", "") == source for m in ctx.findall("message")):
                ctx.append(msg)
        if not empty.findall("message"):
            root.remove(empty)
    for msg in root.iter("message"):
        for loc in msg.findall("location"):
            msg.remove(loc)
    tree.write(ts, encoding="utf-8")


def update() -> None:
    TS_DIR.mkdir(parents=True, exist_ok=True)
    for lang in LANGS:
        ts = TS_DIR / f"podpath_{lang}.ts"
        extract(ts, lang)
        fill(ts, lang)


def fill(ts: Path, lang: str) -> list[tuple[str, str]]:
    """Fill unfinished entries (en: the source; ko: the glossary); returns (context, source) still missing."""
    tree = ET.parse(ts)
    words = glossary()
    missing = []
    for ctx in tree.getroot().iter("context"):
        name = ctx.findtext("name", "")
        for msg in ctx.iter("message"):
            source = msg.findtext("source", "")
            tr = msg.find("translation")
            if tr is None:
                tr = ET.SubElement(msg, "translation")
            if lang == "en":
                text = source
            else:
                text = words.get(f"{name}|{source}", words.get(source))
            if text is None:
                if not tr.text:
                    tr.set("type", "unfinished")
                    missing.append((name, source))
                continue
            tr.text = text
            tr.attrib.pop("type", None)
    ET.indent(tree, space="    ")
    body = ET.tostring(tree.getroot(), encoding="unicode")
    ts.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")
    return missing


def release(out_dir: Path | None = None) -> list[Path]:
    out_dir = out_dir or TS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    built = []
    for ts in sorted(TS_DIR.glob("podpath_*.ts")):
        qm = out_dir / (ts.stem + ".qm")
        subprocess.run([_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        built.append(qm)
    return built


def main(argv: list[str]) -> int:
    cmd = argv[0] if argv else "update"
    if cmd == "update":
        update()
        missing = fill(TS_DIR / "podpath_ko.ts", "ko")
        print(f"updated {TS_DIR}; {len(missing)} Korean entries missing")
        for ctx, src in missing:
            print(f"  {ctx}|{src}")
        return 0
    if cmd == "missing":
        for ctx, src in fill(TS_DIR / "podpath_ko.ts", "ko"):
            print(f"{ctx}|{src}")
        return 0
    if cmd == "release":
        for qm in release(Path(argv[1]) if len(argv) > 1 else None):
            print(qm)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
