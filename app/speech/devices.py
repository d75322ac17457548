"""Sound devices chosen by name: indices change between boots, names mostly do not (except
ALSA's "(hw:1,0)" suffix, which is ignored when matching)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any, Literal

LOG = logging.getLogger(__name__)

Direction = Literal["input", "output"]

_ALSA_SUFFIX = re.compile(r"\s*\(hw:\d+,\d+\)\s*$")


class DeviceNotFoundError(LookupError):
    """No device of the wanted kind exists at all."""


@dataclass(frozen=True)
class Device:
    index: int
    name: str
    default_sample_rate: int
    channels: int
    """Maximal channels in the wanted direction."""


def _base_name(name: str) -> str:
    return _ALSA_SUFFIX.sub("", name).strip().casefold()


def list_devices(direction: Direction) -> list[Device]:
    import sounddevice  # type: ignore[import-untyped]

    key = "max_input_channels" if direction == "input" else "max_output_channels"
    devices: Any = sounddevice.query_devices()
    return [
        Device(int(d["index"]), str(d["name"]), int(d["default_samplerate"]), int(d[key]))
        for d in devices
        if int(d[key]) > 0
    ]


def default_device(direction: Direction) -> Device | None:
    import sounddevice

    devices = list_devices(direction)
    try:
        wanted = sounddevice.default.device[0 if direction == "input" else 1]
    except (IndexError, TypeError):
        wanted = -1
    for device in devices:
        if device.index == wanted:
            return device
    return next((d for d in devices if _base_name(d.name) == "default"), None) or (
        devices[0] if devices else None
    )


def find_device(name: str | None, direction: Direction) -> int | None:
    """The index for a device name (None: the default); see `choose_device`."""
    return choose_device(name, direction).index


def choose_device(name: str | None, direction: Direction) -> Device:
    """The device with this name: exact first, then ignoring case and the ALSA hw suffix, then
    a unique partial match. A saved name that is gone falls back to the default device with a
    warning. Raises DeviceNotFoundError when there is no device of this kind at all."""
    devices = list_devices(direction)
    if not devices:
        raise DeviceNotFoundError(f"no {direction} device found")
    if name:
        exact = [d for d in devices if d.name == name]
        base = [d for d in devices if _base_name(d.name) == _base_name(name)]
        partial = [d for d in devices if _base_name(name) in _base_name(d.name)]
        if exact or base:
            return (exact or base)[0]
        if len(partial) == 1:
            return partial[0]
        LOG.warning("%s device %r is not connected; using the default device", direction, name)
    chosen = default_device(direction)
    if chosen is None:
        raise DeviceNotFoundError(f"no {direction} device found")
    return chosen
