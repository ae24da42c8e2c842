"""Korean and English: Qt translators loaded from resources/translations, switched at runtime from a menu.

Every user-visible string goes through Qt's translation system: ``self.tr("…")`` in a QObject subclass, or
``QCoreApplication.translate("Context", "…")`` elsewhere (never an f-string: write
``self.tr("Node {0} failed").format(name)``). ``pyside6-lupdate`` extracts them into
``resources/translations/podpath_{ko,en}.ts``; ``tools/setup.sh`` (and the bundle build) compile the ``.qm``
files with ``pyside6-lrelease``.

Switching language removes the old translators and installs the new ones; Qt then sends every widget a
``QEvent.LanguageChange``. A widget that sets texts once must set them again then: override
``changeEvent`` (``if event.type() == QEvent.Type.LanguageChange: self.retranslate()``) or connect to
``Languages.language_changed``. The main window's menu titles are re-set here (``retranslate_main_window``)
so extensions do not have to.

The start-up language is the one chosen last (QSettings ``ui/language``), else the system locale's
(Korean for any ``ko_*`` locale, English otherwise). Language names in the menu are in their own language
("English", "한국어") so a user who cannot read the current one still finds theirs.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    QSettings,
    Qt,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QWidget

LANGUAGES = {"en": "English", "ko": "한국어"}
SETTINGS_KEY = "ui/language"


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate looks for)
    """Marks ``text`` for extraction in ``context`` without translating it here."""
    del context
    return text


# The main window's menu titles are created from a table (desktop/mainwindow.py MENU_TITLES), which lupdate
# cannot see through; they are marked here, in the window's own context.
MAIN_WINDOW_TITLES = {
    "file": QT_TRANSLATE_NOOP("MainWindow", "&File"),
    "edit": QT_TRANSLATE_NOOP("MainWindow", "&Edit"),
    "view": QT_TRANSLATE_NOOP("MainWindow", "&View"),
    "simulation": QT_TRANSLATE_NOOP("MainWindow", "&Simulation"),
    "help": QT_TRANSLATE_NOOP("MainWindow", "&Help"),
    "lessons": QT_TRANSLATE_NOOP("MainWindow", "&Lessons"),
}
PANELS_TITLE = QT_TRANSLATE_NOOP("MainWindow", "&Panels")


def translations_dir() -> Path:
    """Where the .ts sources and the built .qm files live (beside the code, or inside a frozen bundle)."""
    import os  # noqa: PLC0415
    import sys  # noqa: PLC0415

    if os.environ.get("PODPATH_TRANSLATIONS"):
        return Path(os.environ["PODPATH_TRANSLATIONS"])
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
    return base / "resources" / "translations"


def system_language() -> str:
    return "ko" if QLocale.system().name().lower().startswith("ko") else "en"


def start_language(settings: QSettings | None = None) -> str:
    settings = settings or QSettings()
    saved = settings.value(SETTINGS_KEY)
    return saved if isinstance(saved, str) and saved in LANGUAGES else system_language()


class Languages(QObject):
    """The application's current language; ``set_language`` swaps the installed translators."""

    language_changed = Signal(str)  # the new language code, after the translators were swapped

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.current = "en"
        self._installed: list[QTranslator] = []

    def set_language(self, lang: str, *, remember: bool = True) -> bool:
        """Install ``lang``'s translators (ours and Qt's own dialogs'); False if its .qm is missing."""
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}")
        app = QCoreApplication.instance()
        if app is None:
            raise RuntimeError("set_language needs a QApplication")
        ours = QTranslator(self)
        found = ours.load(f"podpath_{lang}", str(translations_dir()))
        qt = QTranslator(self)
        qt_found = qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        for old in self._installed:
            app.removeTranslator(old)
        self._installed = []
        for tr, ok in ((qt, qt_found), (ours, found)):
            if ok:
                app.installTranslator(tr)
                self._installed.append(tr)
        QLocale.setDefault(QLocale(QLocale.Language.Korean if lang == "ko" else QLocale.Language.English))
        old, self.current = self.current, lang
        if old != lang:
            retranslate_widgets(old, lang)
        if remember:
            QSettings().setValue(SETTINGS_KEY, lang)
        self.language_changed.emit(lang)
        return found


