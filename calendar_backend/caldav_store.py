"""The calendar as a CalDAV collection (Nextcloud, Radicale, iCloud, mailbox.org …), with the
file store's promises.

Each event is one resource on the server. A change fetches that resource's bytes and ETag,
plans the same byte splice the file store would (planning.py), checks it, and writes it back
only if the resource is still the version that was read (If-Match; If-None-Match: * for a new
one). When another client changed it in between (412), the change is planned again on the new
content, or refused after a few tries: never a blind overwrite. A resource left without any
event is deleted, under the same condition.

Reading asks the server for the resources with an occurrence in the range and expands them
here. Changes made while the server cannot be reached are refused, not queued: a queue would
be applied later against a calendar the person cannot see, and could clash with what they did
on their phone meanwhile."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, cast

import niquests.exceptions
from caldav.calendarobjectresource import Event
from caldav.collection import Calendar as Collection
from caldav.davclient import DAVClient
from caldav.elements import dav
from caldav.lib import error as dav_error
from lxml import etree

from calendar_backend.base import Calendar, UndoRecord
from calendar_backend.document import CalendarDocument, name_of
from calendar_backend.errors import (
    CalendarAccessDeniedError,
    CalendarChangedError,
    CalendarError,
    CalendarServerError,
    CannotUndoError,
    EventNotFoundError,
)
from calendar_backend.location import CalDAVLocation
from calendar_backend.models import Change, Occurrence
from calendar_backend.moving import gone
from calendar_backend.phrases import Phrase, phrase
from calendar_backend.planning import NewEvent, PlannedEdit, check_edit, no_event
from calendar_backend.secrets import PASSWORD_VARIABLE

WRITE_ATTEMPTS = 3
DEFAULT_TIMEOUT_S = 15.0

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Resource:
    """One calendar object on the server, as read: its exact bytes and their version."""

    url: str
    data: bytes
    etag: str


class _StaleError(Exception):
    """The resource is no longer the version that was read (HTTP 412)."""


@dataclass
class CalDAVStore(Calendar):
    """A calendar collection on a CalDAV server. Opening does not contact the server."""

    location: CalDAVLocation
    password: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    verify_tls: bool | str = True
    """True checks the server's certificate against the system's authorities; a path names
    a CA bundle to trust instead."""
    _client: DAVClient = field(init=False, repr=False)
    _collection: Collection = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._client = DAVClient(
            url=self.location.url,
            username=self.location.user,
            password=self.password,
            timeout=self.timeout_s,  # type: ignore[arg-type]  # seconds; a float works
            ssl_verify_cert=self.verify_tls,
            enable_rfc6764=False,
        )
        self._collection = Collection(client=self._client, url=self.location.url)

    @property
    def name(self) -> str:
        return str(self.location)

    # --- reading -------------------------------------------------------------------------

    def _occurrences(self, first_day: date, last_day: date) -> list[Occurrence]:
        start = datetime.combine(first_day, time.min, self.zone)
        end = datetime.combine(last_day + timedelta(days=1), time.min, self.zone)
        with self._talking("read the calendar"):
            found: Any = self._collection.search(start=start, end=end, event=True, expand=False)
            resources = [(str(item.url), _bytes_of(item)) for item in cast(list[Any], found)]
        occurrences: list[Occurrence] = []
        for url, data in resources:
            try:
                document = CalendarDocument(url, data, None)
                occurrences += document.occurrences(first_day, last_day, self.zone)
            except CalendarError as error:
                # One broken resource (written by another program) must not hide the rest.
                log.warning("skipping an unreadable event on the server: %s", error)
        occurrences.sort(key=lambda o: (_sort_key(o.start, self.zone), o.title))
        return occurrences

    # --- changing ------------------------------------------------------------------------

    def _create(self, new: NewEvent) -> Occurrence:
        url = self.location.url + _resource_name(new.occurrence.uid)
        document = CalendarDocument(url, b"", None)
        edit = self.planner.plan_create(document, new)
        check_edit(document, edit, self.name)
        try:
            after = self._write(url, None, edit.data)
        except _StaleError:
            raise CalendarError(
                phrase(
                    "{name}: there is already an event at {url}; nothing was written. Try again.",
                    name=self.name,
                    url=url,
                )
            ) from None
        if edit.inverse is not None:
            self._remember(UndoRecord(edit.change, edit.inverse, None, after, url))
        return edit.change.occurrence

    def _delete(self, uid: str, which: date | datetime | None, series: bool) -> Occurrence:
        planner = self.planner

        def plan(document: CalendarDocument) -> PlannedEdit:
            return planner.plan_delete(document, uid, which, series)

        return self._edit(lambda: self._resource_holding(uid), plan).occurrence

    def _edit_event(self, uid: str, plan: Callable[[CalendarDocument], PlannedEdit]) -> Change:
        return self._edit(lambda: self._resource_holding(uid), plan)

    def _revert(self, record: UndoRecord) -> None:
        url = record.resource
        current = self._read(url)
        if current is None:
            if record.after is not None or record.before is None:
                raise EventNotFoundError(gone(record.change.occurrence.title))
            try:  # deleted by us and still gone: put exactly those bytes back
                self._write(url, None, record.before)
            except _StaleError:
                raise CannotUndoError(took_its_place(url)) from None
            return
        if record.after is None:
            # We deleted the resource; what is there now is another event's.
            raise CannotUndoError(took_its_place(url))
        if record.after and current.etag == record.after:
            try:  # untouched since: back to exactly what was there before
                self._write(url, current.etag, record.before)
            except _StaleError:
                pass  # changed this very moment: reverse just our change below
            else:
                return
        self._edit(lambda: self._read_existing(url), record.inverse, remember=False)

    def _edit(
        self,
        read: Callable[[], _Resource],
        plan: Callable[[CalendarDocument], PlannedEdit],
        *,
        remember: bool = True,
    ) -> Change:
        for attempt in range(1, WRITE_ATTEMPTS + 1):
            resource = read()
            document = CalendarDocument(resource.url, resource.data, None)
            document.require_editable()
            edit = plan(document)
            result = check_edit(document, edit, self.name)
            # A resource holds one event (RFC 4791); with it gone, the resource goes too,
            # unless something else (a to-do another program put there) is still in it.
            remaining = edit.data if _holds_anything(result) else None
            try:
                after = self._write(resource.url, resource.etag, remaining)
            except _StaleError:
                if attempt == WRITE_ATTEMPTS:
                    raise CalendarChangedError(
                        self.name, "another client kept changing that event"
                    ) from None
                continue
            if remember and edit.inverse is not None:
                self._remember(
                    UndoRecord(edit.change, edit.inverse, resource.data, after, resource.url)
                )
            return edit.change
        raise AssertionError("unreachable")

    # --- the server ----------------------------------------------------------------------

    def _resource_holding(self, uid: str) -> _Resource:
        with self._talking("find the event"):
            try:
                found = self._collection.get_object_by_uid(uid)
            except dav_error.NotFoundError:
                raise EventNotFoundError(no_event(uid, self.name)) from None
        return self._read_existing(str(cast(Event, found).url))

    def _read_existing(self, url: str) -> _Resource:
        resource = self._read(url)
        if resource is None:
            raise EventNotFoundError(phrase("{url} is no longer on the server.", url=url))
        return resource

    def _read(self, url: str) -> _Resource | None:
        """The resource's exact bytes and ETag; None when it does not exist."""
        item = Event(client=self._client, url=url, parent=self._collection)
        with self._talking("read the event"):
            try:
                item.load(multiget_fallback=False)
            except dav_error.NotFoundError:
                return None
        etag = item.etag
        if not etag or etag.startswith("W/"):
            raise CalendarServerError(
                self.name,
                "the server gives no exact version tag (ETag) for its events, so a change "
                "could overwrite someone else's",
                "Change this calendar in another program; this server is not supported.",
                reachable=True,
            )
        return _Resource(url, _bytes_of(item), etag)

    def _write(self, url: str, etag: str | None, data: bytes | None) -> str | None:
        """Store data at url only if the resource is still at etag (or, with etag None, does
        not exist yet); data None deletes it. The new ETag ("" if the server sends none), or
        None after a delete. _StaleError when the condition failed."""
        item = Event(client=self._client, url=url, parent=self._collection)
        with self._talking("save the change"):
            try:
                if data is None:
                    item.delete(if_match=etag or "*")
                    return None
                if etag is None:
                    item.save(raw_data=data, no_overwrite=True, increase_seqno=False)
                else:
                    item.props[dav.GetEtag.tag] = etag
                    item.save(raw_data=data, precondition="etag", increase_seqno=False)
            except (dav_error.ETagMismatchError, dav_error.ConsistencyError):
                raise _StaleError from None
            except dav_error.NotFoundError:
                if data is None:
                    raise _StaleError from None
                raise
        return item.etag or ""

    @contextmanager
    def _talking(self, doing: str) -> Iterator[None]:
        with server_errors(
            self.name,
            doing,
            timeout_s=self.timeout_s,
            user=self.location.user,
            password_given=self.password is not None,
        ):
            yield


