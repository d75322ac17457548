from datetime import UTC, date, datetime, timedelta

import pytest

from calendar_backend.matching import MATCH_THRESHOLD, title_similarity
from tests.calendar_backend.test_recurring import SERIES


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("Zahnarzt", "Zahnarzt"),
        ("zahnarzt", "Termin beim Zahnarzt"),
        ("Zahn Arzt", "Zahnarzt"),
        ("chorprobe", "Chorprobe (Generalprobe)"),
        ("dentist", "Dentist appointment"),
        ("Strasse fegen", "Straße fegen"),
        ("cafe", "Café mit Anna"),
        ("meeting with ana", "Meeting with Anna"),
    ],
)
def test_similar_titles_match(query, title):
    assert title_similarity(query, title) >= MATCH_THRESHOLD


@pytest.mark.parametrize(
    ("query", "title"),
    [("Zahnarzt", "Friseur"), ("dentist", "Board meeting"), ("Yoga", "Chorprobe"), ("", "X")],
)
def test_unrelated_titles_do_not_match(query, title):
    assert title_similarity(query, title) < MATCH_THRESHOLD


def test_find_by_title_gives_the_next_occurrence_of_each_event(make_store):
    store = make_store(SERIES)
    (found,) = store.find("chorprobe", today=date(2026, 11, 20))
    assert found.start == datetime(2026, 11, 23, 19, 0, tzinfo=store.zone)


def test_find_by_day_and_title(make_store):
    store = make_store(SERIES)
    found = store.find("standup", date(2026, 11, 20))
    assert [o.title for o in found] == ["Standup"]
    assert store.find("Zahnarzt", date(2026, 11, 20)) == []


def test_find_by_day_alone_lists_the_day(make_store):
    store = make_store(SERIES)
    assert [o.title for o in store.find(day=date(2026, 11, 18))] == ["Yoga", "Standup"]


def test_best_match_comes_first(make_store):
    store = make_store()
    store.create("Arzt", datetime(2026, 11, 25, 9, 0))
    store.create("Zahnarzt", datetime(2026, 11, 26, 9, 0))
    found = store.find("Zahnarzt", today=date(2026, 11, 21))
    assert found[0].title == "Zahnarzt"


def test_overlapping_timed_events_conflict(make_store):
    store = make_store(SERIES)
    clashes = store.conflicts(datetime(2026, 11, 23, 20, 30), datetime(2026, 11, 23, 21, 30))
    assert [o.title for o in clashes] == ["Chorprobe"]


def test_touching_events_do_not_conflict(make_store):
    store = make_store(SERIES)
    assert store.conflicts(datetime(2026, 11, 23, 21, 0), datetime(2026, 11, 23, 22, 0)) == []
    assert store.conflicts(datetime(2026, 11, 23, 18, 0), datetime(2026, 11, 23, 19, 0)) == []


def test_transparent_and_all_day_events_do_not_block_a_timed_slot(make_store):
    store = make_store(SERIES)
    # 24 November: the (transparent, all-day) birthday and a 15-minute standup at 09:00.
    assert store.conflicts(datetime(2026, 11, 24, 12, 0), datetime(2026, 11, 24, 13, 0)) == []
    clashes = store.conflicts(datetime(2026, 11, 24, 9, 10), datetime(2026, 11, 24, 10, 0))
    assert [o.title for o in clashes] == ["Standup"]


def test_all_day_slot_conflicts_with_busy_all_day_events(make_store):
    store = make_store()
    store.create("Urlaub", date(2026, 12, 24), timedelta(days=3))
    clashes = store.conflicts(date(2026, 12, 26), date(2026, 12, 27))
    assert [o.title for o in clashes] == ["Urlaub"]
    assert store.conflicts(date(2026, 12, 27), date(2026, 12, 28)) == []


def test_conflict_in_the_repeated_hour_is_judged_by_real_time(make_store):
    store = make_store()
    # 02:00-02:30 CEST, then the clocks go back; 02:00-02:30 CET is an hour later.
    store.create("Backup", datetime(2026, 10, 25, 2, 0), timedelta(minutes=30))
    utc_second_pass = datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert store.conflicts(utc_second_pass, utc_second_pass + timedelta(minutes=30)) == []
    first_pass = datetime(2026, 10, 25, 2, 10)
    assert len(store.conflicts(first_pass, first_pass + timedelta(minutes=10))) == 1