# -- runtime retranslation of texts set once ------------------------------------------------------------------
# Qt's answer to a language switch is LanguageChange, after which each widget sets its texts again; texts set
# once at construction (toolbar actions, dock titles, labels) would stay in the old language. As a safety net
# every widget text that is exactly one catalogue entry in the old language is replaced by the same entry in the
# new one. Single lowercase words ("default", "client") and the canvas's drawn strings are left alone: they may
# be data, not chrome. Formatted texts ("Step 2 of 3") are the owners' job (changeEvent / language_changed).
_SKIP = re.compile(r"^[a-z]+$")
MAX_ITEMS = 5000  # rows of a list or tree looked at (an event log can be long; its newest rows are on top)


def catalogue() -> list[tuple[str, str, str]]:
    """(context, English source, Korean) of every finished entry of podpath_ko.ts."""
    ts = translations_dir() / "podpath_ko.ts"
    if not ts.exists():
        return []
    import xml.etree.ElementTree as ET  # noqa: PLC0415

    out = []
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name", "")
        for msg in ctx.iter("message"):
            tr = msg.find("translation")
            if tr is not None and tr.text and tr.get("type") != "unfinished":
                out.append((name, msg.findtext("source", ""), tr.text))
    return out


def text_map(old: str, new: str, *, words: bool = False) -> dict[str, str]:
    """Displayed text in ``old`` -> the same entry in ``new`` (first entry wins on a clash). Single lowercase
    English words are left out (they may be data) unless ``words``; their Korean, never data, maps back."""
    out: dict[str, str] = {}
    for ctx, en, ko in catalogue():
        if ctx == "Canvas" or en == ko or (_SKIP.match(en) and old == "en" and not words):
            continue
        src, dst = (en, ko) if (old, new) == ("en", "ko") else (ko, en)
        out.setdefault(src, dst)
    return out


_PLACEHOLDER = re.compile(r"\{\d+(?::[^}]*)?\}|%\d")


class _Formats:
    """Formatted texts ("Step 2 of 3", "0 errors, 0 warnings") shown in ``old``, recognised by the catalogue
    entry they were formatted from and re-formatted in ``new`` with the same values: a text set once with
    ``tr("…{0}…").format(x)`` follows a language switch even where its owner has no LanguageChange handler."""

    def __init__(self, old: str, new: str):
        self.entries: list[tuple[re.Pattern, list[str], str, int]] = []
        for ctx, en, ko in catalogue():
            if ctx == "Canvas" or en == ko or not _PLACEHOLDER.search(en):
                continue
            src, dst = (en, ko) if (old, new) == ("en", "ko") else (ko, en)
            literal = _PLACEHOLDER.sub("", src)
            if len(re.findall(r"\w", _PLACEHOLDER.sub("", en))) < 3:
                continue  # "{0} s", "{0}: {1}": too little of its own to be recognised safely
            names: list[str] = []
            parts: list[str] = []
            pos = 0
            for m in _PLACEHOLDER.finditer(src):
                parts.append(re.escape(src[pos:m.start()]))
                key = m.group(0)[1:].split(":")[0].rstrip("}") if m.group(0).startswith("{") else m.group(0)[1:]
                if key in names:  # the same value twice: the second must repeat the first
                    parts.append(f"(?P=v{key})")
                else:
                    names.append(key)
                    parts.append(f"(?P<v{key}>.+?)")
                pos = m.end()
            parts.append(re.escape(src[pos:]))
            self.entries.append((re.compile("".join(parts), re.S), names, dst, len(literal)))
        self.entries.sort(key=lambda e: -e[3])  # the most specific entry first

    def swap(self, text: str) -> str | None:
        for pattern, _names, dst, _n in self.entries:
            m = pattern.fullmatch(text)
            if m is None:
                continue
            values = m.groupdict()
            return _PLACEHOLDER.sub(lambda ph, v=values: _value(ph.group(0), v), dst)
        return None


