"""Changing an event's length and title on a real Radicale server: the same lines change as in
a file, every other byte of the resource stays, and undo puts the resource back exactly."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest

from calendar_backend import SeriesEditRefusedError
from tests.calendar_backend.test_caldav import (
    DECEMBER,
    WEEKLY_YOGA,
    open_store,
    put,
    server_bytes,
)
from tests.conftest import BERLIN

TITLE = "Yoga, Atmung; Dehnen - ein sehr langer Titel, der gefaltet werden muss, weil er lang ist"


def test_a_series_length_and_title_change_only_their_lines_and_undo_is_exact(radicale, caldav_url):
    resource = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    before = server_bytes(radicale, resource)
    assert before is not None
    store = open_store(caldav_url)
    store.edit("yoga@elsewhere", length=timedelta(minutes=90), title=TITLE, series=True)

    after = server_bytes(radicale, resource)
    assert after is not None
    summary = re.search(rb"SUMMARY:.*?\r\n(?! )", after, re.DOTALL)
    assert summary is not None
    summary = summary.group()[:-2]
    assert all(len(line) <= 75 for line in summary.split(b"\r\n"))
    assert summary.replace(b"\r\n ", b"").decode() == "SUMMARY:" + TITLE.replace(
        ",", "\\,"
    ).replace(";", "\\;")
    assert after.replace(summary, b"SUMMARY:Yoga") == before.replace(
        b"DTEND;TZID=Europe/Berlin:20261201T190000", b"DTEND;TZID=Europe/Berlin:20261201T193000"
    )
    found = store.occurrences(*DECEMBER)
    assert [o.title for o in found] == [TITLE] * 4
    assert {o.end - o.start for o in found} == {timedelta(minutes=90)}

    store.undo()
    assert server_bytes(radicale, resource) == before


def test_one_occurrence_and_the_refusals_on_the_server(radicale, caldav_url):
    resource = put(radicale, caldav_url, "yoga.ics", WEEKLY_YOGA)
    before = server_bytes(radicale, resource)
    store = open_store(caldav_url)
    with pytest.raises(SeriesEditRefusedError, match="recurring event"):
        store.edit("yoga@elsewhere", title="Pilates")
    with pytest.raises(ValueError, match="needs a title"):
        store.edit("yoga@elsewhere", title=" ", series=True)
    with pytest.raises(ValueError, match="more than zero"):
        store.edit("yoga@elsewhere", length=timedelta(minutes=-5), series=True)
    assert server_bytes(radicale, resource) == before
    assert not store.can_undo()

    edited = store.edit(
        "yoga@elsewhere",
        new_start=datetime(2026, 12, 9, 7, 0),
        length=timedelta(minutes=30),
        occurrence=date(2026, 12, 8),
    )
    assert (edited.start, edited.end) == (
        datetime(2026, 12, 9, 7, 0, tzinfo=BERLIN),
        datetime(2026, 12, 9, 7, 30, tzinfo=BERLIN),
    )
    assert [o.start.day for o in store.occurrences(*DECEMBER)] == [1, 9, 15, 22]
    store.undo()
    assert server_bytes(radicale, resource) == before