@contextmanager
def server_errors(
    name: str, doing: str, *, timeout_s: float, user: str | None, password_given: bool
) -> Iterator[None]:
    """Every failure to talk to the server as one CalendarServerError that says what
    went wrong and what to do."""
    try:
        yield
    except dav_error.AuthorizationError as error:
        raise _refused(name, error, user, password_given) from error
    except niquests.exceptions.SSLError as error:
        raise CalendarServerError(
            name,
            phrase("its certificate could not be verified ({detail})", detail=_short(error)),
            "Check the address; a server with a self-signed certificate needs its "
            "certificate authority trusted by this computer.",
            reachable=False,
            doing=doing,
        ) from error
    except niquests.exceptions.Timeout as error:
        raise CalendarServerError(
            name,
            phrase("the server did not answer within {seconds} seconds", seconds=f"{timeout_s:g}"),
            "Check the network connection and try again.",
            reachable=False,
            doing=doing,
        ) from error
    except niquests.exceptions.ConnectionError as error:
        raise CalendarServerError(
            name,
            "the server cannot be reached",
            "Check the network connection and that the server is running, then try again.",
            reachable=False,
            doing=doing,
        ) from error
    except dav_error.NotFoundError as error:
        raise CalendarServerError(
            name,
            "there is no calendar at this address",
            "Check the calendar URL in the settings (choose one of your calendars there).",
            reachable=True,
            doing=doing,
        ) from error
    except dav_error.DAVError as error:
        raise CalendarServerError(
            name,
            phrase("the server answered with an error ({detail})", detail=_short(error)),
            "Try again later; if it keeps failing, check the calendar in another program.",
            reachable=True,
            doing=doing,
        ) from error
    except (niquests.exceptions.RequestException, etree.LxmlError, ValueError) as error:
        raise CalendarServerError(
            name,
            phrase("the server's answer is not a calendar ({detail})", detail=_short(error)),
            "Check that the address is a CalDAV calendar.",
            reachable=True,
            doing=doing,
        ) from error


