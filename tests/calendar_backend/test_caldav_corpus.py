"""The real-world calendars of ../shared/corpus/ics, uploaded to a real Radicale server as
resources: what we add and remove there, and what we delete or move and undo, leaves every resource
exactly as the server held it (same ETag, same bytes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from caldav.collection import Calendar as Collection
from caldav.elements import dav

from calendar_backend import CalendarError
from calendar_backend.caldav_store import CalDAVStore
from calendar_backend.document import CalendarDocument
from calendar_backend.opening import open_calendar
from tests.calendar_backend.test_corpus import CORPUS, ROWS
from tests.calendar_backend.test_corpus_move import first_of_each_kind, moved_by_a_day
from tests.conftest import BERLIN
from tests.radicale import RadicaleServer

pytestmark = [pytest.mark.corpus, pytest.mark.usefixtures("quiet_vendor_quirks")]

WITH_EVENTS = [
    row["relative_path"] for row in ROWS if row["valid"] == "yes" and int(row["n_vevents"]) > 0
]
# Radicale refuses some of them (its own stricter validation): a server holds only what it
# accepts, so those cannot be round-tripped there. Fewer accepted than this means a regression.
ACCEPTED_AT_LEAST = 200
MOVED_AT_LEAST = 180  # 198 moved when written: fewer means moves started failing


def versions(radicale: RadicaleServer, url: str) -> dict[str, str]:
    """Every resource of the collection and its ETag (Radicale's ETag is its content's hash)."""
    response = radicale.client().propfind(radicale.plain_url(url), "", depth=1)
    tags = response.expand_simple_props([dav.GetEtag()])
    return {href: props[dav.GetEtag.tag] for href, props in tags.items() if href.endswith(".ics")}


def upload(radicale: RadicaleServer, url: str, relative: str) -> bool:
    """The whole file PUT on the collection; the server splits it into one resource per UID."""
    response = radicale.client().put(
        radicale.plain_url(url),
        (CORPUS / relative).read_bytes(),
        {"Content-Type": "text/calendar; charset=utf-8"},
    )
    return response.status in (200, 201, 204)


def move_and_undo(
    store: CalDAVStore,
    radicale: RadicaleServer,
    url: str,
    before: dict[str, str],
    relative: str,
    item: Any,
) -> tuple[int, list[str]]:
    """Move the resource's event (one occurrence of a series) by a day and undo it: every
    resource must be as the server held it. A clear refusal must change nothing. How many
    moves were made, and what went wrong."""
    document = CalendarDocument(str(item.url), item.data.encode(), None)
    moves = 0
    for event, own in first_of_each_kind(document):
        which = own.start if own.recurring else None
        try:
            store.move(event.uid, moved_by_a_day(own.start), occurrence=which)
        except CalendarError as refused:
            if "Please report" in str(refused) or versions(radicale, url) != before:
                return moves, [f"{relative}: a refused move of {event.uid} changed something"]
            continue
        moves += 1
        store.undo()
        if versions(radicale, url) != before:
            return moves, [f"{relative}: move + undo of {event.uid} did not restore it exactly"]
    return moves, []


def test_every_accepted_corpus_calendar_round_trips_on_the_server(radicale, monkeypatch):
    monkeypatch.setenv("VOICE_CALENDAR_CALDAV_PASSWORD", "correct horse battery")
    accepted = moves = 0
    failures = []
    for relative in WITH_EVENTS:
        url = radicale.new_calendar()
        if not upload(radicale, url, relative):
            continue
        accepted += 1
        before = versions(radicale, url)
        store = open_calendar(url, zone=BERLIN)
        assert isinstance(store, CalDAVStore)

        created = store.create("Voice calendar check", datetime(2026, 11, 27, 10, 0))
        store.delete(created.uid)
        if versions(radicale, url) != before:
            failures.append(f"{relative}: add + delete changed other resources")
            continue

        # Radicale refuses a PUT of a resource that mixes an event with a to-do (it only
        # makes them from a whole-calendar upload), so such a resource could not be put back.
        second_client = Collection(client=radicale.client(), url=radicale.plain_url(url))
        events_alone = [
            item for item in second_client.events() if b"BEGIN:VTODO" not in item.raw_data
        ]
        if not events_alone:
            continue
        uid = str(events_alone[0].icalendar_component["UID"])
        try:
            store.delete(uid, series=True)
        except CalendarError:
            # Refused as on a file (several events sharing one UID …): nothing may change.
            if versions(radicale, url) != before:
                failures.append(f"{relative}: a refused delete of {uid} changed something")
            continue
        store.undo()
        if versions(radicale, url) != before:
            failures.append(f"{relative}: delete + undo of {uid} did not restore it exactly")
        moved, problems = move_and_undo(store, radicale, url, before, relative, events_alone[0])
        moves += moved
        failures += problems
    print(f"\n{accepted} of {len(WITH_EVENTS)} calendars accepted by Radicale, {moves} moves")
    assert accepted >= ACCEPTED_AT_LEAST
    assert moves >= MOVED_AT_LEAST
    assert not failures, "\n".join(failures)
