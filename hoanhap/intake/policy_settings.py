"""Deadlines and periods of the intake workflow, in one place, with the legal basis of each.

Each value can be changed in the Django settings (``HOANHAP_INTAKE_<NAME>``) without touching the
code. Values the legal brief marks UNCONFIRMED carry the brief's best understanding as default;
they are shown with their status on the pages that use them (``intake/partials/_policy_help.html``)
so that officers know which deadlines are law and which are local practice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Policy:
    """One policy parameter: its setting name, default, unit, legal basis and whether it is confirmed."""

    key: str
    default: int
    unit: Promise
    label: Promise
    basis: Promise
    confirmed: bool

    @property
    def setting_name(self) -> str:
        return f"HOANHAP_INTAKE_{self.key.upper()}"

    @property
    def value(self) -> int:
        return int(getattr(settings, self.setting_name, self.default))


MONTHS = _("months")
DAYS = _("days")
WORKING_DAYS = _("working days")

NOTICE_LEAD_MONTHS = Policy(
    "notice_lead_months",
    2,
    MONTHS,
    _("The detention facility sends the release notice this long before the release date"),
    _("Law on Execution of Criminal Judgments 2019, Art. 46(1)"),
    confirmed=True,
)
VERIFY_WORKING_DAYS = Policy(
    "verify_working_days",
    3,
    WORKING_DAYS,
    _("The commune police verify the place of residence within this time after receiving the notice"),
    _("Circular 10/2024/TT-BCA, Art. 8"),
    confirmed=True,
)
NON_ARRIVAL_DAYS = Policy(
    "non_arrival_days",
    15,
    DAYS,
    _("Alert when a released person has not reported at the commune this long after the release date"),
    _("No statutory deadline was found for people who completed their term or were amnestied; local setting"),
    confirmed=False,
)
CONDITIONAL_REPORT_DAYS = Policy(
    "conditional_report_days",
    5,
    DAYS,
    _("A conditionally released person reports to the commune within this time after release"),
    _("Secondary source on conditional early release; article number not confirmed"),
    confirmed=False,
)
TRANSFER_ESCALATION_DAYS = Policy(
    "transfer_escalation_days",
    10,
    DAYS,
    _("A transfer not confirmed by the receiving commune within this time is escalated"),
    _("No statutory deadline; local setting"),
    confirmed=False,
)
CLASSIFICATION_REVIEW_MONTHS = Policy(
    "classification_review_months",
    6,
    MONTHS,
    _("The classification group (A–D) is reviewed this often"),
    _("Circular 10/2024/TT-BCA (frequency not confirmed: the brief assumes six months)"),
    confirmed=False,
)

ALL: tuple[Policy, ...] = (
    NOTICE_LEAD_MONTHS,
    VERIFY_WORKING_DAYS,
    NON_ARRIVAL_DAYS,
    CONDITIONAL_REPORT_DAYS,
    TRANSFER_ESCALATION_DAYS,
    CLASSIFICATION_REVIEW_MONTHS,
)


def notice_lead_months() -> int:
    return NOTICE_LEAD_MONTHS.value


def verify_working_days() -> int:
    return VERIFY_WORKING_DAYS.value


def non_arrival_days() -> int:
    return NON_ARRIVAL_DAYS.value


def conditional_report_days() -> int:
    return CONDITIONAL_REPORT_DAYS.value


def transfer_escalation_days() -> int:
    return TRANSFER_ESCALATION_DAYS.value


def classification_review_months() -> int:
    return CLASSIFICATION_REVIEW_MONTHS.value


def document_override_dir() -> Path | None:
    """A directory whose ``hcd02.html``/``hcd02.docx``… replace the built-in document layouts."""
    value = getattr(settings, "HOANHAP_INTAKE_DOCUMENT_DIR", "") or ""
    return Path(value) if value else None


def calendar_cache_seconds() -> int:
    """How long a process trusts its cached calendar before re-reading the overrides (other processes)."""
    return int(getattr(settings, "HOANHAP_INTAKE_CALENDAR_CACHE_SECONDS", 300))
