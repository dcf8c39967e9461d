"""Every deadline of the intake workflow, computed in one place from ``policy_settings``.

Dates only (no times): deadlines are days in Asia/Ho_Chi_Minh. Working days come from
``hoanhap.intake.calendar``; calendar months follow the Civil Code convention of
``justice.rules.dates.add_months``.
"""

from __future__ import annotations

import datetime as dt

from hoanhap.intake import calendar, policy_settings
from hoanhap.justice.rules.dates import add_months

CONDITIONAL_RELEASE = "conditional_release"


def notice_due_on(expected_release: dt.date) -> dt.date:
    """The last day a release notice is on time: two months before the release (LTHAHS Art. 46(1))."""
    return add_months(expected_release, -policy_settings.notice_lead_months())


def notice_is_late(*, received_on: dt.date, expected_release: dt.date) -> bool:
    """A notice received after its due day is late (the commune had less time than the law gives)."""
    return received_on > notice_due_on(expected_release)


def verify_by(received_on: dt.date) -> dt.date:
    """The residence check is due within three working days of receiving the notice (Circular 10/2024 Art. 8)."""
    return calendar.add_working_days(received_on, policy_settings.verify_working_days())


def report_due_on(release_date: dt.date, release_kind: str) -> dt.date:
    """After this day a released person who has not reported is flagged as not arrived.

    Conditionally released people must report within five days; for the others the threshold is a
    local setting (no statutory deadline was found).
    """
    days = (
        policy_settings.conditional_report_days()
        if release_kind == CONDITIONAL_RELEASE
        else policy_settings.non_arrival_days()
    )
    return release_date + dt.timedelta(days=days)


def transfer_escalation_on(sent_on: dt.date) -> dt.date:
    """A transfer still unconfirmed after this day is escalated."""
    return sent_on + dt.timedelta(days=policy_settings.transfer_escalation_days())


def next_review_on(decided_on: dt.date) -> dt.date:
    """The next classification review (six-monthly by the brief's UNCONFIRMED assumption)."""
    return add_months(decided_on, policy_settings.classification_review_months())
