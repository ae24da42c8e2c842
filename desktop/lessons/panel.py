"""The lesson's on-screen parts: the Lesson dock (title, step, caption, question, buttons) and the caption bar.

Both read ``LessonPlayer.view(lang)`` whenever the player changes or the language switches; the captions come
from the lesson file in the current language, the chrome (buttons, "Step 2 of 3") from Qt's translations.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desktop.style import DARK, LIGHT, Theme

# Projector themes: maximal contrast, the Okabe-Ito blue/orange for the question and the answer.
PROJECTOR_LIGHT = {"bg": "#FFFFFF", "fg": "#000000", "question": "#0072B2", "answer": "#A04000", "rule": "#000000"}
CAPTION_FAMILIES = ["Noto Sans CJK KR", "NanumGothic", "Nanum Gothic"]  # the first installed one wins
MAX_SHARE = 0.33  # the caption bar's largest share of the screen height
MIN_SHRINK = 0.75
PROJECTOR_DARK = {"bg": "#000000", "fg": "#FFFFFF", "question": "#56B4E9", "answer": "#F0B000", "rule": "#FFFFFF"}


def reasons_tooltip(codes) -> str:
    """The drop reasons a step shows, in words with their code names (what the CLI and the docs call them)."""
    if not codes:
        return ""
    from desktop.i18n import drop_reason_label, drop_reason_tooltip  # noqa: PLC0415

    return "\n".join(f"{drop_reason_label(c)} — {drop_reason_tooltip(c)}" for c in codes)


def _label(word_wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setWordWrap(word_wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class LessonPanel(QWidget):
    """The Lesson dock: what the teacher sees at the desk."""

    next_requested = Signal()
    previous_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("lesson-panel")
        self.title = _label()
        f = self.title.font()
        f.setBold(True)
        f.setPointSizeF(f.pointSizeF() * 1.3)
        self.title.setFont(f)
        self.progress = _label(False)
        self.caption = _label()
        self.question = _label()
        self.question.setObjectName("lesson-question")
        self.choices = _label()
        self.answer = _label()
        self.answer.setObjectName("lesson-answer")
        self.previous_button = QPushButton()
        self.next_button = QPushButton()
        self.previous_button.clicked.connect(self.previous_requested)
        self.next_button.clicked.connect(self.next_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous_button)
        buttons.addWidget(self.next_button)
        # the texts scroll, the buttons stay put below them: "Next" is always where the teacher left it
        content = QWidget()
        texts = QVBoxLayout(content)
        for w in (self.title, self.progress, self.caption, self.question, self.choices, self.answer):
            texts.addWidget(w)
        texts.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._view: dict | None = None
        self.retranslate()

    def show_view(self, view: dict | None) -> None:
        self._view = view
        self.retranslate()

    def retranslate(self) -> None:
        v = self._view
        self.previous_button.setText(self.tr("◀ Previous step"))
        self.previous_button.setToolTip(self.tr("Back to the beginning of the previous step (← or Page Up)"))
        if v is None:
            self.title.setText(self.tr("No lesson open"))
            self.progress.setText(self.tr("Open one from the Lessons menu."))
            for w in (self.caption, self.question, self.choices, self.answer):
                w.setText("")
                w.setVisible(False)
            self.next_button.setText(self.tr("Next step ▶"))
            self.next_button.setEnabled(False)
            self.previous_button.setEnabled(False)
            return
        self.title.setText(v["title"])
        self.progress.setText(self.tr("Step {0} of {1}").format(v["index"], v["count"]))
        self.caption.setText(v["caption"] or "")
        self.caption.setVisible(bool(v["caption"]))
        self.question.setText(self.tr("Predict: {0}").format(v["question"]) if v["question"] else "")
        self.question.setVisible(bool(v["question"]))
        self.choices.setText("\n".join(f"{chr(0x41 + i)}. {c}" for i, c in enumerate(v["choices"])))
        self.choices.setVisible(bool(v["choices"]) and v["answer"] is None)
        self.answer.setText(self.tr("Answer: {0}").format(v["answer"]) if v["answer"] else "")
        self.answer.setVisible(bool(v["answer"]))
        tip = reasons_tooltip(v.get("reasons", ()))
        self.answer.setToolTip(tip)
        self.caption.setToolTip(tip if v["phase"] != "question" else "")
        phase = v["phase"]
        self.next_button.setEnabled(phase != "done")
        self.previous_button.setEnabled(v["index"] > 1 or phase != "question")
        if phase == "question":
            self.next_button.setText(self.tr("Reveal ▶"))
            self.next_button.setToolTip(self.tr("Play the moment and show the answer (→ or Page Down)"))
        elif phase == "playing":
            self.next_button.setText(self.tr("Skip ahead ▶▶"))
            self.next_button.setToolTip(self.tr("Jump to the end of this step"))
        elif phase == "done":
            self.next_button.setText(self.tr("End of the lesson"))
        else:
            self.next_button.setText(self.tr("Next step ▶"))
            self.next_button.setToolTip(self.tr("Go on to the next step (→ or Page Down)"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class CaptionBar(QFrame):
    """The projector's caption bar: one large, high-contrast block of text under the canvas."""

    height_needed = Signal(int)  # the visible text needs this many pixels of height

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("caption-bar")
        self.head = _label()
        self.text = _label()
        self.question = _label()
        self.choices = _label()
        self.answer = _label()
        self.question.setObjectName("caption-question")
        self.answer.setObjectName("caption-answer")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 10)
        layout.setSpacing(4)
        for w in (self.head, self.text, self.question, self.choices, self.answer):
            layout.addWidget(w)
        self._view: dict | None = None
        self._status = ""
        self._need = 0
        self.set_theme(LIGHT, 1.0)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self._fit_height()

    def set_theme(self, theme: Theme, scale: float) -> None:
        """Type sized for the back of the room: about 1/26 of the screen height for the caption."""
        self._theme, self._scale = theme, scale
        self._shrink = 1.0
        self._style(theme, scale)

    def _style(self, theme: Theme, scale: float) -> None:
        colours = PROJECTOR_DARK if theme is DARK else PROJECTOR_LIGHT
        self.setStyleSheet(
            f"QFrame#caption-bar {{ background: {colours['bg']}; border-top: 3px solid {colours['rule']}; }}"
            f"QFrame#caption-bar QLabel {{ color: {colours['fg']}; background: transparent; }}"
            f"QFrame#caption-bar QLabel#caption-question {{ color: {colours['question']}; }}"
            f"QFrame#caption-bar QLabel#caption-answer {{ color: {colours['answer']}; }}")
        px = max(14, round(28 * scale))
        for w, size, bold in ((self.head, px * 0.75, True), (self.text, px, False), (self.question, px, True),
                              (self.choices, px * 0.86, False), (self.answer, px, True)):
            f = QFont(w.font())
            # one family for Hangul and Latin alike (Korean captions mixed two weights of two fonts)
            f.setFamilies([*CAPTION_FAMILIES, *f.families()])
            f.setPixelSize(max(10, round(size)))
            f.setBold(bold)
            w.setFont(f)
        self._fit_height()

    def _fit_height(self) -> None:
        """Wrapped labels do not grow a dock by themselves: ask for the height the visible text needs."""
        m = self.layout().contentsMargins()
        width = max(200, (self.window().width() if self.window() else 1280) - m.left() - m.right())
        shown = [w for w in (self.head, self.text, self.question, self.choices, self.answer) if not w.isHidden()]
        height = sum(w.heightForWidth(width) if w.wordWrap() else w.sizeHint().height() for w in shown)
        need = height + self.layout().spacing() * max(0, len(shown) - 1) + m.top() + m.bottom() + 6
        screen_h = self.window().height() if self.window() else 720
        if need > MAX_SHARE * screen_h and self._shrink > MIN_SHRINK + 1e-9:
            # a long answer: smaller type (never below 75 %) rather than a canvas squeezed to nothing
            self._shrink = max(MIN_SHRINK, self._shrink - 0.05)
            self._style(self._theme, self._scale * self._shrink)
            return
        self.setMinimumHeight(need)
        if need != self._need:
            self._need = need
            self.height_needed.emit(need)

    def show_view(self, view: dict | None, status: str = "") -> None:
        changed = view != self._view
        self._view = view
        self._status = status
        if changed and getattr(self, "_shrink", 1.0) != 1.0:
            self._shrink = 1.0
            self._style(self._theme, self._scale)
        self.retranslate()

    def retranslate(self) -> None:
        v = self._view
        if v is None:
            self.head.setText(self.tr("Esc leaves projector mode"))
            for w in (self.text, self.question, self.choices, self.answer):
                w.setVisible(False)
            self._fit_height()
            return
        head = self.tr("{0} — step {1} of {2}").format(v["title"], v["index"], v["count"])
        self.head.setText(f"{head}    {self._status}".rstrip())
        # on the projector, the answer replaces the caption once revealed (the desk panel keeps both)
        caption = None if v["answer"] else v["caption"]
        self.text.setText(caption or "")
        self.text.setVisible(bool(caption))
        self.question.setText(v["question"] or "")
        self.question.setVisible(bool(v["question"]))
        choices = v["choices"] if not v["answer"] else []
        self.choices.setText("\n".join(f"{chr(0x41 + i)}. {c}" for i, c in enumerate(choices)))
        self.choices.setVisible(bool(choices))
        self.answer.setText(v["answer"] or "")
        self.answer.setVisible(bool(v["answer"]))
        self.answer.setToolTip(reasons_tooltip(v.get("reasons", ())))
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
