"""Periods of case work, changeable in the Django settings without touching the code.

``HOANHAP_CASEWORK_VISIT_DAYS``: days between contacts, by classification group. The legal brief
found no statutory visit frequency for people who completed their sentence (Circular 10/2024 sets
none that could be confirmed); the nearest confirmed rule is Circular 65/2019, under which the
commune assesses people serving community sentences monthly. The defaults follow that analogy for
the closest supervision (group C and people not classified yet: 30 days) and space the others out
(B: 60, A: 90). Group D people are in custody, compulsory education or rehabilitation: no visit is
listed for them (``None``). These are local practice, not law, and the pages say so.

The needs review shares intake's classification cycle
(``hoanhap.intake.policy_settings.classification_review_months``): both are made together.
"""

from __future__ import annotations

from django.conf import settings

from hoanhap.intake import policy_settings as intake_settings

UNCLASSIFIED = ""
DEFAULT_VISIT_DAYS: dict[str, int | None] = {"A": 90, "B": 60, "C": 30, "D": None, UNCLASSIFIED: 30}

VISIT_HORIZON_DAYS = 7  # visits falling due within a week are listed already
PLAN_HORIZON_DAYS = 7  # plan actions falling due within a week are listed already
REVIEW_HORIZON_DAYS = 14  # same horizon as intake's classification reviews


def visit_days() -> dict[str, int | None]:
    """Days between two contacts for each classification group ('' for a person not yet classified)."""
    values = dict(DEFAULT_VISIT_DAYS)
    values.update(getattr(settings, "HOANHAP_CASEWORK_VISIT_DAYS", {}) or {})
    return values


def visit_days_for(group: str) -> int | None:
    values = visit_days()
    return values.get(group or UNCLASSIFIED, values.get(UNCLASSIFIED))


def review_months() -> int:
    return intake_settings.classification_review_months()
