"""Translation files: complete in Korean and English, consistent placeholders, Korean in Hangul, and built .qm
files that switch the running window's menus."""

from __future__ import annotations

import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = {lang: ROOT / "resources" / "translations" / f"podpath_{lang}.ts" for lang in ("ko", "en")}
PLACEHOLDER = re.compile(r"\{\d*(?::[^}]*)?\}|%n|%\d")
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _messages(lang: str) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(TS[lang]).getroot()
    return [(ctx.findtext("name", ""), m.findtext("source", ""), m.find("translation"))
            for ctx in root.iter("context") for m in ctx.iter("message")]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_entry_is_finished(lang):
    msgs = _messages(lang)
    assert len(msgs) > 50
    unfinished = [f"{c}|{s}" for c, s, t in msgs if t is None or t.get("type") == "unfinished" or not t.text]
    assert not unfinished, unfinished
    assert 'type="unfinished"' not in TS[lang].read_text(encoding="utf-8")


def test_korean_and_english_hold_the_same_entries():
    ko = {(c, s) for c, s, _ in _messages("ko")}
    en = {(c, s) for c, s, _ in _messages("en")}
    assert ko == en


def test_placeholders_survive_translation():
    for ctx, source, tr in _messages("ko"):
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(tr.text or "")), (ctx, source)


def test_korean_entries_are_korean():
    """Every Korean entry with words is written in Hangul (names such as "DNAT", "IPVS" may stay Latin)."""
    latin_only = []
    for ctx, source, tr in _messages("ko"):
        words = re.sub(r"\{[^}]*\}|%n|%\d|&", "", source)
        if len(re.findall(r"[A-Za-z]{3,}", words)) >= 2 and not HANGUL.search(tr.text or ""):
            latin_only.append(f"{ctx}|{source} -> {tr.text}")
    # allowed: texts that are only technical names, kept as kubectl spells them
    assert len(latin_only) <= len(_messages("ko")) // 10, latin_only


def test_every_tr_string_of_desktop_is_in_the_ts_files(tmp_path):
    """The .ts files are up to date with the code: a fresh extraction finds no source text they lack."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import translations
    finally:
        sys.path.pop(0)
    fresh = tmp_path / "fresh.ts"
    translations.extract(fresh)
    root = ET.parse(fresh).getroot()
    wanted = {(ctx.findtext("name", ""), m.findtext("source", "")) for ctx in root.iter("context")
              for m in ctx.iter("message")}
    have = {(c, s) for c, s, _ in _messages("ko")}
    missing = sorted(wanted - have)
    assert not missing, f"run `python packaging/translations.py update` and translate: {missing[:20]}"


def test_module_level_translate_helpers_keep_their_context(tmp_path):
    """lupdate files ``tr("…")`` of a module-level helper under the empty context; Qt looks it up under the
    helper's context, so the extraction moves it there."""
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        import translations
    finally:
        sys.path.pop(0)
    mod = tmp_path / "mod.py"
    mod.write_text('from PySide6.QtCore import QCoreApplication\n\n\ndef tr(text: str) -> str:\n'
                   '    return QCoreApplication.translate("Editor", text)\n', encoding="utf-8")
    assert translations.helper_contexts(mod) == {"tr": "Editor"}
    assert not any(c == "" for c, _, _ in _messages("ko")), "no entry is left in the empty context"
    assert ("Editor", "Add %1") in {(c, s) for c, s, _ in _messages("ko")}
