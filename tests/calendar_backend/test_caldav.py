"""The CalDAV store against a real Radicale server on 127.0.0.1: every operation, a second
client's view, another client's change between our read and our write (412), a wrong
password, a server that stops, hangs or answers garbage. Nothing is mocked."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest

from calendar_backend import (
    CalendarChangedError,
    CannotUndoError,
    EventNotFoundError,
    SeriesDeletionRefusedError,
    SeriesMoveRefusedError,
)
from calendar_backend.caldav_store import CalDAVStore, _Resource
from calendar_backend.errors import CalendarServerError
from calendar_backend.location import CalDAVLocation
from calendar_backend.opening import open_calendar
from tests.conftest import BERLIN, ics
from tests.radicale import PASSWORD, RadicaleServer

NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
DECEMBER = (date(2026, 12, 1), date(2026, 12, 31))

WEEKLY_YOGA = ics(
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    "PRODID:-//Another Program//EN",
    "BEGIN:VEVENT",
    "UID:yoga@elsewhere",
    "DTSTAMP:20261101T000000Z",
    "DTSTART;TZID=Europe/Berlin:20261201T180000",
    "DTEND;TZID=Europe/Berlin:20261201T190000",
    "RRULE:FREQ=WEEKLY;COUNT=4",
    "SUMMARY:Yoga",
    "X-PHONE-COLOR;X-SHADE=dark:teal",
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "DESCRIPTION:Yoga",
    "TRIGGER:-PT15M",
    "END:VALARM",
    "END:VEVENT",
    "END:VCALENDAR",
)


def open_store(url: str) -> CalDAVStore:
    store = open_calendar(url, zone=BERLIN, clock=lambda: NOW)
    assert isinstance(store, CalDAVStore)
    return store


def put(radicale: RadicaleServer, url: str, name: str, data: bytes) -> str:
    """Another client stores a resource; its URL."""
    target = radicale.plain_url(url) + name
    response = radicale.client().put(target, data, {"Content-Type": "text/calendar; charset=utf-8"})
    assert response.status in (201, 204)
    return target


def server_bytes(radicale: RadicaleServer, resource_url: str) -> bytes | None:
    response = radicale.client().request(resource_url, "GET")
    if response.status == 404:
        return None
    assert response.status == 200
    return bytes(response._raw_body)


def titles(store: CalDAVStore) -> list[str]:
    return [o.title for o in store.occurrences(*DECEMBER)]


def test_create_list_find_delete_and_undo_on_the_server(radicale, caldav_url):
    store = open_store(caldav_url)
    created = store.create("Zahnarzt", datetime(2026, 12, 3, 14, 30), timedelta(minutes=90))
    allday = store.create("Urlaub", date(2026, 12, 24), timedelta(days=2))

    (listed,) = store.occurrences(date(2026, 12, 3), date(2026, 12, 3))
    assert (listed.title, listed.start, listed.end) == (
        "Zahnarzt",
        datetime(2026, 12, 3, 14, 30, tzinfo=BERLIN),
        datetime(2026, 12, 3, 16, 0, tzinfo=BERLIN),
    )
    assert [o.uid for o in store.find("zahnarzt")] == [created.uid]
    assert store.conflicts(
        datetime(2026, 12, 3, 15, 0, tzinfo=BERLIN), datetime(2026, 12, 3, 15, 30, tzinfo=BERLIN)
    ) == [listed]

    # A second client sees both, with the zone the person is in.
    seen = radicale.client().calendar(url=radicale.plain_url(caldav_url)).events()
    assert {item.icalendar_component["SUMMARY"] for item in seen} == {"Zahnarzt", "Urlaub"}
    zahnarzt = next(i for i in seen if i.icalendar_component["SUMMARY"] == "Zahnarzt")
    assert b"DTSTART;TZID=Europe/Berlin:20261203T143000" in zahnarzt.raw_data
    assert b"BEGIN:VTIMEZONE" in zahnarzt.raw_data

    store.delete(allday.uid)
    assert titles(store) == ["Zahnarzt"]
    store.undo()
    assert titles(store) == ["Zahnarzt", "Urlaub"]
    store.undo()  # the all-day create
    store.undo()  # the dentist
    assert titles(store) == []
    assert not store.can_undo()


def test_one_occurrence_of_a_series_and_the_whole_series(radicale, caldav_url):
    resource = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    store = open_store(caldav_url)
    assert titles(store) == ["Yoga"] * 4

    with pytest.raises(SeriesDeletionRefusedError):
        store.delete("yoga@elsewhere")
    removed = store.delete("yoga@elsewhere", date(2026, 12, 8))
    assert removed.start == datetime(2026, 12, 8, 18, 0, tzinfo=BERLIN)
    assert [o.start.day for o in store.occurrences(*DECEMBER)] == [1, 15, 22]
    after = server_bytes(radicale, resource)
    assert after is not None
    # Only an EXDATE was added: the phone's colour and the alarm are still there.
    assert b"EXDATE;TZID=Europe/Berlin:20261208T180000" in after
    assert b"X-PHONE-COLOR;X-SHADE=dark:teal" in after
    assert b"TRIGGER:-PT15M" in after

    store.undo()
    assert [o.start.day for o in store.occurrences(*DECEMBER)] == [1, 8, 15, 22]

    store.delete("yoga@elsewhere", series=True)
    assert server_bytes(radicale, resource) is None  # the emptied resource is removed
    store.undo()
    assert titles(store) == ["Yoga"] * 4


def test_an_edit_keeps_every_byte_of_the_resource_it_does_not_change(radicale, caldav_url):
    resource = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    before = server_bytes(radicale, resource)
    assert before is not None
    store = open_store(caldav_url)
    store.delete("yoga@elsewhere", date(2026, 12, 15))
    after = server_bytes(radicale, resource)
    assert after is not None
    exdate = b"EXDATE;TZID=Europe/Berlin:20261215T180000\r\n"
    assert after.replace(exdate, b"") == before
    store.undo()
    assert server_bytes(radicale, resource) == before


class SecondClientBetweenReadAndWrite(CalDAVStore):
    """Our store, with another client changing the resource right after each of our reads
    (as a phone syncing at the wrong moment would), `changes` times."""

    changes: int = 1
    change: Callable[[_Resource], None] = staticmethod(lambda resource: None)

    def _read(self, url: str) -> _Resource | None:
        resource = super()._read(url)
        if resource is not None and self.changes > 0:
            self.changes -= 1
            self.change(resource)
        return resource


def with_a_phone_that_renames_yoga(
    radicale: RadicaleServer, caldav_url: str
) -> SecondClientBetweenReadAndWrite:
    """Our store, with a phone renaming the yoga series right after our first read."""
    renamed = WEEKLY_YOGA.replace(b"SUMMARY:Yoga", b"SUMMARY:Yoga mit Lea")
    store = SecondClientBetweenReadAndWrite(
        location=CalDAVLocation.parse(caldav_url), password=PASSWORD, zone=BERLIN
    )
    store.change = lambda resource: put(radicale, caldav_url, "yoga.ics", renamed)
    return store


def test_a_change_by_another_client_between_read_and_write_is_kept(radicale, caldav_url):
    resource_url = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    store = with_a_phone_that_renames_yoga(radicale, caldav_url)
    store.delete("yoga@elsewhere", date(2026, 12, 8))  # 412 once, then planned again

    after = server_bytes(radicale, resource_url)
    assert after is not None
    assert b"SUMMARY:Yoga mit Lea" in after  # the phone's change survived
    assert b"EXDATE;TZID=Europe/Berlin:20261208T180000" in after  # and ours is on top
    assert [o.start.day for o in store.occurrences(*DECEMBER)] == [1, 15, 22]


def test_a_resource_that_keeps_changing_is_not_overwritten(radicale, caldav_url):
    resource_url = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    versions = iter(range(100))

    def phone_keeps_editing(resource: _Resource) -> None:
        put(
            radicale,
            caldav_url,
            "yoga.ics",
            WEEKLY_YOGA.replace(b"SUMMARY:Yoga", f"SUMMARY:Yoga {next(versions)}".encode()),
        )

    store = SecondClientBetweenReadAndWrite(
        location=CalDAVLocation.parse(caldav_url), password=PASSWORD, zone=BERLIN
    )
    store.changes = 10
    store.change = phone_keeps_editing
    with pytest.raises(CalendarChangedError, match="another client"):
        store.delete("yoga@elsewhere", date(2026, 12, 8))
    after = server_bytes(radicale, resource_url)
    assert after is not None
    assert b"SUMMARY:Yoga 2" in after
    assert b"EXDATE" not in after
    assert not store.can_undo()


def test_undo_after_another_client_changed_the_event_reverses_only_our_change(radicale, caldav_url):
    resource_url = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    store = open_store(caldav_url)
    store.delete("yoga@elsewhere", date(2026, 12, 8))
    edited = server_bytes(radicale, resource_url)
    assert edited is not None
    put(radicale, caldav_url, "yoga.ics", edited.replace(b"SUMMARY:Yoga", b"SUMMARY:Pilates"))
    store.undo()
    after = server_bytes(radicale, resource_url)
    assert after is not None
    assert b"SUMMARY:Pilates" in after and b"EXDATE" not in after


def test_undo_of_a_create_that_another_client_deleted_cannot_be_done(radicale, caldav_url):
    store = open_store(caldav_url)
    created = store.create("Kino", datetime(2026, 12, 5, 20, 0))
    (item,) = radicale.client().calendar(url=radicale.plain_url(caldav_url)).events()
    item.delete()
    with pytest.raises(CannotUndoError, match="Kino"):
        store.undo()
    assert not store.can_undo()
    with pytest.raises(EventNotFoundError):
        store.delete(created.uid)


def test_a_wrong_password_is_refused_with_advice_and_changes_nothing(
    radicale, caldav_url, monkeypatch
):
    put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", "not the password")
    store = open_store(caldav_url)
    for attempt in (
        lambda: store.occurrences(*DECEMBER),
        lambda: store.create("Zahnarzt", datetime(2026, 12, 3, 14, 30)),
        lambda: store.delete("yoga@elsewhere", series=True),
    ):
        with pytest.raises(CalendarServerError, match="refused the user name or password") as e:
            attempt()
        assert e.value.reachable
        assert "not the password" not in str(e.value)
    assert len(radicale.client().calendar(url=radicale.plain_url(caldav_url)).events()) == 1


def test_no_password_at_all_says_where_to_put_one(radicale, caldav_url, monkeypatch):
    monkeypatch.delenv("VOICE_CALENDAR_CALDAV_PASSWORD")
    with pytest.raises(CalendarServerError, match=r"asks for a password.*settings"):
        open_store(caldav_url).occurrences(*DECEMBER)


def test_the_password_comes_from_the_secret_store(radicale, caldav_url, monkeypatch, secret_store):
    from calendar_backend.secrets import store_password

    monkeypatch.delenv("VOICE_CALENDAR_CALDAV_PASSWORD")
    store_password(CalDAVLocation.parse(caldav_url), PASSWORD)
    assert open_store(caldav_url).occurrences(*DECEMBER) == []
    assert list(secret_store.passwords.values()) == [PASSWORD]


def test_a_calendar_that_does_not_exist_is_named(radicale, caldav_url):
    missing = caldav_url.replace("/cal-", "/nothing-")
    with pytest.raises(CalendarServerError, match="no calendar at this address"):
        open_store(missing).occurrences(*DECEMBER)


@pytest.fixture
def own_server(tmp_path, monkeypatch) -> Iterator[RadicaleServer]:
    server = RadicaleServer(tmp_path / "radicale")
    server.start()
    monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", PASSWORD)
    yield server
    server.stop()


def test_a_server_that_stops_mid_operation_leaves_nothing_half_written(own_server):
    url = own_server.new_calendar()
    resource_url = put(own_server, url, "yoga.ics", WEEKLY_YOGA)
    before = server_bytes(own_server, resource_url)

    store = SecondClientBetweenReadAndWrite(
        location=CalDAVLocation.parse(url), password=PASSWORD, zone=BERLIN
    )
    store.change = lambda resource: own_server.stop()  # gone between our read and our write
    with pytest.raises(CalendarServerError, match=r"cannot be reached.*nothing was changed") as e:
        store.delete("yoga@elsewhere", date(2026, 12, 8))
    assert not e.value.reachable
    with pytest.raises(CalendarServerError, match="cannot be reached"):
        store.create("Zahnarzt", datetime(2026, 12, 3, 14, 30))
    assert not store.can_undo()

    own_server.start()
    assert server_bytes(own_server, resource_url) == before
    assert titles(store) == ["Yoga"] * 4


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield f"http://anna@127.0.0.1:{listener.getsockname()[1]}/anna/personal/"
    listener.close()


def test_a_server_that_does_not_answer_times_out_with_a_clear_error(silent_server):
    location = CalDAVLocation.parse(silent_server)
    store = CalDAVStore(location=location, password=PASSWORD, zone=BERLIN, timeout_s=1.0)
    with pytest.raises(CalendarServerError, match="did not answer within 1 seconds") as e:
        store.occurrences(*DECEMBER)
    assert not e.value.reachable


class GarbageHandler(http.server.BaseHTTPRequestHandler):
    status = 207
    content_type = "text/xml"
    body = b"\x00\xff<html><body>Welcome to nginx!</body></html>"

    def do_any(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    do_GET = do_PUT = do_REPORT = do_PROPFIND = do_DELETE = do_any  # noqa: N815

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(
    params=[
        (207, "text/xml", b"\x00\xff<html><body>Welcome to nginx!</body></html>", "garbage"),
        (500, "text/html", b"<h1>Internal Server Error</h1>", "error"),
    ]
)
def garbage_server(request) -> Iterator[tuple[str, str]]:
    status, content_type, body, kind = request.param
    handler = type(
        "Handler",
        (GarbageHandler,),
        {"status": status, "content_type": content_type, "body": body},
    )
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://anna@127.0.0.1:{server.server_port}/anna/personal/", kind
    server.shutdown()
    server.server_close()


def test_a_server_that_answers_garbage_gives_a_clear_error(garbage_server, monkeypatch):
    url, kind = garbage_server
    monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", PASSWORD)
    store = open_store(url)
    expected = "not a calendar" if kind == "garbage" else "answered with an error"
    for attempt in (
        lambda: store.occurrences(*DECEMBER),
        lambda: store.delete("yoga@elsewhere", series=True),
    ):
        with pytest.raises(CalendarServerError, match=expected) as e:
            attempt()
        assert e.value.reachable
        assert "\n" not in str(e.value)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("https://anna:secret@cloud.example/dav/", "password does not belong"),
        ("https://cloud.example/dav/?x=1", "has no '.' or '#' part"),
        ("ftp://cloud.example/dav/", "only http:// and https://"),
        ("https:///dav/", "not a CalDAV address"),
    ],
)
def test_malformed_calendar_urls_are_explained(text, problem):
    with pytest.raises(ValueError, match=problem):
        open_calendar(text, zone=BERLIN)


def test_a_location_keeps_the_user_and_never_a_password():
    location = CalDAVLocation.parse("HTTPS://anna%40home@Cloud.Example:8443/remote.php/dav/x")
    assert location.url == "https://cloud.example:8443/remote.php/dav/x/"
    assert location.user == "anna@home"
    assert str(location) == "https://anna%40home@cloud.example:8443/remote.php/dav/x/"
    assert location.server == "https://cloud.example:8443"


def test_deleting_an_event_keeps_a_to_do_that_shares_its_resource(radicale, caldav_url):
    # A whole calendar PUT on the collection is how Radicale lets such a resource exist.
    mixed = WEEKLY_YOGA.replace(
        b"END:VCALENDAR",
        b"BEGIN:VTODO\r\nUID:yoga@elsewhere\r\nDTSTAMP:20261101T000000Z\r\n"
        b"SUMMARY:Matte kaufen\r\nEND:VTODO\r\nEND:VCALENDAR",
    )
    client = radicale.client()
    response = client.put(radicale.plain_url(caldav_url), mixed, {"Content-Type": "text/calendar"})
    assert response.status in (200, 201, 204)
    store = open_store(caldav_url)
    store.delete("yoga@elsewhere", series=True)
    assert titles(store) == []
    (left,) = client.calendar(url=radicale.plain_url(caldav_url)).objects()
    assert b"SUMMARY:Matte kaufen" in left.load().raw_data
    assert b"BEGIN:VEVENT" not in left.raw_data


def test_discovery_finds_the_accounts_calendars_from_the_server_root(radicale, caldav_url):
    from calendar_backend.discovery import discover_calendars

    second = radicale.new_calendar("Familie")
    found = discover_calendars(radicale.base_url, "anna", PASSWORD)
    locations = {str(choice.location) for choice in found}
    assert {caldav_url, second} <= locations
    assert "Familie" in {choice.name for choice in found}


def test_discovery_with_a_wrong_password_says_so(radicale):
    from calendar_backend.discovery import discover_calendars

    with pytest.raises(CalendarServerError, match="refused the user name or password"):
        discover_calendars(radicale.base_url, "anna", "wrong")


def test_a_series_with_a_reminder_is_created_on_the_server_and_undone(radicale, caldav_url):
    store = open_store(caldav_url)
    created = store.create(
        "Chor", datetime(2026, 12, 2, 19, 0), recurrence="FREQ=WEEKLY;COUNT=3", reminder_minutes=30
    )
    assert created.recurring
    assert [o.start.day for o in store.occurrences(*DECEMBER)] == [2, 9, 16]
    assert [o.reminder_minutes for o in store.occurrences(*DECEMBER)] == [30, 30, 30]
    (item,) = radicale.client().calendar(url=radicale.plain_url(caldav_url)).events()
    stored = server_bytes(radicale, str(item.url))
    assert stored is not None
    assert b"RRULE:FREQ=WEEKLY;COUNT=3\r\n" in stored
    assert b"ACTION:DISPLAY\r\nDESCRIPTION:Chor\r\nTRIGGER:-PT30M\r\n" in stored
    slot = datetime(2026, 12, 9, 19, 30, tzinfo=BERLIN)
    assert [o.uid for o in store.conflicts(slot, slot + timedelta(hours=1))] == [created.uid]
    with pytest.raises(ValueError, match="in UTC"):
        store.create("Chor", datetime(2026, 12, 2, 19, 0), recurrence="FREQ=DAILY;UNTIL=20270101")
    store.undo()
    assert titles(store) == []
    assert not store.can_undo()


def test_moving_on_the_server_changes_only_the_time_lines_and_undoes(radicale, caldav_url):
    resource_url = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    stored = server_bytes(radicale, resource_url)  # as the server keeps it
    assert stored is not None
    store = open_store(caldav_url)
    with pytest.raises(SeriesMoveRefusedError):
        store.move("yoga@elsewhere", datetime(2026, 12, 2, 18, 0))

    store.move("yoga@elsewhere", datetime(2026, 12, 2, 18, 0), series=True)
    shifted = stored.replace(b"Berlin:20261201T1", b"Berlin:20261202T1")
    assert server_bytes(radicale, resource_url) == shifted
    store.undo()
    assert server_bytes(radicale, resource_url) == stored

    moved = store.move("yoga@elsewhere", datetime(2026, 12, 9, 7, 0), occurrence=date(2026, 12, 8))
    assert moved.recurrence_id == datetime(2026, 12, 8, 18, 0, tzinfo=BERLIN)
    assert [(o.start.day, o.start.hour) for o in store.occurrences(*DECEMBER)] == [
        (1, 18),
        (9, 7),
        (15, 18),
        (22, 18),
    ]
    after = server_bytes(radicale, resource_url)
    assert after is not None
    # The modified copy carries the series' own properties (Radicale orders them its way).
    assert after.count(b"X-PHONE-COLOR;X-SHADE=dark:teal") == 2
    assert b"RECURRENCE-ID;TZID=Europe/Berlin:20261208T180000\r\n" in after
    store.undo()
    assert server_bytes(radicale, resource_url) == stored

    created = store.create("Kino", datetime(2026, 12, 5, 20, 0))
    store.move(created.uid, date(2026, 12, 6))
    (kino,) = [o for o in store.occurrences(*DECEMBER) if o.title == "Kino"]
    assert kino.start == datetime(2026, 12, 6, 20, 0, tzinfo=BERLIN)


def test_a_move_keeps_another_clients_change_between_read_and_write(radicale, caldav_url):
    resource_url = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    store = with_a_phone_that_renames_yoga(radicale, caldav_url)
    store.move("yoga@elsewhere", datetime(2026, 12, 2, 18, 0), series=True)  # 412, planned again
    after = server_bytes(radicale, resource_url)
    assert after is not None
    assert b"SUMMARY:Yoga mit Lea" in after  # the phone's change survived
    assert b"DTSTART;TZID=Europe/Berlin:20261202T180000" in after  # and ours is on top
    assert [o.start.day for o in store.occurrences(*DECEMBER)] == [2, 9, 16, 23]