def _value(placeholder: str, values: dict[str, str]) -> str:
    key = placeholder[1:].split(":")[0].rstrip("}") if placeholder.startswith("{") else placeholder[1:]
    return values.get(f"v{key}", placeholder)


def switch_text(text: str, mapping: dict[str, str], formats: _Formats | None) -> str | None:
    """``text`` (shown in the old language) in the new one, or None when it is not a catalogue text. Leading and
    trailing spaces are kept (" Timing: " is the entry "Timing:")."""
    core = text.strip()
    if not core:
        return None
    head, tail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    if core in mapping:
        return head + mapping[core] + tail
    if formats is not None:
        swapped = formats.swap(core)
        if swapped is not None:
            return head + swapped + tail
    return None


def retranslate_widgets(old: str, new: str) -> int:
    """Replace chrome texts shown in ``old`` by their ``new`` translation in every live widget and action;
    returns how many texts changed."""
    import shiboken6  # noqa: PLC0415
    from PySide6.QtWidgets import (  # noqa: PLC0415
        QAbstractButton,
        QApplication,
        QComboBox,
        QDockWidget,
        QGroupBox,
        QLabel,
        QLineEdit,
        QListWidget,
        QStatusBar,
        QTabBar,
        QTableWidget,
        QToolBar,
        QTreeWidget,
    )

    app = QApplication.instance()
    if app is None:
        return 0
    mapping = text_map(old, new)
    if not mapping:
        return 0
    words = text_map(old, new, words=True)
    formats = _Formats(old, new)
    changed = 0

    def swap(get, put, table: dict[str, str] | None = None) -> None:
        nonlocal changed
        try:
            text = get()
            swapped = switch_text(text, table or mapping, formats) if text else None
            if swapped is not None and swapped != text:
                put(swapped)
                changed += 1
        except RuntimeError:  # a widget or action being deleted (its C++ object is gone)
            pass

    actions: dict[int, QAction] = {}
    for w in app.allWidgets():
        if not shiboken6.isValid(w):
            continue
        for a in w.actions():
            actions[id(a)] = a
        if isinstance(w, QMenu):
            swap(w.title, w.setTitle)
            actions[id(w.menuAction())] = w.menuAction()
        elif isinstance(w, (QDockWidget, QToolBar)):
            swap(w.windowTitle, w.setWindowTitle)
        elif isinstance(w, QLabel) and w.textFormat() != Qt.TextFormat.RichText:
            swap(w.text, w.setText)
        elif isinstance(w, QAbstractButton):
            swap(w.text, w.setText)
        elif isinstance(w, QGroupBox):
            swap(w.title, w.setTitle)
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                # an item carrying its own data shows a label: even a single word is chrome there
                labelled = w.itemData(i) is not None
                swap(lambda i=i, w=w: w.itemText(i), lambda t, i=i, w=w: w.setItemText(i, t),
                     words if labelled else None)
        elif isinstance(w, QTabBar):
            for i in range(w.count()):
                swap(lambda i=i, w=w: w.tabText(i), lambda t, i=i, w=w: w.setTabText(i, t))
        elif isinstance(w, QTableWidget):
            for i in range(w.columnCount()):
                item = w.horizontalHeaderItem(i)
                if item is not None:
                    swap(item.text, item.setText)
        elif isinstance(w, QStatusBar) and w.currentMessage():
            swap(w.currentMessage, lambda t, w=w: w.showMessage(t, 5000))
        elif isinstance(w, QLineEdit) and w.placeholderText():  # "Filter by text…"
            swap(w.placeholderText, w.setPlaceholderText)
        elif isinstance(w, QListWidget):  # the palette's kinds
            for i in range(min(w.count(), MAX_ITEMS)):
                item = w.item(i)
                swap(item.text, item.setText)
                swap(item.toolTip, item.setToolTip)
        elif isinstance(w, QTreeWidget):  # its header, and the words in its rows (an event's type)
            head = w.headerItem()
            for c in range(w.columnCount()):
                swap(lambda c=c, h=head: h.text(c), lambda t, c=c, h=head: h.setText(c, t))
            for i in range(min(w.topLevelItemCount(), MAX_ITEMS)):
                item = w.topLevelItem(i)
                for c in range(w.columnCount()):
                    swap(lambda c=c, it=item: it.text(c), lambda t, c=c, it=item: it.setText(c, t), words)
        painted = getattr(type(w), "retranslate", None)
        if callable(painted) and type(w).changeEvent is QWidget.changeEvent:
            # a widget that paints its words (the legend) and has a retranslate() but no LanguageChange handler
            try:
                w.retranslate()
                changed += 1
            except TypeError:  # a retranslate() that needs arguments is not this convention
                pass
        if w.toolTip():
            swap(w.toolTip, w.setToolTip)
    for a in actions.values():
        if not shiboken6.isValid(a):
            continue
        swap(a.text, a.setText)
        swap(a.toolTip, a.setToolTip)
        swap(a.statusTip, a.setStatusTip)
    return changed


