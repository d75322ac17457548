from datetime import date, datetime, time, timedelta

import pytest

from app.dialog import Dialog
from app.resolve import ResolvedCall, apply_policy
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday
SATURDAY = date(2026, 3, 28)

TITLES = {"de": "Zahnarzt", "en": "Dentist"}


def call(function, language, **arguments):
    return apply_policy(ResolvedCall(function, language, arguments), NOW)


def create(language, title=None, day=None, at=None, minutes=None):
    return call("create_event", language, title=title, date=day, time=at, duration_minutes=minutes)


@pytest.fixture
def dialog(make_store):
    return Dialog(make_store())


def add(dialog, title, start, minutes=60):
    return dialog.store.create(title, start, timedelta(minutes=minutes))


def titles_on(dialog, day):
    return [o.title for o in dialog.store.occurrences(day, day)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_create_writes_the_event_and_says_when(dialog, language):
    title = TITLES[language]
    outcome = dialog.handle(create(language, title, SATURDAY, time(15, 0), 90), NOW)
    assert outcome.status == "done"
    assert titles_on(dialog, SATURDAY) == [title]
    (event,) = outcome.events
    assert event.start == datetime(2026, 3, 28, 15, 0, tzinfo=BERLIN)
    assert event.end == datetime(2026, 3, 28, 16, 30, tzinfo=BERLIN)
    expected = {
        "de": "Ich habe Zahnarzt am Samstag, 28. März um 15:00 eingetragen.",
        "en": "I added Dentist on Saturday, March 28 at 3:00 PM.",
    }
    assert outcome.message == expected[language]


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_conflict_is_mentioned_but_the_event_is_created(dialog, language):
    add(dialog, "Team", datetime(2026, 3, 28, 14, 30))
    outcome = dialog.handle(create(language, TITLES[language], SATURDAY, time(15, 0)), NOW)
    assert outcome.status == "done"
    assert sorted(titles_on(dialog, SATURDAY)) == sorted(["Team", TITLES[language]])
    assert "Team" in outcome.message
    assert ("überschneidet" if language == "de" else "overlaps") in outcome.message


def test_a_date_without_time_is_an_all_day_event(dialog):
    outcome = dialog.handle(create("de", "Urlaub", SATURDAY), NOW)
    (event,) = outcome.events
    assert event.all_day and event.start == SATURDAY and event.end == SATURDAY + timedelta(1)
    assert outcome.message == "Ich habe Urlaub am Samstag, 28. März ganztägig eingetragen."


def test_several_days_all_day(dialog):
    outcome = dialog.handle(create("en", "Vacation", SATURDAY, minutes=3 * 24 * 60), NOW)
    (event,) = outcome.events
    assert event.end == SATURDAY + timedelta(days=3)
    assert "from Saturday, March 28 to Monday, March 30" in outcome.message


def test_a_year_other_than_this_one_is_said(dialog):
    outcome = dialog.handle(create("de", "Neujahr", date(2027, 1, 1), time(0, 30)), NOW)
    assert "Freitag, 1. Januar 2027 um 00:30" in outcome.message


@pytest.mark.parametrize(
    ("language", "answer", "question"),
    [
        ("de", "morgen um drei", "Wann soll der Termin stattfinden?"),
        ("en", "tomorrow at three", "When should the appointment be?"),
    ],
)
def test_a_missing_date_is_asked_for_and_the_answer_completes_the_request(
    dialog, language, answer, question
):
    outcome = dialog.handle(create(language, TITLES[language]), NOW)
    assert outcome.status == "needs_input"
    assert outcome.message == question
    assert dialog.store.occurrences(NOW.date(), NOW.date() + timedelta(days=30)) == []
    done = dialog.follow_up(answer, NOW)
    assert done is not None and done.status == "done"
    (event,) = done.events
    assert event.start == datetime(2026, 3, 27, 15, 0, tzinfo=BERLIN)
    assert event.end - event.start == timedelta(hours=1)


def test_a_missing_title_is_asked_for(dialog):
    outcome = dialog.handle(create("de", None, SATURDAY, time(9, 0)), NOW)
    assert (outcome.status, outcome.message) == ("needs_input", "Wie soll der Termin heißen?")
    done = dialog.follow_up("Friseur", NOW)
    assert done is not None and done.status == "done"
    assert titles_on(dialog, SATURDAY) == ["Friseur"]


def test_no_to_a_question_cancels(dialog):
    dialog.handle(create("en", "Dentist"), NOW)
    outcome = dialog.follow_up("no", NOW)
    assert outcome is not None and outcome.status == "done"
    assert dialog.pending is None


def test_a_duration_without_a_time_asks_for_the_time(dialog):
    outcome = dialog.handle(create("en", "Dentist", SATURDAY, minutes=60), NOW)
    assert (outcome.status, outcome.message) == ("needs_input", "At what time?")
    done = dialog.follow_up("half past four", NOW)
    assert done is not None
    (event,) = done.events
    assert event.start == datetime(2026, 3, 28, 16, 30, tzinfo=BERLIN)


@pytest.mark.parametrize(("language", "yes"), [("de", "ja bitte"), ("en", "yes")])
def test_delete_waits_for_yes(dialog, language, yes):
    add(dialog, "Zahnarzt", datetime(2026, 3, 28, 15, 0))
    outcome = dialog.handle(call("delete_event", language, title="Zahnarzt", date=None), NOW)
    assert outcome.status == "needs_confirmation"
    assert titles_on(dialog, SATURDAY) == ["Zahnarzt"]
    done = dialog.follow_up(yes, NOW)
    assert done is not None and done.status == "done"
    assert titles_on(dialog, SATURDAY) == []


def test_delete_no_keeps_the_event(dialog):
    add(dialog, "Zahnarzt", datetime(2026, 3, 28, 15, 0))
    dialog.handle(call("delete_event", "de", title="Zahnarzt", date=SATURDAY), NOW)
    outcome = dialog.follow_up("nein", NOW)
    assert outcome is not None and outcome.message == "Gut, ich lasse alles, wie es ist."
    assert titles_on(dialog, SATURDAY) == ["Zahnarzt"]


def test_confirmed_up_front_deletes_at_once(dialog):
    add(dialog, "Zahnarzt", datetime(2026, 3, 28, 15, 0))
    outcome = dialog.handle(
        call("delete_event", "de", title="zahnarzt", date=SATURDAY), NOW, confirmed=True
    )
    assert outcome.status == "done"
    assert outcome.message == "Ich habe Zahnarzt am Samstag, 28. März um 15:00 gelöscht."
    assert titles_on(dialog, SATURDAY) == []


def test_several_matches_ask_which_one_even_when_confirmed(dialog):
    add(dialog, "Meeting", datetime(2026, 3, 28, 9, 0))
    add(dialog, "Meeting", datetime(2026, 3, 28, 14, 0))
    outcome = dialog.handle(
        call("delete_event", "en", title="meeting", date=SATURDAY), NOW, confirmed=True
    )
    assert outcome.status == "needs_confirmation"
    assert len(outcome.events) == 2
    assert outcome.message.startswith("I found 2 matching appointments")
    done = dialog.follow_up("the second one", NOW)
    assert done is not None and done.status == "done"
    remaining = dialog.store.occurrences(SATURDAY, SATURDAY)
    assert [o.start.hour for o in remaining] == [9]


def test_a_clearly_better_title_match_is_taken_when_confirmed(dialog):
    add(dialog, "Meeting", datetime(2026, 3, 28, 9, 0))
    add(dialog, "Meeting mit Anna", datetime(2026, 3, 28, 14, 0))
    outcome = dialog.handle(
        call("delete_event", "de", title="Meeting mit Anna", date=SATURDAY), NOW, confirmed=True
    )
    assert outcome.status == "done"
    assert titles_on(dialog, SATURDAY) == ["Meeting"]


def test_one_occurrence_of_a_series_is_deleted_not_the_series(dialog):
    series = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:yoga\r\n"
        "DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260302T180000\r\n"
        "DURATION:PT1H\r\nRRULE:FREQ=WEEKLY\r\nSUMMARY:Yoga\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    dialog.store.path.write_text(series, newline="")
    monday = date(2026, 3, 30)
    outcome = dialog.handle(
        call("delete_event", "de", title="Yoga", date=monday), NOW, confirmed=True
    )
    assert outcome.message == "Ich habe Yoga am Montag, 30. März um 18:00 aus der Serie gelöscht."
    assert titles_on(dialog, monday) == []
    assert titles_on(dialog, monday + timedelta(days=7)) == ["Yoga"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_nothing_found_to_delete_is_an_error_that_says_so(dialog, language):
    outcome = dialog.handle(call("delete_event", language, title="Zahnarzt", date=SATURDAY), NOW)
    assert outcome.status == "error"
    assert "Zahnarzt" in outcome.message


@pytest.mark.parametrize("language", ["de", "en"])
def test_list_a_day(dialog, language):
    add(dialog, "Zahnarzt", datetime(2026, 3, 28, 15, 0))
    add(dialog, "Frühstück", datetime(2026, 3, 28, 8, 30))
    outcome = dialog.handle(
        call("list_events", language, start_date=SATURDAY, end_date=SATURDAY), NOW
    )
    assert outcome.status == "done"
    assert [o.title for o in outcome.events] == ["Frühstück", "Zahnarzt"]
    expected = {
        "de": "Am Samstag, 28. März hast du 2 Termine: Frühstück um 08:30 und Zahnarzt um 15:00.",
        "en": "On Saturday, March 28 you have 2 appointments: "
        "Frühstück at 8:30 AM and Zahnarzt at 3:00 PM.",
    }
    assert outcome.message == expected[language]


def test_list_without_a_range_is_today(dialog):
    add(dialog, "Standup", datetime(2026, 3, 26, 11, 0))
    outcome = dialog.handle(call("list_events", "en", start_date=None, end_date=None), NOW)
    assert outcome.message == "Today you have one appointment: Standup at 11:00 AM."


def test_a_long_list_is_cut_and_counted(dialog):
    for hour in range(8, 18):
        add(dialog, f"Termin {hour}", datetime(2026, 3, 28, hour, 0), minutes=30)
    outcome = dialog.handle(call("list_events", "de", start_date=SATURDAY, end_date=SATURDAY), NOW)
    assert len(outcome.events) == 10
    assert outcome.message.endswith("und 4 weitere.")


def test_undo_reverts_the_last_change(dialog):
    dialog.handle(create("de", "Zahnarzt", SATURDAY, time(15, 0)), NOW)
    assert dialog.can_undo()
    outcome = dialog.undo("de", NOW)
    assert outcome.status == "done"
    assert outcome.message.startswith("Rückgängig gemacht: Zahnarzt am Samstag")
    assert titles_on(dialog, SATURDAY) == []
    again = dialog.undo("de", NOW)
    assert (again.status, again.message) == ("error", "Es gibt nichts rückgängig zu machen.")


def test_undo_of_a_delete_brings_the_event_back(dialog):
    add(dialog, "Zahnarzt", datetime(2026, 3, 28, 15, 0))
    dialog.handle(call("delete_event", "en", title="Zahnarzt", date=None), NOW, confirmed=True)
    outcome = dialog.undo("en", NOW)
    assert outcome.message.startswith("Undone: Zahnarzt on Saturday, March 28")
    assert titles_on(dialog, SATURDAY) == ["Zahnarzt"]


@pytest.mark.parametrize("language", ["de", "en"])
def test_not_a_calendar_request_is_rejected(dialog, language):
    outcome = dialog.handle(ResolvedCall("none", language, {}), NOW)
    assert outcome.status == "rejected"
    assert outcome.language == language


def test_a_new_request_drops_what_was_pending(dialog):
    add(dialog, "Zahnarzt", datetime(2026, 3, 28, 15, 0))
    dialog.handle(call("delete_event", "de", title="Zahnarzt", date=None), NOW)
    dialog.handle(call("list_events", "de", start_date=SATURDAY, end_date=SATURDAY), NOW)
    assert dialog.pending is None
    assert dialog.follow_up("ja", NOW) is None
    assert titles_on(dialog, SATURDAY) == ["Zahnarzt"]


def test_outcome_json_has_the_contract_fields(dialog):
    outcome = dialog.handle(create("en", "Dentist", SATURDAY, time(15, 0)), NOW)
    data = outcome.to_json()
    assert data["status"] == "done"
    (event,) = data["events"]
    assert {"uid", "title", "start", "end"} <= set(event)
    assert event["start"] == "2026-03-28T15:00:00+01:00"


def test_an_unreadable_range_is_asked_for_and_a_range_answers(dialog):
    add(dialog, "Zahnarzt", datetime(2026, 3, 31, 15, 0))
    outcome = dialog.handle(
        ResolvedCall(
            "list_events", "de", {"start_date": None, "end_date": None}, ("start_date", "end_date")
        ),
        NOW,
    )
    assert (outcome.status, outcome.message) == ("needs_input", "Für welchen Tag?")
    done = dialog.follow_up("nächste Woche", NOW)
    assert done is not None and [o.title for o in done.events] == ["Zahnarzt"]
