"""The parameters of the support rules: settings with the values of the legal brief as defaults.

* ``HOANHAP_SUPPORT_TRAINING_CAP_PER_MONTH`` — policy-bank training loans, đồng per month per person
  (Decision 22/2023 Art. 6: 4,000,000);
* ``HOANHAP_SUPPORT_BUSINESS_CAP`` — production/business loans, đồng per person (Art. 6: 100,000,000);
* ``HOANHAP_SUPPORT_LOAN_WINDOW_YEARS`` — years from completing the sentence to borrowing (Art. 3(2)(a): 5);

Jobs are followed up 3, 6 and 12 months after they start (``JOB_FOLLOWUP_MONTHS``): a local practice,
not a legal rule; the fields of a support action are named after these three milestones.
"""

from __future__ import annotations

from django.conf import settings

DEFAULT_TRAINING_CAP_PER_MONTH = 4_000_000
DEFAULT_BUSINESS_CAP = 100_000_000
DEFAULT_LOAN_WINDOW_YEARS = 5
JOB_FOLLOWUP_MONTHS = (3, 6, 12)


def training_cap_per_month() -> int:
    return int(getattr(settings, "HOANHAP_SUPPORT_TRAINING_CAP_PER_MONTH", DEFAULT_TRAINING_CAP_PER_MONTH))


def business_cap() -> int:
    return int(getattr(settings, "HOANHAP_SUPPORT_BUSINESS_CAP", DEFAULT_BUSINESS_CAP))


def loan_window_years() -> int:
    return int(getattr(settings, "HOANHAP_SUPPORT_LOAN_WINDOW_YEARS", DEFAULT_LOAN_WINDOW_YEARS))
