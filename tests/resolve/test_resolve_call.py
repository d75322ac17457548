from datetime import date, datetime, time

import pytest

from app.nlu.call_format import parse_call, render
from app.resolve import clean_title, resolve_call
from tests.conftest import BERLIN

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)  # a Thursday


def resolved(function, language, now=NOW, **phrases):
    return resolve_call(parse_call(render(function, phrases)), language, now)


def test_the_contract_example():
    call = resolved(
        "create_event",
        "de",
        title="Zahnarzt",
        date="morgen",
        time="um 15 Uhr",
        duration="für eine Stunde",
    )
    assert call.arguments_json() == {
        "title": "Zahnarzt",
        "date": "2026-03-27",
        "time": "15:00",
        "duration_minutes": 60,
        "recurrence": None,
        "reminder_minutes": None,
    }
    assert call.missing == ()


def test_the_product_example():
    call = resolved(
        "create_event",
        "de",
        title="Zahnarzt",
        date="nächsten Freitag",
        time="halb drei",
        duration="eine Stunde",
    )
    assert call.arguments == {
        "title": "Zahnarzt",
        "date": date(2026, 3, 27),
        "time": time(14, 30),
        "duration_minutes": 60,
        "recurrence": None,
        "reminder_minutes": None,
    }


def test_default_duration_is_an_hour_for_a_timed_event():
    call = resolved("create_event", "en", title="dentist", date="tomorrow", time="at 3 pm")
    assert call.arguments["duration_minutes"] == 60
    assert call.arguments["title"] == "Dentist"


def test_a_date_without_time_is_all_day():
    call = resolved("create_event", "en", title="Vacation", date="on Saturday")
    assert call.arguments["time"] is None
    assert call.arguments["duration_minutes"] == 24 * 60
    assert call.missing == ()


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN), date(2026, 3, 26)),
        (datetime(2026, 3, 26, 19, 0, tzinfo=BERLIN), date(2026, 3, 27)),
    ],
)
def test_a_time_without_date_is_its_next_coming(now, expected):
    call = resolved("create_event", "de", now=now, title="Zahnarzt", time="um 18 Uhr")
    assert call.arguments["date"] == expected
    assert call.missing == ()


def test_nothing_but_a_title_asks_for_the_date():
    call = resolved("create_event", "de", title="Zahnarzt")
    assert call.missing == ("date",)


def test_a_phrase_that_cannot_be_read_is_missing_not_guessed():
    call = resolved("create_event", "de", title="Zahnarzt", date="blubberdi", time="um 15 Uhr")
    assert call.arguments["date"] is None
    assert call.missing == ("date",)


def test_a_duration_without_time_needs_the_time():
    call = resolved("create_event", "en", title="Call", date="tomorrow", duration="two hours")
    assert "time" in call.missing


def test_an_end_time_gives_the_duration():
    call = resolved(
        "create_event", "de", title="Sport", date="heute", time="von 17", duration="bis 19 Uhr"
    )
    assert call.arguments["time"] == time(17, 0)
    assert call.arguments["duration_minutes"] == 120


@pytest.mark.parametrize(
    ("language", "date_phrase", "time_phrase", "duration_phrase", "start", "minutes"),
    [
        ("de", "morgen", "von 10 bis 12 Uhr", None, "10:00", 120),
        ("de", "am Freitag", "zwischen 14 und 16:30 Uhr", None, "14:00", 150),
        ("de", "heute Abend", "von 8 bis 10", None, "20:00", 120),
        ("de", "morgen", "von 10 bis 12 Uhr", "eine Stunde", "10:00", 60),
        ("de", "morgen", "11.", None, "11:00", 60),
        ("en", "tomorrow", "from 2 to 4 pm", None, "14:00", 120),
        ("en", "on Monday", "10 am to 2 pm", None, "10:00", 240),
        ("en", "tomorrow", "from 2 to 4 pm", "from 2 to 4 pm", "14:00", 120),
        ("en", "on Thursday", "1.", None, "13:00", 60),
    ],
)
def test_a_clock_span_as_the_time_gives_the_start_and_the_length(
    language, date_phrase, time_phrase, duration_phrase, start, minutes
):
    call = resolved(
        "create_event",
        language,
        title="Workshop",
        date=date_phrase,
        time=time_phrase,
        duration=duration_phrase,
    )
    assert call.arguments_json()["time"] == start
    assert call.arguments_json()["duration_minutes"] == minutes
    assert call.missing == ()


