"""The user's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import tzlocal

UTC_KEYS = frozenset({"UTC", "Etc/UTC", "Etc/UCT", "UCT", "Etc/Universal", "Universal", "Zulu"})


def local_zone() -> ZoneInfo:
    """The system's IANA zone (never a fixed UTC offset); UTC when the system names none."""
    try:
        return ZoneInfo(tzlocal.get_localzone_name() or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_named(name: str) -> ZoneInfo:
    """An IANA zone by name, e.g. 'Europe/Berlin'. Raises ValueError for unknown names."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(
            f"unknown time zone {name!r}; use an IANA name like Europe/Berlin"
        ) from error


def is_utc(zone: ZoneInfo) -> bool:
    return zone.key in UTC_KEYS
