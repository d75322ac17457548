"""Random sequences of changes against a simple model of what the calendar should hold."""

import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from calendar_backend import CalendarStore, EventNotFoundError
from tests.conftest import BERLIN, ics

WINDOW_START = date(2026, 11, 16)
WINDOW_DAYS = 150  # through April 2027: crosses the spring-forward night of 28 March
SERIES_FIRST = datetime(2026, 11, 2, 18, 0, tzinfo=BERLIN)
SERIES_COUNT = 24

INITIAL = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Model//EN",
    "X-WR-CALNAME:Test",
    "BEGIN:VEVENT",
    "UID:series@test",
    "SUMMARY:Training",
    "DTSTART;TZID=Europe/Berlin:20261102T180000",
    "DTEND;TZID=Europe/Berlin:20261102T193000",
    f"RRULE:FREQ=WEEKLY;COUNT={SERIES_COUNT}",
    "END:VEVENT",
    "BEGIN:VTODO",
    "UID:todo@test",
    "SUMMARY:Keep me",
    "END:VTODO",
    "END:VCALENDAR",
)

titles = st.sampled_from(["Zahnarzt", "Team Meeting", "Oma anrufen", "Café, Bar; Kino", "Ärztin"])


@dataclass(frozen=True)
class Expected:
    uid: str
    title: str
    start: object
    end: object


def instant(value):
    return value.astimezone(UTC) if isinstance(value, datetime) else value


class CalendarModel(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp())
        (self.folder / "calendar.ics").write_bytes(INITIAL)
        self.store = CalendarStore(
            self.folder / "calendar.ics", zone=BERLIN, backup_dir=self.folder / "backups"
        )
        self.singles: dict[str, Expected] = {}
        self.excluded: frozenset[int] = frozenset()
        self.history: list[tuple[dict[str, Expected], frozenset[int]]] = []
        self.external_marks = 0

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def remember(self) -> None:
        self.history.append((dict(self.singles), self.excluded))

    @rule(
        title=titles,
        day=st.integers(0, WINDOW_DAYS - 2),
        hour=st.integers(0, 23),
        minute=st.sampled_from([0, 15, 30, 45]),
        minutes=st.integers(1, 600),
    )
    def create_timed(self, title, day, hour, minute, minutes):
        wall = datetime.combine(WINDOW_START + timedelta(days=day), datetime.min.time())
        wall = wall.replace(hour=hour, minute=minute)
        created = self.store.create(title, wall, timedelta(minutes=minutes))
        start = wall.replace(tzinfo=BERLIN).astimezone(UTC)  # a skipped time moves forward
        self.remember()
        self.singles[created.uid] = Expected(
            created.uid, title, start, start + timedelta(minutes=minutes)
        )

    @rule(title=titles, day=st.integers(0, WINDOW_DAYS - 4), days=st.integers(1, 3))
    def create_all_day(self, title, day, days):
        first = WINDOW_START + timedelta(days=day)
        created = self.store.create(title, first, timedelta(days=days))
        self.remember()
        self.singles[created.uid] = Expected(created.uid, title, first, first + timedelta(days))

    @precondition(lambda self: self.singles)
    @rule(data=st.data())
    def delete_single(self, data):
        uid = data.draw(st.sampled_from(sorted(self.singles)))
        self.store.delete(uid)
        self.remember()
        del self.singles[uid]

    @rule(week=st.integers(0, SERIES_COUNT - 1))
    def delete_occurrence(self, week):
        day = (SERIES_FIRST + timedelta(weeks=week)).date()
        if week in self.excluded:
            try:
                self.store.delete("series@test", day)
            except EventNotFoundError:
                return
            raise AssertionError("an excluded occurrence was deleted again")
        self.store.delete("series@test", day)
        self.remember()
        self.excluded = self.excluded | {week}

    @precondition(lambda self: self.history)
    @rule()
    def undo(self):
        self.store.undo()
        self.singles, self.excluded = self.history.pop()

    @rule()
    def another_program_edits(self):
        path = self.store.path
        self.external_marks += 1
        path.write_bytes(path.read_bytes().replace(b"X-WR-CALNAME:Test", b"X-WR-CALNAME:Test!", 1))

    def expected(self) -> set[tuple]:
        found = {(e.uid, e.title, instant(e.start), instant(e.end)) for e in self.singles.values()}
        last_day = WINDOW_START + timedelta(days=WINDOW_DAYS)
        for week in range(SERIES_COUNT):
            start = SERIES_FIRST + timedelta(weeks=week)  # same wall time every week
            if week in self.excluded or not WINDOW_START <= start.date() <= last_day:
                continue
            found.add(
                ("series@test", "Training", instant(start), instant(start + timedelta(minutes=90)))
            )
        return found

    @invariant()
    def listing_matches_the_model(self):
        listed = self.store.occurrences(WINDOW_START, WINDOW_START + timedelta(days=WINDOW_DAYS))
        actual = {(o.uid, o.title, instant(o.start), instant(o.end)) for o in listed}
        assert actual == self.expected()

    @invariant()
    def foreign_content_survives(self):
        data = self.store.path.read_bytes()
        assert b"BEGIN:VTODO\r\nUID:todo@test\r\nSUMMARY:Keep me\r\nEND:VTODO\r\n" in data
        assert b"X-WR-CALNAME:Test" + b"!" * self.external_marks + b"\r\n" in data


CalendarModel.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCalendarModel = CalendarModel.TestCase