def translate(context: str, text: str) -> str:
    return QCoreApplication.translate(context, text)


def retranslate_main_window(window) -> None:
    """Re-set the main window's menu titles in the current language."""
    for name, menu in getattr(window, "_menus", {}).items():
        source = MAIN_WINDOW_TITLES.get(name)
        if source is not None:
            menu.setTitle(translate("MainWindow", source))
    panels = getattr(window, "_panels_menu", None)
    if panels is not None:
        panels.setTitle(translate("MainWindow", PANELS_TITLE))


class _Retranslator(QObject):
    """Event filter on the main window: on LanguageChange re-set the titles it owns."""

    def __init__(self, window: QWidget, menu: QMenu, actions: dict[str, QAction]):
        super().__init__(window)
        self._window = window
        self._menu = menu

    def retranslate(self) -> None:
        retranslate_main_window(self._window)
        self._menu.setTitle(self.tr("&Language"))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if watched is self._window and event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        return False


def load_bundled_fonts() -> int:
    """Register the fonts shipped in resources/fonts (the bundle's Nanum Gothic, so Korean renders on a machine
    without a CJK font); returns how many were added."""
    from PySide6.QtGui import QFontDatabase  # noqa: PLC0415

    folder = translations_dir().parent / "fonts"
    added = 0
    for font in sorted(folder.glob("*.ttf")) if folder.is_dir() else []:
        added += QFontDatabase.addApplicationFont(str(font)) >= 0
    return added


def setup(app) -> Languages:
    """Before the main window exists: fonts shipped with the bundle, then the start-up language (the saved
    choice, else the system's)."""
    load_bundled_fonts()
    languages = Languages(app)
    languages.set_language(start_language(), remember=False)
    return languages


def install(window, languages: Languages | None = None) -> Languages:
    """Give the window its Languages (``window.extensions["i18n"]``) and the View → Language menu (once)."""
    existing = window.extensions.get("i18n")
    if isinstance(existing, Languages) and getattr(window, "_language_menu", None) is not None:
        return existing
    languages = languages or (existing if isinstance(existing, Languages) else Languages(window))
    window.extensions["i18n"] = languages
    window._language_menu = install_language_menu(window, languages)
    return languages


