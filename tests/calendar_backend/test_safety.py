import os
import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from calendar_backend import CalendarChangedError, CalendarFileError, CalendarStore
from calendar_backend import storage as storage_module
from tests.calendar_backend.test_recurring import SERIES
from tests.conftest import BERLIN

EXTERNAL_EDIT = SERIES.replace(b"SUMMARY:Yoga", b"SUMMARY:Yoga mit Lea")


def test_change_between_read_and_write_is_detected_and_the_edit_reapplied(make_store, monkeypatch):
    store = make_store(SERIES)
    real_replace = storage_module.CalendarStorage.replace
    calls = []

    def other_program_writes_first(self, expected, data):
        if not calls:
            self.path.write_bytes(EXTERNAL_EDIT)
        calls.append(expected)
        return real_replace(self, expected, data)

    monkeypatch.setattr(storage_module.CalendarStorage, "replace", other_program_writes_first)
    created = store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    assert len(calls) == 2
    data = store.path.read_bytes()
    assert b"SUMMARY:Yoga mit Lea" in data, "the other program's change was kept"
    assert created.uid.encode() in data, "and ours was applied on top"


def test_change_during_the_save_is_detected_at_the_last_moment(make_store, monkeypatch):
    store = make_store(SERIES)
    real_ownership = storage_module._copy_ownership

    def other_program_writes_while_we_save(original, descriptor):
        original.write_bytes(EXTERNAL_EDIT)
        real_ownership(original, descriptor)

    monkeypatch.setattr(storage_module, "_copy_ownership", other_program_writes_while_we_save)
    with pytest.raises(CalendarChangedError, match="changed by another program"):
        store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    assert store.path.read_bytes() == EXTERNAL_EDIT
    leftovers = [p for p in store.path.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []


def test_a_file_that_keeps_changing_is_never_overwritten(make_store, monkeypatch):
    store = make_store(SERIES)
    real_replace = storage_module.CalendarStorage.replace
    written = []

    def always_changed(self, expected, data):
        written.append(
            SERIES.replace(b"PRODID:-//Test//EN", b"PRODID:-//Test %d//EN" % len(written))
        )
        self.path.write_bytes(written[-1])
        return real_replace(self, expected, data)

    monkeypatch.setattr(storage_module.CalendarStorage, "replace", always_changed)
    with pytest.raises(CalendarChangedError):
        store.delete("weekly@test", series=True)
    assert store.path.read_bytes() == written[-1]


def test_permissions_are_kept(make_store):
    store = make_store(SERIES)
    store.path.chmod(0o640)
    store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o640


def test_a_symlinked_calendar_stays_a_symlink(tmp_path):
    real = tmp_path / "sync" / "real.ics"
    real.parent.mkdir()
    real.write_bytes(SERIES)
    link = tmp_path / "calendar.ics"
    link.symlink_to(real)
    store = CalendarStore(link, zone=BERLIN, backup_dir=tmp_path / "backups")
    store.create("Zahnarzt", datetime(2026, 11, 27, 9, 0))
    assert link.is_symlink()
    assert b"Zahnarzt" in real.read_bytes()


def test_every_write_leaves_a_backup_and_old_ones_rotate(make_store):
    store = make_store(SERIES)
    store.storage.backups_kept = 3
    for day in range(23, 28):
        store.create(f"Termin {day}", datetime(2026, 11, day, 9, 0))
    backups = store.storage.backups()
    assert len(backups) == 3
    oldest, newest = backups[0].read_bytes(), backups[-1].read_bytes()
    assert b"Termin 24" in oldest and b"Termin 25" not in oldest
    assert b"Termin 26" in newest and b"Termin 27" not in newest


def test_backup_folder_defaults_to_the_user_data_folder(tmp_path):
    store = CalendarStore(tmp_path / "c.ics", zone=BERLIN)
    store.create("X", datetime(2026, 11, 27, 9, 0))
    (backup,) = store.storage.backups()
    assert backup.is_relative_to(os.environ["XDG_DATA_HOME"])


def test_backups_and_the_folders_above_them_are_readable_by_their_user_only(tmp_path):
    store = CalendarStore(tmp_path / "c.ics", zone=BERLIN)
    old_umask = os.umask(0o022)
    try:
        store.create("X", datetime(2026, 11, 27, 9, 0))
    finally:
        os.umask(old_umask)
    (backup,) = store.storage.backups()
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    data_home = Path(os.environ["XDG_DATA_HOME"])
    for folder in backup.parents:
        if folder == data_home:
            break
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_an_existing_backup_folder_readable_by_others_is_made_private(make_store, tmp_path):
    store = make_store(SERIES)
    (tmp_path / "backups").mkdir(mode=0o755)
    (tmp_path / "backups").chmod(0o755)
    store.create("X", datetime(2026, 11, 27, 9, 0))
    (backup,) = store.storage.backups()
    assert stat.S_IMODE((tmp_path / "backups").stat().st_mode) == 0o700
    assert stat.S_IMODE(backup.parent.stat().st_mode) == 0o700


@pytest.mark.parametrize(
    "content",
    [
        b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2026-13-45\r\nEND:VCALENDAR\r\n",
        b"\x00\x01 this is not a calendar",
        b"BEGIN:VCALENDAR\r\nX\r\nEND:VCALENDAR\r\n",
    ],
)
def test_corrupt_file_gives_a_clear_error_and_stays_untouched(make_store, content):
    store = make_store(content)
    with pytest.raises(CalendarFileError) as raised:
        store.create("X", datetime(2026, 11, 27, 9, 0))
    message = str(raised.value)
    assert str(store.path) in message
    assert "left unchanged" in message
    assert store.path.read_bytes() == content
    with pytest.raises(CalendarFileError):
        store.occurrences(date(2026, 11, 1), date(2026, 11, 30))


def test_a_folder_is_not_a_calendar(tmp_path):
    folder = tmp_path / "calendar.ics"
    folder.mkdir()
    with pytest.raises(CalendarFileError, match="folder"):
        CalendarStore(folder, zone=BERLIN, backup_dir=tmp_path / "b").occurrences(
            date(2026, 1, 1), date(2026, 1, 2)
        )


def test_unreadable_file_says_so(make_store, monkeypatch):
    store = make_store(SERIES)
    real_open = Path.open

    def denied(self, *args, **kwargs):
        if self == store.storage.target:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", denied)  # a chmod would not stop root, who runs CI
    with pytest.raises(CalendarFileError, match="permission to read it was denied") as denial:
        store.occurrences(date(2026, 11, 1), date(2026, 11, 30))
    assert "read and write access" in str(denial.value)


def test_a_file_far_larger_than_any_calendar_is_refused(tmp_path):
    huge = tmp_path / "disk-image.ics"
    with huge.open("wb") as stream:
        stream.truncate(storage_module.MAX_CALENDAR_BYTES + 1)  # sparse: no disk space used
    store = CalendarStore(huge, zone=BERLIN, backup_dir=tmp_path / "b")
    with pytest.raises(CalendarFileError, match=r"more than the 50 MB a calendar file may have"):
        store.occurrences(date(2026, 1, 1), date(2026, 1, 2))
    with pytest.raises(CalendarFileError, match="50 MB"):
        store.create("X", datetime(2026, 11, 27, 9, 0))
    assert huge.stat().st_size == storage_module.MAX_CALENDAR_BYTES + 1
    assert not (tmp_path / "b").exists()