def _refused(
    name: str, error: dav_error.AuthorizationError, user: str | None, password_given: bool
) -> CalendarAccessDeniedError:
    if error.status == 403:
        problem = (
            phrase("the server does not let {user} use it", user=user)
            if user
            else phrase("the server does not let this user use it")
        )
    elif not password_given:
        problem = phrase("the server asks for a password, and none is kept for this calendar")
    else:
        problem = phrase("the server refused the user name or password")
    return CalendarAccessDeniedError(
        name,
        problem,
        phrase(
            "Check the user name in the calendar URL and the password in the settings"
            " (scripts: {variable}).",
            variable=PASSWORD_VARIABLE,
        ),
        reachable=True,
    )


def took_its_place(url: str) -> Phrase:
    """Another event is at the address of one that was deleted."""
    return phrase("another event took its place at {url}", url=url)


def _holds_anything(document: CalendarDocument) -> bool:
    """Whether a resource still holds a component of its own (more than time zones)."""
    container = {"VCALENDAR", "VTIMEZONE", "STANDARD", "DAYLIGHT"}
    return any(name_of(placed.component) not in container for placed in document.placed)


def _bytes_of(item: Any) -> bytes:
    raw = item.raw_data
    if raw:
        return bytes(raw)
    text = item.data
    return text.encode() if isinstance(text, str) else bytes(text or b"")


def _resource_name(uid: str) -> str:
    """A file name for a new event's resource, made of its UID's safe characters."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", uid) + ".ics"


def _sort_key(value: datetime | date, zone: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.combine(value, time.min, zone)


def _short(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "…"
