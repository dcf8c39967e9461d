"""``clock.one_day`` holds today's date still for one piece of work."""

import datetime as dt
from unittest import mock

from hoanhap.core import clock


def test_today_follows_the_local_date_outside_a_block():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 1)):
        assert clock.today() == dt.date(2026, 3, 1)


def test_a_block_keeps_the_day_it_began_on_past_midnight():
    with mock.patch("django.utils.timezone.localdate", return_value=dt.date(2026, 3, 1)) as local:
        with clock.one_day() as day:
            local.return_value = dt.date(2026, 3, 2)
            assert day == clock.today() == dt.date(2026, 3, 1)
            with clock.one_day() as inner:
                assert inner == dt.date(2026, 3, 1)
        assert clock.today() == dt.date(2026, 3, 2)
