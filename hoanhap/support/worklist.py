"""Sections of the worklist (“Việc hôm nay”) owned by support: job follow-ups and referrals awaiting the bank.

Registered with ``hoanhap.intake.worklist.register_sections``; each section costs one query and
reads through the access policy (``edit_casework``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoanhap.access.roles import Cap
from hoanhap.intake.worklist import Item, Section
from hoanhap.support import selectors
from hoanhap.support.models import PolicyBankReferral


def job_followups(actor: Any, today: dt.date) -> Section:
    items = [
        Item(
            person=f.action.person,
            what=_("Still employed {months} months after starting at {employer}?").format(
                months=f.months, employer=f.action.employer or f.action.kind.name
            ),
            due_on=f.due_on,
            url=reverse("support:action-detail", args=[f.action.pk]),
            action=gettext_lazy("Record the follow-up"),
            today=today,
        )
        for f in selectors.job_followups_due(actor=actor, on=today)
    ]
    return Section(
        "support_jobs",
        gettext_lazy("Job follow-ups due"),
        gettext_lazy(
            "Check whether people placed in a job are still employed 3, 6 and 12 months after they started."
        ),
        items,
    )


def referrals_awaiting(actor: Any, today: dt.date) -> Section:
    rows = selectors.referral_list(
        actor=actor, status=PolicyBankReferral.Status.REFERRED, cap=Cap.EDIT_CASEWORK
    )
    items = [
        Item(
            person=r.person,
            what=_("Referred to the policy bank on {date}: {purpose}").format(
                date=r.referred_on.strftime("%d/%m/%Y"), purpose=r.get_purpose_display()
            ),
            due_on=None,
            url=reverse("support:referral-detail", args=[r.pk]),
            action=gettext_lazy("Record the decision"),
            today=today,
        )
        for r in rows.order_by("referred_on", "pk")
    ]
    return Section(
        "support_referrals",
        gettext_lazy("Referrals awaiting the bank's decision"),
        gettext_lazy(
            "Ask the policy bank (or the entrusted mass organisation) for its decision and record it."
        ),
        items,
    )


def sections(actor: Any, today: dt.date) -> list[Section]:
    return [job_followups(actor, today), referrals_awaiting(actor, today)]
