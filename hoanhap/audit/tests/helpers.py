"""Helpers of the audit tests."""

import datetime as dt
from unittest import mock

from django.utils import timezone

from hoanhap.audit import services


def entry_at(when: dt.datetime, action: str = "access.organisation.updated", **kwargs):
    """An audit entry stamped ``when`` (auto_now_add takes the clock, so the clock is moved)."""
    when = timezone.make_aware(when) if timezone.is_naive(when) else when
    with mock.patch("django.utils.timezone.now", return_value=when):
        return services.record(action, **kwargs)
