"""Shared by the backend's tests."""

import logging
import warnings

import pytest


@pytest.fixture
def quiet_vendor_quirks(caplog):
    """Vendor quirks in real-world calendars make icalendar warn, and broken events are
    skipped with a log line: neither is what the corpus tests look at."""
    caplog.set_level(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield
