"""The time slider can be seen on a light and on a dark toolbar, at t = 0 and part-way through a run: its groove
and its handle stand out from the toolbar by at least 3:1 (WCAG's contrast for controls). A user test on a
dark desktop: Fusion's groove and handle are shades of the window colour, and the paused slider was lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionSlider

from tests.desktop.live_helpers import DEMO

DARK_WINDOW = {"Window": "#2B2B2B", "WindowText": "#E8E8E8", "Base": "#1E1F22", "Text": "#E8E8E8",
               "Button": "#353535", "ButtonText": "#E8E8E8", "Mid": "#3A3A3A", "Dark": "#1A1A1A",
               "Light": "#4A4A4A", "Midlight": "#404040", "Shadow": "#000000", "Highlight": "#3D7AB8"}


def _luminance(c: QColor) -> float:
    def ch(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())


def contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _best(image, xs, ys, background: QColor) -> float:
    return max(contrast(image.pixelColor(x, y), background) for x in xs for y in ys)


@pytest.fixture
def live(qtbot, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from desktop.live import install
    from desktop.mainwindow import MainWindow

    saved = QApplication.palette()
    w = MainWindow()
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    w.session.open(DEMO)
    view = w.install_late("live", install)
    yield view
    QApplication.setPalette(saved)
    view.shutdown()
    w.session.undo_stack.setClean()


def _measure(qtbot, slider):
    """(groove's contrast right of the handle, played part's, handle's) against the toolbar behind it."""
    qtbot.wait(20)
    bar = slider.parentWidget()  # as it is seen: drawn over the toolbar
    image = bar.grab(slider.geometry()).toImage()
    background = bar.palette().color(QPalette.ColorRole.Window)
    assert contrast(image.pixelColor(image.width() // 2, 0), background) < 1.1  # the toolbar behind it
    opt = QStyleOptionSlider()
    slider.initStyleOption(opt)
    handle = slider.style().subControlRect(QStyle.ComplexControl.CC_Slider, opt,
                                           QStyle.SubControl.SC_SliderHandle, slider)
    ys = range(image.height())
    rest = _best(image, [min(image.width() - 4, handle.right() + (image.width() - handle.right()) // 2)], ys,
                 background)
    played = _best(image, [handle.left() // 2], ys, background) if handle.left() > 8 else None
    knob = _best(image, range(handle.left(), handle.right() + 1), range(handle.top(), handle.bottom() + 1),
                 background)
    return rest, played, knob


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_time_slider_stands_out_at_t0_and_while_running(qtbot, live, dark):
    if dark:
        pal = QPalette(QApplication.palette())
        for role, colour in DARK_WINDOW.items():
            pal.setColor(getattr(QPalette.ColorRole, role), QColor(colour))
        QApplication.setPalette(pal)
        qtbot.wait(20)
    slider = live.controls.slider
    assert slider.isVisible() and slider.isEnabled()
    assert (slider.parentWidget().palette().color(QPalette.ColorRole.Window).lightness() < 128) == dark
    # t = 0 (nothing played yet)
    rest, _played, knob = _measure(qtbot, slider)
    assert rest >= 3.0, f"groove {rest:.2f}:1"
    assert knob >= 3.0, f"handle {knob:.2f}:1"
    # part-way through a run (the slider shows its played part too)
    slider.setValue((slider.minimum() + slider.maximum()) // 3)
    rest, played, knob = _measure(qtbot, slider)
    assert rest >= 3.0 and knob >= 3.0, (rest, knob)
    assert played is not None and played >= 3.0, played
