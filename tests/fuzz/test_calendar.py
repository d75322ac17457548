"""`calendar list|add|delete` and `run-wav` on calendars from the shared corpus, truncated,
with flipped bits, duplicated UIDs and mixed line endings, and with odd options: the file is
byte-identical afterwards unless the command succeeded in changing it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from app.limits import MAX_CALENDAR_BYTES
from tests.fuzz.doors import assert_contract, call, fuzz_settings
from tests.fuzz.inputs import CALENDAR_MUTATIONS, FIXTURES, corpus_calendars
from tests.fuzz.test_text import TEXT

OCCURRENCE_KEYS = {"uid", "title", "start", "end", "all_day", "recurring"}


@cache
def _calendars() -> list[bytes]:
    return corpus_calendars()


MUTATION = st.tuples(
    st.sampled_from(sorted(CALENDAR_MUTATIONS)), st.integers(0, 2**31), st.integers(0, 7)
)
CALENDAR = st.tuples(st.integers(0, len(_calendars()) - 1), st.lists(MUTATION, max_size=3)).map(
    lambda chosen: mutated(_calendars()[chosen[0]], chosen[1])
)


def mostly(usual: st.SearchStrategy, odd: st.SearchStrategy) -> st.SearchStrategy:
    """`odd` about one time in eight: a command with several options then still succeeds
    often enough to test what success may change."""
    return st.sampled_from([True] * 7 + [False]).flatmap(
        lambda is_usual: usual if is_usual else odd
    )


ZONE = mostly(
    st.sampled_from(["Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "UTC"]),
    st.sampled_from(["Mars/Olympus", "../../etc/passwd", "", "Europe/Berlin\n"]),
)
NOW = mostly(
    st.sampled_from(["2026-03-26T10:00", "2026-03-29T02:30", "2026-10-25T02:30"]),
    st.sampled_from(["1970-01-01T00:00", "9999-12-31T23:59", "2026-02-30T10:00", "jetzt"]),
)
RECENT_DAY = st.dates(date(2000, 1, 1), date(2040, 12, 31))
ODD_DAY = st.sampled_from(
    ["2026-02-29", "26-03-2026", "", "2026-03-26T10:00", "0001-01-01", "9999-12-31"]
)
RECENT_MINUTE = st.datetimes(datetime(2000, 1, 1), datetime(2040, 12, 31)).map(
    lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
)
ODD_MINUTE = st.sampled_from(
    ["2026-03-29T02:30", "2026-10-25T02:30", "2026-13-01T10:00", "morgen", "9999-12-31T23:30"]
)
MINUTE = mostly(RECENT_MINUTE, ODD_MINUTE)
LANGUAGE = mostly(st.sampled_from(["de", "en", "auto"]), st.just("fr"))


def days(first: date, span: int) -> tuple[str, str]:
    return first.isoformat(), (first + timedelta(days=span)).isoformat()


RANGE = mostly(
    st.builds(days, RECENT_DAY, st.integers(0, 400)),
    st.tuples(st.one_of(RECENT_DAY.map(date.isoformat), ODD_DAY), ODD_DAY),
)


def mutated(data: bytes, mutations: list[tuple[str, int, int]]) -> bytes:
    for name, first, second in mutations:
        data = CALENDAR_MUTATIONS[name](data, first, second)
    return data


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("calendars")


def place(folder: Path, data: bytes) -> Path:
    for leftover in folder.iterdir():
        leftover.unlink()
    path = folder / "calendar.ics"
    path.write_bytes(data)
    return path


def uids_in(data: bytes) -> list[str]:
    return [uid.decode("utf-8", "replace") for uid in re.findall(rb"^UID:([^\r\n]*)", data, re.M)]


def events_in(data: bytes) -> int:
    return len(re.findall(rb"^BEGIN:VEVENT\r?$", data, re.M))


def assert_untouched_unless_done(path: Path, before: bytes, reply, changing: bool) -> None:
    after = path.read_bytes()
    if after != before:
        assert changing and reply.code == 0, reply
    assert sorted(p.name for p in path.parent.iterdir()) == ["calendar.ics"], "no temporary files"


@given(
    data=CALENDAR,
    zone=ZONE,
    now=NOW,
    span=RANGE,
    language=LANGUAGE,
)
@fuzz_settings(150)
def test_list(folder: Path, data: bytes, zone: str, now: str, span: tuple[str, str], language: str):
    path = place(folder, data)
    first, last = span
    reply = call(
        "calendar",
        "list",
        "--calendar",
        str(path),
        "--from",
        first,
        "--to",
        last,
        "--tz",
        zone,
        "--now",
        now,
        "--lang",
        language,
    )
    result = assert_contract(reply)
    if reply.code == 0:
        assert isinstance(result, list)
        assert all(set(occurrence) == OCCURRENCE_KEYS for occurrence in result)
    assert_untouched_unless_done(path, data, reply, changing=False)


@given(
    data=CALENDAR,
    title=mostly(
        st.tuples(st.sampled_from(["Zahnarzt", "Yoga", "Café \\ Bar;", "会议"]), TEXT).map(
            " ".join
        ),
        st.sampled_from(["", " \t", "Zahnarzt\r\nEND:VEVENT\r\nBEGIN:VEVENT", "\udcff"]),
    ),
    start=MINUTE,
    duration=mostly(
        st.sampled_from(["60", "1", "90", "1440"]),
        st.sampled_from(["0", "-30", "525600000", "10" * 12, "eine Stunde"]),
    ),
    all_day=st.booleans(),
    zone=ZONE,
)
@fuzz_settings(150)
def test_add(
    folder: Path, data: bytes, title: str, start: str, duration: str, all_day: bool, zone: str
):
    path = place(folder, data)
    when = (
        ["--date", start[:10], "--all-day"]
        if all_day
        else ["--start", start, "--duration", duration]
    )
    reply = call("calendar", "add", "--calendar", str(path), "--title", title, *when, "--tz", zone)
    result = assert_contract(reply)
    assert_untouched_unless_done(path, data, reply, changing=True)
    if reply.code == 0:
        after = path.read_bytes()
        assert set(result) == OCCURRENCE_KEYS
        assert after != data and result["uid"] in after.decode("utf-8", "replace")
        # The title is one property of one new event, whatever it holds.
        assert events_in(after) == events_in(data) + 1
        listed = call(
            "calendar",
            "list",
            "--calendar",
            str(path),
            "--from",
            result["start"][:10],
            "--to",
            result["start"][:10],
            "--tz",
            zone,
        )
        assert result["uid"] in [o["uid"] for o in assert_contract(listed) or []]


@given(
    data=CALENDAR,
    which=st.integers(0, 2**16),
    uid=mostly(st.none(), TEXT),
    occurrence=mostly(st.none(), st.one_of(RECENT_DAY.map(date.isoformat), ODD_DAY, MINUTE)),
    series=mostly(st.just(False), st.just(True)),
)
@fuzz_settings(150)
def test_delete(
    folder: Path, data: bytes, which: int, uid: str | None, occurrence: str | None, series: bool
):
    path = place(folder, data)
    known = uids_in(data)
    if uid is None:
        uid = known[which % len(known)] if known else "no-such-uid"
    options = ["--occurrence", occurrence] if occurrence is not None else []
    options += ["--series"] if series else []
    reply = call(
        "calendar",
        "delete",
        "--calendar",
        str(path),
        "--uid",
        uid,
        *options,
        "--tz",
        "Europe/Berlin",
    )
    result = assert_contract(reply)
    assert_untouched_unless_done(path, data, reply, changing=True)
    if reply.code == 0:
        assert set(result) == OCCURRENCE_KEYS
        assert path.read_bytes() != data


@given(
    data=CALENDAR,
    recording=st.sampled_from(
        ["en_list_tomorrow.flac", "en_create_dentist.flac", "en_delete_lunch.flac"]
    ),
    confirmed=st.booleans(),
)
@fuzz_settings(20)
def test_run_wav(models, folder: Path, data: bytes, recording: str, confirmed: bool):
    path = place(folder, data)
    options = ["--yes"] if confirmed else []
    reply = call(
        "run-wav",
        str(FIXTURES / recording),
        "--calendar",
        str(path),
        *options,
        "--now",
        "2026-03-26T10:00",
        "--tz",
        "Europe/Berlin",
    )
    result = assert_contract(reply)
    assert reply.code != 2
    if reply.code == 0:
        event(f"status {result['result']['status']}")
    changing = reply.code == 0 and result["result"]["status"] == "done"
    assert_untouched_unless_done(path, data, reply, changing=changing)


def test_a_calendar_far_larger_than_any_real_one_is_refused_unread(folder: Path):
    path = place(folder, b"")
    with path.open("wb") as stream:
        stream.truncate(MAX_CALENDAR_BYTES + 1)
    for command in (["list"], ["add", "--title", "X", "--start", "2026-03-27T10:00"]):
        reply = call("calendar", *command, "--calendar", str(path))
        assert_contract(reply)
        assert reply.code == 1 and "more than the 50 MB a calendar file may have" in reply.err
    assert path.stat().st_size == MAX_CALENDAR_BYTES + 1
