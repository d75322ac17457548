"""The conversation column: the state line, errors and reminders, the talk button and its level
meter, the typed request, what was heard, understood and replied, the choices a question
waits for, and undo and settings. Shows what it is told; the window decides."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.dialog.replies import replies_for
from app.gui.answers import Answer, CalendarView
from app.gui.describe import describe_call
from app.gui.text import UiText
from app.limits import MAX_UTTERANCE_CHARS

LEVEL_FLOOR_DBFS = -60.0
TALK_BUTTON_HEIGHT = 110
SHORT_TALK_BUTTON_HEIGHT = 64
IDLE_STATES = ("ready", "waiting")

STYLE = """
QPushButton#talk { background: #2563eb; color: white; border: none; border-radius: 14px;
                   padding: 14px; }
QPushButton#talk:hover { background: #1d4ed8; }
QPushButton#talk:disabled { background: #9ca3af; color: #f3f4f6; }
QPushButton#talk[listening="true"] { background: #dc2626; }
QPushButton#talk[listening="true"]:hover { background: #b91c1c; }
QProgressBar#level { border: none; background: palette(midlight); border-radius: 3px; }
QProgressBar#level::chunk { background: #16a34a; border-radius: 3px; }
QLabel#error { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;
               border-radius: 6px; padding: 8px; }
QFrame#reminder { background: #e8f0fe; border: 1px solid #aac4f6; border-radius: 6px; }
QLabel#reminder-text { color: #0b2a66; font-weight: bold; }
QGroupBox#exchange { font-weight: bold; }
QLabel#transcript, QLabel#action, QLabel#reply { font-weight: normal; }
QFrame#choices { background: #fff7e6; border: 1px solid #f5d08a; border-radius: 6px; }
QTreeWidget#agenda { border: 1px solid palette(mid); border-radius: 6px;
                     background: palette(base); }
QTreeWidget#agenda::item { padding: 3px 4px; }
QPushButton:checked { font-weight: bold; }
"""


def value_label(name: str) -> QLabel:
    label = QLabel("…")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def state_line(state: str, stage: str, text: UiText) -> str:
    """The state line's words; `stage` names what is loading."""
    lines = {
        "loading": {
            "understanding": text("Loading the language model…"),
            "recognition": text("Loading speech recognition…"),
            "voices": text("Loading the voices…"),
            "calendar": text("Opening the calendar…"),
        }.get(stage, text("Loading models…")),
        "ready": text("Ready: press the button or Space and speak"),
        "listening": text("Listening… press again when you are done"),
        "transcribing": text("Transcribing…"),
        "thinking": text("Thinking…"),
        "speaking": text("Speaking…"),
        "waiting": text("Waiting for your answer: press the button and speak"),
        "unavailable": text("Not ready: see the message above"),
    }
    return lines[state]


