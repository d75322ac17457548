"""An occurrence whose wall time a clock change skips is read as RFC 5545 says: an hour later,
with its length kept."""

from datetime import date, datetime, timedelta

from tests.conftest import BERLIN

SERIES_AT_HALF_PAST_TWO = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\nBEGIN:VEVENT\r\nUID:night-shift\r\n"
    b"DTSTAMP:20260101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20260322T023000\r\n"
    b"DTEND;TZID=Europe/Berlin:20260322T033000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
    b"SUMMARY:Night shift\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_the_skipped_occurrence_starts_an_hour_later_and_keeps_its_length(make_store):
    store = make_store(SERIES_AT_HALF_PAST_TWO)
    occurrences = store.occurrences(date(2026, 3, 22), date(2026, 4, 5))
    assert [o.start for o in occurrences] == [
        datetime(2026, 3, 22, 2, 30, tzinfo=BERLIN),
        datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN),  # 02:30 does not exist that night
        datetime(2026, 4, 5, 2, 30, tzinfo=BERLIN),
    ]
    assert all(o.end - o.start == timedelta(hours=1) for o in occurrences)
    assert [o.start.utcoffset() for o in occurrences] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]