def install_language_menu(window, languages: Languages) -> QMenu:
    """View → Language with one checkable action per language; returns the submenu."""
    menu = window.menu("view").addMenu(QCoreApplication.translate("_Retranslator", "&Language"))
    menu.setObjectName("menu-language")
    group = QActionGroup(menu)
    group.setExclusive(True)
    actions: dict[str, QAction] = {}
    for code, name in LANGUAGES.items():
        action = menu.addAction(name)
        action.setObjectName(f"action-language-{code}")
        action.setCheckable(True)
        action.setChecked(code == languages.current)
        action.setData(code)
        group.addAction(action)
        action.triggered.connect(lambda _=False, c=code: languages.set_language(c))
        actions[code] = action
    languages.language_changed.connect(lambda c: actions[c].setChecked(True))
    retranslator = _Retranslator(window, menu, actions)
    window.installEventFilter(retranslator)
    # Qt delivers LanguageChange to widgets through the event queue; re-set the titles at once as well, so
    # everything is in the new language as soon as set_language returns
    languages.language_changed.connect(lambda _c: retranslator.retranslate())
    languages.language_changed.connect(lambda _c: _redraw_canvas(window))
    retranslate_main_window(window)
    return menu


def _redraw_canvas(window) -> None:
    """The canvas draws its words ("cluster", "podCIDR …", "Deployment · 3/3 ready") into a cached picture:
    build it again in the new language."""
    scene = getattr(window, "scene", None)
    if callable(getattr(scene, "retranslate", None)):
        scene.retranslate()
    elif getattr(scene, "live_state", None) is not None and callable(getattr(scene, "apply_cluster_state", None)):
        scene.apply_cluster_state(scene.live_state)  # the running state as it is (rebuild() would drop it)
    elif callable(getattr(scene, "rebuild", None)):
        scene.rebuild()


# -- drop reasons in words ------------------------------------------------------------------------------------
# A student reads "timed out: sent to a dead pod", not "timeout_dead_endpoint"; the code name stays in tooltips
# (drop_reason_tooltip) for whoever wants to find it in the CLI's output or the docs.
DROP_REASON_LABELS = {
    "refused": QT_TRANSLATE_NOOP("DropReason", "refused: no endpoints"),
    "no_destination": QT_TRANSLATE_NOOP("DropReason", "refused: no usable IPVS real server"),
    "timeout_dead_endpoint": QT_TRANSLATE_NOOP("DropReason", "timed out: sent to a dead pod"),
    "no_local_endpoints": QT_TRANSLATE_NOOP("DropReason", "dropped: no local pod (policy Local)"),
    "reply_discarded": QT_TRANSLATE_NOOP("DropReason", "reply discarded (no SNAT)"),
    "node_down": QT_TRANSLATE_NOOP("DropReason", "lost: the node is down"),
    "client_down": QT_TRANSLATE_NOOP("DropReason", "lost: the client's node is down"),
    "no_healthy_nodes": QT_TRANSLATE_NOOP("DropReason", "no healthy node behind the load balancer"),
    "no_route": QT_TRANSLATE_NOOP("DropReason", "no route from outside the cluster"),
    "nxdomain": QT_TRANSLATE_NOOP("DropReason", "DNS name not found"),
    "no_such_port": QT_TRANSLATE_NOOP("DropReason", "the Service has no such port"),
    "static_route_dead": QT_TRANSLATE_NOOP("DropReason", "static route: the pod is gone"),
    "no_ingress_controller": QT_TRANSLATE_NOOP("DropReason", "no Ingress controller running"),
    "http_404": QT_TRANSLATE_NOOP("DropReason", "HTTP 404: no Ingress rule matched"),
    "not_in_source_ranges": QT_TRANSLATE_NOOP("DropReason", "blocked: source outside the allowed ranges"),
}


def drop_reason_label(code: str) -> str:
    """A drop reason (core.dataplane.outcomes.DROP_REASONS key) in words, in the current language."""
    source = DROP_REASON_LABELS.get(code)
    return translate("DropReason", source) if source else code.replace("_", " ")


def drop_reason_tooltip(code: str) -> str:
    """The code name and the core's one-line explanation (English, as in the CLI and the docs)."""
    from core.dataplane.outcomes import DROP_REASONS  # noqa: PLC0415

    return f"{code}: {DROP_REASONS[code]}" if code in DROP_REASONS else code
