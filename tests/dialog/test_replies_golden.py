"""Every kind of reply, per language, against a reviewed golden file. After changing a reply
template on purpose, run with UPDATE_GOLDEN=1 and review the diff of the golden file."""

import json
import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.dialog import Dialog
from app.resolve import ResolvedCall, apply_policy
from calendar_backend import CalendarStore
from tests.conftest import BERLIN

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
SATURDAY = date(2026, 3, 28)
SERIES = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:yoga\r\n"
    "DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260302T180000\r\n"
    "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Yoga\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def conversation(dialog: Dialog, language: str) -> dict[str, str]:
    """Walk through every reply the dialog can give; name → message."""

    def call(function: str, **arguments: object) -> ResolvedCall:
        return apply_policy(ResolvedCall(function, language, dict(arguments)), NOW)

    def create(**arguments: object) -> ResolvedCall:
        values = {"title": None, "date": None, "time": None, "duration_minutes": None}
        return call("create_event", **{**values, **arguments})

    said: dict[str, str] = {}
    said["created"] = dialog.handle(
        create(title="Zahnarzt", date=SATURDAY, time=time(15)), NOW
    ).message
    said["created_conflict"] = dialog.handle(
        create(title="Team", date=SATURDAY, time=time(15, 30)), NOW
    ).message
    said["created_all_day"] = dialog.handle(
        create(title="Urlaub", date=date(2026, 4, 1)), NOW
    ).message
    said["created_days"] = dialog.handle(
        create(title="Reise", date=date(2026, 4, 6), duration_minutes=3 * 1440), NOW
    ).message
    said["created_next_year"] = dialog.handle(
        create(title="Neujahr", date=date(2027, 1, 1), time=time(11, 15)), NOW
    ).message
    said["list_none"] = dialog.handle(
        call("list_events", start_date=NOW.date(), end_date=NOW.date()), NOW
    ).message
    tomorrow = NOW.date() + timedelta(days=1)
    said["list_none_tomorrow"] = dialog.handle(
        call("list_events", start_date=tomorrow, end_date=tomorrow), NOW
    ).message
    said["list_day"] = dialog.handle(
        call("list_events", start_date=SATURDAY, end_date=SATURDAY), NOW
    ).message
    said["list_week"] = dialog.handle(
        call("list_events", start_date=date(2026, 3, 30), end_date=date(2026, 4, 5)), NOW
    ).message
    said["list_one"] = dialog.handle(
        call("list_events", start_date=date(2026, 4, 1), end_date=date(2026, 4, 1)), NOW
    ).message
    said["ask_date"] = dialog.handle(create(title="Friseur"), NOW).message
    said["ask_title"] = dialog.handle(create(date=SATURDAY), NOW).message
    said["ask_time"] = dialog.handle(
        create(title="Call", date=SATURDAY, duration_minutes=30), NOW
    ).message
    said["ask_delete"] = dialog.handle(call("delete_event", title=None, date=None), NOW).message
    said["cancelled"] = dialog.cancel().message
    said["choose"] = dialog.handle(call("delete_event", title=None, date=SATURDAY), NOW).message
    dialog.cancel()
    said["confirm_delete"] = dialog.handle(
        call("delete_event", title="Zahnarzt", date=SATURDAY), NOW
    ).message
    said["deleted"] = dialog.confirm(0, NOW).message
    said["not_found_title_day"] = dialog.handle(
        call("delete_event", title="Kino", date=SATURDAY), NOW
    ).message
    said["not_found_title"] = dialog.handle(
        call("delete_event", title="Kino", date=None), NOW
    ).message
    said["not_found_day"] = dialog.handle(
        call("delete_event", title=None, date=date(2026, 5, 5)), NOW
    ).message
    said["undone_deleted"] = dialog.undo(language, NOW).message
    said["undone_created"] = dialog.undo(language, NOW).message
    dialog.store.path.write_text(SERIES, newline="")
    monday = date(2026, 3, 30)
    said["confirm_delete_occurrence"] = dialog.handle(
        call("delete_event", title="Yoga", date=monday), NOW
    ).message
    said["deleted_occurrence"] = dialog.confirm(0, NOW).message
    said["undone_occurrence"] = dialog.undo(language, NOW).message
    untouched = CalendarStore(
        dialog.store.path.with_name("untouched.ics"),
        zone=BERLIN,
        backup_dir=dialog.store.backup_dir,
    )
    said["nothing_to_undo"] = Dialog(untouched).undo(language, NOW).message
    said["nothing_pending"] = dialog.confirm(0, NOW).message
    said["rejected"] = dialog.handle(ResolvedCall("none", language, {}), NOW).message
    said.update(newer_replies(dialog, language, call, create))
    return said