class Conversation(QWidget):
    def __init__(self) -> None:
        super().__init__()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(12)
        status_row = QHBoxLayout()
        self.state_label = QLabel()
        self.state_label.setObjectName("state")
        state_font = QFont(self.font())
        state_font.setPointSizeF(state_font.pointSizeF() * 1.15)
        self.state_label.setFont(state_font)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(140)
        self.busy.setTextVisible(False)
        status_row.addWidget(self.state_label, 1)
        status_row.addWidget(self.busy)
        column.addLayout(status_row)

        self.error_banner = QLabel()
        self.error_banner.setObjectName("error")
        self.error_banner.setWordWrap(True)
        self.error_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_banner.hide()
        column.addWidget(self.error_banner)

        self.reminder_box = QFrame()
        self.reminder_box.setObjectName("reminder")
        reminder_row = QHBoxLayout(self.reminder_box)
        self.reminder_label = QLabel()
        self.reminder_label.setObjectName("reminder-text")
        self.reminder_label.setWordWrap(True)
        self.reminder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QPushButton()
        self.dismiss_button.setObjectName("dismiss-reminders")
        reminder_row.addWidget(self.reminder_label, 1)
        reminder_row.addWidget(self.dismiss_button)
        self.reminder_box.hide()
        column.addWidget(self.reminder_box)

        self.talk_button = QPushButton()
        self.talk_button.setObjectName("talk")
        self.talk_button.setMinimumHeight(TALK_BUTTON_HEIGHT)
        self.talk_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        talk_font = QFont(self.font())
        talk_font.setPointSizeF(talk_font.pointSizeF() * 1.6)
        talk_font.setBold(True)
        self.talk_button.setFont(talk_font)
        column.addWidget(self.talk_button)

        self.level_meter = QProgressBar()
        self.level_meter.setObjectName("level")
        self.level_meter.setRange(0, 100)
        self.level_meter.setTextVisible(False)
        self.level_meter.setFixedHeight(6)
        column.addWidget(self.level_meter)

        typing = QHBoxLayout()
        self.request_field = QLineEdit()
        self.request_field.setObjectName("typed-request")
        self.request_field.setMaxLength(MAX_UTTERANCE_CHARS)
        self.send_button = QPushButton()
        self.send_button.setObjectName("send")
        typing.addWidget(self.request_field, 1)
        typing.addWidget(self.send_button)
        column.addLayout(typing)

        self.exchange = QGroupBox()
        self.exchange.setObjectName("exchange")
        form = QFormLayout(self.exchange)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.transcript_label = value_label("transcript")
        self.action_label = value_label("action")
        self.reply_label = value_label("reply")
        reply_font = QFont(self.font())
        reply_font.setPointSizeF(reply_font.pointSizeF() * 1.25)
        self.reply_label.setFont(reply_font)
        self.transcript_caption = QLabel()
        self.action_caption = QLabel()
        self.reply_caption = QLabel()
        for caption in (self.transcript_caption, self.action_caption, self.reply_caption):
            caption.setStyleSheet("color: palette(placeholder-text);")
        form.addRow(self.transcript_caption, self.transcript_label)
        form.addRow(self.action_caption, self.action_label)
        form.addRow(self.reply_caption, self.reply_label)
        # A long question or transcript scrolls inside the conversation instead of squeezing
        # what is below it; the choice buttons stay outside it, always whole and visible.
        self.exchange_scroll = QScrollArea()
        self.exchange_scroll.setObjectName("exchange-scroll")
        self.exchange_scroll.setWidgetResizable(True)
        self.exchange_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.exchange_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.exchange_scroll.setWidget(self.exchange)
        column.addWidget(self.exchange_scroll, 1)
        self.choice_box = QFrame()
        self.choice_box.setObjectName("choices")
        self.choice_box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.choice_layout = QVBoxLayout(self.choice_box)
        self._answer_with_keyboard: str | None = None
        """The answer button that had the keyboard when the answers were turned off while
        busy: it gets the keyboard back when they take answers again."""
        self.choice_box.hide()
        column.addWidget(self.choice_box)

        actions = QHBoxLayout()
        self.undo_button = QPushButton()
        self.undo_button.setObjectName("undo")
        self.undo_button.setEnabled(False)
        self.settings_button = QPushButton()
        self.settings_button.setObjectName("settings")
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        actions.addWidget(self.settings_button)
        column.addLayout(actions)

    def retranslate(self, text: UiText, answered_once: bool) -> None:
        self.exchange.setTitle(text("Conversation"))
        self.transcript_caption.setText(text("You said"))
        self.action_caption.setText(text("Understood"))
        self.reply_caption.setText(text("Reply"))
        self.undo_button.setText(text("Undo last change"))
        self.settings_button.setText(text("Settings…"))
        self.request_field.setPlaceholderText(text("Or type a request and press Enter"))
        self.request_field.setAccessibleName(text("Type a request"))
        self.send_button.setText(text("Send"))
        self.reminder_box.setAccessibleName(text("Reminders"))
        self.dismiss_button.setText(text("Dismiss"))
        self.talk_button.setAccessibleName(text("Talk (Space)"))
        self.level_meter.setAccessibleName(text("Microphone level"))
        self.transcript_label.setAccessibleName(text("You said"))
        self.action_label.setAccessibleName(text("Understood"))
        self.reply_label.setAccessibleName(text("Reply"))
        if not answered_once:
            self.reply_label.setText(
                text(
                    "Say, for example: \u201cWhat's on my calendar tomorrow?\u201d or"
                    " \u201cTrag mir Freitag um halb drei den Zahnarzt ein.\u201d"
                )
            )

    def show_state(self, state: str, stage: str, text: UiText, can_undo: bool) -> None:
        self.state_label.setText(state_line(state, stage, text))
        self.busy.setVisible(state in ("loading", "transcribing", "thinking", "speaking"))
        listening = state == "listening"
        self.talk_button.setText(
            text("\u25a0  Stop listening") if listening else text("\u25cf  Press to talk")
        )
        if self.talk_button.property("listening") != listening:
            self.talk_button.setProperty("listening", listening)
            self.talk_button.style().unpolish(self.talk_button)
            self.talk_button.style().polish(self.talk_button)
        idle = state in IDLE_STATES
        self.talk_button.setEnabled(idle or listening)
        self.request_field.setEnabled(idle)
        self.send_button.setEnabled(idle)
        self._keep_answer_keyboard(idle)
        self.undo_button.setEnabled(idle and can_undo)
        self.settings_button.setEnabled(not listening)
        if not listening:
            self.level_meter.setValue(0)

    def _keep_answer_keyboard(self, idle: bool) -> None:
        """Turn the answer buttons on or off. A disabled button loses the keyboard, so the one
        that had it (Enter's yes) gets it back when they are on again."""
        focused = self._focused_answer()
        if not idle and focused is not None:
            self._answer_with_keyboard = focused
        self.choice_box.setEnabled(idle)
        if idle and self._answer_with_keyboard is not None:
            self._give_keyboard_to(self._answer_with_keyboard)
            self._answer_with_keyboard = None

    def _focused_answer(self) -> str | None:
        """The name of the answer button that has the keyboard, if one has."""
        focus = self.window().focusWidget()
        if focus is not None and self.choice_box.isAncestorOf(focus):
            return focus.objectName()
        return None

    def _give_keyboard_to(self, name: str) -> None:
        buttons = {b.objectName(): b for b in self.choice_box.findChildren(QPushButton)}
        button = buttons.get(name)
        if button is not None and button.isVisible() and button.isEnabled():
            button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_level(self, rms_dbfs: float) -> None:
        share = (max(LEVEL_FLOOR_DBFS, min(0.0, rms_dbfs)) - LEVEL_FLOOR_DBFS) / -LEVEL_FLOOR_DBFS
        self.level_meter.setValue(round(100 * share))

    def set_short(self, short: bool) -> None:
        """On a short window the big button gives the conversation room to read a question."""
        self.talk_button.setMinimumHeight(SHORT_TALK_BUTTON_HEIGHT if short else TALK_BUTTON_HEIGHT)

    def show_error(self, message: str) -> None:
        self.error_banner.setText(message)
        self.error_banner.show()

    def clear_error(self) -> None:
        self.error_banner.hide()
        self.error_banner.clear()

    def clear_choices(self) -> None:
        self._answer_with_keyboard = None
        clear_layout(self.choice_layout)
        self.choice_box.hide()

    def offer_choices(
        self,
        view: CalendarView,
        text: UiText,
        confirm: Callable[[int], None],
        cancel: Callable[[], None],
    ) -> None:
        """What the dialog waits for: yes or no for one event, a button per event for several,
        and a way out of a question. Shown again for the same question, the answer that had
        the keyboard keeps it."""
        focused = self._focused_answer()
        clear_layout(self.choice_layout)
        if view.pending is None:
            self.choice_box.hide()
            return
        replies = replies_for(text.language)
        answers = QHBoxLayout()
        choosing = view.pending in ("delete", "move", "edit")
        if choosing and len(view.candidates) == 1:
            yes = QPushButton(
                text("Yes, delete it")
                if view.pending == "delete"
                else text("Yes, move it")
                if view.pending == "move"
                else text("Yes, change it")
            )
            yes.setObjectName("confirm-0")
            yes.clicked.connect(lambda: confirm(0))
            answers.addWidget(yes)
        elif choosing:
            for index, occurrence in enumerate(view.candidates):
                button = QPushButton(replies.event(occurrence, view.today))
                button.setObjectName(f"confirm-{index}")
                button.setStyleSheet("text-align: left; padding: 4px 8px;")
                button.clicked.connect(lambda _checked=False, choice=index: confirm(choice))
                self.choice_layout.addWidget(button)
        no = QPushButton(text("No, keep it") if choosing else text("Never mind"))
        no.setObjectName("cancel")
        no.clicked.connect(cancel)
        answers.addWidget(no)
        answers.addStretch(1)
        self.choice_layout.addLayout(answers)
        for button in self.choice_box.findChildren(QPushButton):
            button.setAutoDefault(True)  # Enter answers with the button that has the focus
        self.choice_box.setAccessibleName(text("Your answer"))
        self.choice_box.show()
        if focused is not None:
            self._give_keyboard_to(focused)

    def show_answer(self, answer: Answer, text: UiText, today: date) -> None:
        """What was heard (or typed), what was understood, and the reply."""
        outcome, turn = answer.outcome, answer.turn
        if turn is not None:
            self.transcript_label.setText(turn.text or "…")
            self.transcript_caption.setText(text("You wrote") if answer.typed else text("You said"))
        understanding = turn.understanding if turn is not None else None
        call = understanding.call if understanding is not None else outcome.call
        if outcome.status == "no_speech":
            self.action_label.clear()
        elif answer.action is not None:
            self.action_label.setText(answer.action)
        elif call is not None:
            self.action_label.setText(describe_call(call, text, today))
        self.reply_label.setText(outcome.message)
        self.exchange_scroll.ensureWidgetVisible(self.reply_label)


def clear_layout(layout: QLayout) -> None:
    """Remove and delete everything in `layout`, nested layouts included."""
    while layout.count():
        item = layout.takeAt(0)
        if item is None:
            continue
        widget, inner = item.widget(), item.layout()
        if widget is not None:
            # Out of the window at once: until Qt deletes it, it would still be found
            # among the window's children (an old "Yes" taking the keyboard).
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif inner is not None:
            clear_layout(inner)
            inner.deleteLater()