def test_delete_needs_a_title_or_a_day():
    assert resolved("delete_event", "en").missing == ("title",)
    assert resolved("delete_event", "en", date="tomorrow").missing == ()
    assert resolved("delete_event", "en", title="dentist").missing == ()


def test_list_without_range_is_today_and_a_week_is_a_span():
    assert resolved("list_events", "en").arguments_json() == {
        "start_date": "2026-03-26",
        "end_date": "2026-03-26",
        "title": None,
    }
    week = resolved("list_events", "de", range="nächste Woche").arguments_json()
    assert week == {"start_date": "2026-03-30", "end_date": "2026-04-05", "title": None}


def test_an_unreadable_range_is_missing():
    call = resolved("list_events", "de", range="quatsch mit soße")
    assert set(call.missing) == {"start_date", "end_date"}


def test_none_has_no_arguments():
    call = resolved("none", "de")
    assert (call.arguments, call.missing) == ({}, ())


@pytest.mark.parametrize(
    ("phrase", "title"),
    [
        ("zahnarzt", "Zahnarzt"),
        ("meeting with Tom", "meeting with Tom"),
        ("  lunch  with   anna. ", "Lunch with anna"),
        ("iPhone-Kurs", "iPhone-Kurs"),
    ],
)
def test_clean_title(phrase, title):
    assert clean_title(phrase) == title


def test_a_start_relative_to_now():
    call = resolved("create_event", "de", title="Anruf", time="in zwei Stunden")
    assert (call.arguments["date"], call.arguments["time"]) == (date(2026, 3, 26), time(12, 0))
    late = datetime(2026, 3, 26, 23, 30, tzinfo=BERLIN)
    call = resolved("create_event", "en", now=late, title="Call", time="in an hour")
    assert (call.arguments["date"], call.arguments["time"]) == (date(2026, 3, 27), time(0, 30))


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "appointment"),
        ("en", "the Appointment."),
        ("en", "my next appointment"),
        ("en", "that one"),
        ("de", "Termin"),
        ("de", "den Termin"),
        ("de", "meinen nächsten Termin"),
        ("de", "einen neuen Eintrag"),
    ],
)
def test_a_title_that_only_names_the_kind_of_thing_is_no_title(language, title):
    deletion = resolved("delete_event", language, title=title)
    assert deletion.arguments["title"] is None
    assert deletion.missing == ("title",)
    tomorrow = {"de": "morgen", "en": "tomorrow"}[language]
    creation = resolved("create_event", language, title=title, date=tomorrow)
    assert creation.missing == ("title",)


@pytest.mark.parametrize(
    ("language", "title", "kept", "named"),
    [
        ("en", "the dentist appointment", "The dentist appointment", "Dentist appointment"),
        ("en", "meeting", "Meeting", "Meeting"),
        ("en", "Event planning", "Event planning", "Event planning"),
        ("de", "Termin beim Zahnarzt", "Termin beim Zahnarzt", "Termin beim Zahnarzt"),
        ("de", "das Boot", "das Boot", "Boot"),
        ("de", "mein Mittagessen mit Peter", "mein Mittagessen mit Peter", "Mittagessen mit Peter"),
        ("de", "Eintrag ins Klassenbuch", "Eintrag ins Klassenbuch", "Eintrag ins Klassenbuch"),
    ],
)
def test_a_title_that_names_something_is_kept(language, title, kept, named):
    """A new event's title as said; an event a request names without the pointing words."""
    tomorrow = {"de": "morgen", "en": "tomorrow"}[language]
    creation = resolved("create_event", language, title=title, date=tomorrow)
    assert creation.arguments["title"] == kept
    for function in ("delete_event", "move_event", "list_events"):
        assert resolved(function, language, title=title).arguments["title"] == named