def newer_replies(dialog: Dialog, language: str, call, create) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Moving, repeating, reminding and finding."""
    said: dict[str, str] = {}
    said["created_series"] = dialog.handle(
        create(
            title="Schwimmen",
            time=time(8),
            recurrence="FREQ=WEEKLY;UNTIL=20260630;BYDAY=TH",
            date=date(2026, 4, 2),
            reminder_minutes=15,
        ),
        NOW,
    ).message
    said["created_reminder_at_start"] = dialog.handle(
        create(title="Müll", date=date(2026, 4, 3), time=time(7), reminder_minutes=0), NOW
    ).message
    said["find_next"] = dialog.handle(
        call(
            "list_events",
            start_date=NOW.date(),
            end_date=date(2027, 3, 26),
            title="Schwimmen",
        ),
        NOW,
    ).message
    said["find_none"] = dialog.handle(
        call("list_events", start_date=NOW.date(), end_date=date(2027, 3, 26), title="Kino"),
        NOW,
    ).message

    def move(**arguments: object) -> ResolvedCall:
        values = {"title": None, "date": None, "new_date": None, "new_time": None}
        return call("move_event", **{**values, "relative_move": None, **arguments})

    said["ask_move_where"] = dialog.handle(move(title="Müll"), NOW).message
    said["ask_move_which"] = dialog.handle(move(new_time=time(9)), NOW).message
    said["confirm_move"] = dialog.handle(move(title="Müll", new_date=date(2026, 4, 2)), NOW).message
    said["moved"] = dialog.confirm(0, NOW).message
    said["undone_moved"] = dialog.undo(language, NOW).message
    said["confirm_move_occurrence"] = dialog.handle(
        move(
            title="Schwimmen",
            date=date(2026, 4, 9),
            relative_move="eine Stunde später" if language == "de" else "an hour later",
        ),
        NOW,
    ).message
    said["moved_occurrence"] = dialog.confirm(0, NOW).message
    dialog.store.create("Chor", datetime(2026, 4, 2, 18, 0, tzinfo=BERLIN))
    said["choose_move"] = dialog.handle(move(date=date(2026, 4, 2), new_time=time(9)), NOW).message
    dialog.cancel()
    said["ask_recurrence"] = dialog.handle(
        apply_policy(
            ResolvedCall(
                "create_event",
                language,
                {
                    "title": "Chor",
                    "date": None,
                    "time": None,
                    "duration_minutes": None,
                    "recurrence": None,
                    "reminder_minutes": None,
                },
            ),
            NOW,
            unreadable=("recurrence",),
        ),
        NOW,
    ).message
    return said


@pytest.mark.parametrize("language", ["de", "en"])
def test_replies_match_the_golden_file(make_store, language):
    said = conversation(Dialog(make_store()), language)
    golden = GOLDEN / f"replies_{language}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(json.dumps(said, ensure_ascii=False, indent=2) + "\n")
    assert said == json.loads(golden.read_text())


def test_both_languages_have_the_same_replies():
    german = json.loads((GOLDEN / "replies_de.json").read_text())
    english = json.loads((GOLDEN / "replies_en.json").read_text())
    assert german.keys() == english.keys()
    assert all(german[key] != english[key] for key in german)
